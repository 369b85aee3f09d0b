/* libnprocfs: Linux /proc read as typed records with normalized units.
 *
 * Everything is read through a context opened on a proc root: the live
 * /proc, a container's, or a captured snapshot. Every /proc file the library
 * knows has one schema (struct nprocfs_schema): a table of fields from which
 * the parser, the generic entry walker, the mounted tree and the docs are all
 * driven. Typed records for each schema are declared in <nprocfs/records.h>.
 *
 * Conventions: functions return 0 (or a count) on success and a negative
 * errno on failure. Output parameters are named ret_* and are left untouched
 * on failure. A process that is gone is -ENOENT; content that does not parse
 * is -EIO. Nothing here logs or aborts. */
#ifndef NPROCFS_H
#define NPROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NPROCFS_VERSION "0.1.0"

/* ---- values ---------------------------------------------------------- */

/* A run of bytes inside a record's own buffer: valid until the record is
 * read again or released. Not NUL-terminated. */
struct nprocfs_str {
        const char *ptr;
        size_t len;
};

/* A decimal as the kernel printed it: mant / 10^scale (load averages). */
struct nprocfs_dec {
        int64_t mant;
        uint32_t scale;
};

/* An IP address (net/tcp, net/tcp6): family is AF_INET (the first 4 bytes
 * of addr are the address) or AF_INET6, as the kernel's table says. */
struct nprocfs_inet {
        uint16_t family;
        uint8_t addr[16];
};

/* The type of an entry as users see it (NAMING.md). Masks and lists have
 * two storage forms; nprocfs_type_name() maps both to the one public name. */
enum nprocfs_type {
        NPROCFS_T_U64,    /* uint64_t */
        NPROCFS_T_I64,    /* int64_t */
        NPROCFS_T_DEC,    /* struct nprocfs_dec */
        NPROCFS_T_STR,    /* struct nprocfs_str */
        NPROCFS_T_ENUM,   /* uint32_t index into the field's word table */
        NPROCFS_T_BOOL,   /* uint64_t, 0 or 1 */
        NPROCFS_T_MASK,   /* uint64_t bit mask */
        NPROCFS_T_MASKS,  /* struct nprocfs_str: a mask wider than 64 bits, hex digits */
        NPROCFS_T_LIST,   /* struct nprocfs_str: items separated by '\n' or NUL */
        NPROCFS_T_MAXU64, /* uint64_t where UINT64_MAX means "unlimited", shown as max */
        NPROCFS_T_CAPS,   /* uint64_t capability mask, shown as a list of names */
        NPROCFS_T_SIGS,   /* uint64_t signal mask, shown as a list of names */
        NPROCFS_T_MODE,   /* uint64_t permission bits, shown in octal as /proc does (0022) */
        NPROCFS_T_DEV,    /* uint64_t device number, major << 32 | minor, shown as major:minor */
        NPROCFS_T_INET,   /* struct nprocfs_inet, shown as inet_ntop writes it (127.0.0.1, ::1) */
        NPROCFS_T__COUNT
};

/* Normalized unit of an entry. */
enum nprocfs_unit { NPROCFS_U_NONE, NPROCFS_U_BYTES, NPROCFS_U_NS, NPROCFS_U_COUNT, NPROCFS_U__COUNT };

/* How the source writes a value, i.e. what the parser must do to get the
 * normalized unit. Applied once, from the table. */
