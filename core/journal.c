/* core/journal.c - the apply journal's file: where it lives (the XDG state
 * directory, created 0700), its name (time stamp, sanitised hint, "-N" on a
 * collision), its JSON (built anew from memory at each write, pretty so a
 * human can read it), the atomic rewrite (temporary file, fsync, rename,
 * fsync of the directory) that keeps the previous version whole when
 * anything fails, and the checks a journal read back must pass before a
 * rollback trusts it. It never follows a link to a journal and never looks
 * inside the plan. No printing. */
#include "config.h"

#include "journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "aws_time.h"
#include "buf.h"
#include "jsonobj.h"

#define JSON_FLAGS      (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)
#define STAMP_LEN       16   /* "20250102T150405Z" */
#define RFC3339_LEN     21   /* "2025-01-02T15:04:05Z" and its NUL */
#define MAX_COLLISIONS  1000 /* "-2" ... "-1000" */
#define MAX_PARSE_DEPTH 128  /* a plan holds Kubernetes objects: managedFields nest deep */
#define NO_STEP         SIZE_MAX

struct journal {
	char *path;
	char *dir;
	struct json_object *plan;
	enum journal_state state;
	time_t created;
	time_t updated; /* 0 until the first change after creation */
	struct journal_entry *steps;
	size_t n;
};

static const char *const status_names[] = {
        [JOURNAL_PENDING] = "pending", [JOURNAL_STARTED] = "started", [JOURNAL_DONE] = "done",
        [JOURNAL_FAILED] = "failed",   [JOURNAL_SKIPPED] = "skipped", [JOURNAL_ROLLED_BACK] = "rolled-back",
};
#define N_STATUSES (sizeof(status_names) / sizeof(status_names[0]))

static const char *const state_names[] = {
        [JOURNAL_STATE_APPLYING] = "applying",       [JOURNAL_STATE_APPLIED] = "applied",
        [JOURNAL_STATE_FAILED] = "failed",           [JOURNAL_STATE_ROLLING_BACK] = "rolling-back",
        [JOURNAL_STATE_ROLLED_BACK] = "rolled-back", [JOURNAL_STATE_ROLLBACK_FAILED] = "rollback-failed",
};
#define N_STATES (sizeof(state_names) / sizeof(state_names[0]))

const char *
journal_status_name(enum journal_status s)
{
	return (size_t)s < N_STATUSES ? status_names[s] : "unknown";
}

const char *
journal_state_name(enum journal_state s)
{
	return (size_t)s < N_STATES ? state_names[s] : "unknown";
}

