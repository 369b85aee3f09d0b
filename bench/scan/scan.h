/* What the scan benchmark's main program and its optional libproc2
 * comparison (scan_libproc2.c, built only when libproc2 is found) share. */
#ifndef NPROCFS_BENCH_SCAN_H
#define NPROCFS_BENCH_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lp2;

/* A procps-ng pids context with the 8 items of the stat+status comparison;
 * with_statm and with_io add one item from statm and two from io. */
int lp2_open(bool with_statm, bool with_io, struct lp2 **ret);

/* One pids_reap() over every process (libproc2 lists /proc itself). Returns
 * the processes it read, or a negative errno; adds a few values to *sum. */
long lp2_scan(struct lp2 *h, uint64_t *sum);

void lp2_close(struct lp2 *h);

#endif
