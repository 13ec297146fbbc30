/* tui/cmd_serviceaccounts.c - `irsa serviceaccounts`: the service accounts
 * of one namespace (-n, else the context's) or of all (-A), each with the
 * IAM role it is bound to (the eks.amazonaws.com/role-arn annotation) and
 * how many pods run as it. Two lists, read at once: the service accounts
 * and the pods of the same scope, the pods grouped here by
 * spec.serviceAccountName (one request per page, never one per account).
 * Names given as arguments are read one by one (a missing one is an
 * error). */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "binding_status.h"
#include "cli.h"
#include "kube_api.h"
#include "kube_session.h"
#include "output.h"

/* The pods of the scope, counted by namespace and service account. */
struct pod_counts {
	struct json_object *by_key; /* "ns/sa" -> count */
};

static void
key_of(const char *ns, const char *sa, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/%s", ns, sa);
}

static int
pods_count(struct json_object *items, struct pod_counts *pc)
{
	struct json_object *pod, *meta, *ns, *n;
	char key[512];
	size_t i;

	pc->by_key = json_object_new_object();
	if (pc->by_key == NULL)
		return -1;
	for (i = 0; i < json_object_array_length(items); i++) {
		pod = json_object_array_get_idx(items, i);
		if (!json_object_object_get_ex(pod, "metadata", &meta) ||
		    !json_object_object_get_ex(meta, "namespace", &ns))
			continue;
		key_of(json_object_get_string(ns),
		       kube_spec_service_account(json_object_object_get_ex(pod, "spec", &n) ? n : NULL), key,
		       sizeof(key));
		n = json_object_object_get_ex(pc->by_key, key, &n) ? n : NULL;
		json_object_object_add(pc->by_key, key,
		                       json_object_new_int(n != NULL ? json_object_get_int(n) + 1 : 1));
	}
	return 0;
}

static int
pods_of(const struct pod_counts *pc, const struct kube_object *sa)
{
	struct json_object *n;
	char key[512];

	key_of(sa->namespace, sa->name, key, sizeof(key));
	return json_object_object_get_ex(pc->by_key, key, &n) ? json_object_get_int(n) : 0;
}

static const char *const headers_all[] = {"NAMESPACE", "NAME", "ROLE", "BINDING", "PODS"};

static void
sa_print(struct cli *cli, const struct kube_object *v, size_t n, const struct pod_counts *pc, bool all,
         const char *none)
{
	struct output_table *t = NULL;
	json_object *a = NULL, *o;
	const char *role;
	char pods[16];
	size_t i;

	if (output_is_json(cli))
		a = json_object_new_array();
	else
		t = all ? output_table_new(5, headers_all) : output_table_new(4, headers_all + 1);
	for (i = 0; i < n; i++) {
		role = binding_role_arn(&v[i]);
		if (a != NULL) {
			o = json_object_new_object();
			output_json_add(o, "namespace", v[i].namespace);
			output_json_add(o, "name", v[i].name);
			output_json_add(o, "roleArn", role);
			output_json_add(o, "binding", role != NULL ? "irsa" : NULL);
			json_object_object_add(o, "pods", json_object_new_int(pods_of(pc, &v[i])));
			json_object_array_add(a, o);
		} else if (t != NULL) {
			snprintf(pods, sizeof(pods), "%d", pods_of(pc, &v[i]));
			if (all)
				output_table_add(t, (const char *const[]){v[i].namespace, v[i].name, role,
				                                          role != NULL ? "irsa" : NULL, pods});
			else
				output_table_add(
				        t, (const char *const[]){v[i].name, role, role != NULL ? "irsa" : NULL, pods});
		}
	}
	if (a != NULL) {
		output_json_print(cli, a);
		json_object_put(a);
	}
	if (t != NULL)
		output_table_print(t, cli, none);
	output_table_free(t);
}

/* The named accounts of ns, one GET each, into out (n of them). */
static int
sa_get_named(struct kube_client *c, const char *ns, char **names, int n, struct kube_object_list *out,
             struct irsa_error *err)
{
	int i;

