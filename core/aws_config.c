/* core/aws_config.c - reading the shared AWS config and credentials files
 * and resolving profile, region and the credential plan from them, the
 * environment and the flags, in botocore's order (configloader.py,
 * session.py, credentials.py). Also runs credential_process and reads the
 * SSO token cache, the only local steps of the chain. No network, no
 * printing, no terminal.
 *
 * Parsing: Debian's libinih is built with 200-byte lines, inline ';'
 * comments and indentation-only continuation lines; configparser, which
 * botocore uses, has no line limit, no inline comments and continues a value
 * only on lines indented deeper than its key. ini_read_line() sits between
 * the file and inih to close that gap: it decides per line what configparser
 * would see, hands inih one line at a time (so inih's line numbers are the
 * file's), hides ';' from inih, and passes long values aside. */
#include "config.h"

#include "aws_config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "buf.h"
#include "redact.h"

extern char **environ;

#define MAX_CHAIN            64 /* source_profile links followed before giving up */
#define STASH_MARK           '\x01'
#define SEMICOLON_MARK       '\x02'
#define STDERR_KEEP          4096
#define CONTAINER_TIMEOUT_MS 2000
#define CONTAINER_ATTEMPTS   3

/* One "key = value" line, with its continuation lines joined by '\n'. A value
 * that starts with '\n' (the key's own line was empty) is a nested block,
 * also parsed into sub. */
struct kv {
	char *key;
	char *value;
	int line;
	struct kv *sub;
	size_t n_sub;
};

struct section {
	char *name; /* the header as written, between the brackets */
	int line;
	struct kv *kv;
	size_t n_kv;
	size_t cap_kv;
};

struct ini_file {
	char *path;
	struct section *sec;
	size_t n_sec;
	struct section defaults; /* configparser's [DEFAULT]: added to every section */
};

/* A name in one of the maps built from the sections (a profile, an
 * sso-session, a services block). Points into an ini_file. */
struct ref {
	char *name;
	const struct section *sec;
};

struct ref_map {
	struct ref *v;
	size_t n;
};

/* A merged profile: kv entries borrowed from the files. */
struct profile {
	char *name;
	const struct kv **kv;
	size_t n_kv;
};

struct aws_config {
	struct ini_file config;
	struct ini_file credentials;
	struct ref_map config_profiles; /* the config file's own profile map */
	struct ref_map sso_sessions;
	struct ref_map services;
	struct profile *profiles; /* config file profiles updated by the credentials file */
	size_t n_profiles;
};

/* --- small helpers -------------------------------------------------------- */

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

static void
free_secret(char *s)
{
	if (s != NULL) {
		buf_wipe(s, strlen(s));
		free(s);
	}
}

