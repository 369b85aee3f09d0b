#!/usr/bin/env bash
# The Debian packages, as an administrator gets them: built from
# packaging/debian by packaging/build-deb.sh (dpkg-buildpackage in a copy
# of the source tree), free of lintian errors, installed, used
# (the daemon, the manual, the library through pkg-config, the unit's
# command lines run by hand with its capabilities), then purged without a
# trace. build-deb.sh installs what building packages needs.
#
# It installs into /usr: it refuses to run where nprocfs is installed
# already (by a package or by hand), and never touches /mnt/nproc or a
# running nprocfs. Environment: SOURCE_ROOT (the source tree).
. "$(dirname "$0")/lib.sh"
need_fuse
PKGS=(nprocfs libnprocfs0 libnprocfs-dev)

cannot_run() {
        echo "!!! SKIPPED: $*" >&2
        [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
        exit 77
}

. "$SOURCE_ROOT/packaging/deps.sh"
# shellcheck disable=SC2086
nprocfs_ensure_deps $NPROCFS_BUILD_DEPS $NPROCFS_PKG_DEPS || cannot_run "cannot install $NPROCFS_PKG_DEPS"
need_cmd dpkg-buildpackage dpkg-deb objdump lintian systemd-analyze setpriv findmnt cc pkg-config man
for p in "${PKGS[@]}"; do
        st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
        if [ -n "$st" ] && [[ "$st" != *" not-installed" ]]; then
                cannot_run "$p is on this machine ($st); this test would replace it, then purge it"
        fi
done
for f in /usr/bin/nprocfs /usr/bin/nprocfs-dump /usr/bin/nprocfs-capture /usr/include/nprocfs /etc/default/nprocfs \
        /lib/systemd/system/nprocfs.service /lib/systemd/system/nprocfs-textfile.timer; do
        [ -e "$f" ] && cannot_run "$f exists (nprocfs installed by hand?); this test would overwrite it"
done

installed=0
purge() {
        [ "$installed" = 1 ] || return 0
        installed=0
        dpkg --purge "${PKGS[@]}" >"$work/purge.log" 2>&1 || { fail "dpkg --purge"; cat "$work/purge.log" >&2; }
}
trap 'purge; cleanup' EXIT

# ---- build ------------------------------------------------------------
new_dir work
t0=$SECONDS
bash "$SOURCE_ROOT/packaging/build-deb.sh" "$work" >/dev/null || { echo "FAIL: packaging/build-deb.sh" >&2; exit 1; }
echo "built in $((SECONDS - t0)) s"
changes=$(echo "$work"/nprocfs_*.changes)
debs=()
for p in "${PKGS[@]}"; do
        d=$(echo "$work/${p}_"*.deb)
        [ -f "$d" ] || { echo "FAIL: no $p package was built" >&2; exit 1; }
        debs+=("$d")
done
dpkg-deb -x "$work"/libnprocfs0_*.deb "$work/lib0"
soname=$(objdump -p "$work/lib0/usr/lib/"*/libnprocfs.so.0.* | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = libnprocfs.so.0 ] || fail "SONAME '$soname': the package libnprocfs0 is named after libnprocfs.so.0"

# ---- lintian ----------------------------------------------------------
lintian --fail-on error "$changes" >"$work/lintian.log" 2>&1 || fail "lintian: errors"
grep -E '^[EW]:' "$work/lintian.log" >&2

# ---- install ----------------------------------------------------------
installed=1
if ! dpkg -i "${debs[@]}" >"$work/install.log" 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >>"$work/install.log" 2>&1 ||
                { cat "$work/install.log" >&2; echo "FAIL: dpkg -i" >&2; exit 1; }
fi
for p in "${PKGS[@]}"; do
        dpkg -L "$p" >"$work/$p.list" || fail "dpkg -L $p"
done

out=$(/usr/bin/nprocfs --help 2>&1) || fail "nprocfs --help: exit $?"
[[ "$out" == *"[SOURCE] MOUNTPOINT"* ]] || fail "nprocfs --help: $out"
[ "$(man -w nprocfs)" = /usr/share/man/man1/nprocfs.1.gz ] || fail "man -w nprocfs: $(man -w nprocfs 2>&1)"
[ "$(man -w 5 nprocfs-tree)" = /usr/share/man/man5/nprocfs-tree.5.gz ] || fail "man -w 5 nprocfs-tree"
# every program the package ships has its page
while read -r f; do
        case $f in /usr/bin/* | /usr/sbin/*) ;; *) continue ;; esac
        [ "$(man -w 1 "${f##*/}" 2>/dev/null)" = "/usr/share/man/man1/${f##*/}.1.gz" ] || fail "no man page for $f"
