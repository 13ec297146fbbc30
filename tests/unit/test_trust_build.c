/* tests/unit/test_trust_build.c - the statements irsa writes and its merges:
 * the AWS docs' IRSA statement (golden files in tests/data/trust/built),
 * widening instead of duplicating, idempotency, Sids and unrelated
 * statements kept, removal as the inverse of a merge, patterns only on
 * request, service principals validated against the table with their
 * aws:SourceAccount scoping, and the input checks. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trust_test_env.h"

static const struct trust_sa orders_api = {"orders", "orders-api"};
static const struct trust_sa two_sas[] = {{"orders", "orders-api"}, {"orders", "orders-worker"}};

/* The documents a merge is tried on: every anchor, and an empty trust. */
static const char *const merge_targets[] = {
        "tinf.json",
        "eksctl.json",
        "eksctl-pattern.json",
        "eksctl-aud-only.json",
        "eksctl-pod-identity.json",
        "tf-irsa.json",
        "tf-irsa-v5.json",
        "aws-docs.json",
        "aws-docs-console.json",
        "aws-docs-pod-identity.json",
        "webhook-namespace.json",
        "unknown-fields.json",
};
#define N_TARGETS (sizeof(merge_targets) / sizeof(merge_targets[0]))

static void
expect_admitted(const struct trust *t, const char *provider, const char *ns, const char *sa, enum trust_verdict v)
{
	struct trust_request req = {provider, ns, sa, NULL};
	struct irsa_error err;
	struct trust_eval out;

	assert_int_equal(trust_evaluate(t, &req, &out, &err), 0);
	if (out.verdict != v)
		fail_msg("%s/%s: verdict %d, expected %d: %s", ns, sa, out.verdict, v, out.why);
}

static void
test_build_one(void **state)
{
	struct trust *t = trust_new();
	struct irsa_error err;

	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, "https://" ISSUER_A, &orders_api, 1, NULL, &err),
	                 0);
	trust_test_golden_doc("built/irsa-one.json", t);
	expect_admitted(t, PROVIDER_A, "orders", "orders-api", TRUST_ADMITTED);
	expect_admitted(t, PROVIDER_A, "orders", "other", TRUST_NOT_ADMITTED);
	expect_admitted(t, PROVIDER_B, "orders", "orders-api", TRUST_NOT_ADMITTED);
	trust_free(t);
}

static void
test_build_several(void **state)
{
	struct trust *t = trust_new();
	struct irsa_error err;
	struct trust_eval out;
	struct trust_request req = {PROVIDER_A, "orders", "orders-worker", NULL};

	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, ISSUER_A "/", two_sas, 2, NULL, &err), 0);
	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_B, NULL, &orders_api, 1, NULL, &err), 0);
	trust_test_golden_doc("built/irsa-two-clusters.json", t);
	assert_int_equal(t->n, 2);
	assert_int_equal(trust_evaluate(t, &req, &out, &err), 0);
	assert_int_equal(out.verdict, TRUST_ADMITTED);
	assert_int_equal(out.notes & (TRUST_NOTE_NO_SUB | TRUST_NOTE_NO_AUD | TRUST_NOTE_OTHER_ISSUER), 0);
	expect_admitted(t, PROVIDER_B, "orders", "orders-api", TRUST_ADMITTED);
	expect_admitted(t, PROVIDER_B, "orders", "orders-worker", TRUST_NOT_ADMITTED);
	trust_free(t);
}

/* Merging into every anchor: the SA is admitted, every statement that was
 * there keeps its Sid, a matching statement is widened instead of a new one
 * added, and merging again changes nothing. */
static void
test_merge_everywhere(void **state)
{
	static const struct trust_sa worker = {"orders", "orders-worker"};
	struct irsa_error err;
	char *once, *twice;
	size_t i, j;

	for (i = 0; i < N_TARGETS; i++) {
		struct trust *before = trust_test_load(merge_targets[i]), *t = trust_test_load(merge_targets[i]);

		assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &worker, 1, NULL, &err), 0);
		expect_admitted(t, PROVIDER_A, "orders", "orders-worker", TRUST_ADMITTED);
		assert_true(t->n == before->n || t->n == before->n + 1);
		for (j = 0; j < before->n; j++) {
			if (before->st[j].sid == NULL)
				assert_null(t->st[j].sid);
			else
				assert_string_equal(before->st[j].sid, t->st[j].sid);
		}
		once = trust_to_json(t);
		assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &worker, 1, NULL, &err), 0);
		twice = trust_to_json(t);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
		trust_free(before);
		trust_free(t);
	}
}

