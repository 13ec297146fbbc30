/* tests/unit/trust_test_env.h - what the trust policy tests share: the two
 * example clusters' issuers and provider ARNs, reading documents from
 * tests/data/trust (under $IRSA_SRCDIR, else "."), and comparing with golden
 * files there (IRSA_UPDATE_GOLDEN=1 rewrites them; review the diff).
 * Header-only, included by one test file each. */
#ifndef IRSA_TRUST_TEST_ENV_H
#define IRSA_TRUST_TEST_ENV_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "trust.h"

#define ISSUER_A   "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
#define ISSUER_B   "oidc.eks.eu-west-1.amazonaws.com/id/5C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F"
#define PROVIDER_A "arn:aws:iam::111122223333:oidc-provider/" ISSUER_A
#define PROVIDER_B "arn:aws:iam::111122223333:oidc-provider/" ISSUER_B
#define ACCOUNT    "111122223333"

static inline void
trust_test_path(const char *name, char *path, size_t size)
{
	const char *src = getenv("IRSA_SRCDIR");

	snprintf(path, size, "%s/tests/data/trust/%s", src != NULL ? src : ".", name);
}

/* The file's contents; the caller frees. Fails the test when unreadable. */
static inline char *
trust_test_read(const char *name)
{
	char path[PATH_MAX], chunk[4096];
	struct buf b;
	size_t n;
	FILE *f;

	trust_test_path(name, path, sizeof(path));
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (is IRSA_SRCDIR set?)", path);
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_add(&b, chunk, n), 0);
	fclose(f);
	return buf_detach(&b);
}

/* The parsed document; the caller frees with trust_free(). */
static inline struct trust *
trust_test_load(const char *name)
{
	struct irsa_error err;
	char *doc = trust_test_read(name);
	struct trust *t = trust_parse(doc, &err);

	if (t == NULL)
		fail_msg("%s: %s", name, err.message);
	free(doc);
	return t;
}

/* Compares actual with the golden file name. */
static inline void
trust_test_golden(const char *name, const char *actual)
{
	char path[PATH_MAX];
	char *expected;
	FILE *f;

	assert_non_null(actual);
	if (getenv("IRSA_UPDATE_GOLDEN") != NULL) {
		trust_test_path(name, path, sizeof(path));
		f = fopen(path, "wb");
		assert_non_null(f);
		fputs(actual, f);
		fclose(f);
	}
	expected = trust_test_read(name);
	if (strcmp(expected, actual) != 0)
		fail_msg("%s differs from the golden file:\n--- expected\n%s--- actual\n%s", name, expected, actual);
	free(expected);
}

/* The canonical JSON of t compared with a golden file. */
static inline void
trust_test_golden_doc(const char *name, const struct trust *t)
{
	char *json = trust_to_json(t);

	trust_test_golden(name, json);
	free(json);
}

#endif
