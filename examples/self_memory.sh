#!/usr/bin/env bash
# self_memory: how much memory this very shell uses, as stat, statm and
# status each tell it, read from a mounted nprocfs tree (the procfs crate's
# self_memory example, in its words), and its PSS, USS and swap from
# MNT/self/smaps_rollup where the tree has it:
#
#   examples/self_memory.sh /mnt/nproc [--wait]
#
# Every value is read with bash's own `read`, so MNT/self is this shell.
# --wait: then close standard output and wait for a line on standard input
# before exiting, so that another process can read this one's /proc while
# it still holds those values (the test does).
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ] || { [ $# -eq 2 ] && [ "$2" != --wait ]; }; then
        echo "usage: $0 MNT [--wait]" >&2
        exit 2
fi
mnt=${1%/}
self=$mnt/self
page_size=$(getconf PAGESIZE) || exit 1 # before the reads: a child of ours, not us

# value FILE VAR: the one value of FILE into VAR, which must be a number.
# (A missing file is tested for first: a failed redirection has bash
# format a message, which grows its heap, and this shell's memory is what
# we measure.)
value() {
        [ -e "$1" ] && IFS= read -r "$2" <"$1" && [[ ${!2} =~ ^[0-9]+$ ]]
} 2>/dev/null

pid="" vsize="" rss="" size="" resident="" shared="" vmsize="" vmrss="" rssfile="" rssshmem="" pss="" swap="" uss=""
pclean="" pdirty="" # set by value
if ! value "$self/stat/pid" pid; then
        echo "self_memory.sh: cannot read $self/stat/pid" >&2
        exit 1
fi
# Read in one go, before anything is printed. Entries of one file read
# within the tree's TTL come from one read of that file.
value "$self/stat/vsize_bytes" vsize && value "$self/stat/rss_bytes" rss
stat_ok=$?
value "$self/statm/size_bytes" size && value "$self/statm/resident_bytes" resident &&
        value "$self/statm/shared_bytes" shared
statm_ok=$?
value "$self/status/vmsize_bytes" vmsize && value "$self/status/vmrss_bytes" vmrss
status_ok=$?
value "$self/status/rssfile_bytes" rssfile && value "$self/status/rssshmem_bytes" rssshmem
shared_ok=$?
# smaps_rollup's Pss and Swap, named as NAMING.md names a kernel key; USS,
# what this process alone maps, is the tree's uss_bytes where it derives it,
# else Private_Clean + Private_Dirty
value "$self/smaps_rollup/pss_bytes" pss
pss_ok=$?
value "$self/smaps_rollup/swap_bytes" swap
swap_ok=$?
value "$self/smaps_rollup/uss_bytes" uss ||
        { value "$self/smaps_rollup/private_clean_bytes" pclean &&
                value "$self/smaps_rollup/private_dirty_bytes" pdirty && uss=$((pclean + pdirty)); }
uss_ok=$?

pages() { # what bytes
        printf '%s: %d pages (%d bytes)\n' "$1" $(($2 / page_size)) "$2"
}
maybe() { # what ok bytes
        if [ "$2" = 0 ]; then
                printf '%s: %d bytes\n' "$1" "$3"
        else
                printf '%s: n/a (needs smaps)\n' "$1"
        fi
}

echo "PID: $pid"
echo "Memory page size: $page_size"
# Note: top shows these in KiB (base-2), not in kB (base-10).
status=0
if [ $stat_ok = 0 ]; then
        echo "== Data from /proc/self/stat:"
        echo "Total virtual memory used: $vsize bytes"
        pages "Total resident set" "$rss"
        echo
else
        echo "self_memory.sh: cannot read $self/stat" >&2
        status=1
fi
if [ $statm_ok = 0 ]; then
        echo "== Data from /proc/self/statm:"
        pages "Total virtual memory used" "$size"
        pages "Total resident set" "$resident"
        pages "Total shared memory" "$shared"
        echo
else
        echo "self_memory.sh: cannot read $self/statm" >&2
        status=1
fi
if [ $status_ok = 0 ]; then
        echo "== Data from /proc/self/status:"
        echo "Total virtual memory used: $vmsize bytes"
        echo "Total resident set: $vmrss bytes"
        if [ $shared_ok = 0 ]; then
                echo "Total shared memory: $((rssfile + rssshmem)) bytes"
        else
                echo "Total shared memory: n/a (not in this kernel's file)"
        fi
        echo
else
        echo "self_memory.sh: cannot read $self/status" >&2
        status=1
fi
echo "== Data from /proc/self/smaps_rollup:"
maybe "Total proportional set size (PSS)" $pss_ok "$pss"
maybe "Total unique set size (USS)" $uss_ok "$uss"
maybe "Total swapped out" $swap_ok "$swap"

if [ $# -eq 2 ] && [ $status = 0 ]; then
        exec >&-
        read -r _
fi
exit $status
