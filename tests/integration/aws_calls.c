/* tests/integration/aws_calls.c - drives core's IAM and EKS calls against
 * the sandbox for tests/integration/aws_commands.sh: what no irsa command
 * reaches yet (the writes, ListRoles, page sizes). Links only libirsacore;
 * the client comes from the environment and the AWS files as irsa's does.
 *
 *   aws_calls list-roles PAGE_SIZE             every role name, one a line
 *   aws_calls list-policies SCOPE PAGE_SIZE    every policy ARN, one a line
 *   aws_calls create-role NAME                 CreateRole (a write)
 *   aws_calls tour PREFIX CLUSTER              every IAM and EKS call, one line each:
 *                                              "<Operation> ok" or "<Operation> FAIL: <error>"
 * Errors print as irsa prints them ("irsa: <message>" and a hint); exit 1. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "eks.h"
#include "iam.h"

static int failures;

static int
fail(const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(stderr, "irsa: %s\n%s\n", line, err->hint);
	return 1;
}

/* One line of the tour. */
static void
step(const char *op, int rc, const struct irsa_error *err)
{
	char line[1024];

	if (rc == 0) {
		printf("%s ok\n", op);
		return;
	}
	irsa_error_format(err, line, sizeof(line));
	printf("%s FAIL: %s\n", op, line);
	failures++;
}

static const char trust[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                            "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

static void
tour_roles(struct aws_client *c, const char *prefix)
{
	static const char policy_arn[] = "arn:aws:iam::aws:policy/ReadOnlyAccess";
	struct aws_iam_create_role in = {.trust_policy = trust, .description = "irsa aws_calls tour"};
	struct aws_tag tag = {"team", "irsa"};
	struct aws_attached_policy_list attached;
	struct aws_role_policy inline_policy;
	struct aws_policy_version version;
	struct aws_account_summary summary;
	struct aws_name_list names;
	struct aws_policy policy;
	struct irsa_error err;
	struct aws_role role;
	char name[128];
	long roles = -1;
	int rc;

	snprintf(name, sizeof(name), "%s-tour", prefix);
	in.role_name = name;
	step("CreateRole", iam_create_role(c, &in, &role, &err), &err);
	aws_role_release(&role);
	rc = iam_get_role(c, name, &role, &err);
	if (rc == 0 && (role.trust_policy == NULL || strstr(role.trust_policy, "ec2.amazonaws.com") == NULL))
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "the trust policy did not come back: %s", role.trust_policy);
	step("GetRole", rc, &err);
	aws_role_release(&role);
	step("UpdateAssumeRolePolicy", iam_update_assume_role_policy(c, name, trust, &err), &err);
	step("TagRole", iam_tag_role(c, name, &tag, 1, &err), &err);
	step("AttachRolePolicy", iam_attach_role_policy(c, name, policy_arn, &err), &err);
	rc = iam_list_attached_role_policies(c, name, NULL, &attached, &err);
	if (rc == 0 && (attached.n != 1 || strcmp(attached.v[0].arn, policy_arn) != 0))
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "%zu attached policies, want ReadOnlyAccess", attached.n);
	step("ListAttachedRolePolicies", rc, &err);
	aws_attached_policy_list_release(&attached);
	rc = iam_list_role_policies(c, name, &names, &err);
	if (rc == 0 && names.names.n != 0)
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "%zu inline policies on a new role", names.names.n);
	step("ListRolePolicies", rc, &err);
	aws_name_list_release(&names);
	/* The test put an inline policy "inline" on PREFIX-inline with the aws CLI. */
	snprintf(name, sizeof(name), "%s-inline", prefix);
	rc = iam_get_role_policy(c, name, "inline", &inline_policy, &err);
	if (rc == 0 && (!inline_policy.document_json || strstr(inline_policy.document, "s3:GetObject") == NULL))
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "the inline policy document did not come back");
	step("GetRolePolicy", rc, &err);
	aws_role_policy_release(&inline_policy);
	step("GetPolicy", iam_get_policy(c, policy_arn, &policy, &err), &err);
	rc = iam_get_policy_version(c, policy_arn, policy.default_version_id != NULL ? policy.default_version_id : "v1",
	                            &version, &err);
	if (rc == 0 && !version.document_json)
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "the policy document is not JSON");
	step("GetPolicyVersion", rc, &err);
	aws_policy_version_release(&version);
	aws_policy_release(&policy);
	snprintf(name, sizeof(name), "%s-tour", prefix);
	step("DetachRolePolicy", iam_detach_role_policy(c, name, policy_arn, &err), &err);
	step("DeleteRole", iam_delete_role(c, name, &err), &err);
	rc = iam_get_account_summary(c, &summary, &err);
	if (rc == 0 && aws_account_summary_get(&summary, "Roles", &roles) != 0)
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "no Roles in the summary");
	step("GetAccountSummary", rc, &err);
	aws_account_summary_release(&summary);
}

