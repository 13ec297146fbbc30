/* tui/jobs.c - work off the UI thread (jobs.h): a fixed pool of worker
 * threads taking jobs from a queue, and a list of events (progress and
 * final results) that the UI thread collects when the pipe jobs_fd() reads
 * becomes readable. One mutex guards everything shared; the pipe holds at
 * most one byte (written when the event list becomes non-empty, drained
 * when it is emptied), so it never fills.
 *
 * Lifetimes: a job has a reference count: one for its final event (taken
 * by the UI thread's job_release()) and one per progress event out. Every
 * free of a job, and every free_arg() call, happens on the UI thread (in
 * jobs_collect(), job_release() or jobs_free()); a worker only hands a
 * finished job over. A job whose owner left (jobs_cancel_owner()) is
 * "dropped": still queued, it is freed at once; running, its final event
 * is freed by jobs_collect() without being returned. No curses here. */
#include "config.h"

#include "jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define JOBS_MAX_WORKERS   32
#define JOBS_STOP_WAIT_SEC 2 /* jobs_free() waits this long for running jobs to see the cancel */

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_FINISHED };

struct job {
	struct jobs *js;
	struct job *next;                  /* in the queue or the event list */
	struct job *live_prev, *live_next; /* every job not yet freed (not progress events) */
	struct job *parent;                /* a progress event: the job it reports on */

	void *owner;
	char *what;
	job_fn fn;
	void *arg;
	void (*free_arg)(void *arg);
	void (*on_cancel)(void *arg);
	void *on_cancel_arg;

	volatile int cancel;
	enum job_state state;
	bool dropped;          /* the owner left: no event reaches it */
	bool progress_pending; /* a progress event is waiting in the event list */
	int refs;
	int rc;
	struct irsa_error err;
};

struct jobs {
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job was queued, or stopping */
	pthread_cond_t idle; /* a worker exited */
	struct job *queue, *queue_tail;
	struct job *events, *events_tail;
	struct job *live;
	pthread_t threads[JOBS_MAX_WORKERS];
	unsigned n_threads;
	unsigned n_alive;
	int fd[2];
	bool woken; /* a byte is in the pipe */
	bool stopping;
};

static void
wake_locked(struct jobs *js)
{
	char b = 1;

	if (!js->woken && write(js->fd[1], &b, 1) == 1)
		js->woken = true;
}

static void
unwake_locked(struct jobs *js)
{
	char buf[16];

	while (read(js->fd[0], buf, sizeof(buf)) > 0)
		;
	js->woken = false;
}

static void
event_push_locked(struct jobs *js, struct job *ev)
{
	ev->next = NULL;
	if (js->events_tail != NULL)
		js->events_tail->next = ev;
	else
		js->events = ev;
	js->events_tail = ev;
	wake_locked(js);
}

static struct job *
event_pop_locked(struct jobs *js)
{
	struct job *ev = js->events;

	if (ev != NULL) {
		js->events = ev->next;
		if (js->events == NULL)
			js->events_tail = NULL;
		ev->next = NULL;
	}
	return ev;
}

static void
live_unlink_locked(struct jobs *js, struct job *j)
{
	if (j->live_prev != NULL)
		j->live_prev->live_next = j->live_next;
	else if (js->live == j)
		js->live = j->live_next;
	if (j->live_next != NULL)
		j->live_next->live_prev = j->live_prev;
	j->live_prev = j->live_next = NULL;
}

/* Drops one reference; returns j when it was the last (the caller then
 * calls job_destroy() outside the lock), else NULL. */
static struct job *
unref_locked(struct jobs *js, struct job *j)
{
	if (--j->refs > 0)
		return NULL;
	live_unlink_locked(js, j);
	return j;
}

static void
job_destroy(struct job *j)
{
	if (j == NULL)
		return;
	if (j->free_arg != NULL)
		j->free_arg(j->arg);
	free(j->what);
	free(j);
}

static void
cancel_locked(struct job *j)
{
	__atomic_store_n(&j->cancel, 1, __ATOMIC_SEQ_CST);
	if (j->on_cancel != NULL)
		j->on_cancel(j->on_cancel_arg);
}

static void *
worker_main(void *p)
{
	struct jobs *js = p;
	struct irsa_error err;
	struct job *j;
	int rc;

	pthread_mutex_lock(&js->mu);
	for (;;) {
		while (js->queue == NULL && !js->stopping)
			pthread_cond_wait(&js->work, &js->mu);
		if (js->stopping)
			break;
		j = js->queue;
		js->queue = j->next;
		if (js->queue == NULL)
			js->queue_tail = NULL;
		j->next = NULL;
		j->state = JOB_RUNNING;
		pthread_mutex_unlock(&js->mu);

		irsa_error_clear(&err);
		rc = j->fn(j, j->arg, &err);
		if (rc != 0 && err.kind == IRSA_OK)
			irsa_error_set(&err, IRSA_ERR_INTERNAL, "%s failed without saying why", j->what);

		pthread_mutex_lock(&js->mu);
		j->rc = rc;
		j->err = err;
		j->state = JOB_FINISHED;
		j->on_cancel = NULL;
		j->on_cancel_arg = NULL;
		event_push_locked(js, j);
	}
	js->n_alive--;
	pthread_cond_broadcast(&js->idle);
	pthread_mutex_unlock(&js->mu);
	return NULL;
}

