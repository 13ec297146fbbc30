/* core/audit_checks_permissions.c - audit group E (IRSA020-025): what the
 * roles a cluster uses may do.
 *
 * The roles: those an SA of the cluster names in its role-arn annotation,
 * and those whose trust names the cluster's OIDC provider; each once per
 * cluster. Their policies: the attached ARNs and inline documents the
 * collection read (in->role_policies), and the default versions of the
 * customer managed ones (in->policies). AWS managed policies have no
 * document in the input, so they are judged by name (managed_rules below).
 *
 * One finding per check, role and policy, listing every offending statement
 * in the evidence. A statement that allows every action on every resource
 * (IRSA021, or AdministratorAccess for IRSA020) says all there is to say:
 * the narrower checks (022-024) skip it. Deny statements are not subtracted
 * (policy_scan.h). What could not be read (a role's policies, a policy's
 * document) is reported as "not run" naming it, never guessed. Pure. */
#include "config.h"

#include "audit.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "policy_scan.h"

#define ID_ADMIN               "IRSA020"
#define ID_STAR                "IRSA021"
#define ID_PASSROLE            "IRSA022"
#define ID_ESCALATE            "IRSA023"
#define ID_WILDCARD            "IRSA024"
#define ID_QUOTA               "IRSA025"
#define DEFAULT_ATTACHED_QUOTA 10
#define GAP_NAMES              5 /* names listed in a not-run reason before "and N more" */
#define MSG_MAX                16384

enum {
	C020 = 1 << 0,
	C021 = 1 << 1,
	C022 = 1 << 2,
	C023 = 1 << 3,
	C024 = 1 << 4,
};

/* AWS managed policies, by name (the first row that matches wins). Their
 * documents are AWS's and not in the input; these are the ones whose
 * documents fall under a check of this group, with the reason. */
static const struct {
	const char *name;
	bool suffix; /* name is a suffix: every AWS managed policy ending so */
	unsigned checks;
	const char *why;
} managed_rules[] = {
        /* Action * on Resource *: the account's administrator (IRSA020 only). */
        {"AdministratorAccess", false, C020, "allows every action on every resource"},
        /* NotAction iam:*, organizations:*, account:* on *: every other action,
         * which is IRSA021's "NotAction trick" (sts:AssumeRole on * included). */
        {"PowerUserAccess", false, C021,
         "allows every action but those of IAM, Organizations and Account on every resource (NotAction), "
         "sts:AssumeRole on * included"},
        /* iam:* on *: passing any role (022), every escalation action (023),
         * a whole service (024). Before the *FullAccess row, which it also ends in. */
        {"IAMFullAccess", false, C022 | C023 | C024,
         "allows iam:* on every resource: iam:PassRole and every IAM privilege escalation"},
        /* AmazonS3FullAccess, AmazonSQSFullAccess, ...: svc:* on *, by AWS's naming. */
        {"FullAccess", true, C024, "allows every action of its service"},
};

/* Escalating actions on every resource of their kind (the catalog's list,
 * and Prowler's single-permission escalations). kind names the resource
 * type a probe ARN is made for, to tell "on every role" from "on role/app-*". */
static const struct {
	const char *action;
	const char *kind; /* "role", "user", "group", "policy" */
} escalations[] = {
        {"iam:AttachRolePolicy", "role"},              /* attach AdministratorAccess to itself */
        {"iam:AttachUserPolicy", "user"},              /* ... to a user it has keys for */
        {"iam:AttachGroupPolicy", "group"},            /* ... to a group of such a user */
        {"iam:PutRolePolicy", "role"},                 /* write itself an inline * policy */
        {"iam:PutUserPolicy", "user"},                 /* ... for a user */
        {"iam:PutGroupPolicy", "group"},               /* ... for a group */
        {"iam:CreatePolicyVersion", "policy"},         /* rewrite a policy it has attached */
        {"iam:SetDefaultPolicyVersion", "policy"},     /* switch to a wider old version */
        {"iam:UpdateAssumeRolePolicy", "role"},        /* make any role trust it */
        {"iam:CreateAccessKey", "user"},               /* keys for a more privileged user */
        {"iam:CreateLoginProfile", "user"},            /* a console password for one */
        {"iam:UpdateLoginProfile", "user"},            /* ... or a new one */
        {"iam:AddUserToGroup", "group"},               /* into an admin group */
        {"iam:DeleteRolePermissionsBoundary", "role"}, /* lift the cap on a role */
        {"iam:PutRolePermissionsBoundary", "role"},    /* ... or swap it for a wider one */
        {"sts:AssumeRole", "role"},                    /* role hopping: any role that trusts the account */
};

