/* tests/unit/test_names.c - the syntax rules of names.h, each pinned at its
 * limits (the longest valid value and one character more) and by the
 * message it gives (field, value, reason, rule); the partition check of
 * ARNs; plan_check_choices() on missing, conflicting and malformed choices;
 * and plan_role_name(): short names kept, long ones cut with a hash that
 * keeps them apart, every result a valid role name. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "names.h"
#include "plan.h"

/* Long values, built by the compiler. */
#define A10  "aaaaaaaaaa"
#define A50  A10 A10 A10 A10 A10
#define A60  A50 A10
#define A80  A50 A10 A10 A10
#define A100 A50 A50
#define A250 A100 A100 A50

#define NS63             A60 "aaa"
#define NS64             A60 "aaaa"
#define SA253            A250 "aaa"
#define SA254            A250 "aaaa"
#define SAD253           A100 "." A100 "." A50 "a" /* 253 with dots */
#define ROLE64           A60 "abcd"
#define ROLE65           A60 "abcde"
#define POL128           A100 A10 A10 "abcdefgh"
#define POL129           A100 A10 A10 "abcdefghi"
#define PATH512          "/" A100 A100 A100 A100 A100 A10 "/"
#define PATH513          "/" A100 A100 A100 A100 A100 A10 "a/"
#define ACCT             "111122223333"
#define ROLE_ARN(rest)   "arn:aws:iam::" ACCT ":role/" rest
#define POLICY_ARN(rest) "arn:aws:iam::aws:policy/" rest

/* One value given to a check. */
struct check_case {
	const char *value;
	const char *prefix; /* ARN checks: the account's ARN prefix (NULL: any partition) */
	const char *want;   /* NULL: valid; else a part the message must hold */
	const char *hint;   /* NULL, or a part the hint must hold */
};

typedef int (*check_fn)(const char *v, const char *prefix, struct irsa_error *err);

/* The message holds part. */
static void
expect_part(const char *what, const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		fail_msg("%s \"%s\"\n  lacks \"%s\"", what, text, part);
}

/* Runs each case; every failure must be IRSA_ERR_INVALID_INPUT, hold its
 * part and the rule, and come with a hint. */
static void
run_cases(const char *name, check_fn f, const struct check_case *cases, size_t n, const char *rule)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct check_case *c = &cases[i];
		struct irsa_error err;
		int rc;

		irsa_error_clear(&err);
		rc = f(c->value, c->prefix, &err);
		if (c->want == NULL) {
			if (rc != 0)
				fail_msg("%s case %zu \"%s\": unexpected error: %s", name, i,
				         c->value ? c->value : "(null)", err.message);
			continue;
		}
		if (rc != -1)
			fail_msg("%s case %zu \"%s\": accepted, expected \"%s\"", name, i,
			         c->value ? c->value : "(null)", c->want);
		assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
		expect_part("message", err.message, c->want);
		if (rule != NULL)
			expect_part("message", err.message, rule);
		if (err.hint[0] == '\0')
			fail_msg("%s case %zu \"%s\": no hint", name, i, c->value ? c->value : "(null)");
		if (c->hint != NULL)
			expect_part("hint", err.hint, c->hint);
	}
}

#define RUN(name, f, cases, rule) run_cases(name, f, cases, sizeof(cases) / sizeof(cases[0]), rule)

static int
namespace_fn(const char *v, const char *prefix, struct irsa_error *err)
{
	(void)prefix;
	return names_check_namespace(v, err);
}

static int
serviceaccount_fn(const char *v, const char *prefix, struct irsa_error *err)
{
	(void)prefix;
	return names_check_serviceaccount(v, err);
}

static int
role_name_fn(const char *v, const char *prefix, struct irsa_error *err)
{
	(void)prefix;
	return names_check_role_name(v, err);
}

static int
role_path_fn(const char *v, const char *prefix, struct irsa_error *err)
{
	(void)prefix;
	return names_check_role_path(v, err);
}

static int
region_fn(const char *v, const char *prefix, struct irsa_error *err)
{
	(void)prefix;
	return names_check_region(v, err);
}

static int
sts_fn(const char *v, const char *prefix, struct irsa_error *err)
{
	(void)prefix;
	return names_check_sts_regional(v, err);
}

static int
token_fn(const char *v, const char *prefix, struct irsa_error *err)
{
	(void)prefix;
	return names_check_token_expiration(v, err);
}

/* --- Kubernetes names -------------------------------------------------------- */

