/* core/audit_checks_orphans.c - audit group D (IRSA019): unused and
 * over-shared bindings, from the role <-> service account map of the
 * audited clusters (MKAT's find-role-relationships):
 *
 *   (a) a role whose trust names this cluster's OIDC provider but that no
 *       service account of the cluster references (typo'd keys count as a
 *       reference: that binding is IRSA015's) - latent access for whoever
 *       can create the account the trust names; medium when the trust's
 *       sub is absent or wildcarded, else low;
 *   (b) a service account with the role-arn annotation and no pod running
 *       as it;
 *   (d) one role referenced by service accounts of two or more namespaces
 *       of the cluster, or (with the first cluster) of two or more audited
 *       clusters.
 *
 * (c), Pod Identity associations, needs eks:ListPodIdentityAssociations,
 * which the audit does not read yet. Reports only: no fix. Pure. */
#include "config.h"

#include "audit.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonobj.h"

/* One service account's reference to a role. */
struct use {
	const char *key;                 /* the role's ARN as ListRoles has it, else the annotation's value */
	const char *cluster;             /* the cluster's name */
	const struct binding_role *role; /* NULL when ListRoles lacks it */
	const struct kube_object *sa;
	bool typo; /* through a typo'd key */
};

struct uses {
	struct use *v;
	size_t n, cap;
};

static struct json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* The strings of array a joined with ", " into out. */
static const char *
joined(struct json_object *a, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(a) && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s%s", i > 0 ? ", " : "",
		                        json_object_get_string(json_object_array_get_idx(a, i)));
	return out;
}

static int
uses_add(struct audit_ctx *ctx, struct uses *u, const struct audit_cluster *cl, const struct kube_object *sa)
{
	const char *arn = binding_role_arn(sa), *typo = NULL;
	struct use *x;

	if (arn == NULL && (typo = binding_typo_key(sa)) != NULL)
		arn = kube_object_annotation(sa, typo);
	if (arn == NULL)
		return 0;
	if (u->n == u->cap) {
		size_t cap = u->cap != 0 ? u->cap * 2 : 32;
		struct use *v = realloc(u->v, cap * sizeof(*v));
		if (v == NULL)
			return irsa_error_oom(ctx->err);
		u->v = v;
		u->cap = cap;
	}
	x = &u->v[u->n++];
	x->role = audit_input_role(ctx->in, arn, NULL);
	x->key = x->role != NULL && x->role->role->arn != NULL ? x->role->role->arn : arn;
	x->cluster = cl->name;
	x->sa = sa;
	x->typo = typo != NULL;
	return 0;
}

static int
use_cmp(const void *a, const void *b)
{
	const struct use *x = a, *y = b;
	int c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	if ((c = strcmp(x->cluster, y->cluster)) != 0)
		return c;
	if ((c = strcmp(x->sa->namespace, y->sa->namespace)) != 0)
		return c;
	return strcmp(x->sa->name, y->sa->name);
}

static bool
pod_active(const struct kube_object *pod)
{
	const char *phase = jsonobj_str(jsonobj_obj(pod->obj, "status"), "phase");

	return phase == NULL || (strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0);
}

/* --- (a) --------------------------------------------------------------------- */

/* Whether t's Allow statements name provider_arn; the sub values they
 * check go to subs, and *wide says whether one of them checks no sub or a
 * pattern with * or ?. */
static bool
trust_names_provider(const struct trust *t, const char *provider_arn, struct json_object *subs, bool *wide)
{
	const char *issuer = trust_provider_issuer(provider_arn);
	size_t ilen = issuer != NULL ? strlen(issuer) : 0;
	bool named = false;

	*wide = false;
	for (size_t i = 0; issuer != NULL && i < t->n; i++) {
		const struct trust_statement *st = &t->st[i];
		bool has_sub = false;

		if (st->deny || !trust_statement_names(st, "Federated", provider_arn))
			continue;
		named = true;
		for (size_t c = 0; c < st->n_cond; c++) {
			const struct trust_cond *cond = &st->cond[c];
			bool like = strstr(cond->op, "Like") != NULL;
			if (strstr(cond->op, "String") == NULL || strstr(cond->op, "Not") != NULL)
				continue;
			for (size_t k = 0; k < cond->n; k++) {
				const struct trust_cond_key *key = &cond->keys[k];
				if (strncasecmp(key->key, issuer, ilen) != 0 ||
				    strcasecmp(key->key + ilen, ":sub") != 0)
					continue;
				has_sub = true;
				for (size_t v = 0; v < key->values.n; v++) {
					json_object_array_add(subs, json_object_new_string(key->values.v[v]));
					if (like && strpbrk(key->values.v[v], "*?") != NULL)
						*wide = true;
				}
			}
		}
		if (!has_sub)
			*wide = true;
	}
	return named;
}