/* The statements the AWS docs, eksctl, TINF and terraform-aws-iam write are
 * widened; the others get an irsa statement of their own. */
static void
test_merge_widens_or_appends(void **state)
{
	static const struct {
		const char *file;
		bool widened;
	} expect[] = {
	        {"aws-docs.json", true},
	        {"eksctl.json", true},
	        {"tinf.json", true},
	        {"tf-irsa.json", true},
	        {"tf-irsa-v5.json", true},
	        {"eksctl-pattern.json", false},
	        {"eksctl-aud-only.json", false},
	        {"aws-docs-console.json", false},
	        {"webhook-namespace.json", false},
	        {"aws-docs-pod-identity.json", false},
	};
	static const struct trust_sa worker = {"orders", "orders-worker"};
	struct irsa_error err;
	size_t i;

	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		struct trust *t = trust_test_load(expect[i].file);
		size_t n = t->n;

		assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &worker, 1, NULL, &err), 0);
		if (expect[i].widened != (t->n == n))
			fail_msg("%s: %zu statements after the merge, %zu before", expect[i].file, t->n, n);
		if (!expect[i].widened)
			assert_string_equal(t->st[t->n - 1].sid, "irsaOidc1EXAMPLE");
		trust_free(t);
	}
}

/* Widening TINF's statement: the service statements and every Sid stay. */
static void
test_merge_tinf_golden(void **state)
{
	struct trust *t = trust_test_load("tinf.json");
	struct irsa_error err;

	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, two_sas, 2, NULL, &err), 0);
	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_B, NULL, &orders_api, 1, NULL, &err), 0);
	trust_test_golden_doc("built/tinf-merged.json", t);
	trust_free(t);
}

#define ADDED_SID ",\n    {\n      \"Sid\": \"irsaOidc2C3D4E5F\",\n"

/* Unrelated statements come out of a merge exactly as they went in: the
 * canonical text before is the text after, up to the new statement. */
static void
test_merge_keeps_unrelated_bytes(void **state)
{
	struct trust *t = trust_test_load("tinf.json");
	struct irsa_error err;
	char *before = trust_to_json(t), *after;
	size_t keep;

	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_B, NULL, &orders_api, 1, NULL, &err), 0);
	after = trust_to_json(t);
	keep = strlen(before) - strlen("\n  ]\n}\n");
	assert_memory_equal(before, after, keep);
	assert_memory_equal(after + keep, ADDED_SID, sizeof(ADDED_SID) - 1);
	free(before);
	free(after);
	trust_free(t);
	/* unknown members stay; a bare statement becomes an array beside the new one */
	t = trust_test_load("unknown-fields.json");
	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &orders_api, 1, NULL, &err), 0);
	after = trust_to_json(t);
	assert_non_null(strstr(after, "\"x-owner\": {\n        \"team\": \"orders\""));
	assert_non_null(strstr(after, "\"Id\": \"orders-trust\""));
	assert_non_null(strstr(after, "\"x-generated-by\": \"hand\""));
	assert_true(t->statement_array);
	free(after);
	trust_free(t);
}

/* Removing what a merge added gives the document back. */
static void
test_remove_is_the_inverse(void **state)
{
	static const struct trust_sa worker = {"orders", "orders-worker"};
	struct irsa_error err;
	char *original, *restored;
	size_t i;

	for (i = 0; i < N_TARGETS; i++) {
		struct trust *t = trust_test_load(merge_targets[i]);
		struct trust_request req = {PROVIDER_A, "orders", "orders-worker", NULL};
		struct trust_eval was;

		assert_int_equal(trust_evaluate(t, &req, &was, &err), 0);
		original = trust_to_json(t);
		assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &worker, 1, NULL, &err), 0);
		assert_int_equal(trust_allow_service_accounts(t, PROVIDER_B, NULL, &worker, 1, NULL, &err), 0);
		assert_int_equal(trust_remove_service_accounts(t, PROVIDER_B, &worker, 1, &err), 0);
		assert_int_equal(trust_remove_service_accounts(t, PROVIDER_A, &worker, 1, &err), 0);
		restored = trust_to_json(t);
		if (strcmp(original, restored) != 0)
			fail_msg("%s:\n%s---\n%s", merge_targets[i], original, restored);
		expect_admitted(t, PROVIDER_A, "orders", "orders-worker", was.verdict);
		/* removing again is not an error and changes nothing */
		assert_int_equal(trust_remove_service_accounts(t, PROVIDER_A, &worker, 1, &err), 0);
		free(restored);
		restored = trust_to_json(t);
		assert_string_equal(original, restored);
		free(original);
		free(restored);
		trust_free(t);
	}
}

