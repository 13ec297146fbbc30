/* tui/kube_session.h - what the Kubernetes commands share: the kubeconfig
 * (--kubeconfig), the context (--context, else the current one) resolved,
 * the built-in EKS token in place of `aws eks get-token` (unless
 * --exec-plugins), and the REST client. No curses here. */
#ifndef IRSA_KUBE_SESSION_H
#define IRSA_KUBE_SESSION_H

#include "cli.h"
#include "error.h"
#include "kube.h"
#include "kube_eks_auth.h"
#include "kubeconfig.h"

#define KUBE_SESSION_MAX_CHUNK 10000 /* --chunk-size at most */

/* One connection to the API server of a context. Owned; close with
 * kube_session_close(). */
struct kube_session {
	struct kubeconfig *cfg;
	struct kube_target *target;
	struct kube_eks_auth *eks; /* NULL unless the built-in EKS token is used */
	struct kube_client *client;
};

/* Opens s for cli's --kubeconfig and --context, with page_size items per
 * list page (0: the default). Returns 0, or -1 with err set (s then needs
 * no close). */
int kube_session_open(const struct cli *cli, unsigned page_size, struct kube_session *s, struct irsa_error *err);

/* The same for context (NULL: the current one) rather than --context. */
int kube_session_open_context(const struct cli *cli, const char *context, unsigned page_size, struct kube_session *s,
                              struct irsa_error *err);

/* Frees what s holds, and the exec plugins' credential cache. */
void kube_session_close(struct kube_session *s);

/* Frees what s holds, leaving the exec plugins' credential cache to the
 * other sessions that may use it (the terminal UI's jobs). */
void kube_session_release(struct kube_session *s);

/* The command's --chunk-size (0 when not given). Returns 0, or a usage
 * error's exit status after printing it. */
int kube_session_chunk_size(struct cli *cli, unsigned *out);

#endif
