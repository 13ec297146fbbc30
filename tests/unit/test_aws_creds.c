/* tests/unit/test_aws_creds.c - the credentials provider against scripted
 * endpoints (http_stub.c): environment and profile keys, the container
 * endpoint (full and relative URI, token and token file, bad JSON), IMDSv2
 * (token, role listing, credentials, v1 fallback and refusal, disabled), the
 * SSO portal, web identity and two-hop AssumeRole chains through STS,
 * caching and refresh near expiry on a moved clock, one refresh for many
 * threads, credential_process and MFA errors, cancellation, an environment
 * overlay read instead of the process environment. No network beyond
 * loopback. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "aws_config.h"
#include "aws_creds.h"
#include "env.h"
#include "error.h"
#include "redact.h"

#include "aws_stub_env.h"

#define CONTAINER_JSON                                                                                                 \
	"{\"AccessKeyId\": \"ASIACONTAINER\", \"SecretAccessKey\": \"container-secret-key\", \"Token\": "              \
	"\"container-session-token\", \"Expiration\": \"2030-03-17T18:46:40Z\", \"AccountId\": \"111122223333\"}"

/* Loads the files of the fixture and makes a provider for profile. */
static struct aws_creds *
provider(struct stub_env *e, struct aws_config **cfg, const char *profile, struct irsa_error *err)
{
	struct aws_creds *p;

	assert_int_equal(aws_config_load(cfg, err), 0);
	p = aws_creds_new(*cfg, profile, false, "eu-west-1", err);
	if (p != NULL) {
		aws_creds_set_clock(p, stub_clock, NULL);
		aws_creds_set_retry_base_ms(p, 1);
	}
	(void)e;
	return p;
}

static void
get_ok(struct aws_creds *p, struct aws_credentials *c)
{
	struct irsa_error err;

	if (aws_creds_get(p, c, &err) != 0)
		fail_msg("aws_creds_get: %s | %s", err.message, err.hint);
}

/* --- local sources ---------------------------------------------------------- */

static void
test_environment_and_profile(void **state)
{
	struct stub_env *e = *state;
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;

	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-key", 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "environment variables");
	assert_int_equal(aws_creds_kind(p), AWS_CRED_ENV);
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "AKIDENV");
	assert_string_equal(c.secret_access_key, "env-secret-key");
	assert_null(c.session_token);
	assert_int_equal(c.expiration, 0);
	aws_credentials_release(&c);
	aws_creds_free(p);
	aws_config_free(cfg);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	aws_test_write(e->t->credentials, "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n",
	               0);
	p = provider(e, &cfg, "dev", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "profile dev in ~/credentials");
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "AKIDDEV");
	aws_credentials_release(&c);
	aws_creds_free(p);
	aws_config_free(cfg);
	assert_int_equal(http_stub_seen_count(e->srv), 0);
	redact_reset();
}

static void
test_process_and_mfa_errors(void **state)
{
	struct stub_env *e = *state;
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char script[4096], config[8192];

	aws_test_path(e->t, "helper.sh", script, sizeof(script));
	aws_test_write(script, "#!/bin/sh\necho 'token expired, log in again' >&2\nexit 1\n", 1);
	snprintf(config, sizeof(config),
	         "[profile dev]\ncredential_process = %s\n"
	         "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
	         "[profile mfa]\nrole_arn = arn:aws:iam::111122223333:role/admin\nsource_profile = base\n"
	         "mfa_serial = arn:aws:iam::111122223333:mfa/me\n",
	         script);
	aws_test_write(e->t->config, config, 0);

	p = provider(e, &cfg, "dev", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "credential_process of profile dev");
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "profile \"dev\"");
	aws_test_assert_contains(err.message, "exited with 1");
	aws_test_assert_contains(err.message, "token expired, log in again");
	assert_null(c.access_key_id);
	aws_creds_free(p);

	p = aws_creds_new(cfg, "mfa", false, "eu-west-1", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "assumed role arn:aws:iam::111122223333:role/admin via profile mfa");
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "profile \"mfa\" needs an MFA code");
	aws_test_assert_contains(err.message, "cannot prompt");
	assert_int_equal(http_stub_seen_count(e->srv), 0);
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

