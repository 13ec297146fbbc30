/* tests/unit/test_kubeconfig.c - kubeconfig loading and merging as kubectl
 * does it (which file, first definition wins, current-context, duplicates
 * and missing files in KUBECONFIG), relative paths per defining file, the
 * context list, resolving each auth kind, the exact shape `aws eks
 * update-kubeconfig` writes, every load and resolve error with its message,
 * and secrets registered with the redactor. Fixture files are written to a
 * temporary HOME at run time. */
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

#include "error.h"
#include "kubeconfig.h"
#include "redact.h"

#include "kube_test_env.h"

/* base64 of "-----BEGIN CERTIFICATE-----\nCA-ONE\n-----END CERTIFICATE-----\n" */
#define CA_PEM  "-----BEGIN CERTIFICATE-----\nCA-ONE\n-----END CERTIFICATE-----\n"
#define CA_B64  "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBLU9ORQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="
#define CRT_PEM "-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n"
#define CRT_B64 "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNMSUVOVAotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="
#define KEY_PEM "-----BEGIN PRIVATE KEY-----\nKEYSECRET123\n-----END PRIVATE KEY-----\n"
#define KEY_B64 "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCktFWVNFQ1JFVDEyMwotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg=="

/* A cluster and a context using it, for cases that only vary the user. */
#define PLAIN_CLUSTER                                                                                                  \
	"clusters:\n"                                                                                                  \
	"- name: c\n"                                                                                                  \
	"  cluster: {server: 'https://k.example:6443'}\n"                                                              \
	"contexts:\n"                                                                                                  \
	"- name: ctx\n"                                                                                                \
	"  context: {cluster: c, user: u}\n"                                                                           \
	"current-context: ctx\n"

/* Sets KUBECONFIG to the given files of the test directory, ':'-joined. */
static void
set_kubeconfig(const struct kube_test_env *t, const char *const *names, size_t n)
{
	char value[PATH_MAX * 4] = "";
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += (size_t)snprintf(value + len, sizeof(value) - len, "%s%s%s%s", i > 0 ? ":" : "",
		                        *names[i] != '\0' ? t->dir : "", *names[i] != '\0' ? "/" : "", names[i]);
	setenv("KUBECONFIG", value, 1);
}

static const struct kube_context_info *
find_context(const struct kubeconfig *cfg, const char *name, struct kube_context_info *info)
{
	size_t i;

	for (i = 0; kubeconfig_context(cfg, i, info) == 0; i++)
		if (strcmp(info->name, name) == 0)
			return info;
	fail_msg("no context %s", name);
	return NULL;
}

/* --- which files -------------------------------------------------------------- */

static void
test_no_config(void **state)
{
	struct kubeconfig *cfg = kube_test_load(NULL);
	struct kube_target *target = NULL;
	struct irsa_error err;

	(void)state;
	assert_int_equal(kubeconfig_n_files(cfg), 0);
	assert_int_equal(kubeconfig_n_contexts(cfg), 0);
	assert_null(kubeconfig_current_context(cfg));
	assert_int_equal(kubeconfig_resolve(cfg, NULL, &target, &err), -1);
	assert_null(target);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	aws_test_assert_contains(err.message, "there is no context in ");
	aws_test_assert_contains(err.message, "/.kube/config (which does not exist)");
	aws_test_assert_contains(err.hint, "aws eks update-kubeconfig --name CLUSTER");
	aws_test_assert_contains(err.hint, "--kubeconfig");
	assert_int_equal(kubeconfig_resolve(cfg, "prod", &target, &err), -1);
	aws_test_assert_contains(err.message, "context \"prod\" not found: there is no context");
	kubeconfig_free(cfg);

	/* an empty KUBECONFIG is as if unset */
	setenv("KUBECONFIG", "", 1);
	cfg = kube_test_load(NULL);
	assert_int_equal(kubeconfig_n_files(cfg), 0);
	kubeconfig_free(cfg);

	/* files of KUBECONFIG that do not exist: no error until a context is needed, then named */
	setenv("KUBECONFIG", "/nonexistent/one:/nonexistent/two", 1);
	cfg = kube_test_load(NULL);
	assert_int_equal(kubeconfig_resolve(cfg, NULL, &target, &err), -1);
	aws_test_assert_contains(err.message,
	                         "there is no context in /nonexistent/one and /nonexistent/two (which do not exist)");
	kubeconfig_free(cfg);
}

static void
test_default_file(void **state)
{
	struct kube_test_env *t = *state;
	struct kubeconfig *cfg;
	char path[PATH_MAX];

	kube_test_file(t, ".kube/config", PLAIN_CLUSTER, false, path, sizeof(path));
	cfg = kube_test_load(NULL);
	assert_int_equal(kubeconfig_n_files(cfg), 1);
	assert_string_equal(kubeconfig_file(cfg, 0), path);
	assert_string_equal(kubeconfig_current_context(cfg), "ctx");
	kubeconfig_free(cfg);
}

