/* core/audit_run.c - running the audit (audit.h): the check groups over each
 * cluster of the input, the findings they add (ref, severity filter), the
 * checks that could not run, and the sorted result. Pure. */
#include "config.h"

#include "audit.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "editdist.h"

static int (*const groups[])(struct audit_ctx *) = {
        audit_checks_provider, audit_checks_trust,       audit_checks_annotations,
        audit_checks_orphans,  audit_checks_permissions, audit_checks_workloads,
};

static const char *const fix_actions[AUDIT_FIX_N_ACTIONS] = {
        [AUDIT_FIX_NONE] = "none",
        [AUDIT_FIX_CREATE_PROVIDER] = "create-provider",
        [AUDIT_FIX_ADD_CLIENT_ID] = "add-client-id",
        [AUDIT_FIX_REWRITE_TRUST] = "rewrite-trust",
        [AUDIT_FIX_ADMIT_SA] = "admit-sa",
        [AUDIT_FIX_REMOVE_STATEMENTS] = "remove-statements",
        [AUDIT_FIX_CREATE_ROLE] = "create-role",
        [AUDIT_FIX_ANNOTATE] = "annotate",
        [AUDIT_FIX_RESTART] = "restart",
};

const char *
audit_fix_action_name(enum audit_fix_action a)
{
	return (unsigned)a < AUDIT_FIX_N_ACTIONS ? fix_actions[a] : "none";
}

void
audit_result_init(struct audit_result *r)
{
	memset(r, 0, sizeof(*r));
}

static void
subject_release(struct audit_subject *s)
{
	free(s->cluster);
	free(s->region);
	free(s->ns);
	free(s->sa);
	free(s->role_arn);
	free(s->provider_arn);
	free(s->pod);
	free(s->workload);
	free(s->policy_arn);
}

static void
fix_release(struct audit_fix *f)
{
	free(f->summary);
	free(f->audience);
	aws_strings_release(&f->subjects);
	for (size_t i = 0; i < f->n_annotations; i++) {
		free(f->annotations[i].key);
		free(f->annotations[i].value);
	}
	free(f->annotations);
	aws_strings_release(&f->workloads);
}

void
audit_result_release(struct audit_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		subject_release(&r->v[i].subject);
		free(r->v[i].ref);
		free(r->v[i].message);
		json_object_put(r->v[i].evidence);
		fix_release(&r->v[i].fix);
	}
	free(r->v);
	for (size_t i = 0; i < r->n_not_run; i++) {
		free(r->not_run[i].cluster);
		free(r->not_run[i].reason);
	}
	free(r->not_run);
	audit_result_init(r);
}

static bool
oom(struct irsa_error *err)
{
	irsa_error_oom(err);
	return false;
}

int
audit_options_check(const struct audit_options *o, struct irsa_error *err)
{
	size_t n_cat, best_d;
	const struct audit_check *cat = audit_catalog(&n_cat);
	const char *best;

	for (size_t i = 0; o != NULL && o->checks != NULL && i < o->n_checks; i++) {
		if (audit_check_find(o->checks[i]) != NULL)
			continue;
		best = NULL;
		best_d = (size_t)-1;
		for (size_t j = 0; j < n_cat; j++) {
			size_t d = editdist(o->checks[i], cat[j].id, true);
			if (d < best_d) {
				best_d = d;
				best = cat[j].id;
			}
		}
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "--check: no check %s (ids run IRSA001 to %s%s%s)",
		               o->checks[i], cat[n_cat - 1].id, best != NULL && best_d <= 2 ? "; did you mean " : "",
		               best != NULL && best_d <= 2 ? best : "");
		irsa_error_hint(err, "Run irsa audit --list-checks to see them.");
		return -1;
	}
	return 0;
}

bool
audit_ctx_wants(const struct audit_ctx *ctx, const char *id)
{
	const struct audit_options *o = ctx->opt;

	if (o == NULL || o->checks == NULL || o->n_checks == 0)
		return true;
	for (size_t i = 0; i < o->n_checks; i++)
		if (strcasecmp(o->checks[i], id) == 0)
			return true;
	return false;
}

bool
audit_ctx_failed(const struct audit_ctx *ctx)
{
	return ctx->err->kind != IRSA_OK;
}

static char *
dup_or_null(const char *s, bool *ok)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*ok = false;
	return d;
}

static bool
subject_copy(struct audit_subject *d, const struct audit_subject *s)
{
	bool ok = true;

	d->cluster = dup_or_null(s->cluster, &ok);
	d->region = dup_or_null(s->region, &ok);
	d->ns = dup_or_null(s->ns, &ok);
	d->sa = dup_or_null(s->sa, &ok);
	d->role_arn = dup_or_null(s->role_arn, &ok);
	d->provider_arn = dup_or_null(s->provider_arn, &ok);
	d->pod = dup_or_null(s->pod, &ok);
	d->workload = dup_or_null(s->workload, &ok);
	d->policy_arn = dup_or_null(s->policy_arn, &ok);
	return ok;
}

