/* tests/unit/test_audit_snapshot.c - audit snapshots (core/audit_snapshot.c):
 * a fixture read, written and read again gives the same findings and the
 * same input, field by field (roles and their trusts, policies, providers,
 * clusters, the Kubernetes lists, the errors); documents given as objects
 * or URL-encoded strings read the same and survive byte for byte; raw API
 * lists get their items' kind back; and bad snapshots are refused with
 * IRSA_ERR_PARSE naming the JSON path of the bad member. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "audit.h"
#include "buf.h"

#include "audit_golden.h"
#include "golden.h"

#define ACCOUNT "123456789012"
#define ISSUER  "https://oidc.eks.us-east-1.amazonaws.com/id/ECDECAE82E46083D180E22E7B2283040"
#define PROVIDER                                                                                                       \
	"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ECDECAE82E46083D180E22E7B2283040"

/* --- helpers --------------------------------------------------------------- */

static void
load_fixture(const char *rel, struct audit_input *in)
{
	char path[PATH_MAX];
	struct irsa_error err;

	test_data_path(rel, path, sizeof(path));
	if (audit_golden_load(path, in, &err) != 0)
		fail_msg("%s", err.message);
}

static int
load_text(const char *text, struct audit_input *in, struct irsa_error *err)
{
	struct json_object *o = json_tokener_parse(text);
	int rc;

	if (o == NULL)
		fail_msg("test JSON does not parse: %s", text);
	rc = audit_snapshot_from_json(o, in, err);
	json_object_put(o);
	return rc;
}

/* in written as text, parsed and read into out. Returns the text (the
 * caller frees). */
static char *
round_trip(const struct audit_input *in, struct audit_input *out)
{
	struct json_object *o = audit_snapshot_to_json(in), *o2;
	struct irsa_error err;
	char *text;

	assert_non_null(o);
	text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	assert_non_null(text);
	json_object_put(o);
	o2 = json_tokener_parse(text);
	assert_non_null(o2);
	if (audit_snapshot_from_json(o2, out, &err) != 0)
		fail_msg("the written snapshot does not read back: %s\n%s", err.message, text);
	json_object_put(o2);
	return text;
}

static char *
findings(struct audit_input *in)
{
	struct audit_options o = {.min_severity = AUDIT_SEV_INFO};
	struct audit_result r;
	struct irsa_error err;
	char *text;

	if (audit_run(in, &o, &r, &err) != 0)
		fail_msg("audit_run: %s", err.message);
	text = audit_golden_text(&r);
	assert_non_null(text);
	audit_result_release(&r);
	return text;
}

static void
assert_str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_strings_same(const struct aws_strings *a, const struct aws_strings *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		assert_string_equal(a->v[i], b->v[i]);
}

static void
assert_list_same(const struct kube_object_list *a, const struct kube_object_list *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(a->v[i].kind, b->v[i].kind);
		assert_string_equal(a->v[i].namespace, b->v[i].namespace);
		assert_string_equal(a->v[i].name, b->v[i].name);
		assert_str_same(a->v[i].service_account, b->v[i].service_account);
		assert_int_equal(a->v[i].n_annotations, b->v[i].n_annotations);
		assert_true(json_object_equal(a->v[i].obj, b->v[i].obj));
	}
}

