/* /proc/<pid>/stat. comm may hold spaces, ')' and newlines, so it runs from
 * the first '(' to the LAST ')'; everything after is positional. */
#include "internal.h"
#include "scan.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_stat
#define FIELDS_DEF <nprocfs/schema/pid_stat.def>
#include "fields-gen.h"
};

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct nprocfs_pid_stat *st = (struct nprocfs_pid_stat *)rec;
        char *b = rec->buf, *end = b + rec->len, *open, *close, *p;
        struct np_pos x = { .base = rec,
                            .present = rec->present,
                            .cls = np_blank_nl_class,
                            .e = end,
                            .first = 3,
                            .cv = { .env = env } };
        size_t len;
        int r;

        open = memchr(b, '(', rec->len);
        close = memrchr(b, ')', rec->len);
        if (!open || !close || close < open)
                return -EIO;
        len = (size_t)(open - b);
        np_trim(&b, &len);
        r = np_field_set(rec, &fields[NPROCFS_F_pid_stat_pid], b, len, env);
        if (r < 0)
                return r;
        rec_set(rec, NPROCFS_F_pid_stat_pid);
        st->comm = (struct nprocfs_str){ open + 1, (size_t)(close - open - 1) };
        rec_set(rec, NPROCFS_F_pid_stat_comm);
        /* np_parse_positional(" \n", from field 3), its reader expanded for
         * each row of the table */
        p = close + 1;
#define ROWS_DEF <nprocfs/schema/pid_stat.def>
#define ROW(i)   p = np_pos_run(&x, fields, NELEMS(fields), i, p)
#include "rows-gen.h"
        /* fields 3 .. 41 have been there since 2.5; later ones may be absent */
        return np_pos_finish(&x, fields, NELEMS(fields), p, 39);
}

SCHEMA_DEFINE(pid_stat, fields, "stat", "stat", PID, NPROCFS_S_TASK, 0444, parse,
              "Process status as positional fields (proc(5) numbering)");
