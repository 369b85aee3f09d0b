/* /proc/stat: "key value..." lines. The cpu lines are rows named by their
 * key (cpu, cpu0, ...); intr and softirq keep their totals only. */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_sys_stat
#define FIELDS_DEF <nprocfs/schema/sys_stat.def>
#include "fields-gen.h"
};

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_sys_stat_row
#define FIELDS_DEF <nprocfs/schema/sys_stat_cpu.def>
#include "fields-gen.h"
};

static int cpu_line(struct nprocfs_rec *rec, char *key, size_t klen, char *val, size_t vlen,
                    const struct nprocfs_env *env) {
        struct nprocfs_sys_stat_row *row;
        int r;

        if (klen < 3 || memcmp(key, "cpu", 3) != 0)
                return 0;
        row = np_rec_add_row(rec);
        if (!row)
                return -ENOMEM;
        row->row.key = (struct nprocfs_str){ key, klen };
        /* user nice system idle have always been there */
        r = np_parse_positional(row, &row->row.present, row_fields, NELEMS(row_fields), val, vlen, " ", 1, 4, env);
        return r < 0 ? r : 1;
}

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return np_parse_keyed(rec, ' ', env, cpu_line);
}

SCHEMA_DEFINE_TABLE(sys_stat, "stat", "stat", SYSTEM, 0, 0444, parse,
                    "Kernel and system statistics: CPU times per CPU, context switches, boot time, forks", "cpu");
