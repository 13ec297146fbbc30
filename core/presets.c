/* core/presets.c - the add-on presets table (see presets.h) and the
 * placeholder filling of its templates.
 *
 * The AWS managed policy names were checked against the real managed policy
 * list (moto loads it: `aws iam list-policies --scope AWS` against the
 * sandbox); tests/unit/test_presets.c pins them. The customer managed
 * templates are the add-ons' documented policies, shortened where the
 * upstream one is long (the Load Balancer Controller's: its source says
 * where the full one is) and scoped the way their docs recommend. Pure. */
#include "config.h"

#include "presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

#define MANAGED(path) "arn:${partition}:iam::aws:policy/" path

/* clang-format off */
/* The AWS Load Balancer Controller: the actions of upstream's
 * docs/install/iam_policy.json, without its per-tag conditions. */
#define LBC_DOCUMENT                                                                                                   \
	"{\n"                                                                                                          \
	"  \"Version\": \"2012-10-17\",\n"                                                                             \
	"  \"Statement\": [\n"                                                                                         \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": \"iam:CreateServiceLinkedRole\",\n"                                                         \
	"      \"Resource\": \"*\",\n"                                                                                 \
	"      \"Condition\": {\"StringEquals\": {\"iam:AWSServiceName\": \"elasticloadbalancing.amazonaws.com\"}}\n" \
	"    },\n"                                                                                                     \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\n"                                                                                        \
	"        \"ec2:DescribeAccountAttributes\", \"ec2:DescribeAddresses\", \"ec2:DescribeAvailabilityZones\",\n"   \
	"        \"ec2:DescribeInternetGateways\", \"ec2:DescribeVpcs\", \"ec2:DescribeVpcPeeringConnections\",\n"     \
	"        \"ec2:DescribeSubnets\", \"ec2:DescribeSecurityGroups\", \"ec2:DescribeInstances\",\n"                \
	"        \"ec2:DescribeNetworkInterfaces\", \"ec2:DescribeTags\", \"ec2:DescribeCoipPools\",\n"                \
	"        \"ec2:GetCoipPoolUsage\", \"ec2:GetSecurityGroupsForVpc\", \"elasticloadbalancing:Describe*\",\n"     \
	"        \"acm:ListCertificates\", \"acm:DescribeCertificate\", \"iam:ListServerCertificates\",\n"            \
	"        \"iam:GetServerCertificate\", \"cognito-idp:DescribeUserPoolClient\", \"wafv2:GetWebACL\",\n"         \
	"        \"wafv2:GetWebACLForResource\", \"wafv2:AssociateWebACL\", \"wafv2:DisassociateWebACL\",\n"           \
	"        \"waf-regional:GetWebACL\", \"waf-regional:GetWebACLForResource\", \"waf-regional:AssociateWebACL\",\n" \
	"        \"waf-regional:DisassociateWebACL\", \"shield:GetSubscriptionState\", \"shield:DescribeProtection\",\n" \
	"        \"shield:CreateProtection\", \"shield:DeleteProtection\"\n"                                           \
	"      ],\n"                                                                                                   \
	"      \"Resource\": \"*\"\n"                                                                                  \
	"    },\n"                                                                                                     \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\n"                                                                                        \
	"        \"ec2:CreateSecurityGroup\", \"ec2:DeleteSecurityGroup\", \"ec2:AuthorizeSecurityGroupIngress\",\n"   \
	"        \"ec2:RevokeSecurityGroupIngress\", \"ec2:CreateTags\", \"ec2:DeleteTags\"\n"                         \
	"      ],\n"                                                                                                   \
	"      \"Resource\": \"*\"\n"                                                                                  \
	"    },\n"                                                                                                     \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\n"                                                                                        \
	"        \"elasticloadbalancing:CreateLoadBalancer\", \"elasticloadbalancing:CreateTargetGroup\",\n"           \
	"        \"elasticloadbalancing:CreateListener\", \"elasticloadbalancing:DeleteListener\",\n"                  \
	"        \"elasticloadbalancing:CreateRule\", \"elasticloadbalancing:DeleteRule\",\n"                          \
	"        \"elasticloadbalancing:ModifyListener\", \"elasticloadbalancing:ModifyRule\",\n"                      \
	"        \"elasticloadbalancing:AddListenerCertificates\", \"elasticloadbalancing:RemoveListenerCertificates\",\n" \
	"        \"elasticloadbalancing:ModifyLoadBalancerAttributes\", \"elasticloadbalancing:SetIpAddressType\",\n"  \
	"        \"elasticloadbalancing:SetSecurityGroups\", \"elasticloadbalancing:SetSubnets\",\n"                   \
	"        \"elasticloadbalancing:DeleteLoadBalancer\", \"elasticloadbalancing:ModifyTargetGroup\",\n"           \
	"        \"elasticloadbalancing:ModifyTargetGroupAttributes\", \"elasticloadbalancing:DeleteTargetGroup\",\n"  \
	"        \"elasticloadbalancing:RegisterTargets\", \"elasticloadbalancing:DeregisterTargets\",\n"              \
	"        \"elasticloadbalancing:AddTags\", \"elasticloadbalancing:RemoveTags\", \"elasticloadbalancing:SetWebAcl\"\n" \
	"      ],\n"                                                                                                   \
	"      \"Resource\": \"*\"\n"                                                                                  \
	"    }\n"                                                                                                      \
	"  ]\n"                                                                                                        \
	"}\n"

