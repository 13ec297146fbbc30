/* core/aws_cred_plan.c - the credential plan: botocore's provider chain
 * (credentials.py: EnvProvider, AssumeRoleProvider with source_profile
 * chains and credential_source, ProfileProviderBuilder's web identity, SSO,
 * shared credentials, login, process and config providers, then the
 * container and instance metadata providers) walked over the loaded files
 * and the environment to say which applies. Runs nothing, reads no file,
 * calls no service: those are the steps' executors' jobs. */
#include "config.h"

#include "aws_cred_plan.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_config.h"
#include "aws_ini.h"
#include "buf.h"
#include "env.h"
#include "aws_time.h"
#include "redact.h"

#define MAX_CHAIN            64 /* source_profile links followed before giving up */
#define CONTAINER_TIMEOUT_MS 2000
#define CONTAINER_ATTEMPTS   3

static const char *const kind_names[] = {
        [AWS_CRED_ENV] = "environment",
        [AWS_CRED_STATIC] = "static",
        [AWS_CRED_ASSUME_ROLE] = "assume-role",
        [AWS_CRED_WEB_IDENTITY] = "web-identity",
        [AWS_CRED_SSO] = "sso",
        [AWS_CRED_LOGIN] = "login",
        [AWS_CRED_PROCESS] = "process",
        [AWS_CRED_CONTAINER] = "container",
        [AWS_CRED_IMDS] = "imds",
};

