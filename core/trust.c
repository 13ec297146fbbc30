/* core/trust.c - the trust policy model: parsing an AssumeRolePolicyDocument
 * (URL-encoded or plain JSON) into it, writing it back as canonical or
 * minified JSON, the size check, and the small edits the builders use.
 * Unknown members are kept as json-c values and written back in their
 * order. Pure: no I/O. */
#include "config.h"

#include "trust.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

/* The order principal types are written in; others follow by name. */
static const char *const principal_order[] = {"AWS", "Federated", "Service", "CanonicalUser"};
#define N_PRINCIPAL_ORDER (sizeof(principal_order) / sizeof(principal_order[0]))

/* --- lists and freeing ------------------------------------------------------ */

static void
list_release(struct trust_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->literal);
	memset(l, 0, sizeof(*l));
}

static void
principal_release(struct trust_principal *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->e[i].type);
		list_release(&p->e[i].ids);
	}
	free(p->e);
	memset(p, 0, sizeof(*p));
}

static void
cond_release(struct trust_cond *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->keys[i].key);
		list_release(&c->keys[i].values);
	}
	free(c->keys);
	free(c->op);
	memset(c, 0, sizeof(*c));
}

static void
statement_release(struct trust_statement *st)
{
	size_t i;

	free(st->sid);
	principal_release(&st->principal);
	principal_release(&st->not_principal);
	list_release(&st->action);
	list_release(&st->not_action);
	list_release(&st->resource);
	list_release(&st->not_resource);
	for (i = 0; i < st->n_cond; i++)
		cond_release(&st->cond[i]);
	free(st->cond);
	json_object_put(st->extra);
	memset(st, 0, sizeof(*st));
}

void
trust_free(struct trust *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		statement_release(&t->st[i]);
	free(t->st);
	free(t->version);
	free(t->id);
	json_object_put(t->extra);
	free(t);
}

struct trust *
trust_new(void)
{
	struct trust *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->version = strdup(TRUST_VERSION);
	if (t->version == NULL) {
		free(t);
		return NULL;
	}
	t->statement_array = true;
	return t;
}

/* Appends s (copied; a bare JSON literal when literal) to l. */
static int
list_push(struct trust_list *l, const char *s, bool literal)
{
	char **v;
	char *copy;

	if (literal && l->literal == NULL) {
		l->literal = calloc(l->n + 1, sizeof(bool));
		if (l->literal == NULL)
			return -1;
	}
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	l->v = v;
	if (l->literal != NULL) {
		bool *lit = realloc(l->literal, (l->n + 1) * sizeof(bool));

		if (lit == NULL)
			return -1;
		l->literal = lit;
		lit[l->n] = literal;
	}
	copy = strdup(s);
	if (copy == NULL)
		return -1;
	l->v[l->n++] = copy;
	l->present = true;
	if (l->n == 2 && !l->array)
		l->grown = true;
	if (l->n > 1)
		l->array = true;
	return 0;
}

int
trust_list_add(struct trust_list *l, const char *s)
{
	return list_push(l, s, false);
}

bool
trust_list_has(const struct trust_list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

bool
trust_statement_names(const struct trust_statement *st, const char *type, const char *id)
{
	for (size_t e = 0; id != NULL && e < st->principal.n; e++)
		if (strcmp(st->principal.e[e].type, type) == 0 && trust_list_has(&st->principal.e[e].ids, id))
			return true;
	return false;
}

bool
trust_allows_principal(const struct trust *t, const char *type, const char *id)
{
	for (size_t i = 0; t != NULL && i < t->n; i++)
		if (!t->st[i].deny && trust_statement_names(&t->st[i], type, id))
			return true;
	return false;
}

size_t
trust_list_remove(struct trust_list *l, const char *s)
{
	size_t i, j, removed = 0;

	for (i = j = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0) {
			free(l->v[i]);
			removed++;
			continue;
		}
		if (l->literal != NULL)
			l->literal[j] = l->literal[i];
		l->v[j++] = l->v[i];
	}
	l->n = j;
	if (removed > 0 && l->n == 1 && l->grown)
		l->array = l->grown = false;
	return removed;
}

