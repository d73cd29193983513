/*
 * tlbbench plan --verdict-cost: how long each line of a config takes to
 * its verdict, a 95% interval of the median time within --target-ci, with
 * repetitions populated as the first (--populate write, as tlbbench did
 * before) and the cheaper way (--populate fast), one after the other per
 * line, and the ratio.  Each is a whole "tlbbench run LINE --reps auto"
 * timed from start to exit: set-up and teardown are part of the wait.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "common/config_file.h"
#include "measure/measure.h"
#include "analysis/resultset.h"
#include "workload.h"

/* One line run to its verdict one way. */
struct verdict {
	bool ok;
	double seconds;
	int reps;			/* measured */
	double ci_pct;			/* half-width reached, NAN if none */
	char stop[16];			/* target-ci or max-reps */
};

/* The last record of a run's JSON output says how it stopped. */
static void read_verdict(FILE *f, struct verdict *v)
{
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, f) > 0) {
		struct json_object *s = rs_record_parse(line);
		const char *stop;
		double x;

		if (!s)
			continue;
		stop = rs_sample_string(s, "stop");
		if (stop)
			snprintf(v->stop, sizeof(v->stop), "%s", stop);
		v->ci_pct = rs_figure(s, "stop_ci_pct", &x) ? NAN : x;
		if (!rs_figure(s, "params.reps", &x))
			v->reps = x;
		rs_record_free(s);
	}
	free(line);
}

/* "tlbbench run LINE --reps auto --format json --populate HOW". */
static int run_line(const struct config_line *l, const char *how,
		    struct verdict *v)
{
	char **argv = calloc(l->argc + 9, sizeof(*argv));
	unsigned long long t0 = now_ns();
	int fd[2], status, n = 0;
	pid_t pid;
	FILE *f;

	memset(v, 0, sizeof(*v));
	v->ci_pct = NAN;
	if (!argv || pipe(fd)) {
		free(argv);
		return -errno;
	}
	argv[n++] = "tlbbench";
	argv[n++] = "run";
	for (int i = 0; i < l->argc; i++)
		argv[n++] = l->argv[i];
	argv[n++] = "--reps";
	argv[n++] = "auto";
	argv[n++] = "--format";
	argv[n++] = "json";
	argv[n++] = "--populate";
	argv[n++] = (char *)how;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		free(argv);
		return -errno;
	}
	if (!pid) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execv("/proc/self/exe", argv);
		fprintf(stderr, "tlbbench: exec: %s\n", strerror(errno));
		_exit(127);
	}
	free(argv);
	close(fd[1]);
	f = fdopen(fd[0], "r");
	if (f) {
		read_verdict(f, v);
		fclose(f);
	} else {
		close(fd[0]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	v->seconds = (now_ns() - t0) / 1e9;
	v->ok = WIFEXITED(status) && !WEXITSTATUS(status) && v->stop[0];
	return 0;
}

/* Reps, interval and seconds, and the seconds a repetition cost. */
static void print_verdict(const struct verdict *v)
{
	if (!v->ok) {
		printf(" %5s %6s %8s %6s", "-", "-", "failed", "-");
		return;
	}
	printf(" %4d%s %5.1f%% %8.1f %6.2f", v->reps,
	       strcmp(v->stop, "target-ci") ? "+" : " ", v->ci_pct,
	       v->seconds, v->reps > 0 ? v->seconds / v->reps : NAN);
}

/* Whether a line repeats a zap whose time --reps auto can follow. */
static bool timed_line(const struct config_line *l)
{
	const struct workload *w = find_workload(l->argv[0]);

	return w && !w->standalone && !w->run &&
	       (w->options & OPT_POPULATE) && (w->options & OPT_REPS);
}

int verdict_cost(const char *path, const struct config *c, const bool *keep)
{
	double total[2] = { 0, 0 };
	const char *how[2] = { "write", "fast" };
	int lines = 0, failed = 0;

	printf("# %s: each line to its verdict (--reps auto), populated two "
	       "ways\n# reps: measured (+: --max-reps reached first), ci: "
	       "half the 95%% interval,\n# s/rep: seconds per measured "
	       "repetition, set-up included\n", path);
	printf("%5s  %-29s  %s\n", "", "--populate write", "--populate fast");
	printf("%5s %5s %6s %8s %6s %5s %6s %8s %6s %6s  %s\n", "line", "reps",
	       "ci", "seconds", "s/rep", "reps", "ci", "seconds", "s/rep",
	       "ratio", "run");
	for (int i = 0; i < c->n; i++) {
		const struct config_line *l = &c->lines[i];
		struct verdict v[2];

		if (!keep[i] || !timed_line(l))
			continue;
		/* Alternate which goes first, so neither always runs on a
		 * machine the other has just warmed. */
		for (int k = 0; k < 2; k++) {
			int m = (lines + k) % 2;

			if (run_line(l, how[m], &v[m]))
				return 1;
		}
		lines++;
		printf("%5d", l->lineno);
		print_verdict(&v[0]);
		print_verdict(&v[1]);
		if (v[0].ok && v[1].ok) {
			printf(" %6.2f ", v[0].seconds / v[1].seconds);
			total[0] += v[0].seconds;
			total[1] += v[1].seconds;
		} else {
			printf(" %6s ", "-");
			failed++;
		}
		for (int j = 0; j < l->argc; j++)
			printf(" %s", l->argv[j]);
		putchar('\n');
	}
	if (!lines) {
		printf("# no line of %s repeats a zap\n", path);
		return 0;
	}
	printf("# %d line%s: %.1f s populated by writes, %.1f s the fast way: "
	       "%.2f times as fast%s\n", lines - failed,
	       lines - failed == 1 ? "" : "s", total[0], total[1],
	       total[1] > 0 ? total[0] / total[1] : NAN,
	       failed ? " (the failed lines left out)" : "");
	return failed ? 1 : 0;
}
