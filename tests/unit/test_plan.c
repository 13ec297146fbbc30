/* tests/unit/test_plan.c - plan_build(), the pure part of the binding
 * engine, on states built by hand (no network): the fresh setup and its
 * order, the OIDC provider and its sts audience, the unreadable thumbprint,
 * the empty second plan (also for the same trust in another formatting),
 * unrelated trust statements kept, policies deduplicated and counted against
 * the quota, the trust size quota, the service account created, annotated
 * or missing, workload restarts, service principals, --role-arn checks, and
 * the plan built on the state an apply leaves, which must be empty. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <json-c/json.h>

#include "iam.h"
#include "kube.h"
#include "kube_api.h"
#include "plan.h"
#include "trust.h"

#define ACCOUNT      "111122223333"
#define ARN_PREFIX   "arn:aws:"
#define ISSUER_HOST  "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
#define ISSUER       "https://" ISSUER_HOST
#define PROVIDER     "arn:aws:iam::111122223333:oidc-provider/" ISSUER_HOST
#define CLUSTER      "prod"
#define REGION       "us-west-2"
#define NS           "orders"
#define SA           "orders-api"
#define ROLE         "prod-orders-orders-api"
#define ROLE_ARN     "arn:aws:iam::111122223333:role/prod-orders-orders-api"
#define OLD_ROLE_ARN "arn:aws:iam::111122223333:role/orders-old"
#define TP           "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
#define S3           "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
#define SQS          "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"
#define DYNAMO       "arn:aws:iam::111122223333:policy/orders-dynamodb"

/* The AWS docs' IRSA trust for orders/orders-api, as irsa writes it
 * (tests/data/trust/built/irsa-one.json). */
#define IRSA_ONE                                                                                                       \
	"{\n"                                                                                                          \
	"  \"Version\": \"2012-10-17\",\n"                                                                             \
	"  \"Statement\": [\n"                                                                                         \
	"    {\n"                                                                                                      \
	"      \"Sid\": \"irsaOidc1EXAMPLE\",\n"                                                                       \
	"      \"Effect\": \"Allow\",\n"                                                                               \
	"      \"Principal\": {\n"                                                                                     \
	"        \"Federated\": \"" PROVIDER "\"\n"                                                                    \
	"      },\n"                                                                                                   \
	"      \"Action\": \"sts:AssumeRoleWithWebIdentity\",\n"                                                       \
	"      \"Condition\": {\n"                                                                                     \
	"        \"StringEquals\": {\n"                                                                                \
	"          \"" ISSUER_HOST ":aud\": \"sts.amazonaws.com\",\n"                                                  \
	"          \"" ISSUER_HOST ":sub\": \"system:serviceaccount:orders:orders-api\"\n"                             \
	"        }\n"                                                                                                  \
	"      }\n"                                                                                                    \
	"    }\n"                                                                                                      \
	"  ]\n"                                                                                                        \
	"}\n"

/* The same policy, without whitespace. */
#define IRSA_ONE_MIN                                                                                                   \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"irsaOidc1EXAMPLE\",\"Effect\":\"Allow\",\"Principal\":" \
	"{"                                                                                                            \
	"\"Federated\":\"" PROVIDER                                                                                    \
	"\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{"                           \
	"\"" ISSUER_HOST ":aud\":\"sts.amazonaws.com\",\"" ISSUER_HOST                                                 \
	":sub\":\"system:serviceaccount:orders:orders-api\"}}}]}"

/* eksctl's form for orders/orders-api: no Sid, Action a list, its own
 * whitespace (tests/data/trust/eksctl.json). */
#define EKSCTL_TRUST                                                                                                   \
	"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    { \"Effect\": \"Allow\",\n"                        \
	"      \"Action\": [\"sts:AssumeRoleWithWebIdentity\"],\n"                                                     \
	"      \"Principal\": { \"Federated\": \"" PROVIDER "\" },\n"                                                  \
	"      \"Condition\": { \"StringEquals\": {\n"                                                                 \
	"          \"" ISSUER_HOST ":aud\": \"sts.amazonaws.com\",\n"                                                  \
	"          \"" ISSUER_HOST ":sub\": \"system:serviceaccount:orders:orders-api\" } } }\n  ]\n}\n"

/* The AWS docs' trust, URL-encoded as GetRole returns it
 * (tests/data/trust/aws-docs.urlencoded.txt). */
#define AWS_DOCS_URLENCODED                                                                                            \
	"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%"  \
	"3A%7B%22Federated%22%3A%22arn%3Aaws%3Aiam%3A%3A111122223333%3Aoidc-provider%2Foidc.eks.us-west-2.amazonaws."  \
	"com%2Fid%2FEXAMPLED539D4633E53DE1B71EXAMPLE%22%7D%2C%22Action%22%3A%22sts%3AAssumeRoleWithWebIdentity%22%2C%" \
	"22Condition%22%3A%7B%22StringEquals%22%3A%7B%22oidc.eks.us-west-2.amazonaws.com%2Fid%"                        \
	"2FEXAMPLED539D4633E53DE1B71EXAMPLE%3Aaud%22%3A%22sts.amazonaws.com%22%2C%22oidc.eks.us-west-2.amazonaws.com%" \
	"2Fid%2FEXAMPLED539D4633E53DE1B71EXAMPLE%3Asub%22%3A%22system%3Aserviceaccount%3Aorders%3Aorders-api%22%7D%"   \
	"7D%7D%5D%7D"

/* A role EC2 may assume, nothing else, as IAM holds it (decoded). */
#define EC2_TRUST                                                                                                      \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Ec2\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":" \
	"\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"

#define RESTART_REQUEST(plural, name)                                                                                  \
	"PATCH /apis/apps/v1/namespaces/orders/" plural "/" name                                                       \
	"?fieldManager=kubectl-rollout (application/strategic-merge-patch+json)"

struct fx {
	struct plan_choices ch;
	struct plan_state st;
	struct plan p;
	struct irsa_error err;
};

/* --- building states ----------------------------------------------------------- */

static char *
xdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static void
replace(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xdup(value) : NULL;
}

/* A deployment, stateful set or daemon set running as NS/SA (paused:
 * spec.paused), or the service account itself (annotations: key, value
 * pairs). */
static void
object_init(struct kube_object *o, enum kube_kind kind, const char *name, bool paused, const char *const *ann,
            size_t n_ann)
{
	struct json_object *obj = json_object_new_object(), *md = json_object_new_object();
	struct irsa_error err;

	assert_non_null(obj);
	assert_non_null(md);
	json_object_object_add(obj, "apiVersion", json_object_new_string(kube_resource(kind)->api_version));
	json_object_object_add(obj, "kind", json_object_new_string(kube_resource(kind)->kind));
	json_object_object_add(md, "name", json_object_new_string(name));
	json_object_object_add(md, "namespace", json_object_new_string(NS));
	json_object_object_add(md, "uid", json_object_new_string("5f0c2a1e-0000-4000-8000-000000000001"));
	if (n_ann > 0) {
		struct json_object *a = json_object_new_object();

		for (size_t i = 0; i < n_ann; i++)
			json_object_object_add(a, ann[2 * i], json_object_new_string(ann[2 * i + 1]));
		json_object_object_add(md, "annotations", a);
	}
	json_object_object_add(obj, "metadata", md);
	if (kind != KUBE_SERVICE_ACCOUNT) {
		struct json_object *spec = json_object_new_object(), *tmpl = json_object_new_object(),
		                   *pod = json_object_new_object();

		json_object_object_add(pod, "serviceAccountName", json_object_new_string(SA));
		json_object_object_add(tmpl, "spec", pod);
		json_object_object_add(spec, "template", tmpl);
		if (paused)
			json_object_object_add(spec, "paused", json_object_new_boolean(1));
		json_object_object_add(obj, "spec", spec);
	}
	assert_int_equal(kube_object_from_json(obj, kind, o, &err), 0);
	json_object_put(obj);
	if (kind != KUBE_SERVICE_ACCOUNT) {
		assert_string_equal(o->service_account, SA);
		assert_int_equal(o->paused, paused);
	}
}