struct trust_statement *
trust_statement_append(struct trust *t)
{
	struct trust_statement *st;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;

		st = realloc(t->st, cap * sizeof(*st));
		if (st == NULL)
			return NULL;
		t->st = st;
		t->cap = cap;
	}
	st = &t->st[t->n++];
	memset(st, 0, sizeof(*st));
	if (t->n == 2 && !t->statement_array)
		t->statement_grown = true;
	if (t->n > 1)
		t->statement_array = true;
	return st;
}

void
trust_statement_remove(struct trust *t, size_t i)
{
	if (i >= t->n)
		return;
	statement_release(&t->st[i]);
	memmove(&t->st[i], &t->st[i + 1], (t->n - i - 1) * sizeof(t->st[0]));
	t->n--;
	if (t->n == 1 && t->statement_grown)
		t->statement_array = t->statement_grown = false;
}

/* The element of the array *base (*n elements of size bytes, each starting
 * with its name, a char *) called name (case-insensitive when nocase), or,
 * when create, a new zeroed one holding a copy of name at the end. NULL when
 * absent or out of memory. */
static void *
named_entry(void **base, size_t *n, size_t size, const char *name, bool nocase, bool create)
{
	char *p;
	size_t i;

	for (i = 0; i < *n; i++) {
		p = (char *)*base + i * size;
		if ((nocase ? strcasecmp(*(char **)p, name) : strcmp(*(char **)p, name)) == 0)
			return p;
	}
	if (!create || (p = realloc(*base, (*n + 1) * size)) == NULL)
		return NULL;
	*base = p;
	p += *n * size;
	memset(p, 0, size);
	if ((*(char **)p = strdup(name)) == NULL)
		return NULL;
	(*n)++;
	return p;
}

/* The entry of type in p, created when create; NULL when absent or out of memory. */
static struct trust_principal_entry *
principal_entry(struct trust_principal *p, const char *type, bool create)
{
	struct trust_principal_entry *e = named_entry((void **)&p->e, &p->n, sizeof(*e), type, false, create);

	if (e != NULL)
		p->present = true;
	return e;
}

int
trust_principal_add(struct trust_principal *p, const char *type, const char *id)
{
	struct trust_principal_entry *e = principal_entry(p, type, true);

	if (e == NULL)
		return -1;
	if (trust_list_has(&e->ids, id))
		return 0;
	return trust_list_add(&e->ids, id);
}

struct trust_cond_key *
trust_condition_find(const struct trust_statement *st, const char *op, const char *key)
{
	size_t i, j;

	for (i = 0; i < st->n_cond; i++) {
		if (strcmp(st->cond[i].op, op) != 0)
			continue;
		for (j = 0; j < st->cond[i].n; j++)
			if (strcasecmp(st->cond[i].keys[j].key, key) == 0)
				return &st->cond[i].keys[j];
	}
	return NULL;
}

/* The operator op of st, created when create. */
static struct trust_cond *
cond_op(struct trust_statement *st, const char *op, bool create)
{
	struct trust_cond *c = named_entry((void **)&st->cond, &st->n_cond, sizeof(*c), op, false, create);

	if (c != NULL)
		st->has_condition = true;
	return c;
}

/* The key of c (case-insensitive), created when create. */
static struct trust_cond_key *
cond_key(struct trust_cond *c, const char *key, bool create)
{
	return named_entry((void **)&c->keys, &c->n, sizeof(c->keys[0]), key, true, create);
}

struct trust_cond_key *
trust_condition_add(struct trust_statement *st, const char *op, const char *key)
{
	struct trust_cond *c = cond_op(st, op, true);

	return c != NULL ? cond_key(c, key, true) : NULL;
}

void
trust_condition_remove(struct trust_statement *st, const char *op, const char *key)
{
	struct trust_cond *c = cond_op(st, op, false);
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		if (strcasecmp(c->keys[i].key, key) != 0)
			continue;
		free(c->keys[i].key);
		list_release(&c->keys[i].values);
		memmove(&c->keys[i], &c->keys[i + 1], (c->n - i - 1) * sizeof(c->keys[0]));
		c->n--;
		break;
	}
	if (c->n > 0)
		return;
	i = (size_t)(c - st->cond);
	cond_release(c);
	memmove(&st->cond[i], &st->cond[i + 1], (st->n_cond - i - 1) * sizeof(st->cond[0]));
	st->n_cond--;
	if (st->n_cond == 0)
		st->has_condition = false;
}

