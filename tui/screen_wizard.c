/* tui/screen_wizard.c - the setup wizard: binds one service account to an
 * IAM role in a few steps, each a row of a step table {title, enter, draw,
 * key, validate} (ux.md G8, menuconfig's dialogs):
 *
 *   [service account] -> role -> policies -> service principals -> options
 *   -> preview -> apply
 *
 * The header says "Step N/M Title"; the buttons <Back> <Next> <Cancel> sit
 * at the bottom, Next disabled while the step's validate() fails (its
 * message beside them); Tab moves the focus between the body and the
 * buttons; Esc goes back one step; Back keeps every answer. The first step
 * (naming the account) is there only for a new service account, the last
 * (apply) only outside read-only mode.
 *
 * Everything that touches the network runs as a job (wizard_jobs.c): the
 * clients are opened when the wizard opens, the role and policy lists load
 * beside each other, the preview reads and plans, the apply and rollback
 * post each step's state. The preview shows the plan as the engine built
 * it: the trust policy (JSON coloured, as a diff when the role exists), the
 * ServiceAccount YAML, the steps with their commands and the warnings; `e`
 * exports it. Core enforces read-only mode too (plan_set_read_only()). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <json-c/json.h>

#include "aws_endpoint.h"
#include "buf.h"
#include "export.h"
#include "names.h"
#include "plan.h"
#include "plan_view.h"
#include "presets.h"
#include "table.h"
#include "textview.h"
#include "trust.h"
#include "ui.h"
#include "wizard.h"
#include "wizard_jobs.h"

#define KEY_CTL_U 21
#define FIELD_MAX 256
#define MAX_SEL   64 /* policies selected */
#define DETAIL_H  3  /* the policy step's detail lines */

enum step_id { STEP_ACCOUNT, STEP_ROLE, STEP_POLICIES, STEP_SERVICES, STEP_OPTIONS, STEP_PREVIEW, STEP_APPLY };
enum focus { FOCUS_BODY, FOCUS_BACK, FOCUS_NEXT, FOCUS_CANCEL };
enum sts_choice { STS_LEAVE, STS_TRUE, STS_FALSE };
enum load { LOAD_NONE, LOAD_RUNNING, LOAD_DONE, LOAD_FAILED };
enum run_state {
	RUN_NONE,
	RUN_APPLYING,
	RUN_APPLIED,
	RUN_APPLY_FAILED, /* failed or cancelled: err says which */
	RUN_ROLLING_BACK,
	RUN_ROLLED_BACK,
	RUN_ROLLBACK_KEPT,
	RUN_ROLLBACK_FAILED,
};
enum prompt { PROMPT_NONE, PROMPT_FORMAT, PROMPT_PATH };

/* A one-line text field. */
struct field {
	char s[FIELD_MAX];
	size_t n;
};

struct wiz;

struct wiz_step {
	enum step_id id;
	const char *title;
	void (*enter)(struct wiz *w);
	void (*draw)(struct wiz *w, int y, int x, int h, int wd);
	enum ui_key_result (*key)(struct wiz *w, int ch);
	/* true when Next may go on; why: what is wrong (or, when true, a note). */
	bool (*validate)(struct wiz *w, char *why, size_t whysz);
	struct table *(*list)(struct wiz *w); /* the list `/` filters; NULL: none */
};

struct wiz {
	struct screen *s;
	struct ui *ui;
	const struct theme *th;

	/* Where. */
	char *context, *cluster, *region, *ns, *sa;
	bool new_sa; /* opened for a new service account: the first step names it */

	/* The clients. */
	struct wizard_conn *conn;
	enum load open;
	struct irsa_error open_err;

	/* The steps shown, as indexes into steps[]; the current one; focus. */
	int order[8];
	int n_order;
	int cur;
	enum focus focus;

	/* STEP_ACCOUNT */
	struct field f_ns, f_sa;
	int acc_row;

	/* STEP_ROLE */
	bool role_existing;
	int role_row; /* 0: the new/existing choice, 1: the field or the list */
	struct field f_role;
	bool role_edited;
	struct table *t_roles;
	enum load roles;
	struct irsa_error roles_err;
	struct aws_role_list role_list;
	char *role_pick; /* ARN of the existing role chosen */

	/* STEP_POLICIES */
	struct table *t_pol;
	enum load pols;
	struct irsa_error pols_err;
	struct aws_policy_list pol_list;
	char *sel[MAX_SEL]; /* ARNs chosen, in order */
	size_t n_sel;
	bool *preset_on;
	size_t n_presets;
	bool presets_suggested;

	/* STEP_SERVICES */
	struct table *t_svc;
	bool *svc_on;
	size_t n_svc;

	/* STEP_OPTIONS */
	int opt_row;
	bool create_sa, restart;
	enum sts_choice sts;

	/* STEP_PREVIEW */
	unsigned gen;      /* bumped by every change of an answer */
	unsigned plan_gen; /* the gen the plan was built for */
	enum load preview;
	bool preview_waiting; /* for the clients */
	struct plan plan;
	bool have_plan;
	struct irsa_error plan_err;
	struct textview *tv;

	/* STEP_APPLY */
	enum run_state run;
	struct job *run_job; /* until its final event */
	struct wizard_step_status *status;
	size_t n_status;
	bool *made; /* the rollback: which steps the apply made (the others show "not made") */
	char *journal;
	struct irsa_error run_err;
	size_t run_done, run_skipped;
	struct textview *tv_run;

	/* The export prompt (`e`) and the preset template prompt (`w`). */
	/* The frame's `/` filter: one per screen, so it follows the step to
	 * whichever list the step shows. */
	char filter[FIELD_MAX];

	enum prompt prompt;
	bool prompt_template; /* writing a preset's policy template, not the plan */
	const struct preset *prompt_preset;
	enum export_format ex_fmt;
	struct field f_path;
};

static const struct wiz_step steps[];
static const struct screen_ops screen_wizard_ro;
static void filter_follow(struct wiz *w);

/* --- small helpers ------------------------------------------------------------ */

static char *
xstrdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static const struct wiz_step *
cur_step(const struct wiz *w)
{
	return &steps[w->order[w->cur]];
}

static bool
step_is(const struct wiz *w, enum step_id id)
{
	return cur_step(w)->id == id;
}

static void
changed(struct wiz *w)
{
	w->gen++;
}

/* Writes s at (y, x) in role, cut to wd cells. Returns the cells used. */
static int
put(const struct wiz *w, int y, int x, int wd, enum theme_role role, const char *s)
{
	int col = 0;

	if (wd <= 0 || s == NULL)
		return 0;
	attrset(theme_attr(w->th, role));
	move(y, x);
	while (*s != '\0') {
		int cw;
		size_t n = textview_char(s, &cw);

		if (col + cw > wd)
			break;
		if ((unsigned char)*s < 0x20)
			addch(' ');
		else
			addnstr(s, (int)n);
		col += cw;
		s += n;
	}
	attrset(A_NORMAL);
	return col;
}

/* Word-wraps text into at most rows lines from (y, x), wd wide. Returns the
 * lines used. */
static int
put_wrapped(const struct wiz *w, int y, int x, int wd, int rows, enum theme_role role, const char *text)
{
	int used = 0;
	const char *p = text;

	while (*p != '\0' && used < rows && wd > 0) {
		size_t len = strlen(p), cut = len;
		char line[512];

		if (len > (size_t)wd) {
			cut = (size_t)wd;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)wd;
		}
		if (cut >= sizeof(line))
			cut = sizeof(line) - 1;
		memcpy(line, p, cut);
		line[cut] = '\0';
		put(w, y + used, x, wd, role, line);
		used++;
		p += cut;
		while (*p == ' ')
			p++;
	}
	return used;
}

static const char *
glyph(const struct wiz *w, const char *utf8, const char *ascii)
{
	return ui_utf8(w->ui) ? utf8 : ascii;
}

static const char *
mark(const struct wiz *w, bool on)
{
	return on ? glyph(w, "[✓]", "[x]") : "[ ]";
}

/* --- text fields ---------------------------------------------------------------- */

static void
field_set(struct field *f, const char *s)
{
	snprintf(f->s, sizeof(f->s), "%s", s != NULL ? s : "");
	f->n = strlen(f->s);
}

/* Edits f with ch. path: every printable character is text; else '/', ':'
 * and '?' are left to the frame (they are in no name the fields take).
 * Returns true when ch was used. */
static bool
field_key(struct field *f, int ch, bool path)
{
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (f->n > 0)
			f->s[--f->n] = '\0';
		return true;
	}
	if (ch == KEY_CTL_U) {
		f->n = 0;
		f->s[0] = '\0';
		return true;
	}
	if (ch < 0x20 || ch > 0x7e)
		return false;
	if (!path && (ch == '/' || ch == ':' || ch == '?'))
		return false;
	if (f->n + 1 < sizeof(f->s)) {
		f->s[f->n++] = (char)ch;
		f->s[f->n] = '\0';
	}
	return true;
}

static void
field_draw(const struct wiz *w, int y, int x, int wd, const struct field *f, bool focused)
{
	const char *text = f->s;
	int room = wd - 3;

	if (room <= 0)
		return;
	/* the end of the text stays visible */
	if ((int)f->n > room - 1)
		text += f->n - (size_t)(room - 1);
	put(w, y, x, 1, THEME_DIM, "[");
	attrset(theme_attr(w->th, focused ? THEME_BUTTON_FOCUS : THEME_BODY));
	mvhline(y, x + 1, ' ', room);
	attrset(A_NORMAL);
	put(w, y, x + 1, room, focused ? THEME_BUTTON_FOCUS : THEME_BODY, text);
	if (focused) {
		int col = x + 1 + (int)strlen(text);

		if (col < x + 1 + room) {
			attrset(theme_attr(w->th, THEME_BODY) | A_REVERSE);
			mvaddch(y, col, ' ');
			attrset(A_NORMAL);
		}
	}
	put(w, y, x + 1 + room, 1, THEME_DIM, "]");
}

/* --- jobs -------------------------------------------------------------------------- */

static bool
start_job(struct wiz *w, struct wizard_job *j, struct job **out)
{
	struct irsa_error err;
	struct job *job;

	irsa_error_clear(&err);
	if (j == NULL) {
		ui_flash(w->ui, UI_FLASH_ERROR, "out of memory");
		return false;
	}
	job = wizard_job_start(ui_jobs(w->ui), w->s, j, &err);
	if (job == NULL) {
		ui_flash_error(w->ui, &err);
		return false;
	}
	if (out != NULL)
		*out = job;
	return true;
}

static void
start_lists(struct wiz *w)
{
	struct wizard_job *j;

	if (w->conn == NULL)
		return;
	if (w->roles != LOAD_RUNNING) {
		j = wizard_job_new(WIZARD_JOB_ROLES, w->conn);
		w->roles = start_job(w, j, NULL) ? LOAD_RUNNING : LOAD_FAILED;
	}
	if (w->pols != LOAD_RUNNING) {
		j = wizard_job_new(WIZARD_JOB_POLICIES, w->conn);
		w->pols = start_job(w, j, NULL) ? LOAD_RUNNING : LOAD_FAILED;
	}
}

