/* core/kubeconfig.c - reading kubeconfig files with libyaml and merging them
 * as client-go's clientcmd loader does, then resolving one context into a
 * struct kube_target with the files it names read and every value checked
 * as client-go's validation does (or more strictly, where kubectl would only
 * fail later or fall back to localhost). Each file is parsed whole into
 * clusters, users and contexts (a field table says what each key is), so a
 * wrong type or bad base64 anywhere fails the load with the file and line,
 * as kubectl does. Runs nothing; prints nothing. */
#include "config.h"

#include "kubeconfig.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <yaml.h>

#include "buf.h"
#include "path.h"
#include "redact.h"

#define UPDATE_KUBECONFIG_HINT                                                                                         \
	"Run `aws eks update-kubeconfig --name CLUSTER` to add an EKS cluster, or pass --kubeconfig FILE."

/* Decoded base64 data (a PEM bundle, a key). */
struct blob {
	char *data; /* NUL-terminated, len bytes */
	size_t len;
};

/* What every named entry starts with. */
struct entry_head {
	char *name;
	const char *file; /* borrowed from struct kubeconfig's files */
	size_t line;
};

struct kc_cluster {
	struct entry_head h;
	char *server;
	char *ca_file;
	struct blob ca_data;
	bool insecure;
	char *tls_server_name;
	char *proxy_url;
	bool disable_compression;
	char *exec_config; /* JSON */
};

struct kc_user {
	struct entry_head h;
	char *token; /* secret */
	char *token_file;
	char *cert_file;
	struct blob cert_data;
	char *key_file;
	struct blob key_data; /* secret */
	char *username;
	char *password; /* secret */
	bool has_auth_provider;
	char *auth_provider;       /* its name; may be NULL */
	const char *impersonation; /* the first impersonation field set, or NULL */
	bool has_exec;
	struct kube_exec_config exec;
};

struct kc_context {
	struct entry_head h;
	char *cluster;
	char *user;
	char *namespace;
};

/* A list of entries that all start with a struct entry_head. */
struct entry_list {
	void **items;
	size_t n;
};

struct kubeconfig {
	char **files; /* the files read, in order */
	size_t n_files;
	char **missing; /* the files looked for that do not exist, for messages */
	size_t n_missing;
	struct entry_list clusters, users, contexts;
	char *current_context;
	struct kube_context_info *infos; /* the contexts, sorted by name */
};

/* One file being read. */
struct reader {
	struct kubeconfig *cfg;
	const char *file;
	char *dir; /* absolute directory of file */
	yaml_document_t doc;
	struct irsa_error *err;
	const char *what; /* "cluster \"c1\"", for messages */
};

/* --- small helpers ------------------------------------------------------------ */

static char *
xstrdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
blob_free_secret(struct blob *b)
{
	if (b->data != NULL)
		buf_wipe(b->data, b->len);
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

/* Reads path whole, up to max bytes. Returns 1, 0 when it does not exist, or
 * -1 with errno set (E2BIG over the cap). */
static int
file_read(const char *path, size_t max, struct buf *out)
{
	char chunk[8192];
	struct stat st;
	ssize_t n;
	int fd, saved;

	buf_init(out, max);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || buf_add(out, chunk, (size_t)n) != 0) {
			saved = n < 0 ? errno : out->error;
			close(fd);
			buf_wipe(chunk, sizeof(chunk));
			buf_release_secure(out);
			errno = saved;
			return -1;
		}
	}
	close(fd);
	buf_wipe(chunk, sizeof(chunk));
	if (out->data == NULL && buf_addstr(out, "") != 0)
		return -1;
	return 1;
}

/* dir (absolute) joined with p unless p is absolute, with "." and ".."
 * segments and repeated '/' removed, as Go's filepath.Join does. A new
 * string, or NULL when out of memory. */
static char *
path_resolve(const char *dir, const char *p)
{
	struct buf joined, out;
	const char *s;

	buf_init(&joined, PATH_MAX * 2);
	buf_init(&out, PATH_MAX * 2);
	if (p[0] != '/')
		buf_printf(&joined, "%s/", dir);
	buf_addstr(&joined, p);
	for (s = buf_cstr(&joined); *s != '\0';) {
		size_t n;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out.len > 0 && out.data[--out.len] != '/')
				;
		} else if (n > 0 && !(n == 1 && s[0] == '.')) {
			buf_addch(&out, '/');
			buf_add(&out, s, n);
		}
		s += n;
	}
	if (out.len == 0)
		buf_addch(&out, '/');
	buf_release(&joined);
	if (out.failed) {
		buf_release(&out);
		return NULL;
	}
	out.data[out.len] = '\0';
	return buf_detach(&out);
}