static bool
role_used(const struct uses *u, const struct binding_role *r)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].role == r)
			return true;
	return false;
}

static int
check_unused_roles(struct audit_ctx *ctx, const struct uses *u)
{
	const struct audit_cluster *cl = ctx->cluster;
	const struct binding_roles *idx = &ctx->in->index;

	if (cl->provider_arn == NULL)
		return 0;
	for (size_t i = 0; i < idx->n; i++) {
		const struct binding_role *r = &idx->v[i];
		struct json_object *subs, *ev;
		struct audit_subject s;
		char list[1024];
		bool wide;

		if (r->trust == NULL || r->role->arn == NULL || role_used(u, r))
			continue;
		subs = json_object_new_array();
		if (!trust_names_provider(r->trust, cl->provider_arn, subs, &wide)) {
			json_object_put(subs);
			continue;
		}
		ev = json_object_new_object();
		json_object_object_add(ev, "roleArn", jstr(r->role->arn));
		json_object_object_add(ev, "providerArn", jstr(cl->provider_arn));
		json_object_object_add(ev, "trustSubValues", subs);
		json_object_object_add(ev, "wildcarded", json_object_new_boolean(wide));
		json_object_object_add(ev, "referencingServiceAccounts", json_object_new_array());
		memset(&s, 0, sizeof(s));
		s.cluster = cl->name;
		s.region = cl->region;
		s.role_arn = r->role->arn;
		s.provider_arn = cl->provider_arn;
		if (audit_ctx_add(
		            ctx, "IRSA019", wide ? AUDIT_SEV_MEDIUM : AUDIT_SEV_LOW, &s, ev,
		            "role %s trusts cluster %s's OIDC provider but no service account of the cluster "
		            "references it: %s%s%s%s; delete the role or its statement for this cluster if it is not "
		            "needed",
		            r->role->name, cl->name,
		            wide ? "its trust's sub is absent or a pattern, so every service account it matches "
		                   "can assume it"
		                 : "whoever can create the service account its trust names gets the role",
		            json_object_array_length(subs) > 0 ? " (sub " : "",
		            json_object_array_length(subs) > 0 ? joined(subs, list, sizeof(list)) : "",
		            json_object_array_length(subs) > 0 ? ")" : "") == NULL &&
		    audit_ctx_failed(ctx))
			return -1;
	}
	return 0;
}

/* --- (b) --------------------------------------------------------------------- */

static int
check_no_pods(struct audit_ctx *ctx)
{
	const struct audit_cluster *cl = ctx->cluster;

	for (size_t i = 0; i < cl->sas.n; i++) {
		const struct kube_object *sa = &cl->sas.v[i];
		const char *arn = binding_role_arn(sa);
		struct audit_subject s;
		struct json_object *ev;
		size_t pods = 0, done = 0;

		if (arn == NULL)
			continue;
		for (size_t p = 0; p < cl->pods.n; p++) {
			const struct kube_object *pod = &cl->pods.v[p];
			if (pod->service_account == NULL || strcmp(pod->service_account, sa->name) != 0 ||
			    strcmp(pod->namespace, sa->namespace) != 0)
				continue;
			if (pod_active(pod))
				pods++;
			else
				done++;
		}
		if (pods > 0)
			continue;
		ev = json_object_new_object();
		json_object_object_add(ev, "annotationKey", jstr(BINDING_ROLE_KEY));
		json_object_object_add(ev, "annotationValue", jstr(arn));
		json_object_object_add(ev, "runningPods", json_object_new_int(0));
		json_object_object_add(ev, "finishedPods", json_object_new_int64((int64_t)done));
		memset(&s, 0, sizeof(s));
		s.cluster = cl->name;
		s.region = cl->region;
		s.ns = (char *)sa->namespace;
		s.sa = (char *)sa->name;
		s.role_arn = (char *)arn;
		if (audit_ctx_add(ctx, "IRSA019", -1, &s, ev,
		                  "%s/%s is bound to %s but no pod runs as it%s: remove the annotation (or the service "
		                  "account) if nothing needs it",
		                  sa->namespace, sa->name, arn, done > 0 ? " (only finished pods)" : "") == NULL &&
		    audit_ctx_failed(ctx))
			return -1;
	}
	return 0;
}

/* --- (d) --------------------------------------------------------------------- */

/* The runs of u (sorted) with one key whose items differ in what
 * distinct() compares: a finding each. cluster NULL: across clusters. */
