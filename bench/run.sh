#!/usr/bin/env bash
# Load benchmark: every row compares the gateway (whole governance chain on, started by
# bin/agentgateway with the JVM settings it ships) with nginx proxying the same exchange to the same
# upstream, measured in the same run in interleaved rounds (medians), so the ratios compare like
# with like on a shared, noisy machine. Rows: saturation throughput of an LLM chat, an MCP tools/call
# and an A2A message/send (wrk); latency at a fixed 1,000 req/s (hey); added time to first byte of a
# streamed chat (curl); gateway RSS after each row; bytes the JVM allocates per request (JFR);
# RSS with 2,000 streams held open; time from process start to /readyz 200, with and without the
# ahead-of-time cache. Prints the tables and writes them to bench/results/.
#
#   bench/run.sh [duration=10s] [connections=64] [rounds=3]
source "$(dirname "$0")/lib.sh"
DURATION="${1:-10s}"
CONNECTIONS="${2:-64}"
ROUNDS="${3:-3}"
RATE_WORKERS=10 RATE_PER_WORKER=100   # hey: 10 workers x 100 req/s = 1,000 req/s
STREAMS=2000
O=${BENCH_PORT_OFFSET:-0}   # BENCH_PORT_OFFSET moves every port, for two runs side by side
UPSTREAM_PORT=$((19100 + O)) PROXY_PORT=$((19200 + O)) GATEWAY_PORT=$((19300 + O)) GATEWAY_MCP_PORT=$((19301 + O)) GATEWAY_A2A_PORT=$((19302 + O)) ADMIN_PORT=$((19400 + O))
export UPSTREAM_PORT PROXY_PORT GATEWAY_PORT GATEWAY_MCP_PORT GATEWAY_A2A_PORT ADMIN_PORT
bench_needs wrk nginx hey curl ss
bench_build

start_all

ROWS=(chat mcp a2a)
declare -A LABEL=([chat]="LLM chat, whole chain" [mcp]="MCP tools/call" [a2a]="A2A message/send")
CONTENDERS=(direct nginx gateway)

# Warm every contender up (JIT, connection pools) before measuring anything.
for row in "${ROWS[@]}"; do
  for c in "${CONTENDERS[@]}"; do wrk_run "$BENCH_DIR/warm.txt" "${URL[$row.$c]}" "$ROOT/bench/${SCRIPT[$row]}" 5s; done
done
wrk_run "$BENCH_DIR/warm.txt" "${URL[stream.gateway]}" "$ROOT/bench/${SCRIPT[stream]}" 5s

# hey_run OUT URL: hey at a fixed rate (the chat request); writes each answer's seconds, one a line.
CHAT_BODY="$BENCH_DIR/chat.json"
sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$ROOT/bench/chat.lua" > "$CHAT_BODY"
STREAM_BODY="$BENCH_DIR/stream.json"
sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$ROOT/bench/chat-stream.lua" > "$STREAM_BODY"
hey_run() {
  hey -z "$DURATION" -c $RATE_WORKERS -q $RATE_PER_WORKER -m POST -T application/json -H "$AUTH" -D "$CHAT_BODY" -o csv "$2" \
    > "$1.csv"
  awk -F, 'NR>1 && $7!=200 {bad++} END {exit bad>0}' "$1.csv" || { echo "$2: non-200 answers at 1,000 req/s" >&2; exit 1; }
  awk -F, 'NR>1 {print $1}' "$1.csv" | sort -n > "$1"
}
# pct FILE Q: the Q-quantile (0..1) of the sorted seconds in FILE, in ms.
pct() { awk -v q="$2" '{a[NR]=$1} END {i=int(q*NR); if (i<q*NR) i++; if (i<1) i=1; printf "%.2f", a[i]*1000}' "$1"; }
# ttfb_run OUT URL: 100 streamed chats one after another on one connection; each one's ms from the
# request sent to the first byte of the answer.
ttfb_run() {
  local urls=() i
  for i in $(seq 1 100); do urls+=("${2}"); done
  curl -s -o /dev/null -H "$AUTH" -H 'content-type: application/json' -d @"$STREAM_BODY" \
    -w '%{stderr}%{http_code} %{time_pretransfer} %{time_starttransfer}\n' "${urls[@]}" 2> "$1.raw" > /dev/null
  awk '$1!=200 {bad++} END {exit bad>0}' "$1.raw" || { echo "$2: non-200 streamed answers" >&2; exit 1; }
  awk '{print $3-$2}' "$1.raw" | sort -n > "$1"
}

