/* core/kube.c - the Kubernetes REST transport: URLs from resources, the
 * credential each request carries (token hook, static token, exec plugin,
 * client certificate) and its renewal after a 401, and requests sent
 * together through one http_client. Status answers become errors in
 * kube_status.c, lists are followed page by page in kube_list.c, the typed
 * calls are kube_api.c. No printing. */
#include "config.h"

#include "kube.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "jsonobj.h"
#include "kube_exec.h"
#include "log.h"
#include "redact.h"

#define MAX_URL 8192

static const struct kube_resource resources[KUBE_N_KINDS] = {
        [KUBE_NAMESPACE] = {"Namespace", "v1", "", "namespaces", "namespace", false},
        [KUBE_SERVICE_ACCOUNT] = {"ServiceAccount", "v1", "", "serviceaccounts", "service account", true},
        [KUBE_POD] = {"Pod", "v1", "", "pods", "pod", true},
        [KUBE_DEPLOYMENT] = {"Deployment", "apps/v1", "apps", "deployments", "deployment", true},
        [KUBE_STATEFULSET] = {"StatefulSet", "apps/v1", "apps", "statefulsets", "stateful set", true},
        [KUBE_DAEMONSET] = {"DaemonSet", "apps/v1", "apps", "daemonsets", "daemon set", true},
        [KUBE_ACCESS_REVIEW] = {"SelfSubjectAccessReview", "authorization.k8s.io/v1", "authorization.k8s.io",
                                "selfsubjectaccessreviews", "access review", false},
};

/* Where the bearer token comes from. */
enum bearer_source {
	BEARER_NONE,
	BEARER_HOOK,
	BEARER_STATIC, /* token or tokenFile */
	BEARER_EXEC,
};

struct kube_client {
	const struct kube_target *t;
	struct http_client *http;
	struct kube_client_options opt;
	char *token_source; /* opt.token_source, copied */
	char *server;       /* t->server without trailing slashes */
	enum bearer_source bearer_from;

	char *hook_token; /* secret */
	time_t hook_expiry;
	struct kube_credential exec; /* the exec plugin's credential in use */
	bool have_exec;

	char credential[KUBE_MAX_DESCRIPTION];
	char auth_hint[KUBE_MAX_DESCRIPTION];
};

const struct kube_resource *
kube_resource(enum kube_kind kind)
{
	return &resources[kind < KUBE_N_KINDS ? kind : KUBE_NAMESPACE];
}

int
kube_url_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		    ch == '.' || ch == '_' || ch == '~')
			buf_addch(b, (char)ch);
		else
			buf_printf(b, "%%%c%c", hex[ch >> 4], hex[ch & 15]);
	}
	return b->failed ? -1 : 0;
}

/* --- the credential ------------------------------------------------------------- */

/* The exec plugin as a command line, cut to fit with "...". */
static void
exec_command_line(const struct kube_exec_config *x, char *out, size_t outsz)
{
	size_t i, len = (size_t)snprintf(out, outsz, "%s", x->command);

	for (i = 0; i < x->n_args && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, " %s", x->args[i]);
	if (len >= outsz && outsz > 4)
		memcpy(out + outsz - 4, "...", 4);
}

