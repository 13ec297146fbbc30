/* tui/cmd_fix.c - `irsa fix FINDING-REF...`: re-collects and re-runs the
 * audit for the clusters the refs name, turns each finding's fix into a
 * plan (core's audit_fix_plan()), shows the plans as `irsa plan` does, asks
 * (once, and again for each fix the catalog marks "(confirm)" unless
 * --force), applies them in order with a journal each (plan_apply()), then
 * re-runs the affected checks and says per ref "fixed" or "still present".
 * Headless: no terminal is opened. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "apply_report.h"
#include "audit.h"
#include "audit_session.h"
#include "bind.h"
#include "cli.h"
#include "confirm.h"
#include "kube_match.h"
#include "kubeconfig.h"
#include "output.h"
#include "plan_apply.h"

#define FIX_MAX_REFS 64

/* One ref the user named, and what became of it. */
struct fix_item {
	const char *ref;                   /* borrowed from argv */
	char check[16];                    /* "IRSA005" */
	char cluster[KUBE_MATCH_MAX_NAME]; /* as the ref names it; "-" for account-wide */
	size_t group;                      /* index in the session groups */
	enum audit_fix_action action;
	bool confirm;
	char *summary;
	struct plan plan;
	struct plan_apply_result res;
	bool applied;
	const char *result; /* "fixed", "still-present", "restarted", "nothing-to-do", "not-applied", "failed" */
	char *still;        /* the finding's message when still present */
};

/* One scope collected: a context (or --cluster) and what was read there. */
struct fix_group {
	struct audit_scope scope;
	char context[256];
	struct audit_session s;
};

struct fix_run {
	struct cli *cli;
	struct fix_item items[FIX_MAX_REFS];
	size_t n;
	struct fix_group groups[FIX_MAX_REFS];
	size_t n_groups;
};

/* "IRSA005:shop-prod:sa/ns/name" into its check id and cluster. */
static int
parse_ref(struct cli *cli, struct fix_item *it)
{
	const char *a = strchr(it->ref, ':'), *b = a != NULL ? strchr(a + 1, ':') : NULL;
	const struct audit_check *c;

	if (a == NULL || b == NULL || b == a + 1 || b[1] == '\0' || (size_t)(a - it->ref) >= sizeof(it->check) ||
	    (size_t)(b - a - 1) >= sizeof(it->cluster))
		return cli_usage_error(cli, "A finding ref is CHECK:CLUSTER:RESOURCE, as irsa audit prints it.",
		                       "\"%s\" is not a finding ref", it->ref);
	snprintf(it->check, sizeof(it->check), "%.*s", (int)(a - it->ref), it->ref);
	snprintf(it->cluster, sizeof(it->cluster), "%.*s", (int)(b - a - 1), a + 1);
	if ((c = audit_check_find(it->check)) == NULL)
		return cli_usage_error(cli, "Run irsa audit --list-checks for the checks.",
		                       "no check %s (in ref \"%s\")", it->check, it->ref);
	return 0;
}

/* The context that reaches cluster: one named as the cluster, else the
 * current one, else the first (ARN or token plugin match). */
static int
context_for(const struct cli *cli, const char *cluster, char *out, size_t outsz, struct irsa_error *err)
{
	struct kubeconfig *cfg = NULL;
	struct kube_eks_refs refs = {NULL, 0};
	const struct kube_eks_ref *pick = NULL;
	int rc = -1;

	if (kubeconfig_load(cli->kubeconfig, &cfg, err) == 0 && kube_match_refs(cfg, &refs, err) == 0) {
		for (size_t i = 0; i < refs.n; i++) {
			const struct kube_eks_ref *r = &refs.v[i];

			if (r->name == NULL || strcmp(r->name, cluster) != 0 || r->context == NULL)
				continue;
			if (pick == NULL || strcmp(r->context, cluster) == 0 ||
			    (r->current && strcmp(pick->context, cluster) != 0))
				pick = r;
		}
		if (pick != NULL) {
			snprintf(out, outsz, "%s", pick->context);
			rc = 0;
		} else {
			irsa_error_set(err, IRSA_ERR_NOT_FOUND, "no kubeconfig context reaches EKS cluster %s",
			               cluster);
			irsa_error_hint(err, "Give --context C, or --cluster %s --region R.", cluster);
		}
	}
	kube_match_refs_release(&refs);
	kubeconfig_free(cfg);
	return rc;
}

