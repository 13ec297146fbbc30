/* core/aws_client.c - one AWS call end to end (see aws_client.h).
 *
 * Owns the client (config, profile, region, credentials provider, HTTP
 * client, the endpoints resolved so far) and the path of one call: endpoint
 * + op -> HTTP request, SigV4 in the request's prepare callback (run by the
 * HTTP layer before every attempt, so each retry is signed anew), the AWS
 * retry predicate, and the mapping of a non-2xx answer through aws_error.
 * Credentials are fetched once per call (or per batch) before the request
 * goes out: the prepare callback runs inside the HTTP run and must not start
 * another one. No printing. */
#include "config.h"

#include "aws_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_endpoint.h"
#include "aws_error.h"
#include "buf.h"
#include "log.h"
#include "sigv4.h"

#define N_SERVICES   3 /* enum aws_service */
#define MAX_URL      16384
#define MAX_SIGNED_H 64 /* headers on one request we sign */

struct aws_client {
	struct http_client *http;
	bool own_http;
	struct aws_config *own_cfg;
	const struct aws_config *cfg;
	struct aws_creds *creds;
	bool own_creds;
	char *profile;
	char *region;
	char *endpoint_url; /* --endpoint-url */
	long timeout_ms;
	long retry_base_ms;
	struct aws_endpoint endpoints[N_SERVICES];
	bool resolved[N_SERVICES];
};

/* One request in flight: what its prepare callback needs to sign it. */
struct call_ctx {
	const struct aws_op *op;
	const struct aws_endpoint *ep;
	const struct aws_credentials *creds; /* NULL for an unsigned op */
	char *path;                          /* as on the request line, without the query */
	char *query;                         /* raw, without '?'; NULL when none */
	struct http_request req;
};

static int
oom(struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory preparing an AWS request");
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* --- lifecycle ------------------------------------------------------------ */

static struct aws_client *
client_alloc(const char *profile, const char *region, const struct aws_client_options *opt, struct irsa_error *err)
{
	struct aws_client *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		oom(err);
		return NULL;
	}
	c->profile = dup_or_null(profile);
	c->region = dup_or_null(region);
	c->endpoint_url = dup_or_null(opt != NULL ? opt->endpoint_url : NULL);
	c->timeout_ms = opt != NULL && opt->timeout_ms > 0 ? opt->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	c->retry_base_ms = opt != NULL && opt->retry_base_ms > 0 ? opt->retry_base_ms : HTTP_RETRY_BASE_MS;
	if ((profile != NULL && c->profile == NULL) || (region != NULL && c->region == NULL) ||
	    (opt != NULL && opt->endpoint_url != NULL && c->endpoint_url == NULL)) {
		aws_client_free(c);
		oom(err);
		return NULL;
	}
	return c;
}

struct aws_client *
aws_client_new(const struct aws_client_options *opt, struct irsa_error *err)
{
	struct aws_flags flags = {opt != NULL ? opt->profile : NULL, opt != NULL ? opt->region : NULL};
	struct aws_config *cfg = NULL;
	struct aws_client *c;
	const char *profile;
	char *region;
	bool explicit_flag = false;

	if (aws_config_load(&cfg, err) != 0)
		return NULL;
	if (aws_config_resolve_profile(cfg, &flags, &profile, &explicit_flag, err) != 0 ||
	    (region = aws_config_resolve_region(cfg, &flags, profile, err)) == NULL) {
		aws_config_free(cfg);
		return NULL;
	}
	c = client_alloc(profile, region, opt, err);
	free(region);
	if (c == NULL) {
		aws_config_free(cfg);
		return NULL;
	}
	c->own_cfg = cfg;
	c->cfg = cfg;
	c->creds = aws_creds_new(cfg, c->profile, explicit_flag, c->region, err);
	c->own_creds = true;
	if (c->creds == NULL) {
		aws_client_free(c);
		return NULL;
	}
	c->http = http_client_new(opt != NULL ? opt->max_in_flight : 0, err);
	c->own_http = true;
	if (c->http == NULL) {
		aws_client_free(c);
		return NULL;
	}
	return c;
}

