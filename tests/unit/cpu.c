/*
 * Unit tests of lib/measure/cpu.c: CPU lists, parsed, formatted, and as
 * wide as a big machine.
 */
#include <errno.h>
#include <stdlib.h>

#include "measure/cpu.h"
#include "measure/record.h"
#include "tap.h"

static void test_cpu_list(void)
{
	struct cpu_list l = { 0 };
	char buf[64], *text;

	is_int(cpu_list_parse("0-3,8", &l), 0, "cpu list 0-3,8 parses");
	is_int(l.n, 5, "cpu list 0-3,8 has 5 CPUs");
	is_int(l.cpu[4], 8, "cpu list 0-3,8 ends with 8");
	is_int(cpu_list_max(&l), 9, "an array for 0-3,8 needs 9 entries");
	text = cpu_list_format(&l);
	is_str(text, "0,1,2,3,8", "cpu list formats back");
	free(text);
	is_int(cpu_list_parse("2,0", &l), 0, "order is kept");
	is_int(l.cpu[0], 2, "first CPU is the measuring one");
	is_int(cpu_list_parse("1,1", &l), -EINVAL, "duplicates refused");
	is_int(cpu_list_parse("3-1", &l), -EINVAL, "reversed range refused");
	is_int(cpu_list_parse("0-", &l), -EINVAL, "open range refused");
	is_int(cpu_list_parse("0,", &l), -EINVAL, "trailing comma refused");
	is_int(cpu_list_parse("", &l), -EINVAL, "empty list refused");
	is_int(cpu_list_parse("a", &l), -EINVAL, "letters refused");
	is_int(cpu_list_parse("999999", &l), -ERANGE, "huge CPU refused");
	is_int(cpu_list_parse("0-3,8,10-12", &l), 0, "cpu list with ranges");
	is_int(cpu_list_ranges(&l, buf, sizeof(buf)), 0, "ranges fit");
	is_str(buf, "0-3,8,10-12", "cpu list as ranges");
	is_int(cpu_list_parse("0,2,4,6,8,10,12,14,16", &l), 0, "9 CPUs");
	is_int(cpu_list_ranges(&l, buf, 12), -ENOSPC, "ranges too long");
	is_str(buf, "0,2,4,6,...", "too long: what fits, then ...");
	/* Beyond glibc's 1024-CPU cpu_set_t and the old fixed array. */
	is_int(cpu_list_parse("0-4095,8191", &l), 0, "4097 CPUs up to 8191");
	is_int(l.n, 4097, "all 4097 kept");
	is_int(l.cpu[4096], 8191, "the last is 8191");
	text = cpu_list_format(&l);
	ok(text && strlen(text) == 19374 && !strcmp(text + 19365, "4095,8191"),
	   "4097 CPUs format whole");
	free(text);
	is_int(cpu_list_parse("0-65536", &l), -ERANGE,
	       "a range beyond CPU_ID_LIMIT refused");
	is_int(cpu_list_parse("5,0-7", &l), -EINVAL,
	       "a duplicate inside a range refused");
	cpu_list_free(&l);
	is_int(l.n + l.cap, 0, "a freed list is empty");
	ok(l.cpu == NULL, "and holds nothing");
}

/*
 * 256 CPUs: the text summary gives each counter's smallest, median and
 * largest CPU instead of 256 columns, and names the CPUs no shootdown
 * reached, every line within 80 columns.
 */
static void test_many_cpus(void)
{
	static struct counters cs;
	static long long delta[2 * 256], noise[2 * 256];
	long long *d = delta, *z = noise;
	unsigned long long ns = 1000000;
	char *out = NULL, *line, *save;
	size_t len = 0;
	bool narrow = true;
	FILE *f;

	for (int k = 0; k < 256; k++) {
		cpu_list_add(&cs.cpus, k);
		delta[k] = k ? 0 : 33;			/* the sender */
		delta[256 + k] = k && k < 200 ? 33 : 0;	/* received */
	}
	cs.n = 2;
	snprintf(cs.c[0].name, sizeof(cs.c[0].name), "tlb_flush.remote_send_ipi");
	snprintf(cs.c[1].name, sizeof(cs.c[1].name), "tlb_flush.remote_shootdown");
	cs.c[0].supported = cs.c[1].supported = true;
	f = open_memstream(&out, &len);
	if (!ok(f != NULL, "memstream"))
		return;
	samples_text_summary(f, &cs, &d, &z, &ns, 1);
	fclose(f);
	ok(strstr(out, "cpu min   median      max       sum") != NULL,
	   "256 CPUs: min, median and max columns");
	ok(strstr(out, "  tlb_flush.remote_shootdown          0       33       33      6567") != NULL,
	   "received: 0 on the least, 33 on the median and most CPUs, 6567 in all");
	ok(strstr(out, "# tlb_flush.remote_shootdown: none on 57 of 256 CPUs: 0,200-255\n") != NULL,
	   "the CPUs no shootdown reached, as ranges");
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		narrow &= strlen(line) <= 80;
	ok(narrow, "every line within 80 columns");
	free(out);
	cpu_list_free(&cs.cpus);
}

int main(void)
{
	test_cpu_list();
	test_many_cpus();
	return tap_done();
}