static void
test_explicit_file(void **state)
{
	struct kube_test_env *t = *state;
	struct kubeconfig *cfg = NULL;
	struct irsa_error err;
	char path[PATH_MAX], other[PATH_MAX];

	kube_test_file(t, "explicit", PLAIN_CLUSTER, false, path, sizeof(path));
	kube_test_file(t, "other", "current-context: other\n", false, other, sizeof(other));
	setenv("KUBECONFIG", other, 1);
	cfg = kube_test_load(path);
	assert_int_equal(kubeconfig_n_files(cfg), 1);
	assert_string_equal(kubeconfig_current_context(cfg), "ctx");
	kubeconfig_free(cfg);

	/* --kubeconfig must exist, unlike the files of KUBECONFIG */
	aws_test_path(t->aws, "missing", path, sizeof(path));
	assert_int_equal(kubeconfig_load(path, &cfg, &err), -1);
	assert_null(cfg);
	assert_int_equal(err.kind, IRSA_ERR_IO);
	aws_test_assert_contains(err.message, "the kubeconfig ");
	aws_test_assert_contains(err.message, "/missing does not exist");
	aws_test_assert_contains(err.hint, "--kubeconfig");

	/* a directory is an error, not a missing file */
	assert_int_equal(kubeconfig_load(t->dir, &cfg, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_IO);
	aws_test_assert_contains(err.message, "Is a directory");
}

/* --- merging ------------------------------------------------------------------ */

static const char merge_first[] = "apiVersion: v1\n"
                                  "kind: Config\n"
                                  "clusters:\n"
                                  "- name: shared\n"
                                  "  cluster:\n"
                                  "    server: https://first.example\n"
                                  "users:\n"
                                  "- name: shared\n"
                                  "  user:\n"
                                  "    token: first-token-123\n"
                                  "contexts:\n"
                                  "- name: shared\n"
                                  "  context: {cluster: shared, user: shared}\n"
                                  "- name: only-first\n"
                                  "  context: {cluster: shared, user: shared, namespace: one}\n";

static const char merge_second[] = "current-context: only-second\n"
                                   "clusters:\n"
                                   "- name: shared\n"
                                   "  cluster:\n"
                                   "    server: https://second.example\n"
                                   "    tls-server-name: never-merged\n"
                                   "- name: second\n"
                                   "  cluster: {server: https://2.example}\n"
                                   "users:\n"
                                   "- name: shared\n"
                                   "  user:\n"
                                   "    client-certificate-data: " CRT_B64 "\n"
                                   "contexts:\n"
                                   "- name: shared\n"
                                   "  context: {cluster: second, user: shared, namespace: ignored}\n"
                                   "- name: only-second\n"
                                   "  context: {cluster: second, namespace: two}\n";

static const char merge_third[] = "current-context: shared\n";

static void
test_merge_first_wins(void **state)
{
	struct kube_test_env *t = *state;
	static const char *const names[] = {"first", "", "missing", "second", "first", "third"};
	struct kube_context_info info;
	struct kube_target *target;
	struct kubeconfig *cfg;
	char path[PATH_MAX];

	kube_test_file(t, "first", merge_first, false, path, sizeof(path));
	kube_test_file(t, "second", merge_second, false, path, sizeof(path));
	kube_test_file(t, "third", merge_third, false, path, sizeof(path));
	set_kubeconfig(t, names, sizeof(names) / sizeof(names[0]));
	cfg = kube_test_load(NULL);

	/* empty entries, missing files and the repeated "first" are skipped */
	assert_int_equal(kubeconfig_n_files(cfg), 3);
	assert_string_equal(kubeconfig_file(cfg, 2), path);
	/* the first file that sets current-context wins: the second, not the third */
	assert_string_equal(kubeconfig_current_context(cfg), "only-second");
	assert_int_equal(kubeconfig_n_contexts(cfg), 3);

	/* sorted by name; the same-name context of the second file is discarded whole */
	assert_int_equal(kubeconfig_context(cfg, 0, &info), 0);
	assert_string_equal(info.name, "only-first");
	assert_int_equal(kubeconfig_context(cfg, 1, &info), 0);
	assert_string_equal(info.name, "only-second");
	assert_true(info.current);
	assert_string_equal(info.namespace, "two");
	assert_null(info.user);
	assert_int_equal(info.auth, KUBE_AUTH_NONE);
	assert_string_equal(info.server, "https://2.example");
	assert_int_equal(kubeconfig_context(cfg, 2, &info), 0);
	assert_string_equal(info.name, "shared");
	assert_false(info.current);
	assert_string_equal(info.cluster, "shared");
	assert_null(info.namespace);
	assert_string_equal(info.server, "https://first.example");
	assert_int_equal(info.auth, KUBE_AUTH_TOKEN);
	aws_test_assert_contains(info.file, "/first");
	assert_int_equal(kubeconfig_context(cfg, 3, &info), -1);

	/* the cluster and user of the first file, not a deep merge with the second's */
	assert_int_equal(kubeconfig_resolve(cfg, "shared", &target, NULL), 0);
	assert_string_equal(target->server, "https://first.example");
	assert_null(target->tls_server_name);
	assert_string_equal(target->token, "first-token-123");
	assert_null(target->client_cert_pem);
	assert_string_equal(target->namespace, "default");
	kube_target_free(target);

	/* the current context, with no user */
	assert_int_equal(kubeconfig_resolve(cfg, NULL, &target, NULL), 0);
	assert_string_equal(target->context, "only-second");
	assert_string_equal(target->user, "");
	assert_int_equal(target->auth, KUBE_AUTH_NONE);
	assert_string_equal(target->namespace, "two");
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* the other order: the first file sets no current-context, the third does */
	{
		static const char *const reordered[] = {"first", "third", "second"};

		set_kubeconfig(t, reordered, 3);
		cfg = kube_test_load(NULL);
		assert_string_equal(kubeconfig_current_context(cfg), "shared");
		assert_string_equal(find_context(cfg, "shared", &info)->server, "https://first.example");
		kubeconfig_free(cfg);
	}
}

/* --- relative paths ----------------------------------------------------------- */

static void
test_relative_paths(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_target *target;
	struct kubeconfig *cfg;
	char path[PATH_MAX], expect[PATH_MAX * 2], cwd[PATH_MAX];
	struct irsa_error err;

	kube_test_file(t, "a/ca.pem", CA_PEM, false, path, sizeof(path));
	kube_test_file(t, "a/certs/client.crt", CRT_PEM, false, path, sizeof(path));
	kube_test_file(t, "b/client.key", KEY_PEM, false, path, sizeof(path));
	kube_test_file(t, "token", "  file-token-4567\n\n", false, path, sizeof(path));
	kube_test_file(t, "a/config",
	               "clusters:\n"
	               "- name: c\n"
	               "  cluster: {server: https://k.example, certificate-authority: ca.pem}\n"
	               "users:\n"
	               "- name: u\n"
	               "  user: {client-certificate: ./certs/../certs/client.crt, client-key: ../b/client.key}\n"
	               "contexts:\n"
	               "- name: ctx\n"
	               "  context: {cluster: c, user: u}\n"
	               "- name: ctx-b\n"
	               "  context: {cluster: c, user: ub}\n",
	               false, path, sizeof(path));
	/* the same user name in b is discarded; ub's files resolve against b/ */
	kube_test_file(t, "b/config",
	               "users:\n"
	               "- name: u\n"
	               "  user: {token: never}\n"
	               "- name: ub\n"
	               "  user:\n"
	               "    client-certificate: ../a/certs/client.crt\n"
	               "    client-key: client.key\n"
	               "    tokenFile: ../token\n"
	               "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: bin/plugin}\n"
	               "- name: bare\n"
	               "  user:\n"
	               "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}\n",
	               false, path, sizeof(path));

	/* KUBECONFIG itself relative to the working directory */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(t->dir), 0);
	setenv("KUBECONFIG", "a/config:./b/config", 1);
	cfg = kube_test_load(NULL);
	assert_int_equal(chdir(cwd), 0);

	if (kubeconfig_resolve(cfg, "ctx", &target, &err) != 0)
		fail_msg("%s", err.message);
	assert_string_equal(target->ca_pem, CA_PEM);
	assert_int_equal(target->ca_pem_len, strlen(CA_PEM));
	assert_string_equal(target->client_cert_pem, CRT_PEM);
	assert_string_equal(target->client_key_pem, KEY_PEM);
	assert_int_equal(target->auth, KUBE_AUTH_CLIENT_CERT);
	assert_null(target->token);
	kube_target_free(target);
	assert_int_equal(kubeconfig_resolve(cfg, "ctx-b", &target, NULL), 0);
	assert_string_equal(target->client_cert_pem, CRT_PEM);
	assert_string_equal(target->client_key_pem, KEY_PEM);
	snprintf(expect, sizeof(expect), "%s/token", t->dir);
	assert_string_equal(target->token_file, expect);
	assert_string_equal(target->token, "file-token-4567");
	assert_int_equal(target->auth, KUBE_AUTH_TOKEN_FILE);
	assert_true(target->has_exec);
	snprintf(expect, sizeof(expect), "%s/b/bin/plugin", t->dir);
	assert_string_equal(target->exec.command, expect);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

/* --- auth kinds ----------------------------------------------------------------- */

static void
test_auth_kinds(void **state)
{
	struct kube_test_env *t = *state;
	static const struct {
		const char *user;
		enum kube_auth_kind kind;
	} users[] = {
	        {"{token: tok-12345678}", KUBE_AUTH_TOKEN},
	        {"{tokenFile: /t}", KUBE_AUTH_TOKEN_FILE},
	        {"{token: tok-12345678, tokenFile: /t}", KUBE_AUTH_TOKEN},
	        {"{client-certificate-data: " CRT_B64 ", client-key-data: " KEY_B64 "}", KUBE_AUTH_CLIENT_CERT},
	        {"{exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1}}", KUBE_AUTH_EXEC},
	        {"{auth-provider: {name: gcp}}", KUBE_AUTH_AUTH_PROVIDER},
	        {"{username: a, password: b-password}", KUBE_AUTH_BASIC},
	        {"{}", KUBE_AUTH_NONE},
	        {"null", KUBE_AUTH_NONE},
	};
	static const char *const names[] = {"none", "token",         "tokenFile", "client-cert",
	                                    "exec", "auth-provider", "basic"};
	struct kube_context_info info;
	struct kubeconfig *cfg;
	char yaml[1024], path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		snprintf(yaml, sizeof(yaml), PLAIN_CLUSTER "users:\n- name: u\n  user: %s\n", users[i].user);
		cfg = kube_test_load(kube_test_file(t, "kubeconfig", yaml, false, path, sizeof(path)));
		assert_int_equal(kubeconfig_context(cfg, 0, &info), 0);
		if (info.auth != users[i].kind)
			fail_msg("%s: %s, not %s", users[i].user, kube_auth_kind_name(info.auth),
			         kube_auth_kind_name(users[i].kind));
		kubeconfig_free(cfg);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(kube_auth_kind_name((enum kube_auth_kind)i), names[i]);
	assert_string_equal(kube_auth_kind_name((enum kube_auth_kind)99), "unknown");
}

static void
test_resolve_cluster_fields(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_target *target;
	struct kubeconfig *cfg;

	target = kube_test_resolve(t,
	                           "clusters:\n"
	                           "- name: c\n"
	                           "  cluster:\n"
	                           "    server: https://k.example:6443/prefix\n"
	                           "    certificate-authority-data: " CA_B64 "\n"
	                           "    tls-server-name: kubernetes.default\n"
	                           "    proxy-url: socks5://proxy:1080\n"
	                           "    disable-compression: yes\n"
	                           "    extensions:\n"
	                           "    - name: other\n"
	                           "      extension: {no: 1}\n"
	                           "    - name: client.authentication.k8s.io/exec\n"
	                           "      extension:\n"
	                           "        audience: https://a/b\n"
	                           "        n: 3\n"
	                           "        on: true\n"
	                           "        list: [x, '1', 2.5, null]\n"
	                           "users:\n"
	                           "- name: u\n"
	                           "  user: {token: cluster-fields-token}\n"
	                           "contexts:\n"
	                           "- name: ctx\n"
	                           "  context: {cluster: c, user: u, namespace: team-a}\n",
	                           "ctx", &cfg);
	assert_string_equal(target->context, "ctx");
	assert_string_equal(target->cluster, "c");
	assert_string_equal(target->user, "u");
	assert_string_equal(target->namespace, "team-a");
	assert_string_equal(target->server, "https://k.example:6443/prefix");
	assert_string_equal(target->ca_pem, CA_PEM);
	assert_false(target->insecure);
	assert_false(target->warn_insecure);
	assert_false(target->warn_http);
	assert_string_equal(target->tls_server_name, "kubernetes.default");
	assert_string_equal(target->proxy_url, "socks5://proxy:1080");
	assert_true(target->disable_compression);
	assert_string_equal(target->exec_cluster_config,
	                    "{\"audience\":\"https://a/b\",\"n\":3,\"on\":true,\"list\":[\"x\",\"1\",2.5,null]}");
	assert_int_equal(target->auth, KUBE_AUTH_TOKEN);
	aws_test_assert_contains(target->file, "/kubeconfig");
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* insecure and plain http: honoured, with the flags the UI must show */
	target = kube_test_resolve(t,
	                           "clusters:\n"
	                           "- name: c\n"
	                           "  cluster: {server: 'http://k.example:8080', insecure-skip-tls-verify: true}\n"
	                           "contexts:\n"
	                           "- name: ctx\n"
	                           "  context: {cluster: c}\n",
	                           "ctx", &cfg);
	assert_true(target->insecure);
	assert_true(target->warn_insecure);
	assert_true(target->warn_http);
	assert_null(target->ca_pem);
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* a bare host gets https when TLS is configured, as client-go's DefaultServerURL does */
	target = kube_test_resolve(t,
	                           "clusters:\n"
	                           "- name: c\n"
	                           "  cluster: {server: 'k.example:6443', certificate-authority-data: " CA_B64 "}\n"
	                           "- name: plain\n"
	                           "  cluster: {server: 'k.example:8080'}\n"
	                           "contexts:\n"
	                           "- {name: ctx, context: {cluster: c}}\n"
	                           "- {name: plain, context: {cluster: plain}}\n",
	                           "ctx", &cfg);
	assert_string_equal(target->server, "https://k.example:6443");
	assert_false(target->warn_http);
	kube_target_free(target);
	assert_int_equal(kubeconfig_resolve(cfg, "plain", &target, NULL), 0);
	assert_string_equal(target->server, "http://k.example:8080");
	assert_true(target->warn_http);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

static void
test_resolve_exec(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_target *target;
	struct kubeconfig *cfg;

	target = kube_test_resolve(t,
	                           PLAIN_CLUSTER "users:\n"
	                                         "- name: u\n"
	                                         "  user:\n"
	                                         "    exec:\n"
	                                         "      apiVersion: client.authentication.k8s.io/v1\n"
	                                         "      command: kubelogin\n"
	                                         "      args: [get-token, --server-id, 80faf920]\n"
	                                         "      env:\n"
	                                         "      - {name: A, value: one}\n"
	                                         "      - {name: B}\n"
	                                         "      installHint: install kubelogin\n"
	                                         "      provideClusterInfo: true\n"
	                                         "      interactiveMode: Never\n",
	                           NULL, &cfg);
	assert_int_equal(target->auth, KUBE_AUTH_EXEC);
	assert_true(target->has_exec);
	assert_string_equal(target->exec.api_version, KUBE_EXEC_API_V1);
	assert_false(target->exec.deprecated);
	assert_string_equal(target->exec.command, "kubelogin");
	assert_int_equal(target->exec.n_args, 3);
	assert_string_equal(target->exec.args[2], "80faf920");
	assert_null(target->exec.args[3]);
	assert_int_equal(target->exec.n_env, 2);
	assert_string_equal(target->exec.env[0].name, "A");
	assert_string_equal(target->exec.env[0].value, "one");
	assert_string_equal(target->exec.env[1].value, "");
	assert_string_equal(target->exec.install_hint, "install kubelogin");
	assert_true(target->exec.provide_cluster_info);
	assert_int_equal(target->exec.interactive_mode, KUBE_EXEC_NEVER);
	assert_null(target->token);
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* v1beta1 defaults interactiveMode to IfAvailable; v1alpha1 is marked deprecated */
	target = kube_test_resolve(t,
	                           PLAIN_CLUSTER "users:\n"
	                                         "- name: u\n"
	                                         "  user:\n"
	                                         "    exec: {apiVersion: client.authentication.k8s.io/v1alpha1, "
	                                         "command: x, interactiveMode: Always}\n",
	                           NULL, &cfg);
	assert_true(target->exec.deprecated);
	assert_int_equal(target->exec.interactive_mode, KUBE_EXEC_ALWAYS);
	assert_int_equal(target->exec.n_args, 0);
	assert_non_null(target->exec.args);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

/* The exact shape `aws eks update-kubeconfig` writes (protocol notes 2.4). */
static void
test_update_kubeconfig_shape(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_context_info info;
	struct kube_target *target;
	struct kubeconfig *cfg;

	target = kube_test_resolve(
	        t,
	        "apiVersion: v1\n"
	        "clusters:\n"
	        "- cluster:\n"
	        "    certificate-authority-data: " CA_B64 "\n"
	        "    server: https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com\n"
	        "  name: arn:aws:eks:eu-west-1:111122223333:cluster/demo\n"
	        "contexts:\n"
	        "- context:\n"
	        "    cluster: arn:aws:eks:eu-west-1:111122223333:cluster/demo\n"
	        "    user: arn:aws:eks:eu-west-1:111122223333:cluster/demo\n"
	        "  name: arn:aws:eks:eu-west-1:111122223333:cluster/demo\n"
	        "current-context: arn:aws:eks:eu-west-1:111122223333:cluster/demo\n"
	        "kind: Config\n"
	        "preferences: {}\n"
	        "users:\n"
	        "- name: arn:aws:eks:eu-west-1:111122223333:cluster/demo\n"
	        "  user:\n"
	        "    exec:\n"
	        "      apiVersion: client.authentication.k8s.io/v1beta1\n"
	        "      args:\n"
	        "      - --region\n"
	        "      - eu-west-1\n"
	        "      - eks\n"
	        "      - get-token\n"
	        "      - --cluster-name\n"
	        "      - demo\n"
	        "      - --output\n"
	        "      - json\n"
	        "      - --role\n"
	        "      - arn:aws:iam::111122223333:role/admin\n"
	        "      command: aws\n"
	        "      env:\n"
	        "      - name: AWS_PROFILE\n"
	        "        value: dev\n",
	        NULL, &cfg);
	assert_string_equal(target->context, "arn:aws:eks:eu-west-1:111122223333:cluster/demo");
	assert_string_equal(target->cluster, "arn:aws:eks:eu-west-1:111122223333:cluster/demo");
	assert_string_equal(target->server, "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com");
	assert_string_equal(target->ca_pem, CA_PEM);
	assert_string_equal(target->namespace, "default");
	assert_int_equal(target->auth, KUBE_AUTH_EXEC);
	assert_string_equal(target->exec.command, "aws");
	assert_int_equal(target->exec.n_args, 10);
	assert_string_equal(target->exec.args[5], "demo");
	assert_int_equal(target->exec.interactive_mode, KUBE_EXEC_IF_AVAILABLE);
	assert_string_equal(target->exec.env[0].name, "AWS_PROFILE");
	assert_string_equal(target->exec.env[0].value, "dev");
	assert_int_equal(kubeconfig_context(cfg, 0, &info), 0);
	assert_true(info.current);
	assert_int_equal(info.auth, KUBE_AUTH_EXEC);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

/* --- errors ---------------------------------------------------------------------- */

/* A file that fails to load: the message names the file and the line. */
struct load_case {
	const char *yaml;
	enum irsa_err kind;
	const char *message;
};

static const struct load_case load_cases[] = {
        {"clusters:\n- name: c\n  cluster:\n    server: [\n", IRSA_ERR_PARSE,
         "line 5 column 1: did not find expected node content"},
        {"- a list\n", IRSA_ERR_PARSE, "line 1: a kubeconfig must be a mapping"},
        {"clusters: {a: b}\n", IRSA_ERR_PARSE, "line 1: clusters must be a list, not a mapping"},
        {"clusters:\n- name: c\n  cluster:\n    server: [1]\n", IRSA_ERR_PARSE,
         "line 4: cluster \"c\": server must be a string, not a list"},
        {"clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: \"true\"\n", IRSA_ERR_PARSE,
         "line 4: cluster \"c\": insecure-skip-tls-verify must be true or false"},
        {"clusters:\n- name: c\n  cluster:\n    certificate-authority-data: \"!!notbase64\"\n", IRSA_ERR_PARSE,
         "line 4: cluster \"c\": certificate-authority-data is not valid base64"},
        {"users:\n- name: u\n  user:\n    client-key-data: abc\n", IRSA_ERR_PARSE,
         "user \"u\": client-key-data is not valid base64"},
        {"clusters:\n- name: c\n  cluster: {}\n- name: c\n  cluster: {}\n", IRSA_ERR_PARSE,
         "line 4: cluster \"c\": the name is used twice in clusters"},
        {"contexts:\n- name: x\n  context: [a]\n", IRSA_ERR_PARSE, "line 3: context \"x\": context must be a mapping"},
        {"users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: x\n",
         IRSA_ERR_PARSE,
         "line 5: user \"u\": exec.interactiveMode must be set (Never, IfAvailable or Always) with apiVersion "
         "client.authentication.k8s.io/v1"},
        {"users:\n- name: u\n  user:\n    exec: {command: x, interactiveMode: Sometimes}\n", IRSA_ERR_PARSE,
         "exec.interactiveMode \"Sometimes\" is not one of Never, IfAvailable, Always"},
        {"users:\n- name: u\n  user:\n    exec: {command: x, env: [{value: v}]}\n", IRSA_ERR_PARSE,
         "exec.env: an entry has no name"},
        {"users:\n- name: u\n  user:\n    exec: {command: x, args: [a, [b]]}\n", IRSA_ERR_PARSE,
         "exec.args[] must be a string, not a list"},
        {"current-context: [a]\n", IRSA_ERR_PARSE, "line 1: current-context must be a string"},
};

static void
test_load_errors(void **state)
{
	struct kube_test_env *t = *state;
	struct kubeconfig *cfg = NULL;
	struct irsa_error err;
	char path[PATH_MAX], good[PATH_MAX], list[PATH_MAX * 2];
	size_t i;

	kube_test_file(t, "good", PLAIN_CLUSTER, false, good, sizeof(good));
	for (i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		kube_test_file(t, "bad", load_cases[i].yaml, false, path, sizeof(path));
		/* a bad file anywhere in KUBECONFIG fails the load, as in kubectl */
		snprintf(list, sizeof(list), "%s:%s", good, path);
		setenv("KUBECONFIG", list, 1);
		if (kubeconfig_load(NULL, &cfg, &err) != -1)
			fail_msg("case %zu loaded", i);
		assert_null(cfg);
		if (err.kind != load_cases[i].kind)
			fail_msg("case %zu: kind %s: %s", i, irsa_err_name(err.kind), err.message);
		aws_test_assert_contains(err.message, path);
		aws_test_assert_contains(err.message, load_cases[i].message);
		assert_true(err.hint[0] != '\0');
	}
}

/* A context that loads but does not resolve. */
struct resolve_case {
	const char *yaml; /* after PLAIN_CLUSTER unless it starts with "clusters" */
	const char *context;
	enum irsa_err kind;
	const char *message;
	const char *hint;
};

static const struct resolve_case resolve_cases[] = {
        {"users:\n- name: u\n  user:\n    auth-provider: {name: oidc, config: {idp: x}}\n", NULL,
         IRSA_ERR_INVALID_INPUT,
         "user \"u\" in @: auth-provider oidc is not supported by irsa (kubectl removed it too)",
         "Use an exec plugin such as `aws eks get-token` / `gke-gcloud-auth-plugin` / `kubelogin`."},
        {"users:\n- name: u\n  user: {username: admin, password: hunter2-secret}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "user \"u\" in @: username/password (basic) authentication is not supported by irsa", "token"},
        {"users:\n- name: u\n  user: {token: t-12345678, as: jane}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "user \"u\" in @: impersonation (as) is not supported by irsa", "Remove as from"},
        {"users:\n- name: u\n  user: {token: t-12345678, as-groups: [admins]}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "impersonation (as-groups)", "as-groups"},
        {"users:\n- name: u\n  user: {token: t-12345678, as-uid: '1'}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "impersonation (as-uid)", "as-uid"},
        {"users:\n- name: u\n  user: {token: t-12345678, as-user-extra: {k: [v]}}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "impersonation (as-user-extra)", "as-user-extra"},
        {"users:\n- name: u\n  user: {token: t-12345678, as-groups: []}\n", "ctx", IRSA_OK, NULL, NULL},
        {"users:\n- name: u\n  user: {client-certificate-data: " CRT_B64 "}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "user \"u\" in @ has a client certificate but no key", "client-key"},
        {"users:\n- name: u\n  user: {client-key-data: " KEY_B64 "}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "has a client key but no certificate", "client-certificate"},
        {"users:\n- name: u\n  user: {client-certificate-data: " CRT_B64 ", client-certificate: /c.crt, "
         "client-key-data: " KEY_B64 "}\n",
         NULL, IRSA_ERR_INVALID_INPUT, "user \"u\" in @ sets both client-certificate and client-certificate-data",
         "Remove one"},
        {"users:\n- name: u\n  user: {client-certificate: no-such.crt, client-key-data: " KEY_B64 "}\n", NULL,
         IRSA_ERR_IO, "cannot read the client-certificate of user \"u\", %/no-such.crt (named in @): no such file",
         "Fix the path"},
        {"users:\n- name: u\n  user: {tokenFile: /nonexistent/token}\n", NULL, IRSA_ERR_IO,
         "cannot read the tokenFile of user \"u\", /nonexistent/token (named in @)", NULL},
        {"users:\n- name: u\n  user: {tokenFile: empty-token}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "the tokenFile %/empty-token of user \"u\" (named in @) is empty", NULL},
        {"users:\n- name: u\n  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1}}\n", NULL,
         IRSA_ERR_INVALID_INPUT, "the exec plugin of user \"u\" in @ has no command", "exec.command"},
        {"users:\n- name: u\n  user: {exec: {command: x}}\n", NULL, IRSA_ERR_INVALID_INPUT,
         "the exec plugin of user \"u\" in @ has no apiVersion", NULL},
        {"users:\n- name: u\n  user: {exec: {command: x, apiVersion: client.authentication.k8s.io/v2}}\n", NULL,
         IRSA_ERR_INVALID_INPUT, "has an unknown apiVersion client.authentication.k8s.io/v2", NULL},
        {"contexts:\n- {name: other, context: {cluster: c, user: missing}}\n", "other", IRSA_ERR_NOT_FOUND,
         "context \"other\" in @ names user \"missing\", which no kubeconfig file defines", NULL},
        {"contexts:\n- {name: other, context: {cluster: gone}}\n", "other", IRSA_ERR_NOT_FOUND,
         "context \"other\" in @ names cluster \"gone\", which no kubeconfig file defines", NULL},
        {"contexts:\n- {name: other, context: {namespace: x}}\n", "other", IRSA_ERR_NOT_FOUND,
         "context \"other\" in @ names no cluster", NULL},
        {"clusters:\n- {name: c, cluster: {insecure-skip-tls-verify: true}}\ncontexts:\n- {name: x, context: {cluster: "
         "c}}\n",
         "x", IRSA_ERR_INVALID_INPUT, "cluster \"c\" in @ has no server", "https://HOST:PORT"},
        {"clusters:\n- {name: c, cluster: {server: 'ftp://k', insecure-skip-tls-verify: true}}\ncontexts:\n- {name: x, "
         "context: {cluster: c}}\n",
         "x", IRSA_ERR_INVALID_INPUT, "the server ftp://k of cluster \"c\" in @ is not an https URL", NULL},
        {"clusters:\n- {name: c, cluster: {server: 'https://k', proxy-url: 'ftp://p'}}\ncontexts:\n- {name: x, "
         "context: {cluster: c}}\n",
         "x", IRSA_ERR_INVALID_INPUT, "the proxy-url ftp://p of cluster \"c\" in @ is not http, https or socks5", NULL},
        {"clusters:\n- {name: c, cluster: {server: 'https://k', insecure-skip-tls-verify: true, "
         "certificate-authority-data: " CA_B64 "}}\ncontexts:\n- {name: x, context: {cluster: c}}\n",
         "x", IRSA_ERR_INVALID_INPUT,
         "cluster \"c\" in @ sets both a certificate authority and insecure-skip-tls-verify",
         "Remove insecure-skip-tls-verify"},
        {"clusters:\n- {name: c, cluster: {server: 'https://k', certificate-authority: ca.pem, "
         "certificate-authority-data: " CA_B64 "}}\ncontexts:\n- {name: x, context: {cluster: c}}\n",
         "x", IRSA_ERR_INVALID_INPUT,
         "cluster \"c\" in @ sets both certificate-authority and certificate-authority-data", NULL},
        {"clusters:\n- {name: c, cluster: {server: 'https://k', certificate-authority: missing-ca.pem}}\ncontexts:\n- "
         "{name: x, context: {cluster: c}}\n",
         "x", IRSA_ERR_IO,
         "cannot read the certificate-authority of cluster \"c\", %/missing-ca.pem (named in @): no such file", NULL},
        {"", "nope", IRSA_ERR_NOT_FOUND, "context \"nope\" not found in @; the contexts are: ctx",
         "Pass --context NAME"},
};

/* Replaces '@' in pattern by the kubeconfig's path and '%' by its directory. */
static void
expand(const char *pattern, const char *file, const char *dir, char *out, size_t outsz)
{
	size_t len = 0;

	for (; *pattern != '\0' && len + 1 < outsz; pattern++) {
		const char *s = *pattern == '@' ? file : *pattern == '%' ? dir : NULL;

		if (s != NULL)
			len += (size_t)snprintf(out + len, outsz - len, "%s", s);
		else
			out[len++] = *pattern;
	}
	out[len < outsz ? len : outsz - 1] = '\0';
}

static void
test_resolve_errors(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_target *target = NULL;
	struct kubeconfig *cfg;
	struct irsa_error err;
	char yaml[2048], path[PATH_MAX], want[PATH_MAX * 3];
	size_t i;

	kube_test_file(t, "empty-token", " \n", false, path, sizeof(path));
	for (i = 0; i < sizeof(resolve_cases) / sizeof(resolve_cases[0]); i++) {
		const struct resolve_case *c = &resolve_cases[i];
		int rc;

		snprintf(yaml, sizeof(yaml), "%s%s", strncmp(c->yaml, "clusters", 8) == 0 ? "" : PLAIN_CLUSTER,
		         c->yaml);
		cfg = kube_test_load(kube_test_file(t, "kubeconfig", yaml, false, path, sizeof(path)));
		rc = kubeconfig_resolve(cfg, c->context, &target, &err);
		if (c->kind == IRSA_OK) {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err.message);
			kube_target_free(target);
			kubeconfig_free(cfg);
			continue;
		}
		if (rc != -1)
			fail_msg("case %zu resolved", i);
		assert_null(target);
		if (err.kind != c->kind)
			fail_msg("case %zu: kind %s: %s", i, irsa_err_name(err.kind), err.message);
		expand(c->message, path, t->dir, want, sizeof(want));
		aws_test_assert_contains(err.message, want);
		if (c->hint != NULL)
			aws_test_assert_contains(err.hint, c->hint);
		assert_true(err.hint[0] != '\0');
		kubeconfig_free(cfg);
	}
}

static void
test_unknown_context_lists_ten(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_target *target = NULL;
	struct kubeconfig *cfg;
	struct irsa_error err;
	char yaml[4096], path[PATH_MAX];
	size_t i, len;

	len = (size_t)snprintf(yaml, sizeof(yaml), "clusters:\n- {name: c, cluster: {server: https://k}}\ncontexts:\n");
	for (i = 0; i < 13; i++)
		len += (size_t)snprintf(yaml + len, sizeof(yaml) - len, "- {name: ctx-%02zu, context: {cluster: c}}\n",
		                        i);
	cfg = kube_test_load(kube_test_file(t, "kubeconfig", yaml, false, path, sizeof(path)));
	assert_int_equal(kubeconfig_resolve(cfg, "prod", &target, &err), -1);
	aws_test_assert_contains(err.message, "context \"prod\" not found in ");
	aws_test_assert_contains(err.message, "the contexts are: ctx-00, ctx-01, ");
	aws_test_assert_contains(err.message, "ctx-09 and 3 more");
	assert_null(strstr(err.message, "ctx-10"));

	/* no current context: the same list, and how to pick one */
	assert_int_equal(kubeconfig_resolve(cfg, NULL, &target, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	aws_test_assert_contains(err.message, "no current context is set in ");
	aws_test_assert_contains(err.message, "the contexts are: ctx-00");
	aws_test_assert_contains(err.hint, "--context NAME");
	kubeconfig_free(cfg);
}

/* --- secrets ---------------------------------------------------------------------- */

static void
test_secrets_registered(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_target *target;
	struct kubeconfig *cfg;
	char path[PATH_MAX];

	kube_test_file(t, "tok", "token-from-file-890\n", false, path, sizeof(path));
	target = kube_test_resolve(t,
	                           "clusters:\n"
	                           "- {name: c, cluster: {server: 'https://k.example'}}\n"
	                           "users:\n"
	                           "- name: u\n"
	                           "  user:\n"
	                           "    client-certificate-data: " CRT_B64 "\n"
	                           "    client-key-data: " KEY_B64 "\n"
	                           "- name: other\n"
	                           "  user: {token: inline-token-567, password: password-4321}\n"
	                           "- name: f\n"
	                           "  user: {tokenFile: tok}\n"
	                           "contexts:\n"
	                           "- {name: ctx, context: {cluster: c, user: u}}\n"
	                           "- {name: f, context: {cluster: c, user: f}}\n",
	                           "ctx", &cfg);
	assert_string_equal(target->client_key_pem, KEY_PEM);
	assert_int_equal(target->client_key_pem_len, strlen(KEY_PEM));
	/* registered when the file is read, whether or not the user is used */
	assert_true(aws_test_is_redacted("inline-token-567"));
	assert_true(aws_test_is_redacted("password-4321"));
	assert_true(aws_test_is_redacted(KEY_B64));
	assert_true(aws_test_is_redacted(KEY_PEM));
	kube_target_free(target);
	assert_int_equal(kubeconfig_resolve(cfg, "f", &target, NULL), 0);
	assert_string_equal(target->token, "token-from-file-890");
	assert_true(aws_test_is_redacted("token-from-file-890"));
	kube_target_free(target);
	kubeconfig_free(cfg);
	kube_target_free(NULL);
	kubeconfig_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_no_config, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_default_file, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_explicit_file, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_merge_first_wins, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_relative_paths, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_auth_kinds, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_resolve_cluster_fields, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_resolve_exec, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_update_kubeconfig_shape, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_load_errors, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_resolve_errors, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_unknown_context_lists_ten, kube_test_setup, kube_test_teardown),
	        cmocka_unit_test_setup_teardown(test_secrets_registered, kube_test_setup, kube_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
