/* tui/screen_sa_detail.c - one service account in full: its binding status
 * and why (binding_status.h), its annotations, the role it names with the
 * trust policy as canonical JSON, syntax coloured, the statement that
 * admits the account marked in the gutter, the role's attached policies,
 * and the workloads and pods running as it, each pod with or without the
 * binding (AWS_ROLE_ARN in its env).
 *
 * One job: the Kubernetes side first (posted as progress, so the account
 * shows at once), then the IAM side (DescribeCluster, the OIDC provider,
 * GetRole, ListAttachedRolePolicies). `b` opens the wizard for it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding_status.h"
#include "browse.h"
#include "jsonobj.h"
#include "kube_api.h"
#include "textview.h"
#include "trust.h"
#include "ui.h"
#include "wizard.h"

/* --- the job ------------------------------------------------------------------- */

struct detail_job {
	const struct cli *cli;
	struct browse_target t;
	/* The Kubernetes side, complete at the progress event. */
	struct kube_object sa;
	struct kube_object_list pods, workloads;
	struct irsa_error kube_err; /* pods or workloads that could not be listed */
	/* The IAM side, at the end. */
	bool iam_read;
	struct browse_iam iam;
	struct aws_attached_policy_list attached;
};

static void
detail_job_free(void *arg)
{
	struct detail_job *dj = arg;

	kube_object_release(&dj->sa);
	kube_object_list_release(&dj->pods);
	kube_object_list_release(&dj->workloads);
	browse_iam_release(&dj->iam);
	aws_attached_policy_list_release(&dj->attached);
	browse_target_release(&dj->t);
	free(dj);
}

static int
detail_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct detail_job *dj = arg;
	struct binding_input in = {.sa = &dj->sa};
	struct binding_result r;
	struct browse_kube k;
	char role_name[256] = "";
	int rc;

	if (browse_kube_open(j, dj->cli, &dj->t, &k, err) != 0)
		return -1;
	rc = kube_get_serviceaccount(k.client, dj->t.ns, dj->t.name, &dj->sa, err);
	if (rc == 0 && kube_list_pods_using(k.client, dj->t.ns, dj->t.name, &dj->pods, &dj->kube_err) == 0)
		kube_list_workloads_using(k.client, dj->t.ns, dj->t.name, &dj->workloads, &dj->kube_err);
	browse_kube_close(j, &k);
	if (rc != 0)
		return -1;
	binding_evaluate(&in, &r); /* the role's name, also behind a typo'd key */
	if (r.role_name != NULL)
		snprintf(role_name, sizeof(role_name), "%s", r.role_name);
	job_progress(j); /* from here on the screen owns the Kubernetes side */
	if (role_name[0] == '\0' || job_cancelled(j))
		return job_cancelled(j) ? irsa_error_set(err, IRSA_ERR_CANCELLED, "cancelled") : 0;
	rc = browse_iam_read(j, dj->cli, &dj->t, role_name, &dj->iam, &dj->attached, err);
	dj->iam_read = rc == 0;
	return rc;
}

/* --- the screen ----------------------------------------------------------------- */

struct detail_screen {
	struct browse_target t;
	struct textview *tv;
	struct job *job;
	void *job_arg;
	int page;

	struct kube_object sa;
	bool sa_read;
	struct kube_object_list pods, workloads;
	struct irsa_error kube_err;
	bool iam_read;
	struct browse_iam iam;
	struct binding_roles roles;
	struct aws_attached_policy_list attached;
};

/* The statement each line of canonical trust JSON belongs to (-1: none):
 * statements of an array open with "    {" and close with "    }" or
 * "    },"; a bare Statement object is statement 0. */
