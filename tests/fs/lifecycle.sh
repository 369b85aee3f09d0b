#!/usr/bin/env bash
# The daemon's life: SIGTERM, SIGINT and fusermount3 -u each unmount and
# end it with status 0, leaving no mount and no process; writes, creates,
# renames and deletes are refused; --help, --version and bad options; the
# daemon mode (no -f) mounts, serves and ends on unmount.
. "$(dirname "$0")/lib.sh"
need_fuse

for how in TERM INT umount; do
        start_fs --root "$FIXTURES/linux-2.6"
        expect meminfo/memtotal_bytes 2097152000
        pid=$DPID mnt=$MNT
        stop_fs $how
        kill -0 "$pid" 2>/dev/null && fail "$how: nprocfs ($pid) still running"
        is_mounted "$mnt" && fail "$how: still mounted"
        grep -q "unmounting" "$mnt.log" || [ $how = umount ] || fail "$how: no log line"
done

# an unmount while a reader is in the middle of a walk
start_fs -o ttl=0
(find "$MNT" -type f -exec cat {} + >/dev/null 2>&1 &)
sleep 0.5
stop_fs TERM

# nothing changes the tree
start_fs --root "$FIXTURES/linux-2.6"
refused() { # description, command...
        local what=$1 out
        shift
        if out=$("$@" 2>&1); then
                fail "$what: allowed"
        elif [[ "$out" != *"Read-only file system"* && "$out" != *"Permission denied"* ]]; then
                fail "$what: '$out'"
        fi
}
refused "write" sh -c "echo 1 >'$MNT/meminfo/memtotal_bytes'"
refused "append" sh -c "echo 1 >>'$MNT/meminfo/memtotal_bytes'"
refused "truncate" truncate -s 0 "$MNT/meminfo/memtotal_bytes"
refused "create" touch "$MNT/meminfo/new"
refused "mkdir" mkdir "$MNT/new"
refused "rm" rm -f "$MNT/meminfo/memtotal_bytes"
refused "rmdir" rmdir "$MNT/4242/task/4242"
refused "mv" mv "$MNT/meminfo/memtotal_bytes" "$MNT/meminfo/x"
refused "ln" ln -s x "$MNT/meminfo/y"
refused "chmod" chmod 777 "$MNT/meminfo/memtotal_bytes"
refused "touch" touch "$MNT/meminfo/memtotal_bytes"
if command -v setfattr >/dev/null; then
        refused "setfattr" setfattr -n user.x -v 1 "$MNT/meminfo/memtotal_bytes"
fi
expect meminfo/memtotal_bytes 2097152000
[ "$(stat -f -c %T "$MNT")" = fuseblk ] || [ "$(stat -f -c %T "$MNT")" = fuse ] || fail "statfs type $(stat -f -c %T "$MNT")"
df "$MNT" >/dev/null || fail "df"
stop_fs

# options
out=$("$NPROCFS" --help 2>&1) || fail "--help exited $?"
[[ "$out" == *"--root DIR"* && "$out" == *"ttl=MS"* && "$out" == *"allow_other"* ]] || fail "--help: $out"
out=$("$NPROCFS" --version 2>&1) || fail "--version exited $?"
[[ "$out" == "nprocfs "* ]] || fail "--version: $out"
new_dir m
"$NPROCFS" -f --no-such-option "$m" >/dev/null 2>&1 && fail "a bad option was accepted"
"$NPROCFS" -f --root /nonexistent "$m" >/dev/null 2>&1 && fail "a missing root was accepted"
"$NPROCFS" -f -o no_such_fuse_option "$m" >/dev/null 2>&1 && fail "a bad -o was accepted"
"$NPROCFS" >/dev/null 2>&1 && fail "no mount point was accepted"
is_mounted "$m" && fail "a failed start left a mount"

# daemon mode: returns once mounted; the daemon ends when unmounted
new_dir m
"$NPROCFS" --root "$FIXTURES/linux-2.6" "$m" || fail "daemon mode: exit $?"
is_mounted "$m" || fail "daemon mode: not mounted"
MNT=$m
expect 4242/stat/utime_ns 2500000000
daemon=""
for p in /proc/[0-9]*; do # the one process serving this very mount point
        if tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qxF "$m"; then
                daemon=${p#/proc/}
        fi
done
[ -n "$daemon" ] || fail "daemon mode: no daemon process found"
fusermount3 -u "$m" || fail "daemon mode: fusermount3 -u"
for ((i = 0; i < 100; i++)); do
        [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null || break
        sleep 0.1
done
if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
        fail "daemon mode: nprocfs ($daemon) still running after unmount"
        kill "$daemon"
fi
MNT=""

[ "$FAILS" -eq 0 ] || exit 1
echo ok
