/* tui/bind_clients.c - opening the clients of one EKS cluster for the
 * binding engine (see bind_clients.h). No curses here. */
#include "config.h"

#include "bind_clients.h"

#include <stdlib.h>
#include <string.h>

#include "eks.h"
#include "kube.h"

/* The EKS cluster the context reaches: by its ARN, or its token plugin's
 * --cluster-name and --region. */
static int
cluster_of_context(struct bind_clients *c, struct irsa_error *err)
{
	struct kube_eks_refs refs = {NULL, 0};
	int rc = -1;

	if (kube_match_refs(c->cfg, &refs, err) != 0)
		goto out;
	for (size_t i = 0; i < refs.n; i++) {
		const struct kube_eks_ref *r = &refs.v[i];

		if (strcmp(r->context, c->target->context) != 0)
			continue;
		if (r->name == NULL || r->region == NULL) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			               "context %s does not say which EKS cluster it reaches (its cluster is not named "
			               "by an EKS ARN, and it has no aws eks get-token plugin)",
			               r->context);
			irsa_error_hint(err, "Name the cluster: --cluster NAME --region REGION.");
			goto out;
		}
		snprintf(c->cluster, sizeof(c->cluster), "%s", r->name);
		snprintf(c->region, sizeof(c->region), "%s", r->region);
		rc = 0;
		goto out;
	}
	irsa_error_set(err, IRSA_ERR_NOT_FOUND, "context %s not found", c->target->context);
out:
	kube_match_refs_release(&refs);
	return rc;
}

static int
open_kube_context(struct bind_clients *c, const struct cli *cli, const char *context, struct irsa_error *err)
{
	struct kube_client_options opt;

	memset(&opt, 0, sizeof(opt));
	if (kubeconfig_load(cli->kubeconfig, &c->cfg, err) != 0 ||
	    kubeconfig_resolve(c->cfg, context, &c->target, err) != 0 || cluster_of_context(c, err) != 0)
		return -1;
	if (!cli->exec_plugins && kube_eks_auth_applies(c->target)) {
		if ((c->eks = kube_eks_auth_new(c->target, err)) == NULL)
			return -1;
		kube_eks_auth_set_options(c->eks, &opt);
	}
	c->kube = kube_client_new(c->target, &opt, err);
	return c->kube != NULL ? 0 : -1;
}

static int
open_kube_cluster(struct bind_clients *c, const struct cli *cli, struct irsa_error *err)
{
	struct kube_eks_auth_params params = {c->cluster, c->region, cli->profile, NULL};
	struct kube_client_options opt;
	struct aws_eks_cluster k;
	int rc;

	memset(&opt, 0, sizeof(opt));
	rc = eks_describe_cluster(c->aws, c->cluster, &k, err);
	if (rc == 0)
		rc = kube_match_cluster_target(&k, &c->target, err);
	aws_eks_cluster_release(&k);
	if (rc != 0)
		return -1;
	if ((c->eks = kube_eks_auth_new_params(&params, err)) == NULL)
		return -1;
	kube_eks_auth_set_options(c->eks, &opt);
	c->kube = kube_client_new(c->target, &opt, err);
	return c->kube != NULL ? 0 : -1;
}

int
bind_clients_open(struct bind_clients *c, const struct cli *cli, const char *context, const char *cluster,
                  const char *region, struct irsa_error *err)
{
	struct aws_client_options opt = {.profile = cli->profile, .region = region};
	const char *connect_to = getenv("IRSA_CONNECT_TO");
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	if (cluster == NULL) {
		if (open_kube_context(c, cli, context, err) != 0)
			return -1;
		c->context = c->target->context;
		opt.region = c->region;
		if ((c->aws = aws_client_new(&opt, err)) == NULL)
			return -1;
	} else {
		snprintf(c->cluster, sizeof(c->cluster), "%s", cluster);
		snprintf(c->region, sizeof(c->region), "%s", region != NULL ? region : "");
		if ((c->aws = aws_client_new(&opt, err)) == NULL || open_kube_cluster(c, cli, err) != 0)
			return -1;
	}
	if (connect_to != NULL && *connect_to != '\0' &&
	    oidc_parse_connect_to(connect_to, &c->connect_to, &n, err) != 0) {
		irsa_error_prefix(err, "IRSA_CONNECT_TO");
		return -1;
	}
	c->oidc.connect_to = (const char *const *)c->connect_to;
	c->oidc.n_connect_to = n;
	c->oidc.ca_bundle = getenv("AWS_CA_BUNDLE");
	if (c->oidc.ca_bundle != NULL && *c->oidc.ca_bundle == '\0')
		c->oidc.ca_bundle = NULL;
	c->env.aws = c->aws;
	c->env.kube = c->kube;
	c->env.oidc = &c->oidc;
	return 0;
}

void
bind_clients_close(struct bind_clients *c)
{
	kube_client_free(c->kube);
	kube_eks_auth_free(c->eks);
	kube_target_free(c->target);
	kubeconfig_free(c->cfg);
	aws_client_free(c->aws);
	oidc_connect_to_free(c->connect_to);
	memset(c, 0, sizeof(*c));
}
