/* core/kube_exec.c - the client-go credential plugin protocol: the
 * environment and KUBERNETES_EXEC_INFO a plugin is given, running it
 * through core/proc.c, checking the ExecCredential it prints, and a
 * process-wide cache of credentials keyed by the plugin's configuration.
 * Also reads the flags of the two EKS token plugins. Prints nothing: the
 * plugin's error output goes to the log. */
#include "config.h"

#include "kube_exec.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "aws_time.h"
#include "buf.h"
#include "env.h"
#include "jsonobj.h"
#include "log.h"
#include "proc.h"
#include "redact.h"

#define EXEC_INFO_VAR "KUBERNETES_EXEC_INFO"
#define PLUGIN_DOCS                                                                                                    \
	"https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins"
#define MAX_KEY (1024 * 1024)

/* One cached credential. */
struct cache_entry {
	char *key; /* the plugin's configuration, see cache_key() */
	size_t key_len;
	struct kube_credential cred;
	bool valid;
	bool running; /* a thread is running the plugin for this entry */
	struct cache_entry *next;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cache_done = PTHREAD_COND_INITIALIZER;
static struct cache_entry *cache;
static time_t (*clock_now)(void);

/* --- credentials -------------------------------------------------------------- */

void
kube_credential_release(struct kube_credential *c)
{
	if (c == NULL)
		return;
	buf_free_secret(c->token);
	free(c->client_cert_pem);
	if (c->client_key_pem != NULL)
		buf_wipe(c->client_key_pem, c->client_key_pem_len);
	free(c->client_key_pem);
	memset(c, 0, sizeof(*c));
}

static int
credential_copy(const struct kube_credential *src, struct kube_credential *dst)
{
	memset(dst, 0, sizeof(*dst));
	dst->expiry = src->expiry;
	dst->client_cert_pem_len = src->client_cert_pem_len;
	dst->client_key_pem_len = src->client_key_pem_len;
	if ((src->token != NULL && (dst->token = strdup(src->token)) == NULL) ||
	    (src->client_cert_pem != NULL &&
	     (dst->client_cert_pem = strndup(src->client_cert_pem, src->client_cert_pem_len)) == NULL) ||
	    (src->client_key_pem != NULL &&
	     (dst->client_key_pem = strndup(src->client_key_pem, src->client_key_pem_len)) == NULL)) {
		kube_credential_release(dst);
		return -1;
	}
	return 0;
}

static bool
credential_same(const struct kube_credential *a, const struct kube_credential *b)
{
	return (a->token == NULL) == (b->token == NULL) && (a->token == NULL || strcmp(a->token, b->token) == 0) &&
	       a->client_cert_pem_len == b->client_cert_pem_len &&
	       (a->client_cert_pem == NULL) == (b->client_cert_pem == NULL) &&
	       (a->client_cert_pem == NULL ||
	        memcmp(a->client_cert_pem, b->client_cert_pem, a->client_cert_pem_len) == 0);
}

/* --- what the plugin is given -------------------------------------------------------- */

static int
json_add_string(struct json_object *o, const char *key, const char *value)
{
	struct json_object *v;

	if (value == NULL || *value == '\0')
		return 0;
	v = json_object_new_string(value);
	return v != NULL ? json_object_object_add(o, key, v) : -1;
}

/* spec.cluster: what client-go's ConfigToExecCluster passes. */
static struct json_object *
exec_info_cluster(const struct kube_target *t)
{
	struct json_object *c = json_object_new_object();
	int bad = c == NULL;

	if (c == NULL)
		return NULL;
	bad |= json_object_object_add(c, "server", json_object_new_string(t->server));
	bad |= json_add_string(c, "tls-server-name", t->tls_server_name);
	if (t->insecure)
		bad |= json_object_object_add(c, "insecure-skip-tls-verify", json_object_new_boolean(1));
	if (t->ca_pem != NULL && t->ca_pem_len > 0) {
		size_t n = 4 * ((t->ca_pem_len + 2) / 3) + 1;
		unsigned char *b64 = malloc(n);

		if (b64 == NULL || t->ca_pem_len > INT32_MAX)
			bad = 1;
		else {
			EVP_EncodeBlock(b64, (const unsigned char *)t->ca_pem, (int)t->ca_pem_len);
			bad |= json_add_string(c, "certificate-authority-data", (const char *)b64);
		}
		free(b64);
	}
	bad |= json_add_string(c, "proxy-url", t->proxy_url);
	if (t->disable_compression)
		bad |= json_object_object_add(c, "disable-compression", json_object_new_boolean(1));
	if (t->exec_cluster_config != NULL) {
		struct json_object *config = json_tokener_parse(t->exec_cluster_config);

		if (config != NULL)
			bad |= json_object_object_add(c, "config", config);
	}
	if (bad) {
		json_object_put(c);
		return NULL;
	}
	return c;
}

/* KUBERNETES_EXEC_INFO's value. A new string, or NULL when out of memory. */
static char *
exec_info(const struct kube_target *t)
{
	struct json_object *o = json_object_new_object(), *spec = json_object_new_object(), *cluster = NULL;
	char *text = NULL;
	int bad = o == NULL || spec == NULL;

	if (!bad) {
		bad |= json_add_string(o, "apiVersion", t->exec.api_version);
		bad |= json_add_string(o, "kind", "ExecCredential");
		bad |= json_object_object_add(spec, "interactive", json_object_new_boolean(0));
		if (t->exec.provide_cluster_info) {
			cluster = exec_info_cluster(t);
			bad |= cluster == NULL || json_object_object_add(spec, "cluster", cluster) != 0;
		}
		bad |= json_object_object_add(o, "spec", spec);
		spec = NULL;
	}
	if (!bad)
		text = strdup(
		        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(spec);
	json_object_put(o);
	return text;
}

/* The parent's environment, then the plugin's env list, then
 * KUBERNETES_EXEC_INFO; a later entry replaces an earlier one of the same
 * name (Go's exec keeps the last). NULL when out of memory; the caller
 * frees with env_envp_free(). */
static char **
env_build(const struct kube_exec_config *c, const char *info)
{
	struct env *e = env_new();
	char **envp = NULL;
	size_t i;

	for (i = 0; e != NULL && i < c->n_env; i++)
		if (env_set(e, c->env[i].name, c->env[i].value) != 0)
			break;
	if (e != NULL && i == c->n_env && env_set(e, EXEC_INFO_VAR, info) == 0)
		envp = env_envp(e);
	env_free(e);
	return envp;
}

/* --- reading what it printed ----------------------------------------------------- */

static int
parse_error(const struct kube_target *t, struct irsa_error *err, const char *what)
{
	irsa_error_set(err, IRSA_ERR_PARSE, "the exec plugin %s of user \"%s\" %s", t->exec.command, t->user, what);
	return irsa_error_hint(err,
	                       "Run the plugin by hand: it must print an ExecCredential (%s) with "
	                       "status.token or status.clientCertificateData and clientKeyData.",
	                       t->exec.api_version);
}

/* Checks the ExecCredential and fills out, as client-go's exec
 * authenticator does. */
static int
credential_parse(const struct kube_target *t, const char *text, struct kube_credential *out, struct irsa_error *err)
{
	struct json_object *root = json_tokener_parse(text), *status;
	const char *version, *kind, *token, *cert, *key, *exp;
	char what[200];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return parse_error(t, err, "did not print a JSON ExecCredential");
	}
	version = jsonobj_str(root, "apiVersion");
	kind = jsonobj_str(root, "kind");
	status = jsonobj_obj(root, "status");
	token = jsonobj_str(status, "token");
	cert = jsonobj_str(status, "clientCertificateData");
	key = jsonobj_str(status, "clientKeyData");
	exp = jsonobj_str(status, "expirationTimestamp");
	if (token != NULL && *token != '\0')
		redact_register(token);
	if (key != NULL && *key != '\0')
		redact_register(key);
	if (kind == NULL || strcmp(kind, "ExecCredential") != 0)
		parse_error(t, err, "printed JSON that is not an ExecCredential (no \"kind\": \"ExecCredential\")");
	else if (version == NULL || strcmp(version, t->exec.api_version) != 0) {
		snprintf(what, sizeof(what), "answered with apiVersion %s, not the %s it was given",
		         version != NULL ? version : "(none)", t->exec.api_version);
		parse_error(t, err, what);
	} else if (status == NULL)
		parse_error(t, err, "printed an ExecCredential without a status");
	else if ((token == NULL || *token == '\0') && (cert == NULL || *cert == '\0') && (key == NULL || *key == '\0'))
		parse_error(t, err, "printed neither a token nor a client certificate and key");
	else if ((cert == NULL || *cert == '\0') != (key == NULL || *key == '\0'))
		parse_error(t, err, "printed only one of clientCertificateData and clientKeyData");
	else if (exp != NULL && *exp != '\0' && aws_parse_time(exp, &out->expiry) != 0) {
		snprintf(what, sizeof(what), "printed an expirationTimestamp that is not an RFC 3339 time: %.60s", exp);
		parse_error(t, err, what);
	} else {
		if ((token != NULL && *token != '\0' && (out->token = strdup(token)) == NULL) ||
		    (cert != NULL && *cert != '\0' && (out->client_cert_pem = strdup(cert)) == NULL) ||
		    (key != NULL && *key != '\0' && (out->client_key_pem = strdup(key)) == NULL)) {
			kube_credential_release(out);
			irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
		} else {
			out->client_cert_pem_len = cert != NULL ? strlen(cert) : 0;
			out->client_key_pem_len = key != NULL ? strlen(key) : 0;
			rc = 0;
		}
	}
	json_object_put(root);
	return rc;
}

/* --- running it ----------------------------------------------------------------- */

/* The plugin's error output, a line at a time, to the log. */
static void
log_error_output(const struct kube_target *t, const char *text)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");

