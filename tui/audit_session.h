/* tui/audit_session.h - an audit's clusters and what was read of them:
 * resolves the scope flags (--context C | --cluster NAME --region R |
 * --all-contexts | the current context) into one bind_clients per EKS
 * cluster, runs audit_collect() over them, and keeps the clients open so
 * that a fix can be planned and applied with the same ones. Shared by
 * `irsa audit`, `irsa fix` and the audit screen. No curses here. */
#ifndef IRSA_AUDIT_SESSION_H
#define IRSA_AUDIT_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "audit.h"
#include "bind_clients.h"
#include "cli.h"

/* Which clusters. Everything borrowed. */
struct audit_scope {
	const char *context; /* a kubeconfig context; NULL: the current one (unless cluster or all_contexts) */
	const char *cluster; /* an EKS cluster by name (with region), without kubeconfig */
	const char *region;
	bool all_contexts; /* every context of the kubeconfig that reaches an EKS cluster (each cluster once) */
};

/* Owned; audit_session_close(). Zeroed is closed. */
struct audit_session {
	struct bind_clients *clients; /* one per cluster, in the input's cluster order */
	size_t n;
	struct audit_input input;
	struct audit_collect_stats stats;
};

/* Opens the clients of the scope and collects (o may be NULL: defaults,
 * which scan every region for IRSA004,
 * with the issuers reached as bind_clients says). A context that is not an
 * EKS cluster is an error naming it, unless all_contexts (then skipped).
 * Returns 0, or -1 with err set (s still needs audit_session_close()). */
int audit_session_collect(const struct cli *cli, const struct audit_scope *scope, const struct audit_collect_options *o,
                          struct audit_session *s, struct irsa_error *err);

/* The clients of the cluster named, or NULL. Borrowed from s. */
struct bind_clients *audit_session_clients(const struct audit_session *s, const char *cluster);

void audit_session_close(struct audit_session *s);

#endif
