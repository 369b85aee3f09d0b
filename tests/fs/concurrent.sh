#!/usr/bin/env bash
# Readers in several threads and processes walk the live tree and read
# every value while processes (some with threads) start and exit, with a
# short TTL and with none: no error but ENOENT (EACCES for the files /proc
# restricts), no crash, and a clean unmount.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3

for ttl in 20 0; do
        start_fs -o ttl=$ttl
        python3 "$FS_TESTS/tree.py" stress "$MNT" "${STRESS_SECONDS:-6}" || fail "readers saw errors (ttl=$ttl)"
        kill -0 "$DPID" 2>/dev/null || fail "nprocfs died (ttl=$ttl)"
        expect meminfo/memtotal_bytes "$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)"
        stop_fs
done

finish
