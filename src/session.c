// SPDX-License-Identifier: MIT
/* The profiling session (see session.h): preflight checks, wiring, stop, loss report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "addrlines.h"
#include "cli.h"
#include "commands.h"
#include "formats.h"
#include "frameaddrs.h"
#include "heldcmd.h"
#include "jvm.h"
#include "jitmaps.h"
#include "loader.h"
#include "pyrt.h"
#include "mapwatch.h"
#include "outfile.h"
#include "procstat.h"
#include "recording.h"
#include "session.h"
#include "session_cmd.h"
#include "session_rt.h"
#include "tui.h"

/* Room in the BPF pid filter for the processes the --pid ones start. */
#define SESSION_EXTRA_PIDS 4096u

volatile sig_atomic_t session_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	session_stop = 1;
}

void session__signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	/* No SA_RESTART: poll() must return so the loop sees the flag at once. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* SIGPIPE: ignored by main() for every command */
}

/* Which of CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN instead of both) are missing. */
static const char *missing_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };
	uint64_t eff;

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() ? "root" : NULL;
	eff = data[0].effective | ((uint64_t)data[1].effective << 32);
#define HAS(c) (eff & (1ull << (c)))
	if (HAS(CAP_SYS_ADMIN))
		return NULL;
	if (!HAS(CAP_BPF) && !HAS(CAP_PERFMON))
		return "CAP_BPF and CAP_PERFMON";
	if (!HAS(CAP_BPF))
		return "CAP_BPF";
	if (!HAS(CAP_PERFMON))
		return "CAP_PERFMON";
#undef HAS
	return NULL;
}

/* Whether the effective set holds capability c. */
static bool has_cap(int c)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return c < 32 ? data[0].effective & (1u << c) : data[1].effective & (1u << (c - 32));
}

/*
 * With CAP_BPF + CAP_PERFMON but not root, profiling works and naming does not, silently:
 * kallsyms reads as zeros under kptr_restrict (every kernel frame [unknown]) and other users'
 * /proc/PID/maps and map_files are closed (their frames unnamed). Say so once, at start.
 */
static void limited_warning(struct session *s)
{
	if (!symbolizer__kernel_names(s->sym))
		fprintf(stderr, "flametui: kernel frames will be [unknown]: /proc/kallsyms hides its "
				"addresses from this user: run as root, add CAP_SYSLOG, or set sysctl "
				"kernel.kptr_restrict=0 and kernel.perf_event_paranoid=1\n");
	if (geteuid() && !has_cap(CAP_SYS_PTRACE))
		fprintf(stderr, "flametui: other users' processes will show unnamed frames: reading "
				"their /proc/PID/maps needs CAP_SYS_PTRACE: run as root or add "
				"CAP_SYS_PTRACE\n");
}

static unsigned long max_sample_rate(void)
{
	char buf[32];

	if (procstat__read("/proc/sys/kernel/perf_event_max_sample_rate", buf, sizeof(buf)) < 0)
		return 0;
	return strtoul(buf, NULL, 10);
}

static int apply_mmap(void *ctx, const struct mmap_event *e)
{
	struct session *s = ctx;

	if (s->uw)
		unwind_loader__changed(s->uw, e->pid);
	if (e->type == MMAP_EVENT_EXEC) {
		symbolizer__pid_exec(s->sym, e->pid);
		return 0;
	}
	return symbolizer__add_mapping(s->sym, e->pid, &e->map) == -ENOMEM ? -ENOMEM : 0;
}

static int on_sample(void *ctx, const struct ft_sample *rec)
{
	struct session *s = ctx;

	/* every mapping made before this sample was taken first */
	if (s->mm) {
		int err = mapwatch__drain(s->mm, rec->hdr.ts, apply_mmap, s);

		if (err)
			return err;
	}
	/* tables for this process from now on (its first samples used frame pointers) */
	if (s->uw && unwind_loader__see(s->uw, rec->hdr.tgid) == -ENOMEM)
		return -ENOMEM;
	/* a CPython process's walker from its next sample on */
	if (s->py && pyrt__see(s->py, rec->hdr.tgid) == -ENOMEM)
		return -ENOMEM;
	return collector__on_sample(s->col, rec);
}

