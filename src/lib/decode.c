/* The decoder registry: one function per way /proc writes a value that the
 * plain number parsers do not cover, indexed by enum nprocfs_conv. Each
 * takes one token (the bytes of one column, or of the rest of a line) and
 * stores the normalized value; a token that is not what it decodes is
 * -EIO. Any schema can name any of them in its .def. */
#include <sys/socket.h>

#include "internal.h"

const char *const nprocfs_words_mapkind[] = {
        "file", "heap", "stack", "vdso", "vvar", "vsyscall", "anonymous", "deleted", "other", NULL,
};
enum { MK_FILE, MK_HEAP, MK_STACK, MK_VDSO, MK_VVAR, MK_VSYSCALL, MK_ANON, MK_DELETED, MK_OTHER };

/* "start-end", both hex, start <= end */
static int range(const char *s, size_t len, uint64_t *ret_start, uint64_t *ret_end) {
        const char *dash = memchr(s, '-', len);
        uint64_t a, b;

        if (!dash || np_parse_hex(s, (size_t)(dash - s), &a) < 0 ||
            np_parse_hex(dash + 1, len - (size_t)(dash - s) - 1, &b) < 0 || b < a)
                return -EIO;
        *ret_start = a;
        *ret_end = b;
        return 0;
}

/* the part of the range the field's conversion names */
static int range_part(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        uint64_t a, b;

        (void)env;
        if (range(s, len, &a, &b) < 0)
                return -EIO;
        *(uint64_t *)dst = f->conv == NPROCFS_C_RANGE_START ? a : f->conv == NPROCFS_C_RANGE_END ? b : b - a;
        return 0;
}

/* "r-xp": four letters, each its own or '-'; the last 's' or 'p' */
static int perm(char *s, size_t len, size_t i, void *dst) {
        static const char letters[] = "rwxs";

        if (len != 4)
                return -EIO;
        for (size_t j = 0; j < 3; j++)
                if (s[j] != letters[j] && s[j] != '-')
                        return -EIO;
        if (s[3] != 's' && s[3] != 'p')
                return -EIO;
        *(uint64_t *)dst = s[i] == letters[i];
        return 0;
}

/* the letter the field's conversion names: PERM_R .. PERM_S are in order */
static int perm_letter(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        (void)env;
        return perm(s, len, (size_t)(f->conv - NPROCFS_C_PERM_R), dst);
}

/* "08:01", hex as maps writes it; the minor may be wide (up to 20 bits) */
static int dev_hex(const char *s, size_t len, uint64_t *ret_major, uint64_t *ret_minor) {
        const char *colon = memchr(s, ':', len);

        if (!colon || np_parse_hex(s, (size_t)(colon - s), ret_major) < 0 ||
            np_parse_hex(colon + 1, len - (size_t)(colon - s) - 1, ret_minor) < 0 || *ret_major > UINT32_MAX ||
            *ret_minor > UINT32_MAX)
                return -EIO;
        return 0;
}

/* the device, or its major or minor, as the field's conversion names */
static int dev_part(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        uint64_t ma, mi;

        (void)env;
        if (dev_hex(s, len, &ma, &mi) < 0)
                return -EIO;
        *(uint64_t *)dst = f->conv == NPROCFS_C_DEV_HEX ? ma << 32 | mi : f->conv == NPROCFS_C_MAJOR_HEX ? ma : mi;
        return 0;
}

static bool is(const char *s, size_t len, const char *word) {
        size_t n = strlen(word);
        return len == n && memcmp(s, word, n) == 0;
}

static bool starts(const char *s, size_t len, const char *word) {
        size_t n = strlen(word);
        return len >= n && memcmp(s, word, n) == 0;
}

/* a mapping's pathname as the kernel writes it: empty for an anonymous one,
 * "[heap]", "[stack]" ("[stack:<tid>]" before 4.5), "[anon:<name>]" for a
 * named anonymous one, a path, with " (deleted)" once it was unlinked */