struct jobs *
jobs_new(unsigned workers, struct irsa_error *err)
{
	struct jobs *js;
	sigset_t block, old;
	int e;

	if (workers == 0)
		workers = 1;
	if (workers > JOBS_MAX_WORKERS)
		workers = JOBS_MAX_WORKERS;
	if ((js = calloc(1, sizeof(*js))) == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	js->fd[0] = js->fd[1] = -1;
	pthread_mutex_init(&js->mu, NULL);
	pthread_cond_init(&js->work, NULL);
	pthread_cond_init(&js->idle, NULL);
	if (pipe(js->fd) != 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot make the jobs' pipe: %s", strerror(errno));
		jobs_free(js);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(js->fd[i], F_SETFD, FD_CLOEXEC);
		fcntl(js->fd[i], F_SETFL, fcntl(js->fd[i], F_GETFL) | O_NONBLOCK);
	}
	/* Workers inherit a mask without the signals the UI thread handles,
	 * so those never interrupt a worker's system calls. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_mutex_lock(&js->mu);
	for (unsigned i = 0; i < workers; i++) {
		if ((e = pthread_create(&js->threads[i], NULL, worker_main, js)) != 0) {
			pthread_mutex_unlock(&js->mu);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			irsa_error_set(err, IRSA_ERR_INTERNAL, "cannot start a worker thread: %s", strerror(e));
			jobs_free(js);
			return NULL;
		}
		js->n_threads++;
		js->n_alive++;
	}
	pthread_mutex_unlock(&js->mu);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return js;
}

static void
deadline_in(struct timespec *ts, int sec)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += sec;
}

void
jobs_free(struct jobs *js)
{
	struct job *j, *next, *dead = NULL;
	struct timespec until;
	bool all_stopped;

	if (js == NULL)
		return;
	pthread_mutex_lock(&js->mu);
	js->stopping = true;
	for (j = js->live; j != NULL; j = j->live_next)
		cancel_locked(j);
	pthread_cond_broadcast(&js->work);
	/* A job that ignores its cancel flag must not hold the program: after
	 * the deadline its worker is left running (the process is ending). */
	deadline_in(&until, JOBS_STOP_WAIT_SEC);
	while (js->n_alive > 0)
		if (pthread_cond_timedwait(&js->idle, &js->mu, &until) == ETIMEDOUT)
			break;
	all_stopped = js->n_alive == 0;
	pthread_mutex_unlock(&js->mu);

	for (unsigned i = 0; i < js->n_threads; i++) {
		if (all_stopped)
			pthread_join(js->threads[i], NULL);
		else
			pthread_detach(js->threads[i]);
	}
	if (!all_stopped)
		return; /* the stuck workers still use js: leave it */

	/* Events first (progress events hold references), then the jobs. */
	while ((j = event_pop_locked(js)) != NULL) {
		if (j->parent != NULL) {
			j->parent->refs--;
			free(j);
		}
	}
	for (j = js->live; j != NULL; j = next) {
		next = j->live_next;
		j->next = dead;
		dead = j;
	}
	js->live = NULL;
	while (dead != NULL) {
		j = dead;
		dead = j->next;
		job_destroy(j);
	}
	close(js->fd[0]);
	close(js->fd[1]);
	pthread_cond_destroy(&js->work);
	pthread_cond_destroy(&js->idle);
	pthread_mutex_destroy(&js->mu);
	free(js);
}

int
jobs_fd(const struct jobs *js)
{
	return js->fd[0];
}

struct job *
jobs_start_with_free(struct jobs *js, void *owner, const char *what, job_fn fn, void *arg, void (*free_arg)(void *arg),
                     struct irsa_error *err)
{
	struct job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL || (j->what = strdup(what != NULL ? what : "job")) == NULL) {
		free(j);
		irsa_error_oom(err);
		return NULL;
	}
	j->js = js;
	j->owner = owner;
	j->fn = fn;
	j->arg = arg;
	j->free_arg = free_arg;
	j->refs = 1;
	j->rc = -1;
	j->state = JOB_QUEUED;

	pthread_mutex_lock(&js->mu);
	if (js->stopping) {
		pthread_mutex_unlock(&js->mu);
		free(j->what);
		free(j);
		irsa_error_set(err, IRSA_ERR_CANCELLED, "cannot start %s: the program is ending", what);
		return NULL;
	}
	j->live_next = js->live;
	if (js->live != NULL)
		js->live->live_prev = j;
	js->live = j;
	if (js->queue_tail != NULL)
		js->queue_tail->next = j;
	else
		js->queue = j;
	js->queue_tail = j;
	pthread_cond_signal(&js->work);
	pthread_mutex_unlock(&js->mu);
	return j;
}

