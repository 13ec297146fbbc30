/* tests/integration/kube_cmds_check.c - drives what the Kubernetes
 * commands build on but do not yet expose, for
 * tests/integration/kube_commands.sh: reaching an EKS cluster that no
 * kubeconfig context names (DescribeCluster's endpoint and CA, the built-in
 * EKS token; core/kube_match.h, core/kube_eks_auth.h). Links only
 * libirsacore; AWS as the environment configures it.
 *
 *   kube_cmds_check cluster-namespaces NAME [REGION]
 *       the namespaces, one name a line; then "tokens=N" (built-in tokens
 *       made) and "server=URL" on stderr
 * Errors: "irsa: <error>" and "kind: <kind>" on stderr; exit 1. Usage: exit 2. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "aws_client.h"
#include "eks.h"
#include "kube.h"
#include "kube_api.h"
#include "kube_eks_auth.h"
#include "kube_match.h"

static int
fail(const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(stderr, "irsa: %s\nkind: %s\n", line, irsa_err_name(err->kind));
	return 1;
}

static int
cluster_namespaces(const char *name, const char *region)
{
	struct aws_client_options aopt = {.region = region};
	struct kube_eks_auth_params p = {name, region, NULL, NULL};
	struct kube_object_list nss = {NULL, 0, {0, 0}};
	struct kube_client_options kopt = {0};
	struct kube_eks_auth *auth = NULL;
	struct kube_target *t = NULL;
	struct kube_client *kc = NULL;
	struct aws_eks_cluster k;
	struct aws_client *c;
	struct irsa_error err;
	size_t i;
	int rc = 1;

	c = aws_client_new(&aopt, &err);
	if (c == NULL)
		return fail(&err);
	if (eks_describe_cluster(c, name, &k, &err) != 0 || kube_match_cluster_target(&k, &t, &err) != 0 ||
	    (auth = kube_eks_auth_new_params(&p, &err)) == NULL)
		goto out;
	kube_eks_auth_set_options(auth, &kopt);
	if ((kc = kube_client_new(t, &kopt, &err)) == NULL || kube_list_namespaces(kc, &nss, &err) != 0)
		goto out;
	for (i = 0; i < nss.n; i++)
		printf("%s\n", nss.v[i].name);
	fprintf(stderr, "tokens=%u\nserver=%s\n", kube_eks_auth_count(auth), t->server);
	rc = 0;
out:
	if (rc != 0)
		fail(&err);
	kube_object_list_release(&nss);
	kube_client_free(kc);
	kube_eks_auth_free(auth);
	kube_target_free(t);
	aws_eks_cluster_release(&k);
	aws_client_free(c);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "cluster-namespaces") == 0)
		return cluster_namespaces(argv[2], argc == 4 ? argv[3] : NULL);
	fprintf(stderr, "usage: kube_cmds_check cluster-namespaces NAME [REGION]\n");
	return 2;
}
