/* tui/apply_report.h - how `irsa apply` and `irsa rollback` report their
 * steps as they run (one line each on stderr) and their result (text, or
 * -o json on stdout). No curses here. */
#ifndef IRSA_APPLY_REPORT_H
#define IRSA_APPLY_REPORT_H

#include "cli.h"
#include "plan_apply.h"

/* The state of a run, for the progress callback. */
struct apply_report {
	const struct cli *cli;
	const char *verb;          /* "apply" or "rollback" */
	size_t n;                  /* steps in the plan */
	struct json_object *steps; /* -o json: one object per reported step */
};

void apply_report_init(struct apply_report *r, const struct cli *cli, const char *verb, size_t n);

/* The plan_progress_fn; arg is a struct apply_report. */
void apply_report_progress(void *arg, size_t i, const struct plan_step *s, enum plan_event ev, const char *note,
                           const struct irsa_error *err);

/* Prints the end: with -o json {"journal", "done", "skipped", "failed",
 * "steps", "error"} on stdout; as text a summary line on stderr. Frees
 * what r holds. Returns the exit status (EXIT_OK, or EXIT_FAILURE_RUN
 * after printing err when rc is not 0). */
int apply_report_finish(struct apply_report *r, int rc, const struct plan_apply_result *res,
                        const struct irsa_error *err);

#endif
