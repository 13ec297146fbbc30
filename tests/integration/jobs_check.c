/* tests/integration/jobs_check.c - the UI's job pool (tui/jobs.c) without a
 * terminal: results and errors reach the UI thread through jobs_fd(),
 * progress events fold and come before the result, cancelling one job or
 * every job of an owner stops them and drops their events, free_arg runs
 * exactly once on every path, and jobs_free() leaves nothing behind (run
 * it under ASan: make check-unit in a --enable-sanitizers build). */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "jobs.h"

static int owner_a, owner_b;

/* The next event, waiting on jobs_fd() as the UI loop does; NULL after
 * timeout_ms. */
static struct job *
next_event(struct jobs *js, int timeout_ms)
{
	struct pollfd p = {.fd = jobs_fd(js), .events = POLLIN};
	struct job *j;

	for (int waited = 0; waited <= timeout_ms; waited += 10) {
		if ((j = jobs_collect(js)) != NULL)
			return j;
		poll(&p, 1, 10);
	}
	return NULL;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static int
job_double(struct job *j, void *arg, struct irsa_error *err)
{
	int *v = arg;

	*v *= 2;
	return 0;
}

static int
job_fail(struct job *j, void *arg, struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_NOT_FOUND, "role %s does not exist", (const char *)arg);
}

static void
result_reaches_the_ui_thread(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(2, &err);
	int v = 21;
	struct job *j, *ev;

	assert_non_null(js);
	j = jobs_start(js, &owner_a, "double", job_double, &v, &err);
	assert_non_null(j);
	ev = next_event(js, 5000);
	assert_ptr_equal(ev, j);
	assert_false(job_is_progress(ev));
	assert_int_equal(job_rc(ev), 0);
	assert_ptr_equal(job_owner(ev), &owner_a);
	assert_ptr_equal(job_arg(ev), &v);
	assert_string_equal(job_what(ev), "double");
	assert_false(job_cancelled(ev));
	assert_int_equal(v, 42);
	job_release(ev);
	assert_null(jobs_collect(js));
	jobs_free(js);
}

static void
error_comes_back_with_the_job(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(1, &err);
	struct job *ev;

	assert_non_null(jobs_start(js, &owner_a, "get role", job_fail, "web", &err));
	ev = next_event(js, 5000);
	assert_non_null(ev);
	assert_int_equal(job_rc(ev), -1);
	assert_int_equal(job_error(ev)->kind, IRSA_ERR_NOT_FOUND);
	assert_string_equal(job_error(ev)->message, "role web does not exist");
	job_release(ev);
	jobs_free(js);
}

/* Pages arriving: the job posts progress after each; the UI sees some of
 * them (folded while it is busy) and then the result, in that order. */
struct pages {
	pthread_mutex_t mu;
	int done;
	int total;
};

static int
job_pages(struct job *j, void *arg, struct irsa_error *err)
{
	struct pages *p = arg;

	for (int i = 0; i < p->total; i++) {
		pthread_mutex_lock(&p->mu);
		p->done++;
		pthread_mutex_unlock(&p->mu);
		job_progress(j);
		sleep_ms(1);
	}
	return 0;
}

static void
progress_folds_and_precedes_the_result(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(2, &err);
	struct pages p = {.total = 50};
	struct job *ev;
	int progress = 0, last_seen = 0;
	bool finished = false;

	pthread_mutex_init(&p.mu, NULL);
	assert_non_null(jobs_start(js, &owner_a, "pages", job_pages, &p, &err));
	while (!finished && (ev = next_event(js, 5000)) != NULL) {
		assert_ptr_equal(job_arg(ev), &p);
		assert_ptr_equal(job_owner(ev), &owner_a);
		if (job_is_progress(ev)) {
			progress++;
			pthread_mutex_lock(&p.mu);
			assert_true(p.done >= last_seen);
			last_seen = p.done;
			pthread_mutex_unlock(&p.mu);
			sleep_ms(5); /* a slow UI: progress posts fold meanwhile */
		} else {
			finished = true;
			assert_int_equal(job_rc(ev), 0);
		}
		job_release(ev);
	}
	assert_true(finished);
	assert_true(progress >= 1);
	assert_true(progress < p.total); /* folded */
	assert_null(jobs_collect(js));
	pthread_mutex_destroy(&p.mu);
	jobs_free(js);
}

/* A job that waits for its cancel flag, with a hook like kube_client_cancel(). */
struct waiter {
	int hook_called;
	int started;
	int freed;
};

static bool
started(struct waiter *w)
{
	return __atomic_load_n(&w->started, __ATOMIC_SEQ_CST) != 0;
}

static void
hook(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->hook_called, 1, __ATOMIC_SEQ_CST);
}