/* external-dns: docs/tutorials/aws.md ("AllowExternalDNSUpdates"). */
#define EXTERNAL_DNS_DOCUMENT                                                                                          \
	"{\n"                                                                                                          \
	"  \"Version\": \"2012-10-17\",\n"                                                                             \
	"  \"Statement\": [\n"                                                                                         \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\"route53:ChangeResourceRecordSets\"],\n"                                                  \
	"      \"Resource\": [\"arn:${partition}:route53:::hostedzone/*\"]\n"                                          \
	"    },\n"                                                                                                     \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\"route53:ListHostedZones\", \"route53:ListResourceRecordSets\", "                        \
	"\"route53:ListTagsForResource\"],\n"                                                                          \
	"      \"Resource\": [\"*\"]\n"                                                                                \
	"    }\n"                                                                                                      \
	"  ]\n"                                                                                                        \
	"}\n"

/* cert-manager: the Route53 DNS01 solver (docs/configuration/acme/dns01/route53). */
#define CERT_MANAGER_DOCUMENT                                                                                          \
	"{\n"                                                                                                          \
	"  \"Version\": \"2012-10-17\",\n"                                                                             \
	"  \"Statement\": [\n"                                                                                         \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": \"route53:GetChange\",\n"                                                                   \
	"      \"Resource\": \"arn:${partition}:route53:::change/*\"\n"                                                \
	"    },\n"                                                                                                     \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\"route53:ChangeResourceRecordSets\", \"route53:ListResourceRecordSets\"],\n"              \
	"      \"Resource\": \"arn:${partition}:route53:::hostedzone/*\"\n"                                            \
	"    },\n"                                                                                                     \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": \"route53:ListHostedZonesByName\",\n"                                                       \
	"      \"Resource\": \"*\"\n"                                                                                  \
	"    }\n"                                                                                                      \
	"  ]\n"                                                                                                        \
	"}\n"

/* external-secrets: the AWS Secrets Manager provider, read only, scoped to
 * the account and region (narrow the secret:* further to a prefix). */
#define EXTERNAL_SECRETS_DOCUMENT                                                                                      \
	"{\n"                                                                                                          \
	"  \"Version\": \"2012-10-17\",\n"                                                                             \
	"  \"Statement\": [\n"                                                                                         \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\n"                                                                                        \
	"        \"secretsmanager:GetResourcePolicy\", \"secretsmanager:GetSecretValue\",\n"                           \
	"        \"secretsmanager:DescribeSecret\", \"secretsmanager:ListSecretVersionIds\"\n"                         \
	"      ],\n"                                                                                                   \
	"      \"Resource\": [\"arn:${partition}:secretsmanager:${region}:${account}:secret:*\"]\n"                    \
	"    }\n"                                                                                                      \
	"  ]\n"                                                                                                        \
	"}\n"

/* cluster-autoscaler: cloudprovider/aws/README.md, with the writes limited to
 * the Auto Scaling groups tagged for this cluster, as it recommends. */
