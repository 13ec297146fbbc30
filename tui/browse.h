/* tui/browse.h - what the browse screens (clusters, namespaces, service
 * accounts, service account detail) share: where a screen points (a
 * context, or an EKS cluster by name and region), opening its Kubernetes
 * and AWS clients inside a job with Esc wired to cancel them, reading the
 * cluster's IAM side (OIDC provider, roles) for binding statuses, and how a
 * status is shown (glyph, word, theme role). No curses here. */
#ifndef IRSA_BROWSE_H
#define IRSA_BROWSE_H

#include <stdbool.h>

#include "aws_iam.h"
#include "binding_status.h"
#include "bind_clients.h"
#include "cli.h"
#include "jobs.h"
#include "kube_session.h"
#include "theme.h"
#include "ui.h"

#define BROWSE_STATUS_MAX 32 /* "✓ ok", "↻ restart pods" */

/* Where a screen points. Owned copies; zeroed is empty. */
struct browse_target {
	char *context; /* NULL: the kubeconfig's current context (or by cluster) */
	char *cluster; /* by cluster and region when context is NULL; else what the context reaches, if known */
	char *region;
	char *ns;   /* NULL: every namespace */
	char *name; /* the service account (detail) */
};

/* Copies g (may be NULL); a NULL context without a cluster takes
 * cli->context. Returns 0, or -1 when out of memory. */
int browse_target_set(struct browse_target *t, const struct ui_goto *g, const struct cli *cli);
void browse_target_release(struct browse_target *t);

/* t as a ui_goto for the next screen, with ns and name (borrowed from t
 * and the arguments). */
struct ui_goto browse_target_goto(const struct browse_target *t, const char *ns, const char *name);

/* The crumb of a cluster level: the EKS cluster's name, else the context,
 * else "current context". Borrowed. */
const char *browse_target_label(const struct browse_target *t);

/* A Kubernetes client for t, opened inside a job. */
struct browse_kube {
	struct kube_session s; /* by context */
	struct bind_clients c; /* by cluster */
	struct kube_client *client;
	const char *context; /* the context resolved (borrowed), NULL by cluster */
};

/* Opens the client (no request yet) and has job_cancel() cancel it.
 * Returns 0, or -1 with err set (k then needs no close). */
int browse_kube_open(struct job *j, const struct cli *cli, const struct browse_target *t, struct browse_kube *k,
                     struct irsa_error *err);
void browse_kube_close(struct job *j, struct browse_kube *k);

/* The cluster's IAM side, as a job reads it. Owned; release with
 * browse_iam_release(). */
struct browse_iam {
	char cluster[KUBE_MATCH_MAX_NAME]; /* the EKS cluster ("" when not known) */
	char region[KUBE_MATCH_MAX_NAME];
	char *issuer;
	char *provider_arn; /* the provider the issuer needs; NULL when unknown */
	bool provider_missing;
	struct aws_role_list roles; /* ListRoles, or the one role GetRole found */
	bool roles_read;
	struct irsa_error err; /* why provider_arn or the roles are unknown */
};

/* Reads, with one AWS client in the cluster's region: DescribeCluster (the
 * issuer), GetOpenIDConnectProvider (present or missing), then ListRoles
 * (role_name NULL) or GetRole role_name (missing is an empty list). A
 * failure is kept in out->err with what was read before it; only
 * cancellation returns -1. attached (may be NULL) also gets the role's
 * attached policies. Returns 0, or -1 with err set (cancelled). */
int browse_iam_read(struct job *j, const struct cli *cli, const struct browse_target *t, const char *role_name,
                    struct browse_iam *out, struct aws_attached_policy_list *attached, struct irsa_error *err);
void browse_iam_release(struct browse_iam *iam);

/* "✓ ok" (utf8) or "+ ok" into out (BROWSE_STATUS_MAX bytes). */
const char *browse_status_text(enum binding_status s, bool utf8, char *out);

/* The theme role a row with status s is drawn in. */
enum theme_role browse_status_role(enum binding_status s);

#endif
