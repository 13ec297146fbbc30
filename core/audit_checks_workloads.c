/* core/audit_checks_workloads.c - audit group F (IRSA026-033): the pods
 * and workloads of bound service accounts, and the service accounts
 * themselves, as the pod identity webhook and the SDKs see them:
 *
 *   IRSA026  pods of a bound account (valid annotation, role exists) the
 *            webhook did not mutate: they run with the node role;
 *   IRSA027  pods whose AWS_ROLE_ARN is not the account's current role;
 *   IRSA028  static AWS keys in the env (names only, never values);
 *   IRSA029  IMDS reachability: needs EC2, not read ("not run");
 *   IRSA030  hostNetwork pods of a bound account;
 *   IRSA031  a role bound to a namespace's `default` account;
 *   IRSA032  the Kubernetes API token auto-mounted in bound pods;
 *   IRSA033  kube-system/aws-node without a role.
 *
 * Findings are one per service account, listing its pods, so that one fix
 * (a rollout restart of the pods' owners, found through ownerReferences:
 * pod -> ReplicaSet -> Deployment by pod-template-hash, StatefulSet and
 * DaemonSet directly) deals with all of them. Only pods not Succeeded or
 * Failed count. Pure. */
#include "config.h"

#include "audit.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonobj.h"

#define ENV_WEB_IDENTITY_TOKEN "AWS_WEB_IDENTITY_TOKEN_FILE"
#define ENV_CONTAINER_CREDS    "AWS_CONTAINER_CREDENTIALS_FULL_URI"
#define VOLUME_IRSA_TOKEN      "aws-iam-token"
#define VOLUME_POD_IDENTITY    "eks-pod-identity-token"
#define CNI_NAMESPACE          "kube-system"
#define CNI_SERVICE_ACCOUNT    "aws-node"
#define WORKLOAD_REF_MAX       512

static const char *const group_ids[] = {"IRSA026", "IRSA027", "IRSA028", "IRSA029",
                                        "IRSA030", "IRSA031", "IRSA032", "IRSA033"};
#define N_IDS (sizeof(group_ids) / sizeof(group_ids[0]))

enum { W026, W027, W028, W029, W030, W031, W032, W033 };

static const char *const container_fields[] = {"containers", "initContainers"};

static struct json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* --- pods -------------------------------------------------------------------- */

static bool
pod_active(const struct kube_object *pod)
{
	const char *phase = jsonobj_str(jsonobj_obj(pod->obj, "status"), "phase");

	return phase == NULL || (strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0);
}

static const char *
pod_phase(const struct kube_object *pod)
{
	const char *phase = jsonobj_str(jsonobj_obj(pod->obj, "status"), "phase");

	return phase != NULL ? phase : "Unknown";
}

static struct json_object *
array_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* Whether a container of the pod spec (containers or init containers) has
 * env var name. */
static bool
spec_has_env(struct json_object *spec, const char *name)
{
	for (size_t f = 0; f < 2; f++) {
		struct json_object *list = array_member(spec, container_fields[f]);
		for (size_t i = 0; list != NULL && i < json_object_array_length(list); i++) {
			struct json_object *env = array_member(json_object_array_get_idx(list, i), "env");
			for (size_t j = 0; env != NULL && j < json_object_array_length(env); j++) {
				const char *n = jsonobj_str(json_object_array_get_idx(env, j), "name");
				if (n != NULL && strcmp(n, name) == 0)
					return true;
			}
		}
	}
	return false;
}