/* The index of name in names, or -1. */
static int
name_index(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

/* --- the directory -------------------------------------------------------------- */

/* mkdir -p with mode 0700 for what it creates. */
static int
mkdir_parents(char *path, struct irsa_error *err)
{
	char *p = path;

	for (;;) {
		char *slash;

		while (*p == '/')
			p++;
		slash = strchr(p, '/');
		if (slash != NULL)
			*slash = '\0';
		if (*p != '\0' && mkdir(path, 0700) != 0 && errno != EEXIST) {
			int e = errno;

			irsa_error_set(err, IRSA_ERR_IO, "cannot create the journal directory %s: %s", path,
			               strerror(e));
			if (slash != NULL)
				*slash = '/';
			return irsa_error_hint(err, "irsa writes a journal before every change it makes; check the "
			                            "directory's permissions or choose another one.");
		}
		if (slash == NULL)
			return 0;
		*slash = '/';
		p = slash + 1;
	}
}

/* Refuses a journal directory that others could write into. */
static int
check_dir(const char *path, struct irsa_error *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return irsa_error_set(err, IRSA_ERR_IO, "cannot use the journal directory %s: %s", path,
		                      strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return irsa_error_set(err, IRSA_ERR_IO, "the journal directory %s is not a directory", path);
	if (st.st_uid != geteuid()) {
		irsa_error_set(err, IRSA_ERR_IO, "the journal directory %s belongs to another user (uid %ld)", path,
		               (long)st.st_uid);
		return irsa_error_hint(err, "Use a directory of your own.");
	}
	if ((st.st_mode & 022) != 0) {
		irsa_error_set(err, IRSA_ERR_IO, "the journal directory %s may be written by others (mode %03o)", path,
		               (unsigned)(st.st_mode & 0777));
		return irsa_error_hint(err, "Run: chmod 700 %s", path);
	}
	return 0;
}

/* $HOME when absolute, else the passwd entry's home. Borrowed. */
static const char *
home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && home[0] == '/')
		return home;
	pw = getpwuid(geteuid());
	return pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

char *
journal_dir(const char *dir, struct irsa_error *err)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home;
	struct buf b;

	buf_init(&b, PATH_MAX);
	if (dir != NULL) {
		if (*dir == '\0') {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the journal directory is empty");
			return NULL;
		}
		buf_addstr(&b, dir);
	} else if (xdg != NULL && xdg[0] == '/') {
		buf_printf(&b, "%s/irsa/journal", xdg);
	} else if ((home = home_dir()) != NULL) {
		buf_printf(&b, "%s/.local/state/irsa/journal", home);
	} else {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no directory for the journal: HOME is not set");
		irsa_error_hint(err, "Set HOME or XDG_STATE_HOME.");
		return NULL;
	}
	while (b.len > 1 && b.data[b.len - 1] == '/')
		b.data[--b.len] = '\0';
	if (b.failed) {
		irsa_error_set(err, b.error == E2BIG ? IRSA_ERR_LIMIT : IRSA_ERR_INTERNAL,
		               "the journal directory's name is too long or memory ran out");
		buf_release(&b);
		return NULL;
	}
	if (mkdir_parents(b.data, err) != 0 || check_dir(b.data, err) != 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* --- writing -------------------------------------------------------------------- */

static char *
rfc3339_utc(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, outsz, "1970-01-01T00:00:00Z");
	return out;
}

static void
add_time(struct json_object *o, const char *key, time_t t)
{
	char stamp[RFC3339_LEN];

	json_object_object_add(o, key, json_object_new_string(rfc3339_utc(t, stamp, sizeof(stamp))));
}

static struct json_object *
entry_json(const struct journal_entry *e)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "status", json_object_new_string(journal_status_name(e->status)));
	if (e->at != 0)
		add_time(o, "at", e->at);
	if (e->error != NULL)
		json_object_object_add(o, "error", json_object_new_string(e->error));
	if (e->before != NULL)
		json_object_object_add(o, "before", json_object_get(e->before));
	if (e->after != NULL)
		json_object_object_add(o, "after", json_object_get(e->after));
	return o;
}

/* The file's text for j with its state and updated time replaced, and step
 * idx's record replaced by *alt (idx NO_STEP: none). Returns a new string,
 * or NULL when out of memory. */
static char *
journal_text(const struct journal *j, enum journal_state state, time_t updated, size_t idx,
             const struct journal_entry *alt)
{
	struct json_object *root = json_object_new_object(), *steps = json_object_new_array();
	const char *s;
	char *text = NULL;
	size_t i;

	if (root == NULL || steps == NULL) {
		json_object_put(root);
		json_object_put(steps);
		return NULL;
	}
	json_object_object_add(root, "apiVersion", json_object_new_string(JOURNAL_API_VERSION));
	json_object_object_add(root, "kind", json_object_new_string(JOURNAL_KIND));
	add_time(root, "created", j->created);
	if (updated != 0)
		add_time(root, "updated", updated);
	json_object_object_add(root, "state", json_object_new_string(journal_state_name(state)));
	json_object_object_add(root, "plan", json_object_get(j->plan));
	for (i = 0; i < j->n; i++) {
		struct json_object *e = entry_json(i == idx ? alt : &j->steps[i]);

		if (e == NULL || json_object_array_add(steps, e) != 0) {
			json_object_put(e);
			json_object_put(steps);
			json_object_put(root);
			return NULL;
		}
	}
	json_object_object_add(root, "steps", steps);
	s = json_object_to_json_string_ext(root, JSON_FLAGS);
	if (s != NULL && (text = malloc(strlen(s) + 2)) != NULL)
		snprintf(text, strlen(s) + 2, "%s\n", s);
	json_object_put(root);
	return text;
}

static int
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

/* fsync of a directory, so that a new or renamed entry survives a crash.
 * EINVAL: the file system cannot, which is as good as it gets. */
