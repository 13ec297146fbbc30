/* core/plan_apply.c - plan_apply() and plan_rollback(): each step's re-read,
 * change and undo against IAM and the Kubernetes API, with the journal
 * written before every change (see plan_apply.h). No printing. */
#include "config.h"

#include "plan_apply.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "iam.h"
#include "jsonobj.h"
#include "journal.h"
#include "kube_api.h"
#include "trust.h"

/* One run: the clients, the journal and the callback. */
struct run {
	const struct plan_env *env;
	const struct plan *p;
	const struct plan_apply_options *o;
	struct journal *j;
	struct plan_apply_result *res;
};

static void
progress(struct run *r, size_t i, enum plan_event ev, const char *note, const struct irsa_error *err)
{
	if (r->o != NULL && r->o->progress != NULL)
		r->o->progress(r->o->arg, i, &r->p->steps[i], ev, note, err);
}

static bool
cancelled(const struct run *r)
{
	return r->o != NULL && r->o->cancel != NULL && *r->o->cancel != 0;
}

static atomic_bool read_only;

void
plan_set_read_only(bool on)
{
	atomic_store(&read_only, on);
}

bool
plan_read_only(void)
{
	return atomic_load(&read_only);
}

/* The read-only guard: -1 with err set when read-only mode is on. */
static int
refuse_read_only(const char *what, struct irsa_error *err)
{
	if (!plan_read_only())
		return 0;
	irsa_error_set(err, IRSA_ERR_DENIED, "read-only mode: %s refused, nothing changed", what);
	irsa_error_hint(err, "Run irsa without --read-only to make changes.");
	return -1;
}

void
plan_apply_result_release(struct plan_apply_result *r)
{
	free(r->journal_path);
	memset(r, 0, sizeof(*r));
	r->failed = -1;
}

/* Whether two trust documents are the same policy: equal canonical JSON.
 * Unreadable documents are equal only byte for byte. */
static bool
trust_same(const char *a, const char *b)
{
	struct trust *ta, *tb;
	char *ca = NULL, *cb = NULL;
	bool eq;

	if (a == NULL || b == NULL)
		return a == b;
	if (strcmp(a, b) == 0)
		return true;
	ta = trust_parse(a, NULL);
	tb = trust_parse(b, NULL);
	if (ta != NULL && tb != NULL) {
		ca = trust_to_json(ta);
		cb = trust_to_json(tb);
	}
	eq = ca != NULL && cb != NULL && strcmp(ca, cb) == 0;
	free(ca);
	free(cb);
	trust_free(ta);
	trust_free(tb);
	return eq;
}

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static struct json_object *
obj_str(const char *key, const char *value)
{
	struct json_object *o = json_object_new_object();

	if (o != NULL)
		json_object_object_add(o, key, value != NULL ? json_object_new_string(value) : NULL);
	return o;
}

/* {"key": value-or-null, ...} of the step's annotations, before or after. */
static struct json_object *
obj_annotations(const struct plan_step *s, bool after)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; o != NULL && i < s->n_annotations; i++) {
		const char *v = after ? s->annotations[i].after : s->annotations[i].before;

		json_object_object_add(o, s->annotations[i].key, v != NULL ? json_object_new_string(v) : NULL);
	}
	return o;
}

static int
conflict(struct irsa_error *err, const char *what, const char *name, const char *happened)
{
	irsa_error_set(err, IRSA_ERR_CONFLICT, "%s %s %s", what, name, happened);
	return irsa_error_hint(err, "Something changed it since the preview: run irsa plan again and review the new "
	                            "plan.");
}

/* --- apply: the re-read before each step --------------------------------- */

/* Returns 0 with *done true when the change is there already, 0 with *done
 * false when the step is to be made, or -1 with err set (a conflict). */
