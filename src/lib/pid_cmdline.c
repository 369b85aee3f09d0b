/* /proc/<pid>/cmdline and /proc/<pid>/environ: NUL-separated strings. The
 * list keeps its bytes; the walker also shows each element by its index. */
#include "internal.h"

static const struct nprocfs_field cmdline_fields[] = {
#define FIELDS_REC struct nprocfs_pid_cmdline
#define FIELDS_DEF <nprocfs/schema/pid_cmdline.def>
#include "fields-gen.h"
};

static const struct nprocfs_field environ_fields[] = {
#define FIELDS_REC struct nprocfs_pid_environ
#define FIELDS_DEF <nprocfs/schema/pid_environ.def>
#include "fields-gen.h"
};

/* Elements of a NUL-separated list; a final NUL ends the last one. */
static uint64_t count_nul_items(const char *s, size_t len) {
        uint64_t n = 0;

        for (size_t i = 0; i < len; i++)
                if (s[i] == 0)
                        n++;
        return n + (len > 0 && s[len - 1] != 0);
}

static int parse_nul_list(struct nprocfs_rec *rec, struct nprocfs_str *list, uint64_t *count, unsigned list_idx,
                          unsigned count_idx) {
        *list = (struct nprocfs_str){ rec->buf, rec->len };
        *count = count_nul_items(rec->buf, rec->len);
        rec_set(rec, list_idx);
        rec_set(rec, count_idx);
        return 0;
}

static int parse_cmdline(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct nprocfs_pid_cmdline *c = (struct nprocfs_pid_cmdline *)rec;
        (void)env;
        return parse_nul_list(rec, &c->argv, &c->argc, NPROCFS_F_pid_cmdline_argv, NPROCFS_F_pid_cmdline_argc);
}

static int parse_environ(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct nprocfs_pid_environ *e = (struct nprocfs_pid_environ *)rec;
        (void)env;
        return parse_nul_list(rec, &e->vars, &e->count, NPROCFS_F_pid_environ_vars, NPROCFS_F_pid_environ_count);
}

SCHEMA_DEFINE(pid_cmdline, cmdline_fields, "cmdline", "cmdline", PID, NPROCFS_S_TASK, 0444, parse_cmdline,
              "Command-line arguments of the process");
SCHEMA_DEFINE(pid_environ, environ_fields, "environ", "environ", PID,
              NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_MM, 0400, parse_environ,
              "Initial environment of the process");
