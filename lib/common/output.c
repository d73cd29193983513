/*
 * stdout becomes a stream of our own over descriptor 1 (fopencookie),
 * buffered as stdio buffers it, whose writes keep the first errno: by
 * exit, stdio itself may have dropped the buffer that failed and errno
 * long been overwritten.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

struct output {
	int fd;
	int err;			/* the first write error, or 0 */
};

static struct output out = { .fd = STDOUT_FILENO };

static ssize_t output_write(void *cookie, const char *buf, size_t len)
{
	struct output *o = cookie;
	size_t done = 0;

	while (!o->err && done < len) {
		ssize_t n = write(o->fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			o->err = n < 0 ? errno : EIO;
		else
			done += n;
	}
	if (o->err) {
		errno = o->err;
		return -1;
	}
	return len;
}

/* Before anything is printed.  0, or -errno (stdout is then left). */
int output_open(void)
{
	cookie_io_functions_t io = { .write = output_write };
	FILE *f = fopencookie(&out, "w", io);

	if (!f)
		return -errno;
	setvbuf(f, NULL, isatty(out.fd) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = f;
	return 0;
}

/*
 * At exit: STATUS, or 1 when the command succeeded and its output did
 * not all reach descriptor 1, saying so in one line as PROG.
 */
int output_close(const char *prog, int status)
{
	if (!fflush(stdout) && !ferror(stdout) && !out.err)
		return status;
	fprintf(stderr, "%s: writing the output: %s\n", prog,
		strerror(out.err ? out.err : EIO));
	return status ? status : 1;
}
