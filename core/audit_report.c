/* core/audit_report.c - the audit's three outputs (audit.h): the JSON of
 * issue 7, SARIF 2.1.0 for code-scanning tools, and the text report a
 * person reads. Each is made from a struct audit_result and the catalog
 * (audit_catalog.h) alone: what the findings say is decided by the checks,
 * how it reads here. Pure: builds objects and text, prints nothing. */
#include "config.h"

#include "audit.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sigv4.h"

#define TEXT_WIDTH     100 /* the text report's lines fit in this many columns */
#define TEXT_INDENT    11  /* "  IRSA005  ": where a finding's message and fix start */
#define SARIF_SCHEMA   "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT_ID "irsaFindingRef/v1" /* SHA-256 of the finding's ref */

/* --- shared -------------------------------------------------------------- */

static void
add_str(struct json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, value != NULL ? json_object_new_string(value) : NULL);
}

static struct json_object *
strings_json(const struct aws_strings *s)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a != NULL && i < s->n; i++)
		json_object_array_add(a, json_object_new_string(s->v[i]));
	return a;
}

/* Whether c may appear unquoted in a shell word. */
static bool
shell_safe(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(":/._-@+=,%", c);
}

/* "irsa fix REF", REF single-quoted when the shell would read it otherwise.
 * Appended to b. */
static void
fix_command(struct buf *b, const char *ref)
{
	bool safe = *ref != '\0';

	for (const char *p = ref; *p != '\0' && safe; p++)
		safe = shell_safe(*p);
	buf_addstr(b, "irsa fix ");
	if (safe) {
		buf_addstr(b, ref);
		return;
	}
	buf_addch(b, '\'');
	for (const char *p = ref; *p != '\0'; p++)
		if (*p == '\'')
			buf_addstr(b, "'\\''");
		else
			buf_addch(b, *p);
	buf_addch(b, '\'');
}

/* A new JSON string of the fix command, or NULL. */
static struct json_object *
fix_command_json(const char *ref)
{
	struct buf b;
	struct json_object *s;

	buf_init(&b, 4096);
	fix_command(&b, ref);
	s = b.failed ? NULL : json_object_new_string(buf_cstr(&b));
	buf_release(&b);
	return s;
}

/* The index of c in the catalog. */
static size_t
catalog_index(const struct audit_check *c)
{
	size_t n;
	const struct audit_check *cat = audit_catalog(&n);

	return c >= cat && c < cat + n ? (size_t)(c - cat) : 0;
}

/* Whether the audit ran at all: a result in which no (check, cluster)
 * pair ran and something could not run is a failed execution. */
static bool
execution_successful(const struct audit_result *r)
{
	return r->checks_run > 0 || r->n_not_run == 0;
}

/* --- JSON ---------------------------------------------------------------- */

static struct json_object *
fix_json(const struct audit_finding *f)
{
	const struct audit_fix *x = &f->fix;
	struct json_object *o, *a;

	if (x->action == AUDIT_FIX_NONE)
		return NULL;
	o = json_object_new_object();
	add_str(o, "action", audit_fix_action_name(x->action));
	json_object_object_add(o, "confirm", json_object_new_boolean(x->confirm));
	add_str(o, "summary", x->summary);
	json_object_object_add(o, "command", fix_command_json(f->ref));
	if (x->subjects.n > 0)
		json_object_object_add(o, "subjects", strings_json(&x->subjects));
	if (x->audience != NULL)
		add_str(o, "audience", x->audience);
	if (x->n_annotations > 0) {
		a = json_object_new_object();
		for (size_t i = 0; i < x->n_annotations; i++)
			add_str(a, x->annotations[i].key, x->annotations[i].value);
		json_object_object_add(o, "annotations", a);
	}
	if (x->workloads.n > 0)
		json_object_object_add(o, "workloads", strings_json(&x->workloads));
	return o;
}

static struct json_object *
finding_json(const struct audit_finding *f)
{
	struct json_object *o = json_object_new_object();
	const struct audit_subject *s = &f->subject;

	add_str(o, "check", f->check->id);
	add_str(o, "severity", audit_severity_name(f->severity));
	add_str(o, "title", f->check->title);
	add_str(o, "cluster", s->cluster);
	add_str(o, "region", s->region);
	add_str(o, "namespace", s->ns);
	add_str(o, "serviceAccount", s->sa);
	add_str(o, "roleArn", s->role_arn);
	add_str(o, "providerArn", s->provider_arn);
	add_str(o, "pod", s->pod);
	add_str(o, "workload", s->workload);
	add_str(o, "policyArn", s->policy_arn);
	add_str(o, "ref", f->ref);
	add_str(o, "message", f->message);
	json_object_object_add(o, "evidence",
	                       f->evidence != NULL ? json_object_get(f->evidence) : json_object_new_object());
	json_object_object_add(o, "fix", fix_json(f));
	return o;
}

