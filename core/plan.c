/* core/plan.c - the plan's life cycle and plan_build(): from the choices and
 * the state plan_read() found, the ordered steps that bind the service
 * account, leaving out every step that would change nothing. Pure: no I/O
 * (see plan.h). */
#include "config.h"

#include "plan.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "export.h"

#define PLAN_TEXT_MAX (64 * 1024) /* a title, request or warning */

static const char *const step_names[PLAN_STEP_N_KINDS] = {
        [PLAN_STEP_OIDC_PROVIDER] = "oidc-provider", [PLAN_STEP_OIDC_CLIENT_ID] = "oidc-client-id",
        [PLAN_STEP_ROLE_CREATE] = "role-create",     [PLAN_STEP_ROLE_TRUST] = "role-trust",
        [PLAN_STEP_POLICY_ATTACH] = "policy-attach", [PLAN_STEP_SA_CREATE] = "sa-create",
        [PLAN_STEP_SA_ANNOTATE] = "sa-annotate",     [PLAN_STEP_RESTART] = "restart",
};

const char *
plan_step_kind_name(enum plan_step_kind k)
{
	if ((unsigned)k >= PLAN_STEP_N_KINDS)
		return "unknown";
	return step_names[k];
}

int
plan_step_kind_parse(const char *name)
{
	for (int i = 0; i < PLAN_STEP_N_KINDS; i++)
		if (name != NULL && strcmp(name, step_names[i]) == 0)
			return i;
	return -1;
}

static const char *const workload_names[KUBE_N_KINDS] = {
        [KUBE_DEPLOYMENT] = "deployment",
        [KUBE_STATEFULSET] = "statefulset",
        [KUBE_DAEMONSET] = "daemonset",
};

const char *
plan_workload_name(enum kube_kind k)
{
	if ((unsigned)k >= KUBE_N_KINDS)
		return NULL;
	return workload_names[k];
}

int
plan_workload_parse(const char *name)
{
	for (int i = 0; i < KUBE_N_KINDS; i++)
		if (name != NULL && workload_names[i] != NULL && strcmp(name, workload_names[i]) == 0)
			return i;
	return -1;
}

void
plan_state_init(struct plan_state *st)
{
	memset(st, 0, sizeof(*st));
}

void
plan_state_release(struct plan_state *st)
{
	free(st->account);
	free(st->arn_prefix);
	free(st->issuer);
	free(st->cluster_arn);
	free(st->provider_arn);
	free(st->thumbprint);
	free(st->thumbprint_error);
	free(st->role_name);
	aws_role_release(&st->role);
	free(st->trust_text);
	aws_strings_release(&st->attached);
	kube_object_release(&st->sa);
	kube_object_list_release(&st->workloads);
	memset(st, 0, sizeof(*st));
}

void
plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

static void
annotations_free(struct plan_annotation *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].key);
		free(a[i].before);
		free(a[i].after);
	}
	free(a);
}

static void
step_release(struct plan_step *s)
{
	free(s->title);
	free(s->request);
	free(s->command);
	free(s->provider_url);
	free(s->provider_arn);
	free(s->thumbprint);
	free(s->role_name);
	free(s->role_path);
	free(s->document);
	free(s->document_before);
	free(s->policy_arn);
	free(s->ns);
	free(s->name);
	annotations_free(s->annotations, s->n_annotations);
	aws_tags_release(&s->tags);
	memset(s, 0, sizeof(*s));
}

void
plan_release(struct plan *p)
{
	free(p->cluster);
	free(p->region);
	free(p->context);
	free(p->account);
	free(p->issuer);
	free(p->provider_arn);
	free(p->ns);
	free(p->sa);
	free(p->role_name);
	free(p->role_arn);
	free(p->trust_before);
	free(p->trust_after);
	aws_strings_release(&p->policies);
	annotations_free(p->annotations, p->n_annotations);
	for (size_t i = 0; i < p->n; i++)
		step_release(&p->steps[i]);
	free(p->steps);
	aws_strings_release(&p->warnings);
	memset(p, 0, sizeof(*p));
}

/* --- plan_build ------------------------------------------------------------- */

static char *
xstrdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* Appends an empty step of kind k; NULL when out of memory. */
static struct plan_step *
step_add(struct plan *p, enum plan_step_kind k)
{
	struct plan_step *v = realloc(p->steps, (p->n + 1) * sizeof(*v));

	if (v == NULL)
		return NULL;
	p->steps = v;
	memset(&v[p->n], 0, sizeof(v[p->n]));
	v[p->n].kind = k;
	return &v[p->n++];
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, PLAN_TEXT_MAX);
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	return buf_detach(&b);
}

