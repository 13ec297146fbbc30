/* tests/unit/test_audit_checks.c - the audit's golden fixtures
 * (tests/data/audit/README.md): for every case tests/data/audit/DIR/CASE/,
 * DIR a check id or "all", snapshot.json is read, audit_run() runs with only
 * that check (every check for "all") down to severity info, and the
 * findings as text (audit_golden.h) must equal CASE/expect.txt
 * (IRSA_UPDATE_GOLDEN=1 rewrites it: review the diff). Every case runs; the
 * test fails at the end naming each failing case, with a diff.
 *
 * It also holds the fixture tree to its rules: case names start with
 * "fires-" (the check fires: a finding of it) or "clean-" (no finding of
 * it); every check the catalog marks built has at least one of each in its
 * own directory; a directory is a catalog id or "all". And an unknown
 * --check id makes audit_run() fail.
 *
 * IRSA_AUDIT_CASES=TEXT runs (and with IRSA_UPDATE_GOLDEN=1 rewrites) only
 * the cases whose "DIR/CASE" contains TEXT, and skips the coverage rules:
 * for working on one check without touching the others' goldens. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "audit.h"
#include "buf.h"

#include "audit_golden.h"
#include "golden.h"

#define MAX_FAILURES_SHOWN 200

/* Names of the entries of dir (directories only when dirs_only), sorted. */
struct names {
	char **v;
	size_t n;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_read(const char *dir, bool dirs_only, struct names *out)
{
	char path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	memset(out, 0, sizeof(*out));
	if (d == NULL)
		fail_msg("cannot open %s: %s (is IRSA_SRCDIR set?)", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (dirs_only && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
			continue;
		out->v = realloc(out->v, (out->n + 1) * sizeof(*out->v));
		assert_non_null(out->v);
		out->v[out->n] = strdup(e->d_name);
		assert_non_null(out->v[out->n]);
		out->n++;
	}
	closedir(d);
	if (out->n > 0)
		qsort(out->v, out->n, sizeof(*out->v), name_cmp);
}

static void
names_release(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
}

/* The lines of text: pointers into a copy the caller frees (*copy). */
static char **
split_lines(const char *text, size_t *n, char **copy)
{
	char **v = NULL, *p;

	*n = 0;
	*copy = strdup(text);
	assert_non_null(*copy);
	for (p = *copy; *p != '\0';) {
		char *nl = strchr(p, '\n');

		v = realloc(v, (*n + 1) * sizeof(*v));
		assert_non_null(v);
		v[(*n)++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return v;
}

/* A line diff of expected and actual (longest common subsequence), as
 * unified diff marks: " " both, "-" expected only, "+" actual only. */
static void
diff_print(const char *name, const char *expected, const char *actual)
{
	size_t na, nb;
	char *ca, *cb;
	char **a = split_lines(expected, &na, &ca), **b = split_lines(actual, &nb, &cb);
	size_t *lcs = calloc((na + 1) * (nb + 1), sizeof(*lcs));
	size_t i = 0, j = 0;

	assert_non_null(lcs);
#define L(x, y) lcs[(x) * (nb + 1) + (y)]
	for (size_t x = na; x-- > 0;)
		for (size_t y = nb; y-- > 0;)
			L(x, y) = strcmp(a[x], b[y]) == 0 ? L(x + 1, y + 1) + 1
			                                  : (L(x + 1, y) > L(x, y + 1) ? L(x + 1, y) : L(x, y + 1));
	fprintf(stderr, "--- %s/expect.txt\n+++ %s (actual)\n", name, name);
	while (i < na || j < nb) {
		if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
			fprintf(stderr, " %s\n", a[i]);
			i++;
			j++;
		} else if (j < nb && (i == na || L(i, j + 1) >= L(i + 1, j))) {
			fprintf(stderr, "+%s\n", b[j++]);
		} else {
			fprintf(stderr, "-%s\n", a[i++]);
		}
	}
#undef L
	free(lcs);
	free(a);
	free(b);
	free(ca);
	free(cb);
}

/* Whether text has a line starting with "ID " (a finding of check id). */
static bool
has_finding(const char *text, const char *id)
{
	size_t len = strlen(id);

	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, id, len) == 0 && p[len] == ' ')
			return true;
		p = strchr(p, '\n');
		p = p != NULL ? p + 1 : NULL;
	}
	return false;
}

