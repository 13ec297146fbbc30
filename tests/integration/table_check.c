/* tests/integration/table_check.c - the list widget (tui/table.c) without a
 * real terminal: rows by key (a replaced row keeps its place), the filter
 * (case-insensitive, every cell; narrowing and widening give what a full
 * scan gives), the selection kept by key across filters, sorts and
 * removals, navigation, drawing cut by display width with "…" or "...",
 * and the time of one filter keystroke over 20,000 rows x 4 cells (under
 * 10 ms, 50 ms with ASan; IRSA_TABLE_FILTER_MS changes the limit). Curses
 * draws into a screen whose output goes to /dev/null; the test reads it
 * back with mvinnwstr(). */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <cmocka.h>

#include "table.h"

/* The table needs only this from the theme: attributes by role. */
attr_t
theme_attr(const struct theme *t, enum theme_role r)
{
	switch (r) {
	case THEME_TABLE_CURSOR:
		return A_REVERSE;
	case THEME_TABLE_HEADER:
		return A_BOLD;
	case THEME_STATUS_ERROR:
		return A_UNDERLINE;
	default:
		return A_NORMAL;
	}
}

static const struct table_column cols[] = {
        {"NAME", 10, true},
        {"ROLE", 8, true},
        {"STATUS", 6, false},
};

static struct table *
sample(void)
{
	struct table *t = table_new(cols, 3);
	const char *rows[][3] = {
	        {"aws-node", "arn:aws:iam::1:role/cni", "ok"},
	        {"ebs-csi", "arn:aws:iam::1:role/ebs", "ok"},
	        {"orders-api", "arn:aws:iam::1:role/Orders", "missing"},
	        {"web", NULL, "unbound"},
	};

	assert_non_null(t);
	for (size_t i = 0; i < 4; i++) {
		char key[64];

		snprintf(key, sizeof(key), "ns/%s", rows[i][0]);
		assert_int_equal(table_set_row(t, key, rows[i], THEME_BODY), 0);
	}
	return t;
}

static void
rows_by_key(void **state)
{
	struct table *t = sample();
	const char *cells[3] = {"orders-api", "arn:aws:iam::1:role/Orders2", "ok"};

	assert_int_equal(table_total(t), 4);
	assert_int_equal(table_shown(t), 4);
	assert_string_equal(table_selected(t), "ns/aws-node");
	assert_string_equal(table_selected_cell(t, 0), "aws-node");
	assert_string_equal(table_filter(t), "");
	/* Replacing keeps the place and the count. */
	assert_int_equal(table_set_row(t, "ns/orders-api", cells, THEME_STATUS_OK), 0);
	assert_int_equal(table_total(t), 4);
	table_key(t, 'G', 10);
	table_key(t, 'k', 10);
	assert_string_equal(table_selected(t), "ns/orders-api");
	assert_string_equal(table_selected_cell(t, 1), "arn:aws:iam::1:role/Orders2");
	/* A NULL cell reads as "". */
	table_key(t, 'j', 10);
	assert_string_equal(table_selected_cell(t, 1), "");
	assert_null(table_selected_cell(t, 3));
	table_free(t);
}

static void
filter_matches_any_cell_ignoring_case(void **state)
{
	struct table *t = sample();

	table_set_filter(t, "ORDERS");
	assert_int_equal(table_shown(t), 1);
	assert_string_equal(table_filter(t), "ORDERS");
	assert_string_equal(table_selected(t), "ns/orders-api");
	table_set_filter(t, "role/");
	assert_int_equal(table_shown(t), 3);
	table_set_filter(t, "unbound");
	assert_int_equal(table_shown(t), 1);
	/* No match across the cell boundary. */
	table_set_filter(t, "webarn");
	assert_int_equal(table_shown(t), 0);
	assert_null(table_selected(t));
	assert_null(table_selected_cell(t, 0));
	table_set_filter(t, "");
	assert_int_equal(table_shown(t), 4);
	table_set_filter(t, NULL);
	assert_int_equal(table_shown(t), 4);
	table_free(t);
}

