/* core/plan_json.c - the plan's one serialised form (docs/plan.md): every
 * field of struct plan and of each step, so that `-o json`, the journal and
 * rollback read back exactly the plan that was written. Absent strings are
 * JSON null; members come in a fixed order, so equal plans give equal text.
 * Reading checks the apiVersion, the kind and the type of every member and
 * names the member's path in the error ("steps[2].kind: ..."); members it
 * does not know are ignored, missing ones read as null, false or empty.
 * Pure: no I/O. */
#include "config.h"

#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#define PLAN_API_VERSION "irsa.dev/v1"
#define PLAN_KIND        "Plan"

/* What each step kind cannot do without (checked on reading, so that export
 * and apply never meet a step missing what it acts on). */
#define NEED_PROVIDER_URL 0x01
#define NEED_PROVIDER_ARN 0x02
#define NEED_ROLE_NAME    0x04
#define NEED_DOCUMENT     0x08
#define NEED_POLICY_ARN   0x10
#define NEED_NS_NAME      0x20
#define NEED_WORKLOAD     0x40

static const unsigned step_needs[PLAN_STEP_N_KINDS] = {
        [PLAN_STEP_OIDC_PROVIDER] = NEED_PROVIDER_URL,
        [PLAN_STEP_OIDC_CLIENT_ID] = NEED_PROVIDER_ARN,
        [PLAN_STEP_ROLE_CREATE] = NEED_ROLE_NAME | NEED_DOCUMENT,
        [PLAN_STEP_ROLE_TRUST] = NEED_ROLE_NAME | NEED_DOCUMENT,
        [PLAN_STEP_POLICY_ATTACH] = NEED_ROLE_NAME | NEED_POLICY_ARN,
        [PLAN_STEP_SA_CREATE] = NEED_NS_NAME,
        [PLAN_STEP_SA_ANNOTATE] = NEED_NS_NAME,
        [PLAN_STEP_RESTART] = NEED_NS_NAME | NEED_WORKLOAD,
};

/* --- writing ---------------------------------------------------------------- */

/* Adds key = v (which may be NULL: JSON null). Takes v even on failure. */
static int
put(struct json_object *o, const char *key, struct json_object *v)
{
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int
put_str(struct json_object *o, const char *key, const char *s)
{
	struct json_object *v = NULL;

	if (s != NULL && (v = json_object_new_string(s)) == NULL)
		return -1;
	return put(o, key, v);
}

static int
put_bool(struct json_object *o, const char *key, bool b)
{
	struct json_object *v = json_object_new_boolean(b);

	return v == NULL ? -1 : put(o, key, v);
}

static int
put_strings(struct json_object *o, const char *key, const struct aws_strings *l)
{
	struct json_object *a = json_object_new_array();
	struct json_object *v;

	if (a == NULL)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		v = NULL;
		if (l->v[i] != NULL && (v = json_object_new_string(l->v[i])) == NULL)
			goto fail;
		if (json_object_array_add(a, v) != 0) {
			json_object_put(v);
			goto fail;
		}
	}
	return put(o, key, a);
fail:
	json_object_put(a);
	return -1;
}

static int
put_annotations(struct json_object *o, const char *key, const struct plan_annotation *an, size_t n)
{
	struct json_object *a = json_object_new_array();
	struct json_object *e;

	if (a == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((e = json_object_new_object()) == NULL)
			goto fail;
		if (json_object_array_add(a, e) != 0) {
			json_object_put(e);
			goto fail;
		}
		if (put_str(e, "key", an[i].key) != 0 || put_str(e, "before", an[i].before) != 0 ||
		    put_str(e, "after", an[i].after) != 0)
			goto fail;
	}
	return put(o, key, a);
fail:
	json_object_put(a);
	return -1;
}

