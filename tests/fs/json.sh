#!/usr/bin/env bash
# nprocfs-dump --json (no mount): one document a real JSON parser takes,
# nested as the tree, each value with its schema type; values with any
# byte still give valid JSON; errors as in the text form. Expected values
# are the fixture lines, by hand.
. "$(dirname "$0")/lib.sh"
need_cmd python3 jq

# check WHAT ROOT-OR-"" PYTHON [PATH...]: the dump parsed as JSON in `doc`, then
# the Python statements run; a failed assert is a failure.
check() {
        local what=$1 root=$2 code=$3 out rc
        shift 3
        new_dir out
        if [ -n "$root" ]; then
                "$NPROCFS_DUMP" --json --root "$root" "$@" >"$out/json" 2>"$out/err"
        else
                "$NPROCFS_DUMP" --json "$@" >"$out/json" 2>"$out/err"
        fi
        rc=$?
        [ "$rc" -eq 0 ] || fail "$what: exit status $rc: $(cat "$out/err")"
        CODE=$code python3 - "$out/json" <<'PY' || fail "$what"
import json, os, sys
with open(sys.argv[1], "rb") as f:
    raw = f.read()
assert raw.endswith(b"}\n") and raw.count(b"\n") == 1, "not one line"
doc = json.loads(raw)  # strict: no NaN, no trailing commas, valid UTF-8
exec(os.environ["CODE"])
PY
}

# ---- linux-6.18, the whole tree --------------------------------------------
check "6.18 whole tree" "$FIXTURES/linux-6.18" '
m = doc["meminfo"]
assert m["memtotal_bytes"] == 24684096 * 1024 and type(m["memtotal_bytes"]) is int, m["memtotal_bytes"]  # MemTotal: 24684096 kB
st = doc["10324"]["status"]
assert st["vmrss_bytes"] == 1564 * 1024, st["vmrss_bytes"]   # VmRSS: 1564 kB
assert st["groups"] == [], st["groups"]                      # Groups: (none)
assert st["kthread"] is False                                # Kthread: 0
assert st["state"] == "sleeping" and st["state_code"] == "S"
assert st["umask"] == "0022", st["umask"]                   # a mode stays octal text
assert isinstance(st["sigcgt"], str) and st["sigcgt"].startswith("0x")
assert isinstance(st["capbnd_names"], list) and "cap_chown" in st["capbnd_names"]
assert doc["10324"]["cmdline"]["argv"] == ["sleep", "1000"]  # sleep\0 1000\0
assert doc["10324"]["cmdline"]["argc"] == 2
assert doc["10324"]["cmdline"]["1"] == "1000"
assert doc["10324"]["environ"]["vars"] == ["NPROCFS_FIXTURE=1", "PATH=/usr/bin:/bin"]
la = doc["loadavg"]
assert la["load1"] == 0.39 and type(la["load1"]) is float    # 0.39 0.12 0.04 2/85 11421
assert la["runnable"] == 2 and la["last_pid"] == 11421
assert doc["stat"]["cpu0"]["user_ns"] % 10000000 == 0        # ticks of 10 ms
assert doc["osrelease"]["release"].startswith("6.18")
'

check "6.18 threads" "$FIXTURES/linux-6.18" '
assert doc["10330"]["task"]["10336"]["comm"] == {"name": "nprocfs-w0"}
assert doc["self"]["status"]["pid"] == 10324                 # self -> 10324
' 10330/task/10336/comm self/status/pid

# ---- linux-2.6 --------------------------------------------------------------
check "2.6 whole tree" "$FIXTURES/linux-2.6" '
p = doc["4242"]
assert p["status"]["groups"] == ["100", "1000"], p["status"]["groups"]      # Groups: 100 1000
assert p["status"]["vmrss_bytes"] == 1200 * 1024                         # VmRSS: 1200 kB
assert p["cmdline"]["argv"] == ["/usr/bin/odd", "--flag", "arg with space"]
assert p["stat"]["comm"] == "my (odd) name"
assert p["stat"]["utime_ns"] == 2500000000                               # 250 ticks at 100/s
assert p["stat"]["cutime_ns"] == 300000000 and type(p["stat"]["tpgid"]) is int
assert p["limits"]["max_open_files"] == {"soft": 1024, "hard": 4096}    # Max open files 1024 4096
assert p["limits"]["max_cpu_time"] == {"soft_ns": "max", "hard_ns": "max"}  # unlimited
assert p["io"]["rchar_bytes"] == 1048576
assert doc["meminfo"]["memtotal_bytes"] == 2048000 * 1024                # MemTotal: 2048000 kB
assert doc["loadavg"]["load1"] == 0.5                                    # 0.50
assert doc["stat"]["cpu"]["user_ns"] == 80000000000                      # cpu  8000 ...
assert "vmswap_bytes" not in p["status"]                                 # not before 2.6.34
'
# one path, and one asked for twice: one key, once
check "2.6 paths" "$FIXTURES/linux-2.6" '
assert doc == {"4242": {"status": {"vmrss_bytes": 1228800}, "stat": {"pid": 4242}}, "meminfo": {"memtotal_bytes": 2097152000}}, doc
' 4242/status/vmrss_bytes meminfo/memtotal_bytes 4242/stat/pid 4242/status/vmrss_bytes

