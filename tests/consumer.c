/* Built with -std=c11 -pedantic -Werror against the public headers alone:
 * what a program that installs libnprocfs sees. Reads its own status and
 * checks the pid against getpid(). */
#include <stdio.h>
#include <unistd.h>

#include <nprocfs/records.h>

int main(void) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx;
        int ok;

        if (nprocfs_open(NULL, 0, &ctx) < 0)
                return 1;
        ok = nprocfs_rec_read(ctx, &st.rec, getpid(), 0) == 0 && NPROCFS_HAS(&st, pid_status, pid) &&
             st.pid == (uint64_t)getpid();
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
        if (!ok)
                fprintf(stderr, "status/pid of this process did not read back as getpid()\n");
        return ok ? 0 : 1;
}