/* Says which credential the client sends and what to do when it is refused. */
static void
describe_credential(struct kube_client *c)
{
	const struct kube_target *t = c->t;
	const char *file = t->file != NULL ? t->file : "the kubeconfig";
	struct kube_eks_params eks;
	char cmd[160];

	switch (c->bearer_from) {
	case BEARER_HOOK:
		snprintf(c->credential, sizeof(c->credential), "%s",
		         c->token_source != NULL ? c->token_source : "the token from irsa's token hook");
		snprintf(c->auth_hint, sizeof(c->auth_hint),
		         "A new token was made and refused too: check that the identity it is made for is allowed into "
		         "the cluster (EKS access entries or the aws-auth ConfigMap).");
		return;
	case BEARER_STATIC:
		snprintf(c->credential, sizeof(c->credential), "the token of user \"%s\"%s%s", t->user,
		         t->token_file != NULL ? " read from " : "", t->token_file != NULL ? t->token_file : "");
		snprintf(c->auth_hint, sizeof(c->auth_hint),
		         "The token may be expired or revoked: get a new one and update user \"%s\" in %s.", t->user,
		         file);
		return;
	case BEARER_EXEC:
		exec_command_line(&t->exec, cmd, sizeof(cmd));
		snprintf(c->credential, sizeof(c->credential), "the credential of exec plugin `%s` (user \"%s\")", cmd,
		         t->user);
		if (kube_exec_eks_params(&t->exec, &eks))
			snprintf(c->auth_hint, sizeof(c->auth_hint),
			         "It was refused again after a fresh run: check that the AWS identity the plugin uses "
			         "(aws sts get-caller-identity) has an access entry or an aws-auth mapping in the "
			         "cluster.");
		else
			snprintf(c->auth_hint, sizeof(c->auth_hint),
			         "It was refused again after a fresh run of the plugin: run `%s` by hand and check "
			         "what it "
			         "prints.",
			         cmd);
		return;
	case BEARER_NONE:
		break;
	}
	if (t->client_cert_pem != NULL) {
		snprintf(c->credential, sizeof(c->credential), "the client certificate of user \"%s\"", t->user);
		snprintf(c->auth_hint, sizeof(c->auth_hint),
		         "The certificate may be expired or not issued by the cluster's CA: renew user \"%s\" in %s "
		         "(openssl x509 -noout -dates shows its dates).",
		         t->user, file);
	} else {
		snprintf(c->credential, sizeof(c->credential), "an anonymous request (user \"%s\" has no credentials)",
		         t->user);
		snprintf(c->auth_hint, sizeof(c->auth_hint),
		         "Give user \"%s\" in %s a token, a client certificate or an exec plugin (aws eks "
		         "update-kubeconfig writes one for EKS).",
		         t->user, file);
	}
}

static bool
credential_renewable(const struct kube_client *c)
{
	return c->bearer_from == BEARER_HOOK || c->bearer_from == BEARER_EXEC;
}

/* Makes sure the client holds a current credential; with renew, a new one
 * in place of the one the server refused. */
static int
credential_get(struct kube_client *c, bool renew, struct irsa_error *err)
{
	if (c->bearer_from == BEARER_HOOK) {
		char *token = NULL;
		time_t expiry = 0;

		if (!renew && c->hook_token != NULL &&
		    (c->hook_expiry == 0 || time(NULL) < c->hook_expiry - KUBE_TOKEN_MARGIN))
			return 0;
		if (c->opt.token_fn(c->opt.token_arg, renew, &token, &expiry, err) != 0)
			return -1;
		if (token == NULL || *token == '\0') {
			buf_free_secret(token);
			return irsa_error_set(err, IRSA_ERR_AUTH, "%s is empty", c->credential);
		}
		redact_register(token);
		buf_free_secret(c->hook_token);
		c->hook_token = token;
		c->hook_expiry = expiry;
		return 0;
	}
	if (c->bearer_from == BEARER_EXEC) {
		struct kube_credential cred;

		if (renew)
			kube_exec_invalidate(c->t, c->have_exec ? &c->exec : NULL);
		if (kube_exec_credential(c->t, c->opt.exec_timeout_ms, &cred, err) != 0)
			return -1;
		kube_credential_release(&c->exec);
		c->exec = cred;
		c->have_exec = true;
	}
	return 0;
}

/* --- requests ------------------------------------------------------------------- */

