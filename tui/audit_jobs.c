/* tui/audit_jobs.c - the audit screen's session and jobs (audit_jobs.h):
 * collecting, planning a fix, applying it, each on a worker, with progress
 * posted under the job's mutex and cancellation reaching the requests in
 * flight. No curses here. */
#include "config.h"

#include "audit_jobs.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct audit_conn *
audit_conn_ref(struct audit_conn *c)
{
	if (c != NULL)
		c->refs++;
	return c;
}

void
audit_conn_unref(struct audit_conn *c)
{
	if (c == NULL || --c->refs > 0)
		return;
	audit_result_release(&c->r);
	if (c->snapshot)
		audit_input_release(&c->s.input);
	else
		audit_session_close(&c->s);
	free(c);
}

/* The clients of the cluster a finding is about (the first ones for an
 * account-wide finding), or NULL (a snapshot). */
struct bind_clients *
audit_conn_clients(const struct audit_conn *c, const struct audit_finding *f)
{
	struct bind_clients *cl = NULL;

	if (c->snapshot || c->s.n == 0)
		return NULL;
	if (f->subject.cluster != NULL)
		cl = audit_session_clients(&c->s, f->subject.cluster);
	return cl != NULL ? cl : &c->s.clients[0];
}

struct audit_job *
audit_job_new(enum aj_kind kind, struct audit_conn *conn)
{
	struct audit_job *aj = calloc(1, sizeof(*aj));

	if (aj == NULL)
		return NULL;
	aj->kind = kind;
	aj->conn = audit_conn_ref(conn);
	aj->res.failed = -1;
	plan_init(&aj->plan);
	pthread_mutex_init(&aj->mu, NULL);
	return aj;
}

void
audit_job_free(void *arg)
{
	struct audit_job *aj = arg;

	if (aj == NULL)
		return;
	audit_conn_unref(aj->conn);
	free(aj->context);
	free(aj->cluster);
	free(aj->region);
	free(aj->snapshot);
	free(aj->ref);
	plan_release(&aj->plan);
	free(aj->status);
	plan_apply_result_release(&aj->res);
	pthread_mutex_destroy(&aj->mu);
	free(aj);
}

static void
cancel_clients(void *arg)
{
	struct bind_clients *cl = arg;

	if (cl->aws != NULL)
		aws_client_cancel(cl->aws);
	if (cl->kube != NULL)
		kube_client_cancel(cl->kube);
}

static void
clear_cancel(struct bind_clients *cl)
{
	if (cl->aws != NULL)
		aws_client_clear_cancel(cl->aws);
	if (cl->kube != NULL)
		kube_client_clear_cancel(cl->kube);
}

/* job_on_cancel: stops the requests of every client of the session. */
static void
cancel_session(void *arg)
{
	struct audit_session *s = arg;

	for (size_t i = 0; i < s->n; i++)
		cancel_clients(&s->clients[i]);
}

/* audit_collect_options.progress, from the worker. The first call comes
 * once the session's clients are open: from then on Esc also stops the
 * request in flight, not only the collection between requests. */
static void
collect_progress(void *arg, const char *what)
{
	struct audit_job *aj = arg;

	if (!aj->hooked && !aj->conn->snapshot) {
		aj->hooked = true;
		job_on_cancel(aj->job, cancel_session, &aj->conn->s);
	}
	pthread_mutex_lock(&aj->mu);
	snprintf(aj->progress, sizeof(aj->progress), "%s", what != NULL ? what : "");
	pthread_mutex_unlock(&aj->mu);
	job_progress(aj->job);
}

static int
snapshot_load(const char *path, struct audit_input *in, struct irsa_error *err)
{
	struct json_object *o = json_object_from_file(path);
	int rc;

	if (o == NULL) {
		audit_input_init(in);
		return irsa_error_set(err, IRSA_ERR_PARSE, "IRSA_AUDIT_SNAPSHOT %s: %s", path,
		                      json_util_get_last_err() != NULL ? json_util_get_last_err() : "cannot read it");
	}
	rc = audit_snapshot_from_json(o, in, err);
	json_object_put(o);
	if (rc != 0)
		irsa_error_prefix(err, "IRSA_AUDIT_SNAPSHOT %s", path);
	return rc;
}

