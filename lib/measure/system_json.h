/*
 * A result set's system.json beyond this machine's description
 * (sysinfo_describe()): the QEMU machine of a guest, a guest's
 * description with it and the host's, and how the set's run went.
 * tlbbench describe is their one writer; Documentation/result-format.md
 * names every key.
 */
#ifndef TLB_SYSTEM_JSON_H
#define TLB_SYSTEM_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* What guest/boot saw of the QEMU machine; disk "" or NULL: none. */
struct qemu_facts {
	const char *version, *arch, *accel, *memory, *append;
	const char *disk, *disk_kind, *disk_fs, *disk_device;
	long long vcpus, seconds;
};

/* What run-bench saw of the run; the optional ones NULL or "". */
struct run_facts {
	const char *config, *git_revision, *started, *finished, *status;
	const char *interrupted, *failed, *lost, *kernel_log, *runs;
	const char *samples, *kernel_reports, *profile_event, *profile_files;
};

int system_json_count(const char *s, bool zero, long long *v);
struct json_object *system_json_read(const char *path, char *err,
				     size_t len);
struct json_object *system_json_qemu(const struct qemu_facts *q);
void system_json_guest(struct json_object *guest, struct json_object *qemu);
int system_json_run(struct json_object *o, const struct run_facts *f,
		    char *err, size_t len);

#endif
