#!/usr/bin/env bash
# examples/self_memory.sh (over the mount) and examples/self_memory.c (over
# the library) print the same report, in the crate's words, about the
# process they run in: while each waits (--wait), this test reads that
# process's /proc/<pid>/status and compares. VmSize must be equal for the
# C one: nothing maps or unmaps between its reads and its wait; bash's heap
# may have grown by then (1 MiB allowed). VmRSS may have grown by what
# printing touched (stdio buffers, code first run after the reads): 64 KiB
# allowed, 256 KiB under the sanitizers (whose shadow memory is touched
# too); stat's and statm's, read before status, may be 1 MiB lower. Page
# counts must be bytes / page size. PSS, USS and swap are n/a until the
# tree has smaps_rollup; where it has, they are checked against
# /proc/<pid>/smaps_rollup.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3 getconf

start_fs
python3 - "$MNT" "$EXAMPLES/self_memory.sh" "$EXAMPLE_SELF_MEMORY" <<'PY' || fail "the self_memory examples"
import os, re, subprocess, sys

mnt, script, prog = sys.argv[1:4]
page = os.sysconf("SC_PAGE_SIZE")
slack = (256 if os.environ.get("NPROCFS_SANITIZED") == "1" else 64) * 1024
early = 1024 * 1024
N = r"([0-9]+)"
PAGES = N + r" pages \(" + N + r" bytes\)"
NA = "n/a (needs smaps)"
TEMPLATE = [  # the report, line by line; groups are the numbers checked below
    ("pid", r"PID: " + N),
    ("page", r"Memory page size: " + N),
    (None, r"== Data from /proc/self/stat:"),
    ("stat vsize", r"Total virtual memory used: " + N + " bytes"),
    ("stat rss", r"Total resident set: " + PAGES),
    (None, r""),
    (None, r"== Data from /proc/self/statm:"),
    ("statm size", r"Total virtual memory used: " + PAGES),
    ("statm rss", r"Total resident set: " + PAGES),
    ("statm shared", r"Total shared memory: " + PAGES),
    (None, r""),
    (None, r"== Data from /proc/self/status:"),
    ("status vsize", r"Total virtual memory used: " + N + " bytes"),
    ("status rss", r"Total resident set: " + N + " bytes"),
    ("status shared", r"Total shared memory: " + N + " bytes"),
    (None, r""),
    (None, r"== Data from /proc/self/smaps_rollup:"),
    ("pss", r"Total proportional set size \(PSS\): (.*)"),
    ("uss", r"Total unique set size \(USS\): (.*)"),
    ("swap", r"Total swapped out: (.*)"),
]
fails = []


def kv(path):
    """A /proc key: value kB file, in bytes."""
    got = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.partition(":")
            v = v.split()
            if len(v) == 2 and v[1] == "kB":
                got[k] = int(v[0]) * 1024
    return got


def near(what, got, want, below=None):
    below = slack if below is None else below
    if not want - below <= got <= want + slack:
        fails.append("%s: %s %d, /proc says %d (not within -%d..+%d)" % (name, what, got, want, below, slack))


for name, argv in [("self_memory.sh", ["bash", script, mnt, "--wait"]), ("self_memory", [prog, "--wait"])]:
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read().decode()  # until it closes its stdout: it now waits
    try:
        status = kv("/proc/%d/status" % p.pid)
        rollup = kv("/proc/%d/smaps_rollup" % p.pid)
        tree_has_rollup = os.path.exists("%s/%d/smaps_rollup" % (mnt, p.pid))
    finally:
        p.stdin.write(b"\n")
        p.stdin.close()
        err = p.stderr.read().decode()
        rc = p.wait()
    if rc != 0 or err:
        fails.append("%s exited %d: %s" % (name, rc, err.strip()))
    lines = out.splitlines()
    if len(lines) != len(TEMPLATE):
        fails.append("%s: %d lines, want %d:\n%s" % (name, len(lines), len(TEMPLATE), out))
        continue
    v = {}
    for line, (key, pattern) in zip(lines, TEMPLATE):
        m = re.fullmatch(pattern, line)
        if not m:
            fails.append("%s: %r does not read as %r" % (name, line, pattern))
        elif key:
            v[key] = m.groups()
    if len(v) != len([k for k, _ in TEMPLATE if k]):
        continue
    if int(v["pid"][0]) != p.pid:
        fails.append("%s: PID %s, but it is %d" % (name, v["pid"][0], p.pid))
    if int(v["page"][0]) != page:
        fails.append("%s: page size %s, want %d" % (name, v["page"][0], page))
    for key, g in v.items():
        if len(g) == 2 and int(g[1]) != int(g[0]) * page:
            fails.append("%s: %s: %s pages are not %s bytes" % (name, key, g[0], g[1]))
    for key in ["stat vsize", "statm size", "status vsize"]:
        got = int(v[key][-1])
        if name == "self_memory.sh":
            # bash allocates as it prints; its heap grows in 132 KiB steps,
            # at a point that depends on the size of its environment
            if not 0 <= status["VmSize"] - got <= early:
                fails.append("%s: %s %d, /proc's VmSize %d (more than %d apart)" % (name, key, got,
                                                                                   status["VmSize"], early))
        elif got != status["VmSize"]:
            fails.append("%s: %s %d, /proc's VmSize %d" % (name, key, got, status["VmSize"]))
    near("status rss", int(v["status rss"][0]), status["VmRSS"])
    near("status shared", int(v["status shared"][0]), status["RssFile"] + status["RssShmem"])
    # stat and statm were read before status: reading it faulted in more
    # (seen: 190 KiB of the library's code), so they may be that much lower
    near("stat rss", int(v["stat rss"][1]), status["VmRSS"], early)
    near("statm rss", int(v["statm rss"][1]), status["VmRSS"], early)
    near("statm shared", int(v["statm shared"][1]), status["RssFile"] + status["RssShmem"], early)
    # both read smaps_rollup where this kernel has it (the script: where the tree has it)
    numbers = bool(rollup) and (name != "self_memory.sh" or tree_has_rollup)
    for key, want in [("pss", rollup["Pss"]), ("uss", rollup["Private_Clean"] + rollup["Private_Dirty"]),
                      ("swap", rollup["Swap"])]:
        got = v[key][0]
        if not numbers:
            if got != NA:
                fails.append("%s: %s %r, want %r" % (name, key, got, NA))
        elif not re.fullmatch(N + " bytes", got):
            fails.append("%s: %s %r, want a number of bytes" % (name, key, got))
        else:
            near(key, int(got.split()[0]), want)
for f in fails:
    print("FAIL: " + f, file=sys.stderr)
sys.exit(1 if fails else 0)
PY
finish
