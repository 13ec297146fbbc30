/* tests/unit/test_kube_match.c - kubeconfig contexts matched to EKS
 * clusters (by ARN, by the EKS plugin's flags, by server URL, in that order,
 * the current context first), EKS ARNs and server URLs compared, a target
 * made from DescribeCluster, and the built-in EKS token: the plugin's env
 * list honoured (its keys sign the token, the process environment is left
 * as it was), cached, made again on refresh. Offline: a fixture kubeconfig
 * in a temporary HOME, keys given in the plugin's env. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "kube_eks_auth.h"
#include "kube_match.h"
#include "kubeconfig.h"

#include "kube_test_env.h"

#define CA_PEM "-----BEGIN CERTIFICATE-----\nCA-ONE\n-----END CERTIFICATE-----\n"
#define CA_B64 "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBLU9ORQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="
#define PROD   "arn:aws:eks:us-east-1:123456789012:cluster/shop-prod"
#define STAGE  "arn:aws:eks:eu-west-1:123456789012:cluster/shop-staging"
#define DEV    "arn:aws:eks:us-west-2:123456789012:cluster/dev"

static const char kubeconfig[] =
        "apiVersion: v1\n"
        "kind: Config\n"
        "current-context: by-exec\n"
        "clusters:\n"
        "- name: " PROD "\n"
        "  cluster: {server: 'https://prod.example'}\n"
        "- name: plain-a\n"
        "  cluster: {server: 'https://staging.example'}\n"
        "- name: plain-b\n"
        "  cluster: {server: 'HTTPS://Dev.Example:443/'}\n"
        "users:\n"
        "- name: eks\n"
        "  user:\n"
        "    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: aws\n"
        "      args: [--region, eu-west-1, eks, get-token, --cluster-name, shop-staging, --output, json]\n"
        "- name: tok\n"
        "  user: {token: abc}\n"
        "contexts:\n"
        "- name: by-arn\n"
        "  context: {cluster: " PROD ", user: eks}\n"
        "- name: by-arn-token\n"
        "  context: {cluster: " PROD ", user: tok}\n"
        "- name: by-exec\n"
        "  context: {cluster: plain-a, user: eks}\n"
        "- name: by-server\n"
        "  context: {cluster: plain-b, user: tok}\n";

static void
test_parse_arn(void **state)
{
	char name[KUBE_MATCH_MAX_NAME], region[KUBE_MATCH_MAX_NAME];

	(void)state;
	assert_true(kube_match_parse_arn(PROD, name, region));
	assert_string_equal(name, "shop-prod");
	assert_string_equal(region, "us-east-1");
	assert_true(kube_match_parse_arn("arn:aws-cn:eks:cn-north-1:1:cluster/x", name, region));
	assert_string_equal(region, "cn-north-1");
	assert_false(kube_match_parse_arn("arn:aws:iam::123456789012:role/x", name, region));
	assert_string_equal(name, "");
	assert_false(kube_match_parse_arn("arn:aws:eks:us-east-1:1:nodegroup/a/b", name, region));
	assert_false(kube_match_parse_arn("arn:aws:eks:us-east-1:1:cluster/", name, region));
	assert_false(kube_match_parse_arn("kind-dev", name, region));
	assert_false(kube_match_parse_arn(NULL, name, region));
}

static void
test_same_server(void **state)
{
	(void)state;
	assert_true(kube_match_same_server("https://ABC.gr7.us-east-1.eks.amazonaws.com",
	                                   "https://abc.gr7.us-east-1.eks.amazonaws.com:443/"));
	assert_true(kube_match_same_server("https://127.0.0.1:6443/", "https://127.0.0.1:6443"));
	assert_false(kube_match_same_server("https://127.0.0.1:6443", "https://127.0.0.1:6444"));
	assert_false(kube_match_same_server("http://a.example:443", "https://a.example"));
	assert_false(kube_match_same_server("https://a.example/x", "https://a.example/y"));
	assert_false(kube_match_same_server(NULL, "https://a.example"));
}

static void
test_refs_and_find(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_eks_refs refs;
	struct aws_eks_cluster prod = {.name = "shop-prod", .arn = PROD, .endpoint = "https://dev.example"};
	struct aws_eks_cluster stage = {.name = "shop-staging", .arn = STAGE, .endpoint = "https://nowhere.example"};
	struct aws_eks_cluster dev = {.name = "dev", .arn = DEV, .endpoint = "https://dev.example"};
	struct aws_eks_cluster none = {.name = "x", .arn = "arn:aws:eks:us-east-1:1:cluster/x", .endpoint = NULL};
	const struct kube_eks_ref *r;
	enum kube_match_kind kind;
	struct irsa_error err;
	struct kubeconfig *cfg;
	char path[PATH_MAX];

	cfg = kube_test_load(kube_test_file(t, "kubeconfig", kubeconfig, false, path, sizeof(path)));
	assert_int_equal(kube_match_refs(cfg, &refs, &err), 0);
	assert_int_equal(refs.n, 4);
	/* sorted by name: by-arn, by-arn-token, by-exec, by-server */
	assert_int_equal(refs.v[0].kind, KUBE_MATCH_ARN);
	assert_true(refs.v[0].eks_plugin);
	assert_string_equal(refs.v[0].name, "shop-prod");
	assert_int_equal(refs.v[1].kind, KUBE_MATCH_ARN);
	assert_false(refs.v[1].eks_plugin);
	assert_int_equal(refs.v[2].kind, KUBE_MATCH_EXEC);
	assert_string_equal(refs.v[2].name, "shop-staging");
	assert_string_equal(refs.v[2].region, "eu-west-1");
	assert_true(refs.v[2].current);
	assert_int_equal(refs.v[3].kind, KUBE_MATCH_NONE);
	assert_null(refs.v[3].name);

	/* The ARN wins over a server URL that also matches (by-server has
	 * prod's endpoint here); the first by name among equals. */
	r = kube_match_find(&refs, &prod, &kind);
	assert_non_null(r);
	assert_string_equal(r->context, "by-arn");
	assert_int_equal(kind, KUBE_MATCH_ARN);
	r = kube_match_find(&refs, &stage, &kind);
	assert_non_null(r);
	assert_string_equal(r->context, "by-exec");
	assert_int_equal(kind, KUBE_MATCH_EXEC);
	assert_string_equal(kube_match_kind_name(kind), "exec");
	r = kube_match_find(&refs, &dev, &kind);
	assert_non_null(r);
	assert_string_equal(r->context, "by-server");
	assert_int_equal(kind, KUBE_MATCH_SERVER);
	/* A context named by another ARN never matches by server. */
	assert_int_equal(kube_match_ref(&refs.v[0], &dev), KUBE_MATCH_NONE);
	assert_null(kube_match_find(&refs, &none, &kind));
	assert_int_equal(kind, KUBE_MATCH_NONE);
	assert_null(kube_match_kind_name(kind));

	kube_match_refs_release(&refs);
	kubeconfig_free(cfg);
}