/* The service account exists, with the annotations (key, value pairs). */
static void
state_sa(struct plan_state *st, const char *const *ann, size_t n_ann)
{
	kube_object_release(&st->sa);
	object_init(&st->sa, KUBE_SERVICE_ACCOUNT, SA, false, ann, n_ann);
	st->sa_exists = true;
}

static void
state_workload(struct plan_state *st, enum kube_kind kind, const char *name, bool paused)
{
	struct kube_object *v = realloc(st->workloads.v, (st->workloads.n + 1) * sizeof(*v));

	assert_non_null(v);
	st->workloads.v = v;
	object_init(&v[st->workloads.n++], kind, name, paused, NULL, 0);
}

/* The role exists with this trust (as IAM holds it) and ARN. */
static void
state_role(struct plan_state *st, const char *trust_text, const char *arn)
{
	aws_role_release(&st->role);
	memset(&st->role, 0, sizeof(st->role));
	st->role_exists = true;
	st->role.name = xdup(st->role_name);
	st->role.arn = xdup(arn);
	st->role.path = xdup("/");
	st->role.trust_policy = xdup(trust_text);
	st->role.trust_policy_json = true;
	replace(&st->trust_text, trust_text);
}

static void
state_attached(struct plan_state *st, const char *const *arns, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(aws_strings_add(&st->attached, arns[i]), 0);
}

/* Nothing but the cluster: no OIDC provider (its thumbprint read), no
 * role, no service account, as plan_read() would leave it. */
static void
state_fresh(struct plan_state *st)
{
	plan_state_init(st);
	st->account = xdup(ACCOUNT);
	st->arn_prefix = xdup(ARN_PREFIX);
	st->issuer = xdup(ISSUER);
	st->cluster_arn = xdup("arn:aws:eks:us-west-2:111122223333:cluster/prod");
	st->provider_arn = iam_oidc_provider_arn(ARN_PREFIX, ACCOUNT, ISSUER);
	assert_non_null(st->provider_arn);
	assert_string_equal(st->provider_arn, PROVIDER);
	st->thumbprint = xdup(TP);
	st->role_name = plan_role_name(CLUSTER, NS, SA);
	assert_non_null(st->role_name);
	assert_string_equal(st->role_name, ROLE);
}

static void
state_provider(struct plan_state *st, bool exists, bool has_sts)
{
	st->provider_exists = exists;
	st->provider_has_sts = has_sts;
	if (exists)
		replace(&st->thumbprint, NULL); /* plan_read() reads it only for a missing provider */
}

/* Everything bound already: provider with sts, role trusting NS/SA with
 * trust_text, the given policies attached, the SA annotated. */
static void
state_bound(struct plan_state *st, const char *trust_text, const char *const *attached, size_t n)
{
	static const char *const ann[] = {PLAN_ANN_ROLE_ARN, ROLE_ARN};

	state_provider(st, true, true);
	state_role(st, trust_text, ROLE_ARN);
	state_attached(st, attached, n);
	state_sa(st, ann, 1);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->ch.cluster = CLUSTER;
	f->ch.region = REGION;
	f->ch.ns = NS;
	f->ch.sa = SA;
	state_fresh(&f->st);
	plan_init(&f->p);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	plan_release(&f->p);
	plan_state_release(&f->st);
	free(f);
	return 0;
}

/* --- checking plans ------------------------------------------------------------- */

static void
build_ok(struct fx *f)
{
	plan_release(&f->p);
	if (plan_build(&f->ch, &f->st, &f->p, &f->err) != 0)
		fail_msg("plan_build failed: %s (hint: %s)", f->err.message, f->err.hint);
}

static void
build_fails(struct fx *f, enum irsa_err kind)
{
	plan_release(&f->p);
	memset(&f->err, 0, sizeof(f->err));
	assert_int_equal(plan_build(&f->ch, &f->st, &f->p, &f->err), -1);
	if (f->err.kind != kind)
		fail_msg("error kind %s, expected %s: %s", irsa_err_name(f->err.kind), irsa_err_name(kind),
		         f->err.message);
}

