/* core/aws_creds.c - the credentials provider (see aws_creds.h): runs the
 * plan aws_config made, step by step, and caches the result.
 *
 * Owns the plan, the cached keys, the description of their source and, when
 * a step needs the network, an HTTP client of its own (so a provider shared
 * by several AWS clients refreshes through one connection pool, under its
 * mutex, and never inside another client's run). Each step kind has one
 * fetch function; role steps call STS through a short-lived aws_client over
 * the provider's HTTP client, signed with the keys of the step before. No
 * printing. */
#include "config.h"

#include "aws_creds.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "aws_client.h"
#include "aws_credproc.h"
#include "aws_endpoint.h"
#include "aws_sso.h"
#include "aws_sts.h"
#include "aws_time.h"
#include "buf.h"
#include "env.h"
#include "http.h"
#include "jsonobj.h"
#include "log.h"
#include "redact.h"
#include "sigv4.h"

#define SOURCE_MAX 512

struct aws_creds {
	pthread_mutex_t lock;
	const struct aws_config *cfg;
	char *region;
	struct aws_cred_plan plan; /* empty for a static provider */
	struct aws_credentials cached;
	bool have; /* cached holds keys */
	char source[SOURCE_MAX];
	enum aws_cred_kind kind;
	struct http_client *http; /* NULL when no step needs the network */
	atomic_bool cancelled;
	aws_creds_clock_fn clock;
	void *clock_arg;
	long retry_base_ms;
};

static int
oom(struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory getting AWS credentials");
}

static time_t
creds_now(const struct aws_creds *p)
{
	return p->clock != NULL ? p->clock(p->clock_arg) : time(NULL);
}

/* Fills out with copies, registering the secrets. Returns 0 or -1 (out of
 * memory; out is then empty). */
static int
creds_set(struct aws_credentials *out, const char *akid, const char *secret, const char *token, const char *account,
          time_t expiration)
{
	memset(out, 0, sizeof(*out));
	out->access_key_id = strdup(akid);
	out->secret_access_key = strdup(secret);
	out->session_token = token != NULL && *token != '\0' ? strdup(token) : NULL;
	out->account_id = account != NULL && *account != '\0' ? strdup(account) : NULL;
	out->expiration = expiration;
	if (out->access_key_id == NULL || out->secret_access_key == NULL ||
	    (token != NULL && *token != '\0' && out->session_token == NULL) ||
	    (account != NULL && *account != '\0' && out->account_id == NULL)) {
		aws_credentials_release(out);
		return -1;
	}
	redact_register(secret);
	if (token != NULL)
		redact_register(token);
	return 0;
}

static int
creds_copy(struct aws_credentials *out, const struct aws_credentials *in)
{
	return creds_set(out, in->access_key_id, in->secret_access_key, in->session_token, in->account_id,
	                 in->expiration);
}

/* --- descriptions --------------------------------------------------------- */

/* path with the home directory written "~". */
static void
tilde(const struct env *env, const char *path, char *out, size_t outsz)
{
	const char *home = env_get(env, "HOME");
	size_t n = home != NULL ? strlen(home) : 0;

	if (path == NULL)
		path = "?";
	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		snprintf(out, outsz, "~%s", path + n);
	else
		snprintf(out, outsz, "%s", path);
}

/* What one step is, for "irsa whoami" and error messages. */
static void
step_describe(const struct env *env, const struct aws_cred_step *s, char *out, size_t outsz)
{
	char where[256];
	const char *profile = s->profile != NULL ? s->profile : "default";

	switch (s->kind) {
	case AWS_CRED_ENV:
		snprintf(out, outsz, "environment variables");
		break;
	case AWS_CRED_STATIC:
		tilde(env, s->origin, where, sizeof(where));
		snprintf(out, outsz, "profile %s in %s", profile, where);
		break;
	case AWS_CRED_ASSUME_ROLE:
		snprintf(out, outsz, "assumed role %s via profile %s", s->role_arn ? s->role_arn : "?", profile);
		break;
	case AWS_CRED_WEB_IDENTITY:
		tilde(env, s->token_file, where, sizeof(where));
		if (s->origin != NULL && strcmp(s->origin, "environment") == 0)
			snprintf(out, outsz, "web identity token %s for role %s (AWS_WEB_IDENTITY_TOKEN_FILE)", where,
			         s->role_arn ? s->role_arn : "?");
		else
			snprintf(out, outsz, "web identity token %s for role %s via profile %s", where,
			         s->role_arn ? s->role_arn : "?", profile);
		break;
	case AWS_CRED_SSO:
		snprintf(out, outsz, "SSO profile %s", profile);
		break;
	case AWS_CRED_LOGIN:
		snprintf(out, outsz, "login session of profile %s", profile);
		break;
	case AWS_CRED_PROCESS:
		snprintf(out, outsz, "credential_process of profile %s", profile);
		break;
	case AWS_CRED_CONTAINER:
		snprintf(out, outsz, "container credentials");
		break;
	case AWS_CRED_IMDS:
		snprintf(out, outsz, "EC2 instance metadata");
		break;
	default:
		snprintf(out, outsz, "%s credentials", aws_cred_kind_name(s->kind));
		break;
	}
}

