/* core/audit_fix.c - a finding's fix as a binding-engine plan (plan.h), so
 * that plan_apply() journals it and plan_rollback() undoes it: the OIDC
 * provider created or given the sts audience, a role's trust rewritten to
 * the exact service accounts (trust.h builders), extra principals removed,
 * a missing role created (plan_read() + plan_build()), annotations changed,
 * workloads restarted.
 *
 * Pure except where the fix needs live state (env given): a new provider's
 * thumbprint (oidc.h) when the audit did not read it, and a new role's
 * state (plan_read()). Trust rewrites take the trust the audit read as the
 * step's document_before, so plan_apply() stops on a trust changed since.
 * No printing. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "buf.h"
#include "export.h"
#include "iam.h"
#include "oidc.h"
#include "plan.h"
#include "trust.h"

#define FIX_TEXT_MAX (64 * 1024)
#define FIX_NONE     "-" /* a plan header field the fix has no value for */

/* What every builder works on. */
struct fix {
	const struct plan_env *env;
	const struct audit_input *in;
	const struct audit_cluster *c;
	const struct audit_finding *f;
	struct plan *p;
	struct irsa_error *err;
};

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, FIX_TEXT_MAX);
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* Replaces *dst with a copy of s (NULL stays NULL). Returns 0, or -1. */
static int
set_str(char **dst, const char *s)
{
	char *d = NULL;

	if (s != NULL && (d = strdup(s)) == NULL)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

static const struct audit_cluster *
find_cluster(const struct audit_input *in, const char *name)
{
	for (size_t i = 0; name != NULL && i < in->n_clusters; i++)
		if (in->clusters[i].name != NULL && strcmp(in->clusters[i].name, name) == 0)
			return &in->clusters[i];
	return NULL;
}

static const struct kube_object *
find_sa(const struct audit_cluster *c, const char *ns, const char *name)
{
	for (size_t i = 0; c->kube_known && ns != NULL && name != NULL && i < c->sas.n; i++)
		if (strcmp(c->sas.v[i].namespace, ns) == 0 && strcmp(c->sas.v[i].name, name) == 0)
			return &c->sas.v[i];
	return NULL;
}

/* "NS/SA" into its parts (copies, the caller frees). Returns 0, or -1 with
 * err set. */
static int
split_subject(const char *s, char **ns, char **sa, struct irsa_error *err)
{
	const char *slash = s != NULL ? strchr(s, '/') : NULL;

	*ns = *sa = NULL;
	if (slash == NULL || slash == s || slash[1] == '\0' || strchr(slash + 1, '/') != NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "fix subject \"%s\" is not NAMESPACE/NAME",
		                      s != NULL ? s : "");
	*ns = strndup(s, (size_t)(slash - s));
	*sa = strdup(slash + 1);
	if (*ns == NULL || *sa == NULL) {
		free(*ns);
		free(*sa);
		*ns = *sa = NULL;
		return irsa_error_oom(err);
	}
	return 0;
}

/* A role ARN's name and path ("/" or "/a/b/"). Returns 0, or -1 with err set. */
static int
role_name_path(const char *arn, char **name, char **path, struct irsa_error *err)
{
	const char *r = arn != NULL ? strstr(arn, ":role/") : NULL;
	const char *last;

	*name = *path = NULL;
	if (r == NULL || r[6] == '\0' || arn[strlen(arn) - 1] == '/')
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "\"%s\" is not an IAM role ARN",
		                      arn != NULL ? arn : "");
	r += 5; /* the '/' after "role" */
	last = strrchr(r, '/');
	*name = strdup(last + 1);
	*path = strndup(r, (size_t)(last - r) + 1);
	if (*name == NULL || *path == NULL) {
		free(*name);
		free(*path);
		*name = *path = NULL;
		return irsa_error_oom(err);
	}
	return 0;
}

/* The plan's header: where the fix applies and what it is about. ns, sa and
 * role_arn may be NULL (then FIX_NONE: the preview and the journal name
 * need every one). */
static int
plan_where(struct fix *x, const char *ns, const char *sa, const char *role_arn, bool role_exists)
{
	struct plan *p = x->p;
	const struct audit_cluster *c = x->c;
	char *name = NULL, *path = NULL;
	int rc;

	if (role_arn != NULL && role_name_path(role_arn, &name, &path, NULL) != 0)
		name = NULL;
	if (sa == NULL)
		ns = NULL; /* "NS/-" would read as a service account */
	rc = set_str(&p->cluster, c->name) | set_str(&p->region, c->region) | set_str(&p->context, c->context) |
	     set_str(&p->account, x->in->account) | set_str(&p->issuer, c->issuer) |
	     set_str(&p->provider_arn, c->provider_arn) | set_str(&p->ns, ns != NULL ? ns : FIX_NONE) |
	     set_str(&p->sa, sa != NULL ? sa : FIX_NONE) |
	     set_str(&p->role_arn, role_arn != NULL ? role_arn : FIX_NONE) |
	     set_str(&p->role_name, name != NULL ? name : FIX_NONE);
	free(name);
	free(path);
	if (rc != 0)
		return irsa_error_oom(x->err);
	p->role_exists = role_exists;
	/* A fix never creates the service account: "(to be created)" would mislead. */
	p->sa_exists = ns == NULL || sa == NULL || find_sa(c, ns, sa) != NULL;
	return 0;
}

