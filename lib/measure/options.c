/*
 * The option tables: name, argument, default, help and type of every
 * option.  The shared table holds what many workloads take (a workload
 * names those that apply by OPT_* bits); a workload's own rows (struct
 * opt_own) fill a struct of its own.  Parsing, defaults, validation
 * messages, the record's params and --help all come from the rows.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "common/config_file.h"
#include "options.h"
#include "pmu.h"

static const char *const backing_names[] = {
	"tmpfs", "file", "memfd", "hugetlbfs", "anon", NULL };
static const char *const pages_names[] = { "4k", "thp", "hugetlb", NULL };
static const char *const format_names[] = { "text", "json", NULL };
static const char *const scope_names[] = {
	"threads", "system", "process", NULL };
static const char *const attribute_names[] = { "send", "all", NULL };
static const char *const populate_names[] = { "fast", "write", NULL };

#define P(field) offsetof(struct params, field)

static const struct opt_def opts[] = {
	{ .bit = OPT_SIZE, .name = "size", .arg = "SIZE",
	  .def = "64M", .type = T_SIZE, .min = 4096, .max = 1ULL << 50,
	  .off = P(size), .sweep = true,
	  .help = "region size, a multiple of 4K (suffix K, M, G or T)" },
	{ .bit = OPT_THREADS, .name = "threads", .arg = "N|all",
	  .def = "all", .type = T_COUNT, .min = 1, .max = CPU_ID_LIMIT,
	  .word = "all", .off = P(threads), .sweep = true,
	  .help = "threads touching the region, each on its own CPU of "
		  "--cpus, the measuring thread included" },
	{ .bit = OPT_BACKING, .name = "backing", .arg = "KIND",
	  .def = "tmpfs", .type = T_CHOICE, .choices = backing_names,
	  .off = P(backing), .sweep = true,
	  .help = "tmpfs, file (a disk-backed file in --dir), memfd, "
		  "hugetlbfs, or anon (private anonymous memory: never "
		  "force_flush)" },
	{ .bit = OPT_DIR, .name = "dir", .arg = "DIR",
	  .type = T_DIR, .off = P(dir),
	  .help = "directory for the backing file (default /dev/shm for "
		  "tmpfs, the current directory for file, a hugetlbfs mount "
		  "for hugetlbfs)" },
	{ .bit = OPT_NO_SPACE_CHECK, .name = "no-space-check", .arg = "",
	  .type = T_FLAG, .off = P(no_space_check),
	  .help = "do not refuse a --size larger than the free space statvfs "
		  "reports for --dir (when that cannot be trusted: "
		  "thin-provisioned or quota-limited filesystems); running "
		  "out of space while populating is then a failed run (exit 1)" },
	{ .bit = OPT_PAGES, .name = "pages", .arg = "4k|thp|hugetlb",
	  .def = "4k", .type = T_CHOICE, .choices = pages_names,
	  .off = P(pages), .sweep = true,
	  .help = "4k forces PTE mappings (MADV_NOHUGEPAGE); thp allows PMD "
		  "mappings; hugetlb goes with --backing hugetlbfs (and is "
		  "implied by it)" },
	{ .bit = OPT_DIRTY, .name = "dirty", .arg = "PATTERN",
	  .def = "all", .type = T_DIRTY, .off = P(dirty), .sweep = true,
	  .help = "all, per-table (one dirty page per 2M), none (written, "
		  "then cleaned by msync: disk-backed files only) or a "
		  "fraction in (0,1]" },
	{ .bit = OPT_POPULATE, .name = "populate", .arg = "fast|write",
	  .def = "fast", .type = T_CHOICE, .choices = populate_names,
	  .off = P(populate),
	  .help = "how each repetition faults the region in: write, "
		  "MADV_POPULATE_WRITE (and msync for --dirty none) every "
		  "time; fast, the same page tables for less where the "
		  "backing allows: read faults and stores on tmpfs and memfd, "
		  "and reads of the pages the first repetition wrote back for "
		  "--dirty none" },
	{ .bit = OPT_REPS, .name = "reps", .arg = "N|auto",
	  .def = "6", .type = T_COUNT, .min = 1, .max = 1000000,
	  .word = "auto", .off = P(reps), .sweep = true,
	  .help = "measured repetitions, or auto: until the 95% confidence "
		  "interval of the median time is within --target-ci, at most "
		  "--max-reps" },
	{ .bit = OPT_REPS, .name = "target-ci", .arg = "PCT",
	  .def = "2", .type = T_PCT, .off = P(target_ci),
	  .help = "--reps auto: stop when half the interval is at most PCT% "
		  "of the median" },
	{ .bit = OPT_REPS, .name = "max-reps", .arg = "N",
	  .def = "50", .type = T_COUNT, .min = 1, .max = 1000000,
	  .off = P(max_reps),
	  .help = "--reps auto: stop after N repetitions anyway" },
	{ .bit = OPT_WARMUP, .name = "warmup", .arg = "N",
	  .def = "1", .type = T_COUNT, .min = 0, .max = 1000000,
	  .off = P(warmup),
	  .help = "discarded repetitions first" },
	{ .bit = OPT_CPUS, .name = "cpus", .arg = "LIST",
	  .type = T_CPUS, .off = P(cpus),
	  .help = "CPUs to use, first one measures (default: all allowed CPUs)" },
	{ .bit = OPT_FORMAT, .name = "format", .arg = "text|json",
	  .def = "text", .type = T_CHOICE, .choices = format_names,
	  .off = P(format),
	  .help = "text summary, or one JSON object per sample per line" },
	{ .bit = OPT_EVENTS, .name = "events", .arg = "LIST",
	  .type = T_EVENTS, .off = P(events),
	  .help = "hardware events in libpfm4 syntax, comma separated, or "
		  "none; default stands for a dTLB-miss and a TLB-flush event "
		  "where the CPU has them, victims for what page walks cost "
		  "(Intel: cycles with a walk active; AMD: L1 dTLB misses the "
		  "L2 TLB caught) (default: default, and victims with "
		  "--victims walk)" },
	{ .bit = OPT_SCOPE, .name = "scope", .arg = "threads|system|process",
	  .def = "threads", .type = T_CHOICE, .choices = scope_names,
	  .off = P(scope),
	  .help = "count tracepoints raised by the workload's own threads on "
		  "every CPU, by every thread of the system, or per process: "
		  "a counter group per workload thread, allowed without root "
		  "where perf_event_paranoid <= 1 (without root or "
		  "CAP_PERFMON the default falls back to it); "
		  "/proc/interrupts is always system wide" },
	{ .bit = OPT_ATTRIBUTE, .name = "attribute", .arg = "[=send|all]",
	  .type = T_OPTCHOICE, .choices = attribute_names, .off = P(attribute),
	  .help = "sample the flushes of the measured window with kernel call "
		  "chains and count them per kernel path that sent them: the "
		  "sender's (reason 4), or all reasons" },
	{ .bit = OPT_DURATION, .name = "duration", .arg = "SECONDS",
	  .def = "10", .type = T_COUNT, .min = 1, .max = 86400,
	  .off = P(duration),
	  .help = "seconds a run lasts: the writers' before the final check, "
		  "or each window's zapping loop" },
	{ .bit = OPT_PERF_CTL, .name = "perf-ctl", .arg = "CTL,ACK",
	  .type = T_PERF_CTL, .off = P(perf_ctl),
	  .help = "the fifos of perf record --control fifo:CTL,ACK -D -1: "
		  "enable its events just before each measured window, "
		  "disable them just after, its acks awaited outside the "
		  "window" },
	{ .bit = OPT_VICTIMS, .name = "victims", .arg = "spin|walk[:SIZE]",
	  .def = "spin", .type = T_VICTIMS, .off = P(victims),
	  .help = "what the helpers do once they have touched the region: "
		  "spin on their own memory, or walk a working set of their "
		  "own (SIZE, default 64M of 4K pages, one load per page in a "
		  "fixed random order) and record the time the window took "
		  "from them: gaps in their loop (stolen), their loads "
		  "against a calibration window (slowdown), and the "
		  "call-function handler's time on their CPUs" },
	{ .bit = OPT_PERF_STAT, .name = "perf-stat", .arg = "",
	  .type = T_FLAG, .off = P(perf_stat),
	  .help = "cross-check: perf stat -e tlb:tlb_flush on the process "
		  "over the whole run, against what the measured windows "
		  "counted (never more); needs perf" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* Bytes, with an optional binary suffix K, M, G or T.  0 or -errno. */
