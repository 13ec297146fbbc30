/* tests/unit/test_aws_sso.c - the SSO token cache: the file named by the
 * SHA-1 of the session or start URL, expired and missing tokens saying how
 * to log in again, and the token registered for redaction. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "aws_sso.h"
#include "error.h"
#include "redact.h"

#include "aws_test_env.h"

/* --- the SSO token cache ---------------------------------------------------- */

static void
test_sso_token_cache(void **state)
{
	struct aws_test_env *t = *state;
	struct aws_sso_token tok;
	struct irsa_error err;
	char path[PATH_MAX];

	aws_test_path(t, ".aws", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	aws_test_path(t, ".aws/sso", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	aws_test_path(t, ".aws/sso/cache", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	/* sha1("corp") and sha1("https://old.awsapps.com/start") */
	aws_test_path(t, ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json", path, sizeof(path));
	aws_test_write(path, "{\"accessToken\": \"sso-access-token-1\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}", 0);
	aws_test_path(t, ".aws/sso/cache/33d5ca4bf3b1a62edb96b47f7c203034a43ac435.json", path, sizeof(path));
	aws_test_write(path, "{\"accessToken\": \"sso-access-token-2\", \"expiresAt\": \"2020-01-01T00:00:00UTC\"}", 0);

	assert_int_equal(
	        aws_sso_token_load(NULL, "sso", "https://corp.awsapps.com/start", "corp", 1700000000, &tok, &err), 0);
	assert_string_equal(tok.access_token, "sso-access-token-1");
	assert_int_equal(tok.expires_at, 1893456000);
	aws_test_assert_contains(tok.path, "ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
	assert_true(aws_test_is_redacted("sso-access-token-1"));
	aws_sso_token_release(&tok);
	assert_null(tok.access_token);

	/* expired, then missing: both say how to log in again */
	assert_int_equal(
	        aws_sso_token_load(NULL, "legacy", "https://old.awsapps.com/start", NULL, 1700000000, &tok, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "expired");
	assert_string_equal(err.hint, "Run: aws sso login --profile legacy");
	assert_null(tok.access_token);
	assert_int_equal(aws_sso_token_load(NULL, "other", "https://x.awsapps.com/start", NULL, 0, &tok, &err), -1);
	aws_test_assert_contains(err.message, "missing");
	assert_string_equal(err.hint, "Run: aws sso login --profile other");

	aws_test_path(t, ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json", path, sizeof(path));
	aws_test_write(path, "{\"accessToken\": \"x\"}", 0);
	assert_int_equal(aws_sso_token_load(NULL, "sso", NULL, "corp", 0, &tok, &err), -1);
	aws_test_assert_contains(err.message, "expiresAt");
	redact_reset();
}

/* Releasing leaves nothing behind. */
static void
test_release_is_idempotent(void **state)
{
	struct aws_sso_token tok = {0};

	(void)state;
	aws_sso_token_release(&tok);
}

/* --- running -------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, aws_test_setup, aws_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_sso_token_cache),
	        T(test_release_is_idempotent),
	};

	return cmocka_run_group_tests_name("aws_sso", tests, NULL, NULL);
}
