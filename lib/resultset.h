/* Reading a result set: DIR/system.json and DIR/samples.jsonl. */
#ifndef TLB_RESULTSET_H
#define TLB_RESULTSET_H

#include <stddef.h>

#include <json-c/json.h>

/* One run of a config: a line, or one value of a line's sweep. */
struct rs_line {
	int line;			/* config line number */
	const char *config_line;	/* the run's text */
	int n;
	struct json_object **samples;
};

struct resultset {
	struct json_object *system;
	int nlines;
	struct rs_line *lines;		/* in config order */
	struct json_object *samples;	/* array owning every sample */
};

int resultset_load(const char *dir, struct resultset *rs, char *err,
		   size_t errlen);
double *rs_metric(const struct rs_line *l, const char *counter);
double rs_ns(const struct json_object *sample);
void resultset_free(struct resultset *rs);

#endif
