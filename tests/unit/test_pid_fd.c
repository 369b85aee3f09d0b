/* /proc/<pid>/fd with fdinfo/: a row per open file, named by its number,
 * holding the link's text decoded and the fdinfo fields. Expected values
 * are fixtures/README.md's ("fd / fdinfo"), written from the fixture text;
 * the live test compares with what the test opened itself. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

static void read_fd(nprocfs_ctx *ctx, pid_t pid, struct nprocfs_pid_fd *fd, struct entries *es) {
        assert_int_equal(nprocfs_rec_read(ctx, &fd->rec, pid, 0), 0);
        entries_collect(&fd->rec, es);
}

static void test_linux_6_18(void **state) {
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        read_fd(ctx, 10324, &fd, &es);
        assert_int_equal(fd.rec.nrows, 7); /* fd/0 .. fd/6 */
        assert_entry(&es, "0/target", "/dev/null");
        assert_entry(&es, "0/type", "file");
        assert_entry(&es, "0/path", "/dev/null");
        assert_entry(&es, "0/deleted", "0");
        assert_no_entry(&es, "0/inode");
        assert_entry(&es, "0/pos", "0");
        assert_entry(&es, "0/flags", "0100000");
        assert_entry(&es, "0/mnt_id", "24");
        assert_entry(&es, "0/ino", "3");
        assert_entry(&es, "1/flags", "0100001");
        assert_entry(&es, "3/target", "pipe:[1148995]");
        assert_entry(&es, "3/type", "pipe");
        assert_entry(&es, "3/inode", "1148995");
        assert_no_entry(&es, "3/path");
        assert_entry(&es, "3/flags", "00");
        assert_entry(&es, "3/mnt_id", "16");
        assert_entry(&es, "4/flags", "01");
        assert_entry(&es, "5/target", "socket:[1148996]");
        assert_entry(&es, "5/type", "socket");
        assert_entry(&es, "5/inode", "1148996");
        assert_entry(&es, "5/flags", "02");
        assert_entry(&es, "5/mnt_id", "10");
        assert_entry(&es, "6/inode", "1148997");
        assert_no_entry(&es, "7/target");
        entries_free(&es);

        read_fd(ctx, 10330, &fd, &es);
        assert_entry(&es, "6/target", "anon_inode:[eventfd]");
        assert_entry(&es, "6/type", "anon_inode");
        assert_no_entry(&es, "6/inode"); /* the text holds a name */
        assert_entry(&es, "6/ino", "1039");
        assert_entry(&es, "6/mnt_id", "17");
        assert_entry(&es, "6/flags", "02000002");
        assert_entry(&es, "6/eventfd_count", "0");
        assert_entry(&es, "6/eventfd_id", "1");
        assert_entry(&es, "6/eventfd_semaphore", "0");
        entries_free(&es);

        read_fd(ctx, 10322, &fd, &es);
        /* the rows in the order of their numbers, 255 last */
        assert_int_equal(fd.rec.nrows, 4);
        assert_str_equal(nprocfs_rec_row(&fd.rec, 3)->key, "255");
        assert_entry(&es, "255/target", "/tmp/nprocfs/src/tools/nprocfs-capture");
        assert_entry(&es, "255/pos", "12170");
        assert_entry(&es, "255/flags", "02100000");
        entries_free(&es);

        /* not captured: unreadable even for root there */
        assert_int_equal(nprocfs_rec_read(ctx, &fd.rec, 1, 0), -ENOENT);
        nprocfs_rec_release(&fd.rec);
        nprocfs_close(ctx);
}

