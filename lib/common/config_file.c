/*
 * A config file holds one run per line: a workload name and its options,
 * separated by blanks (no quoting).  '#' starts a comment.  One option of
 * a line may list values separated by commas: the line is then swept,
 * one run per value.
 */
#include <errno.h>
#include <stdbool.h>
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
	/* A directory opens, then fails to read: say so, not "no runs". */
	if (ferror(f)) {
		int err = errno ? errno : EIO;

		fclose(f);
		free(buf);
		return -err;
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

static struct config_line *add_line(struct config *c)
{
	struct config_line *grown = realloc(c->lines,
					    (c->n + 1) * sizeof(*grown));

	if (!grown)
		return NULL;
	c->lines = grown;
	memset(&grown[c->n], 0, sizeof(*grown));
	return &grown[c->n++];
}

/*
 * Replace the last line by one run per value of its swept option; the
 * values are split in place (the text buffer owns them).
 */
static int expand_sweep(struct config *c, const char *path,
			config_sweeps sweeps, char *err, size_t errlen)
{
	struct config_line l = c->lines[c->n - 1];
	int at = -1;
	char *val, *save;

	for (int i = 1; i + 1 < l.argc; i++) {
		if (strncmp(l.argv[i], "--", 2) ||
		    !strchr(l.argv[i + 1], ',') ||
		    !sweeps(l.argv[0], l.argv[i] + 2))
			continue;
		if (at >= 0) {
			snprintf(err, errlen, "%s:%d: sweeps %s and %s: one "
				 "sweep per line", path, l.lineno,
				 l.argv[at - 1], l.argv[i]);
			return -EINVAL;
		}
		at = i + 1;
	}
	if (at < 0)
		return 0;
	c->n--;
	for (val = strtok_r(l.argv[at], ",", &save); val;
	     val = strtok_r(NULL, ",", &save)) {
		struct config_line *run = add_line(c);

		if (!run) {
			snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
			return -ENOMEM;
		}
		*run = l;
		run->argv[at] = val;
		run->sweep = l.argv[at - 1];
	}
	return 0;
}

/*
 * Returns 0, or -errno with "PATH:LINE: why" in ERR.  SWEEPS says which
 * options of a workload sweep: "--opt v1,v2" is then a run per value.
 */
int config_load(const char *path, struct config *c, config_sweeps sweeps,
		char *err, size_t errlen)
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
		struct config_line *l;
		char *tok, *save;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "#")] = '\0';
		tok = strtok_r(line, " \t\r", &save);
		if (!tok)
			continue;
		l = add_line(c);
		if (!l) {
			snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
			config_free(c);
			return -ENOMEM;
		}
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
		ret = expand_sweep(c, path, sweeps, err, errlen);
		if (ret) {
			config_free(c);
			return ret;
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

/*
 * The item of the N WORDS that starts at word I, in IT; returns the index
 * of the word after it.
 */
int config_item(const char *const *words, int n, int i,
		struct config_item *it)
{
	const char *w = words[i], *eq;

	it->first = i;
	it->opt = it->value = NULL;
	it->optlen = 0;
	if (strncmp(w, "--", 2) || !w[2]) {
		it->next = i + 1;
		return it->next;
	}
	it->opt = w + 2;
	eq = strchr(it->opt, '=');
	it->optlen = eq ? (size_t)(eq - it->opt) : strlen(it->opt);
	if (eq)
		it->value = eq + 1;
	else if (i + 1 < n && strncmp(words[i + 1], "--", 2))
		it->value = words[++i];
	it->next = i + 1;
	return it->next;
}

/* Split TEXT in place at spaces into at most MAX WORDS; how many. */
int config_words(char *text, char **words, int max)
{
	char *save, *w;
	int n = 0;

	for (w = strtok_r(text, " ", &save); w && n < max;
	     w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	return n;
}
