/* tests/unit/aws_test_env.h - the fixture the AWS config, credential and
 * endpoint tests share: a private temporary HOME with config and credentials
 * files in it, and every AWS environment variable saved, cleared for the
 * test and restored after it; and the checks they share. Header-only,
 * included by one test file each. */
#ifndef IRSA_AWS_TEST_ENV_H
#define IRSA_AWS_TEST_ENV_H

#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws_config.h"
#include "error.h"
#include "redact.h"

/* Every variable the code under test reads; each test starts with none set
 * but HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
static const char *const aws_test_vars[] = {
        "HOME",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION",
        "AWS_ACCOUNT_ID",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_EC2_METADATA_DISABLED",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "AWS_EC2_METADATA_V1_DISABLED",
        "AWS_METADATA_SERVICE_TIMEOUT",
        "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_IAM",
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_EKS",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_STS_REGIONAL_ENDPOINTS",
        "AWS_CA_BUNDLE",
};
#define N_AWS_TEST_VARS (sizeof(aws_test_vars) / sizeof(aws_test_vars[0]))

struct aws_test_env {
	char dir[PATH_MAX / 2];
	char config[PATH_MAX];
	char credentials[PATH_MAX];
	char *saved[N_AWS_TEST_VARS];
	int had[N_AWS_TEST_VARS];
};

static int
aws_test_setup(void **state)
{
	struct aws_test_env *t = calloc(1, sizeof(*t));
	const char *tmp = getenv("TMPDIR");
	size_t i;

	if (t == NULL)
		return -1;
	for (i = 0; i < N_AWS_TEST_VARS; i++) {
		const char *v = getenv(aws_test_vars[i]);

		t->had[i] = v != NULL;
		t->saved[i] = v != NULL ? strdup(v) : NULL;
		unsetenv(aws_test_vars[i]);
	}
	snprintf(t->dir, sizeof(t->dir), "%s/irsa-aws-XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->config, sizeof(t->config), "%s/config", t->dir);
	snprintf(t->credentials, sizeof(t->credentials), "%s/credentials", t->dir);
	setenv("HOME", t->dir, 1);
	setenv("AWS_CONFIG_FILE", t->config, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", t->credentials, 1);
	*state = t;
	return 0;
}

static int
aws_test_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
aws_test_teardown(void **state)
{
	struct aws_test_env *t = *state;
	size_t i;

	nftw(t->dir, aws_test_rm, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < N_AWS_TEST_VARS; i++) {
		if (t->had[i])
			setenv(aws_test_vars[i], t->saved[i], 1);
		else
			unsetenv(aws_test_vars[i]);
		free(t->saved[i]);
	}
	free(t);
	return 0;
}

/* Writes text to path (mode 0700 when exec, for helper scripts). */
static inline void
aws_test_write(const char *path, const char *text, int exec)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	if (exec)
		assert_int_equal(chmod(path, 0700), 0);
}

/* Writes the files (NULL: leave that file as it is) and loads them through
 * AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE; fails the test on error. */
static inline struct aws_config *
aws_test_load(struct aws_test_env *t, const char *config, const char *credentials)
{
	struct aws_config *cfg = NULL;
	struct irsa_error err;

	if (config != NULL)
		aws_test_write(t->config, config, 0);
	if (credentials != NULL)
		aws_test_write(t->credentials, credentials, 0);
	if (aws_config_load(&cfg, &err) != 0)
		fail_msg("load failed: %s", err.message);
	return cfg;
}

/* Fails the test unless needle is in haystack. */
static inline void
aws_test_assert_contains(const char *haystack, const char *needle)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", haystack ? haystack : "(null)", needle);
}

/* True when s is registered with the redactor. */
static inline bool
aws_test_is_redacted(const char *s)
{
	char *r = redact_dup(s);
	bool yes = r != NULL && strstr(r, s) == NULL;

	free(r);
	return yes;
}

/* Puts dir/name in out and returns it. */
static inline const char *
aws_test_path(const struct aws_test_env *t, const char *name, char *out, size_t outsz)
{
	if ((size_t)snprintf(out, outsz, "%s/%s", t->dir, name) >= outsz)
		fail_msg("path too long: %s/%s", t->dir, name);
	return out;
}

#endif