static int
build_url(const struct kube_client *c, const struct kube_req *r, struct buf *url)
{
	const struct kube_resource *res = kube_resource(r->kind);

	buf_addstr(url, c->server);
	if (r->path != NULL) {
		buf_addstr(url, r->path);
		return url->failed ? -1 : 0;
	}
	if (*res->group == '\0')
		buf_printf(url, "/api/%s", res->api_version);
	else
		buf_printf(url, "/apis/%s", res->api_version);
	if (res->namespaced && r->namespace != NULL && *r->namespace != '\0') {
		buf_addstr(url, "/namespaces/");
		kube_url_escape(url, r->namespace);
	}
	buf_printf(url, "/%s", res->plural);
	if (r->name != NULL) {
		buf_addch(url, '/');
		kube_url_escape(url, r->name);
	}
	if (r->subresource != NULL)
		buf_printf(url, "/%s", r->subresource);
	if (r->query != NULL && *r->query != '\0')
		buf_printf(url, "?%s", r->query);
	return url->failed ? -1 : 0;
}

/* Builds the HTTP request for r with the client's current credential. */
static int
build_request(struct kube_client *c, const struct kube_req *r, struct http_request *h, struct irsa_error *err)
{
	const struct kube_target *t = c->t;
	const char *bearer = NULL;
	struct buf url;
	int rc;

	buf_init(&url, MAX_URL);
	if (build_url(c, r, &url) != 0) {
		buf_release(&url);
		return irsa_error_set(err, IRSA_ERR_LIMIT, "the URL for %s %s is longer than %d bytes", r->verb,
		                      kube_resource(r->kind)->plural, MAX_URL);
	}
	rc = http_request_init(h, r->method, buf_cstr(&url), err);
	buf_release(&url);
	if (rc != 0)
		return -1;
	h->opt.max_response = c->opt.max_response;
	if (c->opt.timeout_ms > 0)
		h->opt.timeout_ms = c->opt.timeout_ms;
	if (c->opt.retry_base_ms > 0)
		h->opt.retry_base_ms = c->opt.retry_base_ms;
	if (r->retry_safe)
		h->opt.idempotent = true;
	h->opt.ca_pem = t->ca_pem;
	h->opt.ca_pem_len = t->ca_pem_len;
	h->opt.insecure = t->insecure;
	h->opt.tls_server_name = t->tls_server_name;
	h->opt.proxy = t->proxy_url;
	if (c->have_exec && c->exec.client_cert_pem != NULL) {
		h->opt.cert_pem = c->exec.client_cert_pem;
		h->opt.cert_pem_len = c->exec.client_cert_pem_len;
		h->opt.key_pem = c->exec.client_key_pem;
		h->opt.key_pem_len = c->exec.client_key_pem_len;
	} else if (t->client_cert_pem != NULL) {
		h->opt.cert_pem = t->client_cert_pem;
		h->opt.cert_pem_len = t->client_cert_pem_len;
		h->opt.key_pem = t->client_key_pem;
		h->opt.key_pem_len = t->client_key_pem_len;
	}
	if (c->bearer_from == BEARER_HOOK)
		bearer = c->hook_token;
	else if (c->bearer_from == BEARER_STATIC)
		bearer = t->token;
	else if (c->bearer_from == BEARER_EXEC && c->have_exec)
		bearer = c->exec.token;
	if (http_headers_add(&h->headers, "Accept", "application/json") != 0)
		return irsa_error_oom(err);
	if (bearer != NULL) {
		struct buf auth;

		buf_init(&auth, strlen(bearer) + 16);
		buf_printf(&auth, "Bearer %s", bearer);
		rc = http_headers_add(&h->headers, "Authorization", buf_cstr(&auth));
		buf_release_secure(&auth);
		if (rc != 0)
			return irsa_error_oom(err);
	}
	if (r->body != NULL) {
		if (http_headers_add(&h->headers, "Content-Type", r->content_type) != 0)
			return irsa_error_oom(err);
		if (http_request_set_body(h, r->body, r->body_len, err) != 0)
			return -1;
	}
	return 0;
}

/* Requests sent together and their outcomes. */
struct exchange {
	struct http_request *h;
	struct http_call *calls;
	size_t n;
};

static void
exchange_release(struct exchange *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		http_request_release(&x->h[i]);
		http_response_release(&x->calls[i].resp);
	}
	free(x->h);
	free(x->calls);
	memset(x, 0, sizeof(*x));
}

