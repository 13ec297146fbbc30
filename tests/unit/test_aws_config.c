/* tests/unit/test_aws_config.c - the shared config and credentials files as
 * botocore reads them (comments, continuation and nested lines, long lines,
 * [DEFAULT], duplicates, errors naming file and line), the profile and
 * region precedence, the credential plan in botocore's chain order
 * (source_profile chains and loops, credential_source, web identity, SSO,
 * process, container, IMDS), running credential_process, the SSO token
 * cache, and that every secret handed out is registered for redaction. */
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
#include "redact.h"

#include "aws_test_env.h"

#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

/* --- helpers -------------------------------------------------------------- */

static struct aws_config *
load(struct aws_test_env *t, const char *config, const char *credentials)
{
	struct aws_config *cfg = NULL;
	struct irsa_error err;

	if (config != NULL)
		aws_test_write(t->config, config, 0);
	if (credentials != NULL)
		aws_test_write(t->credentials, credentials, 0);
	if (aws_config_load(&cfg, &err) != 0)
		fail_msg("load failed: %s", err.message);
	return cfg;
}

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

static void
assert_contains(const char *haystack, const char *needle)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", haystack ? haystack : "(null)", needle);
}

/* Builds the plan for profile; fails the test on error. */
static void
plan_ok(struct aws_config *cfg, const char *profile, bool explicit_flag, struct aws_cred_plan *plan)
{
	struct irsa_error err;

	if (aws_cred_plan_build(cfg, profile, explicit_flag, plan, &err) != 0)
		fail_msg("plan failed: %s", err.message);
	assert_true(plan->n_steps > 0);
}

static void
plan_fails(struct aws_config *cfg, const char *profile, struct irsa_error *err)
{
	struct aws_cred_plan plan;

	assert_int_equal(aws_cred_plan_build(cfg, profile, false, &plan, err), -1);
	assert_int_equal(plan.n_steps, 0);
	assert_null(plan.steps);
	assert_true(err->hint[0] != '\0');
}