int parse_size(const char *text, unsigned long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno)
		return -ERANGE;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	case 't': case 'T': mul = 1ULL << 40; end++; break;
	}
	if (*end)
		return -EINVAL;
	if (v > ~0ULL / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

/* The shortest exact text of a size: 65536 -> "64K". */
void size_text(unsigned long long v, char *buf, size_t len)
{
	static const char suffix[] = "KMGT";
	int i = -1;

	while (i < 3 && v && !(v & 1023)) {
		v >>= 10;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", v);
	else
		snprintf(buf, len, "%llu%c", v, suffix[i]);
}

const char *backing_name(enum backing b)
{
	return backing_names[b];
}

const char *scope_name(enum count_scope s)
{
	return scope_names[s];
}

const char *populate_name(enum populate_mode m)
{
	return populate_names[m];
}

/* "off", "send" or "all". */
const char *attribute_name(enum attribute_mode a)
{
	return a == ATTRIBUTE_OFF ? "off" : attribute_names[a - 1];
}

/* "spin", or "walk:SIZE". */
void victims_text(const struct params *p, char *buf, size_t len)
{
	char size[32];

	if (p->victims == VICTIMS_SPIN) {
		snprintf(buf, len, "spin");
		return;
	}
	size_text(p->victims_size, size, sizeof(size));
	snprintf(buf, len, "walk:%.26s", size);
}

/* spin, walk or walk:SIZE (8K to 1T, a multiple of 4K); 0 or -EINVAL. */
static int parse_victims(const char *val, struct params *p)
{
	unsigned long long size = VICTIMS_SIZE_DEFAULT;

	if (!strcmp(val, "spin")) {
		p->victims = VICTIMS_SPIN;
		return 0;
	}
	if (strncmp(val, "walk", 4) || (val[4] && val[4] != ':'))
		return -EINVAL;
	if (val[4] && (parse_size(val + 5, &size) || size < 8192 ||
		       size > 1ULL << 40 || size % 4096))
		return -EINVAL;
	p->victims = VICTIMS_WALK;
	p->victims_size = size;
	return 0;
}

const char *pages_name(enum page_mode m)
{
	return pages_names[m];
}

void dirty_text(const struct params *p, char *buf, size_t len)
{
	static const char *const names[] = { "all", "per-table", "none" };

	if (p->dirty == DIRTY_FRACTION)
		snprintf(buf, len, "%g", p->dirty_fraction);
	else
		snprintf(buf, len, "%s", names[p->dirty]);
}

static int parse_dirty(const char *val, struct params *p)
{
	char *end;
	double f;

	if (!strcmp(val, "all")) {
		p->dirty = DIRTY_ALL;
	} else if (!strcmp(val, "per-table")) {
		p->dirty = DIRTY_PER_TABLE;
	} else if (!strcmp(val, "none")) {
		p->dirty = DIRTY_NONE;
	} else {
		errno = 0;
		f = strtod(val, &end);
		if (errno || end == val || *end || !(f > 0 && f <= 1))
			return -EINVAL;
		p->dirty = f == 1 ? DIRTY_ALL : DIRTY_FRACTION;
		p->dirty_fraction = f;
	}
	return 0;
}

/* "--NAME: 'VAL' is not one of a, b or c": the values, not a placeholder. */
static void choices_error(const struct opt_def *o, const char *val, char *err,
			  size_t errlen)
{
	int n = snprintf(err, errlen, "--%s: '%s' is not ", o->name, val);

	for (int i = 0; o->choices[i] && n >= 0 && (size_t)n < errlen; i++)
		n += snprintf(err + n, errlen - n, "%s%s", !i ? "" :
			      o->choices[i + 1] ? ", " : " or ",
			      o->choices[i]);
}

/* A row of a workload's own table, not of the shared one. */
static bool is_own(const struct opt_def *o)
{
	return o < opts || o >= opts + NOPTS;
}

static int set_option(const struct opt_def *o, const char *val,
		      struct params *p, char *err, size_t errlen)
{
	void *field = (is_own(o) ? (char *)p->own : (char *)p) + o->off;
	unsigned long long v;
	char *end;
	int ret;

	switch (o->type) {
	case T_SIZE:
		ret = parse_size(val, &v);
		if (ret) {
			snprintf(err, errlen, "--%s: '%s' is %s", o->name, val,
				 ret == -ERANGE ? "too large"
				 : "not a size (a number, suffix K, M, G or T)");
			return -EINVAL;
		}
		if (v < o->min || v > o->max || v % 4096) {
			snprintf(err, errlen,
				 "--%s: '%s' must be a multiple of 4K between 4K and 1P",
				 o->name, val);
			return -EINVAL;
		}
		*(unsigned long long *)field = v;
		return 0;
	case T_COUNT:
		if (o->word && !strcmp(val, o->word)) {
			*(unsigned *)field = 0;
			return 0;
		}
		errno = 0;
		v = strtoull(val, &end, 10);
		if (*val < '0' || *val > '9' || *end || errno ||
		    v < o->min || v > o->max) {
			snprintf(err, errlen, "--%s: '%s' is not %s%s%s%llu..%llu",
				 o->name, val, o->word ? "'" : "",
				 o->word ? o->word : "", o->word ? "' or " : "",
				 o->min, o->max);
			return -EINVAL;
		}
		*(unsigned *)field = v;
		return 0;
	case T_CHOICE:
		for (int i = 0; o->choices[i]; i++) {
			if (!strcmp(val, o->choices[i])) {
				*(int *)field = i;
				return 0;
			}
		}
		choices_error(o, val, err, errlen);
		return -EINVAL;
	case T_DIR: {
		struct stat st;

		if (strlen(val) >= sizeof(p->dir) || !*val) {
			snprintf(err, errlen, "--%s: bad path", o->name);
			return -EINVAL;
		}
		if (stat(val, &st)) {
			snprintf(err, errlen, "--%s: '%s': %s", o->name, val,
				 strerror(errno));
			return -EINVAL;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "--%s: '%s': not a directory",
				 o->name, val);
			return -EINVAL;
		}
		snprintf(p->dir, sizeof(p->dir), "%s", val);
		return 0;
	}
	case T_CPUS: {
		struct cpu_list allowed = { 0 };
		int ret = 0;

		if (cpu_list_parse(val, &p->cpus)) {
			snprintf(err, errlen,
				 "--%s: '%s' is not a CPU list (e.g. 0,2-3)",
				 o->name, val);
			return -EINVAL;
		}
		if (cpu_list_allowed(&allowed)) {
			cpu_list_free(&allowed);
			return 0;
		}
		for (int i = 0; i < p->cpus.n && !ret; i++) {
			if (!cpu_list_has(&allowed, p->cpus.cpu[i])) {
				snprintf(err, errlen,
					 "--%s: CPU %d is offline or not allowed",
					 o->name, p->cpus.cpu[i]);
				ret = -EINVAL;
			}
		}
		cpu_list_free(&allowed);
		return ret;
	}
	case T_DIRTY:
		if (parse_dirty(val, p)) {
			snprintf(err, errlen,
				 "--%s: '%s' is not all, per-table, none or a fraction in (0,1]",
				 o->name, val);
			return -EINVAL;
		}
		return 0;
	case T_FLAG:
		*(bool *)field = true;
		return 0;
	case T_VICTIMS:
		if (parse_victims(val, p)) {
			snprintf(err, errlen, "--%s: '%s' is not spin, walk or "
				 "walk:SIZE (a multiple of 4K from 8K to 1T)",
				 o->name, val);
			return -EINVAL;
		}
		return 0;
	case T_OPTCHOICE:
		for (int i = 0; o->choices[i]; i++) {
			if (!*val || !strcmp(val, o->choices[i])) {
				*(int *)field = i + 1;
				return 0;
			}
		}
		/* ARG is "[=A|B]": name the choices without the brackets. */
		snprintf(err, errlen, "--%s: '%s' is not one of %.*s", o->name,
			 val, (int)strlen(o->arg) - 3, o->arg + 2);
		return -EINVAL;
	case T_PCT: {
		double v;

		errno = 0;
		v = strtod(val, &end);
		if (end != val && *end == '%')
			end++;
		if (errno || end == val || *end || !(v > 0 && v <= 100)) {
			snprintf(err, errlen,
				 "--%s: '%s' is not a percentage in (0,100]",
				 o->name, val);
			return -EINVAL;
		}
		*(double *)field = v;
		return 0;
	}
	case T_PERF_CTL: {
		const char *comma = strchr(val, ',');
		struct stat st;

		if (!comma || comma == val || !comma[1] ||
		    (size_t)(comma - val) >= sizeof(p->perf_ctl[0]) ||
		    strlen(comma + 1) >= sizeof(p->perf_ctl[1])) {
			snprintf(err, errlen, "--%s: '%s' is not CTL,ACK "
				 "(two fifo paths)", o->name, val);
			return -EINVAL;
		}
		snprintf(p->perf_ctl[0], sizeof(p->perf_ctl[0]), "%.*s",
			 (int)(comma - val), val);
		snprintf(p->perf_ctl[1], sizeof(p->perf_ctl[1]), "%s",
			 comma + 1);
		for (int i = 0; i < 2; i++) {
			if (!stat(p->perf_ctl[i], &st) && S_ISFIFO(st.st_mode))
				continue;
			snprintf(err, errlen, "--%s: '%s' is not a fifo "
				 "(mkfifo it; perf record --control "
				 "fifo:CTL,ACK)", o->name, p->perf_ctl[i]);
			return -EINVAL;
		}
		return 0;
	}
	case T_EVENTS: {
		const char *e = val;
		int n = 0;

		if (!*val || strlen(val) >= sizeof(p->events)) {
			snprintf(err, errlen, "--%s: empty or too long",
				 o->name);
			return -EINVAL;
		}
		/* The list's shape here; whether the PMU has them, later. */
		while (strcmp(val, "none") && *e) {
			size_t len = strcspn(e, ",");

			if (!len || len >= PMU_EVENT_NAME_MAX) {
				snprintf(err, errlen,
					 "--%s: '%s' has an empty or too long event name",
					 o->name, val);
				return -EINVAL;
			}
			if (++n > PMU_EVENTS_MAX) {
				snprintf(err, errlen, "--%s: at most %d events",
					 o->name, PMU_EVENTS_MAX);
				return -EINVAL;
			}
			e += len;
			if (*e == ',' && !*++e) {
				snprintf(err, errlen,
					 "--%s: '%s' ends with a comma",
					 o->name, val);
				return -EINVAL;
			}
		}
		snprintf(p->events, sizeof(p->events), "%s", val);
		p->events_given = true;
		return 0;
	}
	}
	return -EINVAL;
}

static const char *preset_value(const char *const *preset, const char *name);

/* The row of option NAME (LEN bytes): shared, or of the workload OWN. */
static const struct opt_def *find_opt(const char *name, size_t len,
				      const struct opt_own *own)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (strlen(opts[i].name) == len &&
		    !strncmp(opts[i].name, name, len))
			return &opts[i];
	for (const struct opt_def *o = own ? own->rows : NULL; o && o->name;
	     o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

/* Whether shared option NAME was given. */
static bool given(const struct params *p, const char *name)
{
	const struct opt_def *o = find_opt(name, strlen(name), NULL);

	return p->given & (1ULL << (o - opts));
}

static size_t own_rows(const struct opt_own *own)
{
	size_t n = 0;

	while (own && own->rows[n].name)
		n++;
	return n;
}

/* Defaults that depend on other options, then cross-option checks. */
static int finish(struct params *p, char *err, size_t errlen)
{
	const char *const auto_only[] = { "target-ci", "max-reps" };

	for (size_t i = 0; i < sizeof(auto_only) / sizeof(*auto_only); i++) {
		if (p->reps && given(p, auto_only[i])) {
			snprintf(err, errlen, "--%s: only with --reps auto",
				 auto_only[i]);
			return -EINVAL;
		}
	}
	if (!p->cpus.n && cpu_list_allowed(&p->cpus)) {
		snprintf(err, errlen, "sched_getaffinity: %s", strerror(errno));
		return -EINVAL;
	}
	if (p->threads > (unsigned)p->cpus.n) {
		snprintf(err, errlen,
			 "--threads: %u threads need %u CPUs, --cpus has %d",
			 p->threads, p->threads, p->cpus.n);
		return -EINVAL;
	}
	if (!p->threads)
		p->threads = p->cpus.n;
	if (p->victims == VICTIMS_WALK && p->threads < 2) {
		snprintf(err, errlen, "--victims: walk needs a helper thread: "
			 "--threads 2 or more");
		return -EINVAL;
	}
	if (p->dirty == DIRTY_NONE && p->backing != BACKING_FILE) {
		snprintf(err, errlen,
			 "--dirty: none needs --backing file: msync cannot clean %s pages",
			 backing_name(p->backing));
		return -EINVAL;
	}
	if (p->pages == PAGES_HUGETLB && p->backing != BACKING_HUGETLBFS) {
		snprintf(err, errlen, "--pages: hugetlb needs --backing hugetlbfs");
		return -EINVAL;
	}
	if (p->backing == BACKING_HUGETLBFS && given(p, "pages") &&
	    p->pages != PAGES_HUGETLB) {
		snprintf(err, errlen,
			 "--pages: %s, but --backing hugetlbfs maps hugetlb pages",
			 pages_name(p->pages));
		return -EINVAL;
	}
	if (p->backing == BACKING_HUGETLBFS)
		p->pages = PAGES_HUGETLB;
	if ((p->backing == BACKING_MEMFD || p->backing == BACKING_ANON) &&
	    p->dir[0]) {
		snprintf(err, errlen, "--dir: %s has no directory",
			 backing_name(p->backing));
		return -EINVAL;
	}
	if (!p->dir[0] && p->backing == BACKING_TMPFS)
		snprintf(p->dir, sizeof(p->dir), "/dev/shm");
	if (!p->dir[0] && p->backing == BACKING_FILE)
		snprintf(p->dir, sizeof(p->dir), ".");
	return 0;
}

static int parse_args(struct params *p, unsigned applicable,
		      const struct opt_own *own, int argc, char **argv,
		      char *err, size_t errlen)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val, *eq;
		const struct opt_def *o;

		if (strncmp(a, "--", 2)) {
			snprintf(err, errlen, "unexpected argument '%s'", a);
			return -EINVAL;
		}
		a += 2;
		eq = strchr(a, '=');
		o = find_opt(a, eq ? (size_t)(eq - a) : strlen(a), own);
		if (!o || (!is_own(o) && !(o->bit & applicable))) {
			snprintf(err, errlen, "--%.*s: unknown option%s",
				 eq ? (int)(eq - a) : (int)strlen(a), a,
				 o ? " for this workload" : "");
			return -EINVAL;
		}
		if (o->type == T_OPTCHOICE) {
			/* The value only after '=': the next word is not it. */
			val = eq ? eq + 1 : "";
			if (eq && !*val) {
				snprintf(err, errlen, "--%s=: give %.*s or "
					 "leave out the '='", o->name,
					 (int)strlen(o->arg) - 3, o->arg + 2);
				return -EINVAL;
			}
		} else if (o->type == T_FLAG) {
			if (eq) {
				snprintf(err, errlen, "--%s: takes no value",
					 o->name);
				return -EINVAL;
			}
			val = "";
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			snprintf(err, errlen, "--%s: needs a value (%s)",
				 o->name, o->arg);
			return -EINVAL;
		}
		if (set_option(o, val, p, err, errlen))
			return -EINVAL;
		if (is_own(o))
			p->own_given |= 1ULL << (o - own->rows);
		else
			p->given |= 1ULL << (o - opts);
	}
	return 0;
}