static int
annotation_add(struct plan_annotation **v, size_t *n, const char *key, const char *before, const char *after)
{
	struct plan_annotation *a = realloc(*v, (*n + 1) * sizeof(**v));

	if (a == NULL)
		return -1;
	*v = a;
	a = &a[(*n)++];
	a->key = strdup(key);
	a->before = xstrdup(before);
	a->after = xstrdup(after);
	if (a->key == NULL || (before != NULL && a->before == NULL) || (after != NULL && a->after == NULL))
		return -1;
	return 0;
}

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
tags_add(struct aws_tags *t, const struct plan *p)
{
	char *sa = fmt("%s/%s", p->ns, p->sa);
	int rc = -1;

	if (sa != NULL && aws_tags_add(t, PLAN_TAG_MANAGED_BY, PLAN_TAG_MANAGED_VALUE) == 0 &&
	    aws_tags_add(t, PLAN_TAG_CLUSTER, p->cluster) == 0 && aws_tags_add(t, PLAN_TAG_SERVICEACCOUNT, sa) == 0)
		rc = 0;
	free(sa);
	return rc;
}

static int
build_where(const struct plan_choices *ch, const struct plan_state *st, struct plan *p, struct irsa_error *err)
{
	const char *path = ch->role_path != NULL ? ch->role_path : "/";

	p->cluster = xstrdup(ch->cluster);
	p->region = xstrdup(ch->region);
	p->context = xstrdup(ch->context);
	p->account = xstrdup(st->account);
	p->issuer = xstrdup(st->issuer);
	p->provider_arn = xstrdup(st->provider_arn);
	p->ns = xstrdup(ch->ns);
	p->sa = xstrdup(ch->sa);
	p->role_name = xstrdup(st->role_name);
	p->role_exists = st->role_exists;
	p->sa_exists = st->sa_exists;
	if (st->role_exists && st->role.arn != NULL)
		p->role_arn = strdup(st->role.arn);
	else
		p->role_arn = fmt("%siam::%s:role%s%s", st->arn_prefix, st->account, path, st->role_name);
	if (p->cluster == NULL || p->region == NULL || (ch->context != NULL && p->context == NULL) ||
	    p->account == NULL || p->issuer == NULL || p->provider_arn == NULL || p->ns == NULL || p->sa == NULL ||
	    p->role_name == NULL || p->role_arn == NULL)
		return irsa_error_oom(err);
	if (ch->role_arn != NULL && !st->role_exists) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "role %s does not exist", ch->role_arn);
		return irsa_error_hint(err, "Give an existing role's ARN, or --role-name NAME to create a new role.");
	}
	if (ch->role_arn != NULL && strcmp(ch->role_arn, p->role_arn) != 0) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "role %s is not the role IAM has under that name (%s)",
		               ch->role_arn, p->role_arn);
		return irsa_error_hint(err, "Check the account and path in --role-arn: irsa binds roles of the account "
		                            "its credentials belong to.");
	}
	return 0;
}

static int
warn(struct plan *p, char *sentence)
{
	if (sentence == NULL || aws_strings_add(&p->warnings, sentence) != 0) {
		free(sentence);
		return -1;
	}
	free(sentence);
	return 0;
}

static int
build_provider(const struct plan_state *st, struct plan *p, struct irsa_error *err)
{
	struct plan_step *s;

	if (st->provider_exists && st->provider_has_sts)
		return 0;
	if ((s = step_add(p, st->provider_exists ? PLAN_STEP_OIDC_CLIENT_ID : PLAN_STEP_OIDC_PROVIDER)) == NULL)
		return irsa_error_oom(err);
	s->provider_url = xstrdup(st->issuer);
	s->provider_arn = xstrdup(st->provider_arn);
	if (s->provider_url == NULL || s->provider_arn == NULL)
		return irsa_error_oom(err);
	if (st->provider_exists) {
		s->title = fmt("Add client ID %s to the IAM OIDC provider of %s", TRUST_AUDIENCE_STS, p->cluster);
		s->request = fmt("IAM AddClientIDToOpenIDConnectProvider OpenIDConnectProviderArn=%s ClientID=%s",
		                 st->provider_arn, TRUST_AUDIENCE_STS);
	} else {
		if (st->thumbprint != NULL && (s->thumbprint = strdup(st->thumbprint)) == NULL)
			return irsa_error_oom(err);
		if (tags_add(&s->tags, p) != 0)
			return irsa_error_oom(err);
		s->title = fmt("Create the IAM OIDC provider for %s's issuer", p->cluster);
		s->request = fmt("IAM CreateOpenIDConnectProvider Url=%s ClientIDList=%s%s%s", st->issuer,
		                 TRUST_AUDIENCE_STS, s->thumbprint != NULL ? " ThumbprintList=" : "",
		                 s->thumbprint != NULL ? s->thumbprint : "");
		if (st->thumbprint == NULL &&
		    warn(p, fmt("The issuer's certificate could not be read (%s): the OIDC provider is created "
		                "without a thumbprint, and IAM checks the issuer's certificate itself.",
		                st->thumbprint_error != NULL ? st->thumbprint_error : "unknown error")) != 0)
			return irsa_error_oom(err);
	}
	if (s->title == NULL || s->request == NULL)
		return irsa_error_oom(err);
	return 0;
}

