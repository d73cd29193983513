/*
 * A figure a whole run puts in its record, declared by its workload
 * beside the code that counts it (struct workload .figures); compare and
 * plotdata show a whole run's lines by these instead of the metrics.
 */
#ifndef TLB_FIGURE_H
#define TLB_FIGURE_H

struct result_figure {
	const char *name;		/* a table's first column */
	const char *key;		/* in the record: "race.lost" */
	const char *what;		/* what it counts, for the notes */
};

#endif
