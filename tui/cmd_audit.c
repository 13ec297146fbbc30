/* tui/cmd_audit.c - `irsa audit`: for now only `--list-checks`, which
 * prints the catalog of checks (core/audit_catalog.h) as a table or, with
 * -o json, every field of every check; docs/audit.md is generated from it
 * (scripts/gen-audit-doc).
 *
 * The checks themselves are not built yet. A plain `irsa audit` says so and
 * exits 3 ("checks could not run", as the audit will when it cannot read
 * what a check needs), never 0: nobody must take it for a clean audit.
 * Headless: no terminal is opened. */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>

#include "audit_catalog.h"
#include "cli.h"
#include "output.h"

#define AUDIT_EXIT_NOT_RUN 3 /* the checks could not run */

static const char *const headers[] = {"ID", "SEVERITY", "GROUP", "TITLE", "FIX"};

/* "plan", "plan (confirm)", "manual", "manual (confirm)". */
static const char *
fix_word(const struct audit_check *c)
{
	if (c->fix_kind == AUDIT_FIX_PLAN)
		return c->confirm ? "plan (confirm)" : "plan";
	return c->confirm ? "manual (confirm)" : "manual";
}

static json_object *
check_json(const struct audit_check *c)
{
	json_object *o = json_object_new_object();
	char group[2] = {c->group, '\0'};

	output_json_add(o, "id", c->id);
	output_json_add(o, "group", group);
	output_json_add(o, "groupTitle", c->group_title);
	output_json_add(o, "severity", audit_severity_name(c->severity));
	output_json_add(o, "severityNote", c->severity_note);
	output_json_add(o, "title", c->title);
	output_json_add(o, "reads", c->reads);
	output_json_add(o, "why", c->why);
	output_json_add(o, "fix", c->fix);
	output_json_add(o, "fixKind", audit_fix_kind_name(c->fix_kind));
	json_object_object_add(o, "confirm", json_object_new_boolean(c->confirm));
	output_json_add(o, "status", audit_check_status_name(c->status));
	output_json_add(o, "reason", c->reason);
	return o;
}

static int
audit_list_checks(struct cli *cli)
{
	struct output_table *t;
	json_object *a;
	size_t n;
	const struct audit_check *c = audit_catalog(&n);

	if (output_is_json(cli)) {
		a = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(a, check_json(&c[i]));
		output_json_print(cli, a);
		json_object_put(a);
		return EXIT_OK;
	}
	if ((t = output_table_new(sizeof(headers) / sizeof(headers[0]), headers)) == NULL) {
		fputs("irsa: out of memory\n", cli->err);
		return EXIT_FAILURE_RUN;
	}
	for (size_t i = 0; i < n; i++)
		if (output_table_add(t, (const char *const[]){c[i].id, audit_severity_name(c[i].severity),
		                                              c[i].group_title, c[i].title, fix_word(&c[i])}) != 0) {
			output_table_free(t);
			fputs("irsa: out of memory\n", cli->err);
			return EXIT_FAILURE_RUN;
		}
	output_table_print(t, cli, "No checks in the catalog.");
	output_table_free(t);
	return EXIT_OK;
}

static int
audit_run(struct cli *cli)
{
	size_t n;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help audit' for usage.", "audit takes no arguments (got \"%s\")",
		                       cli->argv[0]);
	if (cli_flag_given(cli, "list-checks"))
		return audit_list_checks(cli);
	audit_catalog(&n);
	fprintf(cli->err, "irsa: the audit checks are not built yet in this version: nothing was checked\n");
	fprintf(cli->err, "Run 'irsa audit --list-checks' to see the catalog of the %zu checks to come.\n", n);
	return AUDIT_EXIT_NOT_RUN;
}

static const struct cli_flag audit_flags[] = {
        {"list-checks", 0, NULL, "print the catalog of checks instead of auditing"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_audit = {
        .name = "audit",
        .summary = "audit IRSA bindings (for now: list the checks)",
        .usage = "audit [--list-checks] [-o text|json]",
        .description = "The audit will find every IRSA binding of a cluster, whatever made it, and\n"
                       "report what is wrong with it, by check id (IRSA001...). Only the catalog of\n"
                       "checks is built yet: --list-checks prints it, with each check's severity,\n"
                       "group, title and how it will be fixed (a plan irsa applies, \"(confirm)\"\n"
                       "when it always asks first, or manual). -o json prints every field: id,\n"
                       "group, groupTitle, severity, severityNote, title, reads, why, fix, fixKind,\n"
                       "confirm, status and reason (why irsa cannot run it here, or null).\n"
                       "\n"
                       "Without --list-checks, irsa audit checks nothing yet: it says so and exits\n"
                       "3 (the checks could not run), so that no script takes it for a clean audit.\n"
                       "\n"
                       "Example:\n"
                       "  irsa audit --list-checks -o json",
        .outputs = "text,json",
        .flags = audit_flags,
        .run = audit_run,
};
