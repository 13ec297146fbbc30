/* tests/unit/test_export.c - a plan as code: the exact aws/kubectl command
 * of every step kind, shell quoting that survives any value (checked by
 * splitting the command again as a shell would), the tags' shorthand and
 * JSON forms, and the shell, Terraform and YAML exports of the sample plans
 * against golden files in tests/data/export (the Terraform ones also pass
 * `terraform fmt -check` in tests/integration/export_terraform.sh). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan_samples.h"
#include "shlex.h"

/* An issuer and provider in the China (Beijing) partition. */
#define CN_ISSUER   "oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
#define CN_PROVIDER "arn:aws-cn:iam::111122223333:oidc-provider/" CN_ISSUER

/* The minified trust of the fresh plan, as create-role sends it. */
#define FRESH_TRUST_MIN                                                                                                \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"irsaOidc1EXAMPLE\",\"Effect\":\"Allow\","               \
	"\"Principal\":{\"Federated\":\"" S_PROVIDER "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","               \
	"\"Condition\":{\"StringEquals\":{\"" S_ISSUER ":aud\":\"sts.amazonaws.com\",\"" S_ISSUER                      \
	":sub\":\"system:serviceaccount:orders:orders-api\"}}}]}"

static void
expect_command(const struct plan *p, size_t i, const char *want)
{
	char *got = export_step_command(p, &p->steps[i]);

	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("step %zu (%s):\n got: %s\nwant: %s", i, plan_step_kind_name(p->steps[i].kind), got, want);
	/* plan_build() stores the same text */
	assert_string_equal(p->steps[i].command, want);
	free(got);
}

/* The command split as sh would (no expansion: every argument was quoted)
 * gives exactly these words. */
static void
expect_words(const char *cmd, const char *const *want, size_t n)
{
	struct irsa_error err;
	char **argv;
	size_t argc, i;

	if (shlex_split(cmd, &argv, &argc, &err) != 0)
		fail_msg("%s: %s", cmd, err.message);
	if (argc != n)
		fail_msg("%zu words, want %zu: %s", argc, n, cmd);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], want[i]) != 0)
			fail_msg("word %zu: got [%s], want [%s]", i, argv[i], want[i]);
		free(argv[i]);
	}
	free(argv);
}

static void
test_commands_fresh(void **state)
{
	struct plan p;

	(void)state;
	sample_fresh(&p);
	expect_command(&p, 0,
	               "aws iam create-open-id-connect-provider --url https://" S_ISSUER
	               " --client-id-list sts.amazonaws.com --thumbprint-list " S_TP
	               " --tags Key=irsa:managed-by,Value=irsa Key=irsa:cluster,Value=prod"
	               " Key=irsa:service-account,Value=orders/orders-api");
	expect_command(&p, 1,
	               "aws iam create-role --role-name " S_ROLE " --assume-role-policy-document '" FRESH_TRUST_MIN
	               "' --tags Key=irsa:managed-by,Value=irsa Key=irsa:cluster,Value=prod"
	               " Key=irsa:service-account,Value=orders/orders-api");
	expect_command(&p, 2, "aws iam attach-role-policy --role-name " S_ROLE " --policy-arn " S_S3);
	expect_command(&p, 3, "aws iam attach-role-policy --role-name " S_ROLE " --policy-arn " S_DYNAMO);
	expect_command(
	        &p, 4,
	        "kubectl -n orders create serviceaccount orders-api && kubectl -n orders annotate serviceaccount "
	        "orders-api eks.amazonaws.com/role-arn=" S_ROLE_ARN " eks.amazonaws.com/sts-regional-endpoints=true");
	expect_command(&p, 5, "kubectl -n orders rollout restart deployment/orders-api");
	plan_release(&p);
}

static void
test_commands_merge(void **state)
{
	struct plan p;
	struct irsa_error err;
	struct trust *t;
	char *min, *want;

	(void)state;
	sample_merge(&p);
	t = trust_parse(p.trust_after, &err);
	assert_non_null(t);
	min = trust_to_json_min(t, NULL);
	assert_non_null(min);
	assert_null(strchr(min, '\'')); /* so it is quoted as is */
	assert_true(asprintf(&want, "aws iam update-assume-role-policy --role-name " S_SHARED " --policy-document '%s'",
	                     min) > 0);
	expect_command(&p, 0, want);
	expect_command(&p, 1,
	               "kubectl --context prod-admin@prod -n orders annotate --overwrite serviceaccount orders-api "
	               "eks.amazonaws.com/role-arn=" S_SHARED_ARN " eks.amazonaws.com/token-expiration-");
	free(want);
	free(min);
	trust_free(t);
	plan_release(&p);
}

