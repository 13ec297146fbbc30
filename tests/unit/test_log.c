/* tests/unit/test_log.c - the logger: levels, the sink, redaction before any
 * sink sees a line, nothing without a sink, and safety under threads. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "redact.h"

struct capture {
	char lines[16][512];
	enum log_level levels[16];
	int count;
	int total;
};

static void
capture_sink(enum log_level level, const char *line, void *arg)
{
	struct capture *c = arg;

	if (c->count < 16) {
		snprintf(c->lines[c->count], sizeof(c->lines[0]), "%s", line);
		c->levels[c->count++] = level;
	}
	c->total++;
}

static int
teardown(void **state)
{
	log_set_sink(NULL, NULL, LOG_ERROR);
	redact_reset();
	return 0;
}

static void
test_levels_filter(void **state)
{
	struct capture c = {0};

	log_set_sink(capture_sink, &c, LOG_INFO);
	log_error("e %d", 1);
	log_info("i");
	log_debug("d");
	log_trace("t");
	assert_int_equal(c.count, 2);
	assert_string_equal(c.lines[0], "e 1");
	assert_int_equal(c.levels[0], LOG_ERROR);
	assert_string_equal(c.lines[1], "i");
	assert_true(log_enabled(LOG_INFO));
	assert_false(log_enabled(LOG_DEBUG));
}

static void
test_no_sink_no_output(void **state)
{
	log_set_sink(NULL, NULL, LOG_TRACE);
	assert_false(log_enabled(LOG_ERROR));
	log_error("dropped"); /* must not crash */
}

static void
test_secrets_redacted_before_sink(void **state)
{
	struct capture c = {0};

	log_set_sink(capture_sink, &c, LOG_TRACE);
	redact_register("my-registered-secret-key");
	log_trace("> POST / HTTP/1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/"
	          "us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=%s",
	          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	log_debug("loaded key %s from ~/.aws/credentials", "my-registered-secret-key");
	log_trace("< {\"status\":{\"token\":\"k8s-aws-v1.aHR0cHM6Ly9zdHM\"}}");
	assert_int_equal(c.count, 3);
	assert_null(strstr(c.lines[0], "0123456789abcdef"));
	assert_null(strstr(c.lines[0], "IOSFODNN7EXA"));
	assert_non_null(strstr(c.lines[0], "SignedHeaders=host;x-amz-date"));
	assert_string_equal(c.lines[1], "loaded key <redacted> from ~/.aws/credentials");
	assert_null(strstr(c.lines[2], "aHR0cHM6Ly9zdHM"));
}

static void
test_long_line_survives(void **state)
{
	struct capture c = {0};
	char *big = malloc(100000);

	memset(big, 'x', 99999);
	big[99999] = '\0';
	log_set_sink(capture_sink, &c, LOG_TRACE);
	log_info("%s", big);
	assert_int_equal(c.count, 1);
	assert_int_equal(strncmp(c.lines[0], "xxxx", 4), 0);
	free(big);
}

static void *
log_from_thread(void *arg)
{
	int i;

	for (i = 0; i < 500; i++)
		log_info("thread %d line %d Bearer secret%d", *(int *)arg, i, i);
	return NULL;
}

static void
test_threads(void **state)
{
	struct capture c = {0};
	pthread_t t[4];
	int ids[4] = {0, 1, 2, 3}, i;

	log_set_sink(capture_sink, &c, LOG_INFO);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, log_from_thread, &ids[i]), 0);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(c.total, 2000);
	assert_null(strstr(c.lines[0], "secret"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_teardown(test_levels_filter, teardown),
	        cmocka_unit_test_teardown(test_no_sink_no_output, teardown),
	        cmocka_unit_test_teardown(test_secrets_redacted_before_sink, teardown),
	        cmocka_unit_test_teardown(test_long_line_survives, teardown),
	        cmocka_unit_test_teardown(test_threads, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
