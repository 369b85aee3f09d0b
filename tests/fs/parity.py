"""Compares what one caller reads in the mount with what the same caller
reads in /proc (both from parity_read.py), field by field:

- a file /proc refuses this caller: every entry of it is refused (EACCES)
  or not listed, and nothing of it is read;
- stat: the fields /proc shows this caller only if it may ptrace-read the
  process (fields 26-30, 35, 45-52 of proc(5); placeholders otherwise) are
  refused (EACCES) when /proc showed this caller a placeholder (its value
  differs from root's), else equal to /proc's; the other raw fields equal
  /proc's;
- a restricted entry's size is 0 for whoever may read it, and refused to
  whoever may not;
- the values that do not move (names, counts, ids) equal /proc's.

    parity.py ROOT.json CALLER.json LABEL [EXPECT]
EXPECT, when given, is "permitted" or "refused": what the test set up
says the caller is for every target (the kernel's placeholders must agree).
"""
import json
import sys

# proc(5) positions (from 1) of stat fields, written from its table
PTRACE = {"startcode": 26, "endcode": 27, "startstack": 28, "kstkesp": 29, "kstkeip": 30, "wchan": 35,
          "start_data": 45, "end_data": 46, "start_brk": 47, "arg_start": 48, "arg_end": 49, "env_start": 50,
          "env_end": 51, "exit_code": 52}
RAW = {"pid": 1, "ppid": 4, "pgrp": 5, "session": 6, "num_threads": 20, "exit_signal": 38, "rt_priority": 40,
       "policy": 41}
RESTRICTED_FILES = {"environ", "io", "maps"}


def fields(stat):
    """proc(5) numbering: field n is at index n."""
    close = stat.rindex(")")
    return [None, stat[:stat.index("(")].strip(), stat[stat.index("(") + 1:close]] + stat[close + 2:].split()


def main():
    root, me, label = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
    expect = sys.argv[4] if len(sys.argv) > 4 else None
    bad, checked = [], 0

    for pid, proc in me["proc"].items():
        mnt, attr = me["mnt"][pid], me["attr"][pid]
        where = "%s, pid %s" % (label, pid)
        # whole files
        for f, text in proc.items():
            if f == "task/stat":
                continue
            mine = {k: v for k, v in mnt.items() if k == f or k.startswith(f + "/")}
            if text.startswith("!"):
                for k, v in mine.items():
                    checked += 1
                    if not v.startswith("!"):
                        bad.append("%s: /proc refuses %s (%s), the mount gives %s = %r" % (where, f, text, k, v))
            elif f in RESTRICTED_FILES:
                for k, v in mine.items():
                    checked += 1
                    if v.startswith("!"):
                        bad.append("%s: /proc gives %s, the mount refuses %s (%s)" % (where, f, k, v))
                    elif attr.get(k) != 0:
                        bad.append("%s: %s has size %r, want 0" % (where, k, attr.get(k)))
        # stat, field by field, for the process and its thread
        for f, prefix in (("stat", "stat/"), ("task/stat", "task/%s/stat/" % pid)):
            text, rtext = proc[f], root["proc"][pid][f]
            if text.startswith("!") or rtext.startswith("!"):
                bad.append("%s: /proc %s unreadable (%s, root: %s)" % (where, f, text[:20], rtext[:20]))
                continue
            v, rv = fields(text), fields(rtext)
            placeholder = [n for n, i in PTRACE.items() if i < len(v) and i < len(rv) and v[i] != rv[i]]
            if expect == "permitted" and placeholder:
                bad.append("%s: /proc showed placeholders (%s) to a caller set up as permitted" % (where, placeholder))
            if expect == "refused" and not placeholder:
                bad.append("%s: /proc showed the real %s fields to a caller set up as refused" % (where, f))
            for n, i in PTRACE.items():
                if i >= len(v):
                    continue
                got = mnt.get(prefix + n)
                checked += 1
                if placeholder:
                    if got != "!EACCES":
                        bad.append("%s: %s%s = %r, want EACCES (/proc showed a placeholder)" % (where, prefix, n, got))
                    elif attr.get(prefix + n) not in (0, "!EACCES"):
                        bad.append("%s: %s%s has size %r" % (where, prefix, n, attr.get(prefix + n)))
                elif got != v[i] + "\n":
                    bad.append("%s: %s%s = %r, /proc says %r" % (where, prefix, n, got, v[i]))
            for n, i in RAW.items():
                checked += 1
                if mnt.get(prefix + n) != v[i] + "\n":
                    bad.append("%s: %s%s = %r, /proc says %r" % (where, prefix, n, mnt.get(prefix + n), v[i]))
        # values that do not move
        comm = proc["comm"]
        if not comm.startswith("!"):
            checked += 2
            if mnt.get("comm/name") != comm:
                bad.append("%s: comm/name = %r, /proc %r" % (where, mnt.get("comm/name"), comm))
            if mnt.get("status/name") != comm:
                bad.append("%s: status/name = %r, /proc %r" % (where, mnt.get("status/name"), comm))
        env = proc.get("environ", "!")
        if not env.startswith("!"):
            checked += 1
            if mnt.get("environ/count") != "%d\n" % env.count("\0"):
                bad.append("%s: environ/count = %r, /proc has %d" % (where, mnt.get("environ/count"), env.count("\0")))
        cmd = proc["cmdline"]
        if not cmd.startswith("!") and cmd:
            checked += 1
            if mnt.get("cmdline/0") != cmd.split("\0")[0] + "\n":
                bad.append("%s: cmdline/0 = %r, /proc %r" % (where, mnt.get("cmdline/0"), cmd.split("\0")[0]))
    for b in bad:
        print("FAIL:", b, file=sys.stderr)
    print("%s: %d entries compared, %d differ" % (label, checked, len(bad)))
    if checked == 0:
        print("FAIL: %s: nothing compared" % label, file=sys.stderr)
        return 1
    return 1 if bad else 0


sys.exit(main())