/* Passing a role to a service that then runs code as it (Prowler's
 * lib/privilege_escalation.py combinations; the catalog names the first).
 * iam:PassRole must reach every role; the others any resource. */
static const struct {
	const char *actions[3]; /* with iam:PassRole; NULL-terminated */
} pass_combos[] = {
        {{"eks:CreatePodIdentityAssociation", NULL}}, /* bind any role to a pod it runs */
        {{"ec2:RunInstances", NULL}},                 /* an instance profile with any role */
        {{"lambda:CreateFunction", "lambda:InvokeFunction", NULL}},
        {{"cloudformation:CreateStack", NULL}},
        {{"glue:CreateDevEndpoint", NULL}},
};

/* What could not be read, for the not-run reasons. */
struct gaps {
	struct buf roles; /* "NAME (why)", ... */
	size_t n_roles;
	struct buf docs; /* "inline policy P of role R (why)", ... */
	size_t n_docs;
	bool kube; /* the cluster's service accounts were not read */
};

/* One policy of one role, as the checks see it. */
struct pol {
	const struct aws_role *role;
	const char *name;       /* the policy's name */
	const char *ref_arn;    /* subject.policy_arn: the ARN, or "inline:NAME" */
	const char *kind;       /* "inline", "customer-managed", "aws-managed" */
	const char *label;      /* "inline policy", "customer managed policy", "AWS managed policy" */
	struct policy_doc *doc; /* NULL for AWS managed */
};

static const char *
arn_last(const char *arn)
{
	const char *slash = strrchr(arn, '/');

	return slash != NULL ? slash + 1 : arn;
}

static bool
is_aws_managed(const char *arn)
{
	const char *p = strstr(arn, ":iam::aws:policy/");

	return strncmp(arn, "arn:", 4) == 0 && p != NULL;
}

static void
gap_add(struct buf *b, size_t *n, const char *name, const char *why)
{
	if (*n < GAP_NAMES) {
		if (*n > 0)
			buf_addstr(b, ", ");
		buf_addstr(b, name);
		if (why != NULL)
			buf_printf(b, " (%s)", why);
	}
	(*n)++;
}

/* "; " between parts of a reason. */
static void
reason_part(struct buf *r)
{
	if (r->len > 0)
		buf_addstr(r, "; ");
}

static int
gaps_report(struct audit_ctx *ctx, const struct gaps *g)
{
	static const char *const ids[] = {ID_ADMIN, ID_STAR, ID_PASSROLE, ID_ESCALATE, ID_WILDCARD, ID_QUOTA};
	int rc = 0;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]) && rc == 0; i++) {
		bool docs = strcmp(ids[i], ID_ADMIN) != 0 && strcmp(ids[i], ID_QUOTA) != 0;
		struct buf r;

		if (!audit_ctx_wants(ctx, ids[i]))
			continue;
		buf_init(&r, MSG_MAX);
		if (g->kube)
			buf_printf(
			        &r,
			        "the service accounts of %s were not read (%s): only the roles whose trust names its "
			        "OIDC provider were examined",
			        ctx->cluster->name,
			        ctx->cluster->kube_error != NULL ? ctx->cluster->kube_error : "no reason given");
		if (g->n_roles > 0) {
			reason_part(&r);
			buf_printf(&r, "the policies of %zu role%s could not be read: %s", g->n_roles,
			           g->n_roles == 1 ? "" : "s", buf_cstr(&g->roles));
			if (g->n_roles > GAP_NAMES)
				buf_printf(&r, " and %zu more", g->n_roles - GAP_NAMES);
		}
		if (docs && g->n_docs > 0) {
			reason_part(&r);
			buf_printf(&r, "%zu polic%s could not be read: %s", g->n_docs, g->n_docs == 1 ? "y" : "ies",
			           buf_cstr(&g->docs));
			if (g->n_docs > GAP_NAMES)
				buf_printf(&r, " and %zu more", g->n_docs - GAP_NAMES);
		}
		if (r.failed)
			rc = irsa_error_oom(ctx->err);
		else if (r.len > 0)
			rc = audit_ctx_not_run(ctx, ids[i], buf_cstr(&r));
		buf_release(&r);
	}
	return rc;
}

