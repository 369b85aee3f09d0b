#!/usr/bin/env bash
# The hand-made 2.6 tree, mounted: the listing of each directory, values
# worked out by hand from fixtures/README.md, what a 2.6 kernel lacks
# (ENOENT), owners and modes, xattrs, and ordinary tools (cat, grep -r,
# find, wc -c, head, tail, stat, Python) reading it right.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd getfattr python3

start_fs --root "$FIXTURES/linux-2.6"

# listings: no self (the tree has no such link), no comm anywhere, no 1/task
expect_ls "" 1 4242 cpuinfo loadavg meminfo net osrelease stat uptime
expect_ls net tcp
# net/tcp lines 2, 3: "0: 0100007F:0016 00000000:0000 0A ... 0 0 2001", "1: ... 0100007F:A000 01 00000010:00000020 ... 1000 0 2002"
expect net/tcp/0/local_address 127.0.0.1
expect net/tcp/0/local_port 22
expect net/tcp/0/state listen
expect net/tcp/0/state_code 0A
expect net/tcp/0/inode 2001
expect net/tcp/1/remote_port 40960
expect net/tcp/1/state established
expect net/tcp/1/tx_queue 16
expect net/tcp/1/rx_queue 32
expect net/tcp/1/uid 1000
expect_ls 1 cmdline stat statm status
expect_ls 4242 cmdline cwd exe fd io limits maps mountstats root smaps stat statm status task
expect_ls 4242/task 4242
expect_ls 4242/task/4242 stat status
expect_ls 4242/limits max_address_space max_core_file_size max_cpu_time max_data_size max_file_locks \
        max_file_size max_locked_memory max_msgqueue_size max_nice_priority max_open_files \
        max_pending_signals max_processes max_realtime_priority max_resident_set max_stack_size
expect_ls 4242/limits/max_open_files hard soft
expect_ls 4242/cmdline 0 1 2 argc argv
expect_ls 4242/io cancelled_write_bytes rchar_bytes read_bytes syscr syscw wchar_bytes write_bytes
expect_ls stat btime_unix_ns cpu cpu0 cpu1 ctxt intr_total processes procs_blocked procs_running
expect_ls stat/cpu1 idle_ns iowait_ns irq_ns nice_ns softirq_ns steal_ns system_ns user_ns
expect_ls uptime idle_ns uptime_ns
expect_ls 4242/smaps 00400000-00401000 00600000-00601000 00601000-00622000 2aaaaaaab000-2aaaaaaad000 \
        2aaaaaaad000-2aaaaaaae000 7fff5fc00000-7fff5fc15000 ffffffffff600000-ffffffffffe00000 rss_bytes uss_bytes
expect_ls 4242/smaps/00601000-00622000 dev dev_major dev_minor end_address inode kind offset pathname perm_exec \
        perm_read perm_shared perm_write perms private_clean_bytes private_dirty_bytes rss_bytes shared_clean_bytes \
        shared_dirty_bytes size_bytes start_address
expect_ls cpuinfo 0 1
[ "$(ls "$MNT/meminfo" | wc -l)" -eq 30 ] || fail "meminfo: $(ls "$MNT/meminfo" | wc -l) entries, want 30"

