/* core/aws_ini.c - the AWS config and credentials files' INI syntax, read
 * as Python's configparser reads it, with inih doing the tokenising.
 *
 * Debian's libinih is built with 200-byte lines, inline ';' comments and
 * indentation-only continuation lines; configparser, which botocore uses,
 * has no line limit, no inline comments and continues a value only on lines
 * indented deeper than its key. ini_read_line() sits between the file and
 * inih to close that gap: it decides per line what configparser would see,
 * hands inih one line at a time (so inih's line numbers are the file's),
 * hides ';' (and a leading '[' that is no header) from inih, and passes long
 * values aside. Knows nothing of profiles or of which keys are secret. */
#include "config.h"

#include "aws_ini.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "aws_file.h"
#include "buf.h"

#define STASH_MARK     '\x01' /* inih's value is in ini_ctx.stash */
#define SEMICOLON_MARK '\x02' /* a ';' inih must not take for a comment */
#define BRACKET_MARK   '\x03' /* a leading '[' inih must not take for a header */

static char *
xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* --- sections ------------------------------------------------------------------ */

static void
kv_release(struct aws_ini_kv *kv)
{
	size_t i;

	for (i = 0; i < kv->n_sub; i++)
		kv_release(&kv->sub[i]);
	free(kv->sub);
	free(kv->key);
	buf_free_secret(kv->value);
	memset(kv, 0, sizeof(*kv));
}

