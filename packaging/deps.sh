# Sourced by run.sh and test.sh: installs what building and testing nprocfs
# needs on Debian 12, and only what is missing (so a machine that has it all
# needs no network).
NPROCFS_BUILD_DEPS="meson ninja-build pkg-config gcc libc6-dev libfuse3-dev fuse3"
NPROCFS_TEST_DEPS="libcmocka-dev clang clang-format libclang-rt-14-dev valgrind attr python3 util-linux procps jq"
# what the metrics tests read the output with, and the Prometheus that
# scrapes it (started by the tests on ports of their own, never as a service)
NPROCFS_METRICS_DEPS="prometheus prometheus-node-exporter python3-prometheus-client curl"
# Building the Debian packages from packaging/debian and checking them
# (tests/fs/pkg-deb.sh): systemd for systemd-analyze, man-db for man -w.
NPROCFS_PKG_DEPS="build-essential debhelper dpkg-dev lintian systemd man-db"

nprocfs_ensure_deps() {
        local missing=() p
        for p in "$@"; do
                dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
        done
        [ ${#missing[@]} -eq 0 ] && return 0
        if [ "$(id -u)" -ne 0 ]; then
                echo "nprocfs: missing packages: ${missing[*]} (run as root, or install them)" >&2
                return 1
        fi
        echo "nprocfs: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
