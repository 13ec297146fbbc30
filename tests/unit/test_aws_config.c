/* tests/unit/test_aws_config.c - the shared config and credentials files as
 * botocore reads them (comments, continuation and nested lines, long lines,
 * [DEFAULT], duplicates, errors naming file and line), the profile maps, and
 * the profile and region precedence. */
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

#include "aws_config.h"
#include "error.h"
#include "path.h"
#include "redact.h"

#include "aws_test_env.h"

#define AKID "AKIDEXAMPLE"

/* --- helpers -------------------------------------------------------------- */

/* Loading must fail; returns the message. */
static const char *
load_error(struct aws_test_env *t, const char *config, const char *credentials, struct irsa_error *err)
{
	struct aws_config *cfg = NULL;

	if (config != NULL)
		aws_test_write(t->config, config, 0);
	if (credentials != NULL)
		aws_test_write(t->credentials, credentials, 0);
	assert_int_equal(aws_config_load(&cfg, err), -1);
	assert_null(cfg);
	assert_int_equal(err->kind, IRSA_ERR_INVALID_INPUT);
	assert_true(err->hint[0] != '\0');
	return err->message;
}

/* --- parsing -------------------------------------------------------------- */

static void
test_missing_files_are_empty(void **state)
{
	struct aws_config *cfg = NULL;
	struct irsa_error err;
	const char *profile;
	bool explicit_flag;

	assert_int_equal(aws_config_load(&cfg, &err), 0);
	assert_int_equal(aws_config_profile_count(cfg), 0);
	assert_string_equal(aws_config_path(cfg), ((struct aws_test_env *)*state)->config);
	assert_int_equal(aws_config_resolve_profile(cfg, NULL, &profile, &explicit_flag, &err), 0);
	assert_string_equal(profile, "default");
	assert_null(aws_config_get(cfg, "default", "region"));
	aws_config_free(cfg);

	/* a path that is a directory reads as missing, as botocore's isfile() */
	assert_int_equal(aws_config_load_files(((struct aws_test_env *)*state)->dir, NULL, &cfg, &err), 0);
	assert_int_equal(aws_config_profile_count(cfg), 0);
	aws_config_free(cfg);
}

static void
test_paths_expand_tilde(void **state)
{
	struct aws_test_env *t = *state;
	struct aws_config *cfg;
	char expect[PATH_MAX];

	setenv("AWS_CONFIG_FILE", "~/config", 1);
	setenv("MY_AWS_DIR", t->dir, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "${MY_AWS_DIR}/credentials", 1);
	cfg = aws_test_load(t, "[profile a]\nregion = eu-west-1\n", "[b]\nregion = x\n");
	assert_string_equal(aws_config_path(cfg), t->config);
	assert_string_equal(aws_config_credentials_path(cfg), t->credentials);
	assert_string_equal(aws_config_get(cfg, "a", "region"), "eu-west-1");
	assert_string_equal(aws_config_get(cfg, "b", "region"), "x");
	aws_config_free(cfg);
	unsetenv("MY_AWS_DIR");

	snprintf(expect, sizeof(expect), "%s/.aws/config", t->dir);
	{
		char *p = path_expand("~/.aws/config");

		assert_string_equal(p, expect);
		free(p);
		p = path_expand("$NO_SUCH_VAR_IRSA/x");
		assert_string_equal(p, "$NO_SUCH_VAR_IRSA/x");
		free(p);
		p = path_expand("~");
		assert_string_equal(p, t->dir);
		free(p);
		p = path_expand("~no_such_user_irsa/x");
		assert_string_equal(p, "~no_such_user_irsa/x");
		free(p);
	}
}

/* botocore: config profiles in file order, then credentials sections not
 * seen; "profile NAME" split like a shell, exactly two words. */