static int mapkind(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        uint32_t k;
        (void)f, (void)env;

        if (len == 0 || starts(s, len, "[anon:"))
                k = MK_ANON;
        else if (is(s, len, "[heap]"))
                k = MK_HEAP;
        else if (is(s, len, "[stack]") || starts(s, len, "[stack:"))
                k = MK_STACK;
        else if (is(s, len, "[vdso]"))
                k = MK_VDSO;
        else if (is(s, len, "[vvar]") || is(s, len, "[vvar_vclock]"))
                k = MK_VVAR;
        else if (is(s, len, "[vsyscall]"))
                k = MK_VSYSCALL;
        else if (len > 10 && memcmp(s + len - 10, " (deleted)", 10) == 0)
                k = MK_DELETED;
        else if (s[0] == '/')
                k = MK_FILE;
        else
                k = MK_OTHER;
        *(uint32_t *)dst = k;
        return 0;
}

/* ---- links: the text of fd/N, ns/TYPE, exe, as the kernel writes it ---- */

const char *const nprocfs_words_fdkind[] = {
        "file", "socket", "pipe", "anon_inode", "memfd", "namespace", "other", NULL,
};
enum { FK_FILE, FK_SOCKET, FK_PIPE, FK_ANON, FK_MEMFD, FK_NS, FK_OTHER };

/* "type:[digits]": the length of type, and the number; -1 if not that form */
static ssize_t bracketed(const char *s, size_t len, uint64_t *ret_ino) {
        const char *colon = memchr(s, ':', len);
        size_t t;

        if (!colon || s[0] == '/')
                return -1;
        t = (size_t)(colon - s);
        if (t == 0 || len < t + 4 || s[t + 1] != '[' || s[len - 1] != ']' ||
            nprocfs_parse_u64(s + t + 2, len - t - 3, ret_ino) < 0)
                return -1;
        return (ssize_t)t;
}

/* what an open file is: the kernel's d_path() gives a path for a file of a
 * mounted filesystem ("/memfd:name (deleted)" for a memfd), "socket:[ino]"
 * or "pipe:[ino]" for those, "anon_inode:[eventfd]" (or a name without
 * brackets: "anon_inode:inotify") for an anonymous inode, and
 * "net:[ino]"-style text for a namespace file */
static int link_kind(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        uint64_t ino;
        ssize_t t;
        uint32_t k;
        (void)f, (void)env;

        if (len == 0)
                return -EIO;
        if (starts(s, len, "/memfd:"))
                k = FK_MEMFD;
        else if (s[0] == '/')
                k = FK_FILE;
        else if (starts(s, len, "anon_inode:"))
                k = FK_ANON;
        else if ((t = bracketed(s, len, &ino)) > 0)
                k = is(s, (size_t)t, "socket") ? FK_SOCKET : is(s, (size_t)t, "pipe") ? FK_PIPE : FK_NS;
        else
                k = FK_OTHER;
        *(uint32_t *)dst = k;
        return 0;
}

/* "net:[4026531833]" -> "net" */
static int link_prefix(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        uint64_t ino;
        ssize_t t = bracketed(s, len, &ino);
        (void)f, (void)env;

        if (t < 0)
                return -ENODATA;
        *(struct nprocfs_str *)dst = (struct nprocfs_str){ s, (size_t)t };
        return 0;
}

static int link_inode(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        (void)f, (void)env;
        return bracketed(s, len, dst) < 0 ? -ENODATA : 0;
}

/* a path, without the " (deleted)" the kernel adds once it is unlinked;
 * or whether it was (NPROCFS_C_LINK_DELETED) */
static int link_path(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        bool deleted = len > 10 && memcmp(s + len - 10, " (deleted)", 10) == 0;
        (void)env;

        if (len == 0 || s[0] != '/')
                return -ENODATA;
        if (f->conv == NPROCFS_C_LINK_DELETED)
                *(uint64_t *)dst = deleted;
        else
                *(struct nprocfs_str *)dst = (struct nprocfs_str){ s, deleted ? len - 10 : len };
        return 0;
}

/* fdinfo's flags: "0" and the octal value, kept as written */
static int oct_text(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        (void)f, (void)env;
        if (len == 0 || len > 23)
                return -EIO;
        for (size_t i = 0; i < len; i++)
                if (s[i] < '0' || s[i] > '7')
                        return -EIO;
        *(struct nprocfs_str *)dst = (struct nprocfs_str){ s, len };
        return 0;
}

/* eventfd-count: hex digits, padded */
static int hex_num(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        (void)f, (void)env;
        return np_parse_hex(s, len, dst) < 0 ? -EIO : 0;
}