const char *
trust_provider_issuer(const char *arn)
{
	const char *p;
	int colons = 0;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return NULL;
	for (p = arn; *p != '\0' && colons < 5; p++)
		if (*p == ':')
			colons++;
	if (colons != 5 || strncmp(p, "oidc-provider/", 14) != 0 || p[14] == '\0')
		return NULL;
	return p + 14;
}

char *
trust_issuer_normalize(const char *issuer)
{
	size_t len;

	if (strncasecmp(issuer, "https://", 8) == 0)
		issuer += 8;
	len = strlen(issuer);
	while (len > 0 && issuer[len - 1] == '/')
		len--;
	return strndup(issuer, len);
}

/* --- parsing ---------------------------------------------------------------- */

/* Where parsing is, for error messages: "statement 2: Condition: ...". */
struct where {
	struct irsa_error *err;
	long statement; /* -1 outside the statements */
};

static int __attribute__((format(printf, 2, 3))) parse_error(struct where *w, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (w->statement >= 0)
		irsa_error_set(w->err, IRSA_ERR_PARSE, "trust policy: statement %ld: %s", w->statement, what);
	else
		irsa_error_set(w->err, IRSA_ERR_PARSE, "trust policy: %s", what);
	return irsa_error_hint(w->err, "IAM would reject this document too; fix it in the IAM console or the source "
	                               "it came from, then retry");
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 3986 percent-decoding into out; '+' stays a plus (Go's PathUnescape,
 * Python's unquote). */
static int
url_decode(const char *s, struct buf *out, struct irsa_error *err)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] != '%') {
			buf_addch(out, s[i]);
			continue;
		}
		if (hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
			return irsa_error_set(err, IRSA_ERR_PARSE,
			                      "trust policy: bad percent-encoding at offset %zu of the URL-encoded "
			                      "document",
			                      i);
		buf_addch(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
		i += 2;
	}
	if (out->failed)
		return irsa_error_set(err, IRSA_ERR_LIMIT, "trust policy: the document is over %d bytes",
		                      TRUST_MAX_DOC);
	return 0;
}

/* Reads a string-or-array of strings (or, for condition values, of JSON
 * scalars) into l. */
static int
parse_list(struct where *w, struct json_object *v, struct trust_list *l, const char *what, bool scalars)
{
	size_t i, n;

	l->present = true;
	if (!json_object_is_type(v, json_type_array)) {
		n = 1;
		l->array = false;
	} else {
		n = json_object_array_length(v);
		l->array = true;
	}
	for (i = 0; i < n; i++) {
		struct json_object *item = l->array ? json_object_array_get_idx(v, i) : v;
		enum json_type type = json_object_get_type(item);
		bool literal = type != json_type_string;

		if (literal && !(scalars && type != json_type_array && type != json_type_object))
			return parse_error(w, "%s must be a string or an array of strings", what);
		if (list_push(l,
		              literal ? json_object_to_json_string_ext(item, JSON_C_TO_STRING_PLAIN)
		                      : json_object_get_string(item),
		              literal) < 0)
			return irsa_error_oom(w->err);
	}
	return 0;
}

static int
parse_principal(struct where *w, struct json_object *v, struct trust_principal *p, const char *field)
{
	char what[96];

	p->present = true;
	if (json_object_is_type(v, json_type_string)) {
		if (strcmp(json_object_get_string(v), "*") != 0)
			return parse_error(w, "%s must be \"*\" or an object such as {\"Federated\": ARN}", field);
		p->star = true;
		return 0;
	}
	if (!json_object_is_type(v, json_type_object))
		return parse_error(w, "%s must be \"*\" or an object such as {\"Federated\": ARN}", field);
	json_object_object_foreach(v, type, ids)
	{
		struct trust_principal_entry *e = principal_entry(p, type, true);

		if (e == NULL)
			return irsa_error_oom(w->err);
		snprintf(what, sizeof(what), "%s.%s", field, type);
		if (parse_list(w, ids, &e->ids, what, false) < 0)
			return -1;
	}
	return 0;
}

