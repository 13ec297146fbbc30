/* core/kube_status.c - a Kubernetes API server's refusal turned into a
 * struct irsa_error: the Status object read (reason, message, details), the
 * request described in words, the user, verb, resource and namespace of a
 * 403 read back from the apiserver's message so that the hint can name the
 * missing RBAC permission and the `kubectl auth can-i` that checks it.
 * Pure: no I/O. */
#include "config.h"

#include "kube.h"

#include <stdio.h>
#include <string.h>

#include "jsonobj.h"

/* A Status body, as far as it was one. Strings borrowed from obj. */
struct status {
	struct json_object *obj;
	const char *reason;
	const char *message;
	const char *detail_name;
	const char *detail_kind;
};

/* What an RBAC denial says: 'User "u" cannot patch resource "serviceaccounts"
 * in API group "" in the namespace "ns"' (or "at the cluster scope"). */
struct denial {
	char user[128];
	char verb[32];
	char resource[96]; /* may be "serviceaccounts/token" */
	char group[96];
	char namespace[96];
	bool cluster_scope;
};

static void
status_read(const struct http_response *resp, struct status *st)
{
	struct json_tokener *tok = json_tokener_new_ex(32);
	struct json_object *o = NULL, *details;
	const char *kind;

	memset(st, 0, sizeof(*st));
	if (tok == NULL)
		return;
	o = json_tokener_parse_ex(tok, buf_cstr(&resp->body), (int)resp->body.len);
	if (json_tokener_get_error(tok) != json_tokener_success)
		o = NULL;
	json_tokener_free(tok);
	kind = jsonobj_str(o, "kind");
	if (kind == NULL || strcmp(kind, "Status") != 0) {
		json_object_put(o);
		return;
	}
	st->obj = o;
	st->reason = jsonobj_str(o, "reason");
	st->message = jsonobj_str(o, "message");
	details = jsonobj_obj(o, "details");
	st->detail_name = jsonobj_str(details, "name");
	st->detail_kind = jsonobj_str(details, "kind");
}

/* Copies the text between after (found in s) and the next stop into out.
 * Returns a pointer past stop, or NULL when either is missing. */
static const char *
between(const char *s, const char *after, const char *stop, char *out, size_t outsz)
{
	const char *p = s != NULL ? strstr(s, after) : NULL, *end;

	if (p == NULL)
		return NULL;
	p += strlen(after);
	end = strstr(p, stop);
	if (end == NULL)
		return NULL;
	snprintf(out, outsz, "%.*s", (int)(end - p), p);
	return end + strlen(stop);
}

static bool
denial_read(const char *message, struct denial *d)
{
	const char *p;

	memset(d, 0, sizeof(*d));
	p = between(message, "User \"", "\" cannot ", d->user, sizeof(d->user));
	if (p == NULL || between(p, "", " ", d->verb, sizeof(d->verb)) == NULL ||
	    between(p, "resource \"", "\"", d->resource, sizeof(d->resource)) == NULL)
		return false;
	between(p, "in API group \"", "\"", d->group, sizeof(d->group));
	if (between(p, "in the namespace \"", "\"", d->namespace, sizeof(d->namespace)) == NULL)
		d->cluster_scope = true;
	return true;
}

/* "service account \"x\" in namespace \"ns\"", "pods in all namespaces";
 * name (may be NULL) stands in for a collection request's. */
static void
describe_target(const struct kube_req *r, const char *name, char *out, size_t outsz)
{
	const struct kube_resource *res = kube_resource(r->kind);
	bool in_ns = res->namespaced && r->namespace != NULL && *r->namespace != '\0';
	int len;

	if (name == NULL)
		name = r->name;
	if (r->path != NULL) {
		snprintf(out, outsz, "%s", r->path);
		return;
	}
	if (name != NULL)
		len = snprintf(out, outsz, "%s%s%s \"%s\"", r->subresource != NULL ? r->subresource : "",
		               r->subresource != NULL ? " of " : "", res->noun, name);
	else
		len = snprintf(out, outsz, "%ss", res->noun);
	if (len < 0 || (size_t)len >= outsz)
		return;
	if (in_ns)
		snprintf(out + len, outsz - (size_t)len, " in namespace \"%s\"", r->namespace);
	else if (res->namespaced && name == NULL)
		snprintf(out + len, outsz - (size_t)len, " in all namespaces");
}

