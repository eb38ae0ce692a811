#!/usr/bin/env bash
# Identity cost by key count: the same wrk load against the gateway (bench/gateway.yaml's whole
# chain) configured with 1 API key and with 500 API keys in 500 namespaces (the caller's key listed
# last), interleaved rounds in one run, so the ratio compares like with like on a noisy machine.
# Prints throughput and the 500-key / 1-key ratio, and writes them to bench/results/. Measured,
# never asserted: the target is a ratio of at least 0.95.
#
#   bench/apikeys.sh [duration=15s] [connections=64] [rounds=3] [keys=500]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${1:-15s}"
CONNECTIONS="${2:-64}"
ROUNDS="${3:-3}"
KEYS="${4:-500}"
THREADS=2
UPSTREAM_PORT=19110 GATEWAY_PORT=19310 ADMIN_PORT=19410
export UPSTREAM_PORT GATEWAY_PORT ADMIN_PORT

for tool in wrk nginx sha256sum; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y wrk nginx-light)"; exit 1; }
done
if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25*; do [ -x "$d/bin/java" ] && export JAVA_HOME="$d" && break; done
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

BENCH_DIR="$(mktemp -d /tmp/agentgateway-apikeys.XXXX)"
export BENCH_DIR
cleanup() {
  [ -f "$BENCH_DIR/gateway.pid" ] && kill "$(cat "$BENCH_DIR/gateway.pid")" 2>/dev/null || true
  [ -f "$BENCH_DIR/upstream.pid" ] && kill "$(cat "$BENCH_DIR/upstream.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

(cd "$ROOT" && ./mvnw -q -DskipTests package)

sed -e "s#__DIR__#$BENCH_DIR#g" -e "s#__UPSTREAM_PORT__#$UPSTREAM_PORT#g" -e "s#__WORKERS__#$(nproc)#g" \
  "$ROOT/bench/upstream.nginx.conf" > "$BENCH_DIR/upstream.conf"
nginx -c "$BENCH_DIR/upstream.conf" -p "$BENCH_DIR" &

# Two configs from bench/gateway.yaml: its one key, and KEYS keys where the caller's is the last.
cp "$ROOT/bench/gateway.yaml" "$BENCH_DIR/keys-1.yaml"
{
  sed -n '1,/^    keys:/p' "$ROOT/bench/gateway.yaml" | sed '$d'
  echo "    keys:"
  for i in $(seq 1 $((KEYS - 1))); do
    echo "      - {name: k$i, key_hash: \"sha256:$(printf 'other-key-%d' "$i" | sha256sum | cut -d' ' -f1)\", namespace: team-$i}"
  done
  echo "      - {name: bench, key_secret: bench-client-key, namespace: dev-team, service_account: bench}"
  sed -n '/^authorization:/,$p' "$ROOT/bench/gateway.yaml"
} > "$BENCH_DIR/keys-$KEYS.yaml"

start_gateway() {
  BENCH_UPSTREAM_KEY=sk-bench BENCH_CLIENT_KEY=bench-client-secret \
    "$JAVA" -XX:+UseParallelGC -Xms512m -Xmx512m ${GATEWAY_JVM_OPTS:-} -jar "$ROOT/target/agentgateway.jar" run --config "$1" \
    > "$BENCH_DIR/gateway.out" 2> "$BENCH_DIR/gateway.err" &
  echo $! > "$BENCH_DIR/gateway.pid"
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null || { cat "$BENCH_DIR/gateway.err"; exit 1; }
  # JIT and pools warm before measuring.
  wrk -t$THREADS -c$CONNECTIONS -d10s -s "$ROOT/bench/chat.lua" "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" >/dev/null
}
stop_gateway() {
  kill "$(cat "$BENCH_DIR/gateway.pid")" 2>/dev/null || true
  while kill -0 "$(cat "$BENCH_DIR/gateway.pid")" 2>/dev/null; do sleep 0.2; done
  rm -f "$BENCH_DIR/gateway.pid"
}

ORDER=(1 "$KEYS")
for r in $(seq 1 "$ROUNDS"); do
  for k in "${ORDER[@]}"; do
    start_gateway "$BENCH_DIR/keys-$k.yaml"
    wrk -t$THREADS -c$CONNECTIONS -d"$DURATION" --latency -s "$ROOT/bench/chat.lua" \
      "http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions" > "$BENCH_DIR/keys-$k.$r.txt"
    stop_gateway
    non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$BENCH_DIR/keys-$k.$r.txt" || true)
    [ -z "$non2xx" ] || { echo "$k keys, round $r: $non2xx"; cat "$BENCH_DIR/keys-$k.$r.txt"; exit 1; }
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A RPS
for k in "${ORDER[@]}"; do
  RPS[$k]=$(for r in $(seq 1 "$ROUNDS"); do awk '/Requests\/sec/ {print $2}' "$BENCH_DIR/keys-$k.$r.txt"; done | median)
done
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%dT%H%MZ)-apikeys.md"
{
  echo "## $(date -u +%Y-%m-%d) — \`bench/apikeys.sh $DURATION $CONNECTIONS $ROUNDS $KEYS\`"
  echo
  echo "$(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d$DURATION against the gateway, median of $ROUNDS interleaved rounds; $("$JAVA" -version 2>&1 | head -1)"
  echo
  echo "| API keys in the config | requests/s |"
  echo "|---:|---:|"
  for k in "${ORDER[@]}"; do echo "| $k | ${RPS[$k]} |"; done
  echo
  echo "$KEYS keys / 1 key = **$(awk -v a="${RPS[$KEYS]}" -v b="${RPS[1]}" 'BEGIN {printf "%.2f", a/b}')**"
} | tee "$OUT"
echo
echo "written to ${OUT#$ROOT/}"
