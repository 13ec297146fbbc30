/* core/audit_checks_provider.c - audit group A, the IAM OIDC provider of
 * each audited cluster (../shared/design/audit-checks.md, IRSA001-004):
 * the issuer has no provider although the cluster uses IRSA (001), the
 * provider's ClientIDList lacks an audience the cluster's service accounts
 * use (002), its thumbprints miss the issuer's live one (003), and,
 * account-wide, providers and trust statements left behind by deleted
 * clusters and the provider quota (004).
 *
 * Issuers are compared as IAM spells them (no https://, no trailing '/').
 * What the input lacks (the provider list, a provider's detail, the live
 * issuers, the thumbprint) makes a check "not run", never a guess. Pure:
 * reads the audit input, adds findings; no I/O. */
#include "config.h"

#include "audit.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "iam.h"
#include "trust.h"

#define PROVIDER_QUOTA      100 /* OIDC providers per account */
#define PROVIDER_QUOTA_NEAR 90  /* IRSA004 reports the count from here */
#define LIST_MAX            5   /* names shown in a message before "and N more" */

/* Why the provider list could not be read, or NULL. */
static const char *
providers_unread(const struct audit_input *in)
{
	return in->providers_error;
}

/* The issuer host/path of a provider: its Url as IAM answers, else the ARN's. */
static const char *
provider_issuer(const struct audit_provider *p)
{
	if (p->url != NULL && p->url[0] != '\0')
		return p->url;
	return p->arn != NULL ? trust_provider_issuer(p->arn) : NULL;
}

/* Whether two issuers (URL or host/path) are the same once normalised. */
static bool
issuer_same(const char *a, const char *b)
{
	char *x, *y;
	bool same;

	if (a == NULL || b == NULL)
		return false;
	x = trust_issuer_normalize(a);
	y = trust_issuer_normalize(b);
	same = x != NULL && y != NULL && strcasecmp(x, y) == 0;
	free(x);
	free(y);
	return same;
}

/* The cluster's provider: by ARN, else one whose Url is the issuer. */
static const struct audit_provider *
cluster_provider(const struct audit_input *in, const struct audit_cluster *c)
{
	const struct audit_provider *p = audit_input_provider(in, c->provider_arn);

	for (size_t i = 0; p == NULL && i < in->n_providers; i++)
		if (in->providers[i].url != NULL && issuer_same(in->providers[i].url, c->issuer))
			p = &in->providers[i];
	return p;
}

static void
add_str(struct json_object *arr, const char *s)
{
	json_object_array_add(arr, json_object_new_string(s != NULL ? s : ""));
}

/* "a, b, c and 2 more" from a JSON array of strings. */
static void
list_names(struct buf *b, struct json_object *arr)
{
	size_t n = json_object_array_length(arr);

	for (size_t i = 0; i < n && i < LIST_MAX; i++)
		buf_printf(b, "%s%s", i == 0 ? "" : ", ", json_object_get_string(json_object_array_get_idx(arr, i)));
	if (n > LIST_MAX)
		buf_printf(b, " and %zu more", n - LIST_MAX);
}

static struct audit_finding *
add_buf(struct audit_ctx *ctx, const char *id, const struct audit_subject *s, struct json_object *ev, struct buf *msg)
{
	struct audit_finding *f;

	if (msg->failed) {
		buf_release(msg);
		json_object_put(ev);
		irsa_error_oom(ctx->err);
		return NULL;
	}
	f = audit_ctx_add(ctx, id, -1, s, ev, "%s", buf_cstr(msg));
	buf_release(msg);
	return f;
}

/* IRSA001: the cluster's issuer has no provider in the account, and the
 * cluster uses IRSA (a service account is bound, or a role trusts the
 * provider it should have). */
