/* The description of the system recorded with every result set. */
#ifndef TLB_SYSINFO_H
#define TLB_SYSINFO_H

#include <json-c/json.h>

struct json_object *sysinfo_describe(void);

#endif