static void
test_remove_from_lists(void **state)
{
	struct trust *t = trust_new();
	struct irsa_error err;
	struct trust_cond_key *k;

	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, two_sas, 2, NULL, &err), 0);
	assert_int_equal(trust_remove_service_accounts(t, PROVIDER_A, &two_sas[1], 1, &err), 0);
	assert_int_equal(t->n, 1);
	k = trust_condition_find(&t->st[0], "StringEquals", ISSUER_A ":sub");
	assert_non_null(k);
	assert_int_equal(k->values.n, 1);
	assert_false(k->values.array); /* one left: a string again, as the AWS docs write it */
	/* the last one: irsa's statement goes */
	assert_int_equal(trust_remove_service_accounts(t, PROVIDER_A, &two_sas[0], 1, &err), 0);
	assert_int_equal(t->n, 0);
	trust_free(t);
}

/* A statement irsa did not make is never emptied: that would admit every SA. */
static void
test_remove_refuses_foreign_statement(void **state)
{
	struct trust *t = trust_test_load("tinf.json");
	struct irsa_error err;
	char *before = trust_to_json(t), *after;

	assert_int_equal(trust_remove_service_accounts(t, PROVIDER_A, &orders_api, 1, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_CONFLICT);
	assert_non_null(strstr(err.message, "statement 2 Sid GrantK8sSAAccessToAWS"));
	assert_non_null(strstr(err.message, "would admit every service account"));
	assert_true(err.hint[0] != '\0');
	after = trust_to_json(t);
	assert_string_equal(before, after);
	free(before);
	free(after);
	trust_free(t);
	/* a list with another SA left is fine */
	t = trust_test_load("tf-irsa.json");
	assert_int_equal(trust_remove_service_accounts(t, PROVIDER_A, &orders_api, 1, &err), 0);
	expect_admitted(t, PROVIDER_A, "orders", "orders-api", TRUST_NOT_ADMITTED);
	expect_admitted(t, PROVIDER_A, "payments", "payments-api", TRUST_ADMITTED);
	expect_admitted(t, PROVIDER_B, "orders", "orders-api", TRUST_ADMITTED);
	trust_free(t);
}

static void
test_bad_input(void **state)
{
	static const struct trust_sa bad_sas[] = {
	        {"Orders", "api"}, {"orders", "API"}, {"-orders", "api"}, {"orders", ""},
	        {"", "api"},       {"orders", "a*"},  {NULL, "api"},      {"orders", NULL},
	};
	static const char *const bad_arns[] = {
	        "arn:aws:iam::111122223333:role/x",
	        "arn:aws:iam::1111:oidc-provider/" ISSUER_A,
	        "arn:aws:iam::111122223333:oidc-provider/" ISSUER_A "/",
	        "arn:aws:iam::111122223333:oidc-provider/https://" ISSUER_A,
	        ISSUER_A,
	        "arn:gcp:iam::111122223333:oidc-provider/" ISSUER_A,
	};
	struct trust *t = trust_new();
	struct irsa_error err;
	size_t i;

	for (i = 0; i < sizeof(bad_sas) / sizeof(bad_sas[0]); i++) {
		assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &bad_sas[i], 1, NULL, &err), -1);
		assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	}
	for (i = 0; i < sizeof(bad_arns) / sizeof(bad_arns[0]); i++) {
		assert_int_equal(trust_allow_service_accounts(t, bad_arns[i], NULL, &orders_api, 1, NULL, &err), -1);
		assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
		assert_non_null(strstr(err.message, "is not an IAM OIDC provider ARN"));
	}
	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, "https://" ISSUER_B, &orders_api, 1, NULL, &err),
	                 -1);
	assert_non_null(strstr(err.message, "is not the one of the OIDC provider"));
	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &orders_api, 0, NULL, &err), -1);
	/* the partitions' ARNs are fine */
	assert_int_equal(trust_allow_service_accounts(t,
	                                              "arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1."
	                                              "amazonaws.com.cn/id/ABC",
	                                              NULL, &orders_api, 1, NULL, &err),
	                 0);
	assert_int_equal(t->n, 1);
	assert_string_equal(t->st[0].sid, "irsaOidcABC");
	trust_free(t);
}

/* --- patterns --------------------------------------------------------------- */

