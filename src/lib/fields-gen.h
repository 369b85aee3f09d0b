/* Builds the rows of a schema's field table from its .def file. Included
 * inside an array initializer with FIELDS_REC (the typed record or row
 * struct) and FIELDS_DEF (the .def path) defined; undefines both. */

#define FIELD_ROW(nm, member, t, u, c, k, p, v, d, w, a, fl) \
        { .name = nm,                                        \
          .name_len = sizeof(nm) - 1,                        \
          .key = k,                                          \
          .key_len = sizeof(k) - 1,                          \
          .kver = v,                                         \
          .doc = d,                                          \
          .words = w,                                        \
          .offset = offsetof(FIELDS_REC, member),            \
          .pos = p,                                          \
          .type = NPROCFS_T_##t,                             \
          .unit = NPROCFS_U_##u,                             \
          .conv = NPROCFS_C_##c,                             \
          .access = NPROCFS_A_##a,                           \
          .flags = fl },

#define F(n, t, u, c, k, p, v, d)    FIELD_ROW(#n, n, t, u, c, k, p, v, d, NULL, ANY, 0)
#define C(n, t, u, c, k, p, v, d)    FIELD_ROW(#n, n, t, u, c, k, p, v, d, NULL, ANY, NPROCFS_FF_CUMULATIVE)
#define P(n, t, u, c, k, p, v, d)    FIELD_ROW(#n, n, t, u, c, k, p, v, d, NULL, PTRACE, 0)
#define G(g, n, t, u, c, k, p, v, d) FIELD_ROW(#g "/" #n, g##_##n, t, u, c, k, p, v, d, NULL, ANY, 0)
#define W(n, c, w, k, p, v, d)       FIELD_ROW(#n, n, ENUM, NONE, c, k, p, v, d, w, ANY, 0)

#include FIELDS_DEF

#undef F
#undef C
#undef P
#undef G
#undef W
#undef FIELD_ROW
#undef FIELDS_REC
#undef FIELDS_DEF