static struct plan_step *
step_add(struct fix *x, enum plan_step_kind k)
{
	struct plan *p = x->p;
	struct plan_step *v = realloc(p->steps, (p->n + 1) * sizeof(*v));

	if (v == NULL) {
		irsa_error_oom(x->err);
		return NULL;
	}
	p->steps = v;
	memset(&v[p->n], 0, sizeof(v[p->n]));
	v[p->n].kind = k;
	return &v[p->n++];
}

static int
warn(struct fix *x, char *sentence)
{
	int rc = sentence == NULL || aws_strings_add(&x->p->warnings, sentence) != 0 ? -1 : 0;

	free(sentence);
	return rc == 0 ? 0 : irsa_error_oom(x->err);
}

/* --- the OIDC provider ---------------------------------------------------- */

static int
fix_create_provider(struct fix *x)
{
	const struct audit_cluster *c = x->c;
	struct oidc_discovery d;
	struct irsa_error e;
	struct plan_step *s;
	char *thumbprint = NULL, *why = NULL;

	if (c->issuer == NULL || c->provider_arn == NULL)
		return irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT,
		                      "cluster %s has no OIDC issuer to create a provider for", c->name);
	if (audit_input_provider(x->in, c->provider_arn) != NULL) {
		irsa_error_set(x->err, IRSA_ERR_CONFLICT, "the IAM OIDC provider %s exists already", c->provider_arn);
		return irsa_error_hint(x->err, "Run irsa audit again: the finding is out of date.");
	}
	if (plan_where(x, x->f->subject.ns, x->f->subject.sa, x->f->subject.role_arn, true) != 0)
		return -1;
	/* The thumbprint: the one the audit read, else read now (as plan_read() does). */
	if (c->thumbprint != NULL) {
		thumbprint = strdup(c->thumbprint);
	} else if (x->env != NULL) {
		struct oidc_options defaults;

		memset(&defaults, 0, sizeof(defaults));
		irsa_error_clear(&e);
		if (oidc_discover(c->issuer, x->env->oidc != NULL ? x->env->oidc : &defaults, &d, &e) == 0) {
			thumbprint = d.thumbprint;
			d.thumbprint = NULL;
		} else {
			char line[512];

			irsa_error_format(&e, line, sizeof(line));
			why = strdup(line);
		}
		oidc_discovery_release(&d);
	} else if (c->thumbprint_error != NULL) {
		why = strdup(c->thumbprint_error);
	} else {
		why = strdup("not read");
	}
	if ((s = step_add(x, PLAN_STEP_OIDC_PROVIDER)) == NULL)
		goto oom;
	s->thumbprint = thumbprint;
	thumbprint = NULL;
	s->provider_url = strdup(c->issuer);
	s->provider_arn = strdup(c->provider_arn);
	s->title = fmt("Create the IAM OIDC provider for %s's issuer", c->name);
	s->request = fmt("IAM CreateOpenIDConnectProvider Url=%s ClientIDList=%s%s%s", c->issuer, TRUST_AUDIENCE_STS,
	                 s->thumbprint != NULL ? " ThumbprintList=" : "", s->thumbprint != NULL ? s->thumbprint : "");
	if (s->provider_url == NULL || s->provider_arn == NULL || s->title == NULL || s->request == NULL ||
	    aws_tags_add(&s->tags, PLAN_TAG_MANAGED_BY, PLAN_TAG_MANAGED_VALUE) != 0 ||
	    aws_tags_add(&s->tags, PLAN_TAG_CLUSTER, c->name) != 0)
		goto oom;
	if (s->thumbprint == NULL &&
	    warn(x, fmt("The issuer's certificate could not be read (%s): the OIDC provider is created without a "
	                "thumbprint, and IAM checks the issuer's certificate itself.",
	                why != NULL ? why : "unknown error")) != 0) {
		free(why);
		return -1;
	}
	free(why);
	return 0;
oom:
	free(thumbprint);
	free(why);
	return irsa_error_oom(x->err);
}