/* Sends the n requests at once; after 401 answers, renews the credential
 * once and sends those again. Returns 0 with x filled (each call's rc, err
 * and resp; the caller releases x), or -1 with err set when no request
 * could go out (no credential) or the run was cancelled. */
static int
exchange_run(struct kube_client *c, const struct kube_call *kc, size_t n, struct exchange *x, struct irsa_error *err)
{
	struct http_call *again;
	size_t i, j, n_again = 0;

	memset(x, 0, sizeof(*x));
	x->h = calloc(n, sizeof(*x->h));
	x->calls = calloc(n, sizeof(*x->calls));
	if (x->h == NULL || x->calls == NULL) {
		free(x->h);
		free(x->calls);
		return irsa_error_oom(err);
	}
	x->n = n;
	for (i = 0; i < n; i++)
		http_response_init(&x->calls[i].resp);
	if (credential_get(c, false, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (build_request(c, kc[i].req, &x->h[i], err) != 0)
			return -1;
		x->calls[i].req = &x->h[i];
	}
	if (http_run(c->http, x->calls, n, 0, err) != 0)
		return -1;
	for (i = 0; i < n; i++)
		n_again += x->calls[i].rc == 0 && x->calls[i].resp.status == 401;
	if (n_again == 0 || !credential_renewable(c))
		return 0;

	log_debug("kube: %s was refused (401); renewing it", c->credential);
	if (credential_get(c, true, err) != 0) {
		irsa_error_prefix(err, "renewing %s after a 401 from %s", c->credential, c->server);
		return -1;
	}
	again = calloc(n_again, sizeof(*again));
	if (again == NULL)
		return irsa_error_oom(err);
	for (i = 0, n_again = 0; i < n; i++) {
		if (x->calls[i].rc != 0 || x->calls[i].resp.status != 401)
			continue;
		http_request_release(&x->h[i]);
		if (build_request(c, kc[i].req, &x->h[i], err) != 0) {
			free(again);
			return -1;
		}
		again[n_again++].req = &x->h[i];
	}
	if (http_run(c->http, again, n_again, 0, err) != 0) {
		for (i = 0; i < n_again; i++)
			http_response_release(&again[i].resp);
		free(again);
		return -1;
	}
	for (i = 0, j = 0; i < n && j < n_again; i++) {
		if (x->calls[i].req != again[j].req)
			continue;
		http_response_release(&x->calls[i].resp);
		x->calls[i] = again[j++];
	}
	free(again);
	return 0;
}

static void
error_context(const struct kube_client *c, struct kube_error_context *ctx)
{
	ctx->server = c->server;
	ctx->context = c->t->context;
	ctx->credential = c->credential;
	ctx->auth_hint = c->auth_hint;
}

/* The JSON object in a 2xx answer, or NULL with err set. */
static struct json_object *
answer_json(const struct kube_client *c, const struct kube_req *r, const struct http_response *resp,
            struct irsa_error *err)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	struct json_object *o = NULL;

	if (tok != NULL) {
		o = json_tokener_parse_ex(tok, buf_cstr(&resp->body), (int)resp->body.len);
		if (json_tokener_get_error(tok) != json_tokener_success || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			o = NULL;
		}
		json_tokener_free(tok);
	}
	if (o == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "the API server at %s answered %s %s with HTTP %ld but not JSON",
		               c->server, r->verb, kube_resource(r->kind)->plural, resp->status);
		irsa_error_set_code(err, NULL, resp->request_id);
		err->http_status = (int)resp->status;
		irsa_error_hint(err, "Check that the kubeconfig's server is a Kubernetes API server and not a proxy.");
	}
	return o;
}

/* One finished call: 0 and *out for a 2xx JSON answer, else -1 and err. */
static int
call_result(struct kube_client *c, const struct kube_req *r, struct http_call *call, struct json_object **out,
            struct irsa_error *err)
{
	struct kube_error_context ctx;
	struct json_object *o;

