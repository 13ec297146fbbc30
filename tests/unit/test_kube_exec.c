/* tests/unit/test_kube_exec.c - exec credential plugins run as client-go
 * runs them: small /bin/sh plugins written at test time record the
 * KUBERNETES_EXEC_INFO, args and environment they got and print an
 * ExecCredential (or fail, print garbage, hang, print too much); the
 * command found on PATH or relative to the kubeconfig; the cache until
 * expiry under an injected clock, invalidation, one run for many threads;
 * the EKS plugin recognition for both plugin styles; secrets registered. */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "kube_exec.h"
#include "kubeconfig.h"
#include "log.h"
#include "redact.h"

#include "kube_test_env.h"

#define EXPIRY_TEXT "2030-01-01T00:00:00Z"
#define EXPIRY      1893456000
#define CA_PEM      "-----BEGIN CERTIFICATE-----\nCA-ONE\n-----END CERTIFICATE-----\n"
#define CA_B64      "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBLU9ORQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="

/* What every plugin does first: record what it was given, count its runs. */
#define PLUGIN_RECORD                                                                                                  \
	"#!/bin/sh\n"                                                                                                  \
	"printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$HOME/info.json\"\n"                                                \
	"printf '%s\\n' \"$@\" > \"$HOME/args.txt\"\n"                                                                 \
	"env > \"$HOME/env.txt\"\n"                                                                                    \
	"echo run >> \"$HOME/runs\"\n"                                                                                 \
	"n=$(wc -l < \"$HOME/runs\" | tr -d ' ')\n"

/* Prints a v1 ExecCredential whose token counts the runs. */
#define PLUGIN_TOKEN_V1(expiry)                                                                                        \
	PLUGIN_RECORD "echo 'progress: fetching a token' >&2\n"                                                        \
	              "echo '{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"kind\": \"ExecCredential\", '\n"  \
	              "echo \"\\\"status\\\": {\\\"token\\\": \\\"exec-token-$n\\\"" expiry "}}\"\n"

#define V1_HEAD "{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"kind\": \"ExecCredential\""

static time_t fake_now;

static time_t
fake_clock(void)
{
	return fake_now;
}

static int
exec_setup(void **state)
{
	kube_exec_cache_clear();
	kube_exec_set_clock(NULL);
	return kube_test_setup(state);
}

static int
exec_teardown(void **state)
{
	kube_exec_cache_clear();
	kube_exec_set_clock(NULL);
	log_set_sink(NULL, NULL, LOG_ERROR);
	return kube_test_teardown(state);
}

/* Writes the plugin script (unless NULL) as dir/name and a kubeconfig whose
 * current context's user runs it, with the exec section's other keys from
 * exec_yaml (the inside of a flow mapping) and the cluster's from
 * cluster_yaml; returns the resolved target. A name "PATH:NAME" is the bare
 * command NAME, looked up on PATH. */
static struct kube_target *
plugin_target(const struct kube_test_env *t, const char *name, const char *script, const char *exec_yaml,
              const char *cluster_yaml, struct kubeconfig **cfg)
{
	char path[PATH_MAX], yaml[8192];
	bool bare = strncmp(name, "PATH:", 5) == 0;

	if (script != NULL)
		kube_test_file(t, name, script, true, path, sizeof(path));
	snprintf(yaml, sizeof(yaml),
	         "clusters:\n"
	         "- name: c\n"
	         "  cluster: {server: 'https://k.example:6443'%s%s}\n"
	         "users:\n"
	         "- name: u\n"
	         "  user:\n"
	         "    exec: {command: '%s%s%s', %s}\n"
	         "contexts:\n"
	         "- {name: ctx, context: {cluster: c, user: u}}\n"
	         "current-context: ctx\n",
	         cluster_yaml != NULL ? ", " : "", cluster_yaml != NULL ? cluster_yaml : "", bare ? "" : t->dir,
	         bare ? "" : "/", bare ? name + 5 : name, exec_yaml);
	return kube_test_resolve(t, yaml, NULL, cfg);
}