enum nprocfs_conv {
        NPROCFS_C_RAW,   /* as written */
        NPROCFS_C_KB,    /* kB (1024 bytes) -> bytes */
        NPROCFS_C_PAGES, /* pages -> bytes */
        NPROCFS_C_TICKS, /* clock ticks -> ns */
        NPROCFS_C_SEC,   /* seconds, maybe with a fraction -> ns */
        NPROCFS_C_US,    /* microseconds -> ns */
        NPROCFS_C_HEX,   /* hex digits (no 0x) -> mask */
        NPROCFS_C_OCT,   /* octal digits -> mask */
        NPROCFS_C_CODE,  /* the first character of the token */
        NPROCFS_C_STATE, /* a process state letter -> enum (nprocfs_words_state) */
        NPROCFS_C_LINE,  /* the rest of the line (strings) */
        NPROCFS_C_ITEMS, /* the rest of the line as a list split on blanks/commas */
        NPROCFS_C_NUL,   /* NUL-separated list, one entry per element as well */
        /* decoders of the registry (src/lib/decode.c): one function each */
        NPROCFS_C_RANGE_START, /* "7f12a000-7f12b000": the first address, hex */
        NPROCFS_C_RANGE_END,   /* ... the second */
        NPROCFS_C_RANGE_SIZE,  /* ... their difference, bytes */
        NPROCFS_C_PERM_R,      /* "r-xp": 1 if the letter at 0 is there */
        NPROCFS_C_PERM_W,      /* ... at 1 */
        NPROCFS_C_PERM_X,      /* ... at 2 */
        NPROCFS_C_PERM_S,      /* ... at 3: 1 for 's' (shared), 0 for 'p' */
        NPROCFS_C_DEV_HEX,     /* "08:01" (hex, as maps writes it) -> "8:1" */
        NPROCFS_C_MAJOR_HEX,   /* ... -> 8 */
        NPROCFS_C_MINOR_HEX,   /* ... -> 1 */
        NPROCFS_C_MAPKIND,     /* a mapping's pathname -> enum (nprocfs_words_mapkind) */
        /* the text of a link (fd/N, ns/TYPE, exe); a part the text does not
         * have leaves the field absent */
        NPROCFS_C_LINK_KIND,    /* what an fd is, from its link -> enum (nprocfs_words_fdkind) */
        NPROCFS_C_LINK_PREFIX,  /* "net:[4026531833]" -> "net" (a namespace's type) */
        NPROCFS_C_LINK_INODE,   /* "socket:[1148996]" -> 1148996 */
        NPROCFS_C_LINK_PATH,    /* "/usr/bin/bash (deleted)" -> "/usr/bin/bash"; absent for "pipe:[1]" */
        NPROCFS_C_LINK_DELETED, /* ... -> 1; "/dev/null" -> 0; absent for what is no path */
        NPROCFS_C_OCT_TEXT,     /* octal digits, kept as the kernel writes them ("0100002") */
        NPROCFS_C_HEX_NUM,      /* hex digits (no 0x) -> a number, shown in decimal */
        NPROCFS_C_YESNO,        /* "yes" or "no" (cpuinfo's fpu, wp) -> bool */
        NPROCFS_C_IP4_ADDR,     /* "0100007F:9D27" (net/tcp): the address, 8 hex digits of a little-endian word */
        NPROCFS_C_IP4_PORT,     /* ... the port, 4 hex digits */
        NPROCFS_C_IP6_ADDR,     /* as IP4_ADDR with 32 digits: 4 little-endian 32-bit words (net/tcp6) */
        NPROCFS_C_IP6_PORT,     /* ... the port */
        NPROCFS_C_TCP_STATE,    /* a TCP state, 2 hex digits ("0A") -> enum (nprocfs_words_tcp_state) */
        NPROCFS_C_PAIR_A,       /* "a:b", both hex ("00000000:00000010", a queue pair): a */
        NPROCFS_C_PAIR_B,       /* ... b */
        NPROCFS_C_PAIR_TICKS,   /* ... b, clock ticks -> ns (a timer's "tr:tm->when") */
        NPROCFS_C_DEV_DEC,      /* "0:21" (decimal, as mountinfo writes it) -> "0:21" */
        NPROCFS_C_MAJOR_DEC,    /* ... -> 0 */
        NPROCFS_C_MINOR_DEC,    /* ... -> 21 */
        NPROCFS_C_UNESCAPE,     /* a string with octal escapes (\040 for a blank), decoded in place */
        NPROCFS_C_COMMAS,       /* a list split on commas only: "pnfs=not configured" stays one item */
        NPROCFS_C__COUNT
};