/* --- helpers for messages and evidence ------------------------------------ */

static void
stmt_label(struct buf *b, const struct trust_statement *st, size_t i)
{
	buf_printf(b, "Statement[%zu]", i);
	if (st->sid != NULL && *st->sid != '\0')
		buf_printf(b, " (Sid %s)", st->sid);
}

static void
list_text(struct buf *b, const char *field, const struct trust_list *l)
{
	buf_printf(b, "%s [", field);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(b, "%s\"%s\"", i > 0 ? ", " : "", l->v[i]);
	buf_addstr(b, "]");
}

/* How st reaches its actions: Action "x", or NotAction [...]. */
static void
action_text(struct buf *b, const struct trust_statement *st, const char *via)
{
	if (via != NULL)
		buf_printf(b, "Action \"%s\"", via);
	else
		list_text(b, "NotAction", &st->not_action);
}

static void
resource_text(struct buf *b, const struct trust_statement *st, const char *via)
{
	if (via != NULL)
		buf_printf(b, "Resource \"%s\"", via);
	else
		list_text(b, "NotResource", &st->not_resource);
}

static struct json_object *
strings_json(const char *const *v, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a != NULL && i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

/* {"role", "policy", "policyType", "statements": []}: the evidence of a
 * policy finding. */
static struct json_object *
pol_evidence(const struct pol *p)
{
	struct json_object *e = json_object_new_object();

	if (e == NULL)
		return NULL;
	json_object_object_add(e, "role", json_object_new_string(p->role->arn));
	json_object_object_add(e, "policy", json_object_new_string(p->ref_arn));
	json_object_object_add(e, "policyName", json_object_new_string(p->name));
	json_object_object_add(e, "policyType", json_object_new_string(p->kind));
	if (p->doc != NULL)
		json_object_object_add(e, "statements", json_object_new_array());
	return e;
}

/* Appends statement i of p to e's statements, with what it was flagged
 * for (actions, each "ACTION" or "ACTION via PATTERN"). */
static void
evidence_statement(struct json_object *e, const struct pol *p, size_t i, struct json_object *flagged)
{
	struct json_object *arr, *o = json_object_new_object(), *copy = NULL;
	struct json_object *st = policy_doc_statement(p->doc, i);

	if (o == NULL || !json_object_object_get_ex(e, "statements", &arr)) {
		json_object_put(o);
		json_object_put(flagged);
		return;
	}
	json_object_object_add(o, "index", json_object_new_int64((int64_t)i));
	if (p->doc->t->st[i].sid != NULL)
		json_object_object_add(o, "sid", json_object_new_string(p->doc->t->st[i].sid));
	if (st != NULL && json_object_deep_copy(st, &copy, NULL) == 0)
		json_object_object_add(o, "statement", copy);
	if (flagged != NULL)
		json_object_object_add(o, "flagged", flagged);
	json_object_array_add(arr, o);
}

static struct audit_subject
pol_subject(const struct audit_ctx *ctx, const struct pol *p, bool with_policy)
{
	struct audit_subject s = {0};

	s.cluster = ctx->cluster->name;
	s.region = ctx->cluster->region;
	s.role_arn = p->role->arn;
	s.policy_arn = with_policy ? (char *)p->ref_arn : NULL;
	return s;
}

/* Adds a finding (msg and e taken over) unless out of memory. */
static int
add(struct audit_ctx *ctx, const char *id, const struct pol *p, bool with_policy, struct buf *msg,
    struct json_object *e)
{
	struct audit_subject s = pol_subject(ctx, p, with_policy);

	if (msg->failed || e == NULL) {
		buf_release(msg);
		json_object_put(e);
		return irsa_error_oom(ctx->err);
	}
	audit_ctx_add(ctx, id, -1, &s, e, "%s", buf_cstr(msg));
	buf_release(msg);
	return audit_ctx_failed(ctx) ? -1 : 0;
}

static bool
stmt_is_admin(const struct trust_statement *st)
{
	return policy_statement_all_actions(st, NULL) && policy_statement_all_resources(st, NULL);
}

/* The ARN of a resource of kind in the role's account that no policy
 * would name on purpose: a pattern that covers it covers every one. */
static void
probe_arn(const struct aws_role *role, const char *kind, char *out, size_t size)
{
	const char *colon = role->arn != NULL ? strstr(role->arn, ":role/") : NULL;
	int len = colon != NULL ? (int)(colon - role->arn) + 1 : 0;

	snprintf(out, size, "%.*s%s/irsa-audit-probe/zq9-%s", len, role->arn, kind, kind);
}

/* --- the checks ---------------------------------------------------------- */

static int
check_managed(struct audit_ctx *ctx, const struct pol *p)
{
	const char *name = p->name;
	size_t n = strlen(name);

	for (size_t r = 0; r < sizeof(managed_rules) / sizeof(managed_rules[0]); r++) {
		size_t k = strlen(managed_rules[r].name);
		bool match = managed_rules[r].suffix ? n > k && strcmp(name + n - k, managed_rules[r].name) == 0
		                                     : strcmp(name, managed_rules[r].name) == 0;
		static const struct {
			unsigned bit;
			const char *id;
		} map[] = {{C020, ID_ADMIN},
		           {C021, ID_STAR},
		           {C022, ID_PASSROLE},
		           {C023, ID_ESCALATE},
		           {C024, ID_WILDCARD}};

		if (!match)
			continue;
		for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++) {
			struct buf msg;
			struct json_object *e;

			if (!(managed_rules[r].checks & map[m].bit) || !audit_ctx_wants(ctx, map[m].id))
				continue;
			buf_init(&msg, MSG_MAX);
			buf_printf(&msg, "Role %s has the AWS managed policy %s attached, which %s.", p->role->name,
			           name, managed_rules[r].why);
			if ((e = pol_evidence(p)) != NULL)
				json_object_object_add(e, "judgedBy",
				                       json_object_new_string("the AWS managed policy's name"));
			/* IRSA020 is about the role (ref role/NAME); the others name the policy. */
			if (add(ctx, map[m].id, p, map[m].bit != C020, &msg, e) != 0)
				return -1;
		}
		return 0;
	}
	return 0;
}