static void
assert_contains(const char *haystack, const char *needle)
{
	assert_non_null(haystack);
	if (strstr(haystack, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

/* The steps are exactly these kinds, and each is complete: a title, the
 * request and the command. */
static void
assert_kinds(const struct plan *p, const enum plan_step_kind *kinds, size_t n)
{
	char got[512] = "";

	for (size_t i = 0; i < p->n; i++) {
		strncat(got, plan_step_kind_name(p->steps[i].kind), sizeof(got) - strlen(got) - 2);
		strcat(got, " ");
	}
	if (p->n != n)
		fail_msg("%zu steps (%s), expected %zu", p->n, got, n);
	for (size_t i = 0; i < n; i++) {
		const struct plan_step *s = &p->steps[i];

		if (s->kind != kinds[i])
			fail_msg("step %zu is %s, expected %s (%s)", i, plan_step_kind_name(s->kind),
			         plan_step_kind_name(kinds[i]), got);
		assert_non_null(s->title);
		assert_non_null(s->request);
		assert_non_null(s->command);
		assert_true(s->title[0] != '\0' && s->request[0] != '\0' && s->command[0] != '\0');
		assert_null(strchr(s->command, '\n'));
	}
}

static void
assert_no_steps(const struct fx *f)
{
	assert_kinds(&f->p, NULL, 0);
	assert_null(f->p.steps);
	if (f->p.warnings.n > 0)
		fail_msg("unexpected warning: %s", f->p.warnings.v[0]);
}

static void
assert_annotation(const struct plan_annotation *a, const char *key, const char *before, const char *after)
{
	assert_string_equal(a->key, key);
	if (before == NULL)
		assert_null(a->before);
	else
		assert_string_equal(a->before, before);
	if (after == NULL)
		assert_null(a->after);
	else
		assert_string_equal(a->after, after);
}

static void
assert_irsa_tags(const struct aws_tags *t)
{
	assert_int_equal(t->n, 3);
	assert_string_equal(t->v[0].key, PLAN_TAG_MANAGED_BY);
	assert_string_equal(t->v[0].value, "irsa");
	assert_string_equal(t->v[1].key, PLAN_TAG_CLUSTER);
	assert_string_equal(t->v[1].value, CLUSTER);
	assert_string_equal(t->v[2].key, PLAN_TAG_SERVICEACCOUNT);
	assert_string_equal(t->v[2].value, NS "/" SA);
}

/* Canonical JSON of doc (any form trust_parse() takes). The caller frees. */
static char *
canonical(const char *doc)
{
	struct irsa_error err;
	struct trust *t = trust_parse(doc, &err);
	char *s;

	if (t == NULL)
		fail_msg("trust_parse: %s", err.message);
	s = trust_to_json(t);
	assert_non_null(s);
	trust_free(t);
	return s;
}

/* Every byte percent-encoded but RFC 3986's unreserved characters. */
static char *
url_encode(const char *s)
{
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	assert_non_null(out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
			*o++ = (char)c;
		else
			o += sprintf(o, "%%%02X", c);
	}
	*o = '\0';
	return out;
}

/* --- fresh setup ---------------------------------------------------------------- */

static void
test_fresh_setup(void **state)
{
	static const enum plan_step_kind kinds[] = {PLAN_STEP_OIDC_PROVIDER, PLAN_STEP_ROLE_CREATE,
	                                            PLAN_STEP_POLICY_ATTACH, PLAN_STEP_POLICY_ATTACH,
	                                            PLAN_STEP_SA_ANNOTATE};
	static const char *const policies[] = {S3, DYNAMO};
	static const struct trust_sa who = {NS, SA};
	struct fx *f = *state;
	const struct plan_step *s;
	struct trust *t = trust_new(), *doc;
	struct trust_request req = {PROVIDER, NS, SA, NULL};
	struct trust_cond_key *k;
	struct trust_eval ev;
	char *want;

	f->ch.policies = policies;
	f->ch.n_policies = 2;
	state_sa(&f->st, NULL, 0);
	build_ok(f);
	assert_kinds(&f->p, kinds, 5);

	/* where, resolved */
	assert_string_equal(f->p.cluster, CLUSTER);
	assert_string_equal(f->p.region, REGION);
	assert_null(f->p.context);
	assert_string_equal(f->p.account, ACCOUNT);
	assert_string_equal(f->p.issuer, ISSUER);
	assert_string_equal(f->p.provider_arn, PROVIDER);
	assert_string_equal(f->p.ns, NS);
	assert_string_equal(f->p.sa, SA);
	assert_string_equal(f->p.role_name, ROLE);
	assert_string_equal(f->p.role_arn, ROLE_ARN);
	assert_false(f->p.role_exists);
	assert_true(f->p.sa_exists);
	assert_null(f->p.trust_before);
	assert_string_equal(f->p.trust_after, IRSA_ONE);
	assert_int_equal(f->p.policies.n, 2);
	assert_string_equal(f->p.policies.v[0], S3);
	assert_string_equal(f->p.policies.v[1], DYNAMO);
	assert_int_equal(f->p.n_annotations, 1);
	assert_annotation(&f->p.annotations[0], PLAN_ANN_ROLE_ARN, NULL, ROLE_ARN);
	assert_int_equal(f->p.warnings.n, 0);

	/* the OIDC provider, with the thumbprint read and irsa's tags */
	s = &f->p.steps[0];
	assert_string_equal(s->provider_url, ISSUER);
	assert_string_equal(s->provider_arn, PROVIDER);
	assert_string_equal(s->thumbprint, TP);
	assert_irsa_tags(&s->tags);
	assert_string_equal(s->title, "Create the IAM OIDC provider for prod's issuer");
	assert_string_equal(s->request, "IAM CreateOpenIDConnectProvider Url=" ISSUER
	                                " ClientIDList=sts.amazonaws.com ThumbprintList=" TP);
	assert_int_equal(strncmp(s->command, "aws iam ", 8), 0);

	/* the role, with the AWS docs' trust: what trust_allow_service_accounts() writes on an empty trust */
	s = &f->p.steps[1];
	assert_non_null(t);
	assert_int_equal(trust_allow_service_accounts(t, PROVIDER, ISSUER, &who, 1, NULL, &f->err), 0);
	want = trust_to_json(t);
	assert_non_null(want);
	assert_string_equal(s->document, want);
	assert_string_equal(s->document, IRSA_ONE);
	assert_null(s->document_before);
	assert_string_equal(s->role_name, ROLE);
	assert_string_equal(s->role_path, "/");
	assert_irsa_tags(&s->tags);
	assert_string_equal(s->title, "Create IAM role " ROLE " trusting orders/orders-api in prod");
	assert_string_equal(s->request,
	                    "IAM CreateRole RoleName=" ROLE " Path=/ AssumeRolePolicyDocument=<trust policy> "
	                    "Tags=irsa:managed-by,irsa:cluster,irsa:service-account");
	assert_int_equal(strncmp(s->command, "aws iam ", 8), 0);
	/* one statement: Federated provider, AssumeRoleWithWebIdentity, StringEquals sub and aud */
	doc = trust_parse(s->document, &f->err);
	assert_non_null(doc);
	assert_int_equal(doc->n, 1);
	assert_false(doc->st[0].deny);
	assert_int_equal(doc->st[0].principal.n, 1);
	assert_string_equal(doc->st[0].principal.e[0].type, "Federated");
	assert_int_equal(doc->st[0].principal.e[0].ids.n, 1);
	assert_string_equal(doc->st[0].principal.e[0].ids.v[0], PROVIDER);
	assert_int_equal(doc->st[0].action.n, 1);
	assert_string_equal(doc->st[0].action.v[0], TRUST_ACTION_WEB_ID);
	assert_int_equal(doc->st[0].n_cond, 1);
	assert_int_equal(doc->st[0].cond[0].n, 2);
	k = trust_condition_find(&doc->st[0], "StringEquals", ISSUER_HOST ":sub");
	assert_non_null(k);
	assert_int_equal(k->values.n, 1);
	assert_string_equal(k->values.v[0], "system:serviceaccount:orders:orders-api");
	k = trust_condition_find(&doc->st[0], "StringEquals", ISSUER_HOST ":aud");
	assert_non_null(k);
	assert_int_equal(k->values.n, 1);
	assert_string_equal(k->values.v[0], "sts.amazonaws.com");
	assert_int_equal(trust_evaluate(doc, &req, &ev, &f->err), 0);
	assert_int_equal(ev.verdict, TRUST_ADMITTED);
	assert_int_equal(ev.notes, 0);

	/* the policies, in the order given */
	for (size_t i = 0; i < 2; i++) {
		char request[256];

		s = &f->p.steps[2 + i];
		snprintf(request, sizeof(request), "IAM AttachRolePolicy RoleName=" ROLE " PolicyArn=%s", policies[i]);
		assert_string_equal(s->role_name, ROLE);
		assert_string_equal(s->policy_arn, policies[i]);
		assert_string_equal(s->request, request);
		assert_int_equal(s->tags.n, 0);
	}

	/* the service account's annotation */
	s = &f->p.steps[4];
	assert_string_equal(s->ns, NS);
	assert_string_equal(s->name, SA);
	assert_int_equal(s->n_annotations, 1);
	assert_annotation(&s->annotations[0], PLAN_ANN_ROLE_ARN, NULL, ROLE_ARN);
	assert_string_equal(s->title, "Annotate service account orders/orders-api with role " ROLE);
	assert_string_equal(
	        s->request,
	        "PATCH /api/v1/namespaces/orders/serviceaccounts/orders-api (application/merge-patch+json)");
	assert_int_equal(strncmp(s->command, "kubectl ", 8), 0);

	free(want);
	trust_free(t);
	trust_free(doc);
}

/* A role name, a path, and a context go where they belong. */
static void
test_fresh_named_role_with_path(void **state)
{
	struct fx *f = *state;
	const struct plan_step *s;

	f->ch.context = "prod-admin@prod";
	f->ch.role_name = "orders-shared";
	f->ch.role_path = "/apps/";
	replace(&f->st.role_name, "orders-shared");
	f->ch.create_sa = true;
	build_ok(f);
	assert_string_equal(f->p.context, "prod-admin@prod");
	assert_string_equal(f->p.role_name, "orders-shared");
	assert_string_equal(f->p.role_arn, "arn:aws:iam::111122223333:role/apps/orders-shared");
	assert_int_equal(f->p.n, 3);
	s = &f->p.steps[1];
	assert_int_equal(s->kind, PLAN_STEP_ROLE_CREATE);
	assert_string_equal(s->role_name, "orders-shared");
	assert_string_equal(s->role_path, "/apps/");
	assert_string_equal(s->document, IRSA_ONE);
	s = &f->p.steps[2];
	assert_int_equal(s->kind, PLAN_STEP_SA_CREATE);
	assert_annotation(&s->annotations[0], PLAN_ANN_ROLE_ARN, NULL,
	                  "arn:aws:iam::111122223333:role/apps/orders-shared");
}

/* --- the OIDC provider ---------------------------------------------------------- */

static void
test_provider(void **state)
{
	static const struct {
		const char *name;
		bool exists, has_sts;
		int kind; /* the first step's, or -1 for none */
		const char *request;
	} rows[] = {
	        {"missing", false, false, PLAN_STEP_OIDC_PROVIDER,
	         "IAM CreateOpenIDConnectProvider Url=" ISSUER " ClientIDList=sts.amazonaws.com ThumbprintList=" TP},
	        {"without sts", true, false, PLAN_STEP_OIDC_CLIENT_ID,
	         "IAM AddClientIDToOpenIDConnectProvider OpenIDConnectProviderArn=" PROVIDER
	         " ClientID=sts.amazonaws.com"},
	        {"with sts", true, true, -1, NULL},
	};
	static const char *const none[1];
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct plan_step *s;

		/* everything else is bound, so the provider's step is the only one */
		plan_state_release(&f->st);
		state_fresh(&f->st);
		state_bound(&f->st, IRSA_ONE, none, 0);
		state_provider(&f->st, rows[i].exists, rows[i].has_sts);
		if (!rows[i].exists)
			f->st.thumbprint = xdup(TP);
		build_ok(f);
		if (rows[i].kind < 0) {
			assert_no_steps(f);
			continue;
		}
		if (f->p.n != 1 || (int)f->p.steps[0].kind != rows[i].kind)
			fail_msg("%s: %zu steps, the first %s", rows[i].name, f->p.n,
			         f->p.n > 0 ? plan_step_kind_name(f->p.steps[0].kind) : "none");
		s = &f->p.steps[0];
		assert_string_equal(s->request, rows[i].request);
		assert_string_equal(s->provider_url, ISSUER);
		assert_string_equal(s->provider_arn, PROVIDER);
		assert_non_null(s->title);
		assert_non_null(s->command);
		if (rows[i].exists) {
			assert_null(s->thumbprint);
			assert_int_equal(s->tags.n, 0);
			assert_string_equal(s->title,
			                    "Add client ID sts.amazonaws.com to the IAM OIDC provider of prod");
		} else {
			assert_string_equal(s->thumbprint, TP);
			assert_irsa_tags(&s->tags);
		}
		assert_int_equal(f->p.warnings.n, 0);
	}
}

/* The issuer's certificate could not be read: the provider is created
 * without a thumbprint, and a warning says why. */
static void
test_thumbprint_error(void **state)
{
	static const char *const none[1];
	struct fx *f = *state;
	const struct plan_step *s;

	state_bound(&f->st, IRSA_ONE, none, 0);
	state_provider(&f->st, false, false);
	f->st.thumbprint_error = xdup("x509: certificate signed by unknown authority");
	build_ok(f);
	assert_int_equal(f->p.n, 1);
	s = &f->p.steps[0];
	assert_int_equal(s->kind, PLAN_STEP_OIDC_PROVIDER);
	assert_null(s->thumbprint);
	assert_string_equal(s->request,
	                    "IAM CreateOpenIDConnectProvider Url=" ISSUER " ClientIDList=sts.amazonaws.com");
	assert_non_null(s->command);
	assert_null(strstr(s->command, "thumbprint"));
	assert_int_equal(f->p.warnings.n, 1);
	assert_string_equal(f->p.warnings.v[0],
	                    "The issuer's certificate could not be read (x509: certificate signed by unknown "
	                    "authority): the OIDC provider is created without a thumbprint, and IAM checks the "
	                    "issuer's certificate itself.");
}

/* --- nothing to do -------------------------------------------------------------- */

/* The role already trusts the service account (in whatever form IAM holds
 * the same policy), its policies are attached, the SA annotated: the plan
 * is empty, and the trust comes out unchanged. */
static void
test_already_bound(void **state)
{
	static const struct {
		const char *name;
		const char *trust;
		bool encode; /* URL-encode trust first */
	} rows[] = {
	        {"canonical", IRSA_ONE, false},
	        {"minified", IRSA_ONE_MIN, false},
	        {"canonical, URL-encoded", IRSA_ONE, true},
	        {"minified, URL-encoded", IRSA_ONE_MIN, true},
	        {"eksctl's form and whitespace", EKSCTL_TRUST, false},
	        {"the AWS docs' form, URL-encoded", AWS_DOCS_URLENCODED, false},
	};
	static const char *const policies[] = {S3, DYNAMO};
	static const char *const attached[] = {DYNAMO, SQS, S3};
	struct fx *f = *state;

	f->ch.policies = policies;
	f->ch.n_policies = 2;
	f->ch.restart = true;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *trust = rows[i].encode ? url_encode(rows[i].trust) : xdup(rows[i].trust);
		char *want = canonical(rows[i].trust);

		plan_state_release(&f->st);
		state_fresh(&f->st);
		state_bound(&f->st, trust, attached, 3);
		state_workload(&f->st, KUBE_DEPLOYMENT, SA, false);
		build_ok(f);
		if (f->p.n != 0)
			fail_msg("%s: %zu steps, the first %s: %s", rows[i].name, f->p.n,
			         plan_step_kind_name(f->p.steps[0].kind), f->p.steps[0].title);
		assert_no_steps(f);
		assert_true(f->p.role_exists);
		assert_string_equal(f->p.role_arn, ROLE_ARN);
		assert_string_equal(f->p.trust_before, want);
		assert_string_equal(f->p.trust_after, want);
		assert_int_equal(f->p.policies.n, 2);
		assert_int_equal(f->p.n_annotations, 1);
		assert_annotation(&f->p.annotations[0], PLAN_ANN_ROLE_ARN, ROLE_ARN, ROLE_ARN);
		free(trust);
		free(want);
	}
}

/* --- the trust ------------------------------------------------------------------ */

/* An unrelated statement stays as it was; the step carries the trust as IAM
 * held it, byte for byte, for the journal and rollback. */
static void
test_trust_keeps_unrelated(void **state)
{
	static const char *const none[1];
	struct fx *f = *state;
	const struct plan_step *s;
	struct trust *doc;
	char *ec2, *kept;

	state_bound(&f->st, EC2_TRUST, none, 0);
	build_ok(f);
	{
		static const enum plan_step_kind kinds[] = {PLAN_STEP_ROLE_TRUST};

		assert_kinds(&f->p, kinds, 1);
	}
	s = &f->p.steps[0];
	assert_string_equal(s->role_name, ROLE);
	assert_null(s->role_path);
	assert_int_equal(s->tags.n, 0);
	assert_non_null(s->document_before);
	assert_true(s->document_before != f->st.trust_text);
	assert_int_equal(strlen(s->document_before), strlen(EC2_TRUST));
	assert_memory_equal(s->document_before, EC2_TRUST, sizeof(EC2_TRUST));
	assert_string_equal(s->document, f->p.trust_after);
	assert_string_equal(s->title, "Update the trust policy of role " ROLE " to admit orders/orders-api");
	assert_string_equal(s->request, "IAM UpdateAssumeRolePolicy RoleName=" ROLE " PolicyDocument=<trust policy>");
	ec2 = canonical(EC2_TRUST);
	assert_string_equal(f->p.trust_before, ec2);

	/* the ec2 statement first, unchanged; irsa's statement after it */
	doc = trust_parse(s->document, &f->err);
	assert_non_null(doc);
	assert_int_equal(doc->n, 2);
	assert_string_equal(doc->st[0].sid, "Ec2");
	assert_string_equal(doc->st[1].sid, "irsaOidc1EXAMPLE");
	trust_statement_remove(doc, 1);
	kept = trust_to_json(doc);
	assert_non_null(kept);
	assert_string_equal(kept, ec2);
	free(kept);
	trust_free(doc);
	free(ec2);
}

/* A Deny for the account outweighs any Allow irsa could add: the plan is
 * refused with the evaluator's reason, not applied in vain. */
static void
test_trust_deny(void **state)
{
	static const char *const none[1];
	static const char deny[] =
	        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoOrders\",\"Effect\":\"Deny\","
	        "\"Principal\":{\"Federated\":\"" PROVIDER "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
	        "\"Condition\":{\"StringLike\":{\"" ISSUER_HOST ":sub\":\"system:serviceaccount:orders:*\"}}}]}";
	struct fx *f = *state;

	state_bound(&f->st, deny, none, 0);
	build_fails(f, IRSA_ERR_CONFLICT);
	assert_contains(f->err.message, "would still not admit orders/orders-api");
	assert_contains(f->err.message, "NoOrders");
	assert_contains(f->err.hint, "denies it");
}

/* Another service account in the trust: widened, not duplicated. */
static void
test_trust_widens(void **state)
{
	static const char *const none[1];
	struct fx *f = *state;
	struct trust_cond_key *k;
	struct trust *doc;
	char *other = xdup(EKSCTL_TRUST);

	/* the same trust, for orders-worker */
	memcpy(strstr(other, "orders:orders-api"), "orders:orders-wkr", 17);
	state_bound(&f->st, other, none, 0);
	build_ok(f);
	assert_int_equal(f->p.n, 1);
	assert_int_equal(f->p.steps[0].kind, PLAN_STEP_ROLE_TRUST);
	assert_string_equal(f->p.steps[0].document_before, other);
	doc = trust_parse(f->p.steps[0].document, &f->err);
	assert_non_null(doc);
	assert_int_equal(doc->n, 1);
	k = trust_condition_find(&doc->st[0], "StringEquals", ISSUER_HOST ":sub");
	assert_non_null(k);
	assert_int_equal(k->values.n, 2);
	assert_string_equal(k->values.v[0], "system:serviceaccount:orders:orders-wkr");
	assert_string_equal(k->values.v[1], "system:serviceaccount:orders:orders-api");
	trust_free(doc);
	free(other);
}

static void
test_trust_quota(void **state)
{
	static const struct {
		long quota;
		int rc;
	} rows[] = {
	        {300, -1},
	        {0, 0}, /* the default, 2048 */
	        {2048, 0},
	        {4096, 0},
	};
	struct fx *f = *state;

	f->ch.create_sa = true;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		f->st.trust_quota = rows[i].quota;
		if (rows[i].rc == 0) {
			build_ok(f);
			assert_int_equal(f->p.steps[1].kind, PLAN_STEP_ROLE_CREATE);
			continue;
		}
		build_fails(f, IRSA_ERR_LIMIT);
		assert_contains(f->err.message, "the trust policy of role " ROLE);
		assert_contains(f->err.message, "over this account's limit of 300");
		assert_true(f->err.hint[0] != '\0');
	}
	/* a trust over the quota that the plan does not change is no error:
	 * the quota may be unknown (0, so 2048) while the account raised it */
	state_bound(&f->st, IRSA_ONE, NULL, 0);
	f->st.trust_quota = 300;
	build_ok(f);
	assert_no_steps(f);
	assert_string_equal(f->p.trust_after, IRSA_ONE);
	/* an existing role's trust that would grow over the quota */
	state_bound(&f->st, EC2_TRUST, NULL, 0);
	f->st.trust_quota = 300;
	build_fails(f, IRSA_ERR_LIMIT);
	assert_contains(f->err.message, "limit of 300");
}

