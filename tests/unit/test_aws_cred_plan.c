/* tests/unit/test_aws_cred_plan.c - the credential plan in botocore's
 * chain order: environment keys, static keys per file, source_profile
 * chains and loops, credential_source, web identity, SSO, login, process,
 * container and IMDS; and that every secret it hands out is registered for
 * redaction. */
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
#include "aws_cred_plan.h"
#include "error.h"
#include "redact.h"

#include "aws_test_env.h"

#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

/* --- helpers -------------------------------------------------------------- */

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

/* --- the credential plan ---------------------------------------------------- */

static void
test_plan_environment_keys_first(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = aws_test_load(*state, NULL,
	                    "[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profilesecret1\n");
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
	assert_true(aws_test_is_redacted(SECRET));
	assert_true(aws_test_is_redacted("security-token-env"));
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
	aws_test_assert_contains(err.message, "AWS_SECRET_ACCESS_KEY");
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

	cfg = aws_test_load(t,
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
	aws_test_assert_contains(err.message, "\"half\"");
	aws_test_assert_contains(err.message, "aws_secret_access_key");
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

	cfg = aws_test_load(*state, chain_config,
	                    "[c]\naws_access_key_id = AKIDC\naws_secret_access_key = secret-of-c\n");
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

	cfg = aws_test_load(*state,
	                    "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
	                    "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
	                    "[profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = a\n"
	                    "[profile self]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = self\n"
	                    "[profile selfkeys]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = selfkeys\n"
	                    "aws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n",
	                    NULL);
	plan_fails(cfg, "a", &err);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	aws_test_assert_contains(err.message, "a -> b -> c -> a");
	plan_fails(cfg, "b", &err);
	aws_test_assert_contains(err.message, "b -> c -> a -> b");
	plan_fails(cfg, "self", &err);
	aws_test_assert_contains(err.message, "self -> self");

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

	cfg = aws_test_load(*state,
	                    "[profile missing]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = ghost\n"
	                    "[profile both]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = x\ncredential_source = "
	                    "Environment\n"
	                    "[profile neither]\nrole_arn = arn:aws:iam::1:role/a\n"
	                    "[profile empty]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = nocreds\n"
	                    "[profile nocreds]\nregion = us-east-1\n"
	                    "[profile badsource]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = environment\n",
	                    NULL);
	plan_fails(cfg, "missing", &err);
	aws_test_assert_contains(err.message, "\"ghost\"");
	aws_test_assert_contains(err.message, "\"missing\"");
	plan_fails(cfg, "both", &err);
	aws_test_assert_contains(err.message, "both source_profile and credential_source");
	plan_fails(cfg, "neither", &err);
	aws_test_assert_contains(err.message, "neither source_profile nor credential_source");
	plan_fails(cfg, "empty", &err);
	aws_test_assert_contains(err.message, "\"nocreds\" must have credentials");
	plan_fails(cfg, "badsource", &err);
	aws_test_assert_contains(err.message, "\"environment\"");
	aws_test_assert_contains(err.hint, "Ec2InstanceMetadata");
	aws_config_free(cfg);
}

static void
test_plan_credential_source(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = aws_test_load(
	        *state,
	        "[profile env]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Environment\n"
	        "[profile ecs]\nrole_arn = arn:aws:iam::1:role/c\ncredential_source = EcsContainer\n"
	        "[profile ec2]\nrole_arn = arn:aws:iam::1:role/i\ncredential_source = Ec2InstanceMetadata\n",
	        NULL);
	plan_fails(cfg, "env", &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "credential_source Environment");
	plan_fails(cfg, "ecs", &err);
	aws_test_assert_contains(err.hint, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

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
	aws_test_assert_contains(err.message, "Ec2InstanceMetadata");
	aws_config_free(cfg);
	redact_reset();
}

static void
test_plan_web_identity(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = aws_test_load(*state,
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
	aws_test_assert_contains(err.message, "no AWS credentials found for profile \"plain\"");

	unsetenv("AWS_ROLE_ARN");
	plan_fails(cfg, "noarn", &err);
	aws_test_assert_contains(err.message, "no role ARN");
	aws_config_free(cfg);
}

static void
test_plan_sso(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;
	struct irsa_error err;

	cfg = aws_test_load(
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
	aws_test_assert_contains(err.message, "missing: sso_role_name, sso_start_url");
	plan_fails(cfg, "ghost", &err);
	aws_test_assert_contains(err.message, "\"nope\"");
	plan_fails(cfg, "clash", &err);
	aws_test_assert_contains(err.message, "sso_region differs");
	aws_config_free(cfg);
}

/* Web identity, SSO, credentials file, login, process, config file keys. */
static void
test_plan_profile_provider_order(void **state)
{
	struct aws_config *cfg;
	struct aws_cred_plan plan;

	cfg = aws_test_load(*state,
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

	cfg = aws_test_load(*state,
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
	aws_test_assert_contains(err.message, "metadata_service_timeout");

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
	assert_true(aws_test_is_redacted("container-auth-token"));
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
	aws_test_assert_contains(err.message, "http://example.com/c");
	aws_config_free(cfg);
	redact_reset();
}

/* Releasing leaves nothing behind and may be repeated. */
static void
test_release_is_idempotent(void **state)
{
	struct aws_credentials c = {0};
	struct aws_cred_plan plan = {0};

	(void)state;
	aws_credentials_release(&c);
	aws_credentials_release(NULL);
	aws_cred_plan_release(&plan);
	aws_cred_plan_release(NULL);
	assert_string_equal(aws_cred_kind_name(AWS_CRED_IMDS), "imds");
}

/* --- running -------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, aws_test_setup, aws_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
	        T(test_release_is_idempotent),
	};

	return cmocka_run_group_tests_name("aws_cred_plan", tests, NULL, NULL);
}
