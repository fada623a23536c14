/* SPDX-License-Identifier: MIT */
/* Files flametui writes (recordings): created as the user who ran sudo, not as root. */
#ifndef FLAMETUI_OUTFILE_H
#define FLAMETUI_OUTFILE_H

/*
 * Creates (or truncates) path for writing and returns its descriptor, or a negative errno.
 * Under sudo (root with SUDO_UID/SUDO_GID set) the file is opened with the invoking user's
 * effective ids, so it is theirs and they may only write where they could anyway; a symlink
 * as the last component is refused (-ELOOP).
 */
int outfile__create(const char *path);

#endif
