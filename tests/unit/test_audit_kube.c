/* tests/unit/test_audit_kube.c - what the golden text of the Kubernetes-side
 * checks (IRSA015-019, IRSA026-033; tests/data/audit/<ID>/) does not show:
 * each finding's fix payload (the annotation changes, the workloads to
 * restart), its subject and its evidence - in particular that static AWS
 * keys never reach a finding, only their names - and that --check and
 * --min-severity are honoured. The fixtures are the snapshots of the golden
 * cases, loaded again here. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"

#include "audit_golden.h"
#include "golden.h"

/* Runs check id (NULL: every check) over tests/data/audit/<dir>/snapshot.json. */
static void
run(const char *dir, const char *id, enum audit_severity min, struct audit_input *in, struct audit_result *r)
{
	char rel[512], path[4096];
	const char *checks[1] = {id};
	struct audit_options o = {.checks = id != NULL ? checks : NULL, .n_checks = id != NULL, .min_severity = min};
	struct irsa_error err;

	snprintf(rel, sizeof(rel), "audit/%s/snapshot.json", dir);
	test_data_path(rel, path, sizeof(path));
	if (audit_golden_load(path, in, &err) != 0)
		fail_msg("%s: %s", path, err.message);
	if (audit_run(in, &o, r, &err) != 0)
		fail_msg("%s: audit_run: %s", path, err.message);
}

static const struct audit_finding *
only_finding(const struct audit_result *r, const char *id)
{
	const struct audit_finding *f = NULL;

	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].check->id, id) == 0) {
			assert_null(f);
			f = &r->v[i];
		}
	assert_non_null(f);
	return f;
}

static const char *
evidence_str(const struct audit_finding *f, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(f->evidence, key, &v))
		return NULL;
	return json_object_get_string(v);
}