static void
selection_follows_the_key(void **state)
{
	struct table *t = sample();

	table_select(t, "ns/ebs-csi");
	assert_string_equal(table_selected(t), "ns/ebs-csi");
	/* Still shown: kept. */
	table_set_filter(t, "-");
	assert_string_equal(table_selected(t), "ns/ebs-csi");
	/* Nothing shown, then back: kept. */
	table_set_filter(t, "zzz");
	assert_null(table_selected(t));
	table_set_filter(t, "");
	assert_string_equal(table_selected(t), "ns/ebs-csi");
	/* Hidden: the nearest row after it, which stays when the filter
	 * clears (the row found by filtering). */
	table_set_filter(t, "un");
	assert_int_equal(table_shown(t), 1);
	assert_string_equal(table_selected(t), "ns/web");
	table_set_filter(t, "");
	assert_string_equal(table_selected(t), "ns/web");
	table_select(t, "ns/ebs-csi");
	/* A sort moves the row, not the selection. */
	table_sort(t, 2); /* STATUS: missing, ok, ok, unbound (stable) */
	assert_string_equal(table_selected(t), "ns/ebs-csi");
	table_key(t, 'g', 10);
	assert_string_equal(table_selected(t), "ns/orders-api");
	table_key(t, 'j', 10);
	assert_string_equal(table_selected(t), "ns/aws-node"); /* stable: aws-node before ebs-csi */
	/* Selecting a hidden row does nothing. */
	table_set_filter(t, "web");
	table_select(t, "ns/ebs-csi");
	assert_string_equal(table_selected(t), "ns/web");
	table_free(t);
}

static void
removal_and_clear(void **state)
{
	struct table *t = sample();
	const char *cells[3] = {"ebs-csi", "again", "ok"};

	table_select(t, "ns/orders-api");
	table_remove_row(t, "ns/orders-api");
	table_remove_row(t, "ns/nope");
	assert_int_equal(table_total(t), 3);
	assert_int_equal(table_shown(t), 3);
	assert_string_equal(table_selected(t), "ns/web"); /* the next one */
	table_remove_row(t, "ns/web");
	assert_string_equal(table_selected(t), "ns/ebs-csi");
	/* Removed then set again before the next refresh: back in place. */
	table_remove_row(t, "ns/aws-node");
	assert_int_equal(table_set_row(t, "ns/aws-node", cells, THEME_BODY), 0);
	table_key(t, 'g', 10);
	assert_string_equal(table_selected(t), "ns/aws-node");
	table_clear(t);
	assert_int_equal(table_total(t), 0);
	assert_int_equal(table_shown(t), 0);
	assert_null(table_selected(t));
	table_free(t);
}

static void
natural_sort(void **state)
{
	const struct table_column c1[] = {{"NAME", 10, true}};
	struct table *t = table_new(c1, 1);
	const char *names[] = {"pod-10", "pod-9", "pod-100", "alpha", "pod-09x"};
	const char *want[] = {"alpha", "pod-9", "pod-09x", "pod-10", "pod-100"};

	for (size_t i = 0; i < 5; i++)
		assert_int_equal(table_set_row(t, names[i], &names[i], THEME_BODY), 0);
	table_sort(t, 0);
	table_key(t, 'g', 10);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(table_selected(t), want[i]);
		table_key(t, 'j', 10);
	}
	table_free(t);
}

static void
navigation_keys(void **state)
{
	const struct table_column c1[] = {{"N", 4, true}};
	struct table *t = table_new(c1, 1);
	char key[16];
	const char *cell = key;

	assert_true(table_key(t, 'j', 10)); /* empty: still a navigation key */
	assert_null(table_selected(t));
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "r%03d", i);
		table_set_row(t, key, &cell, THEME_BODY);
	}
	assert_true(table_key(t, KEY_NPAGE, 10));
	assert_string_equal(table_selected(t), "r010");
	assert_true(table_key(t, 6, 10)); /* C-f */
	assert_string_equal(table_selected(t), "r020");
	assert_true(table_key(t, KEY_PPAGE, 10));
	assert_string_equal(table_selected(t), "r010");
	assert_true(table_key(t, KEY_END, 10));
	assert_string_equal(table_selected(t), "r099");
	assert_true(table_key(t, KEY_DOWN, 10));
	assert_string_equal(table_selected(t), "r099");
	assert_true(table_key(t, KEY_HOME, 10));
	assert_true(table_key(t, KEY_UP, 10));
	assert_string_equal(table_selected(t), "r000");
	assert_false(table_key(t, 'x', 10));
	table_free(t);
}

