/* tests/unit/test_plan_read_only.c - read-only mode is enforced in core, not
 * only in the UI: with plan_set_read_only(true), plan_apply() and
 * plan_rollback() refuse with IRSA_ERR_DENIED before touching a client or
 * the journal directory, even for an empty plan; switched off again, they
 * work as before. (The clients are NULL here: a call that reached them
 * would crash.) */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "plan.h"
#include "plan_apply.h"

static void
test_refused(void **state)
{
	struct plan_env env = {NULL, NULL, NULL};
	char dir[] = "/tmp/irsa-ro-XXXXXX", journal[64], jpath[128];
	struct plan_apply_options o = {journal, NULL, NULL, NULL};
	struct plan_apply_result res;
	struct plan_step step;
	struct irsa_error err;
	struct plan p;
	struct stat sb;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(journal, sizeof(journal), "%s/journal", dir);
	snprintf(jpath, sizeof(jpath), "%s/x.json", journal);
	plan_init(&p);
	memset(&step, 0, sizeof(step));
	step.kind = PLAN_STEP_POLICY_ATTACH;
	step.title = "Attach a policy";
	p.steps = &step;
	p.n = 1;

	assert_false(plan_read_only());
	plan_set_read_only(true);
	assert_true(plan_read_only());
	assert_int_equal(plan_apply(&env, &p, &o, &res, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	assert_non_null(strstr(err.message, "read-only mode"));
	assert_null(res.journal_path);
	assert_int_equal(res.done, 0);
	assert_int_equal(res.failed, -1);
	assert_int_equal(stat(journal, &sb), -1); /* no journal directory made */
	plan_apply_result_release(&res);

	p.n = 0; /* even an empty plan */
	assert_int_equal(plan_apply(&env, &p, &o, &res, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	plan_apply_result_release(&res);

	assert_int_equal(plan_rollback(&env, jpath, &o, &res, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	assert_non_null(strstr(err.message, "rollback"));
	plan_apply_result_release(&res);

	/* off again: an empty plan applies (writing nothing), a missing journal
	 * is a missing journal */
	plan_set_read_only(false);
	assert_int_equal(plan_apply(&env, &p, &o, &res, &err), 0);
	plan_apply_result_release(&res);
	assert_int_equal(plan_rollback(&env, jpath, &o, &res, &err), -1);
	assert_int_not_equal(err.kind, IRSA_ERR_DENIED);
	plan_apply_result_release(&res);
	assert_int_equal(stat(journal, &sb), -1);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("plan_read_only", tests, NULL, NULL);
}