static void
test_cluster_target(void **state)
{
	struct aws_eks_cluster k = {
	        .name = "shop-prod", .arn = PROD, .endpoint = "https://abc.example", .ca_data = CA_B64};
	struct kube_target *t = NULL;
	struct irsa_error err;

	(void)state;
	assert_int_equal(kube_match_cluster_target(&k, &t, &err), 0);
	assert_string_equal(t->server, "https://abc.example");
	assert_string_equal(t->ca_pem, CA_PEM);
	assert_int_equal(t->ca_pem_len, strlen(CA_PEM));
	assert_string_equal(t->cluster, PROD);
	assert_string_equal(t->namespace, "default");
	assert_null(t->context);
	assert_false(t->has_exec);
	kube_target_free(t);

	k.ca_data = "not base64!";
	assert_int_equal(kube_match_cluster_target(&k, &t, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "certificate authority data of EKS cluster shop-prod"));
	assert_null(t);
	k.endpoint = NULL;
	assert_int_equal(kube_match_cluster_target(&k, &t, &err), -1);
	assert_non_null(strstr(err.message, "has no endpoint"));
}

static const char eks_user[] =
        "apiVersion: v1\n"
        "kind: Config\n"
        "current-context: c\n"
        "clusters:\n"
        "- name: k\n"
        "  cluster: {server: 'https://k.example'}\n"
        "users:\n"
        "- name: u\n"
        "  user:\n"
        "    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: aws-iam-authenticator\n"
        "      args: [token, -i, dev]\n"
        "      env:\n"
        "      - {name: AWS_ACCESS_KEY_ID, value: AKIDEXAMPLE}\n"
        "      - {name: AWS_SECRET_ACCESS_KEY, value: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY}\n"
        "      - {name: AWS_REGION, value: us-west-2}\n"
        "- name: plain\n"
        "  user:\n"
        "    exec: {apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin, "
        "interactiveMode: Never}\n"
        "contexts:\n"
        "- name: c\n"
        "  context: {cluster: k, user: u}\n"
        "- name: other\n"
        "  context: {cluster: k, user: plain}\n";