static void
test_profiles_in_botocore_order(void **state)
{
	static const char *const want[] = {"default", "dev", "my prof", "foo", "ci", "profile x"};
	struct aws_config *cfg;
	size_t i;

	cfg = aws_test_load(*state,
	                    "[default]\nregion = us-east-1\n"
	                    "[profile dev]\nregion = eu-west-1\n"
	                    "[profile \"my prof\"]\nregion = x\n"
	                    "[profiles foo]\nregion = y\n"
	                    "[profile a b]\nregion = ignored\n"
	                    "[preview]\nk = v\n"
	                    "[sso-session corp]\nsso_region = us-east-1\n"
	                    "[services local]\niam =\n  endpoint_url = http://127.0.0.1:5000\n",
	                    "[dev]\naws_access_key_id = " AKID "\n[ci]\nregion = z\n[profile x]\nregion = w\n");
	assert_int_equal(aws_config_profile_count(cfg), 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(aws_config_profile_name(cfg, i), want[i]);
	assert_null(aws_config_profile_name(cfg, 6));
	assert_false(aws_config_has_profile(cfg, "preview"));
	assert_false(aws_config_has_profile(cfg, "corp"));
	assert_string_equal(aws_config_sso_session_get(cfg, "corp", "sso_region"), "us-east-1");
	assert_true(aws_config_has_services(cfg, "local"));
	assert_string_equal(aws_config_services_get(cfg, "local", "iam", "endpoint_url"), "http://127.0.0.1:5000");
	assert_null(aws_config_services_get(cfg, "local", "eks", "endpoint_url"));
	aws_config_free(cfg);
}

/* Session.full_config: the credentials file's keys replace the config's,
 * key by key; the other keys stay. */
static void
test_credentials_file_wins_key_by_key(void **state)
{
	struct aws_config *cfg;

	cfg = aws_test_load(*state, "[profile dev]\nregion = eu-west-1\noutput = json\n",
	                    "[dev]\nregion = us-west-2\naws_access_key_id = " AKID "\n");
	assert_string_equal(aws_config_get(cfg, "dev", "region"), "us-west-2");
	assert_string_equal(aws_config_get(cfg, "dev", "output"), "json");
	assert_string_equal(aws_config_get(cfg, "dev", "aws_access_key_id"), AKID);
	aws_config_free(cfg);
}

/* build_profile_map: [default] and [profile default] are one profile; the
 * later section replaces the earlier one whole. */
static void
test_later_default_section_wins_whole(void **state)
{
	struct aws_config *cfg;

	cfg = aws_test_load(
	        *state, "[profile default]\nregion = eu-west-1\noutput = json\n[default]\nregion = us-east-1\n", NULL);
	assert_int_equal(aws_config_profile_count(cfg), 1);
	assert_string_equal(aws_config_get(cfg, "default", "region"), "us-east-1");
	assert_null(aws_config_get(cfg, "default", "output"));
	aws_config_free(cfg);
}

/* configparser: only whole-line comments; ';' and '#' after a value are
 * part of it; keys are lower-cased, values trimmed; ':' also assigns. */
static void
test_comments_as_configparser(void **state)
{
	struct aws_config *cfg;

	cfg = aws_test_load(*state,
	                    "# a comment\n; another\n[profile a]\n  # indented comment\n"
	                    "region = us-east-1 # not a comment\n"
	                    "output = json ; nor this\n"
	                    "Role_ARN=arn:aws:iam::111122223333:role/x\n"
	                    "cli_pager: less\n"
	                    "[] = y\n"
	                    "empty =\n",
	                    NULL);
	assert_string_equal(aws_config_get(cfg, "a", "region"), "us-east-1 # not a comment");
	assert_string_equal(aws_config_get(cfg, "a", "output"), "json ; nor this");
	assert_string_equal(aws_config_get(cfg, "a", "role_arn"), "arn:aws:iam::111122223333:role/x");
	assert_null(aws_config_get(cfg, "a", "Role_ARN"));
	assert_string_equal(aws_config_get(cfg, "a", "cli_pager"), "less");
	assert_string_equal(aws_config_get(cfg, "a", "[]"), "y"); /* no header: "[]" is the key */
	assert_string_equal(aws_config_get(cfg, "a", "empty"), "");
	aws_config_free(cfg);
}

/* A line indented deeper than its key continues the value; one indented
 * like the key is a new key; a value starting on the next line is a nested
 * block (one level, split at '=', names keep their case). */
static void
test_continuation_and_nested(void **state)
{
	struct aws_config *cfg;

	cfg = aws_test_load(*state,
	                    "[profile a]\n"
	                    "output = json\n"
	                    "   more ; text\n"
	                    "\n"
	                    "   after blank\n"
	                    "s3 =\n"
	                    "  addressing_style = path\n"
	                    "  # comment inside\n"
	                    "\n"
	                    "  Signature_Version = s3v4\n"
	                    "[profile b]\n"
	                    "  region = x\n"
	                    "  output = y\n",
	                    NULL);
	assert_string_equal(aws_config_get(cfg, "a", "output"), "json\nmore ; text\n\nafter blank");
	assert_string_equal(aws_config_get(cfg, "a", "s3"), "\naddressing_style = path\n\nSignature_Version = s3v4");
	assert_string_equal(aws_config_get_nested(cfg, "a", "s3", "addressing_style"), "path");
	assert_string_equal(aws_config_get_nested(cfg, "a", "s3", "Signature_Version"), "s3v4");
	assert_null(aws_config_get_nested(cfg, "a", "s3", "signature_version"));
	assert_null(aws_config_get_nested(cfg, "a", "output", "json"));
	assert_string_equal(aws_config_get(cfg, "b", "region"), "x");
	assert_string_equal(aws_config_get(cfg, "b", "output"), "y");
	aws_config_free(cfg);
}

/* Debian's inih reads 200-byte lines; session tokens are far longer. */
static void
test_long_lines(void **state)
{
	struct aws_config *cfg;
	char token[3001], url[1001], text[5000];

	memset(token, 'T', sizeof(token) - 1);
	token[sizeof(token) - 1] = '\0';
	token[10] = ';';
	memcpy(token + sizeof(token) - 3, "==", 2);
	snprintf(url, sizeof(url), "http://localhost:5000/%0978d", 7);
	snprintf(text, sizeof(text), "[a]\naws_session_token =   %s  \nregion = r\n", token);
	aws_test_write(((struct aws_test_env *)*state)->credentials, text, 0);
	snprintf(text, sizeof(text), "[services s]\niam =\n  endpoint_url = %s\n[profile a]\ncontinued = x\n   %s\n",
	         url, url);
	cfg = aws_test_load(*state, text, NULL);
	assert_string_equal(aws_config_get(cfg, "a", "aws_session_token"), token);
	assert_string_equal(aws_config_get(cfg, "a", "region"), "r");
	assert_string_equal(aws_config_services_get(cfg, "s", "iam", "endpoint_url"), url);
	assert_true(strncmp(aws_config_get(cfg, "a", "continued"), "x\nhttp://", 9) == 0);
	assert_int_equal(strlen(aws_config_get(cfg, "a", "continued")), 2 + strlen(url));
	/* secrets read from the files are registered at once */
	assert_true(aws_test_is_redacted(token));
	aws_config_free(cfg);
	redact_reset();
}

/* configparser's [DEFAULT] adds its keys to every section. */
static void
test_default_section_applies_everywhere(void **state)
{
	struct aws_config *cfg;

	cfg = aws_test_load(*state, "[DEFAULT]\nregion = eu-central-1\n[profile a]\n[profile b]\nregion = us-east-2\n",
	                    NULL);
	assert_int_equal(aws_config_profile_count(cfg), 2);
	assert_string_equal(aws_config_get(cfg, "a", "region"), "eu-central-1");
	assert_string_equal(aws_config_get(cfg, "b", "region"), "us-east-2");
	assert_false(aws_config_has_profile(cfg, "DEFAULT"));
	aws_config_free(cfg);
}

static void
test_syntax_errors_name_file_and_line(void **state)
{
	struct aws_test_env *t = *state;
	struct irsa_error err;
	char where[PATH_MAX + 16];

	snprintf(where, sizeof(where), "%s, line 3", t->config);
	aws_test_assert_contains(load_error(t, "[a]\nk = v\njunk without equals\n", NULL, &err), where);
	aws_test_assert_contains(load_error(t, "[a]\nk = v\n[a]\n", NULL, &err), where);
	aws_test_assert_contains(err.message, "appears twice");
	aws_test_assert_contains(load_error(t, "[a]\nk = v\nK = w\n", NULL, &err), where);
	aws_test_assert_contains(err.message, "\"k\" appears twice");
	aws_test_assert_contains(load_error(t, "\n\nk = v\n[a]\n", NULL, &err), where);
	aws_test_assert_contains(err.message, "before the first [section]");
	aws_test_assert_contains(load_error(t, "[a]\nx = 1\n[broken\n", NULL, &err), where);
	aws_test_assert_contains(load_error(t, "[a]\nk = v\n= v\n", NULL, &err), where);
	aws_test_assert_contains(load_error(t, "[a]\nk = v\ns3 =\n  not a pair\n", NULL, &err), where);
	aws_test_assert_contains(err.message, "\"s3\"");
	/* "[]" is no header for configparser, nor a key: an error, not a section */
	aws_test_assert_contains(load_error(t, "[a]\nk = v\n[]\nx = 1\n", NULL, &err), where);

	/* the credentials file too, and the first error wins */
	aws_test_write(t->config, "[a]\n", 0);
	snprintf(where, sizeof(where), "%s, line 2", t->credentials);
	aws_test_assert_contains(load_error(t, NULL, "[a]\nnonsense\nmore nonsense\n", &err), where);
}

/* --- profile and region --------------------------------------------------- */

static void
test_profile_precedence(void **state)
{
	struct aws_config *cfg;
	struct aws_flags flags = {0};
	struct irsa_error err;
	const char *p;
	bool explicit_flag;

	cfg = aws_test_load(*state, "[profile flag]\n[profile dp]\n[profile p]\n", NULL);
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), 0);
	assert_string_equal(p, "default");
	setenv("AWS_PROFILE", "p", 1);
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), 0);
	assert_string_equal(p, "p");
	assert_false(explicit_flag);
	/* botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE */
	setenv("AWS_DEFAULT_PROFILE", "dp", 1);
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), 0);
	assert_string_equal(p, "dp");
	flags.profile = "flag";
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), 0);
	assert_string_equal(p, "flag");
	assert_true(explicit_flag);

	/* a named profile must exist, but "default" need not */
	flags.profile = "nope";
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	aws_test_assert_contains(err.message, "\"nope\" (from --profile)");
	aws_test_assert_contains(err.hint, "[profile nope]");
	flags.profile = NULL;
	setenv("AWS_DEFAULT_PROFILE", "gone", 1);
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), -1);
	aws_test_assert_contains(err.message, "AWS_DEFAULT_PROFILE");
	setenv("AWS_DEFAULT_PROFILE", "default", 1);
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), 0);
	aws_config_free(cfg);
}