static int
put_tags(struct json_object *o, const char *key, const struct aws_tags *t)
{
	struct json_object *a = json_object_new_array();
	struct json_object *e;

	if (a == NULL)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		if ((e = json_object_new_object()) == NULL)
			goto fail;
		if (json_object_array_add(a, e) != 0) {
			json_object_put(e);
			goto fail;
		}
		if (put_str(e, "key", t->v[i].key) != 0 || put_str(e, "value", t->v[i].value) != 0)
			goto fail;
	}
	return put(o, key, a);
fail:
	json_object_put(a);
	return -1;
}

static struct json_object *
step_to_json(const struct plan_step *s)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	if (put_str(o, "kind", plan_step_kind_name(s->kind)) != 0 || put_str(o, "title", s->title) != 0 ||
	    put_str(o, "request", s->request) != 0 || put_str(o, "command", s->command) != 0 ||
	    put_str(o, "providerUrl", s->provider_url) != 0 || put_str(o, "providerArn", s->provider_arn) != 0 ||
	    put_str(o, "thumbprint", s->thumbprint) != 0 || put_str(o, "roleName", s->role_name) != 0 ||
	    put_str(o, "rolePath", s->role_path) != 0 || put_str(o, "document", s->document) != 0 ||
	    put_str(o, "documentBefore", s->document_before) != 0 || put_str(o, "policyArn", s->policy_arn) != 0 ||
	    put_str(o, "namespace", s->ns) != 0 || put_str(o, "name", s->name) != 0 ||
	    put_str(o, "workload", plan_workload_name(s->workload)) != 0 ||
	    put_annotations(o, "annotations", s->annotations, s->n_annotations) != 0 ||
	    put_tags(o, "tags", &s->tags) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *
plan_to_json(const struct plan *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *steps, *s;

	if (o == NULL)
		return NULL;
	if (put_str(o, "apiVersion", PLAN_API_VERSION) != 0 || put_str(o, "kind", PLAN_KIND) != 0 ||
	    put_str(o, "cluster", p->cluster) != 0 || put_str(o, "region", p->region) != 0 ||
	    put_str(o, "context", p->context) != 0 || put_str(o, "account", p->account) != 0 ||
	    put_str(o, "issuer", p->issuer) != 0 || put_str(o, "providerArn", p->provider_arn) != 0 ||
	    put_str(o, "namespace", p->ns) != 0 || put_str(o, "serviceAccount", p->sa) != 0 ||
	    put_str(o, "roleName", p->role_name) != 0 || put_str(o, "roleArn", p->role_arn) != 0 ||
	    put_bool(o, "roleExists", p->role_exists) != 0 || put_str(o, "trustBefore", p->trust_before) != 0 ||
	    put_str(o, "trustAfter", p->trust_after) != 0 || put_strings(o, "policies", &p->policies) != 0 ||
	    put_annotations(o, "annotations", p->annotations, p->n_annotations) != 0 ||
	    put_bool(o, "serviceAccountExists", p->sa_exists) != 0)
		goto fail;
	if ((steps = json_object_new_array()) == NULL || put(o, "steps", steps) != 0)
		goto fail;
	for (size_t i = 0; i < p->n; i++) {
		if ((s = step_to_json(&p->steps[i])) == NULL)
			goto fail;
		if (json_object_array_add(steps, s) != 0) {
			json_object_put(s);
			goto fail;
		}
	}
	if (put_strings(o, "warnings", &p->warnings) != 0)
		goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}

/* --- reading ---------------------------------------------------------------- */

/* "a string", "an object", ... for messages. */
static const char *
type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "a value of unknown type";
}

/* Where a member is: prefix ("", "steps[2].", "annotations[0].") and key. */
static int
bad_type(struct irsa_error *err, const char *prefix, const char *key, const char *want, struct json_object *v)
{
	irsa_error_set(err, IRSA_ERR_PARSE, "%s%s: expected %s, got %s", prefix, key, want, type_name(v));
	return -1;
}

