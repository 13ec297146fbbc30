/* tests/unit/test_buf.c - the bounded buffer: growth, the cap, sticky
 * failure, detach and wipe. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void
test_empty_is_empty_string(void **state)
{
	struct buf b;

	buf_init(&b, 100);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_release(&b);
}

static void
test_append_and_grow(void **state)
{
	struct buf b;
	int i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_addstr(&b, "abc"), 0);
	assert_int_equal(b.len, 3000);
	assert_int_equal(strlen(buf_cstr(&b)), 3000);
	assert_memory_equal(b.data + 2997, "abc", 4);
	assert_true(b.cap > b.len);
	buf_release(&b);
	assert_null(b.data);
}

static void
test_binary_data_with_nul(void **state)
{
	struct buf b;

	buf_init(&b, 16);
	assert_int_equal(buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b\0", 4);
	buf_release(&b);
}

static void
test_cap_is_exact_and_failure_sticky(void **state)
{
	struct buf b;

	buf_init(&b, 5);
	assert_int_equal(buf_addstr(&b, "12345"), 0);
	assert_false(b.failed);
	assert_int_equal(buf_addch(&b, '6'), -1);
	assert_true(b.failed);
	assert_int_equal(b.error, E2BIG);
	assert_string_equal(buf_cstr(&b), "12345");
	/* Sticky: even an append that would fit is refused now. */
	assert_int_equal(buf_add(&b, "", 0), -1);
	buf_reset(&b);
	assert_false(b.failed);
	assert_int_equal(buf_addstr(&b, "ok"), 0);
	assert_string_equal(buf_cstr(&b), "ok");
	buf_release(&b);
}

static void
test_huge_length_does_not_overflow(void **state)
{
	struct buf b;

	buf_init(&b, SIZE_MAX - 1);
	assert_int_equal(buf_addstr(&b, "x"), 0);
	assert_int_equal(buf_add(&b, "y", SIZE_MAX), -1);
	assert_int_equal(b.error, E2BIG);
	assert_string_equal(buf_cstr(&b), "x");
	buf_release(&b);
}

static void
test_printf(void **state)
{
	struct buf b;

	buf_init(&b, 64);
	assert_int_equal(buf_printf(&b, "%s=%d", "n", 42), 0);
	assert_int_equal(buf_printf(&b, ",%05.1f", 2.5), 0);
	assert_string_equal(buf_cstr(&b), "n=42,002.5");
	assert_int_equal(buf_printf(&b, "%080d", 1), -1);
	assert_int_equal(b.error, E2BIG);
	assert_string_equal(buf_cstr(&b), "n=42,002.5");
	buf_release(&b);
}

static void
test_detach_hands_ownership(void **state)
{
	struct buf b;
	char *s;

	buf_init(&b, 64);
	buf_addstr(&b, "mine");
	s = buf_detach(&b);
	assert_string_equal(s, "mine");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
	s = buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void
test_wipe_zeroes(void **state)
{
	char secret[] = "wJalrXUtnFEMI";
	size_t i;

	buf_wipe(secret, sizeof(secret));
	for (i = 0; i < sizeof(secret); i++)
		assert_int_equal(secret[i], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_empty_is_empty_string),
	        cmocka_unit_test(test_append_and_grow),
	        cmocka_unit_test(test_binary_data_with_nul),
	        cmocka_unit_test(test_cap_is_exact_and_failure_sticky),
	        cmocka_unit_test(test_huge_length_does_not_overflow),
	        cmocka_unit_test(test_printf),
	        cmocka_unit_test(test_detach_hands_ownership),
	        cmocka_unit_test(test_wipe_zeroes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
