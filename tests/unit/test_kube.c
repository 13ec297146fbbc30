/* tests/unit/test_kube.c - the Kubernetes REST client against a scripted
 * API server (http_stub.c): Status answers mapped to errors (401, 403, 404,
 * 409, 410, 422, 429, 500, a proxy's HTML page), a 401 that makes the exec
 * plugin (a shell script written at test time, counting its runs) run again
 * and the request succeed, the token hook, lists followed across pages and
 * started again after a 410 without duplicates, the merge patch and the
 * rollout restart exactly as sent, 409 re-read and retried, workloads
 * filtered by service account with the "default" rule, TokenRequest and
 * SelfSubjectAccessReview. No network beyond loopback. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "http_stub.h"
#include "jsonobj.h"
#include "kube.h"
#include "kube_api.h"
#include "kube_exec.h"
#include "kubeconfig.h"
#include "redact.h"

#include "kube_test_env.h"

#define JSON_HEADERS "Content-Type: application/json\r\n"

#define STATUS(code, reason, msg)                                                                                      \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" msg         \
	"\",\"reason\":\"" reason "\",\"code\":" #code "}"

#define SA_JSON(ns, name, rv, annotations)                                                                             \
	"{\"kind\":\"ServiceAccount\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" name "\",\"namespace\":\"" ns   \
	"\",\"uid\":\"u-" name "\",\"resourceVersion\":\"" rv "\",\"creationTimestamp\":\"2024-05-06T07:08:09Z\""      \
	",\"annotations\":{" annotations "}}}"

#define SA_ITEM(name) "{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"orders\"}}"

#define SA_PAGE(items, cont)                                                                                           \
	"{\"kind\":\"ServiceAccountList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\""               \
	",\"continue\":\"" cont "\"},\"items\":[" items "]}"

/* Counts its runs in $HOME/runs and prints a v1 token naming the run. */
#define PLUGIN                                                                                                         \
	"#!/bin/sh\n"                                                                                                  \
	"echo run >> \"$HOME/runs\"\n"                                                                                 \
	"n=$(wc -l < \"$HOME/runs\" | tr -d ' ')\n"                                                                    \
	"echo '{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"kind\": \"ExecCredential\", '\n"                \
	"echo \"\\\"status\\\": {\\\"token\\\": \\\"exec-token-$n\\\"}}\"\n"

struct fixture {
	struct kube_test_env *env;
	struct http_stub *srv;
	struct kubeconfig *cfg;
	struct kube_target *target;
	struct kube_client *c;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	void *env = NULL;

	if (f == NULL || kube_test_setup(&env) != 0)
		return -1;
	f->env = env;
	f->srv = http_stub_start();
	kube_exec_cache_clear();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	void *env = f->env;

	kube_client_free(f->c);
	kube_target_free(f->target);
	kubeconfig_free(f->cfg);
	http_stub_stop(f->srv);
	kube_exec_cache_clear();
	free(f);
	return kube_test_teardown(&env);
}

/* A client for a context whose user is user_yaml (the inside of a flow
 * mapping) and whose server is the stub. */
static struct kube_client *
client_for(struct fixture *f, const char *user_yaml, const struct kube_client_options *opt)
{
	struct kube_client_options o = {.retry_base_ms = 1};
	struct irsa_error err;
	char yaml[4096];

	if (opt != NULL)
		o = *opt;
	o.retry_base_ms = 1;
	snprintf(yaml, sizeof(yaml),
	         "clusters:\n"
	         "- {name: c, cluster: {server: 'http://127.0.0.1:%d/'}}\n"
	         "users:\n"
	         "- {name: u, user: {%s}}\n"
	         "contexts:\n"
	         "- {name: ctx, context: {cluster: c, user: u, namespace: orders}}\n"
	         "current-context: ctx\n",
	         f->srv->port, user_yaml);
	f->target = kube_test_resolve(f->env, yaml, NULL, &f->cfg);
	f->c = kube_client_new(f->target, &o, &err);
	if (f->c == NULL)
		fail_msg("kube_client_new: %s", err.message);
	return f->c;
}

static struct kube_client *
token_client(struct fixture *f)
{
	return client_for(f, "token: static-token-0123456789", NULL);
}

static struct kube_client *
exec_client(struct fixture *f)
{
	char path[PATH_MAX], user[PATH_MAX + 128];

	kube_test_file(f->env, "plugin", PLUGIN, true, path, sizeof(path));
	snprintf(user, sizeof(user),
	         "exec: {command: '%s', apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}", path);
	return client_for(f, user, NULL);
}

static void
script1(struct fixture *f, int status, const char *headers, const char *body)
{
	struct http_stub_step s = {status, headers, body, 0, false, false};

	http_stub_script(f->srv, &s, 1);
}

static const struct http_stub_seen *
seen(struct fixture *f, size_t i)
{
	if (http_stub_seen_count(f->srv) <= i)
		fail_msg("request %zu was not made (%zu seen)", i, http_stub_seen_count(f->srv));
	return &f->srv->seen[i];
}

static void
assert_header(const struct http_stub_seen *s, const char *name, const char *want)
{
	char *v = http_stub_header(s->head, name);

	if (v == NULL || strcmp(v, want) != 0)
		fail_msg("%s: \"%s\", wanted \"%s\"", name, v != NULL ? v : "(none)", want);
	free(v);
}

static int
plugin_runs(struct fixture *f)
{
	char path[PATH_MAX], line[64];
	FILE *fp = fopen(aws_test_path(f->env->aws, "runs", path, sizeof(path)), "r");
	int n = 0;

	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		n++;
	if (fp != NULL)
		fclose(fp);
	return n;
}

