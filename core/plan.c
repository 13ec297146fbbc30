/* core/plan.c - the plan's life cycle and plan_build(): from the choices and
 * the state plan_read() found, the ordered steps that bind the service
 * account, leaving out every step that would change nothing. Pure: no I/O
 * (see plan.h). */
#include "config.h"

#include "plan.h"

#include <stdlib.h>
#include <string.h>

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
