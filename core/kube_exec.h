/* core/kube_exec.h - kubeconfig exec credential plugins, run as client-go
 * runs them: the command (on PATH, or the path the kubeconfig resolved), its
 * args and env, KUBERNETES_EXEC_INFO, the ExecCredential it prints, and the
 * credential cached until shortly before it expires. Also recognises the
 * two EKS token plugins (`aws eks get-token`, `aws-iam-authenticator token`)
 * so that a later step can make their tokens itself. Thread-safe. Never
 * prints: the plugin's error output goes to the log at LOG_DEBUG. */
#ifndef IRSA_KUBE_EXEC_H
#define IRSA_KUBE_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"
#include "kubeconfig.h"

#define KUBE_EXEC_MAX_OUTPUT      (1024 * 1024) /* cap on what a plugin prints */
#define KUBE_EXEC_DEFAULT_TIMEOUT 60000         /* ms; client-go has none, a hung plugin would hang us */
#define KUBE_EXEC_EXPIRY_MARGIN   60            /* s before expirationTimestamp that a credential is renewed */

/* A credential a plugin printed. Owned: release with
 * kube_credential_release(), which wipes it. The token and the key are
 * registered with the redactor. */
struct kube_credential {
	char *token;           /* NULL, or the bearer token */
	char *client_cert_pem; /* NULL, or both it and the key */
	size_t client_cert_pem_len;
	char *client_key_pem;
	size_t client_key_pem_len;
	time_t expiry; /* expirationTimestamp; 0 when it does not expire */
};

/* The credential of t's exec plugin (t->has_exec): the cached one while it
 * is valid (until KUBE_EXEC_EXPIRY_MARGIN seconds before its expiry; one
 * without expiry for the life of the process), else the plugin's fresh
 * output. The cache key is the plugin's apiVersion, command, args and env
 * (and the cluster information it is given). While one thread runs a
 * plugin, others asking for the same credential wait for its result.
 * timeout_ms 0 means KUBE_EXEC_DEFAULT_TIMEOUT. Returns 0 and fills out (a
 * copy; the caller releases it), or -1 with err set naming the plugin and
 * the user: IRSA_ERR_NOT_FOUND when the command does not exist (kubectl's
 * "exec: executable NAME not found", with the kubeconfig's installHint),
 * IRSA_ERR_AUTH when it fails (its exit code and the first line of its
 * error output), times out, or wants a terminal (interactiveMode Always),
 * IRSA_ERR_PARSE when it prints something other than an ExecCredential of
 * the apiVersion it was given, IRSA_ERR_LIMIT past KUBE_EXEC_MAX_OUTPUT. */
int kube_exec_credential(const struct kube_target *t, int timeout_ms, struct kube_credential *out,
                         struct irsa_error *err);

/* Forgets t's cached credential so that the next call runs the plugin again
 * (after a 401). With used given, only when the cache still holds that
 * credential: a thread that already refreshed it is not undone. */
void kube_exec_invalidate(const struct kube_target *t, const struct kube_credential *used);

/* Empties the cache, wiping the credentials (at exit, and in the tests).
 * Entries whose plugin is running are kept. */
void kube_exec_cache_clear(void);

/* Replaces the clock the cache reads (tests); NULL restores time(). */
void kube_exec_set_clock(time_t (*now)(void));

/* Wipes and frees what c holds and leaves it empty. c may be NULL. */
void kube_credential_release(struct kube_credential *c);

enum kube_eks_style {
	KUBE_EKS_AWS_CLI,           /* aws eks get-token */
	KUBE_EKS_IAM_AUTHENTICATOR, /* aws-iam-authenticator token */
};

/* What an EKS token plugin was asked for. Borrowed from the exec config;
 * NULL when not given. */
struct kube_eks_params {
	enum kube_eks_style style;
	const char *cluster_name; /* --cluster-name; aws-iam-authenticator's -i (on EKS, the cluster's name) */
	const char *cluster_id;   /* --cluster-id (EKS on Outposts), or aws-iam-authenticator's -i */
	const char *token_id;     /* what the token signs as x-k8s-aws-id: cluster_id, else cluster_name */
	const char *region;       /* --region, else AWS_REGION or AWS_DEFAULT_REGION in the env list */
	const char *role_arn;     /* --role-arn or --role; aws-iam-authenticator's -r or --role */
	const char *profile;      /* --profile, else AWS_PROFILE in the env list */
};

/* True, with out filled, when c runs `aws ... eks get-token` or
 * `aws-iam-authenticator token` with a cluster to sign for; false (out
 * cleared) for any other plugin. */
bool kube_exec_eks_params(const struct kube_exec_config *c, struct kube_eks_params *out);

#endif