/* The absolute directory of file. A new string. */
static char *
path_dir_abs(const char *file)
{
	char cwd[PATH_MAX], *joined, *slash;

	if (file[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		strcpy(cwd, "/");
	joined = path_resolve(cwd, file);
	if (joined == NULL)
		return NULL;
	slash = strrchr(joined, '/');
	if (slash == joined)
		slash[1] = '\0';
	else
		*slash = '\0';
	return joined;
}

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Standard base64 with padding; line breaks are skipped (Go's decoder does
 * that too). Returns 0 and a new blob, or -1 when s is not base64. */
static int
base64_decode(const char *s, struct blob *out)
{
	size_t len = strlen(s), n = 0, pad = 0;
	unsigned acc = 0;
	int bits = 0;

	out->len = 0;
	out->data = malloc(len / 4 * 3 + 4);
	if (out->data == NULL)
		return -1;
	for (; *s != '\0'; s++) {
		int v;

		if (*s == '\r' || *s == '\n')
			continue;
		if (*s == '=') {
			pad++;
			n++;
			continue;
		}
		v = b64_value((unsigned char)*s);
		if (v < 0 || pad > 0)
			goto bad;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		n++;
		if (bits >= 8) {
			bits -= 8;
			out->data[out->len++] = (char)(acc >> bits & 0xff);
		}
	}
	if (n % 4 != 0 || pad > 2 || (pad > 0 && bits == 0))
		goto bad;
	out->data[out->len] = '\0';
	return 0;
bad:
	blob_free_secret(out);
	return -1;
}

/* --- YAML access -------------------------------------------------------------- */

static yaml_node_t *
node_at(struct reader *r, int index)
{
	return yaml_document_get_node(&r->doc, index);
}

static size_t
node_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

static bool
plain_is(const yaml_node_t *n, const char *const *words)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (; *words != NULL; words++)
		if (strcmp((const char *)n->data.scalar.value, *words) == 0)
			return true;
	return false;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL};
static const char *const false_words[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                          "False", "FALSE", "off", "Off", "OFF", NULL};

/* A YAML null: absent, as the Go decoder treats it. */
static bool
node_is_null(const yaml_node_t *n)
{
	return n == NULL || plain_is(n, null_words) ||
	       (n->tag != NULL && strcmp((const char *)n->tag, YAML_NULL_TAG) == 0);
}

static const char *
node_type_name(const yaml_node_t *n)
{
	return n->type == YAML_MAPPING_NODE ? "a mapping" : n->type == YAML_SEQUENCE_NODE ? "a list" : "a value";
}

static int reader_error(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* "FILE line N: WHAT: <message>", IRSA_ERR_PARSE. */
static int
reader_error(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	irsa_error_set(r->err, IRSA_ERR_PARSE, "%s line %zu: %s%s%s", r->file, n != NULL ? node_line(n) : 0,
	               r->what != NULL ? r->what : "", r->what != NULL ? ": " : "", what);
	return irsa_error_hint(r->err,
	                       "Fix the kubeconfig file; `kubectl config view --kubeconfig %s` shows how "
	                       "kubectl reads it.",
	                       r->file);
}

/* The text of a scalar, or NULL for a null; an error for anything else. */
static int
node_string(struct reader *r, const yaml_node_t *n, const char *key, const char **out)
{
	*out = NULL;
	if (node_is_null(n))
		return 0;
	if (n->type != YAML_SCALAR_NODE)
		return reader_error(r, n, "%s must be a string, not %s", key, node_type_name(n));
	*out = (const char *)n->data.scalar.value;
	return 0;
}

/* The value under key in a mapping node, or NULL. A key written twice has
 * its last value, as kubectl reads it. */
static yaml_node_t *
map_get(struct reader *r, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.top; p > map->data.mapping.pairs.start; p--) {
		yaml_node_t *k = node_at(r, p[-1].key);

		if (k != NULL && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
			return node_at(r, p[-1].value);
	}
	return NULL;
}

/* A mapping, or NULL for a null; an error for anything else. */
static int
node_mapping(struct reader *r, yaml_node_t *n, const char *key, yaml_node_t **out)
{
	*out = NULL;
	if (node_is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return reader_error(r, n, "%s must be a mapping, not %s", key, node_type_name(n));
	*out = n;
	return 0;
}

/* A sequence's items (none for a null); an error for anything else. */
static int
node_items(struct reader *r, yaml_node_t *n, const char *key, yaml_node_item_t **start, yaml_node_item_t **top)
{
	*start = *top = NULL;
	if (node_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return reader_error(r, n, "%s must be a list, not %s", key, node_type_name(n));
	*start = n->data.sequence.items.start;
	*top = n->data.sequence.items.top;
	return 0;
}

/* A YAML subtree as JSON, the way sigs.k8s.io/yaml converts it. */
static struct json_object *
node_to_json(struct reader *r, yaml_node_t *n, int depth)
{
	struct json_object *o;
	const char *s;
	char *end;

	if (n == NULL || depth > 64 || node_is_null(n))
		return NULL;
	if (n->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *p;

		o = json_object_new_object();
		for (p = n->data.mapping.pairs.start; o != NULL && p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node_at(r, p->key);

			if (k != NULL && k->type == YAML_SCALAR_NODE)
				json_object_object_add(o, (const char *)k->data.scalar.value,
				                       node_to_json(r, node_at(r, p->value), depth + 1));
		}
		return o;
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		yaml_node_item_t *i;

		o = json_object_new_array();
		for (i = n->data.sequence.items.start; o != NULL && i < n->data.sequence.items.top; i++)
			json_object_array_add(o, node_to_json(r, node_at(r, *i), depth + 1));
		return o;
	}
	s = (const char *)n->data.scalar.value;
	if (plain_is(n, true_words) || plain_is(n, false_words))
		return json_object_new_boolean(plain_is(n, true_words));
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && *s != '\0') {
		long long v;
		double d;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (*end == '\0' && errno == 0)
			return json_object_new_int64(v);
		d = strtod(s, &end);
		if (*end == '\0' && isdigit((unsigned char)s[strspn(s, "+-.")]))
			return json_object_new_double(d);
	}
	return json_object_new_string(s);
}

/* --- fields ------------------------------------------------------------------- */

enum field_kind {
	F_STRING,
	F_SECRET, /* a string registered with the redactor */
	F_PATH,   /* a file name, made absolute against the kubeconfig's directory */
	F_BOOL,
	F_BASE64,        /* struct blob */
	F_SECRET_BASE64, /* struct blob, registered */
	F_IMPERSONATE,   /* any non-empty value: remember the key name */
};

/* One key of a cluster, user or exec section and where its value goes. */
struct field {
	const char *key;
	enum field_kind kind;
	size_t offset;
};

#define CL(member) offsetof(struct kc_cluster, member)
#define US(member) offsetof(struct kc_user, member)
#define CX(member) offsetof(struct kc_context, member)

static const struct field cluster_fields[] = {
        {"server", F_STRING, CL(server)},
        {"certificate-authority", F_PATH, CL(ca_file)},
        {"certificate-authority-data", F_BASE64, CL(ca_data)},
        {"insecure-skip-tls-verify", F_BOOL, CL(insecure)},
        {"tls-server-name", F_STRING, CL(tls_server_name)},
        {"proxy-url", F_STRING, CL(proxy_url)},
        {"disable-compression", F_BOOL, CL(disable_compression)},
        {NULL, F_BOOL, 0},
};

static const struct field user_fields[] = {
        {"token", F_SECRET, US(token)},
        {"tokenFile", F_PATH, US(token_file)},
        {"client-certificate", F_PATH, US(cert_file)},
        {"client-certificate-data", F_BASE64, US(cert_data)},
        {"client-key", F_PATH, US(key_file)},
        {"client-key-data", F_SECRET_BASE64, US(key_data)},
        {"username", F_STRING, US(username)},
        {"password", F_SECRET, US(password)},
        {"as", F_IMPERSONATE, US(impersonation)},
        {"as-uid", F_IMPERSONATE, US(impersonation)},
        {"as-groups", F_IMPERSONATE, US(impersonation)},
        {"as-user-extra", F_IMPERSONATE, US(impersonation)},
        {NULL, F_BOOL, 0},
};

static const struct field context_fields[] = {
        {"cluster", F_STRING, CX(cluster)},
        {"user", F_STRING, CX(user)},
        {"namespace", F_STRING, CX(namespace)},
        {NULL, F_BOOL, 0},
};

static int
field_bool(struct reader *r, const char *key, yaml_node_t *n, bool *out)
{
	if (node_is_null(n))
		return 0;
	if (plain_is(n, true_words) || plain_is(n, false_words)) {
		*out = plain_is(n, true_words);
		return 0;
	}
	return reader_error(r, n, "%s must be true or false", key);
}

static int
field_set(struct reader *r, const struct field *f, yaml_node_t *n, void *base)
{
	void *dst = (char *)base + f->offset;
	const char *s;

	if (f->kind == F_BOOL)
		return field_bool(r, f->key, n, dst);
	if (f->kind == F_IMPERSONATE) {
		bool empty =
		        node_is_null(n) ||
		        (n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.top == n->data.sequence.items.start) ||
		        (n->type == YAML_MAPPING_NODE && n->data.mapping.pairs.top == n->data.mapping.pairs.start);

		if (!empty && *(const char **)dst == NULL)
			*(const char **)dst = f->key;
		return 0;
	}
	if (node_string(r, n, f->key, &s) != 0)
		return -1;
	if (s == NULL || *s == '\0')
		return 0;
	if (f->kind == F_BASE64 || f->kind == F_SECRET_BASE64) {
		struct blob *b = dst;

		if (f->kind == F_SECRET_BASE64)
			redact_register(s);
		blob_free_secret(b);
		if (base64_decode(s, b) != 0)
			return reader_error(r, n, "%s is not valid base64", f->key);
		if (f->kind == F_SECRET_BASE64)
			redact_register(b->data);
		return 0;
	}
	if (f->kind == F_SECRET)
		redact_register(s);
	buf_free_secret(*(char **)dst);
	*(char **)dst = f->kind == F_PATH ? path_resolve(r->dir, s) : strdup(s);
	if (*(char **)dst == NULL)
		return irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
	return 0;
}

/* Fills base from the keys of map that the table (ended by a NULL key)
 * names; other keys are ignored, as client-go's decoder ignores them. */
static int
fields_parse(struct reader *r, yaml_node_t *map, const struct field *table, void *base)
{
	for (; table->key != NULL; table++) {
		yaml_node_t *v = map_get(r, map, table->key);

		if (v != NULL && field_set(r, table, v, base) != 0)
			return -1;
	}
	return 0;
}

/* Frees (wiping secrets) what fields_parse() put in base. */
static void
fields_free(const struct field *table, void *base)
{
	for (; table->key != NULL; table++) {
		void *p = (char *)base + table->offset;

		if (table->kind == F_STRING || table->kind == F_PATH || table->kind == F_SECRET) {
			buf_free_secret(*(char **)p);
			*(char **)p = NULL;
		} else if (table->kind == F_BASE64 || table->kind == F_SECRET_BASE64)
			blob_free_secret(p);
	}
}

/* A string value under key (NULL when absent), copied. */
static int
map_string_dup(struct reader *r, yaml_node_t *map, const char *key, char **out)
{
	const char *s;

	*out = NULL;
	if (node_string(r, map_get(r, map, key), key, &s) != 0)
		return -1;
	if (s != NULL && (*out = strdup(s)) == NULL)
		return irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
	return 0;
}

/* --- clusters, users, contexts -------------------------------------------------- */

void
kube_exec_config_release(struct kube_exec_config *c)
{
	size_t i;

	free(c->api_version);
	free(c->command);
	for (i = 0; i < c->n_args; i++)
		free(c->args[i]);
	free(c->args);
	for (i = 0; i < c->n_env; i++) {
		free(c->env[i].name);
		buf_free_secret(c->env[i].value);
	}
	free(c->env);
	free(c->install_hint);
	memset(c, 0, sizeof(*c));
}

static int
cluster_parse(struct reader *r, yaml_node_t *body, void *out)
{
	struct kc_cluster *c = out;
	yaml_node_item_t *i, *top;

	if (node_items(r, map_get(r, body, "extensions"), "extensions", &i, &top) != 0)
		return -1;
	for (; i < top; i++) {
		yaml_node_t *ext = node_at(r, *i), *name = map_get(r, ext, "name");
		struct json_object *json;

		if (name == NULL || name->type != YAML_SCALAR_NODE ||
		    strcmp((const char *)name->data.scalar.value, KUBE_EXEC_EXTENSION) != 0 || c->exec_config != NULL)
			continue;
		json = node_to_json(r, map_get(r, ext, "extension"), 0);
		if (json != NULL)
			c->exec_config = xstrdup(json_object_to_json_string_ext(
			        json, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(json);
	}
	return 0;
}

static int
exec_env_parse(struct reader *r, yaml_node_t *list, struct kube_exec_config *e)
{
	yaml_node_item_t *i, *top;

	if (node_items(r, list, "exec.env", &i, &top) != 0)
		return -1;
	e->env = calloc((size_t)(top - i) + 1, sizeof(*e->env));
	if (e->env == NULL)
		return irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
	for (; i < top; i++) {
		yaml_node_t *item = node_at(r, *i), *map;
		struct kube_exec_env *v = &e->env[e->n_env];

		if (node_mapping(r, item, "exec.env[]", &map) != 0 || map_string_dup(r, map, "name", &v->name) != 0 ||
		    map_string_dup(r, map, "value", &v->value) != 0)
			return -1;
		e->n_env++;
		if (v->name == NULL || *v->name == '\0')
			return reader_error(r, item, "exec.env: an entry has no name");
		if (v->value == NULL && (v->value = strdup("")) == NULL)
			return irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
	}
	return 0;
}

static const char *const interactive_names[] = {
        [KUBE_EXEC_NEVER] = "Never",
        [KUBE_EXEC_IF_AVAILABLE] = "IfAvailable",
        [KUBE_EXEC_ALWAYS] = "Always",
};

/* The exec section. Checks what client-go's loader and validation check. */
static int
exec_parse(struct reader *r, yaml_node_t *map, struct kube_exec_config *e)
{
	yaml_node_item_t *i, *top;
	yaml_node_t *v;
	const char *mode;
	size_t k;

	if (map_string_dup(r, map, "apiVersion", &e->api_version) != 0 ||
	    map_string_dup(r, map, "command", &e->command) != 0 ||
	    map_string_dup(r, map, "installHint", &e->install_hint) != 0 ||
	    node_string(r, map_get(r, map, "interactiveMode"), "exec.interactiveMode", &mode) != 0 ||
	    node_items(r, map_get(r, map, "args"), "exec.args", &i, &top) != 0 ||
	    exec_env_parse(r, map_get(r, map, "env"), e) != 0)
		return -1;
	if ((v = map_get(r, map, "provideClusterInfo")) != NULL &&
	    field_bool(r, "exec.provideClusterInfo", v, &e->provide_cluster_info) != 0)
		return -1;
	e->args = calloc((size_t)(top - i) + 1, sizeof(*e->args));
	if (e->args == NULL)
		return irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
	for (; i < top; i++) {
		const char *s;

		if (node_string(r, node_at(r, *i), "exec.args[]", &s) != 0)
			return -1;
		if ((e->args[e->n_args++] = strdup(s != NULL ? s : "")) == NULL)
			return irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
	}
	if (e->command != NULL && strchr(e->command, '/') != NULL) {
		char *abs = path_resolve(r->dir, e->command);

		if (abs == NULL)
			return irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
		free(e->command);
		e->command = abs;
	}
	if (mode == NULL || *mode == '\0') {
		/* client-go's defaulting: only the beta and alpha versions may leave it out */
		e->interactive_mode = KUBE_EXEC_IF_AVAILABLE;
		if (e->api_version != NULL && strcmp(e->api_version, KUBE_EXEC_API_V1) == 0)
			return reader_error(r, map,
			                    "exec.interactiveMode must be set (Never, IfAvailable or Always) "
			                    "with apiVersion %s",
			                    KUBE_EXEC_API_V1);
		return 0;
	}
	for (k = 0; k < sizeof(interactive_names) / sizeof(interactive_names[0]); k++)
		if (strcmp(mode, interactive_names[k]) == 0) {
			e->interactive_mode = (enum kube_exec_interactive)k;
			return 0;
		}
	return reader_error(r, map, "exec.interactiveMode \"%s\" is not one of Never, IfAvailable, Always", mode);
}

static int
user_parse(struct reader *r, yaml_node_t *body, void *out)
{
	struct kc_user *u = out;
	yaml_node_t *map;

	if (node_mapping(r, map_get(r, body, "auth-provider"), "auth-provider", &map) != 0)
		return -1;
	if (map != NULL) {
		u->has_auth_provider = true;
		if (map_string_dup(r, map, "name", &u->auth_provider) != 0)
			return -1;
	}
	if (node_mapping(r, map_get(r, body, "exec"), "exec", &map) != 0)
		return -1;
	if (map != NULL) {
		u->has_exec = true;
		return exec_parse(r, map, &u->exec);
	}
	return 0;
}

static void
cluster_release(void *entry)
{
	free(((struct kc_cluster *)entry)->exec_config);
}

static void
user_release(void *entry)
{
	struct kc_user *u = entry;

	free(u->auth_provider);
	kube_exec_config_release(&u->exec);
}

/* What a top-level list holds: how to read an entry's body (its field
 * table, then what the table cannot say) and free it. */
struct section {
	const char *list_key; /* "clusters" */
	const char *body_key; /* "cluster" */
	size_t size;
	const struct field *fields;
	int (*parse)(struct reader *r, yaml_node_t *body, void *out); /* NULL: the fields are all */
	void (*release)(void *entry);                                 /* NULL: the fields are all */
	size_t list_offset; /* of the struct entry_list in struct kubeconfig */
};

static const struct section sections[] = {
        {"clusters", "cluster", sizeof(struct kc_cluster), cluster_fields, cluster_parse, cluster_release,
         offsetof(struct kubeconfig, clusters)},
        {"users", "user", sizeof(struct kc_user), user_fields, user_parse, user_release,
         offsetof(struct kubeconfig, users)},
        {"contexts", "context", sizeof(struct kc_context), context_fields, NULL, NULL,
         offsetof(struct kubeconfig, contexts)},
};

static void
entry_free(const struct section *s, void *entry)
{
	if (s->release != NULL)
		s->release(entry);
	fields_free(s->fields, entry);
	free(((struct entry_head *)entry)->name);
	free(entry);
}

static void *
list_find(const struct entry_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(((struct entry_head *)l->items[i])->name, name) == 0)
			return l->items[i];
	return NULL;
}

static int
list_add(struct entry_list *l, void *entry)
{
	void **items = realloc(l->items, (l->n + 1) * sizeof(*items));

	if (items == NULL)
		return -1;
	l->items = items;
	l->items[l->n++] = entry;
	return 0;
}

/* Reads one list (clusters, users or contexts) of the file into the merged
 * configuration: an entry whose name an earlier file defined is dropped
 * whole; a name twice in one file is an error, as in client-go. */
static int
section_read(struct reader *r, yaml_node_t *root, const struct section *s)
{
	struct entry_list *merged = (struct entry_list *)((char *)r->cfg + s->list_offset), mine = {NULL, 0};
	yaml_node_item_t *i, *top;
	size_t k;
	int rc = -1;

	if (node_items(r, map_get(r, root, s->list_key), s->list_key, &i, &top) != 0)
		return -1;
	for (; i < top; i++) {
		yaml_node_t *item = node_at(r, *i), *map, *body;
		struct entry_head *e;
		char what[160];

		r->what = NULL;
		if (node_mapping(r, item, s->list_key, &map) != 0)
			goto out;
		e = calloc(1, s->size);
		if (e == NULL || list_add(&mine, e) != 0) {
			free(e);
			irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
			goto out;
		}
		e->file = r->file;
		e->line = node_line(item);
		if (map_string_dup(r, map, "name", &e->name) != 0)
			goto out;
		if (e->name == NULL && (e->name = strdup("")) == NULL) {
			irsa_error_set(r->err, IRSA_ERR_INTERNAL, "out of memory");
			goto out;
		}
		snprintf(what, sizeof(what), "%s \"%s\"", s->body_key, e->name);
		r->what = what;
		if (list_find(&mine, e->name) != e) {
			reader_error(r, item, "the name is used twice in %s", s->list_key);
			goto out;
		}
		if (node_mapping(r, map_get(r, map, s->body_key), s->body_key, &body) != 0 ||
		    fields_parse(r, body, s->fields, e) != 0 || (s->parse != NULL && s->parse(r, body, e) != 0))
			goto out;
	}
	rc = 0;
	for (k = 0; k < mine.n; k++) {
		struct entry_head *e = mine.items[k];

		if (list_find(merged, e->name) == NULL && list_add(merged, e) == 0)
			mine.items[k] = NULL;
	}
out:
	r->what = NULL;
	for (k = 0; k < mine.n; k++)
		if (mine.items[k] != NULL)
			entry_free(s, mine.items[k]);
	free(mine.items);
	return rc;
}

/* Parses the YAML text of one file into the merged configuration. */
static int
file_parse(struct kubeconfig *cfg, const char *file, const struct buf *text, struct irsa_error *err)
{
	struct reader r = {.cfg = cfg, .file = file, .err = err};
	yaml_parser_t parser;
	yaml_node_t *root;
	const char *current = NULL;
	size_t k;
	int rc = -1;

	r.dir = path_dir_abs(file);
	if (r.dir == NULL || !yaml_parser_initialize(&parser)) {
		free(r.dir);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf_cstr(text), text->len);
	if (!yaml_parser_load(&parser, &r.doc)) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s line %zu column %zu: %s%s%s", file,
		               parser.problem_mark.line + 1, parser.problem_mark.column + 1,
		               parser.problem != NULL ? parser.problem : "malformed YAML",
		               parser.context != NULL ? " " : "", parser.context != NULL ? parser.context : "");
		irsa_error_hint(err, "Fix the YAML in that file (indentation, quotes, a missing ':').");
		yaml_parser_delete(&parser);
		free(r.dir);
		return -1;
	}
	root = yaml_document_get_root_node(&r.doc);
	if (root != NULL && !node_is_null(root) && root->type != YAML_MAPPING_NODE) {
		reader_error(&r, root, "a kubeconfig must be a mapping (apiVersion, clusters, users, contexts), not %s",
		             node_type_name(root));
		goto out;
	}
	for (k = 0; root != NULL && k < sizeof(sections) / sizeof(sections[0]); k++)
		if (section_read(&r, root, &sections[k]) != 0)
			goto out;
	if (root != NULL && node_string(&r, map_get(&r, root, "current-context"), "current-context", &current) != 0)
		goto out;
	if (cfg->current_context == NULL && current != NULL && *current != '\0' &&
	    (cfg->current_context = strdup(current)) == NULL) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
		goto out;
	}
	rc = 0;
out:
	yaml_document_delete(&r.doc);
	yaml_parser_delete(&parser);
	free(r.dir);
	return rc;
}

/* --- loading ------------------------------------------------------------------ */

/* Appends a copy of s to the array *v of *n strings. */
static int
strv_add(char ***v, size_t *n, const char *s)
{
	char **grown = realloc(*v, (*n + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	*v = grown;
	if ((grown[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static int
file_load(struct kubeconfig *cfg, const char *path, bool must_exist, struct irsa_error *err)
{
	struct buf text;
	size_t i;
	int r;

	for (i = 0; i < cfg->n_files; i++)
		if (strcmp(cfg->files[i], path) == 0)
			return 0; /* listed twice */
	r = file_read(path, KUBECONFIG_MAX_FILE, &text);
	if (r == 0 && !must_exist)
		return strv_add(&cfg->missing, &cfg->n_missing, path) == 0
		               ? 0
		               : irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	if (r == 0) {
		irsa_error_set(err, IRSA_ERR_IO, "the kubeconfig %s does not exist", path);
		return irsa_error_hint(err, "Check the --kubeconfig path.");
	}
	if (r < 0 && errno == E2BIG)
		return irsa_error_set(err, IRSA_ERR_LIMIT, "the kubeconfig %s is larger than %d MiB", path,
		                      KUBECONFIG_MAX_FILE / (1024 * 1024));
	if (r < 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot read the kubeconfig %s: %s", path, strerror(errno));
		return irsa_error_hint(err, "Check the file's permissions, or pass another with --kubeconfig.");
	}
	if (strv_add(&cfg->files, &cfg->n_files, path) != 0) {
		buf_release_secure(&text);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	r = file_parse(cfg, cfg->files[cfg->n_files - 1], &text, err);
	buf_release_secure(&text);
	return r;
}

static enum kube_auth_kind
user_auth_kind(const struct kc_user *u)
{
	if (u == NULL)
		return KUBE_AUTH_NONE;
	if (u->has_auth_provider)
		return KUBE_AUTH_AUTH_PROVIDER;
	if (u->username != NULL || u->password != NULL)
		return KUBE_AUTH_BASIC;
	if (u->token != NULL)
		return KUBE_AUTH_TOKEN;
	if (u->token_file != NULL)
		return KUBE_AUTH_TOKEN_FILE;
	if (u->cert_file != NULL || u->cert_data.data != NULL || u->key_file != NULL || u->key_data.data != NULL)
		return KUBE_AUTH_CLIENT_CERT;
	if (u->has_exec)
		return KUBE_AUTH_EXEC;
	return KUBE_AUTH_NONE;
}

static int
info_compare(const void *a, const void *b)
{
	return strcmp(((const struct kube_context_info *)a)->name, ((const struct kube_context_info *)b)->name);
}

static int
infos_build(struct kubeconfig *cfg)
{
	size_t i;

	cfg->infos = calloc(cfg->contexts.n + 1, sizeof(*cfg->infos));
	if (cfg->infos == NULL)
		return -1;
	for (i = 0; i < cfg->contexts.n; i++) {
		const struct kc_context *c = cfg->contexts.items[i];
		const struct kc_cluster *cl = c->cluster != NULL ? list_find(&cfg->clusters, c->cluster) : NULL;
		const struct kc_user *u = c->user != NULL ? list_find(&cfg->users, c->user) : NULL;
		struct kube_context_info *info = &cfg->infos[i];

		info->name = c->h.name;
		info->cluster = c->cluster;
		info->user = c->user;
		info->namespace = c->namespace;
		info->server = cl != NULL ? cl->server : NULL;
		info->auth = user_auth_kind(u);
		info->current = cfg->current_context != NULL && strcmp(cfg->current_context, c->h.name) == 0;
		info->file = c->h.file;
	}
	qsort(cfg->infos, cfg->contexts.n, sizeof(*cfg->infos), info_compare);
	return 0;
}

static int
env_list_load(struct kubeconfig *cfg, const char *list, struct irsa_error *err)
{
	char *copy = strdup(list), *p, *next;

	if (copy == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	for (p = copy; p != NULL; p = next) {
		next = strchr(p, ':');
		if (next != NULL)
			*next++ = '\0';
		if (*p != '\0' && file_load(cfg, p, false, err) != 0) {
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

int
kubeconfig_load(const char *explicit_path, struct kubeconfig **out, struct irsa_error *err)
{
	struct kubeconfig *cfg = calloc(1, sizeof(*cfg));
	const char *env = getenv("KUBECONFIG");
	char *home_config;
	int r;

	*out = NULL;
	if (cfg == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	if (explicit_path != NULL && *explicit_path != '\0')
		r = file_load(cfg, explicit_path, true, err);
	else if (env != NULL && *env != '\0')
		r = env_list_load(cfg, env, err);
	else {
		home_config = path_expand("~/.kube/config");
		r = home_config != NULL ? file_load(cfg, home_config, false, err)
		                        : irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
		free(home_config);
	}
	if (r == 0 && infos_build(cfg) != 0)
		r = irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	if (r != 0) {
		kubeconfig_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

void
kubeconfig_free(struct kubeconfig *cfg)
{
	size_t i, k;

	if (cfg == NULL)
		return;
	for (k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
		struct entry_list *l = (struct entry_list *)((char *)cfg + sections[k].list_offset);

		for (i = 0; i < l->n; i++)
			entry_free(&sections[k], l->items[i]);
		free(l->items);
	}
	for (i = 0; i < cfg->n_files; i++)
		free(cfg->files[i]);
	free(cfg->files);
	for (i = 0; i < cfg->n_missing; i++)
		free(cfg->missing[i]);
	free(cfg->missing);
	free(cfg->current_context);
	free(cfg->infos);
	free(cfg);
}

size_t
kubeconfig_n_files(const struct kubeconfig *cfg)
{
	return cfg->n_files;
}

const char *
kubeconfig_file(const struct kubeconfig *cfg, size_t i)
{
	return i < cfg->n_files ? cfg->files[i] : NULL;
}

const char *
kubeconfig_current_context(const struct kubeconfig *cfg)
{
	return cfg->current_context;
}

size_t
kubeconfig_n_contexts(const struct kubeconfig *cfg)
{
	return cfg->contexts.n;
}

int
kubeconfig_context(const struct kubeconfig *cfg, size_t i, struct kube_context_info *out)
{
	if (i >= cfg->contexts.n)
		return -1;
	*out = cfg->infos[i];
	return 0;
}

static const char *const auth_names[] = {
        [KUBE_AUTH_NONE] = "none",
        [KUBE_AUTH_TOKEN] = "token",
        [KUBE_AUTH_TOKEN_FILE] = "tokenFile",
        [KUBE_AUTH_CLIENT_CERT] = "client-cert",
        [KUBE_AUTH_EXEC] = "exec",
        [KUBE_AUTH_AUTH_PROVIDER] = "auth-provider",
        [KUBE_AUTH_BASIC] = "basic",
};

const char *
kube_auth_kind_name(enum kube_auth_kind kind)
{
	if ((size_t)kind >= sizeof(auth_names) / sizeof(auth_names[0]))
		return "unknown";
	return auth_names[kind];
}

/* --- resolving a context -------------------------------------------------------- */

/* "FILE", "FILE, FILE and FILE", or the files looked for "(which do not
 * exist)", for messages. */
static void
files_phrase(const struct kubeconfig *cfg, struct buf *b)
{
	char *const *v = cfg->n_files > 0 ? cfg->files : cfg->missing;
	size_t i, n = cfg->n_files > 0 ? cfg->n_files : cfg->n_missing;

	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]);
	if (cfg->n_files == 0)
		buf_addstr(b, n > 1 ? " (which do not exist)" : " (which does not exist)");
}

/* No context to use, or an unknown one: say which there are. */
static int
context_missing(const struct kubeconfig *cfg, const char *name, struct irsa_error *err)
{
	struct buf files, names;
	size_t i;

	buf_init(&files, 400);
	buf_init(&names, 200);
	files_phrase(cfg, &files);
	for (i = 0; i < cfg->contexts.n && i < KUBE_LIST_CONTEXTS; i++)
		buf_printf(&names, "%s%s", i == 0 ? "" : ", ", cfg->infos[i].name);
	if (cfg->contexts.n > KUBE_LIST_CONTEXTS)
		buf_printf(&names, " and %zu more", cfg->contexts.n - KUBE_LIST_CONTEXTS);
	if (cfg->contexts.n == 0)
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "%s%s%sthere is no context in %s",
		               name != NULL ? "context \"" : "", name != NULL ? name : "",
		               name != NULL ? "\" not found: " : "", buf_cstr(&files));
	else if (name != NULL)
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "context \"%s\" not found in %s; the contexts are: %s", name,
		               buf_cstr(&files), buf_cstr(&names));
	else
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "no current context is set in %s; the contexts are: %s",
		               buf_cstr(&files), buf_cstr(&names));
	if (cfg->contexts.n == 0)
		irsa_error_hint(err, UPDATE_KUBECONFIG_HINT);
	else
		irsa_error_hint(err, "Pass --context NAME, or set one with `kubectl config use-context NAME`.");
	buf_release(&files);
	buf_release(&names);
	return -1;
}

/* Reads a file the kubeconfig names. what is the key ("certificate-authority
 * of cluster \"c\""); entry says which kubeconfig named it. */
static int
ref_read(const struct entry_head *entry, const char *what, const char *path, char **data, size_t *len,
         struct irsa_error *err)
{
	struct buf b;
	int r = file_read(path, KUBECONFIG_MAX_REF, &b);

	if (r > 0) {
		*len = b.len;
		*data = buf_detach(&b);
		return *data != NULL ? 0 : irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	irsa_error_set(err, IRSA_ERR_IO, "cannot read %s %s (named in %s): %s", what, path, entry->file,
	               r == 0           ? "no such file"
	               : errno == E2BIG ? "too large"
	                                : strerror(errno));
	return irsa_error_hint(err, "Fix the path in that kubeconfig, or create the file.");
}

/* Data given inline, or read from a file; both set is an error, as in
 * client-go. */
static int
data_or_file(const struct entry_head *entry, const char *noun, const char *key, const struct blob *data,
             const char *file, char **out, size_t *len, struct irsa_error *err)
{
	char what[160];

	*out = NULL;
	*len = 0;
	if (data->data != NULL && file != NULL) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "%s \"%s\" in %s sets both %s and %s-data", noun,
		               entry->name, entry->file, key, key);
		return irsa_error_hint(err, "Remove one of them (kubectl refuses this too).");
	}
	if (data->data != NULL) {
		*out = malloc(data->len + 1);
		if (*out == NULL)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
		memcpy(*out, data->data, data->len + 1);
		*len = data->len;
		return 0;
	}
	if (file == NULL)
		return 0;
	snprintf(what, sizeof(what), "the %s of %s \"%s\",", key, noun, entry->name);
	return ref_read(entry, what, file, out, len, err);
}

static bool
has_scheme(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return strncasecmp(url, scheme, n) == 0 && strncmp(url + n, "://", 3) == 0;
}

/* The server URL: https, or http with a warning. A bare host[:port] gets the
 * scheme client-go's DefaultServerURL gives it: https when any TLS setting
 * is present, else http. */
static int
server_check(const struct kc_cluster *c, struct kube_target *t, struct irsa_error *err)
{
	const char *s = c->server;
	bool tls = c->ca_file != NULL || c->ca_data.data != NULL || c->insecure || t->client_cert_pem != NULL;

	if (s == NULL || *s == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "cluster \"%s\" in %s has no server", c->h.name, c->h.file);
		return irsa_error_hint(err, "Set its server to https://HOST:PORT, or run `aws eks update-kubeconfig "
		                            "--name CLUSTER` again.");
	}
	if (strstr(s, "://") == NULL) {
		if (asprintf(&t->server, "%s://%s", tls ? "https" : "http", s) < 0)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	} else if (has_scheme(s, "https") || has_scheme(s, "http")) {
		if ((t->server = strdup(s)) == NULL)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	} else {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the server %s of cluster \"%s\" in %s is not an https URL",
		               s, c->h.name, c->h.file);
		return irsa_error_hint(err, "Use https://HOST:PORT.");
	}
	t->warn_http = has_scheme(t->server, "http");
	return 0;
}

static int
cluster_resolve(const struct kc_cluster *c, struct kube_target *t, struct irsa_error *err)
{
	if (c->insecure && (c->ca_file != NULL || c->ca_data.data != NULL)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "cluster \"%s\" in %s sets both a certificate authority and insecure-skip-tls-verify",
		               c->h.name, c->h.file);
		return irsa_error_hint(err, "Remove insecure-skip-tls-verify (the CA is enough), or the certificate "
		                            "authority; kubectl refuses this too.");
	}
	if (c->proxy_url != NULL && !has_scheme(c->proxy_url, "http") && !has_scheme(c->proxy_url, "https") &&
	    !has_scheme(c->proxy_url, "socks5")) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "the proxy-url %s of cluster \"%s\" in %s is not http, https "
		               "or socks5",
		               c->proxy_url, c->h.name, c->h.file);
		return irsa_error_hint(err, "Use http://HOST:PORT, https://HOST:PORT or socks5://HOST:PORT.");
	}
	if (data_or_file(&c->h, "cluster", "certificate-authority", &c->ca_data, c->ca_file, &t->ca_pem, &t->ca_pem_len,
	                 err) != 0 ||
	    server_check(c, t, err) != 0)
		return -1;
	t->insecure = t->warn_insecure = c->insecure;
	t->disable_compression = c->disable_compression;
	if ((c->tls_server_name != NULL && (t->tls_server_name = strdup(c->tls_server_name)) == NULL) ||
	    (c->proxy_url != NULL && (t->proxy_url = strdup(c->proxy_url)) == NULL) ||
	    (c->exec_config != NULL && (t->exec_cluster_config = strdup(c->exec_config)) == NULL))
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	return 0;
}

/* What irsa refuses in a user, with what to do instead. */
static int
user_unsupported(const struct kc_user *u, struct irsa_error *err)
{
	if (u->has_auth_provider) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "user \"%s\" in %s: auth-provider %s is not supported by irsa (kubectl removed it too)",
		               u->h.name, u->h.file, u->auth_provider != NULL ? u->auth_provider : "(unnamed)");
		return irsa_error_hint(err,
		                       "Use an exec plugin such as `aws eks get-token` / `gke-gcloud-auth-plugin` / "
		                       "`kubelogin`.");
	}
	if (u->username != NULL || u->password != NULL) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "user \"%s\" in %s: username/password (basic) authentication is not supported by irsa",
		               u->h.name, u->h.file);
		return irsa_error_hint(err, "Use a token, a client certificate or an exec plugin for this user.");
	}
	if (u->impersonation != NULL) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "user \"%s\" in %s: impersonation (%s) is not supported by irsa", u->h.name, u->h.file,
		               u->impersonation);
		return irsa_error_hint(err,
		                       "Remove %s from the user, or use a context whose user authenticates as the "
		                       "identity you need.",
		                       u->impersonation);
	}
	return 0;
}