	out->v = calloc((size_t)n, sizeof(*out->v));
	if (out->v == NULL)
		return irsa_error_oom(err);
	for (i = 0; i < n; i++) {
		if (kube_get_serviceaccount(c, ns, names[i], &out->v[i], err) != 0)
			return -1;
		out->n++;
	}
	return 0;
}

static int
serviceaccounts_run(struct cli *cli)
{
	const char *ns_flag = cli_flag_value(cli, "namespace"), *ns;
	bool all = cli_flag_given(cli, "all-namespaces");
	struct kube_object_list sas = {NULL, 0, {0, 0}};
	struct pod_counts pc = {NULL};
	struct json_object *items = NULL;
	struct kube_list_req req;
	struct kube_session s;
	struct irsa_error err;
	unsigned chunk;
	char none[300];
	int rc;

	if (all && ns_flag != NULL)
		return cli_usage_error(cli, "Give -n NAMESPACE for one namespace or -A for all of them.",
		                       "-n and -A exclude each other");
	if (all && cli->argc > 0)
		return cli_usage_error(cli, "Name service accounts of one namespace (-n NAMESPACE).",
		                       "service account names cannot be given with -A");
	if ((rc = kube_session_chunk_size(cli, &chunk)) != 0)
		return rc;
	irsa_error_clear(&err);
	if (kube_session_open(cli, chunk, &s, &err) != 0)
		return output_error(cli, &err);
	ns = all ? NULL : ns_flag != NULL ? ns_flag : s.target->namespace;

	memset(&req, 0, sizeof(req));
	req.kind = KUBE_POD;
	req.namespace = ns;
	rc = cli->argc > 0 ? sa_get_named(s.client, ns, cli->argv, cli->argc, &sas, &err)
	                   : kube_list_serviceaccounts(s.client, ns, NULL, &sas, &err);
	if (rc == 0)
		rc = kube_list(s.client, &req, 1, &items, NULL, &err);
	if (rc == 0 && pods_count(items, &pc) != 0)
		rc = irsa_error_oom(&err);
	if (rc == 0) {
		if (all)
			snprintf(none, sizeof(none), "No service accounts found in any namespace.");
		else
			snprintf(none, sizeof(none), "No service accounts found in namespace %s.", ns);
		sa_print(cli, sas.v, sas.n, &pc, all, none);
		rc = EXIT_OK;
	} else {
		rc = output_error(cli, &err);
	}
	json_object_put(pc.by_key);
	json_object_put(items);
	kube_object_list_release(&sas);
	kube_session_close(&s);
	return rc;
}

static const struct cli_flag serviceaccounts_flags[] = {
        {"namespace", 'n', "NS", "the namespace (default: the context's)"},
        {"all-namespaces", 'A', NULL, "every namespace"},
        {"chunk-size", 0, "N", "items per list request (default 500)"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_serviceaccounts = {
        .name = "serviceaccounts",
        .summary = "list service accounts, their roles and pods using them",
        .usage = "serviceaccounts [NAME ...] [-n NS | -A] [--context C] [-o text|json]",
        .description = "Lists the Kubernetes service accounts of a namespace (-n, else the context's\n"
                       "namespace) or of every namespace (-A), with the IAM role each is bound to (its\n"
                       "eks.amazonaws.com/role-arn annotation), the kind of binding (irsa) and how many\n"
                       "pods run as it. Names given as arguments are read one by one.\n"
                       "\n"
                       "The cluster is the one of --context (default: the kubeconfig's current\n"
                       "context). EKS contexts get their token from irsa itself, as `aws eks\n"
                       "get-token` makes it; --exec-plugins runs the kubeconfig's plugin instead.\n"
                       "\n"
                       "-o json prints an array of objects: namespace, name, roleArn (null when\n"
                       "unbound), binding (\"irsa\" or null) and pods.",
        .outputs = "text,json",
        .flags = serviceaccounts_flags,
        .run = serviceaccounts_run,
};
