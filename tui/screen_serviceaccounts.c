/* tui/screen_serviceaccounts.c - the service accounts of one namespace (or
 * all), each with the role it is bound to, its binding status as a glyph
 * and a word (binding_status.h; the row's colour only repeats it) and how
 * many pods run as it.
 *
 * Three jobs run at once: the accounts, page by page (kube_list_each():
 * the list shows the first 500 while the rest load), every pod of the
 * scope, and the cluster's IAM side (OIDC provider, ListRoles). Statuses
 * fill in when the last two arrive; Esc cancels what is still loading.
 * The accounts live in one array here and in the table (table.h), which
 * draws and filters 20,000 rows without a stall. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding_status.h"
#include "browse.h"
#include "kube_api.h"
#include "table.h"
#include "ui.h"
#include "wizard.h"

#define SA_KEY_MAX 512

/* --- the jobs ----------------------------------------------------------------- */

/* The accounts' job: pages land in pending, which the UI thread takes. */
struct sas_job {
	const struct cli *cli;
	struct browse_target t;
	struct job *job;
	char context[256]; /* the context resolved, once open */
	pthread_mutex_t mu;
	struct kube_object *pending;
	size_t n_pending, cap_pending;
	bool reset; /* a 410 restarted the list: drop what was shown */
	int pages;
};

struct pods_job {
	const struct cli *cli;
	struct browse_target t;
	struct kube_object_list pods;
};

struct iam_job {
	const struct cli *cli;
	struct browse_target t;
	struct browse_iam iam;
};

static void
pending_release(struct kube_object *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kube_object_release(&v[i]);
	free(v);
}

static void
sas_job_free(void *arg)
{
	struct sas_job *sj = arg;

	pending_release(sj->pending, sj->n_pending);
	pthread_mutex_destroy(&sj->mu);
	browse_target_release(&sj->t);
	free(sj);
}

static void
pods_job_free(void *arg)
{
	struct pods_job *pj = arg;

	kube_object_list_release(&pj->pods);
	browse_target_release(&pj->t);
	free(pj);
}

static void
iam_job_free(void *arg)
{
	struct iam_job *ij = arg;

	browse_iam_release(&ij->iam);
	browse_target_release(&ij->t);
	free(ij);
}

/* One page of accounts (worker thread). */
static int
sas_page(void *arg, size_t list, struct json_object *items, bool restarted, struct irsa_error *err)
{
	struct sas_job *sj = arg;
	size_t i, n = json_object_array_length(items);
	int rc = 0;

	(void)list;
	pthread_mutex_lock(&sj->mu);
	if (restarted) {
		pending_release(sj->pending, sj->n_pending);
		sj->pending = NULL;
		sj->n_pending = sj->cap_pending = 0;
		sj->reset = true;
	}
	if (sj->n_pending + n > sj->cap_pending) {
		size_t cap = sj->cap_pending * 2 > sj->n_pending + n ? sj->cap_pending * 2 : sj->n_pending + n;
		struct kube_object *v = realloc(sj->pending, cap * sizeof(*v));

		if (v == NULL)
			rc = irsa_error_oom(err);
		else {
			sj->pending = v;
			sj->cap_pending = cap;
		}
	}
	for (i = 0; i < n && rc == 0; i++)
		if (kube_object_from_json(json_object_array_get_idx(items, i), KUBE_SERVICE_ACCOUNT,
		                          &sj->pending[sj->n_pending], err) == 0)
			sj->n_pending++;
	sj->pages++;
	pthread_mutex_unlock(&sj->mu);
	if (rc == 0)
		job_progress(sj->job);
	return job_cancelled(sj->job) ? irsa_error_set(err, IRSA_ERR_CANCELLED, "cancelled") : rc;
}

static int
sas_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct sas_job *sj = arg;
	struct kube_list_req req = {.kind = KUBE_SERVICE_ACCOUNT, .namespace = sj->t.ns};
	struct browse_kube k;
	int rc;

	sj->job = j;
	if (browse_kube_open(j, sj->cli, &sj->t, &k, err) != 0)
		return -1;
	snprintf(sj->context, sizeof(sj->context), "%s", k.context != NULL ? k.context : "");
	rc = kube_list_each(k.client, &req, 1, sas_page, sj, NULL, err);
	browse_kube_close(j, &k);
	return rc;
}