/*
 * Parse "--name value" and "--name=value" from ARGV for the shared
 * options in APPLICABLE and the workload's OWN rows (or NULL), after its
 * PRESET (NULL-terminated, may name any of them), into P: zeroed, or
 * filled by an earlier call, whose list and own struct it reuses.
 * Returns 0, or -EINVAL with one line in ERR; options_free() releases P
 * either way.
 */
int options_parse(struct params *p, unsigned applicable,
		  const struct opt_own *own, const char *const *preset,
		  int argc, char **argv, char *err, size_t errlen)
{
	struct cpu_list cpus = p->cpus;
	void *mine = p->own;
	int npreset = 0;

	memset(p, 0, sizeof(*p));
	p->cpus = cpus;
	p->cpus.n = 0;
	/* An earlier call's struct, maybe another workload's: not ours. */
	free(mine);
	mine = own ? calloc(1, own->size) : NULL;
	if (own && !mine) {
		snprintf(err, errlen, "options: %s", strerror(errno));
		return -ENOMEM;
	}
	p->own = mine;
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].def &&
		    set_option(&opts[i], opts[i].def, p, err, errlen))
			return -EINVAL;
	for (size_t i = 0; i < own_rows(own); i++)
		if (own->rows[i].def &&
		    set_option(&own->rows[i], own->rows[i].def, p, err, errlen))
			return -EINVAL;
	while (preset && preset[npreset])
		npreset++;
	if (parse_args(p, ~0U, own, npreset, (char **)preset, err, errlen) ||
	    parse_args(p, applicable, own, argc, argv, err, errlen))
		return -EINVAL;
	return finish(p, err, errlen);
}