static bool
step_needs_network(const struct aws_cred_step *s)
{
	return s->kind != AWS_CRED_ENV && s->kind != AWS_CRED_STATIC && s->kind != AWS_CRED_PROCESS &&
	       s->kind != AWS_CRED_LOGIN;
}

char *
aws_creds_session_name(time_t now, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%lld", AWS_ROLE_SESSION_NAME_PREFIX, (long long)now);
	return out;
}

/* --- lifecycle ------------------------------------------------------------ */

static struct aws_creds *
creds_alloc(struct irsa_error *err)
{
	struct aws_creds *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		oom(err);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	atomic_init(&p->cancelled, false);
	return p;
}

struct aws_creds *
aws_creds_new(const struct aws_config *cfg, const char *profile, bool explicit_flag, const char *region,
              struct irsa_error *err)
{
	struct aws_creds *p = creds_alloc(err);
	bool network = false;
	size_t i;

	if (p == NULL)
		return NULL;
	p->cfg = cfg;
	p->region = strdup(region != NULL && *region != '\0' ? region : "us-east-1");
	if (p->region == NULL) {
		aws_creds_free(p);
		oom(err);
		return NULL;
	}
	if (aws_cred_plan_build(cfg, profile != NULL ? profile : "default", explicit_flag, &p->plan, err) != 0) {
		aws_creds_free(p);
		return NULL;
	}
	for (i = 0; i < p->plan.n_steps; i++)
		network = network || step_needs_network(&p->plan.steps[i]);
	p->kind = p->plan.steps[p->plan.n_steps - 1].kind;
	step_describe(aws_config_env(p->cfg), &p->plan.steps[p->plan.n_steps - 1], p->source, sizeof(p->source));
	if (network) {
		p->http = http_client_new(2, err);
		if (p->http == NULL) {
			aws_creds_free(p);
			return NULL;
		}
	}
	log_debug("credentials for profile %s: %s (%zu step%s)", profile != NULL ? profile : "default", p->source,
	          p->plan.n_steps, p->plan.n_steps == 1 ? "" : "s");
	return p;
}

struct aws_creds *
aws_creds_new_static(const struct aws_credentials *c, const char *source, struct irsa_error *err)
{
	struct aws_creds *p = creds_alloc(err);

	if (p == NULL)
		return NULL;
	if (creds_copy(&p->cached, c) != 0) {
		aws_creds_free(p);
		oom(err);
		return NULL;
	}
	p->have = true;
	p->kind = AWS_CRED_STATIC;
	snprintf(p->source, sizeof(p->source), "%s", source != NULL ? source : "given credentials");
	return p;
}