static const char *
env_get(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
oom(struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
}

bool
aws_config_is_true(const char *s)
{
	return s != NULL && strcasecmp(s, "true") == 0;
}

/* --- path expansion ------------------------------------------------------- */

char *
aws_expand_path(const char *p)
{
	struct buf b, out;
	const char *s, *home = NULL;
	size_t i;

	if (p == NULL)
		return NULL;
	buf_init(&b, PATH_MAX * 4);
	for (s = p; *s != '\0';) {
		const char *name = NULL, *end = NULL, *next = NULL;

		if (s[0] == '$' && s[1] == '{' && (end = strchr(s + 2, '}')) != NULL) {
			name = s + 2;
			next = end + 1;
		} else if (s[0] == '$' && (isalnum((unsigned char)s[1]) || s[1] == '_')) {
			name = s + 1;
			for (end = name; isalnum((unsigned char)*end) || *end == '_'; end++)
				;
			next = end;
		}
		if (name != NULL) {
			char var[256];
			const char *val = NULL;

			if ((size_t)(end - name) < sizeof(var)) {
				memcpy(var, name, (size_t)(end - name));
				var[end - name] = '\0';
				val = getenv(var);
			}
			if (val != NULL) {
				buf_addstr(&b, val);
				s = next;
				continue;
			}
		}
		buf_addch(&b, *s++);
	}
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	s = buf_cstr(&b);
	if (s[0] != '~')
		return buf_detach(&b);

	for (i = 1; s[i] != '\0' && s[i] != '/'; i++)
		;
	if (i == 1) {
		home = getenv("HOME");
		if (home == NULL) {
			struct passwd *pw = getpwuid(getuid());

			home = pw != NULL ? pw->pw_dir : NULL;
		}
	} else {
		char user[256];
		struct passwd *pw;

		if (i - 1 < sizeof(user)) {
			memcpy(user, s + 1, i - 1);
			user[i - 1] = '\0';
			pw = getpwnam(user);
			home = pw != NULL ? pw->pw_dir : NULL;
		}
	}
	if (home == NULL)
		return buf_detach(&b);
	buf_init(&out, PATH_MAX * 4);
	{
		size_t hl = strlen(home);

		while (hl > 0 && home[hl - 1] == '/')
			hl--;
		buf_add(&out, home, hl);
		buf_addstr(&out, s + i);
		if (out.len == 0)
			buf_addch(&out, '/');
	}
	buf_release(&b);
	if (out.failed) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* --- reading a file --------------------------------------------------------- */

/* Reads path into out (capped). Returns 1, 0 when the file does not exist, or
 * -1 with err set. */
static int
file_read(const char *path, struct buf *out, struct irsa_error *err)
{
	char chunk[8192];
	size_t n;
	FILE *f;
	struct stat st;

	buf_init(out, AWS_CONFIG_MAX_FILE);
	if (stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0; /* botocore: os.path.isfile() is false, so "not found" */
	f = fopen(path, "rb");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		irsa_error_set(err, IRSA_ERR_IO, "cannot read %s: %s", path, strerror(errno));
		return irsa_error_hint(err, "Check the file's permissions.");
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(out, chunk, n) != 0)
			break;
	buf_wipe(chunk, sizeof(chunk));
	if (ferror(f) || out->failed) {
		int e = out->failed ? out->error : errno;

		fclose(f);
		buf_release_secure(out);
		if (e == E2BIG) {
			irsa_error_set(err, IRSA_ERR_LIMIT, "%s is larger than %d bytes", path, AWS_CONFIG_MAX_FILE);
			return irsa_error_hint(err, "Check that the path names an AWS config file.");
		}
		return irsa_error_set(err, IRSA_ERR_IO, "cannot read %s: %s", path, strerror(e));
	}
	fclose(f);
	return 1;
}

/* --- sections ------------------------------------------------------------------ */

static void
kv_release(struct kv *kv)
{
	size_t i;

	for (i = 0; i < kv->n_sub; i++)
		kv_release(&kv->sub[i]);
	free(kv->sub);
	free(kv->key);
	free_secret(kv->value);
	memset(kv, 0, sizeof(*kv));
}

static void
section_release(struct section *s)
{
	size_t i;

	for (i = 0; i < s->n_kv; i++)
		kv_release(&s->kv[i]);
	free(s->kv);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

static void
ini_file_release(struct ini_file *f)
{
	size_t i;

	for (i = 0; i < f->n_sec; i++)
		section_release(&f->sec[i]);
	free(f->sec);
	section_release(&f->defaults);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

static struct kv *
section_find(const struct section *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n_kv; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

/* Appends a key (taking key and value). Returns the entry or NULL (OOM). */
static struct kv *
section_add(struct section *s, char *key, char *value, int line)
{
	struct kv *kv;

	if (s->n_kv == s->cap_kv) {
		size_t cap = s->cap_kv ? s->cap_kv * 2 : 8;
		struct kv *v = realloc(s->kv, cap * sizeof(*v));

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

/* --- the configparser-like reader in front of inih -------------------------- */

enum line_kind {
	LINE_NONE,    /* blank or comment */
	LINE_SECTION, /* [header] */
	LINE_KEY,     /* name = value */
	LINE_CONT,    /* continuation of the last key's value */
};

struct ini_ctx {
	struct ini_file *file;
	const char *data;
	size_t len;
	size_t pos;
	int lineno;          /* physical line last handed to inih */
	enum line_kind kind; /* what that line was */
	bool in_section;     /* a header was seen (configparser: cursect) */
	bool key_active;     /* a key line was seen since (configparser: optname) */
	size_t indent_level; /* indentation of the last header or key line */
	size_t blank_run;    /* blank lines since the last value line */
	struct section *cur; /* the section keys go to */
	struct kv *cur_kv;   /* the key continuation lines go to */
	char *stash;         /* the value of a line too long for inih */
	int err_line;        /* our first error, 0 for none */
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

	if (p != NULL)
		for (q = p; *q != '\0'; q++)
			if (*q == SEMICOLON_MARK)
				*q = ';';
	return p;
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Opens the section named by the header (configparser: the text between the
 * first '[' and the last ']'). */
static void
ctx_open_section(struct ini_ctx *c, const char *name, size_t n)
{
	struct ini_file *f = c->file;
	struct section *s;
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
	    memchr(v, '\0', vlen) != NULL) {
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
			free(c->stash);
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
		free(c->stash);
		c->stash = dup_unhiding(v + d + 1, vlen - d - 1);
	} else {
		copy_hiding_semicolons(str, v, vlen);
		strcat(str, "\n");
	}
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
	free(c->stash);
	c->stash = NULL;
	if (v == NULL) {
		ctx_error(c, c->lineno, "out of memory");
		return 1;
	}
	if (c->kind == LINE_CONT) {
		struct buf b;

		if (c->cur_kv == NULL) {
			free_secret(v);
			return 1; /* continues a key that was refused */
		}
		buf_init(&b, AWS_CONFIG_MAX_FILE);
		buf_addstr(&b, c->cur_kv->value);
		for (; c->blank_run > 0; c->blank_run--)
			buf_addch(&b, '\n');
		buf_addch(&b, '\n');
		buf_addstr(&b, v);
		free_secret(v);
		if (b.failed) {
			buf_release_secure(&b);
			ctx_error(c, c->lineno, "out of memory");
			return 1;
		}
		free_secret(c->cur_kv->value);
		c->cur_kv->value = buf_detach(&b);
		return 1;
	}
	if (c->kind != LINE_KEY || c->cur == NULL) {
		free_secret(v);
		return 1; /* a line we already refused */
	}
	k = dup_unhiding(name, strlen(name));
	if (k == NULL) {
		free_secret(v);
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
		free_secret(v);
		return 1;
	}
	c->cur_kv = section_add(c->cur, k, v, c->lineno);
	if (c->cur_kv == NULL) {
		free(k);
		free_secret(v);
		ctx_error(c, c->lineno, "out of memory");
	}
	return 1;
}

/* botocore's _parse_nested: the lines of a value that starts with '\n' are
 * "name = value" each (split at the first '='; names keep their case). */
static int
kv_parse_nested(struct kv *kv)
{
	const char *s = kv->value + 1;
	struct section tmp = {0};

	while (*s != '\0') {
		size_t n = strcspn(s, "\n");
		const char *eq = memchr(s, '=', n);
		char *line = xstrndup(s, n), *k, *v;
		struct kv *old;

		if (line == NULL)
			goto fail;
		if (*line == '\0' || strspn(line, " \t\r\f\v") == n) {
			free(line);
			s += n + (s[n] == '\n');
			continue;
		}
		if (eq == NULL) {
			free(line);
			section_release(&tmp);
			return -1;
		}
		line[eq - s] = '\0';
		k = trimmed_dup(line);
		v = trimmed_dup(line + (eq - s) + 1);
		free_secret(line);
		if (k == NULL || v == NULL) {
			free(k);
			free_secret(v);
			goto fail;
		}
		if ((old = section_find(&tmp, k)) != NULL) {
			free(k);
			free_secret(old->value);
			old->value = v;
		} else if (section_add(&tmp, k, v, kv->line) == NULL) {
			free(k);
			free_secret(v);
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
section_add_defaults(struct section *s, const struct section *defaults)
{
	size_t i;

	for (i = 0; i < defaults->n_kv; i++) {
		const struct kv *d = &defaults->kv[i];
		char *k, *v;

		if (section_find(s, d->key) != NULL)
			continue;
		k = strdup(d->key);
		v = strdup(d->value);
		if (k == NULL || v == NULL || section_add(s, k, v, d->line) == NULL) {
			free(k);
			free_secret(v);
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

static void
register_secrets(const struct section *s)
{
	static const char *const secret_keys[] = {"aws_secret_access_key", "aws_session_token", "aws_security_token"};
	size_t i;

	for (i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++) {
		const struct kv *kv = section_find(s, secret_keys[i]);

		if (kv != NULL)
			redact_register(kv->value);
	}
}

/* Parses path into f. A missing file leaves f empty. */
static int
ini_file_load(struct ini_file *f, const char *path, struct irsa_error *err)
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
		return oom(err);
	r = file_read(path, &data, err);
	if (r <= 0)
		return r;

	memset(&c, 0, sizeof(c));
	c.file = f;
	c.data = buf_cstr(&data);
	c.len = data.len;
	r = ini_parse_stream(ini_read_line, &c, ini_on_value, &c);
	free_secret(c.stash);
	buf_release_secure(&data);
	line = c.err_line;
	if (r > 0 && (line == 0 || r < line)) {
		line = r;
		snprintf(c.err_msg, sizeof(c.err_msg), "expected \"name = value\" or a [section] header");
	}
	if (r == -2)
		return oom(err);
	if (line != 0)
		return parse_error(err, path, line, c.err_msg);

	for (i = 0; i < f->n_sec; i++) {
		if (section_add_defaults(&f->sec[i], &f->defaults) != 0)
			return oom(err);
		register_secrets(&f->sec[i]);
		for (j = 0; j < f->sec[i].n_kv; j++) {
			struct kv *kv = &f->sec[i].kv[j];

			if (kv->value[0] != '\n')
				continue;
			r = kv_parse_nested(kv);
			if (r == -2)
				return oom(err);
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

/* --- profile maps (botocore build_profile_map and Session.full_config) ----- */

static void
ref_map_release(struct ref_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static const struct section *
ref_map_get(const struct ref_map *m, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return m->v[i].sec;
	return NULL;
}

/* Adds or replaces (a later section wins whole, as dict.update does). Takes
 * name. */
static int
ref_map_put(struct ref_map *m, char *name, const struct section *sec)
{
	size_t i;
	struct ref *v;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0) {
			free(name);
			m->v[i].sec = sec;
			return 0;
		}
	v = realloc(m->v, (m->n + 1) * sizeof(*v));
	if (v == NULL) {
		free(name);
		return -1;
	}
	m->v = v;
	m->v[m->n].name = name;
	m->v[m->n].sec = sec;
	m->n++;
	return 0;
}

/* botocore's _parse_section: "profile NAME" split like a shell; exactly two
 * words or the section is ignored. Returns the name, NULL if ignored. */
static char *
section_second_word(const char *header)
{
	char **argv = NULL, *name = NULL;
	size_t argc = 0, i;

	if (aws_shell_split(header, &argv, &argc, NULL) != 0)
		return NULL;
	if (argc == 2) {
		name = argv[1];
		argv[1] = NULL;
	}
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return name;
}

/* A section of the credentials file, by its bare name. */
static const struct section *
ref_map_get_raw_credentials(const struct aws_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->credentials.n_sec; i++)
		if (strcmp(cfg->credentials.sec[i].name, name) == 0)
			return &cfg->credentials.sec[i];
	return NULL;
}

static struct profile *
profile_find(const struct aws_config *cfg, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < cfg->n_profiles; i++)
		if (strcmp(cfg->profiles[i].name, name) == 0)
			return &cfg->profiles[i];
	return NULL;
}

/* Sets the profile's keys from sec: replaces keys present, appends others. */
static int
profile_update(struct profile *p, const struct section *sec)
{
	size_t i, j;

	for (i = 0; i < sec->n_kv; i++) {
		const struct kv **v;

		for (j = 0; j < p->n_kv; j++)
			if (strcmp(p->kv[j]->key, sec->kv[i].key) == 0)
				break;
		if (j < p->n_kv) {
			p->kv[j] = &sec->kv[i];
			continue;
		}
		v = realloc(p->kv, (p->n_kv + 1) * sizeof(*v));
		if (v == NULL)
			return -1;
		p->kv = v;
		p->kv[p->n_kv++] = &sec->kv[i];
	}
	return 0;
}

static struct profile *
profile_add(struct aws_config *cfg, const char *name)
{
	struct profile *v = realloc(cfg->profiles, (cfg->n_profiles + 1) * sizeof(*v));

	if (v == NULL)
		return NULL;
	cfg->profiles = v;
	v = &cfg->profiles[cfg->n_profiles];
	memset(v, 0, sizeof(*v));
	v->name = strdup(name);
	if (v->name == NULL)
		return NULL;
	cfg->n_profiles++;
	return v;
}

static int
config_build_maps(struct aws_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->config.n_sec; i++) {
		const struct section *s = &cfg->config.sec[i];
		struct ref_map *m = NULL;
		char *name = NULL;

		if (strncmp(s->name, "profile", 7) == 0)
			m = &cfg->config_profiles;
		else if (strncmp(s->name, "sso-session", 11) == 0)
			m = &cfg->sso_sessions;
		else if (strncmp(s->name, "services", 8) == 0)
			m = &cfg->services;
		else if (strcmp(s->name, "default") == 0) {
			m = &cfg->config_profiles;
			name = strdup("default");
			if (name == NULL)
				return -1;
		}
		if (m == NULL)
			continue;
		if (name == NULL && (name = section_second_word(s->name)) == NULL)
			continue;
		if (ref_map_put(m, name, s) != 0)
			return -1;
	}
	for (i = 0; i < cfg->config_profiles.n; i++) {
		struct profile *p = profile_add(cfg, cfg->config_profiles.v[i].name);

		if (p == NULL || profile_update(p, cfg->config_profiles.v[i].sec) != 0)
			return -1;
	}
	for (i = 0; i < cfg->credentials.n_sec; i++) {
		const struct section *s = &cfg->credentials.sec[i];
		struct profile *p = profile_find(cfg, s->name);

		if (p == NULL && (p = profile_add(cfg, s->name)) == NULL)
			return -1;
		if (profile_update(p, s) != 0)
			return -1;
	}
	return 0;
}

int
aws_config_load_files(const char *config_path, const char *credentials_path, struct aws_config **out,
                      struct irsa_error *err)
{
	struct aws_config *cfg = calloc(1, sizeof(*cfg));

	*out = NULL;
	if (cfg == NULL)
		return oom(err);
	if (ini_file_load(&cfg->config, config_path, err) != 0 ||
	    ini_file_load(&cfg->credentials, credentials_path, err) != 0) {
		aws_config_free(cfg);
		return -1;
	}
	if (config_build_maps(cfg) != 0) {
		aws_config_free(cfg);
		return oom(err);
	}
	*out = cfg;
	return 0;
}

int
aws_config_load(struct aws_config **out, struct irsa_error *err)
{
	const char *c = getenv("AWS_CONFIG_FILE"), *k = getenv("AWS_SHARED_CREDENTIALS_FILE");
	char *cp = aws_expand_path(c != NULL ? c : "~/.aws/config");
	char *kp = aws_expand_path(k != NULL ? k : "~/.aws/credentials");
	int r;

	if (cp == NULL || kp == NULL) {
		free(cp);
		free(kp);
		*out = NULL;
		return oom(err);
	}
	r = aws_config_load_files(cp, kp, out, err);
	free(cp);
	free(kp);
	return r;
}

void
aws_config_free(struct aws_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n_profiles; i++) {
		free(cfg->profiles[i].name);
		free(cfg->profiles[i].kv);
	}
	free(cfg->profiles);
	ref_map_release(&cfg->config_profiles);
	ref_map_release(&cfg->sso_sessions);
	ref_map_release(&cfg->services);
	ini_file_release(&cfg->config);
	ini_file_release(&cfg->credentials);
	free(cfg);
}

const char *
aws_config_path(const struct aws_config *cfg)
{
	return cfg->config.path;
}

const char *
aws_config_credentials_path(const struct aws_config *cfg)
{
	return cfg->credentials.path;
}

size_t
aws_config_profile_count(const struct aws_config *cfg)
{
	return cfg->n_profiles;
}

const char *
aws_config_profile_name(const struct aws_config *cfg, size_t i)
{
	return i < cfg->n_profiles ? cfg->profiles[i].name : NULL;
}

bool
aws_config_has_profile(const struct aws_config *cfg, const char *profile)
{
	return profile_find(cfg, profile) != NULL;
}

static const struct kv *
profile_kv(const struct aws_config *cfg, const char *profile, const char *key)
{
	const struct profile *p = profile_find(cfg, profile);
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < p->n_kv; i++)
		if (strcmp(p->kv[i]->key, key) == 0)
			return p->kv[i];
	return NULL;
}

static const char *
kv_sub_get(const struct kv *kv, const char *subkey)
{
	size_t i;

	if (kv == NULL)
		return NULL;
	for (i = 0; i < kv->n_sub; i++)
		if (strcmp(kv->sub[i].key, subkey) == 0)
			return kv->sub[i].value;
	return NULL;
}

const char *
aws_config_get(const struct aws_config *cfg, const char *profile, const char *key)
{
	const struct kv *kv = profile_kv(cfg, profile, key);

	return kv != NULL ? kv->value : NULL;
}

const char *
aws_config_get_nested(const struct aws_config *cfg, const char *profile, const char *key, const char *subkey)
{
	return kv_sub_get(profile_kv(cfg, profile, key), subkey);
}

const char *
aws_config_sso_session_get(const struct aws_config *cfg, const char *session, const char *key)
{
	const struct section *s = ref_map_get(&cfg->sso_sessions, session);
	const struct kv *kv = s != NULL ? section_find(s, key) : NULL;

	return kv != NULL ? kv->value : NULL;
}

bool
aws_config_has_services(const struct aws_config *cfg, const char *services)
{
	return ref_map_get(&cfg->services, services) != NULL;
}

const char *
aws_config_services_get(const struct aws_config *cfg, const char *services, const char *service, const char *key)
{
	const struct section *s = ref_map_get(&cfg->services, services);

	return s != NULL ? kv_sub_get(section_find(s, service), key) : NULL;
}

/* --- profile and region ------------------------------------------------------- */

int
aws_config_resolve_profile(const struct aws_config *cfg, const struct aws_flags *flags, const char **profile,
                           bool *explicit_flag, struct irsa_error *err)
{
	const char *p = NULL, *from = NULL;

	*explicit_flag = false;
	if (flags != NULL && flags->profile != NULL && *flags->profile != '\0') {
		p = flags->profile;
		from = "--profile";
		*explicit_flag = true;
	} else if ((p = env_get("AWS_DEFAULT_PROFILE")) != NULL) {
		from = "AWS_DEFAULT_PROFILE";
	} else if ((p = env_get("AWS_PROFILE")) != NULL) {
		from = "AWS_PROFILE";
	} else {
		p = "default";
	}
	*profile = p;
	if (from != NULL && strcmp(p, "default") != 0 && !aws_config_has_profile(cfg, p)) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "the config profile \"%s\" (from %s) is not in %s or %s", p,
		               from, cfg->config.path ? cfg->config.path : "the config file",
		               cfg->credentials.path ? cfg->credentials.path : "the credentials file");
		return irsa_error_hint(err,
		                       "Add [profile %s] to the config file (aws configure --profile %s), or name "
		                       "another profile; irsa lists them with its profile list.",
		                       p, p);
	}
	return 0;
}

char *
aws_config_resolve_region(const struct aws_config *cfg, const struct aws_flags *flags, const char *profile,
                          struct irsa_error *err)
{
	const char *r = NULL;
	char *out;

	if (flags != NULL && flags->region != NULL && *flags->region != '\0')
		r = flags->region;
	else if ((r = env_get("AWS_REGION")) == NULL && (r = env_get("AWS_DEFAULT_REGION")) == NULL) {
		r = aws_config_get(cfg, profile, "region");
		if (r != NULL && *r == '\0')
			r = NULL;
	}
	if (r == NULL) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no AWS region is set for profile \"%s\"", profile);
		irsa_error_hint(err, "Pass --region, set AWS_REGION, or add \"region = us-east-1\" under [%s%s] in %s.",
		                strcmp(profile, "default") == 0 ? "" : "profile ", profile,
		                cfg->config.path ? cfg->config.path : "~/.aws/config");
		return NULL;
	}
	out = strdup(r);
	if (out == NULL)
		oom(err);
	return out;
}

/* --- credentials ------------------------------------------------------------- */

void
aws_credentials_release(struct aws_credentials *c)
{
	if (c == NULL)
		return;
	free_secret(c->access_key_id);
	free_secret(c->secret_access_key);
	free_secret(c->session_token);
	free(c->account_id);
	memset(c, 0, sizeof(*c));
}

/* Fills c with copies (session_token and account_id may be NULL) and
 * registers the secrets. Returns 0 or -1 (OOM). */
static int
credentials_set(struct aws_credentials *c, const char *akid, const char *secret, const char *token,
                const char *account_id)
{
	memset(c, 0, sizeof(*c));
	c->access_key_id = strdup(akid);
	c->secret_access_key = strdup(secret);
	c->session_token = token != NULL ? strdup(token) : NULL;
	c->account_id = account_id != NULL ? strdup(account_id) : NULL;
	if (c->access_key_id == NULL || c->secret_access_key == NULL || (token != NULL && c->session_token == NULL) ||
	    (account_id != NULL && c->account_id == NULL) || redact_register(secret) != 0 ||
	    (token != NULL && redact_register(token) != 0)) {
		aws_credentials_release(c);
		return -1;
	}
	return 0;
}

static const char *const kind_names[] = {
        [AWS_CRED_ENV] = "environment",
        [AWS_CRED_STATIC] = "static",
        [AWS_CRED_ASSUME_ROLE] = "assume-role",
        [AWS_CRED_WEB_IDENTITY] = "web-identity",
        [AWS_CRED_SSO] = "sso",
        [AWS_CRED_LOGIN] = "login",
        [AWS_CRED_PROCESS] = "process",
        [AWS_CRED_CONTAINER] = "container",
        [AWS_CRED_IMDS] = "imds",
};

const char *
aws_cred_kind_name(enum aws_cred_kind kind)
{
	if ((size_t)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

static void
step_release(struct aws_cred_step *s)
{
	aws_credentials_release(&s->creds);
	free(s->profile);
	free(s->origin);
	free(s->role_arn);
	free(s->role_session_name);
	free(s->external_id);
	free(s->mfa_serial);
	free(s->token_file);
	free(s->sso_start_url);
	free(s->sso_region);
	free(s->sso_account_id);
	free(s->sso_role_name);
	free(s->sso_session);
	free(s->login_session);
	free(s->command);
	free(s->url);
	free_secret(s->auth_token);
	free(s->auth_token_file);
	memset(s, 0, sizeof(*s));
}

void
aws_cred_plan_release(struct aws_cred_plan *plan)
{
	size_t i;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->n_steps; i++)
		step_release(&plan->steps[i]);
	free(plan->steps);
	memset(plan, 0, sizeof(*plan));
}

/* The state of one aws_cred_plan_build(). */
struct planner {
	const struct aws_config *cfg;
	const char *top; /* the profile asked for: settings (IMDS, ...) come from it */
	struct aws_cred_plan *plan;
	const char *visited[MAX_CHAIN];
	size_t n_visited;
	bool oom;
	struct irsa_error *err;
};

/* strdup that remembers a failure in the planner; NULL stays NULL. */
static char *
pdup(struct planner *pl, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	if (p == NULL)
		pl->oom = true;
	return p;
}

static struct aws_cred_step *
step_add(struct planner *pl, enum aws_cred_kind kind, const char *profile, const char *origin)
{
	struct aws_cred_plan *plan = pl->plan;
	struct aws_cred_step *v = realloc(plan->steps, (plan->n_steps + 1) * sizeof(*v));

	if (v == NULL) {
		pl->oom = true;
		return NULL;
	}
	plan->steps = v;
	v = &plan->steps[plan->n_steps++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->profile = pdup(pl, profile);
	v->origin = pdup(pl, origin);
	return v;
}

/* A setting as botocore's config store reads it: environment, then the
 * profile in use. */
static const char *
setting(struct planner *pl, const char *env, const char *key)
{
	const char *v = env != NULL ? getenv(env) : NULL;

	return v != NULL ? v : aws_config_get(pl->cfg, pl->top, key);
}

static const char *
prof(struct planner *pl, const char *profile, const char *key)
{
	return aws_config_get(pl->cfg, profile, key);
}

static bool
has_static_keys(struct planner *pl, const char *profile)
{
	return prof(pl, profile, "aws_access_key_id") != NULL || prof(pl, profile, "aws_secret_access_key") != NULL;
}

/* botocore's _has_assume_role_config_vars. */
static bool
has_role(struct planner *pl, const char *profile)
{
	return prof(pl, profile, "role_arn") != NULL && prof(pl, profile, "web_identity_token_file") == NULL;
}

/* EnvProvider. Returns 1 (step added), 0 (no AWS_ACCESS_KEY_ID) or -1. */
static int
plan_env(struct planner *pl, const char *profile)
{
	const char *akid = env_get("AWS_ACCESS_KEY_ID"), *secret = env_get("AWS_SECRET_ACCESS_KEY");
	const char *token = env_get("AWS_SECURITY_TOKEN"), *expiry = env_get("AWS_CREDENTIAL_EXPIRATION");
	struct aws_cred_step *s;

	if (akid == NULL)
		return 0;
	if (secret == NULL) {
		irsa_error_set(pl->err, IRSA_ERR_AUTH, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
		return irsa_error_hint(pl->err, "Set both, or unset AWS_ACCESS_KEY_ID to use a profile.");
	}
	if (token == NULL)
		token = env_get("AWS_SESSION_TOKEN");
	s = step_add(pl, AWS_CRED_ENV, profile, "environment");
	if (s == NULL)
		return -1;
	if (credentials_set(&s->creds, akid, secret, token, env_get("AWS_ACCOUNT_ID")) != 0) {
		pl->oom = true;
		return -1;
	}
	if (expiry != NULL && aws_parse_time(expiry, &s->creds.expiration) != 0) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "AWS_CREDENTIAL_EXPIRATION \"%s\" is not a time",
		               expiry);
		return irsa_error_hint(pl->err, "Use ISO 8601, e.g. 2030-01-01T00:00:00Z, or unset it.");
	}
	return 1;
}

/* Static keys of one section (SharedCredentialProvider, ConfigProvider). */
static int
plan_static(struct planner *pl, const char *profile, const struct section *sec, const char *origin)
{
	const struct kv *akid, *secret, *token;
	struct aws_cred_step *s;

	if (sec == NULL || (akid = section_find(sec, "aws_access_key_id")) == NULL)
		return 0;
	secret = section_find(sec, "aws_secret_access_key");
	if (secret == NULL) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" in %s has aws_access_key_id but no aws_secret_access_key", profile,
		               origin);
		return irsa_error_hint(
		        pl->err, "Add aws_secret_access_key to the profile (aws configure --profile %s).", profile);
	}
	token = section_find(sec, "aws_security_token");
	if (token == NULL)
		token = section_find(sec, "aws_session_token");
	s = step_add(pl, AWS_CRED_STATIC, profile, origin);
	if (s == NULL)
		return -1;
	if (credentials_set(&s->creds, akid->value, secret->value, token != NULL ? token->value : NULL,
	                    section_find(sec, "aws_account_id") ? section_find(sec, "aws_account_id")->value : NULL) !=
	    0) {
		pl->oom = true;
		return -1;
	}
	return 1;
}

static int
plan_web_identity(struct planner *pl, const char *profile, bool disable_env)
{
	const char *file = disable_env ? NULL : getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *arn = disable_env ? NULL : getenv("AWS_ROLE_ARN");
	const char *name = disable_env ? NULL : getenv("AWS_ROLE_SESSION_NAME");
	bool from_env = file != NULL;
	struct aws_cred_step *s;

	if (file == NULL)
		file = prof(pl, profile, "web_identity_token_file");
	if (file == NULL || *file == '\0')
		return 0;
	if (arn == NULL)
		arn = prof(pl, profile, "role_arn");
	if (name == NULL)
		name = prof(pl, profile, "role_session_name");
	if (arn == NULL || *arn == '\0') {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" is set up for web identity (%s) but has no role ARN", profile,
		               from_env ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "web_identity_token_file");
		return irsa_error_hint(pl->err, "Set role_arn in the profile or AWS_ROLE_ARN in the environment.");
	}
	s = step_add(pl, AWS_CRED_WEB_IDENTITY, profile, from_env ? "environment" : pl->cfg->config.path);
	if (s == NULL)
		return -1;
	s->token_file = pdup(pl, file);
	s->role_arn = pdup(pl, arn);
	s->role_session_name = pdup(pl, name);
	return 1;
}

static int
plan_sso(struct planner *pl, const char *profile)
{
	static const char *const keys[] = {"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"};
	const char *val[4], *session = prof(pl, profile, "sso_session");
	const struct section *ss = NULL;
	char missing[160] = "";
	struct aws_cred_step *s;
	size_t i;

	if (prof(pl, profile, "sso_role_name") == NULL && prof(pl, profile, "sso_account_id") == NULL)
		return 0;
	if (session != NULL) {
		ss = ref_map_get(&pl->cfg->sso_sessions, session);
		if (ss == NULL) {
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "profile \"%s\" names sso_session \"%s\", which is not in %s", profile, session,
			               pl->cfg->config.path);
			return irsa_error_hint(pl->err, "Add [sso-session %s] (aws configure sso-session).", session);
		}
		for (i = 0; i < ss->n_kv; i++) {
			const char *pv = prof(pl, profile, ss->kv[i].key);

			if (pv != NULL && strcmp(pv, ss->kv[i].value) != 0) {
				irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
				               "%s differs between profile \"%s\" (%s) and sso-session \"%s\" (%s)",
				               ss->kv[i].key, profile, pv, session, ss->kv[i].value);
				return irsa_error_hint(pl->err, "Remove %s from the profile; the sso-session sets it.",
				                       ss->kv[i].key);
			}
		}
	}
	for (i = 0; i < 4; i++) {
		const struct kv *kv = ss != NULL ? section_find(ss, keys[i]) : NULL;

		val[i] = kv != NULL ? kv->value : prof(pl, profile, keys[i]);
		if (val[i] == NULL)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
			         *missing ? ", " : "", keys[i]);
	}
	if (*missing != '\0') {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "profile \"%s\" is set up for SSO but is missing: %s",
		               profile, missing);
		return irsa_error_hint(pl->err, "Run aws configure sso --profile %s, or add the keys.", profile);
	}
	s = step_add(pl, AWS_CRED_SSO, profile, pl->cfg->config.path);
	if (s == NULL)
		return -1;
	s->sso_role_name = pdup(pl, val[0]);
	s->sso_account_id = pdup(pl, val[1]);
	s->sso_start_url = pdup(pl, val[2]);
	s->sso_region = pdup(pl, val[3]);
	s->sso_session = pdup(pl, session);
	return 1;
}

