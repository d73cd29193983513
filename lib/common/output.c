/*
 * stdout and stderr become streams of our own over descriptors 1 and 2
 * (fopencookie), buffered as stdio buffers them.  What they write is
 * text (text.h): a control character or broken UTF-8, which a result
 * set may carry in any of its strings, is written as '?', whatever
 * printed it.  stdout keeps its first write error: by exit, stdio itself
 * may have dropped the buffer that failed and errno long been
 * overwritten.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "text.h"

struct output {
	int fd;
	int err;		/* the first write error, or 0 */
	/* The start of a character that the next write may complete. */
	unsigned char held[4];
	size_t nheld;
};

static struct output out = { .fd = STDOUT_FILENO };
static struct output err_out = { .fd = STDERR_FILENO };

static int write_all(struct output *o, const char *buf, size_t len)
{
	while (!o->err && len) {
		ssize_t n = write(o->fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->err = n < 0 ? errno : EIO;
			break;
		}
		buf += n;
		len -= n;
	}
	return o->err ? -1 : 0;
}

/* What stdio writes: the held bytes, then BUF, each character checked. */
static ssize_t output_write(void *cookie, const char *buf, size_t len)
{
	const unsigned char *in = (const unsigned char *)buf;
	struct output *o = cookie;
	size_t total = o->nheld + len, pos = 0, used = 0;
	unsigned char c[4];
	char text[4096];

	while (pos < total) {
		size_t m = total - pos < 4 ? total - pos : 4;
		int n;

		for (size_t j = 0; j < m; j++)
			c[j] = pos + j < o->nheld ? o->held[pos + j] :
			       in[pos + j - o->nheld];
		n = text_char_len(c, m);
		if (n < 0)	/* only its start, at the end */
			break;
		if (used + 4 > sizeof(text)) {
			if (write_all(o, text, used))
				goto failed;
			used = 0;
		}
		if (!n) {
			text[used++] = '?';
			pos++;
			continue;
		}
		memcpy(text + used, c, n);
		used += n;
		pos += n;
	}
	o->nheld = total - pos;
	memcpy(o->held, c, o->nheld);
	if (write_all(o, text, used))
		goto failed;
	return len;
failed:
	errno = o->err;
	return -1;
}

static FILE *output_stream(struct output *o, int mode)
{
	cookie_io_functions_t io = { .write = output_write };
	FILE *f = fopencookie(o, "w", io);

	if (f)
		setvbuf(f, NULL, mode, mode == _IONBF ? 0 : BUFSIZ);
	return f;
}

/* Before anything is printed.  0, or -errno (stdio is then left). */
int output_open(void)
{
	FILE *o = output_stream(&out, isatty(out.fd) ? _IOLBF : _IOFBF);
	FILE *e = output_stream(&err_out, _IONBF);

	if (!o || !e) {
		int ret = -errno;

		if (o)
			fclose(o);
		if (e)
			fclose(e);
		return ret;
	}
	stdout = o;
	stderr = e;
	return 0;
}

/*
 * At exit: STATUS, or 1 when the command succeeded and its output did
 * not all reach descriptor 1, saying so in one line as PROG.  A
 * character left unfinished is written as '?'.
 */
int output_close(const char *prog, int status)
{
	fflush(stdout);
	for (; out.nheld; out.nheld--)
		write_all(&out, "?", 1);
	if (!ferror(stdout) && !out.err)
		return status;
	fprintf(stderr, "%s: writing the output: %s\n", prog,
		strerror(out.err ? out.err : EIO));
	return status ? status : 1;
}