		if (n > 0)
			log_debug("exec plugin %s (user \"%s\"): %.*s", t->exec.command, t->user, (int)n, text);
		text += n;
		if (*text == '\n')
			text++;
	}
}

static int
not_found(const struct kube_target *t, struct irsa_error *err)
{
	char hint[200];
	size_t i;

	snprintf(hint, sizeof(hint), "%s", t->exec.install_hint != NULL ? t->exec.install_hint : "");
	for (i = 0; hint[i] != '\0'; i++)
		if (hint[i] == '\n' || hint[i] == '\r' || hint[i] == '\t')
			hint[i] = ' ';
	irsa_error_set(err, IRSA_ERR_NOT_FOUND,
	               "exec: executable %s not found (the exec plugin of user \"%s\" in %s)%s%s", t->exec.command,
	               t->user, t->file, *hint != '\0' ? ": " : "", hint);
	return irsa_error_hint(err, "It looks like you are trying to use a client-go credential plugin that is not "
	                            "installed: install it or put it on PATH (" PLUGIN_DOCS ").");
}

static int
exec_run(const struct kube_target *t, int timeout_ms, struct kube_credential *out, struct irsa_error *err)
{
	const struct kube_exec_config *c = &t->exec;
	struct proc_spec spec = {.timeout_ms = timeout_ms, .max_output = KUBE_EXEC_MAX_OUTPUT};
	struct proc_result res;
	char **argv, **envp, *info;
	int rc = -1;

	if (c->interactive_mode == KUBE_EXEC_ALWAYS) {
		irsa_error_set(err, IRSA_ERR_AUTH,
		               "the exec plugin %s of user \"%s\" needs a terminal (interactiveMode "
		               "Always), and irsa runs plugins without one",
		               c->command, t->user);
		return irsa_error_hint(err, "Run kubectl once to log in through the plugin, or set its interactiveMode "
		                            "to IfAvailable if it can work without a terminal.");
	}
	info = exec_info(t);
	argv = calloc(c->n_args + 2, sizeof(*argv));
	envp = info != NULL ? env_build(c, info) : NULL;
	if (argv == NULL || envp == NULL) {
		free(info);
		free(argv);
		env_envp_free(envp);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	argv[0] = c->command;
	memcpy(argv + 1, c->args, c->n_args * sizeof(*argv));
	spec.argv = argv;
	spec.envp = envp;
	if (c->deprecated)
		log_warn("the exec plugin %s of user \"%s\" uses %s, which is deprecated", c->command, t->user,
		         c->api_version);
	if (proc_run(&spec, &res, err) != 0) {
		if (err != NULL && err->kind == IRSA_ERR_NOT_FOUND)
			not_found(t, err);
		else
			irsa_error_prefix(err, "the exec plugin of user \"%s\"", t->user);
		goto out;
	}
	log_error_output(t, buf_cstr(&res.err));
	if (res.end == PROC_TIMEOUT) {
		irsa_error_set(err, IRSA_ERR_AUTH, "the exec plugin %s of user \"%s\" did not finish within %d %s",
		               c->command, t->user, timeout_ms % 1000 == 0 ? timeout_ms / 1000 : timeout_ms,
		               timeout_ms % 1000 == 0 ? "s" : "ms");
		irsa_error_hint(err, "Run it by hand; if it waits for input (a browser login, MFA), finish that first: "
		                     "irsa runs plugins without a terminal.");
	} else if (res.end == PROC_TOO_BIG) {
		irsa_error_set(err, IRSA_ERR_LIMIT, "the exec plugin %s of user \"%s\" printed more than %d bytes",
		               c->command, t->user, KUBE_EXEC_MAX_OUTPUT);
		irsa_error_hint(err, "Make it print only the ExecCredential.");
	} else if (res.end != PROC_EXITED || res.status != 0) {
		irsa_error_set(err, IRSA_ERR_AUTH, "the exec plugin %s of user \"%s\" %s %d%s%s", c->command, t->user,
		               res.end == PROC_EXITED ? "exited with" : "was killed by signal", res.status,
		               *res.first_err_line != '\0' ? ": " : "", res.first_err_line);
		irsa_error_hint(err, "Run the plugin by hand (with its args and env from %s) to see why it fails.",
		                t->file);
	} else
		rc = credential_parse(t, buf_cstr(&res.out), out, err);
	proc_result_release(&res);
out:
	free(info);
	free(argv);
	env_envp_free(envp);
	return rc;
}

/* --- the cache ------------------------------------------------------------------ */

static time_t
now(void)
{
	return clock_now != NULL ? clock_now() : time(NULL);
}

void
kube_exec_set_clock(time_t (*fn)(void))
{
	pthread_mutex_lock(&cache_lock);
	clock_now = fn;
	pthread_mutex_unlock(&cache_lock);
}

static void
key_add(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s) + 1);
}

