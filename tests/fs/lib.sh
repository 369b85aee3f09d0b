# Sourced by the filesystem tests. Each test mounts nprocfs under a fresh
# temporary directory, always unmounts it (trap), and stops only the daemon
# it started, by its pid.
#
# Environment (set by tests/fs/meson.build): NPROCFS (the daemon),
# NPROCFS_DUMP (nprocfs-dump), FIXTURES (fixtures/), FS_TESTS (this folder).
# NPROCFS_REQUIRE_FUSE=1 turns "cannot run here" into a failure.
set -uo pipefail

MNT="" DPID="" LOG="" FAILS=0 SCRATCH=() DAEMONS=()
MOUNT_WAIT=${MOUNT_WAIT:-15}

# Mounting needs root (or fusermount3 and a usable /dev/fuse); without them
# the test is skipped (77), loudly.
need_fuse() {
        local why=()
        [ "$(id -u)" -eq 0 ] || why+=("not root")
        { [ -c /dev/fuse ] && [ -r /dev/fuse ] && [ -w /dev/fuse ]; } || why+=("no usable /dev/fuse")
        command -v fusermount3 >/dev/null || why+=("no fusermount3")
        if [ ${#why[@]} -gt 0 ]; then
                printf -v why '%s, ' "${why[@]}"
                echo "!!! SKIPPED: this test mounts a FUSE filesystem, which cannot be done here (${why%, })." >&2
                if [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ]; then
                        echo "!!! NPROCFS_REQUIRE_FUSE=1: a test that cannot run is a failure." >&2
                        exit 1
                fi
                exit 77
        fi
}

need_cmd() {
        local c
        for c in "$@"; do
                if ! command -v "$c" >/dev/null; then
                        echo "!!! SKIPPED: needs $c" >&2
                        [ "${NPROCFS_REQUIRE_FUSE:-0}" = 1 ] && exit 1
                        exit 77
                fi
        done
}

fail() {
        echo "FAIL: $*" >&2
        FAILS=$((FAILS + 1))
}

# new_dir VAR: a temporary directory, removed at exit, into VAR. (Not a
# $(...): the list of what to remove must grow in this shell.)
new_dir() {
        local d
        d=$(mktemp -d "${TMPDIR:-/tmp}/nprocfs-test.XXXXXX") || exit 1
        SCRATCH+=("$d")
        printf -v "$1" '%s' "$d"
}

is_mounted() { # dir
        awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo
}

# start_fs [daemon options...]: mounts at a fresh $MNT, in the foreground
# (-f) so that $DPID is the daemon itself; its log goes to $LOG. A launcher
# (valgrind) may be given in $LAUNCH.
start_fs() {
        new_dir MNT
        LOG="$MNT.log"
        # shellcheck disable=SC2086
        ${LAUNCH:-} "$NPROCFS" -f "$@" "$MNT" 2>"$LOG" &
        DPID=$!
        DAEMONS+=("$DPID")
        wait_mounted "nprocfs did not mount at $MNT"
}

# wait_mounted MESSAGE: until $MNT is mounted by $DPID (tracked in
# DAEMONS); if the daemon exits first, or MOUNT_WAIT seconds pass, prints
# $LOG and MESSAGE, and fails the test.
wait_mounted() {
        local i
        for ((i = 0; i < MOUNT_WAIT * 20; i++)); do
                is_mounted "$MNT" && return 0
                kill -0 "$DPID" 2>/dev/null || break
                sleep 0.05
        done
        cat "$LOG" >&2
        echo "FAIL: $1" >&2
        exit 1
}

# stop_fs [signal]: unmounts (fusermount3 -u, or the signal), waits for the
# daemon, and checks it exited 0 (a sanitizer or valgrind finding does not)
# and left no mount behind.
stop_fs() {
        local how=${1:-umount} rc i
        [ -n "$DPID" ] || return 0
        if [ "$how" = umount ]; then
                fusermount3 -u "$MNT" || fail "fusermount3 -u $MNT"
        else
                kill -s "$how" "$DPID"
        fi
        for ((i = 0; i < 600; i++)); do
                kill -0 "$DPID" 2>/dev/null || break
                sleep 0.1
        done
        if kill -0 "$DPID" 2>/dev/null; then
                fail "nprocfs ($DPID) still running 60 s after unmount"
                kill -9 "$DPID"
        fi
        wait "$DPID"
        rc=$?
        DPID=""
        [ "$rc" -eq 0 ] || { fail "nprocfs exited $rc"; cat "$LOG" >&2; }
        if is_mounted "$MNT"; then
                fail "$MNT still mounted"
                fusermount3 -u -z "$MNT"
        fi
        return 0
}

# as UID GID COMMAND...: runs it with only those ids and no capabilities.
as() {
        local u=$1 g=$2
        shift 2
        setpriv --reuid="$u" --regid="$g" --clear-groups --inh-caps=-all --bounding-set=-all -- "$@"
}

# target NAME COMMAND...: starts a process for the test to look at, sets
# TGT[NAME] to its pid once it has exec'ed its sleep (or python3), so that
# /proc shows its final ids; ended at exit.
declare -A TGT
TARGETS=()
target() {
        local name=$1 i
        shift
        "$@" &
        TARGETS+=($!)
        TGT[$name]=$!
        for ((i = 0; i < 100; i++)); do
                grep -qE '^Name:\s+(sleep|python3)' "/proc/$!/status" 2>/dev/null && break
                sleep 0.05
        done
}

# Every mount this test made is unmounted, every daemon and target it
# started (and only those, by pid) is stopped, every scratch directory
# removed.
cleanup() {
        local d p
        for p in "${TARGETS[@]}"; do kill "$p" 2>/dev/null; done
        for d in "${SCRATCH[@]}"; do
                if is_mounted "$d"; then
                        fusermount3 -u "$d" 2>/dev/null || fusermount3 -u -z "$d" 2>/dev/null
                fi
        done
        for p in "${DAEMONS[@]}"; do
                kill -0 "$p" 2>/dev/null || continue
                kill "$p" 2>/dev/null
                sleep 1
                kill -9 "$p" 2>/dev/null
        done
        for d in "${SCRATCH[@]}"; do
                if [ -d "$d" ] && ! is_mounted "$d"; then
                        rm -rf "$d" "$d.log"
                fi
        done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# expect FILE VALUE: the file reads VALUE plus one newline.
expect() {
        local got
        if ! got=$(cat "$MNT/$1" 2>&1; echo x); then
                fail "$1: cannot read"
                return
        fi
        got=${got%x}
        [ "$got" = "$2"$'\n' ] || fail "$1: got '${got%$'\n'}', want '$2'"
}

# expect_errno FILE MESSAGE: reading FILE fails with that strerror text.
expect_errno() {
        local out
        if out=$(timeout 10 cat "$MNT/$1" 2>&1); then
                fail "$1: read '$out', want an error ($2)"
        elif [[ "$out" != *"$2"* ]]; then
                fail "$1: '$out', want '$2'"
        fi
}

# expect_ls DIR NAMES...: the directory lists exactly these names.
expect_ls() {
        local dir=$1 got want
        shift
        got=$(ls -A "$MNT/$dir" 2>&1 | sort | tr '\n' ' ')
        want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
        [ "$got" = "$want" ] || fail "ls $dir: got '$got', want '$want'"
}

finish() {
        stop_fs
        if [ "$FAILS" -gt 0 ]; then
                echo "$FAILS check(s) failed" >&2
                exit 1
        fi
        echo "ok"
        exit 0
}