void
aws_creds_free(struct aws_creds *p)
{
	if (p == NULL)
		return;
	aws_credentials_release(&p->cached);
	aws_cred_plan_release(&p->plan);
	http_client_free(p->http);
	free(p->region);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

const char *
aws_creds_source(const struct aws_creds *p)
{
	return p->source;
}

enum aws_cred_kind
aws_creds_kind(const struct aws_creds *p)
{
	return p->kind;
}

void
aws_creds_cancel(struct aws_creds *p)
{
	atomic_store(&p->cancelled, true);
	if (p->http != NULL)
		http_client_cancel(p->http);
}

void
aws_creds_clear_cancel(struct aws_creds *p)
{
	atomic_store(&p->cancelled, false);
	if (p->http != NULL)
		http_client_clear_cancel(p->http);
}

void
aws_creds_set_clock(struct aws_creds *p, aws_creds_clock_fn clock, void *arg)
{
	pthread_mutex_lock(&p->lock);
	p->clock = clock;
	p->clock_arg = arg;
	pthread_mutex_unlock(&p->lock);
}

void
aws_creds_set_retry_base_ms(struct aws_creds *p, long ms)
{
	pthread_mutex_lock(&p->lock);
	p->retry_base_ms = ms;
	pthread_mutex_unlock(&p->lock);
}

void
aws_creds_invalidate(struct aws_creds *p)
{
	pthread_mutex_lock(&p->lock);
	if (p->plan.n_steps > 0) {
		aws_credentials_release(&p->cached);
		p->have = false;
	}
	pthread_mutex_unlock(&p->lock);
}

/* --- small helpers for the network steps ---------------------------------- */

/* Reads a small secret file (a token) into a new string with trailing
 * whitespace removed; the caller wipes and frees it. what names the file in
 * messages. */
static char *
read_token_file(const char *path, const char *what, struct irsa_error *err)
{
	struct buf b;
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot read the %s %s: %s", what, path, strerror(errno));
		irsa_error_hint(err, "Check that the file exists and is readable by this user.");
		return NULL;
	}
	buf_init(&b, AWS_CREDS_MAX_TOKEN_FILE);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (buf_add(&b, chunk, (size_t)n) != 0)
			break;
	}
	buf_wipe(chunk, sizeof(chunk));
	close(fd);
	if (n < 0 || b.failed) {
		if (b.failed && b.error == E2BIG)
			irsa_error_set(err, IRSA_ERR_LIMIT, "the %s %s is larger than %d bytes", what, path,
			               AWS_CREDS_MAX_TOKEN_FILE);
		else
			irsa_error_set(err, IRSA_ERR_IO, "cannot read the %s %s: %s", what, path,
			               strerror(n < 0 ? errno : b.error));
		buf_release_secure(&b);
		return NULL;
	}
	while (b.len > 0 && strchr(" \t\r\n", b.data[b.len - 1]) != NULL)
		b.data[--b.len] = '\0';
	if (b.len == 0) {
		buf_release_secure(&b);
		irsa_error_set(err, IRSA_ERR_AUTH, "the %s %s is empty", what, path);
		return NULL;
	}
	redact_register(buf_cstr(&b));
	return buf_detach(&b);
}

static int
request_init(struct aws_creds *p, struct http_request *req, const char *method, const char *url,
             const struct aws_cred_step *s, struct irsa_error *err)
{
	if (http_request_init(req, method, url, err) != 0)
		return -1;
	req->opt.max_response = AWS_CREDS_MAX_RESPONSE;
	if (s->metadata_timeout_ms > 0) {
		req->opt.timeout_ms = s->metadata_timeout_ms;
		req->opt.connect_timeout_ms = s->metadata_timeout_ms;
	}
	req->opt.max_retries = s->metadata_attempts > 0 ? s->metadata_attempts - 1 : req->opt.max_retries;
	if (p->retry_base_ms > 0)
		req->opt.retry_base_ms = p->retry_base_ms;
	return 0;
}

/* A status line for messages: "HTTP 500: <first line of the body>". */
static void
answer_summary(const struct http_response *resp, char *out, size_t outsz)
{
	const char *b = buf_cstr(&resp->body);
	size_t n = strcspn(b, "\r\n");

	if (n > 160)
		n = 160;
	if (n > 0)
		snprintf(out, outsz, "HTTP %ld: %.*s", resp->status, (int)n, b);
	else
		snprintf(out, outsz, "HTTP %ld", resp->status);
}

/* The metadata JSON of the container and IMDS endpoints:
 * {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", ["AccountId"]}.
 * where names the endpoint in messages. */
