/* /proc/<pid>/maps: a table, parsed by its grammar (no code of its own).
 * /proc shows it only to a reader that may ptrace-read the process. */
#include "internal.h"

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_pid_maps_row
#define FIELDS_DEF <nprocfs/schema/pid_maps_row.def>
#include "fields-gen.h"
};

static const struct nprocfs_grammar grammar = {
        .shape = NPROCFS_SH_TABLE,
        .key_col = 1,
        .min_cols = 5,
};

SCHEMA_DEFINE_GRAMMAR(pid_maps, "maps", "maps", PID,
                      NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_MM | NPROCFS_S_KEYS_VERBATIM |
                              NPROCFS_S_PER_OBJECT,
                      0444, grammar, "Memory mappings: a row per mapping, named by its address range", "mapping");