static int
check_step(struct run *r, const struct plan_step *s, bool *done, struct irsa_error *err)
{
	const struct plan_env *env = r->env;
	struct aws_oidc_provider prov;
	struct aws_role role;
	struct aws_attached_policy_list att;
	struct kube_object sa;
	int rc = 0;

	*done = false;
	switch (s->kind) {
	case PLAN_STEP_OIDC_PROVIDER:
	case PLAN_STEP_OIDC_CLIENT_ID:
		if (iam_get_oidc_provider(env->aws, s->provider_arn, &prov, err) == 0) {
			*done = s->kind == PLAN_STEP_OIDC_PROVIDER;
			for (size_t i = 0; i < prov.client_ids.n; i++)
				if (strcmp(prov.client_ids.v[i], TRUST_AUDIENCE_STS) == 0)
					*done = true;
		} else if (err->kind == IRSA_ERR_NOT_FOUND && s->kind == PLAN_STEP_OIDC_PROVIDER) {
			irsa_error_clear(err);
		} else {
			rc = -1;
		}
		aws_oidc_provider_release(&prov);
		return rc;
	case PLAN_STEP_ROLE_CREATE:
	case PLAN_STEP_ROLE_TRUST:
		if (iam_get_role(env->aws, s->role_name, &role, err) != 0) {
			aws_role_release(&role);
			if (err->kind == IRSA_ERR_NOT_FOUND && s->kind == PLAN_STEP_ROLE_CREATE) {
				irsa_error_clear(err);
				return 0;
			}
			return -1;
		}
		if (trust_same(role.trust_policy, s->document))
			*done = true;
		else if (s->kind == PLAN_STEP_ROLE_CREATE)
			rc = conflict(err, "role", s->role_name,
			              "was created since the preview, with another trust policy");
		else if (!trust_same(role.trust_policy, s->document_before))
			rc = conflict(err, "the trust policy of role", s->role_name, "changed since the preview");
		aws_role_release(&role);
		return rc;
	case PLAN_STEP_POLICY_ATTACH:
		if (iam_list_attached_role_policies(env->aws, s->role_name, NULL, &att, err) != 0) {
			aws_attached_policy_list_release(&att);
			return -1;
		}
		for (size_t i = 0; i < att.n; i++)
			if (strcmp(att.v[i].arn, s->policy_arn) == 0)
				*done = true;
		aws_attached_policy_list_release(&att);
		return 0;
	case PLAN_STEP_SA_CREATE:
	case PLAN_STEP_SA_ANNOTATE:
		memset(&sa, 0, sizeof(sa));
		if (kube_get_serviceaccount(env->kube, s->ns, s->name, &sa, err) != 0) {
			kube_object_release(&sa);
			if (err->kind == IRSA_ERR_NOT_FOUND && s->kind == PLAN_STEP_SA_CREATE) {
				irsa_error_clear(err);
				return 0;
			}
			return -1;
		}
		*done = true;
		for (size_t i = 0; i < s->n_annotations; i++) {
			const struct plan_annotation *a = &s->annotations[i];
			const char *now = kube_object_annotation(&sa, a->key);

			if (!same(now, a->after))
				*done = false;
			if (s->kind == PLAN_STEP_SA_ANNOTATE && !same(now, a->before) && !same(now, a->after)) {
				irsa_error_set(
				        err, IRSA_ERR_CONFLICT,
				        "annotation %s of service account %s/%s changed since the preview (now \"%s\")",
				        a->key, s->ns, s->name, now != NULL ? now : "(absent)");
				irsa_error_hint(err, "Run irsa plan again and review the new plan.");
				rc = -1;
				break;
			}
		}
		if (rc == 0 && !*done && s->kind == PLAN_STEP_SA_CREATE) {
			char what[300];

			snprintf(what, sizeof(what), "%s/%s", s->ns, s->name);
			rc = conflict(err, "service account", what, "was created since the preview");
		}
		kube_object_release(&sa);
		return rc;
	case PLAN_STEP_RESTART:
	case PLAN_STEP_N_KINDS:
		break;
	}
	return 0;
}

