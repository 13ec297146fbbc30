/* tui/apply_report.c - the progress lines and the result of `irsa apply`
 * and `irsa rollback` (see apply_report.h). No curses here. */
#include "config.h"

#include "apply_report.h"

#include <string.h>

#include <json-c/json.h>

#include "output.h"

void
apply_report_init(struct apply_report *r, const struct cli *cli, const char *verb, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->cli = cli;
	r->verb = verb;
	r->n = n;
	if (output_is_json(cli))
		r->steps = json_object_new_array();
}

static const char *
event_word(enum plan_event ev)
{
	switch (ev) {
	case PLAN_EVENT_BEGIN:
		return "begin";
	case PLAN_EVENT_DONE:
		return "done";
	case PLAN_EVENT_SKIPPED:
		return "skipped";
	case PLAN_EVENT_FAILED:
		return "failed";
	}
	return "?";
}

void
apply_report_progress(void *arg, size_t i, const struct plan_step *s, enum plan_event ev, const char *note,
                      const struct irsa_error *err)
{
	struct apply_report *r = arg;
	char line[1024];

	if (ev == PLAN_EVENT_BEGIN) {
		fprintf(r->cli->err, "[%zu/%zu] %s ...\n", i + 1, r->n, s->title);
		fflush(r->cli->err);
		return;
	}
	line[0] = '\0';
	if (err != NULL)
		irsa_error_format(err, line, sizeof(line));
	fprintf(r->cli->err, "[%zu/%zu] %s%s%s\n", i + 1, r->n, event_word(ev), note != NULL ? ": " : "",
	        note != NULL ? note : "");
	if (r->steps != NULL) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "step", json_object_new_int((int)i + 1));
		output_json_add(o, "kind", plan_step_kind_name(s->kind));
		output_json_add(o, "title", s->title);
		output_json_add(o, "status", event_word(ev));
		output_json_add(o, "note", note);
		output_json_add(o, "error", err != NULL ? line : NULL);
		json_object_array_add(r->steps, o);
	}
}

int
apply_report_finish(struct apply_report *r, int rc, const struct plan_apply_result *res, const struct irsa_error *err)
{
	const struct cli *cli = r->cli;
	int status = rc == 0 ? EXIT_OK : EXIT_FAILURE_RUN;

	if (r->steps != NULL) {
		struct json_object *o = json_object_new_object();
		char line[1024];

		output_json_add(o, "journal", res->journal_path);
		json_object_object_add(o, "done", json_object_new_int((int)res->done));
		json_object_object_add(o, "skipped", json_object_new_int((int)res->skipped));
		json_object_object_add(o, "failed", res->failed >= 0 ? json_object_new_int(res->failed + 1) : NULL);
		json_object_object_add(o, "steps", r->steps);
		r->steps = NULL;
		if (rc != 0)
			irsa_error_format(err, line, sizeof(line));
		output_json_add(o, "error", rc != 0 ? line : NULL);
		output_json_print(cli, o);
		json_object_put(o);
	} else if (rc == 0) {
		fprintf(cli->err, "%s: %zu step%s made, %zu already so.%s%s\n", r->verb, res->done,
		        res->done == 1 ? "" : "s", res->skipped, res->journal_path != NULL ? " Journal: " : "",
		        res->journal_path != NULL ? res->journal_path : "");
	}
	if (rc != 0)
		output_error(cli, err);
	json_object_put(r->steps);
	r->steps = NULL;
	return status;
}
