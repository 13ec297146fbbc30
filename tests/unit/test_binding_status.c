/* tests/unit/test_binding_status.c - a service account's binding status,
 * table-driven: unbound, each kind of annotation-key typo, a missing role
 * (also a malformed ARN), no OIDC provider, a trust policy that does not
 * admit the account (wrong subject, wildcard inside StringEquals, another
 * audience), pods that predate the binding or carry another role, roles
 * under a path, what is not known yet; then the typo detector, the role
 * index and the words and glyphs. One cmocka test per row. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "binding_status.h"

#define ISSUER   "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789"
#define PROVIDER "arn:aws:iam::123456789012:oidc-provider/" ISSUER
#define ROLE(n)  "arn:aws:iam::123456789012:role/" n

/* A trust admitting system:serviceaccount:<sub> under StringEquals (or op). */
#define TRUST_OP(op, sub)                                                                                              \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" PROVIDER    \
	"\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"" op "\":{\"" ISSUER                        \
	":sub\":\"system:serviceaccount:" sub "\",\"" ISSUER ":aud\":\"sts.amazonaws.com\"}}}]}"
#define TRUST(sub) TRUST_OP("StringEquals", sub)

/* The account's roles. */
static struct aws_role roles[] = {
        {.name = "orders", .arn = ROLE("orders"), .trust_policy = TRUST("orders:orders-api")},
        {.name = "notify", .arn = ROLE("notify"), .trust_policy = TRUST("orders:orders-notifier")},
        {.name = "wild", .arn = ROLE("wild"), .trust_policy = TRUST("orders:*")},
        {.name = "like", .arn = ROLE("like"), .trust_policy = TRUST_OP("StringLike", "orders:*")},
        {.name = "pathy", .arn = ROLE("team/a/pathy"), .trust_policy = TRUST("orders:orders-api")},
        {.name = "broken", .arn = ROLE("broken"), .trust_policy = "{\"Statement\": ["},
        {.name = "nodoc", .arn = ROLE("nodoc")},
};
#define N_ROLES (sizeof(roles) / sizeof(roles[0]))

#define SA(annotations)                                                                                                \
	"{\"metadata\":{\"name\":\"orders-api\",\"namespace\":\"orders\",\"annotations\":{" annotations "}}}"
