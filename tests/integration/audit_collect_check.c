/* tests/integration/audit_collect_check.c - drives the audit's collection
 * (core/audit_collect.c) and the checks over what it read, for
 * tests/integration/audit_sandbox.sh and scripts/bench-audit, without the
 * CLI: each cluster is reached by name and region (DescribeCluster's
 * endpoint and CA, the built-in EKS token), AWS as the environment
 * configures it. Links only libirsacore.
 *
 *   audit_collect_check [--scan-regions] [--save-snapshot FILE] [--snapshot FILE]
 *                       [--no-kube CLUSTER] CLUSTER:REGION ...
 *
 * stdout: "finding REF" per finding, then "not-run ID CLUSTER|- REASON",
 * then "read-error TEXT" per read error. stderr: "aws_requests=N",
 * "kube_requests=N", "roles=N", "roles_examined=N", "policies=N",
 * "inline_policies=N", "seconds=S", one per line. --snapshot FILE runs the
 * checks over a saved snapshot instead of collecting.
 * Errors: "irsa: <error>" on stderr, exit 1. Usage: exit 2. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "audit.h"
#include "aws_client.h"
#include "eks.h"
#include "kube.h"
#include "kube_eks_auth.h"
#include "kube_match.h"
#include "oidc.h"

#define MAX_TARGETS 8

struct reach {
	char cluster[128];
	char region[64];
	struct aws_client *aws;
	struct kube_target *target;
	struct kube_eks_auth *auth;
	struct kube_client *kube;
	char kube_error[600];
};

static int
fail(const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(stderr, "irsa: %s\n", line);
	return 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: audit_collect_check [--scan-regions] [--save-snapshot FILE] [--snapshot FILE] "
	                "[--no-kube CLUSTER] CLUSTER:REGION ...\n");
	return 2;
}

/* Opens the clients of one cluster. A Kubernetes failure is recorded in
 * r->kube_error (the collection then says so); an AWS one is an error. */
static int
reach_open(struct reach *r, bool no_kube, struct irsa_error *err)
{
	struct aws_client_options aopt = {.region = r->region};
	struct kube_eks_auth_params p = {r->cluster, r->region, NULL, NULL};
	struct kube_client_options kopt = {0};
	struct aws_eks_cluster k;
	struct irsa_error e;

	if ((r->aws = aws_client_new(&aopt, err)) == NULL)
		return -1;
	if (no_kube) {
		snprintf(r->kube_error, sizeof(r->kube_error), "not reached (--no-kube)");
		return 0;
	}
	if (eks_describe_cluster(r->aws, r->cluster, &k, &e) != 0 ||
	    kube_match_cluster_target(&k, &r->target, &e) != 0 ||
	    (r->auth = kube_eks_auth_new_params(&p, &e)) == NULL) {
		aws_eks_cluster_release(&k);
		irsa_error_format(&e, r->kube_error, sizeof(r->kube_error));
		return 0;
	}
	aws_eks_cluster_release(&k);
	kube_eks_auth_set_options(r->auth, &kopt);
	if ((r->kube = kube_client_new(r->target, &kopt, &e)) == NULL)
		irsa_error_format(&e, r->kube_error, sizeof(r->kube_error));
	return 0;
}

static void
reach_close(struct reach *r)
{
	kube_client_free(r->kube);
	kube_eks_auth_free(r->auth);
	kube_target_free(r->target);
	aws_client_free(r->aws);
}

static void
print_result(const struct audit_result *res, const struct audit_input *in)
{
	for (size_t i = 0; i < res->n; i++)
		printf("finding %s\n", res->v[i].ref);
	for (size_t i = 0; i < res->n_not_run; i++)
		printf("not-run %s %s %s\n", res->not_run[i].check->id,
		       res->not_run[i].cluster != NULL ? res->not_run[i].cluster : "-", res->not_run[i].reason);
	for (size_t i = 0; i < in->read_errors.n; i++)
		printf("read-error %s\n", in->read_errors.v[i]);
}

static void
progress(void *arg, const char *what)
{
	(void)arg;
	if (getenv("AUDIT_CHECK_PROGRESS") != NULL)
		fprintf(stderr, "progress: %s\n", what);
}

