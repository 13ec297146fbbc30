/* tui/cmd_contexts.c - `irsa contexts`: the kubeconfig's contexts, as
 * `kubectl config get-contexts` lists them, with each one's server, how its
 * user authenticates and the EKS cluster it reaches. The cluster comes from
 * the kubeconfig alone when it can (an EKS ARN as the cluster name, the EKS
 * token plugin's flags); else the EKS clusters of the configured regions are
 * described and compared by endpoint. AWS being unreachable or unconfigured
 * leaves those empty (--debug says why); it never fails the command. */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "aws_config.h"
#include "cli.h"
#include "eks.h"
#include "kube_match.h"
#include "kubeconfig.h"
#include "log.h"
#include "output.h"

#define CONTEXTS_AWS_TIMEOUT_MS 10000 /* one EKS call: the listing must not hang on an unreachable AWS */
#define CONTEXTS_MAX_REGIONS    32

/* The EKS cluster found for each context. */
struct found {
	char *arn;
	enum kube_match_kind kind;
};

/* Adds r to the n regions of v unless it is there. */
static void
region_add(const char **v, size_t *n, const char *r)
{
	size_t i;

	if (r == NULL || *n >= CONTEXTS_MAX_REGIONS)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(v[i], r) == 0)
			return;
	v[(*n)++] = r;
}

/* Describes the clusters of the configured regions (and those the EKS
 * plugins name) and matches the contexts the kubeconfig alone could not
 * tie to an ARN. */
static void
match_with_aws(struct cli *cli, const struct kube_eks_refs *refs, struct found *found)
{
	struct aws_client_options opt = {.profile = cli->profile, .region = cli->region};
	const char *names[CONTEXTS_MAX_REGIONS];
	struct eks_region regions[CONTEXTS_MAX_REGIONS];
	const struct aws_config *cfg;
	struct aws_client *c;
	struct irsa_error err;
	size_t i, j, k, n = 0;

	opt.timeout_ms = CONTEXTS_AWS_TIMEOUT_MS;
	c = aws_client_new(&opt, &err);
	if (c == NULL) {
		log_debug("contexts: EKS clusters not matched by server URL (AWS is not usable: %s)", err.message);
		return;
	}
	region_add(names, &n, aws_client_region(c));
	for (i = 0; i < refs->n; i++)
		region_add(names, &n, refs->v[i].region);
	cfg = aws_client_config(c);
	for (i = 0; cfg != NULL && i < aws_config_profile_count(cfg); i++)
		region_add(names, &n, aws_config_get(cfg, aws_config_profile_name(cfg, i), "region"));
	memset(regions, 0, sizeof(regions));
	for (i = 0; i < n; i++)
		regions[i].region = names[i];
	eks_scan_regions(c, regions, n);
	for (i = 0; i < n; i++)
		if (regions[i].rc != 0)
			log_debug("contexts: EKS clusters of %s not matched by server URL: %s", names[i],
			          regions[i].err.message);
	for (i = 0; i < refs->n; i++)
		for (j = 0; j < n && found[i].kind != KUBE_MATCH_ARN && found[i].arn == NULL; j++)
			for (k = 0; k < regions[j].n && found[i].arn == NULL; k++)
				if (regions[j].clusters[k].arn != NULL &&
				    (found[i].kind = kube_match_ref(&refs->v[i], &regions[j].clusters[k])) !=
				            KUBE_MATCH_NONE)
					found[i].arn = strdup(regions[j].clusters[k].arn);
	for (i = 0; i < n; i++)
		eks_region_release(&regions[i]);
	aws_client_free(c);
}

static const char *
auth_name(const struct cli *cli, const struct kube_eks_ref *r)
{
	if (r->eks_plugin)
		return cli->exec_plugins ? "exec" : "eks-token";
	return kube_auth_kind_name(r->auth);
}

static const char *const headers[] = {"CURRENT", "NAME", "CLUSTER", "SERVER", "USER", "AUTH", "EKS CLUSTER"};