struct aws_client *
aws_client_new_borrowing(struct http_client *http, const struct aws_config *cfg, const char *profile,
                         const char *region, struct aws_creds *creds, const struct aws_client_options *opt,
                         struct irsa_error *err)
{
	struct aws_client *c;

	if (region == NULL || *region == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "an AWS client needs a region");
		irsa_error_hint(err, "Set AWS_REGION, or region in the profile.");
		return NULL;
	}
	c = client_alloc(profile, region, opt, err);
	if (c == NULL)
		return NULL;
	c->cfg = cfg;
	c->creds = creds;
	c->http = http;
	if (c->http == NULL) {
		c->http = http_client_new(opt != NULL ? opt->max_in_flight : 0, err);
		c->own_http = true;
		if (c->http == NULL) {
			aws_client_free(c);
			return NULL;
		}
	}
	return c;
}

struct aws_client *
aws_client_new_for_region(const struct aws_client *base, const char *region, struct irsa_error *err)
{
	struct aws_client_options opt = {
	        .endpoint_url = base->endpoint_url,
	        .timeout_ms = base->timeout_ms,
	        .retry_base_ms = base->retry_base_ms,
	};

	return aws_client_new_borrowing(NULL, base->cfg, base->profile, region, base->creds, &opt, err);
}

void
aws_client_free(struct aws_client *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < N_SERVICES; i++)
		aws_endpoint_release(&c->endpoints[i]);
	if (c->own_http)
		http_client_free(c->http);
	if (c->own_creds)
		aws_creds_free(c->creds);
	aws_config_free(c->own_cfg);
	free(c->profile);
	free(c->region);
	free(c->endpoint_url);
	free(c);
}

const char *
aws_client_profile(const struct aws_client *c)
{
	return c->profile;
}

const char *
aws_client_region(const struct aws_client *c)
{
	return c->region;
}

const struct aws_config *
aws_client_config(const struct aws_client *c)
{
	return c->cfg;
}

struct aws_creds *
aws_client_creds(const struct aws_client *c)
{
	return c->creds;
}

void
aws_client_cancel(struct aws_client *c)
{
	http_client_cancel(c->http);
	if (c->creds != NULL)
		aws_creds_cancel(c->creds);
}

void
aws_client_clear_cancel(struct aws_client *c)
{
	http_client_clear_cancel(c->http);
	if (c->creds != NULL)
		aws_creds_clear_cancel(c->creds);
}

/* --- building a request --------------------------------------------------- */

static const struct aws_endpoint *
client_endpoint(struct aws_client *c, enum aws_service service, struct irsa_error *err)
{
	if ((unsigned)service >= N_SERVICES) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown AWS service %d", (int)service);
		return NULL;
	}
	if (!c->resolved[service]) {
		if (aws_endpoint_resolve(c->cfg, c->profile, service, c->region, c->endpoint_url,
		                         &c->endpoints[service], err) != 0)
			return NULL;
		c->resolved[service] = true;
		log_debug("%s endpoint %s (%s), signing region %s", aws_service_name(service),
		          c->endpoints[service].url, c->endpoints[service].source,
		          c->endpoints[service].signing_region);
	}
	return &c->endpoints[service];
}

/* The parts of an endpoint URL: "scheme://authority/path". */
struct url_parts {
	const char *scheme, *authority, *path;
	size_t scheme_len, authority_len, path_len;
};

static int
url_split(const char *url, struct url_parts *u)
{
	const char *p = strstr(url, "://"), *a, *end;

	if (p == NULL)
		return -1;
	u->scheme = url;
	u->scheme_len = (size_t)(p - url);
	a = p + 3;
	end = a + strcspn(a, "/?#");
	if (end == a)
		return -1;
	u->authority = a;
	u->authority_len = (size_t)(end - a);
	u->path = end;
	u->path_len = strcspn(end, "?#");
	return 0;
}