/* One row of a schema: one entry of the tree. */
struct nprocfs_field {
        const char *name;         /* normalized entry name; may hold one '/' (a group) */
        const char *key;          /* source key ("VmRSS"), or "" for positional fields */
        const char *kver;         /* first kernel version that has it, e.g. "2.6.34" */
        const char *doc;          /* one line */
        const char *const *words; /* enum word table, NULL-terminated, or NULL */
        uint32_t offset;          /* offsetof the member in the typed record (or row) */
        uint16_t pos;             /* proc(5) field number (positional, from 1) or column (keyed, from 0) */
        uint8_t name_len;
        uint8_t key_len;
        uint8_t type;   /* enum nprocfs_type */
        uint8_t unit;   /* enum nprocfs_unit */
        uint8_t conv;   /* enum nprocfs_conv */
        uint8_t access; /* enum nprocfs_access */
        uint8_t flags;  /* enum nprocfs_field_flags */
};

enum nprocfs_field_flags {
        /* a total since boot or since the process started: it only grows
         * (until a reboot, or the process is gone), and a rate of it means
         * something; a Prometheus counter */
        NPROCFS_FF_CUMULATIVE = 1u << 0,
};

/* Who may see a field's value. /proc shows some fields of a file anyone may
 * read (stat's code and stack addresses, wchan, exit code) only to a reader
 * that may ptrace-read the process, and a placeholder to others; the tree
 * refuses those entries (EACCES) instead of showing the placeholder. */
enum nprocfs_access {
        NPROCFS_A_ANY,    /* whoever may read the file */
        NPROCFS_A_PTRACE, /* PTRACE_MODE_READ_FSCREDS on the process */
};

enum nprocfs_scope {
        NPROCFS_SCOPE_PID,    /* /proc/<pid>/<file>, and per thread */
        NPROCFS_SCOPE_SYSTEM, /* /proc/<file> */
};

enum nprocfs_schema_flags {
        NPROCFS_S_TASK = 1u << 0,          /* also exists as /proc/<pid>/task/<tid>/<file> */
        NPROCFS_S_RESTRICTED = 1u << 1,    /* /proc checks ptrace read access (environ, ...) */
        NPROCFS_S_KEYS_VERBATIM = 1u << 2, /* row keys name rows as the kernel writes them (a mapping's range) */
        /* the check guards the process's memory (mm_access): a process that
         * has none (a zombie, a kernel thread) is open to all, and empty */
        NPROCFS_S_MM = 1u << 3,
        /* also exists as ROOT/<path> for the root's own network namespace: a
         * read with pid 0 reads ROOT/<path> */
        NPROCFS_S_NET = 1u << 4,
        /* a row per kernel object that comes and goes (a mapping, an open
         * file, a socket, a mount), not a fixed set (cpus, limits): many,
         * and named by the kernel's own keys */
        NPROCFS_S_PER_OBJECT = 1u << 5,
};

struct nprocfs_rec;
struct nprocfs_env;
struct nprocfs_ctx;

struct nprocfs_schema {
        const char *name; /* the tree's directory name: the /proc file's name */
        const char *path; /* path below the pid dir or the root ("status", "sys/kernel/osrelease") */
        const char *doc;
        /* what one row (table files) or one group of fields (G rows) is, as
         * a word: "cpu", "limit"; NULL for files with neither. Metrics name
         * their row label by it. */
        const char *row_name;
        const struct nprocfs_field *fields;
        const struct nprocfs_field *row_fields; /* table files: the fields of each row */
        const struct nprocfs_grammar *grammar;  /* files the generic interpreter parses, else NULL */
        int (*parse)(struct nprocfs_rec *rec, const struct nprocfs_env *env);
        uint32_t rec_size; /* sizeof the typed record */
        uint32_t row_size; /* sizeof one row, for table files */
        uint16_t nfields;
        uint16_t nrow_fields;
        uint8_t scope; /* enum nprocfs_scope */
        uint8_t flags; /* enum nprocfs_schema_flags */
        uint16_t mode; /* permission bits of the source in /proc (0444, 0400) */
        uint8_t name_len;
        /* The reader of a file that is not read whole, NULL for the others:
         * it makes the source parse takes, in rec's buffer, from path (the
         * file below the root, "<pid>/pagemap") and returns its length, or
         * a negative errno. pagemap's reads its words per mapping of maps. */
        ssize_t (*read)(struct nprocfs_ctx *ctx, const char *path, struct nprocfs_rec *rec);
};