/* The trust the plan writes must admit the account: a Deny statement (or
 * anything else irsa's Allow cannot outweigh) makes the plan pointless, so
 * it is refused with the evaluator's reason rather than applied. */
static int
check_admits(const struct trust *t, const struct plan_state *st, const struct plan_choices *ch, struct irsa_error *err)
{
	struct trust_request req = {st->provider_arn, ch->ns, ch->sa, NULL};
	struct trust_eval ev;

	if (trust_evaluate(t, &req, &ev, err) != 0)
		return -1;
	if (ev.verdict == TRUST_ADMITTED)
		return 0;
	irsa_error_set(err, IRSA_ERR_CONFLICT, "the trust policy of role %s would still not admit %s/%s: %s",
	               st->role_name, ch->ns, ch->sa, ev.why);
	return irsa_error_hint(err, "Remove or narrow the statement that denies it (irsa never deletes statements "
	                            "it did not write), or bind another role.");
}

static int
build_trust(const struct plan_choices *ch, const struct plan_state *st, struct plan *p, struct irsa_error *err)
{
	struct trust *before = NULL, *after = NULL;
	struct trust_sa who = {ch->ns, ch->sa};
	struct plan_step *s;
	int rc = -1;

	if (st->role_exists) {
		if (st->trust_text == NULL || (before = trust_parse(st->trust_text, err)) == NULL) {
			if (st->trust_text == NULL)
				irsa_error_set(err, IRSA_ERR_PARSE, "role %s has no trust policy", st->role_name);
			irsa_error_prefix(err, "the trust policy of role %s", st->role_name);
			return -1;
		}
		after = trust_copy(before, err);
	} else {
		after = trust_new();
		if (after == NULL)
			irsa_error_oom(err);
	}
	if (after == NULL)
		goto out;
	if (trust_allow_service_accounts(after, st->provider_arn, st->issuer, &who, 1, NULL, err) != 0)
		goto out;
	for (size_t i = 0; i < ch->n_services; i++)
		if (trust_allow_service(after, ch->services[i], st->account, err) != 0)
			goto out;
	if (check_admits(after, st, ch, err) != 0)
		goto out;
	p->trust_before = before != NULL ? trust_to_json(before) : NULL;
	p->trust_after = trust_to_json(after);
	if ((before != NULL && p->trust_before == NULL) || p->trust_after == NULL) {
		irsa_error_oom(err);
		goto out;
	}
	if (before != NULL && strcmp(p->trust_before, p->trust_after) == 0) {
		rc = 0;
		goto out;
	}
	/* Only a trust that is written is measured: one IAM holds already fits
	 * the account's quota, which may be over the default when unknown. */
	if (trust_check_size(after, st->trust_quota, err) != 0) {
		irsa_error_prefix(err, "the trust policy of role %s", st->role_name);
		goto out;
	}
	if ((s = step_add(p, st->role_exists ? PLAN_STEP_ROLE_TRUST : PLAN_STEP_ROLE_CREATE)) == NULL) {
		irsa_error_oom(err);
		goto out;
	}
	s->role_name = xstrdup(st->role_name);
	s->document = xstrdup(p->trust_after);
	if (s->role_name == NULL || s->document == NULL) {
		irsa_error_oom(err);
		goto out;
	}
	if (st->role_exists) {
		if ((s->document_before = strdup(st->trust_text)) == NULL) {
			irsa_error_oom(err);
			goto out;
		}
		s->title = fmt("Update the trust policy of role %s to admit %s/%s", st->role_name, ch->ns, ch->sa);
		s->request = fmt("IAM UpdateAssumeRolePolicy RoleName=%s PolicyDocument=<trust policy>", st->role_name);
	} else {
		s->role_path = xstrdup(ch->role_path != NULL ? ch->role_path : "/");
		if (s->role_path == NULL || tags_add(&s->tags, p) != 0) {
			irsa_error_oom(err);
			goto out;
		}
		s->title = fmt("Create IAM role %s trusting %s/%s in %s", st->role_name, ch->ns, ch->sa, ch->cluster);
		s->request = fmt("IAM CreateRole RoleName=%s Path=%s AssumeRolePolicyDocument=<trust policy> "
		                 "Tags=%s,%s,%s",
		                 st->role_name, s->role_path, PLAN_TAG_MANAGED_BY, PLAN_TAG_CLUSTER,
		                 PLAN_TAG_SERVICEACCOUNT);
	}
	if (s->title == NULL || s->request == NULL) {
		irsa_error_oom(err);
		goto out;
	}
	for (size_t i = 0; i < ch->n_services; i++) {
		const struct trust_service *svc = trust_service_lookup(ch->services[i], NULL);

		if (svc != NULL &&
		    warn(p, fmt("The trust also lets the AWS service %s assume the role%s: anything that service "
		                "runs for this account can act with the role's permissions.",
		                svc->principal, svc->source_account ? " (scoped to this account)" : "")) != 0) {
			irsa_error_oom(err);
			goto out;
		}
	}
	rc = 0;
out:
	trust_free(before);
	trust_free(after);
	return rc;
}