/* True when s is registered with the redactor. */
static bool
is_redacted(const char *s)
{
	char *r = redact_dup(s);
	bool yes = r != NULL && strstr(r, s) == NULL;

	free(r);
	return yes;
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
	cfg = load(t, "[profile a]\nregion = eu-west-1\n", "[b]\nregion = x\n");
	assert_string_equal(aws_config_path(cfg), t->config);
	assert_string_equal(aws_config_credentials_path(cfg), t->credentials);
	assert_string_equal(aws_config_get(cfg, "a", "region"), "eu-west-1");
	assert_string_equal(aws_config_get(cfg, "b", "region"), "x");
	aws_config_free(cfg);
	unsetenv("MY_AWS_DIR");

	snprintf(expect, sizeof(expect), "%s/.aws/config", t->dir);
	{
		char *p = aws_expand_path("~/.aws/config");

		assert_string_equal(p, expect);
		free(p);
		p = aws_expand_path("$NO_SUCH_VAR_IRSA/x");
		assert_string_equal(p, "$NO_SUCH_VAR_IRSA/x");
		free(p);
		p = aws_expand_path("~");
		assert_string_equal(p, t->dir);
		free(p);
		p = aws_expand_path("~no_such_user_irsa/x");
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

	cfg = load(*state,
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

	cfg = load(*state, "[profile dev]\nregion = eu-west-1\noutput = json\n",
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

	cfg = load(*state, "[profile default]\nregion = eu-west-1\noutput = json\n[default]\nregion = us-east-1\n",
	           NULL);
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

	cfg = load(*state,
	           "# a comment\n; another\n[profile a]\n  # indented comment\n"
	           "region = us-east-1 # not a comment\n"
	           "output = json ; nor this\n"
	           "Role_ARN=arn:aws:iam::111122223333:role/x\n"
	           "cli_pager: less\n"
	           "empty =\n",
	           NULL);
	assert_string_equal(aws_config_get(cfg, "a", "region"), "us-east-1 # not a comment");
	assert_string_equal(aws_config_get(cfg, "a", "output"), "json ; nor this");
	assert_string_equal(aws_config_get(cfg, "a", "role_arn"), "arn:aws:iam::111122223333:role/x");
	assert_null(aws_config_get(cfg, "a", "Role_ARN"));
	assert_string_equal(aws_config_get(cfg, "a", "cli_pager"), "less");
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

	cfg = load(*state,
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
	cfg = load(*state, text, NULL);
	assert_string_equal(aws_config_get(cfg, "a", "aws_session_token"), token);
	assert_string_equal(aws_config_get(cfg, "a", "region"), "r");
	assert_string_equal(aws_config_services_get(cfg, "s", "iam", "endpoint_url"), url);
	assert_true(strncmp(aws_config_get(cfg, "a", "continued"), "x\nhttp://", 9) == 0);
	assert_int_equal(strlen(aws_config_get(cfg, "a", "continued")), 2 + strlen(url));
	/* secrets read from the files are registered at once */
	assert_true(is_redacted(token));
	aws_config_free(cfg);
	redact_reset();
}

/* configparser's [DEFAULT] adds its keys to every section. */
static void
test_default_section_applies_everywhere(void **state)
{
	struct aws_config *cfg;

	cfg = load(*state, "[DEFAULT]\nregion = eu-central-1\n[profile a]\n[profile b]\nregion = us-east-2\n", NULL);
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
	assert_contains(load_error(t, "[a]\nk = v\njunk without equals\n", NULL, &err), where);
	assert_contains(load_error(t, "[a]\nk = v\n[a]\n", NULL, &err), where);
	assert_contains(err.message, "appears twice");
	assert_contains(load_error(t, "[a]\nk = v\nK = w\n", NULL, &err), where);
	assert_contains(err.message, "\"k\" appears twice");
	assert_contains(load_error(t, "\n\nk = v\n[a]\n", NULL, &err), where);
	assert_contains(err.message, "before the first [section]");
	assert_contains(load_error(t, "[a]\nx = 1\n[broken\n", NULL, &err), where);
	assert_contains(load_error(t, "[a]\nk = v\n= v\n", NULL, &err), where);
	assert_contains(load_error(t, "[a]\nk = v\ns3 =\n  not a pair\n", NULL, &err), where);
	assert_contains(err.message, "\"s3\"");

	/* the credentials file too, and the first error wins */
	aws_test_write(t->config, "[a]\n", 0);
	snprintf(where, sizeof(where), "%s, line 2", t->credentials);
	assert_contains(load_error(t, NULL, "[a]\nnonsense\nmore nonsense\n", &err), where);
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

	cfg = load(*state, "[profile flag]\n[profile dp]\n[profile p]\n", NULL);
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
	assert_contains(err.message, "\"nope\" (from --profile)");
	assert_contains(err.hint, "[profile nope]");
	flags.profile = NULL;
	setenv("AWS_DEFAULT_PROFILE", "gone", 1);
	assert_int_equal(aws_config_resolve_profile(cfg, &flags, &p, &explicit_flag, &err), -1);
	assert_contains(err.message, "AWS_DEFAULT_PROFILE");
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

	cfg = load(*state,
	           "[profile a]\nregion = eu-west-1\n[profile none]\noutput = json\n[profile blank]\nregion =\n", NULL);
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
	assert_contains(err.message, "\"none\"");
	assert_contains(err.hint, "--region");
	assert_contains(err.hint, "AWS_REGION");
	assert_contains(err.hint, "[profile none]");
	assert_null(aws_config_resolve_region(cfg, &flags, "blank", &err));
	assert_null(aws_config_resolve_region(cfg, &flags, "default", &err));
	assert_contains(err.hint, "[default]");
	aws_config_free(cfg);
}

/* --- the credential plan ---------------------------------------------------- */

static void
test_plan_environment_keys_first(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = load(*state, NULL, "[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profilesecret1\n");
	setenv("AWS_ACCESS_KEY_ID", AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
	setenv("AWS_SESSION_TOKEN", "session-token-env", 1);
	setenv("AWS_SECURITY_TOKEN", "security-token-env", 1);
	setenv("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z", 1);

	/* AWS_PROFILE does not turn the environment's keys off */
	plan_ok(cfg, "p", false, &plan);
	assert_int_equal(plan.n_steps, 1);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_ENV);
	assert_string_equal(plan.steps[0].creds.access_key_id, AKID);
	assert_string_equal(plan.steps[0].creds.secret_access_key, SECRET);
	/* botocore reads AWS_SECURITY_TOKEN first */
	assert_string_equal(plan.steps[0].creds.session_token, "security-token-env");
	assert_int_equal(plan.steps[0].creds.expiration, 1893456000);
	assert_true(is_redacted(SECRET));
	assert_true(is_redacted("security-token-env"));
	aws_cred_plan_release(&plan);
	assert_null(plan.steps);

	/* --profile does */
	plan_ok(cfg, "p", true, &plan);
	assert_int_equal(plan.n_steps, 1);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_STATIC);
	assert_string_equal(plan.steps[0].creds.access_key_id, "AKIDPROFILE");
	assert_string_equal(plan.steps[0].origin, ((struct aws_test_env *)*state)->credentials);
	aws_cred_plan_release(&plan);

	/* half a pair is an error, not a fall-through */
	unsetenv("AWS_SECRET_ACCESS_KEY");
	plan_fails(cfg, "p", &err);
	assert_contains(err.message, "AWS_SECRET_ACCESS_KEY");
	/* an empty AWS_ACCESS_KEY_ID is unset */
	setenv("AWS_ACCESS_KEY_ID", "", 1);
	plan_ok(cfg, "p", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_STATIC);
	aws_cred_plan_release(&plan);
	aws_config_free(cfg);
	redact_reset();
}

/* SharedCredentialProvider (credentials file) before ConfigProvider; each
 * reads its own file, not the merged profile. */
static void
test_plan_static_keys(void **state)
{
	struct aws_test_env *t = *state;
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = load(t,
	           "[profile both]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = configsecret\n"
	           "[profile conf]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = configsecret\n"
	           "aws_session_token = configtoken1\n"
	           "[profile half]\naws_access_key_id = AKIDHALF\n",
	           "[both]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = credssecret\n"
	           "[conf]\naws_session_token = credstoken\n");
	plan_ok(cfg, "both", false, &plan);
	assert_string_equal(plan.steps[0].creds.access_key_id, "AKIDCREDS");
	assert_string_equal(plan.steps[0].origin, t->credentials);
	assert_null(plan.steps[0].creds.session_token);
	aws_cred_plan_release(&plan);

	plan_ok(cfg, "conf", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_STATIC);
	assert_string_equal(plan.steps[0].creds.access_key_id, "AKIDCONFIG");
	assert_string_equal(plan.steps[0].creds.session_token, "configtoken1");
	assert_string_equal(plan.steps[0].origin, t->config);
	aws_cred_plan_release(&plan);

	plan_fails(cfg, "half", &err);
	assert_contains(err.message, "\"half\"");
	assert_contains(err.message, "aws_secret_access_key");
	aws_config_free(cfg);
	redact_reset();
}

static const char chain_config[] = "[profile a]\n"
                                   "role_arn = arn:aws:iam::111122223333:role/a\n"
                                   "source_profile = b\n"
                                   "role_session_name = me\n"
                                   "external_id = ext-1\n"
                                   "mfa_serial = arn:aws:iam::111122223333:mfa/me\n"
                                   "duration_seconds = 3600\n"
                                   "[profile b]\n"
                                   "role_arn = arn:aws:iam::111122223333:role/b\n"
                                   "source_profile = c\n"
                                   "duration_seconds = soon\n"
                                   "[profile c]\n"
                                   "region = us-east-1\n";

static void
test_plan_source_profile_chain(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;

	cfg = load(*state, chain_config, "[c]\naws_access_key_id = AKIDC\naws_secret_access_key = secret-of-c\n");
	/* --profile: the chain is followed to its end */
	plan_ok(cfg, "a", true, &plan);
	assert_int_equal(plan.n_steps, 3);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_STATIC);
	assert_string_equal(plan.steps[0].profile, "c");
	assert_int_equal(plan.steps[1].kind, AWS_CRED_ASSUME_ROLE);
	assert_string_equal(plan.steps[1].profile, "b");
	assert_string_equal(plan.steps[1].role_arn, "arn:aws:iam::111122223333:role/b");
	assert_int_equal(plan.steps[1].duration_seconds, 0); /* botocore drops what int() cannot read */
	assert_null(plan.steps[1].role_session_name);
	assert_int_equal(plan.steps[2].kind, AWS_CRED_ASSUME_ROLE);
	assert_string_equal(plan.steps[2].profile, "a");
	assert_string_equal(plan.steps[2].role_session_name, "me");
	assert_string_equal(plan.steps[2].external_id, "ext-1");
	assert_string_equal(plan.steps[2].mfa_serial, "arn:aws:iam::111122223333:mfa/me");
	assert_int_equal(plan.steps[2].duration_seconds, 3600);
	assert_string_equal(aws_cred_kind_name(plan.steps[2].kind), "assume-role");
	aws_cred_plan_release(&plan);

	/* without --profile, keys in the environment come first */
	setenv("AWS_ACCESS_KEY_ID", AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
	plan_ok(cfg, "a", false, &plan);
	assert_int_equal(plan.n_steps, 1);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_ENV);
	aws_cred_plan_release(&plan);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_plan_source_profile_loops(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = load(*state,
	           "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
	           "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
	           "[profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = a\n"
	           "[profile self]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = self\n"
	           "[profile selfkeys]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = selfkeys\n"
	           "aws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n",
	           NULL);
	plan_fails(cfg, "a", &err);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_contains(err.message, "a -> b -> c -> a");
	plan_fails(cfg, "b", &err);
	assert_contains(err.message, "b -> c -> a -> b");
	plan_fails(cfg, "self", &err);
	assert_contains(err.message, "self -> self");

	/* a profile may source its own static keys */
	plan_ok(cfg, "selfkeys", false, &plan);
	assert_int_equal(plan.n_steps, 2);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_STATIC);
	assert_string_equal(plan.steps[0].creds.access_key_id, "AKIDSELF");
	assert_int_equal(plan.steps[1].kind, AWS_CRED_ASSUME_ROLE);
	aws_cred_plan_release(&plan);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_plan_role_errors(void **state)
{
	struct aws_config *cfg;
	struct irsa_error err;

	cfg = load(*state,
	           "[profile missing]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = ghost\n"
	           "[profile both]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = x\ncredential_source = "
	           "Environment\n"
	           "[profile neither]\nrole_arn = arn:aws:iam::1:role/a\n"
	           "[profile empty]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = nocreds\n"
	           "[profile nocreds]\nregion = us-east-1\n"
	           "[profile badsource]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = environment\n",
	           NULL);
	plan_fails(cfg, "missing", &err);
	assert_contains(err.message, "\"ghost\"");
	assert_contains(err.message, "\"missing\"");
	plan_fails(cfg, "both", &err);
	assert_contains(err.message, "both source_profile and credential_source");
	plan_fails(cfg, "neither", &err);
	assert_contains(err.message, "neither source_profile nor credential_source");
	plan_fails(cfg, "empty", &err);
	assert_contains(err.message, "\"nocreds\" must have credentials");
	plan_fails(cfg, "badsource", &err);
	assert_contains(err.message, "\"environment\"");
	assert_contains(err.hint, "Ec2InstanceMetadata");
	aws_config_free(cfg);
}

static void
test_plan_credential_source(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = load(*state,
	           "[profile env]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Environment\n"
	           "[profile ecs]\nrole_arn = arn:aws:iam::1:role/c\ncredential_source = EcsContainer\n"
	           "[profile ec2]\nrole_arn = arn:aws:iam::1:role/i\ncredential_source = Ec2InstanceMetadata\n",
	           NULL);
	plan_fails(cfg, "env", &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_contains(err.message, "credential_source Environment");
	plan_fails(cfg, "ecs", &err);
	assert_contains(err.hint, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

	/* with --profile the environment's keys are still a credential_source */
	setenv("AWS_ACCESS_KEY_ID", AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
	plan_ok(cfg, "env", true, &plan);
	assert_int_equal(plan.n_steps, 2);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_ENV);
	assert_string_equal(plan.steps[0].profile, "env");
	assert_int_equal(plan.steps[1].kind, AWS_CRED_ASSUME_ROLE);
	aws_cred_plan_release(&plan);

	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc", 1);
	plan_ok(cfg, "ecs", true, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_CONTAINER);
	assert_string_equal(plan.steps[0].url, "http://169.254.170.2/v2/credentials/abc");
	aws_cred_plan_release(&plan);

	plan_ok(cfg, "ec2", true, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_IMDS);
	assert_int_equal(plan.steps[1].kind, AWS_CRED_ASSUME_ROLE);
	aws_cred_plan_release(&plan);
	setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
	unsetenv("AWS_ACCESS_KEY_ID");
	plan_fails(cfg, "ec2", &err);
	assert_contains(err.message, "Ec2InstanceMetadata");
	aws_config_free(cfg);
	redact_reset();
}

static void
test_plan_web_identity(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = load(*state,
	           "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /prof/token\n"
	           "role_session_name = prof-session\n"
	           "[profile plain]\nregion = us-east-1\n"
	           "[profile noarn]\nweb_identity_token_file = /prof/token\n",
	           NULL);
	/* role_arn with a token file is web identity, not AssumeRole */
	plan_ok(cfg, "ci", false, &plan);
	assert_int_equal(plan.n_steps, 1);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_WEB_IDENTITY);
	assert_string_equal(plan.steps[0].token_file, "/prof/token");
	assert_string_equal(plan.steps[0].role_arn, "arn:aws:iam::1:role/ci");
	assert_string_equal(plan.steps[0].role_session_name, "prof-session");
	aws_cred_plan_release(&plan);

	/* the environment overrides key by key (IRSA sets these) */
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa", 1);
	plan_ok(cfg, "ci", false, &plan);
	assert_string_equal(plan.steps[0].token_file, "/var/run/secrets/eks.amazonaws.com/serviceaccount/token");
	assert_string_equal(plan.steps[0].role_arn, "arn:aws:iam::1:role/irsa");
	assert_string_equal(plan.steps[0].role_session_name, "prof-session");
	assert_string_equal(plan.steps[0].origin, "environment");
	aws_cred_plan_release(&plan);
	plan_ok(cfg, "plain", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_WEB_IDENTITY);
	aws_cred_plan_release(&plan);

	/* --profile turns the environment's variables off */
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	assert_int_equal(aws_cred_plan_build(cfg, "plain", true, &plan, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_contains(err.message, "no AWS credentials found for profile \"plain\"");

	unsetenv("AWS_ROLE_ARN");
	plan_fails(cfg, "noarn", &err);
	assert_contains(err.message, "no role ARN");
	aws_config_free(cfg);
}

static void
test_plan_sso(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = load(
	        *state,
	        "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
	        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
	        "[profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = eu-west-1\n"
	        "sso_account_id = 1\nsso_role_name = R\n"
	        "[profile partial]\nsso_account_id = 1\nsso_region = eu-west-1\n"
	        "[profile ghost]\nsso_session = nope\nsso_role_name = R\n"
	        "[profile clash]\nsso_session = corp\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = R\n",
	        NULL);
	plan_ok(cfg, "sso", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_SSO);
	assert_string_equal(plan.steps[0].sso_start_url, "https://corp.awsapps.com/start");
	assert_string_equal(plan.steps[0].sso_region, "us-east-1");
	assert_string_equal(plan.steps[0].sso_account_id, "111122223333");
	assert_string_equal(plan.steps[0].sso_role_name, "Admin");
	assert_string_equal(plan.steps[0].sso_session, "corp");
	aws_cred_plan_release(&plan);
	plan_ok(cfg, "legacy", false, &plan);
	assert_null(plan.steps[0].sso_session);
	assert_string_equal(plan.steps[0].sso_start_url, "https://old.awsapps.com/start");
	aws_cred_plan_release(&plan);

	plan_fails(cfg, "partial", &err);
	assert_contains(err.message, "missing: sso_role_name, sso_start_url");
	plan_fails(cfg, "ghost", &err);
	assert_contains(err.message, "\"nope\"");
	plan_fails(cfg, "clash", &err);
	assert_contains(err.message, "sso_region differs");
	aws_config_free(cfg);
}

/* Web identity, SSO, credentials file, login, process, config file keys. */
static void
test_plan_profile_provider_order(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;

	cfg = load(*state,
	           "[profile p]\ncredential_process = /bin/helper --x\naws_access_key_id = AKIDCONF\n"
	           "aws_secret_access_key = conf-secret\n"
	           "[profile l]\nlogin_session = arn:aws:iam::1:user/me\ncredential_process = /bin/helper\n"
	           "[profile k]\ncredential_process = /bin/helper\n"
	           "[profile s]\nsso_start_url = u\nsso_region = r\nsso_account_id = 1\nsso_role_name = R\n",
	           "[k]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n"
	           "[s]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n");
	plan_ok(cfg, "p", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_PROCESS);
	assert_string_equal(plan.steps[0].command, "/bin/helper --x");
	aws_cred_plan_release(&plan);
	plan_ok(cfg, "l", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_LOGIN);
	assert_string_equal(plan.steps[0].login_session, "arn:aws:iam::1:user/me");
	aws_cred_plan_release(&plan);
	plan_ok(cfg, "k", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_STATIC);
	aws_cred_plan_release(&plan);
	plan_ok(cfg, "s", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_SSO);
	aws_cred_plan_release(&plan);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_plan_container_and_imds(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = load(*state,
	           "[default]\nec2_metadata_service_endpoint_mode = IPv6\nmetadata_service_timeout = 3\n"
	           "ec2_metadata_v1_disabled = true\n"
	           "[profile bad]\nmetadata_service_timeout = soon\n",
	           NULL);
	plan_ok(cfg, "default", false, &plan);
	assert_int_equal(plan.n_steps, 1);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_IMDS);
	assert_null(plan.steps[0].profile);
	assert_string_equal(plan.steps[0].url, "http://[fd00:ec2::254]");
	assert_true(plan.steps[0].imds_v1_disabled);
	assert_int_equal(plan.steps[0].metadata_timeout_ms, 3000);
	assert_int_equal(plan.steps[0].metadata_attempts, 1);
	aws_cred_plan_release(&plan);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/", 1);
	setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2", 1);
	plan_ok(cfg, "default", false, &plan);
	assert_string_equal(plan.steps[0].url, "http://127.0.0.1:1338");
	assert_int_equal(plan.steps[0].metadata_attempts, 2);
	aws_cred_plan_release(&plan);
	plan_fails(cfg, "bad", &err);
	assert_contains(err.message, "metadata_service_timeout");

	/* the container provider comes before IMDS */
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials", 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token", 1);
	plan_ok(cfg, "default", false, &plan);
	assert_int_equal(plan.steps[0].kind, AWS_CRED_CONTAINER);
	assert_string_equal(plan.steps[0].url, "http://169.254.170.23/v1/credentials");
	assert_string_equal(plan.steps[0].auth_token, "container-auth-token");
	assert_null(plan.steps[0].auth_token_file);
	assert_int_equal(plan.steps[0].metadata_timeout_ms, 2000);
	assert_int_equal(plan.steps[0].metadata_attempts, 3);
	assert_true(is_redacted("container-auth-token"));
	aws_cred_plan_release(&plan);
	/* the token file wins over the token */
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/secrets/pods.eks.amazonaws.com/token", 1);
	plan_ok(cfg, "default", false, &plan);
	assert_null(plan.steps[0].auth_token);
	assert_string_equal(plan.steps[0].auth_token_file, "/var/run/secrets/pods.eks.amazonaws.com/token");
	aws_cred_plan_release(&plan);
	/* the relative URI wins over the full one */
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/rel", 1);
	plan_ok(cfg, "default", false, &plan);
	assert_string_equal(plan.steps[0].url, "http://169.254.170.2/rel");
	aws_cred_plan_release(&plan);
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	/* allowed hosts, as botocore's ContainerMetadataFetcher */
	static const char *const ok[] = {"https://example.com/c", "http://127.0.0.2:80/c",   "http://localhost/c",
	                                 "http://[::1]:8080/c",   "http://[fd00:ec2::23]/c", "http://169.254.170.2/c"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok[i], 1);
		plan_ok(cfg, "default", false, &plan);
		aws_cred_plan_release(&plan);
	}
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/c", 1);
	plan_fails(cfg, "default", &err);
	assert_contains(err.message, "http://example.com/c");
	aws_config_free(cfg);
	redact_reset();
}

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
	assert_int_equal(aws_credential_process_run("proc", cmd, 5000, &c, &err), 0);
	assert_string_equal(c.access_key_id, "AKID PROC");
	assert_string_equal(c.secret_access_key, "process-secret-1");
	assert_string_equal(c.session_token, "process-token-1");
	assert_string_equal(c.account_id, "$HOME ;x");
	assert_int_equal(c.expiration, 1893456000);
	assert_true(is_redacted("process-secret-1"));
	assert_true(is_redacted("process-token-1"));
	aws_credentials_release(&c);
	assert_null(c.secret_access_key);
	assert_null(c.session_token);

	/* no session token, no expiration: long-term keys */
	script(t, "min", "echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"min-secret-1\"}'", path,
	       sizeof(path));
	assert_int_equal(aws_credential_process_run("proc", path, 0, &c, &err), 0);
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
	assert_int_equal(aws_credential_process_run("dev", path, 5000, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_contains(err.message, "\"dev\"");
	assert_contains(err.message, "exited with 3: token expired: run sso login");
	assert_null(strstr(err.message, "second line"));
	assert_null(c.access_key_id);

	script(t, "badjson", "echo 'AccessKeyId=A'", path, sizeof(path));
	assert_int_equal(aws_credential_process_run("dev", path, 5000, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_contains(err.message, "did not print a JSON object");

	script(t, "v2", "echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'", path,
	       sizeof(path));
	assert_int_equal(aws_credential_process_run("dev", path, 5000, &c, &err), -1);
	assert_contains(err.message, "Version");

	script(t, "nokey", "echo '{\"Version\": 1, \"SecretAccessKey\": \"nokey-secret-1\"}'", path, sizeof(path));
	assert_int_equal(aws_credential_process_run("dev", path, 5000, &c, &err), -1);
	assert_contains(err.message, "AccessKeyId");

	script(t, "badtime",
	       "echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S1234567\", \"Expiration\": "
	       "\"tomorrow\"}'",
	       path, sizeof(path));
	assert_int_equal(aws_credential_process_run("dev", path, 5000, &c, &err), -1);
	assert_contains(err.message, "Expiration");

	assert_int_equal(aws_credential_process_run("dev", "/no/such/helper --x", 5000, &c, &err), -1);
	assert_contains(err.message, "cannot run");
	assert_contains(err.message, "/no/such/helper");
	assert_int_equal(aws_credential_process_run("dev", "helper 'unclosed", 5000, &c, &err), -1);
	assert_contains(err.message, "closing quotation");
	assert_int_equal(aws_credential_process_run("dev", "   ", 5000, &c, &err), -1);
	assert_contains(err.message, "empty");
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
	assert_int_equal(aws_credential_process_run("slow", path, 300, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_contains(err.message, "\"slow\"");
	assert_contains(err.message, "did not finish");
	assert_true(time(NULL) - start < 10);

	script(t, "chatty", "exec yes", path, sizeof(path));
	assert_int_equal(aws_credential_process_run("loud", path, 5000, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	assert_contains(err.message, "\"loud\"");
}

static void
test_shell_split(void **state)
{
	/* expected values from Python's shlex.split() */
	static const struct {
		const char *in;
		const char *out[8];
	} cases[] = {
	        {"a 'b c' \"d \\\" e\" f\\ g h\"i\"j '' \"x\\y\"", {"a", "b c", "d \" e", "f g", "hij", "", "x\\y"}},
	        {"  /bin/helper   --flag=1\t--x # not-a-comment",
	         {"/bin/helper", "--flag=1", "--x", "#", "not-a-comment"}},
	        {"'it''s' \"a\\\\b\" 'c\\d'", {"its", "a\\b", "c\\d"}},
	        {"", {NULL}},
	};
	struct irsa_error err;
	size_t i, j, argc;
	char **argv;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(aws_shell_split(cases[i].in, &argv, &argc, &err), 0);
		for (j = 0; cases[i].out[j] != NULL; j++) {
			assert_true(j < argc);
			assert_string_equal(argv[j], cases[i].out[j]);
		}
		assert_int_equal(argc, j);
		assert_null(argv[argc]);
		for (j = 0; j < argc; j++)
			free(argv[j]);
		free(argv);
	}
	assert_int_equal(aws_shell_split("a \"b", &argv, &argc, &err), -1);
	assert_int_equal(aws_shell_split("a b\\", &argv, &argc, &err), -1);
	assert_contains(err.message, "backslash");
}

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

	assert_int_equal(aws_sso_token_load("sso", "https://corp.awsapps.com/start", "corp", 1700000000, &tok, &err),
	                 0);
	assert_string_equal(tok.access_token, "sso-access-token-1");
	assert_int_equal(tok.expires_at, 1893456000);
	assert_contains(tok.path, "ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
	assert_true(is_redacted("sso-access-token-1"));
	aws_sso_token_release(&tok);
	assert_null(tok.access_token);

	/* expired, then missing: both say how to log in again */
	assert_int_equal(aws_sso_token_load("legacy", "https://old.awsapps.com/start", NULL, 1700000000, &tok, &err),
	                 -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_contains(err.message, "expired");
	assert_string_equal(err.hint, "Run: aws sso login --profile legacy");
	assert_null(tok.access_token);
	assert_int_equal(aws_sso_token_load("other", "https://x.awsapps.com/start", NULL, 0, &tok, &err), -1);
	assert_contains(err.message, "missing");
	assert_string_equal(err.hint, "Run: aws sso login --profile other");

	aws_test_path(t, ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json", path, sizeof(path));
	aws_test_write(path, "{\"accessToken\": \"x\"}", 0);
	assert_int_equal(aws_sso_token_load("sso", NULL, "corp", 0, &tok, &err), -1);
	assert_contains(err.message, "expiresAt");
	redact_reset();
}

static void
test_parse_time(void **state)
{
	time_t t;

	assert_int_equal(aws_parse_time("2030-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01T00:00:00.123456Z", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01T02:30:00+02:30", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2029-12-31T23:00:00-0100", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01T00:00:00UTC", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01", &t), -1);
	assert_int_equal(aws_parse_time("2030-01-01T00:00:00Zjunk", &t), -1);
}

/* Releasing leaves nothing behind and may be repeated. */
static void
test_release_is_idempotent(void **state)
{
	struct aws_credentials c = {0};
	struct aws_cred_plan plan = {0};
	struct aws_sso_token tok = {0};

	aws_credentials_release(&c);
	aws_credentials_release(NULL);
	aws_cred_plan_release(&plan);
	aws_cred_plan_release(NULL);
	aws_sso_token_release(&tok);
	aws_config_free(NULL);
	assert_string_equal(aws_cred_kind_name(AWS_CRED_IMDS), "imds");
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
	        T(test_plan_environment_keys_first),
	        T(test_plan_static_keys),
	        T(test_plan_source_profile_chain),
	        T(test_plan_source_profile_loops),
	        T(test_plan_role_errors),
	        T(test_plan_credential_source),
	        T(test_plan_web_identity),
	        T(test_plan_sso),
	        T(test_plan_profile_provider_order),
	        T(test_plan_container_and_imds),
	        T(test_process_success),
	        T(test_process_failures),
	        T(test_process_timeout_and_cap),
	        T(test_shell_split),
	        T(test_sso_token_cache),
	        T(test_parse_time),
	        T(test_release_is_idempotent),
	};

	return cmocka_run_group_tests_name("aws_config", tests, NULL, NULL);
}