static void
section_release(struct aws_ini_section *s)
{
	size_t i;

	for (i = 0; i < s->n_kv; i++)
		kv_release(&s->kv[i]);
	free(s->kv);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

void
aws_ini_release(struct aws_ini_file *f)
{
	size_t i;

	for (i = 0; i < f->n_sec; i++)
		section_release(&f->sec[i]);
	free(f->sec);
	section_release(&f->defaults);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

static struct aws_ini_kv *
section_find(const struct aws_ini_section *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n_kv; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

/* Appends a key (taking key and value). Returns the entry or NULL (OOM). */
static struct aws_ini_kv *
section_add(struct aws_ini_section *s, char *key, char *value, int line)
{
	struct aws_ini_kv *kv;

	if (s->n_kv == s->cap_kv) {
		size_t cap = s->cap_kv ? s->cap_kv * 2 : 8;
		struct aws_ini_kv *v = realloc(s->kv, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		s->kv = v;
		s->cap_kv = cap;
	}
	kv = &s->kv[s->n_kv++];
	memset(kv, 0, sizeof(*kv));
	kv->key = key;
	kv->value = value;
	kv->line = line;
	return kv;
}

const struct aws_ini_kv *
aws_ini_find(const struct aws_ini_section *s, const char *key)
{
	return section_find(s, key);
}

const char *
aws_ini_get(const struct aws_ini_section *s, const char *key)
{
	const struct aws_ini_kv *kv = s != NULL ? section_find(s, key) : NULL;

	return kv != NULL ? kv->value : NULL;
}

const char *
aws_ini_sub_get(const struct aws_ini_kv *kv, const char *subkey)
{
	size_t i;

	if (kv == NULL)
		return NULL;
	for (i = 0; i < kv->n_sub; i++)
		if (strcmp(kv->sub[i].key, subkey) == 0)
			return kv->sub[i].value;
	return NULL;
}

/* --- the configparser-like reader in front of inih -------------------------- */

enum line_kind {
	LINE_NONE,    /* blank or comment */
	LINE_SECTION, /* [header] */
	LINE_KEY,     /* name = value */
	LINE_CONT,    /* continuation of the last key's value */
};

struct ini_ctx {
	struct aws_ini_file *file;
	const char *data;
	size_t len;
	size_t pos;
	int lineno;                  /* physical line last handed to inih */
	enum line_kind kind;         /* what that line was */
	bool in_section;             /* a header was seen (configparser: cursect) */
	bool key_active;             /* a key line was seen since (configparser: optname) */
	size_t indent_level;         /* indentation of the last header or key line */
	size_t blank_run;            /* blank lines since the last value line */
	struct aws_ini_section *cur; /* the section keys go to */
	struct aws_ini_kv *cur_kv;   /* the key continuation lines go to */
	char *stash;                 /* the value of a line too long for inih */
	int err_line;                /* our first error, 0 for none */
	char err_msg[256];
};

static void
ctx_error(struct ini_ctx *c, int line, const char *msg)
{
	if (c->err_line == 0 || line < c->err_line) {
		c->err_line = line;
		snprintf(c->err_msg, sizeof(c->err_msg), "%s", msg);
	}
}

/* Copies n bytes of s to out, replacing ';' by SEMICOLON_MARK (inih would
 * take " ;" for an inline comment; configparser does not). */
static void
copy_hiding_semicolons(char *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = s[i] == ';' ? SEMICOLON_MARK : s[i];
	out[n] = '\0';
}

static char *
dup_unhiding(const char *s, size_t n)
{
	char *p = xstrndup(s, n), *q;

	for (q = p; q != NULL && *q != '\0'; q++) {
		if (*q == SEMICOLON_MARK)
			*q = ';';
		else if (*q == BRACKET_MARK)
			*q = '[';
	}
	return p;
}

/* Opens the section named by the header (configparser: the text between the
 * first '[' and the last ']'). */
static void
ctx_open_section(struct ini_ctx *c, const char *name, size_t n)
{
	struct aws_ini_file *f = c->file;
	struct aws_ini_section *s;
	size_t i;

	c->cur = NULL;
	if (n == 7 && memcmp(name, "DEFAULT", 7) == 0) {
		c->cur = &f->defaults;
		if (f->defaults.name == NULL) {
			f->defaults.name = xstrndup(name, n);
			f->defaults.line = c->lineno;
		}
		return;
	}
	for (i = 0; i < f->n_sec; i++)
		if (strlen(f->sec[i].name) == n && memcmp(f->sec[i].name, name, n) == 0) {
			char msg[256];

			snprintf(msg, sizeof(msg), "section [%.*s] appears twice (first on line %d)",
			         (int)(n > 60 ? 60 : n), name, f->sec[i].line);
			ctx_error(c, c->lineno, msg);
			return;
		}
	s = realloc(f->sec, (f->n_sec + 1) * sizeof(*s));
	if (s == NULL) {
		ctx_error(c, c->lineno, "out of memory");
		return;
	}
	f->sec = s;
	s = &f->sec[f->n_sec];
	memset(s, 0, sizeof(*s));
	s->name = xstrndup(name, n);
	s->line = c->lineno;
	if (s->name == NULL) {
		ctx_error(c, c->lineno, "out of memory");
		return;
	}
	f->n_sec++;
	c->cur = s;
}

/* inih's reader: hands over one physical line, rewritten so that inih sees
 * what configparser would. num is inih's line buffer size. */
static char *
ini_read_line(char *str, int num, void *stream)
{
	struct ini_ctx *c = stream;
	const char *line, *nl, *v;
	size_t len, indent, vlen, room = (size_t)num - 3;

	if (c->pos >= c->len)
		return NULL;
	line = c->data + c->pos;
	nl = memchr(line, '\n', c->len - c->pos);
	len = nl != NULL ? (size_t)(nl - line) : c->len - c->pos;
	c->pos += len + (nl != NULL);
	c->lineno++;
	if (c->lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		line += 3;
		len -= 3;
	}
	for (indent = 0; indent < len && is_space(line[indent]); indent++)
		;
	v = line + indent;
	vlen = len - indent;
	while (vlen > 0 && is_space(v[vlen - 1]))
		vlen--;
	strcpy(str, "\n");
	c->kind = LINE_NONE;
	if (memchr(v, STASH_MARK, vlen) != NULL || memchr(v, SEMICOLON_MARK, vlen) != NULL ||
	    memchr(v, BRACKET_MARK, vlen) != NULL || memchr(v, '\0', vlen) != NULL) {
		ctx_error(c, c->lineno, "control character in the line");
		return str;
	}
	if (vlen == 0) {
		if (c->key_active)
			c->blank_run++;
		return str;
	}
	if (v[0] == '#' || v[0] == ';')
		return str;

	if (c->in_section && c->key_active && indent > c->indent_level) {
		c->kind = LINE_CONT;
		if (vlen + 1 > room) {
			buf_free_secret(c->stash);
			c->stash = dup_unhiding(v, vlen);
			snprintf(str, (size_t)num, " %c\n", STASH_MARK);
		} else {
			str[0] = ' ';
			copy_hiding_semicolons(str + 1, v, vlen);
			strcat(str, "\n");
		}
		return str;
	}

	c->indent_level = indent;
	c->blank_run = 0;
	if (v[0] == '[') {
		const char *close = NULL, *p;

		for (p = v + 1; p < v + vlen; p++)
			if (*p == ']')
				close = p;
		if (close != NULL && close > v + 1) {
			c->kind = LINE_SECTION;
			c->in_section = true;
			c->key_active = false;
			ctx_open_section(c, v + 1, (size_t)(close - v - 1));
			return str; /* inih need not see it: the section is ours already */
		}
	}
	if (!c->in_section) {
		ctx_error(c, c->lineno, "a line before the first [section] header");
		return str;
	}
	c->kind = LINE_KEY;
	c->key_active = true;
	c->cur_kv = NULL;
	if (vlen + 1 > room) {
		size_t d = strcspn(v, "=:");

		if (d >= vlen || d + 4 > room) {
			ctx_error(c, c->lineno, "line too long");
			c->kind = LINE_NONE;
			return str;
		}
		copy_hiding_semicolons(str, v, d + 1);
		snprintf(str + d + 1, (size_t)num - d - 1, "%c\n", STASH_MARK);
		buf_free_secret(c->stash);
		c->stash = dup_unhiding(v + d + 1, vlen - d - 1);
	} else {
		copy_hiding_semicolons(str, v, vlen);
		strcat(str, "\n");
	}
	/* Not a header, so (as configparser has it) a key or an error: inih
	 * would take any "[...]" for a section, and drop the line. */
	if (str[0] == '[')
		str[0] = BRACKET_MARK;
	return str;
}

static char *
trimmed_dup(const char *s)
{
	size_t n;

	while (is_space(*s) || *s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return dup_unhiding(s, n);
}

/* inih's handler: one key line, or one continuation line of the last key. */
static int
ini_on_value(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *c = user;
	char *v, *k, *p;
	bool stashed = value[0] == STASH_MARK && value[1] == '\0';

	(void)section;
	v = stashed ? trimmed_dup(c->stash != NULL ? c->stash : "") : dup_unhiding(value, strlen(value));
	buf_free_secret(c->stash);
	c->stash = NULL;
	if (v == NULL) {
		ctx_error(c, c->lineno, "out of memory");
		return 1;
	}
	if (c->kind == LINE_CONT) {
		struct buf b;

		if (c->cur_kv == NULL) {
			buf_free_secret(v);
			return 1; /* continues a key that was refused */
		}
		buf_init(&b, AWS_FILE_MAX);
		buf_addstr(&b, c->cur_kv->value);
		for (; c->blank_run > 0; c->blank_run--)
			buf_addch(&b, '\n');
		buf_addch(&b, '\n');
		buf_addstr(&b, v);
		buf_free_secret(v);
		if (b.failed) {
			buf_release_secure(&b);
			ctx_error(c, c->lineno, "out of memory");
			return 1;
		}
		buf_free_secret(c->cur_kv->value);
		c->cur_kv->value = buf_detach(&b);
		return 1;
	}
	if (c->kind != LINE_KEY || c->cur == NULL) {
		buf_free_secret(v);
		return 1; /* a line we already refused */
	}
	k = dup_unhiding(name, strlen(name));
	if (k == NULL) {
		buf_free_secret(v);
		ctx_error(c, c->lineno, "out of memory");
		return 1;
	}
	for (p = k; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (*k == '\0' || section_find(c->cur, k) != NULL) {
		char msg[256];

		if (*k == '\0')
			snprintf(msg, sizeof(msg), "a value without a key name");
		else
			snprintf(msg, sizeof(msg), "key \"%.60s\" appears twice in [%.60s] (first on line %d)", k,
			         c->cur->name, section_find(c->cur, k)->line);
		ctx_error(c, c->lineno, msg);
		free(k);
		buf_free_secret(v);
		return 1;
	}
	c->cur_kv = section_add(c->cur, k, v, c->lineno);
	if (c->cur_kv == NULL) {
		free(k);
		buf_free_secret(v);
		ctx_error(c, c->lineno, "out of memory");
	}
	return 1;
}

/* botocore's _parse_nested: the lines of a value that starts with '\n' are
 * "name = value" each (split at the first '='; names keep their case). */
static int
kv_parse_nested(struct aws_ini_kv *kv)
{
	const char *s = kv->value + 1;
	struct aws_ini_section tmp = {0};

	while (*s != '\0') {
		size_t n = strcspn(s, "\n");
		const char *eq = memchr(s, '=', n);
		char *line = xstrndup(s, n), *k, *v;
		struct aws_ini_kv *old;

		if (line == NULL)
			goto fail;
		if (*line == '\0' || strspn(line, " \t\r\f\v") == n) {
			free(line);
			s += n + (s[n] == '\n');
			continue;
		}
		if (eq == NULL) {
			buf_free_secret(line);
			section_release(&tmp);
			return -1;
		}
		line[eq - s] = '\0';
		k = trimmed_dup(line);
		v = trimmed_dup(line + (eq - s) + 1);
		buf_free_secret(line);
		if (k == NULL || v == NULL) {
			free(k);
			buf_free_secret(v);
			goto fail;
		}
		if ((old = section_find(&tmp, k)) != NULL) {
			free(k);
			buf_free_secret(old->value);
			old->value = v;
		} else if (section_add(&tmp, k, v, kv->line) == NULL) {
			free(k);
			buf_free_secret(v);
			goto fail;
		}
		s += n + (s[n] == '\n');
	}
	kv->sub = tmp.kv;
	kv->n_sub = tmp.n_kv;
	return 0;
fail:
	section_release(&tmp);
	return -2;
}

/* configparser's options(section) include [DEFAULT]'s keys. */
static int
section_add_defaults(struct aws_ini_section *s, const struct aws_ini_section *defaults)
{
	size_t i;

	for (i = 0; i < defaults->n_kv; i++) {
		const struct aws_ini_kv *d = &defaults->kv[i];
		char *k, *v;

		if (section_find(s, d->key) != NULL)
			continue;
		k = strdup(d->key);
		v = strdup(d->value);
		if (k == NULL || v == NULL || section_add(s, k, v, d->line) == NULL) {
			free(k);
			buf_free_secret(v);
			return -1;
		}
	}
	return 0;
}

/* The parse error message: "FILE, line N: what". */
static int
parse_error(struct irsa_error *err, const char *path, int line, const char *what)
{
	irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "%s, line %d: %s", path, line, what);
	return irsa_error_hint(err, "Fix that line (keys are \"name = value\" under a [section]; a line starting with "
	                            "';' or '#' is a comment), or point AWS_CONFIG_FILE / "
	                            "AWS_SHARED_CREDENTIALS_FILE elsewhere.");
}

/* Parses path into f. A missing file leaves f empty. */
int
aws_ini_load(struct aws_ini_file *f, const char *path, struct irsa_error *err)
{
	struct ini_ctx c;
	struct buf data;
	size_t i, j;
	int r, line;

	memset(f, 0, sizeof(*f));
	if (path == NULL)
		return 0;
	f->path = strdup(path);
	if (f->path == NULL)
		return irsa_error_oom(err);
	r = aws_file_read(path, &data, err);
	if (r <= 0)
		return r;

	memset(&c, 0, sizeof(c));
	c.file = f;
	c.data = buf_cstr(&data);
	c.len = data.len;
	r = ini_parse_stream(ini_read_line, &c, ini_on_value, &c);
	buf_free_secret(c.stash);
	buf_release_secure(&data);
	line = c.err_line;
	if (r > 0 && (line == 0 || r < line)) {
		line = r;
		snprintf(c.err_msg, sizeof(c.err_msg), "expected \"name = value\" or a [section] header");
	}
	if (r == -2)
		return irsa_error_oom(err);
	if (line != 0)
		return parse_error(err, path, line, c.err_msg);

	for (i = 0; i < f->n_sec; i++) {
		if (section_add_defaults(&f->sec[i], &f->defaults) != 0)
			return irsa_error_oom(err);
		for (j = 0; j < f->sec[i].n_kv; j++) {
			struct aws_ini_kv *kv = &f->sec[i].kv[j];

			if (kv->value[0] != '\n')
				continue;
			r = kv_parse_nested(kv);
			if (r == -2)
				return irsa_error_oom(err);
			if (r != 0) {
				char msg[256];

				snprintf(msg, sizeof(msg),
				         "the lines indented under \"%.60s\" must each be \"name = value\"", kv->key);
				return parse_error(err, path, kv->line, msg);
			}
		}
	}
	return 0;
}
