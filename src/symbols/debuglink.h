/* SPDX-License-Identifier: MIT */
/*
 * debuglink: finding and opening the separate debug file of a binary (elfsyms.c's; the public
 * entry is elfsyms__open_debug_fd in elfsyms.h). A candidate is only taken when it matches:
 * the same build-id when both have one, else the .gnu_debuglink CRC32 (for files up to 1 GiB).
 */
#ifndef FLAMETUI_DEBUGLINK_H
#define FLAMETUI_DEBUGLINK_H

#include <stddef.h>
#include <stdint.h>

#include "elfcheck.h"
#include "elfsyms.h"

/* The debug file of orig (open on orig_fd, build-id id of id_len bytes, 0 for none): opened
 * into *ret with its fd in *ret_fd and its path in *ret_path (owned by the caller). 0,
 * -ENOENT when none matches, -ENOMEM. */
int debuglink__find(struct elf_file *orig, int orig_fd, const uint8_t *id, size_t id_len,
		    const struct elfsyms_opts *o, struct elf_file *ret, int *ret_fd,
		    char **ret_path);

#endif