static int
exec_copy(const struct kc_user *u, struct kube_exec_config *dst, struct irsa_error *err)
{
	const struct kube_exec_config *src = &u->exec;
	size_t i;

	if (src->command == NULL || *src->command == '\0' || src->api_version == NULL || *src->api_version == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the exec plugin of user \"%s\" in %s has no %s", u->h.name,
		               u->h.file, src->command == NULL || *src->command == '\0' ? "command" : "apiVersion");
		return irsa_error_hint(err, "Set exec.command and exec.apiVersion (%s).", KUBE_EXEC_API_V1);
	}
	if (strcmp(src->api_version, KUBE_EXEC_API_V1) != 0 && strcmp(src->api_version, KUBE_EXEC_API_BETA) != 0 &&
	    strcmp(src->api_version, KUBE_EXEC_API_ALPHA) != 0) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "the exec plugin of user \"%s\" in %s has an unknown apiVersion %s", u->h.name,
		               u->h.file, src->api_version);
		return irsa_error_hint(err, "Use %s or %s.", KUBE_EXEC_API_V1, KUBE_EXEC_API_BETA);
	}
	*dst = *src;
	dst->deprecated = strcmp(src->api_version, KUBE_EXEC_API_ALPHA) == 0;
	dst->api_version = strdup(src->api_version);
	dst->command = strdup(src->command);
	dst->install_hint = xstrdup(src->install_hint);
	dst->args = calloc(src->n_args + 1, sizeof(*dst->args));
	dst->env = calloc(src->n_env + 1, sizeof(*dst->env));
	dst->n_args = dst->n_env = 0;
	if (dst->api_version == NULL || dst->command == NULL || dst->args == NULL || dst->env == NULL ||
	    (src->install_hint != NULL && dst->install_hint == NULL))
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	for (i = 0; i < src->n_args; i++)
		if ((dst->args[dst->n_args++] = strdup(src->args[i])) == NULL)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	for (i = 0; i < src->n_env; i++) {
		dst->env[i].name = strdup(src->env[i].name);
		dst->env[i].value = strdup(src->env[i].value);
		dst->n_env++;
		if (dst->env[i].name == NULL || dst->env[i].value == NULL)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	return 0;
}

