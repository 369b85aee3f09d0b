#!/usr/bin/env bash
# Runs the filesystem benchmark the way bench/README.md reports it: a release
# build in build-bench/; nprocfs (default ttl), nprocfs -o ttl=0 and four
# nprocfs-bench-nullfs configurations mounted under one mktemp directory;
# the read, stat and scan tests at this machine's process count and with
# SPAWN extra sleeping processes; the smaps test (one process with MAPPINGS
# mappings: its stat/pid and one smaps value warm, the value after the TTL,
# /proc/<pid>/smaps read once as the floor); then the memory test on a fresh nprocfs
# mount: MEM_SPAWN sleeping processes, a whole-tree pass, and passes again
# and again for MEM_SECONDS while the daemon's VmRSS is sampled. Ends with a
# summary table. Needs root (FUSE mounts, tracefs).
#
#   bench/fs/run.sh                       # the full run: about 25 minutes
#   QUICK=1 bench/fs/run.sh               # fewer rounds, a 60 s memory loop
#   ROUNDS=31 SCAN_ROUNDS=15 SPAWN=2000 MEM_SPAWN=5000 MEM_SECONDS=600 MEM_FIRST_MAX=1800 bench/fs/run.sh
#
# Everything it mounts is unmounted, and every process it starts is ended,
# on any exit. Each benchmark process runs under timeout(1).
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.." || exit 1
if [ "${QUICK:-0}" = 1 ]; then
        ROUNDS=${ROUNDS:-11} SCAN_ROUNDS=${SCAN_ROUNDS:-5} MEM_SECONDS=${MEM_SECONDS:-60} EVERY=${EVERY:-10}
        TRACE_MS=${TRACE_MS:-1000} TTL_SAMPLES=${TTL_SAMPLES:-5}
fi
ROUNDS=${ROUNDS:-31}
SCAN_ROUNDS=${SCAN_ROUNDS:-15}
SPAWN=${SPAWN:-2000}
MEM_SPAWN=${MEM_SPAWN:-5000}
MEM_SECONDS=${MEM_SECONDS:-600}
MEM_FIRST_MAX=${MEM_FIRST_MAX:-1800} # how long the first whole pass may last
EVERY=${EVERY:-30}
TRACE_MS=${TRACE_MS:-2000}
TRACE=${TRACE:-1}
MAPPINGS=${MAPPINGS:-2000}
TTL_SAMPLES=${TTL_SAMPLES:-11}
BUILD=${BUILD:-build-bench}
OUT=${OUT:-$BUILD/bench-fs}

if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
        echo "run.sh: needs root, /dev/fuse and fusermount3" >&2
        exit 77
fi
if [ -f "$BUILD/build.ninja" ]; then
        meson setup --reconfigure "$BUILD" --buildtype=release -Dtests=false >/dev/null || exit 1
else
        meson setup "$BUILD" --buildtype=release -Dtests=false >/dev/null || exit 1
fi
ninja -C "$BUILD" bench/fs/nprocfs-bench-fs bench/fs/nprocfs-bench-nullfs src/fs/nprocfs >/dev/null || exit 1
BENCH=$BUILD/bench/fs/nprocfs-bench-fs
NULLFS=$BUILD/bench/fs/nprocfs-bench-nullfs
NPROCFS=$BUILD/src/fs/nprocfs
mkdir -p "$OUT"

# ---- mounts, and their end -------------------------------------------------
TOP=$(mktemp -d /tmp/nprocfs-bench-fs.XXXXXX) || exit 1
declare -A DAEMON      # mount name -> daemon pid
TRACEFS=""             # a tracefs this script mounted, if any

running() { # pid: alive and not yet a zombie (ours are reaped by wait only)
        local s
        s=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
        [ -n "$s" ] && [ "$s" != Z ]
}

unmount() { # name: unmount, then end the daemon (it exits once unmounted)
        local m=$TOP/$1 pid=${DAEMON[$1]:-} i
        mountpoint -q "$m" && fusermount3 -u "$m" 2>/dev/null
        if [ -n "$pid" ]; then
                for i in $(seq 50); do running "$pid" || break; sleep 0.1; done
                if running "$pid"; then
                        kill -TERM "$pid" 2>/dev/null
                        for i in $(seq 30); do running "$pid" || break; sleep 0.1; done
                        running "$pid" && kill -KILL "$pid" 2>/dev/null
                fi
                wait "$pid" 2>/dev/null
        fi
        mountpoint -q "$m" && fusermount3 -u -z "$m" 2>/dev/null
        rmdir "$m" 2>/dev/null
        unset "DAEMON[$1]"
}

