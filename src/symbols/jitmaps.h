/* SPDX-License-Identifier: MIT */
/*
 * jitmaps: the perf maps (/tmp/perf-PID.map) of every profiled process together. A file is
 * opened with its process's own file credentials (procfile), so a bind mount in the process's
 * namespace cannot make us read what the process could not; it is parsed once however many
 * processes share it (same device and inode: hard links, one file seen from several mount
 * namespaces); and all maps draw on one budget of entries and name bytes, so memory and CPU
 * stay bounded whatever the number or size of maps. Library code: it never prints; what was
 * cut or malformed is reported through jitmaps__notes().
 */
#ifndef FLAMETUI_JITMAPS_H
#define FLAMETUI_JITMAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "perfmap.h"

/* All maps together hold at most this many entries and bytes of names. */
#define JITMAPS_MAX_ENTRIES (4u << 20)
#define JITMAPS_MAX_BYTES   (256u << 20)

struct jitmaps;
struct jitmap; /* one parsed file, shared */

struct jitmaps *jitmaps__new(const char *proc_root); /* NULL with errno set */
struct jitmaps *jitmaps__free(struct jitmaps *j);    /* NULL-safe, returns NULL */

/*
 * (Re)reads the perf map at path for process pid, whose user is owner_uid (the file must be
 * owned by that user or root). *slot is the pid's reference (NULL at first): it is moved to
 * the shared map of that file. 0, or -errno: -ENOENT (no such file), -EACCES (the process
 * could not read it), -EPERM (wrong owner or type), -ETIMEDOUT (the open stalled).
 */
int jitmaps__refresh(struct jitmaps *j, struct jitmap **slot, uint32_t pid, const char *path,
		     uid_t owner_uid);
const struct perfmap_entry *jitmaps__find(struct jitmap *m, uint64_t addr); /* NULL-safe */
/* Drops a pid's reference (NULL-safe); the map goes when its last user does. */
void jitmaps__put(struct jitmaps *j, struct jitmap *m);

/* What one map holds back: a cut (PERFMAP_CUT_*) or malformed lines. */
struct jitmap_note {
	uint32_t pid;	 /* the first process it was read for */
	char path[256];	 /* as opened (truncated) */
	int cut;	 /* PERFMAP_CUT_* */
	uint64_t cut_at; /* file offset where reading stopped */
	size_t bad_lines;
	uint64_t first_bad;		 /* line number, 0 = none */
	char bad_text[PERFMAP_BAD_TEXT]; /* raw bytes (NULs too): escape before showing */
	size_t bad_len;
	size_t users; /* processes sharing it */
};
/* Up to cap notes for the maps with something to say; returns how many maps have one. */
size_t jitmaps__notes(const struct jitmaps *j, struct jitmap_note *ret, size_t cap);
/* Distinct files parsed, and processes that reused one parsed for another. */
void jitmaps__counts(const struct jitmaps *j, size_t *ret_files, uint64_t *ret_shared);

#endif