/* IRSA021: Allow every action on every resource. */
static int
check_star(struct audit_ctx *ctx, const struct pol *p)
{
	struct buf msg;
	struct json_object *e = NULL;
	size_t hits = 0;

	buf_init(&msg, MSG_MAX);
	for (size_t i = 0; i < p->doc->t->n; i++) {
		const struct trust_statement *st = &p->doc->t->st[i];
		const char *av, *rv;

		if (!policy_statement_all_actions(st, &av) || !policy_statement_all_resources(st, &rv))
			continue;
		if (hits++ == 0) {
			e = pol_evidence(p);
			buf_printf(&msg, "Role %s's %s %s allows every action on every resource: ", p->role->name,
			           p->label, p->name);
		} else {
			buf_addstr(&msg, "; ");
		}
		stmt_label(&msg, st, i);
		buf_addstr(&msg, " has ");
		action_text(&msg, st, av);
		buf_addstr(&msg, " on ");
		resource_text(&msg, st, rv);
		if (st->has_condition)
			buf_addstr(&msg, " (under a Condition)");
		if (e != NULL)
			evidence_statement(e, p, i, NULL);
	}
	if (hits == 0) {
		buf_release(&msg);
		return 0;
	}
	buf_addstr(&msg, ".");
	return add(ctx, ID_STAR, p, true, &msg, e);
}

/* IRSA022: iam:PassRole on every role without a PassedToService or
 * AssociatedResourceArn condition. */