/* --- drawing ----------------------------------------------------------- */

static SCREEN *scr;
static FILE *scr_out, *scr_in;

static int
curses_up(void **state)
{
	scr_out = fopen("/dev/null", "w");
	scr_in = fopen("/dev/null", "r");
	scr = newterm("xterm", scr_out, scr_in);
	if (scr == NULL)
		return -1;
	set_term(scr);
	resizeterm(8, 40);
	return 0;
}

static int
curses_down(void **state)
{
	endwin();
	delscreen(scr);
	fclose(scr_out);
	fclose(scr_in);
	return 0;
}

static void
line_at(int y, int width, char *out, size_t n)
{
	wchar_t w[256];
	int len = mvinnwstr(y, 0, w, width);

	w[len > 0 ? len : 0] = L'\0';
	wcstombs(out, w, n);
	out[n - 1] = '\0';
}

static void
draws_visible_rows_cut_by_width(void **state)
{
	struct table *t = sample();
	char line[512];

	erase();
	table_draw(t, NULL, 0, 0, 4, 40); /* header + 3 of the 4 rows */
	line_at(0, COLS, line, sizeof(line));
	assert_string_equal(line, "NAME              ROLE            STATUS");
	assert_true(mvinch(0, 0) & A_BOLD);
	line_at(1, COLS, line, sizeof(line));
	/* NAME and ROLE share the spare width (16, 14), STATUS keeps 6; ROLE
	 * is cut with the ellipsis (a UTF-8 locale). */
	assert_string_equal(line, "aws-node          arn:aws:iam::\xe2\x80\xa6  ok    ");
	assert_true(mvinch(1, 0) & A_REVERSE); /* the cursor row */
	assert_false(mvinch(2, 0) & A_REVERSE);
	line_at(3, COLS, line, sizeof(line));
	assert_string_equal(line, "orders-api        arn:aws:iam::\xe2\x80\xa6  missi\xe2\x80\xa6");
	/* The cursor past the bottom scrolls the rows. */
	table_key(t, 'G', 3);
	erase();
	table_draw(t, NULL, 0, 0, 4, 40);
	line_at(3, COLS, line, sizeof(line));
	assert_string_equal(line, "web                               unbou\xe2\x80\xa6");
	line_at(1, COLS, line, sizeof(line));
	assert_string_equal(line, "ebs-csi           arn:aws:iam::\xe2\x80\xa6  ok    ");
	/* Nothing matches: said on the first row. */
	table_set_filter(t, "zzz");
	erase();
	table_draw(t, NULL, 0, 0, 4, 40);
	line_at(1, COLS, line, sizeof(line));
	assert_string_equal(line, "nothing matches \"zzz\"                   ");
	table_free(t);
}