/* --- Status answers ------------------------------------------------------------- */

struct status_case {
	long status;
	const char *body;
	struct kube_req req;
	enum irsa_err kind;
	const char *code;
	const char *message; /* a part of it */
	const char *hint;    /* a part of it, or NULL */
};

static const struct status_case status_cases[] = {
        {401,
         STATUS(401, "Unauthorized", "Unauthorized"),
         {.method = "GET", .verb = "list", .kind = KUBE_SERVICE_ACCOUNT},
         IRSA_ERR_AUTH,
         "Unauthorized",
         "rejected the token of user \"u\" (401 Unauthorized) (context \"ctx\")",
         "token may be expired"},
        {403,
         STATUS(403, "Forbidden",
                "serviceaccounts \\\"api\\\" is forbidden: User \\\"viewer\\\" cannot patch resource "
                "\\\"serviceaccounts\\\" in API group \\\"\\\" in the namespace \\\"orders\\\""),
         {.method = "PATCH", .verb = "patch", .kind = KUBE_SERVICE_ACCOUNT, .namespace = "orders", .name = "api"},
         IRSA_ERR_DENIED,
         "Forbidden",
         "user \"viewer\" may not patch serviceaccounts in namespace \"orders\"",
         "kubectl auth can-i patch serviceaccounts -n orders --context ctx"},
        {403,
         STATUS(403, "Forbidden",
                "deployments.apps is forbidden: User \\\"viewer\\\" cannot list resource \\\"deployments\\\" in API "
                "group \\\"apps\\\" at the cluster scope"),
         {.method = "GET", .verb = "list", .kind = KUBE_DEPLOYMENT},
         IRSA_ERR_DENIED,
         "Forbidden",
         "user \"viewer\" may not list deployments.apps in all namespaces",
         "kubectl auth can-i list deployments.apps -A --context ctx"},
        {403,
         STATUS(403, "Forbidden",
                "serviceaccounts \\\"api\\\" is forbidden: User \\\"dev\\\" cannot create resource "
                "\\\"serviceaccounts/token\\\" in API group \\\"\\\" in the namespace \\\"orders\\\""),
         {.method = "POST",
          .verb = "create",
          .kind = KUBE_SERVICE_ACCOUNT,
          .namespace = "orders",
          .name = "api",
          .subresource = "token"},
         IRSA_ERR_DENIED,
         "Forbidden",
         "user \"dev\" may not create serviceaccounts/token in namespace \"orders\"",
         "kubectl auth can-i create serviceaccounts --subresource=token -n orders"},
        {403,
         STATUS(403, "Forbidden", "forbidden: User \\\"system:anonymous\\\" cannot get path \\\"/version\\\""),
         {.method = "GET", .path = "/version", .verb = "get"},
         IRSA_ERR_DENIED,
         "Forbidden",
         "refused to get /version (context \"ctx\"): forbidden: User \"system:anonymous\" cannot get path",
         "kubectl auth can-i get /version --context ctx"},
        {404,
         STATUS(404, "NotFound", "serviceaccounts \\\"api\\\" not found"),
         {.method = "GET", .verb = "get", .kind = KUBE_SERVICE_ACCOUNT, .namespace = "orders", .name = "api"},
         IRSA_ERR_NOT_FOUND,
         "NotFound",
         "service account \"api\" not found in namespace \"orders\" (context \"ctx\")",
         "kubectl get serviceaccounts -n orders --context ctx"},
        {409,
         "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"serviceaccounts "
         "\\\"api\\\" already exists\",\"reason\":\"AlreadyExists\",\"details\":{\"name\":\"api\",\"kind\":"
         "\"serviceaccounts\"},\"code\":409}",
         {.method = "POST", .verb = "create", .kind = KUBE_SERVICE_ACCOUNT, .namespace = "orders"},
         IRSA_ERR_CONFLICT,
         "AlreadyExists",
         "service account \"api\" in namespace \"orders\" already exists",
         NULL},
        {409,
         STATUS(409, "Conflict",
                "Operation cannot be fulfilled on serviceaccounts \\\"api\\\": the object has been modified; please "
                "apply your changes to the latest version and try again"),
         {.method = "PATCH", .verb = "patch", .kind = KUBE_SERVICE_ACCOUNT, .namespace = "orders", .name = "api"},
         IRSA_ERR_CONFLICT,
         "Conflict",
         "service account \"api\" in namespace \"orders\" was changed by someone else",
         "Run the command again"},
        {410,
         STATUS(410, "Expired", "The provided continue parameter is too old"),
         {.method = "GET", .verb = "list", .kind = KUBE_POD},
         IRSA_ERR_CONFLICT,
         "Expired",
         "the list of pods in all namespaces expired",
         NULL},
        {422,
         STATUS(422, "Invalid",
                "TokenRequest.authentication.k8s.io \\\"api\\\" is invalid: spec.expirationSeconds: Invalid value: "
                "60: may not specify a duration less than 10 minutes"),
         {.method = "POST",
          .verb = "create",
          .kind = KUBE_SERVICE_ACCOUNT,
          .namespace = "orders",
          .name = "api",
          .subresource = "token"},
         IRSA_ERR_INVALID_INPUT,
         "Invalid",
         "refused to create token of service account \"api\" in namespace \"orders\" (context \"ctx\"): "
         "TokenRequest.authentication.k8s.io \"api\" is invalid: spec.expirationSeconds",
         "Check the values"},
        {429,
         STATUS(429, "TooManyRequests", "Too many requests, please try again later."),
         {.method = "GET", .verb = "list", .kind = KUBE_NAMESPACE},
         IRSA_ERR_THROTTLED,
         "TooManyRequests",
         "is throttling requests: it refused to list namespaces after 4 attempts",
         "API Priority and Fairness"},
        {500,
         STATUS(500, "InternalError", "etcdserver: request timed out"),
         {.method = "GET", .verb = "get", .kind = KUBE_DEPLOYMENT, .namespace = "shop", .name = "web"},
         IRSA_ERR_NETWORK,
         "InternalError",
         "failed to get deployment \"web\" in namespace \"shop\" (HTTP 500 InternalError) after 4 attempts: "
         "etcdserver: request timed out",
         "/readyz"},
        {502,
         "<html><body><h1>502 Bad Gateway</h1></body></html>",
         {.method = "GET", .verb = "list", .kind = KUBE_SERVICE_ACCOUNT, .namespace = "orders"},
         IRSA_ERR_NETWORK,
         "",
         "answered HTTP 502 Bad Gateway to list service accounts in namespace \"orders\" after 4 attempts, not a "
         "Kubernetes Status",
         "proxy-url"},
        {403,
         "<html>Forbidden by the corporate proxy</html>",
         {.method = "GET", .verb = "list", .kind = KUBE_SERVICE_ACCOUNT},
         IRSA_ERR_DENIED,
         "",
         "answered HTTP 403 Forbidden to list service accounts in all namespaces",
         "HTTPS_PROXY"},
};

