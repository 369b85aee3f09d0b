#!/usr/bin/env bash
# Under -o allow_other, every caller sees in the mount what /proc shows that
# same caller, field by field, for every file the tree has: root, a
# target's owner, another uid, and both inside `unshare -Ur` (where they
# hold every capability, of their own user namespace only). Targets: a
# process of the owner, of another gid, of root, one with an ambient
# capability, one not dumpable, and a zombie with an exit code. Then the
# attacks, spelled out: addresses and exit codes to a reader /proc shows
# placeholders, capabilities of a user namespace, and the size of a
# restricted value after root read it.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd setpriv unshare

U1=61011 G1=61011 G2=61012 U2=61013
PY=/usr/bin/python3
[ -x $PY ] || need_cmd /usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
if ! unshare -Ur true 2>/dev/null; then
        echo "!!! SKIPPED: user namespaces cannot be made here (unshare -Ur)" >&2
        [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
        exit 77
fi
secret() { # target NAME COMMAND...: with SECRET=hunter2 its whole environment
        local name=$1
        shift
        target "$name" env -i SECRET=hunter2 "$@"
}
secret same setpriv --reuid=$U1 --regid=$G1 --clear-groups sleep 300
secret othergid setpriv --reuid=$U1 --regid=$G2 --clear-groups sleep 300
secret root sleep 300
secret caps setpriv --reuid=$U1 --regid=$G1 --clear-groups --inh-caps=+net_raw --ambient-caps=+net_raw sleep 300
secret undumpable setpriv --reuid=$U1 --regid=$G1 --clear-groups $PY -c \
        'import ctypes, time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); time.sleep(300)' # PR_SET_DUMPABLE 0
# a zombie that exited 3, under a parent that never waits
secret zparent bash -c '(sleep 0.3; exit 3) & exec sleep 300' # it exits after the exec: nobody reaps it
for ((i = 0; i < 100; i++)); do
        z=$(cat "/proc/${TGT[zparent]}/task/${TGT[zparent]}/children" 2>/dev/null)
        [ -n "$z" ] && grep -q '^State:.*Z' "/proc/${z// /}/status" 2>/dev/null && break
        sleep 0.05
done
TGT[zombie]=${z// /}
[ -n "${TGT[zombie]}" ] || { echo "FAIL: no zombie" >&2; exit 1; }
for ((i = 0; i < 100; i++)); do
        [ "$(stat -c %u "/proc/${TGT[undumpable]}")" = 0 ] && break
        sleep 0.05
done

start_fs -o allow_other -o ttl=5000
FILES=stat,status,statm,io,comm,cmdline,environ,limits
ALL="${TGT[same]} ${TGT[othergid]} ${TGT[root]} ${TGT[caps]} ${TGT[undumpable]} ${TGT[zombie]}"
OUT=$MNT.out
mkdir -p "$OUT"
chmod 755 "$OUT"
# root first: the cache is warm with root's reads when the others come
# shellcheck disable=SC2086
$PY "$HERE/parity_read.py" "$MNT" $FILES $ALL >"$OUT/root.json" || fail "root's read"
read_as() { # label, then the command prefix
        local label=$1
        shift
        # shellcheck disable=SC2086
        "$@" $PY "$HERE/parity_read.py" "$MNT" $FILES $ALL >"$OUT/$label.json.tmp" &&
                mv "$OUT/$label.json.tmp" "$OUT/$label.json" || fail "$label's read"
}
read_as owner as $U1 $G1
read_as other as $U2 $U2
read_as owner-userns as $U1 $G1 unshare -Ur
read_as other-userns as $U2 $U2 unshare -Ur
for label in root owner other owner-userns other-userns; do
        [ -f "$OUT/$label.json" ] || continue
        # the zombie's environ: /proc opens it for anyone (no memory, no
        # check) and shows nothing; the tree refuses it to who may not
        # ptrace it, which shows less
        $PY - "$OUT/$label.json" "${TGT[zombie]}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("proc", "mnt", "attr"):
    z = d[k].get(sys.argv[2], {})
    for e in [e for e in z if e == "environ" or e.startswith("environ/")]:
        del z[e]
json.dump(d, open(sys.argv[1], "w"))
PY
        $PY "$HERE/parity.py" "$OUT/root.json" "$OUT/$label.json" "$label" || fail "$label: the mount and /proc differ"
done

# the attacks, spelled out
mine() { # command prefix..., path: "ok", or the error
        local out path=${*: -1}
        out=$("${@:1:$#-1}" cat "$MNT/$path" 2>&1 >/dev/null) && echo ok || echo "${out##*: }"
}
T=${TGT[root]}
[ "$(mine as $U2 $U2 "$T/stat/startstack")" = "Permission denied" ] || fail "another uid reads root's startstack"
[ "$(mine as $U2 $U2 "$T/task/$T/stat/kstkeip")" = "Permission denied" ] || fail "another uid reads a thread's kstkeip"
[ "$(mine as $U2 $U2 "${TGT[zombie]}/stat/exit_code")" = "Permission denied" ] || fail "another uid reads an exit code"
[ "$(cat "$MNT/${TGT[zombie]}/stat/exit_code")" = 768 ] || fail "root: the zombie's exit_code is not 3 << 8"
[ "$(mine as $U2 $U2 "$T/stat/pid")" = ok ] || fail "another uid refused stat/pid"
[ "$(mine as $U1 $G1 "${TGT[same]}/stat/startstack")" = ok ] || fail "the owner refused its startstack"
C=${TGT[caps]}
[ "$(mine as $U1 $G1 unshare -Ur "$C/environ/0")" = "Permission denied" ] ||
        fail "a user namespace's capabilities read another namespace's environ"
[ "$(mine as $U1 $G1 unshare -Ur "$C/io/rchar_bytes")" = "Permission denied" ] ||
        fail "a user namespace's capabilities read another namespace's io"
[ "$(cat "$MNT/$C/environ/0")" = SECRET=hunter2 ] || fail "root: environ/0"
[ "$(stat -c %s "$MNT/$C/environ/0")" = 0 ] || fail "root: environ/0 has a size"
as $U1 $G1 stat -c %s "$MNT/$C/environ/0" >/dev/null 2>&1 && fail "the size of environ/0 reaches a caller refused it"
as $U1 $G1 stat -c %s "$MNT/$C/io/rchar_bytes" >/dev/null 2>&1 && fail "the size of io reaches a caller refused it"
as $U1 $G1 stat -c %s "$MNT/$T/stat/startstack" >/dev/null 2>&1 &&
        fail "the size of startstack reaches a caller refused it"
finish