static int
build_policies(const struct plan_choices *ch, const struct plan_state *st, struct plan *p, struct irsa_error *err)
{
	long quota = st->attached_quota > 0 ? st->attached_quota : PLAN_ATTACHED_QUOTA_DEFAULT;
	size_t attached = st->attached.n, adding = 0;

	for (size_t i = 0; i < ch->n_policies; i++) {
		const char *arn = ch->policies[i];
		struct plan_step *s;
		bool dup = false, have = false;

		for (size_t j = 0; j < p->policies.n; j++)
			dup = dup || strcmp(p->policies.v[j], arn) == 0;
		if (dup)
			continue;
		if (aws_strings_add(&p->policies, arn) != 0)
			return irsa_error_oom(err);
		for (size_t j = 0; j < st->attached.n; j++)
			have = have || strcmp(st->attached.v[j], arn) == 0;
		if (have)
			continue;
		adding++;
		if ((s = step_add(p, PLAN_STEP_POLICY_ATTACH)) == NULL)
			return irsa_error_oom(err);
		s->role_name = xstrdup(st->role_name);
		s->policy_arn = xstrdup(arn);
		s->title = fmt("Attach %s to role %s", arn, st->role_name);
		s->request = fmt("IAM AttachRolePolicy RoleName=%s PolicyArn=%s", st->role_name, arn);
		if (s->role_name == NULL || s->policy_arn == NULL || s->title == NULL || s->request == NULL)
			return irsa_error_oom(err);
	}
	/* Only when attaching: a role over the default may be under a raised, unknown quota. */
	if (adding > 0 && (long)(attached + adding) > quota) {
		irsa_error_set(err, IRSA_ERR_LIMIT,
		               "role %s would have %zu managed policies attached, over the account's quota of %ld",
		               st->role_name, attached + adding, quota);
		return irsa_error_hint(err, "Combine policies into one customer managed policy, or ask AWS to raise "
		                            "\"Managed policies per role\" (Service Quotas, IAM).");
	}
	return 0;
}

/* The annotations the service account should carry, and the steps that put
 * them there. */