/* ProfileProviderBuilder.providers(): the providers that read only the
 * profile, in botocore's order. */
static int
plan_profile(struct planner *pl, const char *profile, bool disable_env)
{
	const char *v;
	int r;

	if ((r = plan_web_identity(pl, profile, disable_env)) != 0)
		return r;
	if ((r = plan_sso(pl, profile)) != 0)
		return r;
	if ((r = plan_static(pl, profile, ref_map_get_raw_credentials(pl->cfg, profile), pl->cfg->credentials.path)) !=
	    0)
		return r;
	if ((v = prof(pl, profile, "login_session")) != NULL) {
		struct aws_cred_step *s = step_add(pl, AWS_CRED_LOGIN, profile, pl->cfg->config.path);

		if (s == NULL)
			return -1;
		s->login_session = pdup(pl, v);
		return 1;
	}
	if ((v = prof(pl, profile, "credential_process")) != NULL) {
		struct aws_cred_step *s = step_add(pl, AWS_CRED_PROCESS, profile, pl->cfg->config.path);

		if (s == NULL)
			return -1;
		s->command = pdup(pl, v);
		return 1;
	}
	return plan_static(pl, profile, ref_map_get(&pl->cfg->config_profiles, profile), pl->cfg->config.path);
}

/* botocore's ContainerMetadataFetcher._validate_allowed_url: https, or a
 * loopback address, or one of the container hosts. */