/* The Host header as botocore signs it: the authority without user info and
 * without the scheme's default port. */
static int
host_header(const struct url_parts *u, struct buf *out)
{
	const char *a = u->authority, *at = memchr(a, '@', u->authority_len);
	size_t len = u->authority_len;

	if (at != NULL) {
		len -= (size_t)(at + 1 - a);
		a = at + 1;
	}
	if (u->scheme_len == 5 && strncasecmp(u->scheme, "https", 5) == 0 && len > 4 &&
	    memcmp(a + len - 4, ":443", 4) == 0)
		len -= 4;
	else if (u->scheme_len == 4 && strncasecmp(u->scheme, "http", 4) == 0 && len > 3 &&
	         memcmp(a + len - 3, ":80", 3) == 0)
		len -= 3;
	return buf_add(out, a, len);
}

/* The request's path: the endpoint's path joined with the op's, as
 * botocore's _urljoin (an endpoint path is kept, "/" is added when it has
 * none, one '/' between). */
static int
join_path(const struct url_parts *u, const char *op_path, size_t op_len, struct buf *out)
{
	if (op_len == 0 || (op_len == 1 && op_path[0] == '/')) {
		if (u->path_len == 0)
			return buf_addch(out, '/');
		return buf_add(out, u->path, u->path_len);
	}
	if (u->path_len > 0 && u->path[u->path_len - 1] == '/' && op_path[0] == '/')
		buf_add(out, u->path, u->path_len - 1);
	else
		buf_add(out, u->path, u->path_len);
	return buf_add(out, op_path, op_len);
}

/* Signs (or re-signs) the request for this attempt: a new X-Amz-Date. */
static int
call_sign(struct http_request *req, int attempt, void *arg, struct irsa_error *err)
{
	struct call_ctx *x = arg;
	struct sigv4_header h[MAX_SIGNED_H];
	struct sigv4_request sr;
	struct sigv4_credentials sc;
	struct sigv4_result res;
	size_t i;
	int rc = 0;

	(void)attempt;
	if (x->creds == NULL)
		return 0;
	http_headers_remove(&req->headers, "X-Amz-Date");
	http_headers_remove(&req->headers, "X-Amz-Security-Token");
	http_headers_remove(&req->headers, "Authorization");
	if (req->headers.n > MAX_SIGNED_H)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "too many headers to sign (%zu)", req->headers.n);
	for (i = 0; i < req->headers.n; i++) {
		h[i].name = req->headers.v[i].name;
		h[i].value = req->headers.v[i].value;
	}
	memset(&sr, 0, sizeof(sr));
	sr.method = req->method;
	sr.path = x->path;
	sr.query = x->query;
	sr.headers = h;
	sr.n_headers = req->headers.n;
	sr.body = req->body;
	sr.body_len = req->body_len;
	sr.region = x->ep->signing_region;
	sr.service = x->ep->service;
	sr.normalize_path = true;
	sc.access_key_id = x->creds->access_key_id;
	sc.secret_access_key = x->creds->secret_access_key;
	sc.session_token = x->creds->session_token;
	if (sigv4_sign_headers(&sr, &sc, &res, err) != 0)
		return -1;
	for (i = 0; i < res.n_headers && rc == 0; i++)
		rc = http_headers_add(&req->headers, res.headers[i].name, res.headers[i].value);
	sigv4_result_release(&res);
	return rc == 0 ? 0 : oom(err);
}

static bool
call_retry(const struct http_request *req, const struct http_response *resp, void *arg)
{
	(void)req;
	(void)arg;
	return aws_error_is_retryable((int)resp->status, &resp->body);
}

static void
ctx_release(struct call_ctx *x)
{
	http_request_release(&x->req);
	free(x->path);
	free(x->query);
	x->path = NULL;
	x->query = NULL;
}

/* Builds x->req for op, signed with creds (NULL for an unsigned op) before
 * every attempt. */
