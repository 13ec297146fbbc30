/* tests/unit/test_aws_time.c - the timestamps AWS writes, with fractions,
 * offsets and "UTC", and what is not one. */
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

#include "aws_time.h"

static void
test_parse_time(void **state)
{
	time_t t;

	assert_int_equal(aws_parse_time("2030-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01T00:00:00.123456Z", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01T02:30:00+02:30", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2029-12-31T23:00:00-0100", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01T00:00:00UTC", &t), 0);
	assert_int_equal(t, 1893456000);
	/* what IAM, STS and EKS answers carry; RFC 3339's other separators */
	assert_int_equal(aws_parse_time("2029-12-31T23:00:00.000-01:00", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01t00:00:00Z", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01 00:00:00+00:00", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01T00:00:00", &t), 0);
	assert_int_equal(t, 1893456000);
	assert_int_equal(aws_parse_time("2030-01-01", &t), -1);
	assert_int_equal(aws_parse_time("2030-01-01X00:00:00Z", &t), -1);
	assert_int_equal(aws_parse_time("2030-01-01T00:00:00Zjunk", &t), -1);
}

/* --- running -------------------------------------------------------------- */

#define T(f) cmocka_unit_test(f)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_parse_time),
	};

	return cmocka_run_group_tests_name("aws_time", tests, NULL, NULL);
}
