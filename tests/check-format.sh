#!/bin/sh
# Fails when a C source or header of the tree is not as .clang-format wants
# it (clang-format -i FILE mends one).
set -eu
if ! command -v clang-format >/dev/null; then
        echo "SKIPPED: clang-format is not installed; the format of the tree was not checked" >&2
        exit 77
fi
cd "$1"
status=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find include src tests bench -name '*.[ch]'); do
        if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
                echo "not formatted: $f" >&2
                status=1
        fi
done
exit $status
