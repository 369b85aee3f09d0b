#!/usr/bin/env bash
# examples/ps.sh (over the mount) and examples/ps.c (over the library) list
# what procps's `ps -t` lists on a terminal of their own: the same pids,
# tty names, times and commands (example_ps.py).
. "$(dirname "$0")/lib.sh"
need_fuse
need_cmd python3 ps

start_fs
python3 "$FS_TESTS/example_ps.py" "$MNT" "$EXAMPLES/ps.sh" "$EXAMPLE_PS" || fail "the ps examples and procps disagree"
finish