/* Each case through the client: the stub answers it, the error is the case's. */
static void
test_status_errors(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	size_t i;

	for (i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
		const struct status_case *k = &status_cases[i];
		struct irsa_error err;
		char headers[128];

		snprintf(headers, sizeof(headers), JSON_HEADERS "Audit-Id: audit-%zu\r\n%s", i,
		         k->status == 429 ? "Retry-After: 0\r\n" : "");
		script1(f, (int)k->status, headers, k->body);
		if (kube_request(c, &k->req, NULL, &err) != -1)
			fail_msg("case %zu: no error", i);
		if (err.kind != k->kind)
			fail_msg("case %zu: kind %s, wanted %s (%s)", i, irsa_err_name(err.kind),
			         irsa_err_name(k->kind), err.message);
		assert_string_equal(err.code, k->code);
		assert_int_equal(err.http_status, k->status);
		aws_test_assert_contains(err.message, k->message);
		if (k->hint != NULL)
			aws_test_assert_contains(err.hint, k->hint);
		snprintf(headers, sizeof(headers), "audit-%zu", i);
		assert_string_equal(err.request_id, headers);
	}
	/* 401 with a static token: not sent again; 429 and 5xx GETs were retried */
	script1(f, 401, JSON_HEADERS, STATUS(401, "Unauthorized", "Unauthorized"));
	{
		size_t before = http_stub_seen_count(f->srv);
		struct kube_req r = {.method = "GET", .verb = "list", .kind = KUBE_NAMESPACE};
		struct irsa_error err;

		assert_int_equal(kube_request(c, &r, NULL, &err), -1);
		assert_int_equal(http_stub_seen_count(f->srv), before + 1);
	}
}

/* --- authentication ------------------------------------------------------------- */

static void
test_request_on_the_wire(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	struct kube_version v;
	struct irsa_error err;
	const struct http_stub_seen *s;
	char *agent;

	script1(f, 200, JSON_HEADERS,
	        "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.4\",\"platform\":\"linux/amd64\"}");
	assert_int_equal(kube_server_version(c, &v, &err), 0);
	assert_string_equal(v.git_version, "v1.32.4");
	assert_string_equal(v.major, "1");
	assert_string_equal(v.minor, "32");
	assert_string_equal(v.platform, "linux/amd64");
	s = seen(f, 0);
	assert_string_equal(s->method, "GET");
	assert_string_equal(s->target, "/version");
	assert_header(s, "Authorization", "Bearer static-token-0123456789");
	assert_header(s, "Accept", "application/json");
	agent = http_stub_header(s->head, "User-Agent");
	aws_test_assert_contains(agent, "irsa/");
	free(agent);
	assert_false(http_stub_has_header(s->head, "Content-Type"));
	assert_string_equal(kube_client_credential(c), "the token of user \"u\"");
}

