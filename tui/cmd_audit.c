/* tui/cmd_audit.c - `irsa audit`: collects what the checks read (live, for
 * the clusters of the scope flags, or from a saved --snapshot), runs the
 * checks (core/audit.h) and prints the findings as text, JSON or SARIF
 * (core/audit_report.c); its exit status says whether something at or
 * above --fail-on was found (1), the command line was wrong (2), or the
 * checks could not run (3). `--list-checks` prints the catalog of checks
 * (core/audit_catalog.h) as a table or, with -o json, every field of every
 * check; docs/audit.md is generated from it (scripts/gen-audit-doc).
 *
 * A check irsa does not run yet (planned in the catalog) is reported as
 * not run, with the catalog's reason: an audit never passes for what it
 * did not look at. Headless: no terminal is opened. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "audit_catalog.h"
#include "audit_session.h"
#include "buf.h"
#include "cli.h"
#include "log.h"
#include "output.h"

#define AUDIT_EXIT_FOUND   1            /* a finding at or above --fail-on */
#define AUDIT_EXIT_NOT_RUN 3            /* the checks could not run */
#define SNAPSHOT_MAX       (512u << 20) /* a snapshot of thousands of pods is tens of MB */
#define MAX_CHECK_FLAGS    32
#define NOT_BUILT          "not built in this version of irsa"

static const char *const headers[] = {"ID", "SEVERITY", "GROUP", "TITLE", "FIX"};

/* --- --list-checks ------------------------------------------------------- */

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

/* --- the command line ---------------------------------------------------- */

enum audit_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF };

/* What the flags asked for. The check ids are copies (owned). */
struct audit_request {
	struct audit_scope scope;
	struct audit_options opt;
	char **ids; /* --check, split at commas */
	size_t n_ids;
	int fail_on; /* a severity, or -1 for "none" */
	enum audit_format format;
	const char *snapshot;
	const char *save_snapshot;
};

static void
request_release(struct audit_request *q)
{
	for (size_t i = 0; i < q->n_ids; i++)
		free(q->ids[i]);
	free(q->ids);
}

/* Splits every --check value at commas into q->ids. Returns 0, -1 when out
 * of memory, or EXIT_USAGE after saying what is wrong. */
static int
parse_checks(struct cli *cli, struct audit_request *q)
{
	const char *vals[MAX_CHECK_FLAGS];
	size_t n = cli_flag_values(cli, "check", vals, MAX_CHECK_FLAGS), cap = 0;

	if (n > MAX_CHECK_FLAGS)
		return cli_usage_error(cli, "Give the ids as one comma list: --check IRSA005,IRSA006.",
		                       "--check given more than %d times", MAX_CHECK_FLAGS);
	for (size_t i = 0; i < n; i++) {
		const char *p = vals[i];
		for (;;) {
			size_t len = strcspn(p, ",");
			const char *s = p, *e = p + len;
			while (s < e && (*s == ' ' || *s == '\t'))
				s++;
			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if (s == e)
				return cli_usage_error(
				        cli, "e.g. --check IRSA005,IRSA006 (irsa audit --list-checks lists them).",
				        "--check \"%s\": an empty check id", vals[i]);
			if (q->n_ids == cap) {
				char **v = realloc(q->ids, (cap = cap != 0 ? cap * 2 : 8) * sizeof(*v));
				if (v == NULL)
					return -1;
				q->ids = v;
			}
			if ((q->ids[q->n_ids] = strndup(s, (size_t)(e - s))) == NULL)
				return -1;
			q->n_ids++;
			if (p[len] == '\0')
				break;
			p += len + 1;
		}
	}
	q->opt.checks = (const char *const *)q->ids;
	q->opt.n_checks = q->n_ids;
	return 0;
}

static int
parse_severity(struct cli *cli, const char *flag, const char *value, bool none_ok, int *out)
{
	enum audit_severity s;

	if (none_ok && strcasecmp(value, "none") == 0) {
		*out = -1;
		return 0;
	}
	if (audit_severity_parse(value, &s) != 0)
		return cli_usage_error(cli,
		                       none_ok ? "It takes critical, high, medium, low, info or none."
		                               : "It takes critical, high, medium, low or info.",
		                       "--%s: no severity \"%s\"", flag, value);
	*out = (int)s;
	return 0;
}

