#!/usr/bin/env bash
# What the daemon refuses before it mounts: a TTL that is not a plain
# number of milliseconds (at most an hour), a mount point that is not a
# directory, one left by a daemon that died (a stale FUSE mount), one
# where nprocfs is already mounted, a third positional argument and a
# SOURCE given with --root. Each is said on stderr, exits 1 and leaves no
# new mount.
. "$(dirname "$0")/lib.sh"
need_fuse

mounts_at() { # dir: how many mounts have it as their mount point
        awk -v m="$1" '$5 == m' /proc/self/mountinfo | wc -l
}

# refused WHAT MESSAGE ARGS...: the daemon, started in the foreground with
# ARGS, exits 1 saying MESSAGE and mounts nothing. One that does mount is
# stopped (timeout sends it SIGTERM) and unmounted.
refused() {
        local what=$1 msg=$2 out rc mnt=${*: -1} before after
        shift 2
        before=$(mounts_at "$mnt")
        out=$(timeout 5 "$NPROCFS" -f "$@" 2>&1)
        rc=$?
        after=$(mounts_at "$mnt")
        if [ "$after" -gt "$before" ]; then
                fail "$what: left a mount"
                fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt"
        fi
        [ "$rc" -eq 1 ] || fail "$what: exit status $rc, want 1 ($out)"
        [[ "$out" == *"$msg"* ]] || fail "$what: said '$out', want '$msg'"
        [[ "$out" != *"serving"* ]] || fail "$what: served"
}

# ---- -o ttl=MS --------------------------------------------------------
new_dir m
for ttl in -5 99999999999 1.5 0x10 +5 "" 3600001 " 5" 5ms; do
        refused "ttl='$ttl'" "-o ttl=$ttl: the TTL is a number of milliseconds, 0 to 3600000" -o "ttl=$ttl" "$m"
done
refused "ttl in a list" "-o ttl=1e3: the TTL" -o "ro,ttl=1e3" "$m"
out=$("$NPROCFS" --help 2>&1)
[[ "$out" == *"at most 3600000"* ]] || fail "--help does not give the TTL's bound: $out"

# the largest TTL, and one with leading zeros (decimal, not octal)
# the daemon logs "serving" just after the mount appears: give it a moment
logged() {
        local i
        for ((i = 0; i < 100; i++)); do
                grep -qF "$1" "$LOG" && return 0
                sleep 0.05
        done
        return 1
}
start_fs --root "$FIXTURES/linux-2.6" -o ttl=3600000
logged "(ttl 3600000 ms)" || fail "ttl=3600000: $(cat "$LOG")"
expect meminfo/memtotal_bytes 2097152000
stop_fs
start_fs --root "$FIXTURES/linux-2.6" -o ttl=010
logged "(ttl 10 ms)" || fail "ttl=010: $(cat "$LOG")"
stop_fs

# ---- SOURCE MOUNTPOINT ----------------------------------------------------
refused "three positional arguments" "$m: one argument too many" /proc "$m" "$m"
refused "SOURCE and --root" "both --root $FIXTURES/linux-2.6 and a SOURCE (/proc)" --root "$FIXTURES/linux-2.6" /proc "$m"

# ---- the mount point ----------------------------------------------------
new_dir dir
: >"$dir/file"
refused "a regular file" "$dir/file: not a directory" "$dir/file"
refused "a missing one" "No such file or directory" "$dir/none"

# a stale mount: its daemon killed, the kernel still has the mount
start_fs --root "$FIXTURES/linux-2.6"
stale=$MNT
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
DPID=""
stat "$stale" >/dev/null 2>&1 && fail "the mount at $stale is not stale"
refused "a stale mount" "fusermount3 -u $stale" --root "$FIXTURES/linux-2.6" "$stale"
n=$(mounts_at "$stale")
[ "$n" -eq 1 ] || fail "a stale mount: $n mounts at $stale, want the stale one only"
fusermount3 -u "$stale" || fail "fusermount3 -u $stale"
is_mounted "$stale" && fail "the stale mount is still there"

# a live nprocfs mount: a second one would hide it
start_fs --root "$FIXTURES/linux-2.6"
refused "a live nprocfs mount" "$MNT: nprocfs is already mounted there" --root "$FIXTURES/linux-2.6" "$MNT"
n=$(mounts_at "$MNT")
[ "$n" -eq 1 ] || fail "a live mount: $n mounts at $MNT, want 1"
expect meminfo/memtotal_bytes 2097152000 # the first one still serves
finish