static void
test_exec_refreshed_after_401(void **state)
{
	struct fixture *f = *state;
	struct http_stub_step steps[] = {
	        {200, JSON_HEADERS, SA_JSON("orders", "api", "1", ""), 0, false, false},
	        {401, JSON_HEADERS, STATUS(401, "Unauthorized", "Unauthorized"), 0, false, false},
	        {200, JSON_HEADERS, SA_JSON("orders", "api", "1", ""), 0, false, false},
	};
	struct kube_client *c = exec_client(f);
	struct kube_object sa;
	struct irsa_error err;

	http_stub_script(f->srv, steps, 3);
	assert_int_equal(kube_get_serviceaccount(c, "orders", "api", &sa, &err), 0);
	kube_object_release(&sa);
	assert_int_equal(plugin_runs(f), 1);
	/* the cached credential is refused: the plugin runs again, the request goes again */
	assert_int_equal(kube_get_serviceaccount(c, "orders", "api", &sa, &err), 0);
	assert_string_equal(sa.name, "api");
	kube_object_release(&sa);
	assert_int_equal(plugin_runs(f), 2);
	assert_int_equal(http_stub_seen_count(f->srv), 3);
	assert_header(seen(f, 0), "Authorization", "Bearer exec-token-1");
	assert_header(seen(f, 1), "Authorization", "Bearer exec-token-1");
	assert_header(seen(f, 2), "Authorization", "Bearer exec-token-2");
	assert_true(aws_test_is_redacted("exec-token-2"));

	/* refused again after the refresh: one more run, then the error names the plugin */
	script1(f, 401, JSON_HEADERS, STATUS(401, "Unauthorized", "Unauthorized"));
	assert_int_equal(kube_get_serviceaccount(c, "orders", "api", &sa, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "rejected the credential of exec plugin `");
	aws_test_assert_contains(err.message, "/plugin` (user \"u\") (401 Unauthorized)");
	aws_test_assert_contains(err.hint, "run `");
	assert_int_equal(plugin_runs(f), 3);
	assert_int_equal(http_stub_seen_count(f->srv), 5);
}

struct hook_state {
	int calls;
	int refreshes;
};

static int
hook(void *arg, bool refresh, char **token, time_t *expiry, struct irsa_error *err)
{
	struct hook_state *h = arg;
	char text[64];

	(void)err;
	h->calls++;
	h->refreshes += refresh;
	snprintf(text, sizeof(text), "hook-token-%d", h->calls);
	*token = strdup(text);
	*expiry = time(NULL) + 900;
	return 0;
}

static void
test_token_hook(void **state)
{
	struct fixture *f = *state;
	struct hook_state h = {0, 0};
	struct kube_client_options opt = {.token_fn = hook, .token_arg = &h, .token_source = "the built-in EKS token"};
	struct http_stub_step steps[] = {
	        {401, JSON_HEADERS, STATUS(401, "Unauthorized", "Unauthorized"), 0, false, false},
	        {200, JSON_HEADERS, "{\"gitVersion\":\"v1.30.0\"}", 0, false, false},
	};
	struct kube_client *c;
	struct kube_version v;
	struct irsa_error err;

	/* the hook replaces the user's exec plugin */
	c = client_for(f,
	               "exec: {command: /nonexistent, apiVersion: client.authentication.k8s.io/v1, "
	               "interactiveMode: Never}",
	               &opt);
	assert_string_equal(kube_client_credential(c), "the built-in EKS token");
	http_stub_script(f->srv, steps, 2);
	assert_int_equal(kube_server_version(c, &v, &err), 0);
	assert_int_equal(h.calls, 2);
	assert_int_equal(h.refreshes, 1);
	assert_header(seen(f, 0), "Authorization", "Bearer hook-token-1");
	assert_header(seen(f, 1), "Authorization", "Bearer hook-token-2");
	/* cached until it expires */
	assert_int_equal(kube_server_version(c, &v, &err), 0);
	assert_int_equal(h.calls, 2);
	assert_header(seen(f, 2), "Authorization", "Bearer hook-token-2");
}

/* --- lists ---------------------------------------------------------------------- */

static void
test_pages(void **state)
{
	struct fixture *f = *state;
	struct http_stub_step steps[] = {
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a") "," SA_ITEM("b"), "c/1+"), 0, false, false},
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("c") "," SA_ITEM("d"), "c2"), 0, false, false},
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("e"), ""), 0, false, false},
	};
	struct kube_client_options opt = {.page_size = 2};
	struct kube_client *c = client_for(f, "token: static-token-0123456789", &opt);
	struct kube_object_list l;
	struct irsa_error err;
	static const char *const names[] = {"a", "b", "c", "d", "e"};
	size_t i;

	http_stub_script(f->srv, steps, 3);
	assert_int_equal(kube_list_serviceaccounts(c, NULL, "team=shop,tier!=db", &l, &err), 0);
	assert_int_equal(l.n, 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(l.v[i].name, names[i]);
		assert_int_equal(l.v[i].kind, KUBE_SERVICE_ACCOUNT);
		assert_string_equal(jsonobj_str(l.v[i].obj, "kind"), "ServiceAccount");
		assert_string_equal(jsonobj_str(l.v[i].obj, "apiVersion"), "v1");
	}
	assert_int_equal(l.stats.pages, 3);
	assert_int_equal(l.stats.restarts, 0);
	kube_object_list_release(&l);
	assert_int_equal(http_stub_seen_count(f->srv), 3);
	assert_string_equal(seen(f, 0)->target,
	                    "/api/v1/serviceaccounts?labelSelector=team%3Dshop%2Ctier%21%3Ddb&limit=2");
	assert_string_equal(
	        seen(f, 1)->target,
	        "/api/v1/serviceaccounts?labelSelector=team%3Dshop%2Ctier%21%3Ddb&limit=2&continue=c%2F1%2B");
	assert_string_equal(seen(f, 2)->target,
	                    "/api/v1/serviceaccounts?labelSelector=team%3Dshop%2Ctier%21%3Ddb&limit=2&continue=c2");
}