/* Process states, indexed by the enum value of stat/state and status/state. */
extern const char *const nprocfs_words_state[];
/* What a mapping maps (maps/<range>/kind), from its pathname. */
extern const char *const nprocfs_words_mapkind[];
/* What an open file is (fd/<n>/type), from its link's text. */
extern const char *const nprocfs_words_fdkind[];
/* TCP states (net/tcp/<row>/state), in the kernel's order from 1 (tcp_states.h). */
extern const char *const nprocfs_words_tcp_state[];

/* The shape of a file the generic interpreter parses (struct nprocfs_grammar). */
enum nprocfs_shape {
        NPROCFS_SH_TABLE, /* a row per line, fields by column (blank-separated, from 1) */
        /* a symbolic link (exe, cwd, root): the record's source is its text,
         * which every field decodes whole */
        NPROCFS_SH_LINK,
        /* a directory of links (fd/, ns/): a row per link, named by it; the
         * fields of pos 1 decode its text, and, with entry_dir, those with a
         * key come from the "key: value" lines of the file of the same name
         * in that directory (fdinfo/<n>). The source, as the library reads
         * it: per entry, its name, its text and that file, each ended by a
         * NUL */
        NPROCFS_SH_LINKS,
        NPROCFS_SH_PAIRS, /* binary (type, value) machine words, ended by a type-0 pair; fields by type */
        /* a row per block of "Key<sep> value" lines, fields by key; a block
         * starts at a header line (fields by column, as a TABLE row) or
         * after a blank line (smaps, cpuinfo) */
        NPROCFS_SH_BLOCKS,
};

/* A file's grammar: the schema's parse is then np_parse_grammar, with no
 * code of the file's own. */
struct nprocfs_grammar {
        uint8_t shape;         /* enum nprocfs_shape */
        uint8_t key_col;       /* the column that names a row (from 1); 0: rows by index */
        uint8_t header_lines;  /* lines before the first row */
        uint8_t min_cols;      /* a line with fewer columns is malformed */
        const char *entry_dir; /* NPROCFS_SH_LINKS: the directory of each link's file, or NULL */
        /* binary shapes: the bytes of one machine word (4 or 8) and their
         * order, those of the machine that wrote the file. A snapshot does
         * not record them: a schema gives the host's (8 bytes on the
         * 64-bit machines nprocfs is built for, in the host's order). */
        uint8_t word_size;
        uint8_t big_endian;
        /* NPROCFS_SH_BLOCKS */
        uint8_t key_sep;     /* what ends a key (':'); blanks around it belong to neither key nor value */
        uint8_t blank_ends;  /* 1: a blank line ends a block, the next key line starts one (cpuinfo);
                                0: a header line, a line whose first word does not end with key_sep,
                                starts one (smaps) */
        uint8_t record_keys; /* 1: one block, whose keys are the record's fields, not a row's (smaps_rollup) */
        uint8_t min_blocks;  /* a file with fewer blocks is malformed */
        /* the key column ends with this byte, which is no part of the key
         * (net/tcp's "0:" names row 0); a row without it is malformed. 0:
         * the key is the whole column */
        char key_suffix;
        /* columns are separated by exactly one blank, so a column may be
         * empty (mountinfo); else by any run of blanks (padded tables) */
        bool one_blank;
        /* a first row whose first column is this word is a header, skipped
         * (a file may come with or without it); NULL: none */
        const char *header;
        /* A variable run of columns: from column sep_col, up to sep_max
         * columns end at a column that is the word sep (mountinfo's "-").
         * The run is one token at pos sep_col (its columns, blanks and all;
         * empty when there are none), and the columns after sep are
         * numbered from sep_base. A row without sep there is malformed.
         * NULL: no run. */
        const char *sep;
        uint8_t sep_col, sep_max, sep_base;
        /* a file with fewer rows is malformed (every process has a mount) */
        uint8_t min_rows;
};

/* Every schema the library knows, NULL-terminated, in a stable order. */
extern const struct nprocfs_schema *const nprocfs_schemas[];

/* The schema of that scope and name, or NULL. */
const struct nprocfs_schema *nprocfs_schema_find(enum nprocfs_scope scope, const char *name, size_t len);

