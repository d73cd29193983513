/*
 * Unit tests of lib/measure/pressure.c: the reclaim cgroups of race,
 * named and swept.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "measure/pressure.h"
#include "tap.h"

/*
 * Reclaim cgroups are named by PID and start time; those of a tlbbench
 * that is gone (SIGKILL) are removed, on a plain directory standing in
 * for a cgroup parent.  PID 4194305 is past any pid_max.
 */
static void test_cgroup_sweep(void)
{
	static const struct {
		const char *name;	/* NULL: this process's own */
		int kept;
	} dirs[] = {
		{ NULL, 1 },				/* alive */
		{ "tlbbench-race.4194305.77", 0 },	/* gone */
		{ "tlbbench-race.%d.1", 0 },		/* PID reused */
		{ "tlbbench-race.4194305", 0 },		/* older, gone */
		{ "tlbbench-race.1", 0 },		/* older, no tlbbench */
		{ "tlbbench-race.x", 1 },		/* not ours */
		{ "other.4194305.1", 1 },
	};
	char base[4096], own[96], path[4200];
	const char *tmpdir = getenv("TMPDIR");
	struct stat st;

	snprintf(base, sizeof(base), "%s/tlbbench-unit.XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(base)) {
		ok(0, "cgroup sweep: mkdtemp %s: %s", base, strerror(errno));
		return;
	}
	pressure_cgroup_name(own, sizeof(own));
	ok(!strncmp(own, "tlbbench-race.", 14) && strchr(own + 14, '.'),
	   "reclaim cgroup named by PID and start time: %s", own);
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			is_int(pressure_sweep(base, NULL), 4,
			       "cgroup sweep: the 4 whose tlbbench is gone");
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			char name[96];

			if (dirs[i].name)
				snprintf(name, sizeof(name), dirs[i].name,
					 (int)getpid());
			else
				snprintf(name, sizeof(name), "%s", own);
			snprintf(path, sizeof(path), "%s/%s", base, name);
			if (!pass) {
				mkdir(path, 0755);
				continue;
			}
			is_int(!stat(path, &st), dirs[i].kept,
			       "cgroup sweep: %s %s", name,
			       dirs[i].kept ? "kept" : "removed");
			rmdir(path);
		}
	}
	rmdir(base);
}

int main(void)
{
	test_cgroup_sweep();
	return tap_done();
}