/* The owned copy of the answers the preview job plans with. */
static int
choices_fill(struct wiz *w, struct wizard_choices *c)
{
	const struct trust_service *svc;
	size_t n_svc = 0, k = 0;

	memset(c, 0, sizeof(*c));
	svc = trust_services(&n_svc);
	c->cluster = xstrdup(w->conn->cl.cluster);
	c->region = xstrdup(w->conn->cl.region);
	c->context = xstrdup(w->conn->cl.context);
	c->ns = xstrdup(w->ns);
	c->sa = xstrdup(w->sa);
	if (w->role_existing)
		c->role_arn = xstrdup(w->role_pick);
	else
		c->role_name = xstrdup(w->f_role.s);
	if (w->n_sel > 0 && (c->policies = calloc(w->n_sel, sizeof(char *))) == NULL)
		return -1;
	for (size_t i = 0; i < w->n_sel; i++)
		if ((c->policies[c->n_policies++] = strdup(w->sel[i])) == NULL)
			return -1;
	for (size_t i = 0; i < w->n_svc; i++)
		k += w->svc_on[i];
	if (k > 0 && (c->services = calloc(k, sizeof(char *))) == NULL)
		return -1;
	for (size_t i = 0; i < w->n_svc && i < n_svc; i++)
		if (w->svc_on[i] && (c->services[c->n_services++] = strdup(svc[i].name)) == NULL)
			return -1;
	if (w->sts != STS_LEAVE)
		c->sts_regional = strdup(w->sts == STS_TRUE ? "true" : "false");
	c->create_sa = w->create_sa;
	c->restart = w->restart;
	if (c->cluster == NULL || c->region == NULL || c->ns == NULL || c->sa == NULL)
		return -1;
	return 0;
}

