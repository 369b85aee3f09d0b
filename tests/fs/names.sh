#!/usr/bin/env bash
# The kernel's inodes the tree pins are bounded (-o names=N): after every
# file of 40 processes is read (some 15,000 names), the daemon has the
# kernel forget the processes read least recently, and the kernel's count
# of FUSE inodes falls back under the bound; what was forgotten reads
# right again. Counts the kernel's fuse_inode objects (/proc/slabinfo), so
# it runs alone.
. "$(dirname "$0")/lib.sh"
need_fuse
[ -r /proc/slabinfo ] || { echo "!!! SKIPPED: /proc/slabinfo is unreadable" >&2; [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1; exit 77; }

fuse_inodes() { awk '$1 == "fuse_inode" { print $2 }' /proc/slabinfo; }
for i in $(seq 40); do target "s$i" sleep 300; done
before=$(fuse_inodes)
start_fs -o names=2000
files=0 peak=0
for i in $(seq 40); do
        p=${TGT[s$i]}
        files=$((files + $(find "$MNT/$p" -type f -exec cat {} + 2>/dev/null | wc -l)))
        # the highest count seen: a slow read (a sanitized build) lets the
        # sweep trim while the reads go on
        n=$(fuse_inodes)
        [ "$n" -gt "$peak" ] && peak=$n
done
[ "$files" -gt 8000 ] || fail "read only $files values of 40 processes"
[ $((peak - before)) -gt 4000 ] || fail "the kernel held only $((peak - before)) more inodes: nothing to bound"
ok=0
for ((i = 0; i < 100; i++)); do # the sweep runs once a second
        now=$(fuse_inodes)
        [ $((now - before)) -le 2600 ] && { ok=1; break; }
        sleep 0.1
done
[ $ok = 1 ] || fail "the kernel still holds $((now - before)) of the tree's inodes (bound 2000, peak $((peak - before)))"
echo "kernel fuse_inode objects: $before before, +$((peak - before)) after the reads, +$((now - before)) after the sweep"
# forgotten, then read again: right values
p=${TGT[s1]}
[ "$(cat "$MNT/$p/stat/pid")" = "$p" ] || fail "$p/stat/pid after it was forgotten"
[ "$(cat "$MNT/$p/status/name")" = sleep ] || fail "$p/status/name after it was forgotten"
finish