/* --- apply: the change ---------------------------------------------------- */

/* Makes step s. *after gets what the rollback needs to know (may stay
 * NULL). Returns 0, or -1 with err set. */
static int
make_step(struct run *r, const struct plan_step *s, struct json_object **after, struct irsa_error *err)
{
	const struct plan_env *env = r->env;
	const char *sts = TRUST_AUDIENCE_STS;
	struct aws_iam_create_role in;
	struct aws_role role;
	struct kube_object obj;
	struct kube_kv kv[8];
	size_t n = 0;
	char *arn = NULL;
	int rc;

	switch (s->kind) {
	case PLAN_STEP_OIDC_PROVIDER: {
		const char *tp = s->thumbprint;

		rc = iam_create_oidc_provider(env->aws, s->provider_url, &sts, 1, tp != NULL ? &tp : NULL,
		                              tp != NULL ? 1 : 0, s->tags.v, s->tags.n, &arn, err);
		if (rc == 0)
			*after = obj_str("arn", arn);
		free(arn);
		return rc;
	}
	case PLAN_STEP_OIDC_CLIENT_ID:
		return iam_add_client_id_to_oidc_provider(env->aws, s->provider_arn, sts, err);
	case PLAN_STEP_ROLE_CREATE:
		memset(&in, 0, sizeof(in));
		in.role_name = s->role_name;
		in.path = s->role_path;
		in.trust_policy = s->document;
		in.description = "Bound to a Kubernetes service account by irsa";
		in.tags = s->tags.v;
		in.n_tags = s->tags.n;
		rc = iam_create_role(env->aws, &in, &role, err);
		if (rc == 0)
			*after = obj_str("arn", role.arn);
		aws_role_release(&role);
		return rc;
	case PLAN_STEP_ROLE_TRUST:
		return iam_update_assume_role_policy(env->aws, s->role_name, s->document, err);
	case PLAN_STEP_POLICY_ATTACH:
		return iam_attach_role_policy(env->aws, s->role_name, s->policy_arn, err);
	case PLAN_STEP_SA_CREATE:
	case PLAN_STEP_SA_ANNOTATE:
		for (size_t i = 0; i < s->n_annotations && n < sizeof(kv) / sizeof(kv[0]); i++) {
			kv[n].key = s->annotations[i].key;
			kv[n++].value = s->annotations[i].after;
		}
		memset(&obj, 0, sizeof(obj));
		if (s->kind == PLAN_STEP_SA_CREATE)
			rc = kube_create_serviceaccount(env->kube, s->ns, s->name, kv, n, NULL, 0, &obj, err);
		else
			rc = kube_patch_serviceaccount_annotations(env->kube, s->ns, s->name, kv, n, &obj, err);
		if (rc == 0)
			*after = obj_str("uid", obj.uid);
		kube_object_release(&obj);
		return rc;
	case PLAN_STEP_RESTART:
		return kube_rollout_restart(env->kube, s->workload, s->ns, s->name, 0, NULL, err);
	case PLAN_STEP_N_KINDS:
		break;
	}
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown step kind %d", (int)s->kind);
}

/* What the journal records as the step's before and after. */
static void
journal_objects(const struct plan_step *s, struct json_object **before, struct json_object **after)
{
	*before = *after = NULL;
	switch (s->kind) {
	case PLAN_STEP_ROLE_TRUST:
		*before = obj_str("document", s->document_before);
		*after = obj_str("document", s->document);
		break;
	case PLAN_STEP_ROLE_CREATE:
		*after = obj_str("document", s->document);
		break;
	case PLAN_STEP_SA_CREATE:
	case PLAN_STEP_SA_ANNOTATE:
		*before = obj_annotations(s, false);
		*after = obj_annotations(s, true);
		break;
	case PLAN_STEP_POLICY_ATTACH:
		*after = obj_str("policyArn", s->policy_arn);
		break;
	case PLAN_STEP_OIDC_PROVIDER:
	case PLAN_STEP_OIDC_CLIENT_ID:
		*after = obj_str("clientId", TRUST_AUDIENCE_STS);
		break;
	case PLAN_STEP_RESTART:
	case PLAN_STEP_N_KINDS:
		break;
	}
}

