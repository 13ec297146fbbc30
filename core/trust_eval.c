/* core/trust_eval.c - evaluating a trust policy for one request the way IAM
 * does: a statement applies when its principal, action and every condition
 * match; a Deny that applies overrides any Allow; no Allow is an implicit
 * deny. Says which statement decided and, when none admitted, why each
 * candidate did not. Implements the String*, Arn* and Null operators with
 * IfExists and ForAllValues:/ForAnyValue:; other operators count as not met
 * and mark the answer uncertain. Pure. */
#include "config.h"

#include "trust.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum match {
	MATCH_EQ,
	MATCH_EQ_NOCASE,
	MATCH_LIKE,
	MATCH_NULL,
	MATCH_UNSUPPORTED, /* numbers, dates, Bool, binary, IP addresses: not in an IRSA request */
};

struct op_info {
	const char *name;
	enum match match;
	bool negated;
};

/* IAM's operators; names are case-sensitive. ArnEquals takes wildcards as ArnLike does. */
static const struct op_info op_table[] = {
        {"StringEquals", MATCH_EQ, false},
        {"StringNotEquals", MATCH_EQ, true},
        {"StringEqualsIgnoreCase", MATCH_EQ_NOCASE, false},
        {"StringNotEqualsIgnoreCase", MATCH_EQ_NOCASE, true},
        {"StringLike", MATCH_LIKE, false},
        {"StringNotLike", MATCH_LIKE, true},
        {"ArnEquals", MATCH_LIKE, false},
        {"ArnLike", MATCH_LIKE, false},
        {"ArnNotEquals", MATCH_LIKE, true},
        {"ArnNotLike", MATCH_LIKE, true},
        {"Null", MATCH_NULL, false},
        {"NumericEquals", MATCH_UNSUPPORTED, false},
        {"NumericNotEquals", MATCH_UNSUPPORTED, true},
        {"NumericLessThan", MATCH_UNSUPPORTED, false},
        {"NumericLessThanEquals", MATCH_UNSUPPORTED, false},
        {"NumericGreaterThan", MATCH_UNSUPPORTED, false},
        {"NumericGreaterThanEquals", MATCH_UNSUPPORTED, false},
        {"DateEquals", MATCH_UNSUPPORTED, false},
        {"DateNotEquals", MATCH_UNSUPPORTED, true},
        {"DateLessThan", MATCH_UNSUPPORTED, false},
        {"DateLessThanEquals", MATCH_UNSUPPORTED, false},
        {"DateGreaterThan", MATCH_UNSUPPORTED, false},
        {"DateGreaterThanEquals", MATCH_UNSUPPORTED, false},
        {"Bool", MATCH_UNSUPPORTED, false},
        {"BinaryEquals", MATCH_UNSUPPORTED, false},
        {"IpAddress", MATCH_UNSUPPORTED, false},
        {"NotIpAddress", MATCH_UNSUPPORTED, true},
};
#define N_OPS (sizeof(op_table) / sizeof(op_table[0]))

enum set_qual {
	QUAL_NONE,
	QUAL_ALL, /* ForAllValues: */
	QUAL_ANY, /* ForAnyValue: */
};

/* An operator as written, taken apart. */
struct op {
	const struct op_info *info; /* NULL: unknown name */
	enum set_qual qual;
	bool if_exists;
};

static struct op
op_parse(const char *name)
{
	struct op op = {NULL, QUAL_NONE, false};
	char base[64];
	size_t len, i;

	if (strncmp(name, "ForAllValues:", 13) == 0) {
		op.qual = QUAL_ALL;
		name += 13;
	} else if (strncmp(name, "ForAnyValue:", 12) == 0) {
		op.qual = QUAL_ANY;
		name += 12;
	}
	len = strlen(name);
	if (len >= sizeof(base))
		return op;
	memcpy(base, name, len + 1);
	if (len > 8 && strcmp(base + len - 8, "IfExists") == 0) {
		op.if_exists = true;
		base[len - 8] = '\0';
	}
	for (i = 0; i < N_OPS; i++)
		if (strcmp(base, op_table[i].name) == 0)
			op.info = &op_table[i];
	if (op.info != NULL && op.info->match == MATCH_NULL && op.if_exists)
		op.info = NULL; /* there is no NullIfExists */
	return op;
}

