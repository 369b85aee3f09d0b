/* The daemon's two background threads.
 *
 * The notifier tells the kernel to drop what it caches: a process's name
 * when the process is gone (names are cached for long, see NAME_TIMEOUT),
 * an inode's attributes when they changed under it. A notification can wait
 * on locks the kernel holds while a request is in flight, so it is never
 * sent from a handler or under one of our locks: handlers queue it here.
 *
 * The sweeper runs once a second: it frees cached parses past their TTL and
 * identities nothing refers to, and on a live root it finds the processes
 * and threads the kernel still has a name for that have exited, and queues
 * their invalidation. That is what keeps the daemon's memory flat while
 * processes come and go: the kernel forgets the inodes, and their nodes go
 * with them. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"

#define QUEUE_MAX 65536 /* beyond: dropped; the sweep queues them again */

static void push(struct fs *fs, const struct inval *it) {
        struct bg *bg = &fs->bg;

        pthread_mutex_lock(&bg->lock);
        if (bg->running && !bg->stop && bg->n < QUEUE_MAX) {
                if (bg->n == bg->cap) {
                        size_t nc = bg->cap ? bg->cap * 2 : 64;
                        struct inval *q = realloc(bg->q, nc * sizeof(*q));
                        if (q) {
                                bg->q = q;
                                bg->cap = nc;
                        }
                }
                if (bg->n < bg->cap) {
                        bg->q[bg->n++] = *it;
                        pthread_cond_signal(&bg->cond);
                }
        }
        pthread_mutex_unlock(&bg->lock);
}

void bg_inval_entry(struct fs *fs, fuse_ino_t parent, pid_t name) {
        struct inval it = { .ino = parent, .entry = true };

        snprintf(it.name, sizeof(it.name), "%d", (int)name);
        push(fs, &it);
}

void bg_inval_inode(struct fs *fs, fuse_ino_t ino) {
        struct inval it = { .ino = ino };

        push(fs, &it);
}

static void *notifier(void *arg) {
        struct fs *fs = arg;
        struct bg *bg = &fs->bg;

        pthread_mutex_lock(&bg->lock);
        while (!bg->stop) {
                struct inval *q;
                size_t n;

                if (bg->n == 0) {
                        pthread_cond_wait(&bg->cond, &bg->lock);
                        continue;
                }
                q = bg->q;
                n = bg->n;
                bg->q = NULL;
                bg->n = bg->cap = 0;
                pthread_mutex_unlock(&bg->lock);
                for (size_t i = 0; i < n; i++) {
                        /* -ENOENT: the kernel forgot it already */
                        if (q[i].entry)
                                fuse_lowlevel_notify_inval_entry(fs->se, q[i].ino, q[i].name, strlen(q[i].name));
                        else
                                fuse_lowlevel_notify_inval_inode(fs->se, q[i].ino, -1, 0); /* attributes */
                }
                free(q);
                pthread_mutex_lock(&bg->lock);
        }
        pthread_mutex_unlock(&bg->lock);
        return NULL;
}

/* Names the kernel keeps for processes and threads that have exited, or
 * whose pid another process has now. (A reader that finds one gone drops
 * it at once: see gone() in ops.c.) */
static void check_liveness(struct fs *fs) {
        struct known *k;
        size_t nk;

        if (nodes_known_procs(fs, &k, &nk) < 0)
                return;
        for (size_t i = 0; i < nk; i++) {
                if (proc_verify(fs, k[i].proc) == -ENOENT)
                        bg_inval_entry(fs, k[i].tid ? k[i].parent : FUSE_ROOT_ID, k[i].tid ? k[i].tid : k[i].pid);
                proc_unref(k[i].proc);
        }
        free(k);
}

/* Past NAMES_MAX, the kernel is told to forget the processes read least
 * recently (their names, and with them every inode below): the next
 * reader of one looks it up again. */
static void bound_names(struct fs *fs) {
        pid_t *pids;
        size_t n;

        if (nodes_over_budget(fs, &pids, &n) < 0)
                return;
        for (size_t i = 0; i < n; i++)
                bg_inval_entry(fs, FUSE_ROOT_ID, pids[i]);
        free(pids);
}

static void *sweeper(void *arg) {
        struct fs *fs = arg;
        struct bg *bg = &fs->bg;
        unsigned round = 0;
        struct timespec t;

        pthread_mutex_lock(&bg->lock);
        while (!bg->stop) {
                clock_gettime(CLOCK_MONOTONIC, &t);
                t.tv_sec += 1;
                pthread_cond_timedwait(&bg->tick, &bg->lock, &t);
                if (bg->stop)
                        break;
                pthread_mutex_unlock(&bg->lock);
                cache_sweep(fs);
                if (fs->root_live)
                        check_liveness(fs);
                bound_names(fs);
                if (++round % 16 == 0)
                        malloc_trim(0); /* hand freed parses back to the system */
                pthread_mutex_lock(&bg->lock);
        }
        pthread_mutex_unlock(&bg->lock);
        return NULL;
}

int bg_start(struct fs *fs) {
        struct bg *bg = &fs->bg;
        int r;

        pthread_mutex_lock(&bg->ctl);
        bg->stop = false;
        bg->running = true;
        r = pthread_create(&bg->notifier, NULL, notifier, fs);
        if (r == 0) {
                r = pthread_create(&bg->sweeper, NULL, sweeper, fs);
                if (r != 0) {
                        pthread_mutex_lock(&bg->lock);
                        bg->stop = true;
                        pthread_cond_broadcast(&bg->cond);
                        pthread_mutex_unlock(&bg->lock);
                        pthread_join(bg->notifier, NULL);
                }
        }
        if (r != 0)
                bg->running = false;
        pthread_mutex_unlock(&bg->ctl);
        return -r;
}

void bg_stop(struct fs *fs) {
        struct bg *bg = &fs->bg;

        pthread_mutex_lock(&bg->ctl);
        if (bg->running) {
                pthread_mutex_lock(&bg->lock);
                bg->stop = true;
                pthread_cond_broadcast(&bg->cond);
                pthread_cond_broadcast(&bg->tick);
                pthread_mutex_unlock(&bg->lock);
                pthread_join(bg->notifier, NULL);
                pthread_join(bg->sweeper, NULL);
                pthread_mutex_lock(&bg->lock);
                bg->running = false;
                free(bg->q);
                bg->q = NULL;
                bg->n = bg->cap = 0;
                pthread_mutex_unlock(&bg->lock);
        }
        pthread_mutex_unlock(&bg->ctl);
}

int bg_init(struct fs *fs) {
        struct bg *bg = &fs->bg;
        pthread_condattr_t a;

        pthread_mutex_init(&bg->lock, NULL);
        pthread_mutex_init(&bg->ctl, NULL);
        pthread_cond_init(&bg->cond, NULL);
        pthread_condattr_init(&a);
        pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
        pthread_cond_init(&bg->tick, &a);
        pthread_condattr_destroy(&a);
        return 0;
}

void bg_free(struct fs *fs) {
        struct bg *bg = &fs->bg;

        bg_stop(fs);
        pthread_mutex_destroy(&bg->lock);
        pthread_mutex_destroy(&bg->ctl);
        pthread_cond_destroy(&bg->cond);
        pthread_cond_destroy(&bg->tick);
}
