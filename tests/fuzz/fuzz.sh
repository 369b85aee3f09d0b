#!/usr/bin/env bash
# Seeds and runs one harness; the fuzz-replay and fuzz-smoke tests call it,
# and so does a person fuzzing for hours (README.md).
#
#   fuzz.sh seeds  ID FIXTURES DIR           ID's files of every fixtures/linux-* tree, copied into DIR
#   fuzz.sh replay BIN ID FIXTURES WORK      BIN (a *-replay program) over every seed once
#   fuzz.sh smoke  BIN ID FIXTURES WORK      BIN (a libFuzzer program) for $FUZZ_SECONDS s (default 4)
#   fuzz.sh run    BIN ID FIXTURES WORK [libFuzzer flags...]
#                                            the same with no time limit of its own: long runs
#
# ID is a schema (pid_status) or machine. The corpus is WORK/corpus (the
# first corpus directory, the only one libFuzzer writes to), then the seeds
# (WORK/seeds, rebuilt each time), fixtures/malformed/ID and
# tests/fuzz/regressions/ID, which are only read. Findings go to
# WORK/artifacts/. A finding makes the exit status 1, never 77, which meson
# would count as "skipped".
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")

usage() {
        awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0" >&2
        exit 2
}

# The files of a tree a harness reads, by the schema's name: pid_X is X in
# a process or thread directory, sys_X is X anywhere else (sys/kernel/
# osrelease), net_X is net/X anywhere (the root's and every process's),
# machine is the tree's .nprocfs-machine.
seeds() { # id fixtures dir
        local id=$1 fixtures=$2 dir=$3 tree f
        rm -rf "$dir"
        mkdir -p "$dir"
        for tree in "$fixtures"/linux-*/; do
                tree=${tree%/}
                case $id in
                machine) find "$tree" -maxdepth 1 -type f -name .nprocfs-machine ;;
                # a tree's pagemap is the kernel's words (a sparse file of
                # gigabytes), not the source the reader makes of them: the
                # seeds are malformed/pid_pagemap/valid-*
                pid_pagemap) ;;
                pid_*) find "$tree" -type f -name "${id#pid_}" -path "$tree/[0-9]*" ;;
                sys_*) find "$tree" -type f -name "${id#sys_}" ! -path "$tree/[0-9]*" ;;
                net_*) find "$tree" -type f -path "*/net/${id#net_}" ;;
                *) echo "fuzz.sh: unknown id $id" >&2; exit 2 ;;
                esac | while IFS= read -r f; do
                        f=${f#"$fixtures"/}
                        cp "$fixtures/$f" "$dir/${f//\//_}"
                done
        done
}

# Every directory of inputs for id, the writable one (if any) first.
inputs() { # id fixtures work [corpus]
        local id=$1 fixtures=$2 work=$3
        [ $# -gt 3 ] && echo "$4"
        echo "$work/seeds"
        [ -d "$fixtures/malformed/$id" ] && echo "$fixtures/malformed/$id"
        [ -d "$here/regressions/$id" ] && echo "$here/regressions/$id"
        return 0
}

fuzz() { # bin id fixtures work backstop-seconds [flags...]
        local bin id=$2 fixtures=$3 work=$4 backstop=$5 rc=0
        local -a dirs run=()
        bin=$(readlink -f "$1") # before the cd below
        shift 5
        mkdir -p "$work/corpus" "$work/artifacts"
        seeds "$id" "$fixtures" "$work/seeds"
        mapfile -t dirs < <(inputs "$id" "$fixtures" "$work" "$work/corpus")
        # a hang the fuzzer's own limits miss must still end a test run
        [ "$backstop" -gt 0 ] && run=(timeout -k 10 "$backstop")
        export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
        cd "$work" # -jobs writes its fuzz-N.log files here
        "${run[@]}" "$bin" -rss_limit_mb=2048 -timeout=5 -max_len=65536 -error_exitcode=1 -timeout_exitcode=1 \
                -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@" "${dirs[@]}" || rc=$?
        if [ "$rc" -ne 0 ]; then
                echo "fuzz.sh: $id: exit status $rc; findings in $work/artifacts/:" >&2
                ls -l "$work/artifacts/" >&2 || true
                echo "fuzz.sh: reproduce with: $bin FILE (tests/fuzz/README.md)" >&2
                exit 1
        fi
}

[ $# -ge 4 ] || usage
mode=$1
shift
case $mode in
seeds)
        seeds "$@"
        ;;
replay)
        [ $# -eq 4 ] || usage
        mkdir -p "$4"
        seeds "$2" "$3" "$4/seeds"
        mapfile -t dirs < <(inputs "$2" "$3" "$4")
        "$1" "${dirs[@]}" || exit 1
        ;;
smoke)
        [ $# -eq 4 ] || usage
        secs=${FUZZ_SECONDS:-4}
        fuzz "$1" "$2" "$3" "$4" $((secs + 120)) -max_total_time="$secs"
        ;;
run)
        fuzz "$1" "$2" "$3" "$4" 0 "${@:5}"
        ;;
*)
        usage
        ;;
esac
