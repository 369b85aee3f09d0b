/* /proc/<pid>/mountstats: a row per mount by its place in the file, the
 * header's device, mount point and type (escapes decoded), and for NFS its
 * options and lists split on commas, its age in ns, the 27 (25 before
 * statvers 1.1) event and 8 byte counters by place, the RPC program, and
 * the transports and operations as lists of lines. Expected values are
 * read by hand from the fixture lines cited. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

static void parse_fixture(struct nprocfs_pid_mountstats *m, const char *rel, char **ret_data) {
        size_t len;

        *ret_data = read_fixture(rel, &len);
        assert_int_equal(nprocfs_rec_parse(&m->rec, *ret_data, len, &env), 0);
}

/* linux-6.18/10324/mountstats: 19 lines, one mount each (the capture's
 * mount 28 was removed, as from its mountinfo), no statistics */
static void test_capture_has_a_row_per_mount(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        const struct nprocfs_pid_mountstats_row *row;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10324, 0), 0);
        assert_int_equal(m.rec.nrows, 19);
        row = NPROCFS_ROW(&m, pid_mountstats, 5);
        assert_str_equal(row->device, "/dev/vda");
        assert_str_equal(row->mount_point, "/");
        assert_str_equal(row->fstype, "ext4");
        entries_collect(&m.rec, &es);
        /* line 1: "device proc mounted on /proc with fstype proc" */
        assert_entry(&es, "0/device", "proc");
        assert_entry(&es, "0/mount_point", "/proc");
        assert_entry(&es, "0/fstype", "proc");
        /* line 6: "device /dev/vda mounted on / with fstype ext4" */
        assert_entry(&es, "5/device", "/dev/vda");
        assert_entry(&es, "5/mount_point", "/");
        assert_entry(&es, "5/fstype", "ext4");
        /* lines 5 and 7: /dev/pts twice (a mount on a mount), two rows */
        assert_entry(&es, "4/mount_point", "/dev/pts");
        assert_entry(&es, "6/mount_point", "/dev/pts");
        /* line 19, the last: "device cgroup2 mounted on /sys/fs/cgroup/unified with fstype cgroup2" */
        assert_entry(&es, "18/device", "cgroup2");
        assert_entry(&es, "18/mount_point", "/sys/fs/cgroup/unified");
        assert_entry(&es, "18/fstype", "cgroup2");
        assert_no_entry(&es, "19/device");
        /* no file system there has statistics */
        for (size_t i = 0; i < m.rec.nrows; i++) {
                row = NPROCFS_ROW(&m, pid_mountstats, i);
                assert_true(row->row.present == (UINT64_C(1) << NPROCFS_F_pid_mountstats_row_device |
                                                 UINT64_C(1) << NPROCFS_F_pid_mountstats_row_mount_point |
                                                 UINT64_C(1) << NPROCFS_F_pid_mountstats_row_fstype));
                assert_int_equal(row->row.nextra, 0);
        }
        assert_no_entry(&es, "5/statvers");
        assert_no_entry(&es, "5/opts");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* the same mounts in every process of the capture, in the order of
 * mountinfo (the kernel walks one list for both): by hand, row 0 is
 * /proc (mountinfo 22) and row 18 /sys/fs/cgroup/unified (41) */
