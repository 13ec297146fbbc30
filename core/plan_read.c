/* core/plan_read.c - plan_read(): what the plan depends on, read from STS,
 * EKS, IAM, the cluster's OIDC issuer and the Kubernetes API before the plan
 * is built. Reads only; the decisions are plan_build()'s (plan.c). */
#include "config.h"

#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "aws_endpoint.h"
#include "aws_sts.h"
#include "eks.h"
#include "iam.h"
#include "log.h"
#include "oidc.h"

/* The role name inside a role ARN: what follows the last '/'. */
static const char *
role_arn_name(const char *arn)
{
	const char *slash = strrchr(arn, '/');

	return slash != NULL ? slash + 1 : arn;
}

static int
read_cluster(const struct plan_env *env, const struct plan_choices *ch, struct plan_state *st, struct irsa_error *err)
{
	struct aws_caller_identity id;
	struct aws_eks_cluster k;
	int rc = -1;

	memset(&id, 0, sizeof(id));
	if (aws_sts_get_caller_identity(env->aws, &id, err) != 0) {
		aws_caller_identity_release(&id);
		return -1;
	}
	st->account = id.account;
	id.account = NULL;
	aws_caller_identity_release(&id);
	if ((st->arn_prefix = strdup(aws_arn_prefix(ch->region))) == NULL)
		return irsa_error_oom(err);

	if (eks_describe_cluster(env->aws, ch->cluster, &k, err) != 0)
		goto out;
	if (k.oidc_issuer == NULL || *k.oidc_issuer == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "cluster %s in %s has no OIDC issuer", ch->cluster,
		               ch->region);
		irsa_error_hint(err, "IRSA needs the cluster's OIDC issuer (EKS clusters have one since 1.13); use EKS "
		                     "Pod Identity, or check the cluster's status.");
		goto out;
	}
	st->issuer = k.oidc_issuer;
	k.oidc_issuer = NULL;
	st->cluster_arn = k.arn;
	k.arn = NULL;
	rc = 0;
out:
	aws_eks_cluster_release(&k);
	return rc;
}

static int
read_provider(const struct plan_env *env, struct plan_state *st, struct irsa_error *err)
{
	struct aws_oidc_provider prov;
	struct oidc_options defaults;
	struct oidc_discovery d;
	struct irsa_error e;

	if ((st->provider_arn = iam_oidc_provider_arn(st->arn_prefix, st->account, st->issuer)) == NULL)
		return irsa_error_oom(err);
	if (iam_get_oidc_provider(env->aws, st->provider_arn, &prov, err) == 0) {
		st->provider_exists = true;
		for (size_t i = 0; i < prov.client_ids.n; i++)
			if (strcmp(prov.client_ids.v[i], TRUST_AUDIENCE_STS) == 0)
				st->provider_has_sts = true;
		aws_oidc_provider_release(&prov);
		return 0;
	}
	aws_oidc_provider_release(&prov);
	if (err->kind != IRSA_ERR_NOT_FOUND)
		return -1;
	irsa_error_clear(err);

	/* Missing: the thumbprint for creating it. Its failure is not the
	 * plan's: IAM reads the certificate itself when none is given. */
	memset(&defaults, 0, sizeof(defaults));
	irsa_error_clear(&e);
	if (oidc_discover(st->issuer, env->oidc != NULL ? env->oidc : &defaults, &d, &e) == 0) {
		st->thumbprint = d.thumbprint;
		d.thumbprint = NULL;
	} else {
		char line[768];

		if (e.kind == IRSA_ERR_CANCELLED) {
			oidc_discovery_release(&d);
			*err = e;
			return -1;
		}
		irsa_error_format(&e, line, sizeof(line));
		if ((st->thumbprint_error = strdup(line)) == NULL) {
			oidc_discovery_release(&d);
			return irsa_error_oom(err);
		}
		log_info("issuer %s: %s", st->issuer, line);
	}
	oidc_discovery_release(&d);
	return 0;
}

static int
read_role(const struct plan_env *env, const struct plan_choices *ch, struct plan_state *st, struct irsa_error *err)
{
	struct aws_attached_policy_list att;
	const char *name;

	if (ch->role_arn != NULL)
		name = role_arn_name(ch->role_arn);
	else
		name = ch->role_name;
	st->role_name = name != NULL ? strdup(name) : plan_role_name(ch->cluster, ch->ns, ch->sa);
	if (st->role_name == NULL)
		return irsa_error_oom(err);

	if (iam_get_role(env->aws, st->role_name, &st->role, err) != 0) {
		aws_role_release(&st->role);
		memset(&st->role, 0, sizeof(st->role));
		if (err->kind != IRSA_ERR_NOT_FOUND)
			return -1;
		irsa_error_clear(err);
		return 0;
	}
	st->role_exists = true;
	if (st->role.trust_policy != NULL && (st->trust_text = strdup(st->role.trust_policy)) == NULL)
		return irsa_error_oom(err);

	if (iam_list_attached_role_policies(env->aws, st->role_name, NULL, &att, err) != 0) {
		aws_attached_policy_list_release(&att);
		return -1;
	}
	for (size_t i = 0; i < att.n; i++)
		if (aws_strings_add(&st->attached, att.v[i].arn) != 0) {
			aws_attached_policy_list_release(&att);
			return irsa_error_oom(err);
		}
	aws_attached_policy_list_release(&att);
	return 0;
}

/* The quotas. A user who may not call GetAccountSummary still gets a plan:
 * the defaults apply and IAM has the last word. */
static void
read_quotas(const struct plan_env *env, struct plan_state *st)
{
	struct aws_account_summary sum;
	struct irsa_error e;

	irsa_error_clear(&e);
	if (iam_get_account_summary(env->aws, &sum, &e) == 0) {
		if (aws_account_summary_get(&sum, "AssumeRolePolicySizeQuota", &st->trust_quota) != 0)
			st->trust_quota = 0;
		if (aws_account_summary_get(&sum, "AttachedPoliciesPerRoleQuota", &st->attached_quota) != 0)
			st->attached_quota = 0;
	} else {
		log_info("GetAccountSummary failed (%s): the default quotas apply", e.message);
	}
	aws_account_summary_release(&sum);
}

static int
read_kube(const struct plan_env *env, const struct plan_choices *ch, struct plan_state *st, struct irsa_error *err)
{
	if (kube_get_serviceaccount(env->kube, ch->ns, ch->sa, &st->sa, err) == 0) {
		st->sa_exists = true;
	} else {
		kube_object_release(&st->sa);
		memset(&st->sa, 0, sizeof(st->sa));
		if (err->kind != IRSA_ERR_NOT_FOUND)
			return -1;
		irsa_error_clear(err);
	}
	return kube_list_workloads_using(env->kube, ch->ns, ch->sa, &st->workloads, err);
}

int
plan_read(const struct plan_env *env, const struct plan_choices *ch, struct plan_state *st, struct irsa_error *err)
{
	plan_state_init(st);
	if (plan_check_choices(ch, aws_arn_prefix(ch->region), err) != 0)
		return -1;
	if (read_cluster(env, ch, st, err) != 0 || read_provider(env, st, err) != 0 || read_role(env, ch, st, err) != 0)
		return -1;
	read_quotas(env, st);
	return read_kube(env, ch, st, err);
}