/* " (context \"c\")" or "". */
static void
describe_context(const struct kube_error_context *ctx, char *out, size_t outsz)
{
	if (ctx->context != NULL && *ctx->context != '\0')
		snprintf(out, outsz, " (context \"%s\")", ctx->context);
	else
		out[0] = '\0';
}

/* " --context c" or "", for a kubectl command in a hint. */
static void
context_flag(const struct kube_error_context *ctx, char *out, size_t outsz)
{
	if (ctx->context != NULL && *ctx->context != '\0')
		snprintf(out, outsz, " --context %s", ctx->context);
	else
		out[0] = '\0';
}

static void
forbidden(const struct kube_error_context *ctx, const struct kube_req *r, const struct status *st, const char *target,
          const char *where, struct irsa_error *err)
{
	const struct kube_resource *res = kube_resource(r->kind);
	char resource[200], sub[64] = "", scope[128], flag[160];
	struct denial d;
	char *slash;

	if (r->path != NULL) {
		irsa_error_set(err, IRSA_ERR_DENIED, "the API server at %s refused to %s %s%s: %s", ctx->server,
		               r->verb, r->path, where, st->message != NULL ? st->message : "403 Forbidden");
		context_flag(ctx, flag, sizeof(flag));
		irsa_error_hint(err, "Check: kubectl auth can-i %s %s%s", r->verb, r->path, flag);
		return;
	}
	if (!denial_read(st->message, &d)) {
		/* not RBAC's words (an admission webhook, a fault): the request's own */
		snprintf(d.verb, sizeof(d.verb), "%s", r->verb);
		snprintf(d.resource, sizeof(d.resource), "%s%s%s", res->plural, r->subresource != NULL ? "/" : "",
		         r->subresource != NULL ? r->subresource : "");
		snprintf(d.group, sizeof(d.group), "%s", res->group);
		snprintf(d.namespace, sizeof(d.namespace), "%s", r->namespace != NULL ? r->namespace : "");
		d.cluster_scope = d.namespace[0] == '\0';
	}
	slash = strchr(d.resource, '/');
	if (slash != NULL) {
		snprintf(sub, sizeof(sub), "%s", slash + 1);
		*slash = '\0';
	}
	snprintf(resource, sizeof(resource), "%s%s%s", d.resource, d.group[0] != '\0' ? "." : "", d.group);
	if (!d.cluster_scope)
		snprintf(scope, sizeof(scope), "in namespace \"%s\"", d.namespace);
	else
		snprintf(scope, sizeof(scope), "%s", res->namespaced ? "in all namespaces" : "(cluster-wide)");
	if (d.user[0] != '\0')
		irsa_error_set(err, IRSA_ERR_DENIED, "user \"%s\" may not %s %s%s%s %s%s", d.user, d.verb, resource,
		               sub[0] != '\0' ? "/" : "", sub, scope, where);
	else
		irsa_error_set(err, IRSA_ERR_DENIED, "the API server at %s refused to %s %s%s: %s", ctx->server,
		               r->verb, target, where, st->message != NULL ? st->message : "403 Forbidden");
	context_flag(ctx, flag, sizeof(flag));
	irsa_error_hint(err, "RBAC permission missing: %s %s%s%s %s. Check: kubectl auth can-i %s %s%s%s%s%s%s", d.verb,
	                resource, sub[0] != '\0' ? "/" : "", sub, scope, d.verb, resource,
	                sub[0] != '\0' ? " --subresource=" : "", sub,
	                d.cluster_scope ? (res->namespaced ? " -A" : "") : " -n ", d.cluster_scope ? "" : d.namespace,
	                flag);
}

static void
not_found(const struct kube_error_context *ctx, const struct kube_req *r, const struct status *st, const char *target,
          const char *where, struct irsa_error *err)
{
	const struct kube_resource *res = kube_resource(r->kind);
	bool same = r->name != NULL && (st->detail_name == NULL || strcmp(st->detail_name, r->name) == 0) &&
	            (st->detail_kind == NULL || strcmp(st->detail_kind, res->plural) == 0);
	bool in_ns = res->namespaced && r->namespace != NULL && *r->namespace != '\0';
	char flag[160];

	if (same && r->subresource == NULL)
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "%s \"%s\" not found%s%s%s%s", res->noun, r->name,
		               in_ns ? " in namespace \"" : "", in_ns ? r->namespace : "", in_ns ? "\"" : "", where);
	else if (st->message != NULL)
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "%s (while trying to %s %s)%s", st->message, r->verb, target,
		               where);
	else
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "the API server at %s has no %s%s", ctx->server, target, where);
	context_flag(ctx, flag, sizeof(flag));
	irsa_error_hint(err, "Check the name and the namespace: kubectl get %s%s%s%s lists what there is.", res->plural,
	                in_ns ? " -n " : (res->namespaced ? " -A" : ""), in_ns ? r->namespace : "", flag);
}

