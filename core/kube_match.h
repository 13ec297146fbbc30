/* core/kube_match.h - which kubeconfig context reaches which EKS cluster,
 * and how to reach a cluster that no context names.
 *
 * A context matches a cluster, most certain first: by its kubeconfig
 * cluster name being the cluster's ARN (what `aws eks update-kubeconfig`
 * writes), by its EKS token plugin's --cluster-name and --region (or
 * AWS_REGION in the plugin's env), or by its server URL being the
 * endpoint DescribeCluster gives. The first two need no AWS call; the
 * third needs the cluster described. A cluster without a context is reached
 * at DescribeCluster's endpoint with its CA and the built-in EKS token
 * (core/kube_eks_auth.h). Reads no file beyond what kubeconfig_resolve()
 * reads; no network, no printing. */
#ifndef IRSA_KUBE_MATCH_H
#define IRSA_KUBE_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_eks.h"
#include "error.h"
#include "kubeconfig.h"

#define KUBE_MATCH_MAX_NAME 128 /* an EKS cluster name is at most 100 characters */

enum kube_match_kind {
	KUBE_MATCH_NONE,
	KUBE_MATCH_ARN,    /* the kubeconfig cluster is named by the EKS ARN */
	KUBE_MATCH_EXEC,   /* the EKS token plugin's cluster name and region */
	KUBE_MATCH_SERVER, /* the server URL is DescribeCluster's endpoint */
};

/* What one context says about the EKS cluster it reaches, read without
 * AWS. Strings owned by the struct kube_eks_refs; NULL when unknown. */
struct kube_eks_ref {
	char *context;
	char *cluster; /* the kubeconfig cluster's name */
	char *server;
	char *arn;                 /* the kubeconfig cluster's name when it is an EKS cluster ARN */
	char *name;                /* the EKS cluster's name: from the ARN, else the plugin's --cluster-name */
	char *region;              /* from the ARN, else the plugin's --region or AWS_REGION */
	enum kube_match_kind kind; /* ARN, EXEC, or NONE (only the server URL can tell) */
	bool current;
	bool eks_plugin; /* the user's exec plugin is an EKS token plugin (kube_exec_eks_params()) */
	enum kube_auth_kind auth;
};

/* Every context of a kubeconfig, in kubeconfig_context() order. */
struct kube_eks_refs {
	struct kube_eks_ref *v;
	size_t n;
};

/* Reads every context of cfg (a context that does not resolve still gets
 * its name, cluster and server). Returns 0 and fills out (the caller
 * releases it, also after a failure), or -1 with err set (out of memory). */
int kube_match_refs(const struct kubeconfig *cfg, struct kube_eks_refs *out, struct irsa_error *err);

void kube_match_refs_release(struct kube_eks_refs *refs);

/* How r matches cluster k (its arn, name and endpoint), or KUBE_MATCH_NONE.
 * An ARN decides alone: a context named for another ARN never matches by
 * its server. */
enum kube_match_kind kube_match_ref(const struct kube_eks_ref *r, const struct aws_eks_cluster *k);

/* The context that best reaches k: the most certain kind of match, then
 * the current context, then the first by name. Returns it (borrowed from
 * refs) with *kind set, or NULL with *kind KUBE_MATCH_NONE. */
const struct kube_eks_ref *kube_match_find(const struct kube_eks_refs *refs, const struct aws_eks_cluster *k,
                                           enum kube_match_kind *kind);

/* Splits "arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME" into name and
 * region (both buffers at least KUBE_MATCH_MAX_NAME bytes). Returns false,
 * leaving them "", for anything else. */
bool kube_match_parse_arn(const char *arn, char *name, char *region);

/* True when two server URLs name the same API server: scheme and host
 * compared without case, ":443" after https implied, trailing '/' ignored. */
bool kube_match_same_server(const char *a, const char *b);

/* "arn", "exec", "server", or NULL for KUBE_MATCH_NONE. Static string. */
const char *kube_match_kind_name(enum kube_match_kind kind);

/* A target for cluster k as DescribeCluster describes it, for a cluster no
 * context names: server = its endpoint, the CA its certificateAuthority
 * data (base64 of PEM), namespace "default", no context, no credential
 * (give the client a struct kube_eks_auth). Returns 0 and a new *out (the
 * caller frees it with kube_target_free()), or -1 with err set
 * (IRSA_ERR_INVALID_INPUT: no endpoint, no CA or a CA that is not base64;
 * out of memory). */
int kube_match_cluster_target(const struct aws_eks_cluster *k, struct kube_target **out, struct irsa_error *err);

#endif