/* --- policies ------------------------------------------------------------------- */

static void
test_policies(void **state)
{
	static const struct {
		const char *name;
		const char *want[4];
		size_t n_want;
		const char *attached[2]; /* besides `others` policies of the account */
		size_t n_attached, others;
		long quota;
		const char *adds[3]; /* the attach steps, in order; NULL-terminated */
		size_t n_policies;   /* p->policies: the requested ones, deduplicated */
		const char *error;   /* IRSA_ERR_LIMIT's message, or NULL */
	} rows[] = {
	        {"duplicates", {S3, DYNAMO, S3, DYNAMO}, 4, {NULL}, 0, 0, 0, {S3, DYNAMO}, 2, NULL},
	        {"one attached", {S3, DYNAMO}, 2, {S3}, 1, 0, 0, {DYNAMO}, 2, NULL},
	        {"all attached", {DYNAMO, S3}, 2, {S3, DYNAMO}, 2, 0, 0, {NULL}, 2, NULL},
	        {"at the default quota", {S3, DYNAMO}, 2, {NULL}, 0, 8, 0, {S3, DYNAMO}, 2, NULL},
	        {"at the default quota, one attached", {S3}, 1, {S3}, 1, 9, 0, {NULL}, 1, NULL},
	        {"over the default quota",
	         {S3, DYNAMO},
	         2,
	         {NULL},
	         0,
	         9,
	         0,
	         {NULL},
	         0,
	         "role " ROLE " would have 11 managed policies attached, over the account's quota of 10"},
	        {"over a lowered quota",
	         {S3, DYNAMO, S3},
	         3,
	         {NULL},
	         0,
	         2,
	         3,
	         {NULL},
	         0,
	         "role " ROLE " would have 4 managed policies attached, over the account's quota of 3"},
	        /* over the quota already (raised, but unknown here), and nothing to add: no error */
	        {"over the default quota, nothing added", {S3}, 1, {S3}, 1, 11, 0, {NULL}, 1, NULL},
	        {"under a raised quota", {S3, DYNAMO, SQS}, 3, {NULL}, 0, 9, 20, {S3, DYNAMO, SQS}, 3, NULL},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t n_adds = 0;

		plan_state_release(&f->st);
		state_fresh(&f->st);
		state_bound(&f->st, IRSA_ONE, rows[i].attached, rows[i].n_attached);
		for (size_t j = 0; j < rows[i].others; j++) {
			char arn[96];

			snprintf(arn, sizeof(arn), "arn:aws:iam::111122223333:policy/other-%zu", j);
			assert_int_equal(aws_strings_add(&f->st.attached, arn), 0);
		}
		f->st.attached_quota = rows[i].quota;
		f->ch.policies = rows[i].want;
		f->ch.n_policies = rows[i].n_want;
		if (rows[i].error != NULL) {
			build_fails(f, IRSA_ERR_LIMIT);
			assert_string_equal(f->err.message, rows[i].error);
			assert_contains(f->err.hint, "Managed policies per role");
			continue;
		}
		build_ok(f);
		while (n_adds < 3 && rows[i].adds[n_adds] != NULL)
			n_adds++;
		if (f->p.n != n_adds)
			fail_msg("%s: %zu steps, expected %zu", rows[i].name, f->p.n, n_adds);
		for (size_t j = 0; j < n_adds; j++) {
			assert_int_equal(f->p.steps[j].kind, PLAN_STEP_POLICY_ATTACH);
			assert_string_equal(f->p.steps[j].policy_arn, rows[i].adds[j]);
			assert_non_null(f->p.steps[j].command);
		}
		assert_int_equal(f->p.policies.n, rows[i].n_policies);
		for (size_t j = 0; j < f->p.policies.n; j++)
			assert_string_equal(f->p.policies.v[j], rows[i].want[j]);
	}
}