/* tokenFile's contents, trimmed, as client-go's cachingTokenSource reads it. */
static int
token_file_read(const struct kc_user *u, struct kube_target *t, struct irsa_error *err)
{
	char what[160], *data;
	size_t len, total, start = 0;

	snprintf(what, sizeof(what), "the tokenFile of user \"%s\",", u->h.name);
	if (ref_read(&u->h, what, u->token_file, &data, &total, err) != 0)
		return -1;
	len = total;
	while (start < len && isspace((unsigned char)data[start]))
		start++;
	while (len > start && isspace((unsigned char)data[len - 1]))
		len--;
	if (len == start) {
		buf_free_secret(data);
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the tokenFile %s of user \"%s\" (named in %s) is empty",
		               u->token_file, u->h.name, u->h.file);
		return irsa_error_hint(err, "Write the token into that file, or fix the path.");
	}
	memmove(data, data + start, len - start);
	buf_wipe(data + (len - start), total - (len - start));
	data[len - start] = '\0';
	redact_register(data);
	t->token = data;
	return 0;
}

static int
user_resolve(const struct kc_user *u, struct kube_target *t, struct irsa_error *err)
{
	if (user_unsupported(u, err) != 0)
		return -1;
	if (data_or_file(&u->h, "user", "client-certificate", &u->cert_data, u->cert_file, &t->client_cert_pem,
	                 &t->client_cert_pem_len, err) != 0 ||
	    data_or_file(&u->h, "user", "client-key", &u->key_data, u->key_file, &t->client_key_pem,
	                 &t->client_key_pem_len, err) != 0)
		return -1;
	if (t->client_key_pem != NULL)
		redact_register(t->client_key_pem);
	if ((t->client_cert_pem == NULL) != (t->client_key_pem == NULL)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "user \"%s\" in %s has a client %s but no %s", u->h.name,
		               u->h.file, t->client_cert_pem != NULL ? "certificate" : "key",
		               t->client_cert_pem != NULL ? "key" : "certificate");
		return irsa_error_hint(err, "Set both client-certificate(-data) and client-key(-data).");
	}
	if (u->token_file != NULL && (t->token_file = strdup(u->token_file)) == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	if (u->token != NULL) {
		if ((t->token = strdup(u->token)) == NULL)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	} else if (u->token_file != NULL && token_file_read(u, t, err) != 0)
		return -1;
	if (u->has_exec) {
		if (exec_copy(u, &t->exec, err) != 0)
			return -1;
		t->has_exec = true;
	}
	t->auth = user_auth_kind(u);
	return 0;
}

