// SPDX-License-Identifier: MIT
/*
 * pyrt: CPython processes found, configured in the kernel, and their frames named (see
 * pyrt.h). Processes live in an open-addressing table by pid; code objects in a direct-mapped
 * cache by (pid, address), each entry checked against the first line the kernel read so that
 * an address reused by another code object is read again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <gelf.h>

#include "clock.h"
#include "elffile.h"
#include "procfile.h"
#include "procstat.h"
#include "procmaps.h"
#include "pycode.h"
#include "pyrt.h"

#define PROCS_CAP	  8192 /* power of two; a full table forgets every non-Python entry */
#define CODE_CAP	  4096 /* code objects cached (power of two) */
#define QUALNAME_MAX	  256
#define FILE_MAX	  512
#define LINETABLE_MAX	  (64u << 10)
#define LINETABLES_BUDGET (32u << 20)  /* all cached line tables together */
#define MAPS_MAX	  (16u << 20)  /* bytes of /proc/PID/maps read */
#define RANGES_MAX	  65536	       /* readable ranges kept per process */
#define RETRY_NS	  200000000ull /* an interpreter not initialised yet is looked at again */
#define RETRIES		  25
#define MAPS_REREAD_NS	  1000000000ull

enum proc_state { P_EMPTY = 0, P_TOMB, P_NATIVE, P_PYTHON, P_RETRY };

struct range {
	uint64_t start, end;
};

struct proc {
	uint32_t pid;
	uint8_t state;
	uint8_t tries;
	uint64_t gen;
	uint64_t retry_ns;
	const struct py_offsets *off;
	uint64_t dev, ino;    /* the interpreter's file: readable (we checked it is not FUSE) */
	struct range *ranges; /* owned: sorted readable memory */
	size_t nranges;
	uint64_t ranges_ns;
};

struct code_entry {
	uint32_t pid;
	int32_t first;
	uint64_t gen; /* the process's; 0 = empty */
	uint64_t addr;
	uint32_t ncodeunits;
	uint32_t ltlen;
	uint64_t failed_ns; /* nonzero: unreadable when last tried (tried again a second later) */
	uint8_t *lt;	    /* owned */
	char qual[QUALNAME_MAX * 4 + 1];
	char file[FILE_MAX * 4 + 1];
};

struct pyrt {
	struct pyrt_opts opts;
	struct proc *procs; /* PROCS_CAP */
	size_t used;	    /* non-empty slots, tombstones included */
	uint64_t next_gen;
	struct code_entry *code; /* CODE_CAP */
	size_t lt_bytes;	 /* line table bytes cached, at most LINETABLES_BUDGET */
	bool code_used;		 /* some entry was filled (else pyrt__free need not visit 2 MiB) */
	struct pyrt_stats st;
};

struct pyrt *pyrt__new(const struct pyrt_opts *opts)
{
	struct pyrt *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->opts = *opts;
	if (!r->opts.proc_root)
		r->opts.proc_root = "/proc";
	r->procs = calloc(PROCS_CAP, sizeof(*r->procs));
	r->code = calloc(CODE_CAP, sizeof(*r->code));
	if (!r->procs || !r->code)
		return pyrt__free(r);
	r->next_gen = 1;
	return r;
}

static void proc_clear(struct proc *p)
{
	free(p->ranges);
	memset(p, 0, sizeof(*p));
}

struct pyrt *pyrt__free(struct pyrt *r)
{
	if (!r)
		return NULL;
	/* visiting untouched calloc'd pages would fault each in: 15% of a short run's faults */
	if (r->procs && r->used)
		for (size_t i = 0; i < PROCS_CAP; i++)
			free(r->procs[i].ranges);
	if (r->code && r->code_used)
		for (size_t i = 0; i < CODE_CAP; i++)
			free(r->code[i].lt);
	free(r->procs);
	free(r->code);
	free(r);
	return NULL;
}

static size_t pid_slot(uint32_t pid)
{
	return (pid * 0x9e3779b1u) >> (32 - 13);
}

_Static_assert(PROCS_CAP == 1 << 13, "pid_slot takes the hash's top 13 bits");

static struct proc *proc_find(struct pyrt *r, uint32_t pid)
{
	for (size_t i = pid_slot(pid), n = 0; n < PROCS_CAP; i = (i + 1) % PROCS_CAP, n++) {
		struct proc *p = &r->procs[i];

		if (p->state == P_EMPTY)
			return NULL;
		if (p->state != P_TOMB && p->pid == pid)
			return p;
	}
	return NULL;
}

