/* tests/unit/test_audit_report.c - the audit's three outputs
 * (core/audit_report.c) over one result holding a finding of each kind of
 * subject (service account, pod, role and policy, provider, account-wide)
 * and fix (rewrite, restart, annotate, manual, confirm), plus checks that
 * did not run: each format against its golden file under
 * tests/data/audit-report/, and the properties the goldens could hide
 * (SARIF indexes and fingerprints, summary counts, line widths, colour only
 * when asked, a run where nothing ran). The findings are made with
 * audit_ctx_add(), as the checks make them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "audit.h"
#include "buf.h"
#include "golden.h"
#include "jsonobj.h"

#define ACCOUNT   "123456789012"
#define PROVIDER  "arn:aws:iam::" ACCOUNT ":oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C8E1A2B3D4F"
#define JSON_OUT  (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)
#define TEXT_COLS 100

struct fixture {
	struct audit_cluster cluster;
	struct audit_options opt;
	struct audit_result r;
	struct irsa_error err;
	struct audit_ctx ctx;
};

static struct json_object *
evidence(const char *json)
{
	struct json_object *o = json_tokener_parse(json);

	assert_non_null(o);
	return o;
}

/* The result: findings added in the order audit_run() sorts them
 * (severity, check id, ref), as the report takes them. */
