/* The list of every schema (from <nprocfs/schemas.def>), and the names of
 * types and units. */
#include "internal.h"

const struct nprocfs_schema *const nprocfs_schemas[] = {
#define NPROCFS_SCHEMA(id, source) &nprocfs_schema_##id,
#include <nprocfs/schemas.def>
        NULL,
};

const struct nprocfs_schema *nprocfs_schema_find(enum nprocfs_scope scope, const char *name, size_t len) {
        for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++)
                if ((*s)->scope == scope && (*s)->name_len == len && memcmp((*s)->name, name, len) == 0)
                        return *s;
        return NULL;
}

/* The names NAMING.md lists; a mode is a mask of permission bits. */
const char *nprocfs_type_name(enum nprocfs_type t) {
        static const char *const names[] = {
                [NPROCFS_T_U64] = "u64",    [NPROCFS_T_I64] = "i64",    [NPROCFS_T_DEC] = "decimal",
                [NPROCFS_T_STR] = "string", [NPROCFS_T_ENUM] = "enum",  [NPROCFS_T_BOOL] = "bool",
                [NPROCFS_T_MASK] = "mask",  [NPROCFS_T_MASKS] = "mask", [NPROCFS_T_LIST] = "list",
                [NPROCFS_T_MAXU64] = "u64", [NPROCFS_T_CAPS] = "list",  [NPROCFS_T_SIGS] = "list",
                [NPROCFS_T_MODE] = "mask",  [NPROCFS_T_DEV] = "string", [NPROCFS_T_INET] = "string",
        };
        static_assert(NELEMS(names) == NPROCFS_T__COUNT, "a type without a name");
        return (unsigned)t < NELEMS(names) ? names[t] : "?";
}

const char *nprocfs_unit_name(enum nprocfs_unit u) {
        static const char *const names[] = {
                [NPROCFS_U_NONE] = "",
                [NPROCFS_U_BYTES] = "bytes",
                [NPROCFS_U_NS] = "ns",
                [NPROCFS_U_COUNT] = "count",
        };
        static_assert(NELEMS(names) == NPROCFS_U__COUNT, "a unit without a name");
        return (unsigned)u < NELEMS(names) ? names[u] : "?";
}
