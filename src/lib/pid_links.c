/* /proc/<pid>/exe, cwd and root: one link each, parsed by their grammar
 * (src/lib/links.c). /proc shows them only to a reader that may
 * ptrace-read the process, and a kernel thread has none (ENOENT). */
#include "internal.h"

static const struct nprocfs_grammar link = { .shape = NPROCFS_SH_LINK };

static const struct nprocfs_field exe_fields[] = {
#define FIELDS_REC struct nprocfs_pid_exe
#define FIELDS_DEF <nprocfs/schema/pid_exe.def>
#include "fields-gen.h"
};

static const struct nprocfs_field cwd_fields[] = {
#define FIELDS_REC struct nprocfs_pid_cwd
#define FIELDS_DEF <nprocfs/schema/pid_cwd.def>
#include "fields-gen.h"
};

static const struct nprocfs_field root_fields[] = {
#define FIELDS_REC struct nprocfs_pid_root
#define FIELDS_DEF <nprocfs/schema/pid_root.def>
#include "fields-gen.h"
};

SCHEMA_DEFINE_GRAMMAR_FIELDS(pid_exe, exe_fields, "exe", "exe", PID, NPROCFS_S_TASK | NPROCFS_S_RESTRICTED, 0444, link,
                             "The program the process runs: a link to its file");
SCHEMA_DEFINE_GRAMMAR_FIELDS(pid_cwd, cwd_fields, "cwd", "cwd", PID, NPROCFS_S_TASK | NPROCFS_S_RESTRICTED, 0444, link,
                             "The working directory of the process: a link to it");
SCHEMA_DEFINE_GRAMMAR_FIELDS(pid_root, root_fields, "root", "root", PID, NPROCFS_S_TASK | NPROCFS_S_RESTRICTED, 0444,
                             link, "The root directory of the process (chroot): a link to it");
