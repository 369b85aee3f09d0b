#!/usr/bin/env bash
# pagemap as page counts per mapping, mounted: the hand-made snapshot
# fixtures/pagemap-6.18 (every bit occurs; its words are listed in
# fixtures/README.md), then the live /proc: a process's rows are its maps'
# lines, its present pages its smaps Rss, and the file is /proc's own
# 0400 with its memory check.
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3 getfattr setpriv

start_fs --root "$FIXTURES/pagemap-6.18"
expect_ls 300 maps pagemap status task
expect_ls 300/pagemap 00010000-00014000 00014000-00015000 00020000-00028000 00030000-00038000 00040000-00050000 \
        00060000-00064000 0007f000-00080000 ffffffffff600000-ffffffffff601000 exclusive_pages file_pages \
        guard_region_pages pages present_pages scanned_pages soft_dirty_pages swapped_pages uffd_wp_pages
expect_ls 300/pagemap/00020000-00028000 end_address exclusive_pages file_pages guard_region_pages kind pages pathname \
        perms present_pages scanned_pages soft_dirty_pages start_address swapped_pages uffd_wp_pages
# maps line 3, [heap]: words at bytes 256-319 (4 present, 2 swapped, 1 uffd-wp, 1 soft-dirty hole)
expect 300/pagemap/00020000-00028000/kind heap
expect 300/pagemap/00020000-00028000/pages 8
expect 300/pagemap/00020000-00028000/present_pages 5
expect 300/pagemap/00020000-00028000/swapped_pages 2
expect 300/pagemap/00020000-00028000/uffd_wp_pages 1
expect 300/pagemap/00020000-00028000/soft_dirty_pages 7
# line 5, anonymous: 2 guard markers at bytes 512-527; line 8, vsyscall: past the file
expect 300/pagemap/00040000-00050000/guard_region_pages 2
expect_errno 300/pagemap/00040000-00050000/pathname "No such file or directory"
expect 300/pagemap/ffffffffff600000-ffffffffff601000/scanned_pages 0
# the totals
expect 300/pagemap/pages 43
expect 300/pagemap/scanned_pages 42
expect 300/pagemap/present_pages 18
expect 300/pagemap/file_pages 11
expect 300/pagemap/exclusive_pages 9
expect 300/task/300/pagemap/present_pages 18
# what each entry is, and where it comes from
[ "$(getfattr --absolute-names --only-values -n user.nprocfs.source "$MNT/300/pagemap/00020000-00028000/uffd_wp_pages")" = \
        "/proc/<pid>/pagemap:PM_UFFD_WP" ] || fail "uffd_wp_pages: source"
[ "$(getfattr --absolute-names --only-values -n user.nprocfs.unit "$MNT/300/pagemap/present_pages")" = count ] ||
        fail "present_pages: unit"
# /proc's mode: 0400, and its directory 0500
[ "$(stat -c %a "$MNT/300/pagemap")" = 500 ] || fail "pagemap: mode $(stat -c %a "$MNT/300/pagemap")"
[ "$(stat -c %a "$MNT/300/pagemap/present_pages")" = 400 ] || fail "pagemap/present_pages: mode"
python3 "$FS_TESTS/tree.py" compare "$MNT" "$FIXTURES/pagemap-6.18" "$NPROCFS_DUMP" || fail "tree differs from nprocfs-dump"
stop_fs

# live: a quiet process of root's, and one of another uid
U1=61021 G1=61021 U2=61023
target root sleep 300
target user setpriv --reuid=$U1 --regid=$G1 --clear-groups sleep 300
start_fs -o allow_other -o ttl=5000
P=${TGT[root]}
rows=$(ls "$MNT/$P/pagemap" | grep -c -- -)
[ "$rows" = "$(wc -l <"/proc/$P/maps")" ] || fail "$P: $rows rows, maps has $(wc -l <"/proc/$P/maps") lines"
# a sleep touches nothing after its start: its resident pages, counted by
# the kernel (smaps Rss) and by its words, agree mapping by mapping
python3 - "$MNT" "$P" <<'PY' || fail "$P: present pages and smaps Rss differ"
import os, sys
mnt, pid = sys.argv[1], sys.argv[2]
ps = os.sysconf("SC_PAGE_SIZE")
bad = 0
for rng in sorted(os.listdir(f"{mnt}/{pid}/smaps")):
    if "-" not in rng:
        continue
    rss = int(open(f"{mnt}/{pid}/smaps/{rng}/rss_bytes").read())
    present = int(open(f"{mnt}/{pid}/pagemap/{rng}/present_pages").read())
    if rng.startswith("ffffffffff600000"):
        continue  # vsyscall: no page table entry of the process's own
    if present * ps != rss:
        print(f"{rng}: {present} pages present, Rss {rss}", file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PY
# /proc's check: another uid may not read root's, nor another's; the owner reads its own
mine() { # uid gid path: ok, or the error
        local out
        out=$(as "$1" "$2" cat "$MNT/$3" 2>&1 >/dev/null) && echo ok || echo "${out##*: }"
}
[ "$(mine $U1 $G1 "${TGT[user]}/pagemap/present_pages")" = ok ] || fail "the owner refused its pagemap"
[ "$(mine $U2 $U2 "${TGT[user]}/pagemap/present_pages")" = "Permission denied" ] || fail "another uid read a pagemap"
[ "$(mine $U1 $G1 "$P/pagemap/present_pages")" = "Permission denied" ] || fail "a user read root's pagemap"
as $U2 $U2 head -c 8 "/proc/${TGT[user]}/pagemap" >/dev/null 2>&1 && fail "/proc let another uid read a pagemap"
finish
