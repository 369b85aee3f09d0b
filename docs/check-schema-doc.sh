#!/bin/sh
# Fails when a committed reference differs from what the schema generates
# now. Usage: check-schema-doc.sh NPROCFS-DUMP --schema|--man FILE
set -eu
if ! "$1" "$2" | diff -u "$3" -; then
        echo "$3 is stale: run 'ninja -C build schema-doc' and commit it" >&2
        exit 1
fi
