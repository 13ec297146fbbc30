/* tests/unit/test_plan_json.c - the plan's serialised form: every field
 * written (golden files tests/data/plans/NAME.json, which the export
 * integration test also reads), to -> from -> to gives the same text for
 * plans with every step kind, NULL fields and no steps, and malformed input
 * is refused naming the member's path. */
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

#include "plan_samples.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* The plan as text; the caller frees. */
static char *
plan_text(const struct plan *p)
{
	struct json_object *o = plan_to_json(p);
	char *s;

	assert_non_null(o);
	s = strdup(json_object_to_json_string_ext(o, JSON_FLAGS));
	assert_non_null(s);
	json_object_put(o);
	return s;
}

/* to -> from -> to: the same text. Returns the first text (the caller frees)
 * and fills back with the plan read. */
static char *
round_trip(const struct plan *p, struct plan *back)
{
	struct irsa_error err;
	struct json_object *o;
	char *a = plan_text(p), *b;

	o = json_tokener_parse(a);
	assert_non_null(o);
	if (plan_from_json(o, back, &err) != 0)
		fail_msg("plan_from_json: %s", err.message);
	json_object_put(o);
	b = plan_text(back);
	assert_string_equal(a, b);
	free(b);
	return a;
}

/* The golden file: the text and a newline. */
static void
golden(const char *name, const char *text)
{
	char *line;

	assert_true(asprintf(&line, "%s\n", text) > 0);
	sample_golden(name, line);
	free(line);
}

static void
test_round_trip_fresh(void **state)
{
	struct plan p, back;
	char *text;

	(void)state;
	sample_fresh(&p);
	text = round_trip(&p, &back);
	golden("plans/fresh.json", text);
	assert_int_equal(back.n, 6);
	assert_int_equal(back.steps[0].kind, PLAN_STEP_OIDC_PROVIDER);
	assert_string_equal(back.steps[0].thumbprint, S_TP);
	assert_int_equal(back.steps[0].tags.n, 3);
	assert_string_equal(back.steps[0].tags.v[2].value, "orders/orders-api");
	assert_string_equal(back.steps[1].document, p.trust_after);
	assert_string_equal(back.steps[1].role_path, "/");
	assert_string_equal(back.steps[3].policy_arn, S_DYNAMO);
	assert_int_equal(back.steps[4].n_annotations, 2);
	assert_null(back.steps[4].annotations[1].before);
	assert_string_equal(back.steps[4].annotations[1].after, "true");
	assert_int_equal(back.steps[5].workload, KUBE_DEPLOYMENT);
	assert_string_equal(back.steps[5].command, p.steps[5].command);
	assert_null(back.context);
	assert_null(back.trust_before);
	assert_false(back.role_exists);
	assert_int_equal(back.policies.n, 2);
	assert_int_equal(back.warnings.n, 1);
	free(text);
	plan_release(&back);
	plan_release(&p);
}

static void
test_round_trip_merge(void **state)
{
	struct plan p, back;
	char *text;

	(void)state;
	sample_merge(&p);
	text = round_trip(&p, &back);
	golden("plans/merge.json", text);
	assert_true(back.role_exists);
	assert_true(back.sa_exists);
	assert_string_equal(back.context, "prod-admin@prod");
	assert_string_equal(back.trust_before, p.trust_before);
	assert_int_equal(back.steps[0].kind, PLAN_STEP_ROLE_TRUST);
	assert_string_equal(back.steps[0].document_before, SAMPLE_EKSCTL_TRUST);
	assert_int_equal(back.steps[1].kind, PLAN_STEP_SA_ANNOTATE);
	assert_null(back.steps[1].annotations[1].after);
	assert_string_equal(back.steps[1].annotations[1].before, "3600");
	free(text);
	plan_release(&back);
	plan_release(&p);
}

static void
test_round_trip_client_id(void **state)
{
	struct plan p, back;
	char *text;

	(void)state;
	sample_client_id(&p);
	text = round_trip(&p, &back);
	golden("plans/client-id.json", text);
	assert_int_equal(back.steps[0].kind, PLAN_STEP_OIDC_CLIENT_ID);
	assert_int_equal(back.steps[1].workload, KUBE_STATEFULSET);
	assert_int_equal(back.steps[2].workload, KUBE_DAEMONSET);
	assert_null(back.steps[1].request);
	free(text);
	plan_release(&back);
	plan_release(&p);
}

static void
test_round_trip_quoting(void **state)
{
	struct plan p, back;
	char *text;

	(void)state;
	sample_quoting(&p);
	text = round_trip(&p, &back);
	assert_string_equal(back.annotations[1].after, "it's \"quoted\" ${HOME} %{x} \\ #1\nline 2");
	assert_string_equal(back.steps[0].title, "Annotate service account team-a/123\nwith a newline");
	free(text);
	plan_release(&back);
	plan_release(&p);
}