static void
test_namespace(void **state)
{
	static const struct check_case cases[] = {
	        {"a", NULL, NULL, NULL},
	        {"0", NULL, NULL, NULL},
	        {"team-a-1", NULL, NULL, NULL},
	        {NS63, NULL, NULL, NULL},
	        {NS64, NULL, "namespace \"" NS64 "\" is not valid: it has 64 characters", NULL},
	        {"", NULL, "namespace \"\" is not valid: it is empty", NULL},
	        {NULL, NULL, "namespace \"\" is not valid: it is empty", NULL},
	        {"Payments", NULL, "namespace \"Payments\" is not valid: it holds upper-case letters",
	         "did you mean \"payments\"?"},
	        {"my_ns", NULL, "namespace \"my_ns\" is not valid: it holds '_'", "did you mean \"my-ns\"?"},
	        {"-ns", NULL, "namespace \"-ns\" is not valid: it starts with '-'", "for example"},
	        {"ns-", NULL, "namespace \"ns-\" is not valid: it ends with '-'", NULL},
	        {"a.b", NULL, "it holds '.'", NULL},
	        {"a b", NULL, "it holds a space", "did you mean \"a-b\"?"},
	        {"ns\n", NULL, "namespace \"ns?\" is not valid: it holds byte 0x0a", NULL},
	};

	(void)state;
	RUN("namespace", namespace_fn, cases,
	    "a namespace must be a DNS-1123 label: 1 to 63 lower-case letters, digits and '-'");
}

static void
test_serviceaccount(void **state)
{
	static const struct check_case cases[] = {
	        {"a", NULL, NULL, NULL},
	        {"orders-api", NULL, NULL, NULL},
	        {"app.v2.x-1", NULL, NULL, NULL},
	        {SA253, NULL, NULL, NULL},
	        {SAD253, NULL, NULL, NULL},
	        {SA254, NULL, "it has 254 characters", NULL},
	        {SAD253 "a", NULL, "it has 254 characters", NULL},
	        {"", NULL, "service account name \"\" is not valid: it is empty", NULL},
	        {NULL, NULL, "it is empty", NULL},
	        {"Orders", NULL, "service account name \"Orders\" is not valid: it holds upper-case letters",
	         "did you mean \"orders\"?"},
	        {"a..b", NULL, "service account name \"a..b\" is not valid: it has \"..\" (an empty part)", NULL},
	        {".a", NULL, "it starts with '.'", NULL},
	        {"a.", NULL, "it ends with '.'", NULL},
	        {"a.-b", NULL, "a part starts with '-'", NULL},
	        {"a-.b", NULL, "a part ends with '-'", NULL},
	        {"-a", NULL, "a part starts with '-'", NULL},
	        {"a_b", NULL, "it holds '_'", "did you mean \"a-b\"?"},
	        {"ns:sa", NULL, "it holds ':'", "irsa serviceaccounts"},
	};

	(void)state;
	RUN("service account", serviceaccount_fn, cases,
	    "a service account name must be a DNS-1123 subdomain: 1 to 253 lower-case letters, digits, '-' and '.'");
}

/* --- IAM names and paths ----------------------------------------------------- */

static void
test_role_name(void **state)
{
	static const struct check_case cases[] = {
	        {"a", NULL, NULL, NULL},
	        {ROLE64, NULL, NULL, NULL},
	        {"Az09+=,.@_-", NULL, NULL, NULL},
	        {ROLE65, NULL, "role name \"" ROLE65 "\" is not valid: it has 65 characters", "leave --role-name out"},
	        {"", NULL, "role name \"\" is not valid: it is empty", NULL},
	        {NULL, NULL, "it is empty", NULL},
	        {"my role", NULL, "it holds a space", "\"my-role\""},
	        {"team/orders", NULL, "it holds '/'", "--role-path"},
	        {"r*", NULL, "role name \"r*\" is not valid: it holds '*'", "\"r-\""},
	        {"r\xc3\xb4le", NULL, "it holds byte 0xc3", NULL},
	};

	(void)state;
	RUN("role name", role_name_fn, cases, "a role name must have 1 to 64 letters, digits and + = , . @ _ -");
}

