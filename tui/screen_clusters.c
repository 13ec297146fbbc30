/* tui/screen_clusters.c - where the UI opens: the EKS clusters of every
 * configured region (the --region flags, else the configured region and
 * every profile's), each with its Kubernetes version, status, whether the
 * account has the IAM OIDC provider IRSA needs for its issuer, and the
 * kubeconfig context that reaches it (kube_match.h); then the contexts
 * that reach no cluster found (other clusters, or not EKS).
 *
 * A job per region (eks_scan_region()) so the list fills as regions
 * answer; one job reads the regions to ask and ListOpenIDConnectProviders;
 * one reads the kubeconfig. Enter opens a cluster's namespaces, through
 * its context, or by DescribeCluster and the built-in EKS token when no
 * context reaches it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "eks.h"
#include "iam.h"
#include "kube_match.h"
#include "kubeconfig.h"
#include "regions.h"
#include "table.h"
#include "ui.h"

#define KEY_EKS "eks:"
#define KEY_CTX "ctx:"

/* --- the jobs ------------------------------------------------------------------- */

/* The first member of every job's arg, so that job_done knows which it is. */
enum cl_job { CL_REGIONS, CL_REGION, CL_CONTEXTS };

/* The regions to ask (posted as progress), then the account's OIDC providers. */
struct regions_job {
	enum cl_job kind;
	const struct cli *cli;
	struct aws_strings list;
	struct aws_strings providers;
	struct irsa_error providers_err;
	bool providers_ok;
};

struct region_job {
	enum cl_job kind;
	const struct cli *cli;
	char *region;
	struct eks_region r;
};

struct contexts_job {
	enum cl_job kind;
	const struct cli *cli;
	struct kube_eks_refs refs;
};

static void
regions_job_free(void *arg)
{
	struct regions_job *rj = arg;

	aws_strings_release(&rj->list);
	aws_strings_release(&rj->providers);
	free(rj);
}

static void
region_job_free(void *arg)
{
	struct region_job *rj = arg;

	eks_region_release(&rj->r);
	free(rj->region);
	free(rj);
}

static void
contexts_job_free(void *arg)
{
	struct contexts_job *cj = arg;

	kube_match_refs_release(&cj->refs);
	free(cj);
}

static void
cancel_aws(void *c)
{
	aws_client_cancel(c);
}

static int
regions_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct regions_job *rj = arg;
	struct aws_client_options opt = {.profile = rj->cli->profile, .region = rj->cli->region};
	struct aws_client *c;

	if (region_list_from_flags(rj->cli, &rj->list) != 0)
		return irsa_error_oom(err);
	if (rj->list.n > 0)
		opt.region = rj->list.v[0];
	if ((c = aws_client_new(&opt, err)) == NULL)
		return -1;
	if (rj->list.n == 0 && region_list_default(c, false, &rj->list) != 0) {
		aws_client_free(c);
		return irsa_error_oom(err);
	}
	job_progress(j); /* the screen starts a job per region */
	job_on_cancel(j, cancel_aws, c);
	rj->providers_ok = iam_list_oidc_providers(c, &rj->providers, &rj->providers_err) == 0;
	job_on_cancel(j, NULL, NULL);
	aws_client_free(c);
	return 0;
}

static int
region_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct region_job *rj = arg;
	struct aws_client_options opt = {.profile = rj->cli->profile, .region = rj->region};
	struct aws_client *c;

	rj->r.region = rj->region;
	if ((c = aws_client_new(&opt, err)) == NULL) {
		irsa_error_prefix(err, "region %s", rj->region);
		return -1;
	}
	job_on_cancel(j, cancel_aws, c);
	eks_scan_region(c, &rj->r);
	job_on_cancel(j, NULL, NULL);
	aws_client_free(c);
	if (rj->r.rc != 0)
		*err = rj->r.err;
	return rj->r.rc;
}

static int
contexts_run(struct job *j, void *arg, struct irsa_error *err)
{
	struct contexts_job *cj = arg;
	struct kubeconfig *cfg = NULL;
	int rc;

	if (kubeconfig_load(cj->cli->kubeconfig, &cfg, err) != 0)
		return -1;
	rc = kube_match_refs(cfg, &cj->refs, err);
	kubeconfig_free(cfg);
	return rc;
}

