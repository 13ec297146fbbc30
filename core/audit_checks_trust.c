/* core/audit_checks_trust.c - audit group B, the IRSA trust policies of the
 * roles a cluster uses (../shared/design/audit-checks.md, IRSA005-014).
 *
 * A cluster uses a role when one of its service accounts references it
 * (eks.amazonaws.com/role-arn) or when the role's trust has an Allow
 * statement naming the cluster's OIDC provider in Principal.Federated (a
 * "web statement"). Each web statement is read for its shape: no sub (005),
 * a sub pattern wider than one account (006), a wildcard under StringEquals
 * (007), a weak operator or action (008), no aud (009), keys of another
 * issuer (011); the role as a whole for other issuers only (012), other
 * principals sharing it (013) and its size (014). Whether a referencing
 * service account is admitted is trust_evaluate()'s answer (010), reported
 * only when none of 007/008/011/012 already explains the denial; 005 takes
 * precedence over 006 and 009 for its statement. Detection does not depend
 * on the --check list; only what is reported does.
 *
 * Statement indexes are 0-based, as trust_evaluate() names them. Pure:
 * reads the audit input, adds findings; no I/O. */
#include "config.h"

#include "audit.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "trust.h"

#define LIST_MAX        5  /* names shown in a message before "and N more" */
#define SIZE_NEAR_PCT   80 /* IRSA014: minified trust at this share of the quota */
#define MANY_SUBJECTS   8  /* IRSA014: sub values in the trust (the EKS guide's practical maximum) */
#define MSG_MAX         (64 * 1024)
#define PROBE_NAMESPACE "irsa-audit-probe" /* a namespace no cluster has, to test patterns */

enum { C005, C006, C007, C008, C009, C011, C013, C014, N_ACC };
static const char *const acc_id[N_ACC] = {"IRSA005", "IRSA006", "IRSA007", "IRSA008",
                                          "IRSA009", "IRSA011", "IRSA013", "IRSA014"};

/* A service account of the cluster that references the role. */
struct ref {
	const struct kube_object *sa;
	const char *aud; /* its eks.amazonaws.com/audience, or NULL (sts.amazonaws.com) */
};

/* A role the cluster uses, and who in the cluster references it. */
struct use {
	bool used;
	struct ref *refs;
	size_t n, cap;
};

/* What one check found in one role, over its statements. */
struct acc {
	bool hit;
	int sev; /* -1: the catalog's */
	struct buf parts;
	struct json_object *stmts; /* [{statementIndex, sid, statement, ...}] */
};

/* One role being checked for one cluster. */
struct role_check {
	struct audit_ctx *ctx;
	const struct audit_cluster *c;
	const struct binding_role *br;
	const struct use *u;
	const char *provider; /* the cluster's provider ARN */
	const char *issuer;   /* its host/path */
	struct acc acc[N_ACC];
	size_t n_web, n_active,
	        n_weak_active;     /* web statements; covering web identity; of those with a weak operator */
	const char **literal_wild; /* IRSA007 values (borrowed from the trust) */
	size_t n_literal_wild;
};

/* --- small helpers ---------------------------------------------------------- */

static bool
list_covers(const struct trust_list *l, const char *action)
{
	for (size_t i = 0; i < l->n; i++)
		if (trust_like(l->v[i], action, true))
			return true;
	return false;
}

/* Whether the statement's Action (or NotAction) covers action. */
static bool
covers(const struct trust_statement *st, const char *action)
{
	bool ok;

	if (!st->action.present && !st->not_action.present)
		return false;
	ok = !st->action.present || list_covers(&st->action, action);
	if (st->not_action.present && list_covers(&st->not_action, action))
		ok = false;
	return ok;
}

static const struct trust_list *
federated(const struct trust_statement *st)
{
	for (size_t e = 0; e < st->principal.n; e++)
		if (strcmp(st->principal.e[e].type, "Federated") == 0)
			return &st->principal.e[e].ids;
	return NULL;
}

/* An Allow statement naming provider in Principal.Federated. */
static bool
web_statement(const struct trust_statement *st, const char *provider)
{
	return !st->deny && trust_statement_names(st, "Federated", provider);
}

/* A condition key naming an OIDC claim, "<issuer host/path>:<claim>": the
 * claim, and the prefix's length through *plen; NULL for other keys. */
static const char *
claim_of(const char *key, size_t *plen)
{
	const char *colon = strrchr(key, ':');

	if (colon == NULL || colon == key)
		return NULL;
	*plen = (size_t)(colon - key);
	if (memchr(key, '/', *plen) == NULL && memchr(key, '.', *plen) == NULL)
		return NULL;
	return colon + 1;
}

static bool
prefix_is(const char *key, size_t plen, const char *issuer)
{
	return issuer != NULL && strlen(issuer) == plen && strncasecmp(key, issuer, plen) == 0;
}

/* An operator's shape: qualifiers and the family of its base name. */
enum op_base { OP_EQ, OP_LIKE, OP_NEG, OP_NULL, OP_OTHER };
struct op_shape {
	bool for_all, for_any, if_exists;
	enum op_base base;
};