done <"$work/nprocfs.list"
grep -q 'no-manual-page' "$work/lintian.log" && fail "lintian: no-manual-page"
/usr/bin/nprocfs-dump meminfo/memtotal_bytes | grep -Eq '^meminfo/memtotal_bytes [0-9]+$' || fail "nprocfs-dump"

# the library, through pkg-config, shared
flags=$(pkg-config --cflags --libs libnprocfs) || fail "pkg-config libnprocfs"
[[ " $flags " == *" -lnprocfs "* ]] || fail "pkg-config --libs libnprocfs: '$flags'"
cat >"$work/rss.c" <<'EOF'
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <nprocfs/records.h>

int main(void) {
        nprocfs_ctx *ctx;
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        int r = nprocfs_open(NULL, 0, &ctx);

        if (r < 0 || (r = nprocfs_rec_read(ctx, &st.rec, getpid(), 0)) < 0) {
                fprintf(stderr, "rss: %s\n", strerror(-r));
                return 1;
        }
        if (!NPROCFS_HAS(&st, pid_status, vmrss_bytes))
                return 1;
        printf("%" PRIu64 "\n", st.vmrss_bytes);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
        return 0;
}
EOF
# shellcheck disable=SC2086
if cc -std=c11 -Wall -Werror -o "$work/rss" "$work/rss.c" $flags; then
        objdump -p "$work/rss" | grep -q 'NEEDED *libnprocfs.so.0$' || fail "rss is not linked with libnprocfs.so.0"
        rss=$("$work/rss") || fail "rss: exit $?"
        [[ "$rss" =~ ^[0-9]+$ ]] && [ "$rss" -gt 0 ] || fail "rss: its own vmrss_bytes '$rss', want > 0"
else
        fail "cc rss.c $flags"
fi

# ---- the unit -----------------------------------------------------------
unit=/lib/systemd/system/nprocfs.service
[ -f "$unit" ] || fail "no $unit"
grep -qx 'NPROCFS_MOUNTPOINT=/mnt/nproc' /etc/default/nprocfs || fail "/etc/default/nprocfs: no NPROCFS_MOUNTPOINT"
grep -qx /etc/default/nprocfs /var/lib/dpkg/info/nprocfs.conffiles || fail "/etc/default/nprocfs is not a conffile"
[ -e /etc/systemd/system/multi-user.target.wants/nprocfs.service ] && fail "the unit was enabled on install"
out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify $unit: $out"
[ -z "$out" ] || fail "systemd-analyze verify $unit: $out"
# the textfile units come with it, not enabled
for u in nprocfs-textfile.service nprocfs-textfile.timer; do
        [ -f "/lib/systemd/system/$u" ] || fail "no /lib/systemd/system/$u"
        [ -e "/etc/systemd/system/timers.target.wants/$u" ] && fail "$u was enabled on install"
done

