/* tests/unit/test_audit_catalog.c - the audit catalog as a table: all 40
 * checks of the design catalog, IRSA001-IRSA040 in order with no gap or
 * duplicate, each in its catalog group with a valid severity and every text
 * field filled in on one line; the checks irsa cannot run here say why;
 * lookup by id ignores case; severity names and parsing round-trip. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit_catalog.h"

#define N_CHECKS 40

/* The catalog's groups: the first check of each. */
static const struct {
	char letter;
	int first;
	const char *title;
} groups[] = {
        {'A', 1, "IAM OIDC provider"},
        {'B', 5, "IRSA trust policy"},
        {'C', 15, "ServiceAccount annotations"},
        {'D', 19, "Orphans and sharing"},
        {'E', 20, "Permissions of the bound role"},
        {'F', 26, "Workloads (pods, SAs, nodes)"},
        {'G', 34, "EKS Pod Identity"},
};

static void
assert_text(const char *s)
{
	assert_non_null(s);
	assert_true(strlen(s) > 0);
	assert_null(strchr(s, '\n'));
	assert_null(strchr(s, '|')); /* docs/audit.md is a markdown table */
	assert_true(s[0] != ' ' && s[strlen(s) - 1] != ' ');
}

/* All 40, IRSA001 to IRSA040 in order: unique, none missing. */
static void
test_ids(void **state)
{
	char want[32];
	size_t n;
	const struct audit_check *c = audit_catalog(&n);

	(void)state;
	assert_int_equal(n, N_CHECKS);
	for (size_t i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "IRSA%03zu", i + 1);
		assert_string_equal(c[i].id, want);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(c[k].id, c[i].id);
	}
}

static void
test_groups(void **state)
{
	size_t n, g = 0;
	const struct audit_check *c = audit_catalog(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		if (g + 1 < sizeof(groups) / sizeof(groups[0]) && (int)i + 1 >= groups[g + 1].first)
			g++;
		assert_int_equal(c[i].group, groups[g].letter);
		assert_string_equal(c[i].group_title, groups[g].title);
	}
	assert_int_equal(g, sizeof(groups) / sizeof(groups[0]) - 1);
}

/* Every field filled in; the optional ones, when set, too. */
static void
test_fields(void **state)
{
	size_t n, built = 0, confirm = 0, manual = 0;
	const struct audit_check *c = audit_catalog(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_text(c[i].title);
		assert_text(c[i].reads);
		assert_text(c[i].why);
		assert_text(c[i].fix);
		assert_text(c[i].group_title);
		assert_true(c[i].why[strlen(c[i].why) - 1] == '.');
		assert_true(c[i].fix[strlen(c[i].fix) - 1] == '.');
		assert_true((unsigned)c[i].severity < AUDIT_N_SEVERITIES);
		assert_true(c[i].fix_kind == AUDIT_FIX_PLAN || c[i].fix_kind == AUDIT_FIX_MANUAL);
		if (c[i].severity_note != NULL)
			assert_text(c[i].severity_note);
		if (c[i].reason != NULL)
			assert_text(c[i].reason);
		built += c[i].status == AUDIT_CHECK_BUILT;
		confirm += c[i].confirm;
		manual += c[i].fix_kind == AUDIT_FIX_MANUAL;
		/* Groups A-F run, but IRSA029 (no EC2 client); Pod Identity (G) waits. */
		assert_int_equal(c[i].status == AUDIT_CHECK_BUILT, c[i].group != 'G' && i + 1 != 29);
	}
	assert_int_equal(built, 32);
	assert_int_equal(confirm, 7); /* the catalog's "(confirm)" fixes (IRSA019's (c) waits for Pod Identity) */
	assert_int_equal(manual, 16); /* what irsa reports but cannot apply */
}

