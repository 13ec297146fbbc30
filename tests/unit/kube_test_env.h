/* tests/unit/kube_test_env.h - the fixture the kubeconfig and exec plugin
 * tests share: aws_test_env.h's private temporary HOME (removed after each
 * test, with the AWS variables saved and cleared), and KUBECONFIG and PATH
 * saved and restored around each test as well (KUBECONFIG starts unset);
 * helpers to write files and scripts into it and to load a kubeconfig.
 * Header-only, included by one test file each. */
#ifndef IRSA_KUBE_TEST_ENV_H
#define IRSA_KUBE_TEST_ENV_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aws_test_env.h"
#include "kubeconfig.h"

static const char *const kube_test_vars[] = {"KUBECONFIG", "PATH"};
#define N_KUBE_TEST_VARS (sizeof(kube_test_vars) / sizeof(kube_test_vars[0]))

struct kube_test_env {
	struct aws_test_env *aws;
	char *dir; /* the temporary directory, also HOME */
	char *saved[N_KUBE_TEST_VARS];
	bool had[N_KUBE_TEST_VARS];
};

static int
kube_test_setup(void **state)
{
	struct kube_test_env *t = calloc(1, sizeof(*t));
	void *aws = NULL;
	size_t i;

	if (t == NULL || aws_test_setup(&aws) != 0)
		return -1;
	t->aws = aws;
	t->dir = t->aws->dir;
	for (i = 0; i < N_KUBE_TEST_VARS; i++) {
		const char *v = getenv(kube_test_vars[i]);

		t->had[i] = v != NULL;
		t->saved[i] = v != NULL ? strdup(v) : NULL;
	}
	unsetenv("KUBECONFIG");
	*state = t;
	return 0;
}

static int
kube_test_teardown(void **state)
{
	struct kube_test_env *t = *state;
	void *aws = t->aws;
	size_t i;

	for (i = 0; i < N_KUBE_TEST_VARS; i++) {
		if (t->had[i])
			setenv(kube_test_vars[i], t->saved[i], 1);
		else
			unsetenv(kube_test_vars[i]);
		free(t->saved[i]);
	}
	free(t);
	redact_reset();
	return aws_test_teardown(&aws);
}

/* Writes text to dir/name, making the directories on the way; mode 0700
 * when exec. Returns out, which holds the full path. */
static inline const char *
kube_test_file(const struct kube_test_env *t, const char *name, const char *text, bool exec, char *out, size_t outsz)
{
	char *slash;

	aws_test_path(t->aws, name, out, outsz);
	for (slash = strchr(out + strlen(t->dir) + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(out, 0700) != 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", out, strerror(errno));
		*slash = '/';
	}
	aws_test_write(out, text, exec);
	return out;
}

/* Loads the kubeconfig (explicit may be NULL); fails the test on error. */
static inline struct kubeconfig *
kube_test_load(const char *explicit_path)
{
	struct kubeconfig *cfg = NULL;
	struct irsa_error err;

	if (kubeconfig_load(explicit_path, &cfg, &err) != 0)
		fail_msg("load failed: %s", err.message);
	return cfg;
}

/* Writes one kubeconfig file, loads it alone and resolves context (NULL:
 * the current one); fails the test on error. *cfg is set for freeing. */
static inline struct kube_target *
kube_test_resolve(const struct kube_test_env *t, const char *yaml, const char *context, struct kubeconfig **cfg)
{
	struct kube_target *target = NULL;
	struct irsa_error err;
	char path[PATH_MAX];

	*cfg = kube_test_load(kube_test_file(t, "kubeconfig", yaml, false, path, sizeof(path)));
	if (kubeconfig_resolve(*cfg, context, &target, &err) != 0)
		fail_msg("resolve failed: %s", err.message);
	return target;
}

#endif