static void test_linux_2_6(void **state) {
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        read_fd(ctx, 4242, &fd, &es);
        assert_int_equal(fd.rec.nrows, 3);
        assert_entry(&es, "0/target", "/dev/pts/0");
        assert_entry(&es, "0/type", "file");
        assert_entry(&es, "0/path", "/dev/pts/0");
        assert_entry(&es, "0/pos", "0");
        assert_entry(&es, "0/flags", "02");
        assert_no_entry(&es, "0/mnt_id"); /* 2.6.18's fdinfo: pos and flags */
        assert_no_entry(&es, "0/ino");
        assert_entry(&es, "1/target", "pipe:[1001]");
        assert_entry(&es, "1/type", "pipe");
        assert_entry(&es, "1/inode", "1001");
        assert_no_entry(&es, "1/pos"); /* no fdinfo/1 */
        assert_entry(&es, "3/target", "socket:[2001]");
        assert_entry(&es, "3/type", "socket");
        assert_entry(&es, "3/inode", "2001");
        assert_no_entry(&es, "2/target");
        entries_free(&es);
        nprocfs_rec_release(&fd.rec);
        nprocfs_close(ctx);
}

/* The kinds of link text the kernel writes, one parse each. */
static void test_kinds(void **state) {
        static const struct {
                const char *text, *type, *inode, *path, *deleted;
        } cases[] = {
                { "/tmp/x (deleted)", "file", NULL, "/tmp/x", "1" },
                { "/memfd:buf (deleted)", "memfd", NULL, "/memfd:buf", "1" },
                { "anon_inode:inotify", "anon_inode", NULL, NULL, NULL },
                { "net:[4026531840]", "namespace", "4026531840", NULL, NULL },
                { "socket:[0]", "socket", "0", NULL, NULL },
                { "[weird]", "other", NULL, NULL, NULL },
                { "pipe:[12x]", "other", NULL, NULL, NULL },
        };
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char src[256];
                size_t n = (size_t)snprintf(src, sizeof(src), "7%c%s%c%c", 0, cases[i].text, 0, 0);
                const struct entry_copy *e;
                struct entries es;

                assert_int_equal(nprocfs_rec_parse(&fd.rec, src, n, &env), 0);
                entries_collect(&fd.rec, &es);
                e = entries_find(&es, "7/type");
                assert_non_null(e);
                assert_string_equal(e->value, cases[i].type);
                e = entries_find(&es, "7/inode");
                if (cases[i].inode)
                        assert_string_equal(e ? e->value : "(none)", cases[i].inode);
                else
                        assert_null(e);
                e = entries_find(&es, "7/path");
                if (cases[i].path)
                        assert_string_equal(e ? e->value : "(none)", cases[i].path);
                else
                        assert_null(e);
                e = entries_find(&es, "7/deleted");
                if (cases[i].deleted)
                        assert_string_equal(e ? e->value : "(none)", cases[i].deleted);
                else
                        assert_null(e);
                entries_free(&es);
        }
        nprocfs_rec_release(&fd.rec);
}

/* malformed/pid_fdinfo: each case is one fdinfo file, given to the parse as
 * the file of an entry "0 -> /dev/null" (fixtures/malformed/README.md) */
static void test_malformed_fdinfo(void **state) {
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        DIR *d = opendir(fixture_path("malformed/pid_fdinfo"));
        struct dirent *de;
        unsigned seen = 0;

        (void)state;
        assert_non_null(d);
        while ((de = readdir(d))) {
                char rel[300], *data, *src;
                size_t len;
                int r;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(rel, sizeof(rel), "malformed/pid_fdinfo/%s", de->d_name);
                data = read_fixture(rel, &len);
                src = malloc(len + 16);
                assert_non_null(src);
                memcpy(src, "0\0/dev/null\0", 12);
                memcpy(src + 12, data, len);
                src[12 + len] = 0;
                r = nprocfs_rec_parse(&fd.rec, src, len + 13, &env);
                if (strcmp(de->d_name, "empty") == 0)
                        /* an fdinfo file of no line is refused when read (a
                         * snapshot's: test_empty_fdinfo); as a part of the
                         * source, no line is no fdinfo */
                        assert_int_equal(r, 0);
                else if (strncmp(de->d_name, "valid-", 6) == 0) {
                        if (r != 0)
                                fail_msg("malformed/pid_fdinfo/%s: %d, not valid", de->d_name, r);
                } else if (r != -EIO)
                        fail_msg("malformed/pid_fdinfo/%s: %d, not -EIO", de->d_name, r);
                if (strcmp(de->d_name, "valid-eventfd") == 0) {
                        struct entries es;
                        entries_collect(&fd.rec, &es);
                        assert_entry(&es, "0/pos", "0");
                        assert_entry(&es, "0/flags", "02000002");
                        assert_entry(&es, "0/mnt_id", "17");
                        assert_entry(&es, "0/ino", "1039");
                        assert_entry(&es, "0/eventfd_count", "0");
                        assert_entry(&es, "0/eventfd_id", "1");
                        assert_entry(&es, "0/eventfd_semaphore", "0");
                        entries_free(&es);
                } else if (strcmp(de->d_name, "valid-2.6.18") == 0) {
                        struct entries es;
                        entries_collect(&fd.rec, &es);
                        assert_entry(&es, "0/pos", "0");
                        assert_entry(&es, "0/flags", "02");
                        assert_no_entry(&es, "0/mnt_id");
                        assert_no_entry(&es, "0/ino");
                        entries_free(&es);
                }
                seen++;
                free(src);
                free(data);
        }
        closedir(d);
        assert_true(seen >= 8);
        nprocfs_rec_release(&fd.rec);
}

