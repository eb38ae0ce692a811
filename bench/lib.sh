# Shared by bench/run.sh and bench/apikeys.sh (sourced, not run): tool checks, the JDK, a scratch
# folder cleaned up on exit, nginx and gateway processes, wrk runs that fail on a non-2xx answer,
# medians. The gateway is started through bin/agentgateway, so the bench measures the JVM settings
# the launcher ships (GATEWAY_JVM_OPTS adds to them, e.g. a JFR recording).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS=2

bench_needs() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "needs ${missing[*]}: apt-get install -y wrk nginx-light hey curl iproute2 (ss), and a JDK 25" >&2
    exit 1
  fi
}

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/jcmd" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25*; do
    [ -x "$d/bin/jcmd" ] && export JAVA_HOME="$d" && break
  done
fi
[ -x "${JAVA_HOME:-}/bin/jcmd" ] || { echo "needs a JDK 25 (JAVA_HOME)" >&2; exit 1; }
JAVA="$JAVA_HOME/bin/java"

BENCH_DIR="$(mktemp -d /tmp/agentgateway-bench.XXXX)"
export BENCH_DIR
PIDS=()
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$BENCH_DIR"   # the audit log alone grows by hundreds of MB a run
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

bench_build() { (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" ./mvnw -q -B -DskipTests package); }

# render TEMPLATE OUT: fills __DIR__, __WORKERS__ and every __NAME__ from the environment variable NAME.
render() {
  local text
  text="$(sed -e "s#__DIR__#$BENCH_DIR#g" -e "s#__WORKERS__#$(nproc)#g" "$1")"
  while [[ "$text" =~ __([A-Z0-9_]*[A-Z0-9])__ ]]; do
    text="${text//${BASH_REMATCH[0]}/${!BASH_REMATCH[1]}}"
  done
  printf '%s\n' "$text" > "$2"
}

# start_nginx TEMPLATE NAME: nginx on the rendered config, in the background.
start_nginx() {
  render "$1" "$BENCH_DIR/$2.conf"
  nginx -c "$BENCH_DIR/$2.conf" -p "$BENCH_DIR" -e "$BENCH_DIR/$2.error.log" &
  PIDS+=($!)
}

# wait_ready ADMIN_PORT PID: until /readyz answers 200 (or the process died / 30 s passed).
wait_ready() {
  for _ in $(seq 1 3000); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/readyz" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.01
  done
  echo "the gateway did not become ready:" >&2
  cat "$BENCH_DIR/gateway.err" >&2
  exit 1
}

# start_gateway CONFIG: the gateway via bin/agentgateway (GATEWAY_PID), ready to serve.
start_gateway() {
  BENCH_UPSTREAM_KEY=sk-bench BENCH_CLIENT_KEY=bench-client-secret JAVA_OPTS="${GATEWAY_JVM_OPTS:-}" \
    "$ROOT/bin/agentgateway" run --config "$1" > "$BENCH_DIR/gateway.out" 2> "$BENCH_DIR/gateway.err" &
  GATEWAY_PID=$!
  PIDS+=("$GATEWAY_PID")
  wait_ready "$ADMIN_PORT" "$GATEWAY_PID"
}

stop_gateway() {
  kill "$GATEWAY_PID" 2>/dev/null || true
  while kill -0 "$GATEWAY_PID" 2>/dev/null; do sleep 0.1; done
}

# startup: one start of the gateway on bench/gateway.yaml, its ms from the launcher's exec to
# /readyz 200; then stops it.
startup() {
  local t0 t1
  t0=$(date +%s%N)
  start_gateway "$ROOT/bench/gateway.yaml"
  t1=$(date +%s%N)
  stop_gateway
  echo $(( (t1 - t0) / 1000000 ))
}

# rss_mb PID: resident set size in MiB.
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# wrk_run OUT URL SCRIPT DURATION [CONNECTIONS]: wrk with latency percentiles; a non-2xx answer or a
# socket error other than the run's end fails the bench.
wrk_run() {
  wrk -t$THREADS -c"${5:-$CONNECTIONS}" -d"$4" --latency -s "$3" "$2" > "$1"
  local bad
  bad=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$1" || true)
  [ -z "$bad" ] || { echo "$2: $bad" >&2; cat "$1" >&2; exit 1; }
}
wrk_rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
# wrk_ms FILE PERCENTILE: a latency percentile of a wrk --latency report, in ms.
wrk_ms() {
  awk -v p="$2" '$1==p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$1"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b==0) print "-"; else printf "%.2f", a/b}'; }

# start_all: bench/run.sh's contenders on the ports it exported: the JSON-RPC upstreams and the slow
# stream (bench/BenchUpstream.java), nginx as the upstream and as the proxy, the gateway on
# bench/gateway.yaml, checked with one chat; opens the MCP session the MCP rows use (MCP_SESSION).
start_all() {
  # The JSON-RPC upstreams (demo MCP server, demo A2A agent) and the slow stream, in one JVM.
  "$JAVA" -XX:+UseSerialGC -cp "$ROOT/target/agentgateway.jar" "$ROOT/bench/BenchUpstream.java" "$BENCH_DIR/upstreams" \
    > "$BENCH_DIR/upstreams.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do [ -f "$BENCH_DIR/upstreams" ] && break; sleep 0.1; done
  [ -f "$BENCH_DIR/upstreams" ] || { cat "$BENCH_DIR/upstreams.out"; exit 1; }
  { read -r MCP_UPSTREAM; read -r A2A_UPSTREAM; read -r SLOW_UPSTREAM; } < "$BENCH_DIR/upstreams"
  MCP_HOSTPORT="${MCP_UPSTREAM#http://}"; MCP_HOSTPORT="${MCP_HOSTPORT%%/*}"
  A2A_HOSTPORT="${A2A_UPSTREAM#http://}"
  export MCP_UPSTREAM A2A_UPSTREAM SLOW_UPSTREAM MCP_HOSTPORT A2A_HOSTPORT

  start_nginx "$ROOT/bench/upstream.nginx.conf" upstream
  start_nginx "$ROOT/bench/proxy.nginx.conf" proxy
  start_gateway "$ROOT/bench/gateway.yaml"

  AUTH='Authorization: Bearer bench-client-secret'
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -H 'content-type: application/json' \
    -d '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions")
  [ "$status" = 200 ] || { echo "gateway answered $status to a chat, not 200" >&2; exit 1; }
  MCP_SESSION=$(curl -s -D - -o /dev/null -H "$AUTH" -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
    "http://127.0.0.1:$GATEWAY_MCP_PORT/mcp/bench" | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id" {print $2}')
  [ -n "$MCP_SESSION" ] || { echo "the gateway opened no MCP session" >&2; exit 1; }
  export MCP_SESSION
  curl -fs -o /dev/null -H "$AUTH" -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \
    -H "Mcp-Session-Id: $MCP_SESSION" -d '{"jsonrpc":"2.0","method":"notifications/initialized"}' "http://127.0.0.1:$GATEWAY_MCP_PORT/mcp/bench"

  # What each row requests (a wrk script) from each contender.
  declare -gA SCRIPT=([chat]=chat.lua [mcp]=mcp.lua [a2a]=a2a.lua [stream]=chat-stream.lua)
  declare -gA URL=(
    [chat.direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
    [chat.nginx]="http://127.0.0.1:$PROXY_PORT/v1/chat/completions"
    [chat.gateway]="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"
    [mcp.direct]="$MCP_UPSTREAM"
    [mcp.nginx]="http://127.0.0.1:$PROXY_PORT/mcp/bench"
    [mcp.gateway]="http://127.0.0.1:$GATEWAY_MCP_PORT/mcp/bench"
    [a2a.direct]="$A2A_UPSTREAM/dev-team/reviewer"
    [a2a.nginx]="http://127.0.0.1:$PROXY_PORT/dev-team/reviewer"
    [a2a.gateway]="http://127.0.0.1:$GATEWAY_A2A_PORT/dev-team/reviewer"
    [stream.nginx]="http://127.0.0.1:$PROXY_PORT/stream/v1/chat/completions"
    [stream.gateway]="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"
  )
}