static int
record(struct run *r, size_t i, enum journal_status st, struct json_object *before, struct json_object *after,
       const char *error, struct irsa_error *err)
{
	int rc = journal_record(r->j, i, st, before, after, error, time(NULL), err);

	json_object_put(before);
	json_object_put(after);
	return rc;
}

static int
apply_step(struct run *r, size_t i, struct irsa_error *err)
{
	const struct plan_step *s = &r->p->steps[i];
	struct json_object *before, *after, *made = NULL;
	bool done;
	char line[1024];

	progress(r, i, PLAN_EVENT_BEGIN, NULL, NULL);
	if (check_step(r, s, &done, err) != 0)
		goto failed;
	if (done) {
		if (record(r, i, JOURNAL_SKIPPED, NULL, NULL, NULL, err) != 0)
			goto failed;
		r->res->skipped++;
		progress(r, i, PLAN_EVENT_SKIPPED, "already so", NULL);
		return 0;
	}
	/* The journal says what is about to change before it changes. */
	journal_objects(s, &before, &after);
	if (record(r, i, JOURNAL_STARTED, before, after, NULL, err) != 0)
		goto failed;
	if (make_step(r, s, &made, err) != 0)
		goto failed;
	if (record(r, i, JOURNAL_DONE, NULL, made, NULL, err) != 0)
		goto failed;
	r->res->done++;
	progress(r, i, PLAN_EVENT_DONE, NULL, NULL);
	return 0;
failed:
	irsa_error_format(err, line, sizeof(line));
	if (r->j != NULL)
		(void)journal_record(r->j, i, JOURNAL_FAILED, NULL, NULL, line, time(NULL), NULL);
	r->res->failed = (int)i;
	progress(r, i, PLAN_EVENT_FAILED, NULL, err);
	irsa_error_prefix(err, "step %zu (%s)", i + 1, s->title);
	return -1;
}

/* Whether a plan header field has a value ("-" is an audit fix's "none"). */
static bool
named(const char *s)
{
	return s != NULL && s[0] != '\0' && strcmp(s, "-") != 0;
}

/* "CLUSTER-NS-SA", or for a plan about no service account (an audit fix of
 * a role or a provider) "CLUSTER-ROLE" or "CLUSTER-oidc-provider". */
static char *
name_hint(const struct plan *p)
{
	const char *a = p->ns, *b = p->sa;
	size_t n;
	char *h;

	if (!named(p->sa)) {
		a = named(p->role_name) ? p->role_name : "oidc-provider";
		b = NULL;
	}
	n = strlen(p->cluster) + strlen(a) + (b != NULL ? strlen(b) : 0) + 3;
	if ((h = malloc(n)) != NULL && b != NULL)
		snprintf(h, n, "%s-%s-%s", p->cluster, a, b);
	else if (h != NULL)
		snprintf(h, n, "%s-%s", p->cluster, a);
	return h;
}

