#!/usr/bin/env bash
# A tree that tries to lead the daemon out of its root, into a loop or a
# hang, plus a malformed status (fixtures/hostile/101/status is garbage):
# each bad entry is an error for that entry only (EIO, logged once with its
# path, or ENOENT), nothing outside the root shows, nothing hangs, and the
# rest of the tree still reads.
. "$(dirname "$0")/lib.sh"
need_fuse

new_dir ROOT
cp -a "$FIXTURES/hostile/." "$ROOT/"
mkfifo "$ROOT/100/limits" # git cannot store a FIFO
export NPROCFS_TEST_SECRET=1 # 100/environ links to /proc/self/environ: must never show
start_fs --root "$ROOT" -o ttl=50

# links that leave the root lead nowhere: absent, like the files behind them
expect_ls "" 100 101
expect_ls 100 cmdline comm io limits stat
expect_ls 101 comm stat status
for f in self thread-self 100/status 100/statm 100/environ; do
        expect_errno "$f" "No such file or directory"
done

# the malformed status: EIO for it, its directory too
expect_errno 101/status/name "Input/output error"
expect_errno 101/status/pid "Input/output error"
out=$(ls "$MNT/101/status" 2>&1) && fail "ls 101/status: '$out'"
[[ "$out" == *"Input/output error"* ]] || fail "ls 101/status: '$out'"
# a directory, a link loop and a FIFO where files should be: EIO, at once
for d in 100/io 100/cmdline 100/limits; do
        if out=$(timeout 10 ls "$MNT/$d" 2>&1); then
                fail "ls $d: '$out'"
        elif [[ "$out" != *"Input/output error"* ]]; then
                fail "ls $d: '$out' (status $?)"
        fi
done

# the good entries read, before and after the bad ones
expect 101/stat/comm badstatus
expect 101/comm/name badstatus
expect 100/stat/utime_ns 2500000000
expect 100/comm/name hostile

# a whole-tree read ends, shows nothing from outside (no passwd line, no
# environment of ours), and fails only on the four bad files
out=$(timeout 30 grep -r . "$MNT" 2>&1)
[ $? -eq 124 ] && fail "grep -r hung"
grep -q ':0:0:' <<<"$out" && fail "grep -r shows a passwd line"
grep -q "NPROCFS_TEST_SECRET" <<<"$out" && fail "grep -r shows our environment"
[ "$(grep -c 'Input/output error' <<<"$out")" -eq 4 ] || fail "grep -r errors: $(grep 'grep:' <<<"$out")"
[ "$(timeout 30 find "$MNT" -type f 2>/dev/null | wc -l)" -gt 50 ] || fail "find: too few files"

# read again after the TTL: still one log line per bad file
for i in 1 2 3 4; do
        cat "$MNT/101/status/name" 2>/dev/null
        ls "$MNT/100/io" 2>/dev/null
        sleep 0.1
done
[ "$(grep -c '101/status' "$LOG")" -eq 1 ] || fail "log lines for 101/status: $(grep -c '101/status' "$LOG")"
[ "$(grep -c '100/io' "$LOG")" -eq 1 ] || fail "log lines for 100/io: $(grep -c '100/io' "$LOG")"
expect 101/stat/comm badstatus

finish