/* --- the screen ----------------------------------------------------------------- */

struct found {
	struct aws_eks_cluster k;
	char *region;
	char *provider_arn; /* what the issuer needs; NULL without an issuer */
};

enum oidc_state { OIDC_LOADING, OIDC_KNOWN, OIDC_FAILED };

struct clusters_screen {
	struct table *table;
	struct found *v;
	size_t n;
	struct kube_eks_refs refs;
	struct aws_strings providers;
	enum oidc_state oidc;
	size_t regions, regions_done, regions_failed;
	int running; /* jobs not finished */
	bool contexts_done, cancelled;
	struct job **jobs; /* running, for Esc */
	size_t n_jobs, cap_jobs;
	int page;
};

static const struct table_column cols[] = {
        {"NAME", 12, true},   {"REGION", 9, false},         {"VERSION", 7, false},
        {"STATUS", 8, false}, {"OIDC PROVIDER", 13, false}, {"CONTEXT", 12, true},
};

static bool
has_provider(const struct clusters_screen *st, const char *arn)
{
	for (size_t i = 0; i < st->providers.n; i++)
		if (strcmp(st->providers.v[i], arn) == 0)
			return true;
	return false;
}

/* The OIDC cell of cluster f, and the row's role. */
static const char *
oidc_cell(const struct clusters_screen *st, const struct found *f, bool utf8, char *buf, size_t bufsz,
          enum theme_role *role)
{
	*role = THEME_BODY;
	if (f->provider_arn == NULL)
		return "no issuer";
	if (st->oidc == OIDC_LOADING)
		return utf8 ? "\u2026" : "...";
	if (st->oidc == OIDC_FAILED)
		return "? unknown";
	if (has_provider(st, f->provider_arn)) {
		snprintf(buf, bufsz, "%s present", utf8 ? "\u2713" : "+");
		*role = THEME_STATUS_OK;
	} else {
		snprintf(buf, bufsz, "%s missing", utf8 ? "\u2717" : "x");
		*role = THEME_STATUS_WARN;
	}
	return buf;
}

static const struct found *
found_by_arn(const struct clusters_screen *st, const char *arn)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].k.arn != NULL && strcmp(st->v[i].k.arn, arn) == 0)
			return &st->v[i];
	return NULL;
}

/* The cluster a context reaches among those found, or NULL. */
static const struct found *
found_by_ref(const struct clusters_screen *st, const struct kube_eks_ref *r)
{
	for (size_t i = 0; i < st->n; i++)
		if (kube_match_ref(r, &st->v[i].k) != KUBE_MATCH_NONE)
			return &st->v[i];
	return NULL;
}

static const struct kube_eks_ref *
ref_by_context(const struct clusters_screen *st, const char *context)
{
	for (size_t i = 0; i < st->refs.n; i++)
		if (strcmp(st->refs.v[i].context, context) == 0)
			return &st->refs.v[i];
	return NULL;
}

/* Every row from what is known now: a row per cluster (with its best
 * context), then a row per context that is no cluster's best. */