static int
check_passrole(struct audit_ctx *ctx, const struct pol *p)
{
	struct buf msg;
	struct json_object *e = NULL;
	size_t hits = 0;
	char probe[512];

	probe_arn(p->role, "role", probe, sizeof(probe));
	buf_init(&msg, MSG_MAX);
	for (size_t i = 0; i < p->doc->t->n; i++) {
		const struct trust_statement *st = &p->doc->t->st[i];
		const char *av, *rv;

		if (stmt_is_admin(st) || policy_statement_grants(st, "iam:PassRole", &av) == POLICY_GRANT_NONE ||
		    !policy_statement_covers(st, probe, &rv) || policy_statement_has_key(st, "iam:PassedToService") ||
		    policy_statement_has_key(st, "iam:AssociatedResourceArn"))
			continue;
		if (hits++ == 0) {
			e = pol_evidence(p);
			buf_printf(&msg,
			           "Role %s's %s %s allows iam:PassRole on every role without an iam:PassedToService "
			           "or iam:AssociatedResourceArn condition: ",
			           p->role->name, p->label, p->name);
		} else {
			buf_addstr(&msg, "; ");
		}
		stmt_label(&msg, st, i);
		buf_addstr(&msg, " by ");
		action_text(&msg, st, av);
		buf_addstr(&msg, " on ");
		resource_text(&msg, st, rv);
		if (e != NULL)
			evidence_statement(e, p, i, NULL);
	}
	if (hits == 0) {
		buf_release(&msg);
		return 0;
	}
	buf_addstr(&msg, ".");
	return add(ctx, ID_PASSROLE, p, true, &msg, e);
}

/* Whether a non-admin Allow statement of p grants action (on probe when
 * not NULL); *stmt gets the first such statement. */
static bool
pol_grants(const struct pol *p, const char *action, const char *probe, size_t *stmt)
{
	for (size_t i = 0; i < p->doc->t->n; i++) {
		const struct trust_statement *st = &p->doc->t->st[i];

		if (stmt_is_admin(st) || policy_statement_grants(st, action, NULL) == POLICY_GRANT_NONE)
			continue;
		if (probe != NULL && !policy_statement_covers(st, probe, NULL))
			continue;
		*stmt = i;
		return true;
	}
	return false;
}

/* Adds s to the statement's flagged actions (once). */
static void
flag(struct json_object **flags, size_t i, const char *s)
{
	if (flags[i] == NULL && (flags[i] = json_object_new_array()) == NULL)
		return;
	for (size_t k = 0; k < json_object_array_length(flags[i]); k++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(flags[i], k)), s) == 0)
			return;
	json_object_array_add(flags[i], json_object_new_string(s));
}

/* How statement i of p reaches its actions and resources, for a message:
 * Action [...] on Resource [...] (or the Not forms). */
static void
stmt_fields(struct buf *b, const struct trust_statement *st)
{
	list_text(b, st->action.present ? "Action" : "NotAction", st->action.present ? &st->action : &st->not_action);
	buf_addstr(b, " on ");
	list_text(b, st->resource.present ? "Resource" : "NotResource",
	          st->resource.present ? &st->resource : &st->not_resource);
}

/* IRSA023: escalating actions on every resource of their kind, and
 * iam:PassRole combined with a service that runs code as the role. The
 * message lists, per statement, the escalating actions it allows, then
 * each combination. */