static struct op_shape
op_shape(const char *op)
{
	static const struct {
		const char *name;
		enum op_base base;
	} names[] = {
	        {"StringEquals", OP_EQ},
	        {"StringEqualsIgnoreCase", OP_EQ},
	        {"StringLike", OP_LIKE},
	        {"ArnLike", OP_LIKE},
	        {"ArnEquals", OP_LIKE},
	        {"StringNotEquals", OP_NEG},
	        {"StringNotEqualsIgnoreCase", OP_NEG},
	        {"StringNotLike", OP_NEG},
	        {"ArnNotEquals", OP_NEG},
	        {"ArnNotLike", OP_NEG},
	        {"Null", OP_NULL},
	};
	struct op_shape s = {false, false, false, OP_OTHER};
	size_t len;

	if (strncmp(op, "ForAllValues:", 13) == 0) {
		s.for_all = true;
		op += 13;
	} else if (strncmp(op, "ForAnyValue:", 12) == 0) {
		s.for_any = true;
		op += 12;
	}
	len = strlen(op);
	if (len > 8 && strcmp(op + len - 8, "IfExists") == 0) {
		s.if_exists = true;
		len -= 8;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len && strncmp(op, names[i].name, len) == 0)
			s.base = names[i].base;
	return s;
}

static bool
op_weak(const struct op_shape *s)
{
	return s->for_all || s->for_any || s->if_exists || s->base == OP_NEG || s->base == OP_NULL;
}

static bool
wildcard(const char *v)
{
	return strpbrk(v, "*?") != NULL;
}

/* IRSA006's severity for a sub pattern: critical when the pattern reaches
 * beyond one namespace (its literal part does not fix
 * "system:serviceaccount:NS:"), medium within one namespace. */
static int
pattern_severity(const char *pattern)
{
	size_t lit = strcspn(pattern, "*?"), plen = strlen(TRUST_SUB_PREFIX);

	if (lit > plen && strncmp(pattern, TRUST_SUB_PREFIX, plen) == 0 &&
	    memchr(pattern + plen, ':', lit - plen) != NULL)
		return AUDIT_SEV_MEDIUM;
	return AUDIT_SEV_CRITICAL;
}

/* The statement as JSON (canonical form), a new object or NULL. */
static struct json_object *
statement_json(const struct trust_statement *st)
{
	struct trust one = {0};
	struct json_object *doc, *s = NULL;
	char *text;

	one.st = (struct trust_statement *)st;
	one.n = one.cap = 1;
	one.statement_array = true;
	if ((text = trust_to_json_min(&one, NULL)) == NULL)
		return NULL;
	doc = json_tokener_parse(text);
	free(text);
	if (doc != NULL && json_object_object_get_ex(doc, "Statement", &s)) {
		if (json_object_is_type(s, json_type_array))
			s = json_object_array_get_idx(s, 0);
		s = json_object_get(s);
	}
	json_object_put(doc);
	return s;
}

static void
label(struct buf *b, const struct trust *t, size_t i)
{
	buf_printf(b, "statement %zu", i);
	if (t->st[i].sid != NULL && t->st[i].sid[0] != '\0')
		buf_printf(b, " (Sid %s)", t->st[i].sid);
}

static void
list_values(struct buf *b, const struct trust_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		buf_printf(b, "%s\"%s\"", i == 0 ? "" : ", ", l->v[i]);
}

static void
add_str(struct json_object *arr, const char *s)
{
	json_object_array_add(arr, json_object_new_string(s != NULL ? s : ""));
}

static struct json_object *
refs_json(const struct use *u)
{
	struct json_object *a = json_object_new_array();
	char name[512];

	for (size_t i = 0; u != NULL && i < u->n; i++) {
		snprintf(name, sizeof(name), "%s/%s", u->refs[i].sa->namespace, u->refs[i].sa->name);
		add_str(a, name);
	}
	return a;
}

static void
refs_text(struct buf *b, const struct use *u)
{
	for (size_t i = 0; i < u->n && i < LIST_MAX; i++)
		buf_printf(b, "%s%s/%s", i == 0 ? "" : ", ", u->refs[i].sa->namespace, u->refs[i].sa->name);
	if (u->n > LIST_MAX)
		buf_printf(b, " and %zu more", u->n - LIST_MAX);
}

/* Starts or continues check k's record for statement i; returns the part
 * buffer to describe it in, and the evidence object of the statement. */
