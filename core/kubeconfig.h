/* core/kubeconfig.h - the user's kubeconfig, read and merged as kubectl
 * (client-go clientcmd) does, and one context resolved into everything
 * needed to reach and authenticate to its API server.
 *
 * Files: --kubeconfig, else every file in KUBECONFIG (':'-separated,
 * duplicates and missing files skipped; the first file to define a cluster,
 * user or context name wins it whole, the first to set current-context wins
 * that), else ~/.kube/config (missing: an empty config). Relative file paths
 * resolve against the directory of the file that wrote them. Reads files;
 * runs nothing (exec plugins are core/kube_exec.h). Secrets read here are
 * registered with the redactor and wiped when freed. */
#ifndef IRSA_KUBECONFIG_H
#define IRSA_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define KUBECONFIG_MAX_FILE (16 * 1024 * 1024) /* cap on a kubeconfig file */
#define KUBECONFIG_MAX_REF  (4 * 1024 * 1024)  /* cap on a file it names (CA, certificate, key, token) */
#define KUBE_EXEC_API_V1    "client.authentication.k8s.io/v1"
#define KUBE_EXEC_API_BETA  "client.authentication.k8s.io/v1beta1"
#define KUBE_EXEC_API_ALPHA "client.authentication.k8s.io/v1alpha1"
#define KUBE_EXEC_EXTENSION "client.authentication.k8s.io/exec" /* cluster extension sent as spec.cluster.config */
#define KUBE_LIST_CONTEXTS  10 /* contexts named at most in an "unknown context" error */

struct kubeconfig; /* the merged configuration */

/* How a user authenticates, as listed; for a user with several, the one
 * that is used (token, tokenFile, client certificate, then exec). */
enum kube_auth_kind {
	KUBE_AUTH_NONE,
	KUBE_AUTH_TOKEN,
	KUBE_AUTH_TOKEN_FILE,
	KUBE_AUTH_CLIENT_CERT,
	KUBE_AUTH_EXEC,
	KUBE_AUTH_AUTH_PROVIDER, /* legacy, unsupported */
	KUBE_AUTH_BASIC,         /* username/password, unsupported */
};

enum kube_exec_interactive {
	KUBE_EXEC_NEVER,
	KUBE_EXEC_IF_AVAILABLE,
	KUBE_EXEC_ALWAYS,
};

/* One entry of an exec plugin's env list. */
struct kube_exec_env {
	char *name;
	char *value;
};

/* A user's exec plugin (client.authentication.k8s.io). Owned by whatever
 * holds it (a struct kube_target). */
struct kube_exec_config {
	char *api_version; /* one of the KUBE_EXEC_API_* values */
	bool deprecated;   /* v1alpha1: runs, but the UI should say it is deprecated */
	char *command;     /* a bare name (found on PATH), or an absolute path */
	char **args;       /* n_args words */
	size_t n_args;
	struct kube_exec_env *env; /* n_env entries, in order */
	size_t n_env;
	char *install_hint; /* NULL when not given */
	bool provide_cluster_info;
	enum kube_exec_interactive interactive_mode;
};

/* One context, for a list. Everything borrowed from the struct kubeconfig;
 * strings are NULL when not set (namespace as written, no default). */
struct kube_context_info {
	const char *name;
	const char *cluster;
	const char *user;
	const char *namespace;
	const char *server; /* NULL also when the cluster is not defined */
	enum kube_auth_kind auth;
	bool current;
	const char *file; /* the kubeconfig that defined the context */
};

/* A context resolved and checked: what the REST client needs. Owned: free
 * with kube_target_free(), which wipes the secrets. */
struct kube_target {
	char *context;
	char *cluster;
	char *user;      /* "" for a context without a user */
	char *file;      /* the kubeconfig that defined the context */
	char *server;    /* https://host[:port][/path] (http:// only with warn_http) */
	char *namespace; /* the context's, else "default" */