static void
start_preview(struct wiz *w)
{
	struct wizard_job *j;

	if (w->conn == NULL) {
		w->preview_waiting = true;
		return;
	}
	w->preview_waiting = false;
	if ((j = wizard_job_new(WIZARD_JOB_PREVIEW, w->conn)) == NULL || choices_fill(w, &j->ch) != 0) {
		wizard_job_free(j);
		ui_flash(w->ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	plan_release(&w->plan);
	w->have_plan = false;
	w->plan_gen = w->gen;
	w->preview = start_job(w, j, NULL) ? LOAD_RUNNING : LOAD_FAILED;
}

/* --- the headless equivalent ----------------------------------------------------- */

/* Appends s as one shell word. */
static void
sh_word(struct buf *b, const char *s)
{
	const char *safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-";

	buf_addch(b, ' ');
	if (*s != '\0' && strspn(s, safe) == strlen(s)) {
		buf_addstr(b, s);
		return;
	}
	buf_addch(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_addstr(b, "'\\''");
		else
			buf_addch(b, *s);
	}
	buf_addch(b, '\'');
}

/* "irsa VERB --context C -n NS --service-account SA ..." for the answers.
 * full: with the role, policies, services and options. The caller frees. */
static char *
headless_command(struct wiz *w, const char *verb, bool full)
{
	const struct trust_service *svc;
	size_t n_svc;
	struct buf b;

	buf_init(&b, 64 * 1024);
	buf_printf(&b, "irsa %s", verb);
	if (w->conn != NULL && w->conn->cl.context != NULL) {
		buf_addstr(&b, " --context");
		sh_word(&b, w->conn->cl.context);
	} else if (w->conn != NULL) {
		buf_addstr(&b, " --cluster");
		sh_word(&b, w->conn->cl.cluster);
		buf_addstr(&b, " --region");
		sh_word(&b, w->conn->cl.region);
	}
	buf_addstr(&b, " -n");
	sh_word(&b, w->ns);
	buf_addstr(&b, " --service-account");
	sh_word(&b, w->sa);
	if (full) {
		if (w->role_existing && w->role_pick != NULL) {
			buf_addstr(&b, " --role-arn");
			sh_word(&b, w->role_pick);
		} else {
			char *derived = plan_role_name(w->conn != NULL ? w->conn->cl.cluster : "", w->ns, w->sa);

			if (derived == NULL || strcmp(derived, w->f_role.s) != 0) {
				buf_addstr(&b, " --role-name");
				sh_word(&b, w->f_role.s);
			}
			free(derived);
		}
		for (size_t i = 0; i < w->n_sel; i++) {
			buf_addstr(&b, " --policy");
			sh_word(&b, w->sel[i]);
		}
		svc = trust_services(&n_svc);
		for (size_t i = 0; i < w->n_svc && i < n_svc; i++)
			if (w->svc_on[i]) {
				buf_addstr(&b, " --service");
				sh_word(&b, svc[i].name);
			}
		if (w->create_sa)
			buf_addstr(&b, " --create-service-account");
		if (w->restart)
			buf_addstr(&b, " --restart-workloads");
		if (w->sts != STS_LEAVE)
			buf_printf(&b, " --sts-regional-endpoints %s", w->sts == STS_TRUE ? "true" : "false");
	}
	return buf_detach(&b);
}

/* --- policy selection ------------------------------------------------------------ */

static int
sel_index(const struct wiz *w, const char *arn)
{
	for (size_t i = 0; i < w->n_sel; i++)
		if (strcmp(w->sel[i], arn) == 0)
			return (int)i;
	return -1;
}

static bool
policy_is_aws(const char *arn)
{
	return strstr(arn, ":iam::aws:policy/") != NULL;
}

static const char *
policy_name_of(const char *arn)
{
	const char *slash = strrchr(arn, '/');

	return slash != NULL ? slash + 1 : arn;
}

/* The row of a policy in the list: chosen ones marked. */
static void
pol_row(struct wiz *w, const char *arn, const struct aws_policy *p)
{
	const char *cells[4];
	char what[600];
	bool on = sel_index(w, arn) >= 0;
	const char *path = p != NULL && p->path != NULL && strcmp(p->path, "/") != 0 ? p->path : "";

	if (w->t_pol == NULL)
		return;
	if (p != NULL && p->attachment_count > 0)
		snprintf(what, sizeof(what), "%s%sattached to %ld", path, *path ? ", " : "", p->attachment_count);
	else
		snprintf(what, sizeof(what), "%s", path);
	cells[0] = mark(w, on);
	cells[1] = p != NULL && p->name != NULL ? p->name : policy_name_of(arn);
	cells[2] = policy_is_aws(arn) ? "AWS" : "customer";
	cells[3] = what;
	table_set_row(w->t_pol, arn, cells, on ? THEME_TABLE_MARKED : THEME_BODY);
}

static const struct aws_policy *
pol_find(const struct wiz *w, const char *arn)
{
	for (size_t i = 0; i < w->pol_list.n; i++)
		if (w->pol_list.v[i].arn != NULL && strcmp(w->pol_list.v[i].arn, arn) == 0)
			return &w->pol_list.v[i];
	return NULL;
}

static void
sel_add(struct wiz *w, const char *arn)
{
	char *copy;

	if (sel_index(w, arn) >= 0)
		return;
	if (w->n_sel == MAX_SEL) {
		ui_flash(w->ui, UI_FLASH_WARN, "at most %d policies", MAX_SEL);
		return;
	}
	if ((copy = strdup(arn)) == NULL)
		return;
	w->sel[w->n_sel++] = copy;
	changed(w);
	pol_row(w, arn, pol_find(w, arn));
}

static void
sel_del(struct wiz *w, const char *arn)
{
	int i = sel_index(w, arn);

	if (i < 0)
		return;
	free(w->sel[i]);
	memmove(&w->sel[i], &w->sel[i + 1], (w->n_sel - (size_t)i - 1) * sizeof(w->sel[0]));
	w->n_sel--;
	changed(w);
	pol_row(w, arn, pol_find(w, arn));
}

static void
preset_vars(const struct wiz *w, struct presets_vars *v)
{
	v->partition = w->conn != NULL && w->conn->partition[0] != '\0' ? w->conn->partition : NULL;
	v->region = w->conn != NULL ? w->conn->cl.region : w->region;
	v->account = w->conn != NULL && w->conn->account[0] != '\0' ? w->conn->account : NULL;
	v->cluster = w->conn != NULL ? w->conn->cl.cluster : w->cluster;
	if (v->partition == NULL && v->region != NULL) {
		static char part[NAMES_PARTITION_MAX];

		if (names_arn_partition(aws_arn_prefix(v->region), part))
			v->partition = part;
	}
}

/* The customer managed policy of preset p in this account, by its name. */
static const struct aws_policy *
preset_customer_policy(const struct wiz *w, const struct preset *p)
{
	if (p->policy_name == NULL)
		return NULL;
	for (size_t i = 0; i < w->pol_list.n; i++) {
		const struct aws_policy *q = &w->pol_list.v[i];

		if (q->arn != NULL && q->name != NULL && !policy_is_aws(q->arn) && strcmp(q->name, p->policy_name) == 0)
			return q;
	}
	return NULL;
}

static void
preset_row(struct wiz *w, size_t i)
{
	size_t n;
	const struct preset *all = presets_all(&n);
	char key[96];
	const char *cells[4];

	if (w->t_pol == NULL || i >= n)
		return;
	snprintf(key, sizeof(key), "preset:%s", all[i].id);
	cells[0] = mark(w, w->preset_on[i]);
	cells[1] = all[i].title;
	cells[2] = "preset";
	cells[3] = all[i].grants;
	table_set_row(w->t_pol, key, cells, w->preset_on[i] ? THEME_TABLE_MARKED : THEME_BODY);
}

static void
preset_toggle(struct wiz *w, size_t i, bool quiet)
{
	size_t n;
	const struct preset *all = presets_all(&n), *p;
	struct presets_vars v;
	const struct aws_policy *cust;

	if (i >= n)
		return;
	p = &all[i];
	preset_vars(w, &v);
	if (v.partition == NULL) {
		ui_flash(w->ui, UI_FLASH_WARN, "still connecting to the cluster: try again in a moment");
		return;
	}
	w->preset_on[i] = !w->preset_on[i];
	for (size_t k = 0; p->managed[k] != NULL; k++) {
		struct irsa_error err;
		char *arn = presets_render(p->managed[k], &v, &err);

		if (arn == NULL) {
			ui_flash_error(w->ui, &err);
			continue;
		}
		if (w->preset_on[i])
			sel_add(w, arn);
		else
			sel_del(w, arn);
		free(arn);
	}
	if (p->policy_name != NULL) {
		cust = preset_customer_policy(w, p);
		if (cust != NULL && w->preset_on[i]) {
			sel_add(w, cust->arn);
			if (!quiet)
				ui_flash(w->ui, UI_FLASH_INFO, "%s: your customer managed policy %s is selected",
				         p->title, p->policy_name);
		} else if (cust != NULL) {
			sel_del(w, cust->arn);
		} else if (w->preset_on[i] && !quiet) {
			ui_flash(w->ui, UI_FLASH_WARN,
			         "%s needs a customer managed policy %s, not in this account: w writes its template",
			         p->title, p->policy_name);
		}
	}
	preset_row(w, i);
	changed(w);
}

/* --- the steps: service account ---------------------------------------------------- */

static void
account_enter(struct wiz *w)
{
	(void)w;
}

static bool
account_validate(struct wiz *w, char *why, size_t whysz)
{
	struct irsa_error err;

	irsa_error_clear(&err);
	if (names_check_namespace(w->f_ns.s, &err) != 0 || names_check_serviceaccount(w->f_sa.s, &err) != 0) {
		snprintf(why, whysz, "%s%s%s", err.message, err.hint[0] ? " " : "", err.hint);
		return false;
	}
	return true;
}

static void
account_commit(struct wiz *w)
{
	char *ns = strdup(w->f_ns.s), *sa = strdup(w->f_sa.s);

	if (ns == NULL || sa == NULL) {
		free(ns);
		free(sa);
		return;
	}
	if (w->ns == NULL || strcmp(w->ns, ns) != 0 || w->sa == NULL || strcmp(w->sa, sa) != 0)
		changed(w);
	free(w->ns);
	free(w->sa);
	w->ns = ns;
	w->sa = sa;
}

static void
account_draw(struct wiz *w, int y, int x, int h, int wd)
{
	int r = put_wrapped(w, y, x, wd, h, THEME_DIM,
	                    "The service account to create and bind. irsa creates it with the role's annotation "
	                    "when you apply.");

	put(w, y + r + 1, x, 20, THEME_BODY, "Namespace:");
	field_draw(w, y + r + 1, x + 20, wd - 20 > 60 ? 60 : wd - 20, &w->f_ns,
	           w->focus == FOCUS_BODY && w->acc_row == 0);
	put(w, y + r + 3, x, 20, THEME_BODY, "Service account:");
	field_draw(w, y + r + 3, x + 20, wd - 20 > 60 ? 60 : wd - 20, &w->f_sa,
	           w->focus == FOCUS_BODY && w->acc_row == 1);
}

static enum ui_key_result
account_key(struct wiz *w, int ch)
{
	if (ch == KEY_UP || ch == KEY_DOWN) {
		w->acc_row = !w->acc_row;
		return UI_KEY_HANDLED;
	}
	if (field_key(w->acc_row == 0 ? &w->f_ns : &w->f_sa, ch, false))
		return UI_KEY_HANDLED;
	return UI_KEY_IGNORED;
}

/* --- role ---------------------------------------------------------------------------- */

static void
role_suggest(struct wiz *w)
{
	const char *cluster = w->conn != NULL ? w->conn->cl.cluster : w->cluster;
	char *name;

	/* the name starts with the cluster's: wait for it (a context names it
	 * only once the clients are open) */
	if (w->role_edited || cluster == NULL || *cluster == '\0')
		return;
	name = plan_role_name(cluster, w->ns, w->sa);
	if (name != NULL && strcmp(name, w->f_role.s) != 0) {
		field_set(&w->f_role, name);
		changed(w);
	}
	free(name);
}

static void
role_enter(struct wiz *w)
{
	role_suggest(w);
}

static const struct aws_role *
role_named(const struct wiz *w, const char *name)
{
	for (size_t i = 0; i < w->role_list.n; i++)
		if (w->role_list.v[i].name != NULL && strcmp(w->role_list.v[i].name, name) == 0)
			return &w->role_list.v[i];
	return NULL;
}

static bool
role_validate(struct wiz *w, char *why, size_t whysz)
{
	struct irsa_error err;

	irsa_error_clear(&err);
	if (w->role_existing) {
		if (w->role_pick == NULL) {
			snprintf(why, whysz, "Pick a role from the list (space or Enter).");
			return false;
		}
		if (names_check_role_arn(w->role_pick, w->conn != NULL ? w->conn->arn_prefix : NULL, &err) != 0) {
			snprintf(why, whysz, "%s", err.message);
			return false;
		}
		snprintf(why, whysz, "Its trust policy is widened to admit %s/%s; its other statements stay.", w->ns,
		         w->sa);
		return true;
	}
	if (w->f_role.n == 0 && !w->role_edited && w->open == LOAD_RUNNING) {
		snprintf(why, whysz, "Connecting to the cluster to suggest a name...");
		return false;
	}
	if (names_check_role_name(w->f_role.s, &err) != 0) {
		snprintf(why, whysz, "%s%s%s", err.message, err.hint[0] ? " " : "", err.hint);
		return false;
	}
	if (w->roles == LOAD_DONE && role_named(w, w->f_role.s) != NULL)
		snprintf(why, whysz, "A role %s exists: its trust policy is widened to admit %s/%s.", w->f_role.s,
		         w->ns, w->sa);
	return true;
}

static struct table *
role_list(struct wiz *w)
{
	return w->role_existing ? w->t_roles : NULL;
}

/* The rows of the role list, the chosen one marked. */
static void
roles_rows(struct wiz *w)
{
	const char *cells[4];

	for (size_t i = 0; i < w->role_list.n; i++) {
		const struct aws_role *r = &w->role_list.v[i];
		char created[16] = "";
		bool on;

		if (r->arn == NULL)
			continue;
		on = w->role_pick != NULL && strcmp(r->arn, w->role_pick) == 0;
		if (r->created != 0)
			strftime(created, sizeof(created), "%Y-%m-%d", gmtime(&r->created));
		cells[0] = mark(w, on);
		cells[1] = r->name;
		cells[2] = r->path;
		cells[3] = created;
		table_set_row(w->t_roles, r->arn, cells, on ? THEME_TABLE_MARKED : THEME_BODY);
	}
}

static void
role_pick(struct wiz *w, const char *arn)
{
	char *copy;

	if (arn == NULL || (w->role_pick != NULL && strcmp(w->role_pick, arn) == 0))
		return;
	if ((copy = strdup(arn)) == NULL)
		return;
	free(w->role_pick);
	w->role_pick = copy;
	changed(w);
	roles_rows(w);
}

static void
role_draw(struct wiz *w, int y, int x, int h, int wd)
{
	bool body = w->focus == FOCUS_BODY;
	char line[512];
	int r;

	snprintf(line, sizeof(line), "Pods running as %s/%s will act as this IAM role.", w->ns, w->sa);
	put(w, y, x, wd, THEME_DIM, line);
	/* the choice */
	r = put(w, y + 2, x, wd, body && w->role_row == 0 ? THEME_BUTTON_FOCUS : THEME_BODY,
	        !w->role_existing
	                ? glyph(w, "(●) a new role  ( ) an existing role", "(*) a new role  ( ) an existing role")
	                : glyph(w, "( ) a new role  (●) an existing role", "( ) a new role  (*) an existing role"));
	put(w, y + 2, x + r + 2, wd - r - 2, THEME_DIM, "(Left/Right)");
	if (!w->role_existing) {
		put(w, y + 4, x, 12, THEME_BODY, "Role name:");
		field_draw(w, y + 4, x + 12, wd - 12 > 70 ? 70 : wd - 12, &w->f_role, body && w->role_row == 1);
		put_wrapped(w, y + 6, x, wd, 3, THEME_DIM,
		            "Suggested: cluster-namespace-account, cut to IAM's 64 characters. "
		            "Letters, digits and + = , . @ _ - only.");
		return;
	}
	if (w->roles == LOAD_RUNNING) {
		put(w, y + 4, x, wd, THEME_DIM, "Loading the account's roles...");
		return;
	}
	if (w->roles == LOAD_FAILED) {
		put_wrapped(w, y + 4, x, wd, 3, THEME_STATUS_ERROR, w->roles_err.message);
		return;
	}
	if (w->t_roles != NULL)
		table_draw(w->t_roles, w->th, y + 4, x, h - 4, wd);
}

static enum ui_key_result
role_key(struct wiz *w, int ch)
{
	if (w->role_row == 0) {
		if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == ' ') {
			w->role_existing = !w->role_existing;
			filter_follow(w);
			changed(w);
			return UI_KEY_HANDLED;
		}
		if (ch == KEY_DOWN) {
			w->role_row = 1;
			return UI_KEY_HANDLED;
		}
		return UI_KEY_IGNORED;
	}
	if (!w->role_existing) {
		if (ch == KEY_UP) {
			w->role_row = 0;
			return UI_KEY_HANDLED;
		}
		if (field_key(&w->f_role, ch, false)) {
			w->role_edited = true;
			changed(w);
			return UI_KEY_HANDLED;
		}
		return UI_KEY_IGNORED;
	}
	if (w->t_roles == NULL)
		return UI_KEY_IGNORED;
	if (ch == ' ') {
		role_pick(w, table_selected(w->t_roles));
		return UI_KEY_HANDLED;
	}
	if (table_key(w->t_roles, ch, 10))
		return UI_KEY_HANDLED;
	return UI_KEY_IGNORED;
}

/* --- policies ---------------------------------------------------------------------- */

static void
policies_fill(struct wiz *w)
{
	for (size_t i = 0; i < w->pol_list.n; i++) {
		const struct aws_policy *p = &w->pol_list.v[i];

		if (p->arn != NULL && !policy_is_aws(p->arn))
			pol_row(w, p->arn, p);
	}
	for (size_t i = 0; i < w->pol_list.n; i++) {
		const struct aws_policy *p = &w->pol_list.v[i];

		if (p->arn != NULL && policy_is_aws(p->arn))
			pol_row(w, p->arn, p);
	}
	/* chosen before the list came (presets): rows for any not listed */
	for (size_t i = 0; i < w->n_sel; i++)
		if (pol_find(w, w->sel[i]) == NULL)
			pol_row(w, w->sel[i], NULL);
	/* presets whose customer policy just appeared */
	for (size_t i = 0; i < w->n_presets; i++) {
		size_t n;
		const struct preset *p = &presets_all(&n)[i];
		const struct aws_policy *c;

		if (w->preset_on[i] && (c = preset_customer_policy(w, p)) != NULL)
			sel_add(w, c->arn);
	}
}

static void
policies_enter(struct wiz *w)
{
	size_t n;
	const struct preset *p;

	if (w->presets_suggested || w->ns == NULL || w->sa == NULL || w->conn == NULL)
		return;
	w->presets_suggested = true;
	if ((p = presets_match(w->ns, w->sa)) == NULL)
		return;
	for (size_t i = 0; i < w->n_presets; i++)
		if (&presets_all(&n)[i] == p && !w->preset_on[i]) {
			preset_toggle(w, i, true);
			ui_flash(w->ui, UI_FLASH_INFO, "%s/%s is the %s's account: its preset is selected", w->ns,
			         w->sa, p->title);
		}
}

static bool
policies_validate(struct wiz *w, char *why, size_t whysz)
{
	size_t n;
	const struct preset *all = presets_all(&n);

	for (size_t i = 0; i < w->n_presets; i++)
		if (w->preset_on[i] && all[i].policy_name != NULL && preset_customer_policy(w, &all[i]) == NULL &&
		    w->pols == LOAD_DONE) {
			snprintf(why, whysz, "%s: create the policy %s first (w writes its template), then R reloads.",
			         all[i].title, all[i].policy_name);
			return true;
		}
	if (w->n_sel == 0)
		snprintf(why, whysz, "No policy chosen: the role will allow nothing until one is attached.");
	return true;
}

static struct table *
policies_list(struct wiz *w)
{
	return w->t_pol;
}

/* The preset of the selected row, or NULL. */
static const struct preset *
selected_preset(const struct wiz *w, size_t *index)
{
	const char *key = w->t_pol != NULL ? table_selected(w->t_pol) : NULL;
	size_t n;
	const struct preset *all = presets_all(&n);

	if (key == NULL || strncmp(key, "preset:", 7) != 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i].id, key + 7) == 0) {
			if (index != NULL)
				*index = i;
			return &all[i];
		}
	return NULL;
}