/* --- the service account -------------------------------------------------------- */

static void
test_sa_missing(void **state)
{
	static const struct {
		const char *sts, *expiration;
		size_t n; /* annotations: role-arn, then the ones chosen */
	} rows[] = {
	        {NULL, NULL, 1},
	        {"true", NULL, 2},
	        {NULL, "3600", 2},
	        {"false", "86400", 3},
	};
	struct fx *f = *state;

	state_bound(&f->st, IRSA_ONE, NULL, 0);
	kube_object_release(&f->st.sa);
	f->st.sa_exists = false;

	build_fails(f, IRSA_ERR_NOT_FOUND);
	assert_string_equal(f->err.message, "service account orders/orders-api does not exist in prod");
	assert_contains(f->err.hint, "--create-service-account");

	f->ch.create_sa = true;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct plan_step *s;
		size_t a = 1;

		f->ch.sts_regional = rows[i].sts;
		f->ch.token_expiration = rows[i].expiration;
		build_ok(f);
		assert_false(f->p.sa_exists);
		assert_int_equal(f->p.n, 1);
		s = &f->p.steps[0];
		assert_int_equal(s->kind, PLAN_STEP_SA_CREATE);
		assert_string_equal(s->ns, NS);
		assert_string_equal(s->name, SA);
		assert_string_equal(s->title, "Create service account orders/orders-api bound to role " ROLE);
		assert_string_equal(s->request, "POST /api/v1/namespaces/orders/serviceaccounts");
		assert_non_null(s->command);
		assert_int_equal(s->n_annotations, rows[i].n);
		assert_int_equal(f->p.n_annotations, rows[i].n);
		assert_annotation(&s->annotations[0], PLAN_ANN_ROLE_ARN, NULL, ROLE_ARN);
		assert_annotation(&f->p.annotations[0], PLAN_ANN_ROLE_ARN, NULL, ROLE_ARN);
		if (rows[i].sts != NULL) {
			assert_annotation(&s->annotations[a], PLAN_ANN_STS_REGIONAL, NULL, rows[i].sts);
			assert_annotation(&f->p.annotations[a++], PLAN_ANN_STS_REGIONAL, NULL, rows[i].sts);
		}
		if (rows[i].expiration != NULL) {
			assert_annotation(&s->annotations[a], PLAN_ANN_TOKEN_EXPIRATION, NULL, rows[i].expiration);
			assert_annotation(&f->p.annotations[a++], PLAN_ANN_TOKEN_EXPIRATION, NULL, rows[i].expiration);
		}
	}
}

