#!/usr/bin/env bash
# A process's links in the mount, live, checked against /proc read by the
# same caller: exe, cwd and root are symlinks with the kernel's text; fd/
# lists exactly /proc's fd/, each fd/N/target is /proc's readlink and its
# inode the file's own (stat -L); ns/TYPE/inode is stat -L of /proc's link.
# Another user gets what /proc gives it: EACCES on the links, an fd/ it
# cannot list. On a snapshot, a link's text is shown, never followed.
. "$(dirname "$0")/lib.sh"
need_fuse

new_dir WORK
# a target with a file, a pipe, a socket and a deleted file open, in a
# directory of its own
mkdir "$WORK/cwd"
: >"$WORK/cwd/gone.txt"
target proc python3 -c '
import os, socket, time
os.chdir("'"$WORK/cwd"'")
os.dup2(os.open("gone.txt", os.O_RDONLY), 10)
os.unlink("gone.txt")
r, w = os.pipe()
os.dup2(r, 11)
os.dup2(os.open("/dev/null", os.O_RDWR), 12)
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
time.sleep(600)'
P=${TGT[proc]}
for ((i = 0; i < 100; i++)); do # until its files are open
        grep -q '^socket' <(ls -l /proc/$P/fd 2>/dev/null | sed 's/.*-> //') && break
        sleep 0.05
done

start_fs

[ "$(readlink "$MNT/$P/exe")" = "$(readlink /proc/$P/exe)" ] || fail "exe: '$(readlink "$MNT/$P/exe")' != '$(readlink /proc/$P/exe)'"
[ "$(readlink "$MNT/$P/cwd")" = "$WORK/cwd" ] || fail "cwd: '$(readlink "$MNT/$P/cwd")'"
[ "$(readlink "$MNT/$P/root")" = "/" ] || fail "root: '$(readlink "$MNT/$P/root")'"
[ -L "$MNT/$P/exe" ] || fail "exe is no symlink"
# followed by the caller, as /proc's
[ "$(stat -L -c %i "$MNT/$P/exe")" = "$(stat -L -c %i /proc/$P/exe)" ] || fail "exe: another file"

