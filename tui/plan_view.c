/* tui/plan_view.c - a plan drawn into a textview (see plan_view.h): the
 * steps, the trust diff and the apply's progress. Glyphs always come with
 * a word, so nothing is told by colour alone. No jobs, no AWS here. */
#include "config.h"

#include "plan_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"

static const char *
glyph(bool utf8, const char *u, const char *ascii)
{
	return utf8 ? u : ascii;
}

void
plan_view_steps(struct textview *tv, const struct plan *p, bool utf8, const char *nothing)
{
	for (size_t i = 0; i < p->warnings.n; i++) {
		textview_line(tv);
		textview_span(tv, THEME_STATUS_WARN, glyph(utf8, "\u26a0 Warning: ", "! Warning: "));
		textview_span(tv, THEME_STATUS_WARN, p->warnings.v[i]);
	}
	if (p->n == 0) {
		textview_printf(tv, THEME_STATUS_OK, "%sNothing to do: %s", glyph(utf8, "\u2713 ", "+ "),
		                nothing != NULL ? nothing : "AWS and the cluster already are as the fix wants.");
		return;
	}
	textview_printf(tv, THEME_TITLE, "Plan: %zu step%s", p->n, p->n == 1 ? "" : "s");
	for (size_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];

		textview_printf(tv, THEME_BODY, "%2zu. %s", i + 1, s->title);
		if (s->request != NULL)
			textview_printf(tv, THEME_DIM, "    %s", s->request);
		if (s->command != NULL) {
			textview_line(tv);
			textview_span(tv, THEME_DIM, "    $ ");
			textview_span(tv, THEME_BODY, s->command);
		}
	}
}

bool
plan_view_has_trust(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == PLAN_STEP_ROLE_TRUST || p->steps[i].kind == PLAN_STEP_ROLE_CREATE)
			return true;
	return false;
}

/* Adds text's lines as coloured JSON, indented by two. */
static void
json_lines(struct textview *tv, const char *text)
{
	for (const char *q = text; q != NULL && *q != '\0';) {
		const char *nl = strchr(q, '\n');
		char *line = strndup(q, nl != NULL ? (size_t)(nl - q) : strlen(q));

		if (line != NULL)
			textview_json_line(tv, "  ", THEME_BODY, line);
		free(line);
		q = nl != NULL ? nl + 1 : NULL;
	}
}

void
plan_view_trust(struct textview *tv, const struct plan *p, const char *unchanged)
{
	const char *role = p->role_name != NULL ? p->role_name : "the role";
	struct trust_diff d;
	struct irsa_error err;

	if (p->trust_after == NULL)
		return;
	if (p->trust_before == NULL) {
		textview_printf(tv, THEME_TITLE, "Trust policy of %s (new)", role);
		json_lines(tv, p->trust_after);
		return;
	}
	irsa_error_clear(&err);
	if (trust_diff_text(p->trust_before, p->trust_after, &d, &err) != 0) {
		textview_printf(tv, THEME_STATUS_ERROR, "Trust policy: %s", err.message);
		return;
	}
	if (d.added == 0 && d.removed == 0)
		textview_printf(tv, THEME_TITLE, "Trust policy of %s: unchanged%s%s%s", role,
		                unchanged != NULL ? " (" : "", unchanged != NULL ? unchanged : "",
		                unchanged != NULL ? ")" : "");
	else
		textview_printf(tv, THEME_TITLE, "Trust policy of %s: %zu line%s added, %zu removed (+ after, - now)",
		                role, d.added, d.added == 1 ? "" : "s", d.removed);
	for (size_t i = 0; i < d.n; i++) {
		switch (d.lines[i].kind) {
		case TRUST_DIFF_ADDED:
			textview_printf(tv, THEME_DIFF_ADD, "+ %s", d.lines[i].text);
			break;
		case TRUST_DIFF_REMOVED:
			textview_printf(tv, THEME_DIFF_REMOVE, "- %s", d.lines[i].text);
			break;
		case TRUST_DIFF_SAME:
			textview_json_line(tv, "  ", THEME_BODY, d.lines[i].text);
			break;
		}
	}
	trust_diff_release(&d);
}

static const char *
state_word(enum plan_view_state st, bool utf8)
{
	switch (st) {
	case PLAN_VIEW_PENDING:
		return glyph(utf8, "\u00b7 pending", ". pending");
	case PLAN_VIEW_RUNNING:
		return glyph(utf8, "\u2192 running", "> running");
	case PLAN_VIEW_DONE:
		return glyph(utf8, "\u2713 done   ", "+ done   ");
	case PLAN_VIEW_SKIPPED:
		return "= skipped";
	case PLAN_VIEW_FAILED:
		return glyph(utf8, "\u2717 failed ", "x failed ");
	}
	return "?";
}

static enum theme_role
state_role(enum plan_view_state st)
{
	switch (st) {
	case PLAN_VIEW_DONE:
		return THEME_STATUS_OK;
	case PLAN_VIEW_FAILED:
		return THEME_STATUS_ERROR;
	case PLAN_VIEW_SKIPPED:
		return THEME_STATUS_WARN;
	case PLAN_VIEW_RUNNING:
		return THEME_TITLE;
	case PLAN_VIEW_PENDING:
		break;
	}
	return THEME_DIM;
}

void
plan_view_progress(struct textview *tv, const struct plan *p, const struct plan_view_step *st, size_t n, bool utf8)
{
	for (size_t i = 0; i < p->n && i < n; i++) {
		textview_line(tv);
		textview_span(tv, state_role(st[i].state), state_word(st[i].state, utf8));
		textview_span(tv, THEME_BODY, "  ");
		textview_span(tv, THEME_BODY, p->steps[i].title);
		if (st[i].note[0] != '\0' && st[i].state != PLAN_VIEW_RUNNING)
			textview_printf(tv, st[i].state == PLAN_VIEW_FAILED ? THEME_STATUS_ERROR : THEME_DIM,
			                "             %s", st[i].note);
	}
}

void
plan_view_event(struct plan_view_step *st, enum plan_event ev, const char *note, const struct irsa_error *err)
{
	switch (ev) {
	case PLAN_EVENT_BEGIN:
		st->state = PLAN_VIEW_RUNNING;
		break;
	case PLAN_EVENT_DONE:
		st->state = PLAN_VIEW_DONE;
		break;
	case PLAN_EVENT_SKIPPED:
		st->state = PLAN_VIEW_SKIPPED;
		break;
	case PLAN_EVENT_FAILED:
		st->state = PLAN_VIEW_FAILED;
		break;
	}
	if (note != NULL)
		snprintf(st->note, sizeof(st->note), "%s", note);
	else if (err != NULL)
		irsa_error_format(err, st->note, sizeof(st->note));
}