static bool
container_url_allowed(const char *url)
{
	static const char *const hosts[] = {"169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"};
	char host[256];
	const char *h, *e;
	unsigned char addr[16];
	size_t i, n;

	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	if (strncasecmp(url, "http://", 7) != 0)
		return false;
	h = url + 7;
	if ((e = strpbrk(h, "/?#")) == NULL)
		e = h + strlen(h);
	if (memchr(h, '@', (size_t)(e - h)) != NULL)
		h = (const char *)memchr(h, '@', (size_t)(e - h)) + 1;
	if (*h == '[') {
		const char *close = memchr(h, ']', (size_t)(e - h));

		if (close == NULL)
			return false;
		h++;
		e = close;
	} else {
		const char *colon = memchr(h, ':', (size_t)(e - h));

		if (colon != NULL)
			e = colon;
	}
	n = (size_t)(e - h);
	if (n == 0 || n >= sizeof(host))
		return false;
	for (i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[n] = '\0';
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strcmp(host, hosts[i]) == 0)
			return true;
	if (inet_pton(AF_INET, host, addr) == 1)
		return addr[0] == 127;
	if (inet_pton(AF_INET6, host, addr) == 1)
		return IN6_IS_ADDR_LOOPBACK((struct in6_addr *)addr);
	return false;
}