static void
fill(struct fixture *f)
{
	struct audit_subject s;
	struct audit_finding *x;

	memset(f, 0, sizeof(*f));
	f->cluster.name = "shop-prod";
	f->cluster.region = "us-east-1";
	f->opt.min_severity = AUDIT_SEV_INFO;
	audit_result_init(&f->r);
	f->ctx =
	        (struct audit_ctx){.cluster = &f->cluster, .first = true, .opt = &f->opt, .out = &f->r, .err = &f->err};

	memset(&s, 0, sizeof(s));
	s.cluster = "shop-prod";
	s.region = "us-east-1";
	s.ns = "analytics";
	s.sa = "reporter";
	s.role_arn = "arn:aws:iam::" ACCOUNT ":role/analytics-reporter";
	s.provider_arn = PROVIDER;
	x = audit_ctx_add(&f->ctx, "IRSA005", -1, &s,
	                  evidence("{\"statement\": {\"Effect\": \"Allow\", \"Action\": "
	                           "\"sts:AssumeRoleWithWebIdentity\", \"Principal\": {\"Federated\": \"" PROVIDER
	                           "\"}, \"Condition\": {\"StringEquals\": {\"oidc.eks.us-east-1.amazonaws.com/id/"
	                           "5C8E1A2B3D4F:aud\": \"sts.amazonaws.com\"}}}}"),
	                  "Role analytics-reporter trusts every service account of shop-prod: its web-identity "
	                  "statement has no :sub condition, only aud = sts.amazonaws.com. Whoever can get a token "
	                  "for any service account of the cluster can assume it.");
	assert_non_null(x);
	assert_int_equal(audit_fix_set(&f->ctx, x, AUDIT_FIX_REWRITE_TRUST,
	                               "Rewrite role analytics-reporter's trust to admit only analytics/reporter"),
	                 0);
	assert_int_equal(aws_strings_add(&x->fix.subjects, "analytics/reporter"), 0);

	memset(&s, 0, sizeof(s));
	s.role_arn = "arn:aws:iam::" ACCOUNT ":role/ci-deployer";
	s.policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess";
	x = audit_ctx_add(&f->ctx, "IRSA020", -1, &s,
	                  evidence("{\"attached\": [\"arn:aws:iam::aws:policy/AdministratorAccess\"]}"),
	                  "Role ci-deployer has AdministratorAccess attached. Every pod bound to it can do anything "
	                  "in account " ACCOUNT ".");
	assert_non_null(x);

	memset(&s, 0, sizeof(s));
	s.cluster = "shop-prod";
	s.region = "us-east-1";
	s.provider_arn = PROVIDER;
	x = audit_ctx_add(&f->ctx, "IRSA002", -1, &s, NULL,
	                  "The IAM OIDC provider of shop-prod does not list the audience sts.amazonaws.com in its "
	                  "ClientIDList (it lists: vault). STS rejects every token of the cluster.");
	assert_non_null(x);
	assert_int_equal(audit_fix_set(&f->ctx, x, AUDIT_FIX_ADD_CLIENT_ID,
	                               "Add the client ID sts.amazonaws.com to the provider"),
	                 0);

	memset(&s, 0, sizeof(s));
	s.cluster = "shop-prod";
	s.region = "us-east-1";
	s.ns = "orders";
	s.pod = "orders/orders-api-7d9f8b6c5-x2x9k";
	s.sa = "orders-api";
	s.workload = "deployment/orders-api";
	s.role_arn = "arn:aws:iam::" ACCOUNT ":role/orders-api";
	x = audit_ctx_add(&f->ctx, "IRSA026", -1, &s,
	                  evidence("{\"pod\": \"orders/orders-api-7d9f8b6c5-x2x9k\", \"env\": {}, "
	                           "\"annotation\": \"arn:aws:iam::" ACCOUNT ":role/orders-api\"}"),
	                  "Pod orders/orders-api-7d9f8b6c5-x2x9k started before its service account was bound: it "
	                  "has no AWS_ROLE_ARN and uses the node's role. Restart it to pick up the binding.");
	assert_non_null(x);
	assert_int_equal(audit_fix_set(&f->ctx, x, AUDIT_FIX_RESTART, "Restart deployment orders/orders-api"), 0);
	assert_int_equal(aws_strings_add(&x->fix.workloads, "deployment/orders/orders-api"), 0);

	/* A finding below its check's severity (IRSA006 for one namespace). */
	memset(&s, 0, sizeof(s));
	s.cluster = "shop-prod";
	s.region = "us-east-1";
	s.role_arn = "arn:aws:iam::" ACCOUNT ":role/batch-jobs";
	x = audit_ctx_add(&f->ctx, "IRSA006", AUDIT_SEV_MEDIUM, &s,
	                  evidence("{\"sub\": \"system:serviceaccount:batch:*\"}"),
	                  "Role batch-jobs admits every service account of namespace batch "
	                  "(StringLike sub system:serviceaccount:batch:*).");
	assert_non_null(x);
	assert_int_equal(audit_fix_set(&f->ctx, x, AUDIT_FIX_REWRITE_TRUST,
	                               "Rewrite role batch-jobs's trust to admit only batch/nightly"),
	                 0);

	memset(&s, 0, sizeof(s));
	s.cluster = "shop-prod";
	s.region = "us-east-1";
	s.ns = "payments";
	s.sa = "ledger";
	x = audit_ctx_add(&f->ctx, "IRSA018", -1, &s,
	                  evidence("{\"annotations\": {\"eks.amazonaws.com/token-expiration\": \"300\"}}"),
	                  "Service account payments/ledger sets eks.amazonaws.com/token-expiration to 300, below "
	                  "the webhook's minimum of 600 seconds; the webhook ignores it.");
	assert_non_null(x);
	assert_int_equal(audit_fix_set(&f->ctx, x, AUDIT_FIX_ANNOTATE,
	                               "Remove the annotation eks.amazonaws.com/token-expiration"),
	                 0);
	x->fix.annotations = calloc(1, sizeof(*x->fix.annotations));
	assert_non_null(x->fix.annotations);
	x->fix.annotations[0].key = strdup("eks.amazonaws.com/token-expiration");
	x->fix.n_annotations = 1;

	/* Checks that could not run: one for this cluster, one for all. */
	assert_int_equal(audit_ctx_not_run(&f->ctx, "IRSA003",
	                                   "the issuer's certificate could not be read (connection refused)"),
	                 0);
	f->ctx.cluster = NULL;
	assert_int_equal(audit_ctx_not_run(&f->ctx, "IRSA029",
	                                   "irsa has no EC2 client yet: node metadata options cannot be read"),
	                 0);
	f->r.checks_run = 1;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	fill(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	audit_result_release(&f->r);
	free(f);
	return 0;
}

/* --- JSON ---------------------------------------------------------------- */

static void
test_json_golden(void **state)
{
	struct fixture *f = *state;
	struct json_object *o = audit_report_json(&f->r);
	char *text;

	assert_non_null(o);
	text = NULL;
	assert_int_not_equal(asprintf(&text, "%s\n", json_object_to_json_string_ext(o, JSON_OUT)), -1);
	test_data_golden("audit-report/report.json", text);
	free(text);
	json_object_put(o);
}

static void
test_json_fields(void **state)
{
	struct fixture *f = *state;
	struct json_object *o = audit_report_json(&f->r), *a, *x, *sum;

	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "findings", &a));
	assert_int_equal(json_object_array_length(a), f->r.n);
	for (size_t i = 0; i < f->r.n; i++) {
		x = json_object_array_get_idx(a, i);
		assert_string_equal(jsonobj_str(x, "ref"), f->r.v[i].ref);
		assert_string_equal(jsonobj_str(x, "check"), f->r.v[i].check->id);
		/* Every member present, null when absent. */
		static const char *const keys[] = {"check",       "severity",  "title",          "cluster",
		                                   "region",      "namespace", "serviceAccount", "roleArn",
		                                   "providerArn", "pod",       "workload",       "policyArn",
		                                   "ref",         "message",   "evidence",       "fix"};
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			assert_true(json_object_object_get_ex(x, keys[k], NULL));
		assert_true(json_object_is_type(jsonobj_obj(x, "evidence"), json_type_object));
	}
	/* The manual finding (AdministratorAccess) has fix null; the others a command. */
	x = json_object_array_get_idx(a, 1);
	assert_string_equal(jsonobj_str(x, "check"), "IRSA020");
	assert_true(json_object_object_get_ex(x, "fix", NULL));
	assert_null(jsonobj_obj(x, "fix"));
	assert_null(jsonobj_str(x, "cluster"));
	x = jsonobj_obj(json_object_array_get_idx(a, 0), "fix");
	assert_string_equal(jsonobj_str(x, "command"), "irsa fix IRSA005:shop-prod:sa/analytics/reporter");
	assert_string_equal(jsonobj_str(x, "action"), "rewrite-trust");
	sum = jsonobj_obj(o, "summary");
	assert_int_equal(json_object_get_int(jsonobj_num(sum, "total")), 6);
	assert_int_equal(json_object_get_int(jsonobj_num(jsonobj_obj(sum, "bySeverity"), "critical")), 2);
	assert_int_equal(json_object_get_int(jsonobj_num(jsonobj_obj(sum, "bySeverity"), "high")), 2);
	assert_int_equal(json_object_get_int(jsonobj_num(jsonobj_obj(sum, "bySeverity"), "medium")), 1);
	assert_int_equal(json_object_get_int(jsonobj_num(jsonobj_obj(sum, "bySeverity"), "low")), 1);
	assert_int_equal(json_object_get_int(jsonobj_num(jsonobj_obj(sum, "bySeverity"), "info")), 0);
	assert_int_equal(json_object_get_int(jsonobj_num(jsonobj_obj(sum, "byCheck"), "IRSA026")), 1);
	assert_int_equal(json_object_get_int(jsonobj_num(sum, "notRun")), 2);
	assert_true(json_object_object_get_ex(o, "notRun", &a));
	assert_int_equal(json_object_array_length(a), 2);
	json_object_put(o);
}