static int
parse_condition(struct where *w, struct json_object *v, struct trust_statement *st)
{
	char what[400];

	st->has_condition = true;
	if (!json_object_is_type(v, json_type_object))
		return parse_error(w, "Condition must be an object of operators");
	json_object_object_foreach(v, op, keys)
	{
		struct trust_cond *c;

		if (!json_object_is_type(keys, json_type_object))
			return parse_error(w, "Condition operator %s must map condition keys to values", op);
		c = cond_op(st, op, true);
		if (c == NULL)
			return irsa_error_oom(w->err);
		json_object_object_foreach(keys, key, values)
		{
			/* keys differing only in case are kept apart, as written (both must hold) */
			struct trust_cond_key *k =
			        named_entry((void **)&c->keys, &c->n, sizeof(c->keys[0]), key, false, true);

			if (k == NULL)
				return irsa_error_oom(w->err);
			snprintf(what, sizeof(what), "Condition %s %s", op, key);
			if (parse_list(w, values, &k->values, what, true) < 0)
				return -1;
		}
	}
	return 0;
}

/* Keeps an unknown member (a new reference) in *extra. */
static int
keep_extra(struct json_object **extra, const char *key, struct json_object *v)
{
	if (*extra == NULL && (*extra = json_object_new_object()) == NULL)
		return -1;
	return json_object_object_add(*extra, key, json_object_get(v));
}

static int
parse_statement(struct where *w, struct json_object *o, struct trust_statement *st)
{
	bool have_effect = false;

	if (!json_object_is_type(o, json_type_object))
		return parse_error(w, "a statement must be an object");
	json_object_object_foreach(o, key, v)
	{
		int rc = 0;

		if (strcmp(key, "Sid") == 0) {
			if (!json_object_is_type(v, json_type_string))
				return parse_error(w, "Sid must be a string");
			st->sid = strdup(json_object_get_string(v));
			rc = st->sid == NULL ? irsa_error_oom(w->err) : 0;
		} else if (strcmp(key, "Effect") == 0) {
			const char *e = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";

			if (strcmp(e, "Allow") != 0 && strcmp(e, "Deny") != 0)
				return parse_error(w, "Effect must be \"Allow\" or \"Deny\", not %s",
				                   json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
			st->deny = e[0] == 'D';
			have_effect = true;
		} else if (strcmp(key, "Principal") == 0) {
			rc = parse_principal(w, v, &st->principal, "Principal");
		} else if (strcmp(key, "NotPrincipal") == 0) {
			rc = parse_principal(w, v, &st->not_principal, "NotPrincipal");
		} else if (strcmp(key, "Action") == 0) {
			rc = parse_list(w, v, &st->action, "Action", false);
		} else if (strcmp(key, "NotAction") == 0) {
			rc = parse_list(w, v, &st->not_action, "NotAction", false);
		} else if (strcmp(key, "Resource") == 0) {
			rc = parse_list(w, v, &st->resource, "Resource", false);
		} else if (strcmp(key, "NotResource") == 0) {
			rc = parse_list(w, v, &st->not_resource, "NotResource", false);
		} else if (strcmp(key, "Condition") == 0) {
			rc = parse_condition(w, v, st);
		} else if (keep_extra(&st->extra, key, v) < 0) {
			rc = irsa_error_oom(w->err);
		}
		if (rc < 0)
			return -1;
	}
	if (!have_effect)
		return parse_error(w, "Effect is missing");
	return 0;
}

/* "line L, column C" of offset off in s. */
static void
line_col(const char *s, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && s[i] != '\0'; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static struct json_object *
parse_json(const char *s, size_t len, struct irsa_error *err)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t end;
	int line, col;

	if (tok == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, s, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (root != NULL && end < len && isspace((unsigned char)s[end]))
		end++;
	if (root != NULL && end == len)
		return root;
	json_object_put(root);
	line_col(s, end, &line, &col);
	if (jerr == json_tokener_continue)
		irsa_error_set(err, IRSA_ERR_PARSE, "trust policy: the JSON ends early (line %d, column %d)", line,
		               col);
	else if (jerr == json_tokener_success)
		irsa_error_set(err, IRSA_ERR_PARSE, "trust policy: text after the JSON document at line %d, column %d",
		               line, col);
	else
		irsa_error_set(err, IRSA_ERR_PARSE, "trust policy: %s at line %d, column %d",
		               json_tokener_error_desc(jerr), line, col);
	irsa_error_hint(err, "expected a JSON object (or one URL-encoded, as GetRole returns it)");
	return NULL;
}

/* Fills t from the parsed root. */
static int
parse_document(struct json_object *root, struct trust *t, struct irsa_error *err)
{
	struct where w = {err, -1};
	struct json_object *statements = NULL;
	size_t i, n;

	if (!json_object_is_type(root, json_type_object))
		return parse_error(&w, "the document must be a JSON object");
	json_object_object_foreach(root, key, v)
	{
		char **field = strcmp(key, "Version") == 0 ? &t->version : strcmp(key, "Id") == 0 ? &t->id : NULL;

		if (field != NULL) {
			if (!json_object_is_type(v, json_type_string))
				return parse_error(&w, "%s must be a string", key);
			*field = strdup(json_object_get_string(v));
			if (*field == NULL)
				return irsa_error_oom(err);
		} else if (strcmp(key, "Statement") == 0) {
			statements = v;
		} else if (keep_extra(&t->extra, key, v) < 0) {
			return irsa_error_oom(err);
		}
	}
	if (statements == NULL)
		return parse_error(&w, "Statement is missing");
	n = json_object_is_type(statements, json_type_array) ? json_object_array_length(statements) : 1;
	for (i = 0; i < n; i++) {
		struct trust_statement *st = trust_statement_append(t);

		if (st == NULL)
			return irsa_error_oom(err);
		w.statement = (long)i;
		if (parse_statement(&w,
		                    json_object_is_type(statements, json_type_array)
		                            ? json_object_array_get_idx(statements, i)
		                            : statements,
		                    st) < 0)
			return -1;
	}
	t->statement_array = json_object_is_type(statements, json_type_array);
	t->statement_grown = false;
	return 0;
}

struct trust *
trust_parse(const char *doc, struct irsa_error *err)
{
	struct json_object *root;
	struct trust *t;
	struct buf decoded;
	const char *s = doc;

	if (doc == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "trust policy: no document");
		return NULL;
	}
	if (strlen(doc) > TRUST_MAX_DOC) {
		irsa_error_set(err, IRSA_ERR_LIMIT, "trust policy: the document is over %d bytes", TRUST_MAX_DOC);
		return NULL;
	}
	while (isspace((unsigned char)*s))
		s++;
	buf_init(&decoded, TRUST_MAX_DOC);
	if (*s == '%') {
		if (url_decode(s, &decoded, err) < 0) {
			buf_release(&decoded);
			return NULL;
		}
		s = buf_cstr(&decoded);
	}
	root = parse_json(s, strlen(s), err);
	buf_release(&decoded);
	if (root == NULL)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		irsa_error_oom(err);
	} else if (parse_document(root, t, err) < 0) {
		trust_free(t);
		t = NULL;
	}
	json_object_put(root);
	return t;
}

