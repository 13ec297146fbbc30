/* tui/cmd_apply.c - `irsa apply`: builds the plan as `irsa plan` does, shows
 * it, asks (unless --yes), then makes its changes with a journal (core's
 * plan_apply()); Ctrl-C stops between steps. */
#include "config.h"

#include <stdio.h>

#include "apply_report.h"
#include "bind.h"
#include "cli.h"
#include "confirm.h"
#include "output.h"
#include "plan_apply.h"

static int
apply_run(struct cli *cli)
{
	struct plan_apply_options opt = {NULL, apply_report_progress, NULL, NULL};
	struct plan_apply_result res = {NULL, 0, 0, -1};
	struct apply_report report;
	struct irsa_error err;
	struct bind b;
	struct plan p;
	char question[256];
	int rc;

	if ((rc = bind_parse(cli, &b)) != 0)
		return rc;
	irsa_error_clear(&err);
	if (cli->read_only) {
		/* core refuses too (plan_set_read_only()); saying so before any
		 * call is kinder */
		irsa_error_set(&err, IRSA_ERR_DENIED, "read-only mode: irsa apply changes nothing");
		irsa_error_hint(&err, "irsa plan shows what it would do; run apply without --read-only.");
		return output_error(cli, &err);
	}
	plan_init(&p);
	if (bind_open(cli, &b, &err) != 0 || bind_plan(&b, &p, &err) != 0) {
		rc = output_error(cli, &err);
		goto out;
	}
	if (!output_is_json(cli)) {
		struct cli text = *cli;

		text.output = "text";
		bind_print(&text, &p);
	}
	if (p.n > 0 && !cli_flag_given(cli, "yes")) {
		snprintf(question, sizeof(question), "\nApply these %zu change%s to %s? [y/N] ", p.n,
		         p.n == 1 ? "" : "s", p.cluster);
		switch (confirm_ask(cli, question)) {
		case CONFIRM_YES:
			break;
		case CONFIRM_NO:
			fprintf(cli->err, "Nothing changed.\n");
			rc = EXIT_FAILURE_RUN;
			goto out;
		case CONFIRM_NO_TERMINAL:
			rc = cli_usage_error(cli, "Review it with irsa plan, then run irsa apply --yes.",
			                     "irsa apply asks before changing anything, and there is no terminal to "
			                     "answer: nothing changed");
			goto out;
		}
	}
	confirm_catch_interrupt();
	apply_report_init(&report, cli, "apply", p.n);
	opt.arg = &report;
	opt.cancel = (const volatile int *)&confirm_interrupted;
	rc = plan_apply(&b.cl.env, &p, &opt, &res, &err);
	rc = apply_report_finish(&report, rc, &res, &err);
	if (rc != EXIT_OK && res.journal_path != NULL && !output_is_json(cli))
		fprintf(cli->err,
		        "%zu of %zu steps made. Run irsa apply again to resume, or undo them with:\n"
		        "  irsa rollback %s\n",
		        res.done, p.n, res.journal_path);
	plan_apply_result_release(&res);
out:
	plan_release(&p);
	bind_close(&b);
	return rc;
}

const struct cmd cmd_apply = {
        .name = "apply",
        .summary = "bind a service account to an IAM role (asks first)",
        .usage = "apply [--context C | --cluster N --region R] -n NS --service-account SA\n"
                 "       [--role-name R | --role-arn ARN] [--policy ARN ...] [--service S ...]\n"
                 "       [--create-service-account] [--restart-workloads] [--yes] [-o text|json]",
        .description = "Shows the plan (irsa plan), asks, and makes the changes. Each step re-reads\n"
                       "what it changes first: one already made is skipped, one changed since the\n"
                       "preview stops the apply. A journal in $XDG_STATE_HOME/irsa/journal records\n"
                       "every change before it is made; after a failure, run apply again to resume\n"
                       "or irsa rollback to undo. Without a terminal it needs --yes. Ctrl-C stops\n"
                       "between steps. With --read-only it refuses (so does core's apply).\n"
                       "\n"
                       "The flags are irsa plan's; see irsa help plan.",
        .outputs = "text,json",
        .flags = bind_flags,
        .run = apply_run,
};