/* --- SARIF --------------------------------------------------------------- */

static void
test_sarif_golden(void **state)
{
	struct fixture *f = *state;
	struct json_object *o = audit_report_sarif(&f->r, "0.1.0"), *driver;
	char *text = NULL;

	assert_non_null(o);
	/* The rules are the catalog's, which changes as checks are built:
	 * test_sarif_consistent checks them against it; the golden holds the
	 * rest. */
	driver = jsonobj_obj(jsonobj_obj(json_object_array_get_idx(json_object_object_get(o, "runs"), 0), "tool"),
	                     "driver");
	assert_non_null(driver);
	json_object_object_del(driver, "rules");
	assert_int_not_equal(asprintf(&text, "%s\n", json_object_to_json_string_ext(o, JSON_OUT)), -1);
	test_data_golden("audit-report/report.sarif", text);
	free(text);
	json_object_put(o);
}

static struct json_object *
path(struct json_object *o, const char *a, size_t i, const char *b)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, a, &v));
	v = json_object_array_get_idx(v, i);
	assert_non_null(v);
	if (b != NULL)
		assert_true(json_object_object_get_ex(v, b, &v));
	return v;
}

static void
test_sarif_consistent(void **state)
{
	struct fixture *f = *state;
	struct json_object *o = audit_report_sarif(&f->r, "0.1.0"), *run, *rules, *results, *x, *rule, *inv;
	size_t n_cat;
	const struct audit_check *cat = audit_catalog(&n_cat);
	const char *fps[16];

	assert_non_null(o);
	assert_string_equal(jsonobj_str(o, "version"), "2.1.0");
	run = path(o, "runs", 0, NULL);
	rules = jsonobj_obj(jsonobj_obj(run, "tool"), "driver");
	assert_string_equal(jsonobj_str(rules, "name"), "irsa");
	assert_true(json_object_object_get_ex(rules, "rules", &rules));
	assert_int_equal(json_object_array_length(rules), n_cat);
	for (size_t i = 0; i < n_cat; i++) {
		static const char *const level[] = {"error", "error", "warning", "note", "note"};
		static const char *const score[] = {"9.0", "7.0", "5.0", "3.0", "1.0"};
		x = json_object_array_get_idx(rules, i);
		assert_string_equal(jsonobj_str(x, "id"), cat[i].id);
		assert_string_not_equal(jsonobj_str(x, "name"), cat[i].id);
		assert_string_equal(jsonobj_str(jsonobj_obj(x, "shortDescription"), "text"), cat[i].title);
		assert_string_equal(jsonobj_str(jsonobj_obj(x, "fullDescription"), "text"), cat[i].why);
		assert_string_equal(jsonobj_str(jsonobj_obj(x, "help"), "text"), cat[i].fix);
		assert_non_null(strstr(jsonobj_str(jsonobj_obj(x, "help"), "markdown"), cat[i].why));
		assert_string_equal(jsonobj_str(jsonobj_obj(x, "defaultConfiguration"), "level"),
		                    level[cat[i].severity]);
		assert_string_equal(jsonobj_str(jsonobj_obj(x, "properties"), "security-severity"),
		                    score[cat[i].severity]);
	}
	assert_string_equal(jsonobj_str(json_object_array_get_idx(rules, 0), "name"),
	                    "ClusterIssuerHasNoIamOidcProviderInTheRolesAccount");
	assert_true(json_object_object_get_ex(run, "results", &results));
	assert_int_equal(json_object_array_length(results), f->r.n);
	for (size_t i = 0; i < f->r.n; i++) {
		x = json_object_array_get_idx(results, i);
		rule = json_object_array_get_idx(rules, (size_t)json_object_get_int(jsonobj_num(x, "ruleIndex")));
		assert_string_equal(jsonobj_str(rule, "id"), jsonobj_str(x, "ruleId"));
		fps[i] = jsonobj_str(jsonobj_obj(x, "partialFingerprints"), "irsaFindingRef/v1");
		assert_non_null(fps[i]);
		assert_int_equal(strlen(fps[i]), 64);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(fps[k], fps[i]);
		assert_string_equal(jsonobj_str(jsonobj_obj(x, "properties"), "ref"), f->r.v[i].ref);
	}
	/* Levels follow the finding's severity, not the check's: IRSA006 here is medium. */
	x = json_object_array_get_idx(results, 4);
	assert_string_equal(jsonobj_str(x, "ruleId"), "IRSA006");
	assert_string_equal(jsonobj_str(x, "level"), "warning");
	assert_string_equal(jsonobj_str(json_object_array_get_idx(results, 0), "level"), "error");
	assert_string_equal(jsonobj_str(json_object_array_get_idx(results, 5), "level"), "note");
	/* The service account first, then the role, by ARN. */
	x = path(path(json_object_array_get_idx(results, 0), "locations", 0, NULL), "logicalLocations", 0, NULL);
	assert_string_equal(jsonobj_str(x, "fullyQualifiedName"), "shop-prod/analytics/reporter");
	x = path(path(json_object_array_get_idx(results, 0), "locations", 0, NULL), "logicalLocations", 1, NULL);
	assert_string_equal(jsonobj_str(x, "fullyQualifiedName"), "arn:aws:iam::" ACCOUNT ":role/analytics-reporter");
	/* The fingerprint is the ref's: the same ref in another run hashes alike. */
	{
		struct fixture *g = calloc(1, sizeof(*g));
		struct json_object *o2;
		assert_non_null(g);
		fill(g);
		o2 = audit_report_sarif(&g->r, "9.9.9");
		x = path(path(o2, "runs", 0, NULL), "results", 0, "partialFingerprints");
		assert_string_equal(jsonobj_str(x, "irsaFindingRef/v1"), fps[0]);
		json_object_put(o2);
		audit_result_release(&g->r);
		free(g);
	}
	inv = path(run, "invocations", 0, NULL);
	assert_true(json_object_get_boolean(json_object_object_get(inv, "executionSuccessful")));
	x = path(inv, "toolExecutionNotifications", 1, NULL);
	assert_string_equal(jsonobj_str(jsonobj_obj(x, "associatedRule"), "id"), "IRSA029");
	assert_int_equal(json_object_get_int(jsonobj_num(jsonobj_obj(x, "associatedRule"), "index")), 28);
	json_object_put(o);
}