static struct buf *
acc_part(struct role_check *rc, int k, size_t i, int sev, struct json_object **item)
{
	struct acc *a = &rc->acc[k];
	const struct trust *t = rc->br->trust;
	struct json_object *o = NULL;
	size_t n;

	if (!a->hit) {
		a->hit = true;
		a->sev = sev;
		buf_init(&a->parts, MSG_MAX);
		a->stmts = json_object_new_array();
	} else if (sev >= 0 && (a->sev < 0 || sev < a->sev)) {
		a->sev = sev;
	}
	n = json_object_array_length(a->stmts);
	for (size_t j = 0; j < n && o == NULL; j++) {
		struct json_object *x = json_object_array_get_idx(a->stmts, j), *idx;
		if (json_object_object_get_ex(x, "statementIndex", &idx) && json_object_get_int(idx) == (int)i)
			o = x;
	}
	if (o == NULL) {
		o = json_object_new_object();
		json_object_object_add(o, "statementIndex", json_object_new_int((int)i));
		if (t->st[i].sid != NULL)
			json_object_object_add(o, "sid", json_object_new_string(t->st[i].sid));
		json_object_object_add(o, "statement", statement_json(&t->st[i]));
		json_object_array_add(a->stmts, o);
		if (a->parts.len > 0)
			buf_addstr(&a->parts, "; ");
		label(&a->parts, t, i);
		buf_addstr(&a->parts, " ");
	} else {
		buf_addstr(&a->parts, ", and ");
	}
	if (item != NULL)
		*item = o;
	return &a->parts;
}

static void
acc_release(struct acc *a)
{
	if (!a->hit)
		return;
	buf_release(&a->parts);
	json_object_put(a->stmts);
	a->hit = false;
}

/* Fills the rewrite fix (subjects: the referencing service accounts). */
static int
fix_subjects(struct audit_ctx *ctx, struct audit_finding *f, enum audit_fix_action action, const char *summary,
             const struct ref *refs, size_t n)
{
	const char *aud = n > 0 ? refs[0].aud : NULL;
	char name[512];

	if (audit_fix_set(ctx, f, action, summary) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/%s", refs[i].sa->namespace, refs[i].sa->name);
		if (aws_strings_add(&f->fix.subjects, name) != 0)
			return irsa_error_oom(ctx->err), -1;
		if (aud != NULL && (refs[i].aud == NULL || strcmp(refs[i].aud, aud) != 0))
			aud = NULL; /* mixed audiences: the default; IRSA017 tells them apart */
	}
	if (aud != NULL && (f->fix.audience = strdup(aud)) == NULL)
		return irsa_error_oom(ctx->err), -1;
	return 0;
}

/* --- per statement ---------------------------------------------------------- */