static void
test_eks_auth(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_client_options opt = {0};
	struct kube_target *target, *other;
	struct kube_eks_auth *a;
	struct kubeconfig *cfg, *cfg2;
	struct irsa_error err;
	char *tok1 = NULL, *tok2 = NULL;
	time_t exp;

	target = kube_test_resolve(t, eks_user, NULL, &cfg);
	other = kube_test_resolve(t, eks_user, "other", &cfg2);
	assert_true(kube_eks_auth_applies(target));
	assert_false(kube_eks_auth_applies(other));
	assert_null(kube_eks_auth_new(other, &err));
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);

	a = kube_eks_auth_new(target, &err);
	assert_non_null(a);
	assert_string_equal(kube_eks_auth_source(a), "the built-in EKS token of cluster dev in us-west-2");
	kube_eks_auth_set_options(a, &opt);
	assert_ptr_equal(opt.token_arg, a);
	assert_ptr_equal(opt.token_fn, kube_eks_auth_token);
	assert_int_equal(kube_eks_auth_count(a), 0);

	/* The keys exist only in the plugin's env list. */
	assert_null(getenv("AWS_ACCESS_KEY_ID"));
	assert_int_equal(kube_eks_auth_token(a, false, &tok1, &exp, &err), 0);
	assert_null(getenv("AWS_ACCESS_KEY_ID"));
	assert_null(getenv("AWS_REGION"));
	assert_int_equal(strncmp(tok1, "k8s-aws-v1.", 11), 0);
	assert_true(exp > time(NULL) + 13 * 60);
	assert_int_equal(kube_eks_auth_count(a), 1);
	buf_free_secret(tok1);
	assert_int_equal(kube_eks_auth_token(a, false, &tok1, &exp, &err), 0);
	assert_int_equal(kube_eks_auth_count(a), 1); /* cached */
	assert_int_equal(kube_eks_auth_token(a, true, &tok2, &exp, &err), 0);
	assert_int_equal(kube_eks_auth_count(a), 2); /* made again after a 401 */
	buf_free_secret(tok1);
	buf_free_secret(tok2);

	/* A variable the environment had comes back as it was. */
	setenv("AWS_REGION", "eu-central-1", 1);
	assert_int_equal(kube_eks_auth_token(a, true, &tok1, &exp, &err), 0);
	assert_string_equal(getenv("AWS_REGION"), "eu-central-1");
	unsetenv("AWS_REGION");
	buf_free_secret(tok1);

	kube_eks_auth_free(a);
	kube_target_free(target);
	kube_target_free(other);
	kubeconfig_free(cfg);
	kubeconfig_free(cfg2);
}

static void
test_eks_auth_params(void **state)
{
	struct kube_eks_auth_params p = {NULL, "us-east-1", NULL, NULL};
	struct kube_eks_auth *a;
	struct irsa_error err;
	char *tok = NULL;
	time_t exp;

	(void)state;
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1); /* restored by the fixture */
	assert_null(kube_eks_auth_new_params(&p, &err));
	p.cluster_id = "shop-prod";
	p.role_arn = "arn:aws:iam::123456789012:role/admin";
	a = kube_eks_auth_new_params(&p, &err);
	assert_non_null(a);
	assert_string_equal(kube_eks_auth_source(a), "the built-in EKS token of cluster shop-prod in us-east-1 as role "
	                                             "arn:aws:iam::123456789012:role/admin");
	/* No credentials anywhere: the error names the cluster. */
	assert_int_equal(kube_eks_auth_token(a, false, &tok, &exp, &err), -1);
	assert_null(tok);
	assert_non_null(strstr(err.message, "the built-in EKS token of cluster shop-prod"));
	kube_eks_auth_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_arn),
	        cmocka_unit_test(test_same_server),
	        cmocka_unit_test_setup_teardown(test_refs_and_find, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test(test_cluster_target),
	        cmocka_unit_test_setup_teardown(test_eks_auth, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_eks_auth_params, kube_test_setup, kube_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