static void
test_role_path(void **state)
{
	static const struct check_case cases[] = {
	        {"/", NULL, NULL, NULL},
	        {"/irsa/", NULL, NULL, NULL},
	        {"/a/b/", NULL, NULL, NULL},
	        {"/!~/", NULL, NULL, NULL},
	        {PATH512, NULL, NULL, NULL},
	        {PATH513, NULL, "it has 513 characters", NULL},
	        {"", NULL, "role path \"\" is not valid: it is empty", "\"/irsa/\""},
	        {NULL, NULL, "it is empty", NULL},
	        {"irsa/", NULL, "role path \"irsa/\" is not valid: it does not start with '/'",
	         "did you mean \"/irsa/\"?"},
	        {"/irsa", NULL, "it does not end with '/'", "did you mean \"/irsa/\"?"},
	        {"irsa", NULL, "it does not start with '/'", "did you mean \"/irsa/\"?"},
	        {"/a b/", NULL, "it holds a space", NULL},
	        {"/a\x7f/", NULL, "it holds byte 0x7f", NULL},
	};

	(void)state;
	RUN("role path", role_path_fn, cases, "a path must be \"/\" or start and end with '/'");
}

/* --- ARNs -------------------------------------------------------------------- */

static void
test_role_arn(void **state)
{
	static const struct check_case cases[] = {
	        {ROLE_ARN("r"), "arn:aws:", NULL, NULL},
	        {ROLE_ARN(ROLE64), "arn:aws:", NULL, NULL},
	        {ROLE_ARN("team/orders/r"), "arn:aws:", NULL, NULL},
	        {ROLE_ARN("!~/r"), "arn:aws:", NULL, NULL},
	        {"arn:aws-cn:iam::" ACCT ":role/r", "arn:aws-cn:", NULL, NULL},
	        {"arn:aws-us-gov:iam::" ACCT ":role/r", NULL, NULL, NULL},
	        {ROLE_ARN(ROLE65), "arn:aws:", "its name has 65 characters; a role name must have 1 to 64", NULL},
	        {ROLE_ARN(""), "arn:aws:", "its name is empty", NULL},
	        {ROLE_ARN("a b"), "arn:aws:", "its name holds a space", NULL},
	        {ROLE_ARN("a b/r"), "arn:aws:", "its path holds a space", NULL},
	        {"", "arn:aws:", "role ARN \"\" is not valid: it is empty", "arn:aws:iam::" ACCT ":role/"},
	        {NULL, NULL, "it is empty", NULL},
	        {"orders-role", "arn:aws:", "role ARN \"orders-role\" is not valid: it does not start with \"arn:\"",
	         "--role-name orders-role"},
	        {"orders-role", "arn:aws-cn:", "does not start with \"arn:\"",
	         "arn:aws-cn:iam::" ACCT ":role/orders-role"},
	        {"arn:AWS:iam::" ACCT ":role/r", "arn:aws:", "its partition is not lower-case letters", NULL},
	        {"arn:aws", "arn:aws:", "it has too few ':'-separated fields", NULL},
	        {"arn:aws:iam", "arn:aws:", "it has too few ':'-separated fields", NULL},
	        {"arn:aws:s3:::bucket", "arn:aws:", "its service is \"s3\", not \"iam\"", NULL},
	        {"arn:aws:iam:us-east-1:" ACCT ":role/r", "arn:aws:", "IAM ARNs have no region", NULL},
	        {"arn:aws:iam::11112222333:role/r", "arn:aws:", "its account \"11112222333\" is not 12 digits", NULL},
	        {"arn:aws:iam::1111222233334:role/r", "arn:aws:", "its account \"1111222233334\" is not 12 digits",
	         NULL},
	        {"arn:aws:iam::aws:role/r", "arn:aws:", "its account \"aws\" is not 12 digits", NULL},
	        {"arn:aws:iam::" ACCT ":policy/p", "arn:aws:", "it names a policy, not a role", NULL},
	        {"arn:aws:iam::" ACCT ":user/u", "arn:aws:", "its resource does not start with \"role/\"", NULL},
	        {"arn:aws:iam::" ACCT ":role", "arn:aws:", "its resource does not start with \"role/\"", NULL},
	        {"arn:aws-cn:iam::" ACCT ":role/r", "arn:aws:",
	         "role ARN \"arn:aws-cn:iam::" ACCT ":role/r\" is in partition aws-cn, but the account is in aws",
	         "use arn:aws:iam::" ACCT ":role/r, the same ARN in partition aws"},
	        {ROLE_ARN("r"), "arn:aws-us-gov:", "is in partition aws, but the account is in aws-us-gov", NULL},
	};

	(void)state;
	RUN("role ARN", names_check_role_arn, cases, NULL);
}