static int
ctx_build(struct aws_client *c, struct call_ctx *x, const struct aws_op *op, const struct aws_credentials *creds,
          struct irsa_error *err)
{
	struct buf target, url, host, body;
	struct url_parts u;
	const char *q, *ctype;
	size_t path_len;
	int rc = -1;

	memset(x, 0, sizeof(*x));
	x->op = op;
	x->creds = op->sign ? creds : NULL;
	if (op->failed)
		return oom(err);
	x->ep = client_endpoint(c, op->service, err);
	if (x->ep == NULL)
		return -1;
	if (url_split(x->ep->url, &u) != 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the %s endpoint \"%s\" (from %s) is not a URL",
		                      x->ep->service, x->ep->url, x->ep->source);

	buf_init(&target, AWS_OP_MAX_BODY + 4096);
	buf_init(&url, MAX_URL + AWS_OP_MAX_BODY);
	buf_init(&host, 1024);
	buf_init(&body, AWS_OP_MAX_BODY);
	if (aws_op_target(op, &target) != 0 || aws_op_body(op, &body) != 0) {
		irsa_error_set(err, target.error == ENOMEM || body.error == ENOMEM ? IRSA_ERR_INTERNAL : IRSA_ERR_LIMIT,
		               "the %s request is too large to send", op->name);
		goto out;
	}
	q = strchr(buf_cstr(&target), '?');
	path_len = q != NULL ? (size_t)(q - buf_cstr(&target)) : target.len;

	/* path: the endpoint's joined with the op's. */
	join_path(&u, buf_cstr(&target), path_len, &url);
	x->path = url.failed ? NULL : strdup(buf_cstr(&url));
	x->query = q != NULL && q[1] != '\0' ? strdup(q + 1) : NULL;
	buf_reset(&url);
	buf_add(&url, x->ep->url, (size_t)(u.path - x->ep->url));
	buf_addstr(&url, x->path != NULL ? x->path : "/");
	if (x->query != NULL) {
		buf_addch(&url, '?');
		buf_addstr(&url, x->query);
	}
	host_header(&u, &host);
	if (x->path == NULL || (q != NULL && q[1] != '\0' && x->query == NULL) || url.failed || host.failed) {
		oom(err);
		goto out;
	}

	if (http_request_init(&x->req, op->method, buf_cstr(&url), err) != 0)
		goto out;
	x->req.opt.idempotent = op->idempotent;
	x->req.opt.timeout_ms = c->timeout_ms;
	x->req.opt.retry_base_ms = c->retry_base_ms;
	x->req.opt.max_response = AWS_CLIENT_MAX_RESPONSE;
	x->req.opt.ca_file = x->ep->ca_bundle;
	x->req.prepare = call_sign;
	x->req.prepare_arg = x;
	x->req.retry_check = call_retry;
	ctype = aws_op_content_type(op);
	if (http_headers_add(&x->req.headers, "Host", buf_cstr(&host)) != 0 ||
	    (ctype != NULL && http_headers_add(&x->req.headers, "Content-Type", ctype) != 0)) {
		oom(err);
		goto out;
	}
	if ((body.len > 0 || strcmp(op->method, "POST") == 0 || strcmp(op->method, "PUT") == 0) &&
	    http_request_set_body(&x->req, body.data != NULL ? body.data : "", body.len, err) != 0)
		goto out;
	rc = 0;
out:
	buf_release(&target);
	buf_release(&url);
	buf_release(&host);
	buf_release_secure(&body);
	if (rc != 0)
		ctx_release(x);
	return rc;
}

/* --- answers -------------------------------------------------------------- */

static bool
is_expired_code(const char *code)
{
	return strcmp(code, "ExpiredToken") == 0 || strcmp(code, "ExpiredTokenException") == 0;
}

