/* /proc/<pid>/mountinfo: a table, parsed by its grammar (no code of its
 * own). Its columns are separated by exactly one blank (an empty source
 * is an empty column, not a missing one). The optional fields before "-"
 * are a run of at most 8 columns: the kernel prints up to 4, the rest is
 * room for a tag a later kernel adds. */
#include "internal.h"

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_pid_mountinfo_row
#define FIELDS_DEF <nprocfs/schema/pid_mountinfo_row.def>
#include "fields-gen.h"
};

static const struct nprocfs_grammar grammar = {
        .shape = NPROCFS_SH_TABLE,
        .key_col = 1,
        .min_cols = 10,
        .min_rows = 1, /* the root mount, at least */
        .one_blank = true,
        .sep = "-",
        .sep_col = 7,
        .sep_max = 8,
        .sep_base = 8,
};

SCHEMA_DEFINE_GRAMMAR(pid_mountinfo, "mountinfo", "mountinfo", PID, NPROCFS_S_TASK | NPROCFS_S_PER_OBJECT, 0444,
                      grammar, "Mounts of the process's mount namespace: a row per mount, named by its mount ID",
                      "mount");
