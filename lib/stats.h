/* Statistics over samples (GSL). */
#ifndef TLB_STATS_H
#define TLB_STATS_H

#include <stddef.h>

double stats_median(const double *v, size_t n);

#endif