static void
test_commands_client_id(void **state)
{
	struct plan p;

	(void)state;
	sample_client_id(&p);
	expect_command(&p, 0,
	               "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn " S_PROVIDER
	               " --client-id sts.amazonaws.com");
	expect_command(&p, 1,
	               "kubectl --context arn:aws:eks:us-west-2:111122223333:cluster/prod -n metrics rollout restart "
	               "statefulset/collector");
	expect_command(&p, 2,
	               "kubectl --context arn:aws:eks:us-west-2:111122223333:cluster/prod -n metrics rollout restart "
	               "daemonset/node-agent");
	plan_release(&p);
}

/* Quotes, spaces, $, backslashes and a newline stay one argument each. */
static void
test_commands_quoting(void **state)
{
	static const char *const words[] = {
	        "kubectl",
	        "--context",
	        "it's mine",
	        "-n",
	        "team-a",
	        "annotate",
	        "--overwrite",
	        "serviceaccount",
	        "123",
	        "example.com/note=it's \"quoted\" ${HOME} %{x} \\ #1\nline 2",
	        "example.com/flag=true",
	};
	struct plan p;

	(void)state;
	sample_quoting(&p);
	expect_command(&p, 0,
	               "kubectl --context 'it'\\''s mine' -n team-a annotate --overwrite serviceaccount 123 "
	               "'example.com/note=it'\\''s \"quoted\" ${HOME} %{x} \\ #1\nline 2' example.com/flag=true");
	expect_words(p.steps[0].command, words, sizeof(words) / sizeof(words[0]));
	plan_release(&p);
}

/* A role with a path and tags the shorthand cannot carry: the JSON form. A
 * document that is not a trust policy goes as it is. An empty value is
 * the empty word. */
static void
test_commands_tags_json(void **state)
{
	static const char *const words[] = {
	        "aws",
	        "iam",
	        "create-role",
	        "--role-name",
	        "r",
	        "--path",
	        "/apps/",
	        "--assume-role-policy-document",
	        "not json",
	        "--tags",
	        "[{\"Key\":\"team\",\"Value\":\"a b,c\"},{\"Key\":\"owner\",\"Value\":\"it's/me\"}]",
	};
	struct plan p;
	struct plan_step *s;
	char *cmd;

	(void)state;
	plan_init(&p);
	s = sample_step(&p, PLAN_STEP_ROLE_CREATE, NULL, NULL);
	s->role_name = sample_dup("r");
	s->role_path = sample_dup("/apps/");
	s->document = sample_dup("not json");
	assert_int_equal(aws_tags_add(&s->tags, "team", "a b,c"), 0);
	assert_int_equal(aws_tags_add(&s->tags, "owner", "it's/me"), 0);
	cmd = export_step_command(&p, s);
	assert_string_equal(cmd, "aws iam create-role --role-name r --path /apps/ --assume-role-policy-document "
	                         "'not json' --tags '[{\"Key\":\"team\",\"Value\":\"a b,c\"},{\"Key\":\"owner\","
	                         "\"Value\":\"it'\\''s/me\"}]'");
	expect_words(cmd, words, sizeof(words) / sizeof(words[0]));
	free(cmd);

	/* a value the shorthand would misread (leading '='), and an empty one */
	aws_tags_release(&s->tags);
	assert_int_equal(aws_tags_add(&s->tags, "k", "=x"), 0);
	free(s->document);
	s->document = NULL;
	cmd = export_step_command(&p, s);
	assert_string_equal(cmd, "aws iam create-role --role-name r --path /apps/ --assume-role-policy-document '' "
	                         "--tags '[{\"Key\":\"k\",\"Value\":\"=x\"}]'");
	free(cmd);
	aws_tags_release(&s->tags);
	assert_int_equal(aws_tags_add(&s->tags, "k", ""), 0);
	cmd = export_step_command(&p, s);
	assert_non_null(strstr(cmd, " --tags Key=k,Value="));
	free(cmd);
	plan_release(&p);
}

/* A service account created without annotations: one command. */
static void
test_commands_sa_create_bare(void **state)
{
	struct plan p;
	struct plan_step *s;
	char *cmd;

	(void)state;
	plan_init(&p);
	p.context = sample_dup("ctx");
	s = sample_step(&p, PLAN_STEP_SA_CREATE, NULL, NULL);
	s->ns = sample_dup("ns");
	s->name = sample_dup("sa");
	sample_annotation(&s->annotations, &s->n_annotations, "gone", "x", NULL);
	cmd = export_step_command(&p, s);
	assert_string_equal(cmd, "kubectl --context ctx -n ns create serviceaccount sa");
	free(cmd);
	plan_release(&p);
}

