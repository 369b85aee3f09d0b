/* self_memory: how much memory this very process uses, as stat, statm and
 * status each tell it, read through libnprocfs. The procfs crate's
 * self_memory example, in its words.
 *
 *   build/examples/self_memory [--wait]
 *
 * The three files are read in one go, before anything else is printed, so
 * that printing does not change what they say. --wait: then close standard
 * output and wait for a line on standard input before exiting, so that
 * another process can read this one's /proc while it still holds those
 * values (the test does).
 *
 * PSS, USS and swap come from smaps_rollup (4.14+): Pss, Private_Clean +
 * Private_Dirty (what this process alone maps) and Swap; n/a where the
 * kernel has no smaps_rollup. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <nprocfs/records.h>

struct reads {
        struct nprocfs_pid_stat stat;
        struct nprocfs_pid_statm statm;
        struct nprocfs_pid_status status;
        struct nprocfs_pid_smaps_rollup rollup;
        int stat_r, statm_r, status_r, rollup_r;
};

static void report(pid_t pid, const char *file, int r) {
        fprintf(stderr, "self_memory: %d/%s: %s\n", (int)pid, file, strerror(-r));
}

/* "N pages (B bytes)"; bytes are whole pages in stat and statm. */
static void pages(const char *what, uint64_t bytes, uint64_t page_size) {
        printf("%s: %" PRIu64 " pages (%" PRIu64 " bytes)\n", what, bytes / page_size, bytes);
}

static void bytes(const char *what, bool has, uint64_t bytes) {
        if (has)
                printf("%s: %" PRIu64 " bytes\n", what, bytes);
        else
                printf("%s: n/a (not in this kernel's file)\n", what);
}

/* smaps_rollup's: n/a where the kernel has none (before 4.14) */
static void rollup(const char *what, bool has, uint64_t bytes) {
        if (has)
                printf("%s: %" PRIu64 " bytes\n", what, bytes);
        else
                printf("%s: n/a (needs smaps)\n", what);
}

static int print(const struct reads *m, uint64_t page_size) {
        const struct nprocfs_pid_smaps_rollup *ro = &m->rollup;
        const struct nprocfs_pid_stat *st = &m->stat;
        const struct nprocfs_pid_statm *sm = &m->statm;
        const struct nprocfs_pid_status *ss = &m->status;

        /* Note: top shows these in KiB (base-2), not in kB (base-10). */
        if (m->stat_r == 0) {
                printf("== Data from /proc/self/stat:\n");
                bytes("Total virtual memory used", NPROCFS_HAS(st, pid_stat, vsize_bytes), st->vsize_bytes);
                if (NPROCFS_HAS(st, pid_stat, rss_bytes))
                        pages("Total resident set", st->rss_bytes, page_size);
                else
                        bytes("Total resident set", false, 0);
                printf("\n");
        }
        if (m->statm_r == 0) {
                printf("== Data from /proc/self/statm:\n");
                /* statm has all seven columns or does not parse */
                pages("Total virtual memory used", sm->size_bytes, page_size);
                pages("Total resident set", sm->resident_bytes, page_size);
                pages("Total shared memory", sm->shared_bytes, page_size);
                printf("\n");
        }
        if (m->status_r == 0) {
                printf("== Data from /proc/self/status:\n");
                bytes("Total virtual memory used", NPROCFS_HAS(ss, pid_status, vmsize_bytes), ss->vmsize_bytes);
                bytes("Total resident set", NPROCFS_HAS(ss, pid_status, vmrss_bytes), ss->vmrss_bytes);
                bytes("Total shared memory",
                      NPROCFS_HAS(ss, pid_status, rssfile_bytes) && NPROCFS_HAS(ss, pid_status, rssshmem_bytes),
                      ss->rssfile_bytes + ss->rssshmem_bytes);
                printf("\n");
        }
        printf("== Data from /proc/self/smaps_rollup:\n");
        rollup("Total proportional set size (PSS)", m->rollup_r == 0 && NPROCFS_HAS(ro, pid_smaps_rollup, pss_bytes),
               ro->pss_bytes);
        rollup("Total unique set size (USS)",
               m->rollup_r == 0 && NPROCFS_HAS(ro, pid_smaps_rollup, private_clean_bytes) &&
                       NPROCFS_HAS(ro, pid_smaps_rollup, private_dirty_bytes),
               ro->private_clean_bytes + ro->private_dirty_bytes);
        rollup("Total swapped out", m->rollup_r == 0 && NPROCFS_HAS(ro, pid_smaps_rollup, swap_bytes), ro->swap_bytes);
        return m->stat_r < 0 ? m->stat_r : m->statm_r < 0 ? m->statm_r : m->status_r;
}

/* Reads standard input up to a newline or its end. */
static int wait_line(void) {
        char c;
        ssize_t n;

        do {
                n = read(STDIN_FILENO, &c, 1);
        } while ((n == 1 && c != '\n') || (n < 0 && errno == EINTR));
        return n < 0 ? -errno : 0;
}

int main(int argc, char **argv) {
        struct reads m = {
                .stat = NPROCFS_REC_INIT(pid_stat),
                .statm = NPROCFS_REC_INIT(pid_statm),
                .status = NPROCFS_REC_INIT(pid_status),
                .rollup = NPROCFS_REC_INIT(pid_smaps_rollup),
        };
        bool hold = argc == 2 && strcmp(argv[1], "--wait") == 0;
        nprocfs_ctx *ctx;
        uint64_t page_size;
        pid_t self;
        int r;

        if (argc > 2 || (argc == 2 && !hold)) {
                fprintf(stderr, "usage: %s [--wait]\n", argv[0]);
                return 2;
        }
        r = nprocfs_open(NULL, 0, &ctx);
        if (r < 0) {
                fprintf(stderr, "self_memory: /proc: %s\n", strerror(-r));
                return 1;
        }
        page_size = nprocfs_ctx_env(ctx)->page_size;
        r = nprocfs_self(ctx, &self);
        if (r < 0) {
                fprintf(stderr, "self_memory: self: %s\n", strerror(-r));
                goto out;
        }
        /* printed first, as the crate does; this also sets up stdout's
         * buffer before the reads */
        printf("PID: %d\n", (int)self);
        printf("Memory page size: %" PRIu64 "\n", page_size);

        m.stat_r = nprocfs_rec_read(ctx, &m.stat.rec, self, 0);
        m.statm_r = nprocfs_rec_read(ctx, &m.statm.rec, self, 0);
        m.status_r = nprocfs_rec_read(ctx, &m.status.rec, self, 0);
        m.rollup_r = nprocfs_rec_read(ctx, &m.rollup.rec, self, 0);
        if (m.stat_r < 0)
                report(self, "stat", m.stat_r);
        if (m.statm_r < 0)
                report(self, "statm", m.statm_r);
        if (m.status_r < 0)
                report(self, "status", m.status_r);
        r = print(&m, page_size);
        if (fflush(stdout) != 0 || ferror(stdout))
                r = -EIO;
        if (r == 0 && hold) {
                if (fclose(stdout) != 0)
                        r = -EIO;
                else
                        r = wait_line();
        }
out:
        nprocfs_rec_release(&m.stat.rec);
        nprocfs_rec_release(&m.statm.rec);
        nprocfs_rec_release(&m.status.rec);
        nprocfs_rec_release(&m.rollup.rec);
        nprocfs_close(ctx);
        return r < 0 ? 1 : 0;
}
