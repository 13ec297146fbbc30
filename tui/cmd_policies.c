/* tui/cmd_policies.c - `irsa policies`: the managed policies a role could
 * be given (ListPolicies to its last page), searched by name and
 * description here since IAM has no server-side search.
 *
 * IAM's ListPolicies never carries a Description; GetPolicy does. irsa asks
 * GetPolicy (all at once) for the customer managed policies only: an
 * account has few of them, where AWS manages about 1,500, and fetching
 * those would take 1,500 calls for every listing. */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "iam.h"
#include "cli.h"
#include "output.h"

static const char *const headers[] = {"NAME", "ARN", "DESCRIPTION"};

/* An AWS managed policy: "arn:<partition>:iam::aws:policy/...". */
static bool
aws_managed(const struct aws_policy *p)
{
	return p->arn != NULL && strstr(p->arn, ":iam::aws:policy/") != NULL;
}

/* Fills in the descriptions of the customer managed policies. */
static int
policies_describe(struct aws_client *c, struct aws_policy_list *l, struct irsa_error *err)
{
	const char **arns;
	struct aws_policy *got;
	size_t i, n = 0, k;
	int rc;

	arns = calloc(l->n + 1, sizeof(*arns));
	for (i = 0; arns != NULL && i < l->n; i++)
		if (!aws_managed(&l->v[i]) && l->v[i].description == NULL)
			arns[n++] = l->v[i].arn;
	got = calloc(n + 1, sizeof(*got));
	if (arns == NULL || got == NULL) {
		free(arns);
		free(got);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	rc = iam_get_policies(c, arns, n, got, err);
	for (i = 0, k = 0; i < l->n && k < n; i++)
		if (l->v[i].arn == arns[k]) {
			l->v[i].description = got[k].description;
			got[k].description = NULL;
			aws_policy_release(&got[k++]);
		}
	free(arns);
	free(got);
	return rc;
}

static bool
policy_matches(const struct aws_policy *p, const char *search)
{
	return search == NULL || (p->name != NULL && strcasestr(p->name, search) != NULL) ||
	       (p->description != NULL && strcasestr(p->description, search) != NULL);
}

static void
policies_print(struct cli *cli, const struct aws_policy_list *l, const char *search)
{
	struct output_table *t = NULL;
	const struct aws_policy *p;
	json_object *a = NULL, *o;
	size_t i;

	if (output_is_json(cli))
		a = json_object_new_array();
	else
		t = output_table_new(sizeof(headers) / sizeof(headers[0]), headers);
	for (i = 0; i < l->n; i++) {
		p = &l->v[i];
		if (!policy_matches(p, search))
			continue;
		if (a != NULL) {
			o = json_object_new_object();
			output_json_add(o, "name", p->name);
			output_json_add(o, "arn", p->arn);
			output_json_add(o, "id", p->id);
			output_json_add(o, "path", p->path);
			output_json_add(o, "description", p->description);
			output_json_add(o, "defaultVersionId", p->default_version_id);
			json_object_object_add(o, "attachmentCount", json_object_new_int64(p->attachment_count));
			json_object_object_add(o, "isAttachable", json_object_new_boolean(p->is_attachable));
			output_json_add(o, "scope", aws_managed(p) ? "aws" : "local");
			json_object_array_add(a, o);
		} else if (t != NULL) {
			output_table_add(t, (const char *const[]){p->name, p->arn, p->description});
		}
	}
	if (a != NULL) {
		output_json_print(cli, a);
		json_object_put(a);
	} else if (t != NULL) {
		output_table_print(t, cli, search != NULL ? "No policies match." : "No policies found.");
	}
	output_table_free(t);
}

static int
policies_run(struct cli *cli)
{
	struct aws_client_options opt = {.profile = cli->profile, .region = cli->region};
	struct aws_iam_list_policies in = {.scope = "All"};
	const char *scope = cli_flag_value(cli, "scope");
	struct aws_policy_list list;
	struct aws_client *c;
	struct irsa_error err;
	int rc = EXIT_OK;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Use --search TEXT to filter; run 'irsa help policies' for usage.",
		                       "policies takes no arguments");
	if (scope != NULL && strcmp(scope, "aws") == 0)
		in.scope = "AWS";
	else if (scope != NULL && strcmp(scope, "local") == 0)
		in.scope = "Local";
	else if (scope != NULL && strcmp(scope, "all") != 0)
		return cli_usage_error(cli, "Use --scope aws, --scope local or --scope all.",
		                       "unknown policy scope \"%s\"", scope);
	irsa_error_clear(&err);
	c = aws_client_new(&opt, &err);
	if (c == NULL)
		return output_error(cli, &err);
	if (iam_list_policies(c, &in, &list, &err) != 0 || policies_describe(c, &list, &err) != 0)
		rc = output_error(cli, &err);
	else
		policies_print(cli, &list, cli_flag_value(cli, "search"));
	aws_policy_list_release(&list);
	aws_client_free(c);
	return rc;
}

static const struct cli_flag policies_flags[] = {
        {"scope", 0, "SCOPE", "aws (AWS managed), local (yours) or all (default)"},
        {"search", 0, "TEXT", "only policies whose name or description holds TEXT"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_policies = {
        .name = "policies",
        .summary = "list or search the IAM managed policies",
        .usage = "policies [--scope aws|local|all] [--search TEXT] [-o text|json]",
        .description = "Lists the managed policies of the account: AWS managed ones (--scope aws),\n"
                       "customer managed ones (--scope local) or both (the default), read to the\n"
                       "last page. --search keeps those whose name or description contains TEXT,\n"
                       "ignoring case: IAM has no search of its own, so irsa filters what it read.\n"
                       "\n"
                       "IAM does not list descriptions. irsa asks for them (GetPolicy, in parallel)\n"
                       "for customer managed policies only; AWS managed ones show none, and\n"
                       "--search matches their names.\n"
                       "-o json prints an array of objects: name, arn, id, path, description (null\n"
                       "when unknown), defaultVersionId, attachmentCount, isAttachable and scope.",
        .outputs = "text,json",
        .flags = policies_flags,
        .run = policies_run,
};