/* In the China and GovCloud partitions the aws iam commands name the
 * region: with none the aws CLI would call the aws partition's IAM. kubectl
 * commands stay as they are, and so do the aws partition's (above). */
static void
test_commands_partition(void **state)
{
	static const char *const cn_iam[] = {
	        "aws iam create-open-id-connect-provider --url https://" CN_ISSUER
	        " --client-id-list sts.amazonaws.com --region cn-north-1",
	        "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn " CN_PROVIDER
	        " --client-id sts.amazonaws.com --region cn-north-1",
	        "aws iam create-role --role-name r --assume-role-policy-document '' --region cn-north-1",
	        "aws iam update-assume-role-policy --role-name r --policy-document '' --region cn-north-1",
	        ("aws iam attach-role-policy --role-name r --policy-arn arn:aws-cn:iam::aws:policy/ReadOnlyAccess"
	         " --region cn-north-1"),
	};
	static const char *const words[] = {
	        "aws",
	        "iam",
	        "attach-role-policy",
	        "--role-name",
	        "r",
	        "--policy-arn",
	        "arn:aws-cn:iam::aws:policy/ReadOnlyAccess",
	        "--region",
	        "cn-north-1",
	};
	struct plan p;
	struct plan_step *s;
	struct irsa_error err;
	struct buf b;
	char *cmd;
	size_t i;

	(void)state;
	plan_init(&p);
	p.cluster = sample_dup("prod");
	p.region = sample_dup("cn-north-1");
	p.ns = sample_dup("ns");
	p.sa = sample_dup("sa");
	p.provider_arn = sample_dup(CN_PROVIDER);
	p.role_name = sample_dup("r");
	p.role_arn = sample_dup("arn:aws-cn:iam::111122223333:role/r");
	s = sample_step(&p, PLAN_STEP_OIDC_PROVIDER, NULL, NULL);
	s->provider_url = sample_dup("https://" CN_ISSUER);
	s = sample_step(&p, PLAN_STEP_OIDC_CLIENT_ID, NULL, NULL);
	s->provider_arn = sample_dup(CN_PROVIDER);
	s = sample_step(&p, PLAN_STEP_ROLE_CREATE, NULL, NULL);
	s->role_name = sample_dup("r");
	s = sample_step(&p, PLAN_STEP_ROLE_TRUST, NULL, NULL);
	s->role_name = sample_dup("r");
	s = sample_step(&p, PLAN_STEP_POLICY_ATTACH, NULL, NULL);
	s->role_name = sample_dup("r");
	s->policy_arn = sample_dup("arn:aws-cn:iam::aws:policy/ReadOnlyAccess");
	s = sample_step(&p, PLAN_STEP_RESTART, NULL, NULL);
	s->ns = sample_dup("ns");
	s->name = sample_dup("sa-app");
	s->workload = KUBE_DEPLOYMENT;
	for (i = 0; i < sizeof(cn_iam) / sizeof(cn_iam[0]); i++) {
		cmd = export_step_command(&p, &p.steps[i]);
		assert_non_null(cmd);
		if (strcmp(cmd, cn_iam[i]) != 0)
			fail_msg("step %zu:\n got: %s\nwant: %s", i, cmd, cn_iam[i]);
		free(cmd);
	}
	cmd = export_step_command(&p, &p.steps[4]);
	expect_words(cmd, words, sizeof(words) / sizeof(words[0]));
	free(cmd);
	cmd = export_step_command(&p, &p.steps[5]);
	assert_string_equal(cmd, "kubectl -n ns rollout restart deployment/sa-app");
	free(cmd);

	/* the script carries the same commands */
	sample_commands(&p);
	buf_init(&b, 1 << 20);
	assert_int_equal(export_plan(&p, EXPORT_SHELL, &b, &err), 0);
	for (i = 0; i < sizeof(cn_iam) / sizeof(cn_iam[0]); i++)
		assert_non_null(strstr(buf_cstr(&b), cn_iam[i]));
	buf_release(&b);

	/* GovCloud, told by the provider ARN when the role has none yet */
	free(p.role_arn);
	p.role_arn = NULL;
	free(p.provider_arn);
	p.provider_arn = sample_dup("arn:aws-us-gov:iam::111122223333:oidc-provider/x");
	free(p.region);
	p.region = sample_dup("us-gov-west-1");
	cmd = export_step_command(&p, &p.steps[2]);
	assert_string_equal(cmd, "aws iam create-role --role-name r --assume-role-policy-document '' "
	                         "--region us-gov-west-1");
	free(cmd);

	/* the aws partition, or a partition not known: no --region */
	free(p.provider_arn);
	p.provider_arn = sample_dup(S_PROVIDER);
	cmd = export_step_command(&p, &p.steps[2]);
	assert_string_equal(cmd, "aws iam create-role --role-name r --assume-role-policy-document ''");
	free(cmd);
	free(p.provider_arn);
	p.provider_arn = NULL;
	cmd = export_step_command(&p, &p.steps[4]);
	assert_null(strstr(cmd, "--region"));
	free(cmd);
	plan_release(&p);
}

