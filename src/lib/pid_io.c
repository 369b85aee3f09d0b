/* /proc/<pid>/io: "key: value" lines in bytes and counts. Reading it needs
 * ptrace read access to the process. */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_io
#define FIELDS_DEF <nprocfs/schema/pid_io.def>
#include "fields-gen.h"
};

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return np_parse_keyed(rec, ':', env, NULL);
}

SCHEMA_DEFINE(pid_io, fields, "io", "io", PID, NPROCFS_S_TASK | NPROCFS_S_RESTRICTED, 0400, parse,
              "I/O statistics of the process");