static void
policies_detail(struct wiz *w, int y, int x, int wd)
{
	const struct preset *p = selected_preset(w, NULL);
	const char *key = w->t_pol != NULL ? table_selected(w->t_pol) : NULL;
	char line[1024];

	if (p != NULL) {
		size_t k = 0;
		int used;

		snprintf(line, sizeof(line), "%s (%s/%s): %s", p->title, p->ns, p->sa, p->grants);
		used = put_wrapped(w, y, x, wd, 2, THEME_BODY, line);
		if (p->policy_name != NULL) {
			snprintf(line, sizeof(line), "Needs customer managed policy %s: %s%s", p->policy_name,
			         p->policy_grants,
			         preset_customer_policy(w, p) != NULL ? " (found)" : " (w writes it)");
		} else {
			snprintf(line, sizeof(line), "AWS managed:");
			for (; p->managed[k] != NULL; k++) {
				size_t len = strlen(line);

				snprintf(line + len, sizeof(line) - len, " %s", policy_name_of(p->managed[k]));
			}
		}
		put_wrapped(w, y + used, x, wd, DETAIL_H - used, THEME_DIM, line);
		return;
	}
	if (key != NULL) {
		snprintf(line, sizeof(line), "%s (%s managed)", key, policy_is_aws(key) ? "AWS" : "customer");
		put_wrapped(w, y, x, wd, DETAIL_H, THEME_DIM, line);
	}
}

static void
policies_draw(struct wiz *w, int y, int x, int h, int wd)
{
	char line[256];
	int th;

	if (w->n_sel == 0) {
		snprintf(line, sizeof(line),
		         "None chosen. space chooses, / searches; a preset chooses what an add-on needs.");
	} else {
		snprintf(line, sizeof(line), "%zu chosen:", w->n_sel);
		for (size_t i = 0; i < w->n_sel; i++) {
			size_t len = strlen(line);

			snprintf(line + len, sizeof(line) - len, "%s %s", i > 0 ? "," : "", policy_name_of(w->sel[i]));
		}
	}
	put(w, y, x, wd, w->n_sel == 0 ? THEME_DIM : THEME_BODY, line);
	if (w->pols == LOAD_RUNNING || w->open == LOAD_RUNNING)
		put(w, y, x + wd - 22, 22, THEME_DIM, " loading policies...");
	else if (w->pols == LOAD_FAILED)
		put(w, y, x + wd / 2, wd - wd / 2, THEME_STATUS_ERROR, w->pols_err.message);
	th = h - 1 - DETAIL_H - 1;
	if (w->t_pol != NULL && th > 1)
		table_draw(w->t_pol, w->th, y + 1, x, th, wd);
	policies_detail(w, y + h - DETAIL_H, x, wd);
}

static void prompt_open(struct wiz *w, bool template, const struct preset *p);

static enum ui_key_result
policies_key(struct wiz *w, int ch)
{
	const char *key;
	const struct preset *p;
	size_t i;

	if (w->t_pol == NULL)
		return UI_KEY_IGNORED;
	if (ch == ' ') {
		if ((p = selected_preset(w, &i)) != NULL) {
			preset_toggle(w, i, false);
		} else if ((key = table_selected(w->t_pol)) != NULL) {
			char *arn = strdup(key);

			if (arn != NULL) {
				if (sel_index(w, arn) >= 0)
					sel_del(w, arn);
				else
					sel_add(w, arn);
				free(arn);
			}
		}
		return UI_KEY_HANDLED;
	}
	if (ch == 'w') {
		p = selected_preset(w, NULL);
		if (p == NULL || p->policy_document == NULL)
			ui_flash(w->ui, UI_FLASH_INFO, "w writes the policy template of a preset that needs one");
		else
			prompt_open(w, true, p);
		return UI_KEY_HANDLED;
	}
	if (ch == 'R') {
		if (w->conn != NULL) {
			start_lists(w);
			ui_flash(w->ui, UI_FLASH_INFO, "reloading roles and policies");
		}
		return UI_KEY_HANDLED;
	}
	if (table_key(w->t_pol, ch, 10))
		return UI_KEY_HANDLED;
	return UI_KEY_IGNORED;
}

/* --- service principals --------------------------------------------------------- */

static void
services_row(struct wiz *w, size_t i)
{
	size_t n;
	const struct trust_service *svc = trust_services(&n);
	const char *cells[4];
	char note[300];

	if (i >= n || w->t_svc == NULL)
		return;
	cells[0] = mark(w, w->svc_on[i]);
	cells[1] = svc[i].name;
	cells[2] = svc[i].principal;
	if (svc[i].source_account)
		snprintf(note, sizeof(note), "scoped to this account (aws:SourceAccount)");
	else
		snprintf(note, sizeof(note), "not scoped: %s", svc[i].note != NULL ? svc[i].note : "not scoped");
	cells[3] = note;
	table_set_row(w->t_svc, svc[i].name, cells, w->svc_on[i] ? THEME_TABLE_MARKED : THEME_BODY);
}

static void
services_enter(struct wiz *w)
{
	(void)w;
}

static bool
services_validate(struct wiz *w, char *why, size_t whysz)
{
	size_t k = 0;

	for (size_t i = 0; i < w->n_svc; i++)
		k += w->svc_on[i];
	if (k > 0)
		snprintf(why, whysz, "%zu service%s will also be able to assume the role.", k, k == 1 ? "" : "s");
	return true;
}

static struct table *
services_list(struct wiz *w)
{
	return w->t_svc;
}

static void
services_draw(struct wiz *w, int y, int x, int h, int wd)
{
	int r = put_wrapped(w, y, x, wd, 3, THEME_DIM,
	                    "Optional. Most bindings need none: leave this empty. A service principal lets that AWS "
	                    "service (e.g. EC2 instances or ECS tasks) assume the same role too.");

	r += put_wrapped(w, y + r, x, wd, 2, THEME_STATUS_WARN,
	                 "It widens who can assume the role: anything that service runs in the account gets these "
	                 "permissions.");
	if (w->t_svc != NULL)
		table_draw(w->t_svc, w->th, y + r + 1, x, h - r - 1, wd);
}

static enum ui_key_result
services_key(struct wiz *w, int ch)
{
	const char *key;

	if (w->t_svc == NULL)
		return UI_KEY_IGNORED;
	if (ch == ' ' && (key = table_selected(w->t_svc)) != NULL) {
		size_t n;
		const struct trust_service *svc = trust_services(&n);

		for (size_t i = 0; i < n && i < w->n_svc; i++)
			if (strcmp(svc[i].name, key) == 0) {
				w->svc_on[i] = !w->svc_on[i];
				services_row(w, i);
				changed(w);
			}
		return UI_KEY_HANDLED;
	}
	if (table_key(w->t_svc, ch, 10))
		return UI_KEY_HANDLED;
	return UI_KEY_IGNORED;
}

/* --- options ---------------------------------------------------------------------- */

#define N_OPTIONS 3

static void
options_enter(struct wiz *w)
{
	(void)w;
}

static bool
options_validate(struct wiz *w, char *why, size_t whysz)
{
	if (!w->restart)
		snprintf(why, whysz, "Running pods keep their old credentials until they restart.");
	return true;
}

static void
options_draw(struct wiz *w, int y, int x, int h, int wd)
{
	static const char *const sts_names[] = {"leave it as it is", "regional (true)", "global (false)"};
	char line[256];
	int r = 0;

	(void)h;
	for (int i = 0; i < N_OPTIONS; i++) {
		bool focused = w->focus == FOCUS_BODY && w->opt_row == i;
		enum theme_role role = focused ? THEME_TABLE_CURSOR : THEME_BODY;
		const char *help = "";

		switch (i) {
		case 0:
			snprintf(line, sizeof(line), "%s Create the service account if it is missing",
			         mark(w, w->create_sa));
			help = "Without it, a missing service account stops the plan.";
			break;
		case 1:
			snprintf(line, sizeof(line), "%s Restart the workloads that run as it", mark(w, w->restart));
			help = "A rollout restart, so their pods get the role; only when the binding changes.";
			break;
		case 2:
			snprintf(line, sizeof(line), "STS endpoint annotation: < %s >", sts_names[w->sts]);
			help = "eks.amazonaws.com/sts-regional-endpoints: regional keeps STS calls in the region.";
			break;
		}
		put(w, y + r, x, wd, role, line);
		put(w, y + r + 1, x + 4, wd - 4, THEME_DIM, help);
		r += 3;
	}
}

static enum ui_key_result
options_key(struct wiz *w, int ch)
{
	switch (ch) {
	case KEY_UP:
	case 'k':
		w->opt_row = w->opt_row > 0 ? w->opt_row - 1 : 0;
		return UI_KEY_HANDLED;
	case KEY_DOWN:
	case 'j':
		w->opt_row = w->opt_row + 1 < N_OPTIONS ? w->opt_row + 1 : w->opt_row;
		return UI_KEY_HANDLED;
	case ' ':
	case KEY_LEFT:
	case KEY_RIGHT:
		if (w->opt_row == 0)
			w->create_sa = !w->create_sa;
		else if (w->opt_row == 1)
			w->restart = !w->restart;
		else
			w->sts = ch == KEY_LEFT ? (enum sts_choice)((w->sts + 2) % 3)
			                        : (enum sts_choice)((w->sts + 1) % 3);
		changed(w);
		return UI_KEY_HANDLED;
	}
	return UI_KEY_IGNORED;
}

/* --- preview -------------------------------------------------------------------------- */