	char *ca_pem; /* certificate-authority-data decoded, or the certificate-authority file; NULL: system CAs */
	size_t ca_pem_len;
	bool insecure;      /* insecure-skip-tls-verify: honoured, and the UI must show warn_insecure */
	bool warn_insecure; /* = insecure */
	bool warn_http;     /* the server is plain http: no TLS at all */
	char *tls_server_name;
	char *proxy_url;
	bool disable_compression;
	char *exec_cluster_config; /* the cluster's KUBE_EXEC_EXTENSION as JSON text, or NULL */

	enum kube_auth_kind auth; /* NONE, TOKEN, TOKEN_FILE, CLIENT_CERT or EXEC */
	char *token;              /* secret: the token, or tokenFile's contents (trimmed); NULL with neither */
	char *token_file;         /* absolute path, or NULL */
	char *client_cert_pem;    /* NULL, or both it and the key */
	size_t client_cert_pem_len;
	char *client_key_pem; /* secret */
	size_t client_key_pem_len;
	bool has_exec;
	struct kube_exec_config exec; /* when has_exec */
};

/* Loads and merges the kubeconfig files. explicit_path (--kubeconfig) may be
 * NULL; when given it must exist and KUBECONFIG is ignored. Returns 0 and a
 * new *out (the caller frees it with kubeconfig_free()), or -1 with err set:
 * IRSA_ERR_IO naming an unreadable file, IRSA_ERR_PARSE naming the file,
 * line and what is wrong (malformed YAML, a value of the wrong type, bad
 * base64), IRSA_ERR_LIMIT for a file over KUBECONFIG_MAX_FILE. */
int kubeconfig_load(const char *explicit_path, struct kubeconfig **out, struct irsa_error *err);

/* Frees cfg and everything borrowed from it. cfg may be NULL. */
void kubeconfig_free(struct kubeconfig *cfg);

/* The files that were read, in order (missing ones left out). Borrowed. */
size_t kubeconfig_n_files(const struct kubeconfig *cfg);
const char *kubeconfig_file(const struct kubeconfig *cfg, size_t i);

/* current-context, or NULL when no file sets it. Borrowed. */
const char *kubeconfig_current_context(const struct kubeconfig *cfg);

/* The contexts, sorted by name (as kubectl config get-contexts lists them).
 * kubeconfig_context() returns 0 and fills out (borrowed from cfg), or -1
 * when i is out of range. */
size_t kubeconfig_n_contexts(const struct kubeconfig *cfg);
int kubeconfig_context(const struct kubeconfig *cfg, size_t i, struct kube_context_info *out);

/* Resolves the context called name, or the current context when name is
 * NULL: its cluster and user, with files read and every value checked.
 * Returns 0 and a new *out (the caller frees it with kube_target_free()),
 * or -1 with err set: IRSA_ERR_NOT_FOUND for no context (with a hint to run
 * `aws eks update-kubeconfig` or pass --kubeconfig), an unknown context (the
 * message lists the contexts there are), or an undefined cluster;
 * IRSA_ERR_INVALID_INPUT for what irsa or client-go refuses (no server, an
 * unsupported scheme, a CA with insecure-skip-tls-verify, a certificate
 * without its key, auth-provider, username/password, impersonation, an
 * incomplete exec section); IRSA_ERR_IO for a file it names that cannot be
 * read (the message names both files). */
int kubeconfig_resolve(const struct kubeconfig *cfg, const char *name, struct kube_target **out,
                       struct irsa_error *err);

/* Wipes the secrets and frees t. t may be NULL. */
void kube_target_free(struct kube_target *t);

/* "none", "token", "tokenFile", "client-cert", "exec", "auth-provider",
 * "basic". Static string. */
const char *kube_auth_kind_name(enum kube_auth_kind kind);

/* Releases what c holds (kube_target_free() does this for its exec). */
void kube_exec_config_release(struct kube_exec_config *c);

#endif
