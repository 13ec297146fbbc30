/* tui/screen_namespaces.c - the namespaces of a cluster, each with its
 * phase, how many service accounts it has and how many of them carry the
 * role-arn annotation. One job reads two lists at once, page by page: the
 * namespaces and the service accounts of all namespaces (counted as they
 * arrive, never one request per namespace), so the counts grow while a big
 * cluster loads. Enter opens a namespace's service accounts; `a` all of
 * them. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding_status.h"
#include "browse.h"
#include "jsonobj.h"
#include "kube_api.h"
#include "table.h"
#include "ui.h"

/* One namespace: its phase (from the namespace list) and its counts (from
 * the service accounts). Either may come first. */
struct ns_entry {
	char *name;
	char *phase; /* NULL until the namespace list has it */
	size_t sas, bound;
};

struct ns_list {
	struct ns_entry *v;
	size_t n, cap;
	size_t last; /* the entry found last: accounts come grouped by namespace */
};

static void
ns_list_release(struct ns_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].phase);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct ns_entry *
ns_list_get(struct ns_list *l, const char *name)
{
	struct ns_entry *e;
	size_t i;

	if (l->last < l->n && strcmp(l->v[l->last].name, name) == 0)
		return &l->v[l->last];
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[l->last = i];
	if (l->n == l->cap) {
		size_t cap = l->cap > 0 ? l->cap * 2 : 32;

		if ((e = realloc(l->v, cap * sizeof(*e))) == NULL)
			return NULL;
		l->v = e;
		l->cap = cap;
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof(*e));
	if ((e->name = strdup(name)) == NULL)
		return NULL;
	l->last = l->n++;
	return e;
}

/* --- the job ------------------------------------------------------------------ */

enum { LIST_NAMESPACES, LIST_SERVICE_ACCOUNTS };

struct ns_job {
	const struct cli *cli;
	struct browse_target t;
	struct job *job;
	char context[256];
	pthread_mutex_t mu;
	struct ns_list l; /* what has been read so far */
	bool changed;
};

static void
ns_job_free(void *arg)
{
	struct ns_job *nj = arg;

	ns_list_release(&nj->l);
	pthread_mutex_destroy(&nj->mu);
	browse_target_release(&nj->t);
	free(nj);
}

static int
ns_take_item(struct ns_job *nj, size_t list, struct json_object *item, struct irsa_error *err)
{
	struct kube_object o;
	struct ns_entry *e;
	const char *phase;

	if (kube_object_from_json(item, list == LIST_NAMESPACES ? KUBE_NAMESPACE : KUBE_SERVICE_ACCOUNT, &o, err) != 0)
		return 0; /* an item without a name: not counted */
	e = ns_list_get(&nj->l, list == LIST_NAMESPACES ? o.name : o.namespace);
	if (e == NULL) {
		kube_object_release(&o);
		return irsa_error_oom(err);
	}
	if (list == LIST_NAMESPACES) {
		phase = jsonobj_str(jsonobj_obj(o.obj, "status"), "phase");
		free(e->phase);
		if ((e->phase = strdup(phase != NULL ? phase : "")) == NULL) {
			kube_object_release(&o);
			return irsa_error_oom(err);
		}
	} else {
		e->sas++;
		if (binding_role_arn(&o) != NULL)
			e->bound++;
	}
	kube_object_release(&o);
	return 0;
}

static int
ns_page(void *arg, size_t list, struct json_object *items, bool restarted, struct irsa_error *err)
{
	struct ns_job *nj = arg;
	size_t i;
	int rc = 0;

	pthread_mutex_lock(&nj->mu);
	if (restarted) /* the list starts again: forget what it gave */
		for (i = 0; i < nj->l.n; i++) {
			if (list == LIST_NAMESPACES) {
				free(nj->l.v[i].phase);
				nj->l.v[i].phase = NULL;
			} else {
				nj->l.v[i].sas = nj->l.v[i].bound = 0;
			}
		}
	for (i = 0; i < json_object_array_length(items) && rc == 0; i++)
		rc = ns_take_item(nj, list, json_object_array_get_idx(items, i), err);
	nj->changed = true;
	pthread_mutex_unlock(&nj->mu);
	if (rc == 0)
		job_progress(nj->job);
	return job_cancelled(nj->job) ? irsa_error_set(err, IRSA_ERR_CANCELLED, "cancelled") : rc;
}

