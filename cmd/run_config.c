/*
 * tlbbench run --config: every run of a config, in plan order, each as a
 * child "tlbbench run WORDS --line N", which tags its own records.  A
 * run's records are kept only when it ended (status 0, or 3 for lost
 * writes); every run leaves one outcome line.  run-bench runs it on this
 * machine and the guest's init inside a guest: the loop is written once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common/args.h"
#include "commands.h"
#include "measure/kernel_log.h"
#include "measure/options.h"
#include "workload.h"

struct loop {
	const char *config, *samples, *outcome, *errors, *dir, *kreports;
	const char *profile, *profile_dir, *tlbbench, *name;
	unsigned long shuffle;
	long run;
	bool skip_disk, console_marks;
	long done, total;		/* --progress DONE/TOTAL */
	FILE *samples_f, *outcome_f, *errors_f, *kreports_f;
	char kmsg_why[300];		/* why the kernel log is unchecked */
	int failed, lost;
};

static const struct arg_option loop_options[] = {
	{ "--config", true }, { "--shuffle", true }, { "--run", true },
	{ "--samples", true }, { "--outcome", true }, { "--errors", true },
	{ "--dir", true }, { "--skip-disk", false },
	{ "--kernel-reports", true }, { "--console-marks", false },
	{ "--profile", true }, { "--profile-dir", true },
	{ "--tlbbench", true }, { "--name", true }, { "--progress", true },
};

static void usage(void)
{
	printf(
"usage: tlbbench run --config FILE [--shuffle SEED] [--run R] [--dir DIR]\n"
"                    [--samples FILE] [--outcome FILE] [--errors FILE]\n"
"                    [--kernel-reports FILE] [--skip-disk] [--console-marks]\n"
"                    [--profile EVENT --profile-dir DIR] [--progress K/T]\n"
"                    [--tlbbench PATH] [--name NAME]\n"
"Runs every run of the config FILE as tlbbench plan --runs lists them, each\n"
"as a child \"tlbbench run WORDS --line N --format json\", and appends the\n"
"records of each run that ended (status 0, or 3: lost writes) to --samples\n"
"(default: stdout), tagged with their line, config_line and run.\n"
"  --shuffle SEED         the runs in the order plan --shuffle SEED gives\n"
"  --run R                tag the records with run R of several\n"
"  --dir DIR              where the runs work (their disk-backed files)\n"
"  --outcome FILE         one JSON line per run: {\"outcome\": done, lost,\n"
"                         failed or skipped, \"line\", \"config_line\",\n"
"                         \"status\", \"error\", ...}; may be the --samples\n"
"                         file\n"
"  --errors FILE          the runs' stderr (default: this stderr)\n"
"  --kernel-reports FILE  the kernel's problem reports during each run, from\n"
"                         /dev/kmsg, tagged with its line\n"
"  --skip-disk            skip the runs on a disk-backed file (no disk)\n"
"  --console-marks        mark each run's start and end on stderr for\n"
"                         tlbbench kernel-log console (a guest's console)\n"
"  --profile EVENT        each run that takes --perf-ctl under perf record\n"
"                         of EVENT, its events on in the measured windows\n"
"  --profile-dir DIR      where those perf.data files go (LINE.data)\n"
"  --progress K/T         number the progress lines from K+1 of T\n"
"  --tlbbench PATH        the tlbbench each run runs (default: this one)\n"
"  --name NAME            the name its messages carry [tlbbench]\n"
"Exit status: 0 every run ended, 1 a run failed, 2 bad input, 3 a run found\n"
"lost writes, 128+SIG stopped by SIGINT, SIGTERM or SIGHUP.\n");
}

/* The options that name a file, a directory or a word, where kept. */
static const struct {
	const char *name;
	size_t off;
} loop_strings[] = {
	{ "--config", offsetof(struct loop, config) },
	{ "--samples", offsetof(struct loop, samples) },
	{ "--outcome", offsetof(struct loop, outcome) },
	{ "--errors", offsetof(struct loop, errors) },
	{ "--dir", offsetof(struct loop, dir) },
	{ "--kernel-reports", offsetof(struct loop, kreports) },
	{ "--profile", offsetof(struct loop, profile) },
	{ "--profile-dir", offsetof(struct loop, profile_dir) },
	{ "--tlbbench", offsetof(struct loop, tlbbench) },
	{ "--name", offsetof(struct loop, name) },
};