/* A config loaded with an overlay (a kubeconfig exec entry's env list) reads
 * AWS_CONFIG_FILE, AWS_PROFILE and AWS_REGION from it, and its
 * credential_process runs with it, while the process environment stays as
 * it was. */
static void
test_overlay_environment(void **state)
{
	struct stub_env *e = *state;
	struct aws_config *cfg = NULL;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	struct env *env = env_new();
	const char *profile;
	char script[4096], config[4096], text[8192], *region;
	bool explicit_flag;

	aws_test_path(e->t, "overlay-helper.sh", script, sizeof(script));
	aws_test_write(script,
	               "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": "
	               "\"overlay-secret\"}' \"$IRSA_TEST_OVERLAY_KEY\"\n",
	               1);
	aws_test_path(e->t, "overlay-config", config, sizeof(config));
	snprintf(text, sizeof(text), "[profile ov]\nregion = eu-north-1\ncredential_process = %s\n", script);
	aws_test_write(config, text, 0);
	aws_test_write(e->t->config, "[profile proc]\nregion = us-west-2\n", 0);
	setenv("AWS_PROFILE", "proc", 1);
	setenv("AWS_REGION", "us-west-2", 1);
	assert_non_null(env);
	assert_int_equal(env_set(env, "AWS_CONFIG_FILE", config), 0);
	assert_int_equal(env_set(env, "AWS_PROFILE", "ov"), 0);
	assert_int_equal(env_set(env, "AWS_REGION", "ap-south-1"), 0);
	assert_int_equal(env_set(env, "IRSA_TEST_OVERLAY_KEY", "AKIDOVERLAY"), 0);

	assert_int_equal(aws_config_load_env(env, &cfg, &err), 0);
	assert_ptr_equal(aws_config_env(cfg), env);
	assert_string_equal(aws_config_path(cfg), config);
	assert_int_equal(aws_config_resolve_profile(cfg, NULL, &profile, &explicit_flag, &err), 0);
	assert_string_equal(profile, "ov");
	region = aws_config_resolve_region(cfg, NULL, profile, &err);
	assert_string_equal(region, "ap-south-1");
	p = aws_creds_new(cfg, profile, explicit_flag, region, &err);
	assert_non_null(p);
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "AKIDOVERLAY");
	aws_credentials_release(&c);

	/* The process environment is as it was. */
	assert_string_equal(getenv("AWS_CONFIG_FILE"), e->t->config);
	assert_string_equal(getenv("AWS_PROFILE"), "proc");
	assert_string_equal(getenv("AWS_REGION"), "us-west-2");
	assert_null(getenv("IRSA_TEST_OVERLAY_KEY"));
	aws_creds_free(p);
	free(region);
	aws_config_free(cfg);
	env_free(env);
	redact_reset();
}

/* --- container ---------------------------------------------------------------- */

