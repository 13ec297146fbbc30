/* tui/cmd_token.c - `irsa token`: the ExecCredential with an EKS bearer
 * token, printed exactly as `aws eks get-token` prints it, so that a
 * kubeconfig can use irsa as its exec plugin. kubectl runs it before every
 * command, so it stays lean: the AWS config files and the credential chain,
 * nothing else, and no HTTP client unless --role-arn or the credential
 * source needs one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "eks_token.h"
#include "error.h"

static const struct cli_flag token_flags[] = {
        {"cluster-name", 0, "NAME", "the EKS cluster to make the token for"},
        {"cluster-id", 0, "ID", "the cluster's id instead (Outposts local clusters)"},
        {"role-arn", 0, "ARN", "assume this role first and sign with its keys"},
        {"role", 0, "ARN", "the same as --role-arn (aws eks get-token accepts it)"},
        {NULL, 0, NULL, NULL},
};

/* Prints err as one line and its hint, returns EXIT_FAILURE_RUN. */
static int
token_fail(struct cli *cli, const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(cli->err, "irsa: %s\n", line);
	if (err->hint[0] != '\0')
		fprintf(cli->err, "%s\n", err->hint);
	return EXIT_FAILURE_RUN;
}

static int
token_run(struct cli *cli)
{
	struct eks_token_options opt;
	struct irsa_error err;
	struct eks_token t;
	const char *name = cli_flag_value(cli, "cluster-name"), *id = cli_flag_value(cli, "cluster-id");
	const char *role = cli_flag_value(cli, "role-arn"), *alias = cli_flag_value(cli, "role");
	const char *api_version, *warning;
	char *doc;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help token' for usage.", "token takes no arguments (got \"%s\")",
		                       cli->argv[0]);
	if (name != NULL && id != NULL)
		return cli_usage_error(cli, "Give one of them: --cluster-id is for Outposts local clusters.",
		                       "--cluster-name and --cluster-id cannot be given together");
	if (name == NULL && id == NULL)
		return cli_usage_error(cli, "Run 'irsa help token' for an example.",
		                       "token needs --cluster-name NAME or --cluster-id ID");
	if (role != NULL && alias != NULL && strcmp(role, alias) != 0)
		return cli_usage_error(cli, "--role is another name for --role-arn: give one.",
		                       "--role-arn and --role name different roles");

	/* awscli decides the apiVersion (and warns) before it signs. */
	api_version = eks_exec_api_version(getenv("KUBERNETES_EXEC_INFO"), &warning);
	if (warning != NULL)
		fprintf(cli->err, "%s\n", warning);

	memset(&opt, 0, sizeof(opt));
	opt.cluster_id = id != NULL ? id : name;
	opt.profile = cli->profile;
	opt.region = cli->region;
	opt.role_arn = role != NULL ? role : alias;
	if (eks_token_get(&opt, &t, &err) != 0)
		return token_fail(cli, &err);
	doc = eks_exec_credential(api_version, &t, &err);
	eks_token_release(&t);
	if (doc == NULL)
		return token_fail(cli, &err);
	fputs(doc, cli->out);
	buf_free_secret(doc);
	return EXIT_OK;
}

const struct cmd cmd_token = {
        .name = "token",
        .summary = "print an EKS token for kubectl (as aws eks get-token)",
        .usage = "token --cluster-name NAME|--cluster-id ID [--region R] [--role-arn ARN]",
        .description = "Prints an ExecCredential with a bearer token for an EKS cluster, byte for\n"
                       "byte what `aws eks get-token` prints for the same credentials, region and\n"
                       "second. The apiVersion follows KUBERNETES_EXEC_INFO (v1beta1 by default).\n"
                       "Credentials come from the usual chain (--profile, AWS_PROFILE, ...).\n"
                       "\n"
                       "Use it as the exec plugin of a kubeconfig user:\n"
                       "\n"
                       "  users:\n"
                       "  - name: shop-prod\n"
                       "    user:\n"
                       "      exec:\n"
                       "        apiVersion: client.authentication.k8s.io/v1beta1\n"
                       "        command: irsa\n"
                       "        args: [token, --cluster-name, shop-prod, --region, us-east-1]\n"
                       "        env: [{name: AWS_PROFILE, value: prod}]   # optional\n"
                       "        interactiveMode: Never",
        .outputs = "json",
        .flags = token_flags,
        .run = token_run,
};