/* Whether text has any finding line (not indented, not "not-run"). */
static bool
has_any_finding(const char *text)
{
	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, "IRSA", 4) == 0)
			return true;
		p = strchr(p, '\n');
		p = p != NULL ? p + 1 : NULL;
	}
	return false;
}

/* What the walk found wrong, one line each. */
struct failures {
	struct buf text;
	size_t n;
};

static void __attribute__((format(printf, 2, 3))) failure(struct failures *f, const char *fmt, ...)
{
	va_list ap;

	if (f->n++ < MAX_FAILURES_SHOWN) {
		buf_addstr(&f->text, "  ");
		va_start(ap, fmt);
		buf_vprintf(&f->text, fmt, ap);
		va_end(ap);
		buf_addch(&f->text, '\n');
	}
}

/* Per built check: whether its directory has a fires- and a clean- case. */
struct coverage {
	bool fires, clean;
};

/* Runs case dir/name/ (dir a check id or "all"). */
static void
run_case(const char *dir, const char *name, struct failures *f, struct coverage *cov)
{
	char rel[1024], path[PATH_MAX], label[1024];
	const char *id = strcmp(dir, "all") == 0 ? NULL : dir;
	const char *checks[1] = {id};
	struct audit_options o = {
	        .checks = id != NULL ? checks : NULL, .n_checks = id != NULL ? 1 : 0, .min_severity = AUDIT_SEV_INFO};
	bool fires = strncmp(name, "fires-", 6) == 0, clean = strncmp(name, "clean-", 6) == 0;
	struct audit_result r;
	struct audit_input in;
	struct irsa_error err;
	char *actual, *expected = NULL;
	FILE *fp;

	snprintf(label, sizeof(label), "audit/%s/%s", dir, name);
	if (!fires && !clean) {
		failure(f, "%s: a case name starts with \"fires-\" or \"clean-\"", label);
		return;
	}
	snprintf(rel, sizeof(rel), "audit/%s/%s/snapshot.json", dir, name);
	test_data_path(rel, path, sizeof(path));
	if (audit_golden_load(path, &in, &err) != 0) {
		failure(f, "%s: %s", label, err.message);
		audit_input_release(&in);
		return;
	}
	if (audit_run(&in, &o, &r, &err) != 0) {
		failure(f, "%s: audit_run: %s", label, err.message);
		audit_input_release(&in);
		return;
	}
	actual = audit_golden_text(&r);
	assert_non_null(actual);
	audit_result_release(&r);
	audit_input_release(&in);

	snprintf(rel, sizeof(rel), "audit/%s/%s/expect.txt", dir, name);
	test_data_path(rel, path, sizeof(path));
	if (getenv("IRSA_UPDATE_GOLDEN") != NULL) {
		fp = fopen(path, "wb");
		assert_non_null(fp);
		fputs(actual, fp);
		assert_int_equal(fclose(fp), 0);
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		failure(f, "%s: no expect.txt (IRSA_UPDATE_GOLDEN=1 writes it: review it)", label);
	} else {
		fclose(fp);
		expected = test_data_read(rel);
		if (strcmp(expected, actual) != 0) {
			diff_print(label, expected, actual);
			failure(f, "%s: findings differ from expect.txt (diff above)", label);
		}
	}
	if (fires && !(id != NULL ? has_finding(actual, id) : has_any_finding(actual)))
		failure(f, "%s: a fires- case must produce a finding of %s, and it produced none", label,
		        id != NULL ? id : "some check");
	if (fires && expected != NULL && !(id != NULL ? has_finding(expected, id) : has_any_finding(expected)))
		failure(f, "%s: a fires- case's expect.txt must hold a finding of %s", label,
		        id != NULL ? id : "a check");
	if (clean && (id != NULL ? has_finding(actual, id) : has_any_finding(actual)))
		failure(f, "%s: a clean- case must produce no finding%s%s", label, id != NULL ? " of " : "",
		        id != NULL ? id : "");
	if (cov != NULL && fires && expected != NULL && has_finding(expected, id) && has_finding(actual, id))
		cov->fires = true;
	if (cov != NULL && clean && !has_finding(actual, id))
		cov->clean = true;
	free(expected);
	free(actual);
}