/* Bound to another role: the step changes irsa's annotations that differ
 * and nothing else; the plan's end state lists irsa's annotations only. */
static void
test_sa_bound_elsewhere(void **state)
{
	static const char *const ann[] = {
	        PLAN_ANN_ROLE_ARN,     OLD_ROLE_ARN, "example.com/team",        "orders",
	        PLAN_ANN_STS_REGIONAL, "true",       PLAN_ANN_TOKEN_EXPIRATION, "3600",
	};
	struct fx *f = *state;
	const struct plan_step *s;

	state_bound(&f->st, IRSA_ONE, NULL, 0);
	state_sa(&f->st, ann, 4);
	f->ch.token_expiration = "86400"; /* changes; sts-regional not chosen: left alone */
	build_ok(f);
	assert_int_equal(f->p.n, 1);
	s = &f->p.steps[0];
	assert_int_equal(s->kind, PLAN_STEP_SA_ANNOTATE);
	assert_string_equal(s->title, "Annotate service account orders/orders-api with role " ROLE);
	assert_int_equal(s->n_annotations, 2);
	assert_annotation(&s->annotations[0], PLAN_ANN_ROLE_ARN, OLD_ROLE_ARN, ROLE_ARN);
	assert_annotation(&s->annotations[1], PLAN_ANN_TOKEN_EXPIRATION, "3600", "86400");
	assert_int_equal(f->p.n_annotations, 3);
	assert_annotation(&f->p.annotations[0], PLAN_ANN_ROLE_ARN, OLD_ROLE_ARN, ROLE_ARN);
	assert_annotation(&f->p.annotations[1], PLAN_ANN_STS_REGIONAL, "true", "true");
	assert_annotation(&f->p.annotations[2], PLAN_ANN_TOKEN_EXPIRATION, "3600", "86400");

	/* only sts-regional differs: one change, with the role-arn unchanged */
	f->ch.token_expiration = NULL;
	f->ch.sts_regional = "false";
	state_sa(&f->st, (const char *const[]){PLAN_ANN_ROLE_ARN, ROLE_ARN, PLAN_ANN_STS_REGIONAL, "true"}, 2);
	build_ok(f);
	assert_int_equal(f->p.n, 1);
	s = &f->p.steps[0];
	assert_int_equal(s->n_annotations, 1);
	assert_annotation(&s->annotations[0], PLAN_ANN_STS_REGIONAL, "true", "false");
	assert_int_equal(f->p.n_annotations, 2);
	assert_annotation(&f->p.annotations[0], PLAN_ANN_ROLE_ARN, ROLE_ARN, ROLE_ARN);
	assert_annotation(&f->p.annotations[1], PLAN_ANN_STS_REGIONAL, "true", "false");
}

/* --- restarts ------------------------------------------------------------------- */