static void
yaml_line(struct textview *tv, const char *line)
{
	const char *colon = strstr(line, ": ");

	textview_line(tv);
	textview_span(tv, THEME_BODY, "  ");
	if (line[strspn(line, " ")] == '#') {
		textview_span(tv, THEME_DIM, line);
		return;
	}
	if (colon == NULL) {
		const char *end = line + strlen(line);

		if (end > line && end[-1] == ':') {
			textview_span(tv, THEME_JSON_KEY, line);
			return;
		}
		textview_span(tv, THEME_BODY, line);
		return;
	}
	{
		char key[512];
		size_t n = (size_t)(colon - line) < sizeof(key) - 1 ? (size_t)(colon - line) : sizeof(key) - 1;

		memcpy(key, line, n);
		key[n] = '\0';
		textview_span(tv, THEME_JSON_KEY, key);
		textview_span(tv, THEME_JSON_PUNCT, ":");
		textview_span(tv, THEME_JSON_STRING, colon + 1);
	}
}

/* Adds text's lines, each through fn (or plain). */
static void
add_lines(struct textview *tv, const char *text, void (*fn)(struct textview *, const char *))
{
	const char *p = text;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n);

		if (line == NULL)
			return;
		if (fn != NULL)
			fn(tv, line);
		else
			textview_printf(tv, THEME_BODY, "  %s", line);
		free(line);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

static void
preview_build(struct wiz *w)
{
	const struct plan *p = &w->plan;
	struct textview *tv = w->tv;
	struct irsa_error err;
	char what[600]; /* "NS/SA is bound as asked.": two DNS names of 253 at most */
	struct buf yaml;
	char *cmd;

	textview_clear(tv);
	textview_printf(tv, THEME_BODY, "Cluster          %s (%s, account %s)", p->cluster, p->region, p->account);
	textview_printf(tv, THEME_BODY, "Service account  %s/%s%s", p->ns, p->sa,
	                p->sa_exists ? "" : "  (to be created)");
	textview_printf(tv, THEME_BODY, "Role             %s%s", p->role_arn,
	                p->role_exists ? "" : "  (to be created)");
	snprintf(what, sizeof(what), "%s/%s is bound as asked.", p->ns, p->sa);
	plan_view_steps(tv, p, ui_utf8(w->ui), what);
	textview_printf(tv, THEME_BODY, "%s", "");
	snprintf(what, sizeof(what), "it already admits %s/%s", p->ns, p->sa);
	plan_view_trust(tv, p, what);
	textview_printf(tv, THEME_BODY, "%s", "");
	textview_printf(tv, THEME_TITLE, "ServiceAccount after the plan");
	buf_init(&yaml, 1024 * 1024);
	irsa_error_clear(&err);
	if (export_plan(p, EXPORT_YAML, &yaml, &err) == 0)
		add_lines(tv, buf_cstr(&yaml), yaml_line);
	else
		textview_printf(tv, THEME_STATUS_ERROR, "  %s", err.message);
	buf_release(&yaml);
	textview_printf(tv, THEME_BODY, "%s", "");
	textview_printf(tv, THEME_TITLE, "The same from the command line");
	if ((cmd = headless_command(w, "apply", true)) != NULL) {
		textview_printf(tv, THEME_BODY, "  %s", cmd);
		free(cmd);
	}
	textview_scroll_to(tv, 0);
}

static void
preview_enter(struct wiz *w)
{
	if (w->preview == LOAD_RUNNING)
		return;
	if (!w->have_plan || w->plan_gen != w->gen || w->preview == LOAD_FAILED)
		start_preview(w);
}

static bool
preview_validate(struct wiz *w, char *why, size_t whysz)
{
	if (w->preview == LOAD_RUNNING || w->preview_waiting || (w->have_plan && w->plan_gen != w->gen)) {
		snprintf(why, whysz, "Reading AWS and the cluster...");
		return false;
	}
	if (!w->have_plan) {
		snprintf(why, whysz, "No plan: go Back and change the answers, or fix the cause.");
		return false;
	}
	if (ui_read_only(w->ui)) {
		snprintf(why, whysz, "Read-only mode: nothing is applied. e exports the plan.");
		return false;
	}
	if (w->plan.n == 0) {
		snprintf(why, whysz, "Nothing to do: already bound as asked.");
		return false;
	}
	return true;
}

static void
preview_draw(struct wiz *w, int y, int x, int h, int wd)
{
	if (w->preview == LOAD_RUNNING || w->preview_waiting) {
		put(w, y, x, wd, THEME_DIM,
		    w->preview_waiting ? "Connecting to the cluster..."
		                       : "Reading the account, the cluster, the role and the service account...");
		return;
	}
	if (w->preview == LOAD_FAILED) {
		int r = put_wrapped(w, y, x, wd, 4, THEME_STATUS_ERROR, w->plan_err.message);

		if (w->plan_err.hint[0] != '\0')
			put_wrapped(w, y + r, x, wd, 3, THEME_DIM, w->plan_err.hint);
		return;
	}
	if (w->have_plan)
		textview_draw(w->tv, w->th, y, x, h, wd);
}

static bool run_apply(struct wiz *w);

static enum ui_key_result
preview_key(struct wiz *w, int ch)
{
	if (ch == 'e') {
		if (w->have_plan)
			prompt_open(w, false, NULL);
		return UI_KEY_HANDLED;
	}
	if (ch == 'a') {
		if (ui_read_only(w->ui)) {
			ui_flash(w->ui, UI_FLASH_WARN, "read-only mode: nothing is applied");
			return UI_KEY_HANDLED;
		}
		run_apply(w);
		return UI_KEY_HANDLED;
	}
	if (w->have_plan && textview_key(w->tv, ch, 10))
		return UI_KEY_HANDLED;
	return UI_KEY_IGNORED;
}

/* --- apply --------------------------------------------------------------------------- */

static const char *
state_word(const struct wiz *w, enum wizard_step_state st, bool rollback)
{
	switch (st) {
	case WIZARD_STEP_PENDING:
		return glyph(w, "· pending", ". pending");
	case WIZARD_STEP_RUNNING:
		return glyph(w, "→ running", "> running");
	case WIZARD_STEP_DONE:
		return rollback ? glyph(w, "↶ undone ", "< undone ") : glyph(w, "✓ done   ", "+ done   ");
	case WIZARD_STEP_SKIPPED:
		return rollback ? glyph(w, "= kept   ", "= kept   ") : glyph(w, "= skipped", "= skipped");
	case WIZARD_STEP_FAILED:
		return glyph(w, "✗ failed ", "x failed ");
	}
	return "?";
}

static enum theme_role
state_role(enum wizard_step_state st)
{
	switch (st) {
	case WIZARD_STEP_DONE:
		return THEME_STATUS_OK;
	case WIZARD_STEP_FAILED:
		return THEME_STATUS_ERROR;
	case WIZARD_STEP_SKIPPED:
		return THEME_STATUS_WARN;
	case WIZARD_STEP_RUNNING:
		return THEME_TITLE;
	default:
		return THEME_DIM;
	}
}

static void
run_build(struct wiz *w)
{
	const struct plan *p = &w->plan;
	struct textview *tv = w->tv_run;
	bool rollback = w->run >= RUN_ROLLING_BACK;
	char *cmd;

	textview_clear(tv);
	textview_printf(tv, THEME_TITLE, "%s %s/%s to %s on %s", rollback ? "Rolling back the binding of" : "Binding",
	                p->ns, p->sa, p->role_name, p->cluster);
	for (size_t i = 0; i < p->n && i < w->n_status; i++) {
		const struct wizard_step_status *st = &w->status[i];

		textview_line(tv);
		if (rollback && w->made != NULL && !w->made[i] && st->state == WIZARD_STEP_PENDING) {
			textview_span(tv, THEME_DIM, "- not made");
			textview_span(tv, THEME_DIM, "  ");
			textview_span(tv, THEME_DIM, p->steps[i].title);
			continue;
		}
		textview_span(tv, state_role(st->state), state_word(w, st->state, rollback));
		textview_span(tv, THEME_BODY, "  ");
		textview_span(tv, THEME_BODY, p->steps[i].title);
		if (st->note[0] != '\0' && st->state != WIZARD_STEP_RUNNING)
			textview_printf(tv, st->state == WIZARD_STEP_FAILED ? THEME_STATUS_ERROR : THEME_DIM,
			                "             %s", st->note);
	}
	textview_printf(tv, THEME_BODY, "%s", "");
	switch (w->run) {
	case RUN_APPLYING:
		textview_printf(tv, THEME_DIM, "Applying... Esc stops after the step that is running.");
		break;
	case RUN_ROLLING_BACK:
		textview_printf(tv, THEME_DIM, "Rolling back... Esc stops after the step that is running.");
		break;
	case RUN_APPLIED:
		textview_printf(tv, THEME_STATUS_OK, "%sDone: %zu change%s made, %zu already so.", glyph(w, "✓ ", "+ "),
		                w->run_done, w->run_done == 1 ? "" : "s", w->run_skipped);
		if (w->journal != NULL)
			textview_printf(tv, THEME_DIM, "Journal: %s", w->journal);
		textview_printf(tv, THEME_BODY, "%s", "");
		textview_printf(tv, THEME_TITLE, "How to check it");
		textview_printf(tv, THEME_BODY, "  kubectl%s%s -n %s get serviceaccount %s -o yaml",
		                p->context != NULL ? " --context " : "", p->context != NULL ? p->context : "", p->ns,
		                p->sa);
		textview_printf(tv, THEME_DIM, "    shows eks.amazonaws.com/role-arn: %s", p->role_arn);
		if ((cmd = headless_command(w, "plan", true)) != NULL) {
			textview_printf(tv, THEME_BODY, "  %s", cmd);
			textview_printf(tv, THEME_DIM, "    says \"Nothing to do\"");
			free(cmd);
		}
		textview_printf(tv, THEME_BODY, "  aws iam get-role --role-name %s", p->role_name);
		textview_printf(tv, THEME_BODY, "%s", "");
		textview_printf(tv, THEME_DIM, "%s",
		                w->restart ? "The workloads running as it were restarted: their new pods have the role."
		                           : "Pods get the role when they start: restart the workloads running as it.");
		if (w->journal != NULL)
			textview_printf(tv, THEME_DIM, "Undo all of it: irsa rollback %s", w->journal);
		textview_printf(tv, THEME_DIM, "Enter closes the wizard.");
		break;
	case RUN_APPLY_FAILED:
		textview_printf(tv, THEME_STATUS_ERROR, "%s%s", glyph(w, "✗ ", "x "), w->run_err.message);
		if (w->run_err.hint[0] != '\0')
			textview_printf(tv, THEME_DIM, "%s", w->run_err.hint);
		textview_printf(tv, THEME_BODY, "%zu of %zu step%s made before it stopped (marked done above).",
		                w->run_done, p->n, p->n == 1 ? "" : "s");
		if (w->journal != NULL && w->run_done > 0)
			textview_printf(tv, THEME_BODY,
			                "r rolls them back (it asks first); Enter closes and keeps them.");
		else
			textview_printf(tv, THEME_BODY, "Nothing was changed. Enter closes.");
		break;
	case RUN_ROLLED_BACK:
		textview_printf(tv, THEME_STATUS_OK, "%sRolled back: %zu change%s undone.", glyph(w, "✓ ", "+ "),
		                w->run_done, w->run_done == 1 ? "" : "s");
		textview_printf(tv, THEME_DIM, "Enter closes the wizard.");
		break;
	case RUN_ROLLBACK_KEPT:
		textview_printf(
		        tv, THEME_STATUS_WARN,
		        "Some changes were kept (see why above): they changed since, or something else uses them.");
		textview_printf(tv, THEME_DIM, "Enter closes the wizard.");
		break;
	case RUN_ROLLBACK_FAILED:
		textview_printf(tv, THEME_STATUS_ERROR, "%s%s", glyph(w, "✗ ", "x "), w->run_err.message);
		if (w->journal != NULL)
			textview_printf(tv, THEME_DIM, "Fix the cause and run: irsa rollback %s", w->journal);
		break;
	case RUN_NONE:
		break;
	}
}