/* Severities and confirm marks as the catalog gives them, spot-checked. */
static void
test_catalog_values(void **state)
{
	static const struct {
		const char *id;
		enum audit_severity sev;
		bool confirm;
		enum audit_fix_kind fix;
	} want[] = {
	        {"IRSA001", AUDIT_SEV_HIGH, false, AUDIT_FIX_PLAN},
	        {"IRSA003", AUDIT_SEV_INFO, false, AUDIT_FIX_MANUAL},
	        {"IRSA004", AUDIT_SEV_LOW, true, AUDIT_FIX_MANUAL},
	        {"IRSA005", AUDIT_SEV_CRITICAL, false, AUDIT_FIX_PLAN},
	        {"IRSA010", AUDIT_SEV_HIGH, true, AUDIT_FIX_PLAN},
	        {"IRSA014", AUDIT_SEV_INFO, false, AUDIT_FIX_MANUAL},
	        {"IRSA020", AUDIT_SEV_CRITICAL, false, AUDIT_FIX_MANUAL},
	        {"IRSA024", AUDIT_SEV_MEDIUM, false, AUDIT_FIX_MANUAL},
	        {"IRSA029", AUDIT_SEV_HIGH, true, AUDIT_FIX_PLAN},
	        {"IRSA032", AUDIT_SEV_LOW, false, AUDIT_FIX_MANUAL},
	        {"IRSA040", AUDIT_SEV_MEDIUM, false, AUDIT_FIX_PLAN},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct audit_check *c = audit_check_find(want[i].id);

		assert_non_null(c);
		assert_int_equal(c->severity, want[i].sev);
		assert_int_equal(c->confirm, want[i].confirm);
		assert_int_equal(c->fix_kind, want[i].fix);
	}
	/* Checks whose severity varies say how. */
	assert_non_null(audit_check_find("IRSA006")->severity_note);
	assert_non_null(audit_check_find("IRSA013")->severity_note);
	assert_non_null(audit_check_find("IRSA019")->severity_note);
	assert_null(audit_check_find("IRSA005")->severity_note);
}

/* IMDS (IRSA029) and Pod Identity (IRSA034-040) need data irsa cannot
 * read here; they say so, and no other check does. */
static void
test_reasons(void **state)
{
	size_t n;
	const struct audit_check *c = audit_catalog(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		bool needs = i + 1 == 29 || i + 1 >= 34;

		assert_int_equal(c[i].reason != NULL, needs);
	}
	assert_non_null(strstr(audit_check_find("IRSA029")->reason, "EC2"));
	assert_non_null(strstr(audit_check_find("IRSA034")->reason, "Pod Identity"));
}

static void
test_find(void **state)
{
	size_t n;
	const struct audit_check *c = audit_catalog(&n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(audit_check_find(c[i].id), &c[i]);
	assert_ptr_equal(audit_check_find("irsa005"), &c[4]);
	assert_ptr_equal(audit_check_find("Irsa040"), &c[39]);
	assert_null(audit_check_find("IRSA041"));
	assert_null(audit_check_find("IRSA000"));
	assert_null(audit_check_find("IRSA05"));
	assert_null(audit_check_find("IRSA0050"));
	assert_null(audit_check_find(""));
	assert_null(audit_check_find(NULL));
}

static void
test_severity_names(void **state)
{
	static const char *const names[] = {"critical", "high", "medium", "low", "info"};
	enum audit_severity s;

	(void)state;
	for (int i = 0; i < AUDIT_N_SEVERITIES; i++) {
		assert_string_equal(audit_severity_name((enum audit_severity)i), names[i]);
		s = AUDIT_N_SEVERITIES;
		assert_int_equal(audit_severity_parse(names[i], &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(audit_severity_parse("HIGH", &s), 0);
	assert_int_equal(s, AUDIT_SEV_HIGH);
	assert_int_equal(audit_severity_parse("Critical", &s), 0);
	assert_int_equal(s, AUDIT_SEV_CRITICAL);
	assert_int_equal(audit_severity_parse("severe", &s), -1);
	assert_int_equal(audit_severity_parse("", &s), -1);
	assert_int_equal(audit_severity_parse("hig", &s), -1);
	assert_int_equal(audit_severity_parse(NULL, &s), -1);
	assert_string_equal(audit_severity_name(AUDIT_N_SEVERITIES), "unknown");
	assert_string_equal(audit_fix_kind_name(AUDIT_FIX_PLAN), "plan");
	assert_string_equal(audit_fix_kind_name(AUDIT_FIX_MANUAL), "manual");
	assert_string_equal(audit_check_status_name(AUDIT_CHECK_PLANNED), "planned");
	assert_string_equal(audit_check_status_name(AUDIT_CHECK_BUILT), "built");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ids),
	        cmocka_unit_test(test_groups),
	        cmocka_unit_test(test_fields),
	        cmocka_unit_test(test_catalog_values),
	        cmocka_unit_test(test_reasons),
	        cmocka_unit_test(test_find),
	        cmocka_unit_test(test_severity_names),
	};

	return cmocka_run_group_tests_name("audit_catalog", tests, NULL, NULL);
}