static void
contexts_print(struct cli *cli, const struct kubeconfig *cfg, const struct kube_eks_refs *refs,
               const struct found *found)
{
	struct output_table *t = NULL;
	const struct kube_eks_ref *r;
	struct kube_context_info ci;
	json_object *a = NULL, *o;
	char eks[KUBE_MATCH_MAX_NAME * 2 + 4];
	size_t i;

	if (output_is_json(cli))
		a = json_object_new_array();
	else
		t = output_table_new(sizeof(headers) / sizeof(headers[0]), headers);
	for (i = 0; i < refs->n; i++) {
		r = &refs->v[i];
		if (kubeconfig_context(cfg, i, &ci) != 0)
			continue;
		if (found[i].arn != NULL)
			snprintf(eks, sizeof(eks), "%s", found[i].arn);
		else if (r->name != NULL)
			snprintf(eks, sizeof(eks), "%s (%s)", r->name, r->region);
		if (a != NULL) {
			o = json_object_new_object();
			output_json_add(o, "name", ci.name);
			json_object_object_add(o, "current", json_object_new_boolean(ci.current));
			output_json_add(o, "cluster", ci.cluster);
			output_json_add(o, "server", ci.server);
			output_json_add(o, "user", ci.user);
			output_json_add(o, "namespace", ci.namespace);
			output_json_add(o, "auth", auth_name(cli, r));
			output_json_add(o, "eksCluster", found[i].arn);
			output_json_add(o, "eksClusterName", r->name);
			output_json_add(o, "eksRegion", r->region);
			output_json_add(o, "eksMatch", kube_match_kind_name(found[i].kind));
			json_object_array_add(a, o);
		} else if (t != NULL) {
			output_table_add(t,
			                 (const char *const[]){ci.current ? "*" : "", ci.name, ci.cluster, ci.server,
			                                       ci.user, auth_name(cli, r),
			                                       found[i].arn != NULL || r->name != NULL ? eks : NULL});
		}
	}
	if (a != NULL) {
		output_json_print(cli, a);
		json_object_put(a);
	}
	if (t != NULL)
		output_table_print(t, cli, "No contexts found in the kubeconfig.");
	output_table_free(t);
}

static int
contexts_run(struct cli *cli)
{
	struct kube_eks_refs refs = {NULL, 0};
	struct found *found = NULL;
	struct kubeconfig *cfg = NULL;
	struct irsa_error err;
	bool need_aws = false;
	size_t i;
	int rc = EXIT_OK;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help contexts' for usage.", "contexts takes no arguments");
	irsa_error_clear(&err);
	if (kubeconfig_load(cli->kubeconfig, &cfg, &err) != 0 || kube_match_refs(cfg, &refs, &err) != 0) {
		rc = output_error(cli, &err);
		goto out;
	}
	found = calloc(refs.n + 1, sizeof(*found));
	for (i = 0; found != NULL && i < refs.n; i++) {
		found[i].kind = refs.v[i].kind;
		if (refs.v[i].arn != NULL && (found[i].arn = strdup(refs.v[i].arn)) == NULL)
			break;
		need_aws = need_aws || found[i].arn == NULL;
	}
	if (found == NULL || i < refs.n) {
		irsa_error_oom(&err);
		rc = output_error(cli, &err);
		goto out;
	}
	if (need_aws)
		match_with_aws(cli, &refs, found);
	contexts_print(cli, cfg, &refs, found);
out:
	for (i = 0; found != NULL && i < refs.n; i++)
		free(found[i].arn);
	free(found);
	kube_match_refs_release(&refs);
	kubeconfig_free(cfg);
	return rc;
}

const struct cmd cmd_contexts = {
        .name = "contexts",
        .summary = "list kubeconfig contexts and the EKS clusters they reach",
        .usage = "contexts [--kubeconfig PATH] [-o text|json]",
        .description = "Lists the contexts of the kubeconfig (--kubeconfig, else KUBECONFIG, else\n"
                       "~/.kube/config) with each one's cluster, server, user, how the user\n"
                       "authenticates (eks-token: irsa makes the token `aws eks get-token` would)\n"
                       "and the EKS cluster it reaches.\n"
                       "\n"
                       "The EKS cluster is read from the kubeconfig when it can be: a cluster named\n"
                       "by its ARN (as `aws eks update-kubeconfig` writes it), or the EKS token\n"
                       "plugin's --cluster-name and --region. Other contexts are matched by server\n"
                       "URL against the endpoints of the EKS clusters of the configured regions;\n"
                       "when AWS cannot be reached they stay empty (--debug says why).\n"
                       "\n"
                       "-o json prints an array of objects: name, current, cluster, server, user,\n"
                       "namespace, auth, eksCluster (the ARN, or null), eksClusterName, eksRegion\n"
                       "and eksMatch (\"arn\", \"exec\", \"server\" or null).",
        .outputs = "text,json",
        .run = contexts_run,
};