/* IRSA005-009 and 011 for web statement i. */
static void
read_statement(struct role_check *rc, size_t i)
{
	const struct trust_statement *st = &rc->br->trust->st[i];
	const struct trust_list *fed = federated(st);
	bool active = covers(st, TRUST_ACTION_WEB_ID), has_sub = false, has_aud = false, weak_op = false;
	bool slash = false;
	size_t foreign = 0;
	struct json_object *item;
	struct buf *b;

	rc->n_web++;
	if (!active) {
		b = acc_part(rc, C008, i, -1, NULL);
		buf_addstr(b, "allows ");
		if (st->action.present)
			list_values(b, &st->action);
		else
			buf_addstr(b, st->not_action.present ? "every action but its NotAction" : "no action");
		buf_addstr(b, " to a Federated principal, which never matches " TRUST_ACTION_WEB_ID
		              " (the binding is broken)");
		return;
	}
	rc->n_active++;
	for (size_t a = 0; st->action.present && a < st->action.n; a++)
		if (wildcard(st->action.v[a]) && trust_like(st->action.v[a], TRUST_ACTION_WEB_ID, true)) {
			b = acc_part(rc, C008, i, -1, NULL);
			buf_printf(b, "allows Action \"%s\", wider than " TRUST_ACTION_WEB_ID, st->action.v[a]);
		}
	if (st->not_action.present) {
		b = acc_part(rc, C008, i, -1, NULL);
		buf_addstr(b, "uses NotAction, which allows every other action too");
	}
	for (size_t o = 0; o < st->n_cond; o++) {
		const struct trust_cond *cond = &st->cond[o];
		struct op_shape shape = op_shape(cond->op);

		for (size_t k = 0; k < cond->n; k++) {
			const struct trust_cond_key *key = &cond->keys[k];
			size_t plen;
			const char *claim = claim_of(key->key, &plen);
			bool sub, own, principal_issuer = false;

			if (claim == NULL || (strcasecmp(claim, "sub") != 0 && strcasecmp(claim, "aud") != 0))
				continue;
			sub = strcasecmp(claim, "sub") == 0;
			has_sub |= sub;
			has_aud |= !sub;
			own = prefix_is(key->key, plen, rc->issuer);
			for (size_t f = 0; fed != NULL && f < fed->n && !principal_issuer; f++)
				principal_issuer = prefix_is(key->key, plen, trust_provider_issuer(fed->v[f]));
			if (!principal_issuer) { /* IRSA011 */
				struct json_object *fk;

				b = acc_part(rc, C011, i, -1, &item);
				buf_printf(b, "checks %s %s", cond->op, key->key);
				if (!json_object_object_get_ex(item, "foreignKeys", &fk)) {
					fk = json_object_new_array();
					json_object_object_add(item, "foreignKeys", fk);
				}
				add_str(fk, key->key);
				foreign++;
				slash |= plen > 0 && key->key[plen - 1] == '/';
				continue;
			}
			if (!own)
				continue;      /* another provider of a multi-provider statement */
			if (op_weak(&shape)) { /* IRSA008 */
				weak_op = true;
				b = acc_part(rc, C008, i, -1, NULL);
				buf_printf(b, "checks %s with %s", claim, cond->op);
				if (shape.base == OP_NEG)
					buf_addstr(b, " (a negated operator admits every other token)");
				else if (shape.base == OP_NULL)
					buf_addstr(b, " (Null tests only whether the claim is present)");
				else if (shape.for_all)
					buf_addstr(b, " (ForAllValues: holds when the key is absent; it is meant for "
					              "multi-valued keys)");
				else if (shape.for_any)
					buf_addstr(b, " (ForAnyValue: is meant for multi-valued keys)");
				else
					buf_addstr(b, " (IfExists holds when the key is absent)");
			}
			if (sub && shape.base == OP_LIKE) { /* IRSA006 */
				for (size_t v = 0; v < key->values.n; v++) {
					const char *p = key->values.v[v];
					size_t n_sas = 0, admitted = 0;

					if (!wildcard(p))
						continue;
					b = acc_part(rc, C006, i, pattern_severity(p), &item);
					buf_printf(b, "admits sub \"%s\" with %s", p, cond->op);
					if (!json_object_object_get_ex(item, "patterns", NULL))
						json_object_object_add(item, "patterns", json_object_new_array());
					{
						struct json_object *pl, *adm = json_object_new_array();
						char name[512];

						json_object_object_get_ex(item, "patterns", &pl);
						add_str(pl, p);
						for (size_t s = 0; rc->c->kube_known && s < rc->c->sas.n; s++) {
							const struct kube_object *sa = &rc->c->sas.v[s];
							char *sub_s = trust_subject(sa->namespace, sa->name);
							n_sas++;
							if (sub_s != NULL && trust_like(p, sub_s, false)) {
								admitted++;
								snprintf(name, sizeof(name), "%s/%s", sa->namespace,
								         sa->name);
								add_str(adm, name);
							}
							free(sub_s);
						}
						if (rc->c->kube_known) {
							buf_printf(b,
							           ", which matches %zu of the cluster's %zu service "
							           "accounts",
							           admitted, n_sas);
							json_object_object_add(item, "admittedServiceAccounts", adm);
						} else {
							json_object_put(adm);
						}
					}
					buf_addstr(
					        b,
					        pattern_severity(p) == AUDIT_SEV_CRITICAL
					                ? " and any service account of any namespace created later"
					                : " and any service account created later in that namespace");
				}
			}
			if (shape.base == OP_EQ) { /* IRSA007 */
				for (size_t v = 0; v < key->values.n; v++) {
					const char **grown;

					if (!wildcard(key->values.v[v]))
						continue;
					b = acc_part(rc, C007, i, -1, NULL);
					buf_printf(b,
					           "checks %s %s \"%s\": '*' and '?' are literal there, so it matches "
					           "no token",
					           cond->op, claim, key->values.v[v]);
					grown = realloc(rc->literal_wild, (rc->n_literal_wild + 1) * sizeof(*grown));
					if (grown == NULL) {
						irsa_error_oom(rc->ctx->err);
						return;
					}
					rc->literal_wild = grown;
					rc->literal_wild[rc->n_literal_wild++] = key->values.v[v];
				}
			}
		}
	}
	if (foreign > 0) {
		b = &rc->acc[C011].parts;
		buf_printf(b, ": its Principal.Federated is %s, whose tokens carry %s:sub and %s:aud, not %s",
		           rc->provider, rc->issuer, rc->issuer, foreign > 1 ? "these keys" : "this key");
		if (slash)
			buf_addstr(b, " (a trailing '/' in the issuer makes a key never match)");
	}
	if (weak_op)
		rc->n_weak_active++;
	if (!has_sub) { /* IRSA005: takes precedence over 006 and 009 for this statement */
		b = acc_part(rc, C005, i, -1, NULL);
		buf_printf(b, "names %s with %s", rc->provider,
		           !st->has_condition || st->n_cond == 0 ? "no Condition at all"
		           : has_aud                             ? "no sub condition (only aud)"
		                                                 : "no sub condition (nor aud)");
		return;
	}
	if (!has_aud) { /* IRSA009 */
		b = acc_part(rc, C009, i, -1, NULL);
		buf_addstr(b, "checks sub but not aud");
	}
}

