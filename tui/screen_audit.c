/* tui/screen_audit.c - the audit screen (`:audit`, or A on the clusters
 * screen): the findings of one cluster grouped by severity with counts,
 * each row a glyph and a severity word, the check id, the resource and a
 * short message; the checks that could not run at the end. Enter shows a
 * finding in full (the catalog's title, why and fix, the message, the
 * evidence as coloured JSON, the fix and its command); f builds the fix's
 * plan, previews it as the wizard does (plan_view.h), applies it after
 * ui_confirm() and re-runs the audit to say whether the finding is gone.
 *
 * The work runs in jobs: collecting (audit_session_collect() and
 * audit_run(); Esc cancels), planning a fix (audit_fix_plan()) and applying
 * it (plan_apply(), Esc stops between steps). The session (clients, input,
 * findings) is a struct audit_conn counted by references on the UI thread,
 * so the screen may leave while a job still uses it.
 *
 * Testing aid: IRSA_AUDIT_SNAPSHOT=FILE loads a snapshot
 * (docs/audit-snapshot.md) instead of collecting; nothing can be applied
 * then. The jobs and the session they share are audit_jobs.c's. */
#include "config.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "audit_jobs.h"
#include "audit_session.h"
#include "buf.h"
#include "plan_apply.h"
#include "plan_view.h"
#include "table.h"
#include "textview.h"
#include "ui.h"

#define ROW_GROUP  "g:"
#define ROW_FIND   "f:"
#define ROW_NOTRUN "n:"

/* --- the screen -------------------------------------------------------------- */

enum mode { MODE_LIST, MODE_DETAIL, MODE_PREVIEW, MODE_APPLY };

enum run_state { RUN_NONE, RUN_APPLYING, RUN_APPLIED, RUN_FAILED };

struct audit_screen {
	char *context, *cluster, *region; /* the scope, copied from the goto */
	const char *snapshot;             /* IRSA_AUDIT_SNAPSHOT, or NULL */
	struct table *table;
	struct textview *tv_detail, *tv_fix;
	enum mode mode;
	int page;
	char filter[256];

	struct audit_conn *conn; /* the findings shown; NULL before the first collection */

	struct job *collect_job; /* running, for Esc; NULL otherwise */
	char progress[256];
	bool cancelled;
	struct irsa_error collect_err;
	bool collect_failed;
	char *recheck_ref; /* after an apply: the finding the re-run looks for */

	char *detail_ref; /* the finding in the detail view */
	enum mode fix_from;
	char *fix_ref;
	struct job *plan_job;
	struct audit_conn *plan_conn; /* what the plan was built from (its clients apply it) */
	bool have_plan;
	struct plan plan;
	bool fix_confirm;

	struct job *apply_job;
	enum run_state run;
	struct plan_view_step *status;
	size_t n_status;
	struct irsa_error run_err;
	char *journal;
	size_t run_done, run_skipped;
};

static const struct screen_ops audit_detail_ops, audit_preview_ops, audit_apply_ops;

static const struct table_column cols[] = {
        {"SEVERITY", 12, false},
        {"CHECK", 8, false},
        {"RESOURCE", 34, false},
        {"MESSAGE", 20, true},
};

static const char *
glyph(const struct screen *s, const char *utf8, const char *ascii)
{
	return ui_utf8(s->ui) ? utf8 : ascii;
}

/* "‼ critical", "✗ high", "! medium", "· low", "i info": a glyph and the word. */
static const char *
severity_text(const struct screen *s, enum audit_severity sev, char *out, size_t outsz)
{
	static const char *const utf8[] = {"\u203c", "\u2717", "!", "\u00b7", "i"};
	static const char *const ascii[] = {"!!", "x", "!", "-", "i"};

	if ((int)sev < 0 || sev >= AUDIT_N_SEVERITIES)
		sev = AUDIT_SEV_INFO;
	snprintf(out, outsz, "%s %s", ui_utf8(s->ui) ? utf8[sev] : ascii[sev], audit_severity_name(sev));
	return out;
}

static enum theme_role
severity_role(enum audit_severity sev)
{
	switch (sev) {
	case AUDIT_SEV_CRITICAL:
	case AUDIT_SEV_HIGH:
		return THEME_STATUS_ERROR;
	case AUDIT_SEV_MEDIUM:
		return THEME_STATUS_WARN;
	case AUDIT_SEV_INFO:
		return THEME_DIM;
	default:
		return THEME_BODY;
	}
}

static const char *
after_slash(const char *arn)
{
	const char *p = arn != NULL ? strrchr(arn, '/') : NULL;

	return p != NULL ? p + 1 : arn;
}

/* What a finding is about, most specific first: "shop-prod/orders/api",
 * "shop-prod/pod/orders/api-1", "role/NAME", "provider/oidc.eks...",
 * "policy/NAME". */
static const char *
resource_text(const struct audit_subject *sj, char *out, size_t outsz)
{
	const char *cl = sj->cluster != NULL ? sj->cluster : "";
	const char *sep = sj->cluster != NULL ? "/" : "";

	if (sj->sa != NULL)
		snprintf(out, outsz, "%s%s%s/%s", cl, sep, sj->ns != NULL ? sj->ns : "", sj->sa);
	else if (sj->pod != NULL)
		snprintf(out, outsz, "%s%spod/%s", cl, sep, sj->pod);
	else if (sj->workload != NULL)
		snprintf(out, outsz, "%s%s%s%s%s", cl, sep, sj->ns != NULL ? sj->ns : "", sj->ns != NULL ? "/" : "",
		         sj->workload);
	else if (sj->role_arn != NULL)
		snprintf(out, outsz, "role/%s", after_slash(sj->role_arn));
	else if (sj->provider_arn != NULL)
		snprintf(out, outsz, "provider/%s",
		         strstr(sj->provider_arn, "oidc-provider/") != NULL
		                 ? strstr(sj->provider_arn, "oidc-provider/") + strlen("oidc-provider/")
		                 : sj->provider_arn);
	else if (sj->policy_arn != NULL)
		snprintf(out, outsz, "policy/%s", after_slash(sj->policy_arn));
	else
		snprintf(out, outsz, "%s", sj->cluster != NULL ? sj->cluster : "account");
	return out;
}

