#!/usr/bin/env bash
# A live root whose files a container has covered: a procfs of its own with
# FIFOs bound over meminfo, stat, uptime and the status of a few processes,
# the way a container can cover the files of its /proc. Nothing may block:
# nprocfs-dump fails at once, the daemon answers EIO for each covered file,
# a dozen readers of FIFOs at the same time do not freeze the mount, and the
# files nothing covers (loadavg) read all along.
#
# Runs in a mount namespace of its own (unshare -m, made private), so that
# nothing mounted here shows outside and all of it goes with the test.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd unshare timeout
if [ -z "${NPROCFS_COVERED_NS:-}" ]; then
        NPROCFS_COVERED_NS=1 exec unshare -m bash "$0" "$@"
fi
mount --make-rprivate / || fail "mount --make-rprivate /"

SLEEPERS=() PROC=""
# the proc mount and the binds on it go before cleanup's rm -rf walks them
trap '[ -n "$PROC" ] && umount -l "$PROC"; kill "${SLEEPERS[@]}" 2>/dev/null; cleanup' EXIT
for i in 1 2 3 4 5 6 7 8; do
        sleep 300 &
        SLEEPERS+=("$!")
done

new_dir TOP
mkdir "$TOP/proc" && mkfifo "$TOP/fifo" || exit 1
mount -t proc proc "$TOP/proc" || {
        echo "!!! SKIPPED: cannot mount a procfs here" >&2
        [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
        exit 77
}
PROC=$TOP/proc
COVERED=(meminfo stat uptime)
for p in "${SLEEPERS[@]}"; do
        COVERED+=("$p/status")
done
for f in "${COVERED[@]}"; do
        mount --bind "$TOP/fifo" "$PROC/$f" || fail "mount --bind over $f"
done
[ -p "$PROC/meminfo" ] || fail "meminfo is not covered"

# the library, from the command line
out=$(timeout 10 "$NPROCFS_DUMP" --root "$PROC" meminfo 2>&1)
rc=$?
[ $rc -eq 124 ] && fail "nprocfs-dump meminfo hung"
if [ $rc -eq 0 ] || [[ "$out" != *"Input/output error"* ]]; then
        fail "nprocfs-dump meminfo: status $rc, '$out'"
fi
timeout 10 "$NPROCFS_DUMP" --root "$PROC" loadavg >/dev/null || fail "nprocfs-dump loadavg"

start_fs --root "$PROC" -o ttl=0
expect_errno meminfo/memtotal_bytes "Input/output error"
expect_errno "${SLEEPERS[0]}/status/name" "Input/output error"
timeout 10 cat "$MNT/loadavg/load1" >/dev/null || fail "loadavg/load1 after one covered file"

# a dozen readers of covered files at once, more than the daemon has
# threads: each gets its EIO, and the mount answers while they run
pids=()
for f in meminfo/memtotal_bytes stat/btime_unix_ns uptime/uptime_ns meminfo/memfree_bytes; do
        timeout 10 cat "$MNT/$f" >/dev/null 2>"$TOP/err.${#pids[@]}" &
        pids+=("$!")
done
for p in "${SLEEPERS[@]}"; do
        timeout 10 cat "$MNT/$p/status/name" >/dev/null 2>"$TOP/err.${#pids[@]}" &
        pids+=("$!")
done
timeout 10 cat "$MNT/loadavg/load1" >/dev/null || fail "loadavg/load1 while a dozen readers meet FIFOs"
for i in "${!pids[@]}"; do
        wait "${pids[$i]}"
        rc=$?
        if [ $rc -eq 124 ]; then
                fail "reader $i hung"
        elif [ $rc -eq 0 ] || ! grep -q "Input/output error" "$TOP/err.$i"; then
                fail "reader $i: status $rc, '$(cat "$TOP/err.$i")'"
        fi
done
timeout 10 cat "$MNT/loadavg/load1" >/dev/null || fail "loadavg/load1 after a dozen readers met FIFOs"
expect "${SLEEPERS[0]}/stat/pid" "${SLEEPERS[0]}"

finish
