/* Generates one typed record from a schema table; included once per schema
 * by <nprocfs/records.h> with NPROCFS_GEN, NPROCFS_GEN_DEF and optionally
 * NPROCFS_GEN_ROW_DEF defined, all of which it undefines.
 *
 * A table row is F(name, type, unit, conv, key, pos, kver, doc), or
 * W(name, conv, words, key, pos, kver, doc) for an enumeration, or
 * G(group, name, type, ...) for an entry group/name (member group_name), or
 * P(...), as F, for a field /proc shows only to a reader that may
 * ptrace-read the process (enum nprocfs_access), or C(...), as F, for a
 * cumulative field (NPROCFS_FF_CUMULATIVE). */

#define F(n, t, ...)    NPROCFS_CT_##t n;
#define G(g, n, t, ...) NPROCFS_CT_##t g##_##n;
#define W(n, ...)       uint32_t n;
#define P               F
#define C               F

#ifdef NPROCFS_GEN_ROW_DEF
struct NPROCFS_CAT(NPROCFS_CAT(nprocfs_, NPROCFS_GEN), _row) {
        struct nprocfs_row row;
#include NPROCFS_GEN_ROW_DEF
};
#endif

struct NPROCFS_CAT(nprocfs_, NPROCFS_GEN) {
        struct nprocfs_rec rec;
#include NPROCFS_GEN_DEF
};

#undef F
#undef G
#undef W
#undef P
#undef C

#define F(n, ...)    NPROCFS_CAT(NPROCFS_CAT(NPROCFS_CAT(NPROCFS_F_, NPROCFS_GEN), _), n),
#define G(g, n, ...) F(g##_##n, __VA_ARGS__)
#define W            F
#define P            F
#define C            F
enum {
#include NPROCFS_GEN_DEF
        NPROCFS_CAT(NPROCFS_CAT(NPROCFS_F_, NPROCFS_GEN), __COUNT)
};
#undef F

#ifdef NPROCFS_GEN_ROW_DEF
#define F(n, ...) NPROCFS_CAT(NPROCFS_CAT(NPROCFS_CAT(NPROCFS_F_, NPROCFS_GEN), _row_), n),
enum {
#include NPROCFS_GEN_ROW_DEF
        NPROCFS_CAT(NPROCFS_CAT(NPROCFS_F_, NPROCFS_GEN), _row__COUNT)
};
#undef F
#endif
#undef G
#undef W
#undef P
#undef C

extern const struct nprocfs_schema NPROCFS_CAT(nprocfs_schema_, NPROCFS_GEN);

#undef NPROCFS_GEN
#undef NPROCFS_GEN_DEF
#undef NPROCFS_GEN_ROW_DEF