static bool
spec_has_volume(struct json_object *spec, const char *name)
{
	struct json_object *vols = array_member(spec, "volumes");

	for (size_t i = 0; vols != NULL && i < json_object_array_length(vols); i++) {
		const char *n = jsonobj_str(json_object_array_get_idx(vols, i), "name");
		if (n != NULL && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

/* Whether the webhook mutated the pod for IRSA or Pod Identity. */
static bool
pod_mutated(const struct kube_object *pod)
{
	struct json_object *spec = jsonobj_obj(pod->obj, "spec");

	return spec_has_env(spec, BINDING_ENV_ROLE_ARN) || spec_has_volume(spec, VOLUME_IRSA_TOKEN) ||
	       spec_has_env(spec, ENV_CONTAINER_CREDS) || spec_has_volume(spec, VOLUME_POD_IDENTITY);
}

static bool
json_true(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o != NULL && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

/* -1 absent, 0 false, 1 true. */
static int
tristate(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_boolean))
		return -1;
	return json_object_get_boolean(v) ? 1 : 0;
}

/* The active pods of the cluster, by namespace and service account. */
struct pod_index {
	const struct kube_object **v;
	size_t n;
};

static int
pod_cmp(const void *a, const void *b)
{
	const struct kube_object *x = *(const struct kube_object *const *)a, *y = *(const struct kube_object *const *)b;
	int c = strcmp(x->namespace, y->namespace);

	if (c != 0)
		return c;
	if ((c = strcmp(x->service_account, y->service_account)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

static int
pod_index_init(struct pod_index *ix, const struct audit_cluster *cl)
{
	ix->n = 0;
	if ((ix->v = calloc(cl->pods.n + 1, sizeof(*ix->v))) == NULL)
		return -1;
	for (size_t i = 0; i < cl->pods.n; i++)
		if (cl->pods.v[i].service_account != NULL && pod_active(&cl->pods.v[i]))
			ix->v[ix->n++] = &cl->pods.v[i];
	qsort(ix->v, ix->n, sizeof(*ix->v), pod_cmp);
	return 0;
}

/* The pods running as sa: *n of them from the returned pointer. */
static const struct kube_object *const *
pods_of(const struct pod_index *ix, const struct kube_object *sa, size_t *n)
{
	size_t lo = 0, hi = ix->n, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->v[mid]->namespace, sa->namespace);
		if (c == 0)
			c = strcmp(ix->v[mid]->service_account, sa->name);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < ix->n && strcmp(ix->v[end]->namespace, sa->namespace) == 0 &&
	               strcmp(ix->v[end]->service_account, sa->name) == 0;
	     end++)
		;
	*n = end - lo;
	return ix->v + lo;
}

/* --- owners ------------------------------------------------------------------ */

/* The controller reference of the pod (else its first), or NULL. */
static struct json_object *
pod_owner_ref(const struct kube_object *pod)
{
	struct json_object *refs = array_member(jsonobj_obj(pod->obj, "metadata"), "ownerReferences");
	size_t n = refs != NULL ? json_object_array_length(refs) : 0;

	for (size_t i = 0; i < n; i++)
		if (json_true(json_object_array_get_idx(refs, i), "controller"))
			return json_object_array_get_idx(refs, i);
	return n > 0 ? json_object_array_get_idx(refs, 0) : NULL;
}

/* The workload that owns the pod ("deployment/NS/NAME") into out, and the
 * workload object through *w when the cluster lists it. Returns false when
 * there is none (a bare pod, a Job, a ReplicaSet without its Deployment). */
static bool
pod_owner(const struct audit_cluster *cl, const struct kube_object *pod, char *out, size_t outsz,
          const struct kube_object **w)
{
	struct json_object *ref = pod_owner_ref(pod);
	const char *kind = jsonobj_str(ref, "kind"), *name = jsonobj_str(ref, "name");
	const char *hash = kube_object_label(pod, "pod-template-hash");
	enum kube_kind want;

	*w = NULL;
	if (kind == NULL || name == NULL)
		return false;
	if (strcmp(kind, "ReplicaSet") == 0) {
		size_t nlen = strlen(name);
		for (size_t i = 0; i < cl->workloads.n; i++) {
			const struct kube_object *d = &cl->workloads.v[i];
			size_t dlen = strlen(d->name);
			if (d->kind != KUBE_DEPLOYMENT || strcmp(d->namespace, pod->namespace) != 0 ||
			    d->service_account == NULL || strcmp(d->service_account, pod->service_account) != 0 ||
			    dlen + 1 >= nlen || strncmp(name, d->name, dlen) != 0 || name[dlen] != '-')
				continue;
			if (hash != NULL ? strcmp(name + dlen + 1, hash) != 0 : strchr(name + dlen + 1, '-') != NULL)
				continue;
			*w = d;
			snprintf(out, outsz, "deployment/%s/%s", d->namespace, d->name);
			return true;
		}
		return false;
	}
	if (strcmp(kind, "StatefulSet") == 0)
		want = KUBE_STATEFULSET;
	else if (strcmp(kind, "DaemonSet") == 0)
		want = KUBE_DAEMONSET;
	else
		return false;
	for (size_t i = 0; i < cl->workloads.n; i++)
		if (cl->workloads.v[i].kind == want && strcmp(cl->workloads.v[i].namespace, pod->namespace) == 0 &&
		    strcmp(cl->workloads.v[i].name, name) == 0)
			*w = &cl->workloads.v[i];
	snprintf(out, outsz, "%s/%s/%s", want == KUBE_STATEFULSET ? "statefulset" : "daemonset", pod->namespace, name);
	return true;
}

/* The pod template's spec of a workload, or NULL. */
static struct json_object *
template_spec(const struct kube_object *w)
{
	return w != NULL ? jsonobj_obj(jsonobj_obj(jsonobj_obj(w->obj, "spec"), "template"), "spec") : NULL;
}

/* --- a finding over some pods of one service account ---------------------------- */

/* The pods a finding is about, their owners, and what to restart. */
struct pod_set {
	struct json_object *pods;  /* evidence: [{name, phase, created, owner}, ...] */
	struct aws_strings owners; /* distinct, in first-seen order */
	size_t n, ownerless;
	bool hard_coded;       /* an owner's template sets AWS_ROLE_ARN itself */
	char owner_text[1024]; /* "deployment/NS/A, statefulset/NS/B" */
	char pod_text[1024];   /* "NS/p1, NS/p2" */
};

static void
text_append(char *buf, size_t sz, const char *s)
{
	size_t len = strlen(buf);

	if (len + 6 >= sz)
		return;
	if (len > 0 && len + 2 < sz)
		len += (size_t)snprintf(buf + len, sz - len, ", ");
	if (len + strlen(s) + 5 >= sz) {
		snprintf(buf + len, sz - len, "...");
		return;
	}
	snprintf(buf + len, sz - len, "%s", s);
}

/* Adds pod to set (its evidence object gets extra's members when extra is
 * not NULL; extra is taken over). */
static int
pod_set_add(struct audit_ctx *ctx, struct pod_set *set, const struct kube_object *pod, struct json_object *extra)
{
	const struct kube_object *w;
	char owner[WORKLOAD_REF_MAX], ref[WORKLOAD_REF_MAX];
	struct json_object *o = json_object_new_object();
	bool has_owner = pod_owner(ctx->cluster, pod, owner, sizeof(owner), &w);
	bool seen = false;

	if (set->pods == NULL)
		set->pods = json_object_new_array();
	json_object_object_add(o, "name", jstr(pod->name));
	json_object_object_add(o, "phase", jstr(pod_phase(pod)));
	json_object_object_add(o, "created", jstr(pod->creation_timestamp));
	json_object_object_add(o, "owner", has_owner ? jstr(owner) : NULL);
	if (extra != NULL) {
		json_object_object_foreach(extra, k, v) json_object_object_add(o, k, json_object_get(v));
		json_object_put(extra);
	}
	json_object_array_add(set->pods, o);
	set->n++;
	snprintf(ref, sizeof(ref), "%s/%s", pod->namespace, pod->name);
	text_append(set->pod_text, sizeof(set->pod_text), ref);
	if (!has_owner) {
		set->ownerless++;
		return 0;
	}
	if (spec_has_env(template_spec(w), BINDING_ENV_ROLE_ARN))
		set->hard_coded = true;
	for (size_t i = 0; i < set->owners.n && !seen; i++)
		seen = strcmp(set->owners.v[i], owner) == 0;
	if (seen)
		return 0;
	text_append(set->owner_text, sizeof(set->owner_text), owner);
	return aws_strings_add(&set->owners, owner) != 0 ? irsa_error_oom(ctx->err) : 0;
}

static void
pod_set_release(struct pod_set *set)
{
	json_object_put(set->pods);
	aws_strings_release(&set->owners);
	memset(set, 0, sizeof(*set));
}

static void
subject_of(const struct audit_ctx *ctx, const struct kube_object *sa, const char *role_arn, struct audit_subject *s)
{
	memset(s, 0, sizeof(*s));
	s->cluster = ctx->cluster->name;
	s->region = ctx->cluster->region;
	s->ns = (char *)sa->namespace;
	s->sa = (char *)sa->name;
	s->role_arn = (char *)role_arn;
}

/* An evidence object for a service account's finding; takes the pods over. */
static struct json_object *
sa_evidence(const struct kube_object *sa, const char *role_arn, struct pod_set *set)
{
	struct json_object *ev = json_object_new_object();
	char ref[WORKLOAD_REF_MAX];

	snprintf(ref, sizeof(ref), "%s/%s", sa->namespace, sa->name);
	json_object_object_add(ev, "serviceAccount", jstr(ref));
	json_object_object_add(ev, "roleArn", jstr(role_arn));
	json_object_object_add(ev, "pods", set->pods != NULL ? set->pods : json_object_new_array());
	set->pods = NULL;
	return ev;
}

/* Sets f's fix to a rollout restart of set's owners. */
static int
fix_restart(struct audit_ctx *ctx, struct audit_finding *f, const struct pod_set *set)
{
	char summary[1200];

	snprintf(summary, sizeof(summary), "Restart %s", set->owner_text);
	if (audit_fix_set(ctx, f, AUDIT_FIX_RESTART, summary) != 0)
		return -1;
	for (size_t i = 0; i < set->owners.n; i++)
		if (aws_strings_add(&f->fix.workloads, set->owners.v[i]) != 0)
			return irsa_error_oom(ctx->err);
	return 0;
}

/* --- the checks --------------------------------------------------------------- */

/* The webhook's regex (pkg/cache/cache.go):
 * ^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w-\/.@+=,]+$ */
static bool
arn_matches_webhook(const char *v)
{
	const char *p = v;

	if (strncmp(p, "arn:aws", 7) != 0)
		return false;
	for (p += 7; islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'; p++)
		;
	if (strncmp(p, ":iam::", 6) != 0)
		return false;
	p += 6;
	for (int i = 0; i < 12; i++, p++)
		if (!isdigit((unsigned char)*p))
			return false;
	if (strncmp(p, ":role/", 6) != 0 || p[6] == '\0')
		return false;
	for (p += 6; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_-/.@+=,", *p) == NULL)
			return false;
	return true;
}

static int
check_unmutated(struct audit_ctx *ctx, const struct kube_object *sa, const char *arn,
                const struct kube_object *const *pods, size_t n)
{
	struct pod_set set = {0};
	struct audit_finding *f;
	struct audit_subject s;
	int rc = 0;

	if (!arn_matches_webhook(arn) || audit_input_role(ctx->in, arn, NULL) == NULL)
		return 0; /* IRSA015, IRSA016 */
	for (size_t i = 0; i < n && rc == 0; i++)
		if (!pod_mutated(pods[i]))
			rc = pod_set_add(ctx, &set, pods[i], NULL);
	if (rc != 0 || set.n == 0)
		goto out;
	subject_of(ctx, sa, arn, &s);
	f = audit_ctx_add(
	        ctx, "IRSA026", -1, &s, sa_evidence(sa, arn, &set),
	        "%zu of %zu pods running as %s/%s were not mutated by the pod identity webhook "
	        "(no " BINDING_ENV_ROLE_ARN ", no " VOLUME_IRSA_TOKEN
	        " volume: started before the annotation, or missed by the webhook), so "
	        "they use the node role: %s%s%s%s%s",
	        set.n, n, sa->namespace, sa->name, set.owners.n > 0 ? "restart " : "", set.owner_text,
	        set.owners.n > 0 && set.ownerless > 0 ? "; " : "",
	        set.ownerless > 0 ? "delete the pods that have no owner to restart them, and create them again: " : "",
	        set.ownerless > 0 ? set.pod_text : "");
	if (f != NULL && set.ownerless == 0)
		rc = fix_restart(ctx, f, &set);
out:
	pod_set_release(&set);
	return rc != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

static int
check_stale_role(struct audit_ctx *ctx, const struct kube_object *sa, const char *arn,
                 const struct kube_object *const *pods, size_t n)
{
	struct pod_set set = {0};
	struct audit_finding *f;
	struct audit_subject s;
	const char *have = NULL;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *p = binding_pod_role_arn(pods[i]);
		struct json_object *extra;
		if (p == NULL || strcmp(p, arn) == 0)
			continue;
		have = have != NULL ? have : p;
		extra = json_object_new_object();
		json_object_object_add(extra, BINDING_ENV_ROLE_ARN, jstr(p));
		rc = pod_set_add(ctx, &set, pods[i], extra);
	}
	if (rc != 0 || set.n == 0)
		goto out;
	subject_of(ctx, sa, arn, &s);
	f = audit_ctx_add(
	        ctx, "IRSA027", -1, &s, sa_evidence(sa, arn, &set),
	        "%zu of %zu pods running as %s/%s carry " BINDING_ENV_ROLE_ARN "=%s%s, not the account's "
	        "role %s (the webhook never overwrites a set value): %s%s%s",
	        set.n, n, sa->namespace, sa->name, have, set.n > 1 ? " (or another)" : "", arn,
	        set.hard_coded ? "the pod template hard-codes " BINDING_ENV_ROLE_ARN ": remove it from the template of "
	        : set.ownerless > 0 ? "delete the pods that have no owner to restart them, and create them again: "
	                            : "restart ",
	        set.hard_coded || set.ownerless == 0 ? set.owner_text : set.pod_text,
	        set.hard_coded ? ", then restart" : "");
	if (f != NULL && set.ownerless == 0 && !set.hard_coded)
		rc = fix_restart(ctx, f, &set);
out:
	pod_set_release(&set);
	return rc != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

/* Where an env var's value comes from, names only: "value", "secret NAME key K", ... */
static void
env_source(struct json_object *e, char *out, size_t outsz)
{
	struct json_object *from = jsonobj_obj(e, "valueFrom"), *ref;

	if (from == NULL)
		snprintf(out, outsz, "a literal value in the pod spec");
	else if ((ref = jsonobj_obj(from, "secretKeyRef")) != NULL)
		snprintf(out, outsz, "secret %s key %s", jsonobj_str(ref, "name") ? jsonobj_str(ref, "name") : "?",
		         jsonobj_str(ref, "key") ? jsonobj_str(ref, "key") : "?");
	else if ((ref = jsonobj_obj(from, "configMapKeyRef")) != NULL)
		snprintf(out, outsz, "configmap %s key %s", jsonobj_str(ref, "name") ? jsonobj_str(ref, "name") : "?",
		         jsonobj_str(ref, "key") ? jsonobj_str(ref, "key") : "?");
	else
		snprintf(out, outsz, "a valueFrom reference");
}

/* The static-key env of a pod: *explicit_keys counts the containers' env
 * entries named AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY, *from their
 * envFrom sources. Returns an evidence object (names only) or NULL when
 * neither. */
static struct json_object *
pod_static_keys(const struct kube_object *pod, size_t *explicit_keys, size_t *from, char *text, size_t textsz)
{
	struct json_object *spec = jsonobj_obj(pod->obj, "spec"), *containers = json_object_new_array(), *ev;
	char src[512], item[1024];

	for (size_t f = 0; f < 2; f++) {
		struct json_object *list = array_member(spec, container_fields[f]);
		for (size_t i = 0; list != NULL && i < json_object_array_length(list); i++) {
			struct json_object *c = json_object_array_get_idx(list, i);
			const char *cname = jsonobj_str(c, "name") != NULL ? jsonobj_str(c, "name") : "?";
			struct json_object *env = array_member(c, "env"), *env_from = array_member(c, "envFrom");
			struct json_object *keys = json_object_new_array(), *sources = json_object_new_array(), *co;
			for (size_t j = 0; env != NULL && j < json_object_array_length(env); j++) {
				struct json_object *e = json_object_array_get_idx(env, j), *k;
				const char *n = jsonobj_str(e, "name");
				if (n == NULL ||
				    (strcmp(n, "AWS_ACCESS_KEY_ID") != 0 && strcmp(n, "AWS_SECRET_ACCESS_KEY") != 0))
					continue;
				env_source(e, src, sizeof(src));
				k = json_object_new_object();
				json_object_object_add(k, "name", jstr(n));
				json_object_object_add(k, "from", jstr(src));
				json_object_array_add(keys, k);
				(*explicit_keys)++;
				snprintf(item, sizeof(item), "%s/%s container %s: %s from %s", pod->namespace,
				         pod->name, cname, n, src);
				text_append(text, textsz, item);
			}
			for (size_t j = 0; env_from != NULL && j < json_object_array_length(env_from); j++) {
				struct json_object *e = json_object_array_get_idx(env_from, j), *ref;
				const char *prefix = jsonobj_str(e, "prefix");
				if ((ref = jsonobj_obj(e, "secretRef")) != NULL)
					snprintf(src, sizeof(src), "secret %s",
					         jsonobj_str(ref, "name") ? jsonobj_str(ref, "name") : "?");
				else if ((ref = jsonobj_obj(e, "configMapRef")) != NULL)
					snprintf(src, sizeof(src), "configmap %s",
					         jsonobj_str(ref, "name") ? jsonobj_str(ref, "name") : "?");
				else
					continue;
				if (prefix != NULL) {
					size_t len = strlen(src);
					snprintf(src + len, sizeof(src) - len, " (prefix %s)", prefix);
				}
				json_object_array_add(sources, json_object_new_string(src));
				(*from)++;
				snprintf(item, sizeof(item), "%s/%s container %s: envFrom %s", pod->namespace,
				         pod->name, cname, src);
				text_append(text, textsz, item);
			}
			if (json_object_array_length(keys) == 0 && json_object_array_length(sources) == 0) {
				json_object_put(keys);
				json_object_put(sources);
				continue;
			}
			co = json_object_new_object();
			json_object_object_add(co, "container", jstr(jsonobj_str(c, "name")));
			json_object_object_add(co, "env", keys);
			json_object_object_add(co, "envFrom", sources);
			json_object_array_add(containers, co);
		}
	}
	if (json_object_array_length(containers) == 0) {
		json_object_put(containers);
		return NULL;
	}
	ev = json_object_new_object();
	json_object_object_add(ev, "containers", containers);
	return ev;
}

static int
check_static_keys(struct audit_ctx *ctx, const struct kube_object *sa, const char *arn,
                  const struct kube_object *const *pods, size_t n)
{
	struct pod_set set = {0};
	struct audit_subject s;
	struct json_object *ev;
	size_t explicit_keys = 0, from = 0;
	char text[2048] = "";
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		struct json_object *extra = pod_static_keys(pods[i], &explicit_keys, &from, text, sizeof(text));
		if (extra != NULL)
			rc = pod_set_add(ctx, &set, pods[i], extra);
	}
	if (rc != 0 || set.n == 0)
		goto out;
	subject_of(ctx, sa, arn, &s);
	ev = sa_evidence(sa, arn, &set);
	json_object_object_add(ev, "note",
	                       jstr("names only: irsa never shows env values and does not read Secrets or "
	                            "ConfigMaps, so what envFrom injects is not known"));
	if (explicit_keys > 0)
		audit_ctx_add(ctx, "IRSA028", -1, &s, ev,
		              "%zu of %zu pods running as %s/%s set static AWS keys in their env (%s): the SDKs take "
		              "those keys before the web identity, so role %s is not used; rotate the keys and remove "
		              "them from the pod template",
		              set.n, n, sa->namespace, sa->name, text, arn);
	else
		audit_ctx_add(ctx, "IRSA028", AUDIT_SEV_LOW, &s, ev,
		              "%zu of %zu pods running as %s/%s load env from Secrets or ConfigMaps (%s): "
		              "irsa does not read them, so check by hand that they hold no AWS_ACCESS_KEY_ID or "
		              "AWS_SECRET_ACCESS_KEY, which would shadow role %s",
		              set.n, n, sa->namespace, sa->name, text, arn);
out:
	pod_set_release(&set);
	return rc != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

static int
check_host_network(struct audit_ctx *ctx, const struct kube_object *sa, const char *arn,
                   const struct kube_object *const *pods, size_t n)
{
	struct pod_set set = {0};
	struct audit_subject s;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		struct json_object *spec = jsonobj_obj(pods[i]->obj, "spec"), *extra;
		if (!json_true(spec, "hostNetwork"))
			continue;
		extra = json_object_new_object();
		json_object_object_add(extra, "hostNetwork", json_object_new_boolean(true));
		json_object_object_add(extra, "nodeName", jstr(jsonobj_str(spec, "nodeName")));
		rc = pod_set_add(ctx, &set, pods[i], extra);
	}
	if (rc != 0 || set.n == 0)
		goto out;
	subject_of(ctx, sa, arn, &s);
	audit_ctx_add(ctx, "IRSA030", -1, &s, sa_evidence(sa, arn, &set),
	              "%zu of %zu pods running as %s/%s use hostNetwork (%s): they reach the node's instance "
	              "metadata (and its role) whatever the hop limit; run them without hostNetwork or on nodes "
	              "whose role has nothing to give",
	              set.n, n, sa->namespace, sa->name, set.pod_text);
out:
	pod_set_release(&set);
	return rc != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

static int
check_default_sa(struct audit_ctx *ctx, const struct kube_object *sa, const char *arn,
                 const struct kube_object *const *pods, size_t n)
{
	struct pod_set set = {0};
	struct audit_subject s;
	int rc = 0;

	if (strcmp(sa->name, KUBE_DEFAULT_SA) != 0)
		return 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = pod_set_add(ctx, &set, pods[i], NULL);
	if (rc != 0)
		goto out;
	subject_of(ctx, sa, arn, &s);
	audit_ctx_add(ctx, "IRSA031", -1, &s, sa_evidence(sa, arn, &set),
	              "the default service account of namespace %s is bound to %s: every pod of the namespace "
	              "without its own service account gets the role (%zu now%s%s); create a dedicated service "
	              "account, set it as serviceAccountName in the workloads that need the role, move the "
	              "annotation there and remove it from default",
	              sa->namespace, arn, n, n > 0 ? ": " : "", n > 0 ? set.pod_text : "");
out:
	pod_set_release(&set);
	return rc != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

static int
check_automount(struct audit_ctx *ctx, const struct kube_object *sa, const char *arn,
                const struct kube_object *const *pods, size_t n)
{
	int sa_value = tristate(sa->obj, "automountServiceAccountToken");
	struct pod_set set = {0};
	struct audit_subject s;
	struct json_object *ev;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		int pod_value = tristate(jsonobj_obj(pods[i]->obj, "spec"), "automountServiceAccountToken");
		struct json_object *extra;
		if (pod_value == 0 || (pod_value < 0 && sa_value == 0))
			continue; /* the pod's value overrides the account's */
		extra = json_object_new_object();
		json_object_object_add(extra, "automountServiceAccountToken",
		                       pod_value < 0 ? NULL : json_object_new_boolean(pod_value));
		rc = pod_set_add(ctx, &set, pods[i], extra);
	}
	if (rc != 0 || set.n == 0)
		goto out;
	subject_of(ctx, sa, arn, &s);
	ev = sa_evidence(sa, arn, &set);
	json_object_object_add(ev, "serviceAccountAutomount", sa_value < 0 ? NULL : json_object_new_boolean(sa_value));
	audit_ctx_add(ctx, "IRSA032", -1, &s, ev,
	              "%zu of %zu pods running as %s/%s mount a Kubernetes API token (%s): if they only need AWS, "
	              "set automountServiceAccountToken to false on the service account and the pod template (the "
	              "IRSA token is mounted regardless)",
	              set.n, n, sa->namespace, sa->name,
	              sa_value == 0
	                      ? "the service account's automountServiceAccountToken is false, but the pods set it "
	                        "to true"
	              : sa_value > 0 ? "automountServiceAccountToken is true on the service account and not false on "
	                               "the pods"
	                             : "automountServiceAccountToken is unset on the service account and not false on "
	                               "the pods");
out:
	pod_set_release(&set);
	return rc != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

static int
check_aws_node(struct audit_ctx *ctx)
{
	const struct audit_cluster *cl = ctx->cluster;

	for (size_t i = 0; i < cl->sas.n; i++) {
		const struct kube_object *sa = &cl->sas.v[i];
		struct audit_subject s;
		struct json_object *ev;

		if (strcmp(sa->namespace, CNI_NAMESPACE) != 0 || strcmp(sa->name, CNI_SERVICE_ACCOUNT) != 0 ||
		    binding_role_arn(sa) != NULL)
			continue;
		ev = json_object_new_object();
		json_object_object_add(ev, "serviceAccount", jstr(CNI_NAMESPACE "/" CNI_SERVICE_ACCOUNT));
		json_object_object_add(ev, "annotationKey", jstr(BINDING_ROLE_KEY));
		json_object_object_add(ev, "annotationValue", NULL);
		json_object_object_add(ev, "notRead",
		                       jstr("EKS Pod Identity associations and the vpc-cni add-on's "
		                            "serviceAccountRoleArn are not read yet"));
		subject_of(ctx, sa, NULL, &s);
		if (audit_ctx_add(ctx, "IRSA033", -1, &s, ev,
		                  "kube-system/aws-node (the VPC CNI) has no " BINDING_ROLE_KEY
		                  " annotation, so it uses the node role, which must then keep AmazonEKS_CNI_Policy "
		                  "for every pod that reaches instance metadata; bind it to a CNI role (IRSA or Pod "
		                  "Identity) and restart the aws-node DaemonSet (a Pod Identity association or the "
		                  "add-on's serviceAccountRoleArn is not read yet: if one is set, this is fine)") ==
		            NULL &&
		    audit_ctx_failed(ctx))
			return -1;
	}
	return 0;
}

static bool
roles_known(const struct audit_input *in)
{
	return in->roles_error == NULL;
}

int
audit_checks_workloads(struct audit_ctx *ctx)
{
	const struct audit_cluster *cl = ctx->cluster;
	const struct audit_check *imds = audit_check_find("IRSA029");
	struct pod_index ix = {0};
	bool want[N_IDS];
	int rc = -1;

	if (cl == NULL)
		return 0;
	for (size_t i = 0; i < N_IDS; i++)
		want[i] = audit_ctx_wants(ctx, group_ids[i]);
	if (want[W029] &&
	    audit_ctx_not_run(ctx, "IRSA029",
	                      imds != NULL && imds->reason != NULL ? imds->reason : "EC2 is not read") != 0)
		return -1;
	if (!cl->kube_known) {
		const char *why = cl->kube_error != NULL ? cl->kube_error : "the cluster's Kubernetes API was not read";
		for (size_t i = 0; i < N_IDS; i++)
			if (i != W029 && want[i] && audit_ctx_not_run(ctx, group_ids[i], why) != 0)
				return -1;
		return 0;
	}
	if (want[W026] && !roles_known(ctx->in)) {
		if (audit_ctx_not_run(ctx, "IRSA026", ctx->in->roles_error) != 0)
			return -1;
		want[W026] = false;
	}
	if (pod_index_init(&ix, cl) != 0)
		return irsa_error_oom(ctx->err);
	for (size_t i = 0; i < cl->sas.n; i++) {
		const struct kube_object *sa = &cl->sas.v[i];
		const char *arn = binding_role_arn(sa);
		const struct kube_object *const *pods;
		size_t n;

		if (arn == NULL)
			continue;
		pods = pods_of(&ix, sa, &n);
		if ((want[W026] && check_unmutated(ctx, sa, arn, pods, n) != 0) ||
		    (want[W027] && check_stale_role(ctx, sa, arn, pods, n) != 0) ||
		    (want[W028] && check_static_keys(ctx, sa, arn, pods, n) != 0) ||
		    (want[W030] && check_host_network(ctx, sa, arn, pods, n) != 0) ||
		    (want[W031] && check_default_sa(ctx, sa, arn, pods, n) != 0) ||
		    (want[W032] && check_automount(ctx, sa, arn, pods, n) != 0))
			goto out;
	}
	if (want[W033] && check_aws_node(ctx) != 0)
		goto out;
	rc = audit_ctx_failed(ctx) ? -1 : 0;
out:
	free(ix.v);
	return rc;
}
