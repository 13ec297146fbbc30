/* tests/unit/test_policy_scan.c - reading IAM identity policies for the
 * audit: parsing (JSON, URL-encoded, a bare statement, no Principal),
 * statement JSON for evidence, and IAM's matching, table-driven: action
 * names case-insensitive with '*' and '?', NotAction as "everything but",
 * Deny granting nothing, "everything" patterns, service-wide wildcards,
 * Resource (case-sensitive) and NotResource coverage, condition keys in
 * any operator and any case. */
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

#include "policy_scan.h"

#define DOC(...) "{\"Version\":\"2012-10-17\",\"Statement\":[" __VA_ARGS__ "]}"

static void
parse_ok(const char *text, struct policy_doc *d)
{
	struct irsa_error err;

	irsa_error_clear(&err);
	if (policy_doc_parse(text, d, &err) != 0)
		fail_msg("policy_doc_parse: %s", err.message);
}

/* --- parsing ------------------------------------------------------------- */

static void
test_parse_json_and_statement(void **state)
{
	struct policy_doc d;
	struct json_object *st, *sid;

	(void)state;
	parse_ok(DOC("{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
	             "{\"Effect\":\"Deny\",\"NotAction\":[\"s3:*\"],\"NotResource\":\"arn:aws:s3:::b\"}"),
	         &d);
	assert_int_equal(d.t->n, 2);
	assert_string_equal(d.t->st[0].sid, "Read");
	assert_true(d.t->st[1].deny);
	assert_true(d.t->st[1].not_action.present);
	assert_true(d.t->st[1].not_resource.present);
	st = policy_doc_statement(&d, 0);
	assert_non_null(st);
	assert_true(json_object_object_get_ex(st, "Sid", &sid));
	assert_string_equal(json_object_get_string(sid), "Read");
	assert_non_null(policy_doc_statement(&d, 1));
	assert_null(policy_doc_statement(&d, 2));
	policy_doc_release(&d);
	assert_null(d.t);
	assert_null(d.root);
}

/* IAM sends documents URL-encoded; a Statement may be a bare object. */
static void
test_parse_url_encoded_bare(void **state)
{
	struct policy_doc d;

	(void)state;
	parse_ok("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C"
	         "%22Action%22%3A%22iam%3APassRole%22%2C%22Resource%22%3A%22%2A%22%7D%7D",
	         &d);
	assert_int_equal(d.t->n, 1);
	assert_string_equal(d.t->st[0].action.v[0], "iam:PassRole");
	assert_non_null(policy_doc_statement(&d, 0));
	assert_null(policy_doc_statement(&d, 1));
	policy_doc_release(&d);
}