static void test_every_process_has_it_in_mountinfo_order(void **state) {
        static const pid_t pids[] = { 1, 10322, 10324, 10330 };
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
                struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
                struct nprocfs_pid_mountinfo mi = NPROCFS_REC_INIT(pid_mountinfo);

                assert_int_equal(nprocfs_rec_read(ctx, &m.rec, pids[i], 0), 0);
                assert_int_equal(nprocfs_rec_read(ctx, &mi.rec, pids[i], 0), 0);
                assert_int_equal(m.rec.nrows, 19);
                assert_int_equal(mi.rec.nrows, m.rec.nrows);
                assert_str_equal(NPROCFS_ROW(&m, pid_mountstats, 0)->mount_point, "/proc");
                assert_str_equal(NPROCFS_ROW(&m, pid_mountstats, 18)->mount_point, "/sys/fs/cgroup/unified");
                for (size_t j = 0; j < m.rec.nrows; j++) {
                        const struct nprocfs_pid_mountstats_row *a = NPROCFS_ROW(&m, pid_mountstats, j);
                        const struct nprocfs_pid_mountinfo_row *b = NPROCFS_ROW(&mi, pid_mountinfo, j);

                        assert_int_equal(a->mount_point.len, b->mount_point.len);
                        assert_memory_equal(a->mount_point.ptr, b->mount_point.ptr, a->mount_point.len);
                        assert_int_equal(a->fstype.len, b->fs_type.len);
                        assert_memory_equal(a->fstype.ptr, b->fs_type.ptr, a->fstype.len);
                }
                nprocfs_rec_release(&m.rec);
                nprocfs_rec_release(&mi.rec);
        }
        nprocfs_close(ctx);
}

/* linux-2.6/4242/mountstats: an NFSv3 mount of a 2.6.18 kernel
 * (statvers=1.0: 25 events; RPC iostats 1.0: 8 numbers per operation),
 * row 4 (line 5), after 4 mounts without statistics */
static void test_nfs_of_2_6(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        const struct nprocfs_pid_mountstats_row *row;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 4242, 0), 0);
        assert_int_equal(m.rec.nrows, 6);
        row = NPROCFS_ROW(&m, pid_mountstats, 4);
        assert_int_equal(row->vfsopen, 1005);
        assert_int_equal(row->age_ns, UINT64_C(3600000000000));
        entries_collect(&m.rec, &es);
        /* line 5: "device 192.0.2.10:/export/home mounted on /home/shared with fstype nfs statvers=1.0" */
        assert_entry(&es, "4/device", "192.0.2.10:/export/home");
        assert_entry(&es, "4/mount_point", "/home/shared");
        assert_entry(&es, "4/fstype", "nfs");
        assert_entry(&es, "4/statvers", "1.0");
        /* line 6 */
        assert_entry(&es, "4/opts",
                     "rw\nvers=3\nrsize=32768\nwsize=32768\nacregmin=3\nacregmax=60\nacdirmin=30\nacdirmax=60\nhard\n"
                     "intr\nproto=tcp\ntimeo=600\nretrans=2\nsec=sys");
        /* lines 7-9: "age:\t3600", the caps (namelen, as 2.6 spelled it), "sec:\tflavor=1,pseudoflavor=1" */
        assert_entry(&es, "4/age_ns", "3600000000000");
        assert_entry(&es, "4/caps", "caps=0xf\nwtmult=512\ndtsize=8192\nbsize=0\nnamelen=255");
        assert_entry(&es, "4/sec", "flavor=1\npseudoflavor=1");
        /* line 10: 1001 .. 1025, the n-th event 1000 + n */
        assert_entry(&es, "4/inoderevalidate", "1001");
        assert_entry(&es, "4/dentryrevalidate", "1002");
        assert_entry(&es, "4/vfsopen", "1005");
        assert_entry(&es, "4/vfsgetdents", "1013");
        assert_entry(&es, "4/vfsrelease", "1018");
        assert_entry(&es, "4/congestionwait", "1019");
        assert_entry(&es, "4/shortwrite", "1024");
        assert_entry(&es, "4/delay", "1025");
        assert_no_entry(&es, "4/pnfs_read"); /* statvers 1.1's */
        assert_no_entry(&es, "4/pnfs_write");
        /* line 11: "1048576 524288 0 0 1052672 528384 257 129 " */
        assert_entry(&es, "4/normalread_bytes", "1048576");
        assert_entry(&es, "4/normalwritten_bytes", "524288");
        assert_entry(&es, "4/directread_bytes", "0");
        assert_entry(&es, "4/directwritten_bytes", "0");
        assert_entry(&es, "4/serverread_bytes", "1052672");
        assert_entry(&es, "4/serverwritten_bytes", "528384");
        assert_entry(&es, "4/readpages", "257");
        assert_entry(&es, "4/writepages", "129");
        /* line 12: "RPC iostats version: 1.0  p/v: 100003/3 (nfs)" */
        assert_entry(&es, "4/rpc_iostats_version", "1.0");
        assert_entry(&es, "4/rpc_program", "100003");
        assert_entry(&es, "4/rpc_version", "3");
        assert_entry(&es, "4/rpc_program_name", "nfs");
        /* line 13 */
        assert_entry(&es, "4/xprt", "tcp 800 1 1 0 0 2000 2000 0 4000 0");
        /* lines 15-36: the 22 NFSv3 procedures, their "%12s: " padding gone */
        assert_entry(&es, "4/per_op",
                     "NULL: 0 0 0 0 0 0 0 0\n"
                     "GETATTR: 1001 1001 0 112112 112112 10 1000 1100\n"
                     "SETATTR: 0 0 0 0 0 0 0 0\n"
                     "LOOKUP: 1004 1005 1 140560 160640 20 1100 1200\n"
                     "ACCESS: 0 0 0 0 0 0 0 0\n"
                     "READLINK: 0 0 0 0 0 0 0 0\n"
                     "READ: 40 40 0 4800 1053600 5 400 410\n"
                     "WRITE: 20 20 0 529024 2720 2 300 310\n"
                     "CREATE: 0 0 0 0 0 0 0 0\n"
                     "MKDIR: 0 0 0 0 0 0 0 0\n"
                     "SYMLINK: 0 0 0 0 0 0 0 0\n"
                     "MKNOD: 0 0 0 0 0 0 0 0\n"
                     "REMOVE: 0 0 0 0 0 0 0 0\n"
                     "RMDIR: 0 0 0 0 0 0 0 0\n"
                     "RENAME: 0 0 0 0 0 0 0 0\n"
                     "LINK: 0 0 0 0 0 0 0 0\n"
                     "READDIR: 0 0 0 0 0 0 0 0\n"
                     "READDIRPLUS: 0 0 0 0 0 0 0 0\n"
                     "FSSTAT: 0 0 0 0 0 0 0 0\n"
                     "FSINFO: 2 2 0 224 336 0 1 1\n"
                     "PATHCONF: 0 0 0 0 0 0 0 0\n"
                     "COMMIT: 0 0 0 0 0 0 0 0");
        assert_no_entry(&es, "4/nfsv4"); /* an NFSv3 mount */
        assert_no_entry(&es, "4/impl_id");
        /* line 38, after the empty line 37 that ends the NFS block */
        assert_entry(&es, "5/device", "/dev/sda1");
        assert_entry(&es, "5/mount_point", "/boot");
        assert_no_entry(&es, "5/statvers");
        /* line 1: "device rootfs mounted on / with fstype rootfs" */
        assert_entry(&es, "0/fstype", "rootfs");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* malformed/pid_mountstats/valid-nfs4: an NFSv4.2 mount in today's format
 * (statvers=1.1, impl_id and nfsv4 lines, two transports, 9 numbers an
 * operation), row 2 (line 3) */
