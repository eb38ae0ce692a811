#!/usr/bin/env bash
# Where a request's time and bytes go, per protocol: the gateway of bench/run.sh under the same wrk
# load, one JDK Flight Recorder recording (the JDK's `profile` settings) per row; writes, per row,
# where the event loops' CPU and bytes go (bench/ProfileSummary.java) and JFR's hot-methods,
# allocation-by-class and allocation-by-site views, and keeps the recordings (not committed; open
# them in JDK Mission Control for call trees).
#
#   bench/profile.sh [duration=20s] [connections=64] [rows="chat mcp a2a stream"]
source "$(dirname "$0")/lib.sh"
DURATION="${1:-20s}"
CONNECTIONS="${2:-64}"
read -r -a ROWS <<< "${3:-chat mcp a2a stream}"
O=${BENCH_PORT_OFFSET:-0}   # BENCH_PORT_OFFSET moves every port, for two runs side by side
UPSTREAM_PORT=$((19120 + O)) PROXY_PORT=$((19220 + O)) GATEWAY_PORT=$((19320 + O)) GATEWAY_MCP_PORT=$((19321 + O)) GATEWAY_A2A_PORT=$((19322 + O)) ADMIN_PORT=$((19420 + O))
export UPSTREAM_PORT PROXY_PORT GATEWAY_PORT GATEWAY_MCP_PORT GATEWAY_A2A_PORT ADMIN_PORT
bench_needs wrk nginx curl
bench_build
start_all

OUT="$ROOT/bench/results/profile-$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$OUT"
for row in "${ROWS[@]}"; do
  wrk_run "$BENCH_DIR/warm.txt" "${URL[$row.gateway]}" "$ROOT/bench/${SCRIPT[$row]}" 10s
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.start name=profile settings=profile > /dev/null
  wrk_run "$BENCH_DIR/$row.txt" "${URL[$row.gateway]}" "$ROOT/bench/${SCRIPT[$row]}" "$DURATION"
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.stop name=profile filename="$OUT/$row.jfr" > /dev/null
  {
    echo "# $row: $(wrk_rps "$BENCH_DIR/$row.txt") req/s under wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
    "$JAVA" "$ROOT/bench/ProfileSummary.java" "$OUT/$row.jfr" 10
    for view in hot-methods allocation-by-class allocation-by-site; do
      "$JAVA_HOME/bin/jfr" view --width 200 "$view" "$OUT/$row.jfr"
    done
  } > "$OUT/$row.txt"
  echo "$OUT/$row.txt"
done