static int loop_set(void *ctx, const char *name, const char *v)
{
	struct loop *l = ctx;

	if (!strcmp(name, "--shuffle") || !strcmp(name, "--run")) {
		long n = args_count(v, 1, 1000000);

		if (n < 0)
			return args_refuse("run", "%s: '%s' is not a whole "
					   "number from 1", name, v);
		if (name[2] == 's')
			l->shuffle = n;
		else
			l->run = n;
		return 0;
	}
	if (!strcmp(name, "--progress")) {
		char done[24];
		size_t n = strcspn(v, "/");

		snprintf(done, sizeof(done), "%.*s", (int)n, v);
		l->done = n < sizeof(done) ? args_count(done, 0, 1000000) : -1;
		l->total = v[n] ? args_count(v + n + 1, 1, 1000000) : -1;
		if (l->done < 0 || l->total < 0)
			return args_refuse("run", "--progress: '%s' is not "
					   "K/T (runs done, of how many)", v);
		return 0;
	}
	if (!strcmp(name, "--skip-disk")) {
		l->skip_disk = true;
		return 0;
	}
	if (!strcmp(name, "--console-marks")) {
		l->console_marks = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof(loop_strings) / sizeof(*loop_strings);
	     i++) {
		if (strcmp(name, loop_strings[i].name))
			continue;
		if (!*v)
			return args_refuse("run", "%s: empty", name);
		*(const char **)((char *)l + loop_strings[i].off) = v;
		return 0;
	}
	return args_refuse("run", "%s: unknown option", name);
}

static volatile sig_atomic_t stop_sig;
static pid_t child;

static void on_stop(int sig)
{
	stop_sig = sig;
	if (child > 0)
		kill(child, SIGTERM);
}

static int stop_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_stop };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < 3; i++)
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	return 0;
}

/* Signals held off while a run's records and outcome are written. */
static void hold_signals(bool hold)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGHUP);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL);
}

static FILE *open_append(const char *path, const char *what)
{
	FILE *f = fopen(path, "a");

	if (!f)
		fprintf(stderr, "tlbbench: run: %s: %s: %s\n", what, path,
			strerror(errno));
	return f;
}

/* Everything in F from its start to WHERE (stdout, or a file). */
static int copy_file(FILE *from, FILE *to)
{
	char buf[8192];
	size_t n;

	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)))
		if (fwrite(buf, 1, n, to) != n)
			return -errno;
	return fflush(to) ? -errno : 0;
}

/* The last non-empty line of F, into BUF ("" if none). */
static void last_line(FILE *f, char *buf, size_t len)
{
	char line[1024];

	buf[0] = '\0';
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			snprintf(buf, len, "%s", line);
	}
}

/* Whether F holds JSON records only, one a line, and at least one. */
static bool records_only(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int records = 0;
	bool ok = true;

	rewind(f);
	while (ok && (n = getline(&line, &cap, f)) >= 0) {
		struct json_object *o;

		if (n <= 1)
			continue;
		o = json_tokener_parse(line);
		ok = o && json_object_is_type(o, json_type_object);
		json_object_put(o);
		records++;
	}
	free(line);
	return ok && records;
}

struct kreport_ctx {
	struct loop *l;
	int line;
	const char *text;
	int n;
	char first[KLOG_LINE_MAX + 64];
};