static int
parse_metadata_json(const struct buf *body, const char *where, struct aws_credentials *out, struct irsa_error *err)
{
	struct json_object *root = json_tokener_parse(buf_cstr(body));
	const char *akid, *secret, *token, *exp, *code, *missing = NULL;
	time_t expiration = 0;
	int rc;

	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		irsa_error_set(err, IRSA_ERR_PARSE, "%s answered with something that is not a JSON object", where);
		return irsa_error_hint(err, "Check that the endpoint is the credentials endpoint.");
	}
	code = jsonobj_str(root, "Code");
	if (code != NULL && strcmp(code, "Success") != 0) {
		const char *msg = jsonobj_str(root, "Message");

		irsa_error_set(err, IRSA_ERR_AUTH, "%s answered %s: %s", where, code, msg != NULL ? msg : "no message");
		irsa_error_set_code(err, code, NULL);
		json_object_put(root);
		return -1;
	}
	akid = jsonobj_str(root, "AccessKeyId");
	secret = jsonobj_str(root, "SecretAccessKey");
	token = jsonobj_str(root, "Token");
	exp = jsonobj_str(root, "Expiration");
	if (akid == NULL)
		missing = "AccessKeyId";
	else if (secret == NULL)
		missing = "SecretAccessKey";
	else if (token == NULL)
		missing = "Token";
	else if (exp == NULL)
		missing = "Expiration";
	if (missing != NULL) {
		json_object_put(root);
		irsa_error_set(err, IRSA_ERR_PARSE, "%s answered without %s", where, missing);
		return irsa_error_hint(err,
		                       "The endpoint must answer AccessKeyId, SecretAccessKey, Token and Expiration.");
	}
	if (aws_parse_time(exp, &expiration) != 0) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s answered an Expiration that is not a time: %s", where, exp);
		json_object_put(root);
		return -1;
	}
	rc = creds_set(out, akid, secret, token, jsonobj_str(root, "AccountId"), expiration);
	json_object_put(root);
	return rc == 0 ? 0 : oom(err);
}

/* --- the steps ------------------------------------------------------------ */

static int
fetch_container(struct aws_creds *p, const struct aws_cred_step *s, struct aws_credentials *out, struct irsa_error *err)
{
	struct http_request req;
	struct http_response resp;
	char *token = NULL, where[600], summary[256];
	int rc = -1;

	snprintf(where, sizeof(where), "the container credentials endpoint %s", s->url);
	if (s->auth_token_file != NULL) {
		token = read_token_file(s->auth_token_file, "container authorization token file", err);
		if (token == NULL)
			return -1;
	} else if (s->auth_token != NULL) {
		token = strdup(s->auth_token);
		if (token == NULL)
			return oom(err);
	}
	if (token != NULL && strpbrk(token, "\r\n") != NULL) {
		buf_free_secret(token);
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the container authorization token holds a line break");
		return irsa_error_hint(err, "Check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE): it must be one line.");
	}
	http_response_init(&resp);
	if (request_init(p, &req, "GET", s->url, s, err) != 0 ||
	    http_headers_add(&req.headers, "Accept", "application/json") != 0 ||
	    (token != NULL && http_headers_add(&req.headers, "Authorization", token) != 0)) {
		if (err == NULL || err->kind == IRSA_OK)
			oom(err);
		goto out;
	}
	if (http_do(p->http, &req, &resp, err) != 0) {
		irsa_error_prefix(err, "container credentials (%s)", s->url);
		goto out;
	}
	if (resp.status != 200) {
		answer_summary(&resp, summary, sizeof(summary));
		irsa_error_set(err, resp.status == 401 || resp.status == 403 ? IRSA_ERR_AUTH : IRSA_ERR_NETWORK,
		               "%s answered %s", where, summary);
		irsa_error_hint(err, resp.status == 401 || resp.status == 403
		                             ? "Check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE): the agent refused it."
		                             : "The ECS or EKS Pod Identity agent may not be ready; try again.");
		if (err != NULL)
			err->http_status = (int)resp.status;
		goto out;
	}
	rc = parse_metadata_json(&resp.body, where, out, err);
out:
	http_request_release(&req);
	http_response_release(&resp);
	buf_free_secret(token);
	return rc;
}

/* IMDSv2: the session token (NULL with rc 0: fall back to IMDSv1). */
static int
imds_token(struct aws_creds *p, const struct aws_cred_step *s, char **token, struct irsa_error *err)
{
	struct http_request req;
	struct http_response resp;
	char url[1024], summary[256];
	int rc = -1;

	*token = NULL;
	snprintf(url, sizeof(url), "%s/latest/api/token", s->url);
	http_response_init(&resp);
	if (request_init(p, &req, "PUT", url, s, err) != 0 ||
	    http_headers_add(&req.headers, "x-aws-ec2-metadata-token-ttl-seconds", AWS_IMDS_TOKEN_TTL) != 0 ||
	    http_request_set_body(&req, "", 0, err) != 0) {
		if (err == NULL || err->kind == IRSA_OK)
			oom(err);
		goto out;
	}
	if (http_do(p->http, &req, &resp, err) != 0) {
		irsa_error_prefix(err, "EC2 instance metadata (%s)", s->url);
		irsa_error_hint(err,
		                "Not on EC2, or the instance's metadata hop limit is 1 (pods cannot reach IMDSv2); "
		                "set AWS_EC2_METADATA_DISABLED=true to skip it.");
		goto out;
	}
	if (resp.status == 200 && resp.body.len > 0) {
		*token = buf_detach(&resp.body);
		if (*token == NULL) {
			oom(err);
			goto out;
		}
		redact_register(*token);
		rc = 0;
	} else if ((resp.status == 403 || resp.status == 404 || resp.status == 405) && !s->imds_v1_disabled) {
		log_debug("IMDS %s answered HTTP %ld to the token request: falling back to IMDSv1", s->url,
		          resp.status);
		rc = 0;
	} else {
		answer_summary(&resp, summary, sizeof(summary));
		irsa_error_set(err, IRSA_ERR_AUTH, "the instance metadata service %s refused a session token (%s)",
		               s->url, summary);
		irsa_error_hint(err, s->imds_v1_disabled ? "IMDSv1 is disabled (ec2_metadata_v1_disabled); check the "
		                                           "instance's metadata options."
		                                         : "Check the instance's metadata options.");
	}
out:
	http_request_release(&req);
	http_response_release(&resp);
	return rc;
}

