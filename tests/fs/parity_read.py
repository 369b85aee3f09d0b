"""Reads, as whoever runs it, what /proc and the mount show of some processes,
and prints it as JSON: {"proc": {pid: {file: text}}, "mnt": {pid: {entry:
value}}, "attr": {pid: {entry: size}}}. An error is "!" and its errno name.

    parity_read.py MNT FILE[,FILE...] PID...
"""
import errno
import json
import os
import sys


def err(e):
    return "!" + errno.errorcode.get(e.errno, str(e.errno))


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except OSError as e:
        return err(e)


def walk(base, rel, out, attr):
    path = os.path.join(base, rel)
    try:
        names = sorted(os.listdir(path))
    except NotADirectoryError:
        out[rel] = read(path)
        try:
            attr[rel] = os.stat(path).st_size
        except OSError as e:
            attr[rel] = err(e)
        return
    except OSError as e:
        out[rel] = err(e)
        return
    for n in names:
        walk(base, os.path.join(rel, n), out, attr)


def main():
    mnt, files, pids = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
    res = {"proc": {}, "mnt": {}, "attr": {}}
    for pid in pids:
        res["proc"][pid] = {f: read("/proc/%s/%s" % (pid, f)) for f in files}
        res["proc"][pid]["task/stat"] = read("/proc/%s/task/%s/stat" % (pid, pid))
        out, attr = {}, {}
        for f in files:
            walk(os.path.join(mnt, pid), f, out, attr)
        walk(os.path.join(mnt, pid), "task/%s/stat" % pid, out, attr)
        res["mnt"][pid] = out
        res["attr"][pid] = attr
    json.dump(res, sys.stdout)


main()