/* The message's first sentence (the detail view has it all). */
static const char *
short_message(const char *msg, char *out, size_t outsz)
{
	const char *end = msg != NULL ? strstr(msg, ". ") : NULL;
	size_t n;

	if (msg == NULL)
		return "";
	n = end != NULL ? (size_t)(end - msg) + 1 : strlen(msg);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, msg, n);
	out[n] = '\0';
	return out;
}

static bool
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (hay == NULL)
		return false;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool
finding_matches(const struct audit_screen *st, const struct audit_finding *f, const char *resource)
{
	const char *q = st->filter;

	return q[0] == '\0' || contains(f->check->id, q) || contains(audit_severity_name(f->severity), q) ||
	       contains(resource, q) || contains(f->message, q) || contains(f->check->title, q) || contains(f->ref, q);
}

static size_t
shown_findings(const struct audit_screen *st)
{
	char res[512];
	size_t n = 0;

	for (size_t i = 0; st->conn != NULL && i < st->conn->r.n; i++) {
		const struct audit_finding *f = &st->conn->r.v[i];

		if (finding_matches(st, f, resource_text(&f->subject, res, sizeof(res))))
			n++;
	}
	return n;
}

/* The i-th check that did not run (audit_run() lists the catalog's
 * planned ones too). False past the end. */
static bool
not_run_at(const struct audit_result *r, size_t i, const struct audit_check **c, const char **cluster,
           const char **reason)
{
	if (i >= r->n_not_run)
		return false;
	*c = r->not_run[i].check;
	*cluster = r->not_run[i].cluster;
	*reason = r->not_run[i].reason;
	return true;
}

static size_t
not_run_count(const struct audit_result *r)
{
	const struct audit_check *c;
	const char *cl, *why;
	size_t n = 0;

	while (not_run_at(r, n, &c, &cl, &why))
		n++;
	return n;
}

static bool
not_run_matches(const struct audit_screen *st, const struct audit_check *c, const char *cluster, const char *why)
{
	return st->filter[0] == '\0' || contains(c->id, st->filter) || contains(why, st->filter) ||
	       contains(cluster, st->filter);
}

/* The rows: per severity a group row ("CRITICAL 2") and its findings,
 * then the checks that did not run. The filter is applied here (not by
 * the table) so that the group rows count what is shown. */