/* The apply job gets its own copy of the plan (the JSON round trip is exact:
 * plan_json.c), so the screen may leave while it runs. */
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

static bool
start_run(struct wiz *w, enum wizard_job_kind kind)
{
	struct wizard_job *j = wizard_job_new(kind, w->conn);
	struct irsa_error err;

	irsa_error_clear(&err);
	if (j == NULL || plan_copy(&w->plan, &j->plan, &err) != 0 ||
	    (kind == WIZARD_JOB_ROLLBACK && (j->journal = xstrdup(w->journal)) == NULL)) {
		wizard_job_free(j);
		ui_flash(w->ui, UI_FLASH_ERROR, "cannot start: %s", err.message[0] ? err.message : "out of memory");
		return false;
	}
	free(w->made);
	w->made = NULL;
	if (kind == WIZARD_JOB_ROLLBACK && (w->made = calloc(w->n_status + 1, sizeof(bool))) != NULL)
		for (size_t i = 0; i < w->n_status; i++)
			w->made[i] = w->status[i].state == WIZARD_STEP_DONE;
	free(w->status);
	w->n_status = w->plan.n;
	if ((w->status = calloc(w->n_status > 0 ? w->n_status : 1, sizeof(*w->status))) == NULL) {
		w->n_status = 0;
	}
	w->run_done = w->run_skipped = 0;
	irsa_error_clear(&w->run_err);
	return start_job(w, j, &w->run_job);
}

static bool
run_apply(struct wiz *w)
{
	char question[512];

	if (!w->have_plan || w->plan.n == 0 || w->run != RUN_NONE)
		return false;
	snprintf(question, sizeof(question), "Make these %zu change%s in %s (account %s) for %s/%s?", w->plan.n,
	         w->plan.n == 1 ? "" : "s", w->plan.cluster, w->plan.account, w->plan.ns, w->plan.sa);
	if (!ui_confirm(w->ui, "Apply", question))
		return false;
	if (plan_read_only()) {
		ui_flash(w->ui, UI_FLASH_WARN, "read-only mode: nothing is applied");
		return false;
	}
	if (!start_run(w, WIZARD_JOB_APPLY))
		return false;
	w->run = RUN_APPLYING;
	ui_log(w->ui, "apply: %zu steps for %s/%s in %s", w->plan.n, w->plan.ns, w->plan.sa, w->plan.cluster);
	/* the apply step is the last one */
	w->cur = w->n_order - 1;
	w->focus = FOCUS_BODY;
	run_build(w);
	return true;
}

static void
run_rollback(struct wiz *w)
{
	char question[256];

	if (w->run != RUN_APPLY_FAILED || w->journal == NULL || w->run_done == 0)
		return;
	snprintf(question, sizeof(question), "Undo the %zu change%s made, newest first? What changed since is kept.",
	         w->run_done, w->run_done == 1 ? "" : "s");
	if (!ui_confirm(w->ui, "Roll back", question))
		return;
	if (!start_run(w, WIZARD_JOB_ROLLBACK))
		return;
	w->run = RUN_ROLLING_BACK;
	ui_log(w->ui, "rollback: %s", w->journal);
	run_build(w);
}

static void
apply_enter(struct wiz *w)
{
	(void)w;
}

static bool
apply_validate(struct wiz *w, char *why, size_t whysz)
{
	(void)why;
	(void)whysz;
	return w->run != RUN_APPLYING && w->run != RUN_ROLLING_BACK;
}

static void
apply_draw(struct wiz *w, int y, int x, int h, int wd)
{
	textview_draw(w->tv_run, w->th, y, x, h, wd);
}

static enum ui_key_result
apply_key(struct wiz *w, int ch)
{
	if (ch == 'r' && !ui_read_only(w->ui)) {
		run_rollback(w);
		return UI_KEY_HANDLED;
	}
	if (ch == 'e' && w->have_plan) {
		prompt_open(w, false, NULL);
		return UI_KEY_HANDLED;
	}
	if (textview_key(w->tv_run, ch, 10))
		return UI_KEY_HANDLED;
	return UI_KEY_IGNORED;
}

/* --- the step table ----------------------------------------------------------------- */

static const struct wiz_step steps[] = {
        [STEP_ACCOUNT] = {STEP_ACCOUNT, "Name the service account", account_enter, account_draw, account_key,
                          account_validate, NULL},
        [STEP_ROLE] = {STEP_ROLE, "Choose the IAM role", role_enter, role_draw, role_key, role_validate, role_list},
        [STEP_POLICIES] = {STEP_POLICIES, "Choose policies", policies_enter, policies_draw, policies_key,
                           policies_validate, policies_list},
        [STEP_SERVICES] = {STEP_SERVICES, "AWS service principals (optional)", services_enter, services_draw,
                           services_key, services_validate, services_list},
        [STEP_OPTIONS] = {STEP_OPTIONS, "Options", options_enter, options_draw, options_key, options_validate, NULL},
        [STEP_PREVIEW] = {STEP_PREVIEW, "Preview", preview_enter, preview_draw, preview_key, preview_validate, NULL},
        [STEP_APPLY] = {STEP_APPLY, "Apply", apply_enter, apply_draw, apply_key, apply_validate, NULL},
};

/* --- the export prompt ------------------------------------------------------------ */

static const char *
default_path(enum export_format f)
{
	switch (f) {
	case EXPORT_SHELL:
		return "./irsa-plan.sh";
	case EXPORT_TERRAFORM:
		return "./irsa-plan.tf";
	case EXPORT_YAML:
		return "./irsa-plan.yaml";
	}
	return "./irsa-plan";
}

static void
prompt_open(struct wiz *w, bool template, const struct preset *p)
{
	w->prompt_template = template;
	w->prompt_preset = p;
	if (template) {
		char path[FIELD_MAX];

		snprintf(path, sizeof(path), "./%.*s.json", FIELD_MAX - 8, p->policy_name);
		field_set(&w->f_path, path);
		w->prompt = PROMPT_PATH;
	} else {
		w->prompt = PROMPT_FORMAT;
	}
}

/* Writes data to path: asks before replacing a file. Returns 0, or -1
 * after flashing why. */