/* A snapshot of one process whose fd/ and fdinfo/ the test makes. */
static char *make_root(const char *fdinfo0, const char *link0) {
        char tmpl[] = "/tmp/nprocfs-fd-XXXXXX", path[512], *root = mkdtemp(tmpl);
        FILE *f;

        assert_non_null(root);
        root = strdup(root);
        snprintf(path, sizeof(path), "%s/7", root);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/7/fd", root);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/7/fdinfo", root);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/7/fd/0", root);
        assert_int_equal(symlink(link0, path), 0);
        snprintf(path, sizeof(path), "%s/7/fdinfo/0", root);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(fdinfo0, f);
        fclose(f);
        return root;
}

static void remove_root(char *root) {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        assert_int_equal(system(cmd), 0);
        free(root);
}

static void test_empty_fdinfo(void **state) {
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        char *root = make_root("", "/dev/null");
        nprocfs_ctx *ctx;

        (void)state;
        assert_int_equal(nprocfs_open(root, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &fd.rec, 7, 0), -EIO);
        nprocfs_close(ctx);
        nprocfs_rec_release(&fd.rec);
        remove_root(root);
}

/* A snapshot's link is text: one that names a file outside the root, or
 * the root's own secrets, is shown as text and never followed. */
static void test_links_not_followed(void **state) {
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        char *root = make_root("pos:\t0\nflags:\t02\n", "../../../../../../etc/shadow");
        struct entries es;
        nprocfs_ctx *ctx;

        (void)state;
        assert_int_equal(nprocfs_open(root, 0, &ctx), 0);
        read_fd(ctx, 7, &fd, &es);
        assert_entry(&es, "0/target", "../../../../../../etc/shadow");
        assert_entry(&es, "0/type", "other");
        assert_entry(&es, "0/flags", "02");
        entries_free(&es);
        nprocfs_close(ctx);
        nprocfs_rec_release(&fd.rec);
        remove_root(root);
}

/* The live /proc: what this test opened, read back through the library and
 * checked against the kernel's own answers (readlink, fstat, fcntl). */
