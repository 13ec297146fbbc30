/* core/audit_input.c - the audit's input (audit.h): releasing it, and
 * finding its roles, providers and policies by ARN. The roles are indexed
 * once (binding_roles: by name, trusts parsed once). Pure. */
#include "config.h"

#include "audit.h"

#include <stdlib.h>
#include <string.h>

void
audit_input_init(struct audit_input *in)
{
	memset(in, 0, sizeof(*in));
}

static void
cluster_release(struct audit_cluster *c)
{
	free(c->name);
	free(c->region);
	free(c->context);
	free(c->arn);
	free(c->issuer);
	free(c->provider_arn);
	free(c->thumbprint);
	free(c->thumbprint_error);
	free(c->kube_error);
	kube_object_list_release(&c->sas);
	kube_object_list_release(&c->pods);
	kube_object_list_release(&c->workloads);
}

static void
role_policies_release(struct audit_role_policies *p)
{
	if (p->inline_doc != NULL)
		for (size_t i = 0; i < p->inline_name.n; i++)
			free(p->inline_doc[i]);
	free(p->inline_doc);
	aws_strings_release(&p->attached);
	aws_strings_release(&p->inline_name);
	free(p->error);
}

void
audit_input_release(struct audit_input *in)
{
	if (in == NULL)
		return;
	if (in->indexed)
		binding_roles_release(&in->index);
	for (size_t i = 0; i < in->n_clusters; i++)
		cluster_release(&in->clusters[i]);
	free(in->clusters);
	for (size_t i = 0; i < in->n_roles; i++) {
		aws_role_release(&in->roles[i]);
		if (in->role_policies != NULL)
			role_policies_release(&in->role_policies[i]);
	}
	free(in->roles);
	free(in->role_policies);
	for (size_t i = 0; i < in->n_providers; i++) {
		free(in->providers[i].arn);
		free(in->providers[i].url);
		aws_strings_release(&in->providers[i].client_ids);
		aws_strings_release(&in->providers[i].thumbprints);
	}
	free(in->providers);
	for (size_t i = 0; i < in->n_policies; i++) {
		free(in->policies[i].arn);
		free(in->policies[i].name);
		free(in->policies[i].default_version);
		free(in->policies[i].document);
		free(in->policies[i].error);
	}
	free(in->policies);
	aws_strings_release(&in->live_issuers);
	aws_strings_release(&in->read_errors);
	free(in->roles_error);
	free(in->providers_error);
	free(in->account);
	free(in->arn_prefix);
	audit_input_init(in);
}

int
audit_input_index(struct audit_input *in, struct irsa_error *err)
{
	if (in->indexed)
		return 0;
	if (binding_roles_init(&in->index, in->roles, in->n_roles, err) != 0)
		return -1;
	in->indexed = true;
	return 0;
}

const struct binding_role *
audit_input_role(const struct audit_input *in, const char *arn, size_t *i)
{
	const struct binding_role *r;

	if (!in->indexed || arn == NULL)
		return NULL;
	r = binding_roles_find(&in->index, arn);
	if (r != NULL && i != NULL)
		*i = (size_t)(r->role - in->roles);
	return r;
}

const struct audit_provider *
audit_input_provider(const struct audit_input *in, const char *arn)
{
	for (size_t i = 0; arn != NULL && i < in->n_providers; i++)
		if (in->providers[i].arn != NULL && strcmp(in->providers[i].arn, arn) == 0)
			return &in->providers[i];
	return NULL;
}

const struct audit_policy *
audit_input_policy(const struct audit_input *in, const char *arn)
{
	for (size_t i = 0; arn != NULL && i < in->n_policies; i++)
		if (in->policies[i].arn != NULL && strcmp(in->policies[i].arn, arn) == 0)
			return &in->policies[i];
	return NULL;
}