# 1/stat: ticks x 10 000 000 ns, pages x 4096
expect 1/stat/comm init
expect 1/stat/state sleeping
expect 1/stat/state_code S
expect 1/stat/tpgid -1
expect 1/stat/cminflt 100000
expect 1/stat/utime_ns 1000000000
expect 1/stat/stime_ns 2000000000
expect 1/stat/cutime_ns 50000000000
expect 1/stat/starttime_ns 50000000
expect 1/stat/rss_bytes 409600
expect 1/stat/rsslim_bytes max
# 4242/stat and its thread
expect 4242/stat/comm "my (odd) name"
expect 4242/stat/state running
expect 4242/stat/tty_nr 34816
expect 4242/stat/utime_ns 2500000000
expect 4242/stat/starttime_ns 500000000000
expect 4242/stat/vsize_bytes 10485760
expect 4242/stat/rss_bytes 1228800
expect 4242/stat/rsslim_bytes 1073741824
expect 4242/stat/sigignore 0x1000
expect 4242/stat/sigcatch 0x4000
expect 4242/stat/delayacct_blkio_ns 300000000
expect 4242/task/4242/stat/utime_ns 2500000000
# status
expect 4242/status/name "my (odd) name"
expect 4242/status/uid_real 1000
expect 4242/status/uid_effective 1001
expect 4242/status/uid_saved 1002
expect 4242/status/uid_fs 1003
expect 4242/status/gid_effective 101
expect 4242/status/groups $'100\n1000'
expect 4242/status/vmpeak_bytes 12582912
expect 4242/status/vmrss_bytes 1228800
expect 4242/status/sigq_queued 1
expect 4242/status/sigq_limit 16384
expect 1/status/vmrss_bytes 409600
expect 1/status/groups ""
expect 4242/task/4242/status/vmrss_bytes 1228800
# statm, cmdline, io, limits
expect 4242/statm/size_bytes 10485760
expect 1/statm/shared_bytes 327680
expect 1/cmdline/argc 1
expect 1/cmdline/0 /sbin/init
expect 4242/cmdline/argc 3
expect 4242/cmdline/1 --flag
expect 4242/cmdline/2 "arg with space"
[ "$(python3 -c 'import sys; print(repr(open(sys.argv[1], "rb").read()))' "$MNT/4242/cmdline/argv")" = \
        "b'/usr/bin/odd\\x00--flag\\x00arg with space\\x00\\n'" ] || fail "4242/cmdline/argv"
expect 4242/io/rchar_bytes 1048576
expect 4242/io/write_bytes 8192
expect 4242/limits/max_cpu_time/soft_ns max
expect 4242/limits/max_stack_size/soft_bytes 10485760
expect 4242/limits/max_processes/hard 16384
expect 4242/limits/max_open_files/soft 1024
expect 4242/limits/max_open_files/hard 4096
expect 4242/limits/max_nice_priority/soft 0
# system-wide
expect meminfo/memtotal_bytes 2097152000
expect meminfo/vmalloctotal_bytes 35184372087808
expect meminfo/hugepages_total 0
expect meminfo/hugepagesize_bytes 2097152
expect stat/cpu0/user_ns 50000000000
expect stat/cpu1/idle_ns 950000000000
expect stat/btime_unix_ns 1200000000000000000
expect stat/ctxt 2000000
expect loadavg/load1 0.50
expect loadavg/load15 0.10
expect loadavg/last_pid 4242
expect uptime/uptime_ns 1000000000000
expect osrelease/release 2.6.18-8.el5
expect osrelease/minor 6
# 4242/smaps: lines 15-21 ([heap]); the totals, (4 + 60) kB and 72 kB
expect 4242/smaps/00601000-00622000/size_bytes 135168
expect 4242/smaps/00601000-00622000/rss_bytes 40960
expect 4242/smaps/00601000-00622000/private_dirty_bytes 40960
expect 4242/smaps/2aaaaaaad000-2aaaaaaae000/private_clean_bytes 4096
expect 4242/smaps/uss_bytes 65536
expect 4242/smaps/rss_bytes 73728
# cpuinfo: lines 5, 8, 34, 41
expect cpuinfo/0/model_name "Intel(R) Xeon(R) CPU            5130  @ 2.00GHz"
expect cpuinfo/0/cache_size_bytes 4194304
expect cpuinfo/1/core_id 1
expect cpuinfo/1/bogomips 3999.50
# 4242/mountstats: an NFSv3 mount of 2.6.18 (statvers=1.0) at line 5, row 4 (fixtures/README.md)
expect_ls 4242/mountstats 0 1 2 3 4 5
expect 4242/mountstats/4/device 192.0.2.10:/export/home
expect 4242/mountstats/4/statvers 1.0
expect 4242/mountstats/4/age_ns 3600000000000   # line 7: "age:\t3600"
expect 4242/mountstats/4/vfsopen 1005           # line 10, the 5th event
expect 4242/mountstats/4/delay 1025             # ... the 25th, the last of statvers 1.0
expect 4242/mountstats/4/serverread_bytes 1052672 # line 11, the 5th
expect 4242/mountstats/4/sec $'flavor=1\npseudoflavor=1'
expect 4242/mountstats/4/xprt "tcp 800 1 1 0 0 2000 2000 0 4000 0"
[ "$(grep -c . "$MNT/4242/mountstats/4/per_op")" -eq 22 ] || fail "4242/mountstats/4/per_op: not the 22 NFSv3 procedures"
expect 4242/mountstats/5/mount_point /boot      # line 38, after the NFS block