/* The scope each item is collected in: the flags' when given, else the
 * context for the ref's cluster. Items of one scope share a group. */
static int
make_groups(struct fix_run *r, struct irsa_error *err)
{
	struct cli *cli = r->cli;
	const char *cluster = cli_flag_value(cli, "cluster");
	bool all = cli_flag_given(cli, "all-contexts");

	if (cluster != NULL || all || cli->context != NULL) {
		struct fix_group *g = &r->groups[r->n_groups++];

		g->scope.context = cli->context;
		g->scope.cluster = cluster;
		g->scope.region = cli->region;
		g->scope.all_contexts = all;
		return 0;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct fix_item *it = &r->items[i];
		char ctx[256] = "";
		size_t j;

		if (strcmp(it->cluster, "-") != 0 && context_for(cli, it->cluster, ctx, sizeof(ctx), err) != 0)
			return -1;
		for (j = 0; j < r->n_groups; j++)
			if (strcmp(r->groups[j].context, ctx) == 0)
				break;
		if (j == r->n_groups) {
			struct fix_group *g = &r->groups[r->n_groups++];

			snprintf(g->context, sizeof(g->context), "%s", ctx);
			/* "" : the current context (an account-wide ref) */
			g->scope.context = g->context[0] != '\0' ? g->context : NULL;
		}
		it->group = j;
	}
	return 0;
}

/* The check ids of the items of group g, for audit_options. */
static size_t
group_checks(const struct fix_run *r, size_t g, const char **ids)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		bool dup = false;

		if (r->items[i].group != g)
			continue;
		for (size_t j = 0; j < n; j++)
			dup = dup || strcmp(ids[j], r->items[i].check) == 0;
		if (!dup)
			ids[n++] = r->items[i].check;
	}
	return n;
}

static int
collect(struct fix_run *r, size_t g, struct audit_result *res, struct irsa_error *err)
{
	struct fix_group *grp = &r->groups[g];
	const char *ids[FIX_MAX_REFS];
	struct audit_options o;

	audit_session_close(&grp->s);
	audit_result_init(res);
	memset(&o, 0, sizeof(o));
	o.checks = ids;
	o.n_checks = group_checks(r, g, ids);
	o.min_severity = AUDIT_SEV_INFO;
	if (audit_session_collect(r->cli, &grp->scope, NULL, &grp->s, err) != 0)
		return -1;
	return audit_run(&grp->s.input, &o, res, err);
}

/* An unknown ref: exit 2 naming it and the refs of that check that exist. */
static int
unknown_ref(struct fix_run *r, const struct fix_item *it, const struct audit_result *res)
{
	size_t shown = 0;

	fprintf(r->cli->err, "irsa: no finding %s: the audit does not report it (now)\n", it->ref);
	for (size_t i = 0; i < res->n; i++)
		if (strcmp(res->v[i].check->id, it->check) == 0) {
			if (shown++ == 0)
				fprintf(r->cli->err, "Findings of %s:\n", it->check);
			fprintf(r->cli->err, "  %s\n", res->v[i].ref);
		}
	if (shown == 0)
		fprintf(r->cli->err, "The audit reports no finding of %s here.\n", it->check);
	for (size_t i = 0; i < res->n_not_run; i++)
		if (strcmp(res->not_run[i].check->id, it->check) == 0)
			fprintf(r->cli->err, "%s did not run%s%s: %s\n", it->check,
			        res->not_run[i].cluster != NULL ? " for " : "",
			        res->not_run[i].cluster != NULL ? res->not_run[i].cluster : "", res->not_run[i].reason);
	fprintf(r->cli->err, "Run irsa audit to see them.\n");
	return EXIT_USAGE;
}