static int
fix_add_client_id(struct fix *x)
{
	const struct audit_cluster *c = x->c;
	const char *aud = x->f->fix.audience;
	const char *arn = x->f->subject.provider_arn != NULL ? x->f->subject.provider_arn : c->provider_arn;
	const struct audit_provider *prov = arn != NULL ? audit_input_provider(x->in, arn) : NULL;
	struct plan_step *s;

	/* plan_apply() adds (and rollback removes) only sts.amazonaws.com. */
	if (aud != NULL && strcmp(aud, TRUST_AUDIENCE_STS) != 0) {
		irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT,
		               "irsa adds only the client ID %s to a provider; audience %s is manual",
		               TRUST_AUDIENCE_STS, aud);
		return irsa_error_hint(x->err,
		                       "aws iam add-client-id-to-open-id-connect-provider "
		                       "--open-id-connect-provider-arn %s --client-id %s",
		                       arn != NULL ? arn : "ARN", aud);
	}
	if (prov == NULL) {
		irsa_error_set(x->err, IRSA_ERR_NOT_FOUND, "the IAM OIDC provider %s was not found by the audit",
		               arn != NULL ? arn : "(none)");
		return irsa_error_hint(x->err, "Run irsa audit again: the finding is out of date.");
	}
	if (plan_where(x, x->f->subject.ns, x->f->subject.sa, x->f->subject.role_arn, true) != 0)
		return -1;
	for (size_t i = 0; i < prov->client_ids.n; i++)
		if (strcmp(prov->client_ids.v[i], TRUST_AUDIENCE_STS) == 0)
			return 0; /* there already: nothing to do */
	if ((s = step_add(x, PLAN_STEP_OIDC_CLIENT_ID)) == NULL)
		return -1;
	s->provider_url = c->issuer != NULL ? strdup(c->issuer) : fmt("https://%s", trust_provider_issuer(arn));
	s->provider_arn = strdup(arn);
	s->title = fmt("Add client ID %s to the IAM OIDC provider of %s", TRUST_AUDIENCE_STS, c->name);
	s->request = fmt("IAM AddClientIDToOpenIDConnectProvider OpenIDConnectProviderArn=%s ClientID=%s", arn,
	                 TRUST_AUDIENCE_STS);
	if (s->provider_url == NULL || s->provider_arn == NULL || s->title == NULL || s->request == NULL)
		return irsa_error_oom(x->err);
	return 0;
}

/* --- trust edits ------------------------------------------------------------ */

/* The role the finding is about, its trust as read, and a copy to edit. */
struct role_edit {
	const struct binding_role *br;
	struct trust *after;
	struct trust_sa *sas;
	char **names; /* the strings sas points into */
	size_t n;
};

static void
role_edit_release(struct role_edit *e)
{
	trust_free(e->after);
	for (size_t i = 0; i < 2 * e->n; i++)
		free(e->names[i]);
	free(e->names);
	free(e->sas);
	memset(e, 0, sizeof(*e));
}

/* The fix's subjects, or the finding's service account when it lists none. */
static int
edit_subjects(struct fix *x, struct role_edit *e)
{
	const struct audit_fix *fx = &x->f->fix;
	size_t n = fx->subjects.n;
	bool own = n == 0 && x->f->subject.ns != NULL && x->f->subject.sa != NULL;

	if (own)
		n = 1;
	if (n == 0)
		return irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT,
		                      "no service account of %s references role %s: no subject to admit", x->c->name,
		                      e->br->role->name);
	e->sas = calloc(n, sizeof(*e->sas));
	e->names = calloc(2 * n, sizeof(*e->names));
	if (e->sas == NULL || e->names == NULL)
		return irsa_error_oom(x->err);
	for (size_t i = 0; i < n; i++) {
		if (own) {
			e->names[0] = strdup(x->f->subject.ns);
			e->names[1] = strdup(x->f->subject.sa);
			if (e->names[0] == NULL || e->names[1] == NULL)
				return e->n = 1, irsa_error_oom(x->err);
		} else if (split_subject(fx->subjects.v[i], &e->names[2 * i], &e->names[2 * i + 1], x->err) != 0) {
			e->n = i;
			return -1;
		}
		e->n = i + 1;
		e->sas[i].ns = e->names[2 * i];
		e->sas[i].name = e->names[2 * i + 1];
	}
	return 0;
}