static void
statement_lines(char **lines, size_t n, int *stmt)
{
	int cur = -1, next = 0;
	bool in_array = false, bare = false;

	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i];

		stmt[i] = cur;
		if (strcmp(l, "  \"Statement\": [") == 0) {
			in_array = true;
		} else if (strcmp(l, "  \"Statement\": {") == 0) {
			bare = true;
			stmt[i] = cur = 0;
		} else if (bare && (strcmp(l, "  }") == 0 || strcmp(l, "  },") == 0)) {
			bare = false;
			cur = -1;
		} else if (in_array && strcmp(l, "    {") == 0) {
			stmt[i] = cur = next++;
		} else if (in_array && cur >= 0 && (strcmp(l, "    }") == 0 || strcmp(l, "    },") == 0)) {
			cur = -1;
		} else if (in_array && strcmp(l, "  ]") == 0) {
			in_array = false;
		}
	}
}

static void
add_trust(struct detail_screen *st, const struct binding_result *r, bool utf8)
{
	struct textview *tv = st->tv;
	char *json = trust_to_json(r->role->trust), *p, **lines = NULL;
	size_t n = 0, cap = 0;
	int *stmt;

	if (json == NULL) {
		textview_printf(tv, THEME_STATUS_ERROR, "  (out of memory)");
		return;
	}
	for (p = json; *p != '\0';) {
		char *nl = strchr(p, '\n');

		if (n == cap) {
			char **v = realloc(lines, (cap = cap > 0 ? cap * 2 : 64) * sizeof(*v));

			if (v == NULL)
				break;
			lines = v;
		}
		lines[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	if ((stmt = calloc(n > 0 ? n : 1, sizeof(*stmt))) != NULL) {
		statement_lines(lines, n, stmt);
		for (size_t i = 0; i < n; i++) {
			bool mark = r->evaluated && r->eval.statement >= 0 && stmt[i] == r->eval.statement;
			bool deny = mark && r->eval.verdict == TRUST_DENIED;
			const char *gutter = !mark  ? "    "
			                     : deny ? (utf8 ? "  \u2717 " : "  x ")
			                            : (utf8 ? "  \u25b6 " : "  > ");

			textview_json_line(tv, gutter, deny ? THEME_STATUS_ERROR : THEME_STATUS_OK, lines[i]);
		}
	}
	free(stmt);
	free(lines);
	free(json);
}

/* The workload a pod belongs to, by its owner: the workload itself, or a
 * ReplicaSet named "<deployment>-<hash>". */
static bool
pod_of_workload(const struct kube_object *pod, const struct kube_object *w)
{
	struct json_object *refs, *ref, *name;
	size_t len = strlen(w->name);

	if (!json_object_object_get_ex(jsonobj_obj(pod->obj, "metadata"), "ownerReferences", &refs) ||
	    !json_object_is_type(refs, json_type_array) || json_object_array_length(refs) == 0)
		return false;
	ref = json_object_array_get_idx(refs, 0);
	if (!json_object_object_get_ex(ref, "name", &name))
		return false;
	return strcmp(json_object_get_string(name), w->name) == 0 ||
	       (strncmp(json_object_get_string(name), w->name, len) == 0 && json_object_get_string(name)[len] == '-');
}

static void
add_workloads(struct detail_screen *st, const struct binding_result *r, bool utf8)
{
	struct textview *tv = st->tv;
	size_t i, p;

	textview_printf(tv, THEME_TABLE_HEADER, "Workloads");
	if (st->workloads.n == 0)
		textview_printf(tv, THEME_DIM, "  (none runs as it)");
	for (i = 0; i < st->workloads.n; i++) {
		const struct kube_object *w = &st->workloads.v[i];
		size_t stale = 0;

		for (p = 0; r->role_arn != NULL && r->typo_key == NULL && p < st->pods.n; p++)
			if (pod_of_workload(&st->pods.v[p], w) && !binding_pod_has_role(&st->pods.v[p], r->role_arn))
				stale++;
		textview_line(tv);
		textview_span(tv, THEME_BODY, "  ");
		textview_span(tv, THEME_BODY, kube_resource(w->kind)->kind);
		textview_span(tv, THEME_BODY, " ");
		textview_span(tv, THEME_BODY, w->name);
		if (stale > 0) {
			textview_span(tv, THEME_STATUS_WARN, utf8 ? "  \u21bb restart it: " : "  ~ restart it: ");
			textview_span(tv, THEME_STATUS_WARN, "kubectl rollout restart");
		}
	}
	textview_line(tv);
	textview_printf(tv, THEME_TABLE_HEADER, "Pods");
	if (st->pods.n == 0)
		textview_printf(tv, THEME_DIM, "  (none runs as it)");
	for (p = 0; p < st->pods.n; p++) {
		const struct kube_object *pod = &st->pods.v[p];
		const char *have = binding_pod_role_arn(pod);
		bool bound = r->role_arn != NULL && r->typo_key == NULL;
		bool ok = bound && binding_pod_has_role(pod, r->role_arn);

		textview_line(tv);
		if (!bound) {
			textview_span(tv, THEME_BODY, utf8 ? "  \u2013 " : "  - ");
			textview_span(tv, THEME_BODY, pod->name);
			if (have != NULL) {
				textview_span(tv, THEME_STATUS_WARN, "  AWS_ROLE_ARN=");
				textview_span(tv, THEME_STATUS_WARN, have);
			}
		} else if (ok) {
			textview_span(tv, THEME_STATUS_OK, utf8 ? "  \u2713 " : "  + ");
			textview_span(tv, THEME_BODY, pod->name);
			textview_span(tv, THEME_DIM, "  has the binding (AWS_ROLE_ARN)");
		} else {
			textview_span(tv, THEME_STATUS_WARN, utf8 ? "  \u21bb " : "  ~ ");
			textview_span(tv, THEME_BODY, pod->name);
			textview_span(tv, THEME_STATUS_WARN,
			              have != NULL ? "  runs with another role: restart it"
			                           : "  no AWS_ROLE_ARN: started before the binding, restart it");
		}
	}
	if (st->kube_err.message[0] != '\0')
		textview_printf(tv, THEME_STATUS_ERROR, "  %s", st->kube_err.message);
}

/* Builds the text from what is known now, keeping the scroll position. */
static void
view_build(struct screen *s, struct detail_screen *st)
{
	struct textview *tv = st->tv;
	bool utf8 = ui_utf8(s->ui);
	struct binding_input in = {.sa = &st->sa,
	                           .provider_arn = st->iam.provider_arn,
	                           .provider_missing = st->iam.provider_missing,
	                           .roles = st->iam.roles_read ? &st->roles : NULL,
	                           .pods = st->pods.v,
	                           .n_pods = st->pods.n,
	                           .pods_known = true};
	struct binding_result r;
	char status[BROWSE_STATUS_MAX];
	size_t i;

	textview_clear(tv);
	if (!st->sa_read) {
		textview_printf(tv, THEME_DIM, "Reading %s/%s...", st->t.ns, st->t.name);
		return;
	}
	binding_evaluate(&in, &r);
	textview_printf(tv, THEME_BODY, "Service account  %s/%s", st->sa.namespace, st->sa.name);
	textview_printf(tv, THEME_DIM, "Created          %s", st->sa.creation_timestamp);
	textview_line(tv);
	textview_span(tv, THEME_BODY, "Status           ");
	if (r.status == BINDING_UNKNOWN && st->job != NULL)
		textview_span(tv, THEME_DIM, "checking the role...");
	else
		textview_span(tv, browse_status_role(r.status), browse_status_text(r.status, utf8, status));
	if (!(r.status == BINDING_UNKNOWN && st->job != NULL))
		textview_printf(
		        tv, browse_status_role(r.status) == THEME_STATUS_OK ? THEME_BODY : browse_status_role(r.status),
		        "                 %s", r.why);
	textview_line(tv);
	textview_printf(tv, THEME_TABLE_HEADER, "Annotations");
	if (st->sa.n_annotations == 0)
		textview_printf(tv, THEME_DIM, "  (none)");
	for (i = 0; i < st->sa.n_annotations; i++) {
		const struct kube_kv *a = &st->sa.annotations[i];
		bool typo = r.typo_key != NULL && strcmp(a->key, r.typo_key) == 0;

		textview_line(tv);
		textview_span(tv, typo ? THEME_STATUS_ERROR : THEME_JSON_KEY, "  ");
		textview_span(tv, typo ? THEME_STATUS_ERROR : THEME_JSON_KEY, a->key);
		textview_span(tv, THEME_BODY, ": ");
		textview_span(tv, THEME_JSON_STRING, a->value);
		if (typo)
			textview_span(tv, THEME_STATUS_ERROR, "   <- not " BINDING_ROLE_KEY);
	}
	textview_line(tv);
	if (r.role_arn != NULL) {
		textview_printf(tv, THEME_TABLE_HEADER, "Role %s", r.role_name != NULL ? r.role_name : "");
		textview_printf(tv, THEME_DIM, "  %s", r.role_arn);
		if (r.role != NULL && r.role->trust != NULL) {
			textview_line(tv);
			textview_printf(tv, THEME_TABLE_HEADER, "Trust policy%s",
			                r.evaluated && r.eval.statement >= 0 ? "  (the marked statement decides)" : "");
			add_trust(st, &r, utf8);
		} else if (r.role != NULL && r.role->parse_error != NULL) {
			textview_printf(tv, THEME_STATUS_ERROR, "  trust policy: %s", r.role->parse_error);
		}
		if (r.role != NULL) {
			textview_line(tv);
			textview_printf(tv, THEME_TABLE_HEADER, "Attached policies");
			if (st->attached.n == 0)
				textview_printf(tv, THEME_DIM, "  (none)");
			for (i = 0; i < st->attached.n; i++)
				textview_printf(tv, THEME_BODY, "  %s  %s", st->attached.v[i].name,
				                st->attached.v[i].arn);
		}
		if (st->iam_read && st->iam.err.message[0] != '\0')
			textview_printf(tv, THEME_STATUS_ERROR, "  %s", st->iam.err.message);
		textview_line(tv);
	}
	add_workloads(st, &r, utf8);
}

static void
detail_load(struct screen *s)
{
	struct detail_screen *st = s->data;
	struct ui_goto g = browse_target_goto(&st->t, st->t.ns, st->t.name);
	struct detail_job *dj = calloc(1, sizeof(*dj));
	struct irsa_error err;

	if (dj == NULL || browse_target_set(&dj->t, &g, ui_cli(s->ui)) != 0) {
		free(dj);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	dj->cli = ui_cli(s->ui);
	st->job_arg = dj;
	st->job = jobs_start_with_free(ui_jobs(s->ui), s, "read the service account", detail_run, dj, detail_job_free,
	                               &err);
	if (st->job == NULL) {
		detail_job_free(dj);
		ui_flash_error(s->ui, &err);
	}
}

static void
detail_clear(struct detail_screen *st)
{
	kube_object_release(&st->sa);
	kube_object_list_release(&st->pods);
	kube_object_list_release(&st->workloads);
	binding_roles_release(&st->roles);
	browse_iam_release(&st->iam);
	aws_attached_policy_list_release(&st->attached);
	memset(&st->iam, 0, sizeof(st->iam));
	memset(&st->attached, 0, sizeof(st->attached));
	irsa_error_clear(&st->kube_err);
	st->sa_read = st->iam_read = false;
}

static int
detail_enter(struct screen *s, void *arg)
{
	const struct ui_goto *g = arg;
	struct detail_screen *st;

	if (g == NULL || g->ns == NULL || g->name == NULL) {
		ui_flash(s->ui, UI_FLASH_ERROR, "which service account? Give NAMESPACE/NAME");
		return -1;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL || browse_target_set(&st->t, g, ui_cli(s->ui)) != 0 ||
	    (st->tv = textview_new()) == NULL) {
		if (st != NULL)
			browse_target_release(&st->t);
		free(st);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return -1;
	}
	snprintf(s->crumb, sizeof(s->crumb), "%s", st->t.name);
	s->data = st;
	view_build(s, st);
	detail_load(s);
	return 0;
}

static void
detail_leave(struct screen *s)
{
	struct detail_screen *st = s->data;

	jobs_cancel_owner(ui_jobs(s->ui), s);
	detail_clear(st);
	textview_free(st->tv);
	browse_target_release(&st->t);
	free(st);
}

static void
detail_draw(struct screen *s, int y, int x, int h, int w)
{
	struct detail_screen *st = s->data;

	st->page = h;
	textview_draw(st->tv, ui_theme(s->ui), y, x, h, w);
}

static enum ui_key_result
detail_key(struct screen *s, int ch)
{
	struct detail_screen *st = s->data;
	struct wizard_args a;

	if (textview_key(st->tv, ch, st->page > 1 ? st->page : 1))
		return UI_KEY_HANDLED;
	switch (ch) {
	case UI_KEY_ESC:
		if (st->job == NULL)
			return UI_KEY_IGNORED;
		job_cancel(st->job);
		return UI_KEY_HANDLED;
	case 'r':
		jobs_cancel_owner(ui_jobs(s->ui), s);
		st->job = NULL;
		detail_clear(st);
		view_build(s, st);
		detail_load(s);
		return UI_KEY_HANDLED;
	case 'b': /* read-only: the wizard previews and exports */
		a = (struct wizard_args){st->t.context, st->t.cluster, st->t.region, st->t.ns, st->t.name};
		if (a.cluster == NULL && st->iam.cluster[0] != '\0') {
			a.cluster = st->iam.cluster;
			a.region = st->iam.region;
		}
		ui_push(s->ui, &screen_wizard, &a);
		return UI_KEY_HANDLED;
	default:
		return UI_KEY_IGNORED;
	}
}

static void
detail_job_done(struct screen *s, struct job *j)
{
	struct detail_screen *st = s->data;
	struct detail_job *dj = job_arg(j);
	struct irsa_error err;

	if (st->job == NULL || dj != st->job_arg)
		return;
	if (job_is_progress(j)) {
		st->sa = dj->sa;
		st->pods = dj->pods;
		st->workloads = dj->workloads;
		st->kube_err = dj->kube_err;
		memset(&dj->sa, 0, sizeof(dj->sa));
		memset(&dj->pods, 0, sizeof(dj->pods));
		memset(&dj->workloads, 0, sizeof(dj->workloads));
		st->sa_read = true;
		view_build(s, st);
		return;
	}
	st->job = NULL;
	if (dj->iam_read) {
		st->iam = dj->iam;
		st->attached = dj->attached;
		memset(&dj->iam, 0, sizeof(dj->iam));
		memset(&dj->attached, 0, sizeof(dj->attached));
		st->iam_read = true;
		if (binding_roles_init(&st->roles, st->iam.roles.v, st->iam.roles.n, &err) != 0)
			st->iam.roles_read = false;
	}
	if (job_rc(j) != 0 && job_error(j)->kind != IRSA_ERR_CANCELLED)
		ui_flash_error(s->ui, job_error(j));
	view_build(s, st);
}

static const struct ui_binding detail_bindings[] = {
        {'b', "b", "bind to a role", true, false},
        {'r', "r", "reload", true, false},
        {'j', "j/k", "scroll", true, false},
        {UI_KEY_ESC, "Esc", "back", false, false},
        {0, NULL, NULL, false, false},
};

const struct screen_ops screen_sa_detail = {
        .name = "serviceaccount",
        .enter = detail_enter,
        .leave = detail_leave,
        .draw = detail_draw,
        .key = detail_key,
        .job_done = detail_job_done,
        .bindings = detail_bindings,
};