static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	if (rc != 0 && errno == EINVAL)
		rc = 0;
	if (rc != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* Writes text to a new file fd (named path for messages) and syncs it;
 * closes fd. */
static int
write_file(int fd, const char *path, const char *text, struct irsa_error *err)
{
	int e;

	if (fchmod(fd, 0600) == 0 && write_all(fd, text, strlen(text)) == 0 && fsync(fd) == 0) {
		if (close(fd) == 0)
			return 0;
		return irsa_error_set(err, IRSA_ERR_IO, "cannot write the journal %s: %s", path, strerror(errno));
	}
	e = errno;
	close(fd);
	return irsa_error_set(err, IRSA_ERR_IO, "cannot write the journal %s: %s", path, strerror(e));
}

/* Replaces j's file with text: a temporary file beside it, synced, renamed
 * over it, then the directory synced. Returns 0; -1 with err set when the
 * file is as it was; -2 with err set when it holds text but the directory
 * could not be synced. */
static int
replace_file(const struct journal *j, const char *text, struct irsa_error *err)
{
	const char *base = strrchr(j->path, '/');
	struct buf tmp;
	int fd, rc = -1;

	base = base != NULL ? base + 1 : j->path;
	buf_init(&tmp, PATH_MAX);
	buf_printf(&tmp, "%s/.%s.tmp", j->dir, base);
	if (tmp.failed) {
		buf_release(&tmp);
		return irsa_error_set(err, IRSA_ERR_LIMIT, "the journal's name %s is too long", j->path);
	}
	/* A temporary file left by a crash is stale: this process is the
	 * journal's only writer. */
	if (unlink(tmp.data) != 0 && errno != ENOENT) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot write the journal %s: removing %s: %s", j->path, tmp.data,
		               strerror(errno));
		irsa_error_hint(err, "Remove %s; the journal itself is unchanged.", tmp.data);
		goto out;
	}
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot write the journal %s: creating %s: %s", j->path, tmp.data,
		               strerror(errno));
		irsa_error_hint(err, "Check the permissions of %s; the journal itself is unchanged.", j->dir);
		goto out;
	}
	if (write_file(fd, tmp.data, text, err) != 0) {
		unlink(tmp.data);
		goto out;
	}
	if (rename(tmp.data, j->path) != 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot write the journal %s: renaming %s over it: %s", j->path,
		               tmp.data, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
	if (sync_dir(j->dir) != 0) {
		irsa_error_set(err, IRSA_ERR_IO,
		               "the journal %s was written, but its directory could not be synced (%s): the change "
		               "may not survive a crash",
		               j->path, strerror(errno));
		rc = -2;
	}
out:
	buf_release(&tmp);
	return rc;
}

/* "<stamp>-<hint>" with the hint sanitised and cut; "<stamp>" without one. */
static int
base_name(time_t now, const char *hint, struct buf *b)
{
	char stamp[STAMP_LEN + 1];
	struct tm tm;
	size_t i;

	if (gmtime_r(&now, &tm) == NULL || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) != STAMP_LEN)
		return -1;
	buf_addstr(b, stamp);
	if (hint != NULL && *hint != '\0')
		buf_addch(b, '-');
	for (i = 0; hint != NULL && hint[i] != '\0' && i < JOURNAL_MAX_HINT; i++) {
		char c = hint[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
		          c == '_' || c == '-';

		buf_addch(b, ok ? c : '-');
	}
	return b->failed ? -1 : 0;
}

static void
entry_release(struct journal_entry *e)
{
	json_object_put(e->before);
	json_object_put(e->after);
	free(e->error);
	memset(e, 0, sizeof(*e));
}

void
journal_free(struct journal *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->n; i++)
		entry_release(&j->steps[i]);
	free(j->steps);
	json_object_put(j->plan);
	free(j->path);
	free(j->dir);
	free(j);
}

/* A journal for n steps, all pending, in dir (taken). */
static struct journal *
journal_new(char *dir, size_t n)
{
	struct journal *j = calloc(1, sizeof(*j));

	if (j == NULL || (j->steps = calloc(n > 0 ? n : 1, sizeof(*j->steps))) == NULL) {
		free(j);
		free(dir);
		return NULL;
	}
	j->dir = dir;
	j->n = n;
	return j;
}

int
journal_create(const char *dir, const char *name_hint, struct json_object *plan, size_t n_steps, time_t now,
               struct journal **out, struct irsa_error *err)
{
	struct journal *j;
	struct buf base, path;
	char *text = NULL, *d;
	int fd = -1, k;

