/* core/plan_apply.h - making a plan's changes, and undoing them.
 *
 * plan_apply() runs the steps in order. Before each it re-reads what the
 * step changes: a step whose change is already there is skipped (a rerun
 * after a crash converges), one whose object changed since the preview
 * stops the apply with IRSA_ERR_CONFLICT. It writes the journal (journal.h)
 * before every change, with the before and after, and again when the change
 * is made; a failed step stops the apply, leaving the journal for
 * plan_rollback().
 *
 * plan_rollback() undoes, newest first, the steps a journal records as made
 * (or started): restores the trust document byte for byte, detaches what
 * was attached, restores the annotations, deletes the service account, role
 * or OIDC provider it created, each only when nothing else changed or uses
 * it (else the step is left, with the reason). Restarts cannot be undone.
 * No printing: progress goes to the callback. */
#ifndef IRSA_PLAN_APPLY_H
#define IRSA_PLAN_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "plan.h"

enum plan_event {
	PLAN_EVENT_BEGIN,   /* the step starts */
	PLAN_EVENT_DONE,    /* made (or undone) */
	PLAN_EVENT_SKIPPED, /* nothing to do: already so (apply), or not undoable / kept (rollback: see note) */
	PLAN_EVENT_FAILED,  /* err says why */
};

/* Called for each step from the calling thread. note: a sentence for
 * SKIPPED (why), else NULL. err only for FAILED. */
typedef void (*plan_progress_fn)(void *arg, size_t i, const struct plan_step *s, enum plan_event ev, const char *note,
                                 const struct irsa_error *err);

struct plan_apply_options {
	const char *journal_dir;   /* NULL: journal_dir()'s default */
	plan_progress_fn progress; /* may be NULL */
	void *arg;
	const volatile int *cancel; /* checked between steps; may be NULL */
};

struct plan_apply_result {
	char *journal_path; /* owned; NULL when no journal was written (empty plan) */
	size_t done;        /* steps made (or undone) */
	size_t skipped;
	int failed; /* index of the step that failed, -1 when none */
};

void plan_apply_result_release(struct plan_apply_result *r);

/* Read-only mode (--read-only): while on, plan_apply() and plan_rollback()
 * refuse with IRSA_ERR_DENIED ("read-only mode") before they read or write
 * anything, journal included. Process-wide, so that no caller can forget
 * it; main() sets it once, before any thread starts. Off by default. */
void plan_set_read_only(bool on);
bool plan_read_only(void);

/* Applies p. Returns 0 when every step is made or skipped, or -1 with err
 * set (the failed step's error prefixed with its title; IRSA_ERR_CANCELLED
 * when cancelled between steps) and res saying how far it got. res is
 * initialised here; the caller releases it. An empty plan writes nothing. */
int plan_apply(const struct plan_env *env, const struct plan *p, const struct plan_apply_options *o,
               struct plan_apply_result *res, struct irsa_error *err);

/* Undoes what the journal at path records. Returns 0 when every made step
 * was undone or needed nothing, 1 when some were kept (their progress note
 * says why), -1 with err set on a failure (the journal then records what
 * was undone; run it again after fixing the cause). */
int plan_rollback(const struct plan_env *env, const char *journal_path, const struct plan_apply_options *o,
                  struct plan_apply_result *res, struct irsa_error *err);

#endif
