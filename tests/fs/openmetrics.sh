#!/usr/bin/env bash
# nprocfs-dump --openmetrics and --prometheus (no mount): what the
# reference parsers take. --openmetrics is read by prometheus_client's
# OpenMetrics parser (strict: one TYPE/UNIT/HELP per family, families not
# interleaved, counters ending in _total, units as name suffixes, # EOF);
# both by promtool check metrics. Expected values are the fixture lines, by
# hand.
. "$(dirname "$0")/lib.sh"
need_cmd promtool
# Debian's python3 has python3-prometheus-client; another python3 first in
# PATH (a pyenv) may not
PY=""
for p in python3 /usr/bin/python3; do
        if command -v "$p" >/dev/null && "$p" -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
                PY=$p
                break
        fi
done
if [ -z "$PY" ]; then
        echo "!!! SKIPPED: needs python3-prometheus-client" >&2
        [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
        exit 77
fi

# om WHAT PYTHON ARGS...: the --openmetrics output of ARGS parsed into
# `fams` (name -> family), then the Python statements run.
om() {
        local what=$1 code=$2 out rc
        shift 2
        new_dir out
        "$NPROCFS_DUMP" --openmetrics "$@" >"$out/om" 2>"$out/err"
        rc=$?
        [ "$rc" -eq 0 ] || fail "$what: exit status $rc: $(cat "$out/err")"
        lint "$what (OpenMetrics)" "$out/om" openmetrics
        CODE=$code "$PY" - "$out/om" <<'PY' || fail "$what"
import os, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = open(sys.argv[1], encoding="utf-8").read()
assert text.endswith("# EOF\n")
fams = {}
for f in text_string_to_metric_families(text):
    assert f.name not in fams, "family twice: " + f.name
    fams[f.name] = f
def value(family, **labels):
    got = [s for s in fams[family].samples if all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(got) == 1, (family, labels, got)
    return got[0].value
exec(os.environ["CODE"])
PY
}

# lint WHAT FILE FORM: promtool check metrics parses FILE and finds nothing
# to say but what two names the kernel chose bring (HugePages_Total,
# environ's count, as the tree names them) and, in OpenMetrics, that a
# counter's HELP is its family's (named without the _total its sample has,
# as OpenMetrics prescribes; promtool reads the Prometheus text format, in
# which a HELP names the sample). A line promtool cannot parse fails.
lint() {
        local what=$1 file=$2 form=$3 rc allowed
        allowed=$(dirname "$file")/allowed
        printf '%s\n' '^nprocfs_meminfo_hugepages_total non-counter metrics should not have "_total" suffix$' \
                '^nprocfs_environ_count non-histogram and non-summary metrics should not have "_count" suffix$' >"$allowed"
        if [ "$form" = openmetrics ]; then
                # the counters of this very output
                sed -n 's/^# TYPE \([a-z0-9_]*\) counter$/^\1_total no help text$/p' "$file" >>"$allowed"
        fi
        promtool check metrics <"$file" >"$file.lint" 2>&1
        rc=$?
        [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "$what: promtool cannot parse it (status $rc): $(head -5 "$file.lint")"
        if grep -v -f "$allowed" "$file.lint" | grep -q .; then
                fail "$what: promtool (status $rc): $(grep -v -f "$allowed" "$file.lint" | head -5)"
        fi
}

# prom WHAT ARGS...: the --prometheus output of ARGS, linted, with neither
# of OpenMetrics' own lines.
prom() {
        local what=$1 out rc
        shift
        new_dir out
        "$NPROCFS_DUMP" --prometheus "$@" >"$out/prom" 2>"$out/err"
        rc=$?
        [ "$rc" -eq 0 ] || fail "$what: exit status $rc: $(cat "$out/err")"
        lint "$what" "$out/prom" prometheus
        grep -q '^# EOF' "$out/prom" && fail "$what: # EOF in the Prometheus format"
        grep -q '^# UNIT' "$out/prom" && fail "$what: # UNIT in the Prometheus format"
}

# ---- linux-2.6 --------------------------------------------------------------
om "2.6 whole tree" '
m = fams["nprocfs_meminfo_memtotal_bytes"]
assert m.type == "gauge" and m.unit == "bytes"
assert value("nprocfs_meminfo_memtotal_bytes") == 2048000 * 1024             # MemTotal: 2048000 kB
u = fams["nprocfs_stat_utime_seconds"]
assert u.type == "counter" and u.unit == "seconds"
assert u.samples[0].name == "nprocfs_stat_utime_seconds_total"
assert value("nprocfs_stat_utime_seconds", pid="4242") == 2.5               # 250 ticks at 100/s
assert value("nprocfs_stat_utime_seconds", pid="4242", comm="my (odd) name") == 2.5
assert fams["nprocfs_stat_minflt"].type == "counter"
assert value("nprocfs_stat_minflt", pid="4242") == 1000
assert fams["nprocfs_io_rchar_bytes"].type == "counter" and fams["nprocfs_io_rchar_bytes"].unit == "bytes"
assert value("nprocfs_io_rchar_bytes", pid="4242") == 1048576               # rchar: 1048576
assert fams["nprocfs_status_vmrss_bytes"].type == "gauge"
assert value("nprocfs_status_vmrss_bytes", pid="4242") == 1200 * 1024       # VmRSS: 1200 kB
assert value("nprocfs_stat_user_seconds", cpu="cpu0") == 50                 # cpu0 5000 ... at 100/s
assert value("nprocfs_stat_user_seconds", cpu="cpu") == 80                  # cpu  8000
assert fams["nprocfs_stat_user_seconds"].type == "counter"
assert value("nprocfs_stat_ctxt") > 0 and fams["nprocfs_stat_ctxt"].type == "counter"
assert fams["nprocfs_stat_btime_unix_seconds"].type == "gauge"              # a time point
assert value("nprocfs_limits_soft", pid="4242", limit="max_open_files") == 1024   # Max open files 1024 4096
assert value("nprocfs_limits_hard", pid="4242", limit="max_open_files") == 4096
assert value("nprocfs_limits_soft_seconds", pid="4242", limit="max_cpu_time") == float("inf")  # unlimited
assert value("nprocfs_loadavg_load1") == 0.5                                # 0.50
st = fams["nprocfs_stat_state_info"]                                       # a gauge of 1, as node_exporter writes one
assert st.type == "gauge" and value("nprocfs_stat_state_info", pid="4242") == 1
assert [s.labels["state"] for s in st.samples if s.labels["pid"] == "4242"] == ["running"]  # R
assert not any(n.startswith("nprocfs_cmdline_") or n.startswith("nprocfs_status_groups") for n in fams if n != "nprocfs_cmdline_argc")
assert "nprocfs_status_sigcgt" not in fams                                  # a mask is no number
' --root "$FIXTURES/linux-2.6"
prom "2.6 whole tree" --root "$FIXTURES/linux-2.6"

# ---- linux-6.18 -------------------------------------------------------------
om "6.18 whole tree" '
assert value("nprocfs_meminfo_memtotal_bytes") == 24684096 * 1024           # MemTotal: 24684096 kB
assert value("nprocfs_status_vmrss_bytes", pid="10324", comm="sleep") == 1564 * 1024   # VmRSS: 1564 kB
assert value("nprocfs_status_kthread", pid="10324") == 0
assert value("nprocfs_uptime_uptime_seconds") > 0
' --root "$FIXTURES/linux-6.18"
prom "6.18 whole tree" --root "$FIXTURES/linux-6.18"
# a thread: pid and tid
om "6.18 thread" '
assert value("nprocfs_stat_utime_seconds", pid="10330", tid="10336", comm="nprocfs-w0") >= 0
' --root "$FIXTURES/linux-6.18" 10330/task/10336/stat

# ---- a comm with any byte is an escaped, valid UTF-8 label value -----------
new_dir O
cp -a "$FIXTURES/linux-2.6/." "$O/"
printf 'a"b\\c\377\n' >"$O/4242/comm"
om "odd comm" '
assert value("nprocfs_status_vmrss_bytes", pid="4242", comm="a\"b\\c\u00ff") == 1228800
' --root "$O" 4242/status 4242/status  # asked for twice: one series, once
prom "odd comm" --root "$O" 4242

# ---- the live /proc ----------------------------------------------------------
om "live self/status meminfo" '
for line in open("/proc/meminfo"):
    k, v = line.split(":", 1)
    if k == "MemTotal":
        assert value("nprocfs_meminfo_memtotal_bytes") == int(v.split()[0]) * 1024
assert value("nprocfs_status_vmrss_bytes", comm="nprocfs-dump") > 0
' self/status meminfo
om "live whole tree" 'assert len(fams) > 50' # every process: still one family each
prom "live whole tree"

# ---- errors: status 1, the rest still printed and ended --------------------
new_dir e
"$NPROCFS_DUMP" --openmetrics --root "$FIXTURES/hostile" >"$e/om" 2>"$e/err"
rc=$?
[ "$rc" -eq 1 ] || fail "hostile: exit status $rc, want 1"
[ "$(tail -1 "$e/om")" = "# EOF" ] || fail "hostile: no # EOF"
grep -q '^nprocfs_stat_utime_seconds_total{pid="100",comm="hostile"} 2.5$' "$e/om" || fail "hostile: 100/stat not printed"
finish
