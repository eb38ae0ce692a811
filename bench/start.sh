#!/usr/bin/env bash
# Start time alone: process start (bin/agentgateway) to admin /readyz 200 on bench/gateway.yaml (all
# three listeners, the whole chain configured), with the ahead-of-time cache bin/agentgateway keeps
# in target/ and with it switched off, in interleaved rounds; prints each start's ms and the medians.
# The same measurement as the start row of bench/run.sh, without the load rows around it.
#
#   bench/start.sh [rounds=7]
# GATEWAY_JVM_OPTS adds JVM flags to every start (e.g. -Xlog:startuptime); BENCH_PORT_OFFSET moves
# the ports.
source "$(dirname "$0")/lib.sh"
ROUNDS="${1:-7}"
O=${BENCH_PORT_OFFSET:-0}
UPSTREAM_PORT=$((19100 + O)) GATEWAY_PORT=$((19300 + O)) GATEWAY_MCP_PORT=$((19301 + O)) GATEWAY_A2A_PORT=$((19302 + O)) ADMIN_PORT=$((19400 + O))
export UPSTREAM_PORT GATEWAY_PORT GATEWAY_MCP_PORT GATEWAY_A2A_PORT ADMIN_PORT
bench_needs curl
bench_build

# The first start after a build records the cache (in the background); wait for it.
start_gateway "$ROOT/bench/gateway.yaml"
stop_gateway
for _ in $(seq 1 600); do
  [ -z "$(find "$ROOT/target" -maxdepth 1 -name 'agentgateway-*.aot.*' -print -quit)" ] && break
  sleep 0.1
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
declare -A MS
for r in $(seq 1 "$ROUNDS"); do
  MS[aot]+="$(GATEWAY_JVM_OPTS="${GATEWAY_JVM_OPTS:-}" startup) "
  MS[off]+="$(GATEWAY_JVM_OPTS="${GATEWAY_JVM_OPTS:-} -XX:AOTMode=off" startup) "
done
for mode in aot off; do
  # shellcheck disable=SC2086 # one start's ms a word
  echo "$mode: median $(printf '%s\n' ${MS[$mode]} | median) ms (${MS[$mode]% })"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