/* The last '/'-separated part of an ARN's resource: a role's or policy's name. */
static const char *
arn_name(const char *arn)
{
	const char *slash = strrchr(arn, '/');

	return slash != NULL ? slash + 1 : arn;
}

char *
audit_finding_ref(const char *id, const struct audit_subject *s)
{
	struct buf b;
	const char *cluster = s->cluster != NULL ? s->cluster : "-";

	buf_init(&b, 4096);
	buf_printf(&b, "%s:%s:", id, cluster);
	if (s->pod != NULL)
		buf_printf(&b, "pod/%s", s->pod);
	else if (s->sa != NULL)
		buf_printf(&b, "sa/%s/%s", s->ns != NULL ? s->ns : "", s->sa);
	else if (s->workload != NULL)
		buf_printf(&b, "%s", s->workload);
	else if (s->role_arn != NULL && s->policy_arn != NULL)
		buf_printf(&b, "role/%s/policy/%s", arn_name(s->role_arn), arn_name(s->policy_arn));
	else if (s->role_arn != NULL)
		buf_printf(&b, "role/%s", arn_name(s->role_arn));
	else if (s->policy_arn != NULL)
		buf_printf(&b, "policy/%s", arn_name(s->policy_arn));
	else if (s->provider_arn != NULL)
		buf_printf(&b, "provider/%s",
		           trust_provider_issuer(s->provider_arn) != NULL ? trust_provider_issuer(s->provider_arn)
		                                                          : arn_name(s->provider_arn));
	else if (s->ns != NULL)
		buf_printf(&b, "ns/%s", s->ns);
	else
		buf_printf(&b, "cluster");
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

struct audit_finding *
audit_ctx_add(struct audit_ctx *ctx, const char *id, int sev, const struct audit_subject *subject,
              struct json_object *evidence, const char *fmt, ...)
{
	const struct audit_check *c = audit_check_find(id);
	struct audit_result *r = ctx->out;
	struct audit_finding *f;
	enum audit_severity s;
	struct buf msg;
	va_list ap;

	if (c == NULL) {
		json_object_put(evidence);
		irsa_error_set(ctx->err, IRSA_ERR_INTERNAL, "audit: no check %s in the catalog", id);
		return NULL;
	}
	s = sev >= 0 ? (enum audit_severity)sev : c->severity;
	if (ctx->opt != NULL && s > ctx->opt->min_severity) {
		json_object_put(evidence);
		return NULL;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap != 0 ? r->cap * 2 : 16;
		struct audit_finding *v = realloc(r->v, cap * sizeof(*v));
		if (v == NULL) {
			json_object_put(evidence);
			oom(ctx->err);
			return NULL;
		}
		r->v = v;
		r->cap = cap;
	}
	f = &r->v[r->n];
	memset(f, 0, sizeof(*f));
	f->check = c;
	f->severity = s;
	f->evidence = evidence != NULL ? evidence : json_object_new_object();
	buf_init(&msg, 16384);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	f->message = msg.failed ? NULL : buf_detach(&msg);
	if (msg.failed)
		buf_release(&msg);
	if (!subject_copy(&f->subject, subject) || f->message == NULL || f->evidence == NULL ||
	    (f->ref = audit_finding_ref(c->id, subject)) == NULL) {
		subject_release(&f->subject);
		free(f->message);
		json_object_put(f->evidence);
		oom(ctx->err);
		return NULL;
	}
	r->n++;
	return f;
}

int
audit_ctx_not_run(struct audit_ctx *ctx, const char *id, const char *reason)
{
	struct audit_result *r = ctx->out;
	struct audit_not_run *nr;
	const struct audit_check *c = audit_check_find(id);
	const char *cluster = ctx->cluster != NULL ? ctx->cluster->name : NULL;

	if (c == NULL) {
		irsa_error_set(ctx->err, IRSA_ERR_INTERNAL, "audit: no check %s in the catalog", id);
		return -1;
	}
	for (size_t i = 0; i < r->n_not_run; i++)
		if (r->not_run[i].check == c &&
		    ((cluster == NULL && r->not_run[i].cluster == NULL) ||
		     (cluster != NULL && r->not_run[i].cluster != NULL && strcmp(cluster, r->not_run[i].cluster) == 0)))
			return 0;
	if (r->n_not_run == r->cap_not_run) {
		size_t cap = r->cap_not_run != 0 ? r->cap_not_run * 2 : 8;
		struct audit_not_run *v = realloc(r->not_run, cap * sizeof(*v));
		if (v == NULL)
			return oom(ctx->err), -1;
		r->not_run = v;
		r->cap_not_run = cap;
	}
	nr = &r->not_run[r->n_not_run];
	nr->check = c;
	nr->cluster = cluster != NULL ? strdup(cluster) : NULL;
	nr->reason = strdup(reason);
	if ((cluster != NULL && nr->cluster == NULL) || nr->reason == NULL) {
		free(nr->cluster);
		free(nr->reason);
		return oom(ctx->err), -1;
	}
	r->n_not_run++;
	return 0;
}

int
audit_fix_set(struct audit_ctx *ctx, struct audit_finding *f, enum audit_fix_action action, const char *summary)
{
	char *s = strdup(summary != NULL ? summary : "");

	if (s == NULL)
		return oom(ctx->err), -1;
	free(f->fix.summary);
	f->fix.summary = s;
	f->fix.action = action;
	f->fix.confirm = f->check->confirm;
	return 0;
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct audit_finding *x = a, *y = b;
	int c;

	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if ((c = strcmp(x->check->id, y->check->id)) != 0)
		return c;
	return strcmp(x->ref, y->ref);
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

/* Two findings with one ref (a check that reached the same subject twice,
 * e.g. two statements): the first (most severe after sorting) is kept. */
static void
drop_duplicates(struct audit_result *r)
{
	size_t w = 0;

	for (size_t i = 0; i < r->n; i++) {
		bool dup = false;
		for (size_t j = 0; j < w && !dup; j++)
			dup = strcmp(r->v[j].ref, r->v[i].ref) == 0;
		if (dup) {
			subject_release(&r->v[i].subject);
			free(r->v[i].ref);
			free(r->v[i].message);
			json_object_put(r->v[i].evidence);
			fix_release(&r->v[i].fix);
			continue;
		}
		if (w != i)
			r->v[w] = r->v[i];
		w++;
	}
	r->n = w;
}

/* The checks that cannot run for the whole input: the catalog's planned
 * ones (with its reason), and, when the role list is missing or
 * incomplete, the checks that judge roles (groups B and E: a role not read
 * is a role not checked). */
static bool
has_not_run(const struct audit_result *r, const struct audit_check *c)
{
	for (size_t i = 0; i < r->n_not_run; i++)
		if (r->not_run[i].check == c)
			return true;
	return false;
}

static int
not_run_planned(struct audit_ctx *ctx)
{
	size_t n;
	const struct audit_check *cat = audit_catalog(&n);
	char why[1024];

	for (size_t i = 0; i < n; i++) {
		const struct audit_check *c = &cat[i];
		if (!audit_ctx_wants(ctx, c->id) || has_not_run(ctx->out, c))
			continue;
		if (c->status != AUDIT_CHECK_BUILT) {
			if (audit_ctx_not_run(ctx, c->id, c->reason != NULL ? c->reason : "not built yet") != 0)
				return -1;
		} else if (ctx->in->roles_error != NULL && (c->group == 'B' || c->group == 'E')) {
			snprintf(why, sizeof(why), "the role list is incomplete: %s", ctx->in->roles_error);
			if (audit_ctx_not_run(ctx, c->id, why) != 0)
				return -1;
		}
	}
	return 0;
}

/* How many checks run: built and selected. */
static size_t
checks_selected(const struct audit_ctx *ctx)
{
	size_t n, k = 0;
	const struct audit_check *cat = audit_catalog(&n);

	for (size_t i = 0; i < n; i++)
		if (cat[i].status == AUDIT_CHECK_BUILT && audit_ctx_wants(ctx, cat[i].id))
			k++;
	return k;
}

int
audit_run(struct audit_input *in, const struct audit_options *o, struct audit_result *out, struct irsa_error *err)
{
	struct irsa_error local;
	struct audit_ctx ctx = {.in = in, .opt = o, .out = out, .err = err != NULL ? err : &local};

	audit_result_init(out);
	irsa_error_clear(ctx.err);
	if (audit_options_check(o, ctx.err) != 0 || audit_input_index(in, ctx.err) != 0)
		return -1;
	for (size_t c = 0; c < in->n_clusters; c++) {
		ctx.cluster = &in->clusters[c];
		ctx.first = c == 0;
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
			if (groups[g](&ctx) != 0 || audit_ctx_failed(&ctx)) {
				audit_result_release(out);
				return -1;
			}
		}
		out->checks_run += checks_selected(&ctx);
	}
	if (in->n_clusters == 0) {
		/* The account-wide checks still run. */
		ctx.cluster = NULL;
		ctx.first = true;
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
			if (groups[g](&ctx) != 0 || audit_ctx_failed(&ctx)) {
				audit_result_release(out);
				return -1;
			}
	}
	ctx.cluster = NULL;
	if (not_run_planned(&ctx) != 0) {
		audit_result_release(out);
		return -1;
	}
	/* A (check, cluster) pair that did not run did not run. */
	for (size_t i = 0; i < out->n_not_run; i++) {
		size_t pairs = out->not_run[i].cluster != NULL ? 1 : in->n_clusters;
		if (out->not_run[i].check->status == AUDIT_CHECK_BUILT)
			out->checks_run -= pairs < out->checks_run ? pairs : out->checks_run;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), finding_cmp);
	drop_duplicates(out);
	if (out->n_not_run > 1)
		qsort(out->not_run, out->n_not_run, sizeof(*out->not_run), not_run_cmp);
	return 0;
}

const struct audit_finding *
audit_result_find(const struct audit_result *r, const char *ref)
{
	for (size_t i = 0; ref != NULL && i < r->n; i++)
		if (strcmp(r->v[i].ref, ref) == 0)
			return &r->v[i];
	return NULL;
}