static struct json_object *
summary_json(const struct audit_result *r)
{
	struct json_object *o = json_object_new_object(), *sev = json_object_new_object(),
	                   *by = json_object_new_object();
	size_t counts[AUDIT_N_SEVERITIES] = {0}, n_cat;
	const struct audit_check *cat = audit_catalog(&n_cat);

	for (size_t i = 0; i < r->n; i++)
		counts[r->v[i].severity]++;
	for (int s = 0; s < AUDIT_N_SEVERITIES; s++)
		json_object_object_add(sev, audit_severity_name((enum audit_severity)s),
		                       json_object_new_int64((int64_t)counts[s]));
	/* byCheck in id order, only the checks that found something. */
	for (size_t c = 0; c < n_cat; c++) {
		size_t k = 0;
		for (size_t i = 0; i < r->n; i++)
			k += r->v[i].check == &cat[c];
		if (k > 0)
			json_object_object_add(by, cat[c].id, json_object_new_int64((int64_t)k));
	}
	json_object_object_add(o, "total", json_object_new_int64((int64_t)r->n));
	json_object_object_add(o, "bySeverity", sev);
	json_object_object_add(o, "byCheck", by);
	json_object_object_add(o, "checksRun", json_object_new_int64((int64_t)r->checks_run));
	json_object_object_add(o, "notRun", json_object_new_int64((int64_t)r->n_not_run));
	return o;
}

struct json_object *
audit_report_json(const struct audit_result *r)
{
	struct json_object *o = json_object_new_object(), *findings = json_object_new_array(),
	                   *not_run = json_object_new_array();

	if (o == NULL || findings == NULL || not_run == NULL) {
		json_object_put(o);
		json_object_put(findings);
		json_object_put(not_run);
		return NULL;
	}
	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(findings, finding_json(&r->v[i]));
	for (size_t i = 0; i < r->n_not_run; i++) {
		struct json_object *n = json_object_new_object();
		add_str(n, "check", r->not_run[i].check->id);
		add_str(n, "cluster", r->not_run[i].cluster);
		add_str(n, "reason", r->not_run[i].reason);
		json_object_array_add(not_run, n);
	}
	json_object_object_add(o, "findings", findings);
	json_object_object_add(o, "notRun", not_run);
	json_object_object_add(o, "summary", summary_json(r));
	return o;
}

/* --- SARIF --------------------------------------------------------------- */

/* SARIF levels and GitHub's security-severity scores (critical >= 9.0,
 * high >= 7.0, medium >= 4.0, low below). */
static const char *
sarif_level(enum audit_severity s)
{
	return s <= AUDIT_SEV_HIGH ? "error" : s == AUDIT_SEV_MEDIUM ? "warning" : "note";
}

static const char *
security_severity(enum audit_severity s)
{
	static const char *const score[AUDIT_N_SEVERITIES] = {"9.0", "7.0", "5.0", "3.0", "1.0"};

	return (unsigned)s < AUDIT_N_SEVERITIES ? score[s] : "1.0";
}

/* "Cluster issuer has no IAM OIDC provider (in the role's account)" ->
 * "ClusterIssuerHasNoIamOidcProviderInTheRolesAccount": words of letters
 * and digits, each capitalised, the rest lowered (SARIF2009 wants rule
 * names in PascalCase, apart from the id). */