want=$(ls /proc/$P/fd | sort -n | tr '\n' ' ')
got=$(ls "$MNT/$P/fd" | sort -n | tr '\n' ' ')
[ "$got" = "$want" ] || fail "ls fd: '$got', want '$want'"
for n in $(ls /proc/$P/fd); do
        t=$(readlink /proc/$P/fd/$n) || continue
        [ "$(cat "$MNT/$P/fd/$n/target")" = "$t" ] || fail "fd/$n/target: '$(cat "$MNT/$P/fd/$n/target")', want '$t'"
        pos=$(awk '$1 == "pos:" {print $2}' /proc/$P/fdinfo/$n)
        [ "$(cat "$MNT/$P/fd/$n/pos")" = "$pos" ] || fail "fd/$n/pos"
        case $t in
        socket:* | pipe:*)
                ino=${t#*[}; ino=${ino%]}
                [ "$(cat "$MNT/$P/fd/$n/inode")" = "$ino" ] || fail "fd/$n/inode"
                [ "$(cat "$MNT/$P/fd/$n/type")" = "${t%%:*}" ] || fail "fd/$n/type"
                ;;
        /*)
                [ "$(cat "$MNT/$P/fd/$n/type")" = file ] || fail "fd/$n/type: $(cat "$MNT/$P/fd/$n/type")"
                ;;
        esac
done
[ "$(cat "$MNT/$P/fd/10/deleted")" = 1 ] || fail "fd/10/deleted"
[ "$(cat "$MNT/$P/fd/10/path")" = "$WORK/cwd/gone.txt" ] || fail "fd/10/path: $(cat "$MNT/$P/fd/10/path")"
[ "$(cat "$MNT/$P/fd/12/flags")" = "$(awk '$1 == "flags:" {print $2}' /proc/$P/fdinfo/12)" ] || fail "fd/12/flags"
for t in net pid mnt user uts ipc; do
        want=$(stat -L -c %i /proc/$P/ns/$t)
        [ "$(cat "$MNT/$P/ns/$t/inode")" = "$want" ] || fail "ns/$t/inode"
        [ "$(cat "$MNT/$P/ns/$t/target")" = "$(readlink /proc/$P/ns/$t)" ] || fail "ns/$t/target"
done

# another user: refused as /proc refuses it
for f in exe cwd root; do
        want=$(as 65534 65534 readlink /proc/$P/$f 2>&1 | sed 's/.*: //')
        got=$(as 65534 65534 readlink "$MNT/$P/$f" 2>&1 | sed 's/.*: //')
        [ "$got" = "$want" ] || fail "$f as nobody: '$got', /proc: '$want'"
done
as 65534 65534 ls /proc/$P/fd >/dev/null 2>&1 && fail "nobody may list /proc's fd/: the test is wrong"
as 65534 65534 ls "$MNT/$P/fd" >/dev/null 2>&1 && fail "nobody listed fd/"
as 65534 65534 cat "$MNT/$P/fd/0/target" >/dev/null 2>&1 && fail "nobody read fd/0/target"
as 65534 65534 cat "$MNT/$P/ns/net/inode" >/dev/null 2>&1 && fail "nobody read ns/net/inode"

# the caller's own net: net -> self/net, as /proc's
[ "$(readlink "$MNT/net")" = "self/net" ] || fail "net: '$(readlink "$MNT/net")'"
# the target's listener, in the caller's net/tcp (self/net) and in the
# target's own, with /proc's port (hex in its own net/tcp) and the inode of
# its socket:[N] link
sock=$(for n in $(ls /proc/$P/fd); do readlink /proc/$P/fd/$n; done | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | head -1)
hexport=$(while read -r _ local _ _ _ _ _ _ _ inode _; do
        [ "$inode" = "$sock" ] && echo "${local#*:}"
done < <(tail -n +2 /proc/$P/net/tcp))
[ -n "$sock" ] && [ -n "$hexport" ] || fail "no listener of the target in /proc/$P/net/tcp"
port=$((16#$hexport))
for d in "$MNT/net/tcp" "$MNT/$P/net/tcp"; do
        found=
        for row in "$d"/*/; do
                [ "$(cat "$row/inode")" = "$sock" ] || continue
                found=1
                [ "$(cat "$row/local_port")" = "$port" ] || fail "$row/local_port: $(cat "$row/local_port"), want $port"
                [ "$(cat "$row/local_address")" = 127.0.0.1 ] || fail "$row/local_address"
                [ "$(cat "$row/state")" = listen ] || fail "$row/state"
        done
        [ -n "$found" ] || fail "$d: no row with inode $sock"
done
cat "$MNT"/net/tcp/*/local_port | grep -x "$port" >/dev/null || fail "cat net/tcp/*/local_port: no $port"
expect_ls "$P/net" tcp tcp6
stop_fs

# ---- a snapshot: links are text ----------------------------------------
start_fs --root "$FIXTURES/linux-6.18"
[ "$(readlink "$MNT/10324/exe")" = /usr/bin/sleep ] || fail "snapshot exe"
[ "$(readlink "$MNT/10322/cwd")" = /tmp/nprocfs ] || fail "snapshot cwd"
expect 10324/fd/5/target 'socket:[1148996]'
expect 10324/fd/5/inode 1148996
expect 10330/fd/6/eventfd_id 1
expect 10324/ns/net/inode 4026531833
expect_ls 10324/fd 0 1 2 3 4 5 6
expect_errno 10324/fd/7/target "No such file"
[ -e "$MNT/1/exe" ] && fail "1/exe: not captured, but there"
stop_fs

new_dir ROOT
cp -a "$FIXTURES/linux-6.18/." "$ROOT/"
ln -sfn ../../../../../../etc/shadow "$ROOT/10324/exe"
ln -sfn /etc/shadow "$ROOT/10324/fd/0"
start_fs --root "$ROOT"
[ "$(readlink "$MNT/10324/exe")" = ../../../../../../etc/shadow ] || fail "hostile exe"
expect 10324/fd/0/target /etc/shadow
expect 10324/fd/0/type file
finish
