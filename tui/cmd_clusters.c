/* tui/cmd_clusters.c - `irsa clusters`: the EKS clusters of one or many
 * regions (queried at once, eks_scan_regions()), each with its OIDC issuer
 * and whether the account has the IAM OIDC provider IRSA needs for it. A
 * region that fails is reported on its own line; the others still print. */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "aws_config.h"
#include "aws_endpoint.h"
#include "cli.h"
#include "eks.h"
#include "iam.h"
#include "kube_match.h"
#include "kubeconfig.h"
#include "log.h"
#include "output.h"
#include "regions.h"

static int
cluster_cmp(const void *a, const void *b)
{
	const struct aws_eks_cluster *x = a, *y = b;

	return strcmp(x->name != NULL ? x->name : "", y->name != NULL ? y->name : "");
}

/* The ARN the IAM OIDC provider for the cluster's issuer has, when the
 * account has one (arns: ListOpenIDConnectProviders); NULL otherwise. */
static char *
provider_arn(const struct aws_eks_cluster *k, const struct aws_strings *arns)
{
	char *want = iam_cluster_provider_arn(k->arn, k->oidc_issuer);
	size_t i;

	for (i = 0; want != NULL && i < arns->n; i++)
		if (strcmp(arns->v[i], want) == 0)
			return want;
	free(want);
	return NULL;
}

