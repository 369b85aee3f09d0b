#!/usr/bin/env bash
# nprocfs-dump on its own (no mount): its exit status is 1 when anything it
# was asked for could not be read, while it still prints all it can; pids
# are what the tree takes (no leading zero, no sign); the paths its errors
# echo are escaped as values are; self and thread-self are what the tree
# offers: the root's own links, only where they lead to a process.
. "$(dirname "$0")/lib.sh"

OUT="" ERR="" RC=0
# dump ARGS...: runs nprocfs-dump; stdout in $OUT, stderr in $ERR, status in $RC.
dump() {
        local e
        new_dir e
        OUT=$("$NPROCFS_DUMP" "$@" 2>"$e/err")
        RC=$?
        ERR=$(cat "$e/err")
}

has_line() { # what, line: $OUT has that line
        grep -qxF -- "$2" <<<"$OUT" || fail "$1: no line '$2' in: $(head -c 300 <<<"$OUT")"
}

status_is() { # what, status
        [ "$RC" -eq "$2" ] || fail "$1: exit status $RC, want $2 (stderr: $ERR)"
}

# ---- errors give a non-zero status; everything else is still printed -----
new_dir H
cp -a "$FIXTURES/hostile/." "$H/"
mkfifo "$H/100/limits"
dump --root "$H" # the whole tree: 101/status is garbage, 100/io a directory ...
status_is "whole tree with bad files" 1
has_line "whole tree" "101/comm/name badstatus"
has_line "whole tree" "100/stat/utime_ns 2500000000"
[[ "$ERR" == *"101/status"*"Input/output error"* ]] || fail "whole tree: no error for 101/status: $ERR"
dump --root "$H" 101 # a subtree with one bad file
status_is "subtree 101" 1
has_line "subtree 101" "101/stat/comm badstatus"
dump --root "$H" 100/stat
status_is "a good file" 0
has_line "a good file" "100/stat/utime_ns 2500000000"
dump --root "$H" 101/status
status_is "a bad file" 1
dump --root "$FIXTURES/linux-2.6"
status_is "a whole good tree" 0

# ---- pids as the tree takes them -------------------------------------------
for p in 00001 01 +1 " 1" 1x 0 -1 4294967297; do
        dump --root "$FIXTURES/linux-2.6" -- "$p/stat/pid"
        status_is "pid '$p'" 1
        [ -z "$OUT" ] || fail "pid '$p': printed $OUT"
        [[ "$ERR" == *"No such file or directory"* ]] || fail "pid '$p': $ERR"
done
dump --root "$FIXTURES/linux-2.6" 4242/task/04242/stat/pid
status_is "tid 04242" 1
dump --root "$FIXTURES/linux-2.6" 1/stat/pid 4242/task/4242/stat/pid
status_is "pids 1, 4242" 0
has_line "pid 1" "1/stat/pid 1"
has_line "tid 4242" "4242/task/4242/stat/pid 4242"

# ---- the paths errors echo are escaped -------------------------------------
dump --root "$FIXTURES/linux-2.6" $'no\nsuch' $'back\\slash' $'ctl\001x'
status_is "bad paths" 1
want="nprocfs-dump: no\\nsuch: No such file or directory
nprocfs-dump: back\\\\slash: No such file or directory
nprocfs-dump: ctl\\001x: No such file or directory"
[ "$ERR" = "$want" ] || fail "escaped paths: got '$ERR', want '$want'"
dump --root $'/nonexistent\n'
[[ "$ERR" == *"/nonexistent\\n: No such file or directory" ]] || fail "--root escaped: '$ERR'"

# ---- self and thread-self --------------------------------------------------
new_dir S
cp -a "$FIXTURES/linux-6.18/." "$S/"
ln -sfn 10330/task/10336 "$S/thread-self" # a thread that is not the leader
dump --root "$S" thread-self/comm/name
status_is "thread-self -> 10330/task/10336" 0
has_line "thread-self" "thread-self/comm/name nprocfs-w0"
ln -sfn 105 "$S/self" # no 105/
ln -sfn 100/task/100 "$S/thread-self"
for l in self thread-self; do
        dump --root "$S" "$l"
        status_is "$l leading nowhere" 1
        [ -z "$OUT" ] || fail "$l leading nowhere: printed $(head -c 200 <<<"$OUT")"
        [[ "$ERR" == *"$l: No such file or directory"* ]] || fail "$l leading nowhere: $ERR"
done
ln -sfn self "$S/self" # a loop
dump --root "$S" self
status_is "self -> self" 1
# a <pid> that is a link loop is no process (the tree does not list it
# either): not in the whole tree, and not an error there
new_dir L
cp -a "$FIXTURES/linux-2.6/." "$L/"
ln -s 102 "$L/102"
dump --root "$L"
status_is "whole tree with a looping pid" 0
grep -q "^102/" <<<"$OUT" && fail "the looping pid 102 is dumped"
dump --root "$L" 102
status_is "the looping pid" 1
[[ "$ERR" == *"102: No such file or directory"* ]] || fail "the looping pid: $ERR"

# the live /proc: self is the dump itself (sh prints its pid, then becomes it)
out=$(sh -c 'echo "self/stat/pid $$"; exec "$0" self/stat/pid' "$NPROCFS_DUMP")
[ "$(sed -n 2p <<<"$out")" = "$(sed -n 1p <<<"$out")" ] || fail "live self: '$out'"
finish