cleanup() {
        local name
        for name in "${!DAEMON[@]}"; do unmount "$name"; done
        # the benchmark removes its tracefs instance, unless it was killed:
        # one whose process is gone is a leftover
        local inst
        [ -n "${TRACE_DIR:-}" ] && for inst in "$TRACE_DIR"/instances/nprocfs-bench-fs-*; do
                [ -d "$inst" ] && ! kill -0 "${inst##*-}" 2>/dev/null && rmdir "$inst"
        done
        if [ -n "$TRACEFS" ]; then
                umount "$TRACEFS" 2>/dev/null
                rmdir "$TRACEFS" 2>/dev/null
        fi
        rmdir "$TOP" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_fs() { # name program options...: mounts $TOP/name in the foreground, in the background
        local name=$1 prog=$2 i
        shift 2
        mkdir -p "$TOP/$name"
        "$prog" -f "$@" "$TOP/$name" 2>"$OUT/daemon-$name.log" &
        DAEMON[$name]=$!
        for i in $(seq 100); do
                mountpoint -q "$TOP/$name" && return 0
                kill -0 "${DAEMON[$name]}" 2>/dev/null || break
                sleep 0.1
        done
        echo "run.sh: $prog did not mount $TOP/$name; see $OUT/daemon-$name.log" >&2
        exit 1
}

if [ "$TRACE" = 1 ]; then
        if [ -d /sys/kernel/tracing/events/fuse ]; then
                TRACE_DIR=/sys/kernel/tracing
        elif grep -qw tracefs /proc/filesystems && TRACEFS=$(mktemp -d /tmp/nprocfs-bench-tracefs.XXXXXX) &&
                mount -t tracefs nodev "$TRACEFS" 2>/dev/null && [ -d "$TRACEFS/events/fuse" ]; then
                TRACE_DIR=$TRACEFS
        else
                echo "run.sh: no tracefs with fuse events: no request counts" >&2
                TRACE_DIR=""
        fi
fi
trace_args=()
[ -n "${TRACE_DIR:-}" ] && trace_args=(--trace "$TRACE_DIR" --trace-ms "$TRACE_MS")

mount_fs nullfs "$NULLFS"
mount_fs nullfs-cache "$NULLFS" -o keep_cache
mount_fs nullfs-best "$NULLFS" -o entry_timeout=3600,attr_timeout=3600,keep_cache,noflush
mount_fs nullfs-t0 "$NULLFS" -o entry_timeout=0,attr_timeout=0
mount_fs nprocfs "$NPROCFS"
mount_fs nprocfs-cold "$NPROCFS" -o ttl=0
mounts=()
for name in nullfs nullfs-cache nullfs-best nullfs-t0 nprocfs nprocfs-cold; do mounts+=("--$name" "$TOP/$name"); done

# ---- timed runs ----------------------------------------------------------
for spawn in 0 "$SPAWN"; do
        log=$OUT/time-$spawn.txt
        echo "== $BENCH --rounds $ROUNDS --scan-rounds $SCAN_ROUNDS --spawn $spawn"
        timeout -k 30 3600 "$BENCH" "${mounts[@]}" "${trace_args[@]}" --rounds "$ROUNDS" \
                --scan-rounds "$SCAN_ROUNDS" --spawn "$spawn" | tee "$log"
        echo
done

# ---- smaps: one value of a process with MAPPINGS mappings ---------------------
log=$OUT/smaps.txt
echo "== $BENCH --tests smaps --mappings $MAPPINGS --rounds $ROUNDS --ttl-samples $TTL_SAMPLES"
timeout -k 30 1800 "$BENCH" --tests smaps --nprocfs "$TOP/nprocfs" --nprocfs-cold "$TOP/nprocfs-cold" \
        --mappings "$MAPPINGS" --rounds "$ROUNDS" --ttl-samples "$TTL_SAMPLES" | tee "$log"
echo
for name in nullfs nullfs-cache nullfs-best nullfs-t0 nprocfs nprocfs-cold; do unmount "$name"; done

# ---- memory: a fresh daemon, MEM_SPAWN more processes, the whole tree --------
mount_fs mem "$NPROCFS"
log=$OUT/mem.txt
echo "== $BENCH --tests walk --spawn $MEM_SPAWN --walk-seconds $MEM_SECONDS --every $EVERY"
timeout -k 30 $((MEM_SECONDS + MEM_FIRST_MAX + 600)) "$BENCH" --tests walk --nprocfs "$TOP/mem" --daemon-pid "${DAEMON[mem]}" \
        --spawn "$MEM_SPAWN" --first-pass-max "$MEM_FIRST_MAX" --walk-seconds "$MEM_SECONDS" --every "$EVERY" | tee "$log"
unmount mem
echo

# ---- summary --------------------------------------------------------------------
val() { # log test mode field: 3 = us, 4 = x nullfs
        awk -v t="$2" -v m="$3" -v f="$4" '$1 == t && $2 == m { print $f; exit }' "$1"
}
vs() { # log test mode: the median per-round ratio to nullfs-cache
        awk -v t="$2" -v m="$3" '$1 == "vs" && $2 == t && $3 == m && $4 == "nullfs-cache" { print $5; exit }' "$1"
}
reqs() { # log test mode: the FUSE requests per operation
        awk -v t="$2" -v m="$3" '$1 == "requests" && $2 == t && $3 == m {
                s = ""; for (i = 6; i <= NF; i++) s = s " " $i; print s; exit }' "$1"
}
procs() { sed -n 's/^scan: \([0-9.]*\)\.\.\([0-9.]*\) processes.*/\2/p' "$1"; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else printf "-" }'; }
verdict() { # value op limit
        awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { if (v == "" || v == "-") print "?";
                else if ((op == "<=" && v <= l) || (op == "<" && v < l)) print "met"; else print "MISSED" }'
}