	*out = NULL;
	if (plan == NULL || !json_object_is_type(plan, json_type_object))
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "a journal's plan must be a JSON object");
	if ((d = journal_dir(dir, err)) == NULL)
		return -1;
	if ((j = journal_new(d, n_steps)) == NULL)
		return irsa_error_oom(err);
	j->plan = json_object_get(plan);
	j->created = now;
	j->state = JOURNAL_STATE_APPLYING;
	buf_init(&base, PATH_MAX);
	buf_init(&path, PATH_MAX);
	if (base_name(now, name_hint, &base) != 0) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "cannot name a journal for time %lld", (long long)now);
		goto fail;
	}
	for (k = 1; k <= MAX_COLLISIONS; k++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", j->dir, buf_cstr(&base));
		if (k > 1)
			buf_printf(&path, "-%d", k);
		buf_addstr(&path, ".json");
		if (path.failed) {
			irsa_error_set(err, IRSA_ERR_LIMIT, "the journal's path in %s is too long", j->dir);
			goto fail;
		}
		fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot create a journal in %s: %s", j->dir,
		               k > MAX_COLLISIONS ? "every name for this second is taken" : strerror(errno));
		irsa_error_hint(err, "irsa writes a journal before every change it makes; check the directory.");
		goto fail;
	}
	j->path = buf_detach(&path);
	text = journal_text(j, j->state, 0, NO_STEP, NULL);
	if (j->path == NULL || text == NULL) {
		close(fd);
		if (j->path != NULL)
			unlink(j->path);
		irsa_error_oom(err);
		goto fail;
	}
	if (write_file(fd, j->path, text, err) != 0) {
		unlink(j->path);
		goto fail;
	}
	if (sync_dir(j->dir) != 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot sync the journal directory %s: %s", j->dir, strerror(errno));
		unlink(j->path);
		goto fail;
	}
	free(text);
	buf_release(&base);
	*out = j;
	return 0;
fail:
	free(text);
	buf_release(&base);
	buf_release(&path);
	journal_free(j);
	return -1;
}

/* Writes j with step idx set to *alt or the state s, and keeps the change
 * in memory when the file took it. */
static int
journal_commit(struct journal *j, enum journal_state s, time_t now, size_t idx, struct journal_entry *alt,
               struct irsa_error *err)
{
	char *text = journal_text(j, s, now, idx, alt);
	int rc;

	if (text == NULL)
		return irsa_error_oom(err);
	rc = replace_file(j, text, err);
	free(text);
	if (rc == -1)
		return -1;
	j->state = s;
	j->updated = now;
	if (idx != NO_STEP) {
		struct journal_entry *e = &j->steps[idx];

		json_object_get(alt->before);
		json_object_get(alt->after);
		json_object_put(e->before);
		json_object_put(e->after);
		if (alt->error != e->error) {
			free(e->error);
			e->error = alt->error;
		}
		e->before = alt->before;
		e->after = alt->after;
		e->status = alt->status;
		e->at = alt->at;
	}
	return rc == 0 ? 0 : -1;
}

int
journal_record(struct journal *j, size_t i, enum journal_status st, struct json_object *before,
               struct json_object *after, const char *error, time_t now, struct irsa_error *err)
{
	struct journal_entry alt;
	int rc;

	if (i >= j->n)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "step %zu recorded in a journal of %zu steps", i, j->n);
	if ((size_t)st >= N_STATUSES)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown step status %d", (int)st);
	alt = j->steps[i];
	alt.status = st;
	alt.at = now;
	if (before != NULL)
		alt.before = before;
	if (after != NULL)
		alt.after = after;
	if (error != NULL) {
		alt.error = *error != '\0' ? strdup(error) : NULL;
		if (*error != '\0' && alt.error == NULL)
			return irsa_error_oom(err);
	}
	rc = journal_commit(j, j->state, now, i, &alt, err);
	if (alt.error != j->steps[i].error)
		free(alt.error); /* not taken */
	return rc;
}

int
journal_set_state(struct journal *j, enum journal_state s, time_t now, struct irsa_error *err)
{
	if ((size_t)s >= N_STATES)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "unknown journal state %d", (int)s);
	return journal_commit(j, s, now, NO_STEP, NULL, err);
}

/* --- reading -------------------------------------------------------------------- */

