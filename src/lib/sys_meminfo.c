/* /proc/meminfo: "Key:   value kB" lines, all table-driven; unknown keys
 * are kept (and converted from kB by the walker). */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_sys_meminfo
#define FIELDS_DEF <nprocfs/schema/sys_meminfo.def>
#include "fields-gen.h"
};

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return np_parse_keyed(rec, ':', env, NULL);
}

SCHEMA_DEFINE(sys_meminfo, fields, "meminfo", "meminfo", SYSTEM, 0, 0444, parse, "System memory usage");
