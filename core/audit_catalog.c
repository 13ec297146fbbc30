/* core/audit_catalog.c - the table of audit checks, IRSA001-IRSA040, in the
 * catalog's words (../shared/design/audit-checks.md, section 3) shortened to
 * a line or two, and the names of its enums. Adding a check is adding a row
 * here with the next id. Pure: no I/O. */
#include "config.h"

#include <strings.h>

#include "audit_catalog.h"

#define GROUP_A 'A', "IAM OIDC provider"
#define GROUP_B 'B', "IRSA trust policy"
#define GROUP_C 'C', "ServiceAccount annotations"
#define GROUP_D 'D', "Orphans and sharing"
#define GROUP_E 'E', "Permissions of the bound role"
#define GROUP_F 'F', "Workloads (pods, SAs, nodes)"
#define GROUP_G 'G', "EKS Pod Identity"

#define NO_EC2    "irsa has no EC2 client yet (the sandbox's moto has EC2): node metadata options cannot be read"
#define POD_IDENT "EKS Pod Identity checks come with the Pod Identity issue"
#define TRUSTS    "iam:ListRoles (trust policies)"
#define ROLE_POLS "iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicyVersion"
#define PLAN      AUDIT_FIX_PLAN
#define MANUAL    AUDIT_FIX_MANUAL
#define CRITICAL  AUDIT_SEV_CRITICAL
#define HIGH      AUDIT_SEV_HIGH
#define MEDIUM    AUDIT_SEV_MEDIUM
#define LOW       AUDIT_SEV_LOW
#define INFO      AUDIT_SEV_INFO

/* One row a check: id, group, severity, severity note, title, reads, why,
 * fix, fix kind, confirm, status, reason. */
