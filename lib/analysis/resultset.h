/*
 * Reading a result set: DIR/system.json, DIR/samples.jsonl and
 * DIR/kernel-reports.jsonl, and the metrics compared across sets.
 */
#ifndef TLB_RESULTSET_H
#define TLB_RESULTSET_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/*
 * One run of a config: a line, or one value of a line's sweep.  Its
 * samples may come from several runs of the whole config (run-bench
 * --runs, or several sets merged into one side): RUN says which.
 */
struct rs_line {
	int line;			/* config line number */
	const char *config_line;	/* the run's text */
	int n;
	struct json_object **samples;
	int *run;			/* per sample: its run, from 1 */
	int nruns;			/* distinct runs among them */
};

/* A problem the kernel reported while the set ran (a WARNING, a BUG...). */
struct rs_kernel_report {
	int line;			/* its config line; 0: outside any */
	const char *config_line;	/* "" outside any */
	const char *kind;
	const char *first;		/* the first line of its text */
};

struct resultset {
	struct json_object *system;
	int nlines;
	struct rs_line *lines;		/* in config order */
	struct json_object *samples;	/* array owning every sample */
	bool kernel_checked;		/* kernel-reports.jsonl was written */
	int nkernel;
	struct rs_kernel_report *kernel;
	struct json_object *kernel_objs; /* array owning the reports */
	int maxrun;			/* the highest run of any sample */
	int nsets;			/* sets merged into this one */
};

/*
 * A metric: a counter or the time (ns, or us for µs), optionally divided by the region
 * size in GiB or by the operations in the window.  "sent" and "recv" are
 * short for the sender's and the receivers' flush counters.
 */
enum rs_per { RS_PER_SAMPLE, RS_PER_GIB, RS_PER_OP };

struct rs_metric {
	char name[200];			/* as given, e.g. "sent/GiB" */
	char counter[160];		/* "" for time */
	enum rs_per per;
	bool us;			/* time in µs ("us"), not ns */
	double scale;			/* of the counter, to the metric */
	char noise[64];			/* victims': calibration's key */
	bool time;			/* a counter that is a time */
};

#define RS_SENT "tlb_flush.remote_send_ipi"
#define RS_RECV "tlb_flush.remote_shootdown"

int rs_resolve(const char *name, char *path, size_t len, char *err,
	       size_t errlen);
int resultset_load(const char *dir, struct resultset *rs, char *err,
		   size_t errlen);
void resultset_free(struct resultset *rs);
int resultset_merge(struct resultset *dst, const struct resultset *src);
int rs_run_medians(const struct rs_line *l, const double *v, double *med);

const char *rs_system_string(const struct resultset *rs, const char *key);
int rs_kernel_reports(const struct resultset *rs);
const struct rs_kernel_report *rs_kernel_report(const struct resultset *rs,
						int i);
bool rs_has_counter(const struct resultset *rs, const char *counter);
void rs_each_counter(const struct resultset *rs,
		     void (*fn)(const char *name, long long v, void *arg),
		     void *arg);

int rs_metric_parse(const char *name, struct rs_metric *m);
const char *rs_metric_what(const struct rs_metric *m);
bool rs_metric_is_time(const struct rs_metric *m);
bool rs_has_victims(const struct resultset *rs);
int rs_values(const struct rs_line *l, const struct rs_metric *m,
	      double *out);
int rs_noise(const struct rs_line *l, const struct rs_metric *m,
	     double *out);
const char *rs_unsupported(const struct rs_line *l, const char *counter);
const char *rs_param(const struct rs_line *l, const char *key);
const char *rs_granularity(const struct rs_line *l);
const char *rs_scope(const struct rs_line *l);
int rs_remote_flush(const struct rs_line *l, const char *how);
bool rs_scope_counted(const char *counter);
const char *rs_workload(const struct rs_line *l);
double rs_ns(const struct json_object *sample);

/* Whole runs and their verdicts (compare, plotdata). */
bool rs_is_whole(const struct rs_line *l);
const char *rs_verdict(const struct rs_line *l);
const char *rs_verdict_text(const struct rs_line *l, int i);

/*
 * The kernel model's verdict on a line's flushes: force_flush per page
 * table, batched, neither, or unknown; how many of the samples say it,
 * and the count per operation beside what each model predicts.
 */
struct rs_model {
	int n;				/* samples judged */
	const char *verdict;		/* the most common */
	int agree;			/* samples of that verdict */
	double measured;		/* median flushes per operation */
	double force_flush, batched;	/* predicted per operation */
	double tables;			/* dirty page tables per op, or -1 */
	bool distinct;			/* the predictions differ */
};

int rs_model(const struct rs_line *l, struct rs_model *m);
int rs_model_verdict(const struct rs_model *m, char *buf, size_t len);
int rs_model_predicted(const struct rs_model *m, char *buf, size_t len);
void rs_model_text(const struct rs_model *m, char *buf, size_t len);

/*
 * One record and the set's description, for the commands: they read a
 * set only through these (Documentation/result-format.md names the
 * fields).  A PATH is a field "KEY" of the record or "OBJ.KEY" of one of
 * its objects ("race.lost", "victims.n", "mapping.granularity").
 */
const char *rs_sample_param(const struct json_object *s, const char *key);
const char *rs_sample_string(const struct json_object *s, const char *path);
bool rs_sample_has(const struct json_object *s, const char *path);
int rs_figure(const struct json_object *s, const char *path, double *v);
struct json_object *rs_sample_recorded(const struct json_object *s,
				       const char *path);
struct json_object *rs_record_parse(const char *text);
void rs_record_free(struct json_object *s);
struct json_object *rs_system_recorded(const struct resultset *rs,
				       const char *key);
const char *rs_system_item(const struct resultset *rs, const char *key,
			   size_t i);
int resultset_load_any(const char *dir, struct resultset *rs, char *err,
		       size_t errlen);
struct json_object *rs_kernel_report_recorded(const struct resultset *rs,
					      int i, const char *key);

struct json_object *rs_json_number(double v);

#endif
