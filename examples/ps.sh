#!/usr/bin/env bash
# ps: the processes on the caller's terminal, as `ps` prints them by default
# (PID, TTY, TIME, CMD), read from a mounted nprocfs tree:
#
#   examples/ps.sh /mnt/nproc
#
# "The caller's terminal" is MNT/self/stat/tty_nr, self being this shell:
# every value is read with bash's own `read`, so no other process reads the
# tree and this shell is the only lister on the terminal. Processes that
# exit while we look are left out.
set -u
if [ $# -ne 1 ]; then
        echo "usage: $0 MNT" >&2
        exit 2
fi
mnt=${1%/}
self_tty="" tty_nr="" utime="" stime="" comm="" # set by value

# value FILE VAR: the one value of FILE into VAR; fails if it cannot be read
value() {
        IFS= read -r "$2" <"$1"
} 2>/dev/null

# The name procps gives a terminal device number (tty_nr: major in bits
# 15-8, minor in bits 31-20 and 7-0); others are shown as major:minor.
tty_name() {
        local major=$((($1 >> 8) & 0xfff)) minor=$((($1 & 0xff) | (($1 >> 12) & 0xfff00)))
        if (($1 == 0)); then
                tty='?'
        elif ((major >= 136 && major <= 143)); then
                tty=pts/$((minor + (major - 136) * 256))
        elif ((major == 4 && minor < 64)); then
                tty=tty$minor
        elif ((major == 4)); then
                tty=ttyS$((minor - 64))
        else
                tty=$major:$minor
        fi
}

# (values go through bash arithmetic, which would run what a non-number
# holds: each is checked to be one first)
if ! value "$mnt/self/stat/tty_nr" self_tty || ! [[ $self_tty =~ ^[0-9]+$ ]]; then
        echo "ps.sh: cannot read $mnt/self/stat/tty_nr" >&2
        exit 1
fi
tty_name "$self_tty"

printf '%10s %-8s %8s %s\n' PID TTY TIME CMD
pids=() # an indexed array lists its indices ascending: the pids in ps's order
for dir in "$mnt"/[1-9]*/; do
        dir=${dir%/}
        [[ ${dir##*/} =~ ^[0-9]+$ ]] && pids[${dir##*/}]=1
done
for pid in "${!pids[@]}"; do
        dir=$mnt/$pid
        value "$dir/stat/tty_nr" tty_nr || continue
        [ "$tty_nr" = "$self_tty" ] || continue
        if ! { value "$dir/stat/utime_ns" utime && value "$dir/stat/stime_ns" stime && value "$dir/stat/comm" comm; }; then
                continue
        fi
        if ! [[ $utime =~ ^[0-9]+$ && $stime =~ ^[0-9]+$ ]]; then
                echo "ps.sh: $dir/stat: utime_ns '$utime', stime_ns '$stime' are not numbers" >&2
                continue
        fi
        s=$(((utime + stime) / 1000000000))
        if ((s >= 86400)); then
                printf -v time '%d-%02d:%02d:%02d' $((s / 86400)) $((s / 3600 % 24)) $((s / 60 % 60)) $((s % 60))
        else
                printf -v time '%02d:%02d:%02d' $((s / 3600)) $((s / 60 % 60)) $((s % 60))
        fi
        printf '%10s %-8s %8s %s\n' "$pid" "$tty" "$time" "${comm//[[:cntrl:]]/?}"
done
