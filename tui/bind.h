/* tui/bind.h - what `irsa plan` and `irsa apply` share: their flags, the
 * choices read from them (checked before any call), the clients for the
 * cluster (a kubeconfig context, or --cluster and --region through
 * DescribeCluster and the built-in EKS token), reading and building the
 * plan, and printing it in every -o format. No curses here. */
#ifndef IRSA_BIND_H
#define IRSA_BIND_H

#include "bind_clients.h"
#include "cli.h"
#include "kube_match.h"
#include "plan.h"

#define BIND_MAX_LIST 64 /* --policy and --service values */

/* Owned; close with bind_close(). */
struct bind {
	struct plan_choices ch; /* strings borrowed from argv or from here */
	const char *policies[BIND_MAX_LIST];
	const char *services[BIND_MAX_LIST];
	char cluster[KUBE_MATCH_MAX_NAME]; /* --cluster (or the journal's cluster) */
	char region[KUBE_MATCH_MAX_NAME];
	struct bind_clients cl; /* cl.env: what plan_read() and plan_apply() take */
};

/* The flags of plan and apply (apply adds --yes). */
extern const struct cli_flag bind_flags[];
extern const char bind_description[];

/* Reads the flags into b->ch and checks them (names, ARNs) before any
 * call. Returns 0, or EXIT_USAGE after printing the error. */
int bind_parse(struct cli *cli, struct bind *b);

/* Opens the AWS and Kubernetes clients for the cluster (bind_clients.h):
 * b->ch.cluster and region when set, else cli's --context. Returns 0, or -1
 * with err set. */
int bind_open(struct cli *cli, struct bind *b, struct irsa_error *err);

void bind_close(struct bind *b);

/* Reads the state and builds the plan. Returns 0, or -1 with err set. */
int bind_plan(struct bind *b, struct plan *p, struct irsa_error *err);

/* Prints p in cli->output's format (text, json, shell, terraform, yaml).
 * Returns EXIT_OK, or the failure's exit status after printing it. */
int bind_print(const struct cli *cli, const struct plan *p);

#endif