static void
rows_refresh(struct screen *s, struct clusters_screen *st)
{
	bool utf8 = ui_utf8(s->ui), all_regions = st->regions_done == st->regions && st->regions > 0;
	char key[600], oidc[32];
	const char *cells[6];
	enum theme_role role;
	size_t i;

	for (i = 0; i < st->n; i++) {
		const struct found *f = &st->v[i];
		enum kube_match_kind kind;
		const struct kube_eks_ref *ref = kube_match_find(&st->refs, &f->k, &kind);

		cells[0] = f->k.name;
		cells[1] = f->region;
		cells[2] = f->k.version;
		cells[3] = f->k.status;
		cells[4] = oidc_cell(st, f, utf8, oidc, sizeof(oidc), &role);
		cells[5] = ref != NULL ? ref->context : "";
		snprintf(key, sizeof(key), KEY_EKS "%s", f->k.arn != NULL ? f->k.arn : f->k.name);
		table_set_row(st->table, key, cells, role);
	}
	for (i = 0; i < st->refs.n; i++) {
		const struct kube_eks_ref *r = &st->refs.v[i];
		const struct found *f = found_by_ref(st, r);
		enum kube_match_kind kind;

		snprintf(key, sizeof(key), KEY_CTX "%s", r->context);
		if (f != NULL && kube_match_find(&st->refs, &f->k, &kind) == r) {
			table_remove_row(st->table, key); /* shown on its cluster's row */
			continue;
		}
		role = THEME_BODY;
		if (f != NULL) {
			cells[0] = f->k.name;
			cells[1] = f->region;
			cells[2] = f->k.version;
			cells[3] = f->k.status;
			cells[4] = oidc_cell(st, f, utf8, oidc, sizeof(oidc), &role);
		} else {
			cells[0] = r->name != NULL ? r->name : r->cluster != NULL ? r->cluster : "";
			cells[1] = r->region != NULL ? r->region : "";
			cells[2] = "";
			cells[3] = r->name != NULL || !all_regions ? "" : "not EKS";
			cells[4] = "";
			role = THEME_DIM;
		}
		cells[5] = r->context;
		table_set_row(st->table, key, cells, role);
	}
	table_sort(st->table, 5);
	table_sort(st->table, 0);
}

static void
jobs_forget(struct clusters_screen *st, struct job *j)
{
	for (size_t i = 0; i < st->n_jobs; i++)
		if (st->jobs[i] == j) {
			st->jobs[i] = st->jobs[--st->n_jobs];
			return;
		}
}

static void
start(struct screen *s, const char *what, job_fn fn, void *arg, void (*free_arg)(void *))
{
	struct clusters_screen *st = s->data;
	struct irsa_error err;
	struct job *j;

	if (st->n_jobs == st->cap_jobs) {
		size_t cap = st->cap_jobs > 0 ? st->cap_jobs * 2 : 8;
		struct job **v = realloc(st->jobs, cap * sizeof(*v));

		if (v == NULL) {
			free_arg(arg);
			ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
			return;
		}
		st->jobs = v;
		st->cap_jobs = cap;
	}
	if ((j = jobs_start_with_free(ui_jobs(s->ui), s, what, fn, arg, free_arg, &err)) == NULL) {
		free_arg(arg);
		ui_flash_error(s->ui, &err);
		return;
	}
	st->jobs[st->n_jobs++] = j;
	st->running++;
}

