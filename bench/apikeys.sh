#!/usr/bin/env bash
# Identity cost by key count: the same wrk load against the gateway (bench/gateway.yaml's whole
# chain) configured with 1 API key and with 500 API keys in 500 namespaces (the caller's key listed
# last), interleaved rounds in one run, so the ratio compares like with like on a noisy machine.
# Prints throughput and the 500-key / 1-key ratio, and writes them to bench/results/. Measured,
# never asserted: the target is a ratio of at least 0.95.
#
#   bench/apikeys.sh [duration=15s] [connections=64] [rounds=3] [keys=500]
source "$(dirname "$0")/lib.sh"
DURATION="${1:-15s}"
CONNECTIONS="${2:-64}"
ROUNDS="${3:-3}"
KEYS="${4:-500}"
O=${BENCH_PORT_OFFSET:-0}   # BENCH_PORT_OFFSET moves every port, for two runs side by side
UPSTREAM_PORT=$((19110 + O)) GATEWAY_PORT=$((19310 + O)) GATEWAY_MCP_PORT=$((19311 + O)) GATEWAY_A2A_PORT=$((19312 + O)) ADMIN_PORT=$((19410 + O))
export UPSTREAM_PORT GATEWAY_PORT GATEWAY_MCP_PORT GATEWAY_A2A_PORT ADMIN_PORT
bench_needs wrk nginx curl sha256sum
bench_build
start_nginx "$ROOT/bench/upstream.nginx.conf" upstream

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

URL="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"
ORDER=(1 "$KEYS")
for r in $(seq 1 "$ROUNDS"); do
  for k in "${ORDER[@]}"; do
    start_gateway "$BENCH_DIR/keys-$k.yaml"
    wrk_run "$BENCH_DIR/warm.txt" "$URL" "$ROOT/bench/chat.lua" 10s   # JIT and pools warm first
    wrk_run "$BENCH_DIR/keys-$k.$r.txt" "$URL" "$ROOT/bench/chat.lua" "$DURATION"
    stop_gateway
  done
done

declare -A RPS
for k in "${ORDER[@]}"; do
  RPS[$k]=$(for r in $(seq 1 "$ROUNDS"); do wrk_rps "$BENCH_DIR/keys-$k.$r.txt"; done | median)
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
  echo "$KEYS keys / 1 key = **$(ratio "${RPS[$KEYS]}" "${RPS[1]}")**"
} | tee "$OUT"
echo
echo "written to ${OUT#$ROOT/}"
