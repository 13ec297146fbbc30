/* tests/unit/test_shlex.c - splitting a command as Python's shlex.split()
 * does: quotes, backslashes, no comments, and the errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "error.h"
#include "shlex.h"

static void
test_shell_split(void **state)
{
	/* expected values from Python's shlex.split() */
	static const struct {
		const char *in;
		const char *out[8];
	} cases[] = {
	        {"a 'b c' \"d \\\" e\" f\\ g h\"i\"j '' \"x\\y\"", {"a", "b c", "d \" e", "f g", "hij", "", "x\\y"}},
	        {"  /bin/helper   --flag=1\t--x # not-a-comment",
	         {"/bin/helper", "--flag=1", "--x", "#", "not-a-comment"}},
	        {"'it''s' \"a\\\\b\" 'c\\d'", {"its", "a\\b", "c\\d"}},
	        {"", {NULL}},
	};
	struct irsa_error err;
	size_t i, j, argc;
	char **argv;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(shlex_split(cases[i].in, &argv, &argc, &err), 0);
		for (j = 0; cases[i].out[j] != NULL; j++) {
			assert_true(j < argc);
			assert_string_equal(argv[j], cases[i].out[j]);
		}
		assert_int_equal(argc, j);
		assert_null(argv[argc]);
		for (j = 0; j < argc; j++)
			free(argv[j]);
		free(argv);
	}
	assert_int_equal(shlex_split("a \"b", &argv, &argc, &err), -1);
	assert_int_equal(shlex_split("a b\\", &argv, &argc, &err), -1);
	assert_non_null(strstr(err.message, "backslash"));
}

/* --- running -------------------------------------------------------------- */

#define T(f) cmocka_unit_test(f)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_shell_split),
	};

	return cmocka_run_group_tests_name("shlex", tests, NULL, NULL);
}
