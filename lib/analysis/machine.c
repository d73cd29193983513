/*
 * The machine of a result set, read from its system.json.  sysinfo
 * (lib/measure/sysinfo.c) writes the host's keys; for a guest, run-bench
 * and guest/boot add "emulated" (true, or the accelerator: "tcg"),
 * "qemu" (memory, accel, the --version line) and "host" (kernel,
 * cpu_model).  Any key may be missing from an older set.
 */
#include <stdio.h>
#include <string.h>

#include "machine.h"

/* Key A of system.json, or its key B; NULL when missing or null. */
static struct json_object *system_key(const struct resultset *rs,
				      const char *a, const char *b)
{
	struct json_object *o, *v;

	if (!json_object_object_get_ex(rs->system, a, &o) || !o)
		return NULL;
	if (!b)
		return o;
	return json_object_object_get_ex(o, b, &v) ? v : NULL;
}

static const char *system_text(const struct resultset *rs, const char *a,
			       const char *b)
{
	struct json_object *v = system_key(rs, a, b);

	return v ? json_object_get_string(v) : NULL;
}

/* The selected value of a sysfs choice list: "always [madvise] never". */
static void selected(const char *t, char *buf, size_t len)
{
	const char *open, *close;

	open = t ? strchr(t, '[') : NULL;
	close = open ? strchr(open, ']') : NULL;
	if (close)
		snprintf(buf, len, "%.*s", (int)(close - open - 1), open + 1);
	else
		snprintf(buf, len, "%s", t ? t : "?");
}

/* How many CPU vulnerabilities the kernel says are not mitigated. */
static int vulnerable(const struct resultset *rs)
{
	struct json_object *all = system_key(rs, "mitigations", NULL);
	int n = 0;

	if (!all || !json_object_is_type(all, json_type_object))
		return -1;
	json_object_object_foreach(all, key, v) {
		const char *t = v ? json_object_get_string(v) : NULL;

		(void)key;
		if (t && !strncmp(t, "Vulnerable", 10))
			n++;
	}
	return n;
}

/* The machine of RS into M; its strings live as long as RS. */
void rs_machine_read(const struct resultset *rs, struct rs_machine *m)
{
	struct json_object *v = system_key(rs, "emulated", NULL);
	struct json_object *mem = system_key(rs, "mem_total_bytes", NULL);

	memset(m, 0, sizeof(*m));
	/* "emulated": true, or the accelerator's name; false when not. */
	m->emulated = v && (!json_object_is_type(v, json_type_boolean) ||
			    json_object_get_boolean(v));
	if (m->emulated && json_object_is_type(v, json_type_string))
		m->emulator = json_object_get_string(v);
	v = system_key(rs, "hypervisor", NULL);
	m->hypervisor = v && json_object_get_boolean(v);
	v = system_key(rs, "invlpgb", NULL);
	m->invlpgb = v && json_object_is_type(v, json_type_boolean) &&
		     json_object_get_boolean(v);
	m->started = system_text(rs, "started", NULL);
	m->have_mem = mem != NULL;
	m->mem_bytes = mem ? json_object_get_int64(mem) : 0;
	m->guest_mem = system_text(rs, "qemu", "memory");
	selected(system_text(rs, "thp", "enabled"), m->thp, sizeof(m->thp));
	selected(system_text(rs, "thp", "shmem_enabled"), m->shmem,
		 sizeof(m->shmem));
	m->meltdown = system_text(rs, "mitigations", "meltdown");
	m->vulnerable = vulnerable(rs);
	m->kernel_log = system_text(rs, "kernel_log", NULL);
	m->host_kernel = system_text(rs, "host", "kernel");
	m->host_cpu = system_text(rs, "host", "cpu_model");
	m->qemu = system_text(rs, "qemu", "qemu");
	m->accel = system_text(rs, "qemu", "accel");
}

/* "virtual machine", "emulated (tcg)", "emulated" or "". */
const char *rs_machine_kind(const struct rs_machine *m, char *buf,
			    size_t len)
{
	buf[0] = '\0';
	if (m->emulated && m->emulator)
		snprintf(buf, len, "emulated (%s)", m->emulator);
	else if (m->emulated)
		snprintf(buf, len, "emulated");
	else if (m->hypervisor)
		snprintf(buf, len, "virtual machine");
	return buf;
}
