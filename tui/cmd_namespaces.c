/* tui/cmd_namespaces.c - `irsa namespaces`: the namespaces of a context's
 * cluster, each with its phase, how many service accounts it has and how
 * many of them are bound to an IAM role. Two lists: the namespaces, and
 * the service accounts of all namespaces (one list, counted here). */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "binding_status.h"
#include "cli.h"
#include "kube_api.h"
#include "kube_session.h"
#include "output.h"

/* Service accounts and bound ones in namespace ns. */
static void
ns_count(const struct kube_object_list *sas, const char *ns, int *total, int *bound)
{
	size_t i;

	*total = *bound = 0;
	for (i = 0; i < sas->n; i++)
		if (strcmp(sas->v[i].namespace, ns) == 0) {
			(*total)++;
			if (binding_role_arn(&sas->v[i]) != NULL)
				(*bound)++;
		}
}

static const char *
ns_phase(const struct kube_object *o)
{
	struct json_object *status, *phase;

	if (json_object_object_get_ex(o->obj, "status", &status) && json_object_object_get_ex(status, "phase", &phase))
		return json_object_get_string(phase);
	return NULL;
}

static const char *const headers[] = {"NAME", "STATUS", "SERVICE ACCOUNTS", "BOUND"};

static void
ns_print(struct cli *cli, const struct kube_object_list *nss, const struct kube_object_list *sas)
{
	struct output_table *t = NULL;
	json_object *a = NULL, *o;
	char total_s[16], bound_s[16];
	int total, bound;
	size_t i;

	if (output_is_json(cli))
		a = json_object_new_array();
	else
		t = output_table_new(sizeof(headers) / sizeof(headers[0]), headers);
	for (i = 0; i < nss->n; i++) {
		ns_count(sas, nss->v[i].name, &total, &bound);
		if (a != NULL) {
			o = json_object_new_object();
			output_json_add(o, "name", nss->v[i].name);
			output_json_add(o, "status", ns_phase(&nss->v[i]));
			json_object_object_add(o, "serviceAccounts", json_object_new_int(total));
			json_object_object_add(o, "boundServiceAccounts", json_object_new_int(bound));
			json_object_array_add(a, o);
		} else if (t != NULL) {
			snprintf(total_s, sizeof(total_s), "%d", total);
			snprintf(bound_s, sizeof(bound_s), "%d", bound);
			output_table_add(t,
			                 (const char *const[]){nss->v[i].name, ns_phase(&nss->v[i]), total_s, bound_s});
		}
	}
	if (a != NULL) {
		output_json_print(cli, a);
		json_object_put(a);
	}
	if (t != NULL)
		output_table_print(t, cli, "No namespaces found.");
	output_table_free(t);
}

static int
namespaces_run(struct cli *cli)
{
	struct kube_object_list nss = {NULL, 0, {0, 0}}, sas = {NULL, 0, {0, 0}};
	struct kube_session s;
	struct irsa_error err;
	unsigned chunk;
	int rc;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help namespaces' for usage.", "namespaces takes no arguments");
	if ((rc = kube_session_chunk_size(cli, &chunk)) != 0)
		return rc;
	irsa_error_clear(&err);
	if (kube_session_open(cli, chunk, &s, &err) != 0)
		return output_error(cli, &err);
	if (kube_list_namespaces(s.client, &nss, &err) == 0 &&
	    kube_list_serviceaccounts(s.client, NULL, NULL, &sas, &err) == 0) {
		ns_print(cli, &nss, &sas);
		rc = EXIT_OK;
	} else {
		rc = output_error(cli, &err);
	}
	kube_object_list_release(&nss);
	kube_object_list_release(&sas);
	kube_session_close(&s);
	return rc;
}

static const struct cli_flag namespaces_flags[] = {
        {"chunk-size", 0, "N", "items per list request (default 500)"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_namespaces = {
        .name = "namespaces",
        .summary = "list namespaces and how many service accounts are bound",
        .usage = "namespaces [--context C] [-o text|json]",
        .description = "Lists the namespaces of the cluster of --context (default: the kubeconfig's\n"
                       "current context), each with its status, its number of service accounts and\n"
                       "how many of them are bound to an IAM role (eks.amazonaws.com/role-arn).\n"
                       "\n"
                       "-o json prints an array of objects: name, status, serviceAccounts and\n"
                       "boundServiceAccounts.",
        .outputs = "text,json",
        .flags = namespaces_flags,
        .run = namespaces_run,
};