/* What options_parse() allocated in P. */
void options_free(struct params *p)
{
	cpu_list_free(&p->cpus);
	free(p->own);
	p->own = NULL;
}

/*
 * The workload's own options in record O's params, in table order: a
 * choice by its name, a size in its shortest text, a count as a number.
 */
void options_own_json(const struct params *p, const struct opt_own *own,
		      struct json_object *o)
{
	for (size_t i = 0; i < own_rows(own); i++) {
		const struct opt_def *d = &own->rows[i];
		const char *field = (const char *)p->own + d->off;
		struct json_object *v = NULL;
		char key[64], size[32];

		if (d->unrecorded)
			continue;
		snprintf(key, sizeof(key), "%s", d->name);
		for (char *c = key; *c; c++)
			if (*c == '-')
				*c = '_';
		switch (d->type) {
		case T_CHOICE:
			v = json_object_new_string(
				d->choices[*(const int *)field]);
			break;
		case T_COUNT:
			v = json_object_new_int64(*(const unsigned *)field);
			break;
		case T_FLAG:
			v = json_object_new_boolean(*(const bool *)field);
			break;
		case T_SIZE:
			size_text(*(const unsigned long long *)field, size,
				  sizeof(size));
			v = json_object_new_string(size);
			break;
		case T_PCT:
			v = json_object_new_double(*(const double *)field);
			break;
		default:	/* the shared table's kinds: not a row's own */
			continue;
		}
		json_object_object_add(o, key, v);
	}
}