/* A full table keeps only the Python processes (the others are cheap to look at again). */
static void procs_compact(struct pyrt *r)
{
	struct proc *old = r->procs;

	r->procs = calloc(PROCS_CAP, sizeof(*r->procs));
	if (!r->procs) {
		r->procs = old;
		return;
	}
	r->used = 0;
	for (size_t i = 0; i < PROCS_CAP; i++) {
		struct proc *p = &old[i];

		if (p->state != P_PYTHON && p->state != P_RETRY) {
			free(p->ranges);
			continue;
		}
		for (size_t j = pid_slot(p->pid);; j = (j + 1) % PROCS_CAP) {
			if (r->procs[j].state == P_EMPTY) {
				r->procs[j] = *p;
				r->used++;
				break;
			}
		}
	}
	free(old);
}

static struct proc *proc_add(struct pyrt *r, uint32_t pid)
{
	if (r->used >= PROCS_CAP / 4 * 3)
		procs_compact(r);
	if (r->used >= PROCS_CAP / 4 * 3)
		return NULL; /* that many Python processes: the rest get native frames */
	for (size_t i = pid_slot(pid);; i = (i + 1) % PROCS_CAP) {
		struct proc *p = &r->procs[i];

		if (p->state == P_EMPTY || p->state == P_TOMB) {
			if (p->state == P_EMPTY)
				r->used++;
			memset(p, 0, sizeof(*p));
			p->pid = pid;
			p->gen = r->next_gen++;
			return p;
		}
	}
}

/* Reads len bytes of pid's memory at addr: 0, or -EFAULT for a short or failed read. */
static int read_mem(uint32_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_readv((pid_t)pid, &local, 1, &remote, 1, 0);

	return n == (ssize_t)len ? 0 : -EFAULT;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/*
 * The memory of pid we may read: anonymous mappings (the heap, pymalloc's arenas) and the
 * interpreter's own file (its static objects). A read of a page that a file server (FUSE) or
 * anything else outside the kernel must supply could wait forever; those are never read.
 */
static int load_ranges(struct pyrt *r, struct proc *p)
{
	char path[64], *buf = NULL, *line, *save = NULL;
	size_t len = 0, cap = 0, n = 0;
	struct range *rs = NULL;
	int fd;

	p->ranges_ns = clock__now_ns();
	snprintf(path, sizeof(path), "%s/%u/maps", r->opts.proc_root, p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t k;

		if (len + 4096 + 1 > cap) {
			char *nb;

			if (cap >= MAPS_MAX)
				break;
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
		}
		k = read(fd, buf + len, cap - len - 1);
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	if (!buf)
		return -ENOENT;
	buf[len] = '\0';
	rs = malloc(RANGES_MAX * sizeof(*rs));
	if (!rs) {
		free(buf);
		return -ENOMEM;
	}
	for (line = strtok_r(buf, "\n", &save); line && n < RANGES_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, end, off, ino;
		unsigned int maj, min;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu", &start, &end, perms, &off, &maj,
			   &min, &ino) != 7 ||
		    perms[0] != 'r' || end <= start)
			continue;
		if (ino && !(ino == p->ino && makedev(maj, min) == p->dev))
			continue;
		rs[n++] = (struct range){start, end};
	}
	free(buf);
	if (n) {
		struct range *fit = realloc(rs, n * sizeof(*rs)); /* keep only what is used */

		if (fit)
			rs = fit;
	}
	qsort(rs, n, sizeof(*rs), cmp_range);
	free(p->ranges);
	p->ranges = rs;
	p->nranges = n;
	return 0;
}

static bool in_ranges(const struct proc *p, uint64_t addr, size_t len)
{
	size_t lo = 0, hi = p->nranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->ranges[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= p->nranges || p->ranges[lo].start > addr)
		return false;
	/* a read may span adjacent mappings (an arena right after another) */
	while (p->ranges[lo].end < addr + len) {
		if (lo + 1 >= p->nranges || p->ranges[lo + 1].start != p->ranges[lo].end)
			return false;
		lo++;
	}
	return true;
}

/* A read of memory we may touch (see load_ranges); the mappings are read again, at most once
 * a second, when an address is in none of them. */