/* ContainerProvider: only when one of its variables is set. */
static int
plan_container(struct planner *pl, const char *profile)
{
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *token = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	const char *token_file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	struct aws_cred_step *s;
	struct buf url;

	if (rel == NULL && full == NULL)
		return 0;
	buf_init(&url, 8192);
	if (rel != NULL) {
		buf_addstr(&url, AWS_CONTAINER_RELATIVE_HOST);
		buf_addstr(&url, rel);
	} else {
		buf_addstr(&url, full);
		if (!container_url_allowed(full)) {
			buf_release(&url);
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "AWS_CONTAINER_CREDENTIALS_FULL_URI \"%s\" is neither https nor a loopback or "
			               "container host",
			               full);
			return irsa_error_hint(pl->err, "Use https, or 127.0.0.1, localhost, 169.254.170.2, "
			                                "169.254.170.23 or fd00:ec2::23.");
		}
	}
	if (token_file == NULL && token != NULL && strpbrk(token, "\r\n") != NULL) {
		buf_release(&url);
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "AWS_CONTAINER_AUTHORIZATION_TOKEN holds a line break");
		return irsa_error_hint(pl->err, "Set it to the token alone.");
	}
	s = step_add(pl, AWS_CRED_CONTAINER, profile, "environment");
	if (s == NULL || url.failed) {
		buf_release(&url);
		pl->oom = true;
		return -1;
	}
	s->url = buf_detach(&url);
	s->auth_token_file = pdup(pl, token_file);
	if (token_file == NULL && token != NULL) {
		s->auth_token = pdup(pl, token);
		redact_register(token);
	}
	s->metadata_timeout_ms = CONTAINER_TIMEOUT_MS;
	s->metadata_attempts = CONTAINER_ATTEMPTS;
	return 1;
}

