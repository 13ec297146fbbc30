/* core/kube_api.c - the typed Kubernetes calls on top of core/kube.c:
 * request bodies built with json-c (slashes in annotation keys left as
 * they are), answers read into struct kube_object, workloads filtered by
 * their pod template's service account, rollout restart's patch and
 * kubectl's paused check, the re-read and retry after a 409 Conflict, and
 * a delete's uid precondition and its refusal told plainly.
 * No printing. */
#include "config.h"

#include "kube_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_time.h"
#include "buf.h"
#include "jsonobj.h"
#include "log.h"
#include "redact.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
#define MAX_LISTS  3 /* lists read together: deployments, stateful sets, daemon sets */

/* --- objects -------------------------------------------------------------------- */

/* The boolean member key of o; false when absent or not a boolean. */
static bool
flag(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return o != NULL && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

static const char *
str_or_empty(struct json_object *o, const char *key)
{
	const char *s = jsonobj_str(o, key);

	return s != NULL ? s : "";
}

/* The string members of map o, borrowed. */
static int
read_map(struct json_object *o, struct kube_kv **out, size_t *n)
{
	size_t i = 0;

	*out = NULL;
	*n = 0;
	if (o == NULL || !json_object_is_type(o, json_type_object) || json_object_object_length(o) == 0)
		return 0;
	*out = calloc((size_t)json_object_object_length(o), sizeof(**out));
	if (*out == NULL)
		return -1;
	json_object_object_foreach(o, key, val)
	{
		if (json_object_is_type(val, json_type_string)) {
			(*out)[i].key = key;
			(*out)[i++].value = json_object_get_string(val);
		}
	}
	*n = i;
	return 0;
}

const char *
kube_spec_service_account(struct json_object *spec)
{
	const char *sa = jsonobj_str(spec, "serviceAccountName");

	if (sa == NULL || *sa == '\0')
		sa = jsonobj_str(spec, "serviceAccount");
	return sa != NULL && *sa != '\0' ? sa : KUBE_DEFAULT_SA;
}

int
kube_object_from_json(struct json_object *obj, enum kube_kind kind, struct kube_object *out, struct irsa_error *err)
{
	struct json_object *md = jsonobj_obj(obj, "metadata"), *spec = jsonobj_obj(obj, "spec");

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(obj, json_type_object) || jsonobj_str(md, "name") == NULL)
		return irsa_error_set(err, IRSA_ERR_PARSE, "the API server sent a %s without metadata.name",
		                      kube_resource(kind)->noun);
	out->kind = kind;
	out->obj = json_object_get(obj);
	out->namespace = str_or_empty(md, "namespace");
	out->name = jsonobj_str(md, "name");
	out->uid = str_or_empty(md, "uid");
	out->resource_version = str_or_empty(md, "resourceVersion");
	out->creation_timestamp = str_or_empty(md, "creationTimestamp");
	if (aws_parse_time(out->creation_timestamp, &out->created) != 0)
		out->created = 0;
	if (read_map(jsonobj_obj(md, "labels"), &out->labels, &out->n_labels) != 0 ||
	    read_map(jsonobj_obj(md, "annotations"), &out->annotations, &out->n_annotations) != 0) {
		kube_object_release(out);
		return irsa_error_oom(err);
	}
	switch (kind) {
	case KUBE_POD:
		out->service_account = kube_spec_service_account(spec);
		break;
	case KUBE_DEPLOYMENT:
	case KUBE_STATEFULSET:
	case KUBE_DAEMONSET:
		out->service_account = kube_spec_service_account(jsonobj_obj(jsonobj_obj(spec, "template"), "spec"));
		out->paused = flag(spec, "paused");
		break;
	default:
		break;
	}
	return 0;
}

void
kube_object_release(struct kube_object *o)
{
	if (o == NULL)
		return;
	free(o->labels);
	free(o->annotations);
	json_object_put(o->obj);
	memset(o, 0, sizeof(*o));
}

