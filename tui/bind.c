/* tui/bind.c - the flags, clients, plan and printing `irsa plan` and
 * `irsa apply` share (see bind.h). No curses here. */
#include "config.h"

#include "bind.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "export.h"
#include "kube.h"
#include "kube_exec.h"
#include "log.h"
#include "output.h"

/* clang-format off */
const struct cli_flag bind_flags[] = {
        {"namespace", 'n', "NS", "the service account's namespace"},
        {"service-account", 0, "SA", "the service account to bind"},
        {"cluster", 0, "NAME", "the EKS cluster (with --region), instead of --context"},
        {"role-name", 0, "NAME", "the role to create or extend (default: CLUSTER-NS-SA)"},
        {"role-arn", 0, "ARN", "an existing role to bind"},
        {"role-path", 0, "PATH", "the path of a new role (default /)"},
        {"policy", 0, "ARN", "a managed policy to attach (repeat it)"},
        {"service", 0, "NAME", "also trust an AWS service, e.g. ec2 (repeat it)"},
        {"create-service-account", 0, NULL, "create the service account when missing"},
        {"restart-workloads", 0, NULL, "restart the workloads running as it"},
        {"sts-regional-endpoints", 0, "BOOL", "set the sts-regional-endpoints annotation"},
        {"token-expiration", 0, "SECONDS", "set the token-expiration annotation"},
        {"yes", 'y', NULL, "apply without asking (irsa apply)"},
        {NULL, 0, NULL, NULL},
};
/* clang-format on */

const char bind_description[] = "The service account NS/SA of the cluster (--context, else the current context;\n"
                                "or --cluster NAME --region R) gets the IAM role: the IAM OIDC provider for the\n"
                                "cluster's issuer when missing, the role (created, or its trust policy widened\n"
                                "to admit the account, keeping every other statement), each --policy attached,\n"
                                "the eks.amazonaws.com/role-arn annotation (merge-patched: nothing else of the\n"
                                "object changes), and with --restart-workloads a rollout restart of the\n"
                                "workloads running as it, since running pods keep their old credentials.\n"
                                "Steps that would change nothing are left out: after an apply, the plan is\n"
                                "empty. Every name is checked before any call.\n"
                                "\n"
                                "-o text shows the steps, the trust policy diff and the equivalent commands;\n"
                                "json the plan (docs/plan.md); shell the aws and kubectl commands; terraform\n"
                                "the end state as HCL; yaml the ServiceAccount manifest.";

int
bind_parse(struct cli *cli, struct bind *b)
{
	const char *hint = "Run 'irsa help plan' for usage.";
	struct plan_choices *ch = &b->ch;
	struct irsa_error err;
	size_t n;

	memset(b, 0, sizeof(*b));
	if (cli->argc > 0)
		return cli_usage_error(cli, hint, "%s takes no arguments (got \"%s\")", cli->cmd->name, cli->argv[0]);
	ch->ns = cli_flag_value(cli, "namespace");
	ch->sa = cli_flag_value(cli, "service-account");
	ch->role_name = cli_flag_value(cli, "role-name");
	ch->role_arn = cli_flag_value(cli, "role-arn");
	ch->role_path = cli_flag_value(cli, "role-path");
	ch->sts_regional = cli_flag_value(cli, "sts-regional-endpoints");
	ch->token_expiration = cli_flag_value(cli, "token-expiration");
	ch->create_sa = cli_flag_given(cli, "create-service-account");
	ch->restart = cli_flag_given(cli, "restart-workloads");
	if ((n = cli_flag_values(cli, "policy", b->policies, BIND_MAX_LIST)) > BIND_MAX_LIST)
		return cli_usage_error(cli, hint, "more than %d --policy flags", BIND_MAX_LIST);
	ch->policies = b->policies;
	ch->n_policies = n;
	if ((n = cli_flag_values(cli, "service", b->services, BIND_MAX_LIST)) > BIND_MAX_LIST)
		return cli_usage_error(cli, hint, "more than %d --service flags", BIND_MAX_LIST);
	ch->services = b->services;
	ch->n_services = n;

	if (cli_flag_given(cli, "cluster")) {
		if (cli->context != NULL)
			return cli_usage_error(cli, "Give --context, or --cluster with --region.",
			                       "--cluster and --context exclude each other");
		if (cli->region == NULL)
			return cli_usage_error(cli, "e.g. --cluster shop-prod --region us-east-1.",
			                       "--cluster needs --region");
		snprintf(b->cluster, sizeof(b->cluster), "%s", cli_flag_value(cli, "cluster"));
		snprintf(b->region, sizeof(b->region), "%s", cli->region);
		ch->cluster = b->cluster;
		ch->region = b->region;
	}
	irsa_error_clear(&err);
	if ((ch->cluster != NULL ? plan_check_choices(ch, NULL, &err) : plan_check_names(ch, NULL, &err)) != 0) {
		cli_usage_error(cli, err.hint[0] != '\0' ? err.hint : hint, "%s", err.message);
		return EXIT_USAGE;
	}
	return 0;
}

