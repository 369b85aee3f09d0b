#!/usr/bin/env bash
# The live /proc, mounted: a process's own entries (through self and
# thread-self, and by pid) against what /proc says; threads found under
# task/ but not at the top; a process that exits reads as ENOENT and leaves
# the listing; lookup and readdir agree on a process's directories.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3

start_fs -o ttl=100

python3 - "$MNT" <<'EOF' || fail "a process's own entries differ from /proc"
import os, resource, sys, threading, time

mnt = sys.argv[1]
pid = os.getpid()
bad = []

def val(path):
    with open(os.path.join(mnt, path), "rb") as f:
        data = f.read()
    if not data.endswith(b"\n"):
        bad.append("%s: no final newline" % path)
    return data[:-1].decode(errors="surrogateescape")

def check(path, want):
    try:
        got = val(path)
    except OSError as e:
        got = "error: " + e.strerror
    if got != str(want):
        bad.append("%s: %r, /proc says %r" % (path, got, str(want)))

# threads that stay while we look
stop = threading.Event()
tids = []
def worker():
    tids.append(threading.get_native_id())
    stop.wait()
threads = [threading.Thread(target=worker) for _ in range(3)]
for t in threads:
    t.start()
while len(tids) < 3:
    time.sleep(0.01)

if os.readlink(os.path.join(mnt, "self")) != str(pid):
    bad.append("self -> %s, want %d" % (os.readlink(os.path.join(mnt, "self")), pid))
if os.readlink(os.path.join(mnt, "thread-self")) != "%d/task/%d" % (pid, pid):
    bad.append("thread-self -> %s" % os.readlink(os.path.join(mnt, "thread-self")))
seen = []
def look():
    seen.append((threading.get_native_id(), os.readlink(os.path.join(mnt, "thread-self"))))
t = threading.Thread(target=look); t.start(); t.join()
# join() returns before the kernel has reaped the thread: wait until /proc
# counts the four that stay, or stat (cached for the TTL) may count five
for _ in range(500):
    if len(os.listdir("/proc/self/task")) == 4:
        break
    time.sleep(0.01)
if seen[0][1] != "%d/task/%d" % (pid, seen[0][0]):
    bad.append("thread-self from a thread -> %s, want %d/task/%d" % (seen[0][1], pid, seen[0][0]))