static int
pods_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct pods_job *pj = arg;
	struct browse_kube k;
	int rc;

	if (browse_kube_open(j, pj->cli, &pj->t, &k, err) != 0)
		return -1;
	rc = kube_list_pods(k.client, pj->t.ns, &pj->pods, err);
	browse_kube_close(j, &k);
	return rc;
}

static int
iam_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct iam_job *ij = arg;

	return browse_iam_read(j, ij->cli, &ij->t, NULL, &ij->iam, NULL, err);
}

/* --- the screen ---------------------------------------------------------------- */

struct sa_screen {
	struct browse_target t;
	bool all; /* every namespace: a NAMESPACE column */
	struct table *table;

	struct kube_object *sas; /* the accounts, in the server's order */
	size_t n_sas, cap_sas;
	int pages;

	struct kube_object_list pods; /* sorted by namespace, then service account */
	bool pods_known;

	struct browse_iam iam;
	bool iam_known;
	struct binding_roles roles;

	struct job *j_sas, *j_pods, *j_iam; /* running; NULL once their final event came */
	void *a_sas, *a_pods, *a_iam;       /* their args, which progress events carry */
	int page;                           /* rows the table showed at the last draw */
	char note[600];                     /* the line under the table: loading, or why statuses are unknown */
	bool cancelled;
};

static const struct table_column cols_all[] = {
        {"NAMESPACE", 9, false}, {"NAME", 16, true}, {"ROLE", 12, true}, {"STATUS", 14, false}, {"PODS", 4, false},
};

static int
pod_cmp(const void *a, const void *b)
{
	const struct kube_object *x = a, *y = b;
	int c = strcmp(x->namespace, y->namespace);

	return c != 0 ? c : strcmp(x->service_account, y->service_account);
}

/* The pods running as sa: a slice of the sorted pods. */
static const struct kube_object *
pods_of(const struct sa_screen *st, const struct kube_object *sa, size_t *n)
{
	struct kube_object key = {.namespace = sa->namespace, .service_account = sa->name};
	size_t lo = 0, hi = st->pods.n, mid, end;

	*n = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pod_cmp(&st->pods.v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < st->pods.n && pod_cmp(&st->pods.v[end], &key) == 0; end++)
		;
	*n = end - lo;
	return *n > 0 ? &st->pods.v[lo] : NULL;
}

static void
row_key(const struct kube_object *sa, char *out)
{
	snprintf(out, SA_KEY_MAX, "%s/%s", sa->namespace, sa->name);
}

/* Sets the table row of one account from what is known now. */
static int
row_set(struct screen *s, struct sa_screen *st, const struct kube_object *sa)
{
	struct binding_input in = {.sa = sa,
	                           .provider_arn = st->iam.provider_arn,
	                           .provider_missing = st->iam.provider_missing,
	                           .roles = st->iam.roles_read ? &st->roles : NULL,
	                           .pods_known = st->pods_known};
	struct binding_result r;
	char key[SA_KEY_MAX], status[BROWSE_STATUS_MAX], pods[24];
	const char *cells[5];
	enum theme_role role;
	bool utf8 = ui_utf8(s->ui);

	if (st->pods_known)
		in.pods = pods_of(st, sa, &in.n_pods);
	binding_evaluate(&in, &r);
	if (r.status == BINDING_UNKNOWN && st->j_iam != NULL && r.role_arn != NULL)
		snprintf(status, sizeof(status), "%s checking", utf8 ? "\u2026" : "...");
	else
		browse_status_text(r.status, utf8, status);
	role = r.status == BINDING_UNKNOWN && st->j_iam != NULL ? THEME_BODY : browse_status_role(r.status);
	pods[0] = '\0';
	if (st->pods_known)
		snprintf(pods, sizeof(pods), "%zu", r.pods);
	row_key(sa, key);
	cells[0] = sa->namespace;
	cells[1] = sa->name;
	cells[2] = r.role_name;
	cells[3] = status;
	cells[4] = pods;
	return table_set_row(st->table, key, st->all ? cells : cells + 1, role);
}