int
bind_open(struct cli *cli, struct bind *b, struct irsa_error *err)
{
	if (bind_clients_open(&b->cl, cli, cli->context, b->ch.cluster, b->ch.region, err) != 0)
		return -1;
	if (b->ch.cluster == NULL) {
		b->ch.cluster = b->cl.cluster;
		b->ch.region = b->cl.region;
		b->ch.context = b->cl.context;
	}
	return 0;
}

void
bind_close(struct bind *b)
{
	bind_clients_close(&b->cl);
	kube_exec_cache_clear();
}

int
bind_plan(struct bind *b, struct plan *p, struct irsa_error *err)
{
	struct plan_state st;
	int rc;

	plan_init(p);
	rc = plan_read(&b->cl.env, &b->ch, &st, err);
	if (rc == 0)
		rc = plan_build(&b->ch, &st, p, err);
	plan_state_release(&st);
	return rc;
}

/* --- text ------------------------------------------------------------------ */

static void
print_diff(const struct cli *cli, const struct plan *p)
{
	struct trust_diff d;
	struct irsa_error err;

	if (trust_diff_text(p->trust_before, p->trust_after, &d, &err) != 0)
		return;
	for (size_t i = 0; i < d.n; i++) {
		const char *on = "", *off = "";

		if (cli->color && d.lines[i].kind != TRUST_DIFF_SAME) {
			on = d.lines[i].kind == TRUST_DIFF_ADDED ? "\033[32m" : "\033[31m";
			off = "\033[0m";
		}
		fprintf(cli->out, "  %s%c %s%s\n", on, (char)d.lines[i].kind, d.lines[i].text, off);
	}
	trust_diff_release(&d);
}

static void
print_text(const struct cli *cli, const struct plan *p)
{
	bool trust_changes = false;

	fprintf(cli->out, "Cluster:         %s (%s, account %s)\n", p->cluster, p->region, p->account);
	/* An audit fix of a role or a provider names no service account ("-"). */
	if (strcmp(p->sa, "-") != 0)
		fprintf(cli->out, "Service account: %s/%s%s\n", p->ns, p->sa, p->sa_exists ? "" : " (to be created)");
	if (strcmp(p->role_arn, "-") != 0)
		fprintf(cli->out, "Role:            %s%s\n", p->role_arn, p->role_exists ? "" : " (to be created)");
	else
		fprintf(cli->out, "OIDC provider:   %s\n", p->provider_arn);
	if (p->n == 0) {
		fprintf(cli->out, "\nNothing to do: the service account is bound as asked.\n");
	} else {
		fprintf(cli->out, "\nPlan: %zu step%s\n", p->n, p->n == 1 ? "" : "s");
		for (size_t i = 0; i < p->n; i++) {
			const struct plan_step *s = &p->steps[i];

			fprintf(cli->out, "\n%2zu. %s\n", i + 1, s->title);
			fprintf(cli->out, "    request: %s\n", s->request);
			fprintf(cli->out, "    command: %s\n", s->command);
			trust_changes =
			        trust_changes || s->kind == PLAN_STEP_ROLE_CREATE || s->kind == PLAN_STEP_ROLE_TRUST;
		}
		if (trust_changes) {
			fprintf(cli->out, "\nTrust policy of %s%s:\n", p->role_name,
			        p->trust_before != NULL ? " (- now, + after)" : " (new)");
			print_diff(cli, p);
		}
	}
	for (size_t i = 0; i < p->warnings.n; i++)
		fprintf(cli->out, "\nWarning: %s\n", p->warnings.v[i]);
}

int
bind_print(const struct cli *cli, const struct plan *p)
{
	const char *format = cli->output != NULL ? cli->output : "text";
	enum export_format f;
	struct irsa_error err;
	struct buf out;
	int rc = EXIT_OK;

	if (strcmp(format, "text") == 0) {
		print_text(cli, p);
		return EXIT_OK;
	}
	if (strcmp(format, "json") == 0) {
		struct json_object *o = plan_to_json(p);

		if (o == NULL) {
			irsa_error_oom(&err);
			return output_error(cli, &err);
		}
		output_json_print(cli, o);
		json_object_put(o);
		return EXIT_OK;
	}
	irsa_error_clear(&err);
	buf_init(&out, 16 * 1024 * 1024);
	if (export_format_parse(format, &f) != 0) {
		irsa_error_set(&err, IRSA_ERR_INVALID_INPUT, "unknown output format %s", format);
		rc = output_error(cli, &err);
	} else if (export_plan(p, f, &out, &err) != 0) {
		rc = output_error(cli, &err);
	} else {
		fputs(buf_cstr(&out), cli->out);
	}
	buf_release(&out);
	return rc;
}