static void test_nfs4_of_today(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        struct entries es;
        char *data;

        (void)state;
        parse_fixture(&m, "malformed/pid_mountstats/valid-nfs4", &data);
        assert_int_equal(m.rec.nrows, 4);
        entries_collect(&m.rec, &es);
        /* line 3: "device 192.0.2.10:/export/data mounted on /mnt/nfs\040share with fstype nfs4 statvers=1.1" */
        assert_entry(&es, "2/device", "192.0.2.10:/export/data");
        assert_entry(&es, "2/mount_point", "/mnt/nfs share");
        assert_entry(&es, "2/fstype", "nfs4");
        assert_entry(&es, "2/statvers", "1.1");
        /* line 4 */
        assert_entry(&es, "2/opts",
                     "rw\nvers=4.2\nrsize=1048576\nwsize=1048576\nnamlen=255\nacregmin=3\nacregmax=60\nacdirmin=30\n"
                     "acdirmax=60\nhard\nproto=tcp\nnconnect=2\ntimeo=600\nretrans=2\nsec=sys\nclientaddr=192.0.2.20\n"
                     "local_lock=none");
        /* line 5: "age:\t86400" (a day) */
        assert_entry(&es, "2/age_ns", "86400000000000");
        /* line 6: a string, its commas and blanks kept */
        assert_entry(&es, "2/impl_id", "name='Example NFS server',domain='example.com',date='1700000000,0'");
        /* lines 7-9 */
        assert_entry(&es, "2/caps", "caps=0x3ffbffff\nwtmult=512\ndtsize=1048576\nbsize=0\nnamlen=255");
        assert_entry(&es, "2/nfsv4",
                     "bm0=0xfdffbfff\nbm1=0x40f9be3e\nbm2=0x60803\nacl=0x3\nsessions\npnfs=not configured\n"
                     "lease_time=90\nlease_expired=0");
        assert_entry(&es, "2/sec", "flavor=1\npseudoflavor=1");
        /* line 10: 3001 .. 3027, the n-th event 3000 + n */
        assert_entry(&es, "2/inoderevalidate", "3001");
        assert_entry(&es, "2/datainvalidate", "3003");
        assert_entry(&es, "2/attrinvalidate", "3004");
        assert_entry(&es, "2/vfslookup", "3006");
        assert_entry(&es, "2/vfsaccess", "3007");
        assert_entry(&es, "2/vfsupdatepage", "3008");
        assert_entry(&es, "2/vfsreadpage", "3009");
        assert_entry(&es, "2/vfsreadpages", "3010");
        assert_entry(&es, "2/vfswritepage", "3011");
        assert_entry(&es, "2/vfswritepages", "3012");
        assert_entry(&es, "2/vfssetattr", "3014");
        assert_entry(&es, "2/vfsflush", "3015");
        assert_entry(&es, "2/vfsfsync", "3016");
        assert_entry(&es, "2/vfslock", "3017");
        assert_entry(&es, "2/setattrtrunc", "3020");
        assert_entry(&es, "2/extendwrite", "3021");
        assert_entry(&es, "2/sillyrename", "3022");
        assert_entry(&es, "2/shortread", "3023");
        assert_entry(&es, "2/delay", "3025");
        assert_entry(&es, "2/pnfs_read", "3026");
        assert_entry(&es, "2/pnfs_write", "3027");
        /* line 11: "1073741824 536870912 4096 8192 1073745920 536879104 262145 131074 " */
        assert_entry(&es, "2/normalread_bytes", "1073741824");
        assert_entry(&es, "2/directread_bytes", "4096");
        assert_entry(&es, "2/directwritten_bytes", "8192");
        assert_entry(&es, "2/serverwritten_bytes", "536879104");
        assert_entry(&es, "2/writepages", "131074");
        /* line 12: "RPC iostats version: 1.1  p/v: 100003/4 (nfs)" */
        assert_entry(&es, "2/rpc_iostats_version", "1.1");
        assert_entry(&es, "2/rpc_program", "100003");
        assert_entry(&es, "2/rpc_version", "4");
        assert_entry(&es, "2/rpc_program_name", "nfs");
        /* lines 13-14: nconnect=2, a line per transport */
        assert_entry(&es, "2/xprt",
                     "tcp 0 0 1 0 12 5000 5000 0 9000 0 2 10 20\ntcp 0 0 1 0 5 2000 2000 0 3000 0 2 4 8");
        /* lines 16-27; names longer than 12 columns have no padding */
        assert_entry(&es, "2/per_op",
                     "NULL: 1 1 0 44 24 0 0 0 0\n"
                     "READ: 1200 1201 1 254400 1073896000 30 2400 2500 2\n"
                     "WRITE: 600 600 0 536952000 96000 12 3000 3100 0\n"
                     "COMMIT: 20 20 0 4000 2400 0 40 41 0\n"
                     "OPEN: 412 412 0 123600 164800 4 800 820 3\n"
                     "CLOSE: 411 411 0 82200 49320 1 400 410 0\n"
                     "SETCLIENTID_CONFIRM: 0 0 0 0 0 0 0 0 0\n"
                     "ACCESS: 1203 1203 0 216540 168420 2 1200 1250 0\n"
                     "GETATTR: 3001 3001 0 540180 720240 5 3000 3100 0\n"
                     "LOOKUP: 988 988 0 197600 237120 2 1000 1020 57\n"
                     "SEQUENCE: 300 300 0 36000 24000 0 300 305 0\n"
                     "BIND_CONN_TO_SESSION: 1 1 0 148 112 0 1 1 0");
        /* line 29, after the empty line 28: "device tmpfs mounted on /mnt/my\040tmp with fstype tmpfs" */
        assert_entry(&es, "3/device", "tmpfs");
        assert_entry(&es, "3/mount_point", "/mnt/my tmp");
        assert_no_entry(&es, "3/statvers");
        assert_no_entry(&es, "3/age_ns");
        /* lines 1, 2: no statistics */
        assert_entry(&es, "0/fstype", "ext4");
        assert_no_entry(&es, "1/statvers");
        assert_int_equal(m.rec.nextra, 0);
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* The typed row has the counters as numbers, each present. */
static void test_counters_are_typed(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        const struct nprocfs_pid_mountstats_row *row;
        char *data;

        (void)state;
        parse_fixture(&m, "malformed/pid_mountstats/valid-nfs4", &data);
        row = NPROCFS_ROW(&m, pid_mountstats, 2);
        assert_true(NPROCFS_ROW_HAS(row, pid_mountstats, vfsopen));
        assert_int_equal(row->vfsopen, 3005);
        assert_int_equal(row->pnfs_write, 3027);
        assert_int_equal(row->serverread_bytes, UINT64_C(1073745920));
        assert_int_equal(row->readpages, 262145);
        assert_int_equal(row->rpc_version, 4);
        assert_str_equal(row->nfsv4, "bm0=0xfdffbfff\nbm1=0x40f9be3e\nbm2=0x60803\nacl=0x3\nsessions\n"
                                     "pnfs=not configured\nlease_time=90\nlease_expired=0");
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* valid-no-device: "no device mounted on /mnt/x ..." has no device entry
 * (never an empty or made-up one); "device  mounted on /mnt/y ..." (the
 * kernel's mangle of an empty name) has an empty one */
static void test_no_device(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        struct entries es;
        char *data;

        (void)state;
        parse_fixture(&m, "malformed/pid_mountstats/valid-no-device", &data);
        entries_collect(&m.rec, &es);
        assert_no_entry(&es, "0/device");
        assert_entry(&es, "0/mount_point", "/mnt/x");
        assert_entry(&es, "0/fstype", "autofs");
        assert_entry(&es, "1/device", "");
        assert_entry(&es, "1/mount_point", "/mnt/y");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* valid-unknown-keys: a key no field has is the row's (fsc: of kernels
 * before 6.0 with fscache, a later kernel's line), and text after the
 * fstype that is no statvers= is the row's "stats" */
static void test_unknown_keys_are_kept(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        struct entries es;
        char *data;

        (void)state;
        parse_fixture(&m, "malformed/pid_mountstats/valid-unknown-keys", &data);
        assert_int_equal(m.rec.nrows, 2);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "0/age_ns", "60000000000");
        assert_entry(&es, "0/fsc", "1 2 3 4 5");
        assert_entry(&es, "0/new_thing", "some text");
        assert_entry(&es, "1/fstype", "futurefs");
        assert_entry(&es, "1/stats", "stats=2 x");
        assert_no_entry(&es, "1/statvers");
        assert_no_entry(&es, "1/fsc");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* valid-unit-overflow-saturates: age 18446744073709551615 s fits u64 as
 * written; in ns it saturates */
static void test_age_saturates(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        struct entries es;
        char *data;

        (void)state;
        parse_fixture(&m, "malformed/pid_mountstats/valid-unit-overflow-saturates", &data);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "0/age_ns", "18446744073709551615");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* valid-more-counters: 29 events and 9 bytes, as a later kernel might
 * print: the known ones are read, the others left out, not an error */
static void test_later_counters_are_left_out(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        struct entries es;
        char *data;

        (void)state;
        parse_fixture(&m, "malformed/pid_mountstats/valid-more-counters", &data);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "0/pnfs_write", "3027");
        assert_entry(&es, "0/normalread_bytes", "1");
        assert_entry(&es, "0/writepages", "8");
        assert_int_equal(m.rec.nextra, 0);
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* opts, caps, nfsv4 and sec split on commas only: blanks inside an item
 * stay, blanks around it and empty items go */
static void test_comma_lists(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&m.rec, "device s:/e mounted on /m with fstype nfs4 statvers=1.1\n"
                                            "\topts:\t,rw ,,hard, \n"
                                            "\tnfsv4:\tbm0=0x1,pnfs=not configured\n"
                                            "\tsec:\t\n"),
                         0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "0/opts", "rw\nhard");
        assert_entry(&es, "0/nfsv4", "bm0=0x1\npnfs=not configured");
        assert_entry(&es, "0/sec", ""); /* a line with nothing: an empty list */
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* Each text differs from a good one in one place. */
static void test_malformed_text_is_eio(void **state) {
#define H    "device s:/e mounted on /m with fstype nfs statvers=1.1\n"
#define EV25 "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25"
        static const char *const good[] = {
                H,
                H "\tevents:\t" EV25 " \n\tbytes:\t1 2 3 4 5 6 7 8 \n",
                H "\tRPC iostats version: 1.1  p/v: 100003/4 (nfs)\n\tper-op statistics\n\t  READ: 1 2 3 4 5 6 7 8\n\n",
                H "\txprt:\ttcp 1\n\txprt:\ttcp 2\n",
                "no device mounted on /m with fstype t\n",
        };
        static const char *const bad[] = {
                "",                                               /* every process has a mount */
                "\n",                                             /* ... a blank line is none */
                "device s:/e mounted on /m with fstyp nfs\n",     /* the header's words */
                "device s:/e mounted at /m with fstype nfs\n",    /* ... */
                "nodevice mounted on /m with fstype t\n",         /* ... */
                "device s:/e  mounted on /m with fstype nfs\n",   /* two blanks */
                "device s:/e mounted on /m with fstype \n",       /* no type */
                "device s:/e mounted on /m\\04 with fstype t\n",  /* 2 octal digits */
                "device s:/e mounted on /m\\000 with fstype t\n", /* a NUL */
                "\tage:\t1\n" H,                                  /* before any mount */
                H "\tage:\t1\n\n\tage:\t2\n",                     /* after the blank line */
                H "\tage:\t1\n\tage:\t2\n",                       /* a line twice */
                H "\tage:\t-1\n",                                 /* signed */
                H "\tage:\t1x\n",                                 /* junk */
                H "\tage\t1\n",                                   /* no ':' */
                H "\t:\t1\n",                                     /* no key */
                H "\tevents:\t1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24\n", /* 24 */
                H "\tevents:\t" EV25 " x\n",                                                     /* not a number */
                H "\tevents:\t" EV25 " 18446744073709551616\n",                                  /* past u64 */
                H "\tbytes:\t1 2 3 4 5 6 7\n",                                                   /* 7 */
                H "\tRPC iostats version: 1.1\n",                                                /* no p/v */
                H "\tRPC iostats version: 1.1  p/v: 100003 (nfs)\n",                             /* no '/' */
                H "\tRPC iostats version: 1.1  p/v: 100003/x (nfs)\n",                           /* not a number */
                H "\tRPC iostats version: 1.1  p/v: 100003/4 nfs\n",                             /* no parentheses */
                H "\tper-op statistics\n\t  READ: 1 2 3 4 5 6 7\n",                              /* 7 numbers */
                H "\tper-op statistics\n\t  READ 1 2 3 4 5 6 7 8\n",                             /* no ':' */
                H "\tper-op statistics\n\t  READ: 1 2 3 4 5 6 7 x\n",                            /* not a number */
                H "\tper-op statistics\n\t  READ: 1 2 3 4 5 6 7 8\n\topts:\trw\n",               /* not an operation */
                H "\tper-op statistics\n\tper-op statistics\n",                                  /* twice */
                H "\txprt:\ttcp 1\n\tage:\t1\n\txprt:\ttcp 2\n", /* two runs of transports */
                H "\txprt:\n",                                   /* an empty transport */
        };

        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
                if (parse_text(&m.rec, good[i]) != 0)
                        fail_msg("good case %zu refused: %s", i, good[i]);
                nprocfs_rec_release(&m.rec);
        }
        assert_all_malformed(pid_mountstats, bad);
#undef H
#undef EV25
}

/* linux-2.6 has it for 4242 only; no thread has one (fs/proc/base.c's
 * tid_base_stuff lists no mountstats), and no system-wide one exists */
static void test_absent_files_are_enoent(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 1, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 4242, 4242), -ENOENT);
        nprocfs_close(ctx);
        ctx = open_tree("linux-6.18");
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10330, 10336), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), -ENOENT);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* The schema says what /proc does, as this kernel shows it: the file's
 * mode, and no thread directory has one. */
