#!/usr/bin/env bash
# The daemon under valgrind through a scan and an unmount, over a snapshot
# and over the live /proc: any memory error, or any leak once it has
# unmounted, fails (valgrind's exit status is the daemon's).
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd valgrind python3

LAUNCH="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 --quiet"
MOUNT_WAIT=120

# the whole tree read, listed, stat'ed, compared to nprocfs-dump; xattrs,
# links, lookups of names that are not there
LAUNCH=$LAUNCH start_fs --root "$FIXTURES/linux-6.18"
python3 "$FS_TESTS/tree.py" compare "$MNT" "$FIXTURES/linux-6.18" "$NPROCFS_DUMP" >/dev/null ||
        fail "tree differs from nprocfs-dump under valgrind"
ls -lR "$MNT" >/dev/null 2>&1
getfattr -R -d -m - "$MNT/10324" >/dev/null 2>&1
readlink "$MNT/self" "$MNT/thread-self" >/dev/null
python3 "$FS_TESTS/tree.py" agree "$MNT" "" 10330/task >/dev/null || fail "lookup and readdir disagree"
stop_fs

# the live tree: a few processes read whole, with processes exiting, then
# a sweep (the daemon drops expired parses once a second) before unmounting
LAUNCH=$LAUNCH start_fs -o ttl=0
sleep 30 &
SP=$!
for d in self $SP 1 meminfo stat loadavg; do
        find "$MNT/$d/" -type f -exec cat {} + >/dev/null 2>&1
done
ls -l "$MNT" >/dev/null
kill $SP
wait $SP 2>/dev/null
sleep 2.5
cat "$MNT/$SP/stat/comm" >/dev/null 2>&1 && fail "$SP read after it exited"
ls "$MNT/self/task/" >/dev/null
stop_fs TERM
grep -E "^==[0-9]+==" "$LOG" >&2

finish
