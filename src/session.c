// SPDX-License-Identifier: MIT
/* The profiling session (see session.h): preflight checks, wiring, stop, loss report. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "commands.h"
#include "session.h"

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
	signal(SIGPIPE, SIG_IGN);
}

int parse_ulong(const char *opt, const char *arg, unsigned long min, unsigned long max,
		unsigned long *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || v < min || v > max) {
		fprintf(stderr, "flametui: %s expects a whole number from %lu to %lu, not '%s'\n", opt,
			min, max, arg);
		return -1;
	}
	*ret = v;
	return 0;
}

int parse_pids(const char *arg, uint32_t **pids, size_t *npids)
{
	const char *p = arg;

	while (*p) {
		char num[16];
		size_t len;
		unsigned long v;
		uint32_t *np;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ,\t");
		if (len >= sizeof(num)) {
			fprintf(stderr, "flametui: --pid expects process ids, not '%.*s'\n", (int)len, p);
			return -1;
		}
		memcpy(num, p, len);
		num[len] = '\0';
		p += len;
		if (parse_ulong("--pid", num, 1, 4194304, &v))
			return -1;
		if (kill((pid_t)v, 0) && errno == ESRCH) {
			fprintf(stderr, "flametui: --pid %lu: no such process (check it with ps)\n", v);
			return -1;
		}
		np = realloc(*pids, (*npids + 1) * sizeof(*np));
		if (!np) {
			fprintf(stderr, "flametui: out of memory\n");
			return -1;
		}
		*pids = np;
		(*pids)[(*npids)++] = (uint32_t)v;
	}
	if (!*npids) {
		fprintf(stderr, "flametui: --pid expects process ids such as \"123 456\", not '%s'\n",
			arg);
		return -1;
	}
	return 0;
}

int parse_group(const char *arg, enum collector_group *ret)
{
	if (!strcmp(arg, "comm"))
		*ret = GROUP_COMM;
	else if (!strcmp(arg, "pid"))
		*ret = GROUP_PID;
	else if (!strcmp(arg, "thread"))
		*ret = GROUP_THREAD;
	else {
		fprintf(stderr, "flametui: --group expects comm, pid or thread, not '%s'\n", arg);
		return -1;
	}
	return 0;
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

static unsigned long max_sample_rate(void)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/perf_event_max_sample_rate", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoul(buf, NULL, 10);
}

int session__start(struct session *s, const struct session_opts *o)
{
	struct sampler_opts so = {
		.hz = o->hz,
		.enable_idle = o->enable_idle,
		.pids = o->pids,
		.npids = o->npids,
		.track_procs = true,
		.on_sample = collector__on_sample,
		.on_proc = collector__on_proc,
	};
	const char *missing = missing_caps(), *step;
	unsigned long maxrate = max_sample_rate();
	struct stat st;
	int err;

	memset(s, 0, sizeof(*s));
	s->hz = o->hz;
	s->verbose = o->verbose;
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
	if (maxrate && o->hz > maxrate) {
		fprintf(stderr,
			"flametui: --hz %u is above the kernel's limit of %lu "
			"(sysctl kernel.perf_event_max_sample_rate): use a lower rate\n",
			o->hz, maxrate);
		return EXIT_USAGE;
	}
	s->trie = trie__new();
	s->sym = symbolizer__new(NULL);
	s->col = s->trie && s->sym ? collector__new(s->trie, s->sym) : NULL;
	if (!s->col) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	collector__set_group(s->col, o->group);
	so.ctx = s->col;
	err = sampler__open(&so, &s->smp, &step);
	if (err) {
		const char *hint = "run with --verbose for libbpf's messages";

		if (err == -EPERM || err == -EACCES)
			hint = "run it as root (sudo), and check kernel.perf_event_paranoid and lockdown";
		else if (err == -ENOENT && strstr(step, "perf event"))
			hint = "this kernel lacks the cpu-clock software event";
		else if (err == -EINVAL && strstr(step, "load"))
			hint = "this kernel may lack BPF ringbuf (5.8+) or BTF tracepoints";
		fprintf(stderr, "flametui: cannot %s: %s (%s)\n", step, strerror(-err), hint);
		if (o->verbose && *sampler__libbpf_log())
			fputs(sampler__libbpf_log(), stderr);
		return err == -EPERM || err == -EACCES ? EXIT_NOPERM : EXIT_FAIL;
	}
	return EXIT_OK;
}

void session__stop(struct session *s)
{
	struct sampler_counters c;
	uint64_t lost;

	if (!s->smp)
		return;
	sampler__stop(s->smp);
	sampler__counters(s->smp, &c);
	lost = c.v[FT_CNT_RINGBUF_FULL] +
	       (c.v[FT_CNT_EMITTED] > c.received ? c.v[FT_CNT_EMITTED] - c.received : 0);
	if (s->verbose) {
		fprintf(stderr,
			"flametui: samples: %" PRIu64 " seen, %" PRIu64 " kept, %" PRIu64
			" idle dropped, %" PRIu64 " filtered out, %" PRIu64 " lost (ringbuf full)\n",
			c.v[FT_CNT_SEEN], c.received, c.v[FT_CNT_IDLE], c.v[FT_CNT_FILTERED],
			c.v[FT_CNT_RINGBUF_FULL]);
		fprintf(stderr,
			"flametui: stack capture failures: %" PRIu64 " kernel, %" PRIu64
			" user; process events lost: %" PRIu64 "\n",
			c.v[FT_CNT_KSTACK_ERR], c.v[FT_CNT_USTACK_ERR], c.v[FT_CNT_EVENT_LOST]);
	}
	if (lost)
		fprintf(stderr,
			"flametui: lost %" PRIu64 " of %" PRIu64
			" samples (ringbuf full: userspace fell behind): lower --hz or filter with "
			"--pid\n",
			lost, lost + c.received);
	else if (!s->verbose && (c.v[FT_CNT_KSTACK_ERR] || c.v[FT_CNT_USTACK_ERR]))
		fprintf(stderr,
			"flametui: %" PRIu64 " kernel and %" PRIu64
			" user stacks could not be captured (their samples are kept)\n",
			c.v[FT_CNT_KSTACK_ERR], c.v[FT_CNT_USTACK_ERR]);
}

void session__drops_text(struct session *s, char *buf, size_t len)
{
	struct sampler_counters c;

	if (!s->smp) {
		snprintf(buf, len, "lost 0");
		return;
	}
	sampler__counters(s->smp, &c);
	snprintf(buf, len, "lost %" PRIu64 ", stack errors %" PRIu64 ", filtered %" PRIu64,
		 c.v[FT_CNT_RINGBUF_FULL], c.v[FT_CNT_KSTACK_ERR] + c.v[FT_CNT_USTACK_ERR],
		 c.v[FT_CNT_FILTERED]);
}

void session__end(struct session *s)
{
	s->smp = sampler__free(s->smp);
	s->col = collector__free(s->col);
	s->sym = symbolizer__free(s->sym);
	s->trie = trie__free(s->trie);
}
