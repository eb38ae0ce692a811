-- wrk: a streamed chat completion (the upstream answers it in one burst of server-sent events).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-client-secret"
wrk.body = '{"model":"gpt-4o-stream","stream":true,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Hello!"}],"max_tokens":64}'