/* Every field of two inputs equal. */
static void
assert_inputs_same(const struct audit_input *a, const struct audit_input *b)
{
	assert_str_same(a->account, b->account);
	assert_str_same(a->arn_prefix, b->arn_prefix);
	assert_int_equal(a->trust_quota, b->trust_quota);
	assert_int_equal(a->attached_quota, b->attached_quota);
	assert_int_equal(a->n_roles, b->n_roles);
	for (size_t i = 0; i < a->n_roles; i++) {
		const struct aws_role *x = &a->roles[i], *y = &b->roles[i];
		const struct audit_role_policies *p = &a->role_policies[i], *q = &b->role_policies[i];

		assert_str_same(x->name, y->name);
		assert_str_same(x->arn, y->arn);
		assert_str_same(x->role_id, y->role_id);
		assert_str_same(x->path, y->path);
		assert_int_equal(x->created, y->created);
		assert_str_same(x->description, y->description);
		assert_int_equal(x->max_session_duration, y->max_session_duration);
		assert_str_same(x->trust_policy, y->trust_policy); /* byte for byte */
		assert_int_equal(x->trust_policy_json, y->trust_policy_json);
		assert_int_equal(x->tags.n, y->tags.n);
		for (size_t k = 0; k < x->tags.n; k++) {
			assert_string_equal(x->tags.v[k].key, y->tags.v[k].key);
			assert_string_equal(x->tags.v[k].value, y->tags.v[k].value);
		}
		assert_str_same(x->permissions_boundary_arn, y->permissions_boundary_arn);
		assert_int_equal(x->last_used, y->last_used);
		assert_str_same(x->last_used_region, y->last_used_region);
		assert_int_equal(p->known, q->known);
		assert_strings_same(&p->attached, &q->attached);
		assert_strings_same(&p->inline_name, &q->inline_name);
		for (size_t k = 0; k < p->inline_name.n; k++)
			assert_str_same(p->inline_doc[k], q->inline_doc[k]);
		assert_str_same(p->error, q->error);
	}
	assert_int_equal(a->n_providers, b->n_providers);
	for (size_t i = 0; i < a->n_providers; i++) {
		assert_str_same(a->providers[i].arn, b->providers[i].arn);
		assert_int_equal(a->providers[i].detail_known, b->providers[i].detail_known);
		assert_str_same(a->providers[i].url, b->providers[i].url);
		assert_strings_same(&a->providers[i].client_ids, &b->providers[i].client_ids);
		assert_strings_same(&a->providers[i].thumbprints, &b->providers[i].thumbprints);
	}
	assert_int_equal(a->n_policies, b->n_policies);
	for (size_t i = 0; i < a->n_policies; i++) {
		assert_str_same(a->policies[i].arn, b->policies[i].arn);
		assert_str_same(a->policies[i].name, b->policies[i].name);
		assert_str_same(a->policies[i].default_version, b->policies[i].default_version);
		assert_str_same(a->policies[i].document, b->policies[i].document);
		assert_str_same(a->policies[i].error, b->policies[i].error);
	}
	assert_int_equal(a->live_issuers_known, b->live_issuers_known);
	assert_strings_same(&a->live_issuers, &b->live_issuers);
	assert_strings_same(&a->read_errors, &b->read_errors);
	assert_int_equal(a->n_clusters, b->n_clusters);
	for (size_t i = 0; i < a->n_clusters; i++) {
		const struct audit_cluster *x = &a->clusters[i], *y = &b->clusters[i];

		assert_str_same(x->name, y->name);
		assert_str_same(x->region, y->region);
		assert_str_same(x->context, y->context);
		assert_str_same(x->arn, y->arn);
		assert_str_same(x->issuer, y->issuer);
		assert_str_same(x->provider_arn, y->provider_arn);
		assert_str_same(x->thumbprint, y->thumbprint);
		assert_str_same(x->thumbprint_error, y->thumbprint_error);
		assert_int_equal(x->kube_known, y->kube_known);
		assert_str_same(x->kube_error, y->kube_error);
		assert_list_same(&x->sas, &y->sas);
		assert_list_same(&x->pods, &y->pods);
		assert_list_same(&x->workloads, &y->workloads);
	}
}

/* --- the fixtures ---------------------------------------------------------- */