/* IRSA_ERR_PARSE for a journal that fails a check: what is wrong, printf-style. */
static int damaged(struct irsa_error *err, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int
damaged(struct irsa_error *err, const char *path, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	irsa_error_set(err, IRSA_ERR_PARSE, "the journal %s is not one irsa can use: %s", path, detail);
	return irsa_error_hint(err, "It was changed or cut short since irsa wrote it; rolling back from it is not "
	                            "safe. It is JSON: read it to see what was done.");
}

/* A time member: absent is fine (0) unless required. */
static int
read_time(struct json_object *o, const char *key, bool required, time_t *out, const char *path, const char *where,
          struct irsa_error *err)
{
	struct json_object *v = NULL;
	const char *s;

	*out = 0;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (required)
			return damaged(err, path, "%s%s is missing", where, key);
		return 0;
	}
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	if (s == NULL || aws_parse_time(s, out) != 0)
		return damaged(err, path, "%s%s is not an RFC 3339 time: %s", where, key,
		               json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	return 0;
}

/* A member that may hold any JSON; null reads as absent. New reference. */
static struct json_object *
any_member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) && v != NULL ? json_object_get(v) : NULL;
}

static int
read_step(struct json_object *o, size_t i, struct journal_entry *e, const char *path, struct irsa_error *err)
{
	char where[48];
	struct json_object *v = NULL;
	const char *status;
	int idx;

	snprintf(where, sizeof(where), "steps[%zu].", i);
	if (!json_object_is_type(o, json_type_object))
		return damaged(err, path, "step %zu is not an object", i);
	status = jsonobj_str(o, "status");
	if (status == NULL)
		return damaged(err, path, "%sstatus is missing or not a string", where);
	if ((idx = name_index(status_names, N_STATUSES, status)) < 0)
		return damaged(err, path,
		               "%sstatus \"%s\" is not one of pending, started, done, failed, skipped, rolled-back",
		               where, status);
	e->status = (enum journal_status)idx;
	if (read_time(o, "at", false, &e->at, path, where, err) != 0)
		return -1;
	if (json_object_object_get_ex(o, "error", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_string))
			return damaged(err, path, "%serror is not a string", where);
		if ((e->error = strdup(json_object_get_string(v))) == NULL)
			return irsa_error_oom(err);
	}
	e->before = any_member(o, "before");
	e->after = any_member(o, "after");
	return 0;
}

static int
read_journal(struct json_object *root, const char *path, struct journal *j, struct irsa_error *err)
{
	const char *api = jsonobj_str(root, "apiVersion"), *kind = jsonobj_str(root, "kind");
	const char *state = jsonobj_str(root, "state");
	struct json_object *plan = jsonobj_obj(root, "plan"), *steps = NULL;
	size_t i;
	int idx;

	if (!json_object_is_type(root, json_type_object))
		return damaged(err, path, "the document is not a JSON object");
	if (kind == NULL || strcmp(kind, JOURNAL_KIND) != 0)
		return damaged(err, path, "kind is \"%s\", not \"%s\"", kind != NULL ? kind : "", JOURNAL_KIND);
	if (api == NULL || strcmp(api, JOURNAL_API_VERSION) != 0)
		return damaged(err, path, "apiVersion is \"%s\", not \"%s\"", api != NULL ? api : "",
		               JOURNAL_API_VERSION);
	if (read_time(root, "created", true, &j->created, path, "", err) != 0 ||
	    read_time(root, "updated", false, &j->updated, path, "", err) != 0)
		return -1;
	if (state == NULL)
		return damaged(err, path, "state is missing or not a string");
	if ((idx = name_index(state_names, N_STATES, state)) < 0)
		return damaged(err, path,
		               "state \"%s\" is not one of applying, applied, failed, rolling-back, rolled-back, "
		               "rollback-failed",
		               state);
	j->state = (enum journal_state)idx;
	if (plan == NULL)
		return damaged(err, path, "plan is missing or not an object");
	j->plan = json_object_get(plan);
	if (!json_object_object_get_ex(root, "steps", &steps) || !json_object_is_type(steps, json_type_array))
		return damaged(err, path, "steps is missing or not an array");
	j->n = json_object_array_length(steps);
	free(j->steps);
	if ((j->steps = calloc(j->n > 0 ? j->n : 1, sizeof(*j->steps))) == NULL) {
		j->n = 0;
		return irsa_error_oom(err);
	}
	for (i = 0; i < j->n; i++)
		if (read_step(json_object_array_get_idx(steps, i), i, &j->steps[i], path, err) != 0)
			return -1;
	return 0;
}

/* Reads the file at path, refusing links, other users' files and files
 * others may write. */