static int
setting_int(struct planner *pl, const char *env, const char *key, int def, int *out)
{
	const char *v = setting(pl, env, key);
	char *end;
	long n;

	*out = def;
	if (v == NULL)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	while (is_space(*end))
		end++;
	if (errno != 0 || end == v || *end != '\0' || n < 0 || n > 3600) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "%s \"%s\" is not a whole number of seconds or attempts", key, v);
		return irsa_error_hint(pl->err, "Set %s (or %s) to a small whole number, e.g. 1.", env, key);
	}
	*out = (int)n;
	return 0;
}

/* InstanceMetadataProvider, unless AWS_EC2_METADATA_DISABLED=true. */
static int
plan_imds(struct planner *pl, const char *profile)
{
	const char *endpoint, *mode;
	struct aws_cred_step *s;
	int timeout, attempts;

	if (aws_config_is_true(getenv("AWS_EC2_METADATA_DISABLED")))
		return 0;
	endpoint = setting(pl, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint");
	mode = setting(pl, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode");
	if (mode != NULL && strcasecmp(mode, "ipv4") != 0 && strcasecmp(mode, "ipv6") != 0) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "the IMDS endpoint mode \"%s\" is neither IPv4 nor IPv6", mode);
		return irsa_error_hint(pl->err, "Set AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (or "
		                                "ec2_metadata_service_endpoint_mode) to IPv4 or IPv6.");
	}
	if (setting_int(pl, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", 1, &timeout) != 0 ||
	    setting_int(pl, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", 1, &attempts) != 0)
		return -1;
	if (endpoint == NULL)
		endpoint = mode != NULL && strcasecmp(mode, "ipv6") == 0 ? AWS_IMDS_DEFAULT_ENDPOINT_V6
		                                                         : AWS_IMDS_DEFAULT_ENDPOINT;
	s = step_add(pl, AWS_CRED_IMDS, profile, "instance metadata");
	if (s == NULL)
		return -1;
	s->url = pdup(pl, endpoint);
	if (s->url != NULL) {
		size_t n = strlen(s->url);

		while (n > 0 && s->url[n - 1] == '/')
			s->url[--n] = '\0';
	}
	s->imds_v1_disabled =
	        aws_config_is_true(setting(pl, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled"));
	s->metadata_timeout_ms = timeout * 1000;
	s->metadata_attempts = attempts;
	return 1;
}

/* The chain so far, for a cycle message: "a -> b -> a". */
static void
chain_text(struct planner *pl, const char *last, char *out, size_t outsz)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < pl->n_visited && n < outsz; i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s -> ", pl->visited[i]);
	if (n < outsz)
		snprintf(out + n, outsz - n, "%s", last);
}

static int plan_role(struct planner *pl, const char *profile);

/* The credentials a role profile starts from: its source_profile (followed)
 * or its credential_source (botocore _resolve_source_credentials). */
static int
plan_role_source(struct planner *pl, const char *profile)
{
	const char *src = prof(pl, profile, "source_profile"), *cs = prof(pl, profile, "credential_source");
	char chain[400];
	int r;

	if (src != NULL && cs != NULL) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" has both source_profile and credential_source", profile);
		return irsa_error_hint(pl->err, "Keep one of them in [profile %s].", profile);
	}
	if (src == NULL && cs == NULL) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "profile \"%s\" has role_arn but neither source_profile nor credential_source", profile);
		return irsa_error_hint(pl->err,
		                       "Add source_profile = <a profile with credentials>, or "
		                       "credential_source = Environment, Ec2InstanceMetadata or EcsContainer.");
	}
	if (cs != NULL) {
		if (strcmp(cs, "Environment") == 0)
			r = plan_env(pl, profile);
		else if (strcmp(cs, "EcsContainer") == 0)
			r = plan_container(pl, profile);
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			r = plan_imds(pl, profile);
		else {
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "credential_source \"%s\" in profile \"%s\" is not valid", cs, profile);
			return irsa_error_hint(pl->err,
			                       "Use Environment, Ec2InstanceMetadata or EcsContainer (the case "
			                       "matters).");
		}
		if (r == 0) {
			irsa_error_set(pl->err, IRSA_ERR_AUTH,
			               "no credentials found in credential_source %s referenced in profile \"%s\"", cs,
			               profile);
			return irsa_error_hint(pl->err, strcmp(cs, "Environment") == 0
			                                        ? "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
			                                : strcmp(cs, "EcsContainer") == 0
			                                        ? "Set AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or "
			                                          "AWS_CONTAINER_CREDENTIALS_FULL_URI (ECS or EKS Pod "
			                                          "Identity set them)."
			                                        : "Unset AWS_EC2_METADATA_DISABLED.");
		}
		return r;
	}
	if (!aws_config_has_profile(pl->cfg, src)) {
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
		               "the source_profile \"%s\" named in profile \"%s\" does not exist", src, profile);
		return irsa_error_hint(pl->err, "Add [profile %s] with credentials, or fix source_profile.", src);
	}
	for (size_t i = 0; i < pl->n_visited; i++) {
		if (strcmp(pl->visited[i], src) != 0)
			continue;
		/* A profile may name itself to take its own static keys. */
		if (strcmp(src, profile) == 0 && has_static_keys(pl, src))
			break;
		chain_text(pl, src, chain, sizeof(chain));
		irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT, "source_profile loop: %s", chain);
		return irsa_error_hint(pl->err, "Make the last profile of the chain hold credentials instead of "
		                                "naming an earlier one.");
	}
	if (pl->n_visited == MAX_CHAIN) {
		irsa_error_set(pl->err, IRSA_ERR_LIMIT, "more than %d profiles chained by source_profile from \"%s\"",
		               MAX_CHAIN, pl->visited[0]);
		return irsa_error_hint(pl->err, "Shorten the chain.");
	}
	pl->visited[pl->n_visited++] = src;
	if (has_static_keys(pl, src) || !has_role(pl, src)) {
		r = plan_profile(pl, src, true);
		if (r == 0) {
			irsa_error_set(pl->err, IRSA_ERR_INVALID_INPUT,
			               "the source profile \"%s\" must have credentials", src);
			return irsa_error_hint(pl->err,
			                       "Give [profile %s] keys, a role, SSO, web identity or a "
			                       "credential_process.",
			                       src);
		}
		return r;
	}
	return plan_role(pl, src);
}