static int
build_serviceaccount(const struct plan_choices *ch, const struct plan_state *st, struct plan *p, struct irsa_error *err)
{
	const char *want[3][2] = {
	        {PLAN_ANN_ROLE_ARN, p->role_arn},
	        {PLAN_ANN_STS_REGIONAL, ch->sts_regional},
	        {PLAN_ANN_TOKEN_EXPIRATION, ch->token_expiration},
	};
	struct plan_step *s = NULL;

	if (!st->sa_exists && !ch->create_sa) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "service account %s/%s does not exist in %s", ch->ns, ch->sa,
		               ch->cluster);
		return irsa_error_hint(err, "Check the name, or add --create-service-account to create it.");
	}
	for (size_t i = 0; i < 3; i++) {
		const char *key = want[i][0], *value = want[i][1];
		const char *now = st->sa_exists ? kube_object_annotation(&st->sa, key) : NULL;

		if (value == NULL) {
			if (now != NULL && annotation_add(&p->annotations, &p->n_annotations, key, now, now) != 0)
				return irsa_error_oom(err);
			continue;
		}
		if (annotation_add(&p->annotations, &p->n_annotations, key, now, value) != 0)
			return irsa_error_oom(err);
		if (same(now, value))
			continue;
		if (s == NULL) {
			if ((s = step_add(p, st->sa_exists ? PLAN_STEP_SA_ANNOTATE : PLAN_STEP_SA_CREATE)) == NULL)
				return irsa_error_oom(err);
			s->ns = xstrdup(ch->ns);
			s->name = xstrdup(ch->sa);
			if (s->ns == NULL || s->name == NULL)
				return irsa_error_oom(err);
		}
		if (annotation_add(&s->annotations, &s->n_annotations, key, now, value) != 0)
			return irsa_error_oom(err);
	}
	if (s == NULL)
		return 0;
	if (s->kind == PLAN_STEP_SA_CREATE) {
		s->title = fmt("Create service account %s/%s bound to role %s", ch->ns, ch->sa, p->role_name);
		s->request = fmt("POST /api/v1/namespaces/%s/serviceaccounts", ch->ns);
	} else {
		s->title = fmt("Annotate service account %s/%s with role %s", ch->ns, ch->sa, p->role_name);
		s->request =
		        fmt("PATCH /api/v1/namespaces/%s/serviceaccounts/%s (%s)", ch->ns, ch->sa, KUBE_MERGE_PATCH);
	}
	if (s->title == NULL || s->request == NULL)
		return irsa_error_oom(err);
	return 1;
}

static int
build_restarts(const struct plan_choices *ch, const struct plan_state *st, struct plan *p, struct irsa_error *err)
{
	struct buf names;
	size_t waiting = 0;

	buf_init(&names, PLAN_TEXT_MAX);
	for (size_t i = 0; i < st->workloads.n; i++) {
		const struct kube_object *w = &st->workloads.v[i];
		const char *kind = kube_resource(w->kind)->kind;
		struct plan_step *s;

		if (!ch->restart || w->paused) {
			buf_printf(&names, "%s%s %s", waiting > 0 ? ", " : "", kind, w->name);
			waiting++;
			continue;
		}
		if ((s = step_add(p, PLAN_STEP_RESTART)) == NULL)
			goto oom;
		s->ns = xstrdup(w->namespace);
		s->name = xstrdup(w->name);
		s->workload = w->kind;
		s->title = fmt("Restart %s %s/%s so its pods get the binding", kind, w->namespace, w->name);
		s->request = fmt("PATCH /apis/apps/v1/namespaces/%s/%s/%s?fieldManager=%s (%s)", w->namespace,
		                 kube_resource(w->kind)->plural, w->name, KUBE_ROLLOUT_MANAGER, KUBE_STRATEGIC_PATCH);
		if (s->ns == NULL || s->name == NULL || s->title == NULL || s->request == NULL)
			goto oom;
	}
	if (waiting > 0 && warn(p, fmt("Running pods keep their old credentials until recreated: %s %s as %s/%s%s.",
	                               buf_cstr(&names), waiting == 1 ? "runs" : "run", ch->ns, ch->sa,
	                               ch->restart ? " (paused: resume and restart it yourself)"
	                                           : "; add --restart-workloads, or run kubectl rollout restart")) != 0)
		goto oom;
	buf_release(&names);
	return 0;
oom:
	buf_release(&names);
	return irsa_error_oom(err);
}

int
plan_build(const struct plan_choices *ch, const struct plan_state *st, struct plan *out, struct irsa_error *err)
{
	int sa_changed;

	plan_init(out);
	if (plan_check_choices(ch, st->arn_prefix, err) != 0 || build_where(ch, st, out, err) != 0 ||
	    build_provider(st, out, err) != 0 || build_trust(ch, st, out, err) != 0 ||
	    build_policies(ch, st, out, err) != 0 || (sa_changed = build_serviceaccount(ch, st, out, err)) < 0)
		return -1;
	/* Pods pick a binding up only when created: restart them only when the
	 * binding changes, so a plan built after an apply stays empty. */
	if (sa_changed > 0 && build_restarts(ch, st, out, err) != 0)
		return -1;
	for (size_t i = 0; i < out->n; i++)
		if ((out->steps[i].command = export_step_command(out, &out->steps[i])) == NULL)
			return irsa_error_oom(err);
	return 0;
}