static void kreport(const struct klog_report *r, void *arg)
{
	struct kreport_ctx *k = arg;
	struct klog_report t = *r;
	struct json_object *o;

	t.line = k->line;
	snprintf(t.config_line, sizeof(t.config_line), "%s", k->text);
	o = klog_report_json(&t, true);
	fprintf(k->l->kreports_f, "%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	if (!k->n++)
		snprintf(k->first, sizeof(k->first), "%s: %s", r->kind,
			 r->ntext ? r->text[0] : "");
}

/* The kernel log stops being read at its first failure, said once. */
static void kmsg_unchecked(struct loop *l, int err)
{
	char why[256];

	klog_kmsg_why(err, why, sizeof(why));
	snprintf(l->kmsg_why, sizeof(l->kmsg_why), "unchecked: %s", why);
	fprintf(stderr, "%s: kernel log not checked: %s\n", l->name, why);
}

/* The perf.data file of LINE in --profile-dir: LINE.data, LINE.2.data... */
static void profile_name(const struct loop *l, int line, char *buf,
			 size_t len)
{
	char path[PATH_MAX];

	for (int n = 1; ; n++) {
		if (n == 1)
			snprintf(buf, len, "%d.data", line);
		else
			snprintf(buf, len, "%d.%d.data", line, n);
		snprintf(path, sizeof(path), "%s/%s", l->profile_dir, buf);
		if (access(path, F_OK))
			return;
	}
}

struct run_words {
	const char *argv[CONFIG_ARGS_MAX + 32];
	int argc;
	char line[16], run[16], ctl[2 * PATH_MAX + 8], fifos[2 * PATH_MAX];
	char data[PATH_MAX], data_path[PATH_MAX + 64];
};

static void add(struct run_words *w, const char *word)
{
	w->argv[w->argc++] = word;
}

/* What the child runs: tlbbench run, or perf record around it. */
static void run_command(const struct loop *l, const struct config_line *c,
			struct run_words *w)
{
	const struct workload *wl = find_workload(c->argv[0]);
	bool profiled = l->profile && wl && (wl->options & OPT_PERF_CTL);

	w->argc = 0;
	w->data[0] = '\0';
	if (profiled) {
		profile_name(l, c->lineno, w->data, sizeof(w->data));
		snprintf(w->data_path, sizeof(w->data_path), "%s/%s",
			 l->profile_dir, w->data);
		snprintf(w->fifos, sizeof(w->fifos), "%s/.ctl,%s/.ack",
			 l->profile_dir, l->profile_dir);
		snprintf(w->ctl, sizeof(w->ctl), "fifo:%s", w->fifos);
		add(w, "perf"), add(w, "record"), add(w, "-q");
		add(w, "-e"), add(w, l->profile), add(w, "-g");
		add(w, "-D"), add(w, "-1"), add(w, "--control");
		add(w, w->ctl), add(w, "-o"), add(w, w->data_path);
		add(w, "--");
	}
	add(w, l->tlbbench);
	add(w, "run");
	for (int i = 0; i < c->argc; i++)
		add(w, c->argv[i]);
	snprintf(w->line, sizeof(w->line), "%d", c->lineno);
	add(w, "--line"), add(w, w->line);
	if (l->run) {
		snprintf(w->run, sizeof(w->run), "%ld", l->run);
		add(w, "--run"), add(w, w->run);
	}
	add(w, "--format"), add(w, "json");
	if (profiled)
		add(w, "--perf-ctl"), add(w, w->fifos);
	w->argv[w->argc] = NULL;
}

/* Start the child: stdout to OUT, stderr to ERR, in --dir. */
static pid_t start(const struct loop *l, const struct run_words *w,
		   FILE *out, FILE *err)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	/* Gone with us, even of SIGKILL, which no handler sees. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	hold_signals(false);
	if (dup2(fileno(out), STDOUT_FILENO) < 0 ||
	    dup2(fileno(err), STDERR_FILENO) < 0)
		_exit(127);
	if (l->dir && chdir(l->dir)) {
		fprintf(stderr, "tlbbench: run: --dir: %s: %s\n", l->dir,
			strerror(errno));
		_exit(1);
	}
	execvp(w->argv[0], (char **)w->argv);
	fprintf(stderr, "tlbbench: run: %s: %s\n", w->argv[0], strerror(errno));
	_exit(127);
}

/* How a run ended, as its outcome line names it. */
enum outcome { RUN_DONE, RUN_LOST, RUN_FAILED, RUN_SKIPPED };
static const char *const outcome_names[] = {
	"done", "lost", "failed", "skipped",
};

static void outcome_add(struct json_object *o, const char *key,
			const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

/* One run: its records kept if it ended, its outcome said. */
static int run_one(struct loop *l, const struct plan *pl, int r, long k)
{
	const struct config_line *c = &pl->c.lines[pl->runs[r]];
	char text[4096], last[1024], why[1200];
	enum outcome outcome = RUN_DONE;
	struct kreport_ctx kr = { .l = l, .line = c->lineno, .text = text };
	static struct run_words w;
	unsigned long long mark = 0;
	struct json_object *o;
	FILE *out = NULL, *err = NULL;
	int status, ret = -1, code;

	if (stop_sig)
		return 128 + stop_sig;
	plan_run_text(pl, r, text, sizeof(text));
	why[0] = '\0';
	if (l->skip_disk && pl->disk[pl->runs[r]]) {
		outcome = RUN_SKIPPED;
		snprintf(why, sizeof(why), "on a disk-backed file, and no "
			 "disk (--skip-disk)");
		code = 0;
		goto said;
	}
	fprintf(stderr, "[%ld/%ld] %s\n", k, l->total, text);
	if (l->console_marks)
		fprintf(stderr, "tlbbench guest: line %d: %s\n", c->lineno,
			text);
	out = tmpfile();
	err = tmpfile();
	if (!out || !err) {
		fprintf(stderr, "tlbbench: run: a temporary file: %s\n",
			strerror(errno));
		goto out;
	}
	if (l->kreports_f && !l->kmsg_why[0]) {
		int e = klog_kmsg_scan(0, NULL, &mark);

		if (e)
			kmsg_unchecked(l, e);
	}
	run_command(l, c, &w);
	child = start(l, &w, out, err);
	if (child < 0) {
		fprintf(stderr, "tlbbench: run: fork: %s\n", strerror(errno));
		goto out;
	}
	/* A signal before CHILD was set: it is sent now. */
	if (stop_sig)
		kill(child, SIGTERM);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "tlbbench: run: waitpid: %s\n",
				strerror(errno));
			goto out;
		}
	child = 0;
	hold_signals(true);
	if (stop_sig) {
		ret = 128 + stop_sig;
		goto out;
	}
	if (copy_file(err, l->errors_f ? l->errors_f : stderr))
		fprintf(stderr, "tlbbench: run: --errors: %s\n",
			strerror(errno));
	last_line(err, last, sizeof(last));
	if (l->kreports_f && !l->kmsg_why[0]) {
		struct klog_parser p;
		int e;

		klog_init(&p, kreport, &kr);
		e = klog_kmsg_scan(mark, &p, &mark);
		fflush(l->kreports_f);
		if (e)
			kmsg_unchecked(l, e);
		if (kr.n)
			fprintf(stderr, "%s: line %d: kernel reported %d "
				"problem(s): %s\n", l->name, c->lineno, kr.n,
				kr.first);
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
	if (WIFSIGNALED(status)) {
		outcome = RUN_FAILED;
		snprintf(why, sizeof(why), "tlbbench killed by SIG%s",
			 sigabbrev_np(WTERMSIG(status)) ?: "?");
	} else if (code == 3) {
		outcome = RUN_LOST;
		snprintf(why, sizeof(why), "%s", last);
	} else if (code && last[0]) {
		outcome = RUN_FAILED;
		snprintf(why, sizeof(why), "%s", last);
	} else if (code) {
		outcome = RUN_FAILED;
		snprintf(why, sizeof(why), "tlbbench exited with status %d",
			 code);
	} else if (!records_only(out)) {
		outcome = RUN_FAILED;
		snprintf(why, sizeof(why), "its output holds no JSON record");
	}
	if (outcome == RUN_FAILED)
		fprintf(stderr, "%s: line %d failed: %s\n", l->name, c->lineno,
			why);
	else if (outcome == RUN_LOST)
		fprintf(stderr, "%s: line %d lost writes: %s\n", l->name,
			c->lineno, why);
	/* A run is its records: kept only when it ended. */
	if ((outcome == RUN_DONE || outcome == RUN_LOST) &&
	    copy_file(out, l->samples_f)) {
		fprintf(stderr, "tlbbench: run: --samples: %s\n",
			strerror(errno));
		goto out;
	}
said:
	l->failed += outcome == RUN_FAILED;
	l->lost += outcome == RUN_LOST;
	if (l->outcome_f) {
		o = json_object_new_object();
		outcome_add(o, "outcome", outcome_names[outcome]);
		json_object_object_add(o, "line",
				       json_object_new_int(c->lineno));
		outcome_add(o, "config_line", text);
		if (l->run)
			json_object_object_add(o, "run",
					       json_object_new_int(l->run));
		json_object_object_add(o, "status", json_object_new_int(code));
		if (why[0])
			outcome_add(o, "error", why);
		if (w.data[0] && outcome != RUN_SKIPPED)
			outcome_add(o, "profile", w.data);
		if (l->kreports_f)
			outcome_add(o, "kernel_log", l->kmsg_why[0] ?
				    l->kmsg_why : "kmsg");
		fprintf(l->outcome_f, "%s\n", json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PLAIN |
			JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		if (fflush(l->outcome_f)) {
			fprintf(stderr, "tlbbench: run: --outcome: %s\n",
				strerror(errno));
			goto out;
		}
	}
	if (l->console_marks && outcome != RUN_SKIPPED)
		fprintf(stderr, "tlbbench guest: line %d done\n", c->lineno);
	ret = 0;
out:
	w.data[0] = '\0';
	hold_signals(false);
	if (out)
		fclose(out);
	if (err)
		fclose(err);
	return ret;
}

/* The loop's options, checked: 0, 1 after --help, or 2. */
static int loop_args(int argc, char **argv, struct loop *l)
{
	struct stat st;
	int n;

	n = args_parse("run", loop_options,
		       sizeof(loop_options) / sizeof(loop_options[0]), argc,
		       argv, loop_set, l);
	if (n == ARGS_HELP) {
		usage();
		return 1;
	}
	if (n < 0)
		return 2;
	if (n) {
		args_refuse("run", "'%s': --config runs a config, no "
			    "workload", argv[0]);
		return 2;
	}
	if (!l->profile != !l->profile_dir) {
		args_refuse("run", "--profile and --profile-dir go together");
		return 2;
	}
	if (l->dir && (stat(l->dir, &st) || !S_ISDIR(st.st_mode))) {
		args_refuse("run", "--dir: %s: not a directory", l->dir);
		return 2;
	}
	if (l->profile_dir && (stat(l->profile_dir, &st) ||
			       !S_ISDIR(st.st_mode))) {
		args_refuse("run", "--profile-dir: %s: not a directory",
			    l->profile_dir);
		return 2;
	}
	return 0;
}

/* The --profile fifos perf record and the runs talk over. */
static int profile_fifos(const struct loop *l, bool make)
{
	char path[PATH_MAX];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", l->profile_dir,
			 i ? ".ack" : ".ctl");
		if (!make) {
			unlink(path);
			continue;
		}
		if (mkfifo(path, 0600) && errno != EEXIST) {
			fprintf(stderr, "tlbbench: run: %s: %s\n", path,
				strerror(errno));
			return 1;
		}
	}
	return 0;
}