static char *
exported(const struct plan *p, enum export_format f)
{
	struct irsa_error err;
	struct buf b;

	buf_init(&b, 1 << 20);
	if (export_plan(p, f, &b, &err) != 0)
		fail_msg("export_plan %s: %s", export_format_name(f), err.message);
	return buf_detach(&b);
}

static void
golden_all(void (*sample)(struct plan *), const char *name)
{
	static const struct {
		enum export_format f;
		const char *ext;
	} formats[] = {{EXPORT_SHELL, "sh"}, {EXPORT_TERRAFORM, "tf"}, {EXPORT_YAML, "yaml"}};
	char file[128];
	struct plan p;
	char *a, *b;

	sample(&p);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		a = exported(&p, formats[i].f);
		b = exported(&p, formats[i].f);
		assert_string_equal(a, b); /* deterministic */
		snprintf(file, sizeof(file), "export/%s.%s", name, formats[i].ext);
		sample_golden(file, a);
		free(a);
		free(b);
	}
	plan_release(&p);
}

static void
test_golden_fresh(void **state)
{
	(void)state;
	golden_all(sample_fresh, "fresh");
}

static void
test_golden_merge(void **state)
{
	(void)state;
	golden_all(sample_merge, "merge");
}

static void
test_golden_client_id(void **state)
{
	(void)state;
	golden_all(sample_client_id, "client-id");
}

static void
test_golden_quoting(void **state)
{
	(void)state;
	golden_all(sample_quoting, "quoting");
}

/* What the exports say in words, beside the golden files. */
static void
test_export_contents(void **state)
{
	struct plan p;
	char *s;

	(void)state;
	sample_fresh(&p);
	s = exported(&p, EXPORT_SHELL);
	assert_non_null(strstr(s, "#!/bin/sh\n"));
	assert_non_null(strstr(s, "\nset -eu\n"));
	assert_non_null(strstr(s, "#   aws eks update-kubeconfig --name prod --region us-west-2\n"));
	assert_null(strstr(s, "--context"));
	for (size_t i = 0; i < p.n; i++) {
		assert_non_null(strstr(s, p.steps[i].title));
		assert_non_null(strstr(s, p.steps[i].command));
	}
	free(s);
	s = exported(&p, EXPORT_TERRAFORM);
	assert_non_null(strstr(s, "resource \"aws_iam_openid_connect_provider\" \"prod\" {"));
	assert_non_null(strstr(s, "Federated = aws_iam_openid_connect_provider.prod.arn"));
	assert_non_null(strstr(s, "for_each = toset(["));
	assert_null(strstr(s, "count ="));
	assert_null(strstr(s, "count.index"));
	assert_null(strstr(s, "import {"));
	assert_non_null(strstr(s, "resource \"kubernetes_service_account_v1\" \"orders_orders_api\" {"));
	assert_non_null(
	        strstr(s, "\"eks.amazonaws.com/role-arn\"               = aws_iam_role.orders_orders_api.arn\n"));
	free(s);
	plan_release(&p);

	sample_merge(&p);
	s = exported(&p, EXPORT_TERRAFORM);
	assert_non_null(strstr(s, "data \"aws_iam_openid_connect_provider\" \"prod\" {"));
	assert_non_null(strstr(s, "  to = aws_iam_role.orders_orders_api\n  id = \"orders-shared\"\n"));
	assert_non_null(strstr(s, "  path = \"/apps/\"\n"));
	assert_non_null(strstr(s, "  to = aws_iam_role_policy_attachment.orders_orders_api[\"" S_S3 "\"]\n"
	                          "  id = \"orders-shared/" S_S3 "\"\n"));
	assert_non_null(strstr(s, "resource \"kubernetes_annotations\" \"orders_orders_api\" {"));
	assert_non_null(strstr(s, "  force = true\n"));
	assert_null(strstr(s, "kubernetes_service_account_v1"));
	free(s);
	s = exported(&p, EXPORT_YAML);
	assert_non_null(strstr(s, "    eks.amazonaws.com/role-arn: \"" S_SHARED_ARN "\"\n"));
	assert_null(strstr(s, "token-expiration"));
	free(s);
	plan_release(&p);
}