const char *
aws_cred_kind_name(enum aws_cred_kind kind)
{
	if ((size_t)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

static void
step_release(struct aws_cred_step *s)
{
	aws_credentials_release(&s->creds);
	free(s->profile);
	free(s->origin);
	free(s->role_arn);
	free(s->role_session_name);
	free(s->external_id);
	free(s->mfa_serial);
	free(s->token_file);
	free(s->sso_start_url);
	free(s->sso_region);
	free(s->sso_account_id);
	free(s->sso_role_name);
	free(s->sso_session);
	free(s->login_session);
	free(s->command);
	free(s->url);
	buf_free_secret(s->auth_token);
	free(s->auth_token_file);
	memset(s, 0, sizeof(*s));
}

void
aws_cred_plan_release(struct aws_cred_plan *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->n_steps; i++)
		step_release(&plan->steps[i]);
	free(plan->steps);
	memset(plan, 0, sizeof(*plan));
}

/* The state of one aws_cred_plan_build(). */
struct planner {
	const struct aws_config *cfg;
	const char *top; /* the profile asked for: settings (IMDS, ...) come from it */
	struct aws_cred_plan *plan;
	const char *visited[MAX_CHAIN];
	size_t n_visited;
	bool oom;
	struct irsa_error *err;
};

/* strdup that remembers a failure in the planner; NULL stays NULL. */
static char *
pdup(struct planner *pl, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	if (p == NULL)
		pl->oom = true;
	return p;
}

static struct aws_cred_step *
step_add(struct planner *pl, enum aws_cred_kind kind, const char *profile, const char *origin)
{
	struct aws_cred_plan *plan = pl->plan;
	struct aws_cred_step *v = realloc(plan->steps, (plan->n_steps + 1) * sizeof(*v));

	if (v == NULL) {
		pl->oom = true;
		return NULL;
	}
	plan->steps = v;
	v = &plan->steps[plan->n_steps++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->profile = pdup(pl, profile);
	v->origin = pdup(pl, origin);
	return v;
}

/* A variable of the environment the config was loaded with. */
static const char *
env_var(struct planner *pl, const char *name)
{
	return env_get(aws_config_env(pl->cfg), name);
}

/* A setting as botocore's config store reads it: environment, then the
 * profile in use. */
static const char *
setting(struct planner *pl, const char *env, const char *key)
{
	const char *v = env != NULL ? env_var(pl, env) : NULL;

	return v != NULL ? v : aws_config_get(pl->cfg, pl->top, key);
}

static const char *
prof(struct planner *pl, const char *profile, const char *key)
{
	return aws_config_get(pl->cfg, profile, key);
}

static bool
has_static_keys(struct planner *pl, const char *profile)
{
	return prof(pl, profile, "aws_access_key_id") != NULL || prof(pl, profile, "aws_secret_access_key") != NULL;
}

/* botocore's _has_assume_role_config_vars. */
static bool
has_role(struct planner *pl, const char *profile)
{
	return prof(pl, profile, "role_arn") != NULL && prof(pl, profile, "web_identity_token_file") == NULL;
}

/* EnvProvider. Returns 1 (step added), 0 (no AWS_ACCESS_KEY_ID) or -1. */
static int
plan_env(struct planner *pl, const char *profile)
{
	const char *akid = aws_config_getenv(pl->cfg, "AWS_ACCESS_KEY_ID"),
	           *secret = aws_config_getenv(pl->cfg, "AWS_SECRET_ACCESS_KEY");
	const char *token = aws_config_getenv(pl->cfg, "AWS_SECURITY_TOKEN"),
	           *expiry = aws_config_getenv(pl->cfg, "AWS_CREDENTIAL_EXPIRATION");
	struct aws_cred_step *s;

	if (akid == NULL)
		return 0;
	if (secret == NULL) {
		irsa_error_set(pl->err, IRSA_ERR_AUTH, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
		return irsa_error_hint(pl->err, "Set both, or unset AWS_ACCESS_KEY_ID to use a profile.");
	}
	if (token == NULL)
		token = aws_config_getenv(pl->cfg, "AWS_SESSION_TOKEN");
	s = step_add(pl, AWS_CRED_ENV, profile, "environment");
	if (s == NULL)
		return -1;
	if (aws_credentials_set(&s->creds, akid, secret, token, aws_config_getenv(pl->cfg, "AWS_ACCOUNT_ID")) != 0) {
		pl->oom = true;
		return -1;
	}
	if (expiry != NULL && aws_parse_time(expiry, &s->creds.expiration) != 0) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "AWS_CREDENTIAL_EXPIRATION \"%s\" is not a time",
		               expiry);
		return irsa_error_hint(pl->err, "Use ISO 8601, e.g. 2030-01-01T00:00:00Z, or unset it.");
	}
	return 1;
}

/* Static keys of one section (SharedCredentialProvider, ConfigProvider). */
static int
plan_static(struct planner *pl, const char *profile, const struct aws_ini_section *sec, const char *origin)
{
	const struct aws_ini_kv *akid, *secret, *token;
	struct aws_cred_step *s;

	if (sec == NULL || (akid = aws_ini_find(sec, "aws_access_key_id")) == NULL)
		return 0;
	secret = aws_ini_find(sec, "aws_secret_access_key");
	if (secret == NULL) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" in %s has aws_access_key_id but no aws_secret_access_key", profile,
		               origin);
		return irsa_error_hint(
		        pl->err, "Add aws_secret_access_key to the profile (aws configure --profile %s).", profile);
	}
	token = aws_ini_find(sec, "aws_security_token");
	if (token == NULL)
		token = aws_ini_find(sec, "aws_session_token");
	s = step_add(pl, AWS_CRED_STATIC, profile, origin);
	if (s == NULL)
		return -1;
	if (aws_credentials_set(&s->creds, akid->value, secret->value, token != NULL ? token->value : NULL,
	                        aws_ini_find(sec, "aws_account_id") ? aws_ini_find(sec, "aws_account_id")->value
	                                                            : NULL) != 0) {
		pl->oom = true;
		return -1;
	}
	return 1;
}

static int
plan_web_identity(struct planner *pl, const char *profile, bool disable_env)
{
	const char *file = disable_env ? NULL : env_var(pl, "AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *arn = disable_env ? NULL : env_var(pl, "AWS_ROLE_ARN");
	const char *name = disable_env ? NULL : env_var(pl, "AWS_ROLE_SESSION_NAME");
	bool from_env = file != NULL;
	struct aws_cred_step *s;

	if (file == NULL)
		file = prof(pl, profile, "web_identity_token_file");
	if (file == NULL || *file == '\0')
		return 0;
	if (arn == NULL)
		arn = prof(pl, profile, "role_arn");
	if (name == NULL)
		name = prof(pl, profile, "role_session_name");
	if (arn == NULL || *arn == '\0') {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" is set up for web identity (%s) but has no role ARN", profile,
		               from_env ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "web_identity_token_file");
		return irsa_error_hint(pl->err, "Set role_arn in the profile or AWS_ROLE_ARN in the environment.");
	}
	s = step_add(pl, AWS_CRED_WEB_IDENTITY, profile, from_env ? "environment" : aws_config_path(pl->cfg));
	if (s == NULL)
		return -1;
	s->token_file = pdup(pl, file);
	s->role_arn = pdup(pl, arn);
	s->role_session_name = pdup(pl, name);
	return 1;
}

