/* /proc/<pid>/statm: seven page counts on one line. */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_statm
#define FIELDS_DEF <nprocfs/schema/pid_statm.def>
#include "fields-gen.h"
};

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return np_parse_positional(rec, rec->present, fields, NELEMS(fields), rec->buf, rec->len, " \n", 1, 7, env);
}

SCHEMA_DEFINE(pid_statm, fields, "statm", "statm", PID, NPROCFS_S_TASK, 0444, parse,
              "Memory usage of the process, in pages in the source");