/* IRSA013 for statement i: an Allow statement naming non-federated principals. */
static void
read_sharing(struct role_check *rc, size_t i)
{
	const struct trust_statement *st = &rc->br->trust->st[i];
	bool scoped = false;
	struct buf *b = NULL;
	size_t n = 0;

	if (st->deny)
		return;
	for (size_t o = 0; o < st->n_cond; o++)
		for (size_t k = 0; k < st->cond[o].n; k++) {
			const char *key = st->cond[o].keys[k].key;
			if (strcasecmp(key, "aws:SourceAccount") == 0 || strcasecmp(key, "aws:SourceArn") == 0 ||
			    strcasecmp(key, "aws:SourceOrgID") == 0)
				scoped = true;
		}
	if (st->principal.star || st->not_principal.present) {
		b = acc_part(rc, C013, i, AUDIT_SEV_CRITICAL, NULL);
		buf_addstr(b, st->principal.star ? "allows Principal \"*\": anyone"
		                                 : "allows everyone but its NotPrincipal");
		return;
	}
	for (size_t e = 0; e < st->principal.n; e++) {
		const struct trust_principal_entry *pe = &st->principal.e[e];

		if (strcmp(pe->type, "Federated") == 0)
			continue;
		for (size_t v = 0; v < pe->ids.n; v++) {
			bool star = strcmp(pe->ids.v[v], "*") == 0;

			b = acc_part(rc, C013, i, star ? AUDIT_SEV_CRITICAL : AUDIT_SEV_HIGH, NULL);
			if (n++ > 0)
				buf_addstr(b, "also ");
			buf_printf(b, "allows %s \"%s\"%s", pe->type, pe->ids.v[v],
			           star                               ? " (anyone)"
			           : strcmp(pe->type, "Service") != 0 ? ""
			           : scoped ? " (scoped by aws:SourceAccount/SourceArn, yet sharing the role)"
			                    : " without aws:SourceAccount or aws:SourceArn (a confused deputy)");
		}
	}
}

/* --- per role --------------------------------------------------------------- */

static int
emit(struct role_check *rc, int k, const char *consequence, enum audit_fix_action action, const char *summary,
     const struct ref *fix_refs, size_t n_fix_refs)
{
	struct audit_ctx *ctx = rc->ctx;
	struct acc *a = &rc->acc[k];
	struct audit_subject s = {0};
	struct json_object *ev, *first, *x;
	struct audit_finding *f;
	struct buf msg;

	if (!a->hit || !audit_ctx_wants(ctx, acc_id[k]))
		return 0;
	buf_init(&msg, MSG_MAX);
	buf_printf(&msg, "Role %s: %s. %s", rc->br->role->name, buf_cstr(&a->parts), consequence);
	if (action != AUDIT_FIX_NONE && action != AUDIT_FIX_REMOVE_STATEMENTS && n_fix_refs == 0)
		buf_printf(&msg,
		           rc->c->kube_known
		                   ? " No service account of cluster %s references the role, so the subjects to "
		                     "pin are unknown: no automatic fix."
		                   : " The service accounts of cluster %s were not read, so the subjects to pin "
		                     "are unknown: no automatic fix.",
		           rc->c->name);
	else if (rc->u->n > 0) {
		buf_printf(&msg, " Referenced by ");
		refs_text(&msg, rc->u);
		buf_addstr(&msg, ".");
	}
	if (msg.failed) {
		buf_release(&msg);
		return irsa_error_oom(ctx->err), -1;
	}
	ev = json_object_new_object();
	json_object_object_add(ev, "roleArn", json_object_new_string(rc->br->role->arn));
	json_object_object_add(ev, "providerArn", json_object_new_string(rc->provider));
	first = json_object_array_get_idx(a->stmts, 0);
	if (json_object_object_get_ex(first, "statementIndex", &x))
		json_object_object_add(ev, "statementIndex", json_object_get(x));
	if (json_object_object_get_ex(first, "statement", &x))
		json_object_object_add(ev, "statement", json_object_get(x));
	json_object_object_add(ev, "statements", json_object_get(a->stmts));
	json_object_object_add(ev, "serviceAccounts", refs_json(rc->u));
	s.cluster = rc->c->name;
	s.region = rc->c->region;
	s.role_arn = rc->br->role->arn;
	f = audit_ctx_add(ctx, acc_id[k], a->sev, &s, ev, "%s", buf_cstr(&msg));
	buf_release(&msg);
	if (f == NULL || action == AUDIT_FIX_NONE)
		return audit_ctx_failed(ctx) ? -1 : 0;
	if (action == AUDIT_FIX_REMOVE_STATEMENTS)
		return audit_fix_set(ctx, f, action, summary);
	if (n_fix_refs == 0)
		return 0;
	return fix_subjects(ctx, f, action, summary, fix_refs, n_fix_refs);
}