static int
check_missing_provider(struct audit_ctx *ctx)
{
	const struct audit_cluster *c = ctx->cluster;
	const struct audit_input *in = ctx->in;
	const char *unread = providers_unread(in);
	struct json_object *sas, *roles, *ev;
	struct audit_subject s = {0};
	struct audit_finding *f;
	struct buf msg, summary;

	if (unread != NULL)
		return audit_ctx_not_run(ctx, "IRSA001", unread);
	if (cluster_provider(in, c) != NULL)
		return 0;
	sas = json_object_new_array();
	roles = json_object_new_array();
	for (size_t i = 0; c->kube_known && i < c->sas.n; i++)
		if (binding_role_arn(&c->sas.v[i]) != NULL) {
			char name[512];
			snprintf(name, sizeof(name), "%s/%s", c->sas.v[i].namespace, c->sas.v[i].name);
			add_str(sas, name);
		}
	for (size_t i = 0; i < in->index.n; i++)
		if (trust_allows_principal(in->index.v[i].trust, "Federated", c->provider_arn))
			add_str(roles, in->index.v[i].role->name);
	if (json_object_array_length(sas) == 0 && json_object_array_length(roles) == 0) {
		json_object_put(sas);
		json_object_put(roles);
		if (!c->kube_known)
			return audit_ctx_not_run(
			        ctx, "IRSA001",
			        "its service accounts were not read, so whether it uses IRSA is not known");
		return 0; /* the cluster does not use IRSA: no provider needed */
	}
	buf_init(&msg, 8192);
	buf_printf(&msg,
	           "The issuer %s of cluster %s has no IAM OIDC provider in account %s (%s expected): STS "
	           "rejects every token of the cluster (InvalidIdentityToken)",
	           c->issuer, c->name, in->account != NULL ? in->account : "?", c->provider_arn);
	if (json_object_array_length(sas) > 0) {
		buf_printf(&msg, ", so its %zu bound service account(s) get no role (", json_object_array_length(sas));
		list_names(&msg, sas);
		buf_addstr(&msg, ")");
	}
	if (json_object_array_length(roles) > 0) {
		buf_printf(&msg, "; %zu role(s) trust the missing provider (", json_object_array_length(roles));
		list_names(&msg, roles);
		buf_addstr(&msg, ")");
	}
	buf_addstr(&msg, ".");
	ev = json_object_new_object();
	json_object_object_add(ev, "issuer", json_object_new_string(c->issuer));
	json_object_object_add(ev, "providerArn", json_object_new_string(c->provider_arn));
	json_object_object_add(ev, "serviceAccounts", sas);
	json_object_object_add(ev, "trustingRoles", roles);
	s.cluster = c->name;
	s.region = c->region;
	s.provider_arn = c->provider_arn;
	if ((f = add_buf(ctx, "IRSA001", &s, ev, &msg)) == NULL)
		return audit_ctx_failed(ctx) ? -1 : 0;
	buf_init(&summary, 4096);
	buf_printf(&summary, "Create the IAM OIDC provider for %s with client ID " TRUST_AUDIENCE_STS, c->issuer);
	if (summary.failed || audit_fix_set(ctx, f, AUDIT_FIX_CREATE_PROVIDER, buf_cstr(&summary)) != 0) {
		buf_release(&summary);
		return irsa_error_oom(ctx->err), -1;
	}
	buf_release(&summary);
	return 0;
}

/* IRSA002: an audience the cluster's bound service accounts use is not in
 * the provider's ClientIDList. */
