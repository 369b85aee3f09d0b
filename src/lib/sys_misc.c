/* Small system-wide files: loadavg, uptime, sys/kernel/osrelease. */
#include <ctype.h>

#include "internal.h"

static const struct nprocfs_field loadavg_fields[] = {
#define FIELDS_REC struct nprocfs_sys_loadavg
#define FIELDS_DEF <nprocfs/schema/sys_loadavg.def>
#include "fields-gen.h"
};

static const struct nprocfs_field uptime_fields[] = {
#define FIELDS_REC struct nprocfs_sys_uptime
#define FIELDS_DEF <nprocfs/schema/sys_uptime.def>
#include "fields-gen.h"
};

static const struct nprocfs_field osrelease_fields[] = {
#define FIELDS_REC struct nprocfs_sys_osrelease
#define FIELDS_DEF <nprocfs/schema/sys_osrelease.def>
#include "fields-gen.h"
};

static int parse_loadavg(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return np_parse_positional(rec, rec->present, loadavg_fields, NELEMS(loadavg_fields), rec->buf, rec->len,
                                   " /\n", 1, 6, env);
}

static int parse_uptime(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return np_parse_positional(rec, rec->present, uptime_fields, NELEMS(uptime_fields), rec->buf, rec->len, " \n",
                                   1, 2, env);
}

/* "6.1.0-13-amd64": the release, and its leading numbers; a missing third
 * number ("6.8-rc1") is 0. */
static int parse_osrelease(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct nprocfs_sys_osrelease *o = (struct nprocfs_sys_osrelease *)rec;
        uint64_t *num[3] = { &o->major, &o->minor, &o->patch };
        char *s = rec->buf, *p;
        size_t len = rec->len;

        (void)env;
        np_trim(&s, &len);
        if (len == 0 || memchr(s, '\n', len))
                return -EIO;
        o->release = (struct nprocfs_str){ s, len };
        rec_set(rec, NPROCFS_F_sys_osrelease_release);
        p = s;
        for (unsigned i = 0; i < 3; i++) {
                char *d = p;
                while (p < s + len && isdigit((unsigned char)*p))
                        p++;
                if (p == d) {
                        if (i < 2)
                                return -EIO;
                        break; /* no patch number */
                }
                if (nprocfs_parse_u64(d, (size_t)(p - d), num[i]) < 0)
                        return -EIO;
                if (i == 2)
                        break;
                if (p == s + len || *p != '.') {
                        if (i == 0)
                                return -EIO;
                        break; /* "6.8-rc1": no patch number */
                }
                p++;
        }
        rec_set(rec, NPROCFS_F_sys_osrelease_major);
        rec_set(rec, NPROCFS_F_sys_osrelease_minor);
        rec_set(rec, NPROCFS_F_sys_osrelease_patch);
        return 0;
}

SCHEMA_DEFINE(sys_loadavg, loadavg_fields, "loadavg", "loadavg", SYSTEM, 0, 0444, parse_loadavg,
              "Load averages and scheduling entity counts");
SCHEMA_DEFINE(sys_uptime, uptime_fields, "uptime", "uptime", SYSTEM, 0, 0444, parse_uptime,
              "Time since boot and idle time");
SCHEMA_DEFINE(sys_osrelease, osrelease_fields, "osrelease", "sys/kernel/osrelease", SYSTEM, 0, 0444, parse_osrelease,
              "Kernel release and its version numbers");
