/* tui/audit_jobs.h - the audit screen's work, off the UI thread: the
 * session one collection gave (clients, input, findings; counted
 * references, taken and dropped on the UI thread only, so the screen may
 * leave while a job still uses it) and the three jobs that run on it:
 * collecting (audit_session_collect() and audit_run(), or a snapshot;
 * Esc cancels, requests in flight included), planning a finding's fix
 * (audit_fix_plan()) and applying it (plan_apply(), Esc stops between
 * steps). No curses here. */
#ifndef IRSA_AUDIT_JOBS_H
#define IRSA_AUDIT_JOBS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "audit.h"
#include "audit_session.h"
#include "jobs.h"
#include "plan.h"
#include "plan_apply.h"
#include "plan_view.h"

/* What one collection gave: the clients (none for a snapshot), the input
 * and the findings. Counted references, UI thread only. */
struct audit_conn {
	int refs;
	bool snapshot;
	struct audit_session s;
	struct audit_result r;
};

/* Takes a reference (c may be NULL) and returns c. */
struct audit_conn *audit_conn_ref(struct audit_conn *c);

/* Drops one; the last frees the session. c may be NULL. */
void audit_conn_unref(struct audit_conn *c);

/* The clients of the cluster a finding is about (the first ones for an
 * account-wide finding), or NULL (a snapshot). Borrowed from c. */
struct bind_clients *audit_conn_clients(const struct audit_conn *c, const struct audit_finding *f);

enum aj_kind { AJ_COLLECT, AJ_PLAN, AJ_APPLY };

/* A job's argument and results; freed on the UI thread (audit_job_free). */
struct audit_job {
	enum aj_kind kind;
	struct audit_conn *conn; /* a reference (COLLECT: the new session) */
	struct job *job;         /* set by the worker */
	pthread_mutex_t mu;

	/* COLLECT */
	const struct cli *cli; /* borrowed: lives as long as the program */
	char *context, *cluster, *region, *snapshot;
	char progress[256]; /* under mu */
	bool hooked;        /* the session's clients are cancelled with the job */

	/* PLAN: ref in, plan out. APPLY: plan in. */
	char *ref;
	struct plan plan;

	/* APPLY */
	struct plan_view_step *status; /* one per step, under mu */
	size_t n_status;
	struct plan_apply_result res;
};

/* A job of kind on conn (a new reference), or NULL (out of memory). */
struct audit_job *audit_job_new(enum aj_kind kind, struct audit_conn *conn);

/* Frees aj and drops its reference; a jobs_start_with_free() free function. */
void audit_job_free(void *arg);

/* The worker: runs aj (the arg) by its kind. A jobs_start() job function. */
int audit_job_main(struct job *j, void *arg, struct irsa_error *err);

#endif
