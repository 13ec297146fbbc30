/* tui/wizard_jobs.h - the wizard's network work, run as jobs (jobs.h) off
 * the UI thread: opening the cluster's clients (and who the caller is),
 * listing roles and policies, reading and building the plan, applying it
 * and rolling it back with each step's status posted as progress.
 *
 * Lifetimes: the clients (struct wizard_conn) are shared by the screen and
 * every job it starts, counted by references taken and dropped on the UI
 * thread only (jobs.h calls free_arg there), so a screen that leaves while
 * a job runs frees nothing the job still uses. A job's results are moved
 * out by the screen in job_done; whatever is left is freed with the job.
 * No curses here. */
#ifndef IRSA_WIZARD_JOBS_H
#define IRSA_WIZARD_JOBS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "aws_iam.h"
#include "bind_clients.h"
#include "cli.h"
#include "jobs.h"
#include "names.h"
#include "plan.h"
#include "plan_apply.h"

/* The clients of the cluster, and what the open job learnt. */
struct wizard_conn {
	int refs; /* UI thread only */
	struct bind_clients cl;
	struct aws_client *roles_aws;    /* ListRoles' own client (lists run beside each other) */
	struct aws_client *policies_aws; /* ListPolicies' */
	char account[16];                /* the caller's, from GetCallerIdentity */
	char partition[NAMES_PARTITION_MAX];
	char arn_prefix[NAMES_PARTITION_MAX + 8]; /* "arn:aws:" */
};

/* Takes a reference (UI thread). Returns c. */
struct wizard_conn *wizard_conn_ref(struct wizard_conn *c);
/* Drops one (UI thread); the last frees the clients. c may be NULL. */
void wizard_conn_unref(struct wizard_conn *c);

enum wizard_job_kind {
	WIZARD_JOB_OPEN,
	WIZARD_JOB_ROLES,
	WIZARD_JOB_POLICIES,
	WIZARD_JOB_PREVIEW,
	WIZARD_JOB_APPLY,
	WIZARD_JOB_ROLLBACK,
};

/* What the user chose, as owned strings (the preview job's input). */
struct wizard_choices {
	char *cluster, *region, *context, *ns, *sa;
	char *role_name, *role_arn;
	char **policies;
	size_t n_policies;
	char **services;
	size_t n_services;
	char *sts_regional; /* "true", "false" or NULL */
	bool create_sa, restart;
};

void wizard_choices_release(struct wizard_choices *c);

/* The borrowed plan_choices view of c. */
void wizard_choices_view(const struct wizard_choices *c, struct plan_choices *out);

/* One step's state during an apply or a rollback. */
enum wizard_step_state {
	WIZARD_STEP_PENDING,
	WIZARD_STEP_RUNNING,
	WIZARD_STEP_DONE,    /* made (apply) or undone (rollback) */
	WIZARD_STEP_SKIPPED, /* already so (apply), nothing to undo or kept (rollback): see note */
	WIZARD_STEP_FAILED,
};

struct wizard_step_status {
	enum wizard_step_state state;
	char note[300]; /* why skipped or kept, or the error */
};

/* A job's argument and results. Everything owned. */
struct wizard_job {
	enum wizard_job_kind kind;
	struct wizard_conn *conn; /* a reference (OPEN makes the conn) */
	struct job *job;          /* set by the worker before it runs */

	/* OPEN */
	const struct cli *cli; /* borrowed: lives as long as the program */
	char *context, *cluster, *region;

	/* ROLES, POLICIES */
	struct aws_role_list roles;
	struct aws_policy_list policies;

	/* PREVIEW: choices in, plan out. APPLY: the plan in. */
	struct wizard_choices ch;
	struct plan plan;

	/* APPLY, ROLLBACK */
	char *journal; /* ROLLBACK: in */
	struct plan_apply_result res;
	int rc; /* ROLLBACK: plan_rollback()'s 1 = some kept */
	pthread_mutex_t mu;
	struct wizard_step_status *status; /* one per plan step, guarded by mu */
	size_t n_status;
};

/* Starts a job of kind with arg j (which the jobs module then owns: it is
 * freed on the UI thread when released). For OPEN, j->conn is made here.
 * Returns the job, or NULL with err set (j freed). */
struct job *wizard_job_start(struct jobs *js, void *owner, struct wizard_job *j, struct irsa_error *err);

/* A new job argument of kind, holding a reference to conn (may be NULL
 * for OPEN). NULL when out of memory. */
struct wizard_job *wizard_job_new(enum wizard_job_kind kind, struct wizard_conn *conn);

/* Frees a job argument that was never started (UI thread). */
void wizard_job_free(struct wizard_job *j);

/* Copies the step statuses into out (n entries at most), under the job's
 * lock. */
void wizard_job_status(struct wizard_job *j, struct wizard_step_status *out, size_t n);

#endif