static int
plan_sso(struct planner *pl, const char *profile)
{
	static const char *const keys[] = {"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"};
	const char *val[4], *session = prof(pl, profile, "sso_session");
	const struct aws_ini_section *ss = NULL;
	char missing[160] = "";
	struct aws_cred_step *s;
	size_t i;

	if (prof(pl, profile, "sso_role_name") == NULL && prof(pl, profile, "sso_account_id") == NULL)
		return 0;
	if (session != NULL) {
		ss = aws_config_sso_session(pl->cfg, session);
		if (ss == NULL) {
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "profile \"%s\" names sso_session \"%s\", which is not in %s", profile, session,
			               aws_config_path(pl->cfg));
			return irsa_error_hint(pl->err, "Add [sso-session %s] (aws configure sso-session).", session);
		}
		for (i = 0; i < ss->n_kv; i++) {
			const char *pv = prof(pl, profile, ss->kv[i].key);

			if (pv != NULL && strcmp(pv, ss->kv[i].value) != 0) {
				irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
				               "%s differs between profile \"%s\" (%s) and sso-session \"%s\" (%s)",
				               ss->kv[i].key, profile, pv, session, ss->kv[i].value);
				return irsa_error_hint(pl->err, "Remove %s from the profile; the sso-session sets it.",
				                       ss->kv[i].key);
			}
		}
	}
	for (i = 0; i < 4; i++) {
		const struct aws_ini_kv *kv = ss != NULL ? aws_ini_find(ss, keys[i]) : NULL;

		val[i] = kv != NULL ? kv->value : prof(pl, profile, keys[i]);
		if (val[i] == NULL)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
			         *missing ? ", " : "", keys[i]);
	}
	if (*missing != '\0') {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "profile \"%s\" is set up for SSO but is missing: %s",
		               profile, missing);
		return irsa_error_hint(pl->err, "Run aws configure sso --profile %s, or add the keys.", profile);
	}
	s = step_add(pl, AWS_CRED_SSO, profile, aws_config_path(pl->cfg));
	if (s == NULL)
		return -1;
	s->sso_role_name = pdup(pl, val[0]);
	s->sso_account_id = pdup(pl, val[1]);
	s->sso_start_url = pdup(pl, val[2]);
	s->sso_region = pdup(pl, val[3]);
	s->sso_session = pdup(pl, session);
	return 1;
}

/* ProfileProviderBuilder.providers(): the providers that read only the
 * profile, in botocore's order. */
static int
plan_profile(struct planner *pl, const char *profile, bool disable_env)
{
	const char *v;
	int r;

	if ((r = plan_web_identity(pl, profile, disable_env)) != 0)
		return r;
	if ((r = plan_sso(pl, profile)) != 0)
		return r;
	if ((r = plan_static(pl, profile, aws_config_credentials_section(pl->cfg, profile),
	                     aws_config_credentials_path(pl->cfg))) != 0)
		return r;
	if ((v = prof(pl, profile, "login_session")) != NULL) {
		struct aws_cred_step *s = step_add(pl, AWS_CRED_LOGIN, profile, aws_config_path(pl->cfg));

		if (s == NULL)
			return -1;
		s->login_session = pdup(pl, v);
		return 1;
	}
	if ((v = prof(pl, profile, "credential_process")) != NULL) {
		struct aws_cred_step *s = step_add(pl, AWS_CRED_PROCESS, profile, aws_config_path(pl->cfg));

		if (s == NULL)
			return -1;
		s->command = pdup(pl, v);
		return 1;
	}
	return plan_static(pl, profile, aws_config_profile_section(pl->cfg, profile), aws_config_path(pl->cfg));
}