/* Every step kind appears in some sample, and every kind name reads back. */
static void
test_every_kind(void **state)
{
	bool seen[PLAN_STEP_N_KINDS] = {false};
	void (*samples[])(struct plan *) = {sample_fresh, sample_merge, sample_client_id, sample_quoting};
	struct plan p;

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		samples[i](&p);
		for (size_t j = 0; j < p.n; j++)
			seen[p.steps[j].kind] = true;
		plan_release(&p);
	}
	for (int k = 0; k < PLAN_STEP_N_KINDS; k++) {
		assert_true(seen[k]);
		assert_int_equal(plan_step_kind_parse(plan_step_kind_name((enum plan_step_kind)k)), k);
	}
}

/* A plan with nothing in it: every member still written, null or empty. */
static void
test_empty_plan(void **state)
{
	static const char expected[] = "{\n"
	                               "  \"apiVersion\": \"irsa.dev/v1\",\n"
	                               "  \"kind\": \"Plan\",\n"
	                               "  \"cluster\": null,\n"
	                               "  \"region\": null,\n"
	                               "  \"context\": null,\n"
	                               "  \"account\": null,\n"
	                               "  \"issuer\": null,\n"
	                               "  \"providerArn\": null,\n"
	                               "  \"namespace\": null,\n"
	                               "  \"serviceAccount\": null,\n"
	                               "  \"roleName\": null,\n"
	                               "  \"roleArn\": null,\n"
	                               "  \"roleExists\": false,\n"
	                               "  \"trustBefore\": null,\n"
	                               "  \"trustAfter\": null,\n"
	                               "  \"policies\": [\n  ],\n"
	                               "  \"annotations\": [\n  ],\n"
	                               "  \"serviceAccountExists\": false,\n"
	                               "  \"steps\": [\n  ],\n"
	                               "  \"warnings\": [\n  ]\n"
	                               "}";
	struct plan p, back;
	char *text;

	(void)state;
	plan_init(&p);
	text = round_trip(&p, &back);
	assert_string_equal(text, expected);
	assert_int_equal(back.n, 0);
	assert_null(back.steps);
	assert_null(back.annotations);
	free(text);
	plan_release(&back);
}

/* A step with only what its kind needs: the rest null, and kept null. */
static void
test_null_fields(void **state)
{
	struct plan p, back;
	struct plan_step *s;
	char *text;

	(void)state;
	plan_init(&p);
	p.ns = sample_dup("default");
	s = sample_step(&p, PLAN_STEP_SA_ANNOTATE, NULL, NULL);
	s->ns = sample_dup("default");
	s->name = sample_dup("app");
	sample_annotation(&s->annotations, &s->n_annotations, "k", NULL, NULL);
	s = sample_step(&p, PLAN_STEP_OIDC_PROVIDER, NULL, NULL);
	s->provider_url = sample_dup("https://issuer.example");
	text = round_trip(&p, &back);
	assert_null(back.steps[0].title);
	assert_null(back.steps[0].command);
	assert_null(back.steps[0].annotations[0].before);
	assert_null(back.steps[0].annotations[0].after);
	assert_null(back.steps[1].thumbprint);
	assert_null(back.steps[1].provider_arn);
	assert_int_equal(back.steps[1].tags.n, 0);
	free(text);
	plan_release(&back);
	plan_release(&p);
}

/* Members it does not know are ignored; missing ones read as empty. */
static void
test_lenient(void **state)
{
	struct irsa_error err;
	struct json_object *o =
	        json_tokener_parse("{\"apiVersion\":\"irsa.dev/v1\",\"kind\":\"Plan\",\"future\":[1,2],"
	                           "\"namespace\":\"ns\",\"steps\":[{\"kind\":\"restart\",\"namespace\":\"ns\","
	                           "\"name\":\"web\",\"workload\":\"daemonset\",\"later\":{}}]}");
	struct plan p;

	(void)state;
	assert_non_null(o);
	assert_int_equal(plan_from_json(o, &p, &err), 0);
	assert_string_equal(p.ns, "ns");
	assert_null(p.sa);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.steps[0].workload, KUBE_DAEMONSET);
	assert_int_equal(p.steps[0].n_annotations, 0);
	plan_release(&p);
	json_object_put(o);
}

#define HDR "\"apiVersion\":\"irsa.dev/v1\",\"kind\":\"Plan\""
#define RC  "{\"kind\":\"role-create\",\"roleName\":\"r\",\"document\":\"{}\"}"