/* --- text ---------------------------------------------------------------- */

static void
test_text_golden(void **state)
{
	struct fixture *f = *state;
	struct buf b;

	buf_init(&b, 1 << 20);
	assert_int_equal(audit_report_text(&f->r, false, &b), 0);
	test_data_golden("audit-report/report.txt", buf_cstr(&b));
	assert_null(strchr(buf_cstr(&b), '\033'));
	buf_release(&b);
}

/* Display columns of one line (UTF-8 continuation bytes and ANSI escapes take none). */
static size_t
line_columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\033') {
			while (i < len && s[i] != 'm')
				i++;
			continue;
		}
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	}
	return n;
}

static void
test_text_width_and_color(void **state)
{
	struct fixture *f = *state;
	struct buf plain, color;
	const char *p, *nl;

	buf_init(&plain, 1 << 20);
	buf_init(&color, 1 << 20);
	assert_int_equal(audit_report_text(&f->r, false, &plain), 0);
	assert_int_equal(audit_report_text(&f->r, true, &color), 0);
	for (p = buf_cstr(&color); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (line_columns(p, (size_t)(nl - p)) > TEXT_COLS)
			fail_msg("line wider than %d columns: %.*s", TEXT_COLS, (int)(nl - p), p);
	}
	/* Critical in bold red, and every colour reset on its line. */
	assert_non_null(strstr(buf_cstr(&color), "\033[1m\033[1;31mCRITICAL (2)\033[0m\n"));
	for (p = buf_cstr(&color); *p != '\0'; p = nl + 1) {
		const char *last_esc = NULL;
		nl = strchr(p, '\n');
		for (const char *q = p; q < nl; q++)
			if (*q == '\033')
				last_esc = q;
		if (last_esc != NULL && strncmp(last_esc, "\033[0m", 4) != 0)
			fail_msg("colour not reset on line: %.*s", (int)(nl - p), p);
	}
	/* Without the escapes, the coloured report is the plain one. */
	{
		struct buf stripped;
		buf_init(&stripped, 1 << 20);
		for (p = buf_cstr(&color); *p != '\0'; p++) {
			if (*p == '\033') {
				while (*p != 'm')
					p++;
				continue;
			}
			buf_addch(&stripped, *p);
		}
		assert_string_equal(buf_cstr(&stripped), buf_cstr(&plain));
		buf_release(&stripped);
	}
	buf_release(&plain);
	buf_release(&color);
}