#define CLUSTER_AUTOSCALER_DOCUMENT                                                                                    \
	"{\n"                                                                                                          \
	"  \"Version\": \"2012-10-17\",\n"                                                                             \
	"  \"Statement\": [\n"                                                                                         \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\n"                                                                                        \
	"        \"autoscaling:DescribeAutoScalingGroups\", \"autoscaling:DescribeAutoScalingInstances\",\n"           \
	"        \"autoscaling:DescribeLaunchConfigurations\", \"autoscaling:DescribeScalingActivities\",\n"           \
	"        \"autoscaling:DescribeTags\", \"ec2:DescribeImages\", \"ec2:DescribeInstanceTypes\",\n"               \
	"        \"ec2:DescribeLaunchTemplateVersions\", \"ec2:GetInstanceTypesFromInstanceRequirements\",\n"          \
	"        \"eks:DescribeNodegroup\"\n"                                                                          \
	"      ],\n"                                                                                                   \
	"      \"Resource\": \"*\"\n"                                                                                  \
	"    },\n"                                                                                                     \
	"    {\n"                                                                                                      \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Action\": [\"autoscaling:SetDesiredCapacity\", \"autoscaling:TerminateInstanceInAutoScalingGroup\"],\n" \
	"      \"Resource\": \"*\",\n"                                                                                 \
	"      \"Condition\": {\"StringEquals\": {\"aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}\": "          \
	"\"owned\"}}\n"                                                                                                \
	"    }\n"                                                                                                      \
	"  ]\n"                                                                                                        \
	"}\n"

static const struct preset presets[] = {
	{
		"aws-load-balancer-controller", "AWS Load Balancer Controller",
		"kube-system", "aws-load-balancer-controller",
		"Creates and manages ALBs and NLBs, their target groups, listeners and security groups for Ingresses and Services.",
		{NULL},
		"AWSLoadBalancerControllerIAMPolicy", LBC_DOCUMENT,
		"Elastic Load Balancing create/modify/delete, EC2 security group rules and tags, "
		"and reads of ACM, WAF, Shield and Cognito.",
		"https://kubernetes-sigs.github.io/aws-load-balancer-controller/ "
		"(docs/install/iam_policy.json: the full, tag-scoped policy)",
	},
	{
		"ebs-csi", "EBS CSI driver",
		"kube-system", "ebs-csi-controller-sa",
		"Creates, attaches, snapshots and deletes EBS volumes for PersistentVolumes.",
		{MANAGED("service-role/AmazonEBSCSIDriverPolicy"), NULL},
		NULL, NULL, NULL,
		"https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html",
	},
	{
		"efs-csi", "EFS CSI driver",
		"kube-system", "efs-csi-controller-sa",
		"Creates and deletes EFS access points for dynamically provisioned PersistentVolumes.",
		{MANAGED("service-role/AmazonEFSCSIDriverPolicy"), NULL},
		NULL, NULL, NULL,
		"https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html",
	},
	{
		"external-dns", "external-dns",
		"external-dns", "external-dns",
		"Keeps Route 53 records in step with Services and Ingresses.",
		{NULL},
		"AllowExternalDNSUpdates", EXTERNAL_DNS_DOCUMENT,
		"Changes record sets in any Route 53 hosted zone and lists zones, records and their tags.",
		"https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/",
	},
	{
		"cert-manager", "cert-manager",
		"cert-manager", "cert-manager",
		"Answers ACME DNS-01 challenges in Route 53 to issue certificates.",
		{NULL},
		"cert-manager-route53", CERT_MANAGER_DOCUMENT,
		"Reads and changes record sets in Route 53 hosted zones, finds zones by name and follows changes.",
		"https://cert-manager.io/docs/configuration/acme/dns01/route53/",
	},
	{
		"external-secrets", "external-secrets",
		"external-secrets", "external-secrets",
		"Copies secrets from AWS Secrets Manager into Kubernetes Secrets.",
		{NULL},
		"external-secrets-read", EXTERNAL_SECRETS_DOCUMENT,
		"Reads the values and metadata of every Secrets Manager secret of the account in the cluster's region.",
		"https://external-secrets.io/latest/provider/aws-secrets-manager/",
	},
	{
		"cluster-autoscaler", "cluster-autoscaler",
		"kube-system", "cluster-autoscaler",
		"Resizes the cluster's Auto Scaling groups to fit pending pods.",
		{NULL},
		"AmazonEKSClusterAutoscalerPolicy", CLUSTER_AUTOSCALER_DOCUMENT,
		"Reads Auto Scaling groups, instance types and node groups, and resizes only the groups tagged for this cluster.",
		"https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md",
	},
	{
		"vpc-cni", "Amazon VPC CNI",
		"kube-system", "aws-node",
		"Assigns VPC IP addresses to pods through ENIs on the nodes (IPv4 clusters).",
		{MANAGED("AmazonEKS_CNI_Policy"), NULL},
		NULL, NULL, NULL,
		"https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html",
	},
	{
		"cloudwatch-observability", "CloudWatch observability",
		"amazon-cloudwatch", "cloudwatch-agent",
		"Sends Container Insights metrics and logs to CloudWatch "
		"(add AWSXrayWriteOnlyAccess for Application Signals traces).",
		{MANAGED("CloudWatchAgentServerPolicy"), NULL},
		NULL, NULL, NULL,
		"https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html",
	},
};
/* clang-format on */
#define N_PRESETS (sizeof(presets) / sizeof(presets[0]))

