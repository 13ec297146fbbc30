/* tests/unit/test_trust.c - the trust policy model: parsing the anchors'
 * documents (plain and URL-encoded) into their canonical form (golden files
 * in tests/data/trust), round trips of unknown members and of the
 * string-or-array forms, the parse errors, the minified size and its check
 * against the quota, and the preview diff. */
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

/* Each anchor document and its canonical golden. */
static const char *const anchors[] = {
        "tinf",       "eksctl",   "eksctl-pattern",   "eksctl-aud-only",       "eksctl-pod-identity", "tf-irsa",
        "tf-irsa-v5", "aws-docs", "aws-docs-console", "aws-docs-pod-identity", "webhook-namespace",   "unknown-fields",
};
#define N_ANCHORS (sizeof(anchors) / sizeof(anchors[0]))

static void
test_canonical_goldens(void **state)
{
	char name[128], golden[128];
	struct trust *t;
	size_t i;

	for (i = 0; i < N_ANCHORS; i++) {
		snprintf(name, sizeof(name), "%s.json", anchors[i]);
		snprintf(golden, sizeof(golden), "canonical/%s.json", anchors[i]);
		t = trust_test_load(name);
		trust_test_golden_doc(golden, t);
		trust_free(t);
	}
}

/* Canonical output parses back to the same canonical output. */
static void
test_canonical_is_a_fixed_point(void **state)
{
	struct irsa_error err;
	char name[128], *once, *twice;
	struct trust *t, *again, *copy;
	size_t i;

	for (i = 0; i < N_ANCHORS; i++) {
		snprintf(name, sizeof(name), "%s.json", anchors[i]);
		t = trust_test_load(name);
		once = trust_to_json(t);
		again = trust_parse(once, &err);
		assert_non_null(again);
		twice = trust_to_json(again);
		assert_string_equal(once, twice);
		copy = trust_copy(t, &err);
		assert_non_null(copy);
		free(twice);
		twice = trust_to_json(copy);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
		trust_free(t);
		trust_free(again);
		trust_free(copy);
	}
}

static void
test_url_encoded(void **state)
{
	struct trust *plain = trust_test_load("aws-docs.json");
	struct trust *encoded = trust_test_load("aws-docs.urlencoded.txt");
	char *a = trust_to_json(plain), *b = trust_to_json(encoded);
	struct irsa_error err;
	struct trust *t;

	assert_string_equal(a, b);
	free(a);
	free(b);
	trust_free(plain);
	trust_free(encoded);
	/* '+' is a plus sign, not a space; lower-case hex is fine */
	t = trust_parse("%7b%22Statement%22%3A%7B%22Sid%22%3A%22a+b%22%2C%22Effect%22%3A%22Deny%22%7D%7D", &err);
	assert_non_null(t);
	assert_string_equal(t->st[0].sid, "a+b");
	assert_true(t->st[0].deny);
	assert_false(t->statement_array);
	trust_free(t);
}

struct bad_case {
	const char *doc;
	enum irsa_err kind;
	const char *message; /* a substring of err.message */
};

