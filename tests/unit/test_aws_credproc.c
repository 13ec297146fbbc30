/* tests/unit/test_aws_credproc.c - running credential_process: words as
 * shlex.split() gives them, the JSON it must print, failures naming the
 * profile and the helper's first stderr line, the time limit (for what it
 * started too) and the output cap, and that the secrets are registered. */
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

#include "aws_credproc.h"
#include "error.h"
#include "redact.h"

#include "aws_test_env.h"

/* --- credential_process ------------------------------------------------------- */

/* Writes an executable script in the test directory; returns its path. */
static const char *
script(struct aws_test_env *t, const char *name, const char *body, char *path, size_t pathsz)
{
	char text[4096];

	aws_test_path(t, name, path, pathsz);
	snprintf(text, sizeof(text), "#!/bin/sh\n%s\n", body);
	aws_test_write(path, text, 1);
	return path;
}

static void
test_process_success(void **state)
{
	struct aws_test_env *t = *state;
	struct aws_credentials c;
	struct irsa_error err;
	char path[PATH_MAX], cmd[PATH_MAX * 2];

	/* the words arrive as shlex.split() gives them: no shell in between */
	script(t, "helper script",
	       "printf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"process-secret-1\", ' "
	       "\"$1\" \n"
	       "printf '\"SessionToken\": \"process-token-1\", \"Expiration\": \"2030-01-01T01:00:00+01:00\", '\n"
	       "printf '\"AccountId\": \"%s\"}' \"$2\"\n"
	       "echo ignored >&2",
	       path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "'%s' AKID\\ PROC \"$HOME ;x\"", path);
	assert_int_equal(aws_credential_process_run(NULL, "proc", cmd, 5000, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKID PROC");
	assert_string_equal(c.secret_access_key, "process-secret-1");
	assert_string_equal(c.session_token, "process-token-1");
	assert_string_equal(c.account_id, "$HOME ;x");
	assert_int_equal(c.expiration, 1893456000);
	assert_true(aws_test_is_redacted("process-secret-1"));
	assert_true(aws_test_is_redacted("process-token-1"));
	aws_credentials_release(&c);
	assert_null(c.secret_access_key);
	assert_null(c.session_token);

	/* no session token, no expiration: long-term keys */
	script(t, "min", "echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"min-secret-1\"}'", path,
	       sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "proc", path, 0, &c, &err), 0);
	assert_null(c.session_token);
	assert_int_equal(c.expiration, 0);
	aws_credentials_release(&c);
	redact_reset();
}

static void
test_process_failures(void **state)
{
	struct aws_test_env *t = *state;
	struct aws_credentials c;
	struct irsa_error err;
	char path[PATH_MAX];

	script(t, "fail", "echo 'token expired: run sso login' >&2; echo second line >&2; exit 3", path, sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "dev", path, 5000, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "\"dev\"");
	aws_test_assert_contains(err.message, "exited with 3: token expired: run sso login");
	assert_null(strstr(err.message, "second line"));
	assert_null(c.access_key_id);

	script(t, "badjson", "echo 'AccessKeyId=A'", path, sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "dev", path, 5000, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	aws_test_assert_contains(err.message, "did not print a JSON object");

	script(t, "v2", "echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'", path,
	       sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "dev", path, 5000, &c, &err), -1);
	aws_test_assert_contains(err.message, "Version");

	script(t, "nokey", "echo '{\"Version\": 1, \"SecretAccessKey\": \"nokey-secret-1\"}'", path, sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "dev", path, 5000, &c, &err), -1);
	aws_test_assert_contains(err.message, "AccessKeyId");

	script(t, "badtime",
	       "echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S1234567\", \"Expiration\": "
	       "\"tomorrow\"}'",
	       path, sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "dev", path, 5000, &c, &err), -1);
	aws_test_assert_contains(err.message, "Expiration");

	assert_int_equal(aws_credential_process_run(NULL, "dev", "/no/such/helper --x", 5000, &c, &err), -1);
	aws_test_assert_contains(err.message, "cannot run");
	aws_test_assert_contains(err.message, "/no/such/helper");
	assert_int_equal(aws_credential_process_run(NULL, "dev", "helper 'unclosed", 5000, &c, &err), -1);
	aws_test_assert_contains(err.message, "closing quotation");
	assert_int_equal(aws_credential_process_run(NULL, "dev", "   ", 5000, &c, &err), -1);
	aws_test_assert_contains(err.message, "empty");
	redact_reset();
}

static void
test_process_timeout_and_cap(void **state)
{
	struct aws_test_env *t = *state;
	struct aws_credentials c;
	struct irsa_error err;
	char path[PATH_MAX];
	time_t start = time(NULL);

	/* the child and what it started are stopped */
	script(t, "hang", "sleep 30 & sleep 30", path, sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "slow", path, 300, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "\"slow\"");
	aws_test_assert_contains(err.message, "did not finish");
	assert_true(time(NULL) - start < 10);
	/* closing its output does not end the wait: exiting does */
	script(t, "mute", "exec >&- 2>&-; sleep 30", path, sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "mute", path, 300, &c, &err), -1);
	aws_test_assert_contains(err.message, "did not finish");
	assert_true(time(NULL) - start < 10);

	script(t, "chatty", "exec yes", path, sizeof(path));
	assert_int_equal(aws_credential_process_run(NULL, "loud", path, 5000, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	aws_test_assert_contains(err.message, "\"loud\"");
}

/* --- running -------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, aws_test_setup, aws_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_process_success),
	        T(test_process_failures),
	        T(test_process_timeout_and_cap),
	};

	return cmocka_run_group_tests_name("aws_credproc", tests, NULL, NULL);
}