static int
check_client_ids(struct audit_ctx *ctx)
{
	const struct audit_cluster *c = ctx->cluster;
	const struct audit_provider *p = cluster_provider(ctx->in, c);
	struct json_object *missing, *users, *ev;
	struct audit_subject s = {0};
	struct audit_finding *f;
	struct buf msg, summary;
	const char *first;

	if (p == NULL)
		return 0; /* IRSA001 reports it (or says why it did not run) */
	if (!p->detail_known)
		return audit_ctx_not_run(ctx, "IRSA002",
		                         "the provider's ClientIDList was not read (iam:GetOpenIDConnectProvider)");
	if (!c->kube_known)
		return audit_ctx_not_run(ctx, "IRSA002",
		                         "its service accounts (and their audience annotations) were not read");
	missing = json_object_new_array();
	users = json_object_new_array();
	for (size_t i = 0; i < c->sas.n; i++) {
		const struct kube_object *sa = &c->sas.v[i];
		const char *aud = kube_object_annotation(sa, BINDING_AUDIENCE_KEY);
		bool known = false;
		char name[512];

		if (binding_role_arn(sa) == NULL)
			continue;
		if (aud == NULL || aud[0] == '\0')
			aud = TRUST_AUDIENCE_STS;
		for (size_t j = 0; j < p->client_ids.n && !known; j++)
			known = strcmp(p->client_ids.v[j], aud) == 0;
		if (known)
			continue;
		snprintf(name, sizeof(name), "%s/%s (%s)", sa->namespace, sa->name, aud);
		add_str(users, name);
		known = false;
		for (size_t j = 0; j < json_object_array_length(missing) && !known; j++)
			known = strcmp(json_object_get_string(json_object_array_get_idx(missing, j)), aud) == 0;
		if (!known)
			add_str(missing, aud);
	}
	if (json_object_array_length(missing) == 0) {
		json_object_put(missing);
		json_object_put(users);
		return 0;
	}
	first = json_object_get_string(json_object_array_get_idx(missing, 0));
	buf_init(&msg, 8192);
	buf_printf(&msg, "The IAM OIDC provider %s of cluster %s lacks the audience ", p->arn, c->name);
	list_names(&msg, missing);
	buf_printf(&msg, " in its ClientIDList (it has %zu: ", p->client_ids.n);
	for (size_t j = 0; j < p->client_ids.n; j++)
		buf_printf(&msg, "%s%s", j == 0 ? "" : ", ", p->client_ids.v[j]);
	buf_addstr(&msg, "), so STS rejects the tokens of ");
	list_names(&msg, users);
	buf_addstr(&msg, " (incorrect token audience).");
	ev = json_object_new_object();
	json_object_object_add(ev, "providerArn", json_object_new_string(p->arn));
	{
		struct json_object *ids = json_object_new_array();
		for (size_t j = 0; j < p->client_ids.n; j++)
			add_str(ids, p->client_ids.v[j]);
		json_object_object_add(ev, "clientIdList", ids);
	}
	json_object_object_add(ev, "missingAudiences", missing);
	json_object_object_add(ev, "serviceAccounts", users);
	s.cluster = c->name;
	s.region = c->region;
	s.provider_arn = p->arn;
	buf_init(&summary, 4096);
	buf_printf(&summary, "Add client ID %s to the IAM OIDC provider %s", first, p->arn);
	if (summary.failed) {
		buf_release(&summary);
		buf_release(&msg);
		json_object_put(ev);
		return irsa_error_oom(ctx->err), -1;
	}
	f = add_buf(ctx, "IRSA002", &s, json_object_get(ev), &msg);
	if (f != NULL && (audit_fix_set(ctx, f, AUDIT_FIX_ADD_CLIENT_ID, buf_cstr(&summary)) != 0 ||
	                  (f->fix.audience = strdup(first)) == NULL))
		irsa_error_oom(ctx->err);
	buf_release(&summary);
	json_object_put(ev);
	return audit_ctx_failed(ctx) ? -1 : 0;
}