static int
check_shared(struct audit_ctx *ctx, const struct uses *u, bool across_clusters)
{
	size_t i = 0, j;

	for (; i < u->n; i = j) {
		struct json_object *sas, *groups, *ev;
		struct audit_subject s;
		size_t n_groups = 1;
		char buf[512];

		for (j = i + 1; j < u->n && strcmp(u->v[j].key, u->v[i].key) == 0; j++)
			;
		for (size_t k = i + 1; k < j; k++)
			if (across_clusters ? strcmp(u->v[k].cluster, u->v[k - 1].cluster) != 0
			                    : strcmp(u->v[k].sa->namespace, u->v[k - 1].sa->namespace) != 0)
				n_groups++;
		if (n_groups < 2)
			continue;
		sas = json_object_new_array();
		groups = json_object_new_array();
		for (size_t k = i; k < j; k++) {
			const struct use *x = &u->v[k];
			if (across_clusters)
				snprintf(buf, sizeof(buf), "%s:%s/%s", x->cluster, x->sa->namespace, x->sa->name);
			else
				snprintf(buf, sizeof(buf), "%s/%s", x->sa->namespace, x->sa->name);
			json_object_array_add(sas, json_object_new_string(buf));
			if (k == i || (across_clusters ? strcmp(x->cluster, u->v[k - 1].cluster) != 0
			                               : strcmp(x->sa->namespace, u->v[k - 1].sa->namespace) != 0))
				json_object_array_add(groups, json_object_new_string(
				                                      across_clusters ? x->cluster : x->sa->namespace));
		}
		ev = json_object_new_object();
		json_object_object_add(ev, "roleArn", jstr(u->v[i].key));
		json_object_object_add(ev, across_clusters ? "clusters" : "namespaces", groups);
		json_object_object_add(ev, "serviceAccounts", sas);
		memset(&s, 0, sizeof(s));
		if (!across_clusters) {
			s.cluster = ctx->cluster->name;
			s.region = ctx->cluster->region;
		}
		s.role_arn = (char *)u->v[i].key;
		if (audit_ctx_add(ctx, "IRSA019", -1, &s, ev,
		                  "role %s is bound to %zu service accounts in %zu %s (%s): one role per application "
		                  "keeps a compromise of one from reaching the others' AWS access",
		                  u->v[i].key, j - i, n_groups, across_clusters ? "clusters" : "namespaces",
		                  joined(groups, buf, sizeof(buf))) == NULL &&
		    audit_ctx_failed(ctx))
			return -1;
	}
	return 0;
}

/* The references through the role-arn key only, sorted. */
static void
keep_bound(struct uses *u)
{
	size_t w = 0;

	for (size_t i = 0; i < u->n; i++)
		if (!u->v[i].typo)
			u->v[w++] = u->v[i];
	u->n = w;
	if (u->n > 1)
		qsort(u->v, u->n, sizeof(*u->v), use_cmp);
}

static bool
roles_known(const struct audit_input *in)
{
	return in->roles_error == NULL;
}

int
audit_checks_orphans(struct audit_ctx *ctx)
{
	const struct audit_cluster *cl = ctx->cluster;
	struct uses u = {0}, all = {0};
	int rc = -1;

	if (cl == NULL || !audit_ctx_wants(ctx, "IRSA019"))
		return 0;
	if (!cl->kube_known)
		return audit_ctx_not_run(ctx, "IRSA019",
		                         cl->kube_error != NULL ? cl->kube_error
		                                                : "the cluster's Kubernetes API was not read");
	for (size_t i = 0; i < cl->sas.n; i++)
		if (uses_add(ctx, &u, cl, &cl->sas.v[i]) != 0)
			goto out;
	if (roles_known(ctx->in) && check_unused_roles(ctx, &u) != 0)
		goto out;
	if (check_no_pods(ctx) != 0)
		goto out;
	keep_bound(&u);
	if (check_shared(ctx, &u, false) != 0)
		goto out;
	if (ctx->first) {
		for (size_t c = 0; c < ctx->in->n_clusters; c++) {
			const struct audit_cluster *k = &ctx->in->clusters[c];
			for (size_t i = 0; k->kube_known && i < k->sas.n; i++)
				if (uses_add(ctx, &all, k, &k->sas.v[i]) != 0)
					goto out;
		}
		keep_bound(&all);
		if (check_shared(ctx, &all, true) != 0)
			goto out;
	}
	rc = audit_ctx_failed(ctx) ? -1 : 0;
out:
	free(u.v);
	free(all.v);
	return rc;
}
