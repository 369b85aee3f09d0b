#!/usr/bin/env bash
# Runs the whole test suite: a -Werror build and its tests, the same tests
# under ASan+UBSan, and a short libFuzzer run of every parser. Ends with
# "N passed, N failed" (N skipped when a test could not run here, which it
# also says loudly).
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. packaging/deps.sh
# shellcheck disable=SC2086
nprocfs_ensure_deps $NPROCFS_BUILD_DEPS $NPROCFS_TEST_DEPS $NPROCFS_METRICS_DEPS $NPROCFS_PKG_DEPS || exit 1

FUZZ_SECONDS=${FUZZ_SECONDS:-4}
export FUZZ_SECONDS
# Under CI, FUSE is there: a filesystem test that cannot mount fails.
[ "${CI:-}" = true ] && export NPROCFS_REQUIRE_FUSE=1
passed=0 failed=0 skipped=0

count() { # builddir: adds its testlog.json results to the totals
        local r
        r=$(python3 - "$1"/meson-logs/testlog*.json <<'PY'
import json, sys
p = f = s = 0
files = [a for a in sys.argv[1:] if not a.endswith("*.json")]
if not files:
    f += 1  # the suite wrote no log: it did not run
for name in files:
    for line in open(name):
        res = json.loads(line).get("result")
        if res in ("OK", "EXPECTEDFAIL"): p += 1
        elif res == "SKIP": s += 1
        else: f += 1
print(p, f, s)
PY
)
        # a log that does not read (two runs wrote it at once) is a failure
        # of the suite, not of this script
        [[ "$r" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]] || r="0 1 0"
        set -- $r
        passed=$((passed + $1)) failed=$((failed + $2)) skipped=$((skipped + $3))
}

suite() { # name builddir meson-test-args -- setup-args
        local name=$1 dir=$2; shift 2
        local targs=() sargs=()
        while [ $# -gt 0 ] && [ "$1" != "--" ]; do targs+=("$1"); shift; done
        [ $# -gt 0 ] && shift
        sargs=("$@")
        echo "=== $name"
        if ! { [ -f "$dir/build.ninja" ] && meson setup --reconfigure "$dir" "${sargs[@]}" >"$dir.setup.log" 2>&1; } &&
           ! { rm -rf "$dir" && meson setup "$dir" "${sargs[@]}" >"$dir.setup.log" 2>&1; }; then
                cat "$dir.setup.log"; echo "$name: meson setup failed"; failed=$((failed + 1)); return
        fi
        if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
                tail -50 "$dir.build.log"; echo "$name: build failed"; failed=$((failed + 1)); return
        fi
        rm -f "$dir"/meson-logs/testlog*.json
        meson test -C "$dir" --print-errorlogs "${targs[@]}"
        count "$dir"
}

suite "build (-Werror)" build -- -Dwerror=true
suite "ASan+UBSan" build-asan --setup=asan -- -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
CC=clang suite "libFuzzer smoke (${FUZZ_SECONDS}s per parser)" build-fuzz --suite fuzz-smoke -- -Dfuzz=true -Dwerror=true -Db_lundef=false

echo
[ "$skipped" -gt 0 ] && echo "WARNING: $skipped test(s) could not run here; see above."
if [ "$skipped" -gt 0 ]; then
        echo "$passed passed, $failed failed, $skipped skipped"
else
        echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