/* Reads the flags into q. Returns 0, -1 when out of memory, or EXIT_USAGE. */
static int
parse_request(struct cli *cli, struct audit_request *q)
{
	const char *v;
	struct irsa_error err;
	int sev, rc;

	memset(q, 0, sizeof(*q));
	q->opt.min_severity = AUDIT_SEV_INFO;
	q->fail_on = AUDIT_SEV_HIGH;
	if (cli->output == NULL || strcmp(cli->output, "text") == 0)
		q->format = FORMAT_TEXT;
	else if (strcmp(cli->output, "json") == 0)
		q->format = FORMAT_JSON;
	else
		q->format = FORMAT_SARIF;
	if ((v = cli_flag_value(cli, "min-severity")) != NULL) {
		if ((rc = parse_severity(cli, "min-severity", v, false, &sev)) != 0)
			return rc;
		q->opt.min_severity = (enum audit_severity)sev;
	}
	if ((v = cli_flag_value(cli, "fail-on")) != NULL &&
	    (rc = parse_severity(cli, "fail-on", v, true, &q->fail_on)) != 0)
		return rc;
	if ((rc = parse_checks(cli, q)) != 0)
		return rc;
	irsa_error_clear(&err);
	if (audit_options_check(&q->opt, &err) != 0)
		return cli_usage_error(cli, err.hint[0] != '\0' ? err.hint : NULL, "%s", err.message);

	q->scope.context = cli->context;
	q->scope.cluster = cli_flag_value(cli, "cluster");
	q->scope.region = cli->region;
	q->scope.all_contexts = cli_flag_given(cli, "all-contexts");
	q->snapshot = cli_flag_value(cli, "snapshot");
	q->save_snapshot = cli_flag_value(cli, "save-snapshot");
	if (q->scope.cluster != NULL && cli->context != NULL)
		return cli_usage_error(cli, "Give --context, or --cluster with --region.",
		                       "--cluster and --context exclude each other");
	if (q->scope.cluster != NULL && cli->region == NULL)
		return cli_usage_error(cli, "e.g. --cluster shop-prod --region us-east-1.", "--cluster needs --region");
	if (q->scope.all_contexts && (cli->context != NULL || q->scope.cluster != NULL))
		return cli_usage_error(cli, "Give one of --context, --cluster with --region, or --all-contexts.",
		                       "--all-contexts excludes --%s", cli->context != NULL ? "context" : "cluster");
	if (q->snapshot != NULL && (cli->context != NULL || q->scope.cluster != NULL || q->scope.all_contexts))
		return cli_usage_error(cli,
		                       "A snapshot holds its clusters: drop --context, --cluster and --all-contexts.",
		                       "--snapshot excludes --%s",
		                       cli->context != NULL       ? "context"
		                       : q->scope.cluster != NULL ? "cluster"
		                                                  : "all-contexts");
	return 0;
}

/* --- snapshots ----------------------------------------------------------- */

/* Reads the snapshot file into in. Returns 0, or -1 with err set. */
static int
snapshot_read(const char *path, struct audit_input *in, struct irsa_error *err)
{
	enum json_tokener_error jerr = json_tokener_success;
	struct json_object *o;
	char chunk[65536];
	struct buf b;
	size_t n;
	FILE *f;
	int rc;

	audit_input_init(in);
	if ((f = fopen(path, "rb")) == NULL) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot read the snapshot %s: %s", path, strerror(errno));
		return irsa_error_hint(err, "Record one with irsa audit --save-snapshot FILE.");
	}
	buf_init(&b, SNAPSHOT_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && buf_add(&b, chunk, n) == 0)
		;
	rc = ferror(f) ? errno : 0;
	fclose(f);
	if (rc != 0 || b.failed) {
		irsa_error_set(err, b.failed && b.error == E2BIG ? IRSA_ERR_LIMIT : IRSA_ERR_IO,
		               "cannot read the snapshot %s: %s", path,
		               b.failed && b.error == E2BIG ? "larger than 512 MiB" : strerror(rc != 0 ? rc : b.error));
		buf_release(&b);
		return -1;
	}
	o = json_tokener_parse_verbose(buf_cstr(&b), &jerr);
	buf_release(&b);
	if (o == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "the snapshot %s is not JSON: %s", path,
		               json_tokener_error_desc(jerr));
		return -1;
	}
	rc = audit_snapshot_from_json(o, in, err);
	json_object_put(o);
	if (rc != 0)
		irsa_error_prefix(err, "snapshot %s", path);
	return rc;
}

/* Writes text to path atomically: a temporary file beside it (0600),
 * synced, renamed over it. Returns 0, or -1 with err set (path untouched). */