const char *nprocfs_type_name(enum nprocfs_type t);
const char *nprocfs_unit_name(enum nprocfs_unit u);

/* ---- records --------------------------------------------------------- */

#define NPROCFS_MAX_FIELDS 256

/* A key the schema does not know, kept as the source wrote it. */
struct nprocfs_extra {
        struct nprocfs_str key;
        struct nprocfs_str value;
};

/* The head of every row of a table file. */
struct nprocfs_row {
        struct nprocfs_str key; /* the row's natural key; empty: its index names it */
        uint64_t present;       /* bit i: row field i was in the source */
        /* the row's unknown keys: rec->extra[extra_first .. extra_first +
         * nextra). The ranges of a record's rows follow the row order and
         * do not overlap; the extras in none of them are the record's. A
         * block file keeps at most 64 per row and 262144 per record (more
         * is -EIO: src/lib/grammar.c). */
        uint32_t extra_first, nextra;
};

/* The head of every typed record. A record owns its buffer, extras and rows;
 * reading it again reuses them (no allocation in steady state). Initialize a
 * typed record with NPROCFS_REC_INIT and free what it owns with
 * nprocfs_rec_release(). */
struct nprocfs_rec {
        const struct nprocfs_schema *schema;
        char *buf; /* the source bytes, NUL-terminated at len */
        size_t len, cap;
        uint64_t present[NPROCFS_MAX_FIELDS / 64];
        struct nprocfs_extra *extra;
        size_t nextra, extra_cap;
        void *rows; /* nrows rows of schema->row_size bytes */
        size_t nrows, rows_cap;
};

/* Machine constants a parse needs. */
struct nprocfs_env {
        uint64_t page_size;
        uint64_t ticks_per_second;
        uint64_t boot_time_unix_ns; /* 0 when unknown */
};

static inline bool nprocfs_rec_has(const struct nprocfs_rec *rec, unsigned field) {
        return field < NPROCFS_MAX_FIELDS && (rec->present[field / 64] >> (field % 64)) & 1;
}

static inline bool nprocfs_row_has(const struct nprocfs_row *row, unsigned field) {
        return field < 64 && (row->present >> field) & 1;
}

static inline const struct nprocfs_row *nprocfs_rec_row(const struct nprocfs_rec *rec, size_t i) {
        return (const struct nprocfs_row *)((const char *)rec->rows + i * rec->schema->row_size);
}

/* Allocates a zeroed record of schema s. Free it with nprocfs_rec_free(). */
int nprocfs_rec_new(const struct nprocfs_schema *s, struct nprocfs_rec **ret);

/* Frees what rec owns and rec itself. Accepts NULL. */
void nprocfs_rec_free(struct nprocfs_rec *rec);

/* Frees what rec owns, not rec itself (for records on the stack); rec can be
 * read again afterwards. Accepts NULL. */
void nprocfs_rec_release(struct nprocfs_rec *rec);

/* Parses len bytes of data as rec->schema's file. The bytes are copied into
 * the record's buffer. -EIO when they do not parse; rec then holds what was
 * parsed up to the error, with presence bits for it. */
int nprocfs_rec_parse(struct nprocfs_rec *rec, const void *data, size_t len, const struct nprocfs_env *env);

/* The entries of a parsed record, as the tree shows them. */
struct nprocfs_entry {
        const char *path; /* relative to the file's directory: "vmrss_bytes", "cpu0/user_ns" */
        size_t path_len;
        const char *value; /* formatted, without the final '\n' */
        size_t value_len;
        const struct nprocfs_field *field; /* schema row (a generic one for unknown keys) */
        struct nprocfs_str key;            /* the source key for unknown keys and rows, else empty */
};

/* Called once per entry; a non-zero return stops the walk and is returned. */
typedef int (*nprocfs_entry_fn)(const struct nprocfs_entry *e, void *userdata);

/* Walks every entry of rec in schema order: known fields that are present,
 * then unknown keys, then rows (each row's fields, then its unknown keys,
 * as <row>/<name>). Entry strings are valid only during the call. */