static void test_mode_and_scope_are_procs(void **state) {
        const struct nprocfs_schema *s = &nprocfs_schema_pid_mountstats;
        char path[64];
        struct stat st;

        (void)state;
        assert_int_equal(stat("/proc/self/mountstats", &st), 0);
        assert_int_equal(st.st_mode & 07777, s->mode);
        snprintf(path, sizeof(path), "/proc/self/task/%d/mountstats", (int)getpid());
        assert_int_equal(stat(path, &st), -1);
        assert_int_equal(errno, ENOENT);
        assert_false(s->flags & NPROCFS_S_TASK);
        /* its open checks no ptrace access (mountstats_open): the mode alone */
        assert_false(s->flags & NPROCFS_S_RESTRICTED);
}

/* What the kernel gives this process: a row per line that starts a mount
 * (read once, parsed from that text). */
static void test_live_mountstats_has_a_row_per_mount(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        static char buf[1 << 20];
        size_t len = 0, mounts = 0;
        nprocfs_ctx *ctx;
        ssize_t n;
        int fd;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, getpid(), 0), 0);
        assert_true(m.rec.nrows > 0);
        nprocfs_close(ctx);
        fd = open("/proc/self/mountstats", O_RDONLY);
        assert_true(fd >= 0);
        while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
                len += (size_t)n;
        close(fd);
        assert_true(len < sizeof(buf));
        for (size_t i = 0; i < len; i++)
                if ((i == 0 || buf[i - 1] == '\n') &&
                    (strncmp(buf + i, "device ", 7) == 0 || strncmp(buf + i, "no device ", 10) == 0))
                        mounts++;
        assert_int_equal(nprocfs_rec_parse(&m.rec, buf, len, &env), 0);
        assert_int_equal(m.rec.nrows, mounts);
        nprocfs_rec_release(&m.rec);
}