int
plan_apply(const struct plan_env *env, const struct plan *p, const struct plan_apply_options *o,
           struct plan_apply_result *res, struct irsa_error *err)
{
	struct run r = {env, p, o, NULL, res};
	struct json_object *pj;
	char *dir, *hint;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	res->failed = -1;
	if (refuse_read_only("apply", err) != 0)
		return -1;
	if (p->n == 0)
		return 0;
	if ((dir = journal_dir(o != NULL ? o->journal_dir : NULL, err)) == NULL)
		return -1;
	pj = plan_to_json(p);
	hint = name_hint(p);
	if (pj == NULL || hint == NULL) {
		rc = irsa_error_oom(err);
	} else if (journal_create(dir, hint, pj, p->n, time(NULL), &r.j, err) != 0) {
		rc = -1;
	}
	json_object_put(pj);
	free(hint);
	free(dir);
	if (rc != 0)
		return -1;
	if ((res->journal_path = strdup(journal_path(r.j))) == NULL) {
		journal_free(r.j);
		return irsa_error_oom(err);
	}
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		if (cancelled(&r)) {
			irsa_error_set(err, IRSA_ERR_CANCELLED, "cancelled before step %zu (%s): %zu of %zu steps made",
			               i + 1, p->steps[i].title, res->done, p->n);
			irsa_error_hint(err, "Run irsa apply again to finish, or irsa rollback to undo what was made.");
			rc = -1;
			break;
		}
		rc = apply_step(&r, i, err);
	}
	if (rc != 0 && err->kind != IRSA_ERR_CANCELLED && err->hint[0] == '\0')
		irsa_error_hint(err,
		                "Fix the cause and run irsa apply again (it resumes), or undo what was made with "
		                "irsa rollback %s",
		                res->journal_path);
	(void)journal_set_state(r.j, rc == 0 ? JOURNAL_STATE_APPLIED : JOURNAL_STATE_FAILED, time(NULL), NULL);
	journal_free(r.j);
	return rc;
}

/* --- rollback -------------------------------------------------------------- */

/* Undoes step s. Returns 0 with *note NULL when undone, 0 with *note set
 * (static or in buf) when kept or nothing to do, -1 with err set. */