/* The string member (copied into *out), or NULL when absent or null. */
static int
get_str(struct json_object *o, const char *prefix, const char *key, char **out, struct irsa_error *err)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return bad_type(err, prefix, key, "a string or null", v);
	if ((*out = strdup(json_object_get_string(v))) == NULL)
		return irsa_error_oom(err);
	return 0;
}

/* A required string member, borrowed from o. */
static int
get_required(struct json_object *o, const char *prefix, const char *key, const char **out, struct irsa_error *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s%s: missing", prefix, key);
	if (!json_object_is_type(v, json_type_string))
		return bad_type(err, prefix, key, "a string", v);
	*out = json_object_get_string(v);
	return 0;
}

static int
get_bool(struct json_object *o, const char *prefix, const char *key, bool *out, struct irsa_error *err)
{
	struct json_object *v;

	*out = false;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (v == NULL || !json_object_is_type(v, json_type_boolean))
		return bad_type(err, prefix, key, "true or false", v);
	*out = json_object_get_boolean(v);
	return 0;
}

/* The array member, or NULL when absent (an empty list). */
static int
get_array(struct json_object *o, const char *prefix, const char *key, struct json_object **out, struct irsa_error *err)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (v == NULL || !json_object_is_type(v, json_type_array))
		return bad_type(err, prefix, key, "an array", v);
	*out = v;
	return 0;
}

static int
get_strings(struct json_object *o, const char *prefix, const char *key, struct aws_strings *out, struct irsa_error *err)
{
	struct json_object *a, *v;
	size_t n;

	if (get_array(o, prefix, key, &a, err) != 0)
		return -1;
	n = a != NULL ? json_object_array_length(a) : 0;
	for (size_t i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		if (v == NULL || !json_object_is_type(v, json_type_string))
			return irsa_error_set(err, IRSA_ERR_PARSE, "%s%s[%zu]: expected a string, got %s", prefix, key,
			                      i, type_name(v));
		if (aws_strings_add(out, json_object_get_string(v)) != 0)
			return irsa_error_oom(err);
	}
	return 0;
}

/* An array of objects: checks each element is one and gives the element's
 * prefix for messages ("steps[1].annotations[0]."). */
static struct json_object *
element(struct json_object *a, size_t i, const char *prefix, const char *key, char *where, size_t wsz,
        struct irsa_error *err)
{
	struct json_object *e = json_object_array_get_idx(a, i);

	snprintf(where, wsz, "%s%s[%zu].", prefix, key, i);
	if (e == NULL || !json_object_is_type(e, json_type_object)) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s%s[%zu]: expected an object, got %s", prefix, key, i,
		               type_name(e));
		return NULL;
	}
	return e;
}

static int
get_annotations(struct json_object *o, const char *prefix, const char *key, struct plan_annotation **out, size_t *nout,
                struct irsa_error *err)
{
	struct json_object *a, *e;
	struct plan_annotation *an;
	const char *k;
	char where[96];
	size_t n;

	if (get_array(o, prefix, key, &a, err) != 0)
		return -1;
	if (a == NULL || (n = json_object_array_length(a)) == 0)
		return 0;
	if ((an = calloc(n, sizeof(*an))) == NULL)
		return irsa_error_oom(err);
	*out = an;
	for (size_t i = 0; i < n; i++) {
		if ((e = element(a, i, prefix, key, where, sizeof(where), err)) == NULL)
			return -1;
		if (get_required(e, where, "key", &k, err) != 0)
			return -1;
		if ((an[i].key = strdup(k)) == NULL)
			return irsa_error_oom(err);
		*nout = i + 1;
		if (get_str(e, where, "before", &an[i].before, err) != 0 ||
		    get_str(e, where, "after", &an[i].after, err) != 0)
			return -1;
	}
	return 0;
}