/* botocore's ContainerMetadataFetcher._validate_allowed_url: https, or a
 * loopback address, or one of the container hosts. */
static bool
container_url_allowed(const char *url)
{
	static const char *const hosts[] = {"169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"};
	char host[256];
	const char *h, *e;
	unsigned char addr[16];
	size_t i, n;

	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	if (strncasecmp(url, "http://", 7) != 0)
		return false;
	h = url + 7;
	if ((e = strpbrk(h, "/?#")) == NULL)
		e = h + strlen(h);
	if (memchr(h, '@', (size_t)(e - h)) != NULL)
		h = (const char *)memchr(h, '@', (size_t)(e - h)) + 1;
	if (*h == '[') {
		const char *close = memchr(h, ']', (size_t)(e - h));

		if (close == NULL)
			return false;
		h++;
		e = close;
	} else {
		const char *colon = memchr(h, ':', (size_t)(e - h));

		if (colon != NULL)
			e = colon;
	}
	n = (size_t)(e - h);
	if (n == 0 || n >= sizeof(host))
		return false;
	for (i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[n] = '\0';
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strcmp(host, hosts[i]) == 0)
			return true;
	if (inet_pton(AF_INET, host, addr) == 1)
		return addr[0] == 127;
	if (inet_pton(AF_INET6, host, addr) == 1)
		return IN6_IS_ADDR_LOOPBACK((struct in6_addr *)addr);
	return false;
}

/* ContainerProvider: only when one of its variables is set. */
static int
plan_container(struct planner *pl, const char *profile)
{
	const char *rel = env_var(pl, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env_var(pl, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *token = env_var(pl, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
	const char *token_file = env_var(pl, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	struct aws_cred_step *s;
	struct buf url;

	if (rel == NULL && full == NULL)
		return 0;
	buf_init(&url, 8192);
	if (rel != NULL) {
		buf_addstr(&url, AWS_CONTAINER_RELATIVE_HOST);
		buf_addstr(&url, rel);
	} else {
		buf_addstr(&url, full);
		if (!container_url_allowed(full)) {
			buf_release(&url);
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "AWS_CONTAINER_CREDENTIALS_FULL_URI \"%s\" is neither https nor a loopback or "
			               "container host",
			               full);
			return irsa_error_hint(pl->err, "Use https, or 127.0.0.1, localhost, 169.254.170.2, "
			                                "169.254.170.23 or fd00:ec2::23.");
		}
	}
	if (token_file == NULL && token != NULL && strpbrk(token, "\r\n") != NULL) {
		buf_release(&url);
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "AWS_CONTAINER_AUTHORIZATION_TOKEN holds a line break");
		return irsa_error_hint(pl->err, "Set it to the token alone.");
	}
	s = step_add(pl, AWS_CRED_CONTAINER, profile, "environment");
	if (s == NULL || url.failed) {
		buf_release(&url);
		pl->oom = true;
		return -1;
	}
	s->url = buf_detach(&url);
	s->auth_token_file = pdup(pl, token_file);
	if (token_file == NULL && token != NULL) {
		s->auth_token = pdup(pl, token);
		redact_register(token);
	}
	s->metadata_timeout_ms = CONTAINER_TIMEOUT_MS;
	s->metadata_attempts = CONTAINER_ATTEMPTS;
	return 1;
}

static int
setting_int(struct planner *pl, const char *env, const char *key, int def, int *out)
{
	const char *v = setting(pl, env, key);
	char *end;
	long n;

	*out = def;
	if (v == NULL)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	end += strspn(end, " \t\r\f\v");
	if (errno != 0 || end == v || *end != '\0' || n < 0 || n > 3600) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "%s \"%s\" is not a whole number of seconds or attempts", key, v);
		return irsa_error_hint(pl->err, "Set %s (or %s) to a small whole number, e.g. 1.", env, key);
	}
	*out = (int)n;
	return 0;
}

