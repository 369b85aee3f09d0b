/* /proc/<pid>/limits: a header line, then one line per resource: its name
 * (words), the soft and hard limits, and a unit word. The kernel pads the
 * columns, but old kernels' widths differ, so the name is taken as the words
 * before the first number or "unlimited". */
#include <ctype.h>

#include "internal.h"

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_limits
#define FIELDS_DEF <nprocfs/schema/pid_limits.def>
#include "fields-gen.h"
};

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        char *p = rec->buf, *end = rec->buf + rec->len;
        size_t hint = 0, rows = 0;
        bool header = true;
        int r = 0;

        while (p < end) {
                char *nl = memchr(p, '\n', (size_t)(end - p));
                char *le = nl ? nl : end, *line = p, *q = p, *key_end = NULL;
                size_t klen, vlen;
                int x;

                p = nl ? nl + 1 : end;
                if (header) {
                        header = false;
                        if (le - line >= 5 && memcmp(line, "Limit", 5) == 0)
                                continue;
                }
                /* the name ends before the first word that is a number (a
                 * negative one too, so that it fails as a value rather than
                 * make an unknown row) or unlimited */
                while (q < le) {
                        char *w;
                        while (q < le && *q == ' ')
                                q++;
                        w = q;
                        while (q < le && *q != ' ')
                                q++;
                        if (w < q && (isdigit((unsigned char)*w) || *w == '-' ||
                                      (q - w == 9 && memcmp(w, "unlimited", 9) == 0))) {
                                key_end = w;
                                break;
                        }
                }
                if (!key_end) {
                        if (le > line)
                                r = -EIO;
                        continue;
                }
                klen = (size_t)(key_end - line);
                np_trim(&line, &klen);
                if (klen == 0) {
                        r = -EIO;
                        continue;
                }
                vlen = (size_t)(le - key_end);
                rows++;
                x = np_keyed_assign(rec, line, klen, key_end, vlen, env, &hint);
                if (x == -ENOMEM)
                        return x;
                if (x < 0)
                        r = -EIO;
        }
        /* every kernel has printed at least the 15 rows of 2.6.24 */
        return rows == 0 ? -EIO : r;
}

SCHEMA_DEFINE_GROUPS(pid_limits, fields, "limits", "limits", PID, 0, 0444, parse,
                     "Resource limits of the process, soft and hard; unlimited is max", "limit");
