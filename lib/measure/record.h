/* Sample records: one JSON object per line, or a text summary. */
#ifndef TLB_RECORD_H
#define TLB_RECORD_H

#include <stdio.h>

#include <json-c/json.h>

#include "attribution.h"
#include "counters.h"
#include "handler.h"
#include "model.h"
#include "options.h"
#include "procfs.h"
#include "victims.h"

/* Where one repetition's time went, wall clock. */
struct rep_budget {
	unsigned long long prepare;	/* populate, helpers' touch */
	unsigned long long counters;	/* (re)opening them, when needed */
	unsigned long long windows;	/* the measured ones, with snapshots */
	unsigned long long idle;	/* the noise window beside them */
};

struct sample {
	const char *workload;
	unsigned options;		/* OPT_* bits of the workload */
	const struct opt_own *own;	/* its own options, or NULL */
	const struct params *p;
	const char *dir;		/* where the backing was made */
	const char *fs;			/* filesystem of the backing */
	const char *populate;		/* how pages were faulted in */
	unsigned rep;
	unsigned long long ns;
	unsigned long long ops;		/* operations in the window */
	long preempted;			/* the caller's involuntary context */
					/* switches in the windows, or -1 */
	long helpers_preempted;		/* the helper threads', or -1 */
	const struct smaps_vma *seen;	/* mapping just before the window */
	const struct counters *cs;
	const long long *delta;
	const long long *noise;
	int nphases;			/* 0: one unnamed window */
	const char *const *phase_names;
	const unsigned long long *phase_ns;
	long long *const *phase_delta;
	const struct model *model;	/* NULL where no model applies */
	const char *stop;		/* why the repetitions ended, or NULL */
	const char *disturbed;		/* what the idle window saw, or NULL */
	const char *remote_flush;	/* "ipi", "hypervisor" or NULL */
	const struct rep_budget *budget;	/* NULL for whole runs */
	struct json_object *result;	/* a whole run's findings, or NULL */
	const struct attribution *attr;	/* NULL without --attribute */
	const struct attr_counts *attr_counts;
	const struct attr_chains *attr_chains;	/* unclassified */
	const struct victims *victims;	/* --victims walk, else NULL */
	const struct victim_loss *loss;	/* per victim */
	const struct handler_cpu *handler_cpu;	/* per victim's CPU */
	struct handler *handler;	/* open or why not; callback names */
	const double *victims_ns;	/* calibration and window, timed */
};

/*
 * A result set's tag on every record of one run (tlbbench run --line):
 * the config line it ran, its words, and which of run-bench --runs.
 */
struct record_tag {
	int line;			/* 0: untagged */
	const char *config_line;
	int run;			/* 0: one run only */
};

void record_tag_set(const struct record_tag *t);
struct json_object *sample_json(const struct sample *s);
void sample_print_object(FILE *f, struct json_object *o);
void sample_print_json(FILE *f, const struct sample *s);
void sample_text_header(FILE *f, const struct sample *s);
void sample_text_row(FILE *f, const struct sample *s);
void samples_text_summary(FILE *f, const struct counters *cs,
			  long long *const *delta, long long *const *noise,
			  const unsigned long long *ns, unsigned n);
void model_text(FILE *f, const struct model *m);
void victims_summary_text(FILE *f, const struct sample *s, unsigned n);
void record_text(FILE *f, const struct sample *s);
void attribution_text(FILE *f, const struct attribution *a,
		      const struct attr_chains *chains,
		      const struct attr_counts *const *c,
		      const struct counters *cs, long long *const *delta,
		      unsigned n);
struct json_object *counters_json(const struct counters *cs,
				  const long long *vals);

#endif
