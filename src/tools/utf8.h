/* UTF-8 as JSON (RFC 8259) and Prometheus label values need it. Values of
 * the tree may hold any byte (command lines, comm); both output forms keep
 * valid UTF-8 as it is and take a byte that is not part of a valid sequence
 * as the Latin-1 character of the same value (0xff -> U+00FF), so that
 * nothing is dropped and the output is valid UTF-8. */
#ifndef NPROCFS_TOOLS_UTF8_H
#define NPROCFS_TOOLS_UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0:
 * no overlong forms, no surrogates, nothing past U+10FFFF. */
static inline size_t utf8_len(const unsigned char *s, size_t n) {
        unsigned char c = s[0], lo = 0x80, hi = 0xbf;
        size_t len;

        if (c < 0x80)
                return 1;
        if (c >= 0xc2 && c <= 0xdf)
                len = 2;
        else if (c >= 0xe0 && c <= 0xef) {
                len = 3;
                if (c == 0xe0)
                        lo = 0xa0;
                else if (c == 0xed)
                        hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
                len = 4;
                if (c == 0xf0)
                        lo = 0x90;
                else if (c == 0xf4)
                        hi = 0x8f;
        } else
                return 0;
        if (n < len || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < len; i++)
                if (s[i] < 0x80 || s[i] > 0xbf)
                        return 0;
        return len;
}

#endif