/* Everything that makes a plugin give a different credential. */
static int
cache_key(const struct kube_target *t, struct buf *key)
{
	const struct kube_exec_config *c = &t->exec;
	size_t i;

	buf_init(key, MAX_KEY);
	key_add(key, c->api_version);
	key_add(key, c->command);
	for (i = 0; i < c->n_args; i++)
		key_add(key, c->args[i]);
	buf_addch(key, '\0');
	for (i = 0; i < c->n_env; i++) {
		key_add(key, c->env[i].name);
		key_add(key, c->env[i].value);
	}
	buf_addch(key, '\0');
	if (c->provide_cluster_info) {
		char *info = exec_info(t);

		if (info != NULL)
			key_add(key, info);
		else
			key->failed = true;
		free(info);
	}
	return key->failed ? -1 : 0;
}

/* The entry for key, made if needed. Under cache_lock. */
static struct cache_entry *
cache_find(const struct buf *key, bool make)
{
	struct cache_entry *e;

	for (e = cache; e != NULL; e = e->next)
		if (e->key_len == key->len && memcmp(e->key, key->data, key->len) == 0)
			return e;
	if (!make || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if ((e->key = malloc(key->len)) == NULL) {
		free(e);
		return NULL;
	}
	memcpy(e->key, key->data, key->len);
	e->key_len = key->len;
	e->next = cache;
	cache = e;
	return e;
}

static bool
entry_fresh(const struct cache_entry *e)
{
	return e->valid && (e->cred.expiry == 0 || now() < e->cred.expiry - KUBE_EXEC_EXPIRY_MARGIN);
}

int
kube_exec_credential(const struct kube_target *t, int timeout_ms, struct kube_credential *out, struct irsa_error *err)
{
	struct kube_credential fresh;
	struct cache_entry *e;
	struct buf key;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!t->has_exec) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "user \"%s\" of context \"%s\" has no exec plugin", t->user,
		               t->context);
		return -1;
	}
	if (timeout_ms <= 0)
		timeout_ms = KUBE_EXEC_DEFAULT_TIMEOUT;
	if (cache_key(t, &key) != 0) {
		buf_release_secure(&key);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	pthread_mutex_lock(&cache_lock);
	while ((e = cache_find(&key, true)) != NULL && !entry_fresh(e) && e->running)
		pthread_cond_wait(&cache_done, &cache_lock);
	buf_release_secure(&key);
	if (e == NULL || entry_fresh(e)) {
		rc = e != NULL ? credential_copy(&e->cred, out) : -1;
		pthread_mutex_unlock(&cache_lock);
		return rc == 0 ? 0 : irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	e->running = true;
	pthread_mutex_unlock(&cache_lock);

	rc = exec_run(t, timeout_ms, &fresh, err);

	pthread_mutex_lock(&cache_lock);
	e->running = false;
	if (rc == 0) {
		kube_credential_release(&e->cred);
		e->cred = fresh;
		e->valid = true;
		if (credential_copy(&e->cred, out) != 0)
			rc = irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	pthread_cond_broadcast(&cache_done);
	pthread_mutex_unlock(&cache_lock);
	return rc;
}

void
kube_exec_invalidate(const struct kube_target *t, const struct kube_credential *used)
{
	struct cache_entry *e;
	struct buf key;

	if (!t->has_exec)
		return;
	if (cache_key(t, &key) == 0) {
		pthread_mutex_lock(&cache_lock);
		e = cache_find(&key, false);
		if (e != NULL && e->valid && (used == NULL || credential_same(&e->cred, used))) {
			kube_credential_release(&e->cred);
			e->valid = false;
		}
		pthread_mutex_unlock(&cache_lock);
	}
	buf_release_secure(&key);
}

void
kube_exec_cache_clear(void)
{
	struct cache_entry **p, *e;

	pthread_mutex_lock(&cache_lock);
	for (p = &cache; (e = *p) != NULL;) {
		if (e->running) {
			p = &e->next;
			continue;
		}
		*p = e->next;
		kube_credential_release(&e->cred);
		buf_wipe(e->key, e->key_len);
		free(e->key);
		free(e);
	}
	pthread_mutex_unlock(&cache_lock);
}

/* --- EKS token plugins ---------------------------------------------------------- */

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* The value of an option at args[*i] called one of names ("--region" or
 * "--region=VALUE"); advances *i past a separate value. NULL if it is not
 * that option. */
static const char *
option_value(const struct kube_exec_config *c, size_t *i, const char *const *names)
{
	const char *a = c->args[*i];

	for (; *names != NULL; names++) {
		size_t n = strlen(*names);

		if (strncmp(a, *names, n) != 0)
			continue;
		if (a[n] == '=')
			return a + n + 1;
		if (a[n] == '\0' && *i + 1 < c->n_args)
			return c->args[++*i];
	}
	return NULL;
}

static const char *
env_value(const struct kube_exec_config *c, const char *name)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < c->n_env; i++)
		if (strcmp(c->env[i].name, name) == 0)
			v = c->env[i].value; /* the last one wins, as in the environment */
	return v != NULL && *v != '\0' ? v : NULL;
}