struct job *
jobs_start(struct jobs *js, void *owner, const char *what, job_fn fn, void *arg, struct irsa_error *err)
{
	return jobs_start_with_free(js, owner, what, fn, arg, NULL, err);
}

static void
queue_unlink_locked(struct jobs *js, struct job *j)
{
	struct job **pp, *prev = NULL;

	for (pp = &js->queue; *pp != NULL; prev = *pp, pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			if (js->queue_tail == j)
				js->queue_tail = prev;
			j->next = NULL;
			return;
		}
	}
}

void
jobs_cancel_owner(struct jobs *js, void *owner)
{
	struct job *j, *next, *dead = NULL, *d;

	if (js == NULL)
		return;
	pthread_mutex_lock(&js->mu);
	for (j = js->live; j != NULL; j = next) {
		next = j->live_next;
		if (j->owner != owner || j->dropped)
			continue;
		j->dropped = true;
		cancel_locked(j);
		if (j->state == JOB_QUEUED) {
			queue_unlink_locked(js, j);
			if ((d = unref_locked(js, j)) != NULL) {
				d->next = dead;
				dead = d;
			}
		}
	}
	pthread_mutex_unlock(&js->mu);
	while (dead != NULL) {
		d = dead;
		dead = d->next;
		job_destroy(d);
	}
}

void
job_cancel(struct job *j)
{
	struct job *target = j->parent != NULL ? j->parent : j;

	pthread_mutex_lock(&target->js->mu);
	cancel_locked(target);
	pthread_mutex_unlock(&target->js->mu);
}

void
job_on_cancel(struct job *j, void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&j->js->mu);
	j->on_cancel = fn;
	j->on_cancel_arg = arg;
	if (fn != NULL && j->cancel)
		fn(arg);
	pthread_mutex_unlock(&j->js->mu);
}

struct job *
jobs_collect(struct jobs *js)
{
	struct job *ev, *dead;

	pthread_mutex_lock(&js->mu);
	for (;;) {
		ev = event_pop_locked(js);
		if (ev == NULL) {
			unwake_locked(js);
			pthread_mutex_unlock(&js->mu);
			return NULL;
		}
		if (ev->parent != NULL) {
			ev->parent->progress_pending = false;
			if (!ev->parent->dropped)
				break;
			dead = unref_locked(js, ev->parent);
			pthread_mutex_unlock(&js->mu);
			free(ev);
			job_destroy(dead);
			pthread_mutex_lock(&js->mu);
			continue;
		}
		if (!ev->dropped)
			break;
		dead = unref_locked(js, ev);
		pthread_mutex_unlock(&js->mu);
		job_destroy(dead);
		pthread_mutex_lock(&js->mu);
	}
	if (js->events == NULL)
		unwake_locked(js);
	pthread_mutex_unlock(&js->mu);
	return ev;
}

void
job_progress(struct job *j)
{
	struct jobs *js = j->js;
	struct job *ev;

	pthread_mutex_lock(&js->mu);
	/* One pending progress event per job: the UI reads the current state
	 * when it gets to it, so later posts fold into the waiting one. */
	if (j->progress_pending || j->dropped || js->stopping) {
		pthread_mutex_unlock(&js->mu);
		return;
	}
	if ((ev = calloc(1, sizeof(*ev))) != NULL) {
		ev->js = js;
		ev->parent = j;
		j->refs++;
		j->progress_pending = true;
		event_push_locked(js, ev);
	}
	pthread_mutex_unlock(&js->mu);
}

void
job_release(struct job *j)
{
	struct jobs *js;
	struct job *target, *dead;

	if (j == NULL)
		return;
	js = j->js;
	target = j->parent != NULL ? j->parent : j;
	pthread_mutex_lock(&js->mu);
	dead = unref_locked(js, target);
	pthread_mutex_unlock(&js->mu);
	if (j->parent != NULL)
		free(j);
	job_destroy(dead);
}

static const struct job *
job_of(const struct job *j)
{
	return j->parent != NULL ? j->parent : j;
}

void *
job_owner(const struct job *j)
{
	return job_of(j)->owner;
}

void *
job_arg(const struct job *j)
{
	return job_of(j)->arg;
}

const char *
job_what(const struct job *j)
{
	return job_of(j)->what;
}

bool
job_is_progress(const struct job *j)
{
	return j->parent != NULL;
}

int
job_rc(const struct job *j)
{
	return job_of(j)->rc;
}

const struct irsa_error *
job_error(const struct job *j)
{
	return &job_of(j)->err;
}

const volatile int *
job_cancel_flag(struct job *j)
{
	return &(j->parent != NULL ? j->parent : j)->cancel;
}

bool
job_cancelled(const struct job *j)
{
	return job_of(j)->cancel != 0;
}