static char *
pascal_case(const char *title)
{
	struct buf b;
	bool start = true;

	buf_init(&b, 1024);
	for (const char *p = title; *p != '\0'; p++) {
		char c = *p;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (c == '\'')
			continue; /* "role's" -> "Roles" */
		if (!alnum) {
			start = true;
			continue;
		}
		if (start && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!start && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf_addch(&b, c);
		start = false;
	}
	if (b.failed || b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static struct json_object *
text_json(const char *text)
{
	struct json_object *o = json_object_new_object();

	add_str(o, "text", text);
	return o;
}

static struct json_object *
sarif_rule(const struct audit_check *c)
{
	struct json_object *o = json_object_new_object(), *help = json_object_new_object(),
	                   *conf = json_object_new_object(), *props = json_object_new_object(),
	                   *tags = json_object_new_array();
	char *name = pascal_case(c->title);
	struct buf md;

	buf_init(&md, 16384);
	buf_printf(&md, "**%s** (%s, group %c: %s)\n\n%s\n\n**Fix%s:** %s\n\n**Reads:** %s", c->title,
	           audit_severity_name(c->severity), c->group, c->group_title, c->why,
	           c->fix_kind == AUDIT_FIX_PLAN ? (c->confirm ? " (irsa fix, asks first)" : " (irsa fix)")
	                                         : " (manual)",
	           c->fix, c->reads);
	if (c->severity_note != NULL)
		buf_printf(&md, "\n\n**Severity:** %s, %s.", audit_severity_name(c->severity), c->severity_note);
	add_str(o, "id", c->id);
	add_str(o, "name", name != NULL ? name : c->id);
	json_object_object_add(o, "shortDescription", text_json(c->title));
	json_object_object_add(o, "fullDescription", text_json(c->why));
	add_str(help, "text", c->fix);
	add_str(help, "markdown", md.failed ? c->fix : buf_cstr(&md));
	json_object_object_add(o, "help", help);
	add_str(conf, "level", sarif_level(c->severity));
	json_object_object_add(o, "defaultConfiguration", conf);
	json_object_array_add(tags, json_object_new_string("security"));
	json_object_array_add(tags, json_object_new_string("irsa"));
	json_object_array_add(tags, json_object_new_string(c->group_title));
	add_str(props, "security-severity", security_severity(c->severity));
	json_object_object_add(props, "tags", tags);
	add_str(props, "fixKind", audit_fix_kind_name(c->fix_kind));
	add_str(props, "status", audit_check_status_name(c->status));
	json_object_object_add(o, "properties", props);
	free(name);
	buf_release(&md);
	return o;
}

static struct json_object *
logical_location(const char *fqn, const char *name, const char *kind)
{
	struct json_object *o = json_object_new_object();

	add_str(o, "fullyQualifiedName", fqn);
	add_str(o, "name", name);
	add_str(o, "kind", kind);
	return o;
}

/* The last '/'-separated part: a role's or policy's name from its ARN. */
static const char *
last_part(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash != NULL ? slash + 1 : s;
}

/* "CLUSTER/" or "" before a Kubernetes name; "CLUSTER/NS/..." forms. */
static void
add_kube_location(struct json_object *a, const struct audit_subject *s, const char *what, const char *name,
                  const char *kind)
{
	struct buf b;

	buf_init(&b, 4096);
	buf_printf(&b, "%s%s", s->cluster != NULL ? s->cluster : "", s->cluster != NULL ? "/" : "");
	if (what != NULL)
		buf_printf(&b, "%s", what);
	if (!b.failed)
		json_object_array_add(a, logical_location(buf_cstr(&b), name, kind));
	buf_release(&b);
}

/* The finding's location: its logical locations, most specific first:
 * the service account ("shop-prod/analytics/reporter") or pod or workload,
 * else the namespace or cluster, then the AWS resources (role, policy,
 * provider) by ARN. */
static struct json_object *
sarif_locations(const struct audit_subject *s)
{
	struct json_object *a = json_object_new_array(), *loc = json_object_new_object(),
	                   *locs = json_object_new_array();
	struct buf b;

	buf_init(&b, 4096);
	if (s->sa != NULL) {
		buf_printf(&b, "%s/%s", s->ns != NULL ? s->ns : "", s->sa);
		add_kube_location(a, s, buf_cstr(&b), s->sa, "object");
	} else if (s->pod != NULL) {
		buf_printf(&b, "pod/%s", s->pod);
		add_kube_location(a, s, buf_cstr(&b), last_part(s->pod), "object");
	} else if (s->workload != NULL) {
		buf_printf(&b, "%s%s%s", s->ns != NULL ? s->ns : "", s->ns != NULL ? "/" : "", s->workload);
		add_kube_location(a, s, buf_cstr(&b), last_part(s->workload), "object");
	} else if (s->ns != NULL) {
		add_kube_location(a, s, s->ns, s->ns, "namespace");
	} else if (s->cluster != NULL && s->role_arn == NULL && s->policy_arn == NULL && s->provider_arn == NULL) {
		json_object_array_add(a, logical_location(s->cluster, s->cluster, "resource"));
	}
	buf_release(&b);
	if (s->role_arn != NULL)
		json_object_array_add(a, logical_location(s->role_arn, last_part(s->role_arn), "resource"));
	if (s->policy_arn != NULL)
		json_object_array_add(a, logical_location(s->policy_arn, last_part(s->policy_arn), "resource"));
	if (s->provider_arn != NULL)
		json_object_array_add(a, logical_location(s->provider_arn, last_part(s->provider_arn), "resource"));
	if (json_object_array_length(a) == 0)
		json_object_array_add(a, logical_location("account", "account", "resource"));
	json_object_object_add(loc, "logicalLocations", a);
	json_object_array_add(locs, loc);
	return locs;
}

static struct json_object *
sarif_result(const struct audit_finding *f)
{
	struct json_object *o = json_object_new_object(), *props = json_object_new_object(),
	                   *fp = json_object_new_object();
	char hex[SIGV4_HEX_LEN + 1];

	add_str(o, "ruleId", f->check->id);
	json_object_object_add(o, "ruleIndex", json_object_new_int64((int64_t)catalog_index(f->check)));
	add_str(o, "level", sarif_level(f->severity));
	json_object_object_add(o, "message", text_json(f->message));
	json_object_object_add(o, "locations", sarif_locations(&f->subject));
	if (sigv4_sha256_hex(f->ref, strlen(f->ref), hex) == 0)
		add_str(fp, FINGERPRINT_ID, hex);
	json_object_object_add(o, "partialFingerprints", fp);
	add_str(props, "ref", f->ref);
	add_str(props, "severity", audit_severity_name(f->severity));
	add_str(props, "fixAction", audit_fix_action_name(f->fix.action));
	if (f->fix.action != AUDIT_FIX_NONE) {
		json_object_object_add(props, "fixCommand", fix_command_json(f->ref));
		add_str(props, "fixSummary", f->fix.summary);
		json_object_object_add(props, "fixConfirm", json_object_new_boolean(f->fix.confirm));
	}
	if (f->evidence != NULL)
		json_object_object_add(props, "evidence", json_object_get(f->evidence));
	json_object_object_add(o, "properties", props);
	return o;
}

static struct json_object *
sarif_notification(const struct audit_not_run *nr)
{
	struct json_object *o = json_object_new_object(), *rule = json_object_new_object();
	struct buf b;

	buf_init(&b, 4096);
	buf_printf(&b, "%s did not run for %s: %s", nr->check->id, nr->cluster != NULL ? nr->cluster : "any cluster",
	           nr->reason);
	if (b.len > 0 && b.data[b.len - 1] != '.')
		buf_addch(&b, '.');
	add_str(o, "level", "warning");
	json_object_object_add(o, "message", text_json(b.failed ? nr->reason : buf_cstr(&b)));
	add_str(rule, "id", nr->check->id);
	json_object_object_add(rule, "index", json_object_new_int64((int64_t)catalog_index(nr->check)));
	json_object_object_add(o, "associatedRule", rule);
	buf_release(&b);
	return o;
}

struct json_object *
audit_report_sarif(const struct audit_result *r, const char *tool_version)
{
	struct json_object *root, *run, *tool, *driver, *rules, *results, *inv, *notes, *a;
	size_t n_cat;
	const struct audit_check *cat = audit_catalog(&n_cat);

	if ((root = json_object_new_object()) == NULL)
		return NULL;
	add_str(root, "$schema", SARIF_SCHEMA);
	add_str(root, "version", "2.1.0");
	run = json_object_new_object();
	tool = json_object_new_object();
	driver = json_object_new_object();
	add_str(driver, "name", "irsa");
	add_str(driver, "fullName", "irsa: IRSA bindings audit for Amazon EKS");
	if (tool_version != NULL) {
		add_str(driver, "version", tool_version);
		add_str(driver, "semanticVersion", tool_version);
	}
	rules = json_object_new_array();
	for (size_t i = 0; i < n_cat; i++)
		json_object_array_add(rules, sarif_rule(&cat[i]));
	json_object_object_add(driver, "rules", rules);
	json_object_object_add(tool, "driver", driver);
	json_object_object_add(run, "tool", tool);

	inv = json_object_new_object();
	json_object_object_add(inv, "executionSuccessful", json_object_new_boolean(execution_successful(r)));
	notes = json_object_new_array();
	for (size_t i = 0; i < r->n_not_run; i++)
		json_object_array_add(notes, sarif_notification(&r->not_run[i]));
	json_object_object_add(inv, "toolExecutionNotifications", notes);
	a = json_object_new_array();
	json_object_array_add(a, inv);
	json_object_object_add(run, "invocations", a);

	results = json_object_new_array();
	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(results, sarif_result(&r->v[i]));
	json_object_object_add(run, "results", results);

	a = json_object_new_array();
	json_object_array_add(a, run);
	json_object_object_add(root, "runs", a);
	return root;
}

/* --- text ---------------------------------------------------------------- */

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD  "\033[1m"
#define ANSI_DIM   "\033[2m"

/* Red for critical (bold) and high, yellow medium, cyan low, plain info. */
static const char *
severity_color(enum audit_severity s)
{
	static const char *const color[AUDIT_N_SEVERITIES] = {"\033[1;31m", "\033[31m", "\033[33m", "\033[36m", ""};

	return (unsigned)s < AUDIT_N_SEVERITIES ? color[s] : "";
}

/* Display columns of s: UTF-8 continuation bytes take none. */
static size_t
columns(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* Appends text (first line after `used` columns already written), words
 * wrapped at TEXT_WIDTH, continuation lines indented by indent spaces;
 * control characters shown as spaces (nothing reaches the terminal raw).
 * A word longer than a line (an ARN) gets a line of its own. Every line
 * ends with end and every continuation line starts with open (an ANSI
 * colour and its reset, or ""), so that each line stands alone in a pager. */
static void
add_wrapped(struct buf *b, const char *text, size_t len, size_t used, size_t indent, const char *open, const char *end)
{
	size_t col = used, i = 0;
	bool first_word = true;

	while (i < len) {
		size_t start, wl;
		while (i < len && (text[i] == ' ' || (unsigned char)text[i] < 0x20))
			i++;
		start = i;
		while (i < len && text[i] != ' ' && (unsigned char)text[i] >= 0x20)
			i++;
		if (i == start)
			break;
		wl = columns(text + start, i - start);
		if (!first_word && col + 1 + wl > TEXT_WIDTH) {
			buf_printf(b, "%s\n%*s%s", end, (int)indent, "", open);
			col = indent;
		} else if (!first_word) {
			buf_addch(b, ' ');
			col++;
		}
		for (size_t k = start; k < i; k++)
			buf_addch(b, text[k] == 0x7f ? ' ' : text[k]);
		col += wl;
		first_word = false;
	}
	buf_printf(b, "%s\n", end);
}

/* The length of the message's first sentence: up to and including the
 * first '.', '!' or '?' followed by a space or the end (the period inside
 * "sts.amazonaws.com" ends nothing). */
static size_t
first_sentence(const char *m)
{
	for (size_t i = 0; m[i] != '\0'; i++)
		if ((m[i] == '.' || m[i] == '!' || m[i] == '?') && (m[i + 1] == ' ' || m[i + 1] == '\n'))
			return i + 1;
	return strlen(m);
}

/* The ref's subject part with its cluster: "shop-prod sa/analytics/reporter";
 * account-wide ("-") refs give the subject alone. */
static void
add_resource(struct buf *b, const char *ref)
{
	const char *c = strchr(ref, ':'), *s = c != NULL ? strchr(c + 1, ':') : NULL;

	if (c == NULL || s == NULL) {
		buf_addstr(b, ref);
		return;
	}
	if (!(s - c - 1 == 1 && c[1] == '-'))
		buf_printf(b, "%.*s ", (int)(s - c - 1), c + 1);
	buf_addstr(b, s + 1);
}

static void
text_finding(struct buf *b, const struct audit_finding *f, bool color)
{
	struct buf head;
	size_t used;

	buf_printf(b, "  %s%s%s  ", color ? severity_color(f->severity) : "", f->check->id, color ? ANSI_RESET : "");
	buf_init(&head, 4096);
	add_resource(&head, f->ref);
	used = TEXT_INDENT + columns(head.data != NULL ? head.data : "", head.len);
	buf_addstr(b, buf_cstr(&head));
	buf_release(&head);
	/* The resource on its own line when the message would start too far right. */
	if (used + 2 > TEXT_WIDTH / 2) {
		buf_printf(b, "\n%*s", TEXT_INDENT, "");
		used = TEXT_INDENT;
	} else {
		buf_addstr(b, "  ");
		used += 2;
	}
	add_wrapped(b, f->message, first_sentence(f->message), used, TEXT_INDENT, "", "");
	buf_printf(b, "%*s%sfix: ", TEXT_INDENT, "", color ? ANSI_DIM : "");
	if (f->fix.action != AUDIT_FIX_NONE) {
		fix_command(b, f->ref);
		if (f->fix.confirm)
			buf_addstr(b, "  (asks first)");
		buf_printf(b, "%s\n", color ? ANSI_RESET : "");
	} else {
		buf_addstr(b, "manual \xe2\x80\x94 ");
		add_wrapped(b, f->check->fix, strlen(f->check->fix), TEXT_INDENT + 14, TEXT_INDENT + 5,
		            color ? ANSI_DIM : "", color ? ANSI_RESET : "");
	}
}

/* Whether b is the check after a's in the catalog, not run for the same
 * cluster and reason. */
static bool
same_not_run(const struct audit_not_run *a, const struct audit_not_run *b)
{
	return catalog_index(b->check) == catalog_index(a->check) + 1 && strcmp(a->reason, b->reason) == 0 &&
	       (a->cluster == NULL ? b->cluster == NULL : b->cluster != NULL && strcmp(a->cluster, b->cluster) == 0);
}

/* How many checks have a not-run entry (for a cluster or for all). */
static size_t
distinct_not_run(const struct audit_result *r)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n_not_run; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = r->not_run[j].check == r->not_run[i].check;
		k += !seen;
	}
	return k;
}

int
audit_report_text(const struct audit_result *r, bool color, struct buf *out)
{
	size_t counts[AUDIT_N_SEVERITIES] = {0};
	bool any = false;

	for (size_t i = 0; i < r->n; i++)
		counts[r->v[i].severity]++;
	for (int s = 0; s < AUDIT_N_SEVERITIES; s++) {
		char name[16];
		size_t k;
		if (counts[s] == 0)
			continue;
		snprintf(name, sizeof(name), "%s", audit_severity_name((enum audit_severity)s));
		for (k = 0; name[k] != '\0'; k++)
			name[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ? name[k] - 'a' + 'A' : name[k]);
		buf_printf(out, "%s%s%s%s (%zu)%s\n", any ? "\n" : "", color ? ANSI_BOLD : "",
		           color ? severity_color((enum audit_severity)s) : "", name, counts[s],
		           color ? ANSI_RESET : "");
		any = true;
		for (size_t i = 0; i < r->n; i++)
			if ((int)r->v[i].severity == s)
				text_finding(out, &r->v[i], color);
	}
	if (r->n_not_run > 0) {
		buf_printf(out, "%s%sNot run:%s\n", any ? "\n" : "", color ? ANSI_BOLD : "", color ? ANSI_RESET : "");
		for (size_t i = 0, j; i < r->n_not_run; i = j + 1) {
			const struct audit_not_run *nr = &r->not_run[i];
			struct buf head;
			/* A run of consecutive checks not run for one reason: one line. */
			for (j = i; j + 1 < r->n_not_run && same_not_run(&r->not_run[j], &r->not_run[j + 1]); j++)
				;
			buf_init(&head, 1024);
			buf_printf(&head, "  %s", nr->check->id);
			if (j > i)
				buf_printf(&head, "%s%s", j > i + 1 ? "-" : ",", r->not_run[j].check->id);
			buf_printf(&head, " %s: ", nr->cluster != NULL ? nr->cluster : "(all clusters)");
			buf_addstr(out, buf_cstr(&head));
			add_wrapped(out, nr->reason, strlen(nr->reason), columns(buf_cstr(&head), head.len),
			            TEXT_INDENT, "", "");
			buf_release(&head);
		}
		any = true;
	}
	if (any)
		buf_addch(out, '\n');
	if (r->n == 0)
		buf_printf(out, "No findings");
	else
		buf_printf(out, "%zu finding%s", r->n, r->n == 1 ? "" : "s");
	for (int s = 0, first = 1; s < AUDIT_N_SEVERITIES; s++)
		if (counts[s] > 0) {
			buf_printf(out, "%s%zu %s", first ? ": " : ", ", counts[s],
			           audit_severity_name((enum audit_severity)s));
			first = 0;
		}
	if (r->n_not_run > 0) {
		size_t k = distinct_not_run(r);
		buf_printf(out, "; %zu check%s not run", k, k == 1 ? "" : "s");
	}
	if (!execution_successful(r))
		buf_printf(out, "; nothing was checked");
	buf_addstr(out, ".\n");
	return out->failed ? -1 : 0;
}