static int
check_escalation(struct audit_ctx *ctx, const struct pol *p)
{
	size_t n_st = p->doc->t->n;
	struct json_object **flags = calloc(n_st > 0 ? n_st : 1, sizeof(*flags));
	struct buf msg;
	size_t hits = 0;
	char probe[512], role_probe[512];
	int rc;

	if (flags == NULL)
		return irsa_error_oom(ctx->err);
	buf_init(&msg, MSG_MAX);
	for (size_t a = 0; a < sizeof(escalations) / sizeof(escalations[0]); a++) {
		size_t i;

		probe_arn(p->role, escalations[a].kind, probe, sizeof(probe));
		if (pol_grants(p, escalations[a].action, probe, &i))
			flag(flags, i, escalations[a].action);
	}
	for (size_t i = 0; i < n_st; i++) {
		if (flags[i] == NULL)
			continue;
		buf_addstr(&msg, hits++ == 0 ? "" : "; ");
		stmt_label(&msg, &p->doc->t->st[i], i);
		buf_addstr(&msg, " allows ");
		for (size_t k = 0; k < json_object_array_length(flags[i]); k++)
			buf_printf(&msg, "%s%s", k > 0 ? ", " : "",
			           json_object_get_string(json_object_array_get_idx(flags[i], k)));
		buf_addstr(&msg, " by ");
		stmt_fields(&msg, &p->doc->t->st[i]);
	}
	probe_arn(p->role, "role", role_probe, sizeof(role_probe));
	for (size_t c = 0; c < sizeof(pass_combos) / sizeof(pass_combos[0]); c++) {
		size_t pass_i, other_i[3], k;
		bool all = pol_grants(p, "iam:PassRole", role_probe, &pass_i);

		for (k = 0; all && pass_combos[c].actions[k] != NULL; k++)
			all = pol_grants(p, pass_combos[c].actions[k], NULL, &other_i[k]);
		if (!all)
			continue;
		buf_addstr(&msg, hits++ == 0 ? "" : "; ");
		buf_addstr(&msg, "iam:PassRole on every role (");
		stmt_label(&msg, &p->doc->t->st[pass_i], pass_i);
		buf_addstr(&msg, ") with ");
		for (k = 0; pass_combos[c].actions[k] != NULL; k++) {
			buf_printf(&msg, "%s%s (", k > 0 ? " and " : "", pass_combos[c].actions[k]);
			stmt_label(&msg, &p->doc->t->st[other_i[k]], other_i[k]);
			buf_addstr(&msg, ")");
		}
		buf_addstr(&msg, ", which runs code as the role passed");
		flag(flags, pass_i, "iam:PassRole");
		for (k = 0; pass_combos[c].actions[k] != NULL; k++)
			flag(flags, other_i[k], pass_combos[c].actions[k]);
	}
	if (hits == 0) {
		buf_release(&msg);
		free(flags);
		return 0;
	}
	{
		struct buf full;
		struct json_object *e = pol_evidence(p);

		buf_init(&full, MSG_MAX);
		buf_printf(&full, "Role %s's %s %s lets it escalate its privileges: %s.", p->role->name, p->label,
		           p->name, buf_cstr(&msg));
		if (msg.failed)
			full.failed = true;
		buf_release(&msg);
		for (size_t i = 0; i < n_st; i++) {
			if (flags[i] == NULL)
				continue;
			if (e != NULL)
				evidence_statement(e, p, i, flags[i]);
			else
				json_object_put(flags[i]);
		}
		free(flags);
		rc = add(ctx, ID_ESCALATE, p, true, &full, e);
	}
	return rc;
}

/* IRSA024: service-wide wildcards (svc:*), every action on some resources
 * (Action "*" or NotAction) short of IRSA021. */
static int
check_wildcards(struct audit_ctx *ctx, const struct pol *p)
{
	struct buf msg;
	struct json_object *e = NULL;
	size_t hits = 0;

	buf_init(&msg, MSG_MAX);
	for (size_t i = 0; i < p->doc->t->n; i++) {
		const struct trust_statement *st = &p->doc->t->st[i];
		struct json_object *flagged;
		const char *av, *rv;
		bool any = false;

		if (st->deny || stmt_is_admin(st))
			continue;
		flagged = json_object_new_array();
		if (policy_statement_all_actions(st, &av) && av == NULL) {
			/* NotAction short of every resource */
			any = true;
			if (hits++ == 0)
				buf_printf(&msg, "Role %s's %s %s grants whole services: ", p->role->name, p->label,
				           p->name);
			else
				buf_addstr(&msg, "; ");
			stmt_label(&msg, st, i);
			buf_addstr(&msg, " has ");
			list_text(&msg, "NotAction", &st->not_action);
			json_object_array_add(flagged, json_object_new_string("NotAction"));
		}
		for (size_t k = 0; st->action.present && k < st->action.n; k++) {
			const char *a = st->action.v[k];

			if (!policy_action_service_wide(a) && !policy_pattern_is_all(a))
				continue;
			if (!any) {
				if (hits++ == 0)
					buf_printf(&msg, "Role %s's %s %s grants whole services: ", p->role->name,
					           p->label, p->name);
				else
					buf_addstr(&msg, "; ");
				stmt_label(&msg, st, i);
				buf_addstr(&msg, " has Action");
			} else {
				buf_addstr(&msg, ",");
			}
			any = true;
			buf_printf(&msg, " \"%s\"", a);
			json_object_array_add(flagged, json_object_new_string(a));
		}
		if (!any) {
			json_object_put(flagged);
			continue;
		}
		buf_addstr(&msg, " on ");
		if (policy_statement_all_resources(st, &rv) && rv != NULL)
			buf_printf(&msg, "Resource \"%s\"", rv);
		else if (st->resource.present)
			list_text(&msg, "Resource", &st->resource);
		else
			list_text(&msg, "NotResource", &st->not_resource);
		if (e == NULL)
			e = pol_evidence(p);
		if (e != NULL)
			evidence_statement(e, p, i, flagged);
		else
			json_object_put(flagged);
	}
	if (hits == 0) {
		buf_release(&msg);
		return 0;
	}
	buf_addstr(&msg, ".");
	return add(ctx, ID_WILDCARD, p, true, &msg, e);
}

