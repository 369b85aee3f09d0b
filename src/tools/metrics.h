/* nprocfs-dump --openmetrics / --prometheus: the numeric entries of a walk
 * as metrics, named, typed and documented from the schema. */
#ifndef NPROCFS_TOOLS_METRICS_H
#define NPROCFS_TOOLS_METRICS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <nprocfs/nprocfs.h>

struct metrics;

/* The process an entry belongs to: pid 0 for system-wide files; tid 0 for
 * the process itself; comm NULL when it could not be read. */
struct metrics_proc {
        pid_t pid, tid;
        const char *comm;
        size_t comm_len;
};

/* openmetrics: the OpenMetrics 1.0 text format; else the Prometheus text
 * format 0.0.4 (what node_exporter's textfile collector reads). Free with
 * metrics_free(). */
int metrics_new(bool openmetrics, struct metrics **ret);
void metrics_free(struct metrics *m);

/* Adds entry e of a file of schema s; entries that are no number are
 * left out (see metrics.c). The samples are copied. -ENOMEM. */
int metrics_add(struct metrics *m, const struct nprocfs_schema *s, const struct metrics_proc *p,
                const struct nprocfs_entry *e);

/* Every family once, its samples together, then "# EOF" (OpenMetrics). */
void metrics_print(FILE *f, struct metrics *m);

#endif
