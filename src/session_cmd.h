/* SPDX-License-Identifier: MIT */
/*
 * A session's -- CMD, for session.c (session__cmd_text, session__cmd_done and
 * session__pids_gone are in session.h): forked held, so the BPF filter knows its pid before it
 * runs anything, and ended with the session.
 */
#ifndef FLAMETUI_SESSION_CMD_H
#define FLAMETUI_SESSION_CMD_H

struct cli;
struct heldcmd;
struct session;

/* Forks the held -- CMD: as the invoking user under sudo (unless --cmd-as-root), its output
 * away from the terminal the graph uses (--cmd-output, /dev/null by default; headless, its
 * stdout to flametui's stderr, since flametui's stdout is the profile). EXIT_OK, or an exit
 * code after printing one line. */
int session_cmd__start(struct session *s, const struct cli *cli, struct heldcmd *held);
/* How long the command has after SIGTERM before SIGKILL when flametui ends. */
#define SESSION_CMD_GRACE_MS 1000
/* Ends -- CMD if it still runs (heldcmd__end: its process group, then SIGKILL) and reaps it:
 * when flametui ends, for whatever reason, the command it started ends too. */
void session_cmd__end(struct session *s);
/* --pid: a pidfd per process, so session__pids_gone() sees them exit. 0 or -ENOMEM. */
int session_cmd__watch_pids(struct session *s, const struct cli *cli);
void session_cmd__free_pids(struct session *s);

#endif