#define OWN_MAX 64	/* rows a workload's own table may have */

/*
 * The rows a workload takes, in the order help, records and canonical
 * texts list them: the shared ones in APPLICABLE, then its OWN.  Returns
 * how many are in ROWS.
 */
static size_t rows_of(unsigned applicable, const struct opt_own *own,
		      const struct opt_def **rows)
{
	size_t n = 0;

	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].bit & applicable)
			rows[n++] = &opts[i];
	for (size_t i = 0; i < own_rows(own) && i < OWN_MAX; i++)
		rows[n++] = &own->rows[i];
	return n;
}

/* Whether option NAME (no dashes) of a workload sweeps in a config. */
bool options_sweep(unsigned applicable, const struct opt_own *own,
		   const char *name)
{
	const struct opt_def *rows[NOPTS + OWN_MAX];
	size_t n = rows_of(applicable, own, rows);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i]->name, name))
			return rows[i]->sweep;
	return false;
}

/*
 * The effective options of a run as one text, for matching runs written
 * differently: every option in APPLICABLE and OWN in their order, as
 * given (the last time) or else as PRESET or the table defaults it,
 * "--name=value"; sizes in their shortest form; flags only when given;
 * --format, which a result set always has as json, and what only says
 * how a run goes, left out.  Returns 0, or -EINVAL for an option this
 * workload does not take (the run was then never recorded).
 */