/* No steps: the script only says there is nothing to do. */
static void
test_empty_plan(void **state)
{
	static const char expected[] =
	        "#!/bin/sh\n"
	        "# irsa: bind Kubernetes service account orders/orders-api in EKS cluster prod (us-west-2)\n"
	        "# to IAM role " S_ROLE_ARN ".\n"
	        "# Generated by irsa from a plan read at the time it was made.\n"
	        "# Nothing to do: AWS and the cluster already hold what was asked.\n"
	        "exit 0\n";
	static const char unknown[] =
	        "#!/bin/sh\n"
	        "# irsa: bind Kubernetes service account (unknown)/(unknown) in EKS cluster (unknown)\n"
	        "# to IAM role (unknown).\n"
	        "# Generated by irsa from a plan read at the time it was made.\n"
	        "# Nothing to do: AWS and the cluster already hold what was asked.\n"
	        "exit 0\n";
	struct irsa_error err;
	struct plan p;
	struct buf b;
	char *s;

	(void)state;
	plan_init(&p);
	p.cluster = sample_dup("prod");
	p.region = sample_dup("us-west-2");
	p.ns = sample_dup("orders");
	p.sa = sample_dup("orders-api");
	p.role_arn = sample_dup(S_ROLE_ARN);
	s = exported(&p, EXPORT_SHELL);
	assert_string_equal(s, expected);
	sample_golden("export/empty.sh", s);
	free(s);
	plan_release(&p);

	plan_init(&p);
	s = exported(&p, EXPORT_SHELL);
	assert_string_equal(s, unknown);
	free(s);
	/* Terraform and YAML need to know which service account */
	buf_init(&b, 4096);
	assert_int_equal(export_plan(&p, EXPORT_TERRAFORM, &b, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_int_equal(export_plan(&p, EXPORT_YAML, &b, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	/* and Terraform a trust policy */
	p.ns = sample_dup("ns");
	p.sa = sample_dup("sa");
	assert_int_equal(export_plan(&p, EXPORT_TERRAFORM, &b, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "trust"));
	buf_release(&b);
	plan_release(&p);
}

static void
test_errors(void **state)
{
	struct irsa_error err;
	struct plan p;
	struct buf b;

	(void)state;
	sample_fresh(&p);
	p.steps[2].kind = PLAN_STEP_N_KINDS;
	buf_init(&b, 1 << 20);
	assert_int_equal(export_plan(&p, EXPORT_SHELL, &b, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_string_equal(err.message, "step 3 of the plan has unknown kind 8");
	p.steps[2].kind = PLAN_STEP_POLICY_ATTACH;
	buf_release(&b);

	/* a cap too small: a limit error, not a crash */
	buf_init(&b, 64);
	assert_int_equal(export_plan(&p, EXPORT_TERRAFORM, &b, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	buf_release(&b);
	plan_release(&p);
}

static void
test_format_parse(void **state)
{
	enum export_format f;

	(void)state;
	assert_int_equal(export_format_parse("shell", &f), 0);
	assert_int_equal(f, EXPORT_SHELL);
	assert_int_equal(export_format_parse("terraform", &f), 0);
	assert_int_equal(f, EXPORT_TERRAFORM);
	assert_int_equal(export_format_parse("yaml", &f), 0);
	assert_int_equal(f, EXPORT_YAML);
	assert_int_equal(export_format_parse("json", &f), -1);
	assert_int_equal(export_format_parse("Shell", &f), -1);
	assert_int_equal(export_format_parse(NULL, &f), -1);
	assert_string_equal(export_format_name(EXPORT_TERRAFORM), "terraform");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_commands_fresh),     cmocka_unit_test(test_commands_merge),
	        cmocka_unit_test(test_commands_client_id), cmocka_unit_test(test_commands_quoting),
	        cmocka_unit_test(test_commands_tags_json), cmocka_unit_test(test_commands_sa_create_bare),
	        cmocka_unit_test(test_commands_partition), cmocka_unit_test(test_golden_fresh),
	        cmocka_unit_test(test_golden_merge),       cmocka_unit_test(test_golden_client_id),
	        cmocka_unit_test(test_golden_quoting),     cmocka_unit_test(test_export_contents),
	        cmocka_unit_test(test_empty_plan),         cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_format_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