/* What the fixture all/clean-correct-binding holds, as read. */
static void
check_correct_binding(const struct audit_input *in)
{
	const struct audit_cluster *c;
	const struct aws_role *r;

	assert_string_equal(in->account, ACCOUNT);
	assert_string_equal(in->arn_prefix, "arn:aws:");
	assert_int_equal(in->trust_quota, 2048);
	assert_int_equal(in->attached_quota, 10);
	assert_int_equal(in->n_roles, 1);
	r = &in->roles[0];
	assert_string_equal(r->name, "shop-prod-orders");
	assert_string_equal(r->arn, "arn:aws:iam::123456789012:role/shop-prod-orders");
	assert_string_equal(r->path, "/");
	assert_true(r->created > 0);
	assert_int_equal(r->max_session_duration, 3600);
	assert_true(r->trust_policy_json);
	assert_non_null(strstr(r->trust_policy, "\"Action\":\"sts:AssumeRoleWithWebIdentity\""));
	assert_non_null(strstr(r->trust_policy, ":sub\":\"system:serviceaccount:orders:orders-api\""));
	assert_string_equal(r->permissions_boundary_arn, "arn:aws:iam::123456789012:policy/workload-boundary");
	assert_true(in->role_policies[0].known);
	assert_int_equal(in->role_policies[0].attached.n, 1);
	assert_string_equal(in->role_policies[0].attached.v[0], "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
	assert_int_equal(in->role_policies[0].inline_name.n, 0);
	assert_null(in->role_policies[0].error);
	assert_int_equal(in->n_providers, 1);
	assert_string_equal(in->providers[0].arn, PROVIDER);
	assert_true(in->providers[0].detail_known);
	assert_string_equal(in->providers[0].url, &ISSUER[strlen("https://")]);
	assert_int_equal(in->providers[0].client_ids.n, 1);
	assert_string_equal(in->providers[0].client_ids.v[0], "sts.amazonaws.com");
	assert_int_equal(in->providers[0].thumbprints.n, 1);
	assert_true(in->live_issuers_known);
	assert_int_equal(in->live_issuers.n, 1);
	assert_string_equal(in->live_issuers.v[0], ISSUER);
	assert_int_equal(in->read_errors.n, 0);
	assert_int_equal(in->n_policies, 0);
	assert_int_equal(in->n_clusters, 1);
	c = &in->clusters[0];
	assert_string_equal(c->name, "shop-prod");
	assert_string_equal(c->region, "us-east-1");
	assert_string_equal(c->context, "shop-prod");
	assert_string_equal(c->arn, "arn:aws:eks:us-east-1:123456789012:cluster/shop-prod");
	assert_string_equal(c->issuer, ISSUER);
	assert_string_equal(c->provider_arn, PROVIDER);
	assert_string_equal(c->thumbprint, in->providers[0].thumbprints.v[0]);
	assert_null(c->thumbprint_error);
	assert_true(c->kube_known);
	assert_null(c->kube_error);
	assert_int_equal(c->sas.n, 1);
	assert_int_equal(c->sas.v[0].kind, KUBE_SERVICE_ACCOUNT);
	assert_string_equal(c->sas.v[0].namespace, "orders");
	assert_string_equal(c->sas.v[0].name, "orders-api");
	assert_string_equal(kube_object_annotation(&c->sas.v[0], "eks.amazonaws.com/role-arn"), r->arn);
	assert_int_equal(c->pods.n, 1);
	assert_int_equal(c->pods.v[0].kind, KUBE_POD);
	assert_string_equal(c->pods.v[0].service_account, "orders-api");
	assert_string_equal(binding_pod_role_arn(&c->pods.v[0]), r->arn);
	assert_int_equal(c->workloads.n, 1);
	assert_int_equal(c->workloads.v[0].kind, KUBE_DEPLOYMENT);
	assert_string_equal(c->workloads.v[0].service_account, "orders-api");
}

static void
test_fixture_fields(void **state)
{
	struct audit_input in, again;
	char *text;

	(void)state;
	load_fixture("audit/all/clean-correct-binding/snapshot.json", &in);
	check_correct_binding(&in);
	text = round_trip(&in, &again);
	check_correct_binding(&again);
	assert_inputs_same(&in, &again);
	free(text);
	audit_input_release(&again);
	audit_input_release(&in);
}

/* Read, write, read: the same findings, and writing again gives the same
 * text. */
static void
round_trip_case(const char *rel)
{
	struct audit_input in, again, third;
	char *a, *b, *t1, *t2;

	load_fixture(rel, &in);
	t1 = round_trip(&in, &again);
	t2 = round_trip(&again, &third);
	assert_string_equal(t1, t2);
	assert_inputs_same(&in, &again);
	a = findings(&in);
	b = findings(&again);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(t1);
	free(t2);
	audit_input_release(&third);
	audit_input_release(&again);
	audit_input_release(&in);
}

static void
test_round_trip_fixtures(void **state)
{
	(void)state;
	round_trip_case("audit/all/clean-correct-binding/snapshot.json");
	round_trip_case("audit/all/fires-aud-only/snapshot.json");
}

/* --- every field, both document forms ------------------------------------- */

/* The trust of role "encoded", URL-encoded with its whitespace as IAM sends
 * it: {"Version": "2012-10-17", "Statement": []} */
#define ENCODED_TRUST "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%5B%5D%7D"

static const char rich[] =
        "{\"irsaSnapshot\": 1, \"account\": \"123456789012\", \"arnPrefix\": \"arn:aws:\","
        " \"accountSummary\": {\"Roles\": 3, \"AssumeRolePolicySizeQuota\": 4096,"
        "   \"AttachedPoliciesPerRoleQuota\": 20},"
        " \"roles\": ["
        "  {\"Path\": \"/app/\", \"RoleName\": \"plain\", \"RoleId\": \"AROA1\","
        "   \"Arn\": \"arn:aws:iam::123456789012:role/app/plain\", \"CreateDate\": \"2025-03-04T05:06:07+00:00\","
        "   \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        "     \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]},"
        "   \"Description\": \"d\", \"MaxSessionDuration\": 7200,"
        "   \"PermissionsBoundary\": {\"PermissionsBoundaryType\": \"Policy\","
        "     \"PermissionsBoundaryArn\": \"arn:aws:iam::123456789012:policy/b\"},"
        "   \"Tags\": [{\"Key\": \"team\", \"Value\": \"orders\"}],"
        "   \"RoleLastUsed\": {\"LastUsedDate\": \"2025-06-01T00:00:00Z\", \"Region\": \"eu-west-1\"}},"
        "  {\"RoleName\": \"encoded\", \"Arn\": \"arn:aws:iam::123456789012:role/encoded\","
        "   \"AssumeRolePolicyDocument\": \"" ENCODED_TRUST "\"},"
        "  {\"RoleName\": \"unread\", \"Arn\": \"arn:aws:iam::123456789012:role/unread\","
        "   \"AssumeRolePolicyDocument\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"}"
        " ],"
        " \"attachedRolePolicies\": {\"plain\": [{\"PolicyName\": \"p\","
        "   \"PolicyArn\": \"arn:aws:iam::123456789012:policy/p\"}], \"encoded\": []},"
        " \"rolePolicies\": {\"plain\": {\"obj\": {\"Version\": \"2012-10-17\", \"Statement\": []},"
        "   \"enc\": \"%7B%22Version%22%3A%222012-10-17%22%7D\", \"gone\": null}},"
        " \"roleErrors\": {\"unread\": \"AccessDenied on ListRolePolicies\"},"
        " \"policies\": ["
        "  {\"Arn\": \"arn:aws:iam::123456789012:policy/p\", \"PolicyName\": \"p\", \"DefaultVersionId\": \"v3\","
        "   \"Document\": \"%7B%22Statement%22%3A%5B%5D%7D\"},"
        "  {\"Arn\": \"arn:aws:iam::123456789012:policy/q\", \"PolicyName\": \"q\","
        "   \"Error\": \"AccessDenied on GetPolicyVersion\"}],"
        " \"openIDConnectProviders\": ["
        "  {\"Arn\": \"" PROVIDER
        "\", \"Url\": \"oidc.eks.us-east-1.amazonaws.com/id/ECDECAE82E46083D180E22E7B2283040\","
        "   \"ClientIDList\": [\"sts.amazonaws.com\", \"other\"], \"ThumbprintList\": []},"
        "  {\"Arn\": \"arn:aws:iam::123456789012:oidc-provider/example.com\"}],"
        " \"readErrors\": [\"eu-north-1 did not answer\"],"
        " \"clusters\": ["
        "  {\"region\": \"us-east-1\", \"cluster\": {\"name\": \"a\","
        "    \"arn\": \"arn:aws:eks:us-east-1:123456789012:cluster/a\","
        "    \"identity\": {\"oidc\": {\"issuer\": \"" ISSUER "\"}}},"
        "   \"thumbprintError\": \"connect: refused\","
        "   \"serviceAccounts\": {\"apiVersion\": \"v1\", \"kind\": \"ServiceAccountList\", \"items\": ["
        "     {\"metadata\": {\"name\": \"s\", \"namespace\": \"n\","
        "       \"annotations\": {\"eks.amazonaws.com/role-arn\": \"arn:aws:iam::123456789012:role/app/plain\"}}}]},"
        "   \"pods\": {\"kind\": \"PodList\", \"items\": [{\"metadata\": {\"name\": \"p1\", \"namespace\": \"n\"},"
        "     \"spec\": {\"serviceAccountName\": \"s\"}}]},"
        "   \"workloads\": {\"kind\": \"List\", \"items\": ["
        "     {\"kind\": \"StatefulSet\", \"apiVersion\": \"apps/v1\", \"metadata\": {\"name\": \"st\", \"namespace\": "
        "\"n\"},"
        "      \"spec\": {\"template\": {\"spec\": {\"serviceAccountName\": \"s\"}}}},"
        "     {\"kind\": \"DaemonSet\", \"apiVersion\": \"apps/v1\", \"metadata\": {\"name\": \"ds\", \"namespace\": "
        "\"n\"},"
        "      \"spec\": {\"template\": {\"spec\": {}}}}]}},"
        "  {\"region\": \"eu-west-1\", \"context\": \"b-ctx\", \"cluster\": {\"name\": \"b\"},"
        "   \"thumbprint\": \"0123456789abcdef0123456789abcdef01234567\","
        "   \"kubeError\": \"Unauthorized: the token expired\"}"
        " ]}";