/* Re-collect, find each ref, build its plan. Returns EXIT_OK or the exit
 * status after printing why. */
static int
plan_all(struct fix_run *r)
{
	struct irsa_error err;

	irsa_error_clear(&err);
	for (size_t g = 0; g < r->n_groups; g++) {
		struct audit_result res;
		int rc = EXIT_OK;

		if (!output_is_json(r->cli))
			fprintf(r->cli->err, "Auditing %s ...\n",
			        r->groups[g].scope.cluster != NULL   ? r->groups[g].scope.cluster
			        : r->groups[g].scope.context != NULL ? r->groups[g].scope.context
			                                             : "the current context");
		if (collect(r, g, &res, &err) != 0) {
			audit_result_release(&res);
			return output_error(r->cli, &err);
		}
		for (size_t i = 0; i < r->n && rc == EXIT_OK; i++) {
			struct fix_item *it = &r->items[i];
			const struct audit_finding *f;
			struct bind_clients *cl;

			if (it->group != g)
				continue;
			if ((f = audit_result_find(&res, it->ref)) == NULL) {
				rc = unknown_ref(r, it, &res);
				break;
			}
			if (f->fix.action == AUDIT_FIX_NONE) {
				fprintf(r->cli->err, "irsa: %s is fixed by hand, not by irsa: %s\n", it->ref,
				        f->message);
				fprintf(r->cli->err, "Fix: %s\n", f->check->fix);
				rc = EXIT_USAGE;
				break;
			}
			it->action = f->fix.action;
			it->confirm = f->fix.confirm;
			it->summary = strdup(f->fix.summary != NULL ? f->fix.summary : "");
			cl = audit_session_clients(&r->groups[g].s, f->subject.cluster);
			if (it->summary == NULL || audit_fix_plan(cl != NULL ? &cl->env : NULL, &r->groups[g].s.input,
			                                          f, &it->plan, &err) != 0) {
				if (it->summary == NULL)
					irsa_error_oom(&err);
				irsa_error_prefix(&err, "%s", it->ref);
				rc = output_error(r->cli, &err);
			} else if (cl == NULL && it->plan.n > 0) {
				irsa_error_set(&err, IRSA_ERR_INTERNAL, "%s: no clients for cluster %s", it->ref,
				               f->subject.cluster != NULL ? f->subject.cluster : "-");
				rc = output_error(r->cli, &err);
			}
		}
		audit_result_release(&res);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

static void
preview(const struct fix_run *r)
{
	struct cli text = *r->cli;

	text.output = "text";
	for (size_t i = 0; i < r->n; i++) {
		const struct fix_item *it = &r->items[i];

		fprintf(r->cli->out, "%sFix %s (%s%s): %s\n", i > 0 ? "\n" : "", it->ref,
		        audit_fix_action_name(it->action), it->confirm ? ", confirm" : "", it->summary);
		bind_print(&text, &it->plan);
	}
	fflush(r->cli->out); /* before the question on stderr */
}

/* Asks as the catalog wants: once for all (unless --yes), and for each
 * "(confirm)" fix on its own (even with --yes, unless --force). Every
 * question comes before any change. Returns EXIT_OK to go on. */
static int
ask(struct fix_run *r)
{
	struct cli *cli = r->cli;
	bool force = cli_flag_given(cli, "force"), yes = cli_flag_given(cli, "yes");
	size_t steps = 0;
	char q[512];

	for (size_t i = 0; i < r->n; i++)
		steps += r->items[i].plan.n;
	if (steps == 0)
		return EXIT_OK;
	for (size_t i = 0; i < r->n && !force; i++) {
		const struct fix_item *it = &r->items[i];

		if (!it->confirm || it->plan.n == 0)
			continue;
		snprintf(q, sizeof(q),
		         "\n%s can break another user of %s (the catalog marks it \"confirm\"). Apply it? [y/N] ",
		         it->ref,
		         it->plan.role_arn != NULL && strcmp(it->plan.role_arn, "-") != 0 ? it->plan.role_arn
		                                                                          : it->plan.cluster);
		switch (confirm_ask(cli, q)) {
		case CONFIRM_YES:
			continue;
		case CONFIRM_NO:
			fprintf(cli->err, "Nothing changed.\n");
			return EXIT_FAILURE_RUN;
		case CONFIRM_NO_TERMINAL:
			return cli_usage_error(
			        cli, "Review it, then run irsa fix again with --force to apply it without asking.",
			        "%s is a fix that always asks (even with --yes), and there is no terminal to "
			        "answer: nothing changed",
			        it->ref);
		}
	}
	if (yes)
		return EXIT_OK;
	snprintf(q, sizeof(q), "\nApply %s (%zu change%s)? [y/N] ", r->n == 1 ? "this fix" : "these fixes", steps,
	         steps == 1 ? "" : "s");
	switch (confirm_ask(cli, q)) {
	case CONFIRM_YES:
		return EXIT_OK;
	case CONFIRM_NO:
		fprintf(cli->err, "Nothing changed.\n");
		return EXIT_FAILURE_RUN;
	case CONFIRM_NO_TERMINAL:
		break;
	}
	return cli_usage_error(cli, "Review it with irsa fix (at a terminal), then run irsa fix --yes.",
	                       "irsa fix asks before changing anything, and there is no terminal to answer: nothing "
	                       "changed");
}

static int
apply_all(struct fix_run *r)
{
	struct cli text = *r->cli;
	struct irsa_error err;

	text.output = "text"; /* progress and summary on stderr; -o json prints its own document */
	confirm_catch_interrupt();
	for (size_t i = 0; i < r->n; i++) {
		struct fix_item *it = &r->items[i];
		struct plan_apply_options opt = {NULL, apply_report_progress, NULL, NULL};
		struct apply_report rep;
		struct bind_clients *cl = audit_session_clients(&r->groups[it->group].s, it->plan.cluster);
		int rc;

		if (it->plan.n == 0) {
			it->result = "nothing-to-do";
			continue;
		}
		fprintf(r->cli->err, "Fixing %s ...\n", it->ref);
		irsa_error_clear(&err);
		apply_report_init(&rep, &text, "fix", it->plan.n);
		opt.arg = &rep;
		opt.cancel = (const volatile int *)&confirm_interrupted;
		rc = plan_apply(&cl->env, &it->plan, &opt, &it->res, &err);
		it->applied = rc == 0;
		if (apply_report_finish(&rep, rc, &it->res, &err) != EXIT_OK) {
			it->result = "failed";
			if (it->res.journal_path != NULL)
				fprintf(r->cli->err, "Undo what was made with: irsa rollback %s\n",
				        it->res.journal_path);
			for (size_t j = i + 1; j < r->n; j++)
				r->items[j].result = "not-applied";
			return EXIT_FAILURE_RUN;
		}
	}
	return EXIT_OK;
}

/* Re-collects and re-runs the checks of the applied fixes. */
static int
verify(struct fix_run *r)
{
	struct irsa_error err;
	int status = EXIT_OK;

	irsa_error_clear(&err);
	for (size_t g = 0; g < r->n_groups; g++) {
		struct audit_result res;
		bool any = false;

		for (size_t i = 0; i < r->n; i++)
			any = any || (r->items[i].group == g && r->items[i].applied);
		if (!any)
			continue;
		if (!output_is_json(r->cli))
			fprintf(r->cli->err, "Checking again ...\n");
		if (collect(r, g, &res, &err) != 0) {
			audit_result_release(&res);
			output_error(r->cli, &err);
			return EXIT_FAILURE_RUN;
		}
		for (size_t i = 0; i < r->n; i++) {
			struct fix_item *it = &r->items[i];
			const struct audit_finding *f;

			if (it->group != g || !it->applied)
				continue;
			f = audit_result_find(&res, it->ref);
			if (f == NULL) {
				it->result = "fixed";
			} else if (it->action == AUDIT_FIX_RESTART) {
				/* The controller replaces the pods in its own time. */
				it->result = "restarted";
			} else {
				it->result = "still-present";
				it->still = strdup(f->message);
				status = EXIT_FAILURE_RUN;
			}
		}
		audit_result_release(&res);
	}
	return status;
}

static void
report(const struct fix_run *r)
{
	if (output_is_json(r->cli)) {
		struct json_object *a = json_object_new_array(), *o = json_object_new_object();

		for (size_t i = 0; i < r->n; i++) {
			const struct fix_item *it = &r->items[i];
			struct json_object *f = json_object_new_object(), *ap = NULL;

			output_json_add(f, "ref", it->ref);
			output_json_add(f, "check", it->check);
			output_json_add(f, "action", audit_fix_action_name(it->action));
			json_object_object_add(f, "confirm", json_object_new_boolean(it->confirm));
			output_json_add(f, "summary", it->summary);
			json_object_object_add(f, "plan", plan_to_json(&it->plan));
			if (it->plan.n > 0 && it->result != NULL && strcmp(it->result, "not-applied") != 0) {
				ap = json_object_new_object();
				output_json_add(ap, "journal", it->res.journal_path);
				json_object_object_add(ap, "done", json_object_new_int((int)it->res.done));
				json_object_object_add(ap, "skipped", json_object_new_int((int)it->res.skipped));
				json_object_object_add(ap, "failed",
				                       it->res.failed >= 0 ? json_object_new_int(it->res.failed + 1)
				                                           : NULL);
			}
			json_object_object_add(f, "apply", ap);
			output_json_add(f, "result", it->result != NULL ? it->result : "not-applied");
			output_json_add(f, "stillPresent", it->still);
			json_object_array_add(a, f);
		}
		json_object_object_add(o, "fixes", a);
		output_json_print(r->cli, o);
		json_object_put(o);
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct fix_item *it = &r->items[i];
		const char *res = it->result != NULL ? it->result : "not-applied";

		if (strcmp(res, "fixed") == 0)
			fprintf(r->cli->out, "%s: fixed\n", it->ref);
		else if (strcmp(res, "still-present") == 0)
			fprintf(r->cli->out, "%s: still present: %s\n", it->ref, it->still != NULL ? it->still : "");
		else if (strcmp(res, "restarted") == 0)
			fprintf(r->cli->out,
			        "%s: restarted; the finding goes once the controller has replaced the pods (irsa audit "
			        "shows it)\n",
			        it->ref);
		else if (strcmp(res, "nothing-to-do") == 0)
			fprintf(r->cli->out, "%s: nothing to do (the plan is empty)\n", it->ref);
		else
			fprintf(r->cli->out, "%s: %s\n", it->ref, res);
	}
}

static int
fix_run(struct cli *cli)
{
	struct fix_run *r;
	struct irsa_error err;
	int rc;

	if (cli->argc == 0)
		return cli_usage_error(cli,
		                       "Give the refs irsa audit prints, e.g. irsa fix IRSA005:shop-prod:role/NAME.",
		                       "fix needs at least one FINDING-REF");
	if (cli->argc > FIX_MAX_REFS)
		return cli_usage_error(cli, "Fix them in batches.", "at most %d refs at once", FIX_MAX_REFS);
	if (cli_flag_given(cli, "cluster") && (cli->context != NULL || cli_flag_given(cli, "all-contexts")))
		return cli_usage_error(cli, "Give one of --context, --cluster NAME --region R, --all-contexts.",
		                       "--cluster excludes --context and --all-contexts");
	if (cli_flag_given(cli, "cluster") && cli->region == NULL)
		return cli_usage_error(cli, "Add --region R.", "--cluster needs --region");
	irsa_error_clear(&err);
	if (cli->read_only) {
		irsa_error_set(&err, IRSA_ERR_DENIED, "read-only mode: irsa fix changes nothing");
		irsa_error_hint(&err, "irsa audit shows the findings and their fixes; run fix without --read-only.");
		return output_error(cli, &err);
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		fputs("irsa: out of memory\n", cli->err);
		return EXIT_FAILURE_RUN;
	}
	r->cli = cli;
	for (int i = 0; i < cli->argc; i++) {
		bool dup = false;

		for (size_t j = 0; j < r->n; j++)
			dup = dup || strcmp(r->items[j].ref, cli->argv[i]) == 0;
		if (dup)
			continue;
		r->items[r->n].ref = cli->argv[i];
		plan_init(&r->items[r->n].plan);
		r->items[r->n].res.failed = -1;
		if ((rc = parse_ref(cli, &r->items[r->n++])) != 0)
			goto out;
	}
	if (make_groups(r, &err) != 0) {
		rc = output_error(cli, &err);
		goto out;
	}
	if ((rc = plan_all(r)) != EXIT_OK)
		goto out;
	if (!output_is_json(cli))
		preview(r);
	if ((rc = ask(r)) != EXIT_OK)
		goto out;
	rc = apply_all(r);
	if (rc == EXIT_OK)
		rc = verify(r);
	report(r);
out:
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].summary);
		free(r->items[i].still);
		plan_release(&r->items[i].plan);
		plan_apply_result_release(&r->items[i].res);
	}
	for (size_t g = 0; g < r->n_groups; g++)
		audit_session_close(&r->groups[g].s);
	free(r);
	return rc;
}

