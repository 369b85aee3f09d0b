#!/usr/bin/env bash
# What huge source files cost the daemon, and for how long.
#
# A snapshot whose meminfo, 10322/stat and 10324/status are sparse 2 GiB
# files: every read is EIO, and as the library refuses them by their size
# before allocating, the daemon's memory does not move: its peak (VmHWM)
# stays under HWM_REFUSED and its RSS under RSS_AFTER. (Before, each worker
# grew a 128 MiB buffer for every such read and kept the one of the stat:
# a peak near 400 MiB, 133 MiB held for good.)
#
# (Left out in sanitized builds, whose allocator keeps what is freed.)
# A snapshot whose meminfo is 62 MiB of valid lines, just under the 64 MiB
# limit, with long keys (250 000 entries): it reads, costs one parse of a
# few times its size (HWM_HUGE), and once its snapshot is past the TTL and
# swept, the RSS is back under RSS_AFTER: no thread keeps its buffers.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd awk truncate

HWM_REFUSED=$((32 << 10)) RSS_AFTER=$((32 << 10)) HWM_HUGE=$((768 << 10)) # kB

kb() { # FIELD: the daemon's /proc/PID/status FIELD, in kB
        awk -v f="$1:" '$1 == f { print $2 }' "/proc/$DPID/status"
}

# ROUNDS x 10 readers at once of each FILE, each wanting an error (WANT)
# or a value.
readers() {
        local want=$1 f r i rc pids o
        shift
        for ((r = 0; r < 5; r++)); do
                pids=()
                for f in "$@"; do
                        for ((i = 0; i < 10; i++)); do
                                o=$OUT.${f//\//_}.$i
                                timeout 30 cat "$MNT/$f" >"$o.out" 2>"$o.err" &
                                pids+=("$!")
                        done
                done
                for i in "${pids[@]}"; do
                        wait "$i"
                        rc=$?
                        [ $rc -eq 124 ] && fail "a reader hung"
                done
        done
        for f in "$@"; do
                for ((i = 0; i < 10; i++)); do
                        o=$OUT.${f//\//_}.$i
                        if [ "$want" = EIO ]; then
                                grep -q "Input/output error" "$o.err" || fail "$f: '$(cat "$o.out" "$o.err")', want EIO"
                        else
                                [ "$(cat "$o.out")" = "$want" ] || fail "$f: '$(cat "$o.out" "$o.err")', want $want"
                        fi
                done
        done
}

new_dir TMPOUT
OUT=$TMPOUT/r

# --- over the limit: refused by size ------------------------------------
new_dir ROOT
cp -a "$FIXTURES/linux-6.18/." "$ROOT/"
truncate -s 2G "$ROOT/meminfo" "$ROOT/10322/stat" "$ROOT/10324/status"
start_fs --root "$ROOT" -o ttl=1000
readers EIO meminfo/memtotal_bytes 10322/stat/pid 10324/status/name
expect loadavg/load1 0.39 # fixtures/linux-6.18/loadavg: "0.39 0.12 0.04 ..."
hwm=$(kb VmHWM) rss=$(kb VmRSS)
echo "2 GiB sources: VmHWM $hwm kB, VmRSS $rss kB"
[ "$hwm" -lt "$HWM_REFUSED" ] || fail "2 GiB sources: VmHWM $hwm kB, want under $HWM_REFUSED kB"
[ "$rss" -lt "$RSS_AFTER" ] || fail "2 GiB sources: VmRSS $rss kB, want under $RSS_AFTER kB"
stop_fs

# --- just under the limit: read, then given back -----------------------
if [ "${NPROCFS_SANITIZED:-0}" = 1 ]; then
        # ASan's quarantine keeps freed blocks, and its parse of 62 MiB is slow
        echo "sanitized build: the 62 MiB part is left out"
        finish
fi
new_dir HUGE
cp -a "$FIXTURES/linux-6.18/." "$HUGE/"
key=$(printf 'k%.0s' {1..230})
awk -v k="$key" 'BEGIN { for (i = 0; i < 250000; i++) printf "X%s%07d:   %8d kB\n", k, i, i }' >>"$HUGE/meminfo"
# one parse for every round of readers: a TTL longer than the rounds take,
# even on a loaded machine (with a short one, a slow round outlives the
# TTL, a second parse runs while the first snapshot is still read, and the
# peak is two parses')
start_fs --root "$HUGE" -o ttl=8000
readers 25276514304 meminfo/memtotal_bytes
hwm=$(kb VmHWM)
sleep 10 # past the TTL, and a sweep (once a second) after it
rss=$(kb VmRSS)
echo "62 MiB meminfo: VmHWM $hwm kB, VmRSS $rss kB after the sweep"
[ "$hwm" -lt "$HWM_HUGE" ] || fail "62 MiB meminfo: VmHWM $hwm kB, want under $HWM_HUGE kB"
[ "$rss" -lt "$RSS_AFTER" ] || fail "62 MiB meminfo: VmRSS $rss kB after the sweep, want under $RSS_AFTER kB"

finish
