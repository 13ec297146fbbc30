/* tests/unit/golden.h - the unit tests' files under tests/data: reading
 * one (IRSA_SRCDIR, else the current directory) and comparing an output
 * with a golden file (IRSA_UPDATE_GOLDEN=1 rewrites it: review the diff).
 * Header-only; include it after cmocka.h. */
#ifndef IRSA_GOLDEN_H
#define IRSA_GOLDEN_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define TEST_DATA_MAX (1 << 20)

/* The path of tests/data/<rel>. */
static inline __attribute__((unused)) void
test_data_path(const char *rel, char *path, size_t size)
{
	const char *src = getenv("IRSA_SRCDIR");

	snprintf(path, size, "%s/tests/data/%s", src != NULL && *src != '\0' ? src : ".", rel);
}

/* The whole file tests/data/<rel>, NUL-terminated; the caller frees. Fails
 * the test when unreadable. */
static inline __attribute__((unused)) char *
test_data_read(const char *rel)
{
	char path[PATH_MAX], chunk[4096];
	struct buf b;
	size_t n;
	FILE *f;

	test_data_path(rel, path, sizeof(path));
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (is IRSA_SRCDIR set?)", path);
	buf_init(&b, TEST_DATA_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_add(&b, chunk, n), 0);
	fclose(f);
	return buf_detach(&b);
}

/* Compares actual with the golden file tests/data/<rel>. */
static inline __attribute__((unused)) void
test_data_golden(const char *rel, const char *actual)
{
	char path[PATH_MAX];
	char *expected;
	FILE *f;

	assert_non_null(actual);
	if (getenv("IRSA_UPDATE_GOLDEN") != NULL) {
		test_data_path(rel, path, sizeof(path));
		f = fopen(path, "wb");
		assert_non_null(f);
		fputs(actual, f);
		fclose(f);
	}
	expected = test_data_read(rel);
	if (strcmp(expected, actual) != 0)
		fail_msg("%s differs from the golden file:\n--- expected\n%s--- actual\n%s", rel, expected, actual);
	free(expected);
}

#endif