/* Nothing ran: every check not run, no finding. */
static void
test_nothing_ran(void **state)
{
	struct audit_options opt = {.min_severity = AUDIT_SEV_INFO};
	struct audit_result r;
	struct irsa_error err;
	struct audit_ctx ctx = {.opt = &opt, .out = &r, .err = &err, .first = true};
	struct json_object *o, *x;
	struct buf b;

	(void)state;
	audit_result_init(&r);
	irsa_error_clear(&err);
	assert_int_equal(audit_ctx_not_run(&ctx, "IRSA005", "iam:ListRoles was denied (AccessDenied)"), 0);
	assert_int_equal(audit_ctx_not_run(&ctx, "IRSA010", "iam:ListRoles was denied (AccessDenied)"), 0);
	buf_init(&b, 1 << 16);
	assert_int_equal(audit_report_text(&r, false, &b), 0);
	assert_string_equal(buf_cstr(&b), "Not run:\n"
	                                  "  IRSA005 (all clusters): iam:ListRoles was denied (AccessDenied)\n"
	                                  "  IRSA010 (all clusters): iam:ListRoles was denied (AccessDenied)\n"
	                                  "\n"
	                                  "No findings; 2 checks not run; nothing was checked.\n");
	buf_release(&b);
	o = audit_report_sarif(&r, NULL);
	x = path(path(o, "runs", 0, NULL), "invocations", 0, NULL);
	assert_false(json_object_get_boolean(json_object_object_get(x, "executionSuccessful")));
	x = path(x, "toolExecutionNotifications", 0, "message");
	assert_string_equal(jsonobj_str(x, "text"),
	                    "IRSA005 did not run for any cluster: iam:ListRoles was denied (AccessDenied).");
	json_object_put(o);
	o = audit_report_json(&r);
	x = jsonobj_obj(o, "summary");
	assert_int_equal(json_object_get_int(jsonobj_num(x, "total")), 0);
	assert_int_equal(json_object_get_int(jsonobj_num(x, "notRun")), 2);
	assert_int_equal(json_object_object_length(jsonobj_obj(x, "byCheck")), 0);
	json_object_put(o);
	audit_result_release(&r);
}

/* No finding, everything ran. */
static void
test_clean(void **state)
{
	struct audit_result r;
	struct buf b;

	(void)state;
	audit_result_init(&r);
	r.checks_run = 2;
	buf_init(&b, 1 << 16);
	assert_int_equal(audit_report_text(&r, true, &b), 0);
	assert_string_equal(buf_cstr(&b), "No findings.\n");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_json_golden, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_json_fields, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sarif_golden, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sarif_consistent, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_text_golden, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_text_width_and_color, setup, teardown),
	        cmocka_unit_test(test_nothing_ran),
	        cmocka_unit_test(test_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