#define BOUND(role) SA("\"eks.amazonaws.com/role-arn\":\"" role "\"")
#define ENV_ROLE(role)                                                                                                 \
	"[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"},{\"name\":\"AWS_ROLE_ARN\",\"value\":\"" role "\"}]"
#define POD(env)                                                                                                       \
	"{\"metadata\":{\"name\":\"p\",\"namespace\":\"orders\"},\"spec\":{\"serviceAccountName\":\"orders-api\","     \
	"\"containers\":[{\"name\":\"app\",\"env\":" env "}]}}"
#define POD_PLAIN POD("[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"}]")
#define POD_INIT(role)                                                                                                 \
	"{\"metadata\":{\"name\":\"p\",\"namespace\":\"orders\"},\"spec\":{\"containers\":[{\"name\":\"app\"}],"       \
	"\"initContainers\":[{\"name\":\"init\",\"env\":" ENV_ROLE(role) "}]}}"

enum provider { PROV_KNOWN, PROV_MISSING, PROV_UNKNOWN };

struct status_case {
	const char *name;
	const char *sa;
	const char *pods[3]; /* NULL-ended */
	bool pods_unknown;
	bool no_roles;
	enum provider provider;
	enum binding_status status;
	const char *role_name; /* expected, or NULL */
	const char *why;       /* a substring of out.why */
	size_t pods_n, pods_bound;
};

static const struct status_case cases[] = {
        {"no annotations: unbound",
         "{\"metadata\":{\"name\":\"orders-api\",\"namespace\":\"orders\"}}",
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_UNBOUND,
         NULL,
         "no eks.amazonaws.com/role-arn annotation",
         0,
         0},
        {"other annotations only: unbound",
         SA("\"eks.amazonaws.com/audience\":\"sts.amazonaws.com\""),
         {POD_PLAIN},
         false,
         false,
         PROV_KNOWN,
         BINDING_UNBOUND,
         NULL,
         "no eks",
         1,
         0},
        {"role_arn with an underscore is a typo",
         SA("\"eks.amazonaws.com/role_arn\":\"" ROLE("orders") "\""),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_TYPO,
         "orders",
         "eks.amazonaws.com/role_arn is not",
         0,
         0},
        {"another domain is a typo",
         SA("\"eks.amazonaws.io/role-arn\":\"" ROLE("orders") "\""),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_TYPO,
         "orders",
         "webhook ignores it",
         0,
         0},
        {"another case is a typo",
         SA("\"EKS.amazonaws.com/Role-ARN\":\"" ROLE("orders") "\""),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_TYPO,
         NULL,
         "EKS.amazonaws.com/Role-ARN",
         0,
         0},
        {"the right key wins over a look-alike",
         SA("\"eks.amazonaws.io/role-arn\":\"x\",\"eks.amazonaws.com/role-arn\":\"" ROLE("orders") "\""),
         {POD(ENV_ROLE(ROLE("orders")))},
         false,
         false,
         PROV_KNOWN,
         BINDING_OK,
         "orders",
         "admits",
         1,
         1},
        {"a role ListRoles lacks is missing",
         BOUND(ROLE("fraud")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_ROLE_MISSING,
         "fraud",
         "does not exist",
         0,
         0},
        {"a malformed ARN is missing",
         BOUND("orders"),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_ROLE_MISSING,
         "orders",
         "not an IAM role ARN",
         0,
         0},
        {"a user ARN is missing",
         BOUND("arn:aws:iam::123456789012:user/orders"),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_ROLE_MISSING,
         NULL,
         "not an IAM role ARN",
         0,
         0},
        {"roles not read yet: unknown",
         BOUND(ROLE("orders")),
         {NULL},
         false,
         true,
         PROV_KNOWN,
         BINDING_UNKNOWN,
         "orders",
         "not read yet",
         0,
         0},
        {"no OIDC provider",
         BOUND(ROLE("orders")),
         {NULL},
         false,
         false,
         PROV_MISSING,
         BINDING_NO_PROVIDER,
         "orders",
         "no IAM OIDC provider",
         0,
         0},
        {"provider not known: unknown",
         BOUND(ROLE("orders")),
         {NULL},
         false,
         false,
         PROV_UNKNOWN,
         BINDING_UNKNOWN,
         "orders",
         "OIDC provider is not known",
         0,
         0},
        {"trust for another account name: not admitted",
         BOUND(ROLE("notify")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_NOT_ADMITTED,
         "notify",
         "not admitted",
         0,
         0},
        {"wildcard inside StringEquals: not admitted",
         BOUND(ROLE("wild")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_NOT_ADMITTED,
         "wild",
         "not admitted",
         0,
         0},
        {"StringLike namespace pattern admits",
         BOUND(ROLE("like")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_OK,
         "like",
         "admits",
         0,
         0},
        {"another audience: not admitted",
         SA("\"eks.amazonaws.com/role-arn\":\"" ROLE("orders") "\",\"eks.amazonaws.com/audience\":\"vault\""),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_NOT_ADMITTED,
         "orders",
         "audience vault",
         0,
         0},
        {"trust that does not parse: unknown",
         BOUND(ROLE("broken")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_UNKNOWN,
         "broken",
         "could not be read",
         0,
         0},
        {"role without a trust document: unknown",
         BOUND(ROLE("nodoc")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_UNKNOWN,
         "nodoc",
         "no trust policy",
         0,
         0},
        {"ok with every pod mutated",
         BOUND(ROLE("orders")),
         {POD(ENV_ROLE(ROLE("orders"))), POD(ENV_ROLE(ROLE("orders"))), NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_OK,
         "orders",
         "statement 0",
         2,
         2},
        {"a pod without AWS_ROLE_ARN needs a restart",
         BOUND(ROLE("orders")),
         {POD(ENV_ROLE(ROLE("orders"))), POD_PLAIN, NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_PODS_NEED_RESTART,
         "orders",
         "1 of 2 pods",
         2,
         1},
        {"a pod with another role needs a restart",
         BOUND(ROLE("orders")),
         {POD(ENV_ROLE(ROLE("old"))), NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_PODS_NEED_RESTART,
         "orders",
         "restart them",
         1,
         0},
        {"an init container's env counts",
         BOUND(ROLE("orders")),
         {POD_INIT(ROLE("orders")), NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_OK,
         "orders",
         "admits",
         1,
         1},
        {"pods not read yet: no restart check",
         BOUND(ROLE("orders")),
         {POD_PLAIN, NULL},
         true,
         false,
         PROV_KNOWN,
         BINDING_OK,
         "orders",
         "admits",
         0,
         0},
        {"not admitted outranks restart",
         BOUND(ROLE("notify")),
         {POD_PLAIN, NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_NOT_ADMITTED,
         "notify",
         "orders-notifier",
         1,
         0},
        {"a role under a path, named without it",
         BOUND(ROLE("pathy")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_OK,
         "pathy",
         "admits",
         0,
         0},
        {"a role under a path, named with it",
         BOUND(ROLE("team/a/pathy")),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_OK,
         "pathy",
         "admits",
         0,
         0},
        {"a role of another account is missing",
         BOUND("arn:aws:iam::999999999999:role/orders"),
         {NULL},
         false,
         false,
         PROV_KNOWN,
         BINDING_ROLE_MISSING,
         "orders",
         "does not exist",
         0,
         0},
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static struct binding_roles index_;

static int
setup(void **state)
{
	struct irsa_error err;

	(void)state;
	assert_int_equal(binding_roles_init(&index_, roles, N_ROLES, &err), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	binding_roles_release(&index_);
	return 0;
}

static void
object(const char *json, enum kube_kind kind, struct kube_object *out)
{
	struct json_object *o = json_tokener_parse(json);
	struct irsa_error err;

	if (o == NULL)
		fail_msg("bad test JSON: %s", json);
	if (kube_object_from_json(o, kind, out, &err) != 0)
		fail_msg("%s", err.message);
	json_object_put(o);
}

static void
test_case(void **state)
{
	const struct status_case *c = *state;
	struct kube_object sa, pods[3];
	struct binding_input in;
	struct binding_result out;
	size_t n = 0, i;

	memset(pods, 0, sizeof(pods));
	object(c->sa, KUBE_SERVICE_ACCOUNT, &sa);
	for (; n < 3 && c->pods[n] != NULL; n++)
		object(c->pods[n], KUBE_POD, &pods[n]);
	in = (struct binding_input){.sa = &sa,
	                            .provider_arn = c->provider == PROV_UNKNOWN ? NULL : PROVIDER,
	                            .provider_missing = c->provider == PROV_MISSING,
	                            .roles = c->no_roles ? NULL : &index_,
	                            .pods = pods,
	                            .n_pods = c->pods_unknown ? 0 : n,
	                            .pods_known = !c->pods_unknown};
	binding_evaluate(&in, &out);
	if (out.status != c->status)
		fail_msg("status %s, want %s: %s", binding_status_word(out.status), binding_status_word(c->status),
		         out.why);
	if (c->role_name != NULL && (out.role_name == NULL || strcmp(out.role_name, c->role_name) != 0))
		fail_msg("role name %s, want %s", out.role_name != NULL ? out.role_name : "(null)", c->role_name);
	if (strstr(out.why, c->why) == NULL)
		fail_msg("why \"%s\" lacks \"%s\"", out.why, c->why);
	assert_int_equal(out.pods, c->pods_n);
	assert_int_equal(out.pods_bound, c->pods_bound);
	if (out.status == BINDING_TYPO)
		assert_non_null(out.typo_key);
	if (out.status == BINDING_OK || out.status == BINDING_PODS_NEED_RESTART) {
		assert_true(out.evaluated);
		assert_int_equal(out.eval.statement, 0);
		assert_non_null(out.role);
	}
	for (i = 0; i < n; i++)
		kube_object_release(&pods[i]);
	kube_object_release(&sa);
}

static void
test_typo_keys(void **state)
{
	static const struct {
		const char *key;
		bool typo;
	} keys[] = {
	        {"eks.amazonaws.com/role-arn", false},
	        {"eks.amazonaws.com/role_arn", true},
	        {"eks.amazonaws.io/role-arn", true},
	        {"eks.amazonaws.com/rolearn", true},
	        {"eks.amazonaws.com/role-arn ", true},
	        {"eks.amazonaws.com/Role-Arn", true},
	        {"eks.amazon.com/role-arn", true},
	        {"iam.amazonaws.com/role", true},
	        {"eks.amazonaws.com/iam-role-arn", true},
	        {"eks.amazonaws.com/audience", false},
	        {"eks.amazonaws.com/token-expiration", false},
	        {"eks.amazonaws.com/sts-regional-endpoints", false},
	        {"irsa.test/role-annotated-at", false},
	        {"kubectl.kubernetes.io/last-applied-configuration", false},
	        {"example.com/role", false},
	        {"role-arn", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (binding_key_is_typo(keys[i].key) != keys[i].typo)
			fail_msg("binding_key_is_typo(\"%s\") should be %d", keys[i].key, keys[i].typo);
}

/* Many roles: each is found by its ARN, and names between them are not. */
static void
test_roles_index(void **state)
{
	enum { N = 2000 };
	struct aws_role *many = calloc(N, sizeof(*many));
	char(*names)[32] = calloc(N, sizeof(*names)), (*arns)[80] = calloc(N, sizeof(*arns)), arn[80];
	struct binding_roles r;
	struct irsa_error err;
	size_t i;

	(void)state;
	assert_non_null(many);
	assert_non_null(names);
	assert_non_null(arns);
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "role-%04zu", (i * 7919) % N * 2);
		snprintf(arns[i], sizeof(arns[i]), ROLE("%s"), names[i]);
		many[i].name = names[i];
		many[i].arn = arns[i];
	}
	assert_int_equal(binding_roles_init(&r, many, N, &err), 0);
	assert_int_equal(r.n, N);
	for (i = 0; i < N; i++) {
		const struct binding_role *b = binding_roles_find(&r, arns[i]);

		assert_non_null(b);
		assert_ptr_equal(b->role, &many[i]);
		assert_non_null(b->parse_error); /* no trust document */
		snprintf(arn, sizeof(arn), ROLE("role-%04zu"), i * 2 + 1);
		assert_null(binding_roles_find(&r, arn));
	}
	assert_null(binding_roles_find(&r, "not an arn"));
	assert_null(binding_roles_find(&r, NULL));
	binding_roles_release(&r);
	assert_int_equal(binding_roles_init(&r, many, 0, &err), 0);
	assert_null(binding_roles_find(&r, arns[0]));
	binding_roles_release(&r);
	free(many);
	free(names);
	free(arns);
}

static void
test_words_and_glyphs(void **state)
{
	static const struct {
		enum binding_status s;
		const char *word, *utf8, *ascii;
		bool broken;
	} want[] = {
	        {BINDING_OK, "ok", "\u2713", "+", false},
	        {BINDING_UNBOUND, "unbound", "\u2013", "-", false},
	        {BINDING_TYPO, "key typo", "\u2717", "x", true},
	        {BINDING_ROLE_MISSING, "role missing", "\u2717", "x", true},
	        {BINDING_NO_PROVIDER, "no provider", "\u2717", "x", true},
	        {BINDING_NOT_ADMITTED, "not admitted", "\u2717", "x", true},
	        {BINDING_PODS_NEED_RESTART, "restart pods", "\u21bb", "~", false},
	        {BINDING_UNKNOWN, "unknown", "?", "?", false},
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), BINDING_N_STATUSES);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(binding_status_word(want[i].s), want[i].word);
		assert_string_equal(binding_status_glyph(want[i].s, true), want[i].utf8);
		assert_string_equal(binding_status_glyph(want[i].s, false), want[i].ascii);
		assert_int_equal(binding_status_broken(want[i].s), want[i].broken);
	}
	assert_string_equal(binding_status_word(BINDING_N_STATUSES), "unknown");
	assert_string_equal(binding_status_glyph(BINDING_N_STATUSES, false), "?");
}

static void
test_pod_role_arn(void **state)
{
	struct kube_object pod;

	(void)state;
	object(POD(ENV_ROLE(ROLE("orders"))), KUBE_POD, &pod);
	assert_string_equal(binding_pod_role_arn(&pod), ROLE("orders"));
	assert_true(binding_pod_has_role(&pod, ROLE("orders")));
	assert_false(binding_pod_has_role(&pod, ROLE("other")));
	assert_false(binding_pod_has_role(&pod, NULL));
	kube_object_release(&pod);
	object(POD("[{\"name\":\"AWS_ROLE_ARN\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"x\",\"key\":\"y\"}}}]"),
	       KUBE_POD, &pod);
	assert_null(binding_pod_role_arn(&pod));
	kube_object_release(&pod);
	object("{\"metadata\":{\"name\":\"p\"}}", KUBE_POD, &pod);
	assert_null(binding_pod_role_arn(&pod));
	kube_object_release(&pod);
	assert_null(binding_pod_role_arn(NULL));
}

int
main(void)
{
	const struct CMUnitTest fixed[] = {
	        cmocka_unit_test(test_typo_keys),
	        cmocka_unit_test(test_roles_index),
	        cmocka_unit_test(test_words_and_glyphs),
	        cmocka_unit_test(test_pod_role_arn),
	};
	size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]), i;
	struct CMUnitTest *tests = calloc(n_fixed + N_CASES, sizeof(*tests));
	int rc;

	if (tests == NULL)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < N_CASES; i++) {
		tests[n_fixed + i].name = cases[i].name;
		tests[n_fixed + i].test_func = test_case;
		tests[n_fixed + i].initial_state = (void *)&cases[i];
	}
	rc = _cmocka_run_group_tests("binding_status", tests, n_fixed + N_CASES, setup, teardown);
	free(tests);
	return rc;
}