/* clang-format off */
static const struct audit_check checks[] = {
	/* A. IAM OIDC provider */
	{"IRSA001", GROUP_A, HIGH, NULL,
	 "Cluster issuer has no IAM OIDC provider (in the role's account)",
	 "eks:DescribeCluster, iam:ListOpenIDConnectProviders",
	 "Without a provider for the cluster's issuer STS rejects every token (InvalidIdentityToken: No "
	 "OpenIDConnect provider found), so no binding in the cluster works. A cross-account role needs the "
	 "provider in the role's account.",
	 "Create the provider for the issuer with client ID sts.amazonaws.com (iam:CreateOpenIDConnectProvider).",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA002", GROUP_A, HIGH, NULL,
	 "Provider ClientIDList lacks the token audience",
	 "iam:GetOpenIDConnectProvider, service account annotations",
	 "STS accepts a token only when its audience (sts.amazonaws.com, or the eks.amazonaws.com/audience "
	 "annotation) is in the provider's ClientIDList; otherwise every assume fails with an incorrect token "
	 "audience.",
	 "Add the audience to the provider (iam:AddClientIDToOpenIDConnectProvider).",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA003", GROUP_A, INFO, NULL,
	 "Provider thumbprint stale or absent",
	 "iam:GetOpenIDConnectProvider, the issuer's TLS certificate chain",
	 "AWS now validates the issuer's JWKS host against its own trusted CAs and uses the thumbprint only "
	 "when the CA is not among them, so a stale thumbprint matters only for such issuers.",
	 "Optionally update the thumbprint (iam:UpdateOpenIDConnectProviderThumbprint).",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA004", GROUP_A, LOW, NULL,
	 "Stale providers or trust statements for deleted clusters; provider quota",
	 "iam:ListOpenIDConnectProviders, eks:ListClusters, eks:DescribeCluster (all regions), " TRUSTS,
	 "Providers and trust statements outlive the clusters that needed them (eksctl leaves them behind); "
	 "they clutter trusts and count against the quota of 100 providers per account.",
	 "Strip the dead trust statements (iam:UpdateAssumeRolePolicy) and delete the providers "
	 "(iam:DeleteOpenIDConnectProvider).",
	 MANUAL, true, AUDIT_CHECK_BUILT, NULL},

	/* B. IRSA trust policy */
	{"IRSA005", GROUP_B, CRITICAL, NULL,
	 "No :sub condition (aud-only, or no Condition at all)",
	 TRUSTS,
	 "Without sub, every service account in the cluster (and in every cluster whose issuer the role "
	 "trusts) can assume the role: whoever may create a token for any of them gets it (Wiz EKS Cluster "
	 "Games, challenge 5).",
	 "Rewrite the trust to StringEquals on sub (the service accounts that reference the role) and aud "
	 "sts.amazonaws.com.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA006", GROUP_B, CRITICAL, "medium for one namespace (system:serviceaccount:NS:*)",
	 "sub wildcard wider than one service account",
	 TRUSTS ", service accounts",
	 "A StringLike sub with * or ? admits every service account it matches: all of them for *, every "
	 "other pod's account in the namespace for NS:*.",
	 "Replace the pattern with the exact service accounts that reference the role, under StringEquals.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA007", GROUP_B, HIGH, NULL,
	 "Wildcard inside StringEquals (never matches, so the binding is broken)",
	 TRUSTS,
	 "StringEquals compares literally: a * or ? in its value matches no token, and every assume is "
	 "denied.",
	 "Use the exact names, or StringLike if a namespace-wide scope is intended.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA008", GROUP_B, HIGH, NULL,
	 "Weak operator or action in the web-identity statement",
	 TRUSTS,
	 "ForAllValues:, ForAnyValue:, ...IfExists, StringNot* and Null on sub or aud admit tokens they seem "
	 "to refuse (a missing key makes them true); sts:* or * widens the action, and sts:AssumeRole with a "
	 "federated principal never works.",
	 "Normalise to StringEquals and Action sts:AssumeRoleWithWebIdentity.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA009", GROUP_B, LOW, NULL,
	 "No :aud condition",
	 TRUSTS,
	 "The provider's ClientIDList still gates the audience (IRSA002), but the trust should pin aud too, "
	 "as the EKS guide's and eksctl's trusts do.",
	 "Add StringEquals aud = sts.amazonaws.com (or the service account's audience annotation).",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA010", GROUP_B, HIGH, NULL,
	 "Trust does not admit the service account that references the role",
	 "service account annotations, " TRUSTS,
	 "A typo in the namespace or name, or the wrong namespace, makes STS answer AccessDenied (Not "
	 "authorized to perform sts:AssumeRoleWithWebIdentity): the pods get no role.",
	 "Add the service account to the trust's sub list, or correct the annotation.",
	 PLAN, true, AUDIT_CHECK_BUILT, NULL},
	{"IRSA011", GROUP_B, HIGH, NULL,
	 "Condition keys name a different issuer than Principal.Federated",
	 TRUSTS,
	 "Keys copied from another cluster are absent from this cluster's tokens: StringEquals on them "
	 "denies every assume, and negated operators on them admit every token.",
	 "Rewrite the key prefixes to the issuer of the statement's principal.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA012", GROUP_B, HIGH, NULL,
	 "Role used in this cluster trusts only other clusters' issuers",
	 "eks:DescribeCluster, service account annotations, " TRUSTS,
	 "After a blue/green switch, a recreated cluster or a move to another region, the trust still names "
	 "the old issuer, so this cluster's pods cannot assume the role.",
	 "Add a statement for this cluster's provider with exact sub and aud.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA013", GROUP_B, CRITICAL, "high unless the principal is \"*\"",
	 "Non-federated principals share the role (Service, AWS account or role, \"*\")",
	 TRUSTS,
	 "Whoever else the trust names can assume the role too: \"*\" is anyone, and a Service principal "
	 "without aws:SourceAccount or aws:SourceArn is a confused deputy.",
	 "Remove the extra statements, or split the role.",
	 PLAN, true, AUDIT_CHECK_BUILT, NULL},
	{"IRSA014", GROUP_B, INFO, NULL,
	 "Trust near its size quota, or many service accounts in it",
	 TRUSTS ", iam:GetAccountSummary",
	 "A trust holds 2048 characters by default (4096 at most), about four to eight service accounts; "
	 "past that the next binding fails with LimitExceeded.",
	 "Split the role, or move the workloads to EKS Pod Identity.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},

	/* C. ServiceAccount annotations */
	{"IRSA015", GROUP_C, HIGH, NULL,
	 "role-arn annotation malformed or in the wrong partition",
	 "service account annotations, eks:DescribeCluster (the cluster ARN)",
	 "The webhook only logs \"arn is invalid\" and injects the value anyway, so the pods try to assume "
	 "a role that cannot exist.",
	 "Correct the annotation: trim white space and quotes, or compose the ARN from the role name.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA016", GROUP_C, HIGH, NULL,
	 "Referenced role does not exist (annotation or Pod Identity association)",
	 "service account annotations, eks:ListPodIdentityAssociations, iam:ListRoles",
	 "Every assume of a missing role fails: the workload has no AWS access although it looks bound.",
	 "Create the role with a trust scoped to the service account, or remove the annotation.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA017", GROUP_C, HIGH, NULL,
	 "Audience annotation inconsistent with the trust's aud or the provider's client IDs",
	 "service account annotations, " TRUSTS ", iam:GetOpenIDConnectProvider",
	 "The token carries the annotation's audience (sts.amazonaws.com by default); when the trust or the "
	 "provider expects another, every assume fails.",
	 "Remove the annotation (the default is sts.amazonaws.com), or align all three.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA018", GROUP_C, LOW, NULL,
	 "Invalid webhook tuning annotations",
	 "service account and pod annotations",
	 "The webhook ignores or changes bad values silently: a token-expiration that is not a number is "
	 "ignored and one below 600 is raised to 600, a non-boolean sts-regional-endpoints is ignored, and a "
	 "skip-containers naming the app leaves it unbound.",
	 "Rewrite the values (token-expiration 600-86400, sts-regional-endpoints \"true\").",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},

	/* D. Orphans and sharing */
	{"IRSA019", GROUP_D, LOW, "medium when an unused trust is wildcarded",
	 "Unused or over-shared bindings",
	 TRUSTS ", service accounts, pods (Pod Identity associations come with the Pod Identity issue)",
	 "A role that trusts this issuer but that no service account uses is latent access for whoever can "
	 "create the service account it names; annotated accounts without pods, associations for missing "
	 "accounts and one role shared by many accounts widen access for nothing.",
	 "Delete the role (or its statement for this cluster) when nothing needs it; give each application "
	 "its own role; bind the service account's pods or remove its annotation.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},

	/* E. Permissions of the bound role */
	{"IRSA020", GROUP_E, CRITICAL, NULL,
	 "AdministratorAccess attached",
	 "iam:ListAttachedRolePolicies",
	 "Every pod running as a bound service account, and anyone who can mint its token, administers the "
	 "account.",
	 "Replace it with least-privilege policies; a permissions boundary limits the role meanwhile.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA021", GROUP_E, CRITICAL, NULL,
	 "Policy allows * on * (including NotAction tricks)",
	 ROLE_POLS,
	 "An inline or attached policy that allows every action on every resource is administrator access "
	 "under another name.",
	 "Scope the policy to the actions and resources the workload uses.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA022", GROUP_E, HIGH, NULL,
	 "iam:PassRole on * without iam:PassedToService or iam:AssociatedResourceArn",
	 ROLE_POLS,
	 "The workload can hand any role of the account to a service it controls (an instance, a Pod "
	 "Identity association) and act as that role.",
	 "Limit iam:PassRole to named roles, with iam:PassedToService or iam:AssociatedResourceArn.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA023", GROUP_E, HIGH, NULL,
	 "Privilege escalation or role hopping",
	 ROLE_POLS,
	 "Actions such as iam:Attach*Policy, iam:Put*Policy, iam:CreatePolicyVersion, "
	 "iam:UpdateAssumeRolePolicy, iam:CreateAccessKey or sts:AssumeRole on * let the workload grant "
	 "itself more.",
	 "Remove the escalating actions, or scope them to resources the workload owns.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA024", GROUP_E, MEDIUM, NULL,
	 "Service-wide wildcards or AWS *FullAccess policies",
	 ROLE_POLS,
	 "svc:* actions, or Resource * on actions that can be scoped, grant far more than a workload needs.",
	 "Replace them with the actions and resources the workload uses.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA025", GROUP_E, INFO, NULL,
	 "Managed-policy count near its quota (permissions boundaries are not read)",
	 "iam:ListAttachedRolePolicies, iam:GetAccountSummary (the boundary needs iam:GetRole per role, which "
	 "the audit does not send: only a boundary the input carries is seen)",
	 "A boundary caps what a bound role can ever be given; a role at its quota of attached policies (10 "
	 "by default, 20 at most) cannot take the next one.",
	 "Attach the organisation's permissions boundary (iam:PutRolePermissionsBoundary) when one is "
	 "configured.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},

	/* F. Workloads (pods, service accounts, nodes) */
	{"IRSA026", GROUP_F, HIGH, NULL,
	 "Pod not mutated although its service account is bound",
	 "pods, service accounts",
	 "The webhook mutates pods only at admission: pods created before the binding, missed in the "
	 "webhook's cache race, or Windows pods without an os nodeSelector run without the token and "
	 "silently use the node role.",
	 "Restart the owning Deployment, StatefulSet or DaemonSet (kubectl rollout restart).",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA027", GROUP_F, MEDIUM, NULL,
	 "Pod's AWS_ROLE_ARN differs from the current binding",
	 "pods, service accounts",
	 "The webhook never overwrites an AWS_ROLE_ARN already set, and the Pod Identity agent caches "
	 "credentials for up to 6 hours, so the pod keeps a stale or hard-coded role.",
	 "Restart the owner; remove an AWS_ROLE_ARN hard-coded in the manifest.",
	 PLAN, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA028", GROUP_F, HIGH, NULL,
	 "Static AWS keys shadow workload identity",
	 "pods, Secrets, ConfigMaps",
	 "Credentials earlier in the SDK's chain (AWS_ACCESS_KEY_ID in the env, a mounted credentials file) "
	 "keep being used: the binding is ignored and long-lived keys sit in the cluster.",
	 "Rotate the keys and remove them from the workload.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA029", GROUP_F, HIGH, NULL,
	 "Node role reachable from pods via IMDS",
	 "ec2:DescribeInstances, ec2:DescribeLaunchTemplateVersions",
	 "With IMDSv1 allowed (HttpTokens optional) or a hop limit of 2 or more, any container can take "
	 "the node role's credentials, whatever its own binding.",
	 "Require IMDSv2 with hop limit 1 (ec2:ModifyInstanceMetadataOptions) and update the launch "
	 "template.",
	 PLAN, true, AUDIT_CHECK_PLANNED, NO_EC2},
	{"IRSA030", GROUP_F, MEDIUM, NULL,
	 "hostNetwork pod uses a bound service account",
	 "pods",
	 "A pod on the host network reaches IMDS even with a hop limit of 1, so it can use the node role "
	 "besides its own.",
	 "Remove hostNetwork: true where the workload does not need it.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA031", GROUP_F, HIGH, NULL,
	 "Role bound to a default service account",
	 "service accounts, pods, eks:ListPodIdentityAssociations",
	 "Every pod of the namespace that names no service account runs as default, and so gets the role.",
	 "Create a dedicated service account, move the binding to it and remove it from default.",
	 MANUAL, true, AUDIT_CHECK_BUILT, NULL},
	{"IRSA032", GROUP_F, LOW, NULL,
	 "Kubernetes API token auto-mounted in AWS-only workloads",
	 "pods, service accounts",
	 "A mounted API token is one more credential to steal; the webhook adds the IRSA token on its own, "
	 "so turning automount off does not break the binding.",
	 "Set automountServiceAccountToken: false on the service account or the pod template.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},
	{"IRSA033", GROUP_F, MEDIUM, NULL,
	 "aws-node (VPC CNI) still uses the node role",
	 "kube-system/aws-node, eks:DescribeAddon, eks:ListPodIdentityAssociations",
	 "While the CNI uses the node role, that role keeps AmazonEKS_CNI_Policy, and every pod that reaches "
	 "IMDS inherits it.",
	 "Create a CNI role, bind it to aws-node (IRSA or Pod Identity) and restart the DaemonSet.",
	 MANUAL, false, AUDIT_CHECK_BUILT, NULL},

	/* G. EKS Pod Identity */
	{"IRSA034", GROUP_G, HIGH, NULL,
	 "Association role does not trust pods.eks.amazonaws.com",
	 "eks:ListPodIdentityAssociations, eks:DescribePodIdentityAssociation, " TRUSTS,
	 "Without a statement for pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession the agent "
	 "cannot assume the role: the association is broken.",
	 "Add that statement to the trust.",
	 PLAN, false, AUDIT_CHECK_PLANNED, POD_IDENT},
	{"IRSA035", GROUP_G, MEDIUM, NULL,
	 "Pod Identity trust not scoped to clusters, namespaces or accounts",
	 "eks:ListPodIdentityAssociations, " TRUSTS,
	 "Without aws:RequestTag or aws:SourceAccount conditions, any association of the account can use "
	 "the role, given iam:PassRole.",
	 "Add RequestTag conditions from the associations that use the role, and aws:SourceAccount.",
	 PLAN, false, AUDIT_CHECK_PLANNED, POD_IDENT},
	{"IRSA036", GROUP_G, HIGH, NULL,
	 "Pod Identity Agent missing or unhealthy while associations exist",
	 "eks:DescribeAddon, kube-system/eks-pod-identity-agent",
	 "Without the agent, the pods of associated service accounts get no credentials (EKS Auto Mode runs "
	 "it itself).",
	 "Install the eks-pod-identity-agent add-on (eks:CreateAddon).",
	 PLAN, false, AUDIT_CHECK_PLANNED, POD_IDENT},
	{"IRSA037", GROUP_G, HIGH, NULL,
	 "Association used by pods on unsupported compute (Fargate, Windows)",
	 "eks:ListPodIdentityAssociations, pods, nodes",
	 "Pod Identity does not work on Fargate or on Windows nodes: those pods get no credentials.",
	 "Bind those pods with IRSA instead.",
	 MANUAL, false, AUDIT_CHECK_PLANNED, POD_IDENT},
	{"IRSA038", GROUP_G, MEDIUM, NULL,
	 "IRSA annotation and Pod Identity association on the same service account",
	 "service account annotations, eks:ListPodIdentityAssociations, pods",
	 "The container credentials method takes precedence, so Pod Identity wins and the annotation "
	 "misleads whoever reads it.",
	 "Remove the annotation after checking which mechanism the pods got.",
	 PLAN, true, AUDIT_CHECK_PLANNED, POD_IDENT},
	{"IRSA039", GROUP_G, MEDIUM, NULL,
	 "Proxy env without the Pod Identity agent's address in NO_PROXY",
	 "pods",
	 "With HTTP(S)_PROXY set and 169.254.170.23 (fd00:ec2::23 on IPv6) missing from NO_PROXY, the "
	 "credential requests go to the proxy and fail.",
	 "Add the agent's addresses to NO_PROXY in the owner's pod template.",
	 PLAN, true, AUDIT_CHECK_PLANNED, POD_IDENT},
	{"IRSA040", GROUP_G, MEDIUM, NULL,
	 "Cross-account target-role trust not pinned",
	 "eks:DescribePodIdentityAssociation, the target account's " TRUSTS,
	 "Without aws:PrincipalARN = the association's role and sts:ExternalId (or RequestTag) conditions, "
	 "the target role is open to a confused deputy.",
	 "Add those conditions to the target role's trust (needs credentials for the target account).",
	 PLAN, false, AUDIT_CHECK_PLANNED, POD_IDENT},
};
/* clang-format on */

static const char *const severity_names[] = {"critical", "high", "medium", "low", "info"};

const struct audit_check *
audit_catalog(size_t *n)
{
	*n = sizeof(checks) / sizeof(checks[0]);
	return checks;
}

const struct audit_check *
audit_check_find(const char *id)
{
	if (id == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (strcasecmp(checks[i].id, id) == 0)
			return &checks[i];
	return NULL;
}

const char *
audit_severity_name(enum audit_severity s)
{
	return (unsigned)s < AUDIT_N_SEVERITIES ? severity_names[s] : "unknown";
}

int
audit_severity_parse(const char *name, enum audit_severity *out)
{
	if (name == NULL)
		return -1;
	for (int s = 0; s < AUDIT_N_SEVERITIES; s++)
		if (strcasecmp(name, severity_names[s]) == 0) {
			*out = (enum audit_severity)s;
			return 0;
		}
	return -1;
}

const char *
audit_fix_kind_name(enum audit_fix_kind k)
{
	return k == AUDIT_FIX_PLAN ? "plan" : "manual";
}

const char *
audit_check_status_name(enum audit_check_status s)
{
	switch (s) {
	case AUDIT_CHECK_PLANNED:
		break;
	case AUDIT_CHECK_BUILT:
		return "built";
	}
	return "planned";
}
