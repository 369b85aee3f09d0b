#!/usr/bin/env bash
# netstat: every TCP socket (IPv4 and IPv6) of the caller's network
# namespace with its local and remote address, state and inode, and the
# process that has it open (PID/comm, found through the socket inodes of
# every process's fd/), read from a mounted nprocfs tree; the procfs
# crate's netstat example, in its layout:
#
#   examples/netstat.sh /mnt/nproc
#
# The owners are the processes whose fd/ this user may read (all of them
# as root), as for netstat -p; a socket no readable process holds shows -.
set -u
if [ $# -ne 1 ]; then
        echo "usage: $0 MNT" >&2
        exit 2
fi
mnt=${1%/}
if [ ! -d "$mnt/net/tcp" ]; then
        echo "netstat.sh: no $mnt/net/tcp (is nprocfs mounted there?)" >&2
        exit 1
fi

# socket inode -> PID/comm, from every fd/N/ whose type is socket
declare -A owner
for fd in "$mnt"/[0-9]*/fd/[0-9]*; do
        IFS= read -r type <"$fd/type" 2>/dev/null || continue
        [ "$type" = socket ] || continue
        IFS= read -r inode <"$fd/inode" 2>/dev/null || continue
        [ -n "${owner[$inode]:-}" ] && continue
        pid=${fd#"$mnt"/}
        pid=${pid%%/*}
        IFS= read -r comm <"$mnt/$pid/stat/comm" 2>/dev/null || comm=?
        owner[$inode]=$pid/$comm
done

# listen -> Listen, time_wait -> TimeWait: the crate's names of the states
camel() {
        local w out="" part
        IFS=_ read -ra w <<<"$1"
        for part in "${w[@]}"; do out+=${part^}; done
        printf '%s' "$out"
}

printf '%-26s %-26s %-15s %-8s %s\n' "Local address" "Remote address" "State" "Inode" "PID/Program name"
for table in tcp tcp6; do
        for row in "$mnt/net/$table"/*/; do
                [ -d "$row" ] || continue
                # the entries of one row read within the tree's TTL are one read
                IFS= read -r la <"$row/local_address" && IFS= read -r lp <"$row/local_port" &&
                        IFS= read -r ra <"$row/remote_address" && IFS= read -r rp <"$row/remote_port" &&
                        IFS= read -r state <"$row/state" && IFS= read -r inode <"$row/inode" || continue
                if [ "$table" = tcp6 ]; then
                        local_s="[$la]:$lp" remote_s="[$ra]:$rp"
                else
                        local_s="$la:$lp" remote_s="$ra:$rp"
                fi
                printf '%-26s %-26s %-15s %-8s %s\n' "$local_s" "$remote_s" "$(camel "$state")" "$inode" \
                        "${owner[$inode]:--}"
        done
done