/* A GET on the metadata service. rc 0 with resp filled (any status). */
static int
imds_get(struct aws_creds *p, const struct aws_cred_step *s, const char *path, const char *token,
         struct http_response *resp, struct irsa_error *err)
{
	struct http_request req;
	char url[2048];
	int rc = -1;

	snprintf(url, sizeof(url), "%s%s", s->url, path);
	http_response_init(resp);
	if (request_init(p, &req, "GET", url, s, err) != 0 ||
	    (token != NULL && http_headers_add(&req.headers, "x-aws-ec2-metadata-token", token) != 0)) {
		if (err == NULL || err->kind == IRSA_OK)
			oom(err);
		http_request_release(&req);
		return -1;
	}
	http_response_release(resp);
	rc = http_do(p->http, &req, resp, err);
	if (rc != 0)
		irsa_error_prefix(err, "EC2 instance metadata (%s)", s->url);
	http_request_release(&req);
	return rc;
}

static int
fetch_imds(struct aws_creds *p, const struct aws_cred_step *s, struct aws_credentials *out, struct irsa_error *err)
{
	static const char base[] = "/latest/meta-data/iam/security-credentials/";
	struct http_response resp;
	char *token = NULL, role[256], path[512], where[512], summary[256];
	size_t n;
	int rc = -1;

	if (imds_token(p, s, &token, err) != 0)
		return -1;
	if (imds_get(p, s, base, token, &resp, err) != 0)
		goto out;
	if (resp.status == 404) {
		irsa_error_set(err, IRSA_ERR_AUTH, "the instance metadata service %s lists no IAM role", s->url);
		irsa_error_hint(err, "Attach an instance profile with a role to this instance.");
		goto out;
	}
	if (resp.status != 200) {
		answer_summary(&resp, summary, sizeof(summary));
		irsa_error_set(err, IRSA_ERR_AUTH, "the instance metadata service %s answered %s listing roles", s->url,
		               summary);
		goto out;
	}
	n = strcspn(buf_cstr(&resp.body), "\r\n");
	if (n == 0 || n >= sizeof(role)) {
		irsa_error_set(err, IRSA_ERR_PARSE, "the instance metadata service %s lists no usable role name",
		               s->url);
		goto out;
	}
	memcpy(role, buf_cstr(&resp.body), n);
	role[n] = '\0';
	http_response_release(&resp);
	snprintf(path, sizeof(path), "%s%s", base, role);
	if (imds_get(p, s, path, token, &resp, err) != 0)
		goto out;
	snprintf(where, sizeof(where), "the instance metadata service %s (role %s)", s->url, role);
	if (resp.status != 200) {
		answer_summary(&resp, summary, sizeof(summary));
		irsa_error_set(err, IRSA_ERR_AUTH, "%s answered %s", where, summary);
		goto out;
	}
	rc = parse_metadata_json(&resp.body, where, out, err);
out:
	http_response_release(&resp);
	buf_free_secret(token);
	return rc;
}

/* The SSO portal's URL: AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL (unless
 * configured endpoints are ignored), else portal.sso.<region>.<suffix>. */
