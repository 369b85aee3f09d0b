/* /proc/<pid>/net/tcp and net/tcp6: tables, parsed by their grammars (no
 * code of their own). Also /proc/net/tcp and /proc/net/tcp6, the root's
 * own network namespace, read with pid 0 (NPROCFS_S_NET). The header line
 * is skipped where it is there; rows are named by sl without its ':'. */
#include "internal.h"

/* the columns up to the socket's address: a request and a time-wait socket
 * have no more (net_tcp_row.def) */
#define TCP_GRAMMAR \
        { .shape = NPROCFS_SH_TABLE, .key_col = 1, .key_suffix = ':', .header = "sl", .min_cols = 12, }

static const struct nprocfs_field tcp4_fields[] = {
#define FIELDS_REC struct nprocfs_net_tcp_row
#define FIELDS_DEF <nprocfs/schema/net_tcp_row.def>
#include "fields-gen.h"
};
static const struct nprocfs_grammar tcp4_grammar = TCP_GRAMMAR;

SCHEMA_DEFINE_GRAMMAR_ROWS(net_tcp, tcp4_fields, "net/tcp", "net/tcp", PID,
                           NPROCFS_S_TASK | NPROCFS_S_NET | NPROCFS_S_PER_OBJECT, 0444, tcp4_grammar,
                           "IPv4 TCP sockets of the process's network namespace (/proc/net/tcp: of the root's own): a "
                           "row per socket, named by its sl",
                           "socket");

static const struct nprocfs_field tcp6_fields[] = {
#define FIELDS_REC struct nprocfs_net_tcp6_row
#define FIELDS_DEF <nprocfs/schema/net_tcp6_row.def>
#include "fields-gen.h"
};
static const struct nprocfs_grammar tcp6_grammar = TCP_GRAMMAR;

SCHEMA_DEFINE_GRAMMAR_ROWS(net_tcp6, tcp6_fields, "net/tcp6", "net/tcp6", PID,
                           NPROCFS_S_TASK | NPROCFS_S_NET | NPROCFS_S_PER_OBJECT, 0444, tcp6_grammar,
                           "IPv6 TCP sockets of the process's network namespace (/proc/net/tcp6: of the root's own): a "
                           "row per socket, named by its sl",
                           "socket");