static void
test_fixtures(void **state)
{
	char root[PATH_MAX / 2], dir[PATH_MAX];
	size_t n_cat;
	const struct audit_check *cat = audit_catalog(&n_cat);
	struct coverage *cov = calloc(n_cat, sizeof(*cov));
	struct failures f = {.n = 0};
	struct names dirs, cases;
	size_t n_cases = 0;
	const char *only = getenv("IRSA_AUDIT_CASES");
	char which[1024];

	(void)state;
	assert_non_null(cov);
	buf_init(&f.text, 1 << 20);
	test_data_path("audit", root, sizeof(root));
	names_read(root, true, &dirs);
	for (size_t d = 0; d < dirs.n; d++) {
		const struct audit_check *c = audit_check_find(dirs.v[d]);
		bool named = strcmp(dirs.v[d], "all") == 0 || (c != NULL && strcmp(c->id, dirs.v[d]) == 0);
		size_t matching = 0;

		snprintf(dir, sizeof(dir), "%s/%s", root, dirs.v[d]);
		names_read(dir, true, &cases);
		for (size_t k = 0; k < cases.n; k++) {
			snprintf(which, sizeof(which), "%s/%s", dirs.v[d], cases.v[k]);
			matching += only == NULL || strstr(which, only) != NULL;
		}
		if (matching == 0 && only != NULL) {
			names_release(&cases);
			continue;
		}
		if (!named)
			failure(&f, "audit/%s: a fixture directory is a catalog id (IRSA005) or \"all\"", dirs.v[d]);
		else if (c != NULL && c->status != AUDIT_CHECK_BUILT)
			failure(&f, "audit/%s: %s is not built (the catalog says %s): its cases cannot run", dirs.v[d],
			        c->id, audit_check_status_name(c->status));
		for (size_t k = 0; named && (c == NULL || c->status == AUDIT_CHECK_BUILT) && k < cases.n; k++) {
			snprintf(which, sizeof(which), "%s/%s", dirs.v[d], cases.v[k]);
			if (only != NULL && strstr(which, only) == NULL)
				continue;
			run_case(dirs.v[d], cases.v[k], &f, c != NULL ? &cov[c - cat] : NULL);
			n_cases++;
		}
		names_release(&cases);
	}
	names_release(&dirs);
	for (size_t i = 0; only == NULL && i < n_cat; i++) {
		if (cat[i].status != AUDIT_CHECK_BUILT)
			continue;
		if (!cov[i].fires)
			failure(&f, "%s is built but audit/%s/ has no fires-* case with a finding of it", cat[i].id,
			        cat[i].id);
		if (!cov[i].clean)
			failure(&f, "%s is built but audit/%s/ has no clean-* case without a finding of it", cat[i].id,
			        cat[i].id);
	}
	free(cov);
	print_message("# %zu fixture cases run\n", n_cases);
	if (f.n > 0) {
		fprintf(stderr, "%zu fixture problem(s):\n%s%s", f.n,
		        buf_cstr(&f.text) != NULL ? buf_cstr(&f.text) : "", f.n > MAX_FAILURES_SHOWN ? "  ...\n" : "");
		buf_release(&f.text);
		fail_msg("audit fixtures: %zu problem(s), listed above", f.n);
	}
	buf_release(&f.text);
	if (only != NULL)
		print_message("# IRSA_AUDIT_CASES=%s: coverage rules not checked\n", only);
	assert_true(only != NULL ? n_cases >= 1 : n_cases >= 2); /* at least the two "all" cases */
}