int
kube_status_error(const struct kube_error_context *ctx, const struct kube_req *r, const struct http_response *resp,
                  struct irsa_error *err)
{
	char target[256], where[200], attempts[48] = "";
	const char *text = http_status_text(resp->status);
	long code = resp->status;
	struct status st;

	status_read(resp, &st);
	describe_target(r, NULL, target, sizeof(target));
	describe_context(ctx, where, sizeof(where));
	if (resp->attempts > 1)
		snprintf(attempts, sizeof(attempts), " after %d attempts", resp->attempts);

	if (st.obj == NULL) {
		irsa_error_set(
		        err, http_status_kind(code),
		        "the API server at %s answered HTTP %ld%s%s to %s %s%s, not a Kubernetes Status: a proxy "
		        "or load balancer in between?",
		        ctx->server, code, *text != '\0' ? " " : "", text, r->verb, target, attempts);
		irsa_error_hint(err, "Check the kubeconfig's server and proxy-url, and HTTPS_PROXY and NO_PROXY.");
	} else if (code == 401) {
		irsa_error_set(err, IRSA_ERR_AUTH, "the API server at %s rejected %s (401 Unauthorized)%s", ctx->server,
		               ctx->credential != NULL ? ctx->credential : "the credential", where);
		if (ctx->auth_hint != NULL)
			irsa_error_hint(err, "%s", ctx->auth_hint);
	} else if (code == 403) {
		forbidden(ctx, r, &st, target, where, err);
	} else if (code == 404) {
		not_found(ctx, r, &st, target, where, err);
	} else if (code == 409 && st.reason != NULL && strcmp(st.reason, "AlreadyExists") == 0) {
		describe_target(r, st.detail_name, target, sizeof(target));
		irsa_error_set(err, IRSA_ERR_CONFLICT, "%s already exists%s%s", target, where,
		               resp->attempts > 1 ? " (an earlier attempt of this request may have created it)" : "");
		irsa_error_hint(err, "Use the existing one, or choose another name.");
	} else if (code == 409 && st.reason != NULL && strcmp(st.reason, "Conflict") == 0 && st.message != NULL &&
	           strstr(st.message, "the object has been modified") != NULL) {
		irsa_error_set(err, IRSA_ERR_CONFLICT, "%s was changed by someone else while irsa updated it%s", target,
		               where);
		irsa_error_hint(err, "Run the command again: it reads the object anew.");
	} else if (code == 410) {
		irsa_error_set(err, IRSA_ERR_CONFLICT, "the list of %s expired before it could be read to the end%s",
		               target, where);
		irsa_error_hint(err, "The objects change faster than they can be listed; try again.");
	} else if (code == 429) {
		irsa_error_set(err, IRSA_ERR_THROTTLED,
		               "the API server at %s is throttling requests: it refused to %s %s%s%s", ctx->server,
		               r->verb, target, attempts, where);
		irsa_error_hint(err,
		                "Wait a little and try again; the cluster's API Priority and Fairness limits decide "
		                "how many requests it takes.");
	} else if (code >= 500) {
		irsa_error_set(err, IRSA_ERR_NETWORK, "the API server at %s failed to %s %s (HTTP %ld%s%s)%s%s%s",
		               ctx->server, r->verb, target, code, st.reason != NULL ? " " : "",
		               st.reason != NULL ? st.reason : "", attempts, st.message != NULL ? ": " : "",
		               st.message != NULL ? st.message : "");
		irsa_error_hint(err, "The error is on the server's side: try again later, or check its health with "
		                     "kubectl get --raw /readyz.");
	} else {
		irsa_error_set(err, http_status_kind(code), "the API server refused to %s %s%s: %s", r->verb, target,
		               where, st.message != NULL ? st.message : text);
		if (code == 422)
			irsa_error_hint(err, "Check the values the message names.");
		else if (code == 415)
			irsa_error_hint(err, "The server does not take this kind of body for this resource.");
	}
	err->http_status = (int)code;
	irsa_error_set_code(err, st.reason, resp->request_id[0] != '\0' ? resp->request_id : NULL);
	json_object_put(st.obj);
	return -1;
}
