/* tests/unit/plan_samples.h - plans built by hand for the plan JSON and
 * export tests, as plan_build() would leave them: a fresh setup (new OIDC
 * provider, role, two policies, new service account, a restart), a merge
 * into an existing role and service account (trust widened, annotations
 * changed and removed), a provider that lacks the sts audience with a
 * stateful set and a daemon set to restart, and values that need quoting.
 * Also golden files under tests/data (IRSA_UPDATE_GOLDEN=1 rewrites them;
 * review the diff). Header-only, included by one test file each. */
#ifndef IRSA_PLAN_SAMPLES_H
#define IRSA_PLAN_SAMPLES_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "export.h"
#include "plan.h"
#include "golden.h"
#include "trust.h"

#define S_ISSUER     "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
#define S_PROVIDER   "arn:aws:iam::111122223333:oidc-provider/" S_ISSUER
#define S_ACCOUNT    "111122223333"
#define S_ROLE       "prod-orders-orders-api"
#define S_ROLE_ARN   "arn:aws:iam::111122223333:role/prod-orders-orders-api"
#define S_SHARED     "orders-shared"
#define S_SHARED_ARN "arn:aws:iam::111122223333:role/apps/orders-shared"
#define S_S3         "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
#define S_DYNAMO     "arn:aws:iam::111122223333:policy/orders-dynamodb"
#define S_TP         "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"

static inline char *
sample_dup(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	assert_non_null(d);
	return d;
}

static inline void
sample_annotation(struct plan_annotation **a, size_t *n, const char *key, const char *before, const char *after)
{
	struct plan_annotation *v = realloc(*a, (*n + 1) * sizeof(**a));

	assert_non_null(v);
	*a = v;
	v[*n].key = sample_dup(key);
	v[*n].before = sample_dup(before);
	v[*n].after = sample_dup(after);
	(*n)++;
}

/* A new zeroed step of kind k with its title, appended to p. Borrowed from
 * p until the next call. */
static inline struct plan_step *
sample_step(struct plan *p, enum plan_step_kind k, const char *title, const char *request)
{
	struct plan_step *v = realloc(p->steps, (p->n + 1) * sizeof(*p->steps));

	assert_non_null(v);
	p->steps = v;
	memset(&v[p->n], 0, sizeof(v[p->n]));
	v[p->n].kind = k;
	v[p->n].title = sample_dup(title);
	v[p->n].request = sample_dup(request);
	return &v[p->n++];
}

static inline void
sample_tags(struct aws_tags *t, const char *ns_sa)
{
	assert_int_equal(aws_tags_add(t, PLAN_TAG_MANAGED_BY, PLAN_TAG_MANAGED_VALUE), 0);
	assert_int_equal(aws_tags_add(t, PLAN_TAG_CLUSTER, "prod"), 0);
	assert_int_equal(aws_tags_add(t, PLAN_TAG_SERVICEACCOUNT, ns_sa), 0);
}

/* The canonical trust admitting the service accounts (ns, sa pairs) through
 * the sample provider, on top of base (JSON, or NULL for a new document). */
static inline char *
sample_trust(const char *base, const struct trust_sa *sas, size_t n)
{
	struct irsa_error err;
	struct trust *t = base != NULL ? trust_parse(base, &err) : trust_new();
	char *json;

	assert_non_null(t);
	if (sas != NULL)
		assert_int_equal(trust_allow_service_accounts(t, S_PROVIDER, "https://" S_ISSUER, sas, n, NULL, &err),
		                 0);
	json = trust_to_json(t);
	assert_non_null(json);
	trust_free(t);
	return json;
}

/* What plan_build() does last: each step's command. */
static inline void
sample_commands(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->steps[i].command);
		p->steps[i].command = export_step_command(p, &p->steps[i]);
		assert_non_null(p->steps[i].command);
	}
}

