/* nprocfs-dump --json: the entries of a walk as one JSON document, nested
 * as the tree is (1/status/vmrss_bytes is .["1"].status.vmrss_bytes), every
 * value with its schema type. */
#ifndef NPROCFS_TOOLS_JSON_H
#define NPROCFS_TOOLS_JSON_H

#include <stdio.h>

#include <nprocfs/nprocfs.h>

struct json_doc;

/* An empty document. Free it with json_doc_free(). */
int json_doc_new(struct json_doc **ret);
void json_doc_free(struct json_doc *doc);

/* Adds entry e at prefix + e->path (prefix ends in '/'); the document
 * copies what it keeps. An entry at a path that is already there is
 * ignored (asked for twice); -EEXIST when a value and a directory would
 * share a name; -ENOMEM. */
int json_doc_add(struct json_doc *doc, const char *prefix, const struct nprocfs_entry *e);

/* The document, as one line. */
void json_doc_print(FILE *f, const struct json_doc *doc);

#endif