static int
undo_step(struct run *r, const struct plan_step *s, const struct journal_entry *e, const char **note, char *buf,
          size_t bufsz, struct irsa_error *err)
{
	const struct plan_env *env = r->env;
	struct aws_role role;
	struct aws_attached_policy_list att;
	struct aws_name_list inl;
	struct aws_role_list roles;
	struct kube_object sa;
	struct kube_object_list pods;
	struct kube_kv kv[8];
	size_t n = 0;
	int rc = 0;

	*note = NULL;
	switch (s->kind) {
	case PLAN_STEP_RESTART:
		*note = "a restart cannot be undone";
		return 0;
	case PLAN_STEP_SA_ANNOTATE:
		memset(&sa, 0, sizeof(sa));
		if (kube_get_serviceaccount(env->kube, s->ns, s->name, &sa, err) != 0) {
			kube_object_release(&sa);
			return -1;
		}
		for (size_t i = 0; i < s->n_annotations && n < sizeof(kv) / sizeof(kv[0]); i++) {
			const struct plan_annotation *a = &s->annotations[i];
			const char *now = kube_object_annotation(&sa, a->key);

			if (same(now, a->before))
				continue;
			if (!same(now, a->after)) {
				snprintf(buf, bufsz, "annotation %s changed since the apply: kept", a->key);
				*note = buf;
				continue;
			}
			kv[n].key = a->key;
			kv[n++].value = a->before;
		}
		kube_object_release(&sa);
		if (n == 0)
			return 0;
		return kube_patch_serviceaccount_annotations(env->kube, s->ns, s->name, kv, n, NULL, err);
	case PLAN_STEP_SA_CREATE: {
		const char *uid = e->after != NULL ? jsonobj_str(e->after, "uid") : NULL;

		memset(&sa, 0, sizeof(sa));
		if (kube_get_serviceaccount(env->kube, s->ns, s->name, &sa, err) != 0) {
			kube_object_release(&sa);
			if (err->kind != IRSA_ERR_NOT_FOUND)
				return -1;
			irsa_error_clear(err);
			*note = "already gone";
			return 0;
		}
		if (uid != NULL && strcmp(uid, sa.uid) != 0) {
			*note = "it was deleted and created again since the apply: kept";
			kube_object_release(&sa);
			return 0;
		}
		kube_object_release(&sa);
		if (kube_list_pods_using(env->kube, s->ns, s->name, &pods, err) != 0)
			return -1;
		if (pods.n > 0) {
			snprintf(buf, bufsz, "%zu pod%s run as it (%s): kept", pods.n, pods.n == 1 ? "" : "s",
			         pods.v[0].name);
			*note = buf;
			kube_object_list_release(&pods);
			return 0;
		}
		kube_object_list_release(&pods);
		rc = kube_delete_serviceaccount(env->kube, s->ns, s->name, uid, err);
		if (rc != 0 && err->kind == IRSA_ERR_NOT_FOUND) {
			irsa_error_clear(err);
			return 0;
		}
		return rc;
	}
	case PLAN_STEP_POLICY_ATTACH:
		rc = iam_detach_role_policy(env->aws, s->role_name, s->policy_arn, err);
		if (rc != 0 && err->kind == IRSA_ERR_NOT_FOUND) {
			irsa_error_clear(err);
			*note = "not attached any more";
			return 0;
		}
		return rc;
	case PLAN_STEP_ROLE_TRUST:
		if (iam_get_role(env->aws, s->role_name, &role, err) != 0) {
			aws_role_release(&role);
			return -1;
		}
		if (trust_same(role.trust_policy, s->document))
			rc = iam_update_assume_role_policy(env->aws, s->role_name, s->document_before, err);
		else if (!trust_same(role.trust_policy, s->document_before))
			*note = "the trust policy changed since the apply: kept";
		aws_role_release(&role);
		return rc;
	case PLAN_STEP_ROLE_CREATE:
		if (iam_get_role(env->aws, s->role_name, &role, err) != 0) {
			aws_role_release(&role);
			if (err->kind != IRSA_ERR_NOT_FOUND)
				return -1;
			irsa_error_clear(err);
			*note = "already gone";
			return 0;
		}
		if (!trust_same(role.trust_policy, s->document)) {
			*note = "its trust policy changed since the apply: kept";
			aws_role_release(&role);
			return 0;
		}
		aws_role_release(&role);
		if (iam_list_attached_role_policies(env->aws, s->role_name, NULL, &att, err) != 0) {
			aws_attached_policy_list_release(&att);
			return -1;
		}
		if (att.n > 0) {
			snprintf(buf, bufsz, "policy %s is attached to it: kept", att.v[0].arn);
			*note = buf;
		}
		aws_attached_policy_list_release(&att);
		if (*note != NULL)
			return 0;
		if (iam_list_role_policies(env->aws, s->role_name, &inl, err) != 0) {
			aws_name_list_release(&inl);
			return -1;
		}
		if (inl.names.n > 0) {
			snprintf(buf, bufsz, "it has inline policy %s: kept", inl.names.v[0]);
			*note = buf;
		}
		aws_name_list_release(&inl);
		if (*note != NULL)
			return 0;
		return iam_delete_role(env->aws, s->role_name, err);
	case PLAN_STEP_OIDC_CLIENT_ID:
		return iam_remove_client_id_from_oidc_provider(env->aws, s->provider_arn, TRUST_AUDIENCE_STS, err);
	case PLAN_STEP_OIDC_PROVIDER:
		if (iam_list_roles(env->aws, NULL, 0, &roles, err) != 0) {
			aws_role_list_release(&roles);
			return -1;
		}
		for (size_t i = 0; i < roles.n && *note == NULL; i++)
			if (roles.v[i].trust_policy != NULL &&
			    strstr(roles.v[i].trust_policy, s->provider_arn) != NULL) {
				snprintf(buf, bufsz, "role %s trusts it: kept", roles.v[i].name);
				*note = buf;
			}
		aws_role_list_release(&roles);
		if (*note != NULL)
			return 0;
		rc = iam_delete_oidc_provider(env->aws, s->provider_arn, err);
		if (rc != 0 && err->kind == IRSA_ERR_NOT_FOUND) {
			irsa_error_clear(err);
			*note = "already gone";
			return 0;
		}
		return rc;
	case PLAN_STEP_N_KINDS:
		break;
	}
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown step kind %d", (int)s->kind);
}