static void
rows_refresh(struct screen *s, struct sa_screen *st)
{
	for (size_t i = 0; i < st->n_sas; i++)
		row_set(s, st, &st->sas[i]);
}

static void
note_update(struct sa_screen *st)
{
	char what[128] = "";

	st->note[0] = '\0';
	if (st->j_sas != NULL)
		snprintf(what, sizeof(what), "service accounts (%zu so far)", st->n_sas);
	if (st->j_pods != NULL)
		snprintf(what + strlen(what), sizeof(what) - strlen(what), "%spods", what[0] != '\0' ? ", " : "");
	if (st->j_iam != NULL)
		snprintf(what + strlen(what), sizeof(what) - strlen(what), "%sroles", what[0] != '\0' ? ", " : "");
	if (what[0] != '\0')
		snprintf(st->note, sizeof(st->note), "Loading %s... Esc cancels.", what);
	else if (st->cancelled)
		snprintf(st->note, sizeof(st->note), "Loading cancelled; r reloads.");
	else if (st->iam_known && (!st->iam.roles_read || st->iam.provider_arn == NULL) &&
	         st->iam.err.message[0] != '\0')
		snprintf(st->note, sizeof(st->note), "Statuses unknown: %s", st->iam.err.message);
}

static void
model_clear(struct sa_screen *st)
{
	for (size_t i = 0; i < st->n_sas; i++)
		kube_object_release(&st->sas[i]);
	st->n_sas = 0;
	table_clear(st->table);
}

/* Takes the pages the accounts' job has read so far. */
static void
take_pages(struct screen *s, struct sa_screen *st, struct sas_job *sj)
{
	struct kube_object *v;
	size_t n, i;
	bool reset;

	pthread_mutex_lock(&sj->mu);
	v = sj->pending;
	n = sj->n_pending;
	reset = sj->reset;
	st->pages = sj->pages;
	sj->pending = NULL;
	sj->n_pending = sj->cap_pending = 0;
	sj->reset = false;
	pthread_mutex_unlock(&sj->mu);
	if (reset)
		model_clear(st);
	if (st->n_sas + n > st->cap_sas) {
		size_t cap = st->cap_sas * 2 > st->n_sas + n ? st->cap_sas * 2 : st->n_sas + n;
		struct kube_object *grown = realloc(st->sas, cap * sizeof(*grown));

		if (grown == NULL) {
			pending_release(v, n);
			ui_flash(s->ui, UI_FLASH_ERROR, "out of memory reading service accounts");
			return;
		}
		st->sas = grown;
		st->cap_sas = cap;
	}
	for (i = 0; i < n; i++) {
		st->sas[st->n_sas] = v[i];
		row_set(s, st, &st->sas[st->n_sas++]);
	}
	free(v);
	if (sj->context[0] != '\0' && st->t.context == NULL && st->t.cluster == NULL)
		st->t.context = strdup(sj->context);
}

static struct job *
start(struct screen *s, const char *what, job_fn fn, void *arg, void (*free_arg)(void *))
{
	struct irsa_error err;
	struct job *j = jobs_start_with_free(ui_jobs(s->ui), s, what, fn, arg, free_arg, &err);

	if (j == NULL) {
		free_arg(arg);
		ui_flash_error(s->ui, &err);
	}
	return j;
}

