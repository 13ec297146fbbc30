/* tui/bind_clients.h - the AWS and Kubernetes clients a plan is read and
 * applied with, for one EKS cluster reached either by a kubeconfig context
 * (the cluster and region then come from the context: its EKS ARN, or its
 * aws eks get-token plugin's --cluster-name and --region) or by name and
 * region (DescribeCluster and the built-in EKS token), plus how to reach
 * the cluster's OIDC issuer (AWS_CA_BUNDLE, IRSA_CONNECT_TO). Shared by
 * `irsa plan/apply/rollback` (bind.c) and the wizard (screen_wizard.c).
 * No curses here. */
#ifndef IRSA_BIND_CLIENTS_H
#define IRSA_BIND_CLIENTS_H

#include "aws_client.h"
#include "cli.h"
#include "kube_eks_auth.h"
#include "kube_match.h"
#include "kubeconfig.h"
#include "oidc.h"
#include "plan.h"

/* Owned; close with bind_clients_close(). Zeroed is closed. */
struct bind_clients {
	char cluster[KUBE_MATCH_MAX_NAME]; /* the EKS cluster's name */
	char region[KUBE_MATCH_MAX_NAME];  /* its region */
	const char *context;               /* the context used (borrowed from target), NULL when by name */

	struct aws_client *aws; /* in the cluster's region */
	struct kubeconfig *cfg;
	struct kube_target *target;
	struct kube_eks_auth *eks;
	struct kube_client *kube;
	char **connect_to;
	struct oidc_options oidc;
	struct plan_env env; /* the above, as plan_read() and plan_apply() take them */
};

/* Opens the clients. cluster NULL: by the kubeconfig context `context`
 * (NULL: the current one) of cli->kubeconfig; else by cluster and region
 * (context ignored). cli gives --profile, --kubeconfig and --exec-plugins.
 * Returns 0, or -1 with err set (c then still needs bind_clients_close()). */
int bind_clients_open(struct bind_clients *c, const struct cli *cli, const char *context, const char *cluster,
                      const char *region, struct irsa_error *err);

/* Frees what c holds and leaves it zeroed. The exec plugins' credential
 * cache (kube_exec.h) is left: other screens may use it. */
void bind_clients_close(struct bind_clients *c);

#endif