stat = open("/proc/self/stat").read()
fields = stat[stat.rindex(")") + 2:].split()          # from field 3
tick_ns = 1000000000 // os.sysconf("SC_CLK_TCK")
comm = open("/proc/self/comm").read().rstrip("\n")
for base in ("self", str(pid)):
    check(base + "/stat/pid", pid)
    check(base + "/stat/comm", comm)
    check(base + "/stat/ppid", os.getppid())
    check(base + "/stat/pgrp", os.getpgrp())
    check(base + "/stat/session", os.getsid(0))
    check(base + "/stat/starttime_ns", int(fields[22 - 3]) * tick_ns)
    check(base + "/comm/name", comm)
    check(base + "/status/name", comm)
    check(base + "/status/tgid", pid)
    check(base + "/status/uid_real", os.getresuid()[0])
    check(base + "/status/uid_saved", os.getresuid()[2])
    check(base + "/status/gid_effective", os.getresgid()[1])
    check(base + "/status/threads", 4)
    check(base + "/stat/num_threads", 4)
    check(base + "/limits/max_open_files/soft", resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    args = open("/proc/self/cmdline", "rb").read().split(b"\0")[:-1]
    check(base + "/cmdline/argc", len(args))
    for i, a in enumerate(args):
        check("%s/cmdline/%d" % (base, i), a.decode(errors="surrogateescape"))
    env = open("/proc/self/environ", "rb").read().split(b"\0")[:-1]
    check(base + "/environ/count", len(env))
    check(base + "/environ/0", env[0].decode(errors="surrogateescape"))
    with open(os.path.join(mnt, base, "cmdline", "argv"), "rb") as f:
        if f.read() != open("/proc/self/cmdline", "rb").read() + b"\n":
            bad.append(base + "/cmdline/argv differs")

# threads: under task/, with their own files; not at the top
if sorted(os.listdir(os.path.join(mnt, str(pid), "task"))) != sorted(os.listdir("/proc/self/task")):
    bad.append("task/ lists %s, /proc %s" % (os.listdir(os.path.join(mnt, str(pid), "task")), os.listdir("/proc/self/task")))
for tid in tids:
    check("%d/task/%d/stat/pid" % (pid, tid), tid)
    check("%d/task/%d/status/tgid" % (pid, tid), pid)
    if os.path.lexists(os.path.join(mnt, str(tid))):
        bad.append("thread %d found at the top" % tid)
    if str(tid) in os.listdir(mnt):
        bad.append("thread %d listed at the top" % tid)

meminfo = dict(l.split(":", 1) for l in open("/proc/meminfo"))
check("meminfo/memtotal_bytes", int(meminfo["MemTotal"].split()[0]) * 1024)
check("osrelease/release", os.uname().release)
st = os.stat(os.path.join(mnt, str(pid)))
if (st.st_uid, st.st_gid) != (os.stat("/proc/self").st_uid, os.stat("/proc/self").st_gid):
    bad.append("owner %d:%d" % (st.st_uid, st.st_gid))
# sizes are exact for values that change (read and stat agree)
for path in ("self/stat/utime_ns", "self/status/vmrss_bytes", "loadavg/load1", "uptime/uptime_ns"):
    p = os.path.join(mnt, path)
    with open(p, "rb") as f:
        if os.fstat(f.fileno()).st_size != len(f.read()):
            bad.append("%s: st_size differs from what reads" % path)

stop.set()
for t in threads:
    t.join()
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

# a process that exits: ENOENT once the TTL is past, and gone from listings
sleep 60 &
SP=$!
# the shell's child is "bash" until it has exec'ed sleep: wait for /proc to say so
for ((i = 0; i < 100; i++)); do
        [ "$(cat /proc/$SP/comm 2>/dev/null)" = sleep ] && break
        sleep 0.02
done
expect $SP/stat/comm sleep
expect $SP/cmdline/1 60
python3 "$FS_TESTS/tree.py" agree "$MNT" $SP $SP/task $SP/task/$SP $SP/status $SP/limits $SP/limits/max_open_files \
        $SP/cmdline || fail "lookup and readdir disagree"
kill $SP
wait $SP 2>/dev/null
sleep 0.3
expect_errno $SP/stat/comm "No such file or directory"
expect_errno $SP/status/name "No such file or directory"
ls "$MNT" | grep -qx "$SP" && fail "$SP still listed after it exited"
gone=0
for i in $(seq 50); do
        [ -e "$MNT/$SP" ] || { gone=1; break; }
        sleep 0.1
done
[ $gone = 1 ] || fail "$SP still found 5 s after it exited"

# /proc's own refusals stay refusals: a kernel thread has no environment
# to show, pid 1's io needs ptrace rights even root may lack; whatever
# /proc answers, the mount answers alike
for f in 1/io 2/environ; do
        if cat "/proc/$f" >/dev/null 2>&1; then
                ls "$MNT/${f%%/*}/${f#*/}" >/dev/null 2>&1 || fail "$f: /proc reads it, the mount does not"
        else
                ls "$MNT/${f%%/*}/${f#*/}" >/dev/null 2>&1 && fail "$f: /proc refuses it, the mount does not"
        fi
done

stop_fs

# another pid namespace's /proc as the root: its own processes (pid 1 is the
# namespace's first), and no self: the caller's pid means nothing there
if command -v unshare >/dev/null; then
        new_dir P
        unshare --pid --fork --kill-child sh -c "mount -t proc proc '$P' && exec sleep 60" &
        NS=$!
        for ((i = 0; i < 100; i++)); do
                [ "$(cat "$P/1/comm" 2>/dev/null)" = sleep ] && break # sh until it exec'ed sleep
                sleep 0.05
        done
        start_fs --root "$P"
        expect 1/stat/comm sleep
        expect_ls "" 1 cpuinfo loadavg meminfo osrelease stat uptime
        expect_errno self/stat/pid "No such file or directory"
        stop_fs
        kill -KILL $NS 2>/dev/null # unshare ignores SIGTERM; --kill-child ends the namespace
        wait $NS 2>/dev/null
        umount "$P" 2>/dev/null
fi

finish