	if (call->rc != 0) {
		*err = call->err;
		return -1;
	}
	if (call->resp.status < 200 || call->resp.status > 299) {
		error_context(c, &ctx);
		return kube_status_error(&ctx, r, &call->resp, err);
	}
	o = answer_json(c, r, &call->resp, err);
	if (o == NULL)
		return -1;
	if (out != NULL)
		*out = o;
	else
		json_object_put(o);
	return 0;
}

int
kube_request_many(struct kube_client *c, struct kube_call *calls, size_t n, struct irsa_error *err)
{
	struct exchange x;
	size_t i;
	int rc;

	irsa_error_clear(err);
	for (i = 0; i < n; i++) {
		calls[i].out = NULL;
		calls[i].rc = -1;
		irsa_error_clear(&calls[i].err);
	}
	rc = exchange_run(c, calls, n, &x, err);
	for (i = 0; rc == 0 && i < n; i++)
		calls[i].rc = call_result(c, calls[i].req, &x.calls[i], &calls[i].out, &calls[i].err);
	exchange_release(&x);
	return rc;
}

int
kube_request(struct kube_client *c, const struct kube_req *r, struct json_object **out, struct irsa_error *err)
{
	struct kube_call call = {.req = r};

	if (out != NULL)
		*out = NULL;
	if (kube_request_many(c, &call, 1, err) != 0)
		return -1;
	if (call.rc != 0) {
		if (err != NULL)
			*err = call.err;
		return -1;
	}
	if (out != NULL)
		*out = call.out;
	else
		json_object_put(call.out);
	return 0;
}

/* --- the client ----------------------------------------------------------------- */

struct kube_client *
kube_client_new(const struct kube_target *target, const struct kube_client_options *opt, struct irsa_error *err)
{
	struct kube_client *c;
	size_t len;

	if (target == NULL || target->server == NULL || *target->server == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the kubeconfig context has no server");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	c->t = target;
	if (opt != NULL)
		c->opt = *opt;
	if (c->opt.max_response == 0)
		c->opt.max_response = HTTP_DEFAULT_MAX_RESPONSE;
	if (c->opt.page_size == 0)
		c->opt.page_size = KUBE_DEFAULT_PAGE_SIZE;
	if (c->opt.max_in_flight == 0)
		c->opt.max_in_flight = KUBE_DEFAULT_MAX_IN_FLIGHT;
	c->server = strdup(target->server);
	c->token_source = c->opt.token_source != NULL ? strdup(c->opt.token_source) : NULL;
	c->opt.token_source = NULL;
	if (c->server == NULL || (opt != NULL && opt->token_source != NULL && c->token_source == NULL)) {
		kube_client_free(c);
		irsa_error_oom(err);
		return NULL;
	}
	for (len = strlen(c->server); len > 0 && c->server[len - 1] == '/'; len--)
		c->server[len - 1] = '\0';
	if (c->opt.token_fn != NULL)
		c->bearer_from = BEARER_HOOK;
	else if (target->token != NULL)
		c->bearer_from = BEARER_STATIC;
	else if (target->has_exec)
		c->bearer_from = BEARER_EXEC;
	describe_credential(c);
	c->http = http_client_new(c->opt.max_in_flight, err);
	if (c->http == NULL) {
		kube_client_free(c);
		return NULL;
	}
	return c;
}

void
kube_client_free(struct kube_client *c)
{
	if (c == NULL)
		return;
	http_client_free(c->http);
	buf_free_secret(c->hook_token);
	kube_credential_release(&c->exec);
	free(c->token_source);
	free(c->server);
	free(c);
}

const struct kube_target *
kube_client_target(const struct kube_client *c)
{
	return c->t;
}

unsigned
kube_client_page_size(const struct kube_client *c)
{
	return c->opt.page_size;
}

const char *
kube_client_credential(const struct kube_client *c)
{
	return c->credential;
}

void
kube_client_cancel(struct kube_client *c)
{
	http_client_cancel(c->http);
}

void
kube_client_clear_cancel(struct kube_client *c)
{
	http_client_clear_cancel(c->http);
}
