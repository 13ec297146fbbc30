/* tui/cmd_whoami.c - `irsa whoami`: who AWS takes us for (STS
 * GetCallerIdentity), where the credentials came from, and the profile and
 * region in use. */
#include "config.h"

#include <json-c/json.h>

#include "aws_client.h"
#include "aws_creds.h"
#include "aws_sts.h"
#include "cli.h"
#include "output.h"

static void
whoami_print(struct cli *cli, struct aws_client *c, const struct aws_caller_identity *id)
{
	static const char *const fields[] = {"ACCOUNT", "ARN", "USER ID", "CREDENTIALS", "PROFILE", "REGION"};
	const char *values[] = {id->account,           id->arn,
	                        id->user_id,           aws_creds_source(aws_client_creds(c)),
	                        aws_client_profile(c), aws_client_region(c)};
	static const char *const keys[] = {"account", "arn", "userId", "credentialSource", "profile", "region"};
	struct output_table *t;
	json_object *a, *o;
	size_t i;

	if (output_is_json(cli)) {
		a = json_object_new_array();
		o = json_object_new_object();
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			output_json_add(o, keys[i], values[i]);
		json_object_array_add(a, o);
		output_json_print(cli, a);
		json_object_put(a);
		return;
	}
	/* One object: a field a line reads better than one row 150 columns wide. */
	t = output_table_new(2, NULL);
	for (i = 0; t != NULL && i < sizeof(fields) / sizeof(fields[0]); i++)
		output_table_add(t, (const char *const[]){fields[i], values[i]});
	if (t != NULL)
		output_table_print(t, cli, "");
	output_table_free(t);
}

static int
whoami_run(struct cli *cli)
{
	struct aws_client_options opt = {.profile = cli->profile, .region = cli->region};
	struct aws_caller_identity id;
	struct aws_client *c;
	struct irsa_error err;
	int rc = EXIT_OK;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help whoami' for usage.", "whoami takes no arguments");
	irsa_error_clear(&err);
	c = aws_client_new(&opt, &err);
	if (c == NULL)
		return output_error(cli, &err);
	if (aws_sts_get_caller_identity(c, &id, &err) != 0)
		rc = output_error(cli, &err);
	else
		whoami_print(cli, c, &id);
	aws_caller_identity_release(&id);
	aws_client_free(c);
	return rc;
}

const struct cmd cmd_whoami = {
        .name = "whoami",
        .summary = "show the AWS identity in use and where it comes from",
        .usage = "whoami [-o text|json]",
        .description = "Asks STS whom the credentials belong to (GetCallerIdentity) and shows the\n"
                       "account, the ARN, the user id, where the credentials came from (environment,\n"
                       "a profile's keys, an assumed role, SSO, ...), and the profile and region in\n"
                       "use, resolved as the AWS CLI resolves them. -o json prints an array of one\n"
                       "object: account, arn, userId, credentialSource, profile, region.",
        .outputs = "text,json",
        .run = whoami_run,
};
