-- wrk: an A2A JSON-RPC message/send to the demo agent dev-team/reviewer.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-client-secret"
wrk.body = '{"jsonrpc":"2.0","id":7,"method":"message/send","params":{"message":{"role":"user","kind":"message","messageId":"m-1","parts":[{"kind":"text","text":"Hello!"}]}}}'
