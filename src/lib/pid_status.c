/* /proc/<pid>/status: "Key:\tvalue" lines, all table-driven. */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_status
#define FIELDS_DEF <nprocfs/schema/pid_status.def>
#include "fields-gen.h"
};

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return np_parse_keyed(rec, ':', env, NULL);
}

SCHEMA_DEFINE(pid_status, fields, "status", "status", PID, NPROCFS_S_TASK, 0444, parse,
              "Process status in human-readable form, every key typed");