# what the 2.6 kernel does not have is absent, never a made-up value
for f in 1/comm 4242/comm 1/limits 1/io 1/task 4242/limits/max_realtime_timeout meminfo/memavailable_bytes \
        4242/status/vmswap_bytes 4242/status/umask 1/stat/exit_code stat/cpu0/guest_ns self thread-self net/tcp6 net/tcp/2 \
        1/smaps 4242/smaps_rollup 4242/task/4242/smaps 4242/smaps/pss_bytes 4242/smaps/swap_bytes \
        4242/smaps/00400000-00401000/pss_bytes 4242/smaps/00400000-00401000/vmflags cpuinfo/0/bugs 4242/mountinfo \
        1/mountstats 4242/mountstats/4/pnfs_read 4242/mountstats/4/nfsv4 4242/mountstats/0/statvers; do
        expect_errno "$f" "No such file or directory"
done

# owners and modes: a process's entries are its effective ids'; io is 0400
[ "$(stat -c '%u:%g %a' "$MNT/4242")" = "1001:101 555" ] || fail "4242: $(stat -c '%u:%g %a' "$MNT/4242")"
[ "$(stat -c '%u:%g %a' "$MNT/4242/status/name")" = "1001:101 444" ] || fail "status/name: $(stat -c '%u:%g %a' "$MNT/4242/status/name")"
[ "$(stat -c '%a' "$MNT/4242/io")" = 500 ] || fail "4242/io: mode $(stat -c %a "$MNT/4242/io")"
[ "$(stat -c '%a' "$MNT/4242/io/rchar_bytes")" = 400 ] || fail "io/rchar_bytes: mode $(stat -c %a "$MNT/4242/io/rchar_bytes")"
[ "$(stat -c '%u:%g %a' "$MNT/meminfo/memfree_bytes")" = "0:0 444" ] || fail "meminfo: $(stat -c '%u:%g %a' "$MNT/meminfo/memfree_bytes")"
# a process's directory is dated by its start: btime 1200000000 + 500 s
[ "$(stat -c %Y "$MNT/4242")" = 1200000500 ] || fail "4242: mtime $(stat -c %Y "$MNT/4242")"
[ "$(stat -c %F "$MNT/4242/stat/pid")" = "regular file" ] || fail "stat/pid is a $(stat -c %F "$MNT/4242/stat/pid")"

# sizes are exact, so tools that trust them read it right
[ "$(stat -c %s "$MNT/meminfo/memtotal_bytes")" = 11 ] || fail "memtotal_bytes: size $(stat -c %s "$MNT/meminfo/memtotal_bytes")"
[ "$(wc -c <"$MNT/4242/stat/comm")" = 14 ] || fail "wc -c 4242/stat/comm"
[ "$(head -c 4 "$MNT/meminfo/memtotal_bytes")" = 2097 ] || fail "head -c 4"
[ "$(tail -c 4 "$MNT/meminfo/memtotal_bytes" | od -An -c | tr -d ' ')" = '000\n' ] || fail "tail -c 4"
[ "$(tail -n 1 "$MNT/4242/status/groups")" = 1000 ] || fail "tail -n 1 groups"
[ "$(python3 -c 'import sys; print(repr(open(sys.argv[1]).read()))' "$MNT/4242/stat/comm")" = "'my (odd) name\\n'" ] ||
        fail "python open().read()"