static const struct bad_case bad_cases[] = {
        {"", IRSA_ERR_PARSE, "ends early"},
        {"not json", IRSA_ERR_PARSE, "at line 1, column"},
        {"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}", IRSA_ERR_PARSE, "line 3"},
        {"{\"Version\": \"2012-10-17\"", IRSA_ERR_PARSE, "ends early"},
        {"{} trailing", IRSA_ERR_PARSE, "line 1, column 4"},
        {"[]", IRSA_ERR_PARSE, "must be a JSON object"},
        {"{\"Version\": \"2012-10-17\"}", IRSA_ERR_PARSE, "Statement is missing"},
        {"{\"Version\": 2012}", IRSA_ERR_PARSE, "Version must be a string"},
        {"{\"Statement\": [5]}", IRSA_ERR_PARSE, "statement 0: a statement must be an object"},
        {"{\"Statement\": [{\"Effect\": \"Allow\"}, {\"Principal\": \"*\"}]}", IRSA_ERR_PARSE,
         "statement 1: Effect is missing"},
        {"{\"Statement\": [{\"Effect\": \"allow\"}]}", IRSA_ERR_PARSE, "Effect must be \"Allow\" or \"Deny\""},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Sid\": 1}]}", IRSA_ERR_PARSE, "Sid must be a string"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"everyone\"}]}", IRSA_ERR_PARSE,
         "Principal must be \"*\" or an object"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": [1]}}]}", IRSA_ERR_PARSE,
         "Principal.Federated must be a string or an array of strings"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"NotPrincipal\": 5}]}", IRSA_ERR_PARSE, "NotPrincipal must be"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": {\"a\": 1}}]}", IRSA_ERR_PARSE,
         "statement 0: Action must be a string or an array of strings"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"NotAction\": [true]}]}", IRSA_ERR_PARSE, "NotAction must be"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Condition\": []}]}", IRSA_ERR_PARSE,
         "Condition must be an object"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Condition\": {\"StringEquals\": \"x\"}}]}", IRSA_ERR_PARSE,
         "Condition operator StringEquals must map condition keys to values"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Condition\": {\"StringEquals\": {\"k\": {\"a\": 1}}}}]}",
         IRSA_ERR_PARSE, "Condition StringEquals k must be a string"},
        {"{\"Statement\": [{\"Effect\": \"Allow\", \"Condition\": {\"StringEquals\": {\"k\": [[\"a\"]]}}}]}",
         IRSA_ERR_PARSE, "Condition StringEquals k must be"},
        {"%7B%22Statement%2", IRSA_ERR_PARSE, "bad percent-encoding at offset 15"},
        {"%7B%zz", IRSA_ERR_PARSE, "bad percent-encoding"},
        {"%5B%5D", IRSA_ERR_PARSE, "must be a JSON object"},
};

static void
test_garbage_is_a_parse_error(void **state)
{
	struct irsa_error err;
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		irsa_error_clear(&err);
		assert_null(trust_parse(bad_cases[i].doc, &err));
		assert_int_equal(err.kind, bad_cases[i].kind);
		if (strstr(err.message, bad_cases[i].message) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.message, bad_cases[i].message);
		assert_true(err.hint[0] != '\0' || strstr(err.message, "percent") != NULL);
	}
	assert_null(trust_parse(NULL, &err));
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
}

static void
test_oversized_input_is_a_limit(void **state)
{
	struct irsa_error err;
	char *big = malloc(TRUST_MAX_DOC + 2);

	assert_non_null(big);
	memset(big, ' ', TRUST_MAX_DOC + 1);
	big[TRUST_MAX_DOC + 1] = '\0';
	big[0] = '{';
	assert_null(trust_parse(big, &err));
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	free(big);
}

/* Unknown members stay, in their place and order, with their JSON types. */
static void
test_unknown_fields_round_trip(void **state)
{
	struct trust *t = trust_test_load("unknown-fields.json");
	char *json = trust_to_json(t);

	assert_non_null(t->extra);
	assert_non_null(t->st[0].extra);
	assert_non_null(strstr(json, "\"x-owner\": {\n      \"team\": \"orders\",\n      \"tags\": [\n        \"a\",\n"
	                             "        null,\n        false\n      ]\n    },\n    \"Comment\": \"kept\"\n"));
	assert_non_null(strstr(json, "\"aws:MultiFactorAuthPresent\": true"));
	assert_non_null(strstr(json, "7200.5"));
	assert_non_null(strstr(json, "\"x-generated-by\": \"hand\"\n}\n"));
	/* a bare statement object stays bare */
	assert_false(t->statement_array);
	assert_non_null(strstr(json, "\"Statement\": {\n"));
	free(json);
	trust_free(t);
}

/* One-element lists keep the form they came in; keys are found in any case. */
static void
test_string_or_array_kept(void **state)
{
	struct trust *t = trust_test_load("eksctl.json");
	struct trust_cond_key *k;

	assert_true(t->st[0].action.array);
	assert_int_equal(t->st[0].action.n, 1);
	assert_false(t->st[0].principal.e[0].ids.array);
	k = trust_condition_find(&t->st[0], "StringEquals",
	                         "OIDC.EKS.US-WEST-2.AMAZONAWS.COM/ID/"
	                         "EXAMPLED539D4633E53DE1B71EXAMPLE:SUB");
	assert_non_null(k);
	assert_false(k->values.array);
	assert_string_equal(k->values.v[0], "system:serviceaccount:orders:orders-api");
	/* operator names are matched exactly */
	assert_null(trust_condition_find(&t->st[0], "stringequals", ISSUER_A ":sub"));
	trust_free(t);
}

/* Principal types: AWS, Federated, Service, CanonicalUser, then by name;
 * operators by name; keys by name ignoring case; values as written. */