int nprocfs_rec_foreach(const struct nprocfs_rec *rec, nprocfs_entry_fn fn, void *userdata);

/* The same walk in parts, for a reader that wants a table's rows one entry
 * at a time, formatted only when asked (the tree formats a value when it is
 * read). nprocfs_rec_foreach() is nprocfs_rec_foreach_fields(), then per row
 * i with a name, its entries j of 0..nprocfs_row_nentries(rec, i) that
 * exist, as <row name>/<entry name>. */
#define NPROCFS_NAME_SIZE  264  /* a name of the tree, with its NUL */
#define NPROCFS_VALUE_SIZE 8200 /* room a value may be formatted in */

/* The value of the record's field i (an index of schema->fields), as the
 * walk gives it: formatted into tmp (NPROCFS_VALUE_SIZE bytes) or pointing
 * into the record. 1, or 0 when the field is not in the source. */
int nprocfs_rec_field_value(const struct nprocfs_rec *rec, unsigned i, char *tmp, const char **ret, size_t *ret_len);

/* Walks the record's own entries (no row's). */
int nprocfs_rec_foreach_fields(const struct nprocfs_rec *rec, nprocfs_entry_fn fn, void *userdata);

/* The name of row i into buf (NPROCFS_NAME_SIZE bytes, NUL-terminated): its
 * length, 0 when the row has none (a key that leaves no name). */
size_t nprocfs_row_name(const struct nprocfs_rec *rec, size_t i, char *buf);

/* How many entries row i may have: its fields, then its unknown keys. */
size_t nprocfs_row_nentries(const struct nprocfs_rec *rec, size_t i);

/* Entry j of row i into e, its path the name inside the row (held by the
 * schema or by name, NPROCFS_NAME_SIZE bytes). The value is formatted into
 * tmp (NPROCFS_VALUE_SIZE bytes) or points into the record; with tmp NULL
 * it is not formatted (e->value may then be NULL). Returns 1 when the entry
 * exists, 0 when it does not (a field not in the source, a key that leaves
 * no name or names a field that is there). */
int nprocfs_row_entry(const struct nprocfs_rec *rec, size_t i, size_t j, char *name, char *tmp,
                      struct nprocfs_entry *e);

/* Formats the source of e ("/proc/<pid>/status:VmRSS") into buf. Returns the
 * length it needed, like snprintf. */
int nprocfs_entry_source(const struct nprocfs_schema *s, const struct nprocfs_entry *e, char *buf, size_t size);

/* ---- the context: a proc root ---------------------------------------- */

typedef struct nprocfs_ctx nprocfs_ctx;

enum nprocfs_open_flags {
        NPROCFS_OPEN_LIVE = 1u << 0, /* machine constants from this system even for a non-/proc root */
};

/* Opens a proc root: NULL means /proc. The root is untrusted: every read
 * through it stays inside it (links that leave it, and magic links, fail),
 * and anything but a regular file (FIFO, device, directory) is refused.
 * Machine constants come from ROOT/.nprocfs-machine when the root has one,
 * else from this system. Free with nprocfs_close(). */
int nprocfs_open(const char *root, unsigned flags, nprocfs_ctx **ret);
void nprocfs_close(nprocfs_ctx *ctx);

const struct nprocfs_env *nprocfs_ctx_env(const nprocfs_ctx *ctx);
int nprocfs_ctx_root_fd(const nprocfs_ctx *ctx);
bool nprocfs_ctx_is_live(const nprocfs_ctx *ctx); /* the root is the kernel's own proc */

/* Largest file the library reads (default 64 MiB); larger is -EFBIG. */
void nprocfs_ctx_set_max_file(nprocfs_ctx *ctx, size_t max);

/* Reads ROOT/path whole into *buf (grown with realloc as needed, to at most
 * the size limit + 1; *cap is its size) and NUL-terminates it. Returns the
 * length. -ENOENT also for a process that is gone (the kernel's ESRCH);
 * -EINVAL or -EISDIR for what is not a regular file; -EFBIG past the limit.
 * On failure a buffer bigger than 1 MiB is freed (*buf NULL, *cap 0). */
ssize_t nprocfs_read_path(nprocfs_ctx *ctx, const char *path, char **buf, size_t *cap);

