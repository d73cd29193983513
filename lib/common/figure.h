/*
 * What a whole run puts in its record, or a parameter that says which run
 * it was, declared by its workload beside the code that counts it (struct
 * workload .figures): tlbbench report prints a table of the workload's
 * whole runs by the columns, compare and plotdata show its lines by the
 * named figures instead of the metrics.  A list ends at a NULL key.
 */
#ifndef TLB_FIGURE_H
#define TLB_FIGURE_H

struct result_figure {
	const char *name;		/* compare's row; NULL: not compared */
	const char *key;		/* "race.lost", or "params.zap" */
	const char *what;		/* what it counts, for the notes */
	const char *column;		/* report's column; NULL: none */
	int width;			/* text left-aligned, numbers right */
	double unit;			/* a number in these (1e6: ns as ms);
					 * 0: a count */
	const char *absent;		/* shown for a record without it */
};

#endif
