#!/usr/bin/env bash
# The served procfs's hidepid= and subset=pid hold in the mount, per
# caller, as they hold in that procfs: for each option, another uid lists
# and reads in the mount what it lists and reads in the procfs itself, even
# after root has read everything (the kernel's names are shared).
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd setpriv

U1=61021 U2=61022
PROCS=()
stop_all() {
        local p
        for p in "${PROCS[@]}"; do umount "$p" 2>/dev/null; done
        cleanup
}
trap stop_all EXIT

as_uid() { # uid command...: that uid and group, no capabilities
        as "$1" "$1" "${@:2}"
}

target mine setpriv --reuid=$U1 --regid=$U1 --clear-groups sleep 300
target roots sleep 300
MINE=${TGT[mine]} ROOTS=${TGT[roots]}

pids_in() { # dir, as uid: which of ours and root's it lists (the lister
        # itself differs from one listing to the next; init may be of a
        # namespace above, which the daemon itself is not shown)
        as_uid "$2" ls "$1" 2>/dev/null | grep -xE "$MINE|$ROOTS" | sort -n | tr '\n' ' '
}
outcome() { # path, as uid: ok or the error
        local out
        out=$(as_uid "$2" cat "$1" 2>&1 >/dev/null) && echo ok || echo "${out##*: }"
}

for opts in hidepid=invisible hidepid=noaccess hidepid=ptraceable "hidepid=invisible,subset=pid" \
        "hidepid=invisible,gid=$U2"; do
        new_dir P
        if ! mount -t proc -o "$opts" proc "$P"; then
                echo "!!! SKIPPED: mount -t proc -o $opts is refused here" >&2
                [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
                exit 77
        fi
        PROCS+=("$P")
        start_fs -o allow_other -o ttl=2000 --root "$P"
        # root reads everything first
        cat "$MNT/$ROOTS/cmdline/0" "$MNT/$MINE/status/name" "$MNT/$ROOTS/stat/comm" >/dev/null ||
                fail "$opts: root's reads"
        ls -R "$MNT/$ROOTS" >/dev/null 2>&1
        for u in $U1 $U2; do
                want=$(pids_in "$P" $u) got=$(pids_in "$MNT" $u)
                [ "$want" = "$got" ] || fail "$opts, uid $u: lists '$got', the procfs '$want'"
                for pid in $MINE $ROOTS; do
                        for f in cmdline:cmdline/0 status:status/name stat:stat/comm; do
                                want=$(outcome "$P/$pid/${f%%:*}" $u)
                                got=$(outcome "$MNT/$pid/${f#*:}" $u)
                                case $opts:$want in
                                # the kernel hides the process from a lookup,
                                # but refuses it (EPERM) where its names are
                                # cached: the mount hides it always
                                hidepid=ptraceable:"Operation not permitted") want="No such file or directory" ;;
                                *:"Operation not permitted") want="Permission denied" ;; # NAMING.md: EACCES
                                esac
                                [ "$want" = "$got" ] || fail "$opts, uid $u, $pid/${f#*:}: $got, the procfs: $want"
                        done
                        want=$(as_uid $u stat -c %F "$P/$pid" 2>&1 | sed 's/.*: //')
                        got=$(as_uid $u stat -c %F "$MNT/$pid" 2>&1 | sed 's/.*: //')
                        [ "$want" = "$got" ] || fail "$opts, uid $u, stat $pid: $got, the procfs: $want"
                done
                want=$(as_uid $u cat "$P/meminfo" >/dev/null 2>&1 && echo ok || echo no)
                got=$(as_uid $u cat "$MNT/meminfo/memtotal_bytes" >/dev/null 2>&1 && echo ok || echo no)
                [ "$want" = "$got" ] || fail "$opts, uid $u, meminfo: $got, the procfs: $want"
        done
        [ "$(pids_in "$MNT" 0)" = "$(pids_in "$P" 0)" ] || fail "$opts: root does not list what the procfs lists"
        stop_fs
        umount "$P" || fail "umount $P"
done
finish