/* Fresh: nothing exists but the cluster; reached by --cluster (no context). */
static inline void
sample_fresh(struct plan *p)
{
	static const struct trust_sa sa = {"orders", "orders-api"};
	struct plan_step *s;

	plan_init(p);
	p->cluster = sample_dup("prod");
	p->region = sample_dup("us-west-2");
	p->account = sample_dup(S_ACCOUNT);
	p->issuer = sample_dup("https://" S_ISSUER);
	p->provider_arn = sample_dup(S_PROVIDER);
	p->ns = sample_dup("orders");
	p->sa = sample_dup("orders-api");
	p->role_name = sample_dup(S_ROLE);
	p->role_arn = sample_dup(S_ROLE_ARN);
	p->trust_after = sample_trust(NULL, &sa, 1);
	assert_int_equal(aws_strings_add(&p->policies, S_S3), 0);
	assert_int_equal(aws_strings_add(&p->policies, S_DYNAMO), 0);
	sample_annotation(&p->annotations, &p->n_annotations, PLAN_ANN_ROLE_ARN, NULL, S_ROLE_ARN);
	sample_annotation(&p->annotations, &p->n_annotations, PLAN_ANN_STS_REGIONAL, NULL, "true");
	assert_int_equal(aws_strings_add(&p->warnings, "Deployment orders/orders-api runs as the service account: "
	                                               "its pods get the role when restarted."),
	                 0);

	s = sample_step(p, PLAN_STEP_OIDC_PROVIDER, "Create the IAM OIDC provider for " S_ISSUER,
	                "IAM CreateOpenIDConnectProvider Url=https://" S_ISSUER);
	s->provider_url = sample_dup("https://" S_ISSUER);
	s->provider_arn = sample_dup(S_PROVIDER);
	s->thumbprint = sample_dup(S_TP);
	sample_tags(&s->tags, "orders/orders-api");

	s = sample_step(p, PLAN_STEP_ROLE_CREATE, "Create IAM role " S_ROLE,
	                "IAM CreateRole RoleName=" S_ROLE " Path=/");
	s->role_name = sample_dup(S_ROLE);
	s->role_path = sample_dup("/");
	s->document = sample_dup(p->trust_after);
	sample_tags(&s->tags, "orders/orders-api");

	s = sample_step(p, PLAN_STEP_POLICY_ATTACH, "Attach policy AmazonS3ReadOnlyAccess to " S_ROLE,
	                "IAM AttachRolePolicy RoleName=" S_ROLE " PolicyArn=" S_S3);
	s->role_name = sample_dup(S_ROLE);
	s->policy_arn = sample_dup(S_S3);
	s = sample_step(p, PLAN_STEP_POLICY_ATTACH, "Attach policy orders-dynamodb to " S_ROLE,
	                "IAM AttachRolePolicy RoleName=" S_ROLE " PolicyArn=" S_DYNAMO);
	s->role_name = sample_dup(S_ROLE);
	s->policy_arn = sample_dup(S_DYNAMO);

	s = sample_step(p, PLAN_STEP_SA_CREATE, "Create service account orders/orders-api",
	                "POST /api/v1/namespaces/orders/serviceaccounts");
	s->ns = sample_dup("orders");
	s->name = sample_dup("orders-api");
	sample_annotation(&s->annotations, &s->n_annotations, PLAN_ANN_ROLE_ARN, NULL, S_ROLE_ARN);
	sample_annotation(&s->annotations, &s->n_annotations, PLAN_ANN_STS_REGIONAL, NULL, "true");

	s = sample_step(p, PLAN_STEP_RESTART, "Restart deployment orders/orders-api",
	                "PATCH /apis/apps/v1/namespaces/orders/deployments/orders-api");
	s->ns = sample_dup("orders");
	s->name = sample_dup("orders-api");
	s->workload = KUBE_DEPLOYMENT;
	sample_commands(p);
}

/* An eksctl-made trust for another service account of the same cluster. */
#define SAMPLE_EKSCTL_TRUST                                                                                            \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sts:"                          \
	"AssumeRoleWithWebIdentity\"],"                                                                                \
	"\"Principal\":{\"Federated\":\"" S_PROVIDER "\"},\"Condition\":{\"StringEquals\":{\"" S_ISSUER                \
	":aud\":\"sts.amazonaws.com\",\"" S_ISSUER ":sub\":\"system:serviceaccount:orders:orders-worker\"}}}]}"

/* Merge: the role exists (with a path) and trusts another service account;
 * the service account exists, bound to an old role, with a token expiration
 * irsa removes. Reached through a kubeconfig context. */
static inline void
sample_merge(struct plan *p)
{
	static const struct trust_sa sa = {"orders", "orders-api"};
	struct plan_step *s;

	plan_init(p);
	p->cluster = sample_dup("prod");
	p->region = sample_dup("us-west-2");
	p->context = sample_dup("prod-admin@prod");
	p->account = sample_dup(S_ACCOUNT);
	p->issuer = sample_dup("https://" S_ISSUER);
	p->provider_arn = sample_dup(S_PROVIDER);
	p->ns = sample_dup("orders");
	p->sa = sample_dup("orders-api");
	p->role_name = sample_dup(S_SHARED);
	p->role_arn = sample_dup(S_SHARED_ARN);
	p->role_exists = true;
	p->sa_exists = true;
	p->trust_before = sample_trust(SAMPLE_EKSCTL_TRUST, NULL, 0);
	p->trust_after = sample_trust(SAMPLE_EKSCTL_TRUST, &sa, 1);
	assert_int_equal(aws_strings_add(&p->policies, S_S3), 0);
	sample_annotation(&p->annotations, &p->n_annotations, PLAN_ANN_ROLE_ARN,
	                  "arn:aws:iam::111122223333:role/orders-old", S_SHARED_ARN);
	sample_annotation(&p->annotations, &p->n_annotations, PLAN_ANN_TOKEN_EXPIRATION, "3600", NULL);

	s = sample_step(p, PLAN_STEP_ROLE_TRUST, "Let orders/orders-api assume IAM role " S_SHARED,
	                "IAM UpdateAssumeRolePolicy RoleName=" S_SHARED);
	s->role_name = sample_dup(S_SHARED);
	s->document = sample_dup(p->trust_after);
	s->document_before = sample_dup(SAMPLE_EKSCTL_TRUST);

	s = sample_step(p, PLAN_STEP_SA_ANNOTATE, "Annotate service account orders/orders-api",
	                "PATCH /api/v1/namespaces/orders/serviceaccounts/orders-api");
	s->ns = sample_dup("orders");
	s->name = sample_dup("orders-api");
	sample_annotation(&s->annotations, &s->n_annotations, PLAN_ANN_ROLE_ARN,
	                  "arn:aws:iam::111122223333:role/orders-old", S_SHARED_ARN);
	sample_annotation(&s->annotations, &s->n_annotations, PLAN_ANN_TOKEN_EXPIRATION, "3600", NULL);
	sample_commands(p);
}