static int
edit_begin(struct fix *x, struct role_edit *e, bool need_subjects)
{
	const char *arn = x->f->subject.role_arn;

	memset(e, 0, sizeof(*e));
	if (!x->in->indexed)
		return irsa_error_set(x->err, IRSA_ERR_INTERNAL, "audit_fix_plan: the input is not indexed");
	if (arn == NULL || (e->br = audit_input_role(x->in, arn, NULL)) == NULL) {
		irsa_error_set(x->err, IRSA_ERR_NOT_FOUND, "role %s was not found by the audit",
		               arn != NULL ? arn : "(none)");
		return irsa_error_hint(x->err, "Run irsa audit again: the finding is out of date.");
	}
	if (e->br->trust == NULL || e->br->role->trust_policy == NULL) {
		irsa_error_set(x->err, IRSA_ERR_PARSE, "the trust policy of role %s does not parse: %s",
		               e->br->role->name, e->br->parse_error != NULL ? e->br->parse_error : "absent");
		return irsa_error_hint(x->err, "Correct it by hand (aws iam update-assume-role-policy).");
	}
	if ((e->after = trust_copy(e->br->trust, x->err)) == NULL)
		return -1;
	if (need_subjects && edit_subjects(x, e) != 0)
		return -1;
	return plan_where(x, x->f->subject.ns, x->f->subject.sa, e->br->role->arn, true);
}

/* After the edit: every subject must be admitted (a Deny would make the
 * fix pointless), and the trust must fit. Then the ROLE_TRUST step, with
 * the trust as the audit read it as its document_before; none when the
 * trust does not change. */
static int
edit_finish(struct fix *x, struct role_edit *e, const char *title)
{
	const struct aws_role *role = e->br->role;
	struct plan *p = x->p;
	struct plan_step *s;

	for (size_t i = 0; i < e->n; i++) {
		struct trust_request req = {x->c->provider_arn, e->sas[i].ns, e->sas[i].name, x->f->fix.audience};
		struct trust_eval ev;

		if (trust_evaluate(e->after, &req, &ev, x->err) != 0)
			return -1;
		if (ev.verdict != TRUST_ADMITTED) {
			irsa_error_set(x->err, IRSA_ERR_CONFLICT,
			               "the new trust policy of role %s would not admit %s/%s: %s", role->name,
			               e->sas[i].ns, e->sas[i].name, ev.why);
			return irsa_error_hint(x->err, "Remove or narrow the statement that denies it by hand.");
		}
	}
	p->trust_before = trust_to_json(e->br->trust);
	p->trust_after = trust_to_json(e->after);
	if (p->trust_before == NULL || p->trust_after == NULL)
		return irsa_error_oom(x->err);
	if (strcmp(p->trust_before, p->trust_after) == 0)
		return 0;
	if (trust_check_size(e->after, x->in->trust_quota, x->err) != 0) {
		irsa_error_prefix(x->err, "the trust policy of role %s", role->name);
		return -1;
	}
	if ((s = step_add(x, PLAN_STEP_ROLE_TRUST)) == NULL)
		return -1;
	s->role_name = strdup(role->name);
	s->document = strdup(p->trust_after);
	s->document_before = strdup(role->trust_policy);
	s->title = strdup(title);
	s->request = fmt("IAM UpdateAssumeRolePolicy RoleName=%s PolicyDocument=<trust policy>", role->name);
	if (s->role_name == NULL || s->document == NULL || s->document_before == NULL || s->title == NULL ||
	    s->request == NULL)
		return irsa_error_oom(x->err);
	return 0;
}

/* "sts:AssumeRoleWithWebIdentity" or a pattern that covers it, or the
 * sts:AssumeRole a federated principal cannot use (IRSA008). */
static bool
web_identity_action(const struct trust_statement *st)
{
	if (st->not_action.present)
		return false;
	for (size_t i = 0; i < st->action.n; i++)
		if (trust_like(st->action.v[i], TRUST_ACTION_WEB_ID, true) ||
		    strcasecmp(st->action.v[i], TRUST_ACTION_ASSUME) == 0)
			return true;
	return false;
}

/* Whether the Allow statement names the cluster's provider (or another
 * provider ARN of the same issuer) as Federated principal. */
static bool
names_cluster_provider(const struct trust_statement *st, const struct audit_cluster *c, const char *issuer)
{
	if (st->deny || st->principal.star)
		return false;
	for (size_t i = 0; i < st->principal.n; i++) {
		const struct trust_principal_entry *pe = &st->principal.e[i];

		if (strcasecmp(pe->type, "Federated") != 0)
			continue;
		for (size_t j = 0; j < pe->ids.n; j++) {
			const char *hp = trust_provider_issuer(pe->ids.v[j]);

			if (strcmp(pe->ids.v[j], c->provider_arn) == 0 || (hp != NULL && strcmp(hp, issuer) == 0))
				return true;
		}
	}
	return false;
}

/* A condition key on a token claim the rewrite replaces: "<issuer>:sub",
 * "<issuer>:aud", whatever the issuer (IRSA011's keys name another). */
static bool
claim_key(const char *key)
{
	const char *colon = strrchr(key, ':');

	return colon != NULL && colon != key &&
	       (strcasecmp(colon + 1, "sub") == 0 || strcasecmp(colon + 1, "aud") == 0);
}