static int
ns_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct ns_job *nj = arg;
	const struct kube_list_req reqs[] = {{.kind = KUBE_NAMESPACE}, {.kind = KUBE_SERVICE_ACCOUNT}};
	struct browse_kube k;
	int rc;

	nj->job = j;
	if (browse_kube_open(j, nj->cli, &nj->t, &k, err) != 0)
		return -1;
	snprintf(nj->context, sizeof(nj->context), "%s", k.context != NULL ? k.context : "");
	rc = kube_list_each(k.client, reqs, 2, ns_page, nj, NULL, err);
	browse_kube_close(j, &k);
	return rc;
}

/* --- the screen ---------------------------------------------------------------- */

struct ns_screen {
	struct browse_target t;
	struct table *table;
	struct job *job;
	void *job_arg;
	int page;
	bool cancelled;
};

static const struct table_column cols[] = {
        {"NAME", 16, true},
        {"STATUS", 11, false},
        {"SERVICE ACCOUNTS", 16, false},
        {"BOUND", 5, false},
};

/* The rows from what the job read so far. Namespaces known only from
 * their accounts wait for the namespace list. */
static void
rows_take(struct ns_screen *st, struct ns_job *nj)
{
	char sas[24], bound[24];
	const char *cells[4];

	pthread_mutex_lock(&nj->mu);
	for (size_t i = 0; nj->changed && i < nj->l.n; i++) {
		const struct ns_entry *e = &nj->l.v[i];

		if (e->phase == NULL)
			continue;
		snprintf(sas, sizeof(sas), "%zu", e->sas);
		snprintf(bound, sizeof(bound), "%zu", e->bound);
		cells[0] = e->name;
		cells[1] = e->phase;
		cells[2] = sas;
		cells[3] = bound;
		table_set_row(st->table, e->name, cells, e->bound > 0 ? THEME_BODY : THEME_DIM);
	}
	nj->changed = false;
	pthread_mutex_unlock(&nj->mu);
	table_sort(st->table, 0);
}

