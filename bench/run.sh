#!/usr/bin/env bash
# Load benchmark: the same wrk load against (a) the upstream directly, (b) nginx as a plain reverse
# proxy, (c) the gateway with the whole governance chain on — interleaved rounds in one run, so the
# ratios compare like with like on a shared, noisy machine. Prints throughput, latency percentiles
# and the ratios, and writes them to bench/results/.
#
#   bench/run.sh [duration=20s] [connections=64] [rounds=3]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${1:-20s}"
CONNECTIONS="${2:-64}"
ROUNDS="${3:-3}"
THREADS=2
UPSTREAM_PORT=19100 PROXY_PORT=19200 GATEWAY_PORT=19300 ADMIN_PORT=19400
export UPSTREAM_PORT GATEWAY_PORT ADMIN_PORT

for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y wrk nginx-light)"; exit 1; }
done
if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25*; do [ -x "$d/bin/java" ] && export JAVA_HOME="$d" && break; done
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

BENCH_DIR="$(mktemp -d /tmp/agentgateway-bench.XXXX)"
export BENCH_DIR
cleanup() {
  [ -f "$BENCH_DIR/gateway.pid" ] && kill "$(cat "$BENCH_DIR/gateway.pid")" 2>/dev/null || true
  for n in upstream proxy; do [ -f "$BENCH_DIR/$n.pid" ] && kill "$(cat "$BENCH_DIR/$n.pid")" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

(cd "$ROOT" && ./mvnw -q -DskipTests package)

render() { sed -e "s#__DIR__#$BENCH_DIR#g" -e "s#__UPSTREAM_PORT__#$UPSTREAM_PORT#g" -e "s#__PROXY_PORT__#$PROXY_PORT#g" \
               -e "s#__WORKERS__#$(nproc)#g" "$1" > "$2"; }
render "$ROOT/bench/upstream.nginx.conf" "$BENCH_DIR/upstream.conf"
render "$ROOT/bench/proxy.nginx.conf" "$BENCH_DIR/proxy.conf"
nginx -c "$BENCH_DIR/upstream.conf" -p "$BENCH_DIR" & 
nginx -c "$BENCH_DIR/proxy.conf" -p "$BENCH_DIR" &
BENCH_UPSTREAM_KEY=sk-bench BENCH_CLIENT_KEY=bench-client-secret \
  "$JAVA" -XX:+UseParallelGC -Xms512m -Xmx512m ${GATEWAY_JVM_OPTS:-} -jar "$ROOT/target/agentgateway.jar" run --config "$ROOT/bench/gateway.yaml" \
  > "$BENCH_DIR/gateway.out" 2> "$BENCH_DIR/gateway.err" &
echo $! > "$BENCH_DIR/gateway.pid"
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null || { cat "$BENCH_DIR/gateway.err"; exit 1; }

declare -A URL=(
  [direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
  [nginx]="http://127.0.0.1:$PROXY_PORT/v1/chat/completions"
  [gateway]="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"
)
ORDER=(direct nginx gateway)

# Warm up every contender (JIT, connection pools) before measuring anything.
for c in "${ORDER[@]}"; do wrk -t$THREADS -c$CONNECTIONS -d10s -s "$ROOT/bench/chat.lua" "${URL[$c]}" >/dev/null; done
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer bench-client-secret' -H 'content-type: application/json' \
  -d '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}' "${URL[gateway]}")
[ "$status" = 200 ] || { echo "gateway answered $status, not 200"; exit 1; }

for r in $(seq 1 "$ROUNDS"); do
  for c in "${ORDER[@]}"; do
    wrk -t$THREADS -c$CONNECTIONS -d"$DURATION" --latency -s "$ROOT/bench/chat.lua" "${URL[$c]}" > "$BENCH_DIR/$c.$r.txt"
    non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$BENCH_DIR/$c.$r.txt" || true)
    [ -z "$non2xx" ] || { echo "$c round $r: $non2xx"; cat "$BENCH_DIR/$c.$r.txt"; exit 1; }
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'; }
declare -A RPS P50 P99
for c in "${ORDER[@]}"; do
  RPS[$c]=$(for r in $(seq 1 "$ROUNDS"); do awk '/Requests\/sec/ {print $2}' "$BENCH_DIR/$c.$r.txt"; done | median)
  P50[$c]=$(for r in $(seq 1 "$ROUNDS"); do awk '$1=="50%" {print $2}' "$BENCH_DIR/$c.$r.txt" | ms; done | median)
  P99[$c]=$(for r in $(seq 1 "$ROUNDS"); do awk '$1=="99%" {print $2}' "$BENCH_DIR/$c.$r.txt" | ms; done | median)
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%dT%H%MZ).md"
{
  echo "## $(date -u +%Y-%m-%d) — \`bench/run.sh $DURATION $CONNECTIONS $ROUNDS\`"
  echo
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS interleaved rounds; $("$JAVA" -version 2>&1 | head -1); $(nginx -v 2>&1)"
  echo
  echo "| target | requests/s | p50 ms | p99 ms |"
  echo "|---|---:|---:|---:|"
  for c in "${ORDER[@]}"; do echo "| $c | ${RPS[$c]} | ${P50[$c]} | ${P99[$c]} |"; done
  echo
  echo "gateway / nginx = **$(ratio "${RPS[gateway]}" "${RPS[nginx]}")** · gateway / direct = $(ratio "${RPS[gateway]}" "${RPS[direct]}") · nginx / direct = $(ratio "${RPS[nginx]}" "${RPS[direct]}")"
} | tee "$OUT"
echo
echo "written to ${OUT#$ROOT/}"
