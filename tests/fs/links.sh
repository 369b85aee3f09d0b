#!/usr/bin/env bash
# The root's processes and its self, thread-self: a listing names exactly
# what a lookup finds. In a snapshot, a <pid> that is a link loop is no
# process, and self / thread-self are offered only when they lead to a
# process directory of the snapshot. A procfs is "ours" (its self names the
# reader) when it is of the daemon's pid namespace, whichever mount of it
# is the root; another pid namespace's procfs has no self.
. "$(dirname "$0")/lib.sh"
need_fuse

# listed NAME...: each is listed in the root and found there.
listed() {
        local all n
        all=$(ls -A "$MNT")
        for n in "$@"; do
                grep -qxF "$n" <<<"$all" || fail "$n: not listed"
                stat "$MNT/$n" >/dev/null 2>&1 || fail "$n: listed, but not found"
        done
}

# absent NAME...: neither listed nor found.
absent() {
        local all n out
        all=$(ls -A "$MNT")
        for n in "$@"; do
                grep -qxF "$n" <<<"$all" && fail "$n: listed"
                out=$(stat "$MNT/$n" 2>&1) && fail "$n: found"
                [[ "$out" == *"No such file or directory"* ]] || fail "$n: '$out'"
        done
}

# every name the root lists is found
all_found() {
        local n
        while IFS= read -r n; do
                stat "$MNT/$n" >/dev/null 2>&1 || fail "$n: listed, but not found"
        done < <(ls -A "$MNT")
}

# ---- a snapshot: <pid> entries that are link loops -----------------------
new_dir ROOT
cp -a "$FIXTURES/hostile/." "$ROOT/"
ln -s 102 "$ROOT/102"
# enough processes that the root's listing takes more than one reply: the
# kernel asks for the later ones without attributes (plain readdir), which
# took every name as it came
for i in $(seq 200 299); do mkdir "$ROOT/$i"; done
ln -s 300 "$ROOT/300"
start_fs --root "$ROOT"
listed 100 101 200 299
absent 102 300 self thread-self # self -> /, thread-self -> ../../etc: nowhere
all_found
stop_fs

# ---- a snapshot whose self, thread-self lead nowhere ----------------------
new_dir ROOT2
cp -a "$FIXTURES/hostile/." "$ROOT2/"
ln -sfn 105 "$ROOT2/self"                 # no 105/
ln -sfn 100/task/100 "$ROOT2/thread-self" # 100/ has no task/
start_fs --root "$ROOT2"
absent self thread-self
listed 100 101
stop_fs
ln -sfn self "$ROOT2/self" # a loop
ln -sfn thread-self "$ROOT2/thread-self"
start_fs --root "$ROOT2"
absent self thread-self
stop_fs
# and when they lead to a process, they are there
mkdir -p "$ROOT2/101/task/101"
ln -sfn 101 "$ROOT2/self"
ln -sfn 101/task/101 "$ROOT2/thread-self"
start_fs --root "$ROOT2"
listed self thread-self
[ "$(readlink "$MNT/self")" = 101 ] || fail "self -> $(readlink "$MNT/self")"
[ "$(readlink "$MNT/thread-self")" = 101/task/101 ] || fail "thread-self -> $(readlink "$MNT/thread-self")"
expect self/comm/name badstatus # 101/comm
stop_fs

# ---- a second procfs mount of our pid namespace ---------------------------
PROCS=() UNSHARED=()
umount_procs() {
        local p
        # unshare --fork blocks SIGTERM while it waits; its child dies with it
        for p in "${UNSHARED[@]}"; do kill -9 "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
        for p in "${PROCS[@]}"; do umount "$p" 2>/dev/null; done
        cleanup
}
trap umount_procs EXIT
new_dir P
mount -t proc proc "$P" || fail "mount -t proc"
PROCS+=("$P")
start_fs --root "$P"
listed self thread-self 1
# the reader's own pid: sh prints its pid, then becomes readlink
out=$(sh -c 'echo "$$"; exec readlink "$1"' sh "$MNT/self")
[ "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out")" ] || fail "self -> '$(sed -n 2p <<<"$out")', want the reader ($(sed -n 1p <<<"$out"))"
out=$(sh -c 'echo "$$/task/$$"; exec readlink "$1"' sh "$MNT/thread-self")
[ "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out")" ] || fail "thread-self -> '$(sed -n 2p <<<"$out")', want '$(sed -n 1p <<<"$out")'"
out=$(sh -c 'echo "$$"; exec cat "$1"' sh "$MNT/self/stat/pid")
[ "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out")" ] || fail "self/stat/pid: '$out'"
stop_fs
# nprocfs-dump agrees: self there is the dump itself
out=$(sh -c 'echo "self/stat/pid $$"; exec "$0" --root "$1" self/stat/pid' "$NPROCFS_DUMP" "$P")
[ "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out")" ] || fail "nprocfs-dump --root $P self: '$out'"

# ---- the procfs of another pid namespace: no self ------------------------
if command -v unshare >/dev/null; then
        new_dir Q
        unshare --pid --kill-child sh -c 'mount -t proc proc "$1" && exec sleep 300' sh "$Q" </dev/null >/dev/null 2>&1 &
        UNSHARED+=("$!")
        PROCS+=("$Q")
        for ((i = 0; i < 100; i++)); do
                [ -e "$Q/1/stat" ] && break
                sleep 0.05
        done
        if [ -e "$Q/1/stat" ]; then
                start_fs --root "$Q"
                absent self thread-self
                listed 1 # its init, the sleep
                expect 1/comm/name sleep
                stop_fs
                # nprocfs-dump agrees: no self (we are no process there)
                out=$("$NPROCFS_DUMP" --root "$Q" self 2>&1) && fail "nprocfs-dump --root $Q self: '$out'"
                [[ "$out" == *"self: No such file or directory"* ]] || fail "nprocfs-dump --root $Q self: '$out'"
        else
                fail "no procfs of a new pid namespace at $Q"
        fi
else
        echo "(no unshare: the other pid namespace's procfs is not tried)" >&2
fi
finish