/* A condition holds for the request in the IRSA sense: a positive test of the key's presence and value. */
static bool
op_is_positive(const struct op *op)
{
	return op->info != NULL && !op->info->negated && !op->if_exists && op->qual != QUAL_ALL &&
	       op->info->match != MATCH_NULL && op->info->match != MATCH_UNSUPPORTED;
}

/* The length of the UTF-8 character at s (1 for a stray byte). */
static size_t
utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	size_t i;

	for (i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

static bool
char_eq(char a, char b, bool nocase)
{
	if (nocase && (unsigned char)a < 0x80 && (unsigned char)b < 0x80)
		return tolower((unsigned char)a) == tolower((unsigned char)b);
	return a == b;
}

bool
trust_like(const char *pattern, const char *s, bool nocase)
{
	const char *p = pattern, *star_p = NULL, *star_s = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (*p == '?') {
			p++;
			s += utf8_len(s);
		} else if (*p != '\0' && char_eq(*p, *s, nocase)) {
			p++;
			s++;
		} else if (star_p != NULL) {
			p = star_p;
			star_s += utf8_len(star_s);
			s = star_s;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static bool
value_matches(enum match m, const char *policy, const char *value)
{
	switch (m) {
	case MATCH_EQ:
		return strcmp(policy, value) == 0;
	case MATCH_EQ_NOCASE:
		return strcasecmp(policy, value) == 0;
	case MATCH_LIKE:
		return trust_like(policy, value, false);
	default:
		return false;
	}
}

static const char *
context_value(const struct trust_context *ctx, const char *key)
{
	size_t i;

	for (i = 0; i < ctx->n_keys; i++)
		if (strcasecmp(ctx->keys[i].key, key) == 0)
			return ctx->keys[i].value;
	return NULL;
}

/* Whether key names an OIDC claim ("host/path:claim"); *prefix_len gets the length before the last ':'. */
static bool
issuer_key(const char *key, size_t *prefix_len)
{
	const char *colon = strrchr(key, ':');

	if (colon == NULL || colon == key)
		return false;
	*prefix_len = (size_t)(colon - key);
	return memchr(key, '/', *prefix_len) != NULL || memchr(key, '.', *prefix_len) != NULL;
}

/* Whether key is a claim of another issuer than the request's: surely absent. */
static bool
another_issuer(const struct trust_context *ctx, const char *key)
{
	size_t plen;

	return ctx->issuer != NULL && issuer_key(key, &plen) &&
	       !(plen == strlen(ctx->issuer) && strncasecmp(key, ctx->issuer, plen) == 0);
}

/* The key as a reason shows it: "sub" for the request issuer's own claims. */
static const char *
key_label(const struct trust_context *ctx, const char *key)
{
	size_t plen, ilen;

	if (ctx->issuer == NULL || !issuer_key(key, &plen))
		return key;
	ilen = strlen(ctx->issuer);
	return plen == ilen && strncasecmp(key, ctx->issuer, ilen) == 0 ? key + plen + 1 : key;
}

/* Appends printf output to the NUL-terminated s of size sz, truncating. */
static void __attribute__((format(printf, 3, 4))) append(char *s, size_t sz, const char *fmt, ...)
{
	size_t len = strlen(s);
	va_list ap;

	if (len + 1 >= sz)
		return;
	va_start(ap, fmt);
	vsnprintf(s + len, sz - len, fmt, ap);
	va_end(ap);
}

static void
append_values(char *s, size_t sz, const struct trust_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		append(s, sz, "%s%s", i ? ", " : "", l->v[i]);
}

static bool
has_wildcard(const struct trust_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strpbrk(l->v[i], "*?") != NULL)
			return true;
	return false;
}

/* One statement's outcome. */
struct st_eval {
	bool principal, action, conditions;
	bool uncertain;
	bool literal_wildcard;
	char why[400]; /* the first thing that did not match */
};

/* Whether one key of an operator holds; sets why when it does not. */
static bool
key_holds(const struct trust_context *ctx, const char *opname, const struct op *op, const struct trust_cond_key *k,
          struct st_eval *r)
{
	const char *value = context_value(ctx, k->key);
	const char *label = key_label(ctx, k->key);
	size_t i;
	bool any = false, holds;

	if (op->info == NULL) {
		r->uncertain = true;
		snprintf(r->why, sizeof(r->why), "unknown condition operator %s (operator names are case-sensitive)",
		         opname);
		return false;
	}
	if (value == NULL && !another_issuer(ctx, k->key))
		r->uncertain = true; /* a key this evaluation does not model: taken as absent */
	if (op->info->match == MATCH_NULL) {
		for (i = 0; i < k->values.n; i++)
			if (strcasecmp(k->values.v[i], value == NULL ? "true" : "false") == 0)
				any = true;
		if (!any)
			snprintf(r->why, sizeof(r->why), "%s is %s: Null %s", label,
			         value == NULL ? "absent" : "present", k->values.n ? k->values.v[0] : "");
		return any;
	}
	if (value == NULL) {
		holds = op->if_exists || op->qual == QUAL_ALL || (op->qual != QUAL_ANY && op->info->negated);
		if (!holds)
			snprintf(r->why, sizeof(r->why), "%s is not in the request%s, so %s does not match", label,
			         another_issuer(ctx, k->key) ? " (it names another issuer)" : "", opname);
		return holds;
	}
	if (op->info->match == MATCH_UNSUPPORTED) {
		r->uncertain = true;
		snprintf(r->why, sizeof(r->why), "%s on %s is not evaluated here; taken as not met", opname, label);
		return false;
	}
	for (i = 0; i < k->values.n; i++)
		if (value_matches(op->info->match, k->values.v[i], value))
			any = true;
	holds = op->info->negated ? !any : any;
	if (holds)
		return true;
	snprintf(r->why, sizeof(r->why), "%s %s: %s ", label, op->info->negated ? "matches" : "does not match", opname);
	append_values(r->why, sizeof(r->why), &k->values);
	if (op->info->match != MATCH_LIKE && !op->info->negated && has_wildcard(&k->values)) {
		r->literal_wildcard = true;
		append(r->why, sizeof(r->why), " ('*' and '?' are literal under %s; StringLike makes them a pattern)",
		       opname);
	}
	return false;
}

static bool
conditions_hold(const struct trust_statement *st, const struct trust_context *ctx, struct st_eval *r)
{
	size_t i, j;

	for (i = 0; i < st->n_cond; i++) {
		struct op op = op_parse(st->cond[i].op);

		for (j = 0; j < st->cond[i].n; j++)
			if (!key_holds(ctx, st->cond[i].op, &op, &st->cond[i].keys[j], r))
				return false;
	}
	return true;
}

static bool
principal_matches(const struct trust_principal *p, const struct trust_context *ctx)
{
	size_t i, j;

	if (p->star)
		return true;
	for (i = 0; i < p->n; i++) {
		const struct trust_principal_entry *e = &p->e[i];
		bool same_type = ctx->principal_type != NULL && strcmp(e->type, ctx->principal_type) == 0;

		for (j = 0; j < e->ids.n; j++) {
			const char *id = e->ids.v[j];

			if (strcmp(id, "*") == 0 && (same_type || strcmp(e->type, "AWS") == 0))
				return true; /* {"AWS": "*"} is everyone, as "*" is */
			if (same_type && ctx->principal != NULL &&
			    (strcmp(e->type, "Service") == 0 ? strcasecmp(id, ctx->principal) == 0
			                                     : strcmp(id, ctx->principal) == 0))
				return true;
		}
	}
	return false;
}

static bool
action_matches(const struct trust_list *l, const char *action)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (trust_like(l->v[i], action, true))
			return true;
	return false;
}

static void
statement_eval(const struct trust_statement *st, const struct trust_context *ctx, struct st_eval *r)
{
	memset(r, 0, sizeof(*r));
	if (st->principal.present)
		r->principal = principal_matches(&st->principal, ctx);
	if (st->not_principal.present)
		r->principal =
		        (st->principal.present ? r->principal : true) && !principal_matches(&st->not_principal, ctx);
	if (!r->principal) {
		snprintf(r->why, sizeof(r->why), "%s does not name %s", st->principal.present ? "its Principal" : "it",
		         ctx->principal != NULL ? ctx->principal : "the principal");
		return;
	}
	if (st->action.present)
		r->action = action_matches(&st->action, ctx->action);
	if (st->not_action.present)
		r->action = (st->action.present ? r->action : true) && !action_matches(&st->not_action, ctx->action);
	if (!r->action) {
		snprintf(r->why, sizeof(r->why), "its %s does not cover %s",
		         st->action.present       ? "Action"
		         : st->not_action.present ? "NotAction"
		                                  : "missing Action",
		         ctx->action);
		if (st->action.present) {
			append(r->why, sizeof(r->why), " (it allows ");
			append_values(r->why, sizeof(r->why), &st->action);
			append(r->why, sizeof(r->why), ")");
		}
		return;
	}
	r->conditions = conditions_hold(st, ctx, r);
}

/* "statement 2 (Sid X)" */
static void
append_statement(char *s, size_t sz, const struct trust *t, size_t i)
{
	append(s, sz, "statement %zu", i);
	if (t->st[i].sid != NULL && t->st[i].sid[0] != '\0')
		append(s, sz, " (Sid %s)", t->st[i].sid);
}

void
trust_evaluate_context(const struct trust *t, const struct trust_context *ctx, struct trust_eval *out)
{
	struct st_eval r;
	int allow = -1, deny = -1;
	size_t i, candidates = 0;
	char reasons[sizeof(out->why)] = "";

	memset(out, 0, sizeof(*out));
	out->statement = -1;
	for (i = 0; i < t->n; i++) {
		statement_eval(&t->st[i], ctx, &r);
		if (r.uncertain)
			out->notes |= TRUST_NOTE_UNCERTAIN;
		if (r.literal_wildcard)
			out->notes |= TRUST_NOTE_LITERAL_WILDCARD;
		if (r.principal && r.action && r.conditions) {
			if (t->st[i].deny && deny < 0)
				deny = (int)i;
			if (!t->st[i].deny && allow < 0)
				allow = (int)i;
			continue;
		}
		if (t->st[i].deny || !r.principal)
			continue;
		append(reasons, sizeof(reasons), "%s", candidates++ ? "; " : "");
		append_statement(reasons, sizeof(reasons), t, i);
		append(reasons, sizeof(reasons), ": %s", r.why);
	}
	out->statement = deny >= 0 ? deny : allow;
	out->verdict = deny >= 0 ? TRUST_DENIED : allow >= 0 ? TRUST_ADMITTED : TRUST_NOT_ADMITTED;
	if (out->statement >= 0) {
		out->sid = t->st[out->statement].sid;
		append_statement(out->why, sizeof(out->why), t, (size_t)out->statement);
		append(out->why, sizeof(out->why),
		       deny >= 0 ? " denies it (a Deny overrides every Allow)" : " allows it");
	} else if (candidates > 0) {
		snprintf(out->why, sizeof(out->why), "%s", reasons);
	} else {
		snprintf(out->why, sizeof(out->why), "no Allow statement names %s for %s",
		         ctx->principal != NULL ? ctx->principal : "the principal", ctx->action);
	}
}

/* Facts about the statements that name the provider. */
static unsigned
irsa_notes(const struct trust *t, const struct trust_context *ctx, int admitting)
{
	size_t ilen = strlen(ctx->issuer), plen, i, j, k;
	unsigned notes = 0;
	bool sub = false, aud = false;

	for (i = 0; i < t->n; i++) {
		const struct trust_statement *st = &t->st[i];

		if (st->deny || !principal_matches(&st->principal, ctx))
			continue;
		for (j = 0; j < st->n_cond; j++) {
			struct op op = op_parse(st->cond[j].op);

			for (k = 0; k < st->cond[j].n; k++) {
				const struct trust_cond_key *key = &st->cond[j].keys[k];
				const char *claim;

				if (!issuer_key(key->key, &plen))
					continue;
				claim = key->key + plen + 1;
				if (strcasecmp(claim, "sub") != 0 && strcasecmp(claim, "aud") != 0)
					continue;
				if (plen != ilen || strncasecmp(key->key, ctx->issuer, ilen) != 0) {
					notes |= TRUST_NOTE_OTHER_ISSUER;
					continue;
				}
				if (op.info != NULL && op.info->match == MATCH_EQ && has_wildcard(&key->values))
					notes |= TRUST_NOTE_LITERAL_WILDCARD;
				if ((int)i == admitting && op_is_positive(&op)) {
					sub |= strcasecmp(claim, "sub") == 0;
					aud |= strcasecmp(claim, "aud") == 0;
				}
			}
		}
	}
	if (admitting >= 0 && !sub)
		notes |= TRUST_NOTE_NO_SUB;
	if (admitting >= 0 && !aud)
		notes |= TRUST_NOTE_NO_AUD;
	return notes;
}

int
trust_evaluate(const struct trust *t, const struct trust_request *req, struct trust_eval *out, struct irsa_error *err)
{
	const char *issuer = trust_provider_issuer(req->provider_arn);
	const char *aud = req->audience != NULL ? req->audience : TRUST_AUDIENCE_STS;
	char sub_key[512], aud_key[512], *sub;
	struct trust_context_key keys[2];
	struct trust_context ctx;
	char why[sizeof(out->why)];

	memset(out, 0, sizeof(*out));
	out->statement = -1;
	if (issuer == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "%s is not an IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/ISSUER)",
		                      req->provider_arn != NULL ? req->provider_arn : "(none)");
	if (req->ns == NULL || req->ns[0] == '\0' || req->sa == NULL || req->sa[0] == '\0')
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "a namespace and a service account name are needed");
	if (strlen(issuer) + 5 > sizeof(sub_key))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the OIDC provider ARN is too long");
	sub = trust_subject(req->ns, req->sa);
	if (sub == NULL)
		return irsa_error_oom(err);
	snprintf(sub_key, sizeof(sub_key), "%s:sub", issuer);
	snprintf(aud_key, sizeof(aud_key), "%s:aud", issuer);
	keys[0] = (struct trust_context_key){sub_key, sub};
	keys[1] = (struct trust_context_key){aud_key, aud};
	ctx = (struct trust_context){"Federated", req->provider_arn, TRUST_ACTION_WEB_ID, keys, 2, issuer};
	trust_evaluate_context(t, &ctx, out);
	out->notes |= irsa_notes(t, &ctx, out->verdict == TRUST_ADMITTED ? out->statement : -1);
	if (out->verdict == TRUST_ADMITTED) {
		snprintf(why, sizeof(why), "%s", out->why);
		out->why[0] = '\0';
		append(out->why, sizeof(out->why), "%s (audience %s): %s", sub, aud, why);
		if (out->notes & TRUST_NOTE_NO_SUB)
			append(out->why, sizeof(out->why),
			       "; it does not check sub, so it admits every service account of the cluster");
	} else {
		snprintf(why, sizeof(why), "%s", out->why);
		out->why[0] = '\0';
		append(out->why, sizeof(out->why), "%s (audience %s) is %s: %s", sub, aud,
		       out->verdict == TRUST_DENIED ? "denied" : "not admitted", why);
	}
	free(sub);
	return 0;
}
