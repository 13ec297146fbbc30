/* tests/unit/test_editdist.c - the edit distance behind "did you mean". */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "editdist.h"

static void
test_known_distances(void **state)
{
	assert_int_equal(editdist("", "", false), 0);
	assert_int_equal(editdist("", "abc", false), 3);
	assert_int_equal(editdist("abc", "", false), 3);
	assert_int_equal(editdist("version", "version", false), 0);
	assert_int_equal(editdist("versoin", "version", false), 2); /* a swap is two edits */
	assert_int_equal(editdist("kitten", "sitting", false), 3);
	assert_int_equal(editdist("ec3", "ec2", false), 1);
	assert_int_equal(editdist("lamda", "lambda", false), 1);
	assert_int_equal(editdist("flaw", "lawn", false), 2);
}

static void
test_case(void **state)
{
	assert_int_equal(editdist("EC2", "ec2", false), 2);
	assert_int_equal(editdist("EC2", "ec2", true), 0);
	assert_int_equal(editdist("Lambda", "lambda", true), 0);
}

static void
test_symmetric_and_capped(void **state)
{
	char long_name[EDITDIST_MAX + 2];

	assert_int_equal(editdist("clusters", "clustres", false), editdist("clustres", "clusters", false));
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(editdist(long_name, "x", false), EDITDIST_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_distances),
	        cmocka_unit_test(test_case),
	        cmocka_unit_test(test_symmetric_and_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
