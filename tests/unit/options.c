/* Unit tests of lib/measure/options.c: sizes as options take and print them. */
#include <errno.h>

#include "measure/options.h"
#include "tap.h"

static void test_parse_size(void)
{
	static const struct {
		const char *text;
		int ret;
		unsigned long long bytes;
	} cases[] = {
		{ "4096", 0, 4096 },
		{ "64K", 0, 64ULL << 10 },
		{ "64k", 0, 64ULL << 10 },
		{ "256M", 0, 256ULL << 20 },
		{ "1G", 0, 1ULL << 30 },
		{ "4T", 0, 4ULL << 40 },
		{ "0", 0, 0 },
		{ "", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },
		{ "-1M", -EINVAL, 0 },
		{ "1.5G", -EINVAL, 0 },
		{ "12Q", -EINVAL, 0 },
		{ "1GB", -EINVAL, 0 },
		{ "17179869184T", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long long v = 0;
		int ret = parse_size(cases[i].text, &v);

		ok(ret == cases[i].ret && (ret || v == cases[i].bytes),
		   "parse_size('%s') = %d, %llu", cases[i].text, ret, v);
	}
}

static void test_size_text(void)
{
	char buf[32];

	size_text(64ULL << 20, buf, sizeof(buf));
	is_str(buf, "64M", "size_text 64M");
	size_text(3ULL << 30, buf, sizeof(buf));
	is_str(buf, "3G", "size_text 3G");
	size_text(1536ULL << 10, buf, sizeof(buf));
	is_str(buf, "1536K", "size_text 1536K");
	size_text(4097, buf, sizeof(buf));
	is_str(buf, "4097", "size_text 4097");
}

int main(void)
{
	test_parse_size();
	test_size_text();
	return tap_done();
}
