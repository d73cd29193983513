/*
 * A config file holds one run per line: a workload name and its options,
 * separated by blanks (no quoting).  '#' starts a comment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"

static int read_all(const char *path, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f || !buf) {
		int err = f ? ENOMEM : errno;

		if (f)
			fclose(f);
		free(buf);
		return -err;
	}
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			char *bigger = cap < (1 << 24) ?
				       realloc(buf, 2 * cap + 1) : NULL;

			if (!bigger) {
				fclose(f);
				free(buf);
				return -EFBIG;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		return -EILSEQ;
	}
	*out = buf;
	return 0;
}

/* Returns 0, or -errno with "PATH:LINE: why" in ERR. */
int config_load(const char *path, struct config *c, char *err,
		size_t errlen)
{
	int lineno = 0, ret;
	char *line, *next;

	memset(c, 0, sizeof(*c));
	ret = read_all(path, &c->text);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path,
			 ret == -EILSEQ ? "contains a NUL byte" : strerror(-ret));
		return ret;
	}
	for (line = c->text; line; line = next) {
		struct config_line *l, *grown;
		char *tok, *save;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "#")] = '\0';
		tok = strtok_r(line, " \t\r", &save);
		if (!tok)
			continue;
		grown = realloc(c->lines, (c->n + 1) * sizeof(*c->lines));
		if (!grown) {
			snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
			config_free(c);
			return -ENOMEM;
		}
		c->lines = grown;
		l = &c->lines[c->n++];
		l->lineno = lineno;
		l->argc = 0;
		for (; tok; tok = strtok_r(NULL, " \t\r", &save)) {
			if (l->argc == CONFIG_ARGS_MAX) {
				snprintf(err, errlen, "%s:%d: more than %d words",
					 path, lineno, CONFIG_ARGS_MAX);
				config_free(c);
				return -E2BIG;
			}
			l->argv[l->argc++] = tok;
		}
	}
	if (!c->n) {
		snprintf(err, errlen, "%s: no runs in this config", path);
		config_free(c);
		return -EINVAL;
	}
	return 0;
}

void config_free(struct config *c)
{
	free(c->lines);
	free(c->text);
	memset(c, 0, sizeof(*c));
}