static void
test_parse_errors(void **state)
{
	struct policy_doc d;
	struct irsa_error err;

	(void)state;
	assert_int_equal(policy_doc_parse("{\"Statement\":[{\"Action\":\"*\"}]}", &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "policy document: "));
	assert_null(strstr(err.message, "trust policy"));
	assert_non_null(strstr(err.message, "Effect"));
	assert_null(d.t);
	assert_int_equal(policy_doc_parse("{\"Statement\":", &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_int_equal(policy_doc_parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":7}]}", &d, &err), -1);
	assert_non_null(strstr(err.message, "Action"));
}

/* --- patterns ------------------------------------------------------------ */

static void
test_pattern_is_all(void **state)
{
	(void)state;
	assert_true(policy_pattern_is_all("*"));
	assert_true(policy_pattern_is_all("**"));
	assert_true(policy_pattern_is_all("*:*"));
	assert_false(policy_pattern_is_all(""));
	assert_false(policy_pattern_is_all(":"));
	assert_false(policy_pattern_is_all("*:*:*"));
	assert_false(policy_pattern_is_all("s3:*"));
	assert_false(policy_pattern_is_all("arn:aws:s3:::*"));
	assert_false(policy_pattern_is_all("?"));
}

static void
test_service_wide(void **state)
{
	(void)state;
	assert_true(policy_action_service_wide("s3:*"));
	assert_true(policy_action_service_wide("IAM:**"));
	assert_false(policy_action_service_wide("*"));
	assert_false(policy_action_service_wide("*:*"));
	assert_false(policy_action_service_wide("s*:*"));
	assert_false(policy_action_service_wide("s3:Get*"));
	assert_false(policy_action_service_wide("s3:?"));
	assert_false(policy_action_service_wide("s3:"));
	assert_false(policy_action_service_wide(":*"));
	assert_false(policy_action_service_wide("s3"));
}

/* --- grants: one row per case -------------------------------------------- */

struct grant_case {
	const char *stmt; /* one statement */
	const char *action;
	enum policy_grant grant;
	const char *via; /* the Action pattern that matched, or NULL */
};

static const struct grant_case grant_cases[] = {
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_ACTION,
         "iam:PassRole"},
        /* action names are case-insensitive, both ways */
        {"{\"Effect\":\"Allow\",\"Action\":\"IAM:passrole\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_ACTION,
         "IAM:passrole"},
        {"{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"iam:Pass*\"],\"Resource\":\"*\"}", "iam:PassRole",
         POLICY_GRANT_ACTION, "iam:Pass*"},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_ACTION,
         "iam:*"},
        {"{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_ACTION, "*"},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:P?ssRole\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_ACTION,
         "iam:P?ssRole"},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:Attach*Policy\",\"Resource\":\"*\"}", "iam:AttachRolePolicy",
         POLICY_GRANT_ACTION, "iam:Attach*Policy"},
        /* near misses */
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRol\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_NONE,
         NULL},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:Get*\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_NONE, NULL},
        {"{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_NONE, NULL},
        /* Deny grants nothing */
        {"{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_NONE, NULL},
        /* NotAction: everything but */
        {"{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_NOT_ACTION,
         NULL},
        {"{\"Effect\":\"Allow\",\"NotAction\":[\"IAM:*\",\"organizations:*\"],\"Resource\":\"*\"}", "iam:PassRole",
         POLICY_GRANT_NONE, NULL},
        {"{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\"],\"Resource\":\"*\"}", "sts:AssumeRole",
         POLICY_GRANT_NOT_ACTION, NULL},
        /* neither Action nor NotAction */
        {"{\"Effect\":\"Allow\",\"Resource\":\"*\"}", "iam:PassRole", POLICY_GRANT_NONE, NULL},
};

static void
test_grants(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(grant_cases) / sizeof(grant_cases[0]); i++) {
		const struct grant_case *c = &grant_cases[i];
		struct policy_doc d;
		const char *via = "unset";
		char text[1024];
		enum policy_grant g;

		snprintf(text, sizeof(text), DOC("%s"), c->stmt);
		parse_ok(text, &d);
		g = policy_statement_grants(&d.t->st[0], c->action, &via);
		if (g != c->grant)
			fail_msg("case %zu (%s, %s): grant %d, want %d", i, c->stmt, c->action, (int)g, (int)c->grant);
		if (c->via == NULL)
			assert_null(via);
		else
			assert_string_equal(via, c->via);
		assert_int_equal(policy_statement_grants(&d.t->st[0], c->action, NULL), c->grant);
		policy_doc_release(&d);
	}
}

/* --- every action, every resource ------------------------------------------ */

struct all_case {
	const char *stmt;
	bool all_actions;
	const char *action_via;
	bool all_resources;
	const char *resource_via;
};

static const struct all_case all_cases[] = {
        {"{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}", true, "*", true, "*"},
        {"{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"*:*\"],\"Resource\":[\"arn:aws:s3:::b\",\"*\"]}", true,
         "*:*", true, "*"},
        /* NotAction excluding only some actions is every other action; NotAction "*" is none */
        {"{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}", true, NULL, true, "*"},
        {"{\"Effect\":\"Allow\",\"NotAction\":\"*\",\"Resource\":\"*\"}", false, NULL, true, "*"},
        /* NotResource: every resource but some */
        {"{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"arn:aws:s3:::b\"}", true, "*", true, NULL},
        {"{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"*\"}", true, "*", false, NULL},
        /* near misses: a service wildcard, a bucket-wide resource */
        {"{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}", false, NULL, true, "*"},
        {"{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::b/*\"}", true, "*", false, NULL},
        /* Deny is never "allows everything" */
        {"{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}", false, NULL, true, "*"},
};