static const struct cli_flag fix_flags[] = {
        {"cluster", 0, "NAME", "the EKS cluster (with --region), instead of --context"},
        {"all-contexts", 0, NULL, "each EKS cluster the kubeconfig's contexts reach"},
        {"yes", 'y', NULL, "apply without asking (fixes marked confirm still ask)"},
        {"force", 0, NULL, "do not ask for fixes marked confirm either"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_fix = {
        .name = "fix",
        .summary = "apply the fixes of audit findings (asks first)",
        .usage = "fix FINDING-REF... [--context C | --cluster N --region R]\n"
                 "       [--all-contexts] [--yes] [--force] [-o text|json]",
        .description = "Fixes what irsa audit found. Each FINDING-REF is a ref irsa audit prints\n"
                       "(IRSA005:shop-prod:role/NAME). irsa fix reads the cluster again, re-runs the\n"
                       "checks, turns each finding's fix into a plan (the OIDC provider created, a\n"
                       "trust rewritten to the exact service accounts, an annotation changed, a\n"
                       "workload restarted, ...), shows the plans as irsa plan does, asks, and\n"
                       "applies them in order, each with a journal (irsa rollback undoes it). Then\n"
                       "it re-runs the checks and says for each ref \"fixed\" or \"still present\".\n"
                       "\n"
                       "Without --context, --cluster or --all-contexts, the cluster a ref names is\n"
                       "reached through a kubeconfig context for it (one named like the cluster, else\n"
                       "the current one, else the first). A ref the audit does not report, or a\n"
                       "finding fixed by hand, exits 2 saying so. Fixes the catalog marks \"confirm\"\n"
                       "(IRSA010, IRSA013, ...: they can break another user of the role) ask on their\n"
                       "own even with --yes, unless --force; without a terminal they are refused\n"
                       "(exit 2) and nothing changes. With --read-only it refuses.\n"
                       "\n"
                       "Exit status: 0 every fix made and its finding gone (a restart counts once\n"
                       "requested), 1 a fix failed or a finding is still present, 2 usage (unknown\n"
                       "ref, manual finding, no terminal to answer). -o json prints\n"
                       "{\"fixes\": [{ref, check, action, confirm, summary, plan, apply, result,\n"
                       "stillPresent}]}.\n"
                       "\n"
                       "Example:\n"
                       "  irsa fix IRSA005:shop-prod:role/shop-prod-reporter-no-sub --yes",
        .outputs = "text,json",
        .flags = fix_flags,
        .run = fix_run,
};
