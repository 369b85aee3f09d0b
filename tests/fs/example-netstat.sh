#!/usr/bin/env bash
# examples/netstat.sh (over the mount) and examples/netstat.c (over the
# library) list the TCP sockets a helper process of this test opens on
# 127.0.0.1 and ::1 (a listener and an accepted connection on each, both
# ends) as `ss -tanpe` does: the same local and remote address, state,
# inode and owning PID/comm (example_netstat.py).
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3 ss

start_fs
python3 "$FS_TESTS/example_netstat.py" "$MNT" "$EXAMPLES/netstat.sh" "$EXAMPLE_NETSTAT" ||
        fail "the netstat examples and ss disagree"
finish