static void
ascii_locale_and_wide_cells(void **state)
{
	const struct table_column c1[] = {{"NAME", 6, false}, {"X", 1, true}};
	struct table *t = table_new(c1, 2);
	const char *wide[2] = {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe5\x90\x8d\xe5\x89\x8d",
	                       "x"}; /* 6 CJK */
	const char *ctl[2] = {"a\tb\nc", "y"};
	char line[512];

	table_set_row(t, "w", wide, THEME_BODY);
	table_set_row(t, "c", ctl, THEME_BODY);
	erase();
	table_draw(t, NULL, 0, 0, 3, 12);
	line_at(1, 10, line, sizeof(line)); /* 10 characters, 12 cells */
	/* 6 cells: two CJK characters (4 cells) and the ellipsis, padded. */
	assert_string_equal(line, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6   x   ");
	line_at(2, 12, line, sizeof(line));
	assert_string_equal(line, "a?b?c   y   "); /* controls shown as ? */

	setlocale(LC_CTYPE, "C");
	erase();
	table_draw(t, NULL, 0, 0, 3, 12);
	setlocale(LC_CTYPE, "C.UTF-8");
	line_at(1, 12, line, sizeof(line));
	assert_string_equal(line, "???...  x   "); /* ASCII only */
	table_free(t);
}

/* --- 20,000 rows ------------------------------------------------------- */

/* The limit is for an optimised build; sanitizers make every strstr() and
 * memory access several times slower. */
#if defined(__SANITIZE_ADDRESS__)
#define TABLE_FILTER_MS 50.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TABLE_FILTER_MS 50.0
#endif
#endif
#ifndef TABLE_FILTER_MS
#define TABLE_FILTER_MS 10.0
#endif

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void
filter_keystroke_over_20000_rows(void **state)
{
	const struct table_column c4[] = {
	        {"NAMESPACE", 12, false}, {"NAME", 20, true}, {"ROLE", 20, true}, {"STATUS", 8, false}};
	struct table *t = table_new(c4, 4);
	const char *typed = "orders-api-12345";
	const char *limit_env = getenv("IRSA_TABLE_FILTER_MS");
	double limit = limit_env != NULL ? atof(limit_env) : TABLE_FILTER_MS, worst = 0, t0, dt, load;
	char ns[32], name[64], role[128], key[128], prefix[32];
	double best[64];
	const char *cells[4] = {ns, name, role, "ok"};
	size_t n = strlen(typed), shown;

	t0 = now_ms();
	for (int i = 0; i < 20000; i++) {
		snprintf(ns, sizeof(ns), "team-%03d", i % 400);
		snprintf(name, sizeof(name), "%s-%d", i % 3 == 0 ? "orders-api" : i % 3 == 1 ? "payments" : "web", i);
		snprintf(role, sizeof(role), "arn:aws:iam::123456789012:role/irsa-%s-%d", ns, i);
		snprintf(key, sizeof(key), "%s/%s", ns, name);
		assert_int_equal(table_set_row(t, key, cells, THEME_BODY), 0);
	}
	load = now_ms() - t0;
	assert_int_equal(table_total(t), 20000);
	/* Typing, then deleting, one character at a time; three rounds, and
	 * each keystroke's best time counts, so a busy machine's scheduling
	 * noise does not decide the result. */
	for (size_t i = 0; i < 2 * n; i++)
		best[i] = 1e9;
	for (int round = 0; round < 3; round++) {
		for (size_t i = 1; i <= 2 * n; i++) {
			size_t len = i <= n ? i : 2 * n - i;

			snprintf(prefix, sizeof(prefix), "%.*s", (int)len, typed);
			t0 = now_ms();
			table_set_filter(t, prefix);
			shown = table_shown(t);
			(void)table_selected(t);
			dt = now_ms() - t0;
			if (dt < best[i - 1])
				best[i - 1] = dt;
			if (len == n)
				assert_int_equal(shown, 1);
			if (round == 0 && getenv("IRSA_TABLE_VERBOSE") != NULL)
				print_message("# /%s: %.2f ms, %zu shown\n", prefix, dt, shown);
		}
	}
	for (size_t i = 0; i < 2 * n; i++)
		if (best[i] > worst)
			worst = best[i];
	print_message("# 20000 rows loaded in %.1f ms; worst filter keystroke %.2f ms (limit %.0f ms)\n", load, worst,
	              limit);
	t0 = now_ms();
	table_sort(t, 1);
	print_message("# sort by NAME: %.1f ms\n", now_ms() - t0);
	table_free(t);
	assert_true(worst < limit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(rows_by_key),
	        cmocka_unit_test(filter_matches_any_cell_ignoring_case),
	        cmocka_unit_test(selection_follows_the_key),
	        cmocka_unit_test(removal_and_clear),
	        cmocka_unit_test(natural_sort),
	        cmocka_unit_test(navigation_keys),
	        cmocka_unit_test(filter_keystroke_over_20000_rows),
	        cmocka_unit_test_setup_teardown(draws_visible_rows_cut_by_width, curses_up, curses_down),
	        cmocka_unit_test_setup_teardown(ascii_locale_and_wide_cells, curses_up, curses_down),
	};
	int failed;

	setlocale(LC_ALL, "C.UTF-8");
	failed = cmocka_run_group_tests_name("table", tests, NULL, NULL);
	return failed;
}