static int
file_write_atomic(const char *path, const char *text, struct irsa_error *err)
{
	const char *slash = strrchr(path, '/');
	char tmp[PATH_MAX];
	size_t len = strlen(text), off = 0;
	int fd, n;

	if (slash != NULL)
		n = snprintf(tmp, sizeof(tmp), "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		n = snprintf(tmp, sizeof(tmp), ".%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return irsa_error_set(err, IRSA_ERR_LIMIT, "the file name %s is too long", path);
	if ((fd = mkstemp(tmp)) < 0) { /* mkstemp creates it 0600 */
		irsa_error_set(err, IRSA_ERR_IO, "cannot write %s: creating a file beside it: %s", path,
		               strerror(errno));
		return irsa_error_hint(err, "Check that the directory exists and is writable.");
	}
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fsync(fd) != 0 || close(fd) != 0) {
		int e = errno;
		if (off < len)
			close(fd);
		unlink(tmp);
		return irsa_error_set(err, IRSA_ERR_IO, "cannot write %s: %s", path, strerror(e));
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return irsa_error_set(err, IRSA_ERR_IO, "cannot write %s: %s", path, strerror(e));
	}
	return 0;
}

static int
snapshot_save(const char *path, const struct audit_input *in, struct irsa_error *err)
{
	struct json_object *o = audit_snapshot_to_json(in);
	struct buf b;
	int rc;

	if (o == NULL)
		return irsa_error_oom(err);
	buf_init(&b, SNAPSHOT_MAX);
	buf_printf(&b, "%s\n",
	           json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	rc = b.failed ? irsa_error_set(err, IRSA_ERR_LIMIT, "the snapshot is too large to write")
	              : file_write_atomic(path, buf_cstr(&b), err);
	buf_release(&b);
	return rc;
}

/* --- not run ------------------------------------------------------------- */

/* Whether the --check list selects c (an empty list: every check). */
static bool
selected(const struct audit_request *q, const struct audit_check *c)
{
	if (q->n_ids == 0)
		return true;
	for (size_t i = 0; i < q->n_ids; i++)
		if (strcasecmp(q->ids[i], c->id) == 0)
			return true;
	return false;
}

static int
not_run_cmp(const void *a, const void *b)
{
	const struct audit_not_run *x = a, *y = b;
	int c = strcmp(x->check->id, y->check->id);

	if (c != 0)
		return c;
	return strcmp(x->cluster != NULL ? x->cluster : "", y->cluster != NULL ? y->cluster : "");
}

/* Adds "c did not run, for every cluster: reason" unless c has an entry. */
static int
not_run_add(struct audit_result *r, const struct audit_check *c, const char *reason)
{
	struct audit_not_run *v;

	for (size_t i = 0; i < r->n_not_run; i++)
		if (r->not_run[i].check == c)
			return 0;
	if (r->n_not_run == r->cap_not_run) {
		size_t cap = r->cap_not_run != 0 ? r->cap_not_run * 2 : 8;
		if ((v = realloc(r->not_run, cap * sizeof(*v))) == NULL)
			return -1;
		r->not_run = v;
		r->cap_not_run = cap;
	}
	v = &r->not_run[r->n_not_run];
	v->check = c;
	v->cluster = NULL;
	if ((v->reason = strdup(reason)) == NULL)
		return -1;
	r->n_not_run++;
	return 0;
}

/* The collection failed: every selected check is not run, with why as the
 * reason. Keeps the not-run list in id order. */
static int
not_run_fill(const struct audit_request *q, struct audit_result *r, const char *why)
{
	size_t n;
	const struct audit_check *cat = audit_catalog(&n);

	for (size_t i = 0; i < n; i++)
		if (selected(q, &cat[i]) && not_run_add(r, &cat[i], why) != 0)
			return -1;
	if (r->n_not_run > 1)
		qsort(r->not_run, r->n_not_run, sizeof(*r->not_run), not_run_cmp);
	return 0;
}

/* Whether c ran for no cluster: not run for all, or for each of them. */
static bool
check_not_run(const struct audit_result *r, const struct audit_input *in, const struct audit_check *c)
{
	size_t clusters = 0;

	for (size_t i = 0; i < r->n_not_run; i++) {
		if (r->not_run[i].check != c)
			continue;
		if (r->not_run[i].cluster == NULL)
			return true;
		clusters++;
	}
	return in != NULL && in->n_clusters > 0 && clusters >= in->n_clusters;
}

/* Whether a built check could not run for lack of data (a planned check
 * never runs: that is not a reason to doubt the audit). */
static bool
incomplete(const struct audit_result *r)
{
	for (size_t i = 0; i < r->n_not_run; i++)
		if (r->not_run[i].check->status == AUDIT_CHECK_BUILT)
			return true;
	return false;
}

/* Whether every selected check was not run. */
static bool
nothing_ran(const struct audit_request *q, const struct audit_result *r, const struct audit_input *in)
{
	size_t n;
	const struct audit_check *cat = audit_catalog(&n);

	for (size_t i = 0; i < n; i++)
		if (selected(q, &cat[i]) && !check_not_run(r, in, &cat[i]))
			return false;
	return true;
}

/* --- output -------------------------------------------------------------- */

static int
print_report(struct cli *cli, const struct audit_request *q, const struct audit_result *r)
{
	struct json_object *o;
	struct buf b;
	int rc = 0;

	if (q->format == FORMAT_TEXT) {
		buf_init(&b, 64u << 20);
		rc = audit_report_text(r, cli->color, &b);
		if (rc == 0)
			fputs(buf_cstr(&b), cli->out);
		buf_release(&b);
		return rc;
	}
	o = q->format == FORMAT_JSON ? audit_report_json(r) : audit_report_sarif(r, PACKAGE_VERSION);
	if (o == NULL)
		return -1;
	output_json_print(cli, o);
	json_object_put(o);
	return 0;
}

/* The collection failed: every selected check is not run, with err's
 * message as the reason; said on stderr, and in a JSON or SARIF report. */
static int
report_failure(struct cli *cli, const struct audit_request *q, const struct irsa_error *err)
{
	struct audit_result r;
	char why[768];

	output_error_line(cli, err);
	output_hint(cli, err);
	if (q->format == FORMAT_TEXT)
		return AUDIT_EXIT_NOT_RUN;
	audit_result_init(&r);
	snprintf(why, sizeof(why), "nothing could be read: %s", err->message);
	if (not_run_fill(q, &r, why) != 0 || print_report(cli, q, &r) != 0)
		fputs("irsa: out of memory\n", cli->err);
	audit_result_release(&r);
	return AUDIT_EXIT_NOT_RUN;
}

/* --- the audit ----------------------------------------------------------- */

static int
audit_main(struct cli *cli, struct audit_request *q)
{
	struct audit_session s;
	struct audit_input snap;
	struct audit_input *in;
	struct audit_result r;
	struct irsa_error err;
	int rc;

	memset(&s, 0, sizeof(s));
	audit_input_init(&snap);
	audit_result_init(&r);
	irsa_error_clear(&err);
	if (q->snapshot != NULL) {
		if (snapshot_read(q->snapshot, &snap, &err) != 0) {
			rc = report_failure(cli, q, &err);
			goto out;
		}
		in = &snap;
	} else {
		if (audit_session_collect(cli, &q->scope, NULL, &s, &err) != 0) {
			rc = report_failure(cli, q, &err);
			goto out;
		}
		in = &s.input;
		log_debug("audit: collected in %.2f s: %zu AWS requests, %zu Kubernetes requests, %zu roles examined",
		          s.stats.seconds, s.stats.aws_requests, s.stats.kube_requests, s.stats.roles_examined);
	}
	for (size_t i = 0; i < in->read_errors.n; i++)
		fprintf(cli->err, "irsa: warning: %s\n", in->read_errors.v[i]);
	if (q->save_snapshot != NULL && snapshot_save(q->save_snapshot, in, &err) != 0) {
		rc = output_error(cli, &err);
		goto out;
	}
	if (audit_run(in, &q->opt, &r, &err) != 0) {
		if (err.kind == IRSA_OK)
			irsa_error_oom(&err);
		rc = output_error(cli, &err);
		goto out;
	}
	/* A finding at or above --fail-on is the answer; else an audit that
	 * could not read what a built check needs is incomplete (3), not clean. */
	rc = EXIT_OK;
	if (q->fail_on >= 0)
		for (size_t i = 0; i < r.n && rc == EXIT_OK; i++)
			if ((int)r.v[i].severity <= q->fail_on)
				rc = AUDIT_EXIT_FOUND;
	if (nothing_ran(q, &r, in)) {
		r.checks_run = 0; /* no (check, cluster) pair ran */
		rc = AUDIT_EXIT_NOT_RUN;
	} else if (rc == EXIT_OK && incomplete(&r)) {
		rc = AUDIT_EXIT_NOT_RUN;
	}
	if (print_report(cli, q, &r) != 0) {
		fputs("irsa: out of memory\n", cli->err);
		rc = EXIT_FAILURE_RUN;
	}
out:
	audit_result_release(&r);
	audit_input_release(&snap);
	audit_session_close(&s);
	return rc;
}

static int
audit_cmd(struct cli *cli)
{
	struct audit_request q;
	int rc;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help audit' for usage.", "audit takes no arguments (got \"%s\")",
		                       cli->argv[0]);
	if (cli_flag_given(cli, "list-checks")) {
		if (cli->output != NULL && strcmp(cli->output, "sarif") == 0)
			return cli_usage_error(
			        cli, "irsa audit --list-checks accepts -o text|json.",
			        "--list-checks has no SARIF form (the rules are in every -o sarif report)");
		return audit_list_checks(cli);
	}
	rc = parse_request(cli, &q);
	if (rc == 0)
		rc = audit_main(cli, &q);
	else if (rc < 0) {
		fputs("irsa: out of memory\n", cli->err);
		rc = EXIT_FAILURE_RUN;
	}
	request_release(&q);
	return rc;
}

