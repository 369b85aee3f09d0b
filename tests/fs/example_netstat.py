#!/usr/bin/env python3
"""Compares the netstat examples with ss -tanpe on sockets opened here.

A helper process (comm "nprocfs-sock") listens on 127.0.0.1 and ::1 and
connects to each listener, accepting the connection: per family a LISTEN
socket and two ESTAB ones. ss -tanpe is the independent source: for each
of those sockets (found by its inode), each example must print one line
with the same local and remote address (ss's "*" port is 0), the state
(LISTEN -> Listen, ESTAB -> Established) and the owner PID/comm."""
import re
import socket
import subprocess
import sys
import time

mnt, script, prog = sys.argv[1:4]

HELPER = r"""
import socket, sys, time, ctypes
ctypes.CDLL(None).prctl(15, b"nprocfs-sock", 0, 0, 0)   # PR_SET_NAME
keep = []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    l = socket.socket(fam); l.bind((host, 0)); l.listen()
    c = socket.create_connection((host, l.getsockname()[1]))
    a, _ = l.accept()
    keep += [l, c, a]
print(" ".join(str(s.getsockname()[1]) for s in keep), flush=True)
sys.stdin.read()
"""

STATES = {"LISTEN": "Listen", "ESTAB": "Established"}


def ss_sockets(pid):
    """inode -> (local, remote, state, owner) for the sockets of pid."""
    out = subprocess.run(["ss", "-tanpe"], check=True, capture_output=True, text=True).stdout
    got = {}
    for line in out.splitlines()[1:]:
        if "pid=%d," % pid not in line:
            continue
        f = line.split()
        state, local, remote = f[0], f[3], f[4]
        ino = re.search(r"\bino:(\d+)", line).group(1)
        comm = re.search(r'users:\(\("([^"]*)",pid=(\d+)', line)
        remote = re.sub(r":\*$", ":0", remote)
        local = re.sub(r"^\[::ffff:", "[", local)
        got[ino] = (local, remote, STATES.get(state, state), "%s/%s" % (comm.group(2), comm.group(1)))
    return got


def example_lines(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120).stdout
    lines = out.splitlines()
    if not lines or not lines[0].startswith("Local address"):
        raise SystemExit("%s: no header: %r" % (cmd[0], lines[:1]))
    rows = {}
    for line in lines[1:]:
        f = line.split(None, 4)  # a comm may hold blanks
        if len(f) != 5:
            raise SystemExit("%s: bad line %r" % (cmd[0], line))
        rows.setdefault(f[3], []).append((f[0], f[1], f[2], f[4]))
    return rows


def main():
    try:
        socket.socket(socket.AF_INET6).bind(("::1", 0))
    except OSError as e:
        print("WARNING: ::1 cannot be bound here (%s): only 127.0.0.1 is tested" % e, file=sys.stderr)
        return 1
    helper = subprocess.Popen([sys.executable, "-c", HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        helper.stdout.readline()
        want = ss_sockets(helper.pid)
        if len(want) != 6:
            print("ss shows %d sockets of the helper, want 6: %r" % (len(want), want))
            return 1
        bad = 0
        for cmd in ([script, mnt], [prog]):
            rows = example_lines(cmd)
            for ino, w in sorted(want.items()):
                got = rows.get(ino, [])
                if got != [w]:
                    print("%s: inode %s: %r, ss says %r" % (cmd[0], ino, got, w))
                    bad += 1
        print("%d sockets, 2 examples, %d problems" % (len(want), bad))
        return 1 if bad else 0
    finally:
        helper.stdin.close()
        helper.wait(timeout=10)


sys.exit(main())
