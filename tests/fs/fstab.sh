#!/usr/bin/env bash
# The administrator's forms: "mount -t fuse.nprocfs SOURCE MNT -o OPTIONS"
# and an fstab line, both through mount(8) and mount.fuse3, which runs
# "nprocfs SOURCE MNT -o OPTIONS" and lets it become a daemon. The mount is
# of type fuse.nprocfs, read-only, nosuid,nodev,noexec whatever is asked,
# keeps allow_other, serves SOURCE, and goes (with its daemon) at umount.
#
# mount(8) drops PATH from the helper's environment, so the /bin/sh that
# mount.fuse3 runs looks nprocfs up in its default path, which starts with
# /usr/local/sbin. The test runs in a mount namespace of its own, where a
# directory holding only "nprocfs" -> $NPROCFS is bound over /usr/local/sbin:
# nothing outside it sees the binding or the mounts, and whatever else is
# installed as nprocfs is left alone.
if [ "${NPROCFS_FSTAB_NS:-0}" != 1 ]; then
        . "$(dirname "$0")/lib.sh"
        need_fuse
        need_cmd mount umount findmnt unshare pgrep
        [ -x /sbin/mount.fuse3 ] || [ -x /usr/sbin/mount.fuse3 ] || need_cmd mount.fuse3
        if ! unshare --mount --propagation private true 2>/dev/null; then
                echo "!!! SKIPPED: cannot make a mount namespace (unshare --mount)" >&2
                [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
                exit 77
        fi
        trap - EXIT
        NPROCFS_FSTAB_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

new_dir bin
ln -s "$NPROCFS" "$bin/nprocfs"
mkdir -p /usr/local/sbin
mount --bind "$bin" /usr/local/sbin || { echo "FAIL: cannot bind $bin over /usr/local/sbin" >&2; exit 1; }
export PATH="$bin:$PATH" # in case a mount(8) keeps it
exe=$(readlink -f "$NPROCFS")

# daemon_of MNT: the pid of the nprocfs serving MNT (it daemonized: not
# our child): the one process of our executable with MNT as an argument.
daemon_of() {
        local p a
        for p in $(pgrep -f -- "$1"); do
                [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$exe" ] || continue
                while IFS= read -r -d '' a; do
                        if [ "$a" = "$1" ]; then
                                echo "$p"
                                return 0
                        fi
                done <"/proc/$p/cmdline"
        done
        return 1
}

# mounted_by WHAT MNT: after a mount command, MNT is an nprocfs mount with
# what an administrator asked for, and its daemon is known (to stop it).
mounted_by() {
        local what=$1 mnt=$2 type opts
        if ! is_mounted "$mnt"; then
                fail "$what: nothing mounted at $mnt"
                return 1
        fi
        DPID=$(daemon_of "$mnt") || fail "$what: no nprocfs process serves $mnt"
        [ -n "$DPID" ] && DAEMONS+=("$DPID")
        read -r type opts < <(findmnt -n -o FSTYPE,OPTIONS --mountpoint "$mnt")
        [ "$type" = fuse.nprocfs ] || fail "$what: type '$type', want fuse.nprocfs"
        for o in ro nosuid nodev noexec allow_other default_permissions; do
                [[ ",$opts," == *",$o,"* ]] || fail "$what: options '$opts' lack $o"
        done
        [ -z "$DPID" ] || tr '\0' ' ' <"/proc/$DPID/cmdline" | grep -q "ttl=500" ||
                fail "$what: the daemon was not given ttl=500: $(tr '\0' ' ' <"/proc/$DPID/cmdline")"
        return 0
}

# unmounted WHAT MNT: umount works, and the daemon then ends by itself.
unmounted() {
        local i
        umount "$2" || fail "$1: umount $2"
        is_mounted "$2" && fail "$1: $2 still mounted"
        [ -n "$DPID" ] || return 0
        for ((i = 0; i < 100; i++)); do
                kill -0 "$DPID" 2>/dev/null || break
                sleep 0.1
        done
        kill -0 "$DPID" 2>/dev/null && fail "$1: nprocfs ($DPID) still running 10 s after umount"
        DPID=""
}

live_values() {
        local kb
        kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
        expect 1/stat/pid 1
        expect meminfo/memtotal_bytes $((kb * 1024))
        expect self/stat/comm cat
}

# ---- mount -t fuse.nprocfs /proc MNT -o ... -----------------------------
new_dir MNT
mount -t fuse.nprocfs /proc "$MNT" -o allow_other,ttl=500 || fail "mount -t fuse.nprocfs /proc"
if mounted_by "mount -t" "$MNT"; then
        live_values
        unmounted "mount -t" "$MNT"
fi

# ---- an fstab line, with what fstab lines carry -------------------------
new_dir etc
new_dir MNT
mnt2=$MNT
new_dir MNT
printf '# nprocfs\n/proc %s fuse.nprocfs allow_other,ttl=500 0 0\n' "$mnt2" >"$etc/fstab"
printf '/proc %s fuse.nprocfs defaults,rw,relatime,noauto,nofail,_netdev,x-systemd.automount,allow_other,ttl=500 0 0\n' \
        "$MNT" >>"$etc/fstab"
mount --fstab "$etc/fstab" "$MNT" || fail "mount --fstab with defaults,rw,relatime,nofail,x-systemd.*"
if mounted_by "fstab (generic options)" "$MNT"; then
        live_values
        unmounted "fstab (generic options)" "$MNT"
fi
MNT=$mnt2
mount --fstab "$etc/fstab" "$MNT" || fail "mount --fstab $etc/fstab $MNT"
if mounted_by "fstab" "$MNT"; then
        live_values
        unmounted "fstab" "$MNT"
fi

# ---- a SOURCE that is not /proc: a snapshot ----------------------------
new_dir MNT
mount -t fuse.nprocfs "$FIXTURES/linux-2.6" "$MNT" -o allow_other,ttl=500 || fail "mount -t fuse.nprocfs FIXTURE"
if mounted_by "mount a snapshot" "$MNT"; then
        expect meminfo/memtotal_bytes 2097152000 # fixtures/linux-2.6/meminfo: MemTotal: 2048000 kB
        expect 4242/stat/comm "my (odd) name" # fixtures/linux-2.6/4242/stat: 4242 (my (odd) name) ...
        unmounted "mount a snapshot" "$MNT"
fi

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed" >&2; exit 1; }
echo ok