static int read_safe(struct pyrt *r, struct proc *p, uint64_t addr, void *buf, size_t len)
{
	if (addr + len < addr)
		return -EFAULT;
	if (!in_ranges(p, addr, len)) {
		if (clock__now_ns() - p->ranges_ns < MAPS_REREAD_NS || load_ranges(r, p) ||
		    !in_ranges(p, addr, len))
			return -EFAULT;
	}
	return read_mem(p->pid, addr, buf, len);
}

static bool is_python_path(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strncmp(base, "python3", 7) || !strncmp(base, "libpython3", 10);
}

/* _PyRuntime and Py_Version (vaddrs; Py_Version 0 when absent) and the load bias of the
 * mapping m of the opened ELF. */
static int find_runtime(int fd, const struct procmap *m, uint64_t *ret_rt, uint64_t *ret_ver,
			uint64_t *ret_bias)
{
	uint64_t size, rt = 0, ver = 0;
	Elf *elf = elffile__begin(fd, &size);
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t nph;
	int err = -ENOENT;

	if (!elf)
		return -errno;
	if (!gelf_getehdr(elf, &eh) || elf_getphdrnum(elf, &nph))
		goto out;
	while ((scn = elf_nextscn(elf, scn)) && !rt) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM ||
		    !elffile__section_ok(&sh, size) || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		for (size_t i = 0; i < d->d_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(d, (int)i, &s) || s.st_shndx == SHN_UNDEF)
				continue;
			name = elf_strptr(elf, sh.sh_link, s.st_name);
			if (!name)
				continue;
			if (!strcmp(name, "_PyRuntime"))
				rt = s.st_value;
			else if (!strcmp(name, "Py_Version"))
				ver = s.st_value;
		}
	}
	if (!rt)
		goto out;
	*ret_bias = 0;
	if (eh.e_type == ET_DYN) {
		err = -ENOEXEC;
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
			    m->offset < ph.p_offset || m->offset >= ph.p_offset + ph.p_filesz)
				continue;
			*ret_bias = m->start - (ph.p_vaddr + (m->offset - ph.p_offset));
			err = 0;
			break;
		}
		if (err)
			goto out;
	}
	*ret_rt = rt + *ret_bias;
	*ret_ver = ver ? ver + *ret_bias : 0;
	err = 0;
out:
	elf_end(elf);
	return err;
}

/* Is pid a process (a thread group's leader), not one of its other threads? --pid takes
 * thread ids too, and the kernel's entries are per process. */
static bool is_leader(const struct pyrt *r, uint32_t pid)
{
	unsigned long long tgid;

	return !procstat__status(r->opts.proc_root, pid, "Tgid", 10, &tgid) && tgid == pid;
}

/* The interpreter of pid, configured in the kernel: 0, -EAGAIN to look again later, or
 * another error (then its frames stay native). */
static int configure(struct pyrt *r, struct proc *p)
{
	struct procmaps *maps;
	const struct procmap *m = NULL;
	uint64_t rt = 0, verp = 0, bias = 0, ver = 0, interp = 0, ts = 0, ts_interp = 0;
	char path[PATH_MAX];
	struct ft_py_proc cfg;
	struct stat st;
	int fd, err;

	if (!is_leader(r, p->pid))
		return -ENOENT;
	maps = procmaps__load(r->opts.proc_root, p->pid);
	if (!maps)
		return -errno;
	/* the first python3* binary or libpython3* whose .dynsym has _PyRuntime (an executable
	 * linked against libpython has none of its own) */
	err = -ENOENT;
	for (size_t i = 0; i < procmaps__count(maps) && err; i++) {
		const struct procmap *pm = procmaps__get(maps, i);

		if (!pm->inode || !is_python_path(pm->path) || (m && m->inode == pm->inode))
			continue;
		m = pm;
		snprintf(path, sizeof(path), "%s/%u/map_files/%llx-%llx", r->opts.proc_root,
			 p->pid, (unsigned long long)m->start, (unsigned long long)m->end);
		fd = procfile__open(NULL, 0, path, O_RDONLY | O_NONBLOCK, PROCFILE_TIMEOUT_MS);
		err = fd < 0 ? fd : 0;
		if (!err && (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_ino != m->inode))
			err = -ESTALE;
		if (!err)
			err = find_runtime(fd, m, &rt, &verp, &bias);
		if (fd >= 0)
			close(fd);
	}
	procmaps__free(maps);
	if (err)
		return err;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	err = load_ranges(r, p);
	if (err)
		return err;
	/* Py_Version came with 3.11: older interpreters are unknown (version 0) */
	if (verp && read_safe(r, p, verp, &ver, sizeof(ver)))
		return -EAGAIN;
	p->off = pyoffsets__find((uint32_t)ver);
	if (!p->off) {
		r->st.unknown++;
		r->st.unknown_version = (uint32_t)ver;
		return -EPROTONOSUPPORT;
	}
	/* the layout, checked on the live interpreter: its first thread points back at it */
	if (read_safe(r, p, rt + p->off->bpf.rt_interp_head, &interp, sizeof(interp)))
		return -EAGAIN;
	if (!interp || read_safe(r, p, interp + p->off->bpf.interp_tstate_head, &ts, sizeof(ts)) ||
	    !ts)
		return -EAGAIN; /* not initialised yet */
	if (read_safe(r, p, ts + p->off->user.tstate_interp, &ts_interp, sizeof(ts_interp)) ||
	    ts_interp != interp) {
		r->st.layout_failed++;
		return -EPROTO;
	}
	cfg = p->off->bpf;
	cfg.runtime = rt;
	if (r->opts.procs_fd >= 0 &&
	    bpf_map_update_elem(r->opts.procs_fd, &p->pid, &cfg, BPF_ANY)) {
		if (errno == E2BIG || errno == ENOMEM)
			r->st.procs_full++;
		return -errno;
	}
	r->st.procs++;
	return 0;
}

