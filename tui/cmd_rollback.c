/* tui/cmd_rollback.c - `irsa rollback`: undoes what an apply's journal
 * records (core's plan_rollback()), after showing it and asking; with no
 * journal named, lists the journals. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "apply_report.h"
#include "bind.h"
#include "cli.h"
#include "confirm.h"
#include "journal.h"
#include "output.h"
#include "plan_apply.h"

static int
list_journals(struct cli *cli)
{
	struct irsa_error err;
	char *dir, **paths = NULL;
	size_t n = 0;

	irsa_error_clear(&err);
	if ((dir = journal_dir(NULL, &err)) == NULL || journal_list(dir, &paths, &n, &err) != 0) {
		free(dir);
		return output_error(cli, &err);
	}
	if (n == 0)
		fprintf(cli->err, "No journals in %s: irsa apply writes one per run.\n", dir);
	for (size_t i = 0; i < n; i++) {
		struct journal *j;

		if (journal_open(paths[i], &j, &err) != 0) {
			fprintf(cli->out, "%s  (unreadable: %s)\n", paths[i], err.message);
			continue;
		}
		fprintf(cli->out, "%s  %s\n", paths[i], journal_state_name(journal_state(j)));
		journal_free(j);
	}
	if (n > 0)
		fprintf(cli->err, "Undo one with: irsa rollback JOURNAL (or --last for the newest).\n");
	journal_paths_free(paths, n);
	free(dir);
	return EXIT_OK;
}

/* The plan a journal holds, and which of its steps were made. */
static int
read_journal(const char *path, struct plan *p, bool *made, struct irsa_error *err)
{
	struct journal *j;
	int rc;

	if (journal_open(path, &j, err) != 0)
		return -1;
	rc = plan_from_json(journal_plan(j), p, err);
	for (size_t i = 0; rc == 0 && i < p->n && i < journal_steps(j); i++) {
		enum journal_status st = journal_entry(j, i)->status;

		made[i] = st == JOURNAL_DONE || st == JOURNAL_STARTED;
	}
	journal_free(j);
	return rc;
}

static int
rollback_run(struct cli *cli)
{
	struct plan_apply_options opt = {NULL, apply_report_progress, NULL, NULL};
	struct plan_apply_result res = {NULL, 0, 0, -1};
	struct apply_report report;
	struct irsa_error err;
	struct bind b;
	struct plan p;
	bool made[256] = {false};
	char *path = NULL, *dir = NULL;
	size_t n_made = 0;
	int rc;

	if (cli->argc > 1)
		return cli_usage_error(cli, "Run 'irsa help rollback' for usage.", "rollback takes one journal");
	if (cli->argc == 1 && cli_flag_given(cli, "last"))
		return cli_usage_error(cli, "Give a journal, or --last.", "--last and a journal exclude each other");
	if (cli->argc == 0 && !cli_flag_given(cli, "last"))
		return list_journals(cli);
	irsa_error_clear(&err);
	memset(&b, 0, sizeof(b));
	plan_init(&p);
	if (cli->argc == 1) {
		path = strdup(cli->argv[0]);
	} else if ((dir = journal_dir(NULL, &err)) == NULL || journal_last(dir, &path, &err) != 0) {
		rc = output_error(cli, &err);
		goto out;
	}
	if (path == NULL || read_journal(path, &p, made, &err) != 0) {
		if (path == NULL)
			irsa_error_oom(&err);
		rc = output_error(cli, &err);
		goto out;
	}
	fprintf(cli->out, "Journal %s: %s/%s in %s\n", path, p.ns, p.sa, p.cluster);
	for (size_t i = p.n; i-- > 0;)
		if (i < sizeof(made) / sizeof(made[0]) && made[i]) {
			fprintf(cli->out, "  undo %zu. %s\n", i + 1, p.steps[i].title);
			n_made++;
		}
	if (n_made == 0) {
		fprintf(cli->out, "Nothing to undo: the journal records no change made.\n");
		rc = EXIT_OK;
		goto out;
	}
	if (!cli_flag_given(cli, "yes")) {
		switch (confirm_ask(cli, "Undo these changes? [y/N] ")) {
		case CONFIRM_YES:
			break;
		case CONFIRM_NO:
			fprintf(cli->err, "Nothing changed.\n");
			rc = EXIT_FAILURE_RUN;
			goto out;
		case CONFIRM_NO_TERMINAL:
			rc = cli_usage_error(cli, "Run irsa rollback --yes to undo without asking.",
			                     "irsa rollback asks first, and there is no terminal to answer: nothing "
			                     "changed");
			goto out;
		}
	}
	/* The clients of the cluster the journal names. */
	if (p.context != NULL) {
		if (cli->context == NULL)
			cli->context = p.context;
	} else {
		snprintf(b.cluster, sizeof(b.cluster), "%s", p.cluster);
		snprintf(b.region, sizeof(b.region), "%s", p.region);
		b.ch.cluster = b.cluster;
		b.ch.region = b.region;
		if (cli->region == NULL)
			cli->region = p.region;
	}
	if (bind_open(cli, &b, &err) != 0) {
		rc = output_error(cli, &err);
		goto out;
	}
	confirm_catch_interrupt();
	apply_report_init(&report, cli, "rollback", p.n);
	opt.arg = &report;
	opt.cancel = (const volatile int *)&confirm_interrupted;
	rc = plan_rollback(&b.cl.env, path, &opt, &res, &err);
	if (rc == 1) {
		irsa_error_set(&err, IRSA_ERR_CONFLICT, "some changes were kept (see the lines above)");
		irsa_error_hint(&err, "They changed after the apply, or something else uses them: undo them by hand "
		                      "if you are sure.");
	}
	rc = apply_report_finish(&report, rc, &res, &err);
	plan_apply_result_release(&res);
out:
	free(path);
	free(dir);
	plan_release(&p);
	bind_close(&b);
	return rc;
}

static const struct cli_flag rollback_flags[] = {
        {"last", 0, NULL, "the newest journal"},
        {"yes", 'y', NULL, "undo without asking"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_rollback = {
        .name = "rollback",
        .summary = "undo what an irsa apply made, from its journal",
        .usage = "rollback [--last | JOURNAL] [--yes] [-o text|json]",
        .description = "Undoes, newest first, the changes an apply's journal records: the trust\n"
                       "policy restored byte for byte, policies detached, annotations restored, and\n"
                       "the service account, role or OIDC provider it created deleted - each only\n"
                       "when nothing changed it since and nothing else uses it (else it is kept and\n"
                       "said so). Restarts cannot be undone. Without JOURNAL or --last, lists the\n"
                       "journals in $XDG_STATE_HOME/irsa/journal.",
        .outputs = "text,json",
        .flags = rollback_flags,
        .run = rollback_run,
};