/* "No EKS clusters found in us-east-1, eu-west-1." (cut when very long). */
static void
none_message(const struct eks_region *regions, size_t n, char *out, size_t outsz)
{
	size_t i, len;

	len = (size_t)snprintf(out, outsz, "No EKS clusters found in");
	for (i = 0; i < n && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s %s", i > 0 ? "," : "", regions[i].region);
	if (len < outsz)
		snprintf(out + len, outsz - len, ".");
}

static const char *const headers[] = {"NAME",          "REGION",  "VERSION", "STATUS",
                                      "OIDC PROVIDER", "CONTEXT", "ISSUER",  "ARN"};

/* The OIDC PROVIDER cell: pa is the provider's ARN (NULL: none); !iam_ok: unknown. */
static const char *
provider_cell(bool iam_ok, const char *pa)
{
	if (!iam_ok)
		return "unknown";
	return pa != NULL ? "yes" : "no";
}

/* iam_ok: arns is the account's providers; false: unknown (ListOpenIDConnectProviders failed).
 * refs: the kubeconfig's contexts, for the context column. */
static void
clusters_print(struct cli *cli, const struct eks_region *regions, size_t n, const struct aws_strings *arns, bool iam_ok,
               const struct kube_eks_refs *refs)
{
	struct output_table *t = NULL;
	const struct aws_eks_cluster *k;
	const struct kube_eks_ref *ref;
	enum kube_match_kind kind;
	json_object *a = NULL, *o;
	const char *ctx;
	char *pa, none[256];
	size_t i, j;

	if (output_is_json(cli))
		a = json_object_new_array();
	else
		t = output_table_new(sizeof(headers) / sizeof(headers[0]), headers);
	for (i = 0; i < n; i++)
		for (j = 0; j < regions[i].n; j++) {
			k = &regions[i].clusters[j];
			if (k->name == NULL) /* its DescribeCluster failed: reported with the region */
				continue;
			pa = provider_arn(k, arns);
			ref = kube_match_find(refs, k, &kind);
			ctx = ref != NULL ? ref->context : NULL;
			if (a != NULL) {
				o = json_object_new_object();
				output_json_add(o, "name", k->name);
				output_json_add(o, "region", regions[i].region);
				output_json_add(o, "arn", k->arn);
				output_json_add(o, "version", k->version);
				output_json_add(o, "status", k->status);
				output_json_add(o, "endpoint", k->endpoint);
				output_json_add(o, "oidcIssuer", k->oidc_issuer);
				output_json_add(o, "oidcProviderArn", pa);
				output_json_add(o, "context", ctx);
				json_object_array_add(a, o);
			} else if (t != NULL) {
				output_table_add(t, (const char *const[]){k->name, regions[i].region, k->version,
				                                          k->status, provider_cell(iam_ok, pa), ctx,
				                                          k->oidc_issuer, k->arn});
			}
			free(pa);
		}
	if (a != NULL) {
		output_json_print(cli, a);
		json_object_put(a);
	} else if (t != NULL) {
		none_message(regions, n, none, sizeof(none));
		output_table_print(t, cli, none);
	}
	output_table_free(t);
}

static int
clusters_run(struct cli *cli)
{
	struct aws_client_options opt = {.profile = cli->profile, .region = cli->region};
	const struct irsa_error *first = NULL;
	struct aws_strings list = {NULL, 0};
	struct aws_strings arns = {NULL, 0};
	struct kube_eks_refs refs = {NULL, 0};
	struct kubeconfig *kcfg = NULL;
	struct eks_region *regions = NULL;
	struct irsa_error err, iam_err, kube_err;
	struct aws_client *c;
	bool iam_ok = false;
	size_t i;
	int rc = EXIT_OK;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help clusters' for usage.", "clusters takes no arguments");
	if (cli_flag_given(cli, "all-regions") && cli->n_regions > 0)
		return cli_usage_error(cli, "Give either --region (as often as needed) or --all-regions.",
		                       "--all-regions and --region exclude each other");
	if (cli->n_regions > CLI_MAX_REGIONS)
		return cli_usage_error(cli, "Use --all-regions, or fewer regions.", "more than %d --region flags",
		                       CLI_MAX_REGIONS);
	irsa_error_clear(&err);
	/* The client for IAM (global) and the credentials: in the first region
	 * asked for, else the configured one. */
	if (region_list_from_flags(cli, &list) != 0) {
		aws_strings_release(&list);
		irsa_error_set(&err, IRSA_ERR_INTERNAL, "out of memory");
		return output_error(cli, &err);
	}
	opt.region = list.n > 0 ? list.v[0] : cli->region;
	c = aws_client_new(&opt, &err);
	if (c == NULL) {
		aws_strings_release(&list);
		return output_error(cli, &err);
	}
	if ((list.n == 0 && region_list_default(c, cli_flag_given(cli, "all-regions"), &list) != 0) ||
	    (regions = calloc(list.n, sizeof(*regions))) == NULL) {
		irsa_error_set(&err, IRSA_ERR_INTERNAL, "out of memory");
		rc = output_error(cli, &err);
		goto out;
	}
	for (i = 0; i < list.n; i++)
		regions[i].region = list.v[i];
	eks_scan_regions(c, regions, list.n);
	iam_ok = iam_list_oidc_providers(c, &arns, &iam_err) == 0;
	for (i = 0; i < list.n; i++)
		if (regions[i].n > 1)
			qsort(regions[i].clusters, regions[i].n, sizeof(*regions[i].clusters), cluster_cmp);
	if (kubeconfig_load(cli->kubeconfig, &kcfg, &kube_err) != 0 || kube_match_refs(kcfg, &refs, &kube_err) != 0)
		log_debug("clusters: no kubeconfig contexts matched: %s", kube_err.message);
	clusters_print(cli, regions, list.n, &arns, iam_ok, &refs);

	/* Every failure on a line of its own, then the first one's hint. */
	for (i = 0; i < list.n; i++)
		if (regions[i].rc != 0) {
			output_error_line(cli, &regions[i].err);
			first = first != NULL ? first : &regions[i].err;
		}
	if (!iam_ok) {
		output_error_line(cli, &iam_err);
		first = first != NULL ? first : &iam_err;
	}
	if (first != NULL) {
		output_hint(cli, first);
		rc = EXIT_FAILURE_RUN;
	}
out:
	for (i = 0; regions != NULL && i < list.n; i++)
		eks_region_release(&regions[i]);
	free(regions);
	aws_strings_release(&list);
	aws_strings_release(&arns);
	kube_match_refs_release(&refs);
	kubeconfig_free(kcfg);
	aws_client_free(c);
	return rc;
}

static const struct cli_flag clusters_flags[] = {
        {"all-regions", 0, NULL, "every standard region of the partition"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_clusters = {
        .name = "clusters",
        .summary = "list EKS clusters of many regions and their OIDC providers",
        .usage = "clusters [--region R ...] [--all-regions] [-o text|json]",
        .description = "Lists the EKS clusters of every region asked for, the regions queried at once,\n"
                       "with each cluster's Kubernetes version, status, ARN, OIDC issuer and whether the\n"
                       "account has the IAM OIDC provider for that issuer (which IRSA needs).\n"
                       "\n"
                       "Regions: each --region (repeat it, or give a comma-separated list); else the\n"
                       "configured region (--region, AWS_REGION, AWS_DEFAULT_REGION, the profile's)\n"
                       "plus the region of every profile in the AWS config files. --all-regions asks\n"
                       "every region of the partition where EKS runs that accounts have enabled by\n"
                       "default (a list built into irsa; name opt-in regions with --region).\n"
                       "\n"
                       "A region that fails is reported on stderr, one line each; the clusters of the\n"
                       "others are still printed, and the exit status is 1.\n"
                       "-o json prints an array of objects: name, region, arn, version, status,\n"
                       "endpoint, oidcIssuer, oidcProviderArn (null when the account has none) and\n"
                       "context: the kubeconfig context that reaches the cluster (by ARN, by the EKS\n"
                       "token plugin's flags, or by server URL; the current context first), or null.",
        .outputs = "text,json",
        .flags = clusters_flags,
        .run = clusters_run,
};
