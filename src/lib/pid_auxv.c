/* /proc/<pid>/auxv: binary (type, value) pairs, parsed by its grammar (no
 * code of its own). /proc shows it only to a reader that may ptrace-read
 * the process (mm_access, PTRACE_MODE_READ_FSCREDS, in auxv_open); a
 * process without memory (a kernel thread, a zombie) gives an empty file.
 *
 * The words are the kernel's unsigned long, which a snapshot does not
 * record: the host's are assumed, sizeof(unsigned long) bytes (8 on the
 * 64-bit machines the fixtures come from) in the host's byte order. A
 * 32-bit process of a 64-bit kernel has 4-byte words in its auxv, which
 * this reads as halves of 8-byte ones (wrong values, never a crash). */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_auxv
#define FIELDS_DEF <nprocfs/schema/pid_auxv.def>
#include "fields-gen.h"
};

static const struct nprocfs_grammar grammar = {
        .shape = NPROCFS_SH_PAIRS,
        .word_size = sizeof(unsigned long),
        .big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__,
};

static_assert(NELEMS(fields) <= NPROCFS_MAX_FIELDS, "too many fields");

/* SCHEMA_DEFINE's fields with a grammar: no macro of internal.h gives a
 * grammar to a file without rows. */
const struct nprocfs_schema nprocfs_schema_pid_auxv = {
        .name = "auxv",
        .name_len = sizeof("auxv") - 1,
        .path = "auxv",
        .doc = "Auxiliary vector the kernel passed the program at exec: an entry per AT_ type",
        .fields = fields,
        .nfields = NELEMS(fields),
        .parse = np_parse_grammar,
        .grammar = &grammar,
        .rec_size = sizeof(struct nprocfs_pid_auxv),
        .scope = NPROCFS_SCOPE_PID,
        .flags = NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_MM,
        .mode = 0400,
};
