/* tests/unit/aws_samples.h - the AWS sample files the aws_* tests share,
 * found at run time under $IRSA_SRCDIR/tests/data/aws (fallback "."): an
 * answer (status line, headers, blank line, body) and the request bodies
 * botocore sends (request-bodies.txt). Header-only, included by one test
 * file each. */
#ifndef IRSA_AWS_SAMPLES_H
#define IRSA_AWS_SAMPLES_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_op.h"
#include "buf.h"
#include "golden.h"

#define SAMPLE_MAX    (1 << 20)
#define SAMPLE_UNUSED __attribute__((unused))

/* One answer, as the HTTP layer would hand it over. */
struct sample {
	int status;
	char *headers; /* the header lines, "name: value\n" each */
	struct buf body;
};

/* The whole file at tests/data/aws/<rel>, NUL-terminated; the caller frees. */
static SAMPLE_UNUSED char *
sample_read(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "aws/%s", rel);
	return test_data_read(path);
}

/* Loads an answer file: "HTTP 200", headers, a blank line, the body. */
static SAMPLE_UNUSED void
sample_load(struct sample *s, const char *rel)
{
	char *text = sample_read(rel), *sep;

	memset(s, 0, sizeof(*s));
	assert_int_equal(sscanf(text, "HTTP %d", &s->status), 1);
	sep = strstr(text, "\n\n");
	assert_non_null(sep);
	buf_init(&s->body, SAMPLE_MAX);
	assert_int_equal(buf_addstr(&s->body, sep + 2), 0);
	sep[1] = '\0';
	s->headers = strdup(strchr(text, '\n') + 1);
	assert_non_null(s->headers);
	free(text);
}

/* The value of header name (case-insensitive) in a static buffer, or NULL. */
static SAMPLE_UNUSED const char *
sample_header(const struct sample *s, const char *name)
{
	static char value[512];
	const char *line = s->headers;
	size_t nlen = strlen(name), vlen;

	while (line != NULL && *line != '\0') {
		if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
			line += nlen + 1;
			while (*line == ' ')
				line++;
			vlen = strcspn(line, "\n");
			snprintf(value, sizeof(value), "%.*s", (int)vlen, line);
			return value;
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return NULL;
}

static SAMPLE_UNUSED void
sample_release(struct sample *s)
{
	free(s->headers);
	buf_release(&s->body);
}

/* Replaces the body with text (for garbled and truncated variants). */
static SAMPLE_UNUSED void
sample_set_body(struct sample *s, const char *text, size_t len)
{
	buf_reset(&s->body);
	assert_int_equal(buf_add(&s->body, text, len), 0);
}

/* Checks op's form body against expected, then releases op. */
static SAMPLE_UNUSED void
assert_body(struct aws_op *op, const char *expected)
{
	struct buf b;

	buf_init(&b, AWS_OP_MAX_BODY);
	assert_int_equal(aws_op_form_body(op, &b), 0);
	if (strcmp(buf_cstr(&b), expected) != 0)
		fail_msg("%s body differs:\n--- expected\n%s\n--- actual\n%s", op->name, expected, buf_cstr(&b));
	buf_release(&b);
	aws_op_release(op);
}

/* The request line botocore gives for "### <service> <op>" in
 * request-bodies.txt: the line after the heading (the form body, or "" for a
 * GET). *target gets what follows the method in the heading ("/",
 * "/clusters?maxResults=100&..."). Both new; the caller frees them. */
static SAMPLE_UNUSED char *
sample_request_body(const char *service, const char *op, char **target)
{
	char *text = sample_read("request-bodies.txt"), *p, *line, *out, heading[128];
	size_t hlen;

	hlen = (size_t)snprintf(heading, sizeof(heading), "### %s %s ", service, op);
	for (p = text; (p = strstr(p, heading)) != NULL; p += hlen)
		if (p == text || p[-1] == '\n')
			break;
	if (p == NULL)
		fail_msg("no \"%s\" in request-bodies.txt", heading);
	line = p + hlen;
	while (*line == ' ')
		line++;
	line += strcspn(line, " "); /* the method */
	while (*line == ' ')
		line++;
	if (target != NULL) {
		*target = strndup(line, strcspn(line, "\n"));
		assert_non_null(*target);
	}
	line += strcspn(line, "\n");
	if (*line == '\n')
		line++;
	out = strndup(line, strcspn(line, "\n"));
	assert_non_null(out);
	free(text);
	return out;
}

#endif