static int
run_collect(struct audit_job *aj, struct irsa_error *err)
{
	struct audit_conn *c = aj->conn;
	struct audit_options ao = {NULL, 0, AUDIT_SEV_INFO};
	int rc;

	if (aj->snapshot != NULL) {
		collect_progress(aj, "Reading the snapshot");
		rc = snapshot_load(aj->snapshot, &c->s.input, err);
	} else {
		struct audit_scope sc = {aj->context, aj->cluster, aj->region, false};
		struct audit_collect_options o = {NULL, false, collect_progress, aj, job_cancel_flag(aj->job)};

		/* As `irsa audit` collects (audit_session_collect() with defaults):
		 * the same findings, and the same checks not run, on both. */
		o.scan_regions = true;
		rc = audit_session_collect(aj->cli, &sc, &o, &c->s, err);
		job_on_cancel(aj->job, NULL, NULL);
		aj->hooked = true; /* no hook from here on */
	}
	if (rc != 0)
		return -1;
	if (job_cancelled(aj->job))
		return irsa_error_set(err, IRSA_ERR_CANCELLED, "cancelled");
	collect_progress(aj, "Running the checks");
	return audit_run(&c->s.input, &ao, &c->r, err);
}

static int
run_plan(struct audit_job *aj, struct irsa_error *err)
{
	const struct audit_finding *f = audit_result_find(&aj->conn->r, aj->ref);
	struct plan_env none = {NULL, NULL, NULL};
	struct bind_clients *cl;
	int rc;

	if (f == NULL)
		return irsa_error_set(err, IRSA_ERR_NOT_FOUND, "finding %s is no longer in the audit", aj->ref);
	if ((cl = audit_conn_clients(aj->conn, f)) == NULL)
		return audit_fix_plan(&none, &aj->conn->s.input, f, &aj->plan, err);
	clear_cancel(cl);
	job_on_cancel(aj->job, cancel_clients, cl);
	rc = audit_fix_plan(&cl->env, &aj->conn->s.input, f, &aj->plan, err);
	job_on_cancel(aj->job, NULL, NULL);
	return rc;
}

/* plan_progress_fn: the step's state, posted as progress. */
static void
apply_progress(void *arg, size_t i, const struct plan_step *s, enum plan_event ev, const char *note,
               const struct irsa_error *err)
{
	struct audit_job *aj = arg;

	(void)s;
	pthread_mutex_lock(&aj->mu);
	if (i < aj->n_status)
		plan_view_event(&aj->status[i], ev, note, err);
	pthread_mutex_unlock(&aj->mu);
	job_progress(aj->job);
}

static int
run_apply(struct audit_job *aj, struct irsa_error *err)
{
	const struct audit_finding *f = audit_result_find(&aj->conn->r, aj->ref);
	struct plan_apply_options o = {NULL, apply_progress, aj, job_cancel_flag(aj->job)};
	struct bind_clients *cl = f != NULL ? audit_conn_clients(aj->conn, f) : NULL;

	if (cl == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no clients to apply the fix of %s with", aj->ref);
	/* Esc stops between steps (the cancel flag), never inside one. */
	clear_cancel(cl);
	return plan_apply(&cl->env, &aj->plan, &o, &aj->res, err);
}

int
audit_job_main(struct job *j, void *arg, struct irsa_error *err)
{
	struct audit_job *aj = arg;

	aj->job = j;
	switch (aj->kind) {
	case AJ_COLLECT:
		return run_collect(aj, err);
	case AJ_PLAN:
		return run_plan(aj, err);
	case AJ_APPLY:
		return run_apply(aj, err);
	}
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown audit job %d", (int)aj->kind);
}
