/* tui/audit_session.c - an audit's clusters (see audit_session.h): the
 * scope flags resolved into one bind_clients per EKS cluster, then one
 * audit_collect() over them all. --all-contexts takes every context the
 * kubeconfig alone ties to an EKS cluster (its cluster named by the EKS
 * ARN, or its aws eks get-token plugin's --cluster-name and --region), each
 * cluster once (the current context first when two reach it). No curses
 * here; nothing printed. */
#include "config.h"

#include "audit_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_match.h"
#include "kubeconfig.h"
#include "log.h"

/* Appends a zeroed bind_clients to s; NULL when out of memory. */
static struct bind_clients *
session_add(struct audit_session *s, size_t cap)
{
	if (s->clients == NULL && (s->clients = calloc(cap, sizeof(*s->clients))) == NULL)
		return NULL;
	return s->n < cap ? &s->clients[s->n++] : NULL;
}

/* Whether ref reaches a cluster already in s. */
static bool
session_has(const struct audit_session *s, const struct kube_eks_ref *ref)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->clients[i].cluster, ref->name) == 0 && strcmp(s->clients[i].region, ref->region) == 0)
			return true;
	return false;
}

/* Every context that reaches an EKS cluster, each cluster once. A context
 * whose clients cannot be opened is skipped (logged, and kept in *skipped
 * for the input's read errors). */
static int
open_all_contexts(const struct cli *cli, struct audit_session *s, struct aws_strings *skipped, struct irsa_error *err)
{
	struct kube_eks_refs refs = {NULL, 0};
	struct kubeconfig *cfg = NULL;
	struct irsa_error one;
	int rc = -1;

	if (kubeconfig_load(cli->kubeconfig, &cfg, err) != 0 || kube_match_refs(cfg, &refs, err) != 0)
		goto out;
	/* Two passes: the current context first, so that it is the one used
	 * for a cluster two contexts reach. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < refs.n; i++) {
			const struct kube_eks_ref *r = &refs.v[i];
			struct bind_clients *c;
			char line[768];

			if (r->current != (pass == 0) || r->name == NULL || r->region == NULL || session_has(s, r))
				continue;
			if ((c = session_add(s, refs.n)) == NULL) {
				irsa_error_oom(err);
				goto out;
			}
			irsa_error_clear(&one);
			if (bind_clients_open(c, cli, r->context, NULL, NULL, &one) == 0)
				continue;
			log_debug("audit: context %s skipped: %s", r->context, one.message);
			snprintf(line, sizeof(line), "context %s (cluster %s in %s) was not audited: %s", r->context,
			         r->name, r->region, one.message);
			if (aws_strings_add(skipped, line) != 0) {
				irsa_error_oom(err);
				goto out;
			}
			bind_clients_close(c);
			s->n--;
		}
	if (s->n == 0) {
		if (skipped->n > 0)
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no context of the kubeconfig could be used: %s",
			               skipped->v[0]);
		else
			irsa_error_set(err, IRSA_ERR_NOT_FOUND, "no context of the kubeconfig reaches an EKS cluster");
		irsa_error_hint(err, "irsa contexts shows each context's EKS cluster; or name one: --cluster NAME "
		                     "--region REGION.");
		goto out;
	}
	rc = 0;
out:
	kube_match_refs_release(&refs);
	kubeconfig_free(cfg);
	return rc;
}

int
audit_session_collect(const struct cli *cli, const struct audit_scope *scope, const struct audit_collect_options *o,
                      struct audit_session *s, struct irsa_error *err)
{
	struct aws_strings skipped = {NULL, 0};
	struct audit_collect_options opt;
	struct audit_target *targets = NULL;
	struct bind_clients *c;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	audit_input_init(&s->input);
	irsa_error_clear(err);
	if (scope->all_contexts) {
		if (open_all_contexts(cli, s, &skipped, err) != 0)
			goto out;
	} else {
		if ((c = session_add(s, 1)) == NULL) {
			irsa_error_oom(err);
			goto out;
		}
		if (bind_clients_open(c, cli, scope->cluster != NULL ? NULL : scope->context, scope->cluster,
		                      scope->region, err) != 0)
			goto out;
	}
	if ((targets = calloc(s->n, sizeof(*targets))) == NULL) {
		irsa_error_oom(err);
		goto out;
	}
	for (size_t i = 0; i < s->n; i++) {
		targets[i].cluster = s->clients[i].cluster;
		targets[i].region = s->clients[i].region;
		targets[i].context = s->clients[i].context;
		targets[i].aws = s->clients[i].aws;
		targets[i].kube = s->clients[i].kube;
	}
	if (o != NULL) {
		opt = *o;
	} else {
		memset(&opt, 0, sizeof(opt));
		opt.scan_regions = true; /* IRSA004 needs every region's clusters */
	}
	if (opt.oidc == NULL)
		opt.oidc = &s->clients[0].oidc;
	if (audit_collect(targets, s->n, &opt, &s->input, &s->stats, err) != 0)
		goto out;
	for (size_t i = 0; i < skipped.n; i++)
		if (aws_strings_add(&s->input.read_errors, skipped.v[i]) != 0) {
			irsa_error_oom(err);
			goto out;
		}
	rc = 0;
out:
	free(targets);
	aws_strings_release(&skipped);
	return rc;
}

struct bind_clients *
audit_session_clients(const struct audit_session *s, const char *cluster)
{
	for (size_t i = 0; cluster != NULL && i < s->n; i++)
		if (strcmp(s->clients[i].cluster, cluster) == 0)
			return &s->clients[i];
	return NULL;
}

void
audit_session_close(struct audit_session *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		bind_clients_close(&s->clients[i]);
	free(s->clients);
	audit_input_release(&s->input);
	memset(s, 0, sizeof(*s));
}