int
kubeconfig_resolve(const struct kubeconfig *cfg, const char *name, struct kube_target **out, struct irsa_error *err)
{
	const struct kc_context *ctx;
	const struct kc_cluster *cl;
	const struct kc_user *u = NULL;
	struct kube_target *t;

	*out = NULL;
	if (name == NULL || *name == '\0')
		name = cfg->current_context;
	ctx = name != NULL ? list_find(&cfg->contexts, name) : NULL;
	if (ctx == NULL)
		return context_missing(cfg, name, err);
	cl = ctx->cluster != NULL ? list_find(&cfg->clusters, ctx->cluster) : NULL;
	if (cl == NULL) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "context \"%s\" in %s names %s%s%s", ctx->h.name, ctx->h.file,
		               ctx->cluster != NULL ? "cluster \"" : "no cluster",
		               ctx->cluster != NULL ? ctx->cluster : "",
		               ctx->cluster != NULL ? "\", which no kubeconfig file defines" : "");
		return irsa_error_hint(err,
		                       "Add the cluster, or run `aws eks update-kubeconfig --name CLUSTER` again.");
	}
	if (ctx->user != NULL && *ctx->user != '\0' && (u = list_find(&cfg->users, ctx->user)) == NULL) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND,
		               "context \"%s\" in %s names user \"%s\", which no kubeconfig file "
		               "defines",
		               ctx->h.name, ctx->h.file, ctx->user);
		return irsa_error_hint(err, "Add the user, or run `aws eks update-kubeconfig --name CLUSTER` again.");
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	t->context = strdup(ctx->h.name);
	t->cluster = strdup(cl->h.name);
	t->user = strdup(u != NULL ? u->h.name : "");
	t->file = strdup(ctx->h.file);
	t->namespace = strdup(ctx->namespace != NULL && *ctx->namespace != '\0' ? ctx->namespace : "default");
	if (t->context == NULL || t->cluster == NULL || t->user == NULL || t->file == NULL || t->namespace == NULL) {
		kube_target_free(t);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	if ((u != NULL && user_resolve(u, t, err) != 0) || cluster_resolve(cl, t, err) != 0) {
		kube_target_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void
kube_target_free(struct kube_target *t)
{
	if (t == NULL)
		return;
	free(t->context);
	free(t->cluster);
	free(t->user);
	free(t->file);
	free(t->server);
	free(t->namespace);
	free(t->ca_pem);
	free(t->tls_server_name);
	free(t->proxy_url);
	free(t->exec_cluster_config);
	buf_free_secret(t->token);
	free(t->token_file);
	free(t->client_cert_pem);
	if (t->client_key_pem != NULL)
		buf_wipe(t->client_key_pem, t->client_key_pem_len);
	free(t->client_key_pem);
	kube_exec_config_release(&t->exec);
	free(t);
}