static void
rows_build(struct screen *s, struct audit_screen *st)
{
	const struct audit_result *r = st->conn != NULL ? &st->conn->r : NULL;
	char *keep = table_selected(st->table) != NULL ? strdup(table_selected(st->table)) : NULL;
	char key[600], sev[32], res[512], msg[512], head[64];
	const char *cells[4];
	char *first = NULL; /* the first finding shown: selected when keep is not */

	table_clear(st->table);
	for (int g = 0; r != NULL && g < AUDIT_N_SEVERITIES; g++) {
		size_t n = 0;

		for (size_t i = 0; i < r->n; i++) {
			if ((int)r->v[i].severity != g)
				continue;
			if (finding_matches(st, &r->v[i], resource_text(&r->v[i].subject, res, sizeof(res))))
				n++;
		}
		if (n == 0)
			continue;
		snprintf(key, sizeof(key), ROW_GROUP "%d", g);
		snprintf(head, sizeof(head), "%s %zu", audit_severity_name((enum audit_severity)g), n);
		for (char *p = head; *p != '\0'; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		cells[0] = head;
		cells[1] = cells[2] = cells[3] = "";
		table_set_row(st->table, key, cells, THEME_TITLE);
		for (size_t i = 0; i < r->n; i++) {
			const struct audit_finding *f = &r->v[i];

			if ((int)f->severity != g ||
			    !finding_matches(st, f, resource_text(&f->subject, res, sizeof(res))))
				continue;
			snprintf(key, sizeof(key), ROW_FIND "%s", f->ref);
			cells[0] = severity_text(s, f->severity, sev, sizeof(sev));
			cells[1] = f->check->id;
			cells[2] = res;
			cells[3] = short_message(f->message, msg, sizeof(msg));
			table_set_row(st->table, key, cells, severity_role(f->severity));
			if (first == NULL)
				first = strdup(key);
		}
	}
	if (r != NULL) {
		const struct audit_check *c;
		const char *cl, *why;
		size_t n = 0;

		for (size_t i = 0; not_run_at(r, i, &c, &cl, &why); i++)
			if (not_run_matches(st, c, cl, why))
				n++;
		if (n > 0) {
			snprintf(head, sizeof(head), "NOT RUN %zu", n);
			cells[0] = head;
			cells[1] = cells[2] = cells[3] = "";
			table_set_row(st->table, ROW_GROUP "not-run", cells, THEME_TITLE);
		}
		for (size_t i = 0; n > 0 && not_run_at(r, i, &c, &cl, &why); i++) {
			if (!not_run_matches(st, c, cl, why))
				continue;
			snprintf(key, sizeof(key), ROW_NOTRUN "%s:%s", c->id, cl != NULL ? cl : "-");
			cells[0] = glyph(s, "\u2013 not run", "- not run");
			cells[1] = c->id;
			cells[2] = cl != NULL ? cl : "every cluster";
			cells[3] = why;
			table_set_row(st->table, key, cells, THEME_DIM);
		}
	}
	if (keep != NULL)
		table_select(st->table, keep);
	if (first != NULL &&
	    (keep == NULL || table_selected(st->table) == NULL || strcmp(table_selected(st->table), keep) != 0 ||
	     strncmp(keep, ROW_GROUP, strlen(ROW_GROUP)) == 0))
		table_select(st->table, first);
	free(keep);
	free(first);
}

static const struct audit_finding *
finding_of(const struct audit_screen *st, const char *ref)
{
	return st->conn != NULL && ref != NULL ? audit_result_find(&st->conn->r, ref) : NULL;
}

static const struct audit_finding *
selected_finding(const struct audit_screen *st)
{
	const char *key = table_selected(st->table);

	if (key == NULL || strncmp(key, ROW_FIND, strlen(ROW_FIND)) != 0)
		return NULL;
	return finding_of(st, key + strlen(ROW_FIND));
}

static void
set_mode(struct screen *s, struct audit_screen *st, enum mode m)
{
	static const struct screen_ops *const ops[] = {
	        [MODE_LIST] = &screen_audit,
	        [MODE_DETAIL] = &audit_detail_ops,
	        [MODE_PREVIEW] = &audit_preview_ops,
	        [MODE_APPLY] = &audit_apply_ops,
	};

	st->mode = m;
	s->ops = ops[m];
	ui_redraw(s->ui);
}

/* --- collecting --------------------------------------------------------------- */

static char *
xstrdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
collect_start(struct screen *s, struct audit_screen *st)
{
	struct audit_conn *c = calloc(1, sizeof(*c));
	struct audit_job *aj;
	struct irsa_error err;
	const char *what = st->snapshot != NULL ? "read the audit snapshot" : "collect and audit";

	if (st->collect_job != NULL)
		return;
	if (c == NULL || (aj = audit_job_new(AJ_COLLECT, c)) == NULL) {
		free(c);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	c->snapshot = st->snapshot != NULL;
	audit_result_init(&c->r);
	aj->cli = ui_cli(s->ui);
	aj->context = xstrdup(st->context);
	aj->cluster = xstrdup(st->cluster);
	aj->region = xstrdup(st->region);
	aj->snapshot = xstrdup(st->snapshot);
	irsa_error_clear(&err);
	if ((st->collect_job =
	             jobs_start_with_free(ui_jobs(s->ui), s, what, audit_job_main, aj, audit_job_free, &err)) == NULL) {
		audit_job_free(aj);
		ui_flash_error(s->ui, &err);
		return;
	}
	st->cancelled = st->collect_failed = false;
	snprintf(st->progress, sizeof(st->progress), "Connecting");
	ui_log(s->ui, "audit: %s", what);
}

static void run_build(struct screen *s, struct audit_screen *st);

static void
collect_done(struct screen *s, struct audit_screen *st, struct job *j)
{
	struct audit_job *aj = job_arg(j);

	if (job_is_progress(j)) {
		pthread_mutex_lock(&aj->mu);
		snprintf(st->progress, sizeof(st->progress), "%s", aj->progress);
		pthread_mutex_unlock(&aj->mu);
		return;
	}
	st->collect_job = NULL;
	if (job_rc(j) != 0) {
		free(st->recheck_ref);
		st->recheck_ref = NULL;
		if (job_error(j)->kind == IRSA_ERR_CANCELLED || st->cancelled) {
			st->cancelled = true;
			if (st->mode == MODE_APPLY)
				run_build(s, st);
			return;
		}
		st->collect_failed = true;
		st->collect_err = *job_error(j);
		ui_flash_error(s->ui, job_error(j));
		if (st->mode == MODE_APPLY)
			run_build(s, st);
		return;
	}
	audit_conn_unref(st->conn);
	st->conn = audit_conn_ref(aj->conn);
	if (st->conn->s.input.n_clusters > 0 && st->conn->s.input.clusters[0].name != NULL)
		snprintf(s->crumb, sizeof(s->crumb), "%s", st->conn->s.input.clusters[0].name);
	ui_log(s->ui, "audit: %zu findings, %zu checks not run", st->conn->r.n, not_run_count(&st->conn->r));
	rows_build(s, st);
	if (st->recheck_ref != NULL) {
		const char *id = st->recheck_ref;
		const char *colon = strchr(id, ':');
		int len = colon != NULL ? (int)(colon - id) : (int)strlen(id);

		if (finding_of(st, st->recheck_ref) == NULL)
			ui_flash(s->ui, UI_FLASH_INFO, "%.*s fixed: the audit no longer finds %s", len, id, id);
		else
			ui_flash(s->ui, UI_FLASH_WARN, "%.*s still present: %s", len, id, id);
		free(st->recheck_ref);
		st->recheck_ref = NULL;
		set_mode(s, st, MODE_LIST);
	}
}

/* --- the detail view ------------------------------------------------------------ */

/* Adds a JSON value as coloured, pretty-printed lines, indented by indent. */
static void
json_value(struct textview *tv, struct json_object *v, const char *indent)
{
	const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                                                             JSON_C_TO_STRING_NOSLASHESCAPE);

	for (const char *q = text; q != NULL && *q != '\0';) {
		const char *nl = strchr(q, '\n');
		char *line = strndup(q, nl != NULL ? (size_t)(nl - q) : strlen(q));

		if (line != NULL)
			textview_json_line(tv, indent, THEME_BODY, line);
		free(line);
		q = nl != NULL ? nl + 1 : NULL;
	}
}

/* Evidence strings that hold JSON (a trust document, a statement) are shown
 * as JSON too. */
static void
evidence_member(struct textview *tv, const char *key, struct json_object *v)
{
	struct json_object *parsed = NULL;
	const char *str;

	switch (json_object_get_type(v)) {
	case json_type_string:
		str = json_object_get_string(v);
		if (str[strspn(str, " \n\t")] == '{' && (parsed = json_tokener_parse(str)) != NULL) {
			textview_printf(tv, THEME_JSON_KEY, "  %s", key);
			json_value(tv, parsed, "    ");
			json_object_put(parsed);
			return;
		}
		textview_line(tv);
		textview_span(tv, THEME_JSON_KEY, "  ");
		textview_span(tv, THEME_JSON_KEY, key);
		textview_span(tv, THEME_JSON_PUNCT, ": ");
		textview_span(tv, THEME_JSON_STRING, str);
		return;
	case json_type_array: {
		size_t n = json_object_array_length(v);
		bool flat = true;

		for (size_t i = 0; i < n; i++)
			if (json_object_get_type(json_object_array_get_idx(v, i)) != json_type_string)
				flat = false;
		if (flat) {
			textview_printf(tv, THEME_JSON_KEY, "  %s (%zu)", key, n);
			for (size_t i = 0; i < n; i++) {
				textview_line(tv);
				textview_span(tv, THEME_JSON_PUNCT, "    - ");
				textview_span(tv, THEME_JSON_STRING,
				              json_object_get_string(json_object_array_get_idx(v, i)));
			}
			return;
		}
		break;
	}
	case json_type_object:
		break;
	default:
		textview_line(tv);
		textview_span(tv, THEME_JSON_KEY, "  ");
		textview_span(tv, THEME_JSON_KEY, key);
		textview_span(tv, THEME_JSON_PUNCT, ": ");
		textview_span(tv, THEME_JSON_NUMBER, json_object_to_json_string(v));
		return;
	}
	textview_printf(tv, THEME_JSON_KEY, "  %s", key);
	json_value(tv, v, "    ");
}

/* "irsa --context C fix 'REF'": the same fix from the command line. */
static void
fix_command(const struct audit_screen *st, const struct audit_finding *f, char *out, size_t outsz)
{
	char scope[600] = "";

	if (st->context != NULL)
		snprintf(scope, sizeof(scope), " --context %s", st->context);
	else if (st->cluster != NULL)
		snprintf(scope, sizeof(scope), " --cluster %s --region %s", st->cluster,
		         st->region != NULL ? st->region : "");
	snprintf(out, outsz, "irsa fix%s '%s'", scope, f->ref);
}

static void
detail_build(struct screen *s, struct audit_screen *st, const struct audit_finding *f)
{
	struct textview *tv = st->tv_detail;
	const struct audit_check *c = f->check;
	const struct audit_subject *sj = &f->subject;
	char sev[32], res[512], cmd[1024];

	textview_clear(tv);
	textview_line(tv);
	textview_span(tv, severity_role(f->severity), severity_text(s, f->severity, sev, sizeof(sev)));
	textview_span(tv, THEME_BODY, "  ");
	textview_span(tv, THEME_TITLE, c->id);
	textview_span(tv, THEME_BODY, "  ");
	textview_span(tv, THEME_TITLE, c->title);
	textview_printf(tv, THEME_DIM, "%s", f->ref);
	textview_printf(tv, THEME_BODY, "%s", "");
	textview_printf(tv, THEME_BODY, "Resource         %s", resource_text(sj, res, sizeof(res)));
	if (sj->cluster != NULL)
		textview_printf(tv, THEME_BODY, "Cluster          %s%s%s%s", sj->cluster,
		                sj->region != NULL ? " (" : "", sj->region != NULL ? sj->region : "",
		                sj->region != NULL ? ")" : "");
	if (sj->sa != NULL)
		textview_printf(tv, THEME_BODY, "Service account  %s/%s", sj->ns != NULL ? sj->ns : "", sj->sa);
	if (sj->role_arn != NULL)
		textview_printf(tv, THEME_BODY, "Role             %s", sj->role_arn);
	if (sj->provider_arn != NULL)
		textview_printf(tv, THEME_BODY, "OIDC provider    %s", sj->provider_arn);
	if (sj->pod != NULL)
		textview_printf(tv, THEME_BODY, "Pod              %s", sj->pod);
	if (sj->workload != NULL)
		textview_printf(tv, THEME_BODY, "Workload         %s", sj->workload);
	if (sj->policy_arn != NULL)
		textview_printf(tv, THEME_BODY, "Policy           %s", sj->policy_arn);
	textview_printf(tv, THEME_BODY, "%s", "");
	textview_printf(tv, THEME_TITLE, "What is wrong");
	textview_printf(tv, THEME_BODY, "  %s", f->message != NULL ? f->message : "");
	textview_printf(tv, THEME_BODY, "%s", "");
	textview_printf(tv, THEME_TITLE, "Why it matters");
	textview_printf(tv, THEME_BODY, "  %s", c->why);
	if (c->severity_note != NULL && f->severity != c->severity)
		textview_printf(tv, THEME_DIM, "  (%s at most; %s)", audit_severity_name(c->severity),
		                c->severity_note);
	textview_printf(tv, THEME_BODY, "%s", "");
	textview_printf(tv, THEME_TITLE, "Evidence");
	if (f->evidence != NULL && json_object_is_type(f->evidence, json_type_object) &&
	    json_object_object_length(f->evidence) > 0) {
		json_object_object_foreach(f->evidence, key, val)
		{
			evidence_member(tv, key, val);
		}
	} else {
		textview_printf(tv, THEME_DIM, "  (none recorded)");
	}
	textview_printf(tv, THEME_BODY, "%s", "");
	if (f->fix.action == AUDIT_FIX_NONE) {
		textview_printf(tv, THEME_TITLE, "Fix (by hand)");
		textview_printf(tv, THEME_BODY, "  %s", c->fix);
	} else {
		textview_printf(tv, THEME_TITLE, "Fix (%s%s)", audit_fix_action_name(f->fix.action),
		                f->fix.confirm ? ", always asks" : "");
		textview_printf(tv, THEME_BODY, "  %s", f->fix.summary != NULL ? f->fix.summary : c->fix);
		fix_command(st, f, cmd, sizeof(cmd));
		textview_line(tv);
		textview_span(tv, THEME_DIM, "  $ ");
		textview_span(tv, THEME_BODY, cmd);
		if (ui_read_only(s->ui))
			textview_printf(tv, THEME_DIM, "  Read-only mode: f (fix) is disabled.");
		else
			textview_printf(tv, THEME_DIM, "  f previews the plan; nothing changes before you confirm.");
	}
	textview_scroll_to(tv, 0);
}

static void
detail_open(struct screen *s, struct audit_screen *st, const struct audit_finding *f)
{
	char *ref = strdup(f->ref);

	if (ref == NULL)
		return;
	free(st->detail_ref);
	st->detail_ref = ref;
	detail_build(s, st, f);
	set_mode(s, st, MODE_DETAIL);
}

/* --- fixing ------------------------------------------------------------------------ */

static void
fix_reset(struct audit_screen *st)
{
	plan_release(&st->plan);
	plan_init(&st->plan);
	st->have_plan = false;
	audit_conn_unref(st->plan_conn);
	st->plan_conn = NULL;
	free(st->fix_ref);
	st->fix_ref = NULL;
}

static void
fix_start(struct screen *s, struct audit_screen *st, const struct audit_finding *f)
{
	struct audit_job *aj;
	struct irsa_error err;

	if (f == NULL) {
		ui_flash(s->ui, UI_FLASH_INFO, "the last audit no longer has this finding");
		return;
	}
	if (f->fix.action == AUDIT_FIX_NONE) {
		ui_flash(s->ui, UI_FLASH_INFO, "%s is fixed by hand: %s", f->check->id, f->check->fix);
		return;
	}
	if (st->plan_job != NULL || st->apply_job != NULL || (st->collect_job != NULL && !st->cancelled)) {
		ui_flash(s->ui, UI_FLASH_WARN, "busy: wait for the running job (Esc cancels it)");
		return;
	}
	fix_reset(st);
	if ((aj = audit_job_new(AJ_PLAN, st->conn)) == NULL || (aj->ref = strdup(f->ref)) == NULL ||
	    (st->fix_ref = strdup(f->ref)) == NULL) {
		audit_job_free(aj);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	st->plan_conn = audit_conn_ref(st->conn);
	st->fix_confirm = f->fix.confirm;
	irsa_error_clear(&err);
	if ((st->plan_job = jobs_start_with_free(ui_jobs(s->ui), s, "plan the fix", audit_job_main, aj, audit_job_free,
	                                         &err)) == NULL) {
		audit_job_free(aj);
		ui_flash_error(s->ui, &err);
		fix_reset(st);
		return;
	}
	st->fix_from = st->mode;
	textview_clear(st->tv_fix);
	set_mode(s, st, MODE_PREVIEW);
	ui_log(s->ui, "audit: plan the fix of %s", f->ref);
}

static void
preview_build(struct screen *s, struct audit_screen *st)
{
	const struct audit_finding *f = audit_result_find(&st->plan_conn->r, st->fix_ref);
	struct textview *tv = st->tv_fix;
	const struct plan *p = &st->plan;
	char cmd[1024];

	textview_clear(tv);
	if (f != NULL) {
		textview_printf(tv, THEME_TITLE, "Fix %s: %s", f->check->id, f->check->title);
		textview_printf(tv, THEME_BODY, "  %s", f->fix.summary != NULL ? f->fix.summary : f->check->fix);
	}
	textview_printf(tv, THEME_BODY, "Cluster  %s (%s, account %s)", p->cluster != NULL ? p->cluster : "-",
	                p->region != NULL ? p->region : "?", p->account != NULL ? p->account : "?");
	if (p->role_arn != NULL)
		textview_printf(tv, THEME_BODY, "Role     %s", p->role_arn);
	if (st->fix_confirm) {
		textview_line(tv);
		textview_span(tv, THEME_STATUS_WARN, glyph(s, "\u26a0 ", "! "));
		textview_span(tv, THEME_STATUS_WARN,
		              "This fix always asks first (the catalog marks it \"confirm\"): it can take access away "
		              "from what uses it now. Read the plan.");
	}
	textview_printf(tv, THEME_BODY, "%s", "");
	plan_view_steps(tv, p, ui_utf8(s->ui), NULL);
	if (plan_view_has_trust(p)) {
		textview_printf(tv, THEME_BODY, "%s", "");
		plan_view_trust(tv, p, NULL);
	}
	textview_printf(tv, THEME_BODY, "%s", "");
	if (f != NULL) {
		textview_printf(tv, THEME_TITLE, "The same from the command line");
		fix_command(st, f, cmd, sizeof(cmd));
		textview_printf(tv, THEME_BODY, "  %s", cmd);
	}
	if (st->plan_conn->snapshot)
		textview_printf(tv, THEME_DIM, "A snapshot (IRSA_AUDIT_SNAPSHOT) is shown: nothing can be applied.");
	else if (p->n > 0)
		textview_printf(tv, THEME_DIM, "a applies it (it asks first); Esc goes back.");
	textview_scroll_to(tv, 0);
}

static void
plan_done(struct screen *s, struct audit_screen *st, struct job *j)
{
	struct audit_job *aj = job_arg(j);

	st->plan_job = NULL;
	if (job_rc(j) != 0) {
		if (job_error(j)->kind != IRSA_ERR_CANCELLED)
			ui_flash_error(s->ui, job_error(j));
		fix_reset(st);
		if (st->mode == MODE_PREVIEW)
			set_mode(s, st, st->fix_from);
		return;
	}
	st->plan = aj->plan;
	plan_init(&aj->plan);
	st->have_plan = true;
	preview_build(s, st);
	if (st->plan.n == 0)
		ui_flash(s->ui, UI_FLASH_INFO, "nothing to do: the fix finds nothing to change");
}

/* The apply job gets its own copy of the plan (the JSON round trip is
 * exact: plan_json.c). */
static int
plan_copy(const struct plan *from, struct plan *to, struct irsa_error *err)
{
	struct json_object *o = plan_to_json(from);
	int rc;

	if (o == NULL)
		return irsa_error_oom(err);
	rc = plan_from_json(o, to, err);
	json_object_put(o);
	return rc;
}

static void
run_build(struct screen *s, struct audit_screen *st)
{
	struct textview *tv = st->tv_fix;
	const struct plan *p = &st->plan;

	textview_clear(tv);
	textview_printf(tv, THEME_TITLE, "Fixing %s", st->fix_ref != NULL ? st->fix_ref : "");
	plan_view_progress(tv, p, st->status, st->n_status, ui_utf8(s->ui));
	textview_printf(tv, THEME_BODY, "%s", "");
	switch (st->run) {
	case RUN_APPLYING:
		textview_printf(tv, THEME_DIM, "Applying... Esc stops after the step that is running.");
		break;
	case RUN_APPLIED:
		textview_printf(tv, THEME_STATUS_OK, "%sDone: %zu change%s made, %zu already so.",
		                glyph(s, "\u2713 ", "+ "), st->run_done, st->run_done == 1 ? "" : "s", st->run_skipped);
		if (st->journal != NULL)
			textview_printf(tv, THEME_DIM, "Journal: %s (undo: irsa rollback %s)", st->journal,
			                st->journal);
		textview_printf(tv, THEME_DIM, "%s",
		                st->collect_job != NULL ? "Re-running the audit..." : "Esc goes back to the findings.");
		break;
	case RUN_FAILED:
		textview_printf(tv, THEME_STATUS_ERROR, "%s%s", glyph(s, "\u2717 ", "x "), st->run_err.message);
		if (st->run_err.hint[0] != '\0')
			textview_printf(tv, THEME_DIM, "%s", st->run_err.hint);
		textview_printf(tv, THEME_BODY, "%zu of %zu step%s made before it stopped.", st->run_done, p->n,
		                p->n == 1 ? "" : "s");
		if (st->journal != NULL && st->run_done > 0)
			textview_printf(tv, THEME_BODY, "Undo them: irsa rollback %s", st->journal);
		textview_printf(tv, THEME_DIM, "Esc goes back to the findings.");
		break;
	case RUN_NONE:
		break;
	}
}

static void
apply_start(struct screen *s, struct audit_screen *st)
{
	struct audit_job *aj;
	struct irsa_error err;
	char question[768];
	const struct audit_finding *f;

	if (!st->have_plan || st->plan_job != NULL || st->apply_job != NULL)
		return;
	if (st->plan_conn->snapshot) {
		ui_flash(s->ui, UI_FLASH_WARN, "a snapshot is shown (IRSA_AUDIT_SNAPSHOT): nothing is applied");
		return;
	}
	if (st->plan.n == 0) {
		ui_flash(s->ui, UI_FLASH_INFO, "nothing to do");
		return;
	}
	f = audit_result_find(&st->plan_conn->r, st->fix_ref);
	snprintf(question, sizeof(question), "%sMake these %zu change%s in %s (account %s) to fix %s?",
	         st->fix_confirm ? "This fix is marked \"confirm\": it can take access away. " : "", st->plan.n,
	         st->plan.n == 1 ? "" : "s", st->plan.cluster != NULL ? st->plan.cluster : "the cluster",
	         st->plan.account != NULL ? st->plan.account : "?", f != NULL ? f->check->id : st->fix_ref);
	if (!ui_confirm(s->ui, st->fix_confirm ? "Apply the fix (confirm)" : "Apply the fix", question))
		return;
	if (plan_read_only()) {
		ui_flash(s->ui, UI_FLASH_WARN, "read-only mode: nothing is applied");
		return;
	}
	irsa_error_clear(&err);
	if ((aj = audit_job_new(AJ_APPLY, st->plan_conn)) == NULL || (aj->ref = strdup(st->fix_ref)) == NULL ||
	    plan_copy(&st->plan, &aj->plan, &err) != 0 ||
	    (aj->status = calloc(st->plan.n, sizeof(*aj->status))) == NULL) {
		audit_job_free(aj);
		ui_flash(s->ui, UI_FLASH_ERROR, "cannot start: %s", err.message[0] ? err.message : "out of memory");
		return;
	}
	aj->n_status = st->plan.n;
	free(st->status);
	if ((st->status = calloc(st->plan.n, sizeof(*st->status))) == NULL) {
		audit_job_free(aj);
		st->n_status = 0;
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	st->n_status = st->plan.n;
	if ((st->apply_job = jobs_start_with_free(ui_jobs(s->ui), s, "apply the fix", audit_job_main, aj,
	                                          audit_job_free, &err)) == NULL) {
		audit_job_free(aj);
		ui_flash_error(s->ui, &err);
		return;
	}
	free(st->journal);
	st->journal = NULL;
	st->run = RUN_APPLYING;
	st->run_done = st->run_skipped = 0;
	irsa_error_clear(&st->run_err);
	ui_log(s->ui, "audit: apply the fix of %s: %zu steps", st->fix_ref, st->plan.n);
	set_mode(s, st, MODE_APPLY);
	run_build(s, st);
}

static void
apply_done(struct screen *s, struct audit_screen *st, struct job *j)
{
	struct audit_job *aj = job_arg(j);

	pthread_mutex_lock(&aj->mu);
	memcpy(st->status, aj->status,
	       sizeof(*st->status) * (st->n_status < aj->n_status ? st->n_status : aj->n_status));
	pthread_mutex_unlock(&aj->mu);
	if (job_is_progress(j)) {
		run_build(s, st);
		return;
	}
	st->apply_job = NULL;
	st->run_done = aj->res.done;
	st->run_skipped = aj->res.skipped;
	if (aj->res.journal_path != NULL)
		st->journal = strdup(aj->res.journal_path);
	if (job_rc(j) != 0) {
		st->run = RUN_FAILED;
		st->run_err = *job_error(j);
		ui_log(s->ui, "audit: the fix of %s stopped: %s", st->fix_ref, st->run_err.message);
		run_build(s, st);
		return;
	}
	st->run = RUN_APPLIED;
	ui_log(s->ui, "audit: the fix of %s is applied (%zu made, %zu already so); re-running the audit", st->fix_ref,
	       st->run_done, st->run_skipped);
	free(st->recheck_ref);
	st->recheck_ref = xstrdup(st->fix_ref);
	collect_start(s, st);
	run_build(s, st);
}

/* --- screen ops ----------------------------------------------------------------- */

static int
audit_enter(struct screen *s, void *arg)
{
	const struct ui_goto *g = arg;
	struct audit_screen *st = calloc(1, sizeof(*st));
	const char *snap = getenv("IRSA_AUDIT_SNAPSHOT");

	if (st == NULL || (st->table = table_new(cols, sizeof(cols) / sizeof(cols[0]))) == NULL ||
	    (st->tv_detail = textview_new()) == NULL || (st->tv_fix = textview_new()) == NULL)
		goto oom;
	plan_init(&st->plan);
	if (g != NULL) {
		if ((g->context != NULL && (st->context = strdup(g->context)) == NULL) ||
		    (g->cluster != NULL && (st->cluster = strdup(g->cluster)) == NULL) ||
		    (g->region != NULL && (st->region = strdup(g->region)) == NULL))
			goto oom;
	}
	if (st->context == NULL && st->cluster == NULL && ui_cli(s->ui)->context != NULL &&
	    (st->context = strdup(ui_cli(s->ui)->context)) == NULL)
		goto oom;
	/* A context reaches its cluster: the session finds it from the context. */
	if (st->context != NULL) {
		free(st->cluster);
		free(st->region);
		st->cluster = st->region = NULL;
	}
	st->snapshot = snap != NULL && *snap != '\0' ? snap : NULL;
	snprintf(s->crumb, sizeof(s->crumb), "%s",
	         st->cluster != NULL   ? st->cluster
	         : st->context != NULL ? st->context
	                               : "current context");
	s->data = st;
	collect_start(s, st);
	return 0;
oom:
	if (st != NULL) {
		table_free(st->table);
		textview_free(st->tv_detail);
		textview_free(st->tv_fix);
		free(st->context);
		free(st->cluster);
		free(st->region);
		free(st);
	}
	ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
	return -1;
}

static void
audit_leave(struct screen *s)
{
	struct audit_screen *st = s->data;

	jobs_cancel_owner(ui_jobs(s->ui), s);
	fix_reset(st);
	audit_conn_unref(st->conn);
	table_free(st->table);
	textview_free(st->tv_detail);
	textview_free(st->tv_fix);
	free(st->status);
	free(st->journal);
	free(st->detail_ref);
	free(st->recheck_ref);
	free(st->context);
	free(st->cluster);
	free(st->region);
	free(st);
}

static void
note_draw(const struct screen *s, int y, int x, int w, enum theme_role role, const char *text)
{
	attrset(theme_attr(ui_theme(s->ui), role));
	mvaddnstr(y, x, text, w);
	attrset(A_NORMAL);
}

static void
list_draw(struct screen *s, struct audit_screen *st, int y, int x, int h, int w)
{
	char note[1024] = "";
	enum theme_role role = THEME_DIM;
	size_t nr = st->conn != NULL ? not_run_count(&st->conn->r) : 0;
	int row;

	if (st->collect_job != NULL && !st->cancelled)
		snprintf(note, sizeof(note), "Auditing: %s... Esc cancels.", st->progress);
	else if (st->cancelled)
		snprintf(note, sizeof(note), "Audit cancelled; r runs it again.");
	else if (st->collect_failed) {
		snprintf(note, sizeof(note), "The audit failed: %s (r runs it again)", st->collect_err.message);
		role = THEME_STATUS_ERROR;
	} else if (st->conn != NULL)
		snprintf(note, sizeof(note), "%zu finding%s, %zu check%s not run. Enter: detail  f: fix  r: run again",
		         st->conn->r.n, st->conn->r.n == 1 ? "" : "s", nr, nr == 1 ? "" : "s");
	if (note[0] != '\0' && h > 2) {
		h--;
		note_draw(s, y + h, x, w, role, note);
	}
	st->page = h - 1;
	table_draw(st->table, ui_theme(s->ui), y, x, h, w);
	row = 2 + (int)table_total(st->table);
	if (st->conn != NULL && st->conn->r.n == 0 && st->filter[0] == '\0' && st->collect_job == NULL && row < h)
		note_draw(s, y + row, x + 2, w - 2, THEME_STATUS_OK,
		          nr > 0 ? "No findings (but some checks did not run: see NOT RUN)."
		                 : "No findings: every check that ran passed.");
}

static void
audit_draw(struct screen *s, int y, int x, int h, int w)
{
	struct audit_screen *st = s->data;

	switch (st->mode) {
	case MODE_LIST:
		list_draw(s, st, y, x, h, w);
		return;
	case MODE_DETAIL:
		st->page = h;
		textview_draw(st->tv_detail, ui_theme(s->ui), y, x, h, w);
		return;
	case MODE_PREVIEW:
		st->page = h;
		if (st->plan_job != NULL) {
			note_draw(s, y, x, w, THEME_DIM,
			          "Building the fix's plan (reading what it changes)... Esc cancels.");
			return;
		}
		textview_draw(st->tv_fix, ui_theme(s->ui), y, x, h, w);
		return;
	case MODE_APPLY:
		st->page = h;
		textview_draw(st->tv_fix, ui_theme(s->ui), y, x, h, w);
		return;
	}
}

static enum ui_key_result
list_key(struct screen *s, struct audit_screen *st, int ch)
{
	const struct audit_finding *f;

	if (table_key(st->table, ch, st->page > 1 ? st->page : 1))
		return UI_KEY_HANDLED;
	if (UI_KEY_IS_ENTER(ch)) {
		if ((f = selected_finding(st)) != NULL)
			detail_open(s, st, f);
		return UI_KEY_HANDLED;
	}
	switch (ch) {
	case UI_KEY_ESC:
		if (st->collect_job == NULL || st->cancelled)
			return UI_KEY_IGNORED;
		job_cancel(st->collect_job);
		st->cancelled = true;
		ui_log(s->ui, "audit: cancelled");
		return UI_KEY_HANDLED;
	case 'r':
		if (st->collect_job != NULL && !st->cancelled)
			return UI_KEY_HANDLED;
		st->collect_job = NULL; /* a cancelled one still winding down: its end is ignored */
		collect_start(s, st);
		return UI_KEY_HANDLED;
	case 'f':
		if ((f = selected_finding(st)) != NULL)
			fix_start(s, st, f);
		return UI_KEY_HANDLED;
	default:
		return UI_KEY_IGNORED;
	}
}

static enum ui_key_result
audit_key(struct screen *s, int ch)
{
	struct audit_screen *st = s->data;

	switch (st->mode) {
	case MODE_LIST:
		return list_key(s, st, ch);
	case MODE_DETAIL:
		if (ch == UI_KEY_ESC || UI_KEY_IS_ENTER(ch)) {
			set_mode(s, st, MODE_LIST);
			return UI_KEY_HANDLED;
		}
		if (ch == 'f') {
			fix_start(s, st, finding_of(st, st->detail_ref));
			return UI_KEY_HANDLED;
		}
		return textview_key(st->tv_detail, ch, st->page) ? UI_KEY_HANDLED : UI_KEY_IGNORED;
	case MODE_PREVIEW:
		if (ch == UI_KEY_ESC) {
			if (st->plan_job != NULL)
				job_cancel(st->plan_job);
			set_mode(s, st, st->fix_from);
			return UI_KEY_HANDLED;
		}
		if (ch == 'a' || ch == 'f') {
			apply_start(s, st);
			return UI_KEY_HANDLED;
		}
		return textview_key(st->tv_fix, ch, st->page) ? UI_KEY_HANDLED : UI_KEY_IGNORED;
	case MODE_APPLY:
		if (ch == UI_KEY_ESC || UI_KEY_IS_ENTER(ch)) {
			if (st->apply_job != NULL) {
				if (ch == UI_KEY_ESC) {
					job_cancel(st->apply_job);
					ui_flash(s->ui, UI_FLASH_INFO, "stopping after the step that is running");
				}
				return UI_KEY_HANDLED;
			}
			st->run = RUN_NONE;
			fix_reset(st);
			set_mode(s, st, MODE_LIST);
			return UI_KEY_HANDLED;
		}
		return textview_key(st->tv_fix, ch, st->page) ? UI_KEY_HANDLED : UI_KEY_IGNORED;
	}
	return UI_KEY_IGNORED;
}

static void
audit_job_done(struct screen *s, struct job *j)
{
	struct audit_screen *st = s->data;

	void *arg = job_arg(j); /* a progress event is a job of its own, with its job's arg */

	if (st->collect_job != NULL && arg == job_arg(st->collect_job))
		collect_done(s, st, j);
	else if (st->plan_job != NULL && arg == job_arg(st->plan_job) && !job_is_progress(j))
		plan_done(s, st, j);
	else if (st->apply_job != NULL && arg == job_arg(st->apply_job))
		apply_done(s, st, j);
}

static void
audit_filter(struct screen *s, const char *text)
{
	struct audit_screen *st = s->data;

	snprintf(st->filter, sizeof(st->filter), "%s", text != NULL ? text : "");
	rows_build(s, st);
}

static void
audit_counts(struct screen *s, size_t *shown, size_t *total)
{
	struct audit_screen *st = s->data;

	*total = st->conn != NULL ? st->conn->r.n : 0;
	*shown = shown_findings(st);
}

static const struct ui_binding list_bindings[] = {
        {'\n', "Enter", "the finding in full", true, false},
        {'f', "f", "fix (preview first)", true, true},
        {'r', "r", "run the audit again", true, false},
        {UI_KEY_ESC, "Esc", "cancel the audit / back", false, false},
        {0, NULL, NULL, false, false},
};

static const struct ui_binding detail_bindings[] = {
        {'f', "f", "fix (preview first)", true, true},
        {UI_KEY_ESC, "Esc", "back to the findings", false, false},
        {0, NULL, NULL, false, false},
};

static const struct ui_binding preview_bindings[] = {
        {'a', "a", "apply (asks first)", true, true},
        {UI_KEY_ESC, "Esc", "back", false, false},
        {0, NULL, NULL, false, false},
};

static const struct ui_binding apply_bindings[] = {
        {UI_KEY_ESC, "Esc", "stop between steps / back", false, false},
        {0, NULL, NULL, false, false},
};

const struct screen_ops screen_audit = {
        .name = "audit",
        .enter = audit_enter,
        .leave = audit_leave,
        .draw = audit_draw,
        .key = audit_key,
        .job_done = audit_job_done,
        .filter = audit_filter,
        .counts = audit_counts,
        .bindings = list_bindings,
};

static const struct screen_ops audit_detail_ops = {
        .name = "finding",
        .enter = audit_enter,
        .leave = audit_leave,
        .draw = audit_draw,
        .key = audit_key,
        .job_done = audit_job_done,
        .bindings = detail_bindings,
};

static const struct screen_ops audit_preview_ops = {
        .name = "fix",
        .enter = audit_enter,
        .leave = audit_leave,
        .draw = audit_draw,
        .key = audit_key,
        .job_done = audit_job_done,
        .bindings = preview_bindings,
};

static const struct screen_ops audit_apply_ops = {
        .name = "fix",
        .enter = audit_enter,
        .leave = audit_leave,
        .draw = audit_draw,
        .key = audit_key,
        .job_done = audit_job_done,
        .bindings = apply_bindings,
};
