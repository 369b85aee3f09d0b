/* /proc/<pid>/statm: seven page counts on one line. */
#include "internal.h"
#include "scan.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_statm
#define FIELDS_DEF <nprocfs/schema/pid_statm.def>
#include "fields-gen.h"
};

/* np_parse_positional(" \n", from field 1, all 7 wanted), its reader
 * expanded for each row of the table */
static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct np_pos x = { .base = rec,
                            .present = rec->present,
                            .cls = np_blank_nl_class,
                            .e = rec->buf + rec->len,
                            .first = 1,
                            .cv = { .env = env } };
        char *p = rec->buf;

#define ROWS_DEF <nprocfs/schema/pid_statm.def>
#define ROW(i)   p = np_pos_run(&x, fields, NELEMS(fields), i, p)
#include "rows-gen.h"
        return np_pos_finish(&x, fields, NELEMS(fields), p, 7);
}

SCHEMA_DEFINE(pid_statm, fields, "statm", "statm", PID, NPROCFS_S_TASK, 0444, parse,
              "Memory usage of the process, in pages in the source");