int options_canonical(unsigned applicable, const struct opt_own *own,
		      const char *const *preset, int argc, char **argv,
		      char *out, size_t len)
{
	const struct opt_def *rows[NOPTS + OWN_MAX];
	const char *val[NOPTS + OWN_MAX] = { NULL };
	size_t nrows = rows_of(applicable, own, rows), n = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		const struct opt_def *o;
		size_t r;

		if (strncmp(a, "--", 2))
			return -EINVAL;
		a += 2;
		eq = strchr(a, '=');
		o = find_opt(a, eq ? (size_t)(eq - a) : strlen(a), own);
		for (r = 0; r < nrows && rows[r] != o; r++)
			;
		if (r == nrows)
			return -EINVAL;
		if (o->type == T_OPTCHOICE || o->type == T_FLAG)
			val[r] = eq ? eq + 1 : "";
		else if (eq)
			val[r] = eq + 1;
		else if (i + 1 < argc)
			val[r] = argv[++i];
		else
			return -EINVAL;
	}
	out[0] = '\0';
	for (size_t i = 0; i < nrows && n < len; i++) {
		const struct opt_def *o = rows[i];
		const char *v = val[i];
		unsigned long long bytes;
		char size[32];

		/* How a run is recorded or profiled, or what it may take
		 * (the record says how reclaim pressed), not what it
		 * measures. */
		if (o->unrecorded || !strcmp(o->name, "format") ||
		    !strcmp(o->name, "perf-ctl") ||
		    !strcmp(o->name, "perf-stat"))
			continue;
		if (!v && o->type != T_FLAG && o->type != T_OPTCHOICE)
			v = preset_value(preset, o->name);
		if (!v)
			v = o->type == T_FLAG || o->type == T_OPTCHOICE ?
			    NULL : o->def;
		if (!v)
			continue;
		if (o->type == T_OPTCHOICE && !*v)
			v = o->choices[0];
		if (o->type == T_SIZE && !parse_size(v, &bytes)) {
			size_text(bytes, size, sizeof(size));
			v = size;
		}
		if (o->type == T_VICTIMS) {
			struct params vp = { .victims = VICTIMS_SPIN };

			/* walk is walk:64M; what does not parse stays. */
			if (!parse_victims(v, &vp)) {
				victims_text(&vp, size, sizeof(size));
				v = size;
			}
		}
		n += snprintf(out + n, len - n, "%s--%s%s%s", n ? " " : "",
			      o->name, *v ? "=" : "", v);
	}
	return n < len ? 0 : -E2BIG;
}