static void
test_canonical_order(void **state)
{
	struct irsa_error err;
	struct trust *t = trust_parse(
	        "{\"Statement\":[{\"Condition\":{\"StringLike\":{\"b\":\"2\",\"A\":\"1\"},\"Bool\":{\"x\":\"true\"}},"
	        "\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Zed\":\"z\",\"Service\":\"s\",\"CanonicalUser\":\"c\","
	        "\"AWS\":\"a\",\"Federated\":\"f\"},\"Effect\":\"Allow\",\"Sid\":\"S\"}],\"Version\":\"2012-10-17\"}",
	        &err);
	char *json, *min;
	size_t chars;

	assert_non_null(t);
	json = trust_to_json(t);
	assert_string_equal(json, "{\n"
	                          "  \"Version\": \"2012-10-17\",\n"
	                          "  \"Statement\": [\n"
	                          "    {\n"
	                          "      \"Sid\": \"S\",\n"
	                          "      \"Effect\": \"Allow\",\n"
	                          "      \"Principal\": {\n"
	                          "        \"AWS\": \"a\",\n"
	                          "        \"Federated\": \"f\",\n"
	                          "        \"Service\": \"s\",\n"
	                          "        \"CanonicalUser\": \"c\",\n"
	                          "        \"Zed\": \"z\"\n"
	                          "      },\n"
	                          "      \"Action\": \"sts:AssumeRole\",\n"
	                          "      \"Condition\": {\n"
	                          "        \"Bool\": {\n"
	                          "          \"x\": \"true\"\n"
	                          "        },\n"
	                          "        \"StringLike\": {\n"
	                          "          \"A\": \"1\",\n"
	                          "          \"b\": \"2\"\n"
	                          "        }\n"
	                          "      }\n"
	                          "    }\n"
	                          "  ]\n"
	                          "}\n");
	min = trust_to_json_min(t, &chars);
	assert_string_equal(min, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S\",\"Effect\":\"Allow\","
	                         "\"Principal\":{\"AWS\":\"a\",\"Federated\":\"f\",\"Service\":\"s\",\"CanonicalUser\":"
	                         "\"c\",\"Zed\":\"z\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"Bool\":{\"x\":"
	                         "\"true\"},\"StringLike\":{\"A\":\"1\",\"b\":\"2\"}}}]}");
	assert_int_equal(chars, strlen(min));
	free(json);
	free(min);
	trust_free(t);
}

/* Strings are escaped as JSON needs, '/' is not, and the size counts characters. */
static void
test_escapes_and_characters(void **state)
{
	struct irsa_error err;
	struct trust *t = trust_parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Sid\":\"q\\\"\\\\\\n\\u0001/\","
	                              "\"Action\":\"caf\\u00e9\"}]}",
	                              &err);
	char *min;
	size_t chars;

	assert_non_null(t);
	min = trust_to_json_min(t, &chars);
	assert_string_equal(min, "{\"Statement\":[{\"Sid\":\"q\\\"\\\\\\n\\u0001/\",\"Effect\":\"Allow\","
	                         "\"Action\":\"caf\xc3\xa9\"}]}");
	assert_int_equal(chars, strlen(min) - 1);
	free(min);
	trust_free(t);
}

/* IAM counts the document without whitespace: an indented document whose
 * pretty form is over the quota still fits. */