static void
test_container_full_uri_token(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step ok = {200, "Content-Type: application/json\r\n", CONTAINER_JSON, 0, false, false};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char url[256], *v;

	http_stub_script(e->srv, &ok, 1);
	snprintf(url, sizeof(url), "%s/v1/credentials?id=abc", e->url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth-token-1", 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "container credentials");
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "ASIACONTAINER");
	assert_string_equal(c.secret_access_key, "container-secret-key");
	assert_string_equal(c.session_token, "container-session-token");
	assert_string_equal(c.account_id, "111122223333");
	assert_int_equal(c.expiration, 1900003600);
	aws_credentials_release(&c);

	assert_int_equal(http_stub_seen_count(e->srv), 1);
	assert_string_equal(e->srv->seen[0].method, "GET");
	assert_string_equal(e->srv->seen[0].target, "/v1/credentials?id=abc");
	v = http_stub_header(e->srv->seen[0].head, "Authorization");
	assert_string_equal(v, "container-auth-token-1");
	free(v);
	v = http_stub_header(e->srv->seen[0].head, "Accept");
	assert_string_equal(v, "application/json");
	free(v);
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

/* AWS_CONTAINER_CREDENTIALS_RELATIVE_URI goes to 169.254.170.2: the stub
 * plays an HTTP proxy to see the request. The token file is read again on
 * every fetch. */
static void
test_container_relative_uri_token_file(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step ok = {200, NULL, CONTAINER_JSON, 0, false, false};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char path[4096], *v;

	http_stub_script(e->srv, &ok, 1);
	setenv("http_proxy", e->url, 1);
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/uuid-1", 1);
	aws_test_path(e->t, "pod-identity-token", path, sizeof(path));
	aws_test_write(path, "eks-pod-identity-token-A", 0);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", path, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-set", 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	get_ok(p, &c);
	aws_credentials_release(&c);
	assert_string_equal(e->srv->seen[0].target, "http://169.254.170.2/v2/credentials/uuid-1");
	v = http_stub_header(e->srv->seen[0].head, "Authorization");
	assert_string_equal(v, "eks-pod-identity-token-A");
	free(v);

	/* the token rotates; a refresh reads the file again */
	aws_test_write(path, "eks-pod-identity-token-B\n", 0);
	aws_creds_invalidate(p);
	get_ok(p, &c);
	aws_credentials_release(&c);
	assert_int_equal(http_stub_seen_count(e->srv), 2);
	v = http_stub_header(e->srv->seen[1].head, "Authorization");
	assert_string_equal(v, "eks-pod-identity-token-B");
	free(v);

	/* a missing token file names itself */
	remove(path);
	aws_creds_invalidate(p);
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_IO);
	aws_test_assert_contains(err.message, path);
	assert_int_equal(http_stub_seen_count(e->srv), 2);
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_container_errors(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step bad[] = {
	        {200, NULL, "<html>not json</html>", 0, false, false},
	        {200, NULL, "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}", 0, false, false},
	        {403, NULL, "{\"message\": \"invalid token\"}", 0, false, false},
	};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char url[256];

	http_stub_script(e->srv, bad, 3);
	snprintf(url, sizeof(url), "%s/creds", e->url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);

	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	aws_test_assert_contains(err.message, "container credentials endpoint");
	aws_test_assert_contains(err.message, url);
	aws_test_assert_contains(err.message, "not a JSON object");

	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	aws_test_assert_contains(err.message, "without Token");

	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_int_equal(err.http_status, 403);
	aws_test_assert_contains(err.message, "HTTP 403");
	aws_test_assert_contains(err.hint, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
	assert_null(c.access_key_id);
	aws_creds_free(p);
	aws_config_free(cfg);
}

/* --- IMDS --------------------------------------------------------------------- */

static void
test_imds_v2(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step steps[] = {
	        {200, NULL, "imds-session-token-AQAEAN", 0, false, false},
	        {200, NULL, "node-role\n", 0, false, false},
	        {200, NULL,
	         "{\"Code\": \"Success\", \"LastUpdated\": \"2030-03-17T17:00:00Z\", \"Type\": \"AWS-HMAC\", "
	         "\"AccessKeyId\": \"ASIAIMDS\", \"SecretAccessKey\": \"imds-secret\", \"Token\": \"imds-token\", "
	         "\"Expiration\": \"2030-03-17T23:46:40Z\"}",
	         0, false, false},
	};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char *v;
	int i;

	http_stub_script(e->srv, steps, 3);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", e->url, 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "EC2 instance metadata");
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "ASIAIMDS");
	assert_string_equal(c.session_token, "imds-token");
	assert_int_equal(c.expiration, 1900000000 + 6 * 3600);
	aws_credentials_release(&c);

	assert_int_equal(http_stub_seen_count(e->srv), 3);
	assert_string_equal(e->srv->seen[0].method, "PUT");
	assert_string_equal(e->srv->seen[0].target, "/latest/api/token");
	v = http_stub_header(e->srv->seen[0].head, "x-aws-ec2-metadata-token-ttl-seconds");
	assert_string_equal(v, "21600");
	free(v);
	assert_string_equal(e->srv->seen[1].target, "/latest/meta-data/iam/security-credentials/");
	assert_string_equal(e->srv->seen[2].target, "/latest/meta-data/iam/security-credentials/node-role");
	for (i = 1; i < 3; i++) {
		assert_string_equal(e->srv->seen[i].method, "GET");
		v = http_stub_header(e->srv->seen[i].head, "x-aws-ec2-metadata-token");
		assert_string_equal(v, "imds-session-token-AQAEAN");
		free(v);
	}

	/* cached: no new request until near expiry */
	get_ok(p, &c);
	aws_credentials_release(&c);
	assert_int_equal(http_stub_seen_count(e->srv), 3);
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_imds_v1_fallback_and_refusal(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step v1[] = {
	        {405, NULL, "", 0, false, false},
	        {200, NULL, "node-role", 0, false, false},
	        {200, NULL,
	         "{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAV1\", \"SecretAccessKey\": \"s1\", \"Token\": \"t1\", "
	         "\"Expiration\": \"2030-03-17T23:46:40Z\"}",
	         0, false, false},
	};
	struct http_stub_step refused = {403, NULL, "Forbidden", 0, false, false};
	struct http_stub_step no_role[] = {{200, NULL, "tok", 0, false, false}, {404, NULL, "", 0, false, false}};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;

	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", e->url, 1);
	http_stub_script(e->srv, v1, 3);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "ASIAV1");
	aws_credentials_release(&c);
	assert_int_equal(http_stub_seen_count(e->srv), 3);
	assert_false(http_stub_has_header(e->srv->seen[1].head, "x-aws-ec2-metadata-token"));
	aws_creds_free(p);
	aws_config_free(cfg);

	/* with IMDSv1 disabled the token is required */
	setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
	http_stub_script(e->srv, &refused, 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "refused a session token");
	aws_test_assert_contains(err.hint, "IMDSv1 is disabled");
	assert_int_equal(http_stub_seen_count(e->srv), 4);
	aws_creds_free(p);
	aws_config_free(cfg);

	/* an instance without a role */
	http_stub_script(e->srv, no_role, 2);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	aws_test_assert_contains(err.message, "lists no IAM role");
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_imds_disabled(void **state)
{
	struct stub_env *e = *state;
	struct aws_config *cfg;
	struct irsa_error err;

	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", e->url, 1);
	assert_null(provider(e, &cfg, "default", &err));
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "no AWS credentials found");
	assert_int_equal(http_stub_seen_count(e->srv), 0);
	aws_config_free(cfg);
}

/* --- SSO ------------------------------------------------------------------------ */

static void
test_sso_portal(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step steps[] = {
	        {200, "Content-Type: application/json\r\n",
	         "{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO\", \"secretAccessKey\": \"sso-secret\", "
	         "\"sessionToken\": \"sso-session-token\", \"expiration\": 1900007200000}}",
	         0, false, false},
	        {401, "Content-Type: application/json\r\n", "{\"message\": \"Session token not found or invalid\"}", 0,
	         false, false},
	};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char path[4096], *v;

	aws_test_write(e->t->config,
	               "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
	               "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
	               0);
	aws_test_path(e->t, ".aws", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	aws_test_path(e->t, ".aws/sso", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	aws_test_path(e->t, ".aws/sso/cache", path, sizeof(path));
	assert_int_equal(mkdir(path, 0700), 0);
	aws_test_path(e->t, ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json", path, sizeof(path));
	aws_test_write(path, "{\"accessToken\": \"sso-access-token-1\", \"expiresAt\": \"2030-06-01T00:00:00Z\"}", 0);
	setenv("AWS_ENDPOINT_URL_SSO", e->url, 1);
	http_stub_script(e->srv, steps, 2);

	p = provider(e, &cfg, "sso", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "SSO profile sso");
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "ASIASSO");
	assert_string_equal(c.session_token, "sso-session-token");
	assert_string_equal(c.account_id, "111122223333");
	assert_int_equal(c.expiration, 1900007200);
	aws_credentials_release(&c);
	assert_string_equal(e->srv->seen[0].method, "GET");
	assert_string_equal(e->srv->seen[0].target, "/federation/credentials?role_name=Admin&account_id=111122223333");
	v = http_stub_header(e->srv->seen[0].head, "x-amz-sso_bearer_token");
	assert_string_equal(v, "sso-access-token-1");
	free(v);
	assert_false(http_stub_has_header(e->srv->seen[0].head, "Authorization"));

	/* the portal refuses the session: log in again */
	aws_creds_invalidate(p);
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "profile \"sso\"");
	assert_string_equal(err.hint, "Run: aws sso login --profile sso");
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

/* --- STS ------------------------------------------------------------------------ */

static void
test_web_identity(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step ok = {200,
	                            XML_HEADERS,
	                            STS_CREDS_XML("AssumeRoleWithWebIdentity", "ASIAWEB", "web-secret",
	                                          "web-session-token", "2030-03-17T18:46:40Z",
	                                          "arn:aws:sts::111122223333:assumed-role/pod-role/s"),
	                            0,
	                            false,
	                            false};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char path[4096];
	const struct http_stub_seen *s;

	http_stub_script(e->srv, &ok, 1);
	aws_test_path(e->t, "token", path, sizeof(path));
	aws_test_write(path, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl\n", 0);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", path, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/pod-role", 1);
	setenv("AWS_ENDPOINT_URL_STS", e->url, 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	aws_test_assert_contains(aws_creds_source(p), "web identity token");
	aws_test_assert_contains(aws_creds_source(p), "arn:aws:iam::111122223333:role/pod-role");
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "ASIAWEB");
	assert_string_equal(c.session_token, "web-session-token");
	assert_string_equal(c.account_id, "111122223333");
	aws_credentials_release(&c);

	assert_int_equal(http_stub_seen_count(e->srv), 1);
	s = &e->srv->seen[0];
	assert_string_equal(s->method, "POST");
	assert_string_equal(s->target, "/");
	aws_test_assert_contains(s->body, "Action=AssumeRoleWithWebIdentity");
	aws_test_assert_contains(s->body, "RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fpod-role");
	aws_test_assert_contains(s->body, "RoleSessionName=botocore-session-1900000000");
	aws_test_assert_contains(s->body,
	                         "WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl");
	assert_null(strstr(s->body, "%0A"));
	/* unsigned, as botocore sends it */
	assert_false(http_stub_has_header(s->head, "Authorization"));
	assert_false(http_stub_has_header(s->head, "X-Amz-Security-Token"));
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

/* base (keys) -> mid (role 1) -> top (role 2): the second AssumeRole is
 * signed with the first one's keys. */
static void
test_assume_role_two_hops(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step steps[] = {
	        {200, XML_HEADERS,
	         STS_CREDS_XML("AssumeRole", "ASIAHOPONE", "hop-one-secret", "hop-one-token", "2030-03-17T18:46:40Z",
	                       "arn:aws:sts::111122223333:assumed-role/one/s"),
	         0, false, false},
	        {200, XML_HEADERS,
	         STS_CREDS_XML("AssumeRole", "ASIAHOPTWO", "hop-two-secret", "hop-two-token", "2030-03-17T18:46:40Z",
	                       "arn:aws:sts::444455556666:assumed-role/two/me"),
	         0, false, false},
	};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char akid[64], *v;

	aws_test_write(e->t->credentials, "[base]\naws_access_key_id = AKIDBASEKEYS\naws_secret_access_key = base-s\n",
	               0);
	aws_test_write(e->t->config,
	               "[profile mid]\nrole_arn = arn:aws:iam::111122223333:role/one\nsource_profile = base\n"
	               "[profile top]\nrole_arn = arn:aws:iam::444455556666:role/two\nsource_profile = mid\n"
	               "role_session_name = me\nexternal_id = ext-42\nduration_seconds = 1800\n",
	               0);
	setenv("AWS_ENDPOINT_URL_STS", e->url, 1);
	http_stub_script(e->srv, steps, 2);
	p = provider(e, &cfg, "top", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "assumed role arn:aws:iam::444455556666:role/two via profile top");
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "ASIAHOPTWO");
	assert_string_equal(c.session_token, "hop-two-token");
	assert_string_equal(c.account_id, "444455556666");
	aws_credentials_release(&c);

	assert_int_equal(http_stub_seen_count(e->srv), 2);
	seen_akid(&e->srv->seen[0], akid, sizeof(akid));
	assert_string_equal(akid, "AKIDBASEKEYS");
	aws_test_assert_contains(e->srv->seen[0].body, "Action=AssumeRole&");
	aws_test_assert_contains(e->srv->seen[0].body, "RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fone");
	aws_test_assert_contains(e->srv->seen[0].body, "RoleSessionName=botocore-session-1900000000");
	assert_false(http_stub_has_header(e->srv->seen[0].head, "X-Amz-Security-Token"));

	seen_akid(&e->srv->seen[1], akid, sizeof(akid));
	assert_string_equal(akid, "ASIAHOPONE");
	v = http_stub_header(e->srv->seen[1].head, "X-Amz-Security-Token");
	assert_string_equal(v, "hop-one-token");
	free(v);
	v = http_stub_header(e->srv->seen[1].head, "Authorization");
	aws_test_assert_contains(v, "/eu-west-1/sts/aws4_request");
	free(v);
	aws_test_assert_contains(e->srv->seen[1].body, "RoleSessionName=me");
	aws_test_assert_contains(e->srv->seen[1].body, "ExternalId=ext-42");
	aws_test_assert_contains(e->srv->seen[1].body, "DurationSeconds=1800");
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_assume_role_denied(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step denied = {
	        403,
	        XML_HEADERS,
	        STS_ERROR_XML("AccessDenied", "User: arn:aws:iam::111122223333:user/u is not authorized to perform: "
	                                      "sts:AssumeRole on resource: arn:aws:iam::111122223333:role/one"),
	        0,
	        false,
	        false};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;

	aws_test_write(e->t->credentials, "[base]\naws_access_key_id = AKIDBASEKEYS\naws_secret_access_key = base-s\n",
	               0);
	aws_test_write(e->t->config,
	               "[profile mid]\nrole_arn = arn:aws:iam::111122223333:role/one\nsource_profile = base\n", 0);
	setenv("AWS_ENDPOINT_URL_STS", e->url, 1);
	http_stub_script(e->srv, &denied, 1);
	p = provider(e, &cfg, "mid", &err);
	assert_non_null(p);
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	assert_string_equal(err.code, "AccessDenied");
	aws_test_assert_contains(err.message, "profile \"mid\"");
	aws_test_assert_contains(err.message, "not authorized");
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

/* --- caching -------------------------------------------------------------------- */

static void
test_cache_and_refresh(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step ok = {200, NULL, CONTAINER_JSON, 0, false, false}; /* expires at now + 3600 */
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char url[256];
	int i;

	http_stub_script(e->srv, &ok, 1);
	snprintf(url, sizeof(url), "%s/creds", e->url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	for (i = 0; i < 3; i++) {
		get_ok(p, &c);
		aws_credentials_release(&c);
	}
	assert_int_equal(http_stub_seen_count(e->srv), 1);

	/* 6 minutes before expiry: still good */
	stub_now = 1900003600 - 360;
	get_ok(p, &c);
	aws_credentials_release(&c);
	assert_int_equal(http_stub_seen_count(e->srv), 1);

	/* within the 5-minute window: refreshed once */
	stub_now = 1900003600 - AWS_CREDS_REFRESH_WINDOW;
	get_ok(p, &c);
	aws_credentials_release(&c);
	assert_int_equal(http_stub_seen_count(e->srv), 2);
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

static void *
get_in_thread(void *arg)
{
	struct aws_credentials c;
	struct irsa_error err;

	if (aws_creds_get(arg, &c, &err) != 0)
		return (void *)1;
	aws_credentials_release(&c);
	return NULL;
}

/* Eight threads ask at once while the endpoint is slow: one fetch. */
static void
test_one_refresh_for_many_threads(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step slow = {200, NULL, CONTAINER_JSON, 100, false, false};
	struct aws_config *cfg;
	struct aws_creds *p;
	struct irsa_error err;
	pthread_t th[8];
	void *rc;
	char url[256];
	size_t i;

	http_stub_script(e->srv, &slow, 1);
	snprintf(url, sizeof(url), "%s/creds", e->url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&th[i], NULL, get_in_thread, p), 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(th[i], &rc), 0);
		assert_null(rc);
	}
	assert_int_equal(http_stub_seen_count(e->srv), 1);
	aws_creds_free(p);
	aws_config_free(cfg);
	redact_reset();
}

static void
test_cancel(void **state)
{
	struct stub_env *e = *state;
	struct aws_config *cfg;
	struct aws_creds *p;
	struct aws_credentials c;
	struct irsa_error err;
	char url[256];

	snprintf(url, sizeof(url), "%s/creds", e->url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	p = provider(e, &cfg, "default", &err);
	assert_non_null(p);
	aws_creds_cancel(p);
	assert_int_equal(aws_creds_get(p, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	assert_int_equal(http_stub_seen_count(e->srv), 0);
	aws_creds_clear_cancel(p);
	assert_int_equal(aws_creds_get(p, &c, &err), -1); /* the stub's "ok" is not JSON */
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	aws_creds_free(p);
	aws_config_free(cfg);
}

static void
test_static_provider_and_session_name(void **state)
{
	struct aws_credentials in = {"AKIDSTATIC", "static-secret", "static-token", NULL, 0}, c;
	struct aws_creds *p;
	struct irsa_error err;
	char name[64];

	(void)state;
	p = aws_creds_new_static(&in, "assumed role R via profile p", &err);
	assert_non_null(p);
	assert_string_equal(aws_creds_source(p), "assumed role R via profile p");
	get_ok(p, &c);
	assert_string_equal(c.access_key_id, "AKIDSTATIC");
	assert_string_equal(c.session_token, "static-token");
	aws_credentials_release(&c);
	aws_creds_free(p);
	assert_string_equal(aws_creds_session_name(1700000000, name, sizeof(name)), "botocore-session-1700000000");
	redact_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_environment_and_profile, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_process_and_mfa_errors, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_overlay_environment, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_container_full_uri_token, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_container_relative_uri_token_file, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_container_errors, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_imds_v2, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_imds_v1_fallback_and_refusal, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_imds_disabled, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_sso_portal, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_web_identity, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_assume_role_two_hops, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_assume_role_denied, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_cache_and_refresh, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_one_refresh_for_many_threads, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_cancel, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_static_provider_and_session_name, stub_setup, stub_teardown),
	};

	return cmocka_run_group_tests_name("aws_creds", tests, NULL, NULL);
}
