-- wrk: a streamed chat completion that the slow upstream never ends (one chunk a second): each
-- connection holds one stream open for the whole run.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-client-secret"
wrk.body = '{"model":"gpt-4o-slow","stream":true,"messages":[{"role":"user","content":"Hello!"}]}'
