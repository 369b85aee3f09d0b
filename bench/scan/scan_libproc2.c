/* The libproc2 (procps-ng) side of the scan benchmark: the way ps and top
 * read processes, pids_reap() with a short item list. The 8 items are the
 * ones the figures were taken with; they make libproc2 read stat
 * and status of every process (statm and io too with the larger file set,
 * through one or two more items). */
#include <errno.h>
#include <stdlib.h>

#include <libproc2/pids.h>

#include "scan.h"

/* the first 8 items, in the order lp2_open() lists them */
enum { I_PID, I_CMD, I_STATE, I_PPID, I_UTIME, I_STIME, I_VSIZE, I_RSS, I__BASE };

struct lp2 {
        struct pids_info *info;
};

int lp2_open(bool with_statm, bool with_io, struct lp2 **ret) {
        enum pids_item items[I__BASE + 3] = {
                [I_PID] = PIDS_ID_PID,    [I_CMD] = PIDS_CMD,         [I_STATE] = PIDS_STATE,
                [I_PPID] = PIDS_ID_PPID,  [I_UTIME] = PIDS_TICS_USER, [I_STIME] = PIDS_TICS_SYSTEM,
                [I_VSIZE] = PIDS_VM_SIZE, [I_RSS] = PIDS_VM_RSS,
        };
        struct lp2 *h = calloc(1, sizeof(*h));
        int n = I__BASE, r;

        if (!h)
                return -ENOMEM;
        if (with_statm)
                items[n++] = PIDS_MEM_RES_PGS;
        if (with_io) {
                items[n++] = PIDS_IO_READ_BYTES;
                items[n++] = PIDS_IO_WRITE_BYTES;
        }
        r = procps_pids_new(&h->info, items, n);
        if (r < 0) {
                free(h);
                return r;
        }
        *ret = h;
        return 0;
}

long lp2_scan(struct lp2 *h, uint64_t *sum) {
        struct pids_fetch *f = procps_pids_reap(h->info, PIDS_FETCH_TASKS_ONLY);
        long n;

        if (!f)
                return errno ? -errno : -EIO;
        n = f->counts->total;
        for (long i = 0; i < n; i++) {
                struct pids_stack *s = f->stacks[i];
                *sum += (uint64_t)PIDS_VAL(I_PID, s_int, s, h->info) + PIDS_VAL(I_UTIME, ull_int, s, h->info) +
                        PIDS_VAL(I_RSS, ul_int, s, h->info) + (unsigned char)PIDS_VAL(I_STATE, s_ch, s, h->info) +
                        (unsigned char)PIDS_VAL(I_CMD, str, s, h->info)[0];
        }
        return n;
}

void lp2_close(struct lp2 *h) {
        if (!h)
                return;
        procps_pids_unref(&h->info);
        free(h);
}