/* IRSA003: the provider's thumbprints lack the issuer's live one. */
static int
check_thumbprint(struct audit_ctx *ctx)
{
	const struct audit_cluster *c = ctx->cluster;
	const struct audit_provider *p = cluster_provider(ctx->in, c);
	struct audit_subject s = {0};
	struct json_object *ev, *list;
	struct buf msg;

	if (p == NULL)
		return 0;
	if (!p->detail_known)
		return audit_ctx_not_run(ctx, "IRSA003",
		                         "the provider's ThumbprintList was not read (iam:GetOpenIDConnectProvider)");
	if (c->thumbprint == NULL) {
		char reason[1024];
		snprintf(reason, sizeof(reason), "the issuer's certificate chain could not be read%s%s",
		         c->thumbprint_error != NULL ? ": " : " (not tried)",
		         c->thumbprint_error != NULL ? c->thumbprint_error : "");
		return audit_ctx_not_run(ctx, "IRSA003", reason);
	}
	for (size_t j = 0; j < p->thumbprints.n; j++)
		if (strcasecmp(p->thumbprints.v[j], c->thumbprint) == 0)
			return 0;
	buf_init(&msg, 4096);
	if (p->thumbprints.n == 0)
		buf_printf(&msg,
		           "The IAM OIDC provider %s of cluster %s has no thumbprint; the issuer's top "
		           "intermediate CA has %s.",
		           p->arn, c->name, c->thumbprint);
	else
		buf_printf(&msg,
		           "The thumbprints of the IAM OIDC provider %s of cluster %s (%zu) do not include %s, "
		           "the SHA-1 of the issuer's top intermediate CA.",
		           p->arn, c->name, p->thumbprints.n, c->thumbprint);
	buf_addstr(&msg, " AWS validates EKS issuers against its own trusted CAs, so this matters only if the "
	                 "issuer's CA is not among them.");
	ev = json_object_new_object();
	list = json_object_new_array();
	for (size_t j = 0; j < p->thumbprints.n; j++)
		add_str(list, p->thumbprints.v[j]);
	json_object_object_add(ev, "providerArn", json_object_new_string(p->arn));
	json_object_object_add(ev, "thumbprintList", list);
	json_object_object_add(ev, "liveThumbprint", json_object_new_string(c->thumbprint));
	s.cluster = c->name;
	s.region = c->region;
	s.provider_arn = p->arn;
	add_buf(ctx, "IRSA003", &s, ev, &msg);
	return audit_ctx_failed(ctx) ? -1 : 0;
}

/* Whether an issuer host/path is an EKS one (oidc.eks.REGION.amazonaws.com/id/ID). */
static bool
eks_issuer(const char *hostpath)
{
	return hostpath != NULL && strncasecmp(hostpath, "oidc.eks.", 9) == 0 && strstr(hostpath, "/id/") != NULL;
}

/* Whether an issuer belongs to a cluster that exists: listed in the scanned
 * regions, or one of the audited clusters. */
static bool
issuer_live(const struct audit_input *in, const char *hostpath)
{
	for (size_t i = 0; i < in->live_issuers.n; i++)
		if (issuer_same(in->live_issuers.v[i], hostpath))
			return true;
	for (size_t i = 0; i < in->n_clusters; i++)
		if (issuer_same(in->clusters[i].issuer, hostpath))
			return true;
	return false;
}

/* IRSA004 for one role: its Allow statements naming a dead cluster's provider. */
static int
dead_statements(struct audit_ctx *ctx, const struct binding_role *br)
{
	struct json_object *stmts = NULL;
	struct audit_subject s = {0};
	struct buf msg;
	size_t n = 0;

	buf_init(&msg, 8192);
	for (size_t i = 0; br->trust != NULL && i < br->trust->n; i++) {
		const struct trust_statement *st = &br->trust->st[i];

		if (st->deny)
			continue;
		for (size_t e = 0; e < st->principal.n; e++) {
			if (strcmp(st->principal.e[e].type, "Federated") != 0)
				continue;
			for (size_t k = 0; k < st->principal.e[e].ids.n; k++) {
				const char *arn = st->principal.e[e].ids.v[k];
				const char *iss = trust_provider_issuer(arn);
				struct json_object *o;

				if (!eks_issuer(iss) || issuer_live(ctx->in, iss))
					continue;
				if (stmts == NULL)
					stmts = json_object_new_array();
				o = json_object_new_object();
				json_object_object_add(o, "statementIndex", json_object_new_int((int)i));
				if (st->sid != NULL)
					json_object_object_add(o, "sid", json_object_new_string(st->sid));
				json_object_object_add(o, "providerArn", json_object_new_string(arn));
				json_object_array_add(stmts, o);
				buf_printf(&msg, "%sstatement %zu", n++ == 0 ? "" : "; ", i);
				if (st->sid != NULL)
					buf_printf(&msg, " (Sid %s)", st->sid);
				buf_printf(&msg, " trusts %s", iss);
			}
		}
	}
	if (stmts == NULL) {
		buf_release(&msg);
		return 0;
	}
	{
		struct buf full;
		struct json_object *ev = json_object_new_object();

		buf_init(&full, 16384);
		buf_printf(&full,
		           "Role %s trusts the issuer of a cluster that no longer exists in the scanned regions: "
		           "%s. The dead statement(s) can be stripped.",
		           br->role->name, buf_cstr(&msg));
		buf_release(&msg);
		json_object_object_add(ev, "statements", stmts);
		s.role_arn = br->role->arn;
		add_buf(ctx, "IRSA004", &s, ev, &full);
	}
	return audit_ctx_failed(ctx) ? -1 : 0;
}