static void
test_region_precedence(void **state)
{
	struct aws_config *cfg;
	struct aws_flags flags = {0};
	struct irsa_error err;
	char *r;

	cfg = aws_test_load(
	        *state, "[profile a]\nregion = eu-west-1\n[profile none]\noutput = json\n[profile blank]\nregion =\n",
	        NULL);
	r = aws_config_resolve_region(cfg, &flags, "a", &err);
	assert_string_equal(r, "eu-west-1");
	free(r);
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	r = aws_config_resolve_region(cfg, &flags, "a", &err);
	assert_string_equal(r, "us-west-1");
	free(r);
	setenv("AWS_REGION", "us-west-2", 1);
	r = aws_config_resolve_region(cfg, &flags, "a", &err);
	assert_string_equal(r, "us-west-2");
	free(r);
	flags.region = "ap-south-1";
	r = aws_config_resolve_region(cfg, &flags, "a", &err);
	assert_string_equal(r, "ap-south-1");
	free(r);

	flags.region = NULL;
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	assert_null(aws_config_resolve_region(cfg, &flags, "none", &err));
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	aws_test_assert_contains(err.message, "\"none\"");
	aws_test_assert_contains(err.hint, "--region");
	aws_test_assert_contains(err.hint, "AWS_REGION");
	aws_test_assert_contains(err.hint, "[profile none]");
	assert_null(aws_config_resolve_region(cfg, &flags, "blank", &err));
	assert_null(aws_config_resolve_region(cfg, &flags, "default", &err));
	aws_test_assert_contains(err.hint, "[default]");
	aws_config_free(cfg);
}

/* Releasing nothing is allowed; botocore's booleans. */
static void
test_free_null_and_is_true(void **state)
{
	(void)state;
	aws_config_free(NULL);
	assert_true(aws_config_is_true("TRUE"));
	assert_false(aws_config_is_true("1"));
}

/* --- running -------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, aws_test_setup, aws_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_missing_files_are_empty),
	        T(test_paths_expand_tilde),
	        T(test_profiles_in_botocore_order),
	        T(test_credentials_file_wins_key_by_key),
	        T(test_later_default_section_wins_whole),
	        T(test_comments_as_configparser),
	        T(test_continuation_and_nested),
	        T(test_long_lines),
	        T(test_default_section_applies_everywhere),
	        T(test_syntax_errors_name_file_and_line),
	        T(test_profile_precedence),
	        T(test_region_precedence),
	        T(test_free_null_and_is_true),
	};

	return cmocka_run_group_tests_name("aws_config", tests, NULL, NULL);
}
