#!/usr/bin/env bash
# Installs what nprocfs needs, builds it, and shows the tree for this
# process (the filesystem mount comes with src/fs).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. packaging/deps.sh
# shellcheck disable=SC2086
nprocfs_ensure_deps $NPROCFS_BUILD_DEPS
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
./build/src/tools/nprocfs-dump self/status meminfo loadavg