/* InstanceMetadataProvider, unless AWS_EC2_METADATA_DISABLED=true. */
static int
plan_imds(struct planner *pl, const char *profile)
{
	const char *endpoint, *mode;
	struct aws_cred_step *s;
	int timeout, attempts;

	if (aws_config_is_true(env_var(pl, "AWS_EC2_METADATA_DISABLED")))
		return 0;
	endpoint = setting(pl, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint");
	mode = setting(pl, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode");
	if (mode != NULL && strcasecmp(mode, "ipv4") != 0 && strcasecmp(mode, "ipv6") != 0) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "the IMDS endpoint mode \"%s\" is neither IPv4 nor IPv6", mode);
		return irsa_error_hint(pl->err, "Set AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (or "
		                                "ec2_metadata_service_endpoint_mode) to IPv4 or IPv6.");
	}
	if (setting_int(pl, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", 1, &timeout) != 0 ||
	    setting_int(pl, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", 1, &attempts) != 0)
		return -1;
	if (endpoint == NULL)
		endpoint = mode != NULL && strcasecmp(mode, "ipv6") == 0 ? AWS_IMDS_DEFAULT_ENDPOINT_V6
		                                                         : AWS_IMDS_DEFAULT_ENDPOINT;
	s = step_add(pl, AWS_CRED_IMDS, profile, "instance metadata");
	if (s == NULL)
		return -1;
	s->url = pdup(pl, endpoint);
	if (s->url != NULL) {
		size_t n = strlen(s->url);

		while (n > 0 && s->url[n - 1] == '/')
			s->url[--n] = '\0';
	}
	s->imds_v1_disabled =
	        aws_config_is_true(setting(pl, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled"));
	s->metadata_timeout_ms = timeout * 1000;
	s->metadata_attempts = attempts;
	return 1;
}

/* The chain so far, for a cycle message: "a -> b -> a". */
static void
chain_text(struct planner *pl, const char *last, char *out, size_t outsz)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < pl->n_visited && n < outsz; i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s -> ", pl->visited[i]);
	if (n < outsz)
		snprintf(out + n, outsz - n, "%s", last);
}

static int plan_role(struct planner *pl, const char *profile);

/* The credentials a role profile starts from: its source_profile (followed)
 * or its credential_source (botocore _resolve_source_credentials). */
static int
plan_role_source(struct planner *pl, const char *profile)
{
	const char *src = prof(pl, profile, "source_profile"), *cs = prof(pl, profile, "credential_source");
	char chain[400];
	int r;

	if (src != NULL && cs != NULL) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" has both source_profile and credential_source", profile);
		return irsa_error_hint(pl->err, "Keep one of them in [profile %s].", profile);
	}
	if (src == NULL && cs == NULL) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" has role_arn but neither source_profile nor credential_source", profile);
		return irsa_error_hint(pl->err,
		                       "Add source_profile = <a profile with credentials>, or "
		                       "credential_source = Environment, Ec2InstanceMetadata or EcsContainer.");
	}
	if (cs != NULL) {
		if (strcmp(cs, "Environment") == 0)
			r = plan_env(pl, profile);
		else if (strcmp(cs, "EcsContainer") == 0)
			r = plan_container(pl, profile);
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			r = plan_imds(pl, profile);
		else {
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "credential_source \"%s\" in profile \"%s\" is not valid", cs, profile);
			return irsa_error_hint(pl->err,
			                       "Use Environment, Ec2InstanceMetadata or EcsContainer (the case "
			                       "matters).");
		}
		if (r == 0) {
			irsa_error_set(pl->err, IRSA_ERR_AUTH,
			               "no credentials found in credential_source %s referenced in profile \"%s\"", cs,
			               profile);
			return irsa_error_hint(pl->err, strcmp(cs, "Environment") == 0
			                                        ? "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
			                                : strcmp(cs, "EcsContainer") == 0
			                                        ? "Set AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or "
			                                          "AWS_CONTAINER_CREDENTIALS_FULL_URI (ECS or EKS Pod "
			                                          "Identity set them)."
			                                        : "Unset AWS_EC2_METADATA_DISABLED.");
		}
		return r;
	}
	if (!aws_config_has_profile(pl->cfg, src)) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "the source_profile \"%s\" named in profile \"%s\" does not exist", src, profile);
		return irsa_error_hint(pl->err, "Add [profile %s] with credentials, or fix source_profile.", src);
	}
	for (size_t i = 0; i < pl->n_visited; i++) {
		if (strcmp(pl->visited[i], src) != 0)
			continue;
		/* A profile may name itself to take its own static keys. */
		if (strcmp(src, profile) == 0 && has_static_keys(pl, src))
			break;
		chain_text(pl, src, chain, sizeof(chain));
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "source_profile loop: %s", chain);
		return irsa_error_hint(pl->err, "Make the last profile of the chain hold credentials instead of "
		                                "naming an earlier one.");
	}
	if (pl->n_visited == MAX_CHAIN) {
		irsa_error_set(pl->err, IRSA_ERR_LIMIT, "more than %d profiles chained by source_profile from \"%s\"",
		               MAX_CHAIN, pl->visited[0]);
		return irsa_error_hint(pl->err, "Shorten the chain.");
	}
	pl->visited[pl->n_visited++] = src;
	if (has_static_keys(pl, src) || !has_role(pl, src)) {
		r = plan_profile(pl, src, true);
		if (r == 0) {
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "the source profile \"%s\" must have credentials", src);
			return irsa_error_hint(pl->err,
			                       "Give [profile %s] keys, a role, SSO, web identity or a "
			                       "credential_process.",
			                       src);
		}
		return r;
	}
	return plan_role(pl, src);
}