int
main(int argc, char **argv)
{
	struct reach r[MAX_TARGETS];
	struct audit_target t[MAX_TARGETS];
	const char *save = NULL, *load = NULL, *no_kube = NULL;
	struct audit_collect_options o;
	struct audit_collect_stats st;
	struct audit_options ao = {NULL, 0, AUDIT_SEV_INFO};
	struct audit_result res;
	struct audit_input in;
	struct oidc_options oo;
	struct irsa_error err;
	char **connect_to = NULL;
	size_t n = 0, n_connect = 0, inline_n = 0;
	int i, rc = 1;

	memset(r, 0, sizeof(r));
	memset(&o, 0, sizeof(o));
	memset(&oo, 0, sizeof(oo));
	audit_input_init(&in);
	audit_result_init(&res);
	for (i = 1; i < argc; i++) {
		char *colon;

		if (strcmp(argv[i], "--scan-regions") == 0) {
			o.scan_regions = true;
		} else if (strcmp(argv[i], "--save-snapshot") == 0 && i + 1 < argc) {
			save = argv[++i];
		} else if (strcmp(argv[i], "--snapshot") == 0 && i + 1 < argc) {
			load = argv[++i];
		} else if (strcmp(argv[i], "--no-kube") == 0 && i + 1 < argc) {
			no_kube = argv[++i];
		} else if ((colon = strchr(argv[i], ':')) != NULL && n < MAX_TARGETS && argv[i][0] != '-') {
			snprintf(r[n].cluster, sizeof(r[n].cluster), "%.*s", (int)(colon - argv[i]), argv[i]);
			snprintf(r[n].region, sizeof(r[n].region), "%s", colon + 1);
			n++;
		} else {
			return usage();
		}
	}
	if (load != NULL) {
		struct json_object *j = json_object_from_file(load);

		if (j == NULL) {
			fprintf(stderr, "irsa: cannot read %s\n", load);
			return 1;
		}
		rc = audit_snapshot_from_json(j, &in, &err);
		json_object_put(j);
		if (rc != 0 || audit_run(&in, &ao, &res, &err) != 0) {
			rc = fail(&err);
			goto out;
		}
		print_result(&res, &in);
		rc = 0;
		goto out;
	}
	if (n == 0)
		return usage();
	if (oidc_parse_connect_to(getenv("IRSA_CONNECT_TO"), &connect_to, &n_connect, &err) != 0)
		return fail(&err);
	oo.ca_bundle = getenv("AWS_CA_BUNDLE");
	oo.connect_to = (const char *const *)connect_to;
	oo.n_connect_to = n_connect;
	o.oidc = &oo;
	o.progress = progress;
	for (size_t k = 0; k < n; k++) {
		if (reach_open(&r[k], no_kube != NULL && strcmp(no_kube, r[k].cluster) == 0, &err) != 0) {
			rc = fail(&err);
			goto out;
		}
		t[k] = (struct audit_target){r[k].cluster, r[k].region, r[k].cluster,
		                             r[k].aws,     r[k].kube,   r[k].kube_error[0] ? r[k].kube_error : NULL};
	}
	if (audit_collect(t, n, &o, &in, &st, &err) != 0 || audit_run(&in, &ao, &res, &err) != 0) {
		rc = fail(&err);
		goto out;
	}
	for (size_t k = 0; k < in.n_roles; k++)
		inline_n += in.role_policies[k].inline_name.n;
	print_result(&res, &in);
	fprintf(stderr,
	        "aws_requests=%zu\nkube_requests=%zu\nroles=%zu\nroles_examined=%zu\npolicies=%zu\n"
	        "inline_policies=%zu\nseconds=%.3f\n",
	        st.aws_requests, st.kube_requests, in.n_roles, st.roles_examined, in.n_policies, inline_n, st.seconds);
	rc = 0;
	if (save != NULL) {
		struct json_object *j = audit_snapshot_to_json(&in);

		if (j == NULL || json_object_to_file_ext(save, j, JSON_C_TO_STRING_PRETTY) != 0) {
			fprintf(stderr, "irsa: cannot write %s\n", save);
			rc = 1;
		}
		json_object_put(j);
	}
out:
	audit_result_release(&res);
	audit_input_release(&in);
	for (size_t k = 0; k < n; k++)
		reach_close(&r[k]);
	oidc_connect_to_free(connect_to);
	return rc;
}