static int
rewrite_statement(struct trust_statement *st, const char *issuer, const struct role_edit *e, const char *audience)
{
	struct trust_cond_key *k;
	bool again = true;
	char *key;

	/* Action: exactly web identity, as a string. */
	for (size_t i = 0; i < st->action.n; i++)
		free(st->action.v[i]);
	free(st->action.v);
	free(st->action.literal);
	memset(&st->action, 0, sizeof(st->action));
	if (trust_list_add(&st->action, TRUST_ACTION_WEB_ID) != 0)
		return -1;
	/* Every sub and aud condition goes, under any operator. */
	while (again) {
		again = false;
		for (size_t i = 0; i < st->n_cond && !again; i++)
			for (size_t j = 0; j < st->cond[i].n && !again; j++)
				if (claim_key(st->cond[i].keys[j].key)) {
					char *op = strdup(st->cond[i].op), *kk = strdup(st->cond[i].keys[j].key);

					if (op == NULL || kk == NULL) {
						free(op);
						free(kk);
						return -1;
					}
					trust_condition_remove(st, op, kk);
					free(op);
					free(kk);
					again = true;
				}
	}
	/* StringEquals sub = the subjects, aud = the audience. */
	if ((key = fmt("%s:sub", issuer)) == NULL || (k = trust_condition_add(st, "StringEquals", key)) == NULL) {
		free(key);
		return -1;
	}
	free(key);
	for (size_t i = 0; i < e->n; i++) {
		char *sub = trust_subject(e->sas[i].ns, e->sas[i].name);

		if (sub == NULL || trust_list_add(&k->values, sub) != 0) {
			free(sub);
			return -1;
		}
		free(sub);
	}
	if ((key = fmt("%s:aud", issuer)) == NULL || (k = trust_condition_add(st, "StringEquals", key)) == NULL) {
		free(key);
		return -1;
	}
	free(key);
	return trust_list_add(&k->values, audience != NULL ? audience : TRUST_AUDIENCE_STS);
}

static int
fix_rewrite_trust(struct fix *x)
{
	struct role_edit e;
	char *issuer = NULL, *title = NULL, *who = NULL;
	size_t n = 0;
	int rc = -1;

	if (edit_begin(x, &e, true) != 0)
		goto out;
	if (x->c->issuer == NULL || x->c->provider_arn == NULL) {
		irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT, "cluster %s has no OIDC issuer", x->c->name);
		goto out;
	}
	if ((issuer = trust_issuer_normalize(x->c->issuer)) == NULL) {
		irsa_error_oom(x->err);
		goto out;
	}
	for (size_t i = 0; i < e.after->n; i++) {
		struct trust_statement *st = &e.after->st[i];

		if (!names_cluster_provider(st, x->c, issuer) || !web_identity_action(st))
			continue;
		if (rewrite_statement(st, issuer, &e, x->f->fix.audience) != 0) {
			irsa_error_oom(x->err);
			goto out;
		}
		n++;
	}
	if (n == 0) {
		irsa_error_set(x->err, IRSA_ERR_CONFLICT,
		               "the trust policy of role %s has no web-identity statement for %s's provider to rewrite",
		               e.br->role->name, x->c->name);
		irsa_error_hint(x->err, "Run irsa audit again: the finding is out of date.");
		goto out;
	}
	who = e.n == 1 ? fmt("%s/%s", e.sas[0].ns, e.sas[0].name) : fmt("%zu service accounts", e.n);
	title = fmt("Rewrite the trust policy of role %s to admit only %s (%s:sub, aud %s)", e.br->role->name,
	            who != NULL ? who : "", x->c->name,
	            x->f->fix.audience != NULL ? x->f->fix.audience : TRUST_AUDIENCE_STS);
	if (who == NULL || title == NULL) {
		irsa_error_oom(x->err);
		goto out;
	}
	rc = edit_finish(x, &e, title);
out:
	free(issuer);
	free(title);
	free(who);
	role_edit_release(&e);
	return rc;
}

static int
fix_admit_sa(struct fix *x)
{
	struct role_edit e;
	char *title = NULL;
	int rc = -1;

	if (edit_begin(x, &e, true) != 0)
		goto out;
	if (x->c->provider_arn == NULL) {
		irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT, "cluster %s has no OIDC issuer", x->c->name);
		goto out;
	}
	if (trust_allow_service_accounts(e.after, x->c->provider_arn, x->c->issuer, e.sas, e.n, x->f->fix.audience,
	                                 x->err) != 0)
		goto out;
	title = e.n == 1 ? fmt("Update the trust policy of role %s to admit %s/%s in %s", e.br->role->name, e.sas[0].ns,
	                       e.sas[0].name, x->c->name)
	                 : fmt("Update the trust policy of role %s to admit %zu service accounts of %s",
	                       e.br->role->name, e.n, x->c->name);
	if (title == NULL) {
		irsa_error_oom(x->err);
		goto out;
	}
	rc = edit_finish(x, &e, title);
