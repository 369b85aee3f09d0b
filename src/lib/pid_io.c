/* /proc/<pid>/io: "key: value" lines in bytes and counts. Reading it needs
 * ptrace read access to the process. */
#include "internal.h"
#include "scan.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_io
#define FIELDS_DEF <nprocfs/schema/pid_io.def>
#include "fields-gen.h"
};

/* np_parse_keyed(':'), its reader expanded for each row of the table */
static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct np_keyed x;
        char *p = rec->buf;

        if (rec->len == 0)
                return -EIO;
        np_keyed_start(&x, rec, ':', env);
#define ROWS_DEF <nprocfs/schema/pid_io.def>
#define ROW(i)   p = np_key_run(&x, fields, NELEMS(fields), i, p, NP_EXPAND)
#include "rows-gen.h"
        return np_keyed_finish(&x, p);
}

SCHEMA_DEFINE(pid_io, fields, "io", "io", PID, NPROCFS_S_TASK | NPROCFS_S_RESTRICTED, 0400, parse,
              "I/O statistics of the process");
