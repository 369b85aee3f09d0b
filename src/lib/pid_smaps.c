/* /proc/<pid>/smaps and /proc/<pid>/smaps_rollup: blocks of "Key: value"
 * lines after a mapping's header line, parsed by their grammar. /proc
 * shows both only to a reader that may ptrace-read the process, as maps. */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_smaps
#define FIELDS_DEF <nprocfs/schema/pid_smaps.def>
#include "fields-gen.h"
};

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_pid_smaps_row
#define FIELDS_DEF <nprocfs/schema/pid_smaps_row.def>
#include "fields-gen.h"
};

static const struct nprocfs_field rollup_fields[] = {
#define FIELDS_REC struct nprocfs_pid_smaps_rollup
#define FIELDS_DEF <nprocfs/schema/pid_smaps_rollup.def>
#include "fields-gen.h"
};

static const struct nprocfs_grammar grammar = {
        .shape = NPROCFS_SH_BLOCKS,
        .key_col = 1,
        .min_cols = 5,
        .key_sep = ':',
};

/* the rollup's header line is a mapping's (the range, ---p, 0, 00:00, 0,
 * [rollup]); its keys are the record's */
static const struct nprocfs_grammar rollup_grammar = {
        .shape = NPROCFS_SH_BLOCKS,
        .min_cols = 5,
        .key_sep = ':',
        .record_keys = 1,
        .min_blocks = 1,
};

/* Adds v to *total, saturating, when the row has the field. */
static void add(struct nprocfs_rec *rec, uint64_t *total, unsigned field, const struct nprocfs_row *row,
                unsigned row_field, uint64_t v) {
        if (!nprocfs_row_has(row, row_field))
                return;
        *total = *total > UINT64_MAX - v ? UINT64_MAX : *total + v;
        rec_set(rec, field);
}

/* The grammar, then the totals over the rows. A sum across rows is no
 * grammar's: this is the one thing in smaps a .def row cannot say, so it
 * is code, here, once. A total is present when at least one row had the
 * key it sums, so a kernel without the key has no total (never a 0). */
static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct nprocfs_pid_smaps *m = (struct nprocfs_pid_smaps *)rec;
        int r = np_parse_grammar(rec, env);

        if (r < 0)
                return r;
        for (size_t i = 0; i < rec->nrows; i++) {
                const struct nprocfs_pid_smaps_row *row = NPROCFS_ROW(m, pid_smaps, i);

                add(rec, &m->uss_bytes, NPROCFS_F_pid_smaps_uss_bytes, &row->row,
                    NPROCFS_F_pid_smaps_row_private_clean_bytes, row->private_clean_bytes);
                add(rec, &m->uss_bytes, NPROCFS_F_pid_smaps_uss_bytes, &row->row,
                    NPROCFS_F_pid_smaps_row_private_dirty_bytes, row->private_dirty_bytes);
                add(rec, &m->pss_bytes, NPROCFS_F_pid_smaps_pss_bytes, &row->row, NPROCFS_F_pid_smaps_row_pss_bytes,
                    row->pss_bytes);
                add(rec, &m->swap_bytes, NPROCFS_F_pid_smaps_swap_bytes, &row->row, NPROCFS_F_pid_smaps_row_swap_bytes,
                    row->swap_bytes);
                add(rec, &m->rss_bytes, NPROCFS_F_pid_smaps_rss_bytes, &row->row, NPROCFS_F_pid_smaps_row_rss_bytes,
                    row->rss_bytes);
        }
        return 0;
}

/* By hand, not by SCHEMA_DEFINE_GRAMMAR: smaps has fields of its own (the
 * totals) besides its rows, and the rollup has no rows at all. */
static_assert(NELEMS(fields) <= NPROCFS_MAX_FIELDS, "too many fields");
static_assert(NELEMS(row_fields) <= 64, "too many row fields");
const struct nprocfs_schema nprocfs_schema_pid_smaps = {
        .name = "smaps",
        .name_len = sizeof("smaps") - 1,
        .path = "smaps",
        .doc = "Memory use of each mapping: a row per mapping, named by its address range, and the totals",
        .row_name = "mapping",
        .fields = fields,
        .nfields = NELEMS(fields),
        .row_fields = row_fields,
        .nrow_fields = NELEMS(row_fields),
        .grammar = &grammar,
        .parse = parse,
        .rec_size = sizeof(struct nprocfs_pid_smaps),
        .row_size = sizeof(struct nprocfs_pid_smaps_row),
        .scope = NPROCFS_SCOPE_PID,
        .flags = NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_MM | NPROCFS_S_KEYS_VERBATIM | NPROCFS_S_PER_OBJECT,
        .mode = 0444,
};

static_assert(NELEMS(rollup_fields) <= NPROCFS_MAX_FIELDS, "too many fields");
const struct nprocfs_schema nprocfs_schema_pid_smaps_rollup = {
        .name = "smaps_rollup",
        .name_len = sizeof("smaps_rollup") - 1,
        .path = "smaps_rollup",
        .doc = "Memory use of the whole process: the smaps keys, each summed by the kernel over every mapping",
        .fields = rollup_fields,
        .nfields = NELEMS(rollup_fields),
        .grammar = &rollup_grammar,
        .parse = np_parse_grammar,
        .rec_size = sizeof(struct nprocfs_pid_smaps_rollup),
        .scope = NPROCFS_SCOPE_PID,
        .flags = NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_MM,
        .mode = 0444,
};