out:
	free(title);
	role_edit_release(&e);
	return rc;
}

/* Whether the statement trusts a principal other than a Federated one. */
static bool
other_principals(const struct trust_statement *st)
{
	if (st->principal.star || st->not_principal.present)
		return true;
	for (size_t i = 0; i < st->principal.n; i++)
		if (strcasecmp(st->principal.e[i].type, "Federated") != 0)
			return true;
	return false;
}

/* Removes the principal entries other than Federated; true when the
 * statement has no principal left (then the caller removes it). */
static bool
strip_principals(struct trust_statement *st)
{
	size_t k = 0;

	if (st->principal.star || st->not_principal.present)
		return true;
	for (size_t i = 0; i < st->principal.n; i++) {
		struct trust_principal_entry *pe = &st->principal.e[i];

		if (strcasecmp(pe->type, "Federated") == 0) {
			st->principal.e[k++] = *pe;
			continue;
		}
		free(pe->type);
		for (size_t j = 0; j < pe->ids.n; j++)
			free(pe->ids.v[j]);
		free(pe->ids.v);
		free(pe->ids.literal);
	}
	st->principal.n = k;
	return k == 0;
}

static int
fix_remove_statements(struct fix *x)
{
	struct role_edit e;
	char *title = NULL;
	size_t removed = 0;
	int rc = -1;

	if (edit_begin(x, &e, false) != 0)
		goto out;
	for (size_t i = e.after->n; i-- > 0;) {
		struct trust_statement *st = &e.after->st[i];

		if (st->deny || !other_principals(st))
			continue;
		if (strip_principals(st))
			trust_statement_remove(e.after, i);
		removed++;
	}
	/* What is left must still trust this cluster's provider, else the
	 * role would be no one's: that is a manual decision. */
	if (e.after->n == 0) {
		irsa_error_set(x->err, IRSA_ERR_CONFLICT,
		               "role %s trusts no web identity: removing its other principals would leave it unusable",
		               e.br->role->name);
		irsa_error_hint(x->err, "Split the role by hand, or delete it if nothing uses it.");
		goto out;
	}
	title = fmt("Remove the %zu statement%s of role %s's trust policy that trust principals other than web "
	            "identity",
	            removed, removed == 1 ? "" : "s", e.br->role->name);
	if (title == NULL) {
		irsa_error_oom(x->err);
		goto out;
	}
	rc = edit_finish(x, &e, title);
out:
	free(title);
	role_edit_release(&e);
	return rc;
}

/* --- the role, the service account, the workloads ------------------------- */

/* The state plan_read() would find, from what the audit read. */
static int
state_from_input(struct fix *x, const struct plan_choices *ch, struct plan_state *st)
{
	const struct audit_cluster *c = x->c;
	const struct audit_provider *prov = audit_input_provider(x->in, c->provider_arn);
	const struct kube_object *sa = find_sa(c, ch->ns, ch->sa);

	st->account = strdup(x->in->account);
	st->arn_prefix = strdup(x->in->arn_prefix != NULL ? x->in->arn_prefix : "arn:aws:");
	st->issuer = strdup(c->issuer);
	st->cluster_arn = strdup(c->arn);
	st->provider_arn = strdup(c->provider_arn);
	st->role_name = strdup(ch->role_name);
	st->role_exists = audit_input_role(x->in, x->f->subject.role_arn, NULL) != NULL;
	if (st->account == NULL || st->arn_prefix == NULL || st->issuer == NULL || st->cluster_arn == NULL ||
	    st->provider_arn == NULL || st->role_name == NULL)
		return irsa_error_oom(x->err);
	st->provider_exists = prov != NULL;
	for (size_t i = 0; prov != NULL && i < prov->client_ids.n; i++)
		st->provider_has_sts = st->provider_has_sts || strcmp(prov->client_ids.v[i], TRUST_AUDIENCE_STS) == 0;
	if (c->thumbprint != NULL && (st->thumbprint = strdup(c->thumbprint)) == NULL)
		return irsa_error_oom(x->err);
	if (c->thumbprint == NULL && (st->thumbprint_error = strdup("not read by the audit")) == NULL)
		return irsa_error_oom(x->err);
	st->trust_quota = x->in->trust_quota;
	st->attached_quota = x->in->attached_quota;
	if (sa != NULL) {
		st->sa_exists = true;
		if (kube_object_from_json(sa->obj, KUBE_SERVICE_ACCOUNT, &st->sa, x->err) != 0)
			return -1;
	}
	/* The workloads running as it, for the plan's "restart them" warning. */
	for (size_t i = 0; c->kube_known && i < c->workloads.n; i++) {
		const struct kube_object *w = &c->workloads.v[i];
		struct kube_object *v;

		if (w->service_account == NULL || strcmp(w->namespace, ch->ns) != 0 ||
		    strcmp(w->service_account, ch->sa) != 0)
			continue;
		if ((v = realloc(st->workloads.v, (st->workloads.n + 1) * sizeof(*v))) == NULL)
			return irsa_error_oom(x->err);
		st->workloads.v = v;
		if (kube_object_from_json(w->obj, w->kind, &v[st->workloads.n], x->err) != 0)
			return -1;
		st->workloads.n++;
	}
	return 0;
}