/* AssumeRoleProvider: the source, then this profile's AssumeRole. */
static int
plan_role(struct planner *pl, const char *profile)
{
	const char *dur = prof(pl, profile, "duration_seconds");
	struct aws_cred_step *s;
	int r;

	r = plan_role_source(pl, profile);
	if (r <= 0)
		return r;
	s = step_add(pl, AWS_CRED_ASSUME_ROLE, profile, pl->cfg->config.path);
	if (s == NULL)
		return -1;
	s->role_arn = pdup(pl, prof(pl, profile, "role_arn"));
	s->role_session_name = pdup(pl, prof(pl, profile, "role_session_name"));
	s->external_id = pdup(pl, prof(pl, profile, "external_id"));
	s->mfa_serial = pdup(pl, prof(pl, profile, "mfa_serial"));
	if (dur != NULL) {
		char *end;
		long n = strtol(dur, &end, 10);

		/* botocore drops a duration int() cannot read. */
		if (end != dur && *end == '\0' && n > 0 && n <= INT_MAX)
			s->duration_seconds = (int)n;
	}
	return 1;
}

int
aws_cred_plan_build(const struct aws_config *cfg, const char *profile, bool explicit_flag, struct aws_cred_plan *plan,
                    struct irsa_error *err)
{
	struct planner pl;
	int r;

	memset(plan, 0, sizeof(*plan));
	memset(&pl, 0, sizeof(pl));
	pl.cfg = cfg;
	pl.top = profile;
	pl.plan = plan;
	pl.err = err;
	pl.visited[pl.n_visited++] = profile;

	r = explicit_flag ? 0 : plan_env(&pl, NULL);
	if (r == 0 && has_role(&pl, profile))
		r = plan_role(&pl, profile);
	if (r == 0)
		r = plan_profile(&pl, profile, explicit_flag);
	if (r == 0)
		r = plan_container(&pl, NULL);
	if (r == 0)
		r = plan_imds(&pl, NULL);
	if (pl.oom) {
		aws_cred_plan_release(plan);
		return oom(err);
	}
	if (r < 0) {
		aws_cred_plan_release(plan);
		return -1;
	}
	if (r == 0) {
		irsa_error_set(err, IRSA_ERR_AUTH, "no AWS credentials found for profile \"%s\"", profile);
		return irsa_error_hint(err, "Run aws configure (or aws sso login), set AWS_ACCESS_KEY_ID and "
		                            "AWS_SECRET_ACCESS_KEY, or unset AWS_EC2_METADATA_DISABLED on EC2.");
	}
	return 0;
}

/* --- credential_process --------------------------------------------------- */

int
aws_shell_split(const char *s, char ***argv, size_t *argc, struct irsa_error *err)
{
	struct buf word;
	char **v = NULL;
	size_t n = 0;
	bool in_word = false;
	char quote = 0;

	*argv = NULL;
	*argc = 0;
	buf_init(&word, strlen(s) + 1);
	for (;; s++) {
		char ch = *s;

		if (ch == '\0') {
			if (quote != 0) {
				irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no closing quotation (%c) in the command",
				               quote);
				goto fail;
			}
		} else if (quote == '\'') {
			if (ch == '\'')
				quote = 0;
			else
				buf_addch(&word, ch);
			continue;
		} else if (quote == '"') {
			if (ch == '"')
				quote = 0;
			else if (ch == '\\' && (s[1] == '"' || s[1] == '\\'))
				buf_addch(&word, *++s);
			else
				buf_addch(&word, ch);
			continue;
		} else if (ch == '\\') {
			if (s[1] == '\0') {
				irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the command ends with a lone backslash");
				goto fail;
			}
			buf_addch(&word, *++s);
			in_word = true;
			continue;
		} else if (ch == '\'' || ch == '"') {
			quote = ch;
			in_word = true;
			continue;
		} else if (!isspace((unsigned char)ch)) {
			buf_addch(&word, ch);
			in_word = true;
			continue;
		}
		/* whitespace or the end: a word ends */
		if (in_word) {
			char **nv = realloc(v, (n + 2) * sizeof(*v));

			if (nv == NULL) {
				oom(err);
				goto fail;
			}
			v = nv;
			v[n] = word.failed ? NULL : buf_detach(&word);
			if (v[n] == NULL) {
				oom(err);
				goto fail;
			}
			v[++n] = NULL;
			buf_init(&word, strlen(s) + 1);
			in_word = false;
		}
		if (ch == '\0')
			break;
	}
	buf_release(&word);
	if (v == NULL && (v = calloc(1, sizeof(*v))) == NULL)
		return oom(err);
	*argv = v;
	*argc = n;
	return 0;
fail:
	buf_release(&word);
	while (n > 0)
		free(v[--n]);
	free(v);
	return -1;
}

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* The first line of text, trimmed, for a message. */
static void
first_line(const char *text, char *out, size_t outsz)
{
	size_t n;

	while (*text == '\n' || is_space(*text))
		text++;
	n = strcspn(text, "\n");
	while (n > 0 && is_space(text[n - 1]))
		n--;
	snprintf(out, outsz, "%.*s", (int)(n > 200 ? 200 : n), text);
}

static const char *
json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Checks the helper's JSON and fills out. */
static int
process_parse(const char *profile, const char *text, struct aws_credentials *out, struct irsa_error *err)
{
	struct json_object *root, *ver;
	const char *akid, *secret, *token, *exp;
	time_t expiration = 0;
	bool ok_version;

	root = json_tokener_parse(text);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		irsa_error_set(err, IRSA_ERR_PARSE,
		               "the credential_process of profile \"%s\" did not print a JSON object", profile);
		return irsa_error_hint(err, "Run the command by hand: it must print {\"Version\": 1, \"AccessKeyId\": "
		                            "..., \"SecretAccessKey\": ...} as its only output.");
	}
	ok_version = json_object_object_get_ex(root, "Version", &ver) &&
	             ((json_object_is_type(ver, json_type_int) && json_object_get_int64(ver) == 1) ||
	              (json_object_is_type(ver, json_type_double) && json_object_get_double(ver) == 1.0));
	if (!ok_version) {
		json_object_put(root);
		irsa_error_set(
		        err, IRSA_ERR_PARSE,
		        "the credential_process of profile \"%s\" printed an unsupported Version (1 is supported)",
		        profile);
		return irsa_error_hint(err, "Make the command print \"Version\": 1.");
	}
	akid = json_str(root, "AccessKeyId");
	secret = json_str(root, "SecretAccessKey");
	token = json_str(root, "SessionToken");
	exp = json_str(root, "Expiration");
	if (secret != NULL)
		redact_register(secret);
	if (token != NULL)
		redact_register(token);
	if (akid == NULL || secret == NULL) {
		json_object_put(root);
		irsa_error_set(err, IRSA_ERR_PARSE, "the credential_process of profile \"%s\" printed no %s", profile,
		               akid == NULL ? "AccessKeyId" : "SecretAccessKey");
		return irsa_error_hint(err, "Make the command print AccessKeyId and SecretAccessKey as strings.");
	}
	if (exp != NULL && aws_parse_time(exp, &expiration) != 0) {
		irsa_error_set(err, IRSA_ERR_PARSE,
		               "the credential_process of profile \"%s\" printed an Expiration that is not a time: %s",
		               profile, exp);
		json_object_put(root);
		return irsa_error_hint(err, "Use ISO 8601, e.g. 2030-01-01T00:00:00Z.");
	}
	if (credentials_set(out, akid, secret, token, json_str(root, "AccountId")) != 0) {
		json_object_put(root);
		return oom(err);
	}
	out->expiration = expiration;
	json_object_put(root);
	return 0;
}