# ---- any byte: JSON stays valid, and the bytes come back --------------------
new_dir O
cp -a "$FIXTURES/linux-2.6/." "$O/"
# an argument of ASCII controls, quote, backslash and bytes that are not
# UTF-8 (Latin-1 back), one of valid UTF-8, and an empty one
printf '/bin/odd\0a"b\\c\nd\001\t\177\377\376\300\200\355\240\200\0caf\303\251 \342\202\254\0\0' >"$O/4242/cmdline"
printf 'rchar: 18446744073709551615\nwchar: 9007199254740993\nsyscr: 1\nsyscw: 1\nread_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n' >"$O/4242/io"
check "odd bytes" "$O" '
argv = doc["4242"]["cmdline"]["argv"]
assert len(argv) == 4, argv
odd = b"a\"b\\c\nd\x01\t\x7f\xff\xfe\xc0\x80\xed\xa0\x80"
assert argv[1].encode("latin-1") == odd, ascii(argv[1])
assert argv[2] == "caf\u00e9 \u20ac", ascii(argv[2])
assert argv[3] == ""
assert doc["4242"]["cmdline"]["1"] == argv[1]
io = doc["4242"]["io"]
assert io["rchar_bytes"] == 2**64 - 1 and io["wchar_bytes"] == 2**53 + 1  # written whole
with open(sys.argv[1], "rb") as f:
    text = f.read().decode("utf-8")
assert "\\u00ff\\u00fe\\u00c0\\u0080\\u00ed\\u00a0\\u0080" in text, "bytes not escaped as Latin-1"
assert "\\u000a" in text and "\\\"" in text
'
# jq reads it too
out=$("$NPROCFS_DUMP" --json --root "$O" 4242 | jq -r '.["4242"].status.vmrss_bytes, (.["4242"].cmdline.argv | length), .["4242"].io.syscr')
[ "$out" = $'1228800\n4\n1' ] || fail "jq: '$out'"

# ---- errors: status 1, the rest still a whole document ----------------------
new_dir e
"$NPROCFS_DUMP" --json --root "$FIXTURES/hostile" >"$e/json" 2>"$e/err"
rc=$?
[ "$rc" -eq 1 ] || fail "hostile: exit status $rc, want 1"
grep -q "101/status" "$e/err" || fail "hostile: no error for 101/status: $(cat "$e/err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["101"]["comm"]["name"] == "badstatus"' "$e/json" ||
        fail "hostile: the rest is not a document"
"$NPROCFS_DUMP" --json --root "$FIXTURES/linux-2.6" 4242/nosuch >"$e/json" 2>"$e/err"
rc=$?
[ "$rc" -eq 1 ] && [ "$(cat "$e/json")" = "{}" ] || fail "no such path: status $rc, '$(cat "$e/json")'"
"$NPROCFS_DUMP" --json --prometheus meminfo >/dev/null 2>&1
[ $? -eq 2 ] || fail "--json --prometheus is no usage error"

# ---- the live /proc ----------------------------------------------------------
# self is the dump itself (sh prints its pid, then becomes it)
new_dir l
sh -c 'echo $$ >"$1"; exec "$0" --json self/status meminfo' "$NPROCFS_DUMP" "$l/pid" >"$l/json" ||
        fail "live: exit status $?"
python3 - "$l/json" "$(cat "$l/pid")" <<'PY' || fail "live self/status meminfo"
import json, sys
doc = json.load(open(sys.argv[1]))
st = doc["self"]["status"]
assert st["pid"] == int(sys.argv[2]), (st["pid"], sys.argv[2])
assert type(st["vmrss_bytes"]) is int and st["vmrss_bytes"] > 0
assert isinstance(st["groups"], list) and all(isinstance(g, str) for g in st["groups"])
for line in open("/proc/meminfo"):
    k, v = line.split(":", 1)
    if k == "MemTotal":
        assert doc["meminfo"]["memtotal_bytes"] == int(v.split()[0]) * 1024
PY
finish