static void
test_gone_restarts(void **state)
{
	struct fixture *f = *state;
	struct http_stub_step steps[] = {
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a") "," SA_ITEM("b"), "old"), 0, false, false},
	        {410, JSON_HEADERS, STATUS(410, "Expired", "The provided continue parameter is too old"), 0, false,
	         false},
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a") "," SA_ITEM("b"), "new"), 0, false, false},
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("c"), ""), 0, false, false},
	};
	struct kube_client_options opt = {.page_size = 2};
	struct kube_client *c = client_for(f, "token: static-token-0123456789", &opt);
	struct kube_object_list l;
	struct irsa_error err;

	http_stub_script(f->srv, steps, 4);
	assert_int_equal(kube_list_serviceaccounts(c, "orders", NULL, &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "a");
	assert_string_equal(l.v[1].name, "b");
	assert_string_equal(l.v[2].name, "c");
	assert_int_equal(l.stats.restarts, 1);
	assert_int_equal(l.stats.pages, 3);
	kube_object_list_release(&l);
	assert_string_equal(seen(f, 1)->target, "/api/v1/namespaces/orders/serviceaccounts?limit=2&continue=old");
	assert_string_equal(seen(f, 2)->target, "/api/v1/namespaces/orders/serviceaccounts?limit=2");
	assert_string_equal(seen(f, 3)->target, "/api/v1/namespaces/orders/serviceaccounts?limit=2&continue=new");

	/* always gone: bounded */
	{
		struct http_stub_step gone[] = {
		        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a"), "old"), 0, false, false},
		        {410, JSON_HEADERS, STATUS(410, "Expired", "too old"), 0, false, false},
		        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a"), "old"), 0, false, false},
		        {410, JSON_HEADERS, STATUS(410, "Expired", "too old"), 0, false, false},
		        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a"), "old"), 0, false, false},
		        {410, JSON_HEADERS, STATUS(410, "Expired", "too old"), 0, false, false},
		        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a"), "old"), 0, false, false},
		        {410, JSON_HEADERS, STATUS(410, "Expired", "too old"), 0, false, false},
		};

		http_stub_script(f->srv, gone, 8);
		assert_int_equal(kube_list_serviceaccounts(c, "orders", NULL, &l, &err), -1);
		assert_int_equal(err.kind, IRSA_ERR_CONFLICT);
		assert_string_equal(err.code, "Expired");
		aws_test_assert_contains(err.message, "the list of service accounts in namespace \"orders\" expired");
		assert_null(l.v);
	}
}

/* What kube_list_each() handed over: the names of each page, "|" between
 * pages, "^" before a page that restarted the list. */
struct pages_seen {
	char names[256];
	int stop_after; /* pages; 0: never stop */
	int pages;
};

static int
page_seen(void *arg, size_t list, struct json_object *items, bool restarted, struct irsa_error *err)
{
	struct pages_seen *p = arg;
	size_t i, len = strlen(p->names);

	assert_int_equal(list, 0);
	snprintf(p->names + len, sizeof(p->names) - len, "%s%s", len > 0 ? "|" : "", restarted ? "^" : "");
	for (i = 0; i < json_object_array_length(items); i++) {
		struct json_object *item = json_object_array_get_idx(items, i);

		assert_string_equal(jsonobj_str(item, "kind"), "ServiceAccount");
		len = strlen(p->names);
		snprintf(p->names + len, sizeof(p->names) - len, "%s",
		         jsonobj_str(jsonobj_obj(item, "metadata"), "name"));
	}
	if (++p->pages == p->stop_after)
		return irsa_error_set(err, IRSA_ERR_CANCELLED, "stopped by the page callback");
	return 0;
}