static int
get_tags(struct json_object *o, const char *prefix, const char *key, struct aws_tags *out, struct irsa_error *err)
{
	struct json_object *a, *e;
	const char *k, *v;
	char where[96];
	size_t n;

	if (get_array(o, prefix, key, &a, err) != 0)
		return -1;
	n = a != NULL ? json_object_array_length(a) : 0;
	for (size_t i = 0; i < n; i++) {
		if ((e = element(a, i, prefix, key, where, sizeof(where), err)) == NULL)
			return -1;
		if (get_required(e, where, "key", &k, err) != 0 || get_required(e, where, "value", &v, err) != 0)
			return -1;
		if (aws_tags_add(out, k, v) != 0)
			return irsa_error_oom(err);
	}
	return 0;
}

static int
get_workload(struct json_object *o, const char *prefix, enum kube_kind *out, bool *present, struct irsa_error *err)
{
	struct json_object *v;
	const char *name;
	int k;

	*present = false;
	if (!json_object_object_get_ex(o, "workload", &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return bad_type(err, prefix, "workload", "a string or null", v);
	name = json_object_get_string(v);
	if ((k = plan_workload_parse(name)) < 0)
		return irsa_error_set(err, IRSA_ERR_PARSE,
		                      "%sworkload: unknown workload kind \"%s\" (deployment, statefulset or daemonset)",
		                      prefix, name);
	*out = (enum kube_kind)k;
	*present = true;
	return 0;
}

/* Says which field a step of its kind lacks. */
static int
check_step(const struct plan_step *s, bool has_workload, const char *where, struct irsa_error *err)
{
	unsigned need = step_needs[s->kind];
	const char *missing = NULL, *kind;

	if ((need & NEED_PROVIDER_URL) && s->provider_url == NULL)
		missing = "providerUrl";
	else if ((need & NEED_PROVIDER_ARN) && s->provider_arn == NULL)
		missing = "providerArn";
	else if ((need & NEED_ROLE_NAME) && s->role_name == NULL)
		missing = "roleName";
	else if ((need & NEED_DOCUMENT) && s->document == NULL)
		missing = "document";
	else if ((need & NEED_POLICY_ARN) && s->policy_arn == NULL)
		missing = "policyArn";
	else if ((need & NEED_NS_NAME) && s->ns == NULL)
		missing = "namespace";
	else if ((need & NEED_NS_NAME) && s->name == NULL)
		missing = "name";
	else if ((need & NEED_WORKLOAD) && !has_workload)
		missing = "workload";
	if (missing == NULL)
		return 0;
	kind = plan_step_kind_name(s->kind);
	return irsa_error_set(err, IRSA_ERR_PARSE, "%s%s: %s %s step needs it, got null", where, missing,
	                      strchr("aeiou", kind[0]) != NULL ? "an" : "a", kind);
}

static int
step_from_json(struct json_object *o, const char *where, struct plan_step *s, struct irsa_error *err)
{
	const char *kind;
	bool has_workload;
	int k;

	if (get_required(o, where, "kind", &kind, err) != 0)
		return -1;
	if ((k = plan_step_kind_parse(kind)) < 0)
		return irsa_error_set(err, IRSA_ERR_PARSE, "%skind: unknown step kind \"%s\"", where, kind);
	s->kind = (enum plan_step_kind)k;
	if (get_str(o, where, "title", &s->title, err) != 0 || get_str(o, where, "request", &s->request, err) != 0 ||
	    get_str(o, where, "command", &s->command, err) != 0 ||
	    get_str(o, where, "providerUrl", &s->provider_url, err) != 0 ||
	    get_str(o, where, "providerArn", &s->provider_arn, err) != 0 ||
	    get_str(o, where, "thumbprint", &s->thumbprint, err) != 0 ||
	    get_str(o, where, "roleName", &s->role_name, err) != 0 ||
	    get_str(o, where, "rolePath", &s->role_path, err) != 0 ||
	    get_str(o, where, "document", &s->document, err) != 0 ||
	    get_str(o, where, "documentBefore", &s->document_before, err) != 0 ||
	    get_str(o, where, "policyArn", &s->policy_arn, err) != 0 ||
	    get_str(o, where, "namespace", &s->ns, err) != 0 || get_str(o, where, "name", &s->name, err) != 0 ||
	    get_workload(o, where, &s->workload, &has_workload, err) != 0 ||
	    get_annotations(o, where, "annotations", &s->annotations, &s->n_annotations, err) != 0 ||
	    get_tags(o, where, "tags", &s->tags, err) != 0)
		return -1;
	return check_step(s, has_workload, where, err);
}

static int
get_steps(struct json_object *o, struct plan *p, struct irsa_error *err)
{
	struct json_object *a, *e;
	char where[32];
	size_t n;

	if (get_array(o, "", "steps", &a, err) != 0)
		return -1;
	if (a == NULL || (n = json_object_array_length(a)) == 0)
		return 0;
	if ((p->steps = calloc(n, sizeof(*p->steps))) == NULL)
		return irsa_error_oom(err);
	for (size_t i = 0; i < n; i++) {
		p->n = i + 1; /* so plan_release() frees what a failed step holds */
		if ((e = element(a, i, "", "steps", where, sizeof(where), err)) == NULL)
			return -1;
		if (step_from_json(e, where, &p->steps[i], err) != 0)
			return -1;
	}
	return 0;
}

static int
check_header(struct json_object *obj, struct irsa_error *err)
{
	const char *s;

	if (obj == NULL || !json_object_is_type(obj, json_type_object))
		return irsa_error_set(err, IRSA_ERR_PARSE, "a plan: expected an object, got %s", type_name(obj));
	if (get_required(obj, "", "apiVersion", &s, err) != 0)
		return -1;
	if (strcmp(s, PLAN_API_VERSION) != 0)
		return irsa_error_set(err, IRSA_ERR_PARSE, "apiVersion: expected \"%s\", got \"%s\"", PLAN_API_VERSION,
		                      s);
	if (get_required(obj, "", "kind", &s, err) != 0)
		return -1;
	if (strcmp(s, PLAN_KIND) != 0)
		return irsa_error_set(err, IRSA_ERR_PARSE, "kind: expected \"%s\", got \"%s\"", PLAN_KIND, s);
	return 0;
}

int
plan_from_json(struct json_object *obj, struct plan *out, struct irsa_error *err)
{
	struct plan *p = out;

	plan_init(p);
	if (check_header(obj, err) != 0)
		return -1;
	if (get_str(obj, "", "cluster", &p->cluster, err) != 0 || get_str(obj, "", "region", &p->region, err) != 0 ||
	    get_str(obj, "", "context", &p->context, err) != 0 || get_str(obj, "", "account", &p->account, err) != 0 ||
	    get_str(obj, "", "issuer", &p->issuer, err) != 0 ||
	    get_str(obj, "", "providerArn", &p->provider_arn, err) != 0 ||
	    get_str(obj, "", "namespace", &p->ns, err) != 0 || get_str(obj, "", "serviceAccount", &p->sa, err) != 0 ||
	    get_str(obj, "", "roleName", &p->role_name, err) != 0 ||
	    get_str(obj, "", "roleArn", &p->role_arn, err) != 0 ||
	    get_bool(obj, "", "roleExists", &p->role_exists, err) != 0 ||
	    get_str(obj, "", "trustBefore", &p->trust_before, err) != 0 ||
	    get_str(obj, "", "trustAfter", &p->trust_after, err) != 0 ||
	    get_strings(obj, "", "policies", &p->policies, err) != 0 ||
	    get_annotations(obj, "", "annotations", &p->annotations, &p->n_annotations, err) != 0 ||
	    get_bool(obj, "", "serviceAccountExists", &p->sa_exists, err) != 0 || get_steps(obj, p, err) != 0 ||
	    get_strings(obj, "", "warnings", &p->warnings, err) != 0)
		return -1;
	return 0;
}