static void
test_every_field(void **state)
{
	struct audit_input in, again;
	struct irsa_error err;
	const struct audit_cluster *c;
	char *text, *a, *b;

	(void)state;
	assert_int_equal(load_text(rich, &in, &err), 0);
	assert_int_equal(in.trust_quota, 4096);
	assert_int_equal(in.attached_quota, 20);
	assert_int_equal(in.n_roles, 3);
	assert_string_equal(in.roles[0].path, "/app/");
	assert_string_equal(in.roles[0].role_id, "AROA1");
	assert_int_equal(in.roles[0].created, 1741064767); /* 2025-03-04T05:06:07Z */
	assert_string_equal(in.roles[0].description, "d");
	assert_int_equal(in.roles[0].max_session_duration, 7200);
	assert_string_equal(in.roles[0].permissions_boundary_arn, "arn:aws:iam::123456789012:policy/b");
	assert_int_equal(in.roles[0].tags.n, 1);
	assert_string_equal(aws_tags_get(&in.roles[0].tags, "team"), "orders");
	assert_int_equal(in.roles[0].last_used, 1748736000); /* 2025-06-01T00:00:00Z */
	assert_string_equal(in.roles[0].last_used_region, "eu-west-1");
	assert_non_null(strstr(in.roles[0].trust_policy, "\"Service\":\"ec2.amazonaws.com\""));
	/* URL-decoded, whitespace kept; a plain JSON string as it is. */
	assert_string_equal(in.roles[1].trust_policy, "{\"Version\": \"2012-10-17\", \"Statement\": []}");
	assert_true(in.roles[1].trust_policy_json);
	assert_string_equal(in.roles[2].trust_policy, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
	/* Policies: known from attachedRolePolicies, even when empty. */
	assert_true(in.role_policies[0].known);
	assert_true(in.role_policies[1].known);
	assert_false(in.role_policies[2].known);
	assert_string_equal(in.role_policies[2].error, "AccessDenied on ListRolePolicies");
	assert_int_equal(in.role_policies[0].inline_name.n, 3);
	assert_string_equal(in.role_policies[0].inline_name.v[0], "obj");
	assert_string_equal(in.role_policies[0].inline_doc[0], "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
	assert_string_equal(in.role_policies[0].inline_doc[1], "{\"Version\":\"2012-10-17\"}");
	assert_null(in.role_policies[0].inline_doc[2]);
	assert_int_equal(in.n_policies, 2);
	assert_string_equal(in.policies[0].default_version, "v3");
	assert_string_equal(in.policies[0].document, "{\"Statement\":[]}");
	assert_null(in.policies[1].document);
	assert_string_equal(in.policies[1].error, "AccessDenied on GetPolicyVersion");
	assert_int_equal(in.n_providers, 2);
	assert_int_equal(in.providers[0].client_ids.n, 2);
	assert_false(in.providers[1].detail_known);
	assert_null(in.providers[1].url);
	assert_false(in.live_issuers_known);
	assert_int_equal(in.read_errors.n, 1);
	assert_int_equal(in.n_clusters, 2);
	c = &in.clusters[0];
	assert_null(c->context);
	assert_string_equal(c->provider_arn, PROVIDER);
	assert_null(c->thumbprint);
	assert_string_equal(c->thumbprint_error, "connect: refused");
	assert_true(c->kube_known);
	/* Items of a raw API list get their kind and apiVersion back. */
	assert_int_equal(c->sas.v[0].kind, KUBE_SERVICE_ACCOUNT);
	assert_string_equal(json_object_get_string(json_object_object_get(c->sas.v[0].obj, "kind")), "ServiceAccount");
	assert_string_equal(json_object_get_string(json_object_object_get(c->sas.v[0].obj, "apiVersion")), "v1");
	assert_int_equal(c->pods.v[0].kind, KUBE_POD);
	assert_int_equal(c->workloads.n, 2);
	assert_int_equal(c->workloads.v[0].kind, KUBE_STATEFULSET);
	assert_int_equal(c->workloads.v[1].kind, KUBE_DAEMONSET);
	assert_string_equal(c->workloads.v[1].service_account, "default");
	c = &in.clusters[1];
	assert_string_equal(c->context, "b-ctx");
	assert_null(c->arn);
	assert_null(c->issuer);
	assert_null(c->provider_arn);
	assert_false(c->kube_known);
	assert_string_equal(c->kube_error, "Unauthorized: the token expired");
	assert_int_equal(c->sas.n + c->pods.n + c->workloads.n, 0);

	text = round_trip(&in, &again);
	assert_inputs_same(&in, &again);
	/* The encoded trust with whitespace goes out encoded, the others as objects. */
	assert_non_null(strstr(text, ENCODED_TRUST));
	assert_non_null(strstr(text, "\"gone\":null"));
	a = findings(&in);
	b = findings(&again);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(text);
	audit_input_release(&again);
	audit_input_release(&in);
}

static void
test_minimal(void **state)
{
	struct audit_input in, again;
	struct irsa_error err;
	char *text, *f;

	(void)state;
	assert_int_equal(load_text("{\"irsaSnapshot\": 1, \"account\": \"123456789012\"}", &in, &err), 0);
	assert_string_equal(in.arn_prefix, "arn:aws:");
	assert_int_equal(in.n_roles + in.n_clusters + in.n_providers + in.n_policies, 0);
	assert_false(in.live_issuers_known);
	assert_int_equal(in.trust_quota, 0);
	f = findings(&in);
	text = round_trip(&in, &again);
	assert_inputs_same(&in, &again);
	free(f);
	free(text);
	audit_input_release(&again);
	audit_input_release(&in);
}

/* --- refusals -------------------------------------------------------------- */

#define HEAD  "{\"irsaSnapshot\": 1, \"account\": \"123456789012\", "
#define ROLE  "{\"RoleName\": \"a\", \"Arn\": \"arn:aws:iam::123456789012:role/a\", \"AssumeRolePolicyDocument\": {}}"
#define SA(n) "{\"metadata\": {\"name\": \"" n "\", \"namespace\": \"x\"}}"
#define CLUSTER(members)                                                                                               \
	HEAD "\"clusters\": [{\"region\": \"us-east-1\", \"cluster\": {\"name\": \"c\", "                              \
	     "\"arn\": \"arn:aws:eks:us-east-1:123456789012:cluster/c\"}, " members "}]}"

static const struct {
	const char *json;
	const char *message; /* a part of the error message */
} bad_inputs[] = {
        {"[]", "snapshot: not a JSON object"},
        {"\"text\"", "snapshot: not a JSON object"},
        {"{}", "snapshot: irsaSnapshot: missing"},
        {"{\"irsaSnapshot\": \"1\"}", "irsaSnapshot: must be an integer, not a string"},
        {"{\"irsaSnapshot\": 2, \"account\": \"123456789012\"}", "irsaSnapshot: version 2"},
        {"{\"irsaSnapshot\": 1}", "account: missing"},
        {"{\"irsaSnapshot\": 1, \"account\": 123456789012}", "account: must be a string, not an integer"},
        {"{\"irsaSnapshot\": 1, \"account\": \"12345\"}", "account: \"12345\" is not a 12-digit account id"},
        {HEAD "\"roles\": {}}", "roles: must be an array, not an object"},
        {HEAD "\"roles\": [1]}", "roles[0]: must be an object"},
        {HEAD "\"roles\": [" ROLE ", {\"Arn\": \"x\", \"AssumeRolePolicyDocument\": {}}]}",
         "roles[1].RoleName: missing"},
        {HEAD "\"roles\": [{\"RoleName\": 5, \"Arn\": \"x\"}]}", "roles[0].RoleName: must be a string, not an integer"},
        {HEAD "\"roles\": [{\"RoleName\": \"a\", \"Arn\": \"x\"}]}", "roles[0].AssumeRolePolicyDocument: missing"},
        {HEAD
         "\"roles\": [{\"RoleName\": \"a\", \"Arn\": \"x\", \"AssumeRolePolicyDocument\": \"%7B%22Version%22%3A\"}]}",
         "roles[0].AssumeRolePolicyDocument: not a policy document"},
        {HEAD "\"roles\": [{\"RoleName\": \"a\", \"Arn\": \"x\", \"AssumeRolePolicyDocument\": \"%ZZ%7B\"}]}",
         "roles[0].AssumeRolePolicyDocument: not a policy document"},
        {HEAD "\"roles\": [{\"RoleName\": \"a\", \"Arn\": \"x\", \"AssumeRolePolicyDocument\": [1]}]}",
         "roles[0].AssumeRolePolicyDocument: must be a policy document (an object or a URL-encoded string), not an "
         "array"},
        {HEAD "\"roles\": [{\"RoleName\": \"a\", \"Arn\": \"x\", \"AssumeRolePolicyDocument\": {}, \"CreateDate\": "
              "\"yesterday\"}]}",
         "roles[0].CreateDate: \"yesterday\" is not an ISO 8601 date"},
        {HEAD
         "\"roles\": [{\"RoleName\": \"a\", \"Arn\": \"x\", \"AssumeRolePolicyDocument\": {}, \"Tags\": [{\"Key\": "
         "\"k\"}]}]}",
         "roles[0].Tags[0].Value: missing"},
        {HEAD "\"roles\": [" ROLE ", " ROLE "]}", "roles[1].RoleName: \"a\" is roles[0]'s already"},
        {HEAD "\"roles\": [" ROLE "], \"attachedRolePolicies\": {\"b\": []}}",
         "attachedRolePolicies.b: no role \"b\" in roles"},
        {HEAD "\"roles\": [" ROLE "], \"attachedRolePolicies\": {\"a\": [{\"PolicyName\": \"p\"}]}}",
         "attachedRolePolicies.a[0].PolicyArn: missing"},
        {HEAD "\"roles\": [" ROLE "], \"attachedRolePolicies\": {\"a\": {}}}",
         "attachedRolePolicies.a: must be an array"},
        {HEAD "\"roles\": [" ROLE "], \"rolePolicies\": {\"a\": {\"p\": \"%7Bnope\"}}}",
         "rolePolicies.a.p: not a policy document"},
        {HEAD "\"roles\": [" ROLE "], \"rolePolicies\": {\"a\": {\"p\": 3}}}",
         "rolePolicies.a.p: must be a policy document"},
        {HEAD "\"roles\": [" ROLE "], \"roleErrors\": {\"a\": false}}",
         "roleErrors.a: must be a string, not a boolean"},
        {HEAD "\"policies\": [{\"PolicyName\": \"p\"}]}", "policies[0].Arn: missing"},
        {HEAD "\"policies\": [{\"Arn\": \"p\", \"Document\": \"%7B\"}]}",
         "policies[0].Document: not a policy document"},
        {HEAD "\"openIDConnectProviders\": [{\"Url\": \"x\"}]}", "openIDConnectProviders[0].Arn: missing"},
        {HEAD "\"openIDConnectProviders\": [{\"Arn\": \"a\", \"ClientIDList\": [\"x\", 1]}]}",
         "openIDConnectProviders[0].ClientIDList[1]: must be a string, not an integer"},
        {HEAD "\"liveIssuers\": [true]}", "liveIssuers[0]: must be a string, not a boolean"},
        {HEAD "\"readErrors\": \"x\"}", "readErrors: must be an array, not a string"},
        {HEAD "\"accountSummary\": {\"AssumeRolePolicySizeQuota\": \"2048\"}}",
         "accountSummary.AssumeRolePolicySizeQuota: must be an integer, not a string"},
        {HEAD "\"clusters\": [{\"cluster\": {\"name\": \"c\"}}]}", "clusters[0].region: missing"},
        {HEAD "\"clusters\": [{\"region\": \"r\"}]}", "clusters[0].cluster: missing"},
        {HEAD "\"clusters\": [{\"region\": \"r\", \"cluster\": {}}]}", "clusters[0].cluster.name: missing"},
        {HEAD "\"clusters\": [{\"region\": \"r\", \"cluster\": {\"name\": \"c\", \"identity\": {\"oidc\": {\"issuer\": "
              "7}}}}]}",
         "clusters[0].cluster.identity.oidc.issuer: must be a string, not an integer"},
        {HEAD "\"clusters\": [{\"region\": \"r\", \"cluster\": {\"name\": \"c\", \"arn\": \"nope\", \"identity\": "
              "{\"oidc\": {\"issuer\": \"https://x\"}}}}]}",
         "clusters[0].cluster.arn: \"nope\" is not an EKS cluster ARN"},
        {CLUSTER("\"serviceAccounts\": {\"kind\": \"List\"}"), "clusters[0].serviceAccounts.items: missing"},
        {CLUSTER("\"serviceAccounts\": {\"kind\": \"List\", \"items\": [" SA("a") ", " SA("b") ", " SA(
                 "c") ", {\"metadata\": {\"namespace\": \"x\"}}]}"),
         "clusters[0].serviceAccounts.items[3].metadata.name: missing"},
        {CLUSTER("\"serviceAccounts\": {\"items\": [{\"kind\": \"ServiceAccount\"}]}"),
         "clusters[0].serviceAccounts.items[0].metadata: missing"},
        {CLUSTER("\"serviceAccounts\": {\"items\": [{\"metadata\": {\"name\": \"\"}}]}"),
         "clusters[0].serviceAccounts.items[0].metadata.name: empty"},
        {CLUSTER("\"serviceAccounts\": {\"items\": [{\"metadata\": {\"name\": \"a\", \"annotations\": {\"k\": 1}}}]}"),
         "clusters[0].serviceAccounts.items[0].metadata.annotations.k: must be a string, not an integer"},
        {CLUSTER("\"serviceAccounts\": {\"items\": []}, \"pods\": {\"items\": [{\"kind\": \"ServiceAccount\", "
                 "\"metadata\": {\"name\": \"a\"}}]}"),
         "clusters[0].pods.items[0].kind: \"ServiceAccount\" does not belong in this list (Pod)"},
        {CLUSTER("\"serviceAccounts\": {\"items\": []}, \"workloads\": {\"kind\": \"List\", \"items\": [" SA("w") "]}"),
         "clusters[0].workloads.items[0].kind: missing"},
        {CLUSTER("\"serviceAccounts\": {\"kind\": \"Pod\", \"items\": []}"),
         "clusters[0].serviceAccounts.kind: \"Pod\" is not a list kind"},
        {CLUSTER("\"pods\": []"), "clusters[0].pods: must be an object, not an array"},
};

static void
test_bad_inputs(void **state)
{
	struct audit_input in;
	struct irsa_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		int rc = load_text(bad_inputs[i].json, &in, &err);

		if (rc != -1 || err.kind != IRSA_ERR_PARSE || strstr(err.message, bad_inputs[i].message) == NULL)
			fail_msg("case %zu: %s\n  rc %d, kind %s, message: %s\n  wanted: %s", i, bad_inputs[i].json, rc,
			         irsa_err_name(err.kind), err.message, bad_inputs[i].message);
		audit_input_release(&in);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_fixture_fields), cmocka_unit_test(test_round_trip_fixtures),
	        cmocka_unit_test(test_every_field),    cmocka_unit_test(test_minimal),
	        cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests_name("audit_snapshot", tests, NULL, NULL);
}