# unit_argv KEY: the unit's KEY= command line, split and expanded as
# systemd does (${X}: one word; $X: split at blanks; $$: $), into ARGV.
unit_argv() {
        local line
        line=$(sed -n "s/^$1=//p" "$unit" | head -1)
        [ -n "$line" ] || { fail "$unit: no $1="; ARGV=(false); return; }
        line=${line#-}
        line=$(sed -E 's/\$\$/$/g; s/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/"${\1}"/g' <<<"$line")
        eval "ARGV=($line)"
}

# what CapabilityBoundingSet= and NoNewPrivileges= leave the daemon
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' | sed -E 's/cap_/+/g; s/ /,/g')
grep -qx 'NoNewPrivileges=yes' "$unit" || fail "$unit: no NoNewPrivileges=yes"

# unit_start: ExecStartPre=, then ExecStart= in the background (its log in
# $LOG), as the unit has them, with the mount point $NPROCFS_MOUNTPOINT.
unit_start() {
        MNT=$NPROCFS_MOUNTPOINT LOG=$work/unit.log
        unit_argv ExecStartPre
        "${ARGV[@]}" || fail "ExecStartPre: ${ARGV[*]}"
        unit_argv ExecStart
        [ "${ARGV[0]}" = /usr/bin/nprocfs ] || fail "ExecStart runs ${ARGV[0]}, want /usr/bin/nprocfs"
        setpriv --no-new-privs --inh-caps=-all --bounding-set="-all,$caps" "${ARGV[@]}" 2>"$LOG" &
        DPID=$!
        DAEMONS+=("$DPID")
        wait_mounted "ExecStart did not mount at $MNT: ${ARGV[*]}"
}

(
        set -a
        . /etc/default/nprocfs
) || fail "/etc/default/nprocfs is not shell syntax"
set -a
. /etc/default/nprocfs
set +a
new_dir home
NPROCFS_MOUNTPOINT=$home/mnt # not made yet: ExecStartPre's job
[ "$NPROCFS_OPTIONS" = "-o allow_other" ] || fail "NPROCFS_OPTIONS '$NPROCFS_OPTIONS'"

# A process of another user, not ours to read without CAP_SYS_PTRACE and
# CAP_DAC_READ_SEARCH: its environ is the daemon's to read for us (root).
target other setpriv --reuid=65534 --regid=65534 --clear-groups env -i NPROCFS_PKG_TEST=1 sleep 300
other=${TGT[other]}

unit_start
kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
expect 1/stat/pid 1
expect meminfo/memtotal_bytes $((kb * 1024))
[ "$(readlink "/proc/$DPID/exe")" = /usr/bin/nprocfs ] || fail "the mount is served by $(readlink "/proc/$DPID/exe")"
findmnt -n -o OPTIONS --mountpoint "$MNT" | grep -q allow_other || fail "ExecStart: no allow_other"
expect "$other/status/uid_real" 65534
expect "$other/environ/0" NPROCFS_PKG_TEST=1 # another user's: read under the unit's capabilities
stop_fs TERM # systemctl stop: the daemon unmounts, exits 0

# ExecStopPost= takes away what a crash leaves, and only that
unit_start
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
DPID=""
stat "$MNT" >/dev/null 2>&1 && fail "no stale mount at $MNT after kill -9"
unit_argv ExecStopPost
"${ARGV[@]}"
is_mounted "$MNT" && { fail "ExecStopPost left the dead mount at $MNT"; fusermount3 -u -z "$MNT"; }
unit_start
unit_argv ExecStopPost
"${ARGV[@]}"
is_mounted "$MNT" || fail "ExecStopPost took away a live nprocfs mount"
expect 1/stat/pid 1
stop_fs TERM

# mount(8) finds the installed daemon by itself
new_dir MNT
if mount -t fuse.nprocfs /proc "$MNT" -o allow_other; then
        expect 1/stat/pid 1
        umount "$MNT" || fail "umount $MNT"
else
        fail "mount -t fuse.nprocfs /proc $MNT"
fi

# ---- purge --------------------------------------------------------------
purge
for p in "${PKGS[@]}"; do
        dpkg -L "$p" >/dev/null 2>&1 && fail "dpkg -L $p: still known after --purge"
        while IFS= read -r f; do
                [ "$f" = /. ] && continue
                if [ -d "$f" ]; then # /lib is a link to usr/lib: a directory too
                        # a directory may stay if it is another package's or holds others' files
                        [ -z "$(ls -A "$f")" ] && ! dpkg -S "$f" >/dev/null 2>&1 && fail "$p: left the empty directory $f"
                elif [ -e "$f" ] || [ -L "$f" ]; then
                        fail "$p: left $f"
                fi
        done <"$work/$p.list"
done
[ -e /etc/default/nprocfs ] && fail "purge left /etc/default/nprocfs"
ls /var/lib/systemd/deb-systemd-helper-enabled 2>/dev/null | grep -q nprocfs && fail "purge left systemd helper state"

[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed" >&2; exit 1; }
echo "ok ($SECONDS s)"