static int
fix_create_role(struct fix *x)
{
	const struct audit_subject *sj = &x->f->subject;
	struct plan_choices ch;
	struct plan_state st;
	char *name = NULL, *path = NULL;
	int rc;

	if (sj->ns == NULL || sj->sa == NULL)
		return irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT, "finding %s names no service account", x->f->ref);
	if (role_name_path(sj->role_arn, &name, &path, x->err) != 0)
		return -1;
	memset(&ch, 0, sizeof(ch));
	ch.cluster = x->c->name;
	ch.region = x->c->region;
	ch.context = x->c->context;
	ch.ns = sj->ns;
	ch.sa = sj->sa;
	ch.role_name = name;
	ch.role_path = path;
	plan_state_init(&st);
	if (x->env != NULL)
		rc = plan_read(x->env, &ch, &st, x->err);
	else
		rc = state_from_input(x, &ch, &st);
	if (rc == 0 && st.role_exists) {
		irsa_error_set(x->err, IRSA_ERR_CONFLICT, "role %s exists already", name);
		irsa_error_hint(x->err, "Run irsa audit again: the finding is out of date.");
		rc = -1;
	}
	if (rc == 0) {
		plan_release(x->p);
		rc = plan_build(&ch, &st, x->p, x->err);
	}
	plan_state_release(&st);
	free(name);
	free(path);
	return rc;
}

static int
fix_annotate(struct fix *x)
{
	const struct audit_fix *fx = &x->f->fix;
	const struct audit_subject *sj = &x->f->subject;
	const struct kube_object *sa = find_sa(x->c, sj->ns, sj->sa);
	struct plan_step *s = NULL;
	const char *role;

	if (sa == NULL) {
		irsa_error_set(x->err, IRSA_ERR_NOT_FOUND, "service account %s/%s was not found in %s by the audit",
		               sj->ns != NULL ? sj->ns : "", sj->sa != NULL ? sj->sa : "", x->c->name);
		return irsa_error_hint(x->err, "Run irsa audit again: the finding is out of date.");
	}
	/* The role the service account is bound to after the fix. */
	role = sj->role_arn != NULL ? sj->role_arn : binding_role_arn(sa);
	for (size_t i = 0; i < fx->n_annotations; i++)
		if (strcmp(fx->annotations[i].key, PLAN_ANN_ROLE_ARN) == 0)
			role = fx->annotations[i].value;
	if (plan_where(x, sj->ns, sj->sa, role, role == NULL || audit_input_role(x->in, role, NULL) != NULL) != 0)
		return -1;
	for (size_t i = 0; i < fx->n_annotations; i++) {
		const struct audit_annotation *a = &fx->annotations[i];
		const char *now = kube_object_annotation(sa, a->key);
		struct plan_annotation *v;

		if ((now == NULL && a->value == NULL) ||
		    (now != NULL && a->value != NULL && strcmp(now, a->value) == 0))
			continue;
		if (s == NULL) {
			if ((s = step_add(x, PLAN_STEP_SA_ANNOTATE)) == NULL)
				return -1;
			s->ns = strdup(sj->ns);
			s->name = strdup(sj->sa);
			if (s->ns == NULL || s->name == NULL)
				return irsa_error_oom(x->err);
		}
		if ((v = realloc(s->annotations, (s->n_annotations + 1) * sizeof(*v))) == NULL)
			return irsa_error_oom(x->err);
		s->annotations = v;
		v = &v[s->n_annotations++];
		memset(v, 0, sizeof(*v));
		if (set_str(&v->key, a->key) != 0 || set_str(&v->before, now) != 0 || set_str(&v->after, a->value) != 0)
			return irsa_error_oom(x->err);
	}
	if (s == NULL)
		return 0;
	s->title =
	        s->n_annotations == 1 && s->annotations[0].after == NULL
	                ? fmt("Remove annotation %s from service account %s/%s", s->annotations[0].key, sj->ns, sj->sa)
	        : s->n_annotations == 1
	                ? fmt("Set annotation %s of service account %s/%s", s->annotations[0].key, sj->ns, sj->sa)
	                : fmt("Change %zu annotations of service account %s/%s", s->n_annotations, sj->ns, sj->sa);
	s->request = fmt("PATCH /api/v1/namespaces/%s/serviceaccounts/%s (%s)", sj->ns, sj->sa, KUBE_MERGE_PATCH);
	if (s->title == NULL || s->request == NULL)
		return irsa_error_oom(x->err);
	return 0;
}

