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
#include "golden.h"
#include "trust.h"

#define ISSUER_A   "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
#define ISSUER_B   "oidc.eks.eu-west-1.amazonaws.com/id/5C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F"
#define PROVIDER_A "arn:aws:iam::111122223333:oidc-provider/" ISSUER_A
#define PROVIDER_B "arn:aws:iam::111122223333:oidc-provider/" ISSUER_B
#define ACCOUNT    "111122223333"

/* tests/data/trust/<name>; the caller frees. */
static inline char *
trust_test_read(const char *name)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "trust/%s", name);
	return test_data_read(rel);
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

/* Compares actual with the golden file tests/data/trust/<name>. */
static inline void
trust_test_golden(const char *name, const char *actual)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "trust/%s", name);
	test_data_golden(rel, actual);
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
