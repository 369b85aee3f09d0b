#!/usr/bin/env bash
# Builds the Debian packages (nprocfs, libnprocfs0, libnprocfs-dev) into
# OUTDIR, on Debian 12, installing what that needs (as root) first.
#
#   bash packaging/build-deb.sh OUTDIR
#
# dpkg-buildpackage wants debian/ at the top of the tree it builds, and
# leaves its work there: it builds a copy of the checkout (what git tracks,
# plus new files it does not ignore), where packaging/debian becomes
# debian/, so that the checkout stays as it was. The log is OUTDIR/build.log.
set -euo pipefail
[ $# -eq 1 ] || { sed -n '5p' "$0" | sed 's/^# *//' >&2; exit 2; }
src=$(dirname "$(readlink -f "$0")")/..
src=$(readlink -f "$src")
mkdir -p "$1"
out=$(readlink -f "$1")

. "$src/packaging/deps.sh"
# shellcheck disable=SC2086
nprocfs_ensure_deps $NPROCFS_BUILD_DEPS $NPROCFS_PKG_DEPS

work=$(mktemp -d "${TMPDIR:-/tmp}/nprocfs-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/nprocfs-0.1.0
mkdir "$tree"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$src" ls-files -z --cached --others --exclude-standard |
                tar -C "$src" --null -T - -cf - | tar -C "$tree" -xf -
else # a tarball: everything but build directories
        tar -C "$src" --exclude='./build*' -cf - . | tar -C "$tree" -xf -
fi
mv "$tree/packaging/debian" "$tree/debian"
if ! (cd "$tree" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
        tail -40 "$out/build.log" >&2
        echo "build-deb.sh: dpkg-buildpackage failed; the log is $out/build.log" >&2
        exit 1
fi
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
ls "$out"/*.deb
