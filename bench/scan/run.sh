#!/usr/bin/env bash
# Runs the scan benchmark the way bench/README.md reports it: a release build
# in build-bench/, the timed runs (stat+status, then stat+status+statm+io, at
# this machine's process count and with SPAWN extra sleeping processes), and
# callgrind counts of user-space instructions per process for the floor, the
# library and libproc2. Ends with a summary table.
#
#   ROUNDS=31 SPAWN=2000 bench/scan/run.sh
#
# libproc2 (Debian: libproc2-dev) is a bench-only dependency: installed when
# this runs as root and the package can be had, else its rows are left out.
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.." || exit 1
ROUNDS=${ROUNDS:-31}
SPAWN=${SPAWN:-2000}
BUILD=${BUILD:-build-bench}
OUT=${OUT:-$BUILD/bench-scan}

want=()
command -v valgrind >/dev/null || want+=(valgrind)
if ! pkg-config --exists libproc2 2>/dev/null; then
        cand=$(apt-cache policy libproc2-dev 2>/dev/null | awk '/Candidate:/{print $2}')
        [ -n "$cand" ] && [ "$cand" != "(none)" ] && want+=(libproc2-dev)
fi
if [ ${#want[@]} -gt 0 ]; then
        if [ "$(id -u)" -eq 0 ]; then
                echo "run.sh: installing ${want[*]}" >&2
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null ||
                        echo "run.sh: could not install ${want[*]}; going on without" >&2
        else
                echo "run.sh: not installed: ${want[*]} (run as root to install them)" >&2
        fi
fi

if [ -f "$BUILD/build.ninja" ]; then
        meson setup --reconfigure "$BUILD" --buildtype=release -Dtests=false >/dev/null || exit 1
else
        meson setup "$BUILD" --buildtype=release -Dtests=false >/dev/null || exit 1
fi
ninja -C "$BUILD" bench/scan/nprocfs-bench-scan >/dev/null || exit 1
BIN=$BUILD/bench/scan/nprocfs-bench-scan
mkdir -p "$OUT"
have_lp2=0
"$BIN" --mode libproc2 --rounds 1 --sample-ms 0 >/dev/null 2>&1 && have_lp2=1

# ---- timed runs ----------------------------------------------------------
runs=("stat,status 0" "stat,status $SPAWN" "stat,status,statm,io 0" "stat,status,statm,io $SPAWN")
for run in "${runs[@]}"; do
        read -r files spawn <<<"$run"
        set -- "$files" "$spawn"
        log="$OUT/time-$1-$2.txt"
        echo "== $BIN --files $1 --rounds $ROUNDS --spawn $2"
        "$BIN" --files "$1" --rounds "$ROUNDS" --spawn "$2" | tee "$log" | grep -v '^instructions:'
        echo
done

# ---- callgrind: instructions per process ------------------------------------
# The floor runs as plain openat(): a valgrind that does not know openat2
# fails it with ENOSYS (3.19 does not), and the user-space instructions of the
# two calls are the same. The library then takes its pre-5.6 fallback, which
# opens path components one by one: its own cost is printed apart.
cg() { # files mode -> "Ir processes fallback_Ir"
        local f=$OUT/cg-$1-$2.out line procs ir fb
        line=$(valgrind --tool=callgrind --dump-instr=no --toggle-collect=scan_measured --callgrind-out-file="$f" \
                "$BIN" --callgrind --files "$1" --mode "$2" 2>/dev/null | grep '^callgrind ')
        procs=${line##*processes=}
        ir=$(awk '/^totals:/{print $2}' "$f")
        fb=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null | awk '/:open_beneath_slow /{gsub(",", "", $1); print $1; exit}')
        echo "${ir:-0} ${procs:-0} ${fb:-0}"
}
per() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f", a / b; else printf "-" }'; }

declare -A IPP
for files in stat,status stat,status,statm,io; do
        modes="openat lib list"
        [ $have_lp2 -eq 1 ] && modes="$modes libproc2"
        for m in $modes; do
                read -r ir procs fb < <(cg "$files" "$m")
                IPP[$files,$m]=$(per "$ir" "$procs")
                IPP[$files,$m,fb]=$(per "$fb" "$procs")
                IPP[$files,$m,n]=$procs
        done
done

# ---- summary ------------------------------------------------------------------
col() { # log mode field: field 2 = us/process, 3 = x floor
        awk -v m="$2" -v f="$3" '$1 == m { print $f; exit }' "$1"
}
lp2_same() { # the libproc2 ratio with listing on both sides
        sed -n 's/^listing included.*libproc2 \([0-9.]*\).*/\1/p' "$1"
}
echo "== summary: $(date -u +%Y-%m-%d), kernel $(uname -r), $(nproc) CPUs, $ROUNDS rounds, medians"
printf '%-27s %11s %9s %9s %9s %16s\n' files processes "floor us" "lib us" lib/floor "libproc2/floor*"
for run in "${runs[@]}"; do
        read -r files spawn <<<"$run"
        set -- "$files" "$spawn"
        log="$OUT/time-$1-$2.txt"
        procs=$(sed -n 's/.*{[^}]*}, \([0-9.]*\) processes.*/\1/p' "$log")
        printf '%-27s %11s %9s %9s %9s %16s\n' "$1$([ "$2" != 0 ] && echo " +$2")" "$procs" "$(col "$log" floor 2)" "$(col "$log" lib 2)" \
                "$(col "$log" lib 3)" "$(lp2_same "$log")"
done
echo "  * libproc2 lists /proc inside pids_reap(): its ratio is to floor + list (nprocfs_pids), i.e. listing on both sides"
echo "  targets: lib/floor <= 1.15 idle and with $SPAWN more sleeping processes"
echo
echo "user-space instructions per process (callgrind, toggled on scan_measured):"
printf '%-22s %8s %8s %8s %10s %16s\n' files floor lib list libproc2 "lib fallback*"
for files in stat,status stat,status,statm,io; do
        printf '%-22s %8s %8s %8s %10s %16s\n' "$files" "${IPP[$files,openat]}" "${IPP[$files,lib]}" \
                "${IPP[$files,list]}" "${IPP[$files,libproc2]:--}" "${IPP[$files,lib,fb]}"
done
echo "  * of lib: the component-by-component open valgrind forces (it lacks openat2); list is nprocfs_pids(),"
echo "    '-' where that same fallback cannot list the root under valgrind"
echo "  target: lib + list < libproc2 (libproc2's count includes its listing), parsing every field"