static int
write_file(struct wiz *w, const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0 && errno == EEXIST) {
		char question[400];

		snprintf(question, sizeof(question), "%s exists. Replace it?", path);
		if (!ui_confirm(w->ui, "Export", question)) {
			ui_flash(w->ui, UI_FLASH_INFO, "not written");
			return -1;
		}
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	}
	if (fd < 0) {
		ui_flash(w->ui, UI_FLASH_ERROR, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ui_flash(w->ui, UI_FLASH_ERROR, "cannot write %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	if (close(fd) != 0) {
		ui_flash(w->ui, UI_FLASH_ERROR, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
prompt_write(struct wiz *w)
{
	const char *path = w->f_path.s;
	struct irsa_error err;

	irsa_error_clear(&err);
	w->prompt = PROMPT_NONE;
	if (*path == '\0') {
		ui_flash(w->ui, UI_FLASH_WARN, "no file given: nothing written");
		return;
	}
	if (w->prompt_template) {
		const struct preset *p = w->prompt_preset;
		struct presets_vars v;
		char *doc;

		preset_vars(w, &v);
		if ((doc = presets_render(p->policy_document, &v, &err)) == NULL) {
			ui_flash_error(w->ui, &err);
			return;
		}
		if (write_file(w, path, doc, strlen(doc)) == 0) {
			ui_flash(w->ui, UI_FLASH_INFO,
			         "wrote %s: aws iam create-policy --policy-name %s --policy-document file://%s, then R",
			         path, p->policy_name, path);
			ui_log(w->ui, "wrote the %s policy template to %s", p->title, path);
		}
		free(doc);
		return;
	}
	{
		struct buf out;

		buf_init(&out, 16 * 1024 * 1024);
		if (export_plan(&w->plan, w->ex_fmt, &out, &err) != 0) {
			ui_flash_error(w->ui, &err);
		} else if (write_file(w, path, buf_cstr(&out), out.len) == 0) {
			if (w->ex_fmt == EXPORT_SHELL)
				ui_flash(w->ui, UI_FLASH_INFO, "wrote %s (shell, %zu steps): run it with sh %s", path,
				         w->plan.n, path);
			else
				ui_flash(w->ui, UI_FLASH_INFO, "wrote %s (%s)", path, export_format_name(w->ex_fmt));
			ui_log(w->ui, "exported the plan for %s/%s as %s to %s", w->plan.ns, w->plan.sa,
			       export_format_name(w->ex_fmt), path);
		}
		buf_release(&out);
	}
}

static enum ui_key_result
prompt_key(struct wiz *w, int ch)
{
	if (ch == UI_KEY_ESC) {
		w->prompt = PROMPT_NONE;
		return UI_KEY_HANDLED;
	}
	if (w->prompt == PROMPT_FORMAT) {
		switch (ch) {
		case 's':
			w->ex_fmt = EXPORT_SHELL;
			break;
		case 't':
			w->ex_fmt = EXPORT_TERRAFORM;
			break;
		case 'y':
			w->ex_fmt = EXPORT_YAML;
			break;
		default:
			return UI_KEY_HANDLED; /* modal */
		}
		field_set(&w->f_path, default_path(w->ex_fmt));
		w->prompt = PROMPT_PATH;
		return UI_KEY_HANDLED;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		prompt_write(w);
		return UI_KEY_HANDLED;
	}
	field_key(&w->f_path, ch, true);
	return UI_KEY_HANDLED; /* modal */
}

static void
prompt_draw(struct wiz *w, int y, int x, int wd)
{
	attrset(theme_attr(w->th, THEME_DIALOG));
	mvhline(y, x, ' ', wd);
	mvhline(y + 1, x, ' ', wd);
	attrset(A_NORMAL);
	if (w->prompt == PROMPT_FORMAT) {
		put(w, y, x + 1, wd - 2, THEME_DIALOG,
		    "Export the plan as:  s shell   t terraform   y yaml     Esc cancels");
		return;
	}
	put(w, y, x + 1, wd - 2, THEME_DIALOG,
	    w->prompt_template ? "Write the policy template to (Enter writes, Esc cancels):"
	                       : "Write to (Enter writes, Esc cancels):");
	field_draw(w, y + 1, x + 1, wd - 2, &w->f_path, true);
}

/* --- moving between steps ----------------------------------------------------------- */

static void
go_to(struct wiz *w, int i)
{
	if (i < 0 || i >= w->n_order)
		return;
	if (step_is(w, STEP_ACCOUNT))
		account_commit(w);
	w->cur = i;
	w->focus = FOCUS_BODY;
	filter_follow(w);
	if (cur_step(w)->enter != NULL)
		cur_step(w)->enter(w);
	ui_redraw(w->ui);
}

static bool
can_next(struct wiz *w, char *why, size_t whysz)
{
	why[0] = '\0';
	return cur_step(w)->validate(w, why, whysz);
}

static enum ui_key_result
do_back(struct wiz *w)
{
	if (step_is(w, STEP_APPLY))
		return UI_KEY_HANDLED;
	if (w->cur == 0)
		return UI_KEY_POP;
	go_to(w, w->cur - 1);
	return UI_KEY_HANDLED;
}

static enum ui_key_result
do_next(struct wiz *w)
{
	char why[512];

	if (step_is(w, STEP_APPLY)) {
		if (w->run == RUN_APPLYING || w->run == RUN_ROLLING_BACK)
			return UI_KEY_HANDLED;
		return UI_KEY_POP; /* Close */
	}
	if (!can_next(w, why, sizeof(why))) {
		if (why[0] != '\0')
			ui_flash(w->ui, UI_FLASH_WARN, "%s", why);
		return UI_KEY_HANDLED;
	}
	if (step_is(w, STEP_PREVIEW)) {
		run_apply(w);
		return UI_KEY_HANDLED;
	}
	go_to(w, w->cur + 1);
	return UI_KEY_HANDLED;
}

static void
request_stop(struct wiz *w)
{
	if (w->run_job != NULL) {
		job_cancel(w->run_job);
		ui_flash(w->ui, UI_FLASH_WARN, "stopping after the step that is running");
	}
}

static enum ui_key_result
do_cancel(struct wiz *w)
{
	if (w->run == RUN_APPLYING || w->run == RUN_ROLLING_BACK) {
		request_stop(w);
		return UI_KEY_HANDLED;
	}
	return UI_KEY_POP;
}

/* The buttons' labels; NULL: not shown. */
static void
button_labels(const struct wiz *w, const char *label[3], bool enabled[3], char *why, size_t whysz)
{
	struct wiz *mw = (struct wiz *)w;
	bool ok = can_next(mw, why, whysz);

	label[0] = "Back";
	label[1] = "Next";
	label[2] = "Cancel";
	enabled[0] = w->cur > 0;
	enabled[1] = ok;
	enabled[2] = true;
	if (step_is(w, STEP_PREVIEW)) {
		label[1] = ui_read_only(w->ui) ? NULL : "Apply";
		enabled[0] = true;
	} else if (step_is(w, STEP_APPLY)) {
		bool running = w->run == RUN_APPLYING || w->run == RUN_ROLLING_BACK;

		label[0] = NULL;
		label[1] = running ? NULL : "Close";
		label[2] = running ? "Stop" : NULL;
		enabled[1] = !running;
	}
	if (w->cur == 0)
		enabled[0] = true; /* Back at the first step leaves */
}

static void
buttons_draw(struct wiz *w, int y, int x, int wd)
{
	const char *label[3];
	bool enabled[3];
	char why[512], b[32];
	int col = x;

	button_labels(w, label, enabled, why, sizeof(why));
	for (int i = 0; i < 3; i++) {
		enum theme_role role;

		if (label[i] == NULL)
			continue;
		snprintf(b, sizeof(b), "<%s>", label[i]);
		role = !enabled[i]                                ? THEME_DIM
		       : w->focus == (enum focus)(FOCUS_BACK + i) ? THEME_BUTTON_FOCUS
		                                                  : THEME_BUTTON;
		col += put(w, y, col, x + wd - col, role, b) + 2;
	}
	/* why Next is off (or a note): on the line above the buttons */
	if (why[0] != '\0')
		put(w, y - 1, x, wd, enabled[1] ? THEME_DIM : THEME_STATUS_WARN, why);
}

/* --- the screen ----------------------------------------------------------------------- */

static void
header_draw(struct wiz *w, int y, int x, int wd)
{
	char left[256], right[512];
	int used;

	snprintf(left, sizeof(left), "Step %d/%d  %s", w->cur + 1, w->n_order, cur_step(w)->title);
	used = put(w, y, x, wd, THEME_TITLE, left);
	snprintf(right, sizeof(right), "%s/%s on %s", w->ns != NULL ? w->ns : "?",
	         w->sa != NULL && *w->sa != '\0' ? w->sa : "(new)",
	         w->conn != NULL      ? w->conn->cl.cluster
	         : w->cluster != NULL ? w->cluster
	         : w->context != NULL ? w->context
	                              : "?");
	if ((int)strlen(right) + used + 2 < wd)
		put(w, y, x + wd - (int)strlen(right), (int)strlen(right), THEME_DIM, right);
}

static void
wizard_draw(struct screen *s, int y, int x, int h, int wd)
{
	struct wiz *w = s->data;
	int body_y = y + 2, body_h = h - 4;

	w->th = ui_theme(w->ui);
	header_draw(w, y, x, wd);
	if (w->open == LOAD_FAILED && !step_is(w, STEP_ACCOUNT)) {
		int r = put_wrapped(w, body_y, x, wd, 4, THEME_STATUS_ERROR, w->open_err.message);

		if (w->open_err.hint[0] != '\0')
			r += put_wrapped(w, body_y + r, x, wd, 3, THEME_DIM, w->open_err.hint);
		body_y += r + 1;
		body_h -= r + 1;
	}
	if (body_h > 0)
		cur_step(w)->draw(w, body_y, x, body_h, wd);
	if (w->prompt != PROMPT_NONE)
		prompt_draw(w, y + h - 4, x, wd);
	buttons_draw(w, y + h - 1, x, wd);
}

static enum ui_key_result
wizard_key(struct screen *s, int ch)
{
	struct wiz *w = s->data;
	enum ui_key_result r;

	if (w->prompt != PROMPT_NONE)
		return prompt_key(w, ch);
	if (ch == UI_KEY_ESC) {
		struct table *t = cur_step(w)->list != NULL ? cur_step(w)->list(w) : NULL;

		/* a filtered list: Esc clears the filter first (the frame does) */
		if (t != NULL && table_filter(t) != NULL && table_filter(t)[0] != '\0')
			return UI_KEY_IGNORED;
		if (step_is(w, STEP_APPLY))
			return w->run == RUN_APPLYING || w->run == RUN_ROLLING_BACK ? (request_stop(w), UI_KEY_HANDLED)
			                                                            : UI_KEY_POP;
		return do_back(w);
	}
	if (ch == '\t' || ch == KEY_BTAB) {
		int dir = ch == '\t' ? 1 : -1;
		const char *label[3];
		bool enabled[3];
		char why[512];

		/* the body's own rows come first (role: the choice, then the field) */
		if (w->focus == FOCUS_BODY && step_is(w, STEP_ROLE) && dir == 1 && w->role_row == 0) {
			w->role_row = 1;
			return UI_KEY_HANDLED;
		}
		if (w->focus == FOCUS_BODY && step_is(w, STEP_ACCOUNT) && dir == 1 && w->acc_row == 0) {
			w->acc_row = 1;
			return UI_KEY_HANDLED;
		}
		button_labels(w, label, enabled, why, sizeof(why));
		for (int k = 0; k < 4; k++) {
			w->focus = (enum focus)(((int)w->focus + dir + 4) % 4);
			if (w->focus == FOCUS_BODY ||
			    (label[w->focus - FOCUS_BACK] != NULL && enabled[w->focus - FOCUS_BACK]))
				break;
		}
		if (w->focus == FOCUS_BODY) {
			w->role_row = dir == 1 ? 0 : 1;
			w->acc_row = dir == 1 ? 0 : 1;
		}
		return UI_KEY_HANDLED;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		switch (w->focus) {
		case FOCUS_BACK:
			return do_back(w);
		case FOCUS_CANCEL:
			return do_cancel(w);
		case FOCUS_NEXT:
		case FOCUS_BODY:
			if (w->focus == FOCUS_BODY && step_is(w, STEP_ACCOUNT) && w->acc_row == 0) {
				w->acc_row = 1;
				return UI_KEY_HANDLED;
			}
			/* Enter on an existing role picks it, then goes on */
			if (w->focus == FOCUS_BODY && step_is(w, STEP_ROLE) && w->role_existing && w->role_row == 1 &&
			    w->t_roles != NULL)
				role_pick(w, table_selected(w->t_roles));
			return do_next(w);
		}
	}
	if (w->focus != FOCUS_BODY) {
		if (ch == KEY_LEFT || ch == KEY_RIGHT)
			return wizard_key(s, ch == KEY_LEFT ? KEY_BTAB : '\t');
		if (ch == 'e' || ch == 'a' || ch == 'r')
			return cur_step(w)->key(w, ch);
		return UI_KEY_IGNORED;
	}
	r = cur_step(w)->key(w, ch);
	return r;
}

static void
wizard_job_done(struct screen *s, struct job *job)
{
	struct wiz *w = s->data;
	struct wizard_job *j = job_arg(job);
	bool progress = job_is_progress(job);
	int rc = progress ? 0 : job_rc(job);
	const struct irsa_error *err = rc != 0 ? job_error(job) : NULL;

	switch (j->kind) {
	case WIZARD_JOB_OPEN:
		if (rc != 0) {
			w->open = LOAD_FAILED;
			w->open_err = *err;
			ui_flash_error(w->ui, err);
			break;
		}
		w->conn = wizard_conn_ref(j->conn);
		w->open = LOAD_DONE;
		ui_log(w->ui, "wizard: %s (%s), account %s", w->conn->cl.cluster, w->conn->cl.region, w->conn->account);
		role_suggest(w);
		start_lists(w);
		if (step_is(w, STEP_POLICIES))
			policies_enter(w);
		if (w->preview_waiting)
			start_preview(w);
		break;
	case WIZARD_JOB_ROLES:
		if (rc != 0) {
			w->roles = LOAD_FAILED;
			w->roles_err = *err;
			break;
		}
		aws_role_list_release(&w->role_list);
		w->role_list = j->roles;
		memset(&j->roles, 0, sizeof(j->roles));
		w->roles = LOAD_DONE;
		table_clear(w->t_roles);
		roles_rows(w);
		break;
	case WIZARD_JOB_POLICIES:
		if (rc != 0) {
			w->pols = LOAD_FAILED;
			w->pols_err = *err;
			break;
		}
		aws_policy_list_release(&w->pol_list);
		w->pol_list = j->policies;
		memset(&j->policies, 0, sizeof(j->policies));
		w->pols = LOAD_DONE;
		policies_fill(w);
		break;
	case WIZARD_JOB_PREVIEW:
		if (rc != 0) {
			w->preview = LOAD_FAILED;
			w->plan_err = *err;
			break;
		}
		plan_release(&w->plan);
		w->plan = j->plan;
		plan_init(&j->plan);
		w->have_plan = true;
		w->preview = LOAD_DONE;
		preview_build(w);
		/* the answers changed while it read: read again */
		if (w->plan_gen != w->gen && step_is(w, STEP_PREVIEW))
			start_preview(w);
		break;
	case WIZARD_JOB_APPLY:
	case WIZARD_JOB_ROLLBACK: {
		bool rollback = j->kind == WIZARD_JOB_ROLLBACK;
		struct wizard_step_status *before = NULL;

		if (w->n_status > 0 && (before = malloc(w->n_status * sizeof(*before))) != NULL)
			memcpy(before, w->status, w->n_status * sizeof(*before));
		wizard_job_status(j, w->status, w->n_status);
		for (size_t i = 0; before != NULL && i < w->n_status && i < w->plan.n; i++)
			if (before[i].state != w->status[i].state && w->status[i].state != WIZARD_STEP_RUNNING)
				ui_log(w->ui, "%s step %zu/%zu %s: %s%s%s", rollback ? "rollback" : "apply", i + 1,
				       w->plan.n, state_word(w, w->status[i].state, rollback), w->plan.steps[i].title,
				       w->status[i].note[0] ? " - " : "", w->status[i].note);
		free(before);
		if (!progress) {
			w->run_job = NULL;
			w->run_done = j->res.done;
			w->run_skipped = j->res.skipped;
			if (!rollback && j->res.journal_path != NULL) {
				free(w->journal);
				w->journal = strdup(j->res.journal_path);
			}
			if (rc != 0) {
				w->run_err = *err;
				w->run = rollback ? RUN_ROLLBACK_FAILED : RUN_APPLY_FAILED;
				ui_flash_error(w->ui, err);
			} else if (rollback) {
				w->run = j->rc == 1 ? RUN_ROLLBACK_KEPT : RUN_ROLLED_BACK;
			} else {
				w->run = RUN_APPLIED;
				ui_flash(w->ui, UI_FLASH_INFO, "%s/%s is bound to %s", w->plan.ns, w->plan.sa,
				         w->plan.role_name);
			}
			ui_log(w->ui, "%s %s: %zu made, %zu skipped%s%s", rollback ? "rollback" : "apply",
			       rc == 0 ? "finished" : "stopped", j->res.done, j->res.skipped, rc != 0 ? ": " : "",
			       rc != 0 ? err->message : "");
		}
		run_build(w);
		break;
	}
	}
	ui_redraw(w->ui);
}

static void
wizard_filter(struct screen *s, const char *text)
{
	struct wiz *w = s->data;
	struct table *t = cur_step(w)->list != NULL ? cur_step(w)->list(w) : NULL;

	snprintf(w->filter, sizeof(w->filter), "%s", text != NULL ? text : "");
	if (t != NULL)
		table_set_filter(t, w->filter);
}

/* The step's list takes the screen's filter (the title shows it). */
static void
filter_follow(struct wiz *w)
{
	struct table *t = cur_step(w)->list != NULL ? cur_step(w)->list(w) : NULL;

	if (t != NULL)
		table_set_filter(t, w->filter);
}

static void
wizard_counts(struct screen *s, size_t *shown, size_t *total)
{
	struct wiz *w = s->data;
	struct table *t = cur_step(w)->list != NULL ? cur_step(w)->list(w) : NULL;

	*shown = t != NULL ? table_shown(t) : 0;
	*total = t != NULL ? table_total(t) : 0;
}

static void
wiz_free(struct wiz *w)
{
	if (w == NULL)
		return;
	free(w->context);
	free(w->cluster);
	free(w->region);
	free(w->ns);
	free(w->sa);
	wizard_conn_unref(w->conn);
	table_free(w->t_roles);
	table_free(w->t_pol);
	table_free(w->t_svc);
	aws_role_list_release(&w->role_list);
	aws_policy_list_release(&w->pol_list);
	free(w->role_pick);
	for (size_t i = 0; i < w->n_sel; i++)
		free(w->sel[i]);
	free(w->preset_on);
	free(w->svc_on);
	plan_release(&w->plan);
	textview_free(w->tv);
	textview_free(w->tv_run);
	free(w->status);
	free(w->made);
	free(w->journal);
	free(w);
}

static const struct table_column role_cols[] = {
        {"", 3, false},
        {"NAME", 24, true},
        {"PATH", 8, false},
        {"CREATED", 10, false},
};
static const struct table_column pol_cols[] = {
        {"", 3, false},
        {"NAME", 34, false},
        {"KIND", 8, false},
        {"WHAT", 20, true},
};
static const struct table_column svc_cols[] = {
        {"", 3, false},
        {"NAME", 16, false},
        {"PRINCIPAL", 28, false},
        {"NOTE", 20, true},
};

static int
wizard_enter(struct screen *s, void *arg)
{
	const struct wizard_args *a = arg;
	struct wizard_job *j;
	struct wiz *w;
	size_t n_svc;
	int k = 0;

	if (a == NULL || a->ns == NULL || (a->context == NULL && a->cluster != NULL && a->region == NULL)) {
		ui_flash(s->ui, UI_FLASH_ERROR, "the wizard needs a namespace, and a cluster's region");
		return -1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return -1;
	}
	w->s = s;
	w->ui = s->ui;
	w->th = ui_theme(s->ui);
	w->context = xstrdup(a->context);
	w->cluster = xstrdup(a->cluster);
	w->region = xstrdup(a->region);
	w->ns = xstrdup(a->ns);
	w->new_sa = a->sa == NULL || *a->sa == '\0';
	w->sa = xstrdup(w->new_sa ? "" : a->sa);
	w->create_sa = w->new_sa;
	plan_init(&w->plan);
	presets_all(&w->n_presets);
	trust_services(&n_svc);
	w->n_svc = n_svc;
	w->preset_on = calloc(w->n_presets, sizeof(bool));
	w->svc_on = calloc(w->n_svc, sizeof(bool));
	w->t_roles = table_new(role_cols, 4);
	w->t_pol = table_new(pol_cols, 4);
	w->t_svc = table_new(svc_cols, 4);
	w->tv = textview_new();
	w->tv_run = textview_new();
	if ((a->ns != NULL && w->ns == NULL) || w->sa == NULL || w->preset_on == NULL || w->svc_on == NULL ||
	    w->t_roles == NULL || w->t_pol == NULL || w->t_svc == NULL || w->tv == NULL || w->tv_run == NULL) {
		wiz_free(w);
		ui_flash(s->ui, UI_FLASH_ERROR, "out of memory");
		return -1;
	}
	s->data = w;
	snprintf(s->crumb, sizeof(s->crumb), "%s", "bind");
	if (ui_read_only(s->ui))
		s->ops = &screen_wizard_ro;

	if (w->new_sa)
		w->order[k++] = STEP_ACCOUNT;
	w->order[k++] = STEP_ROLE;
	w->order[k++] = STEP_POLICIES;
	w->order[k++] = STEP_SERVICES;
	w->order[k++] = STEP_OPTIONS;
	w->order[k++] = STEP_PREVIEW;
	if (!ui_read_only(s->ui))
		w->order[k++] = STEP_APPLY;
	w->n_order = k;
	field_set(&w->f_ns, w->ns);
	w->role_row = 1;
	w->acc_row = w->ns[0] != '\0' ? 1 : 0;

	for (size_t i = 0; i < w->n_presets; i++)
		preset_row(w, i);
	for (size_t i = 0; i < w->n_svc; i++)
		services_row(w, i);

	/* the clients; the lists follow when they are open */
	if ((j = wizard_job_new(WIZARD_JOB_OPEN, NULL)) != NULL) {
		j->cli = ui_cli(s->ui);
		j->context = xstrdup(a->context);
		j->cluster = a->context == NULL ? xstrdup(a->cluster) : NULL;
		j->region = a->context == NULL ? xstrdup(a->region) : NULL;
	}
	w->open = start_job(w, j, NULL) ? LOAD_RUNNING : LOAD_FAILED;
	if (w->open == LOAD_FAILED)
		irsa_error_set(&w->open_err, IRSA_ERR_INTERNAL, "cannot start connecting to the cluster");
	cur_step(w)->enter(w);
	return 0;
}

static void
wizard_leave(struct screen *s)
{
	struct wiz *w = s->data;

	/* running jobs keep their own references to the clients: freed when
	 * they end (wizard_jobs.c) */
	jobs_cancel_owner(ui_jobs(s->ui), s);
	wiz_free(w);
	s->data = NULL;
}

/* clang-format off */
static const struct ui_binding wizard_bindings[] = {
	{'\t', "Tab", "focus", true, false},
	{'\n', "Enter", "next", true, false},
	{UI_KEY_ESC, "Esc", "back one step", false, false},
	{' ', "space", "choose", true, false},
	{'a', "a", "apply (preview)", true, true},
	{'e', "e", "export", true, false},
	{'w', "w", "write a preset's policy template (policies)", false, false},
	{'R', "R", "reload the role and policy lists (policies)", false, false},
	{'r', "r", "roll back a failed apply (apply)", false, true},
	{0, NULL, NULL, false, false},
};

/* Read-only mode: the same without the mutating keys, rather than with
 * them refused, so that `a` and `r` stay letters in the text fields. */
static const struct ui_binding wizard_bindings_ro[] = {
	{'\t', "Tab", "focus", true, false},
	{'\n', "Enter", "next", true, false},
	{UI_KEY_ESC, "Esc", "back one step", false, false},
	{' ', "space", "choose", true, false},
	{'e', "e", "export", true, false},
	{'w', "w", "write a preset's policy template (policies)", false, false},
	{'R', "R", "reload the role and policy lists (policies)", false, false},
	{0, NULL, NULL, false, false},
};
/* clang-format on */

const struct screen_ops screen_wizard = {
        .name = "bind",
        .enter = wizard_enter,
        .leave = wizard_leave,
        .draw = wizard_draw,
        .key = wizard_key,
        .job_done = wizard_job_done,
        .filter = wizard_filter,
        .counts = wizard_counts,
        .bindings = wizard_bindings,
};

/* What wizard_enter() switches to in read-only mode (the frame reads a
 * screen's ops through its struct screen). */
static const struct screen_ops screen_wizard_ro = {
        .name = "bind",
        .enter = wizard_enter,
        .leave = wizard_leave,
        .draw = wizard_draw,
        .key = wizard_key,
        .job_done = wizard_job_done,
        .filter = wizard_filter,
        .counts = wizard_counts,
        .bindings = wizard_bindings_ro,
};