static void
tour_oidc(struct aws_client *c, const char *prefix)
{
	static const char *const client_ids[] = {"sts.amazonaws.com"};
	static const char *const thumbprints[] = {"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"};
	static const char *const thumbprints2[] = {"0000000000000000000000000000000000000000"};
	struct aws_oidc_provider p;
	struct aws_strings arns;
	struct irsa_error err;
	char url[256], *arn = NULL;
	bool added;
	size_t i;
	int rc;

	snprintf(url, sizeof(url), "https://oidc.example.com/id/%s", prefix);
	step("CreateOpenIDConnectProvider",
	     iam_create_oidc_provider(c, url, client_ids, 1, thumbprints, 1, NULL, 0, &arn, &err), &err);
	rc = iam_list_oidc_providers(c, &arns, &err);
	for (i = 0; rc == 0 && arn != NULL && i < arns.n && strcmp(arns.v[i], arn) != 0; i++)
		;
	if (rc == 0 && (arn == NULL || i == arns.n))
		rc = irsa_error_set(&err, IRSA_ERR_NOT_FOUND, "the new provider is not listed");
	step("ListOpenIDConnectProviders", rc, &err);
	aws_strings_release(&arns);
	if (arn == NULL)
		return;
	/* moto 5.2.1 does not implement AddClientIDToOpenIDConnectProvider (HTTP 500). */
	added = iam_add_client_id_to_oidc_provider(c, arn, "irsa-test", &err) == 0;
	step("AddClientIDToOpenIDConnectProvider", added ? 0 : -1, &err);
	step("UpdateOpenIDConnectProviderThumbprint",
	     iam_update_oidc_provider_thumbprint(c, arn, thumbprints2, 1, &err), &err);
	rc = iam_get_oidc_provider(c, arn, &p, &err);
	if (rc == 0 && (p.client_ids.n != (added ? 2 : 1) || p.thumbprints.n != 1 ||
	                strcmp(p.thumbprints.v[0], thumbprints2[0]) != 0))
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "%zu client ids, %zu thumbprints (%s)", p.client_ids.n,
		                    p.thumbprints.n, p.thumbprints.n > 0 ? p.thumbprints.v[0] : "");
	step("GetOpenIDConnectProvider", rc, &err);
	aws_oidc_provider_release(&p);
	step("DeleteOpenIDConnectProvider", iam_delete_oidc_provider(c, arn, &err), &err);
	free(arn);
}

static void
tour_eks(struct aws_client *c, const char *cluster)
{
	struct aws_eks_cluster k;
	struct aws_strings names;
	struct irsa_error err;
	size_t i;
	int rc;

	rc = eks_list_clusters(c, &names, &err);
	for (i = 0; rc == 0 && i < names.n && strcmp(names.v[i], cluster) != 0; i++)
		;
	if (rc == 0 && i == names.n)
		rc = irsa_error_set(&err, IRSA_ERR_NOT_FOUND, "cluster %s is not listed", cluster);
	step("ListClusters", rc, &err);
	aws_strings_release(&names);
	rc = eks_describe_cluster(c, cluster, &k, &err);
	if (rc == 0 && (k.oidc_issuer == NULL || k.endpoint == NULL))
		rc = irsa_error_set(&err, IRSA_ERR_PARSE, "no OIDC issuer or endpoint");
	step("DescribeCluster", rc, &err);
	aws_eks_cluster_release(&k);
}

int
main(int argc, char **argv)
{
	struct aws_iam_list_policies lp = {0};
	struct aws_iam_create_role cr = {.trust_policy = trust};
	struct aws_policy_list policies;
	struct aws_role_list roles;
	struct aws_client *c;
	struct irsa_error err;
	struct aws_role role;
	size_t i;
	int rc = 0;

	if (argc < 2) {
		fputs("usage: aws_calls list-roles|list-policies|create-role|tour ...\n", stderr);
		return 2;
	}
	if ((c = aws_client_new(NULL, &err)) == NULL)
		return fail(&err);
	if (strcmp(argv[1], "list-roles") == 0 && argc == 3) {
		if ((rc = iam_list_roles(c, NULL, atoi(argv[2]), &roles, &err)) != 0)
			rc = fail(&err);
		for (i = 0; rc == 0 && i < roles.n; i++)
			printf("%s\n", roles.v[i].name);
		aws_role_list_release(&roles);
	} else if (strcmp(argv[1], "list-policies") == 0 && argc == 4) {
		lp.scope = argv[2];
		lp.max_items = atoi(argv[3]);
		if ((rc = iam_list_policies(c, &lp, &policies, &err)) != 0)
			rc = fail(&err);
		for (i = 0; rc == 0 && i < policies.n; i++)
			printf("%s\n", policies.v[i].arn);
		aws_policy_list_release(&policies);
	} else if (strcmp(argv[1], "create-role") == 0 && argc == 3) {
		cr.role_name = argv[2];
		if ((rc = iam_create_role(c, &cr, &role, &err)) != 0)
			rc = fail(&err);
		aws_role_release(&role);
	} else if (strcmp(argv[1], "tour") == 0 && argc == 4) {
		tour_roles(c, argv[2]);
		tour_oidc(c, argv[2]);
		tour_eks(c, argv[3]);
		rc = failures > 0;
	} else {
		fputs("aws_calls: unknown command or wrong arguments\n", stderr);
		rc = 2;
	}
	aws_client_free(c);
	return rc;
}
