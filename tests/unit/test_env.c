/* tests/unit/test_env.c - the environment overlay: reads over the process
 * environment, unset entries, the last setting winning, and the envp a
 * child is started with; the process environment is never changed. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "env.h"

static int
setup(void **state)
{
	(void)state;
	setenv("IRSA_TEST_KEPT", "process", 1);
	setenv("IRSA_TEST_OVER", "process", 1);
	setenv("IRSA_TEST_GONE", "process", 1);
	unsetenv("IRSA_TEST_NEW");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unsetenv("IRSA_TEST_KEPT");
	unsetenv("IRSA_TEST_OVER");
	unsetenv("IRSA_TEST_GONE");
	return 0;
}

static struct env *
overlay(void)
{
	struct env *e = env_new();

	assert_non_null(e);
	assert_int_equal(env_set(e, "IRSA_TEST_OVER", "first"), 0);
	assert_int_equal(env_set(e, "IRSA_TEST_NEW", "new"), 0);
	assert_int_equal(env_set(e, "IRSA_TEST_GONE", NULL), 0);
	assert_int_equal(env_set(e, "IRSA_TEST_OVER", "overlay"), 0); /* the last one wins */
	return e;
}

static void
test_get_reads_the_overlay_then_the_process(void **state)
{
	struct env *e = overlay();

	(void)state;
	assert_string_equal(env_get(e, "IRSA_TEST_OVER"), "overlay");
	assert_string_equal(env_get(e, "IRSA_TEST_NEW"), "new");
	assert_string_equal(env_get(e, "IRSA_TEST_KEPT"), "process");
	assert_null(env_get(e, "IRSA_TEST_GONE"));
	assert_null(env_get(e, "IRSA_TEST_OVER_")); /* a longer name is another name */
	/* The process environment is untouched. */
	assert_string_equal(getenv("IRSA_TEST_OVER"), "process");
	assert_string_equal(getenv("IRSA_TEST_GONE"), "process");
	assert_null(getenv("IRSA_TEST_NEW"));
	env_free(e);
}

static void
test_null_env_is_getenv(void **state)
{
	(void)state;
	assert_string_equal(env_get(NULL, "IRSA_TEST_OVER"), "process");
	assert_null(env_get(NULL, "IRSA_TEST_NEW"));
	env_free(NULL);
	env_envp_free(NULL);
}

static void
test_bad_name_is_refused(void **state)
{
	struct env *e = env_new();

	(void)state;
	assert_int_equal(env_set(e, "", "x"), -1);
	assert_null(env_get(e, ""));
	env_free(e);
}

/* How many entries of envp start with prefix, and the last one found. */
static int
count(char **envp, const char *prefix, const char **found)
{
	int n = 0;

	*found = NULL;
	for (; *envp != NULL; envp++)
		if (strncmp(*envp, prefix, strlen(prefix)) == 0) {
			*found = *envp;
			n++;
		}
	return n;
}

static void
test_envp_lays_the_overlay_over_the_process(void **state)
{
	struct env *e = overlay();
	char **envp = env_envp(e);
	const char *v;

	(void)state;
	assert_non_null(envp);
	assert_int_equal(count(envp, "IRSA_TEST_OVER=", &v), 1);
	assert_string_equal(v, "IRSA_TEST_OVER=overlay");
	assert_int_equal(count(envp, "IRSA_TEST_NEW=", &v), 1);
	assert_string_equal(v, "IRSA_TEST_NEW=new");
	assert_int_equal(count(envp, "IRSA_TEST_KEPT=", &v), 1);
	assert_string_equal(v, "IRSA_TEST_KEPT=process");
	assert_int_equal(count(envp, "IRSA_TEST_GONE=", &v), 0);
	assert_int_equal(count(envp, "PATH=", &v), getenv("PATH") != NULL ? 1 : 0);
	env_envp_free(envp);
	env_free(e);
}

static void
test_envp_of_no_overlay_is_the_process(void **state)
{
	char **envp = env_envp(NULL);
	const char *v;

	(void)state;
	assert_non_null(envp);
	assert_int_equal(count(envp, "IRSA_TEST_GONE=", &v), 1);
	assert_string_equal(v, "IRSA_TEST_GONE=process");
	assert_int_equal(count(envp, "IRSA_TEST_NEW=", &v), 0);
	env_envp_free(envp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_get_reads_the_overlay_then_the_process, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_null_env_is_getenv, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_name_is_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_envp_lays_the_overlay_over_the_process, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_envp_of_no_overlay_is_the_process, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