/* Reads the child's output and error pipes until both close or time runs out.
 * Returns 0, 1 on timeout, 2 when the output passed its cap. */
static int
process_collect(int out_fd, int err_fd, int timeout_ms, struct buf *out, struct buf *errtext)
{
	struct pollfd fds[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
	struct timespec start;
	char chunk[4096];

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		long left = timeout_ms - elapsed_ms(&start);
		int i, r;

		if (left <= 0)
			return 1;
		r = poll(fds, 2, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? 1 : 0;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fds[i].fd = -1;
				continue;
			}
			if (i == 0 && buf_add(out, chunk, (size_t)n) != 0) {
				buf_wipe(chunk, sizeof(chunk));
				return 2;
			}
			if (i == 1 && errtext->len < STDERR_KEEP)
				buf_add(errtext, chunk,
				        (size_t)n < STDERR_KEEP - errtext->len ? (size_t)n
				                                               : STDERR_KEEP - errtext->len);
		}
	}
	buf_wipe(chunk, sizeof(chunk));
	return 0;
}

int
aws_credential_process_run(const char *profile, const char *command, int timeout_ms, struct aws_credentials *out,
                           struct irsa_error *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	char **argv = NULL, line[256];
	size_t argc = 0, i;
	struct buf stdout_buf, stderr_buf;
	pid_t pid;
	int r, status = 0, collected, rc = -1;

	memset(out, 0, sizeof(*out));
	if (timeout_ms <= 0)
		timeout_ms = AWS_PROCESS_DEFAULT_TIMEOUT;
	if (aws_shell_split(command, &argv, &argc, err) != 0) {
		irsa_error_prefix(err, "credential_process of profile \"%s\"", profile);
		return irsa_error_hint(err, "Quote the command as a POSIX shell would.");
	}
	if (argc == 0) {
		free(argv);
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the credential_process of profile \"%s\" is empty",
		               profile);
		return irsa_error_hint(err, "Set credential_process to a command, or remove it.");
	}
	if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
		r = errno;
		goto spawn_failed;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	posix_spawnattr_init(&attr);
	/* Its own process group, so a timeout also stops what it started. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	r = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (r != 0)
		goto spawn_failed;
	close(out_pipe[1]);
	close(err_pipe[1]);

	buf_init(&stdout_buf, AWS_PROCESS_MAX_OUTPUT);
	buf_init(&stderr_buf, STDERR_KEEP + 1);
	collected = process_collect(out_pipe[0], err_pipe[0], timeout_ms, &stdout_buf, &stderr_buf);
	close(out_pipe[0]);
	close(err_pipe[0]);
	if (collected != 0)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	first_line(buf_cstr(&stderr_buf), line, sizeof(line));
	buf_release(&stderr_buf);

	if (collected == 1) {
		irsa_error_set(err, IRSA_ERR_AUTH,
		               "the credential_process of profile \"%s\" (%s) did not finish within %d s", profile,
		               argv[0], timeout_ms / 1000);
		irsa_error_hint(err, "Run the command by hand; if it waits for input (MFA, a browser), finish that "
		                     "first.");
	} else if (collected == 2) {
		irsa_error_set(err, IRSA_ERR_LIMIT,
		               "the credential_process of profile \"%s\" printed more than %d bytes", profile,
		               AWS_PROCESS_MAX_OUTPUT);
		irsa_error_hint(err, "Make it print only the credentials JSON.");
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status))
			irsa_error_set(err, IRSA_ERR_AUTH,
			               "the credential_process of profile \"%s\" (%s) exited with %d%s%s", profile,
			               argv[0], WEXITSTATUS(status), *line ? ": " : "", line);
		else
			irsa_error_set(err, IRSA_ERR_AUTH,
			               "the credential_process of profile \"%s\" (%s) was killed by "
			               "signal %d%s%s",
			               profile, argv[0], WTERMSIG(status), *line ? ": " : "", line);
		irsa_error_hint(err, "Run the command by hand to see why it fails.");
	} else {
		rc = process_parse(profile, buf_cstr(&stdout_buf), out, err);
	}
	buf_release_secure(&stdout_buf);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;

spawn_failed:
	for (i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "cannot run the credential_process of profile \"%s\" (%s): %s",
	               profile, argv[0], strerror(r));
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return irsa_error_hint(err, "Check the command in credential_process: it runs without a shell, found on "
	                            "PATH or by its full path.");
}

/* --- the SSO token cache ---------------------------------------------------- */

int
aws_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	const char *p;
	int off = 0;

	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (strncmp(p, "UTC", 3) == 0)
		p += 3;
	else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
		int sign = *p == '-' ? -1 : 1, h = (p[1] - '0') * 10 + (p[2] - '0'), m = 0;

		p += 3;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
			m = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
		off = sign * (h * 3600 + m * 60);
	} else if (*p != '\0')
		return -1;
	if (*p != '\0')
		return -1;
	*out = timegm(&tm) - off;
	return 0;
}

void
aws_sso_token_release(struct aws_sso_token *t)
{
	if (t == NULL)
		return;
	free_secret(t->access_token);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

static int
sso_login_hint(struct irsa_error *err, const char *profile)
{
	return irsa_error_hint(err, "Run: aws sso login --profile %s", profile);
}

int
aws_sso_token_load(const char *profile, const char *start_url, const char *sso_session, time_t now,
                   struct aws_sso_token *out, struct irsa_error *err)
{
	const char *key = sso_session != NULL ? sso_session : start_url;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0, i;
	char hex[2 * EVP_MAX_MD_SIZE + 1], *dir;
	struct json_object *root;
	const char *tok, *exp;
	struct buf path, data;
	int r;

	memset(out, 0, sizeof(*out));
	if (key == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "profile \"%s\" has no sso_session or sso_start_url",
		                      profile);
	if (EVP_Digest(key, strlen(key), md, &md_len, EVP_sha1(), NULL) != 1)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "SHA-1 failed");
	for (i = 0; i < md_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	dir = aws_expand_path("~/.aws/sso/cache");
	buf_init(&path, PATH_MAX);
	buf_printf(&path, "%s/%s.json", dir != NULL ? dir : "", hex);
	free(dir);
	if (path.failed) {
		buf_release(&path);
		return oom(err);
	}
	out->path = buf_detach(&path);
	if (out->path == NULL)
		return oom(err);
	r = file_read(out->path, &data, err);
	if (r < 0) {
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	if (r == 0) {
		irsa_error_set(err, IRSA_ERR_AUTH, "no SSO token for profile \"%s\" (%s is missing)", profile,
		               out->path);
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	root = json_tokener_parse(buf_cstr(&data));
	buf_release_secure(&data);
	tok = root != NULL ? json_str(root, "accessToken") : NULL;
	exp = root != NULL ? json_str(root, "expiresAt") : NULL;
	if (tok == NULL || exp == NULL || aws_parse_time(exp, &out->expires_at) != 0) {
		irsa_error_set(err, IRSA_ERR_AUTH,
		               "the SSO token cache %s for profile \"%s\" lacks accessToken or expiresAt", out->path,
		               profile);
		json_object_put(root);
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	redact_register(tok);
	out->access_token = strdup(tok);
	json_object_put(root);
	if (out->access_token == NULL) {
		aws_sso_token_release(out);
		return oom(err);
	}
	if (now == 0)
		now = time(NULL);
	if (out->expires_at <= now) {
		irsa_error_set(err, IRSA_ERR_AUTH, "the SSO session of profile \"%s\" has expired", profile);
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	return 0;
}
