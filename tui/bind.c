/* tui/bind.c - the flags, clients, plan and printing `irsa plan` and
 * `irsa apply` share (see bind.h). No curses here. */
#include "config.h"

#include "bind.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aws_endpoint.h"
#include "buf.h"
#include "eks.h"
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

/* The EKS cluster the context reaches: by its ARN, or its token plugin's
 * --cluster-name and --region. */
static int
cluster_of_context(struct bind *b, struct irsa_error *err)
{
	struct kube_eks_refs refs = {NULL, 0};
	int rc = -1;

	if (kube_match_refs(b->cfg, &refs, err) != 0)
		goto out;
	for (size_t i = 0; i < refs.n; i++) {
		const struct kube_eks_ref *r = &refs.v[i];

		if (strcmp(r->context, b->target->context) != 0)
			continue;
		if (r->name == NULL || r->region == NULL) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			               "context %s does not say which EKS cluster it reaches (its cluster is not named "
			               "by an EKS ARN, and it has no aws eks get-token plugin)",
			               r->context);
			irsa_error_hint(err, "Name the cluster: --cluster NAME --region REGION.");
			goto out;
		}
		snprintf(b->cluster, sizeof(b->cluster), "%s", r->name);
		snprintf(b->region, sizeof(b->region), "%s", r->region);
		rc = 0;
		goto out;
	}
	irsa_error_set(err, IRSA_ERR_NOT_FOUND, "context %s not found", b->target->context);
out:
	kube_match_refs_release(&refs);
	return rc;
}

static int
open_kube_context(struct cli *cli, struct bind *b, struct irsa_error *err)
{
	struct kube_client_options opt;

	memset(&opt, 0, sizeof(opt));
	if (kubeconfig_load(cli->kubeconfig, &b->cfg, err) != 0 ||
	    kubeconfig_resolve(b->cfg, cli->context, &b->target, err) != 0 || cluster_of_context(b, err) != 0)
		return -1;
	if (!cli->exec_plugins && kube_eks_auth_applies(b->target)) {
		if ((b->eks = kube_eks_auth_new(b->target, err)) == NULL)
			return -1;
		kube_eks_auth_set_options(b->eks, &opt);
	}
	b->kube = kube_client_new(b->target, &opt, err);
	return b->kube != NULL ? 0 : -1;
}

static int
open_kube_cluster(struct cli *cli, struct bind *b, struct irsa_error *err)
{
	struct kube_eks_auth_params params = {b->cluster, b->region, cli->profile, NULL};
	struct kube_client_options opt;
	struct aws_eks_cluster k;
	int rc;

	memset(&opt, 0, sizeof(opt));
	rc = eks_describe_cluster(b->aws, b->cluster, &k, err);
	if (rc == 0)
		rc = kube_match_cluster_target(&k, &b->target, err);
	aws_eks_cluster_release(&k);
	if (rc != 0)
		return -1;
	if ((b->eks = kube_eks_auth_new_params(&params, err)) == NULL)
		return -1;
	kube_eks_auth_set_options(b->eks, &opt);
	b->kube = kube_client_new(b->target, &opt, err);
	return b->kube != NULL ? 0 : -1;
}

int
bind_open(struct cli *cli, struct bind *b, struct irsa_error *err)
{
	struct aws_client_options opt = {.profile = cli->profile, .region = cli->region};
	const char *connect_to = getenv("IRSA_CONNECT_TO");
	size_t n = 0;

	if (b->ch.cluster == NULL) {
		if (open_kube_context(cli, b, err) != 0)
			return -1;
		b->ch.cluster = b->cluster;
		b->ch.region = b->region;
		b->ch.context = b->target->context;
		opt.region = b->region;
		if ((b->aws = aws_client_new(&opt, err)) == NULL)
			return -1;
	} else {
		if ((b->aws = aws_client_new(&opt, err)) == NULL || open_kube_cluster(cli, b, err) != 0)
			return -1;
	}
	if (connect_to != NULL && *connect_to != '\0' &&
	    oidc_parse_connect_to(connect_to, &b->connect_to, &n, err) != 0) {
		irsa_error_prefix(err, "IRSA_CONNECT_TO");
		return -1;
	}
	b->oidc.connect_to = (const char *const *)b->connect_to;
	b->oidc.n_connect_to = n;
	b->oidc.ca_bundle = getenv("AWS_CA_BUNDLE");
	if (b->oidc.ca_bundle != NULL && *b->oidc.ca_bundle == '\0')
		b->oidc.ca_bundle = NULL;
	b->env.aws = b->aws;
	b->env.kube = b->kube;
	b->env.oidc = &b->oidc;
	return 0;
}

void
bind_close(struct bind *b)
{
	kube_client_free(b->kube);
	kube_eks_auth_free(b->eks);
	kube_target_free(b->target);
	kubeconfig_free(b->cfg);
	kube_exec_cache_clear();
	aws_client_free(b->aws);
	oidc_connect_to_free(b->connect_to);
	b->kube = NULL;
	b->eks = NULL;
	b->target = NULL;
	b->cfg = NULL;
	b->aws = NULL;
	b->connect_to = NULL;
}

int
bind_plan(struct bind *b, struct plan *p, struct irsa_error *err)
{
	struct plan_state st;
	int rc;

	plan_init(p);
	rc = plan_read(&b->env, &b->ch, &st, err);
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
	fprintf(cli->out, "Service account: %s/%s%s\n", p->ns, p->sa, p->sa_exists ? "" : " (to be created)");
	fprintf(cli->out, "Role:            %s%s\n", p->role_arn, p->role_exists ? "" : " (to be created)");
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
