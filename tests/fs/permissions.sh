#!/usr/bin/env bash
# -o allow_other under root must not leak: a process's entries carry its
# owner, and the files /proc restricts (environ, io; mountstats by its mode
# alone) are refused to callers /proc would refuse. Targets and callers run
# as other uids (setpriv); for every caller, target and file, the mount
# answers as /proc does, and a few answers are spelled out: same ids read,
# another gid, another uid, a target with more capabilities, an undumpable
# target are refused.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd setpriv

U1=61001 G1=61001 G2=61002 U2=61003
PY=/usr/bin/python3 # a path every uid can run
[ -x $PY ] || need_cmd /usr/bin/python3
target same setpriv --reuid=$U1 --regid=$G1 --clear-groups sleep 300
target othergid setpriv --reuid=$U1 --regid=$G2 --clear-groups sleep 300
target root sleep 300
target caps setpriv --reuid=$U1 --regid=$G1 --clear-groups --inh-caps=+net_raw --ambient-caps=+net_raw sleep 300
target undumpable setpriv --reuid=$U1 --regid=$G1 --clear-groups $PY -c \
        'import ctypes, time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); time.sleep(300)' # PR_SET_DUMPABLE 0
for ((i = 0; i < 100; i++)); do
        [ "$(stat -c %u "/proc/${TGT[undumpable]}")" = 0 ] && break
        sleep 0.05
done

start_fs -o allow_other -o ttl=100

