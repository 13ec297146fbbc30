/* core/audit_collect.c - the audit's collection (audit.h): one pass over
 * AWS and Kubernetes that reads what every check needs, with the fewest
 * requests.
 *
 *   1. Kubernetes, in a thread per target, at once with everything below:
 *      service accounts, pods, deployments, stateful sets and daemon sets
 *      listed once each, cluster-wide (kube_list: pages, 410 restarts).
 *   2. One parallel batch on the IAM client: GetCallerIdentity, the first
 *      ListRoles page (MaxItems 1000: trusts come with it, no GetRole),
 *      ListOpenIDConnectProviders, GetAccountSummary, DescribeCluster of
 *      the targets that share that client; then the other targets'
 *      DescribeCluster and the remaining ListRoles pages.
 *   3. GetOpenIDConnectProvider for the audited clusters' providers only
 *      (the others are listed by ARN), the issuers' live thumbprints
 *      (oidc.h), and with scan_regions the issuers of every cluster of the
 *      partition's regions (eks_scan_regions, IRSA004).
 *   4. The examined roles (named by an SA of an audited cluster, or whose
 *      trust names an audited cluster's provider): ListAttachedRolePolicies
 *      and ListRolePolicies of all of them in one parallel run, then
 *      GetRolePolicy of every inline policy, then GetPolicy and
 *      GetPolicyVersion(default) of every distinct customer managed policy
 *      (AWS managed ones are judged by name, never fetched).
 *
 * Parallel runs go through aws_client_call_many(), whose HTTP engine caps
 * the requests in flight. Requests are counted here, from each answer's
 * attempts (retries included) and each list's pages: the HTTP engine keeps
 * no counter. What cannot be read is recorded in the input, not returned.
 * No printing. */
#include "config.h"

#include "audit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws_endpoint.h"
#include "aws_sts_parse.h"
#include "eks.h"
#include "iam.h"
#include "kube.h"
#include "oidc.h"
#include "trust.h"

#define COLLECT_PAGE    1000 /* MaxItems of every IAM list: its maximum */
#define COLLECT_POLL_NS (10 * 1000 * 1000)

/* --- the state of one collection ------------------------------------------ */

/* Kubernetes lists of one target, read on a thread of its own. */
struct kube_job {
	struct kube_client *kube;
	pthread_t thread;
	bool started;
	volatile int done;
	pthread_mutex_t lock;
	struct json_object *items[5]; /* service accounts, pods, deployments, stateful sets, daemon sets */
	struct kube_list_stats stats[5];
	int rc;
	struct irsa_error err;
};

struct collect {
	const struct audit_target *t;
	size_t n;
	const struct audit_collect_options *o;
	struct audit_input *in;
	struct audit_collect_stats *st;
	struct aws_client *iam; /* IAM and STS are global: the first target's client */
	bool *examined;         /* per role */
	struct irsa_error *err; /* the collection's: out of memory, cancelled */
};