small=$OUT/time-0.txt large=$OUT/time-$SPAWN.txt
echo "== summary: $(date -u +%Y-%m-%d), kernel $(uname -r), $(nproc) CPUs, $ROUNDS rounds (scan $SCAN_ROUNDS), medians"
echo "read: open + read to EOF + close of <pid>/stat/utime_ns, us/op, and x nullfs (plain)"
printf '  %-13s %12s %9s %12s %9s   %s\n' mode "us (+0)" "x nullfs" "us (+$SPAWN)" "x nullfs" "FUSE requests per op (+0)"
for m in proc nullfs nullfs-cache nullfs-best nullfs-t0 nprocfs nprocfs-self nprocfs-cold; do
        printf '  %-13s %12s %9s %12s %9s  %s\n' "$m" "$(val "$small" read "$m" 3)" "$(val "$small" read "$m" 4)" \
                "$(val "$large" read "$m" 3)" "$(val "$large" read "$m" 4)" "$(reqs "$small" read "$m")"
done
echo "stat: stat() of the same entry, us/op"
printf '  %-13s %12s %9s %12s %9s   %s\n' mode "us (+0)" "x nullfs" "us (+$SPAWN)" "x nullfs" "FUSE requests per op (+0)"
for m in proc nullfs nullfs-t0 nprocfs nprocfs-cold; do
        printf '  %-13s %12s %9s %12s %9s  %s\n' "$m" "$(val "$small" stat "$m" 3)" "$(val "$small" stat "$m" 4)" \
                "$(val "$large" stat "$m" 3)" "$(val "$large" stat "$m" 4)" "$(reqs "$small" stat "$m")"
done
echo "scan: readdir + 8 stat values of every process, us/process ($(procs "$small") and $(procs "$large") processes);"
echo "  x nullfs: to nullfs plain; x cache: to nullfs-cache (-o keep_cache, otherwise libfuse's defaults)"
printf '  %-13s %12s %9s %8s %12s %9s %8s %10s   %s\n' mode "us (+0)" "x nullfs" "x cache" "us (+$SPAWN)" "x nullfs" \
        "x cache" "+$SPAWN/+0" "FUSE requests per process (+$SPAWN)"
for m in proc nullfs nullfs-cache nullfs-best nprocfs nprocfs-cold; do
        printf '  %-13s %12s %9s %8s %12s %9s %8s %10s  %s\n' "$m" "$(val "$small" scan "$m" 3)" \
                "$(val "$small" scan "$m" 4)" "$(vs "$small" scan "$m")" "$(val "$large" scan "$m" 3)" \
                "$(val "$large" scan "$m" 4)" "$(vs "$large" scan "$m")" \
                "$(div "$(val "$large" scan "$m" 3)" "$(val "$small" scan "$m" 3)")" "$(reqs "$large" scan "$m")"
