/* tests/fuzz/fuzz_sigv4.c - libFuzzer harness for the SigV4 canonical forms
 * (core/sigv4.h): sigv4_canonical_path(), normalized and not, and
 * sigv4_canonical_query(). The first line of the input is a request target,
 * split at its first '?' into the path and the raw query; the whole input
 * is also tried as a query, and as a header value (sigv4_header_value). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sigv4.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(int (*fn)(struct buf *, const char *), const char *s)
{
	struct buf b;

	buf_init(&b, SIGV4_MAX_TEXT);
	if (fn(&b, s) == 0 && b.failed)
		abort(); /* success with a failed buffer */
	buf_release(&b);
}

static int
path_plain(struct buf *b, const char *s)
{
	return sigv4_canonical_path(b, s, false);
}

static int
path_normalized(struct buf *b, const char *s)
{
	return sigv4_canonical_path(b, s, true);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *line, *q;

	if (size > 64 * 1024)
		return 0;
	s = fuzz_cstr(data, size);
	one(sigv4_canonical_query, s);
	one(sigv4_header_value, s);

	line = strdup(s);
	if (line == NULL)
		abort();
	line[strcspn(line, "\r\n")] = '\0';
	q = strchr(line, '?');
	if (q != NULL)
		*q++ = '\0';
	one(path_plain, line);
	one(path_normalized, line);
	one(sigv4_canonical_query, q);
	free(line);
	free(s);
	return 0;
}
