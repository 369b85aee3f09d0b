#!/usr/bin/env bash
# Installs what nprocfs needs (Debian 12, as root), builds it, and mounts
# the tree at /mnt/nproc until Ctrl-C, which unmounts it.
#
#   bash run.sh [MOUNTPOINT] [-- NPROCFS-OPTIONS...]
#   bash run.sh --check [MOUNTPOINT]    mount, read a few values, unmount; 0 if all went well
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

usage() {
        sed -n '2,6s/^# \{0,1\}//p' "$0"
}

check=0 mnt=/mnt/nproc opts=()
while [ $# -gt 0 ]; do
        case $1 in
        --check) check=1 ;;
        -h | --help) usage; exit 0 ;;
        --) shift; opts=("$@"); break ;;
        -*) usage >&2; exit 2 ;;
        *) mnt=$1 ;;
        esac
        shift
done

. packaging/deps.sh
# shellcheck disable=SC2086
nprocfs_ensure_deps $NPROCFS_BUILD_DEPS
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
bin=build/src/fs/nprocfs
if [ ! -x "$bin" ]; then # set up before libfuse3 was installed: look for it again
        meson setup --reconfigure build >/dev/null
        ninja -C build >/dev/null
fi
if [ ! -x "$bin" ]; then
        echo "run.sh: the filesystem was not built (is libfuse3-dev installed?)" >&2
        exit 1
fi

mounted() {
        awk -v m="$(readlink -f "$mnt")" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo
}

# a mount left by a daemon that died ("Transport endpoint is not connected")
if mounted; then
        if stat "$mnt" >/dev/null 2>&1; then
                echo "run.sh: something is already mounted at $mnt" >&2
                exit 1
        fi
        fusermount3 -u -z "$mnt"
fi
mkdir -p "$mnt"

log=$(mktemp "${TMPDIR:-/tmp}/nprocfs-run.XXXXXX")
"$bin" -f "${opts[@]}" "$mnt" 2>"$log" &
pid=$!
stop() { # unmounts (the daemon does it on SIGTERM/SIGINT) and waits for it
        kill -s "${1:-TERM}" "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null
}
trap 'stop INT; rm -f "$log"; exit 130' INT
trap 'stop TERM; rm -f "$log"; exit 143' TERM
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

for ((i = 0; i < 200; i++)); do
        mounted && break
        if ! kill -0 "$pid" 2>/dev/null; then
                cat "$log" >&2
                echo "run.sh: nprocfs did not mount at $mnt" >&2
                exit 1
        fi
        sleep 0.05
done
mounted || { cat "$log" >&2; echo "run.sh: nprocfs did not mount at $mnt" >&2; stop; exit 1; }

if [ $check = 1 ]; then
        ok=1
        for f in self/status/vmrss_bytes meminfo/memtotal_bytes 1/stat/starttime_ns uptime/uptime_ns; do
                v=$(cat "$mnt/$f") && [[ "$v" =~ ^[0-9]+$ ]] || { echo "run.sh --check: $f: '$v'" >&2; ok=0; }
                echo "$f $v"
        done
        [ "$(cat "$mnt/self/stat/comm")" = cat ] || { echo "run.sh --check: self/stat/comm" >&2; ok=0; }
        [ "$(grep -r . "$mnt/meminfo" | wc -l)" -gt 10 ] || { echo "run.sh --check: grep -r meminfo" >&2; ok=0; }
        [ "$(find "$mnt/self/" -type f 2>/dev/null | wc -l)" -gt 50 ] || { echo "run.sh --check: find self -type f" >&2; ok=0; }
        stop TERM && status=0 || status=$?
        if [ "$status" -ne 0 ] || mounted; then
                cat "$log" >&2
                echo "run.sh --check: nprocfs exited $status$(mounted && echo ', still mounted')" >&2
                ok=0
        fi
        [ $ok = 1 ] || exit 1
        echo "run.sh --check: ok"
        exit 0
fi

cat <<EOF
nprocfs is mounted at $mnt (daemon pid $pid). Try, in another terminal:

  cat $mnt/self/status/vmrss_bytes
  grep -r . $mnt/meminfo
  ls $mnt/1 && cat $mnt/1/limits/max_open_files/soft
  find $mnt/self/ -type f | head
  getfattr -d -m - $mnt/self/status/vmrss_bytes
  python3 -c 'print(open("$mnt/loadavg/load1").read(), end="")'

For instance:
EOF
for c in "cat $mnt/self/status/vmrss_bytes" "grep -r . $mnt/meminfo"; do
        echo "\$ $c"
        $c | head -5
done
echo
echo "Ctrl-C unmounts."
wait "$pid"