/* IRSA014: the trust near its size quota, or many service accounts in it. */
static void
read_size(struct role_check *rc)
{
	const struct trust *t = rc->br->trust;
	long quota = rc->ctx->in->trust_quota > 0 ? rc->ctx->in->trust_quota : TRUST_SIZE_QUOTA_DEFAULT;
	size_t chars = 0, subs = 0;
	char *min = trust_to_json_min(t, &chars);
	struct json_object *o;
	struct buf *b;

	free(min);
	for (size_t i = 0; i < t->n; i++) {
		for (size_t o2 = 0; o2 < t->st[i].n_cond; o2++)
			for (size_t k = 0; k < t->st[i].cond[o2].n; k++) {
				size_t plen;
				const char *claim = claim_of(t->st[i].cond[o2].keys[k].key, &plen);
				if (claim != NULL && strcasecmp(claim, "sub") == 0)
					subs += t->st[i].cond[o2].keys[k].values.n;
			}
	}
	if ((long)chars * 100 < quota * SIZE_NEAR_PCT && subs < MANY_SUBJECTS)
		return;
	rc->acc[C014].hit = true;
	rc->acc[C014].sev = -1;
	buf_init(&rc->acc[C014].parts, MSG_MAX);
	b = &rc->acc[C014].parts;
	buf_printf(b, "its trust is %zu of the %ld characters allowed (%ld%%) and names %zu sub value(s)", chars, quota,
	           (long)chars * 100 / quota, subs);
	rc->acc[C014].stmts = json_object_new_array();
	o = json_object_new_object();
	json_object_object_add(o, "chars", json_object_new_int((int)chars));
	json_object_object_add(o, "quota", json_object_new_int((int)quota));
	json_object_object_add(o, "subValues", json_object_new_int((int)subs));
	json_object_array_add(rc->acc[C014].stmts, o);
}

/* Whether a more specific check explains why ref r is not admitted. */
static bool
explained(const struct role_check *rc, const struct ref *r, const struct trust_eval *ev)
{
	char *sub;
	bool yes = false;

	if (rc->n_web > 0 && rc->n_active == 0)
		return true; /* IRSA008: the action never matches */
	if (rc->acc[C011].hit && (ev->notes & TRUST_NOTE_OTHER_ISSUER))
		return true;
	if (rc->acc[C008].hit && rc->n_active > 0 && rc->n_weak_active == rc->n_active)
		return true;
	if ((sub = trust_subject(r->sa->namespace, r->sa->name)) == NULL)
		return false;
	for (size_t i = 0; i < rc->n_literal_wild && !yes; i++)
		yes = trust_like(rc->literal_wild[i], sub, false) ||
		      trust_like(rc->literal_wild[i], r->aud != NULL ? r->aud : TRUST_AUDIENCE_STS, false);
	free(sub);
	return yes;
}