static void
test_policy_arn(void **state)
{
	static const struct check_case cases[] = {
	        {POLICY_ARN("ReadOnlyAccess"), "arn:aws:", NULL, NULL},
	        {POLICY_ARN("service-role/AmazonEBSCSIDriverPolicy"), "arn:aws:", NULL, NULL},
	        {POLICY_ARN("job-function/ViewOnlyAccess"), NULL, NULL, NULL},
	        {"arn:aws:iam::" ACCT ":policy/orders-s3", "arn:aws:", NULL, NULL},
	        {POLICY_ARN(POL128), "arn:aws:", NULL, NULL},
	        {"arn:aws-cn:iam::aws:policy/ReadOnlyAccess", "arn:aws-cn:", NULL, NULL},
	        {POLICY_ARN(POL129), "arn:aws:", "its name has 129 characters; a policy name must have 1 to 128", NULL},
	        {POLICY_ARN("a*b"), "arn:aws:", "its name holds '*'", NULL},
	        {POLICY_ARN(""), "arn:aws:", "its name is empty", NULL},
	        {"", "arn:aws:", "policy ARN \"\" is not valid: it is empty", NULL},
	        {NULL, "arn:aws:", "it is empty", NULL},
	        {"ReadOnlyAccess",
	         "arn:aws:", "policy ARN \"ReadOnlyAccess\" is not valid: it does not start with \"arn:\"",
	         "arn:aws:iam::aws:policy/ReadOnlyAccess"},
	        {"arn:aws:iam::amazon:policy/x", "arn:aws:", "its account \"amazon\" is not \"aws\" or 12 digits",
	         NULL},
	        {"arn:aws:iam::" ACCT ":role/r", "arn:aws:", "it names a role, not a policy", NULL},
	        {"arn:aws:iam::" ACCT ":group/g", "arn:aws:", "its resource does not start with \"policy/\"", NULL},
	        {"arn:aws-cn:iam::aws:policy/ReadOnlyAccess", "arn:aws:",
	         "policy ARN \"arn:aws-cn:iam::aws:policy/ReadOnlyAccess\" is in partition aws-cn, but the account is "
	         "in aws",
	         "use arn:aws:iam::aws:policy/ReadOnlyAccess"},
	        {POLICY_ARN("ReadOnlyAccess"), "arn:aws-cn:", "is in partition aws, but the account is in aws-cn",
	         "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"},
	};

	(void)state;
	RUN("policy ARN", names_check_policy_arn, cases, NULL);
}

static void
test_arn_partition(void **state)
{
	static const struct {
		const char *arn;
		const char *want; /* NULL: not an ARN prefix */
	} cases[] = {
	        {"arn:aws:", "aws"},
	        {"arn:aws-cn:iam::aws:policy/x", "aws-cn"},
	        {"arn:aws-us-gov:", "aws-us-gov"},
	        {"arn:aws-iso-b:", "aws-iso-b"},
	        {"arn:" A10 A10 "a:", A10 A10 "a"},
	        {"arn:" A10 A10 A10 "a:", "a"}, /* 31: the longest */
	        {"arn:" A10 A10 A10 "aa:", NULL},
	        {"arn::", NULL},
	        {"arn:aws", NULL},
	        {"arn:AWS:", NULL},
	        {"arn:-aws:", NULL},
	        {"ar:aws:", NULL},
	        {"", NULL},
	        {NULL, NULL},
	};
	char out[NAMES_PARTITION_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = names_arn_partition(cases[i].arn, out);

		if (cases[i].want == NULL) {
			if (ok || out[0] != '\0')
				fail_msg("\"%s\": partition \"%s\", expected none",
				         cases[i].arn ? cases[i].arn : "(null)", out);
			continue;
		}
		assert_true(ok);
		if (i == 5)
			assert_int_equal(strlen(out), NAMES_PARTITION_MAX - 1);
		else
			assert_string_equal(out, cases[i].want);
	}
}