/* What the rules read as a finding line of a check: not a message line
 * that names it, not a not-run line. */
static void
test_finding_lines(void **state)
{
	const char *text = "IRSA005 critical IRSA005:c:role/r fix=rewrite-trust\n"
	                   "    IRSA006 is mentioned in the message\n"
	                   "not-run IRSA003 c no thumbprint\n";

	(void)state;
	assert_true(has_finding(text, "IRSA005"));
	assert_false(has_finding(text, "IRSA006")); /* indented: a message line */
	assert_false(has_finding(text, "IRSA003")); /* not-run */
	assert_false(has_finding(text, "IRSA00"));
	assert_true(has_any_finding(text));
	assert_false(has_any_finding("not-run IRSA003 - why\n"));
	assert_false(has_any_finding(""));
}

/* The golden format of a hand-made result. */
static void
test_format(void **state)
{
	struct audit_result r;
	struct audit_finding f[2];
	struct audit_not_run nr[2];
	char *text;

	(void)state;
	audit_result_init(&r);
	memset(f, 0, sizeof(f));
	f[0].check = audit_check_find("IRSA005");
	f[0].severity = AUDIT_SEV_CRITICAL;
	f[0].ref = (char *)"IRSA005:shop-prod:role/r";
	f[0].message = (char *)"Line one.\nLine two.";
	f[0].fix.action = AUDIT_FIX_REWRITE_TRUST;
	f[0].fix.confirm = true;
	f[1].check = audit_check_find("IRSA015");
	f[1].severity = AUDIT_SEV_LOW;
	f[1].ref = (char *)"IRSA015:shop-prod:sa/a/b";
	f[1].message = (char *)"Manual.";
	nr[0] = (struct audit_not_run){
	        .check = audit_check_find("IRSA003"), .cluster = (char *)"shop-prod", .reason = (char *)"why"};
	nr[1] = (struct audit_not_run){
	        .check = audit_check_find("IRSA004"), .cluster = NULL, .reason = (char *)"no scan"};
	r.v = f;
	r.n = 2;
	r.not_run = nr;
	r.n_not_run = 2;
	text = audit_golden_text(&r);
	assert_string_equal(text, "IRSA005 critical IRSA005:shop-prod:role/r fix=rewrite-trust confirm\n"
	                          "    Line one.\n"
	                          "    Line two.\n"
	                          "IRSA015 low IRSA015:shop-prod:sa/a/b\n"
	                          "    Manual.\n"
	                          "not-run IRSA003 shop-prod why\n"
	                          "not-run IRSA004 - no scan\n");
	free(text);
}

/* --check with an id the catalog does not have: audit_run() refuses it. */
static void
test_unknown_check(void **state)
{
	const char *bad[] = {"IRSA999"}, *near[] = {"IRSA05"}, *good[] = {"irsa005"};
	struct audit_options o = {.checks = bad, .n_checks = 1, .min_severity = AUDIT_SEV_INFO};
	struct audit_input in;
	struct audit_result r;
	struct irsa_error err;
	char path[PATH_MAX];

	(void)state;
	test_data_path("audit/all/clean-correct-binding/snapshot.json", path, sizeof(path));
	assert_int_equal(audit_golden_load(path, &in, &err), 0);
	assert_int_equal(audit_options_check(&o, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "IRSA999"));
	assert_int_equal(audit_run(&in, &o, &r, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "IRSA999"));
	assert_int_equal(r.n, 0);
	o.checks = near;
	assert_int_equal(audit_run(&in, &o, &r, &err), -1);
	assert_non_null(strstr(err.message, "IRSA005"));
	o.checks = good;
	assert_int_equal(audit_options_check(&o, &err), 0);
	assert_int_equal(audit_run(&in, &o, &r, &err), 0);
	audit_result_release(&r);
	audit_input_release(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_format),
	        cmocka_unit_test(test_finding_lines),
	        cmocka_unit_test(test_unknown_check),
	        cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests_name("audit_checks", tests, NULL, NULL);
}
