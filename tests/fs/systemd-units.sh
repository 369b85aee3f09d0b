#!/usr/bin/env bash
# packaging/systemd: the textfile service and its timer are units systemd
# accepts (systemd-analyze verify), and the service's command, run as
# systemd would run it (with $$ as $), writes a whole nprocfs.prom that
# promtool takes, leaving no temporary file behind.
. "$(dirname "$0")/lib.sh"
UNITS=$FS_TESTS/../../packaging/systemd
if ! command -v systemd-analyze >/dev/null; then
        echo "!!! SKIPPED: no systemd-analyze here: the unit files in $UNITS are not checked" >&2
        exit 77
fi
need_cmd promtool

out=$(systemd-analyze verify --man=no "$UNITS/nprocfs-textfile.service" "$UNITS/nprocfs-textfile.timer" 2>&1) ||
        fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify says: $out"

new_dir D
cmd=$(sed -n 's/^ExecStart=//p' "$UNITS/nprocfs-textfile.service")
cmd=${cmd//\$\$/\$}
[[ "$cmd" == "/bin/sh -ec '"*"'" ]] || fail "ExecStart is no /bin/sh -ec '...': $cmd"
script=${cmd#/bin/sh -ec \'}
script=${script%\'}
PATH="$(dirname "$NPROCFS_DUMP"):$PATH" DIR="$D" /bin/sh -ec "$script" || fail "the service's command: status $?"
[ -s "$D/nprocfs.prom" ] || fail "no $D/nprocfs.prom"
[ "$(ls -A "$D")" = nprocfs.prom ] || fail "left behind: $(ls -A "$D")"
grep -q '^nprocfs_meminfo_memtotal_bytes ' "$D/nprocfs.prom" || fail "nprocfs.prom has no memtotal"
promtool check metrics <"$D/nprocfs.prom" 2>&1 | grep -v -e hugepages_total -e environ_count | grep -q . &&
        fail "promtool: $(promtool check metrics <"$D/nprocfs.prom" 2>&1 | head -3)"
[ "$(stat -c %a "$D/nprocfs.prom")" = 644 ] || fail "nprocfs.prom is not 0644"
finish
