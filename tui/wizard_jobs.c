/* tui/wizard_jobs.c - the wizard's jobs (see wizard_jobs.h): each runs one
 * piece of core on a worker thread with the clients of struct wizard_conn,
 * stops its calls when cancelled (aws_client_cancel, kube_client_cancel),
 * and leaves its results in its struct wizard_job for the screen. The
 * apply and rollback jobs record each step's state under a lock and post
 * job_progress(). No curses here. */
#include "config.h"

#include "wizard_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_endpoint.h"
#include "aws_sts.h"
#include "iam.h"
#include "kube.h"

struct wizard_conn *
wizard_conn_ref(struct wizard_conn *c)
{
	if (c != NULL)
		c->refs++;
	return c;
}

void
wizard_conn_unref(struct wizard_conn *c)
{
	if (c == NULL || --c->refs > 0)
		return;
	aws_client_free(c->roles_aws);
	aws_client_free(c->policies_aws);
	bind_clients_close(&c->cl);
	free(c);
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
wizard_choices_release(struct wizard_choices *c)
{
	free(c->cluster);
	free(c->region);
	free(c->context);
	free(c->ns);
	free(c->sa);
	free(c->role_name);
	free(c->role_arn);
	free_strv(c->policies, c->n_policies);
	free_strv(c->services, c->n_services);
	free(c->sts_regional);
	memset(c, 0, sizeof(*c));
}

void
wizard_choices_view(const struct wizard_choices *c, struct plan_choices *out)
{
	memset(out, 0, sizeof(*out));
	out->cluster = c->cluster;
	out->region = c->region;
	out->context = c->context;
	out->ns = c->ns;
	out->sa = c->sa;
	out->role_name = c->role_name;
	out->role_arn = c->role_arn;
	out->policies = (const char *const *)c->policies;
	out->n_policies = c->n_policies;
	out->services = (const char *const *)c->services;
	out->n_services = c->n_services;
	out->sts_regional = c->sts_regional;
	out->create_sa = c->create_sa;
	out->restart = c->restart;
}

struct wizard_job *
wizard_job_new(enum wizard_job_kind kind, struct wizard_conn *conn)
{
	struct wizard_job *j = calloc(1, sizeof(*j));

	if (j == NULL)
		return NULL;
	j->kind = kind;
	j->conn = wizard_conn_ref(conn);
	j->res.failed = -1;
	plan_init(&j->plan);
	pthread_mutex_init(&j->mu, NULL);
	return j;
}

/* free_arg: on the UI thread, once the job is released or dropped. */
static void job_free(void *arg);

void
wizard_job_free(struct wizard_job *j)
{
	job_free(j);
}

static void
job_free(void *arg)
{
	struct wizard_job *j = arg;

	if (j == NULL)
		return;
	wizard_conn_unref(j->conn);
	free(j->context);
	free(j->cluster);
	free(j->region);
	aws_role_list_release(&j->roles);
	aws_policy_list_release(&j->policies);
	wizard_choices_release(&j->ch);
	plan_release(&j->plan);
	free(j->journal);
	plan_apply_result_release(&j->res);
	free(j->status);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

void
wizard_job_status(struct wizard_job *j, struct wizard_step_status *out, size_t n)
{
	pthread_mutex_lock(&j->mu);
	memcpy(out, j->status, sizeof(*out) * (n < j->n_status ? n : j->n_status));
	pthread_mutex_unlock(&j->mu);
}

/* --- cancel hooks (from the cancelling thread) ------------------------------ */

static void
cancel_aws(void *arg)
{
	aws_client_cancel(arg);
}

static void
cancel_env(void *arg)
{
	struct bind_clients *cl = arg;

	aws_client_cancel(cl->aws);
	kube_client_cancel(cl->kube);
}

/* --- the jobs ----------------------------------------------------------------- */

static int
run_open(struct wizard_job *j, struct irsa_error *err)
{
	struct wizard_conn *c = j->conn;
	struct aws_caller_identity id = {NULL, NULL, NULL};
	int rc;

	if (bind_clients_open(&c->cl, j->cli, j->context, j->cluster, j->region, err) != 0)
		return -1;
	job_on_cancel(j->job, cancel_aws, c->cl.aws);
	rc = aws_sts_get_caller_identity(c->cl.aws, &id, err);
	job_on_cancel(j->job, NULL, NULL);
	if (rc == 0) {
		snprintf(c->account, sizeof(c->account), "%s", id.account != NULL ? id.account : "");
		if (!names_arn_partition(id.arn != NULL ? id.arn : "", c->partition))
			names_arn_partition(aws_arn_prefix(c->cl.region), c->partition);
		snprintf(c->arn_prefix, sizeof(c->arn_prefix), "arn:%s:", c->partition);
	}
	aws_caller_identity_release(&id);
	if (rc != 0)
		return -1;
	if ((c->roles_aws = aws_client_new_for_region(c->cl.aws, c->cl.region, err)) == NULL ||
	    (c->policies_aws = aws_client_new_for_region(c->cl.aws, c->cl.region, err)) == NULL)
		return -1;
	return 0;
}

static int
run_roles(struct wizard_job *j, struct irsa_error *err)
{
	int rc;

	aws_client_clear_cancel(j->conn->roles_aws);
	job_on_cancel(j->job, cancel_aws, j->conn->roles_aws);
	rc = iam_list_roles(j->conn->roles_aws, NULL, 0, &j->roles, err);
	job_on_cancel(j->job, NULL, NULL);
	return rc;
}

static int
run_policies(struct wizard_job *j, struct irsa_error *err)
{
	struct aws_iam_list_policies in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.scope = "All";
	aws_client_clear_cancel(j->conn->policies_aws);
	job_on_cancel(j->job, cancel_aws, j->conn->policies_aws);
	rc = iam_list_policies(j->conn->policies_aws, &in, &j->policies, err);
	job_on_cancel(j->job, NULL, NULL);
	return rc;
}

static int
run_preview(struct wizard_job *j, struct irsa_error *err)
{
	struct bind_clients *cl = &j->conn->cl;
	struct plan_choices ch;
	struct plan_state st;
	int rc;

	wizard_choices_view(&j->ch, &ch);
	if (plan_check_choices(&ch, j->conn->arn_prefix, err) != 0)
		return -1;
	aws_client_clear_cancel(cl->aws);
	kube_client_clear_cancel(cl->kube);
	job_on_cancel(j->job, cancel_env, cl);
	rc = plan_read(&cl->env, &ch, &st, err);
	job_on_cancel(j->job, NULL, NULL);
	if (rc == 0)
		rc = plan_build(&ch, &st, &j->plan, err);
	plan_state_release(&st);
	return rc;
}

/* plan_progress_fn: records the step's state and posts progress. */
static void
on_progress(void *arg, size_t i, const struct plan_step *s, enum plan_event ev, const char *note,
            const struct irsa_error *err)
{
	struct wizard_job *j = arg;
	struct wizard_step_status *st;

	(void)s;
	pthread_mutex_lock(&j->mu);
	if (i < j->n_status) {
		st = &j->status[i];
		switch (ev) {
		case PLAN_EVENT_BEGIN:
			st->state = WIZARD_STEP_RUNNING;
			break;
		case PLAN_EVENT_DONE:
			st->state = WIZARD_STEP_DONE;
			break;
		case PLAN_EVENT_SKIPPED:
			st->state = WIZARD_STEP_SKIPPED;
			break;
		case PLAN_EVENT_FAILED:
			st->state = WIZARD_STEP_FAILED;
			break;
		}
		if (note != NULL)
			snprintf(st->note, sizeof(st->note), "%s", note);
		else if (err != NULL)
			irsa_error_format(err, st->note, sizeof(st->note));
	}
	pthread_mutex_unlock(&j->mu);
	job_progress(j->job);
}

static int
run_apply(struct wizard_job *j, struct irsa_error *err)
{
	struct plan_apply_options o = {NULL, on_progress, j, job_cancel_flag(j->job)};
	struct bind_clients *cl = &j->conn->cl;

	/* Esc stops between steps (the cancel flag), never inside one. */
	aws_client_clear_cancel(cl->aws);
	kube_client_clear_cancel(cl->kube);
	return plan_apply(&cl->env, &j->plan, &o, &j->res, err);
}

static int
run_rollback(struct wizard_job *j, struct irsa_error *err)
{
	struct plan_apply_options o = {NULL, on_progress, j, job_cancel_flag(j->job)};
	struct bind_clients *cl = &j->conn->cl;

	aws_client_clear_cancel(cl->aws);
	kube_client_clear_cancel(cl->kube);
	j->rc = plan_rollback(&cl->env, j->journal, &o, &j->res, err);
	return j->rc < 0 ? -1 : 0;
}

static int
job_main(struct job *job, void *arg, struct irsa_error *err)
{
	struct wizard_job *j = arg;

	j->job = job;
	switch (j->kind) {
	case WIZARD_JOB_OPEN:
		return run_open(j, err);
	case WIZARD_JOB_ROLES:
		return run_roles(j, err);
	case WIZARD_JOB_POLICIES:
		return run_policies(j, err);
	case WIZARD_JOB_PREVIEW:
		return run_preview(j, err);
	case WIZARD_JOB_APPLY:
		return run_apply(j, err);
	case WIZARD_JOB_ROLLBACK:
		return run_rollback(j, err);
	}
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown wizard job %d", (int)j->kind);
}

static const char *const job_names[] = {
        [WIZARD_JOB_OPEN] = "connect to the cluster", [WIZARD_JOB_ROLES] = "list IAM roles",
        [WIZARD_JOB_POLICIES] = "list IAM policies",  [WIZARD_JOB_PREVIEW] = "read and plan",
        [WIZARD_JOB_APPLY] = "apply the plan",        [WIZARD_JOB_ROLLBACK] = "roll back",
};

struct job *
wizard_job_start(struct jobs *js, void *owner, struct wizard_job *j, struct irsa_error *err)
{
	struct job *job;

	if (j->kind == WIZARD_JOB_OPEN && j->conn == NULL) {
		if ((j->conn = calloc(1, sizeof(*j->conn))) == NULL) {
			job_free(j);
			irsa_error_oom(err);
			return NULL;
		}
		j->conn->refs = 1;
	}
	if ((j->kind == WIZARD_JOB_APPLY || j->kind == WIZARD_JOB_ROLLBACK) && j->status == NULL && j->plan.n > 0) {
		if ((j->status = calloc(j->plan.n, sizeof(*j->status))) == NULL) {
			job_free(j);
			irsa_error_oom(err);
			return NULL;
		}
		j->n_status = j->plan.n;
	}
	job = jobs_start_with_free(js, owner, job_names[j->kind], job_main, j, job_free, err);
	if (job == NULL)
		job_free(j);
	return job;
}