static int
fix_restart(struct fix *x)
{
	const struct audit_fix *fx = &x->f->fix;
	const struct audit_subject *sj = &x->f->subject;

	if (fx->workloads.n == 0)
		return irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT, "finding %s names no workload to restart",
		                      x->f->ref);
	if (plan_where(x, sj->ns, sj->sa, sj->role_arn,
	               sj->role_arn == NULL || audit_input_role(x->in, sj->role_arn, NULL) != NULL) != 0)
		return -1;
	for (size_t i = 0; i < fx->workloads.n; i++) {
		const char *w = fx->workloads.v[i], *s1 = strchr(w, '/'), *s2 = s1 != NULL ? strchr(s1 + 1, '/') : NULL;
		char *kind = s1 != NULL ? strndup(w, (size_t)(s1 - w)) : NULL;
		int k = kind != NULL ? plan_workload_parse(kind) : -1;
		struct plan_step *s;

		free(kind);
		if (k < 0 || s2 == NULL || s2 == s1 + 1 || s2[1] == '\0' || strchr(s2 + 1, '/') != NULL)
			return irsa_error_set(x->err, IRSA_ERR_INVALID_INPUT,
			                      "\"%s\" is not deployment|statefulset|daemonset/NAMESPACE/NAME", w);
		if ((s = step_add(x, PLAN_STEP_RESTART)) == NULL)
			return -1;
		s->workload = (enum kube_kind)k;
		s->ns = strndup(s1 + 1, (size_t)(s2 - s1 - 1));
		s->name = strdup(s2 + 1);
		if (s->ns == NULL || s->name == NULL)
			return irsa_error_oom(x->err);
		s->title = fmt("Restart %s %s/%s so its pods get the current binding", kube_resource(s->workload)->kind,
		               s->ns, s->name);
		s->request =
		        fmt("PATCH /apis/apps/v1/namespaces/%s/%s/%s?fieldManager=%s (%s)", s->ns,
		            kube_resource(s->workload)->plural, s->name, KUBE_ROLLOUT_MANAGER, KUBE_STRATEGIC_PATCH);
		if (s->title == NULL || s->request == NULL)
			return irsa_error_oom(x->err);
	}
	return 0;
}

/* --- entry -------------------------------------------------------------------- */

int
audit_fix_plan(const struct plan_env *env, const struct audit_input *in, const struct audit_finding *f,
               struct plan *out, struct irsa_error *err)
{
	struct fix x = {env, in, NULL, f, out, err};
	int rc;

	plan_init(out);
	if (f->fix.action == AUDIT_FIX_NONE || (unsigned)f->fix.action >= AUDIT_FIX_N_ACTIONS) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "finding %s has no fix irsa can apply", f->ref);
		return irsa_error_hint(err, "%s", f->check != NULL ? f->check->fix : "Fix it by hand.");
	}
	if ((x.c = find_cluster(in, f->subject.cluster)) == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "finding %s names no audited cluster (%s)", f->ref,
		                      f->subject.cluster != NULL ? f->subject.cluster : "none");
	switch (f->fix.action) {
	case AUDIT_FIX_CREATE_PROVIDER:
		rc = fix_create_provider(&x);
		break;
	case AUDIT_FIX_ADD_CLIENT_ID:
		rc = fix_add_client_id(&x);
		break;
	case AUDIT_FIX_REWRITE_TRUST:
		rc = fix_rewrite_trust(&x);
		break;
	case AUDIT_FIX_ADMIT_SA:
		rc = fix_admit_sa(&x);
		break;
	case AUDIT_FIX_REMOVE_STATEMENTS:
		rc = fix_remove_statements(&x);
		break;
	case AUDIT_FIX_CREATE_ROLE:
		rc = fix_create_role(&x);
		break;
	case AUDIT_FIX_ANNOTATE:
		rc = fix_annotate(&x);
		break;
	case AUDIT_FIX_RESTART:
		rc = fix_restart(&x);
		break;
	default:
		rc = irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown fix action %d", (int)f->fix.action);
		break;
	}
	for (size_t i = 0; rc == 0 && i < out->n; i++)
		if (out->steps[i].command == NULL &&
		    (out->steps[i].command = export_step_command(out, &out->steps[i])) == NULL)
			rc = irsa_error_oom(err);
	return rc;
}