static void
load(struct screen *s)
{
	struct clusters_screen *st = s->data;
	struct regions_job *rj = calloc(1, sizeof(*rj));
	struct contexts_job *cj = calloc(1, sizeof(*cj));

	if (rj == NULL || cj == NULL) {
		free(rj);
		free(cj);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	rj->kind = CL_REGIONS;
	cj->kind = CL_CONTEXTS;
	rj->cli = cj->cli = ui_cli(s->ui);
	st->cancelled = false;
	st->oidc = OIDC_LOADING;
	start(s, "read the kubeconfig", contexts_run, cj, contexts_job_free);
	start(s, "list regions and OIDC providers", regions_run, rj, regions_job_free);
}

static void
model_clear(struct clusters_screen *st)
{
	for (size_t i = 0; i < st->n; i++) {
		aws_eks_cluster_release(&st->v[i].k);
		free(st->v[i].region);
		free(st->v[i].provider_arn);
	}
	free(st->v);
	st->v = NULL;
	st->n = 0;
	kube_match_refs_release(&st->refs);
	aws_strings_release(&st->providers);
	st->regions = st->regions_done = st->regions_failed = 0;
	st->contexts_done = false;
	table_clear(st->table);
}

static int
clusters_enter(struct screen *s, void *arg)
{
	struct clusters_screen *st = calloc(1, sizeof(*st));

	if (st == NULL || (st->table = table_new(cols, sizeof(cols) / sizeof(cols[0]))) == NULL) {
		free(st);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return -1;
	}
	s->data = st;
	load(s);
	return 0;
}

static void
clusters_leave(struct screen *s)
{
	struct clusters_screen *st = s->data;

	jobs_cancel_owner(ui_jobs(s->ui), s);
	model_clear(st);
	table_free(st->table);
	free(st->jobs);
	free(st);
}

static void
clusters_draw(struct screen *s, int y, int x, int h, int w)
{
	struct clusters_screen *st = s->data;
	const struct theme *th = ui_theme(s->ui);
	char note[256] = "";

	if (st->running > 0)
		snprintf(note, sizeof(note), "Looking for clusters: %zu of %zu regions answered... Esc cancels.",
		         st->regions_done, st->regions);
	else if (st->cancelled)
		snprintf(note, sizeof(note), "Cancelled; r looks again.");
	else if (st->regions_failed > 0)
		snprintf(note, sizeof(note), "%zu of %zu regions failed (see @). r looks again.", st->regions_failed,
		         st->regions);
	if (note[0] != '\0' && h > 2) {
		h--;
		attrset(theme_attr(th, THEME_DIM));
		mvaddnstr(y + h, x, note, w);
		attrset(A_NORMAL);
	}
	st->page = h - 1;
	table_draw(st->table, th, y, x, h, w);
	if (table_total(st->table) == 0 && st->running == 0 && h > 2) {
		attrset(theme_attr(th, THEME_DIM));
		mvaddnstr(y + 2, x + 2, "No EKS clusters and no kubeconfig contexts found.", w - 2);
		attrset(A_NORMAL);
	}
}

/* Enter: the namespaces of the selected row's cluster (A: its audit). */
static void
open_selected(struct screen *s, struct clusters_screen *st, const struct screen_ops *ops)
{
	const char *key = table_selected(st->table);
	const struct kube_eks_ref *r = NULL;
	const struct found *f = NULL;
	enum kube_match_kind kind;
	struct ui_goto g = {NULL, NULL, NULL, NULL, NULL};

	if (key == NULL)
		return;
	if (strncmp(key, KEY_EKS, strlen(KEY_EKS)) == 0) {
		if ((f = found_by_arn(st, key + strlen(KEY_EKS))) == NULL)
			return;
		r = kube_match_find(&st->refs, &f->k, &kind);
	} else if ((r = ref_by_context(st, key + strlen(KEY_CTX))) != NULL) {
		f = found_by_ref(st, r);
	}
	if (r != NULL)
		g.context = r->context;
	if (f != NULL) {
		g.cluster = f->k.name;
		g.region = f->region;
	} else if (r != NULL && r->name != NULL) {
		g.cluster = r->name;
		g.region = r->region;
	}
	if (g.context == NULL && g.cluster == NULL)
		return;
	ui_push(s->ui, ops, &g);
}

static enum ui_key_result
clusters_key(struct screen *s, int ch)
{
	struct clusters_screen *st = s->data;

	if (table_key(st->table, ch, st->page > 1 ? st->page : 1))
		return UI_KEY_HANDLED;
	if (UI_KEY_IS_ENTER(ch)) {
		open_selected(s, st, &screen_namespaces);
		return UI_KEY_HANDLED;
	}
	if (ch == 'A') {
		open_selected(s, st, &screen_audit);
		return UI_KEY_HANDLED;
	}
	switch (ch) {
	case UI_KEY_ESC:
		if (st->n_jobs == 0)
			return UI_KEY_IGNORED;
		for (size_t i = 0; i < st->n_jobs; i++)
			job_cancel(st->jobs[i]);
		st->cancelled = true;
		return UI_KEY_HANDLED;
	case 'r':
		jobs_cancel_owner(ui_jobs(s->ui), s);
		st->n_jobs = 0;
		st->running = 0;
		model_clear(st);
		load(s);
		return UI_KEY_HANDLED;
	default:
		return UI_KEY_IGNORED;
	}
}

/* The regions job: its progress starts a job per region; its end brings
 * the OIDC providers. */
static void
regions_done(struct screen *s, struct clusters_screen *st, struct job *j, struct regions_job *rj)
{
	if (job_is_progress(j)) {
		st->regions = rj->list.n;
		for (size_t i = 0; i < rj->list.n; i++) {
			struct region_job *one = calloc(1, sizeof(*one));
			char what[160];

			if (one == NULL || (one->region = strdup(rj->list.v[i])) == NULL) {
				free(one);
				ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
				continue;
			}
			one->kind = CL_REGION;
			one->cli = rj->cli;
			snprintf(what, sizeof(what), "list EKS clusters in %s", one->region);
			start(s, what, region_run, one, region_job_free);
		}
		return;
	}
	if (job_rc(j) != 0) {
		st->oidc = OIDC_FAILED;
		if (job_error(j)->kind != IRSA_ERR_CANCELLED)
			ui_flash_error(s->ui, job_error(j));
	} else if (rj->providers_ok) {
		st->providers = rj->providers;
		memset(&rj->providers, 0, sizeof(rj->providers));
		st->oidc = OIDC_KNOWN;
	} else {
		st->oidc = OIDC_FAILED;
		if (rj->providers_err.kind != IRSA_ERR_CANCELLED)
			ui_flash_error(s->ui, &rj->providers_err);
	}
}

static void
region_done(struct screen *s, struct clusters_screen *st, struct job *j, struct region_job *rj)
{
	struct found *v;
	size_t i;

	st->regions_done++;
	if (job_rc(j) != 0) {
		st->regions_failed++;
		if (job_error(j)->kind != IRSA_ERR_CANCELLED) {
			ui_log(s->ui, "%s", job_error(j)->message);
			ui_flash_error(s->ui, job_error(j));
		}
	}
	if (rj->r.n == 0 || (v = realloc(st->v, (st->n + rj->r.n) * sizeof(*v))) == NULL)
		return;
	st->v = v;
	for (i = 0; i < rj->r.n; i++) {
		struct found *f = &st->v[st->n];

		if (rj->r.clusters[i].name == NULL) /* its DescribeCluster failed */
			continue;
		memset(f, 0, sizeof(*f));
		f->k = rj->r.clusters[i];
		memset(&rj->r.clusters[i], 0, sizeof(rj->r.clusters[i]));
		f->region = strdup(rj->region);
		f->provider_arn = iam_cluster_provider_arn(f->k.arn, f->k.oidc_issuer);
		if (f->region == NULL) {
			aws_eks_cluster_release(&f->k);
			free(f->provider_arn);
			continue;
		}
		st->n++;
	}
}

static void
clusters_job_done(struct screen *s, struct job *j)
{
	struct clusters_screen *st = s->data;
	enum cl_job *kind = job_arg(j);

	if (!job_is_progress(j)) {
		jobs_forget(st, j);
		st->running--;
	}
	switch (*kind) {
	case CL_CONTEXTS: {
		struct contexts_job *cj = job_arg(j);

		st->contexts_done = true;
		if (job_rc(j) == 0) {
			st->refs = cj->refs;
			memset(&cj->refs, 0, sizeof(cj->refs));
		} else if (job_error(j)->kind != IRSA_ERR_CANCELLED && job_error(j)->kind != IRSA_ERR_NOT_FOUND) {
			ui_flash_error(s->ui, job_error(j));
		}
		break;
	}
	case CL_REGIONS:
		regions_done(s, st, j, job_arg(j));
		break;
	case CL_REGION:
		region_done(s, st, j, job_arg(j));
		break;
	}
	rows_refresh(s, st);
}

static void
clusters_filter(struct screen *s, const char *text)
{
	struct clusters_screen *st = s->data;

	table_set_filter(st->table, text);
}

static void
clusters_counts(struct screen *s, size_t *shown, size_t *total)
{
	struct clusters_screen *st = s->data;

	*shown = table_shown(st->table);
	*total = table_total(st->table);
}

static const struct ui_binding clusters_bindings[] = {
        {'\n', "Enter", "namespaces of the cluster", true, false},
        {'r', "r", "look again", true, false},
        {'A', "A", "audit the cluster", false, false},
        {UI_KEY_ESC, "Esc", "cancel the search", false, false},
        {0, NULL, NULL, false, false},
};

const struct screen_ops screen_clusters = {
        .name = "clusters",
        .enter = clusters_enter,
        .leave = clusters_leave,
        .draw = clusters_draw,
        .key = clusters_key,
        .job_done = clusters_job_done,
        .filter = clusters_filter,
        .counts = clusters_counts,
        .bindings = clusters_bindings,
};