/* IRSA010 for each referencing service account, IRSA012 for the role. */
static int
check_admission(struct role_check *rc)
{
	struct audit_ctx *ctx = rc->ctx;
	const struct trust *t = rc->br->trust;
	struct buf others;
	size_t n_others = 0;

	if (!rc->c->kube_known || rc->u->n == 0)
		return 0;
	buf_init(&others, MSG_MAX);
	for (size_t i = 0; rc->n_web == 0 && i < t->n; i++) {
		const struct trust_list *fed = t->st[i].deny ? NULL : federated(&t->st[i]);
		for (size_t f = 0; fed != NULL && f < fed->n; f++) {
			const char *iss = trust_provider_issuer(fed->v[f]);
			if (iss == NULL)
				continue;
			buf_printf(&others, "%s%s", n_others++ == 0 ? "" : ", ", iss);
			for (size_t c = 0; c < ctx->in->n_clusters; c++) {
				char *norm = trust_issuer_normalize(
				        ctx->in->clusters[c].issuer != NULL ? ctx->in->clusters[c].issuer : "");
				if (norm != NULL && strcasecmp(norm, iss) == 0)
					buf_printf(&others, " of cluster %s", ctx->in->clusters[c].name);
				free(norm);
			}
		}
	}
	if (n_others > 0) { /* IRSA012 */
		if (audit_ctx_wants(ctx, "IRSA012")) {
			struct audit_subject s = {0};
			struct json_object *ev = json_object_new_object();
			struct audit_finding *f;
			struct buf msg, sum;

			json_object_object_add(ev, "roleArn", json_object_new_string(rc->br->role->arn));
			json_object_object_add(ev, "providerArn", json_object_new_string(rc->provider));
			json_object_object_add(ev, "serviceAccounts", refs_json(rc->u));
			buf_init(&msg, MSG_MAX);
			buf_printf(&msg, "Role %s is referenced by ", rc->br->role->name);
			refs_text(&msg, rc->u);
			buf_printf(&msg,
			           " in cluster %s, but its trust names only other issuers (%s), not %s: their "
			           "tokens cannot assume it.",
			           rc->c->name, buf_cstr(&others), rc->issuer);
			buf_init(&sum, 4096);
			buf_printf(&sum, "Add a statement to role %s's trust for %s admitting its service accounts",
			           rc->br->role->name, rc->provider);
			s.cluster = rc->c->name;
			s.region = rc->c->region;
			s.role_arn = rc->br->role->arn;
			if (msg.failed || sum.failed) {
				json_object_put(ev);
				irsa_error_oom(ctx->err);
			} else if ((f = audit_ctx_add(ctx, "IRSA012", -1, &s, ev, "%s", buf_cstr(&msg))) != NULL) {
				fix_subjects(ctx, f, AUDIT_FIX_ADMIT_SA, buf_cstr(&sum), rc->u->refs, rc->u->n);
			}
			buf_release(&msg);
			buf_release(&sum);
		}
		buf_release(&others);
		return audit_ctx_failed(ctx) ? -1 : 0;
	}
	buf_release(&others);
	if (!audit_ctx_wants(ctx, "IRSA010"))
		return 0;
	for (size_t i = 0; i < rc->u->n; i++) {
		const struct ref *r = &rc->u->refs[i];
		struct trust_request req = {rc->provider, r->sa->namespace, r->sa->name, r->aud};
		struct trust_eval ev;
		struct irsa_error err;
		struct audit_subject s = {0};
		struct json_object *o;
		struct audit_finding *f;
		char sum[1024];

		irsa_error_clear(&err);
		if (trust_evaluate(t, &req, &ev, &err) != 0 || ev.verdict == TRUST_ADMITTED || explained(rc, r, &ev))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "roleArn", json_object_new_string(rc->br->role->arn));
		json_object_object_add(o, "providerArn", json_object_new_string(rc->provider));
		{
			char *sub = trust_subject(r->sa->namespace, r->sa->name);
			json_object_object_add(o, "subject", json_object_new_string(sub != NULL ? sub : ""));
			free(sub);
		}
		json_object_object_add(o, "audience",
		                       json_object_new_string(r->aud != NULL ? r->aud : TRUST_AUDIENCE_STS));
		json_object_object_add(o, "verdict",
		                       json_object_new_string(ev.verdict == TRUST_DENIED ? "denied" : "not admitted"));
		if (ev.statement >= 0) {
			json_object_object_add(o, "statementIndex", json_object_new_int(ev.statement));
			json_object_object_add(o, "statement", statement_json(&t->st[ev.statement]));
		}
		json_object_object_add(o, "why", json_object_new_string(ev.why));
		s.cluster = rc->c->name;
		s.region = rc->c->region;
		s.ns = (char *)r->sa->namespace;
		s.sa = (char *)r->sa->name;
		s.role_arn = rc->br->role->arn;
		f = audit_ctx_add(
		        ctx, "IRSA010", -1, &s, o,
		        "Service account %s/%s references role %s, whose trust does not admit it (STS answers "
		        "AccessDenied): %s.%s",
		        r->sa->namespace, r->sa->name, rc->br->role->name, ev.why,
		        (ev.notes & TRUST_NOTE_UNCERTAIN)
		                ? " (Uncertain: an operator or key irsa does not evaluate took part.)"
		                : "");
		snprintf(sum, sizeof(sum), "Add %s/%s to role %s's trust for %s", r->sa->namespace, r->sa->name,
		         rc->br->role->name, rc->provider);
		if (f != NULL && fix_subjects(ctx, f, AUDIT_FIX_ADMIT_SA, sum, r, 1) != 0)
			return -1;
		if (audit_ctx_failed(ctx))
			return -1;
	}
	return 0;
}