static void
test_restarts(void **state)
{
	static const struct {
		const char *name;
		bool restart, sa_bound, paused;
		size_t restarts; /* steps after the SA step */
		const char *warning;
	} rows[] = {
	        {"restart, binding changes", true, false, false, 3, NULL},
	        {"restart, binding unchanged", true, true, false, 0, NULL},
	        {"no restart, binding changes", false, false, false, 0,
	         "Running pods keep their old credentials until recreated: Deployment orders-api, StatefulSet "
	         "orders-cache, DaemonSet orders-agent run as orders/orders-api; add --restart-workloads, or run "
	         "kubectl rollout restart."},
	        {"no restart, binding unchanged", false, true, false, 0, NULL},
	        {"restart, deployment paused", true, false, true, 2,
	         "Running pods keep their old credentials until recreated: Deployment orders-api runs as "
	         "orders/orders-api (paused: resume and restart it yourself)."},
	};
	static const struct {
		enum kube_kind kind;
		const char *name, *request;
	} all[] = {
	        {KUBE_DEPLOYMENT, "orders-api", RESTART_REQUEST("deployments", "orders-api")},
	        {KUBE_STATEFULSET, "orders-cache", RESTART_REQUEST("statefulsets", "orders-cache")},
	        {KUBE_DAEMONSET, "orders-agent", RESTART_REQUEST("daemonsets", "orders-agent")},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t first = rows[i].paused ? 1 : 0, n_sa = rows[i].sa_bound ? 0 : 1;

		plan_state_release(&f->st);
		state_fresh(&f->st);
		state_bound(&f->st, IRSA_ONE, NULL, 0);
		if (!rows[i].sa_bound)
			state_sa(&f->st, NULL, 0);
		for (size_t j = 0; j < 3; j++)
			state_workload(&f->st, all[j].kind, all[j].name, j == 0 && rows[i].paused);
		f->ch.restart = rows[i].restart;
		build_ok(f);
		if (f->p.n != n_sa + rows[i].restarts)
			fail_msg("%s: %zu steps, expected %zu", rows[i].name, f->p.n, n_sa + rows[i].restarts);
		if (n_sa > 0)
			assert_int_equal(f->p.steps[0].kind, PLAN_STEP_SA_ANNOTATE);
		for (size_t j = 0; j < rows[i].restarts; j++) {
			const struct plan_step *s = &f->p.steps[n_sa + j];
			char title[128];

			snprintf(title, sizeof(title), "Restart %s orders/%s so its pods get the binding",
			         kube_resource(all[first + j].kind)->kind, all[first + j].name);
			assert_int_equal(s->kind, PLAN_STEP_RESTART);
			assert_int_equal(s->workload, all[first + j].kind);
			assert_string_equal(s->ns, NS);
			assert_string_equal(s->name, all[first + j].name);
			assert_string_equal(s->title, title);
			assert_string_equal(s->request, all[first + j].request);
			assert_non_null(s->command);
		}
		if (rows[i].warning == NULL) {
			if (f->p.warnings.n != 0)
				fail_msg("%s: unexpected warning: %s", rows[i].name, f->p.warnings.v[0]);
			continue;
		}
		assert_int_equal(f->p.warnings.n, 1);
		assert_string_equal(f->p.warnings.v[0], rows[i].warning);
	}
}

/* --- service principals --------------------------------------------------------- */

/* A service principal gets its statement, scoped with aws:SourceAccount
 * where the service sends it (ecs-tasks; EC2 does not, so ec2's is not
 * scoped: see trust_build.c), and a warning that it widens who may assume
 * the role. */
static void
test_services(void **state)
{
	static const struct {
		const char *service, *principal;
		bool scoped; /* StringEquals aws:SourceAccount = the account */
		const char *warning;
	} rows[] = {
	        {"ec2", "ec2.amazonaws.com", false,
	         "The trust also lets the AWS service ec2.amazonaws.com assume the role: anything that service runs "
	         "for this account can act with the role's permissions."},
	        {"ecs-tasks", "ecs-tasks.amazonaws.com", true,
	         "The trust also lets the AWS service ecs-tasks.amazonaws.com assume the role (scoped to this "
	         "account): anything that service runs for this account can act with the role's permissions."},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct trust_service *svc = trust_service_lookup(rows[i].service, NULL);
		const struct trust_statement *st;
		struct trust_cond_key *k;
		struct trust *doc;
		char want[160];

		assert_non_null(svc);
		assert_int_equal(svc->source_account, rows[i].scoped);
		plan_state_release(&f->st);
		state_fresh(&f->st);
		f->ch.services = &rows[i].service;
		f->ch.n_services = 1;
		f->ch.create_sa = true;
		build_ok(f);
		assert_int_equal(f->p.n, 3);
		assert_int_equal(f->p.steps[1].kind, PLAN_STEP_ROLE_CREATE);
		assert_string_equal(f->p.steps[1].document, f->p.trust_after);
		doc = trust_parse(f->p.trust_after, &f->err);
		assert_non_null(doc);
		assert_int_equal(doc->n, 2);
		assert_string_equal(doc->st[0].sid, "irsaOidc1EXAMPLE");
		st = &doc->st[1];
		assert_false(st->deny);
		assert_int_equal(st->principal.n, 1);
		assert_string_equal(st->principal.e[0].type, "Service");
		assert_int_equal(st->principal.e[0].ids.n, 1);
		assert_string_equal(st->principal.e[0].ids.v[0], rows[i].principal);
		assert_int_equal(st->action.n, 1);
		assert_string_equal(st->action.v[0], TRUST_ACTION_ASSUME);
		k = trust_condition_find(st, "StringEquals", "aws:SourceAccount");
		if (rows[i].scoped) {
			assert_non_null(k);
			assert_int_equal(k->values.n, 1);
			assert_string_equal(k->values.v[0], ACCOUNT);
		} else {
			assert_null(k);
			assert_false(st->has_condition);
		}
		trust_free(doc);
		assert_int_equal(f->p.warnings.n, 1);
		assert_string_equal(f->p.warnings.v[0], rows[i].warning);

		/* an existing role bound already: the statement is added to its trust */
		state_bound(&f->st, IRSA_ONE, NULL, 0);
		build_ok(f);
		assert_int_equal(f->p.n, 1);
		assert_int_equal(f->p.steps[0].kind, PLAN_STEP_ROLE_TRUST);
		assert_string_equal(f->p.steps[0].document_before, IRSA_ONE);
		snprintf(want, sizeof(want), "\"Service\": \"%s\"", rows[i].principal);
		assert_contains(f->p.steps[0].document, want);
		assert_int_equal(f->p.warnings.n, 1);
		assert_string_equal(f->p.warnings.v[0], rows[i].warning);
	}
}

/* An unknown service is refused before anything is planned. */
static void
test_unknown_service(void **state)
{
	static const char *const bad[] = {"ec2", "ec9"};
	struct fx *f = *state;

	f->ch.services = bad;
	f->ch.n_services = 2;
	f->ch.create_sa = true;
	build_fails(f, IRSA_ERR_INVALID_INPUT);
	assert_contains(f->err.message, "ec9");
	assert_int_equal(f->p.n, 0);
	assert_null(f->p.steps);
	assert_null(f->p.cluster);
	assert_null(f->p.role_arn);
	assert_null(f->p.trust_after);
	assert_int_equal(f->p.warnings.n, 0);
}

/* --- --role-arn ----------------------------------------------------------------- */

