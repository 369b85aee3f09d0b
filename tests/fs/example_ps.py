# The ps examples against procps, on a terminal of their own: a new
# pseudo-terminal is the controlling terminal of one session, whose leader
# (a child of this script) starts two sleeps and a cat on it, then runs each
# lister in turn: procps's `ps -t pts/N`, examples/ps.sh over the mount and
# the C example. Each lister sees itself on the terminal; with its own line
# taken out (checked first), every listing must be the same set of
# (pid, tty, time, cmd): the leader, the sleeps and the cat, nothing else.
#
#   python3 example_ps.py MNT PS_SH PS_BIN
import fcntl
import json
import os
import subprocess
import sys
import termios
import time

mnt, ps_sh, ps_bin = sys.argv[1:4]
HEADER = "%10s %-8s %8s %s" % ("PID", "TTY", "TIME", "CMD")

master, slave = os.openpty()
tty = os.ttyname(slave)
if not tty.startswith("/dev/pts/"):
    sys.exit("FAIL: the new terminal is %s, not a /dev/pts one" % tty)
name = tty[len("/dev/") :]  # pts/N, as ps names it

LISTERS = [  # name, argv, its own comm
    ("procps", ["ps", "-t", name, "-o", "pid=,tty=,time=,comm="], "ps"),
    ("ps.sh", ["bash", ps_sh, mnt], "bash"),
    ("ps", [ps_bin], "ps"),
]


def comm(pid):
    with open("/proc/%d/comm" % pid) as f:
        return f.read().rstrip("\n")


def session(w):
    """The session leader: the terminal becomes its controlling terminal,
    and so that of every process it starts."""
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    started = [
        subprocess.Popen(["sleep", "300"]),
        subprocess.Popen(["sleep", "300"]),
        subprocess.Popen(["cat"], stdin=subprocess.PIPE),  # blocked on a pipe nobody writes
    ]
    out = {"on_tty": {os.getpid(): comm(os.getpid())}, "listings": []}
    try:
        # Popen may return before the kernel has renamed the child (seen:
        # cat still "python3"): wait for the names the listers must show
        for p, want in zip(started, ["sleep", "sleep", "cat"]):
            for _ in range(500):
                if comm(p.pid) == want:
                    break
                time.sleep(0.01)
            out["on_tty"][p.pid] = want
        for lister, argv, own in LISTERS:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            o, e = p.communicate(timeout=120)
            out["listings"].append(
                {"name": lister, "own": own, "pid": p.pid, "rc": p.returncode, "out": o.decode(errors="replace"),
                 "err": e.decode(errors="replace")})
    finally:
        for p in started:
            p.kill()
            p.wait()
    os.write(w, json.dumps(out).encode())


r, w = os.pipe()
child = os.fork()
if child == 0:
    os.close(r)
    code = 0
    try:
        session(w)
    except BaseException as e:
        print("FAIL: the session on %s: %r" % (tty, e), file=sys.stderr)
        code = 1
    os._exit(code)
os.close(w)
data = b""
while True:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(child, 0)
os.close(master)
os.close(slave)
if status != 0 or not data:
    sys.exit("FAIL: the session on %s ended with status %d" % (tty, status))
out = json.loads(data)
want = {(int(pid), name, "00:00:00", c) for pid, c in out["on_tty"].items() if int(pid) != child}
fails = []
sets = {}
for lst in out["listings"]:
    what = lst["name"]
    if lst["rc"] != 0 or lst["err"]:
        fails.append("%s exited %d: %s" % (what, lst["rc"], lst["err"].strip()))
    lines = lst["out"].splitlines()
    if what != "procps":
        if not lines or lines[0] != HEADER:
            fails.append("%s: header %r, want %r" % (what, lines[:1], HEADER))
        lines = lines[1:]
    rows = set()
    for line in lines:
        f = line.split(None, 3)
        if len(f) != 4 or not f[0].isdigit():
            fails.append("%s: unreadable line %r" % (what, line))
            continue
        rows.add((int(f[0]), f[1], f[2], f[3]))
    mine = {row for row in rows if row[0] == lst["pid"]}
    if {(row[0], row[1], row[3]) for row in mine} != {(lst["pid"], name, lst["own"])}:
        fails.append("%s (pid %d) does not list itself as %s on %s: %s" % (what, lst["pid"], lst["own"], name, mine))
    rows -= mine
    sets[what] = rows
    # the sleeps and the cat have used no CPU second; the leader's time is
    # whatever procps says, the same in every listing (checked below)
    got = {row for row in rows if row[0] != child}
    if got != want:
        fails.append("%s: %s, want %s" % (what, sorted(got), sorted(want)))
    if [row[:2] + row[3:] for row in rows if row[0] == child] != [(child, name, out["on_tty"][str(child)])]:
        fails.append("%s: the session leader %d missing or doubled: %s" % (what, child, sorted(rows)))
for what, rows in sets.items():
    if rows != sets["procps"]:
        fails.append("%s: %s, procps: %s" % (what, sorted(rows), sorted(sets["procps"])))
for f in fails:
    print("FAIL: " + f, file=sys.stderr)
sys.exit(1 if fails else 0)
