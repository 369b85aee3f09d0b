#!/usr/bin/env bash
# The daemon under valgrind through a scan and an unmount, over a snapshot
# and over the live /proc: any memory error, or any leak once it has
# unmounted, fails (valgrind's exit status is the daemon's).
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd valgrind python3

LAUNCH="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 --quiet"
MOUNT_WAIT=120

# a whole tree read, listed, stat'ed, compared to nprocfs-dump; xattrs,
# links, lookups of names that are not there: the 2.6 snapshot has every
# shape (positional, keyed, tables, blocks, links, net/) in few entries
LAUNCH=$LAUNCH start_fs --root "$FIXTURES/linux-2.6"
python3 "$FS_TESTS/tree.py" compare "$MNT" "$FIXTURES/linux-2.6" "$NPROCFS_DUMP" >/dev/null ||
        fail "tree differs from nprocfs-dump under valgrind"
ls -lR "$MNT" >/dev/null 2>&1
getfattr -R -d -m - "$MNT/4242" >/dev/null 2>&1
readlink "$MNT/4242/exe" "$MNT/4242/cwd" >/dev/null
python3 "$FS_TESTS/tree.py" agree "$MNT" "" 4242 4242/fd net >/dev/null || fail "lookup and readdir disagree (2.6)"
stop_fs
# the 6.18 snapshot: what 2.6 has not (auxv, ns, mountinfo, tcp6, smaps_rollup,
# fdinfo's extras), and its self, thread-self
LAUNCH=$LAUNCH start_fs --root "$FIXTURES/linux-6.18"
for d in 10324/auxv 10324/ns 10324/mountinfo 10324/net 10324/smaps_rollup 10330/fd cpuinfo net; do
        find "$MNT/$d/" -type f -exec cat {} + >/dev/null 2>&1 || fail "$d under valgrind"
done
readlink "$MNT/self" "$MNT/thread-self" "$MNT/10324/exe" >/dev/null
getfattr -R -d -m - "$MNT/10324/ns" >/dev/null 2>&1
python3 "$FS_TESTS/tree.py" agree "$MNT" "" 10330/task 10324/net >/dev/null || fail "lookup and readdir disagree"
stop_fs
# the live tree: a few processes read whole, with processes exiting, then
# a sweep (the daemon drops expired parses once a second) before unmounting
LAUNCH=$LAUNCH start_fs -o ttl=0
sleep 300 &
SP=$!
# (not smaps, nor a whole process: at ttl=0 each value is a parse of its
# file, and under valgrind a process's smaps read value by value takes
# minutes)
for d in self/stat self/status self/fd self/ns self/smaps_rollup self/net/tcp $SP/stat $SP/status $SP/maps $SP/fd \
        $SP/task/$SP/stat 1/stat meminfo stat loadavg cpuinfo; do
        find "$MNT/$d/" -type f -exec cat {} + >/dev/null 2>&1
done
readlink "$MNT/self/exe" "$MNT/net" >/dev/null
ls -l "$MNT" >/dev/null
kill $SP
wait $SP 2>/dev/null
sleep 2.5
cat "$MNT/$SP/stat/comm" >/dev/null 2>&1 && fail "$SP read after it exited"
ls "$MNT/self/task/" >/dev/null
stop_fs TERM
grep -E "^==[0-9]+==" "$LOG" >&2

finish