static void
sso_portal_url(const struct aws_config *cfg, const char *profile, const char *region, char *out, size_t outsz)
{
	const struct env *env = aws_config_env(cfg);
	const char *v = NULL;
	const char *ignore = env_get(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

	if (!aws_config_is_true(ignore) &&
	    !(cfg != NULL && profile != NULL &&
	      aws_config_is_true(aws_config_get(cfg, profile, "ignore_configured_endpoint_urls")))) {
		v = env_get(env, AWS_SSO_PORTAL_ENDPOINT_VAR);
		if (v == NULL || *v == '\0')
			v = env_get(env, "AWS_ENDPOINT_URL");
	}
	if (v != NULL && *v != '\0') {
		size_t n = strlen(v);

		while (n > 0 && v[n - 1] == '/')
			n--;
		snprintf(out, outsz, "%.*s", (int)n, v);
	} else {
		snprintf(out, outsz, "https://portal.sso.%s.%s", region,
		         aws_partition_dns_suffix(aws_partition_of_region(region)));
	}
}

static int
parse_sso_json(const struct buf *body, const char *where, const char *account, struct aws_credentials *out,
               struct irsa_error *err)
{
	struct json_object *root = json_tokener_parse(buf_cstr(body));
	struct json_object *rc_obj = jsonobj_obj(root, "roleCredentials"), *exp = jsonobj_num(rc_obj, "expiration");
	const char *akid = jsonobj_str(rc_obj, "accessKeyId"), *secret = jsonobj_str(rc_obj, "secretAccessKey"),
	           *token = jsonobj_str(rc_obj, "sessionToken");
	int rc;

	if (akid == NULL || secret == NULL || token == NULL || exp == NULL) {
		json_object_put(root);
		return irsa_error_set(
		        err, IRSA_ERR_PARSE,
		        "%s answered without roleCredentials (accessKeyId, secretAccessKey, sessionToken, "
		        "expiration)",
		        where);
	}
	rc = creds_set(out, akid, secret, token, account, (time_t)(json_object_get_int64(exp) / 1000));
	json_object_put(root);
	return rc == 0 ? 0 : oom(err);
}

static int
fetch_sso(struct aws_creds *p, const struct aws_cred_step *s, struct aws_credentials *out, struct irsa_error *err)
{
	struct aws_sso_token tok;
	struct http_request req;
	struct http_response resp;
	struct buf url;
	char base[1024], where[1200], summary[256];
	const char *ca = env_get(aws_config_env(p->cfg), "AWS_CA_BUNDLE");
	int rc = -1;

	memset(&tok, 0, sizeof(tok));
	if (aws_sso_token_load(aws_config_env(p->cfg), s->profile, s->sso_start_url, s->sso_session, creds_now(p), &tok,
	                       err) != 0)
		return -1;
	sso_portal_url(p->cfg, s->profile, s->sso_region, base, sizeof(base));
	snprintf(where, sizeof(where), "the SSO portal %s (GetRoleCredentials %s in account %s)", base,
	         s->sso_role_name, s->sso_account_id);
	buf_init(&url, 8192);
	buf_addstr(&url, base);
	buf_addstr(&url, "/federation/credentials?role_name=");
	sigv4_uri_encode(&url, s->sso_role_name, strlen(s->sso_role_name), false);
	buf_addstr(&url, "&account_id=");
	sigv4_uri_encode(&url, s->sso_account_id, strlen(s->sso_account_id), false);
	http_response_init(&resp);
	memset(&req, 0, sizeof(req));
	if (url.failed) {
		oom(err);
		goto out;
	}
	if (request_init(p, &req, "GET", buf_cstr(&url), s, err) != 0 ||
	    http_headers_add(&req.headers, "x-amz-sso_bearer_token", tok.access_token) != 0) {
		if (err == NULL || err->kind == IRSA_OK)
			oom(err);
		goto out;
	}
	if (ca == NULL && p->cfg != NULL && s->profile != NULL)
		ca = aws_config_get(p->cfg, s->profile, "ca_bundle");
	req.opt.ca_file = ca != NULL && *ca != '\0' ? ca : NULL;
	if (http_do(p->http, &req, &resp, err) != 0) {
		irsa_error_prefix(err, "SSO profile %s (%s)", s->profile, base);
		goto out;
	}
	if (resp.status == 401 || resp.status == 403) {
		irsa_error_set(err, IRSA_ERR_AUTH, "%s refused the SSO session of profile \"%s\" (HTTP %ld)", where,
		               s->profile, resp.status);
		irsa_error_hint(err, "Run: aws sso login --profile %s", s->profile);
		goto out;
	}
	if (resp.status != 200) {
		answer_summary(&resp, summary, sizeof(summary));
		irsa_error_set(err, resp.status >= 500 ? IRSA_ERR_NETWORK : IRSA_ERR_AUTH, "%s answered %s", where,
		               summary);
		goto out;
	}
	rc = parse_sso_json(&resp.body, where, s->sso_account_id, out, err);
out:
	buf_release(&url);
	http_request_release(&req);
	http_response_release(&resp);
	aws_sso_token_release(&tok);
	return rc;
}

/* An aws_client for STS over the provider's HTTP client, signed with src
 * (NULL: unsigned calls only). */
static struct aws_client *
sts_client(struct aws_creds *p, const struct aws_cred_step *s, const struct aws_credentials *src,
           struct aws_creds **hold, struct irsa_error *err)
{
	struct aws_client_options opt;
	struct aws_client *c;
	char desc[SOURCE_MAX];

	*hold = NULL;
	if (src != NULL) {
		step_describe(aws_config_env(p->cfg), s, desc, sizeof(desc));
		*hold = aws_creds_new_static(src, desc, err);
		if (*hold == NULL)
			return NULL;
	}
	memset(&opt, 0, sizeof(opt));
	opt.retry_base_ms = p->retry_base_ms;
	c = aws_client_new_borrowing(p->http, p->cfg, s->profile, p->region, *hold, &opt, err);
	if (c == NULL) {
		aws_creds_free(*hold);
		*hold = NULL;
	}
	return c;
}

/* The step's role_session_name, else botocore's default in name. */
static const char *
session_name(struct aws_creds *p, const struct aws_cred_step *s, char *name, size_t size)
{
	if (s->role_session_name != NULL)
		return s->role_session_name;
	aws_creds_session_name(creds_now(p), name, size);
	return name;
}

static int
fetch_web_identity(struct aws_creds *p, const struct aws_cred_step *s, struct aws_credentials *out,
                   struct irsa_error *err)
{
	struct aws_sts_web_identity in;
	struct aws_sts_credentials got;
	struct aws_creds *hold;
	struct aws_client *c;
	char *token, name[64];
	int rc;

	token = read_token_file(s->token_file, "web identity token file", err);
	if (token == NULL)
		return -1;
	c = sts_client(p, s, NULL, &hold, err);
	if (c == NULL) {
		buf_free_secret(token);
		return -1;
	}
	memset(&in, 0, sizeof(in));
	in.role_arn = s->role_arn;
	in.session_name = session_name(p, s, name, sizeof(name));
	in.web_identity_token = token;
	rc = aws_sts_assume_role_with_web_identity(c, &in, &got, err);
	if (rc == 0)
		rc = aws_sts_to_credentials(&got, out, err);
	aws_sts_credentials_release(&got);
	aws_client_free(c);
	buf_free_secret(token);
	return rc;
}

static int
fetch_assume_role(struct aws_creds *p, const struct aws_cred_step *s, const struct aws_credentials *src,
                  struct aws_credentials *out, struct irsa_error *err)
{
	struct aws_sts_assume_role in;
	struct aws_sts_credentials got;
	struct aws_creds *hold;
	struct aws_client *c;
	char name[64];
	int rc;

	if (s->mfa_serial != NULL) {
		irsa_error_set(err, IRSA_ERR_AUTH,
		               "profile \"%s\" needs an MFA code (mfa_serial %s), and irsa cannot prompt for one yet",
		               s->profile != NULL ? s->profile : "default", s->mfa_serial);
		return irsa_error_hint(err,
		                       "Get session credentials first (aws sts get-session-token or aws configure "
		                       "export-credentials --profile %s) and use them through the environment.",
		                       s->profile != NULL ? s->profile : "default");
	}
	c = sts_client(p, s, src, &hold, err);
	if (c == NULL)
		return -1;
	memset(&in, 0, sizeof(in));
	in.role_arn = s->role_arn;
	in.session_name = session_name(p, s, name, sizeof(name));
	in.external_id = s->external_id;
	in.duration_seconds = s->duration_seconds;
	rc = aws_sts_assume_role(c, &in, &got, err);
	if (rc == 0)
		rc = aws_sts_to_credentials(&got, out, err);
	aws_sts_credentials_release(&got);
	aws_client_free(c);
	aws_creds_free(hold);
	return rc;
}

/* Carries out one step; src is the previous step's keys (role steps). */
static int
step_fetch(struct aws_creds *p, const struct aws_cred_step *s, const struct aws_credentials *src,
           struct aws_credentials *out, struct irsa_error *err)
{
	switch (s->kind) {
	case AWS_CRED_ENV:
	case AWS_CRED_STATIC:
		return creds_copy(out, &s->creds) == 0 ? 0 : oom(err);
	case AWS_CRED_PROCESS:
		return aws_credential_process_run(aws_config_env(p->cfg), s->profile, s->command, 0, out, err);
	case AWS_CRED_CONTAINER:
		return fetch_container(p, s, out, err);
	case AWS_CRED_IMDS:
		return fetch_imds(p, s, out, err);
	case AWS_CRED_SSO:
		return fetch_sso(p, s, out, err);
	case AWS_CRED_WEB_IDENTITY:
		return fetch_web_identity(p, s, out, err);
	case AWS_CRED_ASSUME_ROLE:
		if (src == NULL)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "a role step without source credentials");
		return fetch_assume_role(p, s, src, out, err);
	case AWS_CRED_LOGIN:
		irsa_error_set(
		        err, IRSA_ERR_AUTH,
		        "profile \"%s\" uses an \"aws login\" session (login_session), which irsa cannot read yet",
		        s->profile != NULL ? s->profile : "default");
		return irsa_error_hint(err,
		                       "Export the session's credentials (aws configure export-credentials "
		                       "--profile %s --format env) and use them through the environment.",
		                       s->profile != NULL ? s->profile : "default");
	}
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown credential step %d", (int)s->kind);
}

