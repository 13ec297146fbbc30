/* tui/plan_view.h - a binding-engine plan drawn into a textview: its
 * warnings and steps (each with its API request and equivalent command),
 * the trust policy's diff (+ after, - now; unchanged lines as coloured
 * JSON), and each step's state while it is applied. What the wizard's
 * preview shows, for every screen that previews a plan (the audit screen's
 * fixes). Knows the plan, not where it came from. No jobs here. */
#ifndef IRSA_PLAN_VIEW_H
#define IRSA_PLAN_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "plan_apply.h"
#include "textview.h"

/* One step's state while a plan is applied. */
enum plan_view_state {
	PLAN_VIEW_PENDING,
	PLAN_VIEW_RUNNING,
	PLAN_VIEW_DONE,
	PLAN_VIEW_SKIPPED,
	PLAN_VIEW_FAILED,
};

struct plan_view_step {
	enum plan_view_state state;
	char note[300]; /* why skipped, or the error */
};

/* The plan's warnings, then "Plan: N steps" and each step with its
 * request and command, or when empty "Nothing to do: " and nothing (NULL:
 * "AWS and the cluster already are as the fix wants."). utf8: glyphs. */
void plan_view_steps(struct textview *tv, const struct plan *p, bool utf8, const char *nothing);

/* Whether the plan writes a trust policy (creates a role or rewrites one). */
bool plan_view_has_trust(const struct plan *p);

/* The trust policy of p: its diff against the role's current trust, or
 * the whole new document for a new role. unchanged (may be NULL) follows
 * "unchanged" when the plan leaves the trust as it is: "it already admits
 * NS/SA". */
void plan_view_trust(struct textview *tv, const struct plan *p, const char *unchanged);

/* The steps with their states (n entries of st, one per step). */
void plan_view_progress(struct textview *tv, const struct plan *p, const struct plan_view_step *st, size_t n,
                        bool utf8);

/* Records event ev of a plan_progress_fn in st (note or err's text). */
void plan_view_event(struct plan_view_step *st, enum plan_event ev, const char *note, const struct irsa_error *err);

#endif
