/* core/kube_eks_auth.h - the built-in EKS token: when a kubeconfig user's
 * exec plugin is `aws eks get-token` or `aws-iam-authenticator token`
 * (kube_exec_eks_params()), irsa makes the same token itself with
 * eks_token_get() instead of starting the plugin, and hands it to the
 * Kubernetes client through its token hook (kube_token_fn).
 *
 * The plugin's flags say what to sign for (cluster name or id, region,
 * role ARN, --profile); its env list (AWS_PROFILE, AWS_ENDPOINT_URL,
 * AWS_CONFIG_FILE, ...) is honoured as the plugin would see it: an env.h
 * overlay over the process environment, handed down to the AWS code (and to
 * a credential_process it runs) for this token only. The process
 * environment is never changed, so tokens may be made on any thread.
 *
 * A token is cached until KUBE_TOKEN_MARGIN seconds before it expires, and
 * made again when the server refused it (401). No printing. */
#ifndef IRSA_KUBE_EKS_AUTH_H
#define IRSA_KUBE_EKS_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"
#include "kube.h"
#include "kubeconfig.h"

struct kube_eks_auth;

/* What to sign for when there is no kubeconfig (a cluster known only from
 * DescribeCluster). Borrowed; NULL when not given. */
struct kube_eks_auth_params {
	const char *cluster_id; /* required: the cluster name (or an Outposts cluster's id) */
	const char *region;     /* NULL: the configured region */
	const char *profile;    /* --profile: turns off the environment's keys, as in awscli */
	const char *role_arn;   /* AssumeRole first */
};

/* True when t's user has an EKS token plugin irsa can replace. */
bool kube_eks_auth_applies(const struct kube_target *t);

/* The built-in token for t's EKS exec plugin (kube_eks_auth_applies(t)
 * must be true). Copies what it needs from t. Makes no token yet. Returns
 * NULL with err set (IRSA_ERR_INVALID_INPUT: not an EKS plugin; out of
 * memory). The caller frees with kube_eks_auth_free(). */
struct kube_eks_auth *kube_eks_auth_new(const struct kube_target *t, struct irsa_error *err);

/* The built-in token for p, with no env list (the process environment as
 * it is). Returns as kube_eks_auth_new(). */
struct kube_eks_auth *kube_eks_auth_new_params(const struct kube_eks_auth_params *p, struct irsa_error *err);

/* Wipes the cached token and frees a. a may be NULL. */
void kube_eks_auth_free(struct kube_eks_auth *a);

/* The kube_token_fn: arg is a struct kube_eks_auth. The cached token while
 * it has more than KUBE_TOKEN_MARGIN seconds left and refresh is false,
 * else a new one. Returns 0 with *token (a new string; the caller wipes and
 * frees it) and *expiry, or -1 with err set (eks_token_get()'s error,
 * prefixed with the cluster). */
int kube_eks_auth_token(void *arg, bool refresh, char **token, time_t *expiry, struct irsa_error *err);

/* Sets opt's token hook to a: token_fn, token_arg and token_source
 * (borrowed from a, which must outlive the client made with opt). */
void kube_eks_auth_set_options(struct kube_eks_auth *a, struct kube_client_options *opt);

/* "the built-in EKS token of cluster shop-prod (us-east-1)", for messages.
 * Borrowed from a. */
const char *kube_eks_auth_source(const struct kube_eks_auth *a);

/* How many tokens a has made (the cache at work, for the tests and --debug). */
unsigned kube_eks_auth_count(const struct kube_eks_auth *a);

#endif
