/* tui/jobs.h - work off the UI thread: a job is a function run on a worker
 * thread (network calls through core), whose result the UI thread collects
 * when the loop sees the jobs' wake-up descriptor readable. A job can be
 * cancelled (Esc): its cancel flag is what core's calls poll. No curses
 * here. */
#ifndef IRSA_JOBS_H
#define IRSA_JOBS_H

#include <stdbool.h>

#include "error.h"

struct jobs;
struct job;

/* Runs on a worker thread. Returns 0 or -1 with err set. May call
 * job_progress() to post partial results (e.g. a page, a region). */
typedef int (*job_fn)(struct job *j, void *arg, struct irsa_error *err);

struct jobs *jobs_new(unsigned workers, struct irsa_error *err);
/* Cancels every job, joins the workers, frees what is left. */
void jobs_free(struct jobs *js);

/* The descriptor the UI loop polls for reading. */
int jobs_fd(const struct jobs *js);

/* Queues fn(arg). owner is an opaque tag (the screen) that job_done
 * events are routed to. Returns the job (owned by jobs until collected),
 * or NULL with err set. */
struct job *jobs_start(struct jobs *js, void *owner, const char *what, job_fn fn, void *arg, struct irsa_error *err);

/* As jobs_start(), and free_arg(arg) is called (on the UI thread) when
 * the job is released: after job_release() of its final event, when it is
 * dropped (jobs_cancel_owner()), or by jobs_free(). Use it when the
 * owner may leave while the job runs: arg then outlives the owner. */
struct job *jobs_start_with_free(struct jobs *js, void *owner, const char *what, job_fn fn, void *arg,
                                 void (*free_arg)(void *arg), struct irsa_error *err);

/* Cancels every job of owner (a screen being left): their results are
 * dropped when they finish. */
void jobs_cancel_owner(struct jobs *js, void *owner);

/* Cancels one job (Esc while it runs): its cancel flag is set and its
 * cancel hook called; its final event still comes (usually rc -1,
 * IRSA_ERR_CANCELLED). The UI thread only, before that event is released. */
void job_cancel(struct job *j);

/* From inside fn: fn(arg) is called (from the cancelling thread) when the
 * job is cancelled, e.g. kube_client_cancel() or aws_client_cancel() of the
 * client fn is using; at once if it is cancelled already. Clear it with
 * job_on_cancel(j, NULL, NULL) before freeing what arg points at. */
void job_on_cancel(struct job *j, void (*fn)(void *arg), void *arg);

/* The UI thread: the next finished (or progress) event, or NULL. The
 * caller hands it to the owner and then calls job_release(). */
struct job *jobs_collect(struct jobs *js);

/* From inside fn: posts a progress event (the UI sees job_is_progress()
 * true and job_arg()'s current state; keep shared state locked by the
 * job's own means). */
void job_progress(struct job *j);

void *job_owner(const struct job *j);
void *job_arg(const struct job *j);
const char *job_what(const struct job *j);
bool job_is_progress(const struct job *j);
int job_rc(const struct job *j);                         /* when finished */
const struct irsa_error *job_error(const struct job *j); /* when rc is -1 */
const volatile int *job_cancel_flag(struct job *j);      /* for core's cancel options */
bool job_cancelled(const struct job *j);
void job_release(struct job *j);

#endif