struct trust *
trust_copy(const struct trust *t, struct irsa_error *err)
{
	char *json = trust_to_json(t);
	struct trust *copy;

	if (json == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	copy = trust_parse(json, err);
	free(json);
	return copy;
}

/* --- writing ---------------------------------------------------------------- */

/* A JSON writer: pretty (2-space indent, one member or item per line) or
 * minified. `first` tracks whether a separator is due at each depth. */
struct writer {
	struct buf b;
	bool pretty;
	int depth;
	bool first[32];
};

static void
w_newline(struct writer *w)
{
	int i;

	if (!w->pretty)
		return;
	buf_addch(&w->b, '\n');
	for (i = 0; i < w->depth; i++)
		buf_addstr(&w->b, "  ");
}

static void
w_string(struct writer *w, const char *s)
{
	buf_addch(&w->b, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(&w->b, "\\%c", c);
		else if (c == '\n')
			buf_addstr(&w->b, "\\n");
		else if (c == '\t')
			buf_addstr(&w->b, "\\t");
		else if (c == '\r')
			buf_addstr(&w->b, "\\r");
		else if (c < 0x20)
			buf_printf(&w->b, "\\u%04x", c);
		else
			buf_addch(&w->b, (char)c);
	}
	buf_addch(&w->b, '"');
}

/* Opens an object or array ('{' or '['). */
static void
w_open(struct writer *w, char c)
{
	buf_addch(&w->b, c);
	if (w->depth < 31)
		w->depth++;
	w->first[w->depth] = true;
}

static void
w_close(struct writer *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		w_newline(w);
	buf_addch(&w->b, c);
}

/* Starts the next item of the current array or object. */
static void
w_item(struct writer *w)
{
	if (!w->first[w->depth])
		buf_addch(&w->b, ',');
	w->first[w->depth] = false;
	w_newline(w);
}

static void
w_key(struct writer *w, const char *key)
{
	w_item(w);
	w_string(w, key);
	buf_addstr(&w->b, w->pretty ? ": " : ":");
}

/* Any json-c value, members in their order. */
static void
w_json(struct writer *w, struct json_object *v)
{
	size_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_object:
		w_open(w, '{');
		json_object_object_foreach(v, key, member)
		{
			w_key(w, key);
			w_json(w, member);
		}
		w_close(w, '}');
		break;
	case json_type_array:
		w_open(w, '[');
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			w_item(w);
			w_json(w, json_object_array_get_idx(v, i));
		}
		w_close(w, ']');
		break;
	case json_type_string:
		w_string(w, json_object_get_string(v));
		break;
	default:
		buf_addstr(&w->b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

static void
w_list(struct writer *w, const struct trust_list *l)
{
	size_t i;

	if (!l->array && l->n == 1) {
		if (l->literal != NULL && l->literal[0])
			buf_addstr(&w->b, l->v[0]);
		else
			w_string(w, l->v[0]);
		return;
	}
	w_open(w, '[');
	for (i = 0; i < l->n; i++) {
		w_item(w);
		if (l->literal != NULL && l->literal[i])
			buf_addstr(&w->b, l->v[i]);
		else
			w_string(w, l->v[i]);
	}
	w_close(w, ']');
}

static void
w_list_member(struct writer *w, const char *key, const struct trust_list *l)
{
	if (!l->present)
		return;
	w_key(w, key);
	w_list(w, l);
}

static int
principal_rank(const char *type)
{
	size_t i;

	for (i = 0; i < N_PRINCIPAL_ORDER; i++)
		if (strcmp(type, principal_order[i]) == 0)
			return (int)i;
	return (int)N_PRINCIPAL_ORDER;
}

static int
cmp_principal(const void *a, const void *b)
{
	const struct trust_principal_entry *x = *(const struct trust_principal_entry *const *)a;
	const struct trust_principal_entry *y = *(const struct trust_principal_entry *const *)b;
	int rx = principal_rank(x->type), ry = principal_rank(y->type);

	return rx != ry ? rx - ry : strcmp(x->type, y->type);
}

static int
cmp_cond(const void *a, const void *b)
{
	return strcmp((*(const struct trust_cond *const *)a)->op, (*(const struct trust_cond *const *)b)->op);
}

static int
cmp_key(const void *a, const void *b)
{
	const char *x = (*(const struct trust_cond_key *const *)a)->key;
	const char *y = (*(const struct trust_cond_key *const *)b)->key;
	int c = strcasecmp(x, y);

	return c != 0 ? c : strcmp(x, y);
}

/* n pointers to the elements of base (size each), sorted by cmp; NULL when out of memory. */
static const void **
sorted(const void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	const void **p = malloc((n ? n : 1) * sizeof(*p));
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = (const char *)base + i * size;
	qsort(p, n, sizeof(*p), cmp);
	return p;
}

static void
w_principal(struct writer *w, const char *key, const struct trust_principal *p)
{
	const void **order;
	size_t i;

	if (!p->present)
		return;
	w_key(w, key);
	if (p->star) {
		w_string(w, "*");
		return;
	}
	order = sorted(p->e, p->n, sizeof(p->e[0]), cmp_principal);
	if (order == NULL) {
		w->b.failed = true;
		return;
	}
	w_open(w, '{');
	for (i = 0; i < p->n; i++) {
		const struct trust_principal_entry *e = order[i];

		w_key(w, e->type);
		w_list(w, &e->ids);
	}
	w_close(w, '}');
	free(order);
}

static void
w_condition(struct writer *w, const struct trust_statement *st)
{
	const void **ops, **keys;
	size_t i, j;

	if (!st->has_condition)
		return;
	w_key(w, "Condition");
	ops = sorted(st->cond, st->n_cond, sizeof(st->cond[0]), cmp_cond);
	if (ops == NULL) {
		w->b.failed = true;
		return;
	}
	w_open(w, '{');
	for (i = 0; i < st->n_cond; i++) {
		const struct trust_cond *c = ops[i];

		w_key(w, c->op);
		keys = sorted(c->keys, c->n, sizeof(c->keys[0]), cmp_key);
		if (keys == NULL) {
			w->b.failed = true;
			break;
		}
		w_open(w, '{');
		for (j = 0; j < c->n; j++) {
			const struct trust_cond_key *k = keys[j];

			w_key(w, k->key);
			w_list(w, &k->values);
		}
		w_close(w, '}');
		free(keys);
	}
	w_close(w, '}');
	free(ops);
}

static void
w_statement(struct writer *w, const struct trust_statement *st)
{
	w_open(w, '{');
	if (st->sid != NULL) {
		w_key(w, "Sid");
		w_string(w, st->sid);
	}
	w_key(w, "Effect");
	w_string(w, st->deny ? "Deny" : "Allow");
	w_principal(w, "Principal", &st->principal);
	w_principal(w, "NotPrincipal", &st->not_principal);
	w_list_member(w, "Action", &st->action);
	w_list_member(w, "NotAction", &st->not_action);
	w_list_member(w, "Resource", &st->resource);
	w_list_member(w, "NotResource", &st->not_resource);
	w_condition(w, st);
	if (st->extra != NULL) {
		json_object_object_foreach(st->extra, key, v)
		{
			w_key(w, key);
			w_json(w, v);
		}
	}
	w_close(w, '}');
}

static char *
write_document(const struct trust *t, bool pretty)
{
	struct writer w;
	size_t i;

	memset(&w, 0, sizeof(w));
	buf_init(&w.b, TRUST_MAX_DOC);
	w.pretty = pretty;
	w.first[0] = true;
	w_open(&w, '{');
	if (t->version != NULL) {
		w_key(&w, "Version");
		w_string(&w, t->version);
	}
	if (t->id != NULL) {
		w_key(&w, "Id");
		w_string(&w, t->id);
	}
	w_key(&w, "Statement");
	if (t->statement_array || t->n != 1)
		w_open(&w, '[');
	for (i = 0; i < t->n; i++) {
		if (t->statement_array || t->n != 1)
			w_item(&w);
		w_statement(&w, &t->st[i]);
	}
	if (t->statement_array || t->n != 1)
		w_close(&w, ']');
	if (t->extra != NULL) {
		json_object_object_foreach(t->extra, key, v)
		{
			w_key(&w, key);
			w_json(&w, v);
		}
	}
	w_close(&w, '}');
	if (pretty)
		buf_addch(&w.b, '\n');
	if (w.b.failed) {
		buf_release(&w.b);
		return NULL;
	}
	return buf_detach(&w.b);
}

char *
trust_to_json(const struct trust *t)
{
	return write_document(t, true);
}

char *
trust_to_json_min(const struct trust *t, size_t *chars)
{
	char *s = write_document(t, false);
	size_t n = 0;
	const char *p;

	if (s != NULL && chars != NULL) {
		for (p = s; *p != '\0'; p++)
			if (((unsigned char)*p & 0xC0) != 0x80)
				n++;
		*chars = n;
	}
	return s;
}

int
trust_check_size(const struct trust *t, long quota, struct irsa_error *err)
{
	size_t chars;
	char *s;

	if (quota <= 0)
		quota = TRUST_SIZE_QUOTA_DEFAULT;
	s = trust_to_json_min(t, &chars);
	if (s == NULL)
		return irsa_error_set(err, IRSA_ERR_LIMIT,
		                      "the trust policy could not be written (out of memory or "
		                      "over %d bytes)",
		                      TRUST_MAX_DOC);
	free(s);
	if ((long)chars <= quota)
		return 0;
	irsa_error_set(err, IRSA_ERR_LIMIT,
	               "the trust policy would be %zu characters without whitespace, over this account's limit of %ld "
	               "(AssumeRolePolicySizeQuota)",
	               chars, quota);
	return irsa_error_hint(err, "split the service accounts over two roles, ask AWS to raise the role trust policy "
	                            "length quota (L-C07B4B0D), or use EKS Pod Identity, whose trust does not grow "
	                            "with each cluster");
}
