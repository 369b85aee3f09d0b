/* /proc/<pid>/fd and fdinfo/: a row per open file, parsed by its grammar
 * (src/lib/links.c). /proc shows both only to a reader that may
 * ptrace-read the process. */
#include "internal.h"

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_pid_fd_row
#define FIELDS_DEF <nprocfs/schema/pid_fd_row.def>
#include "fields-gen.h"
};

static const struct nprocfs_grammar grammar = {
        .shape = NPROCFS_SH_LINKS,
        .entry_dir = "fdinfo",
};

SCHEMA_DEFINE_GRAMMAR(pid_fd, "fd", "fd", PID, NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_PER_OBJECT, 0400,
                      grammar, "Open files: a row per file descriptor, its link and its fdinfo", "fd");
