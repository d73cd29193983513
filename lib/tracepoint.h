/* Tracepoint ids from tracefs, and the filters set on them. */
#ifndef TLB_TRACEPOINT_H
#define TLB_TRACEPOINT_H

#include <stdbool.h>
#include <signal.h>

struct tp_dir {
	char path[4096];
	bool mounted_here;	/* we mounted it and must unmount it */
	sigset_t saved_mask;
};

int tp_dir_enter(struct tp_dir *t);
long long tp_event_id(const struct tp_dir *t, const char *system,
			   const char *event);
void tp_dir_leave(struct tp_dir *t);
char *tp_filter(const char *base, const int *tids, int n);

#endif
