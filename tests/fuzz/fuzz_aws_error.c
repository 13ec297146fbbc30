/* tests/fuzz/fuzz_aws_error.c - libFuzzer harness for the AWS error mapper
 * aws_error_from_response() (core/aws_error.h), with the throttling and
 * retry predicates. The input has the shape of the recorded answers in
 * tests/data/aws: "HTTP <status>", header lines, an empty line, the body
 * (Query XML, REST-JSON or anything a proxy sends). Content-Type, Date,
 * x-amzn-ErrorType and x-amzn-RequestId headers are passed on; an input
 * without the status line is all body, with status 400. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_error.h"
#include "buf.h"
#include "error.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The value of header name on line (NUL-terminated, no line break), or NULL. */
static const char *
header(char *line, const char *name)
{
	size_t n = strlen(name);

	if (strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	line += n + 1;
	while (*line == ' ')
		line++;
	return line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_error_response resp = {.status = 400};
	struct aws_error_context ctx = {.what = "GetRole fuzz", .now = 1733220000};
	struct irsa_error err;
	struct buf body;
	char *s, *p, *nl;
	const char *v;

	if (size > 256 * 1024)
		return 0;
	s = fuzz_cstr(data, size);
	p = s;
	if (strncmp(p, "HTTP ", 5) == 0) {
		resp.status = atoi(p + 5);
		while ((nl = strchr(p, '\n')) != NULL) {
			*nl = '\0';
			if (nl > p && nl[-1] == '\r')
				nl[-1] = '\0';
			if (*p == '\0' && p != s) {
				p = nl + 1;
				break;
			}
			if ((v = header(p, "Content-Type")) != NULL)
				resp.content_type = v;
			else if ((v = header(p, "Date")) != NULL)
				resp.date = v;
			else if ((v = header(p, "x-amzn-ErrorType")) != NULL)
				resp.error_type = v;
			else if ((v = header(p, "x-amzn-RequestId")) != NULL)
				resp.request_id = v;
			p = nl + 1;
		}
		if (nl == NULL)
			p += strlen(p);
	}
	buf_init(&body, size + 1);
	if (buf_addstr(&body, p) != 0)
		abort();
	resp.body = &body;
	irsa_error_clear(&err);
	if (aws_error_from_response(&resp, &ctx, &err) != -1)
		abort(); /* documented: always -1 */
	(void)aws_error_is_throttling(resp.status, &body);
	(void)aws_error_is_retryable(resp.status, &body);
	resp.body = NULL;
	(void)aws_error_from_response(&resp, NULL, &err);
	buf_release(&body);
	free(s);
	return 0;
}