/* A zombie has no mount namespace left, and the kernel refuses its
 * mountstats (EINVAL): the process exited, so ENOENT. */
static void test_zombie_has_none(void **state) {
        struct nprocfs_pid_mountstats m = NPROCFS_REC_INIT(pid_mountstats);
        nprocfs_ctx *ctx;
        siginfo_t si;
        pid_t pid;

        (void)state;
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(0);
        assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, pid, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, getpid(), 0), 0);
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_capture_has_a_row_per_mount),
                cmocka_unit_test(test_every_process_has_it_in_mountinfo_order),
                cmocka_unit_test(test_nfs_of_2_6),
                cmocka_unit_test(test_nfs4_of_today),
                cmocka_unit_test(test_counters_are_typed),
                cmocka_unit_test(test_no_device),
                cmocka_unit_test(test_unknown_keys_are_kept),
                cmocka_unit_test(test_age_saturates),
                cmocka_unit_test(test_later_counters_are_left_out),
                cmocka_unit_test(test_comma_lists),
                cmocka_unit_test(test_malformed_text_is_eio),
                cmocka_unit_test(test_absent_files_are_enoent),
                cmocka_unit_test(test_mode_and_scope_are_procs),
                cmocka_unit_test(test_live_mountstats_has_a_row_per_mount),
                cmocka_unit_test(test_zombie_has_none),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