static void progress(struct collect *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
progress(struct collect *c, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (c->o == NULL || c->o->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->o->progress(c->o->arg, line);
}

static bool
cancelled(const struct collect *c)
{
	return c->o != NULL && c->o->cancel != NULL && *c->o->cancel != 0;
}

static int
cancel_error(struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_CANCELLED, "the audit's collection was cancelled");
}

/* "WHAT: the error", WHAT made from fmt. Returns a new string, or NULL
 * when out of memory. */
static char *error_line(const struct irsa_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
error_line(const struct irsa_error *e, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	char *out;
	int n;
	size_t len;

	irsa_error_format(e, msg, sizeof(msg));
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	len = (size_t)n + 2 + strlen(msg) + 1;
	if ((out = malloc(len)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n > 0)
		strcat(out, ": ");
	strcat(out, msg);
	return out;
}

/* Records "WHAT: the error" in read_errors. Returns 0, or -1 with c->err
 * set (out of memory). */
static int read_error(struct collect *c, const struct irsa_error *e, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int
read_error(struct collect *c, const struct irsa_error *e, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	char *line;
	int rc;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if ((line = error_line(e, "%s", what)) == NULL)
		return irsa_error_oom(c->err);
	rc = aws_strings_add(&c->in->read_errors, line);
	free(line);
	return rc == 0 ? 0 : irsa_error_oom(c->err);
}

/* read_error(), and the same line kept in *field (the first one wins). */
static int
read_error_into(struct collect *c, char **field, const struct irsa_error *e, const char *what)
{
	if (read_error(c, e, "%s", what) != 0)
		return -1;
	if (*field == NULL && (*field = strdup(c->in->read_errors.v[c->in->read_errors.n - 1])) == NULL)
		return irsa_error_oom(c->err);
	return 0;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- AWS calls, counted ------------------------------------------------------ */

/* One call of a parallel run: what to send, and what to do with its answer
 * (rc 0: resp holds a 2xx; else err says why). */
typedef int (*build_fn)(struct collect *c, void *arg, size_t k, struct aws_op *op, struct irsa_error *err);
typedef int (*done_fn)(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp,
                       const struct irsa_error *err);

/* Sends the n calls at once on cl (the HTTP engine caps those in flight),
 * counts their attempts and hands each answer to done, in item order.
 * Returns 0, or -1 with err set when done failed (out of memory) or the
 * run was cancelled. */
static int
call_many(struct collect *c, struct aws_client *cl, size_t n, build_fn build, done_fn done, void *arg,
          struct irsa_error *err)
{
	struct aws_call *calls;
	struct aws_op *ops;
	struct irsa_error *berr, run_err;
	int *built;
	size_t i, m = 0, *idx;
	int rc = 0, run_rc = 0;

	if (n == 0)
		return 0;
	calls = calloc(n, sizeof(*calls));
	ops = calloc(n, sizeof(*ops));
	berr = calloc(n, sizeof(*berr));
	built = calloc(n, sizeof(*built));
	idx = calloc(n, sizeof(*idx));
	if (calls == NULL || ops == NULL || berr == NULL || built == NULL || idx == NULL) {
		rc = irsa_error_oom(err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		irsa_error_clear(&berr[i]);
		if (build(c, arg, i, &ops[i], &berr[i]) == 0) {
			built[i] = 1;
			calls[m].op = &ops[i];
			idx[m++] = i;
		}
	}
	irsa_error_clear(&run_err);
	if (m > 0)
		run_rc = aws_client_call_many(cl, calls, m, &run_err);
	for (i = 0; i < m; i++) {
		struct aws_call *k = &calls[i];
		c->st->aws_requests += k->resp.attempts > 0 ? (size_t)k->resp.attempts : 0;
		/* A failed run (credentials, cancellation) may leave a call
		 * unfinished: only a 2xx answer counts as one then. */
		if (run_rc != 0 && k->rc == 0 && (k->resp.status < 200 || k->resp.status > 299)) {
			k->rc = -1;
			k->err = run_err;
		}
	}
	for (i = 0, m = 0; i < n && rc == 0; i++) {
		if (!built[i]) {
			rc = done(c, arg, i, -1, NULL, &berr[i]);
			continue;
		}
		rc = done(c, arg, i, calls[m].rc, &calls[m].resp, &calls[m].err);
		m++;
	}
	if (rc == 0 && run_rc != 0 && run_err.kind == IRSA_ERR_CANCELLED)
		rc = cancel_error(err);
out:
	if (calls != NULL)
		for (i = 0; i < n; i++) {
			http_response_release(&calls[i].resp);
			aws_op_release(&ops[i]);
		}
	free(calls);
	free(ops);
	free(berr);
	free(built);
	free(idx);
	return rc;
}

/* --- Kubernetes: a thread per target ----------------------------------------- */

static const enum kube_kind kube_kinds[5] = {KUBE_SERVICE_ACCOUNT, KUBE_POD, KUBE_DEPLOYMENT, KUBE_STATEFULSET,
                                             KUBE_DAEMONSET};

static void *
kube_worker(void *arg)
{
	struct kube_job *j = arg;
	struct kube_list_req reqs[5];

	memset(reqs, 0, sizeof(reqs));
	for (size_t i = 0; i < 5; i++)
		reqs[i].kind = kube_kinds[i];
	irsa_error_clear(&j->err);
	j->rc = kube_list(j->kube, reqs, 5, j->items, j->stats, &j->err);
	pthread_mutex_lock(&j->lock);
	j->done = 1;
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

static bool
kube_job_done(struct kube_job *j)
{
	bool d;

	pthread_mutex_lock(&j->lock);
	d = j->done != 0;
	pthread_mutex_unlock(&j->lock);
	return d;
}

/* Waits for every Kubernetes job, cancelling them when the caller cancels. */
static void
kube_join(struct collect *c, struct kube_job *jobs)
{
	struct timespec ts = {0, COLLECT_POLL_NS};
	bool stopped = false;

	for (size_t i = 0; i < c->n; i++) {
		if (!jobs[i].started)
			continue;
		while (!kube_job_done(&jobs[i])) {
			if (!stopped && cancelled(c)) {
				for (size_t k = 0; k < c->n; k++)
					if (jobs[k].started)
						kube_client_cancel(jobs[k].kube);
				stopped = true;
			}
			nanosleep(&ts, NULL);
		}
		pthread_join(jobs[i].thread, NULL);
		jobs[i].started = false;
		if (stopped)
			kube_client_clear_cancel(jobs[i].kube);
	}
}

/* Moves the items of one list into l, as kube objects. */
static int
take_objects(struct json_object *items, enum kube_kind kind, const struct kube_list_stats *ls,
             struct kube_object_list *l, struct irsa_error *err)
{
	size_t n = items != NULL ? json_object_array_length(items) : 0;
	struct kube_object *v;

	l->stats.pages += ls->pages;
	l->stats.restarts += ls->restarts;
	if (n == 0)
		return 0;
	v = realloc(l->v, (l->n + n) * sizeof(*v));
	if (v == NULL)
		return irsa_error_oom(err);
	l->v = v;
	for (size_t i = 0; i < n; i++) {
		if (kube_object_from_json(json_object_array_get_idx(items, i), kind, &l->v[l->n], err) != 0)
			return -1;
		l->n++;
	}
	return 0;
}

static int
kube_take(struct collect *c, struct kube_job *j, struct audit_cluster *cl, struct irsa_error *err)
{
	int rc = 0;

	for (size_t i = 0; i < 5; i++)
		c->st->kube_requests += j->stats[i].pages > 0 ? (size_t)j->stats[i].pages : 0;
	if (j->rc != 0) {
		/* The pages of a failed list are not in stats: at least the
		 * request that failed went out. */
		c->st->kube_requests++;
		cl->kube_error =
		        error_line(&j->err, "listing the service accounts, pods and workloads of %s", cl->name);
		return cl->kube_error != NULL ? 0 : irsa_error_oom(err);
	}
	rc = take_objects(j->items[0], KUBE_SERVICE_ACCOUNT, &j->stats[0], &cl->sas, err);
	if (rc == 0)
		rc = take_objects(j->items[1], KUBE_POD, &j->stats[1], &cl->pods, err);
	for (size_t i = 2; i < 5 && rc == 0; i++)
		rc = take_objects(j->items[i], kube_kinds[i], &j->stats[i], &cl->workloads, err);
	if (rc == 0)
		cl->kube_known = true;
	return rc;
}

/* --- batch 1: identity, roles, providers, quotas, clusters ------------------- */

enum first_call { FIRST_STS, FIRST_ROLES, FIRST_PROVIDERS, FIRST_SUMMARY, FIRST_N };

struct first {
	struct aws_role_list roles; /* the first ListRoles page */
	char *marker;               /* the next page's, or NULL */
	bool roles_ok;
	struct aws_strings provider_arns;
	bool providers_ok;
	size_t *describe; /* target index of each DescribeCluster of the batch */
	size_t n_describe;
};

static int
first_build(struct collect *c, void *arg, size_t k, struct aws_op *op, struct irsa_error *err)
{
	struct first *f = arg;

	switch (k) {
	case FIRST_STS:
		return aws_sts_op_get_caller_identity(op, err);
	case FIRST_ROLES:
		return aws_iam_op_list_roles(op, NULL, NULL, COLLECT_PAGE, err);
	case FIRST_PROVIDERS:
		return aws_iam_op_list_oidc_providers(op, err);
	case FIRST_SUMMARY:
		return aws_iam_op_get_account_summary(op, err);
	default:
		return aws_eks_op_describe_cluster(op, c->t[f->describe[k - FIRST_N]].cluster, err);
	}
}

static int
cluster_take(struct collect *c, size_t ti, int rc, const struct http_response *resp, const struct irsa_error *e,
             struct irsa_error *err)
{
	struct audit_cluster *cl = &c->in->clusters[ti];
	struct aws_eks_cluster k;
	struct irsa_error pe = *e;

	if (rc == 0) {
		rc = aws_eks_parse_describe_cluster(&resp->body, &k, &pe);
		if (rc == 0) {
			if (k.arn != NULL && (cl->arn = strdup(k.arn)) == NULL)
				rc = irsa_error_oom(&pe);
			if (rc == 0 && k.oidc_issuer != NULL && (cl->issuer = strdup(k.oidc_issuer)) == NULL)
				rc = irsa_error_oom(&pe);
			if (rc == 0 && cl->arn != NULL && cl->issuer != NULL)
				cl->provider_arn = iam_cluster_provider_arn(cl->arn, cl->issuer);
		}
		aws_eks_cluster_release(&k);
		if (rc == 0)
			return 0;
		if (pe.kind == IRSA_ERR_INTERNAL)
			return irsa_error_oom(err);
	}
	(void)err;
	return read_error(c, &pe, "DescribeCluster %s (%s)", cl->name, cl->region);
}

static int
first_done(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp, const struct irsa_error *e,
           struct irsa_error *err)
{
	struct first *f = arg;
	struct irsa_error pe = *e;

	switch (k) {
	case FIRST_STS: {
		struct aws_caller_identity id;
		const char *colon;

		if (rc != 0) {
			if (err != NULL) {
				*err = pe;
				irsa_error_prefix(err, "GetCallerIdentity");
			}
			return -1;
		}
		rc = aws_sts_parse_get_caller_identity(&resp->body, &id, err);
		if (rc == 0 && (c->in->account = strdup(id.account != NULL ? id.account : "")) == NULL)
			rc = irsa_error_oom(err);
		/* "arn:aws:sts::...": the partition of the credentials. */
		if (rc == 0 && id.arn != NULL && strncmp(id.arn, "arn:", 4) == 0 &&
		    (colon = strchr(id.arn + 4, ':')) != NULL)
			c->in->arn_prefix = strndup(id.arn, (size_t)(colon - id.arn) + 1);
		aws_caller_identity_release(&id);
		return rc;
	}
	case FIRST_ROLES:
		if (rc == 0 && aws_iam_parse_list_roles(&resp->body, &f->roles, &pe) == 0) {
			f->roles_ok = true;
			f->marker = f->roles.truncated ? f->roles.marker : NULL;
			return 0;
		}
		return read_error_into(c, &c->in->roles_error, &pe, "ListRoles");
	case FIRST_PROVIDERS:
		if (rc == 0 && aws_iam_parse_list_oidc_providers(&resp->body, &f->provider_arns, &pe) == 0) {
			f->providers_ok = true;
			return 0;
		}
		return read_error_into(c, &c->in->providers_error, &pe, "ListOpenIDConnectProviders");
	case FIRST_SUMMARY: {
		struct aws_account_summary s;

		memset(&s, 0, sizeof(s));
		if (rc == 0 && aws_iam_parse_get_account_summary(&resp->body, &s, &pe) == 0) {
			aws_account_summary_get(&s, "AssumeRolePolicySizeQuota", &c->in->trust_quota);
			aws_account_summary_get(&s, "AttachedPoliciesPerRoleQuota", &c->in->attached_quota);
			aws_account_summary_release(&s);
			return 0;
		}
		aws_account_summary_release(&s);
		return read_error(c, &pe, "GetAccountSummary (quotas unknown: the defaults apply)");
	}
	default:
		return cluster_take(c, f->describe[k - FIRST_N], rc, resp, &pe, err);
	}
}

/* first_done with the signature of done_fn, whose errors go to c->err. */
static int
first_done_fn(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp,
              const struct irsa_error *e)
{
	return first_done(c, arg, k, rc, resp, e, c->err);
}

/* Appends the roles of a page to the input (moved). */
static int
roles_take(struct audit_input *in, struct aws_role_list *page, struct irsa_error *err)
{
	struct aws_role *v;

	if (page->n == 0)
		return 0;
	v = realloc(in->roles, (in->n_roles + page->n) * sizeof(*v));
	if (v == NULL)
		return irsa_error_oom(err);
	in->roles = v;
	memcpy(&in->roles[in->n_roles], page->v, page->n * sizeof(*v));
	in->n_roles += page->n;
	free(page->v);
	page->v = NULL;
	page->n = 0;
	return 0;
}

/* The ListRoles pages after the first, one after the other (each needs the
 * last one's marker). */
static int
roles_rest(struct collect *c, char *marker, struct irsa_error *err)
{
	char *next = marker != NULL ? strdup(marker) : NULL;
	int page = 1, rc = 0;

	while (next != NULL && rc == 0) {
		struct aws_op op;
		struct http_response resp;
		struct aws_role_list l;
		struct irsa_error e;

		if (cancelled(c)) {
			rc = cancel_error(err);
			break;
		}
		progress(c, "Listing roles (page %d, %zu roles so far)", ++page, c->in->n_roles);
		memset(&l, 0, sizeof(l));
		if (aws_iam_op_list_roles(&op, NULL, next, COLLECT_PAGE, &e) != 0) {
			rc = read_error_into(c, &c->in->roles_error, &e, "ListRoles");
			break;
		}
		free(next);
		next = NULL;
		if (aws_client_call(c->iam, &op, &resp, &e) == 0 && aws_iam_parse_list_roles(&resp.body, &l, &e) == 0) {
			rc = roles_take(c->in, &l, err);
			if (rc == 0 && l.truncated && l.marker != NULL && (next = strdup(l.marker)) == NULL)
				rc = irsa_error_oom(err);
		} else if (e.kind == IRSA_ERR_CANCELLED) {
			rc = cancel_error(err);
		} else {
			rc = read_error_into(c, &c->in->roles_error, &e,
			                     "ListRoles (a later page: the role list is incomplete)");
		}
		c->st->aws_requests += resp.attempts > 0 ? (size_t)resp.attempts : 0;
		http_response_release(&resp);
		aws_op_release(&op);
		aws_role_list_release(&l);
	}
	free(next);
	return rc;
}

/* --- providers --------------------------------------------------------------- */

struct providers {
	size_t *which; /* indexes into in->providers to describe */
	size_t n;
};

static int
provider_build(struct collect *c, void *arg, size_t k, struct aws_op *op, struct irsa_error *err)
{
	struct providers *p = arg;

	return aws_iam_op_get_oidc_provider(op, c->in->providers[p->which[k]].arn, err);
}

static int
strings_copy(struct aws_strings *dst, const struct aws_strings *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (aws_strings_add(dst, src->v[i]) != 0)
			return -1;
	return 0;
}

static int
provider_done(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp,
              const struct irsa_error *e)
{
	struct providers *p = arg;
	struct audit_provider *ap = &c->in->providers[p->which[k]];
	struct aws_oidc_provider o;
	struct irsa_error pe = *e;

	if (rc == 0) {
		rc = aws_iam_parse_get_oidc_provider(&resp->body, &o, &pe);
		if (rc == 0) {
			ap->detail_known = true;
			if ((o.url != NULL && (ap->url = strdup(o.url)) == NULL) ||
			    strings_copy(&ap->client_ids, &o.client_ids) != 0 ||
			    strings_copy(&ap->thumbprints, &o.thumbprints) != 0) {
				aws_oidc_provider_release(&o);
				return irsa_error_oom(c->err);
			}
		}
		aws_oidc_provider_release(&o);
		if (rc == 0)
			return 0;
	}
	return read_error(c, &pe, "GetOpenIDConnectProvider %s", ap->arn);
}

static bool
is_audited_provider(const struct collect *c, const char *arn)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->in->clusters[i].provider_arn != NULL && strcmp(c->in->clusters[i].provider_arn, arn) == 0)
			return true;
	return false;
}

static int
providers_read(struct collect *c, const struct aws_strings *arns, struct irsa_error *err)
{
	struct providers p = {NULL, 0};
	int rc;

	if (arns->n == 0)
		return 0;
	c->in->providers = calloc(arns->n, sizeof(*c->in->providers));
	p.which = calloc(arns->n, sizeof(*p.which));
	if (c->in->providers == NULL || p.which == NULL) {
		free(p.which);
		return irsa_error_oom(err);
	}
	for (size_t i = 0; i < arns->n; i++) {
		if ((c->in->providers[i].arn = strdup(arns->v[i])) == NULL) {
			free(p.which);
			return irsa_error_oom(err);
		}
		c->in->n_providers++;
		if (is_audited_provider(c, arns->v[i]))
			p.which[p.n++] = i;
	}
	progress(c, "Reading %zu OIDC provider(s) of %zu", p.n, arns->n);
	rc = call_many(c, c->iam, p.n, provider_build, provider_done, &p, err);
	free(p.which);
	return rc;
}

/* The issuers' live thumbprints, for the clusters whose provider exists. */
static int
thumbprints_read(struct collect *c, struct irsa_error *err)
{
	struct oidc_options oo;

	memset(&oo, 0, sizeof(oo));
	if (c->o != NULL && c->o->oidc != NULL)
		oo = *c->o->oidc;
	if (oo.cancel == NULL && c->o != NULL)
		oo.cancel = c->o->cancel;
	for (size_t i = 0; i < c->n; i++) {
		struct audit_cluster *cl = &c->in->clusters[i];
		struct oidc_discovery d;
		struct irsa_error e;

		if (cl->issuer == NULL || cl->provider_arn == NULL ||
		    audit_input_provider(c->in, cl->provider_arn) == NULL)
			continue;
		if (cancelled(c))
			return cancel_error(err);
		progress(c, "Reading the thumbprint of %s's issuer", cl->name);
		if (oidc_discover(cl->issuer, &oo, &d, &e) == 0) {
			cl->thumbprint = strdup(d.thumbprint != NULL ? d.thumbprint : "");
			if (cl->thumbprint == NULL) {
				oidc_discovery_release(&d);
				return irsa_error_oom(err);
			}
		} else if (e.kind == IRSA_ERR_CANCELLED) {
			return cancel_error(err);
		} else if ((cl->thumbprint_error = error_line(&e, "%s", "")) == NULL) {
			return irsa_error_oom(err);
		}
		oidc_discovery_release(&d);
	}
	return 0;
}

/* IRSA004: the issuers of every cluster in the partition's regions. Known
 * only when every region answered. */
static int
live_issuers_read(struct collect *c, struct irsa_error *err)
{
	const char *region = aws_client_region(c->iam);
	const char *const *names;
	struct eks_region *regions;
	size_t n, failed;
	int rc = 0;

	names = eks_standard_regions(aws_partition_of_region(region), &n);
	if (n == 0)
		return 0;
	regions = calloc(n, sizeof(*regions));
	if (regions == NULL)
		return irsa_error_oom(err);
	for (size_t i = 0; i < n; i++)
		regions[i].region = names[i];
	progress(c, "Listing the EKS clusters of %zu regions", n);
	failed = eks_scan_regions(c->iam, regions, n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		/* Counted as the scan sends them when every list fits a page:
		 * ListClusters once and DescribeCluster per cluster. */
		c->st->aws_requests += 1 + regions[i].n;
		if (regions[i].rc != 0) {
			rc = read_error(c, &regions[i].err,
			                "listing the EKS clusters of %s (stale providers not judged)",
			                regions[i].region);
			continue;
		}
		for (size_t k = 0; k < regions[i].n && rc == 0; k++)
			if (regions[i].clusters[k].oidc_issuer != NULL &&
			    aws_strings_add(&c->in->live_issuers, regions[i].clusters[k].oidc_issuer) != 0)
				rc = irsa_error_oom(err);
	}
	if (rc == 0)
		c->in->live_issuers_known = failed == 0;
	for (size_t i = 0; i < n; i++)
		eks_region_release(&regions[i]);
	free(regions);
	return rc;
}

/* --- the examined roles --------------------------------------------------- */

static void
examine_arn(struct collect *c, const char *arn)
{
	size_t i;

	if (arn != NULL && audit_input_role(c->in, arn, &i) != NULL)
		c->examined[i] = true;
}

/* Marks the roles an SA of an audited cluster names (with the right key or
 * a typo'd one) and those whose trust names an audited cluster's provider. */
static size_t
examined_mark(struct collect *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->in->n_clusters; i++) {
		const struct audit_cluster *cl = &c->in->clusters[i];

		for (size_t k = 0; k < cl->sas.n; k++) {
			const char *typo = binding_typo_key(&cl->sas.v[k]);

			examine_arn(c, binding_role_arn(&cl->sas.v[k]));
			if (typo != NULL)
				examine_arn(c, kube_object_annotation(&cl->sas.v[k], typo));
		}
		if (cl->provider_arn == NULL)
			continue;
		for (size_t r = 0; r < c->in->index.n; r++)
			if (trust_allows_principal(c->in->index.v[r].trust, "Federated", cl->provider_arn))
				c->examined[c->in->index.v[r].role - c->in->roles] = true;
	}
	for (size_t i = 0; i < c->in->n_roles; i++)
		n += c->examined[i];
	return n;
}

/* ListAttachedRolePolicies and ListRolePolicies of every examined role,
 * all at once; a truncated answer (more than 1000 items: not in IAM's
 * quotas, but possible) sends its next page in another round. */
struct lists {
	size_t *role;  /* per call: the role index */
	bool *inline_; /* per call: ListRolePolicies, else ListAttachedRolePolicies */
	char **marker; /* per call: the page's marker, or NULL */
	size_t n;
	/* the next round */
	size_t *next_role;
	bool *next_inline;
	char **next_marker;
	size_t n_next;
};

static int
lists_build(struct collect *c, void *arg, size_t k, struct aws_op *op, struct irsa_error *err)
{
	struct lists *l = arg;
	const char *name = c->in->roles[l->role[k]].name;

	if (l->inline_[k])
		return aws_iam_op_list_role_policies(op, name, l->marker[k], COLLECT_PAGE, err);
	return aws_iam_op_list_attached_role_policies(op, name, NULL, l->marker[k], COLLECT_PAGE, err);
}

static int
role_failed(struct audit_role_policies *p, const char *op, const char *role, const struct irsa_error *e)
{
	p->known = false;
	if (p->error != NULL)
		return 0;
	return (p->error = error_line(e, "%s %s", op, role)) != NULL ? 0 : -1;
}

static int
lists_next(struct lists *l, size_t role, bool inl, const char *marker)
{
	if ((l->next_marker[l->n_next] = strdup(marker)) == NULL)
		return -1;
	l->next_role[l->n_next] = role;
	l->next_inline[l->n_next] = inl;
	l->n_next++;
	return 0;
}

static int
lists_done(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp, const struct irsa_error *e)
{
	struct lists *l = arg;
	size_t r = l->role[k];
	struct audit_role_policies *p = &c->in->role_policies[r];
	const char *name = c->in->roles[r].name;
	struct irsa_error pe = *e;
	int oom = 0;

	if (l->inline_[k]) {
		struct aws_name_list nl;

		memset(&nl, 0, sizeof(nl));
		if (rc == 0 && (rc = aws_iam_parse_list_role_policies(&resp->body, &nl, &pe)) == 0) {
			for (size_t i = 0; i < nl.names.n && !oom; i++)
				oom = aws_strings_add(&p->inline_name, nl.names.v[i]) != 0;
			if (!oom && nl.truncated && nl.marker != NULL)
				oom = lists_next(l, r, true, nl.marker) != 0;
		}
		aws_name_list_release(&nl);
		if (rc != 0)
			oom = role_failed(p, "ListRolePolicies", name, &pe) != 0;
	} else {
		struct aws_attached_policy_list al;

		memset(&al, 0, sizeof(al));
		if (rc == 0 && (rc = aws_iam_parse_list_attached_role_policies(&resp->body, &al, &pe)) == 0) {
			for (size_t i = 0; i < al.n && !oom; i++)
				oom = aws_strings_add(&p->attached, al.v[i].arn) != 0;
			if (!oom && al.truncated && al.marker != NULL)
				oom = lists_next(l, r, false, al.marker) != 0;
		}
		aws_attached_policy_list_release(&al);
		if (rc != 0)
			oom = role_failed(p, "ListAttachedRolePolicies", name, &pe) != 0;
	}
	return oom ? irsa_error_oom(c->err) : 0;
}

static void
markers_free(char **m, size_t n)
{
	for (size_t i = 0; m != NULL && i < n; i++) {
		free(m[i]);
		m[i] = NULL;
	}
}

static int
role_lists_read(struct collect *c, size_t n_examined, struct irsa_error *err)
{
	struct lists l;
	size_t cap = 2 * n_examined, round = 0;
	int rc = 0;

	memset(&l, 0, sizeof(l));
	l.role = calloc(cap + 1, sizeof(*l.role));
	l.inline_ = calloc(cap + 1, sizeof(*l.inline_));
	l.marker = calloc(cap + 1, sizeof(*l.marker));
	l.next_role = calloc(cap + 1, sizeof(*l.next_role));
	l.next_inline = calloc(cap + 1, sizeof(*l.next_inline));
	l.next_marker = calloc(cap + 1, sizeof(*l.next_marker));
	if (l.role == NULL || l.inline_ == NULL || l.marker == NULL || l.next_role == NULL || l.next_inline == NULL ||
	    l.next_marker == NULL) {
		rc = irsa_error_oom(err);
		goto out;
	}
	for (size_t i = 0; i < c->in->n_roles; i++) {
		if (!c->examined[i])
			continue;
		c->in->role_policies[i].known = true; /* until a call fails */
		l.role[l.n] = i;
		l.inline_[l.n++] = false;
		l.role[l.n] = i;
		l.inline_[l.n++] = true;
	}
	while (l.n > 0 && rc == 0) {
		if (cancelled(c)) {
			rc = cancel_error(err);
			break;
		}
		progress(c, round == 0 ? "Reading the policies of %zu roles" : "Reading more policies of %zu roles",
		         round == 0 ? n_examined : l.n);
		l.n_next = 0;
		rc = call_many(c, c->iam, l.n, lists_build, lists_done, &l, err);
		markers_free(l.marker, l.n);
		memcpy(l.role, l.next_role, l.n_next * sizeof(*l.role));
		memcpy(l.inline_, l.next_inline, l.n_next * sizeof(*l.inline_));
		memcpy(l.marker, l.next_marker, l.n_next * sizeof(*l.marker));
		memset(l.next_marker, 0, l.n_next * sizeof(*l.next_marker));
		l.n = l.n_next;
		round++;
	}
out:
	markers_free(l.marker, l.n);
	free(l.role);
	free(l.inline_);
	free(l.marker);
	free(l.next_role);
	free(l.next_inline);
	free(l.next_marker);
	return rc;
}

/* GetRolePolicy of every inline policy of the examined roles. */
struct inlines {
	size_t *role;
	size_t *policy;
	size_t n;
};

static int
inline_build(struct collect *c, void *arg, size_t k, struct aws_op *op, struct irsa_error *err)
{
	struct inlines *x = arg;
	size_t r = x->role[k];

	return aws_iam_op_get_role_policy(op, c->in->roles[r].name, c->in->role_policies[r].inline_name.v[x->policy[k]],
	                                  err);
}

static int
inline_done(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp,
            const struct irsa_error *e)
{
	struct inlines *x = arg;
	size_t r = x->role[k];
	struct audit_role_policies *p = &c->in->role_policies[r];
	struct aws_role_policy rp;
	struct irsa_error pe = *e;

	memset(&rp, 0, sizeof(rp));
	if (rc == 0 && (rc = aws_iam_parse_get_role_policy(&resp->body, &rp, &pe)) == 0) {
		p->inline_doc[x->policy[k]] = rp.document;
		rp.document = NULL;
	}
	aws_role_policy_release(&rp);
	/* The other policies of the role stay known; this one's document
	 * stays NULL, and the error says why. */
	if (rc != 0 && p->error == NULL &&
	    (p->error = error_line(&pe, "GetRolePolicy %s/%s", c->in->roles[r].name, p->inline_name.v[x->policy[k]])) ==
	            NULL)
		return irsa_error_oom(c->err);
	return 0;
}

static int
inline_read(struct collect *c, struct irsa_error *err)
{
	struct inlines x = {NULL, NULL, 0};
	size_t total = 0;
	int rc;

	for (size_t i = 0; i < c->in->n_roles; i++) {
		struct audit_role_policies *p = &c->in->role_policies[i];

		if (!p->known || p->inline_name.n == 0)
			continue;
		if ((p->inline_doc = calloc(p->inline_name.n, sizeof(*p->inline_doc))) == NULL)
			return irsa_error_oom(err);
		total += p->inline_name.n;
	}
	if (total == 0)
		return 0;
	x.role = calloc(total, sizeof(*x.role));
	x.policy = calloc(total, sizeof(*x.policy));
	if (x.role == NULL || x.policy == NULL) {
		free(x.role);
		free(x.policy);
		return irsa_error_oom(err);
	}
	for (size_t i = 0; i < c->in->n_roles; i++)
		for (size_t k = 0; c->in->role_policies[i].known && k < c->in->role_policies[i].inline_name.n; k++) {
			x.role[x.n] = i;
			x.policy[x.n++] = k;
		}
	progress(c, "Reading %zu inline policies", x.n);
	rc = call_many(c, c->iam, x.n, inline_build, inline_done, &x, err);
	free(x.role);
	free(x.policy);
	return rc;
}

/* Customer managed policies: GetPolicy (its default version), then
 * GetPolicyVersion, each distinct policy once. */
static bool
aws_managed(const char *arn)
{
	const char *p = strstr(arn, ":iam::aws:policy/");

	return strncmp(arn, "arn:", 4) == 0 && p != NULL;
}

static int
policy_build(struct collect *c, void *arg, size_t k, struct aws_op *op, struct irsa_error *err)
{
	(void)arg;
	return aws_iam_op_get_policy(op, c->in->policies[k].arn, err);
}

static int
policy_fail(struct collect *c, struct audit_policy *p, const char *op, const struct irsa_error *e)
{
	if (p->error != NULL)
		return 0;
	return (p->error = error_line(e, "%s %s", op, p->arn)) != NULL ? 0 : irsa_error_oom(c->err);
}

static int
policy_done(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp,
            const struct irsa_error *e)
{
	struct audit_policy *p = &c->in->policies[k];
	struct aws_policy ap;
	struct irsa_error pe = *e;

	(void)arg;
	memset(&ap, 0, sizeof(ap));
	if (rc == 0 && (rc = aws_iam_parse_get_policy(&resp->body, &ap, &pe)) == 0) {
		if ((ap.name != NULL && (p->name = strdup(ap.name)) == NULL) ||
		    (ap.default_version_id != NULL && (p->default_version = strdup(ap.default_version_id)) == NULL)) {
			aws_policy_release(&ap);
			return irsa_error_oom(c->err);
		}
	}
	aws_policy_release(&ap);
	return rc == 0 ? 0 : policy_fail(c, p, "GetPolicy", &pe);
}

static int
version_build(struct collect *c, void *arg, size_t k, struct aws_op *op, struct irsa_error *err)
{
	size_t *which = arg;
	const struct audit_policy *p = &c->in->policies[which[k]];

	return aws_iam_op_get_policy_version(op, p->arn, p->default_version, err);
}

static int
version_done(struct collect *c, void *arg, size_t k, int rc, const struct http_response *resp,
             const struct irsa_error *e)
{
	size_t *which = arg;
	struct audit_policy *p = &c->in->policies[which[k]];
	struct aws_policy_version v;
	struct irsa_error pe = *e;

	memset(&v, 0, sizeof(v));
	if (rc == 0 && (rc = aws_iam_parse_get_policy_version(&resp->body, &v, &pe)) == 0) {
		p->document = v.document;
		v.document = NULL;
	}
	aws_policy_version_release(&v);
	return rc == 0 ? 0 : policy_fail(c, p, "GetPolicyVersion", &pe);
}

static int
policies_read(struct collect *c, struct irsa_error *err)
{
	size_t total = 0, *which;
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < c->in->n_roles; i++)
		total += c->in->role_policies[i].attached.n;
	if (total == 0)
		return 0;
	if ((c->in->policies = calloc(total, sizeof(*c->in->policies))) == NULL)
		return irsa_error_oom(err);
	for (size_t i = 0; i < c->in->n_roles; i++) {
		const struct aws_strings *a = &c->in->role_policies[i].attached;

		for (size_t k = 0; k < a->n; k++) {
			if (aws_managed(a->v[k]) || audit_input_policy(c->in, a->v[k]) != NULL)
				continue;
			if ((c->in->policies[c->in->n_policies].arn = strdup(a->v[k])) == NULL)
				return irsa_error_oom(err);
			c->in->n_policies++;
		}
	}
	if (c->in->n_policies == 0)
		return 0;
	if (cancelled(c))
		return cancel_error(err);
	progress(c, "Reading %zu customer managed policies", c->in->n_policies);
	rc = call_many(c, c->iam, c->in->n_policies, policy_build, policy_done, NULL, err);
	if (rc != 0)
		return rc;
	if ((which = calloc(c->in->n_policies, sizeof(*which))) == NULL)
		return irsa_error_oom(err);
	for (size_t i = 0; i < c->in->n_policies; i++)
		if (c->in->policies[i].default_version != NULL)
			which[n++] = i;
	rc = call_many(c, c->iam, n, version_build, version_done, which, err);
	free(which);
	return rc;
}

/* --- the whole pass ---------------------------------------------------------- */

static int
clusters_init(struct collect *c, struct irsa_error *err)
{
	c->in->clusters = calloc(c->n, sizeof(*c->in->clusters));
	if (c->in->clusters == NULL)
		return irsa_error_oom(err);
	c->in->n_clusters = c->n;
	for (size_t i = 0; i < c->n; i++) {
		struct audit_cluster *cl = &c->in->clusters[i];

		if ((cl->name = strdup(c->t[i].cluster)) == NULL || (cl->region = strdup(c->t[i].region)) == NULL ||
		    (c->t[i].context != NULL && (cl->context = strdup(c->t[i].context)) == NULL))
			return irsa_error_oom(err);
		if (c->t[i].kube == NULL &&
		    (cl->kube_error =
		             strdup(c->t[i].kube_error != NULL ? c->t[i].kube_error
		                                               : "the cluster's API server was not reached")) == NULL)
			return irsa_error_oom(err);
	}
	return 0;
}

static int
first_batch(struct collect *c, struct first *f, struct irsa_error *err)
{
	int rc;

	f->describe = calloc(c->n, sizeof(*f->describe));
	if (f->describe == NULL)
		return irsa_error_oom(err);
	for (size_t i = 0; i < c->n; i++)
		if (c->t[i].aws == c->iam)
			f->describe[f->n_describe++] = i;
	progress(c, "Reading the identity, roles, OIDC providers and clusters");
	rc = call_many(c, c->iam, FIRST_N + f->n_describe, first_build, first_done_fn, f, err);
	if (rc != 0)
		return rc;
	/* Targets on clients of their own (other regions). */
	for (size_t i = 0; i < c->n; i++) {
		struct aws_op op;
		struct http_response resp;
		struct irsa_error e;
		int crc;

		if (c->t[i].aws == c->iam)
			continue;
		if (cancelled(c))
			return cancel_error(err);
		if (aws_eks_op_describe_cluster(&op, c->t[i].cluster, &e) != 0) {
			if (cluster_take(c, i, -1, NULL, &e, err) != 0)
				return -1;
			continue;
		}
		crc = aws_client_call(c->t[i].aws, &op, &resp, &e);
		c->st->aws_requests += resp.attempts > 0 ? (size_t)resp.attempts : 0;
		rc = cluster_take(c, i, crc, &resp, &e, err);
		http_response_release(&resp);
		aws_op_release(&op);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
collect_run(struct collect *c, struct kube_job *jobs, struct irsa_error *err)
{
	struct first f;
	size_t n_examined;
	int rc;

	memset(&f, 0, sizeof(f));
	if ((rc = clusters_init(c, err)) != 0)
		return rc;
	for (size_t i = 0; i < c->n; i++) {
		if (c->t[i].kube == NULL)
			continue;
		jobs[i].kube = c->t[i].kube;
		progress(c, "Listing the service accounts, pods and workloads of %s", c->t[i].cluster);
		if (pthread_create(&jobs[i].thread, NULL, kube_worker, &jobs[i]) != 0)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "cannot start a thread to read %s",
			                      c->t[i].cluster);
		jobs[i].started = true;
	}

	rc = first_batch(c, &f, err);
	if (rc == 0 && f.roles_ok) {
		rc = roles_take(c->in, &f.roles, err);
		if (rc == 0)
			rc = roles_rest(c, f.marker, err);
	}
	if (rc == 0 && c->in->arn_prefix == NULL &&
	    (c->in->arn_prefix = strdup(aws_arn_prefix(aws_client_region(c->iam)))) == NULL)
		rc = irsa_error_oom(err);
	if (rc == 0 && f.providers_ok)
		rc = providers_read(c, &f.provider_arns, err);
	if (rc == 0)
		rc = thumbprints_read(c, err);
	if (rc == 0 && c->o != NULL && c->o->scan_regions)
		rc = live_issuers_read(c, err);
	aws_role_list_release(&f.roles);
	aws_strings_release(&f.provider_arns);
	free(f.describe);

	kube_join(c, jobs);
	for (size_t i = 0; i < c->n && rc == 0; i++)
		if (c->t[i].kube != NULL)
			rc = kube_take(c, &jobs[i], &c->in->clusters[i], err);
	if (rc == 0 && cancelled(c))
		rc = cancel_error(err);
	if (rc != 0)
		return rc;

	c->in->role_policies = calloc(c->in->n_roles + 1, sizeof(*c->in->role_policies));
	c->examined = calloc(c->in->n_roles + 1, sizeof(*c->examined));
	if (c->in->role_policies == NULL || c->examined == NULL)
		return irsa_error_oom(err);
	if (audit_input_index(c->in, err) != 0)
		return -1;
	n_examined = examined_mark(c);
	c->st->roles_examined = n_examined;
	if ((rc = role_lists_read(c, n_examined, err)) == 0 && (rc = inline_read(c, err)) == 0)
		rc = policies_read(c, err);
	return rc;
}

/* Nothing useful: no cluster described and none listed. */
static bool
nothing_read(const struct audit_input *in)
{
	for (size_t i = 0; i < in->n_clusters; i++)
		if (in->clusters[i].arn != NULL || in->clusters[i].kube_known)
			return false;
	return true;
}

int
audit_collect(const struct audit_target *targets, size_t n, const struct audit_collect_options *o,
              struct audit_input *in, struct audit_collect_stats *stats, struct irsa_error *err)
{
	struct audit_collect_stats local;
	struct kube_job *jobs;
	struct collect c;
	double t0 = now_seconds();
	int rc;

	audit_input_init(in);
	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (n == 0 || targets == NULL || targets[0].aws == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the audit needs at least one cluster with an AWS client");
	jobs = calloc(n, sizeof(*jobs));
	if (jobs == NULL)
		return irsa_error_oom(err);
	for (size_t i = 0; i < n; i++)
		pthread_mutex_init(&jobs[i].lock, NULL);
	c = (struct collect){targets, n, o, in, stats, targets[0].aws, NULL, err};

	rc = collect_run(&c, jobs, err);
	kube_join(&c, jobs); /* after an early failure: the threads still end */
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < 5; k++)
			if (jobs[i].items[k] != NULL)
				json_object_put(jobs[i].items[k]);
		pthread_mutex_destroy(&jobs[i].lock);
	}
	free(jobs);
	free(c.examined);
	if (rc == 0 && in->role_policies == NULL)
		rc = irsa_error_oom(err);
	if (rc == 0 && nothing_read(in)) {
		char why[700] = "";

		if (in->read_errors.n > 0)
			snprintf(why, sizeof(why), ": %s", in->read_errors.v[0]);
		rc = irsa_error_set(err, IRSA_ERR_NETWORK, "no audited cluster could be read%s", why);
	}
	stats->seconds = now_seconds() - t0;
	return rc;
}