static void test_live(void **state) {
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        int pipefd[2], sock, null;
        nprocfs_ctx *ctx;
        struct entries es;
        char path[64], want[256], link[128];
        struct stat st;
        ssize_t n;

        (void)state;
        assert_int_equal(pipe(pipefd), 0);
        sock = socket(AF_UNIX, SOCK_STREAM, 0);
        null = open("/dev/null", O_RDWR);
        assert_true(sock >= 0 && null >= 0);
        assert_int_equal(lseek(null, 0, SEEK_CUR), 0);
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        read_fd(ctx, getpid(), &fd, &es);

        snprintf(path, sizeof(path), "/proc/self/fd/%d", sock);
        n = readlink(path, link, sizeof(link) - 1);
        assert_true(n > 0);
        link[n] = 0;
        snprintf(path, sizeof(path), "%d/target", sock);
        assert_string_equal(entries_find(&es, path)->value, link);
        snprintf(path, sizeof(path), "%d/type", sock);
        assert_string_equal(entries_find(&es, path)->value, "socket");
        assert_int_equal(fstat(sock, &st), 0);
        snprintf(want, sizeof(want), "%llu", (unsigned long long)st.st_ino);
        snprintf(path, sizeof(path), "%d/inode", sock);
        assert_string_equal(entries_find(&es, path)->value, want);

        assert_int_equal(fstat(pipefd[0], &st), 0);
        snprintf(path, sizeof(path), "%d/type", pipefd[0]);
        assert_string_equal(entries_find(&es, path)->value, "pipe");
        snprintf(want, sizeof(want), "%llu", (unsigned long long)st.st_ino);
        snprintf(path, sizeof(path), "%d/inode", pipefd[1]); /* both ends: one pipe */
        assert_string_equal(entries_find(&es, path)->value, want);
        /* the read end 00, the write end 01, as O_RDONLY and O_WRONLY */
        snprintf(path, sizeof(path), "%d/flags", pipefd[1]);
        assert_int_equal(strtol(entries_find(&es, path)->value, NULL, 8) & O_ACCMODE, O_WRONLY);
        snprintf(path, sizeof(path), "%d/flags", null);
        assert_int_equal(strtol(entries_find(&es, path)->value, NULL, 8) & O_ACCMODE, O_RDWR);
        snprintf(path, sizeof(path), "%d/path", null);
        assert_string_equal(entries_find(&es, path)->value, "/dev/null");
        entries_free(&es);

        /* a closed fd is no row (one above any the read itself opens);
         * the rows are every fd the kernel lists */
        {
                int hi = fcntl(sock, F_DUPFD, 900);
                assert_true(hi >= 900);
                close(hi);
                close(sock);
                read_fd(ctx, getpid(), &fd, &es);
                snprintf(path, sizeof(path), "%d/target", hi);
                assert_null(entries_find(&es, path));
        }
        {
                DIR *d = opendir("/proc/self/fd");
                size_t count = 0;
                struct dirent *de;
                assert_non_null(d);
                while ((de = readdir(d)))
                        count += de->d_name[0] != '.';
                closedir(d);
                /* the listing's own descriptor is one the library's read did
                 * not have open, and the other way round: equal counts */
                assert_int_equal(fd.rec.nrows, count);
        }
        entries_free(&es);
        nprocfs_close(ctx);
        nprocfs_rec_release(&fd.rec);
        close(pipefd[0]);
        close(pipefd[1]);
        close(null);
}

/* fdinfo keys the row does not know: kept, each name once (an epoll file
 * has a tfd line per watched fd: the first is kept); too many is malformed */
static void test_unknown_fdinfo_keys(void **state) {
        static const char src[] = "9\0anon_inode:[eventpoll]\0pos:\t0\nflags:\t02\nmnt_id:\t17\n"
                                  "tfd:        5 events:       19 data: 5\ntfd:        6 events:       1 data: 6\n\0";
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        struct entries es;
        char big[64 * 16 + 64];
        size_t n;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&fd.rec, src, sizeof(src) - 1, &env), 0);
        entries_collect(&fd.rec, &es);
        assert_entry(&es, "9/tfd", "5 events:       19 data: 5");
        assert_entry(&es, "9/flags", "02");
        entries_free(&es);
        n = (size_t)snprintf(big, sizeof(big), "1%c/x%c", 0, 0);
        for (int i = 0; i < 65; i++)
                n += (size_t)snprintf(big + n, sizeof(big) - n, "k%d: 1\n", i);
        big[n++] = 0;
        assert_int_equal(nprocfs_rec_parse(&fd.rec, big, n, &env), -EIO);
        nprocfs_rec_release(&fd.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_linux_6_18),   cmocka_unit_test(test_linux_2_6),
                cmocka_unit_test(test_kinds),        cmocka_unit_test(test_malformed_fdinfo),
                cmocka_unit_test(test_empty_fdinfo), cmocka_unit_test(test_links_not_followed),
                cmocka_unit_test(test_live),         cmocka_unit_test(test_unknown_fdinfo_keys),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
