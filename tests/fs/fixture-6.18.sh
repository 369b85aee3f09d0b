#!/usr/bin/env bash
# The capture of a Linux 6.18 machine, mounted: the listings, values read
# by hand from the captured files (fixtures/README.md), the snapshot's own
# self and thread-self, threads, and the whole tree against nprocfs-dump.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3

start_fs --root "$FIXTURES/linux-6.18"

expect_ls "" 1 10322 10324 10330 cpuinfo loadavg meminfo net osrelease self stat thread-self uptime
expect_ls 1 cmdline comm limits mountinfo mountstats net stat statm status task
expect_ls 10322 auxv cmdline comm cwd exe fd io limits maps mountinfo mountstats net ns root smaps smaps_rollup stat statm status task
expect_ls 10324 auxv cmdline comm cwd environ exe fd io limits maps mountinfo mountstats net ns root smaps smaps_rollup stat statm status task
expect_ls 1/task 1 59 60 61 62 63 64 65 68 69 75 76 78
expect_ls 10330/task 10330 10336 10337 10338
expect_ls 10330/task/10336 cmdline comm io stat statm status
expect_ls 10324/cmdline 0 1 argc argv
expect_ls 10324/environ 0 1 count vars
expect_ls cpuinfo 0 1
[ "$(ls "$MNT/10324/smaps" | wc -l)" -eq 28 ] || fail "10324/smaps: $(ls "$MNT/10324/smaps" | wc -l) entries, want 24 mappings + 4 totals"

# the snapshot's links, as it recorded them
[ "$(readlink "$MNT/self")" = 10324 ] || fail "self -> $(readlink "$MNT/self")"
[ "$(readlink "$MNT/thread-self")" = 10324/task/10324 ] || fail "thread-self -> $(readlink "$MNT/thread-self")"
expect self/stat/comm sleep
expect thread-self/status/pid 10324

# 10324/stat: "10324 (sleep) S 10322 9059 2088 ... 34793 2560000 351 ..."
expect 10324/stat/pid 10324
expect 10324/stat/comm sleep
expect 10324/stat/state sleeping
expect 10324/stat/ppid 10322
expect 10324/stat/pgrp 9059
expect 10324/stat/session 2088
expect 10324/stat/starttime_ns 347930000000
expect 10324/stat/vsize_bytes 2560000
expect 10324/stat/rss_bytes 1437696
expect 10324/stat/rsslim_bytes max
expect 10324/stat/exit_signal 17
expect 10324/status/vmrss_bytes 1601536
expect 10324/status/umask 0022 # "Umask:\t0022"
expect 10324/status/groups ""
expect 10324/status/capeff 0x1fffeffffff
expect 10330/status/threads 4
expect 10330/task/10337/comm/name nprocfs-w1
expect 10330/task/10338/stat/comm nprocfs-w2
expect 10324/cmdline/argc 2
expect 10324/cmdline/0 sleep
expect 10324/cmdline/1 1000
expect 10324/environ/count 2
expect 10324/environ/0 NPROCFS_FIXTURE=1
expect 10324/environ/1 PATH=/usr/bin:/bin
expect 10324/limits/max_open_files/soft 20000
expect meminfo/memtotal_bytes 25276514304
expect meminfo/zswap_bytes 0
expect stat/cpu/user_ns 20660000000
expect stat/cpu0/guest_nice_ns 0
expect stat/btime_unix_ns 1795303096000000000
expect loadavg/load1 0.39
expect uptime/uptime_ns 349280000000
expect osrelease/release 6.18.44-fc-v595
expect osrelease/patch 44
# 10324/auxv (second capture): 23 pairs of u64, the last AT_NULL (od -A d -t u8)
expect_ls 10324/auxv at_base at_clktck at_egid at_entry at_euid at_execfn at_flags at_gid at_hwcap at_hwcap2 \
        at_minsigstksz at_pagesz at_phdr at_phent at_phnum at_platform at_random at_rseq_align at_rseq_feature_size \
        at_secure at_sysinfo_ehdr at_uid