static void
test_patterns(void **state)
{
	static const struct trust_sa existing[] = {
	        {"orders", "app-frontend"}, {"orders", "app-backend"}, {"orders", "db"},
	        {"orders-2", "app-x"},      {"billing", "app-y"},
	};
	bool admitted[5];
	struct irsa_error err;
	char *p;

	p = trust_pattern("orders", NULL, &err);
	assert_string_equal(p, "system:serviceaccount:orders:*");
	assert_int_equal(trust_pattern_admits(p, existing, 5, admitted), 3);
	assert_true(admitted[0] && admitted[1] && admitted[2] && !admitted[3] && !admitted[4]);
	free(p);
	p = trust_pattern("orders", "app-", &err);
	assert_string_equal(p, "system:serviceaccount:orders:app-*");
	assert_int_equal(trust_pattern_admits(p, existing, 5, admitted), 2);
	assert_true(admitted[0] && admitted[1] && !admitted[2]);
	assert_int_equal(trust_pattern_admits(p, existing, 5, NULL), 2);
	free(p);
	assert_null(trust_pattern("Orders", NULL, &err));
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_null(trust_pattern("orders", "app*", &err));
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_null(trust_pattern("*", NULL, &err));
}

static void
test_allow_pattern(void **state)
{
	struct trust *t = trust_new();
	struct irsa_error err;
	char *p = trust_pattern("orders", "app-", &err), *once, *twice;

	assert_int_equal(trust_allow_pattern(t, PROVIDER_A, NULL, p, NULL, &err), 0);
	once = trust_to_json(t);
	assert_int_equal(trust_allow_pattern(t, PROVIDER_A, NULL, p, NULL, &err), 0);
	twice = trust_to_json(t);
	assert_string_equal(once, twice);
	free(p);
	/* a second pattern widens the same statement */
	p = trust_pattern("billing", NULL, &err);
	assert_int_equal(trust_allow_pattern(t, PROVIDER_A, NULL, p, NULL, &err), 0);
	assert_int_equal(t->n, 1);
	/* an exact SA gets its own statement beside it */
	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &orders_api, 1, NULL, &err), 0);
	trust_test_golden_doc("built/pattern.json", t);
	expect_admitted(t, PROVIDER_A, "orders", "app-anything", TRUST_ADMITTED);
	expect_admitted(t, PROVIDER_A, "billing", "x", TRUST_ADMITTED);
	expect_admitted(t, PROVIDER_A, "orders", "db", TRUST_NOT_ADMITTED);
	assert_int_equal(trust_allow_pattern(t, PROVIDER_A, NULL, "*", NULL, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	free(p);
	free(once);
	free(twice);
	trust_free(t);
}

/* --- service principals ----------------------------------------------------- */

static void
test_service_lookup(void **state)
{
	const struct trust_service *all, *s;
	struct irsa_error err;
	size_t n, i;

	all = trust_services(&n);
	assert_true(n >= 20);
	for (i = 1; i < n; i++)
		assert_true(strcmp(all[i - 1].name, all[i].name) < 0);
	s = trust_service_lookup("ec2", &err);
	assert_string_equal(s->principal, "ec2.amazonaws.com");
	assert_ptr_equal(trust_service_lookup("EC2", &err), s);
	assert_ptr_equal(trust_service_lookup("ec2.amazonaws.com", &err), s);
	s = trust_service_lookup("eks-pods", &err);
	assert_string_equal(s->principal, "pods.eks.amazonaws.com");
	assert_true(s->tag_session && s->source_account);
	assert_ptr_equal(trust_service_lookup("pods.eks.amazonaws.com", &err), s);
	for (i = 0; i < n; i++)
		assert_true(all[i].source_account || all[i].note != NULL);
}

struct suggest_case {
	const char *name;
	const char *suggested; /* a substring of the message, or NULL for none */
};

static void
test_service_suggestions(void **state)
{
	static const struct suggest_case cases[] = {
	        {"ec3", "did you mean ec2 (ec2.amazonaws.com)"},
	        {"lamda", "lambda (lambda.amazonaws.com)"},
	        {"ecs-task", "ecs-tasks (ecs-tasks.amazonaws.com)"},
	        {"eks-pod", "eks-pods (pods.eks.amazonaws.com)"},
	        {"stats.amazonaws.com", "states (states.amazonaws.com)"},
	        {"kubernetes-engine", NULL},
	        {"", NULL},
	};
	struct irsa_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_null(trust_service_lookup(cases[i].name, &err));
		assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
		assert_non_null(strstr(err.message, "unknown AWS service principal"));
		if (cases[i].suggested == NULL)
			assert_null(strstr(err.message, "did you mean"));
		else if (strstr(err.message, cases[i].suggested) == NULL)
			fail_msg("\"%s\" lacks \"%s\"", err.message, cases[i].suggested);
		assert_non_null(strstr(err.hint, "ec2.amazonaws.com"));
	}
}