static int
check_role(struct audit_ctx *ctx, const struct binding_role *br, const struct use *u)
{
	struct role_check rc = {0};
	const struct trust *t = br->trust;
	char sum[1024], cons[1024];
	int rv = 0;

	rc.ctx = ctx;
	rc.c = ctx->cluster;
	rc.br = br;
	rc.u = u;
	rc.provider = ctx->cluster->provider_arn;
	rc.issuer = trust_provider_issuer(rc.provider);
	for (size_t i = 0; i < t->n; i++) {
		if (web_statement(&t->st[i], rc.provider))
			read_statement(&rc, i);
		read_sharing(&rc, i);
	}
	read_size(&rc);
	if (audit_ctx_failed(ctx))
		goto out;
	snprintf(sum, sizeof(sum),
	         "Rewrite role %s's trust for %s to StringEquals on the exact service accounts (and aud), Action "
	         "sts:AssumeRoleWithWebIdentity",
	         br->role->name, rc.provider);
	snprintf(cons, sizeof(cons),
	         "Every service account of cluster %s can assume it, so whoever can create a "
	         "token for any of them gets the role's permissions.",
	         rc.c->name);
	if (emit(&rc, C005, cons, AUDIT_FIX_REWRITE_TRUST, sum, u->refs, u->n) != 0)
		goto fail;
	if (emit(&rc, C006, "Every service account the pattern matches can assume it.", AUDIT_FIX_REWRITE_TRUST, sum,
	         u->refs, u->n) != 0 ||
	    emit(&rc, C007, "The binding is broken for the service accounts it was meant for.", AUDIT_FIX_REWRITE_TRUST,
	         sum, u->refs, u->n) != 0 ||
	    emit(&rc, C008, "Normalise it to StringEquals and Action " TRUST_ACTION_WEB_ID ".", AUDIT_FIX_REWRITE_TRUST,
	         sum, u->refs, u->n) != 0 ||
	    emit(&rc, C009, "The provider's ClientIDList still gates the audience, but the trust should pin it too.",
	         AUDIT_FIX_REWRITE_TRUST, sum, u->refs, u->n) != 0 ||
	    emit(&rc, C011,
	         "StringEquals on such keys denies every assume, and negated operators on them admit every token.",
	         AUDIT_FIX_REWRITE_TRUST, sum, u->refs, u->n) != 0)
		goto fail;
	snprintf(sum, sizeof(sum), "Remove the non-federated Allow statements from role %s's trust", br->role->name);
	if (emit(&rc, C013, "Those principals can assume the role and use the permissions the cluster's pods have.",
	         AUDIT_FIX_REMOVE_STATEMENTS, sum, NULL, 0) != 0 ||
	    emit(&rc, C014, "The next binding may fail with LimitExceeded: split the role or move to EKS Pod Identity.",
	         AUDIT_FIX_NONE, NULL, NULL, 0) != 0)
		goto fail;
	if (check_admission(&rc) != 0)
		goto fail;
	goto out;
fail:
	rv = -1;
out:
	for (int k = 0; k < N_ACC; k++)
		acc_release(&rc.acc[k]);
	free(rc.literal_wild);
	return rv != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

/* --- the group -------------------------------------------------------------- */

static const char *const group_ids[] = {"IRSA005", "IRSA006", "IRSA007", "IRSA008", "IRSA009",
                                        "IRSA010", "IRSA011", "IRSA012", "IRSA013", "IRSA014"};
#define N_GROUP (sizeof(group_ids) / sizeof(group_ids[0]))

static int
not_run_all(struct audit_ctx *ctx, const char *reason)
{
	for (size_t i = 0; i < N_GROUP; i++)
		if (audit_ctx_wants(ctx, group_ids[i]) && audit_ctx_not_run(ctx, group_ids[i], reason) != 0)
			return -1;
	return 0;
}

static int
use_add(struct use *u, const struct kube_object *sa)
{
	if (u->n == u->cap) {
		size_t cap = u->cap != 0 ? u->cap * 2 : 4;
		struct ref *v = realloc(u->refs, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		u->refs = v;
		u->cap = cap;
	}
	u->refs[u->n].sa = sa;
	u->refs[u->n].aud = kube_object_annotation(sa, BINDING_AUDIENCE_KEY);
	if (u->refs[u->n].aud != NULL && u->refs[u->n].aud[0] == '\0')
		u->refs[u->n].aud = NULL;
	u->n++;
	u->used = true;
	return 0;
}

int
audit_checks_trust(struct audit_ctx *ctx)
{
	const struct audit_cluster *c = ctx->cluster;
	struct audit_input *in = ctx->in;
	struct use *uses;
	bool any = false;
	int rv = 0;

	for (size_t i = 0; i < N_GROUP; i++)
		any |= audit_ctx_wants(ctx, group_ids[i]);
	if (c == NULL || !any)
		return 0;
	if (c->provider_arn == NULL || trust_provider_issuer(c->provider_arn) == NULL)
		return not_run_all(ctx, "the cluster's OIDC issuer is not known (DescribeCluster)");
	if (!c->kube_known) {
		char reason[1024];
		snprintf(reason, sizeof(reason), "its service accounts were not read%s%s",
		         c->kube_error != NULL ? ": " : "", c->kube_error != NULL ? c->kube_error : "");
		if ((audit_ctx_wants(ctx, "IRSA010") && audit_ctx_not_run(ctx, "IRSA010", reason) != 0) ||
		    (audit_ctx_wants(ctx, "IRSA012") && audit_ctx_not_run(ctx, "IRSA012", reason) != 0))
			return -1;
	}
	if (in->index.n == 0)
		return 0;
	if ((uses = calloc(in->index.n, sizeof(*uses))) == NULL)
		return irsa_error_oom(ctx->err), -1;
	for (size_t i = 0; c->kube_known && i < c->sas.n; i++) {
		const struct binding_role *br = audit_input_role(in, binding_role_arn(&c->sas.v[i]), NULL);
		if (br != NULL && use_add(&uses[br - in->index.v], &c->sas.v[i]) != 0) {
			rv = irsa_error_oom(ctx->err);
			goto out;
		}
	}
	for (size_t i = 0; i < in->index.n; i++) {
		const struct trust *t = in->index.v[i].trust;
		for (size_t j = 0; t != NULL && j < t->n && !uses[i].used; j++)
			uses[i].used = web_statement(&t->st[j], c->provider_arn);
	}
	for (size_t i = 0; i < in->index.n && rv == 0; i++) {
		const struct binding_role *br = &in->index.v[i];

		if (!uses[i].used)
			continue;
		if (br->trust == NULL) {
			char reason[1024];
			snprintf(reason, sizeof(reason), "the trust policy of role %s does not parse: %s",
			         br->role->name, br->parse_error != NULL ? br->parse_error : "(no reason)");
			rv = not_run_all(ctx, reason);
			continue;
		}
		rv = check_role(ctx, br, &uses[i]);
	}
out:
	for (size_t i = 0; i < in->index.n; i++)
		free(uses[i].refs);
	free(uses);
	return rv;
}