expect 10324/auxv/at_pagesz 4096                   # byte 48: 6, 4096
expect 10324/auxv/at_sysinfo_ehdr 139848510705664  # byte 0: 33, the [vdso] start 0x7f3104cd9000
expect 10324/auxv/at_hwcap 0x1f8bfbff              # byte 32: 16, 529267711
expect 10324/auxv/at_secure 0                      # byte 240: 23, 0
expect_errno 1/auxv "No such file or directory"    # not captured: unreadable even for root
# 10324/smaps (second capture): lines 126-136, [heap]; lines 151-155, anonymous; the totals
expect 10324/smaps/563c34375000-563c34396000/rss_bytes 4096
expect 10324/smaps/563c34375000-563c34396000/kind heap
expect 10324/smaps/7f3104ae1000-7f3104ae4000/kind anonymous
expect 10324/smaps/563bf9634000-563bf9636000/vmflags $'rd\nmr\nmw\nme'
expect 10324/smaps/uss_bytes 106496
expect 10324/smaps/pss_bytes 228352
expect 10324/smaps/swap_bytes 0
expect 10324/smaps/rss_bytes 1572864
# 10324/smaps_rollup (first capture): "Rss: 1564 kB", "Pss: 380 kB"
expect 10324/smaps_rollup/rss_bytes 1601536
expect 10324/smaps_rollup/pss_bytes 389120
# cpuinfo: lines 5, 8, 9, 26, 49
expect cpuinfo/0/model_name "Intel(R) Xeon(R) Processor"
expect cpuinfo/0/cpu_mhz 2299.998
expect cpuinfo/0/cache_size_bytes 272629760
expect cpuinfo/0/power_management ""
expect cpuinfo/1/bogomips 4599.99

# 10324/mountinfo line 6: "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,..."; line 1: "22 27 0:21 / /proc ..."
expect 10324/mountinfo/27/parent_id 1
expect 10324/mountinfo/27/dev 254:0
expect 10324/mountinfo/27/mount_point /
expect 10324/mountinfo/27/optional_fields ""
expect 10324/mountinfo/27/fs_type ext4
expect 10324/mountinfo/27/source /dev/vda
expect 10324/mountinfo/27/super_options rw,discard,resv_strict,resuid=65534,resgid=65534
expect 10324/mountinfo/22/mount_point /proc
expect 10324/mountinfo/22/dev 0:21
# 10324/mountstats (third capture): a row per line, by place; line 6 "device /dev/vda mounted on / with fstype ext4"
[ "$(ls "$MNT/10324/mountstats" | wc -l)" -eq 19 ] || fail "10324/mountstats: $(ls "$MNT/10324/mountstats" | wc -l) rows, want 19"
expect_ls 10324/mountstats/5 device fstype mount_point
expect 10324/mountstats/5/device /dev/vda
expect 10324/mountstats/5/mount_point /
expect 10324/mountstats/5/fstype ext4
expect 10330/mountstats/18/mount_point /sys/fs/cgroup/unified # line 19, the last
[ "$(stat -c %a "$MNT/10324/mountstats/5/fstype")" = 400 ] || fail "mountstats: mode $(stat -c %a "$MNT/10324/mountstats/5/fstype")"

# what the capture could not read (pid 1's io) or left out (environ, mount 28, any thread's mountinfo,
# pagemap: fixtures/README.md); mountstats has no statistics for these mounts, and no thread has one
for f in 1/io 1/environ 10322/environ 10330/environ 10324/task/10324/environ/nope 10324/task/2 1/smaps 1/smaps_rollup \
        10324/smaps/7f3104ae1000-7f3104ae4000/pathname cpuinfo/0/vmx_flags cpuinfo/2 10324/mountinfo/28 \
        10330/task/10336/mountinfo 10324/mountstats/19 10324/mountstats/5/statvers 10330/task/10336/mountstats \
        10324/pagemap 10324/pagemap/present_pages; do
        expect_errno "$f" "No such file or directory"
done
# started 347.93 s after btime 1795303096
[ "$(stat -c %Y "$MNT/10324")" = 1795303443 ] || fail "10324: mtime $(stat -c %Y "$MNT/10324")"

python3 "$FS_TESTS/tree.py" compare "$MNT" "$FIXTURES/linux-6.18" "$NPROCFS_DUMP" || fail "tree differs from nprocfs-dump"
python3 "$FS_TESTS/tree.py" agree "$MNT" "" 1 1/task 1/task/59 10324 10324/environ 10330/task 10330/task/10338 \
        10324/limits stat stat/cpu1 meminfo 10324/smaps 10324/smaps/563c34375000-563c34396000 10324/smaps_rollup cpuinfo \
        cpuinfo/1 || fail "lookup and readdir disagree"

finish
