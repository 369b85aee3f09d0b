/* A main() for the harnesses outside libFuzzer, so that every build (gcc,
 * ASan, no fuzzer runtime) runs them: each file named on the command line,
 * and each regular file below each directory named, goes through
 * LLVMFuzzerTestOneInput() once. Symbolic links below a directory are not
 * followed. Every input sits in a buffer of its exact size, as under
 * libFuzzer, so that ASan catches a read past its end.
 *
 * Exit status 0 when every input ran, 1 when a path could not be read or
 * there was no input at all (a test that replays nothing proves nothing). A
 * finding aborts, as it would in the fuzzer. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* nftw() takes no user data */
static size_t ninputs;
static int nerrors;

static int run_file(const char *path) {
        struct stat st;
        uint8_t *buf;
        size_t len = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0 || fstat(fd, &st) < 0) {
                fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
                if (fd >= 0)
                        close(fd);
                return -1;
        }
        buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
        if (!buf) {
                close(fd);
                return -1;
        }
        while (len < (size_t)st.st_size) {
                ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
                if (n <= 0) {
                        fprintf(stderr, "replay: %s: %s\n", path, n < 0 ? strerror(errno) : "shorter than its size");
                        free(buf);
                        close(fd);
                        return -1;
                }
                len += (size_t)n;
        }
        close(fd);
        printf("%s (%zu bytes)\n", path, len);
        fflush(stdout); /* the last name printed is the input that crashed */
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        ninputs++;
        return 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void)st;
        (void)ftw;
        if (type == FTW_F)
                nerrors += run_file(path) < 0;
        else if (type == FTW_DNR || type == FTW_NS) {
                fprintf(stderr, "replay: %s: cannot read\n", path);
                nerrors++;
        }
        return 0;
}

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++) {
                struct stat st;

                if (stat(argv[i], &st) < 0) {
                        fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
                        nerrors++;
                } else if (S_ISDIR(st.st_mode)) {
                        if (nftw(argv[i], visit, 16, FTW_PHYS) != 0)
                                nerrors++;
                } else
                        nerrors += run_file(argv[i]) < 0;
        }
        printf("replay: %zu inputs, %d errors\n", ninputs, nerrors);
        return nerrors == 0 && ninputs > 0 ? 0 : 1;
}
