/* /proc/<pid>/status: "Key:\tvalue" lines, all table-driven. */
#include "internal.h"
#include "scan.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_status
#define FIELDS_DEF <nprocfs/schema/pid_status.def>
#include "fields-gen.h"
};

/* np_parse_keyed(':'), its reader expanded for each row of the table */
static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct np_keyed x;
        char *p = rec->buf;

        if (rec->len == 0)
                return -EIO;
        np_keyed_start(&x, rec, ':', env);
#define ROWS_DEF <nprocfs/schema/pid_status.def>
#define ROW(i)   p = np_key_run(&x, fields, NELEMS(fields), i, p, NP_EXPAND)
#include "rows-gen.h"
        return np_keyed_finish(&x, p);
}

SCHEMA_DEFINE(pid_status, fields, "status", "status", PID, NPROCFS_S_TASK, 0444, parse,
              "Process status in human-readable form, every key typed");