int pyrt__see(struct pyrt *r, uint32_t pid)
{
	struct proc *p = proc_find(r, pid);
	int err;

	if (p && p->state != P_RETRY)
		return 0;
	if (!p) {
		p = proc_add(r, pid);
		if (!p)
			return 0;
	} else if (clock__now_ns() < p->retry_ns) {
		return 0;
	}
	err = configure(r, p);
	if (!err) {
		p->state = P_PYTHON;
	} else if (err == -EAGAIN && p->tries++ < RETRIES) {
		p->state = P_RETRY;
		p->retry_ns = clock__now_ns() + RETRY_NS;
	} else {
		p->state = P_NATIVE;
		free(p->ranges);
		p->ranges = NULL;
		p->nranges = 0;
	}
	return err == -ENOMEM ? -ENOMEM : 0;
}

void pyrt__forget(struct pyrt *r, uint32_t pid)
{
	struct proc *p = proc_find(r, pid);

	if (!p)
		return;
	if (p->state == P_PYTHON && r->opts.procs_fd >= 0)
		bpf_map_delete_elem(r->opts.procs_fd, &pid);
	proc_clear(p);
	p->state = P_TOMB; /* code entries of the old generation no longer match */
}

uint64_t pyrt__gen(struct pyrt *r, uint32_t pid)
{
	struct proc *p = proc_find(r, pid);

	return p && p->state == P_PYTHON ? p->gen : 0;
}

/* A str of the process into out: its first `max` characters, or its last ones (tail). */
static int read_str(struct pyrt *r, struct proc *p, uint64_t addr, uint32_t max, bool tail,
		    char *out, size_t cap)
{
	const struct py_layout *l = &p->off->user;
	uint8_t hdr[128], data[4 * FILE_MAX];
	struct py_str s;
	uint64_t from = 0;

	if (l->str_header > sizeof(hdr) || read_safe(r, p, addr, hdr, l->str_header) ||
	    pycode__str(l, hdr, l->str_header, UINT32_MAX, &s))
		return -EFAULT;
	if (s.length > max) {
		from = tail ? s.length - max : 0;
		s.length = max;
	}
	if ((size_t)s.length * s.width > sizeof(data) ||
	    read_safe(r, p, addr + s.data_off + from * s.width, data, (size_t)s.length * s.width))
		return -EFAULT;
	pycode__str_utf8(&s, data, (size_t)s.length * s.width, out, cap);
	return 0;
}