/* IRSA025: the managed-policy count against its quota. */
static int
check_quota(struct audit_ctx *ctx, const struct aws_role *role, const struct audit_role_policies *rp)
{
	long quota = ctx->in->attached_quota > 0 ? ctx->in->attached_quota : DEFAULT_ATTACHED_QUOTA;
	size_t n = rp->attached.n;
	struct audit_subject s = {0};
	struct json_object *e;
	long left = quota - (long)n;

	if ((long)n < quota - 1)
		return 0;
	e = json_object_new_object();
	if (e == NULL)
		return irsa_error_oom(ctx->err);
	json_object_object_add(e, "role", json_object_new_string(role->arn));
	json_object_object_add(e, "attached", strings_json((const char *const *)rp->attached.v, rp->attached.n));
	json_object_object_add(e, "quota", json_object_new_int64(quota));
	json_object_object_add(e, "quotaKnown", json_object_new_boolean(ctx->in->attached_quota > 0));
	s.cluster = ctx->cluster->name;
	s.region = ctx->cluster->region;
	s.role_arn = role->arn;
	audit_ctx_add(ctx, ID_QUOTA, -1, &s, e,
	              "Role %s has %zu managed policies attached; the account's AttachedPoliciesPerRoleQuota is %ld%s: "
	              "%s.",
	              role->name, n, quota, ctx->in->attached_quota > 0 ? "" : " (the default: it was not read)",
	              left <= 0 ? "no further policy can be attached" : "one more policy can be attached");
	return audit_ctx_failed(ctx) ? -1 : 0;
}

/* Runs 021-024 over one policy document. */
static int
check_document(struct audit_ctx *ctx, const struct pol *p)
{
	if (audit_ctx_wants(ctx, ID_STAR) && check_star(ctx, p) != 0)
		return -1;
	if (audit_ctx_wants(ctx, ID_PASSROLE) && check_passrole(ctx, p) != 0)
		return -1;
	if (audit_ctx_wants(ctx, ID_ESCALATE) && check_escalation(ctx, p) != 0)
		return -1;
	if (audit_ctx_wants(ctx, ID_WILDCARD) && check_wildcards(ctx, p) != 0)
		return -1;
	return 0;
}

static bool
wants_documents(const struct audit_ctx *ctx)
{
	return audit_ctx_wants(ctx, ID_STAR) || audit_ctx_wants(ctx, ID_PASSROLE) ||
	       audit_ctx_wants(ctx, ID_ESCALATE) || audit_ctx_wants(ctx, ID_WILDCARD);
}

/* Parses text into doc; a failure is a gap naming the policy. Returns 1
 * parsed, 0 not (recorded), -1 out of memory. */
static int
load_doc(struct audit_ctx *ctx, struct gaps *g, const char *text, const char *what, const char *why_absent,
         struct policy_doc *doc)
{
	struct irsa_error perr;

	if (text == NULL) {
		gap_add(&g->docs, &g->n_docs, what, why_absent);
		return 0;
	}
	irsa_error_clear(&perr);
	if (policy_doc_parse(text, doc, &perr) != 0) {
		if (perr.kind == IRSA_ERR_INTERNAL)
			return irsa_error_oom(ctx->err);
		gap_add(&g->docs, &g->n_docs, what, perr.message);
		return 0;
	}
	return 1;
}