/* One option of an EKS plugin and where its value goes. */
struct eks_option {
	const char *names[3];
	size_t offset; /* of a const char * in struct kube_eks_params */
};

#define EKS_OPTION(n1, n2, member)                                                                                     \
	{                                                                                                              \
		{n1, n2, NULL}, offsetof(struct kube_eks_params, member)                                               \
	}

static const struct eks_option aws_cli_options[] = {
        EKS_OPTION("--cluster-name", NULL, cluster_name),
        EKS_OPTION("--cluster-id", NULL, cluster_id),
        EKS_OPTION("--region", NULL, region),
        EKS_OPTION("--role-arn", "--role", role_arn),
        EKS_OPTION("--profile", NULL, profile),
};

static const struct eks_option authenticator_options[] = {
        EKS_OPTION("-i", "--cluster-id", cluster_id),
        EKS_OPTION("--region", NULL, region),
        EKS_OPTION("-r", "--role", role_arn),
};

/* Reads the options of the table from the args; words that are not options
 * are collected in order into words (at most n_words). */
static size_t
eks_options_read(const struct kube_exec_config *c, const struct eks_option *table, size_t n_table,
                 struct kube_eks_params *out, const char **words, size_t n_words)
{
	size_t i, k, n = 0;

	for (i = 0; i < c->n_args; i++) {
		const char *v = NULL;

		for (k = 0; k < n_table && v == NULL; k++)
			if ((v = option_value(c, &i, table[k].names)) != NULL)
				*(const char **)((char *)out + table[k].offset) = v;
		if (v == NULL && c->args[i][0] != '-' && n < n_words)
			words[n++] = c->args[i];
	}
	return n;
}

