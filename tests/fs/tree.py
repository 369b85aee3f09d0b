#!/usr/bin/env python3
"""Reads a mounted nprocfs tree the way a reader does, for the fs tests.

  tree.py compare MNT ROOT DUMP      the whole tree equals what nprocfs-dump
                                     prints for ROOT (every path, every value)
  tree.py agree MNT DIR...           in each DIR (relative to MNT), every name
                                     readdir gives is found by lookup, and
                                     every name lookup finds is listed
  tree.py stress MNT SECONDS         readers in threads and processes walk the
                                     tree while processes start and exit; the
                                     only error allowed is ENOENT (and EACCES
                                     where /proc restricts)

Exit 0 when the check holds, 1 with a report otherwise.
"""
import errno
import os
import random
import subprocess
import sys
import threading
import time


def escape(value: bytes) -> bytes:
    """A value as nprocfs-dump prints it: \\n, \\\\ and \\ooo escapes."""
    out = bytearray()
    for c in value:
        if c == 0x5C:
            out += b"\\\\"
        elif c == 0x0A:
            out += b"\\n"
        elif c < 0x20 or c == 0x7F:
            out += b"\\%03o" % c
        else:
            out.append(c)
    return bytes(out)


def walk_values(mnt):
    """(path, bytes) for every regular file below mnt, links not followed."""
    errors = []
    out = {}

    def onerror(e):
        errors.append("%s: %s" % (e.filename, e.strerror))

    for dirpath, dirnames, filenames in os.walk(mnt, onerror=onerror):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, mnt)
            if os.path.islink(path):
                # a file that is a link (exe, cwd, root): its text, as
                # nprocfs-dump prints it; the root's self, thread-self
                # and net are the tree's own
                if dirpath != mnt:
                    try:
                        out[rel] = os.fsencode(os.readlink(path)) + b"\n"
                    except OSError as e:
                        errors.append("%s: %s" % (rel, e.strerror))
                continue
            try:
                with open(path, "rb") as f:
                    out[rel] = f.read()
            except OSError as e:
                errors.append("%s: %s" % (rel, e.strerror))
    return out, errors


# What /proc shows only to a reader that may ptrace-read the process: the
# files of RESTRICTED_FILES, and stat's fields 26-30, 35 and 45-52 (the kernel's
# do_task_stat, fs/proc/array.c).
PTRACE_STAT = {"startcode", "endcode", "startstack", "kstkesp", "kstkeip", "wchan", "start_data", "end_data",
               "start_brk", "arg_start", "arg_end", "env_start", "env_end", "exit_code"}


RESTRICTED_FILES = {"environ", "io", "maps", "smaps", "smaps_rollup", "auxv", "fd", "ns", "exe", "cwd", "root",
                    "pagemap"}


def restricted(rel):
    parts = rel.split("/")
    return (len(parts) >= 2 and parts[1] in RESTRICTED_FILES) or (len(parts) >= 4 and parts[3] in RESTRICTED_FILES) or (len(parts) >= 2 and parts[-2] == "stat" and parts[-1] in PTRACE_STAT)


def compare(mnt, root, dump):
    values, errors = walk_values(mnt)
    bad = list(errors)
    mine = set()
    for rel, data in values.items():
        if not data.endswith(b"\n"):
            bad.append("%s: no final newline: %r" % (rel, data))
            continue
        mine.add(escape(rel.encode()) + b" " + escape(data[:-1]))
        st = os.lstat(os.path.join(mnt, rel))
        if os.path.islink(os.path.join(mnt, rel)):
            pass  # a link: its size is 0, as /proc's
        elif st.st_size == 0 and restricted(rel):
            pass  # as /proc's own files: a size would be a piece of the value
        elif st.st_size != len(data):
            bad.append("%s: st_size %d, read %d bytes" % (rel, st.st_size, len(data)))

    theirs = set(subprocess.run([dump, "--root", root], check=True, capture_output=True).stdout.splitlines())
    for pid in sorted(os.listdir(mnt)):
        if pid.isdigit() and os.path.isdir(os.path.join(mnt, pid, "task")):
            out = subprocess.run([dump, "--root", root, pid + "/task"], check=True, capture_output=True).stdout
            theirs |= set(out.splitlines())
    for line in sorted(theirs - mine):
        bad.append("missing from the mount: %r" % line)
    for line in sorted(mine - theirs):
        bad.append("not printed by nprocfs-dump: %r" % line)
    for b in bad[:50]:
        print(b)
    print("%d values compared, %d problems" % (len(mine), len(bad)))
    return 1 if bad else 0