static int
examine_role(struct audit_ctx *ctx, size_t ri, struct gaps *g)
{
	const struct aws_role *role = &ctx->in->roles[ri];
	const struct audit_role_policies *rp = ctx->in->role_policies != NULL ? &ctx->in->role_policies[ri] : NULL;
	bool docs = wants_documents(ctx);
	char what[1024];

	if (rp == NULL || !rp->known) {
		gap_add(&g->roles, &g->n_roles, role->name, rp != NULL && rp->error != NULL ? rp->error : "not read");
		return 0;
	}
	if (audit_ctx_wants(ctx, ID_QUOTA) && check_quota(ctx, role, rp) != 0)
		return -1;
	for (size_t k = 0; k < rp->attached.n; k++) {
		const char *arn = rp->attached.v[k];
		struct pol p = {.role = role, .name = arn_last(arn), .ref_arn = arn};
		const struct audit_policy *cp;
		struct policy_doc doc;
		int rc;

		if (is_aws_managed(arn)) {
			p.kind = "aws-managed";
			p.label = "AWS managed policy";
			if (check_managed(ctx, &p) != 0)
				return -1;
			continue;
		}
		if (!docs)
			continue;
		p.kind = "customer-managed";
		p.label = "customer managed policy";
		cp = audit_input_policy(ctx->in, arn);
		snprintf(what, sizeof(what), "customer managed policy %s of role %s", arn, role->name);
		rc = load_doc(ctx, g, cp != NULL ? cp->document : NULL, what,
		              cp == NULL          ? "its default version was not read"
		              : cp->error != NULL ? cp->error
		                                  : "its default version was not read",
		              &doc);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		p.doc = &doc;
		rc = check_document(ctx, &p);
		policy_doc_release(&doc);
		if (rc != 0)
			return -1;
	}
	for (size_t k = 0; docs && k < rp->inline_name.n; k++) {
		const char *name = rp->inline_name.v[k];
		struct pol p = {.role = role, .name = name, .kind = "inline", .label = "inline policy"};
		struct policy_doc doc;
		char *ref;
		int rc;

		snprintf(what, sizeof(what), "inline policy %s of role %s", name, role->name);
		rc = load_doc(ctx, g, rp->inline_doc != NULL ? rp->inline_doc[k] : NULL, what,
		              "GetRolePolicy was not read", &doc);
		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if ((ref = malloc(strlen(name) + sizeof("inline:"))) == NULL) {
			policy_doc_release(&doc);
			return irsa_error_oom(ctx->err);
		}
		strcpy(ref, "inline:");
		strcat(ref, name);
		p.ref_arn = ref;
		p.doc = &doc;
		rc = check_document(ctx, &p);
		policy_doc_release(&doc);
		free(ref);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Whether role b's trust names the provider (an Allow statement's Federated principal). */
static bool
trust_names(const struct binding_role *b, const char *provider_arn)
{
	return trust_allows_principal(b->trust, "Federated", provider_arn);
}

int
audit_checks_permissions(struct audit_ctx *ctx)
{
	const struct audit_cluster *c = ctx->cluster;
	struct audit_input *in = ctx->in;
	struct gaps g = {0};
	bool *used;
	int rc = 0;

	if (c == NULL || in->n_roles == 0 ||
	    !(audit_ctx_wants(ctx, ID_ADMIN) || wants_documents(ctx) || audit_ctx_wants(ctx, ID_QUOTA)))
		return 0;
	if ((used = calloc(in->n_roles, sizeof(*used))) == NULL)
		return irsa_error_oom(ctx->err);
	for (size_t i = 0; c->kube_known && i < c->sas.n; i++) {
		size_t ri;

		if (audit_input_role(in, binding_role_arn(&c->sas.v[i]), &ri) != NULL)
			used[ri] = true;
	}
	for (size_t k = 0; k < in->index.n; k++)
		if (trust_names(&in->index.v[k], c->provider_arn))
			used[in->index.v[k].role - in->roles] = true;
	g.kube = !c->kube_known;
	buf_init(&g.roles, MSG_MAX);
	buf_init(&g.docs, MSG_MAX);
	/* In name order (the index's), so the not-run reasons read the same each run. */
	for (size_t k = 0; rc == 0 && k < in->index.n; k++) {
		size_t ri = (size_t)(in->index.v[k].role - in->roles);

		if (used[ri])
			rc = examine_role(ctx, ri, &g);
	}
	if (rc == 0 && (g.roles.failed || g.docs.failed))
		rc = irsa_error_oom(ctx->err);
	if (rc == 0)
		rc = gaps_report(ctx, &g);
	buf_release(&g.roles);
	buf_release(&g.docs);
	free(used);
	return rc;
}