static void
test_malformed(void **state)
{
	static const struct {
		const char *json;
		const char *message;
	} cases[] = {
	        {"[]", "a plan: expected an object, got an array"},
	        {"{}", "apiVersion: missing"},
	        {"{\"apiVersion\":1}", "apiVersion: expected a string, got a number"},
	        {"{\"apiVersion\":\"irsa.dev/v2\",\"kind\":\"Plan\"}",
	         "apiVersion: expected \"irsa.dev/v1\", got \"irsa.dev/v2\""},
	        {"{\"apiVersion\":\"irsa.dev/v1\"}", "kind: missing"},
	        {"{\"apiVersion\":\"irsa.dev/v1\",\"kind\":\"Journal\"}", "kind: expected \"Plan\", got \"Journal\""},
	        {"{" HDR ",\"cluster\":5}", "cluster: expected a string or null, got a number"},
	        {"{" HDR ",\"trustAfter\":{}}", "trustAfter: expected a string or null, got an object"},
	        {"{" HDR ",\"roleExists\":\"yes\"}", "roleExists: expected true or false, got a string"},
	        {"{" HDR ",\"serviceAccountExists\":null}", "serviceAccountExists: expected true or false, got null"},
	        {"{" HDR ",\"policies\":\"x\"}", "policies: expected an array, got a string"},
	        {"{" HDR ",\"policies\":null}", "policies: expected an array, got null"},
	        {"{" HDR ",\"policies\":[\"a\",1]}", "policies[1]: expected a string, got a number"},
	        {"{" HDR ",\"warnings\":[null]}", "warnings[0]: expected a string, got null"},
	        {"{" HDR ",\"annotations\":[{\"before\":\"x\"}]}", "annotations[0].key: missing"},
	        {"{" HDR ",\"annotations\":[\"k\"]}", "annotations[0]: expected an object, got a string"},
	        {"{" HDR ",\"annotations\":[{\"key\":\"k\",\"after\":true}]}",
	         "annotations[0].after: expected a string or null, got a boolean"},
	        {"{" HDR ",\"steps\":{}}", "steps: expected an array, got an object"},
	        {"{" HDR ",\"steps\":[5]}", "steps[0]: expected an object, got a number"},
	        {"{" HDR ",\"steps\":[{}]}", "steps[0].kind: missing"},
	        {"{" HDR ",\"steps\":[" RC "," RC ",{\"kind\":\"x\"}]}", "steps[2].kind: unknown step kind \"x\""},
	        {"{" HDR ",\"steps\":[{\"kind\":\"role-create\",\"roleName\":\"r\"}]}",
	         "steps[0].document: a role-create step needs it, got null"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"policy-attach\",\"roleName\":\"r\"}]}",
	         "steps[0].policyArn: a policy-attach step needs it, got null"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"oidc-provider\"}]}",
	         "steps[0].providerUrl: an oidc-provider step needs it, got null"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"oidc-client-id\"}]}",
	         "steps[0].providerArn: an oidc-client-id step needs it, got null"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"sa-create\",\"namespace\":\"n\"}]}",
	         "steps[0].name: a sa-create step needs it, got null"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"restart\",\"namespace\":\"n\",\"name\":\"w\"}]}",
	         "steps[0].workload: a restart step needs it, got null"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"restart\",\"namespace\":\"n\",\"name\":\"w\",\"workload\":\"job\"}]}",
	         "steps[0].workload: unknown workload kind \"job\" (deployment, statefulset or daemonset)"},
	        {"{" HDR ",\"steps\":[" RC ",{\"kind\":\"sa-annotate\",\"namespace\":\"n\",\"name\":\"a\","
	         "\"annotations\":[{\"key\":\"k\"},{\"key\":\"k2\",\"after\":3}]}]}",
	         "steps[1].annotations[1].after: expected a string or null, got a number"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"role-create\",\"roleName\":\"r\",\"document\":\"{}\","
	         "\"tags\":[{\"key\":\"k\"}]}]}",
	         "steps[0].tags[0].value: missing"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"role-create\",\"roleName\":\"r\",\"document\":\"{}\",\"tags\":{}}]}",
	         "steps[0].tags: expected an array, got an object"},
	        {"{" HDR ",\"steps\":[{\"kind\":\"role-trust\",\"roleName\":[],\"document\":\"{}\"}]}",
	         "steps[0].roleName: expected a string or null, got an array"},
	};
	struct irsa_error err;
	struct json_object *o;
	struct plan p;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = json_tokener_parse(cases[i].json);
		if (o == NULL && strcmp(cases[i].json, "null") != 0)
			fail_msg("case %zu: test JSON does not parse: %s", i, cases[i].json);
		irsa_error_clear(&err);
		if (plan_from_json(o, &p, &err) == 0)
			fail_msg("case %zu accepted: %s", i, cases[i].json);
		assert_int_equal(err.kind, IRSA_ERR_PARSE);
		if (strcmp(err.message, cases[i].message) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.message, cases[i].message);
		plan_release(&p); /* what was read before the error */
		json_object_put(o);
	}
}

/* NULL (JSON null itself) is no plan. */
static void
test_null_object(void **state)
{
	struct irsa_error err;
	struct plan p;

	(void)state;
	assert_int_equal(plan_from_json(NULL, &p, &err), -1);
	assert_string_equal(err.message, "a plan: expected an object, got null");
	plan_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip_fresh),
	        cmocka_unit_test(test_round_trip_merge),
	        cmocka_unit_test(test_round_trip_client_id),
	        cmocka_unit_test(test_round_trip_quoting),
	        cmocka_unit_test(test_every_kind),
	        cmocka_unit_test(test_empty_plan),
	        cmocka_unit_test(test_null_fields),
	        cmocka_unit_test(test_lenient),
	        cmocka_unit_test(test_malformed),
	        cmocka_unit_test(test_null_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