static void
test_bad_arn_prefix(void **state)
{
	struct irsa_error err;

	(void)state;
	assert_int_equal(names_check_policy_arn(POLICY_ARN("ReadOnlyAccess"), "aws", &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INTERNAL);
	expect_part("message", err.message, "ARN prefix \"aws\"");
}

/* --- regions and annotation values ------------------------------------------- */

static void
test_region(void **state)
{
	static const struct check_case cases[] = {
	        {"us-east-1", NULL, NULL, NULL},
	        {"us-gov-west-1", NULL, NULL, NULL},
	        {"cn-north-1", NULL, NULL, NULL},
	        {"ap-southeast-10", NULL, NULL, NULL},
	        {"", NULL, "region \"\" is not valid: it is empty", NULL},
	        {NULL, NULL, "it is empty", NULL},
	        {"US-EAST-1", NULL, "region \"US-EAST-1\" is not valid: it holds upper-case letters",
	         "did you mean us-east-1?"},
	        {"us_east_1", NULL, "it does not have the form", "did you mean us-east-1?"},
	        {"us-east", NULL, "it does not have the form", "for example us-east-1"},
	        {"us-1", NULL, "it does not have the form", NULL},
	        {"u-east-1", NULL, "it does not have the form", NULL},
	        {"use-east-1", NULL, "it does not have the form", NULL},
	        {"us-east-1a", NULL, "it does not have the form", NULL},
	        {"us-east-1-", NULL, "it does not have the form", NULL},
	        {"us--east-1", NULL, "it does not have the form", NULL},
	        {"us-east-", NULL, "it does not have the form", NULL},
	};

	(void)state;
	RUN("region", region_fn, cases, "([a-z]{2}(-[a-z]+)+-[0-9]+)");
}

static void
test_annotation_values(void **state)
{
	static const struct check_case sts[] = {
	        {"true", NULL, NULL, NULL},
	        {"false", NULL, NULL, NULL},
	        {"True", NULL,
	         "eks.amazonaws.com/sts-regional-endpoints value \"True\" is not valid: it must be \"true\"",
	         "did you mean \"true\"?"},
	        {"yes", NULL, "value \"yes\" is not valid", "give \"true\""},
	        {"", NULL, "value \"\" is not valid", NULL},
	};
	static const struct check_case token[] = {
	        {"600", NULL, NULL, NULL},
	        {"3600", NULL, NULL, NULL},
	        {"86400", NULL, NULL, NULL},
	        {"599", NULL,
	         "eks.amazonaws.com/token-expiration value \"599\" is not valid: it is below the minimum of 600 "
	         "seconds (the pod identity webhook raises anything lower to 600)",
	         "600"},
	        {"0", NULL, "below the minimum of 600", NULL},
	        {"86401", NULL, "value \"86401\" is not valid: it is above the maximum of 86400 seconds", NULL},
	        {"99999999999999999999", NULL, "above the maximum of 86400", NULL},
	        {"", NULL, "it must be a whole number of seconds from 600 to 86400", NULL},
	        {"1h", NULL, "it must be a whole number of seconds", "3600"},
	        {"-600", NULL, "it must be a whole number of seconds", NULL},
	        {" 600", NULL, "it must be a whole number of seconds", NULL},
	        {"600.5", NULL, "it must be a whole number of seconds", NULL},
	};

	(void)state;
	RUN("sts-regional-endpoints", sts_fn, sts, NULL);
	RUN("token-expiration", token_fn, token, NULL);
}

/* An over-long value is quoted cut, never in full. */
static void
test_long_values_cut(void **state)
{
	struct irsa_error err;
	const char *utf8 = A50 A10 A10 "aaaaaaaaa\xc3\xa9" A50; /* the 'é' spans bytes 80 and 81 */

	(void)state;
	assert_int_equal(names_check_namespace(A250, &err), -1);
	expect_part("message", err.message, "namespace \"" A80 "...\" is not valid: it has 250 characters");
	assert_null(strstr(err.message, A80 "a"));

	assert_int_equal(names_check_serviceaccount(utf8, &err), -1);
	expect_part("message", err.message, "\"" A50 A10 A10 "aaaaaaaaa...\"");

	assert_int_equal(names_check_policy_arn(POLICY_ARN(A100 A100), "arn:aws:", &err), -1);
	expect_part("message", err.message, "its name has 200 characters");
	assert_null(strstr(err.message, A100));
	assert_true(strlen(err.message) < 400);
}

/* --- plan_check_choices() ---------------------------------------------------- */

enum field {
	F_NONE,
	F_CLUSTER,
	F_REGION,
	F_CONTEXT,
	F_NS,
	F_SA,
	F_ROLE_NAME,
	F_ROLE_ARN,
	F_ROLE_PATH,
	F_POLICY,
	F_SERVICE,
	F_STS,
	F_TOKEN,
};

struct choice_case {
	enum field f;
	const char *v;
	enum field f2; /* a second change, or F_NONE */
	const char *v2;
	const char *prefix;
	const char *want; /* NULL: valid; else a part the message must hold */
};

static void
set_field(struct plan_choices *ch, enum field f, const char *v, const char **policy, const char **service)
{
	switch (f) {
	case F_NONE:
		break;
	case F_CLUSTER:
		ch->cluster = v;
		break;
	case F_REGION:
		ch->region = v;
		break;
	case F_CONTEXT:
		ch->context = v;
		break;
	case F_NS:
		ch->ns = v;
		break;
	case F_SA:
		ch->sa = v;
		break;
	case F_ROLE_NAME:
		ch->role_name = v;
		break;
	case F_ROLE_ARN:
		ch->role_arn = v;
		break;
	case F_ROLE_PATH:
		ch->role_path = v;
		break;
	case F_POLICY:
		*policy = v;
		break;
	case F_SERVICE:
		*service = v;
		break;
	case F_STS:
		ch->sts_regional = v;
		break;
	case F_TOKEN:
		ch->token_expiration = v;
		break;
	}
}

#define LONG_SERVICE A100 A100 ".amazonaws.com"

static void
test_choices(void **state)
{
	static const struct choice_case cases[] = {
	        {F_NONE, NULL, F_NONE, NULL, "arn:aws:", NULL},
	        {F_NONE, NULL, F_NONE, NULL, NULL, NULL},
	        {F_ROLE_NAME, "shop-payments-orders", F_ROLE_PATH, "/irsa/", "arn:aws:", NULL},
	        {F_ROLE_ARN, ROLE_ARN("team/orders"), F_NONE, NULL, "arn:aws:", NULL},
	        {F_CONTEXT, "shop-prod", F_NONE, NULL, "arn:aws:", NULL},
	        {F_SERVICE, "ecs-tasks.amazonaws.com", F_NONE, NULL, "arn:aws:", NULL},
	        {F_STS, NULL, F_TOKEN, NULL, "arn:aws:", NULL},
	        {F_STS, "false", F_TOKEN, "600", "arn:aws:", NULL},
	        {F_ROLE_ARN, "arn:aws-cn:iam::" ACCT ":role/r", F_NONE, NULL, NULL, NULL}, /* no partition check */

	        {F_CLUSTER, NULL, F_NONE, NULL, "arn:aws:", "no cluster given: give --cluster or --context"},
	        {F_CLUSTER, "", F_NONE, NULL, "arn:aws:", "no cluster given: give --cluster or --context"},
	        {F_CLUSTER, NULL, F_CONTEXT, "shop-prod",
	         "arn:aws:", "the EKS cluster of context \"shop-prod\" is not known"},
	        {F_CLUSTER, "shop prod", F_NONE, NULL, "arn:aws:",
	         "cluster name \"shop prod\" is not valid: it must have 1 to 100 letters, digits, '-' and '_'"},
	        {F_CLUSTER, A100 "a", F_NONE, NULL, "arn:aws:", "cluster name \"" A80 "...\" is not valid"},
	        {F_REGION, NULL, F_NONE, NULL, "arn:aws:", "no region given for cluster \"shop\": give --region"},
	        {F_REGION, "", F_NONE, NULL, "arn:aws:", "no region given"},
	        {F_REGION, "EU-WEST-1", F_NONE, NULL, "arn:aws:", "region \"EU-WEST-1\" is not valid"},
	        {F_CONTEXT, "", F_NONE, NULL, "arn:aws:", "the kubeconfig context given is empty"},
	        {F_NS, NULL, F_NONE, NULL, "arn:aws:", "no namespace given: give --namespace (-n)"},
	        {F_NS, "", F_NONE, NULL, "arn:aws:", "no namespace given: give --namespace (-n)"},
	        {F_NS, "Payments", F_NONE, NULL,
	         "arn:aws:", "namespace \"Payments\" is not valid: it holds upper-case"},
	        {F_SA, NULL, F_NONE, NULL, "arn:aws:", "no service account given: give --service-account"},
	        {F_SA, "", F_NONE, NULL, "arn:aws:", "no service account given: give --service-account"},
	        {F_SA, "Orders_API", F_NONE, NULL, "arn:aws:", "service account name \"Orders_API\" is not valid"},
	        {F_ROLE_NAME, "r", F_ROLE_ARN, ROLE_ARN("r"), "arn:aws:",
	         "both --role-name (\"r\") and --role-arn (\"" ROLE_ARN("r") "\") were given; give one of them"},
	        {F_ROLE_NAME, ROLE65, F_NONE, NULL,
	         "arn:aws:", "role name \"" ROLE65 "\" is not valid: it has 65 characters"},
	        {F_ROLE_NAME, "", F_NONE, NULL, "arn:aws:", "role name \"\" is not valid: it is empty"},
	        {F_ROLE_ARN, "arn:aws-cn:iam::" ACCT ":role/r", F_NONE, NULL,
	         "arn:aws:", "is in partition aws-cn, but the account is in aws"},
	        {F_ROLE_ARN, "r", F_NONE, NULL, "arn:aws:", "role ARN \"r\" is not valid"},
	        {F_ROLE_PATH, "irsa", F_NONE, NULL, "arn:aws:", "role path \"irsa\" is not valid"},
	        {F_POLICY, "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", F_NONE, NULL, "arn:aws:",
	         "policy ARN \"arn:aws-cn:iam::aws:policy/ReadOnlyAccess\" is in partition aws-cn, but the account is "
	         "in aws"},
	        {F_POLICY, NULL, F_NONE, NULL, "arn:aws:", "policy ARN \"\" is not valid: it is empty"},
	        {F_SERVICE, "ec3", F_NONE, NULL, "arn:aws:", "unknown AWS service principal \"ec3\"; did you mean ec2"},
	        {F_SERVICE, LONG_SERVICE, F_NONE, NULL, "arn:aws:", "unknown AWS service principal \"" A80 "...\""},
	        {F_SERVICE, NULL, F_NONE, NULL, "arn:aws:", "unknown AWS service principal \"\""},
	        {F_STS, "yes", F_NONE, NULL, "arn:aws:", "sts-regional-endpoints value \"yes\" is not valid"},
	        {F_TOKEN, "300", F_NONE, NULL, "arn:aws:", "raises anything lower to 600"},
	        {F_TOKEN, "86401", F_NONE, NULL, "arn:aws:", "above the maximum of 86400"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct choice_case *c = &cases[i];
		const char *policy = POLICY_ARN("AmazonS3ReadOnlyAccess"), *service = "ec2";
		struct plan_choices ch = {
		        .cluster = "shop",
		        .region = "eu-west-1",
		        .ns = "payments",
		        .sa = "orders-api",
		        .sts_regional = "true",
		        .token_expiration = "3600",
		};
		struct irsa_error err;
		int rc;

		set_field(&ch, c->f, c->v, &policy, &service);
		set_field(&ch, c->f2, c->v2, &policy, &service);
		ch.policies = &policy;
		ch.n_policies = 1;
		ch.services = &service;
		ch.n_services = 1;
		irsa_error_clear(&err);
		rc = plan_check_choices(&ch, c->prefix, &err);
		if (c->want == NULL) {
			if (rc != 0)
				fail_msg("choices case %zu: unexpected error: %s", i, err.message);
			continue;
		}
		if (rc != -1)
			fail_msg("choices case %zu: accepted, expected \"%s\"", i, c->want);
		assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
		expect_part("message", err.message, c->want);
		if (err.hint[0] == '\0')
			fail_msg("choices case %zu (\"%s\"): no hint", i, err.message);
		/* err may be NULL */
		assert_int_equal(plan_check_choices(&ch, c->prefix, NULL), -1);
	}
}

static void
test_choices_edges(void **state)
{
	struct plan_choices ch = {.cluster = "shop", .region = "eu-west-1", .ns = "payments", .sa = "orders-api"};
	struct irsa_error err;

	(void)state;
	/* the fewest choices: nothing optional */
	assert_int_equal(plan_check_choices(&ch, "arn:aws:", &err), 0);
	/* a policy list with no array is an empty ARN, not a crash */
	ch.n_policies = 1;
	assert_int_equal(plan_check_choices(&ch, "arn:aws:", &err), -1);
	expect_part("message", err.message, "policy ARN \"\" is not valid");
	ch.n_policies = 0;
	assert_int_equal(plan_check_choices(NULL, "arn:aws:", &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INTERNAL);
}

/* --- plan_role_name() -------------------------------------------------------- */

/* plan_role_name(), checked valid; the caller frees. */
static char *
role_name(const char *cluster, const char *ns, const char *sa)
{
	struct irsa_error err;
	char *name = plan_role_name(cluster, ns, sa), *again = plan_role_name(cluster, ns, sa);

	assert_non_null(name);
	assert_non_null(again);
	assert_string_equal(name, again); /* deterministic */
	free(again);
	if (names_check_role_name(name, &err) != 0)
		fail_msg("plan_role_name gave \"%s\": %s", name, err.message);
	return name;
}

static void
test_role_name_derived(void **state)
{
	static const struct {
		const char *cluster, *ns, *sa;
		const char *want;
	} cases[] = {
	        {"shop", "prod", "payments", "shop-prod-payments"},
	        {"my_cluster", "ns", "app.v2", "my_cluster-ns-app.v2"},
	        /* characters IAM does not allow become '-' (each byte of a UTF-8 character) */
	        {"c", "n s", "a/b", "c-n-s-a-b"},
	        {"c", "ns", "\xc3\xa9", "c-ns---"},
	        {NULL, NULL, NULL, "--"},
	        /* exactly 64: kept */
	        {"production-eu-west-1-cluster", "payments", "orders-api-worker-v2-batch",
	         "production-eu-west-1-cluster-payments-orders-api-worker-v2-batch"},
	        /* 65: cut to 55, then "-" and the hash of the whole name */
	        {"production-eu-west-1-cluster", "payments", "orders-api-worker-v2-batchs",
	         "production-eu-west-1-cluster-payments-orders-api-worker-c7e73198"},
	        /* the cut ends in '-': trimmed before the hash */
	        {A50 "aaaa", "namespace", "serviceaccount", A50 "aaaa-619d6506"},
	        /* ... and in ".." */
	        {"cluster", "team", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...-..tailtailtailtailtail",
	         "cluster-team-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-42f48032"},
	        /* the longest names each rule allows */
	        {A100, NS63, SA253, A50 "aaaaa-b8d4e1bf"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *name = role_name(cases[i].cluster, cases[i].ns, cases[i].sa);

		if (strcmp(name, cases[i].want) != 0)
			fail_msg("case %zu: \"%s\", expected \"%s\"", i, name, cases[i].want);
		assert_true(strlen(name) <= NAMES_ROLE_NAME_MAX);
		free(name);
	}
}

/* Two long names that cut alike stay apart. */
static void
test_role_name_distinct(void **state)
{
	char *a, *b;

	(void)state;
	a = role_name("prod", "payments", "orders-service-account-for-the-batch-pipeline-worker-number-one");
	b = role_name("prod", "payments", "orders-service-account-for-the-batch-pipeline-worker-number-two");
	assert_string_equal(a, "prod-payments-orders-service-account-for-the-batch-pipe-494f5925");
	assert_string_equal(b, "prod-payments-orders-service-account-for-the-batch-pipe-265f010a");
	assert_int_equal(strncmp(a, b, 55), 0);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

/* Whatever the lengths, the result is a valid role name of at most 64. */
static void
test_role_name_always_valid(void **state)
{
	static const char pool[] = "abcdefghij-klm.nop_qrs*tuv/wxyz0123456789";
	char cluster[101], ns[64], sa[254];
	size_t len, i, prev_len = 0;

	(void)state;
	for (len = 0; len < 130; len++) {
		size_t lc = len < 100 ? len : 100, ln = len % 64, ls = (len * 3) % 254;
		char *name;

		for (i = 0; i < lc; i++)
			cluster[i] = pool[(i * 7 + len) % (sizeof(pool) - 1)];
		cluster[lc] = '\0';
		for (i = 0; i < ln; i++)
			ns[i] = pool[(i * 5 + len) % (sizeof(pool) - 1)];
		ns[ln] = '\0';
		for (i = 0; i < ls; i++)
			sa[i] = pool[(i * 3 + len) % (sizeof(pool) - 1)];
		sa[ls] = '\0';
		name = role_name(cluster, ns, sa);
		assert_true(strlen(name) <= NAMES_ROLE_NAME_MAX);
		if (lc + ln + ls + 2 <= NAMES_ROLE_NAME_MAX)
			assert_int_equal(strlen(name), lc + ln + ls + 2);
		prev_len = strlen(name);
		free(name);
	}
	assert_true(prev_len > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_namespace),
	        cmocka_unit_test(test_serviceaccount),
	        cmocka_unit_test(test_role_name),
	        cmocka_unit_test(test_role_path),
	        cmocka_unit_test(test_role_arn),
	        cmocka_unit_test(test_policy_arn),
	        cmocka_unit_test(test_arn_partition),
	        cmocka_unit_test(test_bad_arn_prefix),
	        cmocka_unit_test(test_region),
	        cmocka_unit_test(test_annotation_values),
	        cmocka_unit_test(test_long_values_cut),
	        cmocka_unit_test(test_choices),
	        cmocka_unit_test(test_choices_edges),
	        cmocka_unit_test(test_role_name_derived),
	        cmocka_unit_test(test_role_name_distinct),
	        cmocka_unit_test(test_role_name_always_valid),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
