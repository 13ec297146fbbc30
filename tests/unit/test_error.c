/* tests/unit/test_error.c - struct irsa_error: set, hint, prefix, codes,
 * formatting, truncation, NULL tolerance and redaction of messages. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"

static void
test_set_returns_minus_one_and_fills(void **state)
{
	struct irsa_error err;

	assert_int_equal(irsa_error_set(&err, IRSA_ERR_NOT_FOUND, "role %s not found", "web"), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	assert_string_equal(err.message, "role web not found");
	assert_string_equal(err.code, "");
	assert_string_equal(err.hint, "");
	assert_int_equal(err.http_status, 0);
}

static void
test_null_error_is_allowed(void **state)
{
	assert_int_equal(irsa_error_set(NULL, IRSA_ERR_IO, "x"), -1);
	assert_int_equal(irsa_error_hint(NULL, "y"), -1);
	irsa_error_prefix(NULL, "z");
	irsa_error_set_code(NULL, "C", "R");
	irsa_error_clear(NULL);
}

static void
test_set_clears_previous_fields(void **state)
{
	struct irsa_error err;

	irsa_error_set(&err, IRSA_ERR_DENIED, "first");
	irsa_error_set_code(&err, "AccessDenied", "req-1");
	irsa_error_hint(&err, "ask for iam:GetRole");
	err.http_status = 403;
	irsa_error_set(&err, IRSA_ERR_PARSE, "second");
	assert_string_equal(err.code, "");
	assert_string_equal(err.request_id, "");
	assert_string_equal(err.hint, "");
	assert_int_equal(err.http_status, 0);
}

static void
test_prefix_adds_context(void **state)
{
	struct irsa_error err;

	irsa_error_set(&err, IRSA_ERR_IO, "permission denied");
	irsa_error_prefix(&err, "reading %s", "/home/u/.aws/config");
	assert_string_equal(err.message, "reading /home/u/.aws/config: permission denied");
}

static void
test_format_with_code_status_and_request_id(void **state)
{
	struct irsa_error err;
	char line[256];
	size_t n;

	irsa_error_set(&err, IRSA_ERR_DENIED, "cannot read role web");
	irsa_error_set_code(&err, "AccessDenied", "5f1a-77");
	err.http_status = 403;
	n = irsa_error_format(&err, line, sizeof(line));
	assert_string_equal(line, "cannot read role web (AccessDenied, HTTP 403, request id 5f1a-77)");
	assert_int_equal(n, strlen(line));

	irsa_error_set(&err, IRSA_ERR_IO, "plain");
	irsa_error_format(&err, line, sizeof(line));
	assert_string_equal(line, "plain");

	irsa_error_set(&err, IRSA_ERR_NETWORK, "x");
	err.http_status = 503;
	irsa_error_format(&err, line, sizeof(line));
	assert_string_equal(line, "x (HTTP 503)");
}

static void
test_format_truncates_safely(void **state)
{
	struct irsa_error err;
	char line[8];
	size_t n;

	irsa_error_set(&err, IRSA_ERR_IO, "a long message");
	n = irsa_error_format(&err, line, sizeof(line));
	assert_int_equal(n, strlen("a long message"));
	assert_string_equal(line, "a long ");
}

static void
test_long_message_truncated_not_overflowed(void **state)
{
	struct irsa_error err;
	char big[2000];

	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	irsa_error_set(&err, IRSA_ERR_PARSE, "%s", big);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
	irsa_error_prefix(&err, "%s", big);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
	irsa_error_set_code(&err, big, big);
	assert_int_equal(strlen(err.code), sizeof(err.code) - 1);
	assert_int_equal(strlen(err.request_id), sizeof(err.request_id) - 1);
}

static void
test_messages_are_redacted(void **state)
{
	struct irsa_error err;

	irsa_error_set(&err, IRSA_ERR_AUTH, "rejected header Authorization: Bearer abc.def.ghi");
	assert_null(strstr(err.message, "abc.def.ghi"));
	assert_non_null(strstr(err.message, "Bearer <redacted>"));
	irsa_error_hint(&err, "check aws_secret_access_key = wJalrXUtnFEMI/K7MDENG");
	assert_null(strstr(err.hint, "wJalrXUtnFEMI"));
}

static void
test_kind_names(void **state)
{
	assert_string_equal(irsa_err_name(IRSA_OK), "ok");
	assert_string_equal(irsa_err_name(IRSA_ERR_NOT_FOUND), "not_found");
	assert_string_equal(irsa_err_name(IRSA_ERR_INVALID_INPUT), "invalid_input");
	assert_string_equal(irsa_err_name(IRSA_ERR_INTERNAL), "internal");
	assert_string_equal(irsa_err_name((enum irsa_err)999), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_set_returns_minus_one_and_fills),
	        cmocka_unit_test(test_null_error_is_allowed),
	        cmocka_unit_test(test_set_clears_previous_fields),
	        cmocka_unit_test(test_prefix_adds_context),
	        cmocka_unit_test(test_format_with_code_status_and_request_id),
	        cmocka_unit_test(test_format_truncates_safely),
	        cmocka_unit_test(test_long_message_truncated_not_overflowed),
	        cmocka_unit_test(test_messages_are_redacted),
	        cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