declare -A RSS
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r of $ROUNDS" >&2
  for row in "${ROWS[@]}"; do
    for c in "${CONTENDERS[@]}"; do
      wrk_run "$BENCH_DIR/$row.$c.$r.txt" "${URL[$row.$c]}" "$ROOT/bench/${SCRIPT[$row]}" "$DURATION"
    done
    RSS[$row]=$(rss_mb "$GATEWAY_PID")
  done
  for c in nginx gateway; do hey_run "$BENCH_DIR/rate.$c.$r" "${URL[chat.$c]}"; done
  RSS[rate]=$(rss_mb "$GATEWAY_PID")
  for c in nginx gateway; do ttfb_run "$BENCH_DIR/ttfb.$c.$r" "${URL[stream.$c]}"; done
done

# Bytes allocated per request: a JFR recording of per-thread allocation around one more wrk run of
# each row, the JVM's allocation rate divided by the request rate.
declare -A ALLOC
for row in "${ROWS[@]}" stream; do
  url="${URL[$row.gateway]}"
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.start name=alloc settings="$ROOT/bench/alloc.jfc" > /dev/null
  wrk_run "$BENCH_DIR/alloc.$row.txt" "$url" "$ROOT/bench/${SCRIPT[$row]}" 6s
  "$JAVA_HOME/bin/jcmd" "$GATEWAY_PID" JFR.stop name=alloc filename="$BENCH_DIR/alloc.$row.jfr" > /dev/null
  bps=$("$JAVA" "$ROOT/bench/AllocRate.java" "$BENCH_DIR/alloc.$row.jfr")
  ALLOC[$row]=$(awk -v b="$bps" -v r="$(wrk_rps "$BENCH_DIR/alloc.$row.txt")" 'BEGIN {printf "%.1f", b/r/1024}')
done
RSS[saturation]=$(rss_mb "$GATEWAY_PID")

# Streams held open: STREAMS connections, each with one streamed chat the slow upstream never ends.
wrk -t$THREADS -c$STREAMS -d20s --timeout 60s -s "$ROOT/bench/stream.lua" "${URL[chat.gateway]}" > "$BENCH_DIR/streams.txt" 2>&1 &
streams_pid=$!
sleep 15
OPEN=$(ss -Htn state established "( dport = :${SLOW_UPSTREAM##*:} )" | wc -l)
RSS[streams]=$(rss_mb "$GATEWAY_PID")
wait "$streams_pid" || true
stop_gateway

# Ready in a second: process start (the launcher) to /readyz 200, all three listeners configured;
# with the ahead-of-time cache bin/agentgateway keeps in target/, and with it switched off.
declare -A READY
for mode in aot off; do
  READY[$mode]=$(for r in $(seq 1 "$ROUNDS"); do
    if [ $mode = off ]; then GATEWAY_JVM_OPTS="-XX:AOTMode=off" startup; else startup; fi
  done | median)
done

declare -A RPS P99
for row in "${ROWS[@]}"; do
  for c in "${CONTENDERS[@]}"; do
    RPS[$row.$c]=$(for r in $(seq 1 "$ROUNDS"); do wrk_rps "$BENCH_DIR/$row.$c.$r.txt"; done | median)
    P99[$row.$c]=$(for r in $(seq 1 "$ROUNDS"); do wrk_ms "$BENCH_DIR/$row.$c.$r.txt" 99%; done | median)
  done
done
declare -A LAT TTFB
for c in nginx gateway; do
  for q in 0.5 0.99 0.999; do
    LAT[$c.$q]=$(for r in $(seq 1 "$ROUNDS"); do pct "$BENCH_DIR/rate.$c.$r" $q; echo; done | median)
  done
  TTFB[$c]=$(for r in $(seq 1 "$ROUNDS"); do awk '{print $1*1000}' "$BENCH_DIR/ttfb.$c.$r"; done | median)
done
holds() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {ok = (op=="ge" ? a>=b : a<=b); print ok ? "holds" : "**missed**"}'; }

mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%dT%H%MZ).md"
{
  echo "## $(date -u '+%Y-%m-%d %H:%M') UTC — \`bench/run.sh $DURATION $CONNECTIONS $ROUNDS\`"
  echo
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average before the run $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | sed -n 2p); $(nginx -v 2>&1 | sed 's/.*: //'), $(nproc) workers; medians of $ROUNDS interleaved rounds."
  echo
  echo "Saturation (wrk -t$THREADS -c$CONNECTIONS -d$DURATION):"
  echo
  echo "| row | direct req/s | nginx req/s | gateway req/s | gateway / nginx | nginx p99 ms | gateway p99 ms | gateway RSS MiB | gateway KiB allocated / request |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for row in "${ROWS[@]}"; do
    echo "| ${LABEL[$row]} | ${RPS[$row.direct]} | ${RPS[$row.nginx]} | ${RPS[$row.gateway]} | **$(ratio "${RPS[$row.gateway]}" "${RPS[$row.nginx]}")** | ${P99[$row.nginx]} | ${P99[$row.gateway]} | ${RSS[$row]} | ${ALLOC[$row]} |"
  done
  echo
  echo "LLM chat at a fixed $((RATE_WORKERS * RATE_PER_WORKER)) req/s (hey -c $RATE_WORKERS -q $RATE_PER_WORKER -z $DURATION), gateway RSS after it ${RSS[rate]} MiB:"
  echo
  echo "| | p50 ms | p99 ms | p99.9 ms |"
  echo "|---|---:|---:|---:|"
  for c in nginx gateway; do echo "| $c | ${LAT[$c.0.5]} | ${LAT[$c.0.99]} | ${LAT[$c.0.999]} |"; done
  echo "| gateway / nginx | $(ratio "${LAT[gateway.0.5]}" "${LAT[nginx.0.5]}") | **$(ratio "${LAT[gateway.0.99]}" "${LAT[nginx.0.99]}")** | $(ratio "${LAT[gateway.0.999]}" "${LAT[nginx.0.999]}") |"
  echo
  added=$(awk -v g="${TTFB[gateway]}" -v n="${TTFB[nginx]}" 'BEGIN {printf "%.2f", g-n}')
  echo "Streamed chat, request sent to first byte (100 one after another on one connection, median): nginx ${TTFB[nginx]} ms, gateway ${TTFB[gateway]} ms, **added $added ms**; the gateway allocates ${ALLOC[stream]} KiB per streamed request."
  echo
  echo "Memory: gateway RSS ${RSS[saturation]} MiB after the saturation rows; **${RSS[streams]} MiB** with $STREAMS streams held open ($OPEN upstream connections open)."
  echo
  echo "Start: process start to \`/readyz\` 200 with all three listeners: **${READY[aot]} ms** with the ahead-of-time cache, ${READY[off]} ms without (median of $ROUNDS)."
  echo
  echo "| target | measured | |"
  echo "|---|---:|---|"
  echo "| LLM chat ≥ 0.8× nginx req/s | $(ratio "${RPS[chat.gateway]}" "${RPS[chat.nginx]}") | $(holds "$(ratio "${RPS[chat.gateway]}" "${RPS[chat.nginx]}")" ge 0.8) |"
  echo "| MCP tools/call ≥ 0.7× nginx req/s | $(ratio "${RPS[mcp.gateway]}" "${RPS[mcp.nginx]}") | $(holds "$(ratio "${RPS[mcp.gateway]}" "${RPS[mcp.nginx]}")" ge 0.7) |"
  echo "| A2A message/send ≥ 0.7× nginx req/s | $(ratio "${RPS[a2a.gateway]}" "${RPS[a2a.nginx]}") | $(holds "$(ratio "${RPS[a2a.gateway]}" "${RPS[a2a.nginx]}")" ge 0.7) |"
  echo "| p99 at 1,000 req/s ≤ 1.3× nginx | $(ratio "${LAT[gateway.0.99]}" "${LAT[nginx.0.99]}") | $(holds "$(ratio "${LAT[gateway.0.99]}" "${LAT[nginx.0.99]}")" le 1.3) |"
  p50add=$(awk -v g="${LAT[gateway.0.5]}" -v n="${LAT[nginx.0.5]}" 'BEGIN {printf "%.2f", g-n}')
  echo "| p50 at 1,000 req/s ≤ nginx + 0.2 ms | +$p50add ms | $(holds "$p50add" le 0.2) |"
  echo "| ≤ 4 KiB allocated per chat request | ${ALLOC[chat]} KiB | $(holds "${ALLOC[chat]}" le 4) |"
  echo "| streamed first byte ≤ 1 ms added | $added ms | $(holds "$added" le 1) |"
  echo "| RSS at saturation ≤ 512 MiB | ${RSS[saturation]} MiB | $(holds "${RSS[saturation]}" le 512) |"
  echo "| RSS with $STREAMS streams ≤ 600 MiB | ${RSS[streams]} MiB | $(holds "${RSS[streams]}" le 600) |"
  echo "| /readyz 200 ≤ 1 s after start | ${READY[aot]} ms | $(holds "${READY[aot]}" le 1000) |"
} | tee "$OUT"
echo
echo "written to ${OUT#$ROOT/}"
