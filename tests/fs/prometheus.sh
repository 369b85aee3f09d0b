#!/usr/bin/env bash
# The metrics read back by Prometheus itself, the way a fleet would: the
# Prometheus text form written for node_exporter's textfile collector
# (which reads that format, not OpenMetrics: it rejects the OpenMetrics
# counter and info families), Debian's node_exporter and Prometheus started
# by hand on free ports of 127.0.0.1 (never the packaged services, never
# 9090/9100), Prometheus scraping every second; then its HTTP API must give
# a sleep's resident memory and the machine's total memory exactly as
# /proc has them. Both servers are stopped by their pids, all files removed.
. "$(dirname "$0")/lib.sh"
need_cmd prometheus prometheus-node-exporter curl python3
WAIT=${PROMETHEUS_WAIT:-60}

free_port() { # a port nothing listens on now
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# get URL: the body, from 127.0.0.1 only (no proxy)
get() {
        curl -fsS --noproxy '*' --max-time 5 "$@"
}

# ---- what is measured ------------------------------------------------------
sleep 1000 &
SLEEP=$!
DAEMONS+=("$SLEEP")
for ((i = 0; i < 100; i++)); do # until it is sleep and not this shell's fork
        [ "$(cat "/proc/$SLEEP/comm" 2>/dev/null)" = sleep ] && break
        sleep 0.05
done
kb() { awk -v k="$1:" '$1 == k { print $2 }' "$2"; }
rss=$(($(kb VmRSS "/proc/$SLEEP/status") * 1024))
total=$(($(kb MemTotal /proc/meminfo) * 1024))

new_dir T
"$NPROCFS_DUMP" --prometheus "$SLEEP/status" meminfo >"$T/nprocfs.prom.tmp" || fail "nprocfs-dump: status $?"
mv "$T/nprocfs.prom.tmp" "$T/nprocfs.prom"

# ---- node_exporter: the textfile collector only ------------------------------
new_dir W
NE_PORT=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$NE_PORT" --collector.disable-defaults \
        --collector.textfile --collector.textfile.directory="$T" 2>"$W/node-exporter.log" &
NE=$!
DAEMONS+=("$NE")

# ---- Prometheus, scraping it every second ------------------------------------
P_PORT=$(free_port)
cat >"$W/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: nprocfs
    static_configs:
      - targets: ["127.0.0.1:$NE_PORT"]
EOF
prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/data" \
        --web.listen-address="127.0.0.1:$P_PORT" 2>"$W/prometheus.log" &
PR=$!
DAEMONS+=("$PR")

# query PROMQL: the value of its one result, or nothing yet
query() {
        local body
        body=$(get "http://127.0.0.1:$P_PORT/api/v1/query" --data-urlencode "query=$1" 2>/dev/null) || return 0
        python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
if len(r) == 1:
    print(r[0]["value"][1])
elif r:
    sys.exit("more than one series: %r" % r)' <<<"$body"
}

got_rss="" got_total=""
for ((i = 0; i < WAIT * 2; i++)); do
        kill -0 "$NE" 2>/dev/null || break
        kill -0 "$PR" 2>/dev/null || break
        got_rss=$(query "nprocfs_status_vmrss_bytes{pid=\"$SLEEP\",comm=\"sleep\"}")
        got_total=$(query "nprocfs_meminfo_memtotal_bytes")
        [ -n "$got_rss" ] && [ -n "$got_total" ] && break
        sleep 0.5
done
if [ -z "$got_rss" ] || [ -z "$got_total" ]; then
        fail "Prometheus has no nprocfs metrics after ${WAIT}s (rss '$got_rss', total '$got_total')"
        echo "--- node_exporter says:" >&2
        tail -20 "$W/node-exporter.log" >&2
        get "http://127.0.0.1:$NE_PORT/metrics" 2>&1 | grep -i -e nprocfs -e textfile | head -20 >&2
        echo "--- prometheus says:" >&2
        tail -20 "$W/prometheus.log" >&2
else
        [ "$got_rss" = "$rss" ] || fail "VmRSS of sleep $SLEEP: Prometheus has $got_rss, /proc $rss"
        [ "$got_total" = "$total" ] || fail "MemTotal: Prometheus has $got_total, /proc $total"
        # a counter keeps its type through node_exporter
        t=$(get "http://127.0.0.1:$P_PORT/api/v1/metadata?metric=nprocfs_status_voluntary_ctxt_switches_total")
        [[ "$t" == *'"type":"counter"'* ]] || fail "voluntary_ctxt_switches is no counter in Prometheus: $t"
fi
# node_exporter reports a textfile it could not read as an error metric
errs=$(get "http://127.0.0.1:$NE_PORT/metrics" | awk '$1 == "node_textfile_scrape_error" { print $2 }')
[ "$errs" = 0 ] || fail "node_textfile_scrape_error is '$errs': $(tail -5 "$W/node-exporter.log")"

# ---- stopped by pid, and gone -------------------------------------------------
for p in "$PR" "$NE" "$SLEEP"; do
        kill "$p" 2>/dev/null
done
for p in "$PR" "$NE" "$SLEEP"; do
        for ((i = 0; i < 100; i++)); do
                kill -0 "$p" 2>/dev/null || break
                sleep 0.1
        done
        kill -0 "$p" 2>/dev/null && fail "pid $p still running 10 s after SIGTERM"
        wait "$p" 2>/dev/null
done
finish