/* The provider exists without the sts audience; the role exists and is
 * already bound; a stateful set and a daemon set run as the account. */
static inline void
sample_client_id(struct plan *p)
{
	static const struct trust_sa sa = {"metrics", "collector"};
	struct plan_step *s;

	plan_init(p);
	p->cluster = sample_dup("prod");
	p->region = sample_dup("us-west-2");
	p->context = sample_dup("arn:aws:eks:us-west-2:111122223333:cluster/prod");
	p->account = sample_dup(S_ACCOUNT);
	p->issuer = sample_dup("https://" S_ISSUER);
	p->provider_arn = sample_dup(S_PROVIDER);
	p->ns = sample_dup("metrics");
	p->sa = sample_dup("collector");
	p->role_name = sample_dup("prod-metrics-collector");
	p->role_arn = sample_dup("arn:aws:iam::111122223333:role/prod-metrics-collector");
	p->role_exists = true;
	p->sa_exists = true;
	p->trust_before = sample_trust(NULL, &sa, 1);
	p->trust_after = sample_dup(p->trust_before);
	sample_annotation(&p->annotations, &p->n_annotations, PLAN_ANN_ROLE_ARN,
	                  "arn:aws:iam::111122223333:role/prod-metrics-collector",
	                  "arn:aws:iam::111122223333:role/prod-metrics-collector");

	s = sample_step(p, PLAN_STEP_OIDC_CLIENT_ID, "Add client ID sts.amazonaws.com to the OIDC provider",
	                "IAM AddClientIDToOpenIDConnectProvider ClientID=sts.amazonaws.com");
	s->provider_url = sample_dup("https://" S_ISSUER);
	s->provider_arn = sample_dup(S_PROVIDER);
	s = sample_step(p, PLAN_STEP_RESTART, "Restart statefulset metrics/collector", NULL);
	s->ns = sample_dup("metrics");
	s->name = sample_dup("collector");
	s->workload = KUBE_STATEFULSET;
	s = sample_step(p, PLAN_STEP_RESTART, "Restart daemonset metrics/node-agent", NULL);
	s->ns = sample_dup("metrics");
	s->name = sample_dup("node-agent");
	s->workload = KUBE_DAEMONSET;
	sample_commands(p);
}

/* Values every format must quote: quotes, spaces, '$', a newline, YAML and
 * HCL specials. */
static inline void
sample_quoting(struct plan *p)
{
	struct plan_step *s;

	plan_init(p);
	p->cluster = sample_dup("dev cluster");
	p->region = sample_dup("eu-west-1");
	p->context = sample_dup("it's mine");
	p->ns = sample_dup("team-a");
	p->sa = sample_dup("123");
	p->role_name = sample_dup("dev-team-a-123");
	p->role_arn = sample_dup("arn:aws:iam::111122223333:role/dev-team-a-123");
	p->role_exists = true;
	p->sa_exists = true;
	p->trust_after = sample_trust(NULL, NULL, 0);
	sample_annotation(&p->annotations, &p->n_annotations, PLAN_ANN_ROLE_ARN, NULL,
	                  "arn:aws:iam::111122223333:role/dev-team-a-123");
	sample_annotation(&p->annotations, &p->n_annotations, "example.com/note", "x",
	                  "it's \"quoted\" ${HOME} %{x} \\ #1\nline 2");
	sample_annotation(&p->annotations, &p->n_annotations, "example.com/flag", NULL, "true");

	s = sample_step(p, PLAN_STEP_SA_ANNOTATE, "Annotate service account team-a/123\nwith a newline", NULL);
	s->ns = sample_dup("team-a");
	s->name = sample_dup("123");
	sample_annotation(&s->annotations, &s->n_annotations, "example.com/note", "x",
	                  "it's \"quoted\" ${HOME} %{x} \\ #1\nline 2");
	sample_annotation(&s->annotations, &s->n_annotations, "example.com/flag", NULL, "true");
	sample_commands(p);
}

/* Compares actual with the golden file name (under tests/data). */
#define sample_golden test_data_golden

#endif