/* The code object at addr read into e, or -EFAULT. */
static int read_code(struct pyrt *r, struct proc *p, uint64_t addr, struct code_entry *e)
{
	const struct py_layout *l = &p->off->user;
	uint8_t buf[512], hdr[64];
	struct py_code c;
	uint64_t ltlen;

	r->st.code_reads++;
	if (l->code_size > sizeof(buf) || l->bytes_header > sizeof(hdr) ||
	    read_safe(r, p, addr, buf, l->code_size) || pycode__parse(l, buf, l->code_size, &c) ||
	    read_str(r, p, c.qualname, QUALNAME_MAX, false, e->qual, sizeof(e->qual)) ||
	    read_str(r, p, c.filename, FILE_MAX, true, e->file, sizeof(e->file)))
		return -EFAULT;
	r->code_used = true;
	r->lt_bytes -= e->ltlen;
	free(e->lt);
	e->lt = NULL;
	e->ltlen = 0;
	/* the line table: without it (too big, unreadable, over the budget) frames show no line */
	if (!read_safe(r, p, c.linetable, hdr, l->bytes_header) &&
	    !pycode__bytes_len(l, hdr, l->bytes_header, &ltlen) && ltlen <= LINETABLE_MAX &&
	    r->lt_bytes + ltlen <= LINETABLES_BUDGET) {
		e->lt = malloc(ltlen ? ltlen : 1);
		if (e->lt && !read_safe(r, p, c.linetable + l->bytes_header, e->lt, ltlen)) {
			e->ltlen = (uint32_t)ltlen;
			r->lt_bytes += ltlen;
		} else {
			free(e->lt);
			e->lt = NULL;
		}
	}
	e->first = c.firstlineno;
	e->ncodeunits = c.ncodeunits;
	return 0;
}

size_t pyrt__format(char *buf, size_t cap, const char *qualname, const char *file, int32_t line)
{
	const char *base = strrchr(file, '/');
	int n;

	base = base ? base + 1 : file;
	/* a package's __init__.py says nothing alone: keep the package's folder */
	if (base > file + 1 && (!strcmp(base, "__init__.py") || !strcmp(base, "__main__.py"))) {
		const char *p = base - 1;

		while (p > file && p[-1] != '/')
			p--;
		base = p;
	}
	if (line >= 0)
		n = snprintf(buf, cap, "%s (%s:%d)", qualname, base, line);
	else
		n = snprintf(buf, cap, "%s (%s)", qualname, base);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t pyrt__frame(struct pyrt *r, uint32_t pid, uint64_t code, uint64_t info, char *buf,
		   size_t cap, enum frame_kind *ret_kind)
{
	struct proc *p = proc_find(r, pid);
	uint64_t h = (code ^ ((uint64_t)pid << 40)) * 0x9e3779b97f4a7c15ull;
	struct code_entry *e = &r->code[h >> (64 - 12)];
	uint32_t lasti = (uint32_t)info;
	int32_t first = (int32_t)FT_PY_FIRSTLINE(info), line;

	_Static_assert(CODE_CAP == 1 << 12, "the slot is the hash's top 12 bits");
	*ret_kind = FRAME_UNKNOWN;
	if (!p || p->state != P_PYTHON) {
		snprintf(buf, cap, "[python]");
		return strlen(buf);
	}
	bool hit = e->gen == p->gen && e->pid == pid && e->addr == code && e->first == first;

	/* a code object that could not be read is not read again for a second: a process whose
	 * frames all point at garbage must not cost a read per frame per sample */
	if (hit && e->failed_ns && clock__now_ns() - e->failed_ns < MAPS_REREAD_NS)
		goto unreadable;
	if (!hit || e->failed_ns) {
		uint64_t t0 = clock__now_ns();
		int err = read_code(r, p, code, e);

		r->st.code_ns += clock__now_ns() - t0;
		e->gen = p->gen;
		e->pid = pid;
		e->addr = code;
		e->failed_ns = 0;
		if (err || e->first != first) {
			/* freed and reused since the kernel looked, or never a code object */
			r->st.code_failed++;
			e->first = first;
			e->failed_ns = clock__now_ns();
			goto unreadable;
		}
	}
	*ret_kind = FRAME_PYTHON;
	/* before the first instruction, CPython itself reports the first line */
	if (lasti == FT_PY_NO_LASTI || lasti >= e->ncodeunits)
		line = e->first;
	else if (!e->lt || pycode__line(e->lt, e->ltlen, e->first, lasti, &line))
		line = -1;
	return pyrt__format(buf, cap, e->qual, e->file, line);
unreadable:
	snprintf(buf, cap, "[python: code unreadable]");
	return strlen(buf);
}

void pyrt__stats(const struct pyrt *r, struct pyrt_stats *ret)
{
	*ret = r->st;
}
