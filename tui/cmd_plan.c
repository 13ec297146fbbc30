/* tui/cmd_plan.c - `irsa plan`: the steps that would bind a service account
 * to an IAM role, read from AWS and the cluster, changing nothing. */
#include "config.h"

#include "bind.h"
#include "cli.h"
#include "output.h"

static int
plan_run(struct cli *cli)
{
	struct irsa_error err;
	struct bind b;
	struct plan p;
	int rc;

	if (cli_flag_given(cli, "yes"))
		return cli_usage_error(cli, "irsa plan changes nothing: use irsa apply --yes.",
		                       "flag --yes is for irsa apply");
	if ((rc = bind_parse(cli, &b)) != 0)
		return rc;
	irsa_error_clear(&err);
	plan_init(&p);
	if (bind_open(cli, &b, &err) != 0 || bind_plan(&b, &p, &err) != 0)
		rc = output_error(cli, &err);
	else
		rc = bind_print(cli, &p);
	plan_release(&p);
	bind_close(&b);
	return rc;
}

const struct cmd cmd_plan = {
        .name = "plan",
        .summary = "show the changes that bind a service account to an IAM role",
        .usage = "plan [--context C | --cluster N --region R] -n NS --service-account SA\n"
                 "       [--role-name R | --role-arn ARN] [--policy ARN ...] [--service S ...]\n"
                 "       [--create-service-account] [--restart-workloads]\n"
                 "       [-o text|json|shell|terraform|yaml]",
        .description = bind_description,
        .outputs = "text,json,shell,terraform,yaml",
        .flags = bind_flags,
        .run = plan_run,
};