/* Opens ROOT/path inside the root, for a caller that reads it itself. */
int nprocfs_open_path(nprocfs_ctx *ctx, const char *path, int flags);

/* Reads rec->schema's file of process pid (thread tid when non-zero; pid and
 * tid are ignored for system files) and parses it into rec. */
int nprocfs_rec_read(nprocfs_ctx *ctx, struct nprocfs_rec *rec, pid_t pid, pid_t tid);

/* The number of rows rec->schema's file of pid (tid) has, where it is a
 * directory (fd/, ns/: NPROCFS_SH_LINKS), counted from its listing alone:
 * no link is read, no fdinfo opened. -EINVAL for other shapes. */
int nprocfs_count_rows(nprocfs_ctx *ctx, const struct nprocfs_schema *s, pid_t pid, pid_t tid);

/* ---- processes ------------------------------------------------------- */

/* Every pid of the root, ascending, into a malloc'ed array the caller frees. */
int nprocfs_pids(nprocfs_ctx *ctx, pid_t **ret, size_t *ret_n);

/* Every thread id of pid, ascending. -ENOENT when the process is gone. */
int nprocfs_tids(nprocfs_ctx *ctx, pid_t pid, pid_t **ret, size_t *ret_n);

/* The pid the root's "self" names (for the live /proc: the caller's pid). */
int nprocfs_self(nprocfs_ctx *ctx, pid_t *ret);

/* 0 when the process (thread when tid != 0) exists in the root, else -ENOENT. */
int nprocfs_proc_exists(nprocfs_ctx *ctx, pid_t pid, pid_t tid);

/* Owner of /proc/<pid> as the root shows it. */
int nprocfs_proc_owner(nprocfs_ctx *ctx, pid_t pid, uid_t *ret_uid, gid_t *ret_gid);

/* ---- machine --------------------------------------------------------- */

struct nprocfs_kver {
        unsigned major, minor, patch;
};

/* The kernel version of the root, from sys/kernel/osrelease. */
int nprocfs_kernel_version(nprocfs_ctx *ctx, struct nprocfs_kver *ret);

/* ---- the tree's layout ------------------------------------------------
 * Which schema gives which name in which directory of the tree: the mount
 * and nprocfs-dump both ask here, so the two show one layout. */

/* A directory of the tree that holds files. */
enum nprocfs_dir {
        NPROCFS_DIR_ROOT,    /* the root: the system-wide files */
        NPROCFS_DIR_PROCESS, /* <pid>/ */
        NPROCFS_DIR_THREAD,  /* <pid>/task/<tid>/ */
};

/* What a schema gives in a directory. */
enum nprocfs_child_kind {
        NPROCFS_CHILD_FILE,   /* the file's directory of entries (status/) */
        NPROCFS_CHILD_LINK,   /* a symbolic link (exe) */
        NPROCFS_CHILD_SUBDIR, /* a directory of files its name goes through (net/ of net/tcp) */
};

struct nprocfs_child {
        enum nprocfs_child_kind kind;
        /* its name: the schema's name from off to end ("net/tcp" in the
         * root: "net", 0 to 3; in net/: "tcp", 4 to 7) */
        unsigned short off, end;
};

/* The name "task" of a process's directory of threads. */
#define NPROCFS_TASK_DIR "task"

/* What schema s gives in directory dir of a tree, below its subdirectory
 * sub (sub_len 0: the directory itself), into c: true when it gives
 * something. live: the tree is the kernel's own proc (a snapshot's root
 * holds its own net/ files; a live root has net -> self/net instead). */
bool nprocfs_tree_child(const struct nprocfs_schema *s, enum nprocfs_dir dir, bool live, const char *sub,
                        size_t sub_len, struct nprocfs_child *c);

/* ---- strict number parsing (also used by tools) ---------------------- */

/* Base-10 unsigned, digits only, whole input: -EINVAL on anything else,
 * -ERANGE on overflow. */
int nprocfs_parse_u64(const char *s, size_t len, uint64_t *ret);
int nprocfs_parse_i64(const char *s, size_t len, int64_t *ret);

#ifdef __cplusplus
}
#endif

#endif