def candidates(mnt, listed):
    """Names worth looking up in a directory: what it lists, what other
    directories list, and some that no directory should have."""
    names = set(listed)
    for d in ("", "1"):
        try:
            names |= set(os.listdir(os.path.join(mnt, d)))
        except OSError:
            pass
    names |= {"self", "thread-self", "task", "0", "01", "-1", "4294967296", "status", "stat", "meminfo",
              "environ", "io", "limits", "net", "nope", "cpu", "cpu0", "soft", "argv", "count", "..."}
    return names


def agree(mnt, dirs):
    bad = []
    for d in dirs:
        path = os.path.join(mnt, d)
        listed = set(os.listdir(path))
        for name in sorted(candidates(mnt, listed)):
            try:
                os.lstat(os.path.join(path, name))
                found = True
            except FileNotFoundError:
                found = False
            except OSError as e:
                bad.append("%s/%s: lookup: %s" % (d, name, e.strerror))
                continue
            if found != (name in listed):
                bad.append("%s/%s: %s" % (d, name, "listed, not found" if name in listed else "found, not listed"))
    for b in bad:
        print(b)
    print("%d directories checked, %d problems" % (len(dirs), len(bad)))
    return 1 if bad else 0


def allowed(path, err):
    if err == errno.ENOENT:
        return True  # the process or thread exited while we read
    parts = path.split(os.sep)
    return err == errno.EACCES and ("io" in parts or "environ" in parts)


def read_tree(mnt, deadline, rnd, problems, counts):
    """Walks a few random processes of the tree, reading every value."""
    def onerror(e):
        if not allowed(e.filename, e.errno):
            problems.append("%s: %s" % (e.filename, e.strerror))

    while time.monotonic() < deadline:
        try:
            pids = [p for p in os.listdir(mnt) if p.isdigit()]
        except OSError as e:
            problems.append("readdir /: %s" % e.strerror)
            return
        for top in rnd.sample(pids, min(4, len(pids))) + ["meminfo", "self"]:
            for dirpath, _, filenames in os.walk(os.path.join(mnt, top), onerror=onerror):
                if time.monotonic() >= deadline:
                    break  # a process's maps, per thread, at ttl=0: long; the time is what is bounded
                for name in filenames:
                    if time.monotonic() >= deadline:
                        break
                    path = os.path.join(dirpath, name)
                    try:
                        if os.path.islink(path):
                            os.readlink(path)  # exe, cwd, root: never followed out of the tree
                            counts["reads"] = counts.get("reads", 0) + 1
                            continue
                        with open(path, "rb") as f:
                            data = f.read()
                        if not data.endswith(b"\n"):
                            problems.append("%s: no final newline" % path)
                        counts["reads"] = counts.get("reads", 0) + 1
                    except OSError as e:
                        if not allowed(path, e.errno):
                            problems.append("%s: %s" % (path, e.strerror))
            if time.monotonic() >= deadline:
                break


def churn(deadline):
    """Processes (some with threads) that start and exit all the time."""
    code = "import threading,time\nfor _ in range(3): threading.Thread(target=time.sleep, args=(0.05,)).start()\n"
    while time.monotonic() < deadline:
        procs = [subprocess.Popen(["sleep", "0.02"]) for _ in range(8)]
        procs.append(subprocess.Popen([sys.executable, "-c", code]))
        for p in procs:
            p.wait()


def reader_main(mnt, seconds, seed):
    problems, counts = [], {}
    read_tree(mnt, time.monotonic() + seconds, random.Random(seed), problems, counts)
    for p in problems[:20]:
        print(p)
    return 1 if problems else 0


def stress(mnt, seconds):
    deadline = time.monotonic() + seconds
    problems, counts = [], {}
    threads = [threading.Thread(target=read_tree, args=(mnt, deadline, random.Random(i), problems, counts))
               for i in range(4)]
    threads.append(threading.Thread(target=churn, args=(deadline,)))
    readers = [subprocess.Popen([sys.executable, __file__, "reader", mnt, str(seconds), str(100 + i)])
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rc = [r.wait() for r in readers]
    for p in problems[:30]:
        print(p)
    print("%d reads in threads, reader processes exited %s, %d problems" % (counts.get("reads", 0), rc, len(problems)))
    return 1 if problems or any(rc) or counts.get("reads", 0) == 0 else 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "compare":
        return compare(argv[2], argv[3], argv[4])
    if len(argv) >= 3 and argv[1] == "agree":
        return agree(argv[2], argv[3:])
    if len(argv) == 4 and argv[1] == "stress":
        return stress(argv[2], float(argv[3]))
    if len(argv) == 5 and argv[1] == "reader":
        return reader_main(argv[2], float(argv[3]), int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