static bool comm_matches(const struct session *s, const char *comm, size_t len)
{
	char buf[FT_COMM_LEN + 1];

	if (len > FT_COMM_LEN)
		len = FT_COMM_LEN;
	memcpy(buf, comm, len);
	buf[len] = '\0';
	return !regexec(&s->cli->comm, buf, 0, NULL, 0);
}

static int on_proc(void *ctx, const struct ft_proc_event *e)
{
	struct session *s = ctx;

	/* --comm: a process that becomes a matching program joins the filter (its children
	 * follow in the kernel); one that execs into something else leaves it. */
	if (s->cli->comm_src && e->hdr.type == FT_REC_EXEC) {
		if (comm_matches(s, e->hdr.comm, strnlen(e->hdr.comm, FT_COMM_LEN))) {
			if (!sampler__add_pid(s->smp, e->hdr.tgid))
				s->comm_matched++;
		} else {
			sampler__remove_pid(s->smp, e->hdr.tgid);
		}
	}
	if (s->py && (e->hdr.type == FT_REC_EXIT || e->hdr.type == FT_REC_EXEC))
		pyrt__forget(s->py, e->hdr.tgid);
	if (s->uw && e->hdr.type == FT_REC_EXIT)
		unwind_loader__exit(s->uw, e->hdr.tgid);
	else if (s->uw && e->hdr.type == FT_REC_EXEC)
		unwind_loader__exec(s->uw, e->hdr.tgid);
	if (s->mm) {
		int err = mapwatch__drain(s->mm, e->hdr.ts, apply_mmap, s);

		if (err)
			return err;
		/* the tracker saw the exec itself, in order with the new program's mappings */
		if (e->hdr.type == FT_REC_EXEC)
			return 0;
	}
	return collector__on_proc(s->col, e);
}

static void tap(void *ctx, const struct ft_hdr *h, const struct trie *t, const uint32_t *ids,
		size_t n)
{
	struct session *s = ctx;

	if (s->rec && !s->rec_err)
		s->rec_err = rec_writer__sample(s->rec, h->ts, h->cpu, h->tgid, h->tid, h->comm,
						strnlen(h->comm, FT_COMM_LEN), t, ids, n);
	if (s->tap)
		s->tap(s->tap_ctx, h, t, ids, n);
}

void session__set_tap(struct session *s, collector_tap_fn fn, void *ctx)
{
	s->tap = fn;
	s->tap_ctx = ctx;
	collector__set_tap(s->col, tap, s);
}

/* -o FILE: created (as the sudo user) before anything is loaded, so a bad path fails fast. */
static int open_recording(struct session *s, const struct cli *cli)
{
	struct timespec rt, mono;
	char num[64];
	int fd = outfile__create(cli->out_path);

	if (fd < 0) {
		fprintf(stderr, "flametui: cannot create the recording %s: %s: choose a path you can "
				"write to\n", cli->out_path, strerror(-fd));
		return EXIT_FAIL;
	}
	s->rec = rec_writer__new(fd);
	if (!s->rec) {
		close(fd);
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	rec_writer__info(s->rec, "cmdline", cli->cmdline);
	snprintf(num, sizeof(num), "%u", cli->hz);
	rec_writer__info(s->rec, "hz", num);
	/* the samples' clock is CLOCK_MONOTONIC: these two pin it to wall time */
	snprintf(num, sizeof(num), "%lld", (long long)rt.tv_sec * 1000000000 + rt.tv_nsec);
	rec_writer__info(s->rec, "start_realtime_ns", num);
	snprintf(num, sizeof(num), "%lld", (long long)mono.tv_sec * 1000000000 + mono.tv_nsec);
	rec_writer__info(s->rec, "start_monotonic_ns", num);
	return EXIT_OK;
}

/* --comm: the processes already running whose name matches. */
static void scan_comms(struct session *s)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], comm[FT_COMM_LEN + 2];
		unsigned long pid;
		char *end;
		ssize_t n;
		int fd;

		pid = strtoul(de->d_name, &end, 10);
		if (*end || !pid || pid == (unsigned long)getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%lu/comm", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n <= 0)
			continue;
		if (comm[n - 1] == '\n')
			n--;
		if (comm_matches(s, comm, (size_t)n) && !sampler__add_pid(s->smp, (uint32_t)pid))
			s->comm_matched++;
	}
	closedir(d);
}

