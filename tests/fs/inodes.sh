#!/usr/bin/env bash
# Inode numbers carry the entry they name:
#   - every entry of a fixture tree has a number of its own, and readdir's
#     d_ino is the number stat gives;
#   - while the kernel holds a process's directory, each entry below it
#     keeps its number after the kernel forgot the entry;
#   - once the kernel holds nothing of the tree, the daemon holds nothing
#     for it (statfs's file count is the kernel's references);
#   - the names a process has beyond its schema's fields (rows here) are
#     bounded by -o keys=N: past it a lookup is ENOMEM, the listing stays
#     whole, fields still read, and once the kernel forgets, the name reads.
# Drops the kernel's dentry and inode caches (vm.drop_caches=2), which
# needs root; every test does.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3

forget_all() { # until the kernel holds no name of the mount, or 10 s
        local i
        for ((i = 0; i < 100; i++)); do
                sync
                echo 2 >/proc/sys/vm/drop_caches
                [ "$(stat -f -c %c "$MNT")" = 0 ] && return 0
                sleep 0.1
        done
        return 1
}

# ---- numbers of a fixture tree -------------------------------------------
start_fs --root "$FIXTURES/linux-6.18"
new_dir W
find "$MNT" -mindepth 1 -printf '%i %P\n' 2>/dev/null | sort -k2 >"$W/first"
n=$(wc -l <"$W/first")
[ "$n" -gt 10000 ] || fail "find gave $n entries of the fixture"
dup=$(awk '{ print $1 }' "$W/first" | sort | uniq -d | head -3)
[ -z "$dup" ] || fail "inode numbers given to two entries: $dup ($(grep -E "^(${dup//$'\n'/|}) " "$W/first" | head -4 | tr '\n' ' '))"

# d_ino is st_ino, for every directory (every entry is looked up by now)
python3 - "$MNT" <<'PY' || fail "readdir's d_ino differs from stat's st_ino"
import os, sys
bad = []
for top, dirs, files in os.walk(sys.argv[1]):
    with os.scandir(top) as it:
        for e in it:
            if e.inode() != os.lstat(e.path).st_ino:
                bad.append(e.path)
if bad:
    print(len(bad), "entries, such as", bad[:3], file=sys.stderr)
    sys.exit(1)
PY

# the kernel forgets what is below 10324 while it holds 10324's directory:
# the numbers stay (but in task/: a thread is an identity of its own,
# whose numbers the kernel may forget with its directory)
grep -E ' 10324/' "$W/first" | grep -v ' 10324/task/' >"$W/below"
exec 7<"$MNT/10324"
echo 2 >/proc/sys/vm/drop_caches
sleep 0.5
refs=$(stat -f -c %c "$MNT")
[ "$refs" -lt "$n" ] || fail "the kernel still holds $refs names after drop_caches"
(cd "$MNT" && find 10324 -printf '%i %P\n' 2>/dev/null | sed 's| | 10324/|; s|/$||') | sort -k2 >"$W/again"
grep -E ' 10324/' "$W/again" | grep -v ' 10324/task/' >"$W/below2"
cmp -s "$W/below" "$W/below2" || fail "numbers below 10324 moved once forgotten: $(diff "$W/below" "$W/below2" | head -4 | tr '\n' ' ')"
exec 7<&-

# nothing held: the daemon holds nothing for the kernel either
forget_all || fail "the kernel still holds $(stat -f -c %c "$MNT") references after drop_caches"
# and reads right after
expect 10324/status/vmrss_bytes $((1564 * 1024))
stop_fs

# ---- -o keys=N: a process's interned names are bounded ------------------
new_dir R
cp -a "$FIXTURES/linux-6.18/." "$R/"
# 1,000 mappings, each a row named by its range
python3 - "$R/10324/maps" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        a = 0x10000000 + i * 0x2000
        f.write("%x-%x r--p 00000000 00:00 0\n" % (a, a + 0x1000))
PY
start_fs --root "$R" -o keys=300
rows=$(ls "$MNT/10324/maps" | wc -l)
[ "$rows" -eq 1000 ] || fail "maps lists $rows rows, want 1000"
ok=0 nomem=0 other=0
for ((i = 0; i < 1000; i++)); do
        a=$((0x10000000 + i * 0x2000))
        row=$(printf '%x-%x' "$a" $((a + 0x1000)))
        if out=$(cat "$MNT/10324/maps/$row/start_address" 2>&1); then
                [ "$out" = "$a" ] || fail "maps/$row/start_address: $out"
                ok=$((ok + 1))
        elif [[ "$out" == *"Cannot allocate memory"* ]]; then
                nomem=$((nomem + 1))
                last=$row
        else
                other=$((other + 1))
                echo "maps/$row/start_address: $out" >&2
        fi
done
echo "keys=300: $ok rows read, $nomem refused (ENOMEM), $other other errors"
[ "$nomem" -gt 0 ] || fail "no lookup refused past keys=300 ($ok read)"
[ "$ok" -ge 200 ] && [ "$ok" -le 300 ] || fail "$ok rows read with keys=300"
[ "$other" -eq 0 ] || fail "$other rows gave another error"
expect 10324/status/name sleep # fields need no key
kill -0 "$DPID" || fail "the daemon is gone"
forget_all || fail "the kernel still holds $(stat -f -c %c "$MNT") references"
a=$((0x${last%-*}))
expect "10324/maps/$last/start_address" "$a"
finish
