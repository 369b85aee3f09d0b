/* /proc/<pid>/ns: a row per namespace link, parsed by its grammar
 * (src/lib/links.c). /proc shows the links only to a reader that may
 * ptrace-read the process. */
#include "internal.h"

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_pid_ns_row
#define FIELDS_DEF <nprocfs/schema/pid_ns_row.def>
#include "fields-gen.h"
};

static const struct nprocfs_grammar grammar = {
        .shape = NPROCFS_SH_LINKS,
};

SCHEMA_DEFINE_GRAMMAR(pid_ns, "ns", "ns", PID, NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_PER_OBJECT, 0400,
                      grammar, "Namespaces of the process: a row per namespace link (3.0+; all types by 4.11)",
                      "namespace");