done
sm=$OUT/smaps.txt
echo "smaps: one process with $MAPPINGS mappings, us/op; ratio: to the mode in \"to\" (the floor after the TTL:"
echo "  lib-parse when the library parses smaps, else proc-read, a plain read())"
grep -E '^(smaps: pid|library smaps parse|smaps: not in the tree|smaps: value)' "$sm" | sed 's/^/  /'
awk '$1 == "smaps" { printf "  %-11s %10s %8s  %s\n", $2, $3, $4, $3 == "-" ? "(skipped)" : $6 }' "$sm"
mem=$(grep '^walk summary:' "$OUT/mem.txt")
kib() { sed -n "s/.* $1=\([-0-9.]*\).*/\1/p" <<<"$mem"; }
mib() { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.1f", k / 1024 }'; }
sample() { # when field: a field of the walk's sample taken "when"
        awk -v w="$1" -v f="$2" '$1 == "rss" && index($0, w) { for (i = 2; i <= NF; i++) if (index($i, f "=") == 1) {
                sub(/^[^=]*=/, "", $i); print $i; exit } }' "$OUT/mem.txt"
}
pass1=$(sed -n 's/^pass 1: \([0-9]*\) files, \([0-9]*\) directories.*, \([0-9.]*\) s, \([0-9.]*\) us\/file/\1 \2 \3 \4/p' "$OUT/mem.txt")
read -r p1files p1dirs p1s p1us <<<"$pass1"
echo "memory: a fresh nprocfs, every file of the tree read, at $(kib tasks) tasks"
printf '  after one 8-value scan: VmRSS %s MiB, %s nodes\n' "$(mib "$(sample 'after one 8-value scan' rss_kib)")" \
        "$(sample 'after one 8-value scan' nodes)"
printf '  first pass: %s files, %s directories, %s s (%s us/file); %s nodes after it\n' "${p1files:--}" \
        "${p1dirs:--}" "${p1s:--}" "${p1us:--}" "$(sample 'after the first pass' nodes)"
printf '  daemon VmRSS MiB: after the first pass %s, end %s, max %s; slope %s KiB/min over %s s (%s passes)\n' \
        "$(mib "$(kib rss_first_pass_kib)")" "$(mib "$(kib rss_end_kib)")" "$(mib "$(kib rss_max_kib)")" \
        "$(kib slope_kib_per_min)" "$(kib loop_s)" "$(kib passes)"
printf '  kernel fuse_inode slab: +%s MiB over the first pass; daemon CPU while idle afterwards: %s%%\n' \
        "$(mib "$(awk -v a="$(sample 'after the first pass' kernel_fuse_inode_kib)" \
                -v b="$(sample 'before the walk' kernel_fuse_inode_kib)" 'BEGIN { print a - b }')")" \
        "$(kib idle_cpu_pct)"
echo "targets:"
w=$(val "$small" read nprocfs 4) s0=$(val "$small" scan nprocfs 4) s1=$(val "$large" scan nprocfs 4)
c0=$(vs "$small" scan nprocfs) c1=$(vs "$large" scan nprocfs)
flat=$(div "$(val "$large" scan nprocfs 3)" "$(val "$small" scan nprocfs 3)")
printf '  warm read <= 1.2x nullfs: %s (%s)\n' "$w" "$(verdict "$w" '<=' 1.2)"
printf '  scan <= 1.0x nullfs: %s at +0 (%s), %s at +%s (%s)\n' "$s0" "$(verdict "$s0" '<=' 1.0)" "$s1" "$SPAWN" \
        "$(verdict "$s1" '<=' 1.0)"
printf '  scan <= 1.0x nullfs-cache: %s at +0 (%s), %s at +%s (%s)\n' "${c0:--}" "$(verdict "$c0" '<=' 1.0)" \
        "${c1:--}" "$SPAWN" "$(verdict "$c1" '<=' 1.0)"
printf '  scan flat, +%s over +0 <= 1.2x: %s (%s)\n' "$SPAWN" "$flat" "$(verdict "$flat" '<=' 1.2)"
if grep -q '^smaps: not in the tree yet' "$sm"; then
        echo "  smaps: not in the tree yet (warm smaps value <= 1.5x stat/pid, after the TTL <= 2x the floor: not measured)"
else
        sw=$(val "$sm" smaps value-warm 4) st=$(val "$sm" smaps value-ttl 4) sf=$(val "$sm" smaps value-ttl 6)
        printf '  smaps value, warm, <= 1.5x <pid>/stat/pid: %s (%s)\n' "${sw:--}" "$(verdict "$sw" '<=' 1.5)"
        [ "$sf" = proc-read ] && sf="proc-read (plain read: the library has no smaps parse yet)"
        printf '  smaps value after the TTL <= 2x %s: %s (%s)\n' "${sf:-the floor}" "${st:--}" "$(verdict "$st" '<=' 2)"
fi
printf '  RSS < 64 MiB at %s tasks: max %s MiB (%s)\n' "$(kib tasks)" "$(mib "$(kib rss_max_kib)")" \
        "$(verdict "$(mib "$(kib rss_max_kib)")" '<' 64)"
echo "  RSS not growing: see the slope, and $OUT/mem.txt for every sample"