void
kube_object_list_release(struct kube_object_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		kube_object_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const char *
kv_find(const struct kube_kv *v, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return v[i].value;
	return NULL;
}

const char *
kube_object_annotation(const struct kube_object *o, const char *key)
{
	return kv_find(o->annotations, o->n_annotations, key);
}

const char *
kube_object_label(const struct kube_object *o, const char *key)
{
	return kv_find(o->labels, o->n_labels, key);
}

bool
kube_workload_uses(const struct kube_object *w, const char *sa)
{
	return w->service_account != NULL && strcmp(w->service_account, sa) == 0;
}

/* --- reading -------------------------------------------------------------------- */

/* Reads n lists and keeps the items keep() accepts (all when keep is NULL). */
static int
list_objects(struct kube_client *c, const struct kube_list_req *reqs, size_t n,
             bool (*keep)(const struct kube_object *, const void *), const void *arg, struct kube_object_list *out,
             struct irsa_error *err)
{
	struct json_object *items[MAX_LISTS] = {NULL};
	struct kube_list_stats stats[MAX_LISTS];
	size_t i, j, total = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (n > MAX_LISTS)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "%zu lists at once, at most %d", n, MAX_LISTS);
	if (kube_list(c, reqs, n, items, stats, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		total += json_object_array_length(items[i]);
		out->stats.pages += stats[i].pages;
		out->stats.restarts += stats[i].restarts;
	}
	out->v = calloc(total > 0 ? total : 1, sizeof(*out->v));
	if (out->v == NULL)
		rc = irsa_error_oom(err);
	for (i = 0; i < n && rc == 0; i++) {
		for (j = 0; j < json_object_array_length(items[i]) && rc == 0; j++) {
			struct kube_object *o = &out->v[out->n];

			rc = kube_object_from_json(json_object_array_get_idx(items[i], j), reqs[i].kind, o, err);
			if (rc == 0 && keep != NULL && !keep(o, arg))
				kube_object_release(o);
			else if (rc == 0)
				out->n++;
		}
	}
	for (i = 0; i < n; i++)
		json_object_put(items[i]);
	if (rc != 0)
		kube_object_list_release(out);
	return rc;
}

int
kube_server_version(struct kube_client *c, struct kube_version *out, struct irsa_error *err)
{
	struct kube_req r = {.method = "GET", .path = "/version", .verb = "get"};
	struct json_object *o;

	memset(out, 0, sizeof(*out));
	if (kube_request(c, &r, &o, err) != 0)
		return -1;
	snprintf(out->git_version, sizeof(out->git_version), "%s", str_or_empty(o, "gitVersion"));
	snprintf(out->major, sizeof(out->major), "%s", str_or_empty(o, "major"));
	snprintf(out->minor, sizeof(out->minor), "%s", str_or_empty(o, "minor"));
	snprintf(out->platform, sizeof(out->platform), "%s", str_or_empty(o, "platform"));
	json_object_put(o);
	if (out->git_version[0] == '\0')
		return irsa_error_set(err, IRSA_ERR_PARSE, "the server at %s answered /version without a gitVersion",
		                      kube_client_target(c)->server);
	return 0;
}

int
kube_list_namespaces(struct kube_client *c, struct kube_object_list *out, struct irsa_error *err)
{
	struct kube_list_req r = {.kind = KUBE_NAMESPACE};

	return list_objects(c, &r, 1, NULL, NULL, out, err);
}

int
kube_list_serviceaccounts(struct kube_client *c, const char *ns, const char *label_selector,
                          struct kube_object_list *out, struct irsa_error *err)
{
	struct kube_list_req r = {.kind = KUBE_SERVICE_ACCOUNT, .namespace = ns, .label_selector = label_selector};

	return list_objects(c, &r, 1, NULL, NULL, out, err);
}

/* GET of one object into out. */
static int
get_object(struct kube_client *c, enum kube_kind kind, const char *ns, const char *name, struct kube_object *out,
           struct irsa_error *err)
{
	struct kube_req r = {.method = "GET", .verb = "get", .kind = kind, .namespace = ns, .name = name};
	struct json_object *o;
	int rc;

	memset(out, 0, sizeof(*out));
	if (kube_request(c, &r, &o, err) != 0)
		return -1;
	rc = kube_object_from_json(o, kind, out, err);
	json_object_put(o);
	return rc;
}

int
kube_get_serviceaccount(struct kube_client *c, const char *ns, const char *name, struct kube_object *out,
                        struct irsa_error *err)
{
	return get_object(c, KUBE_SERVICE_ACCOUNT, ns, name, out, err);
}

static bool
pod_template_uses(const struct kube_object *o, const void *sa)
{
	return sa == NULL || kube_workload_uses(o, sa);
}

int
kube_list_pods(struct kube_client *c, const char *ns, struct kube_object_list *out, struct irsa_error *err)
{
	struct kube_list_req r = {.kind = KUBE_POD, .namespace = ns};

	return list_objects(c, &r, 1, NULL, NULL, out, err);
}

int
kube_list_pods_using(struct kube_client *c, const char *ns, const char *sa, struct kube_object_list *out,
                     struct irsa_error *err)
{
	struct kube_list_req r = {.kind = KUBE_POD, .namespace = ns};
	struct buf sel;
	int rc;

	buf_init(&sel, 1024);
	buf_printf(&sel, "spec.serviceAccountName=%s", sa);
	if (sel.failed) {
		buf_release(&sel);
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the service account name is too long");
	}
	r.field_selector = buf_cstr(&sel);
	rc = list_objects(c, &r, 1, NULL, NULL, out, err);
	buf_release(&sel);
	return rc;
}

int
kube_list_workloads_using(struct kube_client *c, const char *ns, const char *sa, struct kube_object_list *out,
                          struct irsa_error *err)
{
	struct kube_list_req r[3] = {
	        {.kind = KUBE_DEPLOYMENT, .namespace = ns},
	        {.kind = KUBE_STATEFULSET, .namespace = ns},
	        {.kind = KUBE_DAEMONSET, .namespace = ns},
	};

	return list_objects(c, r, 3, pod_template_uses, sa, out, err);
}

/* --- writing -------------------------------------------------------------------- */

/* A JSON document as text; NULL when out of memory. */
static char *
json_text(struct json_object *o)
{
	const char *s = o != NULL ? json_object_to_json_string_ext(o, JSON_FLAGS) : NULL;
	char *copy = s != NULL ? strdup(s) : NULL;

	json_object_put(o);
	return copy;
}

/* {"k": "v", ...} from n pairs; a NULL value becomes null. */
static struct json_object *
json_map(const struct kube_kv *v, size_t n)
{
	struct json_object *m = json_object_new_object();
	size_t i;

	for (i = 0; m != NULL && i < n; i++)
		json_object_object_add(m, v[i].key, v[i].value != NULL ? json_object_new_string(v[i].value) : NULL);
	return m;
}

/* {"a":{"b":...{"leaf_key": leaf}}}: nests leaf under the keys in path. */
static struct json_object *
json_nest(const char *const *path, size_t n, struct json_object *leaf)
{
	while (n-- > 0) {
		struct json_object *o = json_object_new_object();

		if (o == NULL) {
			json_object_put(leaf);
			return NULL;
		}
		json_object_object_add(o, path[n], leaf);
		leaf = o;
	}
	return leaf;
}

char *
kube_annotations_patch(const struct kube_kv *changes, size_t n)
{
	static const char *const path[] = {"metadata", "annotations"};

	return json_text(json_nest(path, 2, json_map(changes, n)));
}

char *
kube_rfc3339_local(time_t when, char *out, size_t outsz)
{
	struct tm tm;
	long off;
	size_t len;

	if (localtime_r(&when, &tm) == NULL || (len = strftime(out, outsz, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
		if (outsz > 0)
			out[0] = '\0';
		return out;
	}
	off = tm.tm_gmtoff / 60;
	if (off == 0)
		snprintf(out + len, outsz - len, "Z");
	else
		snprintf(out + len, outsz - len, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	return out;
}

char *
kube_restart_patch(time_t when)
{
	static const char *const path[] = {"spec", "template", "metadata", "annotations"};
	struct kube_kv kv = {KUBE_RESTARTED_AT, NULL};
	char stamp[KUBE_RFC3339_LEN];

	kv.value = kube_rfc3339_local(when, stamp, sizeof(stamp));
	return json_text(json_nest(path, 4, json_map(&kv, 1)));
}

int
kube_create_serviceaccount(struct kube_client *c, const char *ns, const char *name, const struct kube_kv *annotations,
                           size_t n_annotations, const struct kube_kv *labels, size_t n_labels, struct kube_object *out,
                           struct irsa_error *err)
{
	struct json_object *doc = json_object_new_object(), *md = json_object_new_object(), *o = NULL;
	struct kube_req r = {.method = "POST",
	                     .verb = "create",
	                     .kind = KUBE_SERVICE_ACCOUNT,
	                     .namespace = ns,
	                     .content_type = "application/json"};
	char *body;
	int rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (doc != NULL && md != NULL) {
		json_object_object_add(md, "name", json_object_new_string(name));
		json_object_object_add(md, "namespace", json_object_new_string(ns));
		if (n_labels > 0)
			json_object_object_add(md, "labels", json_map(labels, n_labels));
		if (n_annotations > 0)
			json_object_object_add(md, "annotations", json_map(annotations, n_annotations));
		json_object_object_add(doc, "apiVersion", json_object_new_string("v1"));
		json_object_object_add(doc, "kind", json_object_new_string("ServiceAccount"));
		json_object_object_add(doc, "metadata", md);
		md = NULL;
	}
	json_object_put(md);
	body = json_text(doc);
	if (body == NULL)
		return irsa_error_oom(err);
	r.body = body;
	r.body_len = strlen(body);
	rc = kube_request(c, &r, &o, err);
	free(body);
	if (rc == 0 && out != NULL)
		rc = kube_object_from_json(o, KUBE_SERVICE_ACCOUNT, out, err);
	json_object_put(o);
	return rc;
}

/* The uid after "prefix" in a precondition failure's message, up to stop
 * (or the end), into out; "" when the message has none. */
static void
uid_after(const char *msg, const char *prefix, const char *stop, char *out, size_t outsz)
{
	const char *p = msg != NULL ? strstr(msg, prefix) : NULL;
	size_t len;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(prefix);
	len = stop != NULL && strstr(p, stop) != NULL ? (size_t)(strstr(p, stop) - p) : strcspn(p, ",. ");
	snprintf(out, outsz, "%.*s", (int)len, p);
}

/* Rewrites a 409 to a DELETE with a uid precondition: the API server's
 * words ("the UID in the precondition (A) does not match the UID in record
 * (B)" from the registry, or "Precondition failed: UID in precondition: A,
 * UID in object meta: B" from storage) become which object it is now. */
static void
precondition_failed(const char *ns, const char *name, const char *uid, struct irsa_error *err)
{
	struct irsa_error was = *err;
	char now[128];

	uid_after(was.message, "UID in record (", ")", now, sizeof(now));
	if (now[0] == '\0')
		uid_after(was.message, "UID in object meta: ", NULL, now, sizeof(now));
	irsa_error_set(err, IRSA_ERR_CONFLICT,
	               "service account \"%s\" in namespace \"%s\" was not deleted: it is not the one irsa "
	               "expected (uid %s)%s%s%s",
	               name, ns, uid, now[0] != '\0' ? " but another of the same name (uid " : "", now,
	               now[0] != '\0' ? "), created since" : "");
	irsa_error_hint(err,
	                "irsa leaves a service account it did not make alone. If this one should go too: kubectl "
	                "delete serviceaccount %s -n %s",
	                name, ns);
	err->http_status = was.http_status;
	irsa_error_set_code(err, was.code[0] != '\0' ? was.code : NULL,
	                    was.request_id[0] != '\0' ? was.request_id : NULL);
}

int
kube_delete_serviceaccount(struct kube_client *c, const char *ns, const char *name, const char *uid,
                           struct irsa_error *err)
{
	struct kube_req r = {.method = "DELETE",
	                     .verb = "delete",
	                     .kind = KUBE_SERVICE_ACCOUNT,
	                     .namespace = ns,
	                     .name = name,
	                     .retry_safe = true};
	struct irsa_error local;
	char *body = NULL;
	int rc;

	if (err == NULL)
		err = &local;
	if (uid != NULL) {
		struct json_object *doc = json_object_new_object(), *pre = json_object_new_object();

		if (doc != NULL && pre != NULL) {
			json_object_object_add(pre, "uid", json_object_new_string(uid));
			json_object_object_add(doc, "kind", json_object_new_string("DeleteOptions"));
			json_object_object_add(doc, "apiVersion", json_object_new_string("v1"));
			json_object_object_add(doc, "preconditions", pre);
			pre = NULL;
		}
		json_object_put(pre);
		if ((body = json_text(doc)) == NULL)
			return irsa_error_oom(err);
		r.content_type = "application/json";
		r.body = body;
		r.body_len = strlen(body);
	}
	rc = kube_request(c, &r, NULL, err);
	free(body);
	if (rc != 0 && uid != NULL && err->http_status == 409)
		precondition_failed(ns, name, uid, err);
	return rc;
}

/* Makes a patch body from the object as it is now (cur is NULL when it was
 * not read). Returns a new string, or NULL with err set. */
typedef char *(*patch_build_fn)(const struct kube_object *cur, const void *arg, struct irsa_error *err);

/* PATCH of one object, re-read and sent again after a 409 Conflict. */
struct patch {
	enum kube_kind kind;
	const char *ns;
	const char *name;
	const char *content_type;
	const char *query;
	bool read_first; /* the patch depends on the object: read it before the first attempt too */
	patch_build_fn build;
	const void *arg;
};

static int
patch_object(struct kube_client *c, const struct patch *p, struct kube_object *out, struct irsa_error *err)
{
	struct kube_req r = {.method = "PATCH",
	                     .verb = "patch",
	                     .kind = p->kind,
	                     .namespace = p->ns,
	                     .name = p->name,
	                     .query = p->query,
	                     .content_type = p->content_type,
	                     .retry_safe = true};
	struct kube_object cur = {0};
	struct json_object *o = NULL;
	struct irsa_error local;
	int attempt, rc = -1;

	if (err == NULL)
		err = &local;
	for (attempt = 0; attempt <= KUBE_MAX_CONFLICT_RETRIES; attempt++) {
		char *body;
		bool have = p->read_first || attempt > 0;

		kube_object_release(&cur);
		if (have && get_object(c, p->kind, p->ns, p->name, &cur, err) != 0)
			return -1;
		body = p->build(have ? &cur : NULL, p->arg, err);
		if (body == NULL)
			break;
		r.body = body;
		r.body_len = strlen(body);
		rc = kube_request(c, &r, &o, err);
		free(body);
		if (rc == 0 || err->http_status != 409 || strcmp(err->code, "Conflict") != 0)
			break;
		log_debug("kube: %s %s/%s changed while it was patched (409); reading it again",
		          kube_resource(p->kind)->noun, p->ns, p->name);
	}
	kube_object_release(&cur);
	if (rc == 0 && out != NULL)
		rc = kube_object_from_json(o, p->kind, out, err);
	json_object_put(o);
	return rc;
}

struct annotation_changes {
	const struct kube_kv *v;
	size_t n;
};

static char *
build_annotations_patch(const struct kube_object *cur, const void *arg, struct irsa_error *err)
{
	const struct annotation_changes *ch = arg;
	char *body = kube_annotations_patch(ch->v, ch->n);

	(void)cur;
	if (body == NULL)
		irsa_error_oom(err);
	return body;
}

int
kube_patch_serviceaccount_annotations(struct kube_client *c, const char *ns, const char *name,
                                      const struct kube_kv *changes, size_t n, struct kube_object *out,
                                      struct irsa_error *err)
{
	struct annotation_changes ch = {changes, n};
	struct patch p = {KUBE_SERVICE_ACCOUNT, ns, name, KUBE_MERGE_PATCH, NULL, false, build_annotations_patch, &ch};

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	return patch_object(c, &p, out, err);
}

static char *
build_restart_patch(const struct kube_object *cur, const void *arg, struct irsa_error *err)
{
	char *body;

	if (cur->kind == KUBE_DEPLOYMENT && cur->paused) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "can't restart paused deployment (run rollout resume first): deployment \"%s\" in "
		               "namespace \"%s\"",
		               cur->name, cur->namespace);
		irsa_error_hint(err, "kubectl rollout resume deployment/%s -n %s resumes it.", cur->name,
		                cur->namespace);
		return NULL;
	}
	body = kube_restart_patch(*(const time_t *)arg);
	if (body == NULL)
		irsa_error_oom(err);
	return body;
}

int
kube_rollout_restart(struct kube_client *c, enum kube_kind kind, const char *ns, const char *name, time_t when,
                     struct kube_object *out, struct irsa_error *err)
{
	struct patch p = {
	        kind, ns, name, KUBE_STRATEGIC_PATCH, "fieldManager=" KUBE_ROLLOUT_MANAGER, true, build_restart_patch,
	        &when};

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (kind != KUBE_DEPLOYMENT && kind != KUBE_STATEFULSET && kind != KUBE_DAEMONSET)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "a %s cannot be restarted: only deployments, "
		                      "stateful sets and daemon sets can",
		                      kube_resource(kind)->noun);
	if (when == 0)
		when = time(NULL);
	return patch_object(c, &p, out, err);
}

/* --- reviews -------------------------------------------------------------------- */

/* POST of a create-only resource (TokenRequest, a review): safe to repeat. */
static int
post_review(struct kube_client *c, struct kube_req *r, struct json_object *doc, struct json_object **out,
            struct irsa_error *err)
{
	char *body = json_text(doc);
	int rc;

	if (body == NULL)
		return irsa_error_oom(err);
	r->method = "POST";
	r->verb = "create";
	r->content_type = "application/json";
	r->body = body;
	r->body_len = strlen(body);
	r->retry_safe = true;
	rc = kube_request(c, r, out, err);
	free(body);
	return rc;
}

static struct json_object *
typed_doc(const char *api_version, const char *kind, struct json_object *spec)
{
	struct json_object *doc = json_object_new_object();

	if (doc == NULL) {
		json_object_put(spec);
		return NULL;
	}
	json_object_object_add(doc, "apiVersion", json_object_new_string(api_version));
	json_object_object_add(doc, "kind", json_object_new_string(kind));
	json_object_object_add(doc, "spec", spec);
	return doc;
}

int
kube_token_request(struct kube_client *c, const char *ns, const char *sa, const char *const *audiences,
                   size_t n_audiences, long expiration_seconds, struct kube_token *out, struct irsa_error *err)
{
	struct kube_req r = {.kind = KUBE_SERVICE_ACCOUNT, .namespace = ns, .name = sa, .subresource = "token"};
	struct json_object *spec = json_object_new_object(), *o = NULL, *status;
	const char *token, *exp;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (spec != NULL && n_audiences > 0) {
		struct json_object *aud = json_object_new_array();

		for (i = 0; aud != NULL && i < n_audiences; i++)
			json_object_array_add(aud, json_object_new_string(audiences[i]));
		json_object_object_add(spec, "audiences", aud);
	}
	if (spec != NULL && expiration_seconds > 0)
		json_object_object_add(spec, "expirationSeconds", json_object_new_int64(expiration_seconds));
	if (post_review(c, &r, typed_doc("authentication.k8s.io/v1", "TokenRequest", spec), &o, err) != 0)
		return -1;
	status = jsonobj_obj(o, "status");
	token = jsonobj_str(status, "token");
	exp = str_or_empty(status, "expirationTimestamp");
	if (token == NULL || *token == '\0') {
		json_object_put(o);
		return irsa_error_set(err, IRSA_ERR_PARSE,
		                      "the TokenRequest for service account \"%s\" in namespace "
		                      "\"%s\" came back without a token",
		                      sa, ns);
	}
	redact_register(token);
	out->token = strdup(token);
	snprintf(out->expiration_timestamp, sizeof(out->expiration_timestamp), "%s", exp);
	if (aws_parse_time(exp, &out->expiry) != 0)
		out->expiry = 0;
	json_object_put(o);
	if (out->token == NULL)
		return irsa_error_oom(err);
	return 0;
}

void
kube_token_release(struct kube_token *t)
{
	if (t == NULL)
		return;
	buf_free_secret(t->token);
	memset(t, 0, sizeof(*t));
}

int
kube_access_review(struct kube_client *c, const struct kube_access_query *q, struct kube_access *out,
                   struct irsa_error *err)
{
	const struct kube_kv fields[] = {
	        {"namespace", q->namespace},     {"verb", q->verb}, {"group", q->group}, {"resource", q->resource},
	        {"subresource", q->subresource}, {"name", q->name},
	};
	struct kube_req r = {.kind = KUBE_ACCESS_REVIEW};
	struct json_object *attrs = json_object_new_object(), *spec = json_object_new_object(), *o = NULL, *status;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; attrs != NULL && i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].value != NULL && *fields[i].value != '\0')
			json_object_object_add(attrs, fields[i].key, json_object_new_string(fields[i].value));
	if (spec != NULL)
		json_object_object_add(spec, "resourceAttributes", attrs);
	else
		json_object_put(attrs);
	if (post_review(c, &r, typed_doc("authorization.k8s.io/v1", "SelfSubjectAccessReview", spec), &o, err) != 0)
		return -1;
	status = jsonobj_obj(o, "status");
	out->allowed = flag(status, "allowed");
	out->denied = flag(status, "denied");
	snprintf(out->reason, sizeof(out->reason), "%s", str_or_empty(status, "reason"));
	snprintf(out->evaluation_error, sizeof(out->evaluation_error), "%s", str_or_empty(status, "evaluationError"));
	json_object_put(o);
	return 0;
}