static int
job_wait_cancel(struct job *j, void *arg, struct irsa_error *err)
{
	struct waiter *w = arg;
	const volatile int *cancel = job_cancel_flag(j);

	job_on_cancel(j, hook, w);
	__atomic_store_n(&w->started, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(cancel, __ATOMIC_SEQ_CST)) /* as core polls its cancel flag */
		sleep_ms(1);
	job_on_cancel(j, NULL, NULL);
	return irsa_error_set(err, IRSA_ERR_CANCELLED, "stopped");
}

static void
count_free(void *arg)
{
	struct waiter *w = arg;

	w->freed++;
}

static void
one_job_cancels(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(2, &err);
	struct waiter w = {0};
	struct job *j, *ev;

	j = jobs_start_with_free(js, &owner_a, "wait", job_wait_cancel, &w, count_free, &err);
	assert_non_null(j);
	while (!started(&w))
		sleep_ms(1);
	job_cancel(j);
	ev = next_event(js, 5000);
	assert_ptr_equal(ev, j);
	assert_true(w.hook_called);
	assert_true(job_cancelled(ev));
	assert_int_equal(job_rc(ev), -1);
	assert_int_equal(job_error(ev)->kind, IRSA_ERR_CANCELLED);
	assert_int_equal(w.freed, 0);
	job_release(ev);
	assert_int_equal(w.freed, 1);
	jobs_free(js);
}

static void
leaving_owner_drops_its_events(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(1, &err);
	struct waiter running = {0}, queued = {0};
	int v = 5;
	struct job *ev;

	/* One worker: the first job runs, the second waits in the queue,
	 * the third (another owner) waits behind them. */
	assert_non_null(jobs_start_with_free(js, &owner_a, "run", job_wait_cancel, &running, count_free, &err));
	assert_non_null(jobs_start_with_free(js, &owner_a, "queued", job_wait_cancel, &queued, count_free, &err));
	assert_non_null(jobs_start(js, &owner_b, "other", job_double, &v, &err));
	while (!started(&running))
		sleep_ms(1);
	jobs_cancel_owner(js, &owner_a);
	assert_int_equal(queued.freed, 1); /* never ran: freed at once */
	assert_false(started(&queued));
	assert_true(running.hook_called);

	ev = next_event(js, 5000); /* owner_a's result is dropped on the way */
	assert_non_null(ev);
	assert_ptr_equal(job_owner(ev), &owner_b);
	assert_int_equal(v, 10);
	job_release(ev);
	assert_int_equal(running.freed, 1);
	assert_null(jobs_collect(js));
	jobs_free(js);
}

static void
free_cancels_and_frees_everything(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(2, &err);
	struct waiter w[5];
	int v = 1;

	memset(w, 0, sizeof(w));
	for (int i = 0; i < 5; i++)
		assert_non_null(jobs_start_with_free(js, &owner_a, "wait", job_wait_cancel, &w[i], count_free, &err));
	assert_non_null(jobs_start(js, &owner_b, "double", job_double, &v, &err));
	while (!started(&w[0]) || !started(&w[1]))
		sleep_ms(1);
	jobs_free(js); /* two running, three queued, nothing collected */
	for (int i = 0; i < 5; i++)
		assert_int_equal(w[i].freed, 1);
}

static int
job_count(struct job *j, void *arg, struct irsa_error *err)
{
	int *n = arg;

	__atomic_add_fetch(n, 1, __ATOMIC_SEQ_CST);
	job_progress(j);
	return 0;
}

static void
many_jobs_each_collected_once(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(4, &err);
	int ran = 0, results = 0;
	struct job *ev;

	for (int i = 0; i < 1000; i++)
		assert_non_null(jobs_start(js, &owner_a, "count", job_count, &ran, &err));
	while (results < 1000 && (ev = next_event(js, 5000)) != NULL) {
		if (!job_is_progress(ev))
			results++;
		job_release(ev);
	}
	assert_int_equal(results, 1000);
	assert_int_equal(ran, 1000);
	assert_null(jobs_collect(js));
	jobs_free(js);
}

static void
no_start_after_free_begins(void **state)
{
	struct irsa_error err;
	struct jobs *js = jobs_new(0, &err); /* 0 workers means one */
	int v = 2;
	struct job *ev;

	assert_non_null(js);
	assert_non_null(jobs_start(js, NULL, NULL, job_double, &v, &err));
	ev = next_event(js, 5000);
	assert_non_null(ev);
	assert_string_equal(job_what(ev), "job");
	job_release(ev);
	jobs_free(js);
	jobs_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(result_reaches_the_ui_thread),
	        cmocka_unit_test(error_comes_back_with_the_job),
	        cmocka_unit_test(progress_folds_and_precedes_the_result),
	        cmocka_unit_test(one_job_cancels),
	        cmocka_unit_test(leaving_owner_drops_its_events),
	        cmocka_unit_test(free_cancels_and_frees_everything),
	        cmocka_unit_test(many_jobs_each_collected_once),
	        cmocka_unit_test(no_start_after_free_begins),
	};

	return cmocka_run_group_tests_name("jobs", tests, NULL, NULL);
}