static const struct cli_flag audit_flags[] = {
        {"cluster", 0, "NAME", "the EKS cluster (with --region), instead of --context"},
        {"all-contexts", 0, NULL, "each EKS cluster the kubeconfig's contexts reach, once"},
        {"check", 0, "IDS", "only these checks: IRSA005,IRSA006 (may repeat)"},
        {"min-severity", 0, "SEV", "report findings at or above SEV (default info)"},
        {"fail-on", 0, "SEV", "exit 1 on a finding at or above SEV (default high)"},
        {"snapshot", 0, "FILE", "audit a saved snapshot (no network)"},
        {"save-snapshot", 0, "FILE", "also write what was read to FILE (0600)"},
        {"list-checks", 0, NULL, "print the catalog of checks instead of auditing"},
        {NULL, 0, NULL, NULL},
};

const struct cmd cmd_audit = {
        .name = "audit",
        .summary = "audit IRSA bindings: findings by check id, with their fixes",
        .usage = "audit [--context C | --cluster NAME --region R | --all-contexts]\n"
                 "             [--check IDS] [--min-severity SEV] [--fail-on SEV]\n"
                 "             [-o text|json|sarif] [--snapshot FILE] [--save-snapshot FILE]\n"
                 "  irsa audit --list-checks [-o text|json]",
        .description = "Finds every IRSA binding of the cluster (the current context; --context C;\n"
                       "--cluster NAME --region R; or --all-contexts: each EKS cluster the kubeconfig's\n"
                       "contexts reach, once), whatever made it, and reports what is wrong with it by\n"
                       "check id (IRSA001...; --list-checks prints the catalog, docs/audit.md explains\n"
                       "each). One pass reads IAM (roles with their trusts, policies, OIDC providers),\n"
                       "EKS and each API server (service accounts, pods, workloads).\n"
                       "\n"
                       "-o text (default): findings grouped by severity, each with its resource, what\n"
                       "is wrong and the fix (`irsa fix REF`, or what to do by hand); then the checks\n"
                       "that did not run and why. -o json: {\"findings\", \"notRun\", \"summary\"}.\n"
                       "-o sarif: SARIF 2.1.0, a rule per check, for code-scanning tools.\n"
                       "(docs/audit-output.md describes the three.)\n"
                       "\n"
                       "--check IDS runs only those checks (comma list; the flag may repeat).\n"
                       "--min-severity SEV drops findings below SEV. Severities: critical, high,\n"
                       "medium, low, info.\n"
                       "\n"
                       "Exit status: 0 nothing at or above --fail-on (default high; \"none\" never\n"
                       "fails) was found; 1 something was; 2 a usage error; 3 the checks could not\n"
                       "run (nothing could be read, or every selected check was not run: the\n"
                       "reason is in the output). A finding dropped by --min-severity cannot fail.\n"
                       "\n"
                       "--snapshot FILE audits what an earlier --save-snapshot FILE recorded (the\n"
                       "API answers, as JSON), without network: for fixtures and offline review.\n"
                       "\n"
                       "Examples:\n"
                       "  irsa audit --context shop-prod\n"
                       "  irsa audit --all-contexts --check IRSA005,IRSA006 -o json\n"
                       "  irsa audit --cluster shop-prod --region us-east-1 -o sarif >irsa.sarif\n"
                       "  irsa audit --fail-on critical --min-severity medium\n"
                       "  irsa audit --list-checks -o json",
        .outputs = "text,json,sarif",
        .flags = audit_flags,
        .run = audit_cmd,
};