/* The contents of a file the plugin wrote, trailing newlines kept. */
static char *
slurp(const struct kube_test_env *t, const char *name)
{
	char path[PATH_MAX], chunk[4096];
	struct buf b;
	size_t n;
	FILE *f;

	aws_test_path(t->aws, name, path, sizeof(path));
	f = fopen(path, "r");
	if (f == NULL)
		return strdup("");
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static int
runs(const struct kube_test_env *t)
{
	char *text = slurp(t, "runs");
	int n = 0;
	char *p;

	for (p = text; *p != '\0'; p++)
		n += *p == '\n';
	free(text);
	return n;
}

static void
assert_file_equal(const struct kube_test_env *t, const char *name, const char *want)
{
	char *got = slurp(t, name);

	if (strcmp(got, want) != 0)
		fail_msg("%s:\n%s\nwanted:\n%s", name, got, want);
	free(got);
}

static void
capture_log(enum log_level level, const char *line, void *arg)
{
	if (level == LOG_DEBUG) {
		buf_addstr(arg, line);
		buf_addch(arg, '\n');
	}
}

/* --- running a plugin ----------------------------------------------------------- */

static void
test_token_v1(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred;
	struct kube_target *target;
	struct kubeconfig *cfg;
	struct irsa_error err;
	struct buf log;
	char *env;

	buf_init(&log, 1 << 16);
	log_set_sink(capture_log, &log, LOG_DEBUG);
	setenv("IRSA_TEST_PARENT", "from-parent", 1);
	setenv("IRSA_TEST_OVERRIDE", "parent-value", 1);
	setenv("KUBERNETES_EXEC_INFO", "stale", 1);
	target = plugin_target(t, "plugin", PLUGIN_TOKEN_V1(", \\\"expirationTimestamp\\\": \\\"" EXPIRY_TEXT "\\\""),
	                       "apiVersion: client.authentication.k8s.io/v1, interactiveMode: IfAvailable, "
	                       "args: [get-token, 'two words', '$HOME;x'], "
	                       "env: [{name: IRSA_TEST_OVERRIDE, value: first}, {name: IRSA_TEST_PLUGIN, value: p1}, "
	                       "{name: IRSA_TEST_OVERRIDE, value: plugin-value}]",
	                       NULL, &cfg);
	if (kube_exec_credential(target, 5000, &cred, &err) != 0)
		fail_msg("%s", err.message);
	unsetenv("IRSA_TEST_PARENT");
	unsetenv("IRSA_TEST_OVERRIDE");
	unsetenv("KUBERNETES_EXEC_INFO");

	assert_string_equal(cred.token, "exec-token-1");
	assert_int_equal(cred.expiry, EXPIRY);
	assert_null(cred.client_cert_pem);
	assert_true(aws_test_is_redacted("exec-token-1"));
	assert_file_equal(t, "info.json",
	                  "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
	                  "\"spec\":{\"interactive\":false}}");
	/* argv as written: no shell in between */
	assert_file_equal(t, "args.txt", "get-token\ntwo words\n$HOME;x\n");
	/* the parent's environment, the plugin's entries over it (the last of a name wins) */
	env = slurp(t, "env.txt");
	aws_test_assert_contains(env, "IRSA_TEST_PARENT=from-parent\n");
	aws_test_assert_contains(env, "IRSA_TEST_PLUGIN=p1\n");
	aws_test_assert_contains(env, "IRSA_TEST_OVERRIDE=plugin-value\n");
	assert_null(strstr(env, "parent-value"));
	assert_null(strstr(env, "IRSA_TEST_OVERRIDE=first"));
	assert_null(strstr(env, "KUBERNETES_EXEC_INFO=stale"));
	free(env);
	/* its error output goes to the log, never anywhere else */
	aws_test_assert_contains(buf_cstr(&log), "exec plugin ");
	aws_test_assert_contains(buf_cstr(&log), "(user \"u\"): progress: fetching a token");
	buf_release(&log);

	kube_credential_release(&cred);
	assert_null(cred.token);
	kube_credential_release(NULL);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

static void
test_cluster_info(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred;
	struct kube_target *target;
	struct kubeconfig *cfg;
	struct irsa_error err;

	target = plugin_target(t, "plugin",
	                       PLUGIN_RECORD
	                       "echo '{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"kind\": "
	                       "\"ExecCredential\", \"spec\": {}, \"status\": {\"token\": \"beta-token-1\"}}'\n",
	                       "apiVersion: client.authentication.k8s.io/v1beta1, provideClusterInfo: true",
	                       "certificate-authority-data: " CA_B64
	                       ", tls-server-name: api.internal, proxy-url: 'http://proxy:3128', "
	                       "disable-compression: true, extensions: [{name: client.authentication.k8s.io/exec, "
	                       "extension: {audience: 'https://a/b', n: 1}}]",
	                       &cfg);
	if (kube_exec_credential(target, 0, &cred, &err) != 0)
		fail_msg("%s", err.message);
	assert_string_equal(cred.token, "beta-token-1");
	assert_int_equal(cred.expiry, 0);
	assert_file_equal(t, "info.json",
	                  "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
	                  "\"spec\":{\"interactive\":false,\"cluster\":{\"server\":\"https://k.example:6443\","
	                  "\"tls-server-name\":\"api.internal\",\"certificate-authority-data\":\"" CA_B64 "\","
	                  "\"proxy-url\":\"http://proxy:3128\",\"disable-compression\":true,"
	                  "\"config\":{\"audience\":\"https://a/b\",\"n\":1}}}}");
	kube_credential_release(&cred);
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* insecure, no CA: the flag instead of the data */
	target = plugin_target(t, "plugin", NULL,
	                       "apiVersion: client.authentication.k8s.io/v1beta1, provideClusterInfo: true",
	                       "insecure-skip-tls-verify: true", &cfg);
	if (kube_exec_credential(target, 0, &cred, &err) != 0)
		fail_msg("%s", err.message);
	assert_file_equal(t, "info.json",
	                  "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
	                  "\"spec\":{\"interactive\":false,\"cluster\":{\"server\":\"https://k.example:6443\","
	                  "\"insecure-skip-tls-verify\":true}}}");
	kube_credential_release(&cred);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

static void
test_client_certificate(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred;
	struct kube_target *target;
	struct kubeconfig *cfg;
	struct irsa_error err;

	target = plugin_target(
	        t, "plugin",
	        "#!/bin/sh\n"
	        "cat <<'EOF'\n"
	        "{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"kind\": \"ExecCredential\",\n"
	        " \"status\": {\"clientCertificateData\": \"-----BEGIN CERTIFICATE-----\\nC\\n-----END "
	        "CERTIFICATE-----\\n\",\n"
	        "  \"clientKeyData\": \"-----BEGIN EC PRIVATE KEY-----\\nexec-key-secret-1\\n-----END EC "
	        "PRIVATE KEY-----\\n\",\n"
	        "  \"expirationTimestamp\": \"2030-01-01T01:00:00+01:00\"}}\n"
	        "EOF\n",
	        "apiVersion: client.authentication.k8s.io/v1beta1", NULL, &cfg);
	if (kube_exec_credential(target, 0, &cred, &err) != 0)
		fail_msg("%s", err.message);
	assert_null(cred.token);
	assert_string_equal(cred.client_cert_pem, "-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----\n");
	assert_int_equal(cred.client_cert_pem_len, strlen(cred.client_cert_pem));
	assert_string_equal(cred.client_key_pem,
	                    "-----BEGIN EC PRIVATE KEY-----\nexec-key-secret-1\n-----END EC PRIVATE KEY-----\n");
	assert_true(aws_test_is_redacted(cred.client_key_pem));
	assert_int_equal(cred.expiry, EXPIRY);
	kube_credential_release(&cred);
	assert_null(cred.client_key_pem);
	assert_int_equal(cred.client_key_pem_len, 0);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

/* A plugin that misbehaves, and what irsa says. */
struct failure_case {
	const char *body; /* after #!/bin/sh */
	int timeout_ms;
	enum irsa_err kind;
	const char *message;
	const char *hint;
};

static const struct failure_case failure_cases[] = {
        {"echo 'error: SSO session expired' >&2; echo 'second line' >&2; exit 1", 10000, IRSA_ERR_AUTH,
         "/plugin of user \"u\" exited with 1: error: SSO session expired", "Run the plugin by hand"},
        {"kill -9 $$", 10000, IRSA_ERR_AUTH, "/plugin of user \"u\" was killed by signal 9", NULL},
        {"echo not json", 10000, IRSA_ERR_PARSE, "/plugin of user \"u\" did not print a JSON ExecCredential",
         "ExecCredential (client.authentication.k8s.io/v1)"},
        {"echo '{\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"kind\": \"ExecCredential\", \"status\": "
         "{\"token\": \"t\"}}'",
         10000, IRSA_ERR_PARSE,
         "answered with apiVersion client.authentication.k8s.io/v1beta1, not the client.authentication.k8s.io/v1 it "
         "was given",
         NULL},
        {"echo '{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"status\": {\"token\": \"t\"}}'", 10000,
         IRSA_ERR_PARSE, "printed JSON that is not an ExecCredential", NULL},
        {"echo '" V1_HEAD "}'", 10000, IRSA_ERR_PARSE, "printed an ExecCredential without a status", NULL},
        {"echo '" V1_HEAD ", \"status\": {\"token\": \"\"}}'", 10000, IRSA_ERR_PARSE,
         "printed neither a token nor a client certificate and key", NULL},
        {"echo '" V1_HEAD ", \"status\": {\"clientKeyData\": \"k\"}}'", 10000, IRSA_ERR_PARSE,
         "printed only one of clientCertificateData and clientKeyData", NULL},
        {"echo '" V1_HEAD ", \"status\": {\"token\": \"t\", \"expirationTimestamp\": \"tomorrow\"}}'", 10000,
         IRSA_ERR_PARSE, "printed an expirationTimestamp that is not an RFC 3339 time: tomorrow", NULL},
        {"head -c 1100000 /dev/zero | tr '\\000' a", 10000, IRSA_ERR_LIMIT, "printed more than 1048576 bytes",
         "only the ExecCredential"},
        {"exec sleep 30", 300, IRSA_ERR_AUTH, "/plugin of user \"u\" did not finish within 300 ms",
         "without a terminal"},
};

static void
test_failures(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred;
	struct kube_target *target;
	struct kubeconfig *cfg;
	struct irsa_error err;
	struct timespec start, end;
	char script[1024];
	size_t i;

	for (i = 0; i < sizeof(failure_cases) / sizeof(failure_cases[0]); i++) {
		const struct failure_case *c = &failure_cases[i];

		snprintf(script, sizeof(script), "#!/bin/sh\n%s\n", c->body);
		target = plugin_target(t, "plugin", script,
		                       "apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never", NULL,
		                       &cfg);
		clock_gettime(CLOCK_MONOTONIC, &start);
		if (kube_exec_credential(target, c->timeout_ms, &cred, &err) != -1)
			fail_msg("case %zu succeeded", i);
		clock_gettime(CLOCK_MONOTONIC, &end);
		if (err.kind != c->kind)
			fail_msg("case %zu: kind %s: %s", i, irsa_err_name(err.kind), err.message);
		aws_test_assert_contains(err.message, c->message);
		if (c->hint != NULL)
			aws_test_assert_contains(err.hint, c->hint);
		assert_true(err.hint[0] != '\0');
		assert_null(cred.token);
		assert_true(end.tv_sec - start.tv_sec < 10);
		kube_target_free(target);
		kubeconfig_free(cfg);
	}
}

static void
test_not_found(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred;
	struct kube_target *target;
	struct kubeconfig *cfg;
	struct irsa_error err;

	target = plugin_target(t, "PATH:irsa-no-such-plugin", NULL,
	                       "apiVersion: client.authentication.k8s.io/v1beta1, "
	                       "installHint: \"Install it:\\n  brew install irsa-no-such-plugin\"",
	                       NULL, &cfg);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	aws_test_assert_contains(err.message, "exec: executable irsa-no-such-plugin not found (the exec plugin of user "
	                                      "\"u\" in ");
	aws_test_assert_contains(err.message, "): Install it:   brew install irsa-no-such-plugin");
	aws_test_assert_contains(err.hint, "client-go credential plugin that is not installed");
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* a path that does not exist, without an installHint */
	target = plugin_target(t, "bin/missing", NULL, "apiVersion: client.authentication.k8s.io/v1beta1", NULL, &cfg);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	aws_test_assert_contains(err.message, "/bin/missing not found (the exec plugin of user \"u\" in ");
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* interactiveMode Always: irsa has no terminal to give, the plugin is not run */
	target = plugin_target(t, "plugin", PLUGIN_TOKEN_V1(""),
	                       "apiVersion: client.authentication.k8s.io/v1, interactiveMode: Always", NULL, &cfg);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	aws_test_assert_contains(err.message, "needs a terminal (interactiveMode Always)");
	assert_int_equal(runs(t), 0);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

static void
test_command_lookup(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred;
	struct kube_target *target;
	struct kubeconfig *cfg;
	struct irsa_error err;
	char path[PATH_MAX], yaml[1024], value[PATH_MAX * 2];
	const char *old_path = getenv("PATH");

	/* relative to the kubeconfig that names it, not to the working directory */
	kube_test_file(t, "conf/bin/plugin", PLUGIN_TOKEN_V1(""), true, path, sizeof(path));
	snprintf(yaml, sizeof(yaml),
	         "clusters: [{name: c, cluster: {server: 'https://k'}}]\n"
	         "users: [{name: u, user: {exec: {command: ./bin/plugin, apiVersion: client.authentication.k8s.io/v1, "
	         "interactiveMode: Never}}}]\n"
	         "contexts: [{name: ctx, context: {cluster: c, user: u}}]\n");
	cfg = kube_test_load(kube_test_file(t, "conf/kubeconfig", yaml, false, path, sizeof(path)));
	assert_int_equal(kubeconfig_resolve(cfg, "ctx", &target, NULL), 0);
	if (kube_exec_credential(target, 0, &cred, &err) != 0)
		fail_msg("%s", err.message);
	assert_string_equal(cred.token, "exec-token-1");
	kube_credential_release(&cred);
	kube_target_free(target);
	kubeconfig_free(cfg);

	/* a bare name is looked up on PATH */
	kube_test_file(t, "pathbin/irsa-test-plugin", PLUGIN_TOKEN_V1(""), true, path, sizeof(path));
	snprintf(value, sizeof(value), "%s/pathbin:%s", t->dir, old_path != NULL ? old_path : "/usr/bin:/bin");
	setenv("PATH", value, 1);
	target = plugin_target(t, "PATH:irsa-test-plugin", NULL,
	                       "apiVersion: client.authentication.k8s.io/v1, "
	                       "interactiveMode: Never",
	                       NULL, &cfg);
	if (kube_exec_credential(target, 0, &cred, &err) != 0)
		fail_msg("%s", err.message);
	assert_string_equal(cred.token, "exec-token-2");
	kube_credential_release(&cred);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

/* --- the cache -------------------------------------------------------------------- */

static void
test_cache_until_expiry(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred, old = {0};
	struct kube_target *target, *other;
	struct kubeconfig *cfg, *cfg2;
	struct irsa_error err;

	kube_exec_set_clock(fake_clock);
	fake_now = EXPIRY - 3600;
	target = plugin_target(t, "plugin", PLUGIN_TOKEN_V1(", \\\"expirationTimestamp\\\": \\\"" EXPIRY_TEXT "\\\""),
	                       "apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never", NULL, &cfg);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-1");
	kube_credential_release(&cred);

	/* valid until a minute before it expires */
	fake_now = EXPIRY - 61;
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-1");
	assert_int_equal(runs(t), 1);
	kube_credential_release(&old);
	old = cred;
	fake_now = EXPIRY - 60;
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-2");
	assert_int_equal(runs(t), 2);

	/* a 401 with a credential someone already replaced does not drop the new one */
	fake_now = EXPIRY - 3600;
	kube_exec_invalidate(target, &old);
	kube_credential_release(&old);
	old = cred;
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-2");
	kube_credential_release(&cred);
	/* a 401 with the cached one does */
	kube_exec_invalidate(target, &old);
	kube_credential_release(&old);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-3");
	kube_credential_release(&cred);
	kube_exec_invalidate(target, NULL);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-4");
	kube_credential_release(&cred);

	/* another env is another credential */
	other = plugin_target(t, "plugin", NULL,
	                      "apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, "
	                      "env: [{name: AWS_PROFILE, value: other}]",
	                      NULL, &cfg2);
	assert_int_equal(kube_exec_credential(other, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-5");
	kube_credential_release(&cred);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-4");
	kube_credential_release(&cred);
	kube_target_free(other);
	kubeconfig_free(cfg2);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

static void
test_cache_without_expiry(void **state)
{
	struct kube_test_env *t = *state;
	struct kube_credential cred;
	struct kube_target *target;
	struct kubeconfig *cfg;
	struct irsa_error err;

	kube_exec_set_clock(fake_clock);
	fake_now = 1000;
	target = plugin_target(t, "plugin", PLUGIN_TOKEN_V1(""),
	                       "apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never", NULL, &cfg);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	kube_credential_release(&cred);
	fake_now = INT32_MAX;
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), 0);
	assert_string_equal(cred.token, "exec-token-1");
	assert_int_equal(cred.expiry, 0);
	assert_int_equal(runs(t), 1);
	kube_credential_release(&cred);

	/* a failure is not cached */
	kube_exec_cache_clear();
	kube_test_file(t, "plugin", "#!/bin/sh\nexit 2\n", true, (char[PATH_MAX]){0}, PATH_MAX);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), -1);
	assert_int_equal(kube_exec_credential(target, 0, &cred, &err), -1);
	aws_test_assert_contains(err.message, "exited with 2");
	kube_target_free(target);
	kubeconfig_free(cfg);
}

struct thread_arg {
	const struct kube_target *target;
	char token[64];
	int rc;
};

static void *
thread_main(void *p)
{
	struct thread_arg *a = p;
	struct kube_credential cred;

	a->rc = kube_exec_credential(a->target, 0, &cred, NULL);
	if (a->rc == 0)
		snprintf(a->token, sizeof(a->token), "%s", cred.token);
	kube_credential_release(&cred);
	return NULL;
}

static void
test_cache_threads(void **state)
{
	struct kube_test_env *t = *state;
	struct thread_arg args[6];
	pthread_t threads[6];
	struct kube_target *target;
	struct kubeconfig *cfg;
	size_t i;

	target = plugin_target(t, "plugin",
	                       PLUGIN_RECORD "sleep 0.3\n"
	                                     "echo '" V1_HEAD ", \"status\": {\"token\": \"threads-token-'$n'\"}}'\n",
	                       "apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never", NULL, &cfg);
	for (i = 0; i < 6; i++) {
		args[i].target = target;
		assert_int_equal(pthread_create(&threads[i], NULL, thread_main, &args[i]), 0);
	}
	for (i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(args[i].rc, 0);
		assert_string_equal(args[i].token, "threads-token-1");
	}
	assert_int_equal(runs(t), 1);
	kube_target_free(target);
	kubeconfig_free(cfg);
}

/* --- EKS token plugins -------------------------------------------------------------- */

struct eks_case {
	const char *command;
	const char *args[16];
	struct kube_exec_env env[3];
	bool match;
	enum kube_eks_style style;
	const char *cluster_name, *cluster_id, *token_id, *region, *role_arn, *profile;
};

static const struct eks_case eks_cases[] = {
        /* what aws eks update-kubeconfig writes */
        {.command = "aws",
         .args = {"--region", "eu-west-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json", "--role",
                  "arn:aws:iam::111122223333:role/admin"},
         .env = {{"AWS_PROFILE", "dev"}},
         .match = true,
         .style = KUBE_EKS_AWS_CLI,
         .cluster_name = "demo",
         .token_id = "demo",
         .region = "eu-west-1",
         .role_arn = "arn:aws:iam::111122223333:role/admin",
         .profile = "dev"},
        /* = forms, --cluster-id for Outposts, --profile over AWS_PROFILE, the region from the env list */
        {.command = "/usr/local/bin/aws",
         .args = {"--profile", "flag", "eks", "get-token", "--cluster-name=outpost", "--cluster-id", "0123-id",
                  "--role-arn=arn:aws:iam::1:role/r"},
         .env = {{"AWS_PROFILE", "env"}, {"AWS_REGION", "us-east-2"}},
         .match = true,
         .style = KUBE_EKS_AWS_CLI,
         .cluster_name = "outpost",
         .cluster_id = "0123-id",
         .token_id = "0123-id",
         .region = "us-east-2",
         .role_arn = "arn:aws:iam::1:role/r",
         .profile = "flag"},
        {.command = "aws-iam-authenticator",
         .args = {"token", "-i", "demo", "-r", "arn:aws:iam::1:role/r", "--region", "ap-south-1"},
         .env = {{"AWS_PROFILE", "p"}},
         .match = true,
         .style = KUBE_EKS_IAM_AUTHENTICATOR,
         .cluster_name = "demo",
         .cluster_id = "demo",
         .token_id = "demo",
         .region = "ap-south-1",
         .role_arn = "arn:aws:iam::1:role/r",
         .profile = "p"},
        {.command = "/opt/bin/aws-iam-authenticator",
         .args = {"token", "--cluster-id=demo2", "--role=arn:x"},
         .env = {{"AWS_DEFAULT_REGION", "eu-north-1"}},
         .match = true,
         .style = KUBE_EKS_IAM_AUTHENTICATOR,
         .cluster_name = "demo2",
         .cluster_id = "demo2",
         .token_id = "demo2",
         .region = "eu-north-1",
         .role_arn = "arn:x"},
        /* not EKS token plugins, or without a cluster to sign for */
        {.command = "aws", .args = {"sts", "get-caller-identity"}},
        {.command = "aws", .args = {"eks", "get-token"}},
        {.command = "aws", .args = {"get-token", "eks", "--cluster-name", "x"}},
        {.command = "kubelogin", .args = {"get-token", "--cluster-name", "x"}},
        {.command = "aws-iam-authenticator", .args = {"verify", "-i", "x"}},
        {.command = "aws-iam-authenticator", .args = {"token"}},
};

static void
assert_same(const char *got, const char *want, size_t i, const char *what)
{
	if ((got == NULL) != (want == NULL) || (got != NULL && strcmp(got, want) != 0))
		fail_msg("case %zu: %s is %s, not %s", i, what, got != NULL ? got : "NULL",
		         want != NULL ? want : "NULL");
}

static void
test_eks_params(void **state)
{
	struct kube_eks_params p;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(eks_cases) / sizeof(eks_cases[0]); i++) {
		const struct eks_case *c = &eks_cases[i];
		struct kube_exec_config config = {.command = (char *)c->command,
		                                  .api_version = (char *)KUBE_EXEC_API_BETA,
		                                  .args = (char **)c->args,
		                                  .env = (struct kube_exec_env *)c->env};

		for (n = 0; c->args[n] != NULL; n++)
			;
		config.n_args = n;
		for (n = 0; n < 3 && c->env[n].name != NULL; n++)
			;
		config.n_env = n;
		if (kube_exec_eks_params(&config, &p) != c->match)
			fail_msg("case %zu: match is %d", i, !c->match);
		if (!c->match) {
			assert_null(p.token_id);
			continue;
		}
		assert_int_equal(p.style, c->style);
		assert_same(p.cluster_name, c->cluster_name, i, "cluster_name");
		assert_same(p.cluster_id, c->cluster_id, i, "cluster_id");
		assert_same(p.token_id, c->token_id, i, "token_id");
		assert_same(p.region, c->region, i, "region");
		assert_same(p.role_arn, c->role_arn, i, "role_arn");
		assert_same(p.profile, c->profile, i, "profile");
	}
	assert_false(kube_exec_eks_params(NULL, &p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_token_v1, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_cluster_info, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_client_certificate, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_failures, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_not_found, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_command_lookup, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_cache_until_expiry, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_cache_without_expiry, exec_setup, exec_teardown),
	        cmocka_unit_test_setup_teardown(test_cache_threads, exec_setup, exec_teardown),
	        cmocka_unit_test(test_eks_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
