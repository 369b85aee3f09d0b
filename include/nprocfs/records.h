/* Typed records: one C struct per schema, generated from the same .def
 * tables the library parses with, so a member and its schema row cannot
 * drift apart.
 *
 *   struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
 *   if (nprocfs_rec_read(ctx, &st.rec, pid, 0) == 0 &&
 *       NPROCFS_HAS(&st, pid_status, vmrss_bytes))
 *           printf("%" PRIu64 "\n", st.vmrss_bytes);
 *   nprocfs_rec_release(&st.rec);
 *
 * Field indices are NPROCFS_F_<schema>_<field>; row field indices of table
 * files are NPROCFS_F_<schema>_row_<field>. */
#ifndef NPROCFS_RECORDS_H
#define NPROCFS_RECORDS_H

#include <nprocfs/nprocfs.h>

#define NPROCFS_CT_U64    uint64_t
#define NPROCFS_CT_I64    int64_t
#define NPROCFS_CT_DEC    struct nprocfs_dec
#define NPROCFS_CT_STR    struct nprocfs_str
#define NPROCFS_CT_ENUM   uint32_t
#define NPROCFS_CT_BOOL   uint64_t
#define NPROCFS_CT_MASK   uint64_t
#define NPROCFS_CT_MASKS  struct nprocfs_str
#define NPROCFS_CT_LIST   struct nprocfs_str
#define NPROCFS_CT_MAXU64 uint64_t
#define NPROCFS_CT_CAPS   uint64_t
#define NPROCFS_CT_SIGS   uint64_t
#define NPROCFS_CT_MODE   uint64_t
#define NPROCFS_CT_DEV    uint64_t
#define NPROCFS_CT_INET   struct nprocfs_inet

#define NPROCFS_CAT_(a, b) a##b
#define NPROCFS_CAT(a, b)  NPROCFS_CAT_(a, b)

#define NPROCFS_REC_INIT(name)                             \
        {                                                  \
                .rec = {.schema = &nprocfs_schema_##name } \
        }
#define NPROCFS_HAS(r, name, field)     nprocfs_rec_has(&(r)->rec, NPROCFS_F_##name##_##field)
#define NPROCFS_ROW_HAS(r, name, field) nprocfs_row_has(&(r)->row, NPROCFS_F_##name##_row_##field)
/* Row i of a table record r of schema name, typed: NPROCFS_ROW(&maps, pid_maps, 0)->size_bytes */
#define NPROCFS_ROW(r, name, i)         ((const struct nprocfs_##name##_row *)nprocfs_rec_row(&(r)->rec, (i)))

/* One block per schema of <nprocfs/schemas.def>, generated from it: each
 * defines NPROCFS_GEN (the schema), NPROCFS_GEN_DEF (its field table) and,
 * for table files, NPROCFS_GEN_ROW_DEF (the table of one row), then
 * includes <nprocfs/record-gen.h>. */
#include <nprocfs/records-list.h>

#endif