int session__start(struct session *s, const struct cli *cli)
{
	struct sampler_opts so = {
		.hz = cli->hz,
		.enable_idle = cli->enable_idle,
		.pids = cli->pids,
		.npids = cli->npids,
		.filter = cli->comm_src || cli->cmd,
		.follow_forks = cli->comm_src || cli->cmd,
		.all_execs = cli->comm_src != NULL,
		.track_procs = true,
		.all_exits = true,
		.ringbuf_bytes = cli->ringbuf_kb * 1024,
		.unwind = (unsigned int)cli->unwind,
		/* room for every --pid and as many processes again as the default */
		.max_pids = cli->npids + SESSION_EXTRA_PIDS,
		.on_sample = on_sample,
		.on_proc = on_proc,
	};
	const char *missing = missing_caps(), *step;
	unsigned long maxrate = max_sample_rate();
	struct heldcmd held = { .gate = -1, .report = -1 };
	uint32_t child_pid;
	int err;
	struct stat st;

	memset(s, 0, sizeof(*s));
	s->cli = cli;
	if (missing) {
		fprintf(stderr,
			"flametui: profiling needs root or CAP_BPF+CAP_PERFMON (missing %s): run it "
			"with sudo\n",
			missing);
		return EXIT_NOPERM;
	}
	if (stat("/sys/kernel/btf/vmlinux", &st)) {
		fprintf(stderr, "flametui: this kernel has no BTF (/sys/kernel/btf/vmlinux): flametui "
				"needs a kernel built with CONFIG_DEBUG_INFO_BTF=y\n");
		return EXIT_NOKERNEL;
	}
	if (maxrate && cli->hz > maxrate) {
		fprintf(stderr,
			"flametui: --hz %u is above the kernel's limit of %lu "
			"(sysctl kernel.perf_event_max_sample_rate): use a lower rate\n",
			cli->hz, maxrate);
		return EXIT_USAGE;
	}
	s->trie = trie__new();
	s->sym = symbolizer__new(&(struct symbolizer_opts){ .per_address = cli->per_address });
	s->col = s->trie && s->sym ? collector__new(s->trie, s->sym) : NULL;
	/* kallsyms before sampling starts: read at the first kernel frame, it held up the
	 * reader (and the end of --ms) for seconds while the machine was busy being sampled.
	 * On a thread while the BPF programs load and verify, waited for after. */
	if (s->col)
		symbolizer__load_kernel_async(s->sym);
	if (!s->col) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	if (cli->jit_maps && session_rt__start_jvm(s))
		return EXIT_FAIL;
	if (cli->out_path && open_recording(s, cli))
		return EXIT_FAIL;
	if (s->rec)
		collector__set_tap(s->col, tap, s);
	so.ctx = s;
	/* Before the sampler, so no mapping made after the first sample is missed. Without it,
	 * names come from /proc/PID/maps alone (short-lived processes may lose theirs). */
	s->mm = mapwatch__open();
	/* New mappings arrive as records: a miss is then almost always a bad frame (code without
	 * frame pointers), and re-reading a big process's maps ten times a second for those was
	 * most of flametui's CPU while it profiled python. Once a second still covers records
	 * the kernel dropped, and children forked with their parent's mappings (no records). */
	if (s->mm)
		symbolizer__set_maps_reread(s->sym, 1000000000ull);
	if (!s->mm && cli->verbose)
		fprintf(stderr, "flametui: no mmap records (%s): short-lived processes may show "
				"[unknown] frames\n",
			strerror(errno));
	if (cli->cmd) {
		err = session_cmd__start(s, cli, &held);
		if (err)
			return err;
		s->child = held.pid;
		child_pid = (uint32_t)s->child;
		so.pids = &child_pid;
		so.npids = 1;
	}
	session_rt__sampler_opts(cli, &so);
	s->sampler_opts = so;
	err = sampler__open(&so, &s->smp, &step);
	if (err) {
		const char *hint = cli->verbose ? "libbpf's messages follow"
						: "run with --verbose for libbpf's messages";

		if (held.pid) {
			heldcmd__abandon(&held); /* it exits without running the command */
			s->child = 0;
		}
		if (err == -EPERM || err == -EACCES)
			hint = "run it as root (sudo), and check kernel.perf_event_paranoid and lockdown";
		else if (err == -ENOENT && strstr(step, "perf event"))
			hint = "this kernel lacks the cpu-clock software event";
		else if (err == -E2BIG && strstr(step, "pid filter"))
			hint = "the BPF pid filter is full";
		else if (err == -EINVAL && strstr(step, "load"))
			hint = "this kernel may lack BPF ringbuf (5.8+) or BTF tracepoints";
		fprintf(stderr, "flametui: cannot %s: %s (%s)\n", step, strerror(-err), hint);
		if (cli->verbose && *sampler__libbpf_log())
			fputs(sampler__libbpf_log(), stderr);
		return err == -EPERM || err == -EACCES ? EXIT_NOPERM : EXIT_FAIL;
	}
	if (symbolizer__load_kernel(s->sym)) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	limited_warning(s);
	if (cli->comm_src)
		scan_comms(s);
	if (session_cmd__watch_pids(s, cli)) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	if (held.pid) {
		err = heldcmd__release(&held);
		s->child = held.pid;
		if (err) {
			fprintf(stderr, "flametui: cannot run '%s': %s\n", formats__q(cli->cmd[0]),
				strerror(-err));
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

/* One line per perf map cut at a bound (with --verbose, its malformed lines too), and one for
 * maps files cut at theirs. */
static void report_symbolizer(const struct session *s)
{
	static const char *const why[] = {
		[PERFMAP_CUT_ENTRIES] = "4M entries in one file",
		[PERFMAP_CUT_BYTES] = "1 GiB read from one file",
		[PERFMAP_CUT_GLOBAL] = "all perf maps together hold at most 4M entries and 256 MiB "
				       "of names",
	};
	struct jitmap_note notes[8];
	struct symbolizer_stats st;
	size_t n = symbolizer__perfmap_notes(s->sym, notes, 8), shown = 0;

	for (size_t i = 0; i < n && i < 8; i++) {
		const struct jitmap_note *o = &notes[i];

		if (o->cut) {
			fprintf(stderr,
				"flametui: perf map %s (pid %u) cut at %.1f MiB (%s): JIT code named "
				"after that shows as [unknown]\n",
				formats__q(o->path), o->pid, (double)o->cut_at / (1 << 20),
				why[o->cut]);
			shown++;
		}
		if (o->bad_lines && s->cli->verbose) {
			char text[PERFMAP_BAD_TEXT * 4 + 8];

			formats__escape(text, sizeof(text), o->bad_text, o->bad_len, PERFMAP_BAD_TEXT);
			fprintf(stderr,
				"flametui: perf map %s: %zu malformed lines skipped; the first, line "
				"%" PRIu64 ": \"%s\"\n",
				formats__q(o->path), o->bad_lines, o->first_bad, text);
		}
	}
	if (n > 8 && (shown || s->cli->verbose))
		fprintf(stderr, "flametui: and %zu more perf maps cut or with malformed lines\n",
			n - 8);
	session_rt__report_jvm(s);
	symbolizer__stats(s->sym, &st);
	if (st.perfmaps_refused)
		fprintf(stderr,
			"flametui: the perf maps of %" PRIu64 " processes were refused (not a regular "
			"file of the process's user or root, not readable by the process, on FUSE, or "
			"the open stalled): their JIT code shows as [unknown]\n",
			st.perfmaps_refused);
	if (st.maps_truncated)
		fprintf(stderr,
			"flametui: %" PRIu64 " reads of /proc/PID/maps stopped at 64 MiB: code mapped "
			"past that shows as [unknown]\n",
			st.maps_truncated);
	if (s->cli->verbose)
		fprintf(stderr,
			"flametui: perf maps: %zu files, %" PRIu64 " reused by another process\n",
			st.perfmaps, st.perfmaps_shared);
}

/* The drop counters go into the recording's last block; then it is closed and synced. */
static int close_recording(struct session *s, const struct sampler_counters *c, uint64_t lost)
{
	static const char *const names[FT_CNT_MAX] = {
		[FT_CNT_SEEN] = "seen",		    [FT_CNT_EMITTED] = "emitted",
		[FT_CNT_IDLE] = "idle",		    [FT_CNT_FILTERED] = "filtered",
		[FT_CNT_RINGBUF_FULL] = "ringbuf_full", [FT_CNT_KSTACK_ERR] = "kstack_errors",
		[FT_CNT_USTACK_ERR] = "ustack_errors", [FT_CNT_EVENT_LOST] = "events_lost",
		[FT_CNT_FILTER_FULL] = "filter_full",
	};
	int err;

	if (!s->rec)
		return EXIT_OK;
	for (int i = 0; c && i < FT_CNT_MAX && !s->rec_err; i++)
		if (names[i])
			s->rec_err = rec_writer__counter(s->rec, names[i], c->v[i]);
	if (c && !s->rec_err)
		s->rec_err = rec_writer__counter(s->rec, "lost", lost);
	/* where in their binaries frames were, for L on replay (same machine, same binaries) */
	if (!s->rec_err && s->col)
		s->rec_err = rec_writer__frame_addrs(s->rec, collector__addrs(s->col),
						     addrlines__ident, session__lines(s));
	if (!s->rec_err)
		s->rec_err = rec_writer__flush(s->rec); /* so the size below is the file's */
	s->rec_bytes = rec_writer__bytes(s->rec);
	s->rec_samples = rec_writer__samples(s->rec);
	err = rec_writer__close(s->rec);
	s->rec = NULL;
	if (!s->rec_err)
		s->rec_err = err;
	if (s->rec_err) {
		fprintf(stderr, "flametui: writing the recording %s failed: %s: what was written "
				"before is readable (flametui file %s)\n", formats__q(s->cli->out_path),
			strerror(-s->rec_err), formats__q(s->cli->out_path));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int session__stop(struct session *s)
{
	struct sampler_counters c;
	uint64_t lost;

	if (!s->smp)
		return close_recording(s, NULL, 0);
	sampler__stop(s->smp);
	sampler__counters(s->smp, &c);
	lost = c.v[FT_CNT_RINGBUF_FULL] +
	       (c.v[FT_CNT_EMITTED] > c.received ? c.v[FT_CNT_EMITTED] - c.received : 0);
	if (s->cli->verbose) {
		fprintf(stderr,
			"flametui: samples: %" PRIu64 " seen, %" PRIu64 " kept, %" PRIu64
			" idle dropped, %" PRIu64 " filtered out, %" PRIu64 " lost (ringbuf full)\n",
			c.v[FT_CNT_SEEN], c.received, c.v[FT_CNT_IDLE], c.v[FT_CNT_FILTERED],
			c.v[FT_CNT_RINGBUF_FULL]);
		fprintf(stderr,
			"flametui: stack capture failures: %" PRIu64 " kernel, %" PRIu64
			" user; process events lost: %" PRIu64 "; pid filter full: %" PRIu64
			"; mmap records lost: %" PRIu64 "\n",
			c.v[FT_CNT_KSTACK_ERR], c.v[FT_CNT_USTACK_ERR], c.v[FT_CNT_EVENT_LOST],
			c.v[FT_CNT_FILTER_FULL], mapwatch__lost(s->mm));
	}
	if (s->uw)
		session_rt__report_unwind(s, &c);
	if (s->py)
		session_rt__report_python(s, &c);
	if (c.v[FT_CNT_FILTER_FULL])
		fprintf(stderr,
			"flametui: %" PRIu64 " new processes did not fit the pid filter: they were "
			"not profiled\n",
			c.v[FT_CNT_FILTER_FULL]);
	if (lost)
		fprintf(stderr,
			"flametui: lost %" PRIu64 " of %" PRIu64
			" samples (ringbuf full: userspace fell behind): lower --hz or filter with "
			"--pid\n",
			lost, lost + c.received);
	else if (!s->cli->verbose && (c.v[FT_CNT_KSTACK_ERR] || c.v[FT_CNT_USTACK_ERR]))
		fprintf(stderr,
			"flametui: %" PRIu64 " kernel and %" PRIu64
			" user stacks could not be captured (their samples are kept)\n",
			c.v[FT_CNT_KSTACK_ERR], c.v[FT_CNT_USTACK_ERR]);
	report_symbolizer(s);
	return close_recording(s, &c, lost);
}

bool session__empty_reason(struct session *s, char *buf, size_t len)
{
	struct sampler_counters c;
	const struct cli *cli = s->cli;
	uint64_t idle, filtered;

	if (!s->smp)
		return false;
	sampler__counters(s->smp, &c);
	if (c.received)
		return false;
	idle = c.v[FT_CNT_IDLE];
	filtered = c.v[FT_CNT_FILTERED];
	if (cli->comm_src && !s->comm_matched)
		snprintf(buf, len, "no process matched --comm '%s'", cli->comm_src);
	else if (cli->cmd)
		snprintf(buf, len, "the command did not run on a CPU (%" PRIu64
			 " samples of other processes filtered out)", filtered);
	else if (cli->npids || cli->comm_src)
		snprintf(buf, len, "the process%s did not run on a CPU (%" PRIu64
			 " samples of other processes filtered out)",
			 cli->npids > 1 || cli->comm_src ? "es" : "", filtered);
	else if (idle && !cli->enable_idle)
		snprintf(buf, len, "%" PRIu64 " idle samples dropped: --enable-idle keeps them", idle);
	else
		snprintf(buf, len, "no sample was taken (%" PRIu64 " lost)",
			 c.v[FT_CNT_RINGBUF_FULL]);
	return true;
}

void session__drops_text(struct session *s, char *buf, size_t len)
{
	struct sampler_counters c;
	uint64_t errs;
	size_t n;

	if (!s->smp) {
		snprintf(buf, len, "lost 0");
		return;
	}
	sampler__counters(s->smp, &c);
	errs = c.v[FT_CNT_KSTACK_ERR] + c.v[FT_CNT_USTACK_ERR];
	n = (size_t)snprintf(buf, len, "lost %" PRIu64, c.v[FT_CNT_RINGBUF_FULL]);
	if (errs && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", stack errors %" PRIu64, errs);
	if (!s->uw || n >= len)
		return;
	/* samples whose user stack used frame pointers because its tables were not ready yet
	 * (the walker still verifying, the process or a binary not loaded yet): shallow ones */
	if (c.v[FT_CNT_UNWIND_NOT_READY])
		n += (size_t)snprintf(buf + n, len - n, ", %" PRIu64 " before tables",
				      c.v[FT_CNT_UNWIND_NOT_READY]);
	if (c.v[FT_CNT_UNWIND_SHED] && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", %" PRIu64 " over unwind budget",
				      c.v[FT_CNT_UNWIND_SHED]);
	if (n < len) {
		struct unwind_loader_stats st;

		unwind_loader__stats(s->uw, &st);
		if (st.tables_full || st.procs_full)
			snprintf(buf + n, len - n, ", unwind tables full (--unwind-mem)");
	}
}

void session__detach(struct session *s)
{
	if (s->sym) {
		symbolizer__set_func_lookup(s->sym, NULL, NULL);
		symbolizer__set_jit_request(s->sym, NULL, NULL);
	}
	s->jvm = jvm__free(s->jvm);
	s->uw = unwind_loader__free(s->uw); /* its map fds belong to the sampler */
	if (s->col)
		collector__set_python(s->col, NULL);
	s->py = pyrt__free(s->py);
	if (s->rec)
		close_recording(s, NULL, 0);
	s->smp = sampler__free(s->smp);
	s->mm = mapwatch__free(s->mm);
	if (s->col && !s->addrs)
		s->addrs = collector__take_addrs(s->col);
	if (s->col && !s->paths)
		s->paths = collector__take_paths(s->col);
	s->col = collector__free(s->col);
	s->sym = symbolizer__free(s->sym);
}

void session__end(struct session *s)
{
	session_cmd__end(s);
	session_cmd__free_pids(s);
	session__detach(s);
	s->trie = trie__free(s->trie);
	s->addrs = frameaddrs__free(s->addrs);
	s->paths = frameaddrs__free(s->paths);
	s->lines = addrlines__free(s->lines);
}