/* "yes" or "no", as cpuinfo writes a flag of the CPU */
static int yesno(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        (void)f, (void)env;

        if (is(s, len, "yes"))
                *(uint64_t *)dst = 1;
        else if (is(s, len, "no"))
                *(uint64_t *)dst = 0;
        else
                return -EIO;
        return 0;
}

/* ---- net/tcp, net/tcp6, mountinfo ---------------------------------- */

/* in the order of the kernel's codes, from 1 (include/net/tcp_states.h) */
const char *const nprocfs_words_tcp_state[] = {
        "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2",    "time_wait", "close",
        "close_wait",  "last_ack", "listen",   "closing",   "new_syn_recv", NULL,
};

static int hex_digit(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* 1 to 16 hex digits, nothing else (no 0x: the kernel's %X never writes one) */
static int hex_digits(const char *s, size_t len, uint64_t *ret) {
        uint64_t v = 0;

        if (len == 0 || len > 16)
                return -EIO;
        for (size_t i = 0; i < len; i++) {
                int d = hex_digit(s[i]);
                if (d < 0)
                        return -EIO;
                v = v << 4 | (unsigned)d;
        }
        *ret = v;
        return 0;
}

/* "0100007F:9D27" (net/tcp) or 32 digits before the colon (net/tcp6). The
 * kernel prints each 32-bit word of the address (a __be32, network order
 * in memory) as a host integer, %08X: on the little-endian machines the
 * fixtures come from, the word's lowest byte is the address's first. The
 * port is converted to host order before it is printed: plain hex. */
static int inet_part(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        bool v6 = f->conv == NPROCFS_C_IP6_ADDR || f->conv == NPROCFS_C_IP6_PORT;
        size_t words = v6 ? 4 : 1, alen = 8 * words;
        struct nprocfs_inet a = { .family = v6 ? AF_INET6 : AF_INET };
        uint64_t port, w;

        (void)env;
        if (len != alen + 5 || s[alen] != ':' || hex_digits(s + alen + 1, 4, &port) < 0)
                return -EIO;
        for (size_t i = 0; i < words; i++) {
                if (hex_digits(s + 8 * i, 8, &w) < 0)
                        return -EIO;
                for (size_t b = 0; b < 4; b++)
                        a.addr[4 * i + b] = (uint8_t)(w >> (8 * b));
        }
        if (f->conv == NPROCFS_C_IP4_PORT || f->conv == NPROCFS_C_IP6_PORT)
                *(uint64_t *)dst = port;
        else
                memcpy(dst, &a, sizeof(a));
        return 0;
}

/* "0A": two hex digits, a code of tcp_states.h */
static int tcp_state(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        uint64_t c;

        (void)f, (void)env;
        if (len != 2 || hex_digits(s, len, &c) < 0 || c < 1 || c >= NELEMS(nprocfs_words_tcp_state))
                return -EIO;
        *(uint32_t *)dst = (uint32_t)(c - 1);
        return 0;
}

/* "a:b", both hex: net/tcp's tx_queue:rx_queue and tr:tm->when (the timer's
 * expiry, in clock ticks) */
static int hex_pair(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        const char *colon = memchr(s, ':', len);
        uint64_t a, b;

        if (!colon || hex_digits(s, (size_t)(colon - s), &a) < 0 ||
            hex_digits(colon + 1, len - (size_t)(colon - s) - 1, &b) < 0)
                return -EIO;
        *(uint64_t *)dst = f->conv == NPROCFS_C_PAIR_A   ? a
                           : f->conv == NPROCFS_C_PAIR_B ? b
                                                         : np_ticks_to_ns(b, env->ticks_per_second);
        return 0;
}

/* "0:21" (decimal, as mountinfo writes it) */
static int dev_dec_part(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        const char *colon = memchr(s, ':', len);
        uint64_t ma, mi;

        (void)env;
        if (!colon || nprocfs_parse_u64(s, (size_t)(colon - s), &ma) < 0 ||
            nprocfs_parse_u64(colon + 1, len - (size_t)(colon - s) - 1, &mi) < 0 || ma > UINT32_MAX || mi > UINT32_MAX)
                return -EIO;
        *(uint64_t *)dst = f->conv == NPROCFS_C_DEV_DEC ? ma << 32 | mi : f->conv == NPROCFS_C_MAJOR_DEC ? ma : mi;
        return 0;
}

/* The kernel's escapes of a path in mountinfo (and of what seq_escape
 * writes elsewhere): a byte it must not print as it is becomes '\' and
 * three octal digits ("\040" a blank, "\011" a tab, "\012" a newline, "\134"
 * a backslash). Decoded in place, where the string is shorter or the same;
 * a backslash without three octal digits of a byte (1 to 0377) after it is
 * malformed. */
static int unescape(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        size_t o = 0;

        (void)f, (void)env;
        for (size_t i = 0; i < len; i++) {
                unsigned v = 0;

                if (s[i] != '\\') {
                        s[o++] = s[i];
                        continue;
                }
                if (len - i < 4)
                        return -EIO;
                for (size_t j = 1; j <= 3; j++) {
                        unsigned d = (unsigned char)s[i + j] - '0';
                        if (d > 7)
                                return -EIO;
                        v = v * 8 + d;
                }
                if (v == 0 || v > 0xff)
                        return -EIO;
                s[o++] = (char)v;
                i += 3;
        }
        *(struct nprocfs_str *)dst = (struct nprocfs_str){ s, o };
        return 0;
}

/* A comma-separated list whose items may hold blanks (NFS's "pnfs=not
 * configured"): one item per line, in place. Blanks around an item are
 * no part of it, and an empty item (",,") is none. */
static int commas(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env, void *dst) {
        size_t o = 0, i = 0;

        (void)f, (void)env;
        while (i < len) {
                size_t b, e;

                while (i < len && (s[i] == ',' || s[i] == ' ' || s[i] == '\t'))
                        i++;
                for (b = i; i < len && s[i] != ','; i++)
                        ;
                for (e = i; e > b && (s[e - 1] == ' ' || s[e - 1] == '\t');)
                        e--;
                if (e == b)
                        continue;
                if (o > 0)
                        s[o++] = '\n';
                memmove(s + o, s + b, e - b);
                o += e - b;
        }
        *(struct nprocfs_str *)dst = (struct nprocfs_str){ s, o };
        return 0;
}

const np_decode_fn np_decoders[NPROCFS_C__COUNT] = {
        [NPROCFS_C_RANGE_START] = range_part, [NPROCFS_C_RANGE_END] = range_part,
        [NPROCFS_C_RANGE_SIZE] = range_part,  [NPROCFS_C_PERM_R] = perm_letter,
        [NPROCFS_C_PERM_W] = perm_letter,     [NPROCFS_C_PERM_X] = perm_letter,
        [NPROCFS_C_PERM_S] = perm_letter,     [NPROCFS_C_DEV_HEX] = dev_part,
        [NPROCFS_C_MAJOR_HEX] = dev_part,     [NPROCFS_C_MINOR_HEX] = dev_part,
        [NPROCFS_C_MAPKIND] = mapkind,        [NPROCFS_C_YESNO] = yesno,
        [NPROCFS_C_LINK_KIND] = link_kind,    [NPROCFS_C_LINK_PREFIX] = link_prefix,
        [NPROCFS_C_LINK_INODE] = link_inode,  [NPROCFS_C_LINK_PATH] = link_path,
        [NPROCFS_C_LINK_DELETED] = link_path, [NPROCFS_C_OCT_TEXT] = oct_text,
        [NPROCFS_C_HEX_NUM] = hex_num,        [NPROCFS_C_IP4_ADDR] = inet_part,
        [NPROCFS_C_IP4_PORT] = inet_part,     [NPROCFS_C_IP6_ADDR] = inet_part,
        [NPROCFS_C_IP6_PORT] = inet_part,     [NPROCFS_C_TCP_STATE] = tcp_state,
        [NPROCFS_C_PAIR_A] = hex_pair,        [NPROCFS_C_PAIR_B] = hex_pair,
        [NPROCFS_C_PAIR_TICKS] = hex_pair,    [NPROCFS_C_DEV_DEC] = dev_dec_part,
        [NPROCFS_C_MAJOR_DEC] = dev_dec_part, [NPROCFS_C_MINOR_DEC] = dev_dec_part,
        [NPROCFS_C_UNESCAPE] = unescape,      [NPROCFS_C_COMMAS] = commas,
};

bool np_decoder_takes_empty(enum nprocfs_conv c) {
        return c == NPROCFS_C_MAPKIND;
}