static int
read_file(const char *path, struct buf *b, struct irsa_error *err)
{
	char chunk[8192];
	struct stat st;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return irsa_error_set(err, IRSA_ERR_NOT_FOUND, "there is no journal %s", path);
		if (errno == ELOOP) {
			irsa_error_set(err, IRSA_ERR_IO,
			               "the journal %s is a symbolic link; irsa does not follow links "
			               "to journals",
			               path);
			return irsa_error_hint(err, "Name the file it points to.");
		}
		return irsa_error_set(err, IRSA_ERR_IO, "cannot read the journal %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		irsa_error_set(err, IRSA_ERR_IO, "cannot read the journal %s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		irsa_error_set(err, IRSA_ERR_IO, "the journal %s is not a regular file", path);
	} else if (st.st_uid != geteuid()) {
		irsa_error_set(err, IRSA_ERR_IO, "the journal %s belongs to another user (uid %ld)", path,
		               (long)st.st_uid);
		irsa_error_hint(err, "irsa rolls back only from its own journals; copy it if you trust it.");
	} else if ((st.st_mode & 022) != 0) {
		irsa_error_set(err, IRSA_ERR_IO, "the journal %s may be written by others (mode %03o)", path,
		               (unsigned)(st.st_mode & 0777));
		irsa_error_hint(err, "If you trust its contents: chmod 600 %s", path);
	} else if (st.st_size > JOURNAL_MAX_SIZE) {
		irsa_error_set(err, IRSA_ERR_LIMIT, "the journal %s is larger than %d bytes", path, JOURNAL_MAX_SIZE);
	} else {
		while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 || buf_add(b, chunk, (size_t)r) != 0)
				break;
		}
		if (r == 0) {
			close(fd);
			return 0;
		}
		if (b->failed && b->error == E2BIG)
			irsa_error_set(err, IRSA_ERR_LIMIT, "the journal %s is larger than %d bytes", path,
			               JOURNAL_MAX_SIZE);
		else
			irsa_error_set(err, IRSA_ERR_IO, "cannot read the journal %s: %s", path,
			               strerror(b->failed ? b->error : errno));
	}
	close(fd);
	return -1;
}

static struct json_object *
parse_json(const struct buf *b, const char *path, struct irsa_error *err)
{
	struct json_tokener *tok = json_tokener_new_ex(MAX_PARSE_DEPTH);
	struct json_object *o;
	enum json_tokener_error e;
	size_t used, k;

	if (tok == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	o = json_tokener_parse_ex(tok, buf_cstr(b), (int)b->len);
	e = json_tokener_get_error(tok);
	used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e != json_tokener_success || o == NULL) {
		json_object_put(o);
		if (b->len == 0)
			damaged(err, path, "the file is empty");
		else
			damaged(err, path, "it is not JSON: %s",
			        e == json_tokener_continue ? "the text ends too soon" : json_tokener_error_desc(e));
		return NULL;
	}
	for (k = used; k < b->len; k++)
		if (b->data[k] != ' ' && b->data[k] != '\n' && b->data[k] != '\t' && b->data[k] != '\r') {
			json_object_put(o);
			damaged(err, path, "text follows the JSON document");
			return NULL;
		}
	return o;
}

int
journal_open(const char *path, struct journal **out, struct irsa_error *err)
{
	struct json_object *root;
	struct journal *j;
	const char *slash = strrchr(path, '/');
	char *dir;
	struct buf b;
	int rc;

	*out = NULL;
	dir = slash == NULL ? strdup(".") : slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return irsa_error_oom(err);
	if ((j = journal_new(dir, 0)) == NULL || (j->path = strdup(path)) == NULL) {
		journal_free(j);
		return irsa_error_oom(err);
	}
	buf_init(&b, JOURNAL_MAX_SIZE);
	if (read_file(path, &b, err) != 0 || (root = parse_json(&b, path, err)) == NULL) {
		buf_release(&b);
		journal_free(j);
		return -1;
	}
	buf_release(&b);
	rc = read_journal(root, path, j, err);
	json_object_put(root);
	if (rc != 0) {
		journal_free(j);
		return -1;
	}
	*out = j;
	return 0;
}

/* --- listing -------------------------------------------------------------------- */

struct found {
	char *name;
	long seq; /* 1, or N of a "-N" collision suffix */
};