bool
kube_exec_eks_params(const struct kube_exec_config *c, struct kube_eks_params *out)
{
	const char *words[8] = {NULL}, *name;
	size_t n, i;
	bool match = false;

	memset(out, 0, sizeof(*out));
	if (c == NULL || c->command == NULL)
		return false;
	name = base_name(c->command);
	if (strcmp(name, "aws") == 0) {
		out->style = KUBE_EKS_AWS_CLI;
		n = eks_options_read(c, aws_cli_options, sizeof(aws_cli_options) / sizeof(aws_cli_options[0]), out,
		                     words, 8);
		for (i = 0; i + 1 < n && !match; i++)
			match = strcmp(words[i], "eks") == 0 && strcmp(words[i + 1], "get-token") == 0;
	} else if (strcmp(name, "aws-iam-authenticator") == 0) {
		out->style = KUBE_EKS_IAM_AUTHENTICATOR;
		n = eks_options_read(c, authenticator_options,
		                     sizeof(authenticator_options) / sizeof(authenticator_options[0]), out, words, 8);
		match = n > 0 && strcmp(words[0], "token") == 0;
		out->cluster_name = out->cluster_id;
	}
	if (out->profile == NULL)
		out->profile = env_value(c, "AWS_PROFILE");
	if (out->region == NULL && (out->region = env_value(c, "AWS_REGION")) == NULL)
		out->region = env_value(c, "AWS_DEFAULT_REGION");
	out->token_id = out->cluster_id != NULL ? out->cluster_id : out->cluster_name;
	if (!match || out->token_id == NULL || *out->token_id == '\0') {
		memset(out, 0, sizeof(*out));
		return false;
	}
	return true;
}