static void
test_all(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_cases) / sizeof(all_cases[0]); i++) {
		const struct all_case *c = &all_cases[i];
		struct policy_doc d;
		const char *via = "unset";
		char text[1024];

		snprintf(text, sizeof(text), DOC("%s"), c->stmt);
		parse_ok(text, &d);
		if (policy_statement_all_actions(&d.t->st[0], &via) != c->all_actions)
			fail_msg("case %zu (%s): all actions should be %d", i, c->stmt, c->all_actions);
		if (c->action_via == NULL)
			assert_null(via);
		else
			assert_string_equal(via, c->action_via);
		via = "unset";
		if (policy_statement_all_resources(&d.t->st[0], &via) != c->all_resources)
			fail_msg("case %zu (%s): all resources should be %d", i, c->stmt, c->all_resources);
		if (c->resource_via == NULL)
			assert_null(via);
		else
			assert_string_equal(via, c->resource_via);
		policy_doc_release(&d);
	}
}

/* --- resources --------------------------------------------------------------- */

#define ROLE_X "arn:aws:iam::123456789012:role/irsa-probe/x"

struct cover_case {
	const char *stmt;
	const char *arn;
	bool covers;
	const char *via;
};

static const struct cover_case cover_cases[] = {
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}", ROLE_X, true, "*"},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::123456789012:role/*\"}", ROLE_X,
         true, "arn:aws:iam::123456789012:role/*"},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::*:role/*\"}", ROLE_X, true,
         "arn:aws:iam::*:role/*"},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::123456789012:role/app-*\"}",
         ROLE_X, false, NULL},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::999999999999:role/*\"}", ROLE_X,
         false, NULL},
        /* resources are case-sensitive */
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::123456789012:ROLE/*\"}", ROLE_X,
         false, NULL},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"NotResource\":\"arn:aws:iam::123456789012:role/"
         "admin\"}",
         ROLE_X, true, NULL},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"NotResource\":\"arn:aws:iam::123456789012:role/*\"}",
         ROLE_X, false, NULL},
        {"{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\"}", ROLE_X, false, NULL},
};

static void
test_covers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cover_cases) / sizeof(cover_cases[0]); i++) {
		const struct cover_case *c = &cover_cases[i];
		struct policy_doc d;
		const char *via = "unset";
		char text[1024];

		snprintf(text, sizeof(text), DOC("%s"), c->stmt);
		parse_ok(text, &d);
		if (policy_statement_covers(&d.t->st[0], c->arn, &via) != c->covers)
			fail_msg("case %zu (%s): covers should be %d", i, c->stmt, c->covers);
		if (c->via == NULL)
			assert_null(via);
		else
			assert_string_equal(via, c->via);
		policy_doc_release(&d);
	}
}

/* --- conditions ------------------------------------------------------------ */

static void
test_condition_keys(void **state)
{
	struct policy_doc d;

	(void)state;
	parse_ok(DOC("{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\",\"Condition\":{"
	             "\"StringEquals\":{\"IAM:PassedToService\":\"ec2.amazonaws.com\"},"
	             "\"ArnLike\":{\"iam:AssociatedResourceARN\":\"arn:aws:ec2:*\",\"aws:SourceAccount\":\"1\"}}},"
	             "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\",\"Condition\":{}},"
	             "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}"),
	         &d);
	assert_true(policy_statement_has_key(&d.t->st[0], "iam:PassedToService"));
	assert_true(policy_statement_has_key(&d.t->st[0], "iam:AssociatedResourceArn"));
	assert_true(policy_statement_has_key(&d.t->st[0], "aws:sourceaccount"));
	assert_false(policy_statement_has_key(&d.t->st[0], "iam:PassedToServic"));
	assert_false(policy_statement_has_key(&d.t->st[1], "iam:PassedToService"));
	assert_false(policy_statement_has_key(&d.t->st[2], "iam:PassedToService"));
	policy_doc_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_json_and_statement),
	        cmocka_unit_test(test_parse_url_encoded_bare),
	        cmocka_unit_test(test_parse_errors),
	        cmocka_unit_test(test_pattern_is_all),
	        cmocka_unit_test(test_service_wide),
	        cmocka_unit_test(test_grants),
	        cmocka_unit_test(test_all),
	        cmocka_unit_test(test_covers),
	        cmocka_unit_test(test_condition_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