# owners and modes as /proc shows them: the directory has the effective
# ids, the files too, or root when the process is not dumpable
for t in same othergid caps undumpable root; do
        p=${TGT[$t]}
        for pair in ":" "status/name:status" "environ/count:environ" "stat:stat"; do
                mine=$MNT/$p/${pair%%:*} proc=/proc/$p/${pair#*:}
                [ "$(stat -c %u:%g "$mine")" = "$(stat -c %u:%g "$proc")" ] ||
                        fail "$t: $mine owned by $(stat -c %u:%g "$mine"), /proc says $(stat -c %u:%g "$proc")"
        done
done
[ "$(stat -c %u:%g "$MNT/${TGT[same]}/status/name")" = "$U1:$G1" ] || fail "same: status/name owner"
[ "$(stat -c %u "$MNT/${TGT[undumpable]}")" = $U1 ] || fail "undumpable: directory not the process's"
[ "$(stat -c %u "$MNT/${TGT[undumpable]}/status/name")" = 0 ] || fail "undumpable: files not root's"
[ "$(stat -c %a "$MNT/${TGT[same]}/environ")" = 500 ] || fail "environ: mode $(stat -c %a "$MNT/${TGT[same]}/environ")"
[ "$(stat -c %a "$MNT/${TGT[same]}/environ/count")" = 400 ] || fail "environ/count: mode"
[ "$(stat -c %a "$MNT/${TGT[same]}/status/name")" = 444 ] || fail "status/name: mode"

# every caller, target and file: the mount answers as /proc does (a word
# of /proc's file is enough to be let in: its pagemap read whole is 256 GiB)
declare -A SRC=([environ/count]=environ [environ/vars]=environ [io/rchar_bytes]=io [status/name]=status [stat/comm]=stat
        [mountstats/0/fstype]=mountstats [pagemap/present_pages]=pagemap)
for caller in "0 0" "$U1 $G1" "$U1 $G2" "$U2 $U2"; do
        for t in same othergid root caps undumpable; do
                p=${TGT[$t]}
                for f in "${!SRC[@]}"; do
                        if [ "$caller" = "0 0" ]; then
                                proc=$(head -c 8 "/proc/$p/${SRC[$f]}" >/dev/null 2>&1 && echo ok || echo refused)
                                mine=$(cat "$MNT/$p/$f" >/dev/null 2>&1 && echo ok || echo refused)
                        else
                                # shellcheck disable=SC2086
                                proc=$(as $caller head -c 8 "/proc/$p/${SRC[$f]}" >/dev/null 2>&1 && echo ok || echo refused)
                                # shellcheck disable=SC2086
                                mine=$(as $caller cat "$MNT/$p/$f" >/dev/null 2>&1 && echo ok || echo refused)
                        fi
                        [ "$proc" = "$mine" ] || fail "caller $caller, $t ($p), $f: /proc $proc, mount $mine"
                done
        done
done

# and spelled out
mine() { # uid gid path: ok, or the error
        local out
        out=$(as "$1" "$2" cat "$MNT/$3" 2>&1 >/dev/null) && echo ok || echo "${out##*: }"
}
[ "$(mine $U1 $G1 "${TGT[same]}/environ/count")" = ok ] || fail "same ids: environ refused"
[ "$(mine $U1 $G1 "${TGT[same]}/io/rchar_bytes")" = ok ] || fail "same ids: io refused"
[ "$(mine $U1 $G1 "${TGT[othergid]}/environ/count")" = "Permission denied" ] || fail "another gid: environ not refused"
[ "$(mine $U1 $G1 "${TGT[root]}/environ/count")" = "Permission denied" ] || fail "root's environ not refused"
[ "$(mine $U1 $G1 "${TGT[caps]}/environ/count")" = "Permission denied" ] || fail "more capabilities: environ not refused"
[ "$(mine $U1 $G1 "${TGT[undumpable]}/environ/count")" = "Permission denied" ] || fail "undumpable: environ not refused"
[ "$(mine $U2 $U2 "${TGT[same]}/io/rchar_bytes")" = "Permission denied" ] || fail "another uid: io not refused"
[ "$(mine $U2 $U2 "${TGT[same]}/status/name")" = ok ] || fail "another uid: status refused"
[ "$(mine $U2 $U2 "${TGT[root]}/stat/comm")" = ok ] || fail "another uid: root's stat refused"
# mountstats is 0400 but its open checks no ptrace access: the owner reads it
# where environ is refused, another uid does not
[ "$(mine $U1 $G1 "${TGT[caps]}/mountstats/0/fstype")" = ok ] || fail "more capabilities: mountstats refused"
[ "$(mine $U1 $G1 "${TGT[othergid]}/mountstats/0/fstype")" = ok ] || fail "another gid: mountstats refused"
[ "$(mine $U2 $U2 "${TGT[same]}/mountstats/0/fstype")" = "Permission denied" ] || fail "another uid: mountstats not refused"
[ "$(stat -c %a "$MNT/${TGT[same]}/mountstats/0/fstype")" = 400 ] || fail "mountstats/0/fstype: mode"
# listing, lookups and attributes of a refused directory leak nothing either
as $U1 $G1 ls "$MNT/${TGT[othergid]}/environ" >/dev/null 2>&1 && fail "another gid: environ listed"
as $U1 $G1 stat "$MNT/${TGT[othergid]}/environ/count" >/dev/null 2>&1 && fail "another gid: environ/count stat"
as $U1 $G1 getfattr -n user.nprocfs.source "$MNT/${TGT[othergid]}/environ/0" >/dev/null 2>&1 &&
        fail "another gid: environ/0 xattr"
# what root read first stays refused to others (the kernel caches names)
cat "$MNT/${TGT[othergid]}/environ/0" >/dev/null || fail "root: environ/0"
as $U1 $G1 cat "$MNT/${TGT[othergid]}/environ/0" >/dev/null 2>&1 && fail "another gid: cached environ/0 read"
[ "$(as $U1 $G1 cat "$MNT/${TGT[same]}/environ/count")" = "$(tr -cd '\0' <"/proc/${TGT[same]}/environ" | wc -c)" ] ||
        fail "same ids: environ/count value"

# a decision is kept for a moment (GRANT_NS, 100 ms), never past a change of
# the process's owners: a process that makes itself undumpable is refused
# to its sibling at once, in the same moment /proc refuses it
target turning setpriv --reuid=$U1 --regid=$G1 --clear-groups $PY -c \
        'import ctypes, signal, time
signal.signal(signal.SIGUSR1, lambda *a: ctypes.CDLL(None).prctl(4, 0, 0, 0, 0))
time.sleep(300)'
out=$(as $U1 $G1 $PY - "$MNT" "${TGT[turning]}" <<'PY'
import os, signal, sys, time
mnt, pid = sys.argv[1], int(sys.argv[2])
def read(path):
    try:
        with open(path, "rb") as f:
            f.read()
        return "ok"
    except PermissionError:
        return "refused"
mine = lambda: read("%s/%d/environ/count" % (mnt, pid))
proc = lambda: read("/proc/%d/environ" % pid)
for attempt in range(5):
    if proc() != "ok":
        break
    before = mine(), mine()  # the second is answered by the kept decision
    t0 = time.monotonic()
    os.kill(pid, signal.SIGUSR1)
    while proc() == "ok" and time.monotonic() - t0 < 5:
        time.sleep(0.0005)
    after = mine()
    ms = (time.monotonic() - t0) * 1000
    if ms < 50:
        print(before[0], before[1], after, "%.1f" % ms)
        sys.exit(0)
print("slow", "%.1f" % ms)  # the change took longer than a decision lives
PY
)
case "$out" in
"ok ok refused "*) ;;
slow*) fail "undumpable at once: the target took ${out#slow }ms to change, longer than a decision lives; not tested" ;;
*) fail "undumpable at once: before, kept, after: $out (want ok ok refused)" ;;
esac

finish