/* Turns the outcome of one request into the call's result. */
static int
call_result(struct aws_client *c, const struct aws_op *op, int rc, struct http_response *resp, struct irsa_error *err)
{
	struct aws_error_response er;
	struct aws_error_context ctx;
	char object[256];

	if (rc != 0) {
		if (err != NULL && err->kind != IRSA_ERR_CANCELLED) {
			aws_op_object(op, object, sizeof(object));
			irsa_error_prefix(err, "%s%s%s", op->name, *object ? " " : "", object);
		}
		return -1;
	}
	if (resp->status >= 200 && resp->status < 300)
		return 0;
	memset(&er, 0, sizeof(er));
	er.status = (int)resp->status;
	er.body = &resp->body;
	er.error_type = http_headers_get(&resp->headers, "x-amzn-ErrorType");
	er.request_id = resp->request_id[0] != '\0' ? resp->request_id : NULL;
	er.date = http_headers_get(&resp->headers, "Date");
	er.content_type = http_headers_get(&resp->headers, "Content-Type");
	memset(&ctx, 0, sizeof(ctx));
	ctx.op = op;
	ctx.cred_source = op->sign && c->creds != NULL ? aws_creds_source(c->creds) : NULL;
	aws_error_from_response(&er, &ctx, err);
	if (err != NULL && op->sign && c->creds != NULL && is_expired_code(err->code))
		aws_creds_invalidate(c->creds);
	return -1;
}

/* The credentials to sign with, when needed (out stays empty otherwise). */
static int
client_credentials(struct aws_client *c, bool needed, struct aws_credentials *out, struct irsa_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!needed)
		return 0;
	if (c->creds == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "an AWS client without credentials was asked to sign");
	return aws_creds_get(c->creds, out, err);
}

int
aws_client_call(struct aws_client *c, const struct aws_op *op, struct http_response *resp, struct irsa_error *err)
{
	struct aws_credentials creds;
	struct call_ctx x;
	int rc;

	http_response_init(resp);
	if (client_credentials(c, op->sign, &creds, err) != 0)
		return -1;
	if (ctx_build(c, &x, op, &creds, err) != 0) {
		aws_credentials_release(&creds);
		return -1;
	}
	http_response_release(resp);
	rc = http_do(c->http, &x.req, resp, err);
	rc = call_result(c, op, rc, resp, err);
	ctx_release(&x);
	aws_credentials_release(&creds);
	return rc;
}

int
aws_client_call_many(struct aws_client *c, struct aws_call *calls, size_t n, struct irsa_error *err)
{
	struct aws_credentials creds;
	struct call_ctx *x;
	struct http_call *hc;
	bool sign = false;
	size_t i, built = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		http_response_init(&calls[i].resp);
		irsa_error_clear(&calls[i].err);
		calls[i].rc = -1;
		sign = sign || calls[i].op->sign;
	}
	if (n == 0)
		return 0;
	if (client_credentials(c, sign, &creds, err) != 0)
		return -1;
	x = calloc(n, sizeof(*x));
	hc = calloc(n, sizeof(*hc));
	if (x == NULL || hc == NULL) {
		free(x);
		free(hc);
		aws_credentials_release(&creds);
		return oom(err);
	}
	/* A call that cannot be built fails alone; the others go out. */
	for (i = 0; i < n; i++) {
		if (ctx_build(c, &x[i], calls[i].op, &creds, &calls[i].err) != 0)
			continue;
		hc[built].req = &x[i].req;
		built++;
	}
	if (built > 0)
		rc = http_run(c->http, hc, built, 0, err);
	for (i = 0, built = 0; i < n; i++) {
		if (x[i].req.url == NULL)
			continue;
		http_response_release(&calls[i].resp);
		calls[i].resp = hc[built].resp;
		calls[i].err = hc[built].err;
		calls[i].rc = call_result(c, calls[i].op, hc[built].rc, &calls[i].resp, &calls[i].err);
		built++;
		ctx_release(&x[i]);
	}
	free(x);
	free(hc);
	aws_credentials_release(&creds);
	return rc;
}