const struct preset *
presets_all(size_t *n)
{
	*n = N_PRESETS;
	return presets;
}

const struct preset *
presets_find(const char *id)
{
	if (id == NULL)
		return NULL;
	for (size_t i = 0; i < N_PRESETS; i++)
		if (strcasecmp(presets[i].id, id) == 0)
			return &presets[i];
	return NULL;
}

const struct preset *
presets_match(const char *ns, const char *sa)
{
	if (ns == NULL || sa == NULL)
		return NULL;
	for (size_t i = 0; i < N_PRESETS; i++)
		if (strcmp(presets[i].ns, ns) == 0 && strcmp(presets[i].sa, sa) == 0)
			return &presets[i];
	return NULL;
}

static const char *
var_value(const struct presets_vars *vars, const char *name, size_t len)
{
	static const char *const names[] = {"partition", "region", "account", "cluster"};
	const char *values[] = {vars->partition, vars->region, vars->account, vars->cluster};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
			return values[i] != NULL ? values[i] : "";
	return NULL;
}

bool
presets_uses(const char *tmpl, const char *name)
{
	char want[64];

	if (tmpl == NULL || name == NULL)
		return false;
	snprintf(want, sizeof(want), "${%s}", name);
	return strstr(tmpl, want) != NULL;
}

char *
presets_render(const char *tmpl, const struct presets_vars *vars, struct irsa_error *err)
{
	static const struct presets_vars none = {NULL, NULL, NULL, NULL};
	struct buf out;
	const char *p, *v;
	char *s;

	if (vars == NULL)
		vars = &none;
	buf_init(&out, 1024 * 1024);
	for (p = tmpl; *p != '\0';) {
		const char *open = strstr(p, "${"), *close;

		if (open == NULL) {
			if (buf_addstr(&out, p) != 0)
				goto oom;
			break;
		}
		if (buf_add(&out, p, (size_t)(open - p)) != 0)
			goto oom;
		if ((close = strchr(open + 2, '}')) == NULL) {
			buf_release(&out);
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "unterminated placeholder at \"%.20s\"", open);
			return NULL;
		}
		if ((v = var_value(vars, open + 2, (size_t)(close - open - 2))) == NULL) {
			buf_release(&out);
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "unknown placeholder %.*s", (int)(close - open + 1),
			               open);
			irsa_error_hint(err, "Templates know ${partition}, ${region}, ${account} and ${cluster}.");
			return NULL;
		}
		if (*v == '\0') {
			buf_release(&out);
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the template needs %.*s, and it is not known",
			               (int)(close - open + 1), open);
			return NULL;
		}
		if (buf_addstr(&out, v) != 0)
			goto oom;
		p = close + 1;
	}
	if ((s = buf_detach(&out)) == NULL)
		goto oom;
	return s;
oom:
	buf_release(&out);
	irsa_error_oom(err);
	return NULL;
}