/* Runs the whole plan into out. */
static int
plan_run(struct aws_creds *p, struct aws_credentials *out, struct irsa_error *err)
{
	struct aws_credentials prev, cur;
	char desc[SOURCE_MAX];
	size_t i;

	memset(&prev, 0, sizeof(prev));
	for (i = 0; i < p->plan.n_steps; i++) {
		const struct aws_cred_step *s = &p->plan.steps[i];

		memset(&cur, 0, sizeof(cur));
		if (step_fetch(p, s, i > 0 ? &prev : NULL, &cur, err) != 0) {
			aws_credentials_release(&prev);
			/* The other steps' messages name their source already. */
			if (err != NULL && err->kind != IRSA_ERR_CANCELLED && s->kind == AWS_CRED_ASSUME_ROLE &&
			    s->mfa_serial == NULL)
				irsa_error_prefix(err, "profile \"%s\"", s->profile != NULL ? s->profile : "default");
			else if (err != NULL && err->kind != IRSA_ERR_CANCELLED && s->kind == AWS_CRED_WEB_IDENTITY)
				irsa_error_prefix(err, "web identity (%s)", s->token_file);
			if (err != NULL && err->kind != IRSA_ERR_CANCELLED && p->plan.n_steps > 1 &&
			    i + 1 < p->plan.n_steps) {
				step_describe(aws_config_env(p->cfg), &p->plan.steps[p->plan.n_steps - 1], desc,
				              sizeof(desc));
				irsa_error_prefix(err, "source credentials of %s", desc);
			}
			return -1;
		}
		log_debug("credentials step %zu/%zu (%s) done%s", i + 1, p->plan.n_steps, aws_cred_kind_name(s->kind),
		          cur.expiration != 0 ? ", they expire" : "");
		aws_credentials_release(&prev);
		prev = cur;
	}
	*out = prev;
	return 0;
}

static bool
fresh(const struct aws_creds *p, time_t now)
{
	return p->have && (p->cached.expiration == 0 || p->cached.expiration - now > AWS_CREDS_REFRESH_WINDOW);
}

int
aws_creds_get(struct aws_creds *p, struct aws_credentials *out, struct irsa_error *err)
{
	struct aws_credentials got;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (atomic_load(&p->cancelled))
		return irsa_error_set(err, IRSA_ERR_CANCELLED, "getting AWS credentials was cancelled");
	pthread_mutex_lock(&p->lock);
	if (!fresh(p, creds_now(p)) && p->plan.n_steps > 0) {
		if (plan_run(p, &got, err) != 0) {
			rc = -1;
		} else {
			aws_credentials_release(&p->cached);
			p->cached = got;
			p->have = true;
			if (got.expiration != 0 && got.expiration - creds_now(p) <= AWS_CREDS_REFRESH_WINDOW)
				log_warn("the credentials from %s expire in %lld s", p->source,
				         (long long)(got.expiration - creds_now(p)));
		}
	}
	if (rc == 0 && creds_copy(out, &p->cached) != 0)
		rc = oom(err);
	pthread_mutex_unlock(&p->lock);
	return rc;
}
