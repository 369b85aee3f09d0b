#!/usr/bin/env bash
# A pid reused by another process is another process: in a pid namespace
# of its own, the test warms the cache with process A (stat/comm,
# status/name, cmdline/0, stat/starttime_ns), ends it, makes A's pid the
# next one (ns_last_pid) and starts B there; reading the same paths at
# once, and again after the TTL, gives B's values as /proc gives them,
# never A's and never ENOENT. Twenty rounds, at least ten of them with the
# pid really reused.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd unshare
if [ -z "${NPROCFS_IN_PIDNS:-}" ]; then
        if ! unshare --pid --fork --mount-proc true 2>/dev/null; then
                echo "!!! SKIPPED: pid namespaces cannot be made here" >&2
                [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
                exit 77
        fi
        trap - EXIT
        NPROCFS_IN_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
fi
[ -w /proc/sys/kernel/ns_last_pid ] || { echo "FAIL: ns_last_pid is not writable" >&2; exit 1; }
start_fs -o ttl=300
python3 - "$MNT" <<'PY' || FAILS=$((FAILS + 1))
import os, subprocess, sys, time
mnt = sys.argv[1]

def mine(pid, path):
    try:
        with open("%s/%d/%s" % (mnt, pid, path)) as f:
            return f.read()
    except OSError as e:
        return "!" + os.strerror(e.errno)

def proc(pid):
    comm = open("/proc/%d/comm" % pid).read()
    argv0 = open("/proc/%d/cmdline" % pid, "rb").read().split(b"\0")[0].decode()
    st = open("/proc/%d/stat" % pid).read()
    start_ticks = int(st[st.rindex(")") + 2:].split()[19])
    return {"stat/comm": comm, "status/name": comm, "cmdline/0": argv0 + "\n",
            "stat/starttime_ns": "%d\n" % (start_ticks * 10**9 // os.sysconf("SC_CLK_TCK"))}

bad, reused = [], 0
for i in range(20):
    a = subprocess.Popen(["sleep", "900"])
    time.sleep(0.02)
    warm = {p: mine(a.pid, p) for p in proc(a.pid)}
    if warm != proc(a.pid):
        bad.append("round %d: A reads %r, /proc %r" % (i, warm, proc(a.pid)))
    a.kill()
    a.wait()
    with open("/proc/sys/kernel/ns_last_pid", "w") as f:
        f.write(str(a.pid - 1))
    b = subprocess.Popen(["tail", "-f", "/dev/null"])
    if b.pid != a.pid:
        b.kill()
        b.wait()
        continue
    reused += 1
    time.sleep(0.02)  # B has exec'ed
    for when in ("at once", "after the TTL"):
        if when != "at once":
            time.sleep(0.4)
        want = proc(b.pid)
        got = {p: mine(b.pid, p) for p in want}
        if got != want:
            bad.append("round %d, %s: pid %d reads %r, /proc says %r (A was %r)" % (i, when, b.pid, got, want, warm))
    b.kill()
    b.wait()
for x in bad:
    print("FAIL:", x, file=sys.stderr)
print("%d of 20 rounds reused the pid, %d wrong reads" % (reused, len(bad)))
if reused < 10:
    print("FAIL: the pid was reused in only %d rounds" % reused, file=sys.stderr)
sys.exit(1 if bad or reused < 10 else 0)
PY
finish