/* A name journal_create() gives: "<stamp>[-<hint>][-N].json". Sets *seq. */
static bool
journal_name(const char *name, long *seq)
{
	size_t len = strlen(name), i;
	const char *dash, *end;

	if (len < STAMP_LEN + 5 || strcmp(name + len - 5, ".json") != 0)
		return false;
	for (i = 0; i < STAMP_LEN; i++) {
		bool digit = name[i] >= '0' && name[i] <= '9';

		if (i == 8 ? name[i] != 'T' : i == 15 ? name[i] != 'Z' : !digit)
			return false;
	}
	if (len != STAMP_LEN + 5 && name[STAMP_LEN] != '-')
		return false;
	*seq = 1;
	end = name + len - 5;
	for (dash = end; dash > name + STAMP_LEN && dash[-1] != '-'; dash--)
		;
	if (dash > name + STAMP_LEN && dash < end && *dash != '0') {
		long v = 0;
		const char *p;

		for (p = dash; p < end && *p >= '0' && *p <= '9' && v < 100000; p++)
			v = v * 10 + (*p - '0');
		if (p == end && v >= 2)
			*seq = v;
	}
	return true;
}

static int
newest_first(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c = strncmp(y->name, x->name, STAMP_LEN);

	if (c != 0)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? 1 : -1;
	return strcmp(y->name, x->name);
}

void
journal_paths_free(char **paths, size_t n)
{
	size_t i;

	if (paths == NULL)
		return;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static int
list_in(const char *dir, char ***paths, size_t *n, struct irsa_error *err)
{
	struct found *v = NULL;
	size_t cap = 0, count = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return irsa_error_set(err, IRSA_ERR_IO, "cannot read the journal directory %s: %s", dir,
		                      strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		long seq;

		if (!journal_name(de->d_name, &seq) || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (count == cap) {
			size_t ncap = cap > 0 ? cap * 2 : 16;
			struct found *nv = realloc(v, ncap * sizeof(*v));

			if (nv == NULL) {
				rc = irsa_error_oom(err);
				break;
			}
			v = nv;
			cap = ncap;
		}
		if ((v[count].name = strdup(de->d_name)) == NULL) {
			rc = irsa_error_oom(err);
			break;
		}
		v[count++].seq = seq;
	}
	closedir(d);
	if (rc == 0 && count > 0) {
		qsort(v, count, sizeof(*v), newest_first);
		if ((*paths = calloc(count, sizeof(**paths))) == NULL)
			rc = irsa_error_oom(err);
		for (i = 0; rc == 0 && i < count; i++) {
			struct buf p;

			buf_init(&p, PATH_MAX);
			buf_printf(&p, "%s/%s", dir, v[i].name);
			if (p.failed || ((*paths)[i] = buf_detach(&p)) == NULL) {
				buf_release(&p);
				journal_paths_free(*paths, i);
				*paths = NULL;
				rc = irsa_error_oom(err);
			}
		}
		if (rc == 0)
			*n = count;
	}
	for (i = 0; i < count; i++)
		free(v[i].name);
	free(v);
	return rc;
}

int
journal_list(const char *dir, char ***paths, size_t *n, struct irsa_error *err)
{
	char *d = NULL;
	int rc;

	*paths = NULL;
	*n = 0;
	if (dir == NULL && (d = journal_dir(NULL, err)) == NULL)
		return -1;
	rc = list_in(d != NULL ? d : dir, paths, n, err);
	free(d);
	return rc;
}

int
journal_last(const char *dir, char **path, struct irsa_error *err)
{
	char **paths;
	size_t n;

	*path = NULL;
	if (journal_list(dir, &paths, &n, err) != 0)
		return -1;
	if (n == 0) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "there is no journal in %s",
		               dir != NULL ? dir : "the journal directory");
		return irsa_error_hint(err, "irsa writes a journal at every apply; none was written here, so there "
		                            "is nothing to roll back.");
	}
	*path = paths[0];
	paths[0] = NULL;
	journal_paths_free(paths, n);
	return 0;
}

/* --- accessors ------------------------------------------------------------------ */

const char *
journal_path(const struct journal *j)
{
	return j->path;
}

struct json_object *
journal_plan(const struct journal *j)
{
	return j->plan;
}

size_t
journal_steps(const struct journal *j)
{
	return j->n;
}

const struct journal_entry *
journal_entry(const struct journal *j, size_t i)
{
	return i < j->n ? &j->steps[i] : NULL;
}

time_t
journal_created(const struct journal *j)
{
	return j->created;
}

enum journal_state
journal_state(const struct journal *j)
{
	return j->state;
}