/* IRSA004, account-wide: providers and trust statements of deleted
 * clusters, and the provider count against its quota. */
static int
check_stale(struct audit_ctx *ctx)
{
	struct audit_ctx acct = *ctx;
	const struct audit_input *in = ctx->in;
	const char *unread = providers_unread(in);

	acct.cluster = NULL;
	if (!in->live_issuers_known)
		return audit_ctx_not_run(
		        &acct, "IRSA004",
		        "the clusters of every region were not listed, so which issuers are live is not known");
	if (unread != NULL)
		return audit_ctx_not_run(&acct, "IRSA004", unread);
	for (size_t i = 0; i < in->n_providers; i++) {
		const struct audit_provider *p = &in->providers[i];
		const char *iss = provider_issuer(p);
		struct audit_subject s = {0};
		struct json_object *ev;

		if (!eks_issuer(iss) || issuer_live(in, iss))
			continue;
		ev = json_object_new_object();
		json_object_object_add(ev, "providerArn", json_object_new_string(p->arn));
		json_object_object_add(ev, "issuer", json_object_new_string(iss));
		s.provider_arn = p->arn;
		audit_ctx_add(&acct, "IRSA004", -1, &s, ev,
		              "IAM OIDC provider %s is for the issuer %s, which no EKS cluster in the scanned regions "
		              "has: a leftover of a deleted cluster (it counts against the quota of %d).",
		              p->arn, iss, PROVIDER_QUOTA);
		if (audit_ctx_failed(ctx))
			return -1;
	}
	for (size_t i = 0; i < in->index.n; i++)
		if (dead_statements(&acct, &in->index.v[i]) != 0)
			return -1;
	if (in->n_providers >= PROVIDER_QUOTA_NEAR) {
		struct audit_subject s = {0};
		struct json_object *ev = json_object_new_object();

		json_object_object_add(ev, "providers", json_object_new_int((int)in->n_providers));
		json_object_object_add(ev, "quota", json_object_new_int(PROVIDER_QUOTA));
		audit_ctx_add(&acct, "IRSA004", -1, &s, ev,
		              "The account has %zu IAM OIDC providers of the %d allowed: delete the stale ones before "
		              "the next cluster needs one.",
		              in->n_providers, PROVIDER_QUOTA);
	}
	return audit_ctx_failed(ctx) ? -1 : 0;
}

int
audit_checks_provider(struct audit_ctx *ctx)
{
	const struct audit_cluster *c = ctx->cluster;

	if (ctx->first && audit_ctx_wants(ctx, "IRSA004") && check_stale(ctx) != 0)
		return -1;
	if (c == NULL)
		return 0;
	if (c->issuer == NULL || c->issuer[0] == '\0' || c->provider_arn == NULL) {
		static const char *const ids[] = {"IRSA001", "IRSA002", "IRSA003"};
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			if (audit_ctx_wants(ctx, ids[i]) &&
			    audit_ctx_not_run(ctx, ids[i],
			                      "the cluster's OIDC issuer is not known (DescribeCluster)") != 0)
				return -1;
		return 0;
	}
	if (audit_ctx_wants(ctx, "IRSA001") && check_missing_provider(ctx) != 0)
		return -1;
	if (audit_ctx_wants(ctx, "IRSA002") && check_client_ids(ctx) != 0)
		return -1;
	if (audit_ctx_wants(ctx, "IRSA003") && check_thumbprint(ctx) != 0)
		return -1;
	return audit_ctx_failed(ctx) ? -1 : 0;
}