static void
test_role_arn(void **state)
{
	static const struct {
		const char *name;
		const char *role_arn;   /* --role-arn */
		const char *role_name;  /* its name, as plan_read() looks it up */
		const char *iam_arn;    /* the role IAM has under that name; NULL: none */
		enum irsa_err kind;     /* IRSA_OK: builds */
		const char *message[2]; /* in the error message */
	} rows[] = {
	        {"missing", ROLE_ARN, ROLE, NULL, IRSA_ERR_NOT_FOUND, {"role " ROLE_ARN " does not exist", NULL}},
	        {"another account",
	         "arn:aws:iam::444455556666:role/" ROLE,
	         ROLE,
	         ROLE_ARN,
	         IRSA_ERR_INVALID_INPUT,
	         {"arn:aws:iam::444455556666:role/" ROLE, ROLE_ARN}},
	        {"another path",
	         "arn:aws:iam::111122223333:role/team/shared",
	         "shared",
	         "arn:aws:iam::111122223333:role/apps/shared",
	         IRSA_ERR_INVALID_INPUT,
	         {"arn:aws:iam::111122223333:role/team/shared", "arn:aws:iam::111122223333:role/apps/shared"}},
	        {"the role", ROLE_ARN, ROLE, ROLE_ARN, IRSA_OK, {NULL, NULL}},
	        {"with a path",
	         "arn:aws:iam::111122223333:role/apps/shared",
	         "shared",
	         "arn:aws:iam::111122223333:role/apps/shared",
	         IRSA_OK,
	         {NULL, NULL}},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		plan_state_release(&f->st);
		state_fresh(&f->st);
		replace(&f->st.role_name, rows[i].role_name);
		state_provider(&f->st, true, true);
		state_sa(&f->st, NULL, 0);
		if (rows[i].iam_arn != NULL)
			state_role(&f->st, IRSA_ONE, rows[i].iam_arn);
		f->ch.role_arn = rows[i].role_arn;
		if (rows[i].kind != IRSA_OK) {
			build_fails(f, rows[i].kind);
			for (size_t j = 0; j < 2 && rows[i].message[j] != NULL; j++)
				assert_contains(f->err.message, rows[i].message[j]);
			assert_true(f->err.hint[0] != '\0');
			continue;
		}
		build_ok(f);
		assert_string_equal(f->p.role_arn, rows[i].role_arn);
		assert_string_equal(f->p.role_name, rows[i].role_name);
		assert_int_equal(f->p.n, 1);
		assert_int_equal(f->p.steps[0].kind, PLAN_STEP_SA_ANNOTATE);
		assert_annotation(&f->p.steps[0].annotations[0], PLAN_ANN_ROLE_ARN, NULL, rows[i].role_arn);
	}
}

/* --- after an apply ------------------------------------------------------------- */

/* The state an apply of p leaves, on top of the state st it was built on:
 * the provider with sts, the role with p's trust and policies, the service
 * account with its other annotations and irsa's as p leaves them. */
static void
state_applied(struct plan_state *st, const struct plan *p)
{
	size_t max = 2 * (p->n_annotations + (st->sa_exists ? st->sa.n_annotations : 0)) + 1, n = 0;
	char **ann = calloc(max, sizeof(*ann));

	assert_non_null(ann);
	state_provider(st, true, true);
	replace(&st->thumbprint_error, NULL);
	state_role(st, p->trust_after, p->role_arn);
	aws_strings_release(&st->attached);
	state_attached(st, (const char *const *)p->policies.v, p->policies.n);
	for (size_t i = 0; st->sa_exists && i < st->sa.n_annotations; i++) {
		if (strncmp(st->sa.annotations[i].key, "eks.amazonaws.com/", 18) == 0)
			continue;
		ann[2 * n] = xdup(st->sa.annotations[i].key);
		ann[2 * n + 1] = xdup(st->sa.annotations[i].value);
		n++;
	}
	for (size_t i = 0; i < p->n_annotations; i++) {
		if (p->annotations[i].after == NULL)
			continue;
		ann[2 * n] = xdup(p->annotations[i].key);
		ann[2 * n + 1] = xdup(p->annotations[i].after);
		n++;
	}
	state_sa(st, (const char *const *)ann, n);
	for (size_t i = 0; i < 2 * n; i++)
		free(ann[i]);
	free(ann);
}

static void
test_plan_after_apply(void **state)
{
	static const char *const policies[] = {S3, DYNAMO, S3};
	static const char *const ec2[] = {"ec2", "ecs-tasks"};
	static const struct {
		const char *name;
		bool sa_exists, create_sa, restart, thumbprint;
		const char *role_name, *role_path, *sts, *expiration;
		size_t n_services;
	} rows[] = {
	        {"fresh", true, false, false, true, NULL, NULL, NULL, NULL, 0},
	        {"fresh, restart", true, false, true, true, NULL, NULL, NULL, NULL, 0},
	        {"new SA, services, path", false, true, true, true, "orders-shared", "/apps/", "true", "3600", 2},
	        {"no thumbprint", true, true, false, false, NULL, NULL, "false", NULL, 1},
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct plan after;

		plan_state_release(&f->st);
		state_fresh(&f->st);
		if (rows[i].sa_exists)
			state_sa(&f->st, (const char *const[]){"example.com/team", "orders"}, 1);
		if (!rows[i].thumbprint) {
			replace(&f->st.thumbprint, NULL);
			f->st.thumbprint_error = xdup("connection refused");
		}
		if (rows[i].role_name != NULL)
			replace(&f->st.role_name, rows[i].role_name);
		state_workload(&f->st, KUBE_DEPLOYMENT, SA, false);
		f->ch.policies = policies;
		f->ch.n_policies = 3;
		f->ch.services = ec2;
		f->ch.n_services = rows[i].n_services;
		f->ch.create_sa = rows[i].create_sa;
		f->ch.restart = rows[i].restart;
		f->ch.role_name = rows[i].role_name;
		f->ch.role_path = rows[i].role_path;
		f->ch.sts_regional = rows[i].sts;
		f->ch.token_expiration = rows[i].expiration;
		build_ok(f);
		if (f->p.n < 4)
			fail_msg("%s: %zu steps", rows[i].name, f->p.n);

		state_applied(&f->st, &f->p);
		if (plan_build(&f->ch, &f->st, &after, &f->err) != 0)
			fail_msg("%s: the second plan failed: %s", rows[i].name, f->err.message);
		if (after.n != 0)
			fail_msg("%s: the second plan has %zu steps, the first %s: %s", rows[i].name, after.n,
			         plan_step_kind_name(after.steps[0].kind), after.steps[0].title);
		assert_int_equal(after.warnings.n, 0);
		assert_string_equal(after.role_arn, f->p.role_arn);
		assert_string_equal(after.trust_before, f->p.trust_after);
		assert_string_equal(after.trust_after, f->p.trust_after);
		assert_int_equal(after.policies.n, f->p.policies.n);
		assert_int_equal(after.n_annotations, f->p.n_annotations);
		for (size_t j = 0; j < after.n_annotations; j++)
			assert_annotation(&after.annotations[j], f->p.annotations[j].key, f->p.annotations[j].after,
			                  f->p.annotations[j].after);
		plan_release(&after);
	}
}

static void
test_step_kind_names(void **state)
{
	static const char *const names[PLAN_STEP_N_KINDS] = {
	        "oidc-provider", "oidc-client-id", "role-create", "role-trust",
	        "policy-attach", "sa-create",      "sa-annotate", "restart",
	};

	(void)state;
	for (int k = 0; k < PLAN_STEP_N_KINDS; k++) {
		assert_string_equal(plan_step_kind_name(k), names[k]);
		assert_int_equal(plan_step_kind_parse(names[k]), k);
	}
	assert_string_equal(plan_step_kind_name(PLAN_STEP_N_KINDS), "unknown");
	assert_int_equal(plan_step_kind_parse("role"), -1);
	assert_int_equal(plan_step_kind_parse(NULL), -1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_fresh_setup),      T(test_fresh_named_role_with_path),
	        T(test_provider),         T(test_thumbprint_error),
	        T(test_already_bound),    T(test_trust_keeps_unrelated),
	        T(test_trust_deny),       T(test_trust_widens),
	        T(test_trust_quota),      T(test_policies),
	        T(test_sa_missing),       T(test_sa_bound_elsewhere),
	        T(test_restarts),         T(test_services),
	        T(test_unknown_service),  T(test_role_arn),
	        T(test_plan_after_apply), cmocka_unit_test(test_step_kind_names),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