static void
test_allow_services(void **state)
{
	struct trust *t = trust_new();
	struct trust_context ctx = {"Service", "pods.eks.amazonaws.com", TRUST_ACTION_TAG_SESSION, NULL, 0, NULL};
	struct trust_context_key acct = {"aws:SourceAccount", ACCOUNT};
	struct irsa_error err;
	struct trust_eval out;
	char *once, *twice;

	assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &orders_api, 1, NULL, &err), 0);
	assert_int_equal(trust_allow_service(t, "ec2", ACCOUNT, &err), 0);
	assert_int_equal(trust_allow_service(t, "ecs-tasks", ACCOUNT, &err), 0);
	assert_int_equal(trust_allow_service(t, "eks-pods", ACCOUNT, &err), 0);
	once = trust_to_json(t);
	assert_int_equal(trust_allow_service(t, "ecs-tasks.amazonaws.com", ACCOUNT, &err), 0);
	twice = trust_to_json(t);
	assert_string_equal(once, twice);
	trust_test_golden_doc("built/services.json", t);
	/* the Pod Identity statement admits the agent only from this account */
	trust_evaluate_context(t, &ctx, &out);
	assert_int_equal(out.verdict, TRUST_NOT_ADMITTED);
	ctx.keys = &acct;
	ctx.n_keys = 1;
	trust_evaluate_context(t, &ctx, &out);
	assert_int_equal(out.verdict, TRUST_ADMITTED);
	assert_string_equal(out.sid, "irsaSvcEksPods");
	/* and the inverse */
	assert_int_equal(trust_remove_service(t, "eks-pods", &err), 1);
	assert_int_equal(trust_remove_service(t, "ecs", &err), 0); /* irsaSvcEcsTasks is not ecs's */
	assert_int_equal(trust_remove_service(t, "ec2", &err), 1);
	assert_int_equal(trust_remove_service(t, "ecs-tasks", &err), 1);
	assert_int_equal(t->n, 1);
	assert_int_equal(trust_remove_service(t, "ec9", &err), -1);
	free(once);
	free(twice);
	trust_free(t);
}

static void
test_allow_service_existing_and_errors(void **state)
{
	struct trust *t = trust_test_load("tinf.json");
	struct irsa_error err;
	size_t n = t->n;

	/* TINF already trusts ec2 and rds: nothing added */
	assert_int_equal(trust_allow_service(t, "ec2", ACCOUNT, &err), 0);
	assert_int_equal(trust_allow_service(t, "rds", ACCOUNT, &err), 0);
	assert_int_equal(t->n, n);
	/* the Pod Identity role of the docs lacks nothing either */
	trust_free(t);
	t = trust_test_load("aws-docs-pod-identity.json");
	assert_int_equal(trust_allow_service(t, "eks-pods", ACCOUNT, &err), 0);
	assert_int_equal(t->n, 1);
	trust_free(t);
	/* nor eksctl's, named by its principal */
	t = trust_test_load("eksctl-pod-identity.json");
	assert_int_equal(trust_allow_service(t, "pods.eks.amazonaws.com", ACCOUNT, &err), 0);
	assert_int_equal(t->n, 1);
	assert_int_equal(trust_allow_service(t, "ec3", ACCOUNT, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_int_equal(trust_allow_service(t, "states", "1234", &err), -1);
	assert_non_null(strstr(err.message, "not 12 digits"));
	assert_int_equal(trust_allow_service(t, "states", NULL, &err), -1);
	/* a service that does not send aws:SourceAccount needs no account */
	assert_int_equal(trust_allow_service(t, "lambda", NULL, &err), 0);
	assert_false(t->st[t->n - 1].has_condition);
	trust_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_build_one),
	        cmocka_unit_test(test_build_several),
	        cmocka_unit_test(test_merge_everywhere),
	        cmocka_unit_test(test_merge_widens_or_appends),
	        cmocka_unit_test(test_merge_tinf_golden),
	        cmocka_unit_test(test_merge_keeps_unrelated_bytes),
	        cmocka_unit_test(test_remove_is_the_inverse),
	        cmocka_unit_test(test_remove_from_lists),
	        cmocka_unit_test(test_remove_refuses_foreign_statement),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_patterns),
	        cmocka_unit_test(test_allow_pattern),
	        cmocka_unit_test(test_service_lookup),
	        cmocka_unit_test(test_service_suggestions),
	        cmocka_unit_test(test_allow_services),
	        cmocka_unit_test(test_allow_service_existing_and_errors),
	};

	return cmocka_run_group_tests_name("trust_build", tests, NULL, NULL);
}