int
plan_rollback(const struct plan_env *env, const char *journal_path, const struct plan_apply_options *o,
              struct plan_apply_result *res, struct irsa_error *err)
{
	struct plan p;
	struct run r = {env, &p, o, NULL, res};
	bool kept = false;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	res->failed = -1;
	plan_init(&p);
	if (refuse_read_only("rollback", err) != 0)
		return -1;
	if (journal_open(journal_path, &r.j, err) != 0)
		return -1;
	if ((res->journal_path = strdup(journal_path)) == NULL) {
		rc = irsa_error_oom(err);
		goto out;
	}
	if (plan_from_json(journal_plan(r.j), &p, err) != 0) {
		irsa_error_prefix(err, "%s", journal_path);
		rc = -1;
		goto out;
	}
	if (p.n != journal_steps(r.j)) {
		rc = irsa_error_set(err, IRSA_ERR_PARSE, "%s: %zu steps in the plan, %zu in the journal", journal_path,
		                    p.n, journal_steps(r.j));
		goto out;
	}
	if (journal_set_state(r.j, JOURNAL_STATE_ROLLING_BACK, time(NULL), err) != 0) {
		rc = -1;
		goto out;
	}
	for (size_t k = p.n; k-- > 0 && rc == 0;) {
		const struct journal_entry *e = journal_entry(r.j, k);
		const char *note;
		char buf[512], line[1024];

		if (e->status != JOURNAL_DONE && e->status != JOURNAL_STARTED)
			continue;
		if (cancelled(&r)) {
			rc = irsa_error_set(err, IRSA_ERR_CANCELLED, "rollback cancelled before step %zu (%s)", k + 1,
			                    p.steps[k].title);
			irsa_error_hint(err, "Run irsa rollback %s again to finish.", journal_path);
			break;
		}
		progress(&r, k, PLAN_EVENT_BEGIN, NULL, NULL);
		if (undo_step(&r, &p.steps[k], e, &note, buf, sizeof(buf), err) != 0) {
			irsa_error_format(err, line, sizeof(line));
			(void)journal_record(r.j, k, e->status, NULL, NULL, line, time(NULL), NULL);
			res->failed = (int)k;
			progress(&r, k, PLAN_EVENT_FAILED, NULL, err);
			irsa_error_prefix(err, "undoing step %zu (%s)", k + 1, p.steps[k].title);
			irsa_error_hint(err, "Fix the cause and run irsa rollback %s again.", journal_path);
			rc = -1;
			break;
		}
		if (note != NULL && strstr(note, "kept") != NULL) {
			kept = true;
			res->skipped++;
			(void)journal_record(r.j, k, e->status, NULL, NULL, note, time(NULL), NULL);
			progress(&r, k, PLAN_EVENT_SKIPPED, note, NULL);
			continue;
		}
		if (journal_record(r.j, k, JOURNAL_ROLLED_BACK, NULL, NULL, note != NULL ? note : "", time(NULL),
		                   err) != 0) {
			rc = -1;
			break;
		}
		res->done++;
		progress(&r, k, note != NULL ? PLAN_EVENT_SKIPPED : PLAN_EVENT_DONE, note, NULL);
	}
	(void)journal_set_state(r.j, rc == 0 && !kept ? JOURNAL_STATE_ROLLED_BACK : JOURNAL_STATE_ROLLBACK_FAILED,
	                        time(NULL), NULL);
out:
	journal_free(r.j);
	plan_release(&p);
	if (rc != 0)
		return -1;
	return kept ? 1 : 0;
}