static void
ns_load(struct screen *s)
{
	struct ns_screen *st = s->data;
	struct ui_goto g = browse_target_goto(&st->t, NULL, NULL);
	struct ns_job *nj = calloc(1, sizeof(*nj));
	struct irsa_error err;

	if (nj == NULL || browse_target_set(&nj->t, &g, ui_cli(s->ui)) != 0) {
		free(nj);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	nj->cli = ui_cli(s->ui);
	pthread_mutex_init(&nj->mu, NULL);
	st->cancelled = false;
	st->job_arg = nj;
	st->job = jobs_start_with_free(ui_jobs(s->ui), s, "list namespaces and service accounts", ns_run, nj,
	                               ns_job_free, &err);
	if (st->job == NULL) {
		ns_job_free(nj);
		ui_flash_error(s->ui, &err);
	}
}

static int
ns_enter(struct screen *s, void *arg)
{
	struct ns_screen *st = calloc(1, sizeof(*st));

	if (st == NULL || browse_target_set(&st->t, arg, ui_cli(s->ui)) != 0 ||
	    (st->table = table_new(cols, sizeof(cols) / sizeof(cols[0]))) == NULL) {
		if (st != NULL)
			browse_target_release(&st->t);
		free(st);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return -1;
	}
	snprintf(s->crumb, sizeof(s->crumb), "%s", browse_target_label(&st->t));
	s->data = st;
	ns_load(s);
	return 0;
}

static void
ns_leave(struct screen *s)
{
	struct ns_screen *st = s->data;

	jobs_cancel_owner(ui_jobs(s->ui), s);
	table_free(st->table);
	browse_target_release(&st->t);
	free(st);
}

static void
ns_draw(struct screen *s, int y, int x, int h, int w)
{
	struct ns_screen *st = s->data;
	const struct theme *th = ui_theme(s->ui);
	const char *note = NULL;

	if (st->job != NULL)
		note = "Loading namespaces and service accounts... Esc cancels.";
	else if (st->cancelled)
		note = "Loading cancelled; r reloads.";
	if (note != NULL && h > 2) {
		h--;
		attrset(theme_attr(th, THEME_DIM));
		mvaddnstr(y + h, x, note, w);
		attrset(A_NORMAL);
	}
	st->page = h - 1;
	table_draw(st->table, th, y, x, h, w);
}

static enum ui_key_result
ns_key(struct screen *s, int ch)
{
	struct ns_screen *st = s->data;
	const char *ns;
	struct ui_goto g;

	if (table_key(st->table, ch, st->page > 1 ? st->page : 1))
		return UI_KEY_HANDLED;
	if (UI_KEY_IS_ENTER(ch) || ch == 'a') {
		ns = ch == 'a' ? NULL : table_selected(st->table);
		if (ns == NULL && ch != 'a')
			return UI_KEY_HANDLED;
		g = browse_target_goto(&st->t, ns, NULL);
		ui_push(s->ui, &screen_serviceaccounts, &g);
		return UI_KEY_HANDLED;
	}
	switch (ch) {
	case UI_KEY_ESC:
		if (st->job == NULL)
			return UI_KEY_IGNORED;
		job_cancel(st->job);
		st->cancelled = true;
		return UI_KEY_HANDLED;
	case 'r':
		jobs_cancel_owner(ui_jobs(s->ui), s);
		st->job = NULL;
		table_clear(st->table);
		ns_load(s);
		return UI_KEY_HANDLED;
	default:
		return UI_KEY_IGNORED;
	}
}

static void
ns_job_done(struct screen *s, struct job *j)
{
	struct ns_screen *st = s->data;
	struct ns_job *nj = job_arg(j);

	if (st->job == NULL || nj != st->job_arg)
		return;
	rows_take(st, nj);
	if (job_is_progress(j))
		return;
	st->job = NULL;
	if (nj->context[0] != '\0' && st->t.context == NULL && st->t.cluster == NULL) {
		st->t.context = strdup(nj->context);
		snprintf(s->crumb, sizeof(s->crumb), "%s", browse_target_label(&st->t));
	}
	if (job_rc(j) != 0 && job_error(j)->kind != IRSA_ERR_CANCELLED)
		ui_flash_error(s->ui, job_error(j));
}

static void
ns_filter(struct screen *s, const char *text)
{
	struct ns_screen *st = s->data;

	table_set_filter(st->table, text);
}

static void
ns_counts(struct screen *s, size_t *shown, size_t *total)
{
	struct ns_screen *st = s->data;

	*shown = table_shown(st->table);
	*total = table_total(st->table);
}

static const struct ui_binding ns_bindings[] = {
        {'\n', "Enter", "service accounts of the namespace", true, false},
        {'a', "a", "service accounts of all namespaces", true, false},
        {'r', "r", "reload", true, false},
        {UI_KEY_ESC, "Esc", "cancel loading, or back", false, false},
        {0, NULL, NULL, false, false},
};

const struct screen_ops screen_namespaces = {
        .name = "namespaces",
        .enter = ns_enter,
        .leave = ns_leave,
        .draw = ns_draw,
        .key = ns_key,
        .job_done = ns_job_done,
        .filter = ns_filter,
        .counts = ns_counts,
        .bindings = ns_bindings,
};