static int open_outputs(struct loop *l)
{
	l->samples_f = l->samples ? open_append(l->samples, "--samples") :
		       stdout;
	if (!l->samples_f)
		return 1;
	if (l->outcome && l->samples && !strcmp(l->outcome, l->samples))
		l->outcome_f = l->samples_f;
	else if (l->outcome)
		l->outcome_f = open_append(l->outcome, "--outcome");
	if (l->errors)
		l->errors_f = open_append(l->errors, "--errors");
	if (l->kreports)
		l->kreports_f = open_append(l->kreports, "--kernel-reports");
	if ((l->outcome && !l->outcome_f) || (l->errors && !l->errors_f) ||
	    (l->kreports && !l->kreports_f))
		return 1;
	return 0;
}

static void close_outputs(struct loop *l)
{
	if (l->samples_f && l->samples_f != stdout)
		fclose(l->samples_f);
	if (l->outcome_f && l->outcome_f != l->samples_f)
		fclose(l->outcome_f);
	if (l->errors_f)
		fclose(l->errors_f);
	if (l->kreports_f)
		fclose(l->kreports_f);
}

int run_config(int argc, char **argv)
{
	static char self[PATH_MAX];
	struct loop l = { .name = "tlbbench" };
	struct plan pl;
	int ret;

	ret = loop_args(argc, argv, &l);
	if (ret)
		return ret == 1 ? 0 : 2;
	if (!l.config) {
		args_refuse("run", "--config: which config?");
		return 2;
	}
	if (!l.tlbbench) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n < 0) {
			fprintf(stderr, "tlbbench: run: /proc/self/exe: %s\n",
				strerror(errno));
			return 1;
		}
		self[n] = '\0';
		l.tlbbench = self;
	}
	ret = plan_load(l.config, &pl);
	if (ret)
		return ret;
	plan_order(&pl, l.shuffle);
	if (!l.total)
		l.total = pl.nruns;
	ret = 1;
	if (stop_handlers() || open_outputs(&l) ||
	    (l.profile_dir && profile_fifos(&l, true)))
		goto out;
	for (int r = 0; r < pl.nruns; r++) {
		ret = run_one(&l, &pl, r, l.done + r + 1);
		if (ret)
			goto out;
	}
	ret = l.failed ? 1 : l.lost ? 3 : 0;
out:
	if (l.profile_dir)
		profile_fifos(&l, false);
	close_outputs(&l);
	plan_free(&pl);
	return ret < 0 ? 1 : ret;
}