static void
test_list_each_page(void **state)
{
	struct fixture *f = *state;
	struct http_stub_step steps[] = {
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a") "," SA_ITEM("b"), "old"), 0, false, false},
	        {410, JSON_HEADERS, STATUS(410, "Expired", "The provided continue parameter is too old"), 0, false,
	         false},
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("a") "," SA_ITEM("b"), "new"), 0, false, false},
	        {200, JSON_HEADERS, SA_PAGE(SA_ITEM("c"), "last"), 0, false, false},
	        {200, JSON_HEADERS, "{\"kind\":\"ServiceAccountList\",\"metadata\":{},\"items\":null}", 0, false,
	         false},
	};
	struct kube_client_options opt = {.page_size = 2};
	struct kube_client *c = client_for(f, "token: static-token-0123456789", &opt);
	struct kube_list_req req = {.kind = KUBE_SERVICE_ACCOUNT, .namespace = "orders"};
	struct pages_seen seen_pages = {"", 0, 0};
	struct kube_list_stats stats;
	struct irsa_error err;

	http_stub_script(f->srv, steps, 5);
	assert_int_equal(kube_list_each(c, &req, 1, page_seen, &seen_pages, &stats, &err), 0);
	assert_string_equal(seen_pages.names, "ab|^ab|c|");
	assert_int_equal(stats.pages, 4);
	assert_int_equal(stats.restarts, 1);

	/* the callback stops the list: no further request */
	memset(&seen_pages, 0, sizeof(seen_pages));
	seen_pages.stop_after = 1;
	http_stub_script(f->srv, steps, 1);
	assert_int_equal(kube_list_each(c, &req, 1, page_seen, &seen_pages, NULL, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	assert_string_equal(seen_pages.names, "ab");
	assert_int_equal(http_stub_seen_count(f->srv), 5 + 1);
}

#define WORKLOAD(name, spec)                                                                                           \
	"{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"shop\"},\"spec\":{\"template\":{\"spec\":" spec "}}}"

static void
test_workloads_using(void **state)
{
	struct fixture *f = *state;
	/* the same page for all three kinds: the answers may come in any order */
	struct kube_client *c = token_client(f);
	struct kube_object_list l;
	struct irsa_error err;
	bool kinds[KUBE_N_KINDS] = {false};
	size_t i;

	script1(f, 200, JSON_HEADERS,
	        "{\"kind\":\"List\",\"metadata\":{},\"items\":[" WORKLOAD("named", "{\"serviceAccountName\":\"api\"}") "," WORKLOAD(
	                "empty",
	                "{\"serviceAccountName\":\"\"}") "," WORKLOAD("absent",
	                                                              "{\"containers\":[]}") "," WORKLOAD("legacy",
	                                                                                                  "{\"serviceAc"
	                                                                                                  "count\":"
	                                                                                                  "\"api\"}") "," WORKLOAD("other",
	                                                                                                                           "{\"serviceAcc"
	                                                                                                                           "ountName\":"
	                                                                                                                           "\"other\","
	                                                                                                                           "\"serviceAcco"
	                                                                                                                           "unt\":"
	                                                                                                                           "\"api\"}") "]"
	                                                                                                                                       "}");
	assert_int_equal(kube_list_workloads_using(c, "shop", "api", &l, &err), 0);
	assert_int_equal(l.n, 6);
	for (i = 0; i < l.n; i++) {
		assert_true(strcmp(l.v[i].name, "named") == 0 || strcmp(l.v[i].name, "legacy") == 0);
		assert_string_equal(l.v[i].service_account, "api");
		kinds[l.v[i].kind] = true;
	}
	assert_int_equal(l.v[0].kind, KUBE_DEPLOYMENT);
	assert_int_equal(l.v[5].kind, KUBE_DAEMONSET);
	assert_true(kinds[KUBE_DEPLOYMENT] && kinds[KUBE_STATEFULSET] && kinds[KUBE_DAEMONSET]);
	kube_object_list_release(&l);

	assert_int_equal(kube_list_workloads_using(c, "shop", KUBE_DEFAULT_SA, &l, &err), 0);
	assert_int_equal(l.n, 6);
	for (i = 0; i < l.n; i++)
		assert_true(strcmp(l.v[i].name, "empty") == 0 || strcmp(l.v[i].name, "absent") == 0);
	kube_object_list_release(&l);

	assert_int_equal(kube_list_workloads_using(c, NULL, NULL, &l, &err), 0);
	assert_int_equal(l.n, 15);
	kube_object_list_release(&l);

	/* the three lists, one each time */
	{
		const char *want[] = {"/apis/apps/v1/namespaces/shop/deployments?limit=500",
		                      "/apis/apps/v1/namespaces/shop/statefulsets?limit=500",
		                      "/apis/apps/v1/namespaces/shop/daemonsets?limit=500"};
		size_t w, k, hits;

		assert_int_equal(http_stub_seen_count(f->srv), 9);
		for (w = 0; w < 3; w++) {
			for (k = 0, hits = 0; k < 3; k++)
				hits += strcmp(seen(f, k)->target, want[w]) == 0;
			if (hits != 1)
				fail_msg("%s requested %zu times", want[w], hits);
		}
		for (k = 6, hits = 0; k < 9; k++)
			hits += strcmp(seen(f, k)->target, "/apis/apps/v1/deployments?limit=500") == 0;
		assert_int_equal(hits, 1);
	}
}

static void
test_pods_using(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	struct kube_object_list l;
	struct irsa_error err;

	script1(f, 200, JSON_HEADERS,
	        "{\"kind\":\"PodList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"p1\",\"namespace\":"
	        "\"orders\","
	        "\"creationTimestamp\":\"2024-01-02T03:04:05Z\"},\"spec\":{\"serviceAccountName\":\"api\"}}]}");
	assert_int_equal(kube_list_pods_using(c, "orders", "api", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].service_account, "api");
	assert_int_equal(l.v[0].created, 1704164645);
	kube_object_list_release(&l);
	assert_string_equal(seen(f, 0)->target,
	                    "/api/v1/namespaces/orders/pods?fieldSelector=spec.serviceAccountName%3Dapi&limit=500");
	assert_int_equal(kube_list_pods_using(c, NULL, "api", &l, &err), 0);
	kube_object_list_release(&l);
	assert_string_equal(seen(f, 1)->target, "/api/v1/pods?fieldSelector=spec.serviceAccountName%3Dapi&limit=500");
	/* every pod, whatever its service account */
	assert_int_equal(kube_list_pods(c, "orders", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].kind, KUBE_POD);
	kube_object_list_release(&l);
	assert_string_equal(seen(f, 2)->target, "/api/v1/namespaces/orders/pods?limit=500");
}

/* --- writes --------------------------------------------------------------------- */

static void
test_merge_patch(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	const struct kube_kv changes[] = {
	        {"eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/shop-orders"},
	        {"eks.amazonaws.com/sts-regional-endpoints", "true"},
	        {"eks.amazonaws.com/token-expiration", NULL},
	};
	struct kube_object sa;
	struct irsa_error err;
	const struct http_stub_seen *s;
	static const char want[] = "{\"metadata\":{\"annotations\":{\"eks.amazonaws.com/role-arn\":"
	                           "\"arn:aws:iam::123456789012:role/shop-orders\",\"eks.amazonaws.com/"
	                           "sts-regional-endpoints\":\"true\",\"eks.amazonaws.com/token-expiration\":null}}}";
	struct http_stub_step steps[] = {
	        {429, JSON_HEADERS "Retry-After: 0\r\n", STATUS(429, "TooManyRequests", "slow down"), 0, false, false},
	        {200, JSON_HEADERS,
	         SA_JSON("orders", "api", "7",
	                 "\"eks.amazonaws.com/role-arn\":\"arn:aws:iam::123456789012:role/shop-orders\""),
	         0, false, false},
	};

	http_stub_script(f->srv, steps, 2);
	assert_int_equal(kube_patch_serviceaccount_annotations(c, "orders", "api", changes, 3, &sa, &err), 0);
	assert_string_equal(kube_object_annotation(&sa, "eks.amazonaws.com/role-arn"),
	                    "arn:aws:iam::123456789012:role/shop-orders");
	assert_string_equal(sa.resource_version, "7");
	kube_object_release(&sa);
	/* the 429 was retried: the patch is safe to send twice */
	assert_int_equal(http_stub_seen_count(f->srv), 2);
	s = seen(f, 1);
	assert_string_equal(s->method, "PATCH");
	assert_string_equal(s->target, "/api/v1/namespaces/orders/serviceaccounts/api");
	assert_header(s, "Content-Type", "application/merge-patch+json");
	assert_string_equal(s->body, want);
	assert_int_equal(s->body_len, strlen(want));
}

static void
test_conflict_reread(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	const struct kube_kv set = {"eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/r"};
	struct http_stub_step steps[] = {
	        {409, JSON_HEADERS,
	         STATUS(409, "Conflict",
	                "Operation cannot be fulfilled on serviceaccounts \\\"api\\\": the object has been modified; "
	                "please apply your changes to the latest version and try again"),
	         0, false, false},
	        {200, JSON_HEADERS, SA_JSON("orders", "api", "8", ""), 0, false, false},
	        {200, JSON_HEADERS, SA_JSON("orders", "api", "9", ""), 0, false, false},
	};
	struct http_stub_step again[7];
	struct irsa_error err;
	size_t i;

	for (i = 0; i < 7; i++)
		again[i] = steps[i % 2 == 0 ? 0 : 1];
	http_stub_script(f->srv, steps, 3);
	assert_int_equal(kube_patch_serviceaccount_annotations(c, "orders", "api", &set, 1, NULL, &err), 0);
	assert_int_equal(http_stub_seen_count(f->srv), 3);
	assert_string_equal(seen(f, 0)->method, "PATCH");
	assert_string_equal(seen(f, 1)->method, "GET");
	assert_string_equal(seen(f, 1)->target, "/api/v1/namespaces/orders/serviceaccounts/api");
	assert_string_equal(seen(f, 2)->method, "PATCH");

	/* always in conflict: bounded */
	http_stub_script(f->srv, again, 7);
	assert_int_equal(kube_patch_serviceaccount_annotations(c, "orders", "api", &set, 1, NULL, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_CONFLICT);
	/* 3 + 1 first PATCH + KUBE_MAX_CONFLICT_RETRIES (GET + PATCH) */
	assert_int_equal(http_stub_seen_count(f->srv), 3 + 1 + 2 * KUBE_MAX_CONFLICT_RETRIES);
}

static void
test_create(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	const struct kube_kv ann = {"eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/r"};
	const struct kube_kv label = {"app.kubernetes.io/managed-by", "irsa"};
	struct kube_object sa;
	struct irsa_error err;
	const struct http_stub_seen *s;

	script1(f, 201, JSON_HEADERS, SA_JSON("orders", "new", "3", "\"eks.amazonaws.com/role-arn\":\"x\""));
	assert_int_equal(kube_create_serviceaccount(c, "orders", "new", &ann, 1, &label, 1, &sa, &err), 0);
	assert_string_equal(sa.name, "new");
	assert_string_equal(sa.uid, "u-new");
	assert_int_equal(sa.created, 1714979289);
	kube_object_release(&sa);
	s = seen(f, 0);
	assert_string_equal(s->method, "POST");
	assert_string_equal(s->target, "/api/v1/namespaces/orders/serviceaccounts");
	assert_header(s, "Content-Type", "application/json");
	assert_string_equal(s->body,
	                    "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"new\","
	                    "\"namespace\":\"orders\",\"labels\":{\"app.kubernetes.io/managed-by\":\"irsa\"},"
	                    "\"annotations\":{\"eks.amazonaws.com/role-arn\":\"arn:aws:iam::123456789012:role/"
	                    "r\"}}}");

	/* a create is not sent twice, even after a 429 */
	script1(f, 429, JSON_HEADERS "Retry-After: 0\r\n", STATUS(429, "TooManyRequests", "slow down"));
	assert_int_equal(kube_create_serviceaccount(c, "orders", "new", NULL, 0, NULL, 0, NULL, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_THROTTLED);
	assert_int_equal(http_stub_seen_count(f->srv), 2);
	assert_string_equal(seen(f, 1)->body,
	                    "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":"
	                    "\"new\",\"namespace\":\"orders\"}}");
}

static void
test_rollout_restart(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	struct http_stub_step steps[] = {
	        {200, JSON_HEADERS, "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"}}",
	         0, false, false},
	        {200, JSON_HEADERS, "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"}}",
	         0, false, false},
	};
	const char *tz = getenv("TZ");
	char *saved_tz = tz != NULL ? strdup(tz) : NULL;
	char stamp[KUBE_RFC3339_LEN];
	struct irsa_error err;
	const struct http_stub_seen *s;
	char *body;

	/* 2025-01-02T14:04:05Z: +01:00 in CET, Z in UTC, -05:00 in EST */
	setenv("TZ", "CET-1", 1);
	tzset();
	assert_string_equal(kube_rfc3339_local(1735826645, stamp, sizeof(stamp)), "2025-01-02T15:04:05+01:00");
	body = kube_restart_patch(1735826645);
	assert_string_equal(body, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/"
	                          "restartedAt\":\"2025-01-02T15:04:05+01:00\"}}}}}");
	http_stub_script(f->srv, steps, 2);
	assert_int_equal(kube_rollout_restart(c, KUBE_DEPLOYMENT, "shop", "web", 1735826645, NULL, &err), 0);
	assert_int_equal(http_stub_seen_count(f->srv), 2);
	assert_string_equal(seen(f, 0)->method, "GET");
	assert_string_equal(seen(f, 0)->target, "/apis/apps/v1/namespaces/shop/deployments/web");
	s = seen(f, 1);
	assert_string_equal(s->method, "PATCH");
	assert_string_equal(s->target, "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kubectl-rollout");
	assert_header(s, "Content-Type", "application/strategic-merge-patch+json");
	assert_string_equal(s->body, body);
	free(body);
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_string_equal(kube_rfc3339_local(1735826645, stamp, sizeof(stamp)), "2025-01-02T14:04:05Z");
	setenv("TZ", "EST5", 1);
	tzset();
	assert_string_equal(kube_rfc3339_local(1735826645, stamp, sizeof(stamp)), "2025-01-02T09:04:05-05:00");
	if (saved_tz != NULL)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);

	/* a paused deployment: kubectl's error, and no PATCH */
	script1(f, 200, JSON_HEADERS,
	        "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"paused\":"
	        "true}}");
	assert_int_equal(kube_rollout_restart(c, KUBE_DEPLOYMENT, "shop", "web", 0, NULL, &err), -1);
	aws_test_assert_contains(err.message, "can't restart paused deployment (run rollout resume first)");
	assert_int_equal(http_stub_seen_count(f->srv), 3);
	assert_string_equal(seen(f, 2)->method, "GET");

	/* stateful sets and daemon sets the same way; pods not at all */
	script1(f, 200, JSON_HEADERS, "{\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"}}");
	assert_int_equal(kube_rollout_restart(c, KUBE_STATEFULSET, "shop", "db", 0, NULL, &err), 0);
	assert_string_equal(seen(f, 4)->target,
	                    "/apis/apps/v1/namespaces/shop/statefulsets/db?fieldManager=kubectl-rollout");
	assert_int_equal(kube_rollout_restart(c, KUBE_POD, "shop", "db", 0, NULL, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_int_equal(http_stub_seen_count(f->srv), 5);
}

/* --- reviews -------------------------------------------------------------------- */

static void
test_token_request(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	const char *const audiences[] = {"sts.amazonaws.com", "other"};
	struct kube_token tok;
	struct irsa_error err;
	const struct http_stub_seen *s;

	script1(f, 201, JSON_HEADERS,
	        "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"status\":{\"token\":"
	        "\"eyJhbGciOiJSUzI1NiJ9.tokenrequest-secret-value.sig\",\"expirationTimestamp\":\"2030-01-01T00:00:"
	        "00Z\"}}");
	assert_int_equal(kube_token_request(c, "orders", "api", audiences, 2, 3600, &tok, &err), 0);
	assert_string_equal(tok.token, "eyJhbGciOiJSUzI1NiJ9.tokenrequest-secret-value.sig");
	assert_int_equal(tok.expiry, 1893456000);
	assert_string_equal(tok.expiration_timestamp, "2030-01-01T00:00:00Z");
	assert_true(aws_test_is_redacted("eyJhbGciOiJSUzI1NiJ9.tokenrequest-secret-value.sig"));
	kube_token_release(&tok);
	s = seen(f, 0);
	assert_string_equal(s->method, "POST");
	assert_string_equal(s->target, "/api/v1/namespaces/orders/serviceaccounts/api/token");
	assert_header(s, "Content-Type", "application/json");
	assert_string_equal(s->body, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":"
	                             "{\"audiences\":[\"sts.amazonaws.com\",\"other\"],\"expirationSeconds\":3600}}");
}

static void
test_access_review(void **state)
{
	struct fixture *f = *state;
	struct kube_client *c = token_client(f);
	const struct kube_access_query q = {
	        .verb = "patch", .resource = "serviceaccounts", .namespace = "orders", .name = "api"};
	struct kube_access a;
	struct irsa_error err;
	const struct http_stub_seen *s;

	script1(f, 201, JSON_HEADERS,
	        "{\"kind\":\"SelfSubjectAccessReview\",\"status\":{\"allowed\":false,\"reason\":\"no RBAC rule\"}}");
	assert_int_equal(kube_access_review(c, &q, &a, &err), 0);
	assert_false(a.allowed);
	assert_false(a.denied);
	assert_string_equal(a.reason, "no RBAC rule");
	s = seen(f, 0);
	assert_string_equal(s->target, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
	assert_string_equal(s->body, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
	                             "\"spec\":{\"resourceAttributes\":{\"namespace\":\"orders\",\"verb\":\"patch\","
	                             "\"resource\":\"serviceaccounts\",\"name\":\"api\"}}}");
	script1(f, 201, JSON_HEADERS, "{\"status\":{\"allowed\":true}}");
	assert_int_equal(kube_access_review(c, &q, &a, &err), 0);
	assert_true(a.allowed);
}

static void
test_spec_service_account(void **state)
{
	static const struct {
		const char *spec;
		const char *want;
	} cases[] = {
	        {"{\"serviceAccountName\":\"api\"}", "api"},
	        {"{\"serviceAccountName\":\"\"}", "default"},
	        {"{}", "default"},
	        {"{\"serviceAccount\":\"legacy\"}", "legacy"},
	        {"{\"serviceAccountName\":\"\",\"serviceAccount\":\"legacy\"}", "legacy"},
	        {"{\"serviceAccountName\":\"new\",\"serviceAccount\":\"legacy\"}", "new"},
	        {"{\"serviceAccountName\":7}", "default"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *o = json_tokener_parse(cases[i].spec);

		assert_string_equal(kube_spec_service_account(o), cases[i].want);
		json_object_put(o);
	}
	assert_string_equal(kube_spec_service_account(NULL), "default");
}

int
main(void)
{
	static const char *const proxies[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"};
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_status_errors, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_request_on_the_wire, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_exec_refreshed_after_401, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_token_hook, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_list_each_page, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_gone_restarts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_workloads_using, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pods_using, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_merge_patch, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_conflict_reread, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rollout_restart, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_token_request, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_access_review, setup, teardown),
	        cmocka_unit_test(test_spec_service_account),
	};
	size_t i;

	for (i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++)
		unsetenv(proxies[i]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
