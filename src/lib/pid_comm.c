/* /proc/<pid>/comm: the command name and a newline. */
#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_comm
#define FIELDS_DEF <nprocfs/schema/pid_comm.def>
#include "fields-gen.h"
};

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        size_t len = rec->len;

        (void)env;
        /* only the one newline the kernel appends is not part of the name */
        if (len == 0 || rec->buf[len - 1] != '\n')
                return -EIO;
        ((struct nprocfs_pid_comm *)rec)->name = (struct nprocfs_str){ rec->buf, len - 1 };
        rec_set(rec, NPROCFS_F_pid_comm_name);
        return 0;
}

SCHEMA_DEFINE(pid_comm, fields, "comm", "comm", PID, NPROCFS_S_TASK, 0644, parse,
              "Command name of the process (or thread)");