/* AssumeRoleProvider: the source, then this profile's AssumeRole. */
static int
plan_role(struct planner *pl, const char *profile)
{
	const char *dur = prof(pl, profile, "duration_seconds");
	struct aws_cred_step *s;
	int r;

	r = plan_role_source(pl, profile);
	if (r <= 0)
		return r;
	s = step_add(pl, AWS_CRED_ASSUME_ROLE, profile, aws_config_path(pl->cfg));
	if (s == NULL)
		return -1;
	s->role_arn = pdup(pl, prof(pl, profile, "role_arn"));
	s->role_session_name = pdup(pl, prof(pl, profile, "role_session_name"));
	s->external_id = pdup(pl, prof(pl, profile, "external_id"));
	s->mfa_serial = pdup(pl, prof(pl, profile, "mfa_serial"));
	if (dur != NULL) {
		char *end;
		long n = strtol(dur, &end, 10);

		/* botocore drops a duration int() cannot read. */
		if (end != dur && *end == '\0' && n > 0 && n <= INT_MAX)
			s->duration_seconds = (int)n;
	}
	return 1;
}

int
aws_cred_plan_build(const struct aws_config *cfg, const char *profile, bool explicit_flag, struct aws_cred_plan *plan,
                    struct irsa_error *err)
{
	struct planner pl;
	int r;

	memset(plan, 0, sizeof(*plan));
	memset(&pl, 0, sizeof(pl));
	pl.cfg = cfg;
	pl.top = profile;
	pl.plan = plan;
	pl.err = err;
	pl.visited[pl.n_visited++] = profile;

	r = explicit_flag ? 0 : plan_env(&pl, NULL);
	if (r == 0 && has_role(&pl, profile))
		r = plan_role(&pl, profile);
	if (r == 0)
		r = plan_profile(&pl, profile, explicit_flag);
	if (r == 0)
		r = plan_container(&pl, NULL);
	if (r == 0)
		r = plan_imds(&pl, NULL);
	if (pl.oom) {
		aws_cred_plan_release(plan);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	if (r < 0) {
		aws_cred_plan_release(plan);
		return -1;
	}
	if (r == 0) {
		irsa_error_set(err, IRSA_ERR_AUTH, "no AWS credentials found for profile \"%s\"", profile);
		return irsa_error_hint(err, "Run aws configure (or aws sso login), set AWS_ACCESS_KEY_ID and "
		                            "AWS_SECRET_ACCESS_KEY, or unset AWS_EC2_METADATA_DISABLED on EC2.");
	}
	return 0;
}