/* The typo'd key is moved: role-arn set to the value, the typo removed. */
static void
test_typo_key_fix(void **state)
{
	struct audit_input in;
	struct audit_result r;
	const struct audit_finding *f;

	(void)state;
	run("IRSA015/fires-typo-key", "IRSA015", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA015");
	assert_int_equal(f->fix.action, AUDIT_FIX_ANNOTATE);
	assert_int_equal(f->fix.n_annotations, 2);
	assert_string_equal(f->fix.annotations[0].key, "eks.amazonaws.com/role-arn");
	assert_string_equal(f->fix.annotations[0].value, "arn:aws:iam::123456789012:role/shop-prod-orders");
	assert_string_equal(f->fix.annotations[1].key, "eks.amazonaws.io/role-arn");
	assert_null(f->fix.annotations[1].value);
	assert_string_equal(f->subject.ns, "orders");
	assert_string_equal(f->subject.sa, "orders-api");
	assert_string_equal(evidence_str(f, "annotationKey"), "eks.amazonaws.io/role-arn");
	audit_result_release(&r);
	audit_input_release(&in);
}

/* A quoted, padded value is trimmed; a bare role name gets no fix. */
static void
test_trim_fix(void **state)
{
	struct audit_input in;
	struct audit_result r;
	const struct audit_finding *f;

	(void)state;
	run("IRSA015/fires-quoted-value", "IRSA015", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA015");
	assert_int_equal(f->fix.n_annotations, 1);
	assert_string_equal(f->fix.annotations[0].value, "arn:aws:iam::123456789012:role/shop-prod-orders");
	audit_result_release(&r);
	audit_input_release(&in);

	run("IRSA015/fires-role-name-only", "IRSA015", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA015");
	assert_int_equal(f->fix.action, AUDIT_FIX_NONE);
	assert_int_equal(f->fix.n_annotations, 0);
	audit_result_release(&r);
	audit_input_release(&in);
}

/* token-expiration clamped, sts-regional-endpoints "true"; a non-integer removed. */
static void
test_tuning_fix(void **state)
{
	struct audit_input in;
	struct audit_result r;
	const struct audit_finding *f;

	(void)state;
	run("IRSA018/fires-token-expiration-low-and-global-sts", "IRSA018", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA018");
	assert_int_equal(f->fix.n_annotations, 2);
	assert_string_equal(f->fix.annotations[0].key, "eks.amazonaws.com/token-expiration");
	assert_string_equal(f->fix.annotations[0].value, "600");
	assert_string_equal(f->fix.annotations[1].key, "eks.amazonaws.com/sts-regional-endpoints");
	assert_string_equal(f->fix.annotations[1].value, "true");
	audit_result_release(&r);
	audit_input_release(&in);

	run("IRSA018/fires-token-expiration-not-integer", "IRSA018", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA018");
	assert_string_equal(f->fix.annotations[0].key, "eks.amazonaws.com/token-expiration");
	assert_null(f->fix.annotations[0].value);
	audit_result_release(&r);
	audit_input_release(&in);
}

/* The audience annotation is removed when the default would work. */
static void
test_audience_fix(void **state)
{
	struct audit_input in;
	struct audit_result r;
	const struct audit_finding *f;

	(void)state;
	run("IRSA017/fires-audience-not-in-provider", "IRSA017", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA017");
	assert_int_equal(f->fix.n_annotations, 1);
	assert_string_equal(f->fix.annotations[0].key, "eks.amazonaws.com/audience");
	assert_null(f->fix.annotations[0].value);
	audit_result_release(&r);
	audit_input_release(&in);
}

/* One restart per owner: the Deployment behind the ReplicaSet, once for two pods. */
static void
test_restart_workloads(void **state)
{
	struct audit_input in;
	struct audit_result r;
	const struct audit_finding *f;
	struct json_object *pods;

	(void)state;
	run("IRSA026/fires-pods-predate-annotation", "IRSA026", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA026");
	assert_int_equal(f->fix.action, AUDIT_FIX_RESTART);
	assert_int_equal(f->fix.workloads.n, 1);
	assert_string_equal(f->fix.workloads.v[0], "deployment/orders/orders-api");
	assert_true(json_object_object_get_ex(f->evidence, "pods", &pods));
	assert_int_equal(json_object_array_length(pods), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(json_object_array_get_idx(pods, 0), "owner")),
	                    "deployment/orders/orders-api");
	audit_result_release(&r);
	audit_input_release(&in);

	run("IRSA026/fires-statefulset", "IRSA026", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA026");
	assert_int_equal(f->fix.workloads.n, 1);
	assert_string_equal(f->fix.workloads.v[0], "statefulset/payments/payments-ledger");
	audit_result_release(&r);
	audit_input_release(&in);

	/* A template that hard-codes AWS_ROLE_ARN: a restart would not help. */
	run("IRSA027/fires-hard-coded-in-template", "IRSA027", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA027");
	assert_int_equal(f->fix.action, AUDIT_FIX_NONE);
	assert_int_equal(f->fix.workloads.n, 0);
	audit_result_release(&r);
	audit_input_release(&in);
}

/* Static keys: names and sources in the finding, never the value. */
static void
test_static_keys_never_shown(void **state)
{
	struct audit_input in;
	struct audit_result r;
	const struct audit_finding *f;
	const char *ev;

	(void)state;
	run("IRSA028/fires-static-keys-in-env", "IRSA028", AUDIT_SEV_INFO, &in, &r);
	f = only_finding(&r, "IRSA028");
	ev = json_object_to_json_string_ext(f->evidence, JSON_C_TO_STRING_PLAIN);
	assert_non_null(strstr(ev, "AWS_ACCESS_KEY_ID"));
	assert_non_null(strstr(ev, "secret orders-aws key secret"));
	assert_null(strstr(ev, "AKIAIOSFODNN7EXAMPLE"));
	assert_null(strstr(f->message, "AKIAIOSFODNN7EXAMPLE"));
	assert_non_null(strstr(f->message, "AWS_ACCESS_KEY_ID from a literal value"));
	assert_int_equal(f->severity, AUDIT_SEV_HIGH);
	audit_result_release(&r);
	audit_input_release(&in);
}

/* --check runs only the named check; --min-severity drops the low ones
 * (IRSA019's unused role is low, its wildcarded one medium). */
static void
test_options(void **state)
{
	struct audit_input in;
	struct audit_result r;

	(void)state;
	run("IRSA019/fires-unused-role", "IRSA019", AUDIT_SEV_MEDIUM, &in, &r);
	assert_int_equal(r.n, 0);
	audit_result_release(&r);
	audit_input_release(&in);

	run("IRSA019/fires-unused-role-wildcard", "IRSA019", AUDIT_SEV_MEDIUM, &in, &r);
	assert_int_equal(only_finding(&r, "IRSA019")->severity, AUDIT_SEV_MEDIUM);
	audit_result_release(&r);
	audit_input_release(&in);

	/* Every group, but only IRSA033: nothing of the others, and no IRSA029 "not run". */
	run("IRSA033/fires-aws-node-node-role", "IRSA033", AUDIT_SEV_INFO, &in, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.n_not_run, 0);
	audit_result_release(&r);
	audit_input_release(&in);

	/* Kubernetes not read: each check of the three groups says so. */
	run("IRSA019/clean-kube-not-read", NULL, AUDIT_SEV_INFO, &in, &r);
	for (const char *const *id =
	             (const char *const[]){"IRSA015", "IRSA016", "IRSA017", "IRSA018", "IRSA019", "IRSA026", "IRSA027",
	                                   "IRSA028", "IRSA030", "IRSA031", "IRSA032", "IRSA033", NULL};
	     *id != NULL; id++) {
		bool found = false;
		for (size_t i = 0; i < r.n_not_run && !found; i++)
			found = strcmp(r.not_run[i].check->id, *id) == 0 && strstr(r.not_run[i].reason, "Unauthorized");
		if (!found)
			fail_msg("%s: no not-run entry with the Kubernetes error", *id);
	}
	audit_result_release(&r);
	audit_input_release(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_typo_key_fix),      cmocka_unit_test(test_trim_fix),
	        cmocka_unit_test(test_tuning_fix),        cmocka_unit_test(test_audience_fix),
	        cmocka_unit_test(test_restart_workloads), cmocka_unit_test(test_static_keys_never_shown),
	        cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests_name("audit_kube", tests, NULL, NULL);
}
