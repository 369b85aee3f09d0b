/* /proc/cpuinfo: a block of "key: value" lines per processor, each ended by
 * a blank line, parsed by its grammar (no code of its own). */
#include "internal.h"

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_sys_cpuinfo_row
#define FIELDS_DEF <nprocfs/schema/sys_cpuinfo_row.def>
#include "fields-gen.h"
};

/* every machine has a processor: an empty cpuinfo is no cpuinfo */
static const struct nprocfs_grammar grammar = {
        .shape = NPROCFS_SH_BLOCKS,
        .key_sep = ':',
        .blank_ends = 1,
        .min_blocks = 1,
};

SCHEMA_DEFINE_GRAMMAR(sys_cpuinfo, "cpuinfo", "cpuinfo", SYSTEM, 0, 0444, grammar,
                      "Processors: a row per processor, by its index in the file", "processor");