static void
test_size_counts_without_whitespace(void **state)
{
	struct irsa_error err;
	struct buf doc;
	struct trust *t;
	char *min, *pretty;
	size_t chars, i;

	buf_init(&doc, 1 << 20);
	buf_addstr(&doc, "{\n\"Version\": \"2012-10-17\",\n\"Statement\": [");
	for (i = 0; i < 8; i++)
		buf_printf(&doc,
		           "%s\n%200s{ \"Effect\" :  \"Allow\",\t\"Principal\": { \"Service\": \"ec2.amazonaws.com\" },"
		           "\n%200s\"Action\": \"sts:AssumeRole\" }",
		           i ? "," : "", "", "");
	buf_addstr(&doc, "]}");
	assert_true(doc.len > 3000);
	t = trust_parse(buf_cstr(&doc), &err);
	assert_non_null(t);
	min = trust_to_json_min(t, &chars);
	assert_true(chars < 2048);
	assert_int_equal(trust_check_size(t, 2048, &err), 0);
	assert_int_equal(trust_check_size(t, 0, &err), 0);
	pretty = trust_to_json(t);
	assert_true(strlen(pretty) > chars);
	/* exactly at the limit fits, one under does not */
	assert_int_equal(trust_check_size(t, (long)chars, &err), 0);
	assert_int_equal(trust_check_size(t, (long)chars - 1, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	free(min);
	free(pretty);
	buf_release(&doc);
	trust_free(t);
}

static void
test_size_over_quota(void **state)
{
	struct irsa_error err;
	struct trust *t = trust_new();
	struct trust_sa sa;
	char name[32], expect[128];
	size_t chars, i;
	char *min;

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "worker-%02zu", i);
		sa = (struct trust_sa){"batch-jobs", name};
		assert_int_equal(trust_allow_service_accounts(t, PROVIDER_A, NULL, &sa, 1, NULL, &err), 0);
	}
	min = trust_to_json_min(t, &chars);
	assert_true(chars > 2048 && chars < 4096);
	assert_int_equal(trust_check_size(t, 0, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	snprintf(expect, sizeof(expect),
	         "would be %zu characters without whitespace, over this account's limit of 2048", chars);
	assert_non_null(strstr(err.message, expect));
	assert_non_null(strstr(err.message, "AssumeRolePolicySizeQuota"));
	assert_non_null(strstr(err.hint, "split"));
	assert_non_null(strstr(err.hint, "EKS Pod Identity"));
	/* an account whose quota was raised to 4096 takes it */
	assert_int_equal(trust_check_size(t, 4096, &err), 0);
	free(min);
	trust_free(t);
}

static void
test_provider_helpers(void **state)
{
	char *s;

	assert_string_equal(trust_provider_issuer(PROVIDER_A), ISSUER_A);
	assert_string_equal(trust_provider_issuer("arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1."
	                                          "amazonaws.com.cn/id/X"),
	                    "oidc.eks.cn-north-1.amazonaws.com.cn/id/X");
	assert_null(trust_provider_issuer("arn:aws:iam::111122223333:role/orders"));
	assert_null(trust_provider_issuer("arn:aws:iam::111122223333:oidc-provider/"));
	assert_null(trust_provider_issuer(ISSUER_A));
	assert_null(trust_provider_issuer(NULL));
	s = trust_issuer_normalize("https://" ISSUER_A "/");
	assert_string_equal(s, ISSUER_A);
	free(s);
	s = trust_issuer_normalize(ISSUER_A);
	assert_string_equal(s, ISSUER_A);
	free(s);
}

/* Which principals a trust names: by type and id exactly; only Allow
 * statements make a role "trust" a principal. */
static void
test_names_principal(void **state)
{
	struct irsa_error err;
	struct trust *t = trust_parse("{\"Statement\": ["
	                              "{\"Effect\": \"Deny\", \"Principal\": {\"Federated\": \"" PROVIDER_A "\"},"
	                              " \"Action\": \"sts:AssumeRoleWithWebIdentity\"},"
	                              "{\"Effect\": \"Allow\", \"Principal\": {\"Service\": [\"ec2.amazonaws.com\","
	                              " \"lambda.amazonaws.com\"]}, \"Action\": \"sts:AssumeRole\"}]}",
	                              &err);

	(void)state;
	assert_non_null(t);
	assert_true(trust_statement_names(&t->st[0], "Federated", PROVIDER_A));
	assert_false(trust_statement_names(&t->st[0], "Service", PROVIDER_A));
	assert_false(trust_statement_names(&t->st[0], "Federated", NULL));
	assert_true(trust_statement_names(&t->st[1], "Service", "lambda.amazonaws.com"));
	assert_false(trust_statement_names(&t->st[1], "Service", "LAMBDA.amazonaws.com"));
	/* The provider is named only by a Deny: the role does not trust it. */
	assert_false(trust_allows_principal(t, "Federated", PROVIDER_A));
	assert_true(trust_allows_principal(t, "Service", "ec2.amazonaws.com"));
	assert_false(trust_allows_principal(NULL, "Service", "ec2.amazonaws.com"));
	trust_free(t);
}

/* --- diff ------------------------------------------------------------------- */

static char *
diff_text(const struct trust *a, const struct trust *b, struct trust_diff *d)
{
	struct irsa_error err;
	struct buf out;

	assert_int_equal(trust_diff(a, b, d, &err), 0);
	buf_init(&out, 1 << 20);
	assert_int_equal(trust_diff_format(d, &out), 0);
	return buf_detach(&out);
}

/* Adding a second service account turns sub into a list. */
static void
test_diff_widen(void **state)
{
	struct trust *before = trust_test_load("aws-docs.json"), *after = trust_test_load("aws-docs.json");
	struct trust_sa sa = {"orders", "orders-worker"};
	struct irsa_error err;
	struct trust_diff d;
	char *text;
	size_t i, same = 0;

	assert_int_equal(trust_allow_service_accounts(after, PROVIDER_A, NULL, &sa, 1, NULL, &err), 0);
	text = diff_text(before, after, &d);
	trust_test_golden("diff-widen.txt", text);
	assert_int_equal(d.removed, 1);
	assert_int_equal(d.added, 4);
	for (i = 0; i < d.n; i++)
		same += d.lines[i].kind == TRUST_DIFF_SAME;
	assert_int_equal(same + d.added + d.removed, d.n);
	trust_diff_release(&d);
	assert_null(d.lines);
	free(text);
	trust_free(before);
	trust_free(after);
}

/* Another cluster gets its own statement. */
static void
test_diff_added_statement(void **state)
{
	struct trust *before = trust_test_load("tinf.json"), *after = trust_test_load("tinf.json");
	struct trust_sa sa = {"orders", "orders-api"};
	struct irsa_error err;
	struct trust_diff d;
	char *text;

	assert_int_equal(trust_allow_service_accounts(after, PROVIDER_B, NULL, &sa, 1, NULL, &err), 0);
	text = diff_text(before, after, &d);
	trust_test_golden("diff-added.txt", text);
	assert_int_equal(d.removed, 0);
	assert_true(d.added > 10);
	trust_diff_release(&d);
	free(text);
	trust_free(before);
	trust_free(after);
}

static void
test_diff_new_and_same(void **state)
{
	struct trust *t = trust_test_load("aws-docs.json");
	struct irsa_error err;
	struct trust_diff d;
	char *json = trust_to_json(t);
	size_t lines = 0;
	const char *p;

	for (p = json; *p != '\0'; p++)
		lines += *p == '\n';
	/* a new role: every line added */
	assert_int_equal(trust_diff(NULL, t, &d, &err), 0);
	assert_int_equal(d.added, lines);
	assert_int_equal(d.n, lines);
	assert_int_equal(d.lines[0].kind, TRUST_DIFF_ADDED);
	assert_string_equal(d.lines[0].text, "{");
	trust_diff_release(&d);
	/* no change: every line the same */
	assert_int_equal(trust_diff(t, t, &d, &err), 0);
	assert_int_equal(d.added + d.removed, 0);
	assert_int_equal(d.n, lines);
	trust_diff_release(&d);
	/* texts: a line without a final newline counts */
	assert_int_equal(trust_diff_text("a\nb\nc", "a\nc\nd\n", &d, &err), 0);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.lines[1].kind, TRUST_DIFF_REMOVED);
	assert_string_equal(d.lines[1].text, "b");
	assert_int_equal(d.lines[3].kind, TRUST_DIFF_ADDED);
	assert_string_equal(d.lines[3].text, "d");
	trust_diff_release(&d);
	assert_int_equal(trust_diff_text(NULL, "", &d, &err), 0);
	assert_int_equal(d.n, 0);
	trust_diff_release(&d);
	free(json);
	trust_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_canonical_goldens),
	        cmocka_unit_test(test_canonical_is_a_fixed_point),
	        cmocka_unit_test(test_url_encoded),
	        cmocka_unit_test(test_garbage_is_a_parse_error),
	        cmocka_unit_test(test_oversized_input_is_a_limit),
	        cmocka_unit_test(test_unknown_fields_round_trip),
	        cmocka_unit_test(test_string_or_array_kept),
	        cmocka_unit_test(test_canonical_order),
	        cmocka_unit_test(test_escapes_and_characters),
	        cmocka_unit_test(test_size_counts_without_whitespace),
	        cmocka_unit_test(test_size_over_quota),
	        cmocka_unit_test(test_provider_helpers),
	        cmocka_unit_test(test_names_principal),
	        cmocka_unit_test(test_diff_widen),
	        cmocka_unit_test(test_diff_added_statement),
	        cmocka_unit_test(test_diff_new_and_same),
	};

	return cmocka_run_group_tests_name("trust", tests, NULL, NULL);
}