[ "$(grep -r . "$MNT/meminfo" | wc -l)" = 30 ] || fail "grep -r meminfo: $(grep -r . "$MNT/meminfo" | wc -l) lines"
[ "$(grep -rh . "$MNT/4242/io" | sort -n | tail -1)" = 1048576 ] || fail "grep -rh io"
[ "$(find "$MNT/4242/limits" -type f | wc -l)" = 30 ] || fail "find 4242/limits -type f"
# 410, maps: 7 mappings, 6 of 15 entries (with a pathname) and 1 of 14; smaps: 6 of 14 + 6 keys, 1 of
# 13 + 6, and uss_bytes, rss_bytes (141); cpuinfo: 2 processors of 22 keys (44); fd: 0 with target,
# type, path, deleted, pos, flags; 1 and 3 with target, type, inode (12; exe, cwd, root are symlinks);
# net/tcp: 2 sockets of 21 fields (42); mountstats: 5 mounts of 3 and the NFS one of 47 (device,
# mount_point, fstype, statvers, opts, age_ns, caps, sec, 25 events, 8 bytes, 4 of the RPC line, xprt,
# per_op: 62)
[ "$(find "$MNT" -type f | wc -l)" = 815 ] || fail "find -type f: $(find "$MNT" -type f | wc -l) files, want 815"
[ "$(find "$MNT" -type l | wc -l)" = 3 ] || fail "find -type l: $(find "$MNT" -type l | wc -l) links, want 3"
# / 8 system dirs (stat: cpu cpu0 cpu1), 1 + 4, 4242 + 6 + 15 limit rows + task/4242/{stat,status},
# 4242/smaps + 7 mappings, cpuinfo + 2 processors, fd with 0, 1, 3, net with tcp and its 2 rows,
# 4242/mountstats + 6 mounts
[ "$(find "$MNT" -type d | wc -l)" = 74 ] || fail "find -type d: $(find "$MNT" -type d | wc -l) directories, want 74"

# extended attributes: type, unit, source, doc
xa() { getfattr --absolute-names --only-values -n "user.nprocfs.$2" "$MNT/$1" 2>&1; }
[ "$(xa 4242/status/vmrss_bytes type)" = u64 ] || fail "xattr type: $(xa 4242/status/vmrss_bytes type)"
[ "$(xa 4242/status/vmrss_bytes unit)" = bytes ] || fail "xattr unit: $(xa 4242/status/vmrss_bytes unit)"
[ "$(xa 4242/status/vmrss_bytes source)" = "/proc/<pid>/status:VmRSS" ] || fail "xattr source: $(xa 4242/status/vmrss_bytes source)"
[ "$(xa 4242/status/vmrss_bytes doc)" = "Resident set size: rssanon + rssfile + rssshmem" ] || fail "xattr doc"
[ "$(xa 4242/stat/state type)" = enum ] || fail "stat/state type: $(xa 4242/stat/state type)"
[ "$(xa loadavg/load1 type)" = decimal ] || fail "load1 type: $(xa loadavg/load1 type)"
[ "$(xa 4242/stat/utime_ns unit)" = ns ] || fail "utime_ns unit: $(xa 4242/stat/utime_ns unit)"
[ "$(xa 4242/stat/comm unit)" = "" ] || fail "comm unit: $(xa 4242/stat/comm unit)"
[ "$(xa 4242/status source)" = "/proc/<pid>/status" ] || fail "status dir source: $(xa 4242/status source)"
[ "$(getfattr --absolute-names -d -m - "$MNT/4242/status/vmrss_bytes" 2>/dev/null | grep -c '^user.nprocfs')" = 4 ] || fail "getfattr -d"
getfattr -n user.nprocfs.nope "$MNT/4242/status/vmrss_bytes" >/dev/null 2>&1 && fail "unknown xattr found"

# the whole tree, and lookup against readdir
python3 "$FS_TESTS/tree.py" compare "$MNT" "$FIXTURES/linux-2.6" "$NPROCFS_DUMP" || fail "tree differs from nprocfs-dump"
python3 "$FS_TESTS/tree.py" agree "$MNT" "" 1 4242 4242/task 4242/task/4242 4242/limits 4242/limits/max_open_files \
        4242/cmdline stat stat/cpu0 4242/smaps 4242/smaps/2aaaaaaab000-2aaaaaaad000 cpuinfo cpuinfo/0 ||
        fail "lookup and readdir disagree"

finish