/* Print TEXT from column 25, wrapped before column 80. */
static void print_wrapped(FILE *f, const char *text)
{
	const int indent = 25, width = 80;
	int col = indent;

	while (*text) {
		int len = strcspn(text, " ");

		if (col > indent && col + 1 + len > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", len, text);
		col += len;
		text += len;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

/* The value PRESET gives option NAME ("--name value" or "--name=value"). */
static const char *preset_value(const char *const *preset, const char *name)
{
	size_t len = strlen(name);
	int n = 0;

	while (preset && preset[n])
		n++;
	for (int i = 0; i < n;) {
		struct config_item it;

		i = config_item(preset, n, i, &it);
		if (it.opt && it.optlen == len && !strncmp(it.opt, name, len))
			return it.value;
	}
	return NULL;
}

/* One line per option in APPLICABLE and OWN; defaults as PRESET leaves
 * them. */
void options_help(FILE *f, unsigned applicable, const struct opt_own *own,
		  const char *const *preset)
{
	const struct opt_def *rows[NOPTS + OWN_MAX];
	size_t nrows = rows_of(applicable, own, rows);

	for (size_t i = 0; i < nrows; i++) {
		const struct opt_def *o = rows[i];
		const char *def = o->def;
		char lhs[64], help[512];

		if (o->type != T_FLAG && preset_value(preset, o->name))
			def = preset_value(preset, o->name);
		snprintf(lhs, sizeof(lhs), "--%s%s%s", o->name,
			 o->type == T_OPTCHOICE ? "" : " ", o->arg);
		snprintf(help, sizeof(help), "%s%s%s%s", o->help,
			 def ? " [" : "", def ? def : "", def ? "]" : "");
		/* A long option and argument get a line of their own. */
		if (strlen(lhs) > 22)
			fprintf(f, "  %s\n%25s", lhs, "");
		else
			fprintf(f, "  %-22s ", lhs);
		print_wrapped(f, help);
	}
}