/* (Re)loads everything. */
static void
load(struct screen *s)
{
	struct sa_screen *st = s->data;
	struct ui_goto g = browse_target_goto(&st->t, st->t.ns, NULL);
	const struct cli *cli = ui_cli(s->ui);
	struct sas_job *sj = calloc(1, sizeof(*sj));
	struct pods_job *pj = calloc(1, sizeof(*pj));
	struct iam_job *ij = calloc(1, sizeof(*ij));

	if (sj == NULL || pj == NULL || ij == NULL || browse_target_set(&sj->t, &g, cli) != 0 ||
	    browse_target_set(&pj->t, &g, cli) != 0 || browse_target_set(&ij->t, &g, cli) != 0) {
		if (sj != NULL)
			browse_target_release(&sj->t);
		if (pj != NULL)
			browse_target_release(&pj->t);
		if (ij != NULL)
			browse_target_release(&ij->t);
		free(sj);
		free(pj);
		free(ij);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	sj->cli = pj->cli = ij->cli = cli;
	pthread_mutex_init(&sj->mu, NULL);
	st->cancelled = false;
	st->a_sas = sj;
	st->a_pods = pj;
	st->a_iam = ij;
	st->j_sas = start(s, "list service accounts", sas_run, sj, sas_job_free);
	st->j_pods = start(s, "list pods", pods_run, pj, pods_job_free);
	st->j_iam = start(s, "read roles", iam_run, ij, iam_job_free);
	note_update(st);
}

static void
reload(struct screen *s, struct sa_screen *st)
{
	jobs_cancel_owner(ui_jobs(s->ui), s);
	st->j_sas = st->j_pods = st->j_iam = NULL;
	model_clear(st);
	kube_object_list_release(&st->pods);
	st->pods_known = false;
	binding_roles_release(&st->roles);
	browse_iam_release(&st->iam);
	memset(&st->iam, 0, sizeof(st->iam));
	st->iam_known = false;
	load(s);
}

static int
sa_enter(struct screen *s, void *arg)
{
	const struct ui_goto *g = arg;
	struct sa_screen *st = calloc(1, sizeof(*st));

	if (st == NULL || browse_target_set(&st->t, g, ui_cli(s->ui)) != 0) {
		free(st);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return -1;
	}
	if (st->t.ns != NULL && st->t.ns[0] == '\0') {
		free(st->t.ns);
		st->t.ns = NULL;
	}
	st->all = st->t.ns == NULL;
	st->table = st->all ? table_new(cols_all, 5) : table_new(cols_all + 1, 4);
	if (st->table == NULL) {
		browse_target_release(&st->t);
		free(st);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return -1;
	}
	snprintf(s->crumb, sizeof(s->crumb), "%s", st->all ? "all namespaces" : st->t.ns);
	s->data = st;
	load(s);
	return 0;
}

static void
sa_leave(struct screen *s)
{
	struct sa_screen *st = s->data;

	jobs_cancel_owner(ui_jobs(s->ui), s);
	model_clear(st);
	free(st->sas);
	table_free(st->table);
	kube_object_list_release(&st->pods);
	binding_roles_release(&st->roles);
	browse_iam_release(&st->iam);
	browse_target_release(&st->t);
	free(st);
}

static void
sa_draw(struct screen *s, int y, int x, int h, int w)
{
	struct sa_screen *st = s->data;
	const struct theme *th = ui_theme(s->ui);

	if (st->note[0] != '\0' && h > 2) {
		h--;
		attrset(theme_attr(th, THEME_DIM));
		mvaddnstr(y + h, x, st->note, w);
		attrset(A_NORMAL);
	}
	st->page = h - 1;
	table_draw(st->table, th, y, x, h, w);
	if (table_total(st->table) == 0 && st->j_sas == NULL && h > 2) {
		attrset(theme_attr(th, THEME_DIM));
		mvprintw(y + 2, x + 2, "No service accounts in %s.", st->all ? "any namespace" : st->t.ns);
		attrset(A_NORMAL);
	}
}

/* The selected account's namespace and name, split from its key. */
static bool
selected(const struct sa_screen *st, char *ns, char *name)
{
	const char *key = table_selected(st->table), *slash;

	if (key == NULL || (slash = strchr(key, '/')) == NULL)
		return false;
	snprintf(ns, SA_KEY_MAX, "%.*s", (int)(slash - key), key);
	snprintf(name, SA_KEY_MAX, "%s", slash + 1);
	return true;
}

static void
open_wizard(struct screen *s, struct sa_screen *st, const char *ns, const char *sa)
{
	struct wizard_args a = {st->t.context, st->t.cluster, st->t.region, ns, sa};

	if (a.cluster == NULL && st->iam.cluster[0] != '\0') {
		a.cluster = st->iam.cluster;
		a.region = st->iam.region;
	}
	ui_push(s->ui, &screen_wizard, &a);
}

static bool
cancel_loads(struct sa_screen *st)
{
	struct job *running[] = {st->j_sas, st->j_pods, st->j_iam};
	bool any = false;

	for (size_t i = 0; i < sizeof(running) / sizeof(running[0]); i++)
		if (running[i] != NULL) {
			job_cancel(running[i]);
			any = true;
		}
	return any;
}

static enum ui_key_result
sa_key(struct screen *s, int ch)
{
	struct sa_screen *st = s->data;
	char ns[SA_KEY_MAX], name[SA_KEY_MAX];
	struct ui_goto g;

	if (table_key(st->table, ch, st->page > 1 ? st->page : 1))
		return UI_KEY_HANDLED;
	if (UI_KEY_IS_ENTER(ch)) {
		if (selected(st, ns, name)) {
			g = browse_target_goto(&st->t, ns, name);
			ui_push(s->ui, &screen_sa_detail, &g);
		}
		return UI_KEY_HANDLED;
	}
	switch (ch) {
	case UI_KEY_ESC:
		if (cancel_loads(st)) {
			st->cancelled = true;
			return UI_KEY_HANDLED;
		}
		return UI_KEY_IGNORED;
	case 'r':
		reload(s, st);
		return UI_KEY_HANDLED;
	case 'b':
		if (selected(st, ns, name)) /* read-only: the wizard previews and exports */
			open_wizard(s, st, ns, name);
		return UI_KEY_HANDLED;
	case 'n':
		open_wizard(s, st, st->t.ns, NULL);
		return UI_KEY_HANDLED;
	default:
		return UI_KEY_IGNORED;
	}
}

static void
sa_job_done(struct screen *s, struct job *j)
{
	struct sa_screen *st = s->data;
	void *arg = job_arg(j);
	bool progress = job_is_progress(j);

	if (st->j_sas != NULL && arg == st->a_sas) {
		take_pages(s, st, arg);
		if (!progress) {
			st->j_sas = NULL;
			if (job_rc(j) != 0 && job_error(j)->kind != IRSA_ERR_CANCELLED)
				ui_flash_error(s->ui, job_error(j));
		}
	} else if (st->j_pods != NULL && arg == st->a_pods && !progress) {
		struct pods_job *pj = arg;

		st->j_pods = NULL;
		if (job_rc(j) == 0) {
			st->pods = pj->pods;
			memset(&pj->pods, 0, sizeof(pj->pods));
			qsort(st->pods.v, st->pods.n, sizeof(*st->pods.v), pod_cmp);
			st->pods_known = true;
		} else if (job_error(j)->kind != IRSA_ERR_CANCELLED) {
			ui_flash_error(s->ui, job_error(j));
		}
		rows_refresh(s, st);
	} else if (st->j_iam != NULL && arg == st->a_iam && !progress) {
		struct iam_job *ij = arg;
		struct irsa_error err;

		st->j_iam = NULL;
		if (job_rc(j) == 0) {
			st->iam = ij->iam;
			memset(&ij->iam, 0, sizeof(ij->iam));
			st->iam_known = true;
			if (binding_roles_init(&st->roles, st->iam.roles.v, st->iam.roles.n, &err) != 0)
				st->iam.roles_read = false;
		}
		rows_refresh(s, st);
	}
	note_update(st);
}

static void
sa_filter(struct screen *s, const char *text)
{
	struct sa_screen *st = s->data;

	table_set_filter(st->table, text);
}

static void
sa_counts(struct screen *s, size_t *shown, size_t *total)
{
	struct sa_screen *st = s->data;

	*shown = table_shown(st->table);
	*total = table_total(st->table);
}

static const struct ui_binding sa_bindings[] = {
        {'\n', "Enter", "details: trust, policies, pods", true, false}, {'b', "b", "bind to a role", true, false},
        {'n', "n", "new service account (wizard)", true, false},        {'r', "r", "reload", true, false},
        {UI_KEY_ESC, "Esc", "cancel loading, or back", false, false},   {0, NULL, NULL, false, false},
};

const struct screen_ops screen_serviceaccounts = {
        .name = "serviceaccounts",
        .enter = sa_enter,
        .leave = sa_leave,
        .draw = sa_draw,
        .key = sa_key,
        .job_done = sa_job_done,
        .filter = sa_filter,
        .counts = sa_counts,
        .bindings = sa_bindings,
};
