/* tests/unit/test_journal.c - the apply journal on disk: a create, record
 * and reopen round trip, the file and directory modes, names (sanitised
 * hints, collisions), the XDG state directory (a relative XDG_STATE_HOME
 * ignored), the newest journal found by name, a failed rewrite that leaves
 * the previous file and memory as they were, damaged journals refused with
 * a message naming the field, and links never followed. Each test runs in
 * a temporary directory of its own, with HOME and XDG_STATE_HOME pointed
 * there. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "error.h"
#include "journal.h"

#define T0 ((time_t)1735830245) /* 2025-01-02T15:04:05Z */

static const char *const saved_vars[] = {"HOME", "XDG_STATE_HOME"};
#define N_SAVED (sizeof(saved_vars) / sizeof(saved_vars[0]))

struct env {
	char dir[PATH_MAX / 2];
	char *saved[N_SAVED];
	int had[N_SAVED];
};

static int
setup(void **state)
{
	struct env *t = calloc(1, sizeof(*t));
	const char *tmp = getenv("TMPDIR");
	size_t i;

	if (t == NULL)
		return -1;
	for (i = 0; i < N_SAVED; i++) {
		const char *v = getenv(saved_vars[i]);

		t->had[i] = v != NULL;
		t->saved[i] = v != NULL ? strdup(v) : NULL;
	}
	snprintf(t->dir, sizeof(t->dir), "%s/irsa-journal-XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	setenv("HOME", t->dir, 1);
	unsetenv("XDG_STATE_HOME");
	*state = t;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	if (S_ISDIR(st->st_mode))
		chmod(path, 0700);
	return remove(path);
}

/* Directories made read-only by a test become writable again first. */
static int
chmod_dirs(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	if (S_ISDIR(st->st_mode))
		chmod(path, 0700);
	return 0;
}

static int
teardown(void **state)
{
	struct env *t = *state;
	size_t i;

	nftw(t->dir, chmod_dirs, 16, FTW_PHYS);
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < N_SAVED; i++) {
		if (t->had[i])
			setenv(saved_vars[i], t->saved[i], 1);
		else
			unsetenv(saved_vars[i]);
		free(t->saved[i]);
	}
	free(t);
	return 0;
}

/* dir/name into out. */
static const char *
at(const struct env *t, const char *name, char *out, size_t outsz)
{
	if ((size_t)snprintf(out, outsz, "%s/%s", t->dir, name) >= outsz)
		fail_msg("path too long: %s/%s", t->dir, name);
	return out;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)len + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return s;
}

static void
spew(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (hay == NULL || strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay != NULL ? hay : "(null)", needle);
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static struct json_object *
plan_obj(void)
{
	struct json_object *p = json_tokener_parse(
	        "{\"cluster\": \"shop-prod\", \"ns\": \"orders\", \"sa\": \"orders-api\", "
	        "\"role_arn\": \"arn:aws:iam::123456789012:role/x\", \"steps\": [{\"kind\": \"sa-annotate\"}]}");

	assert_non_null(p);
	return p;
}

static struct journal *
make(const char *dir, const char *hint, time_t now, size_t n)
{
	struct json_object *plan = plan_obj();
	struct journal *j = NULL;
	struct irsa_error err;

	if (journal_create(dir, hint, plan, n, now, &j, &err) != 0)
		fail_msg("journal_create: %s", err.message);
	json_object_put(plan);
	return j;
}

/* --- round trip ------------------------------------------------------------- */

static void
test_round_trip(void **state)
{
	struct env *t = *state;
	struct json_object *plan = plan_obj(), *before, *after, *file;
	struct journal *j, *r;
	const struct journal_entry *e;
	struct irsa_error err;
	char dir[PATH_MAX / 2], want[PATH_MAX], *text;

	at(t, "j", dir, sizeof(dir));
	assert_int_equal(journal_create(dir, "orders/orders-api", plan, 3, T0, &j, &err), 0);
	json_object_put(plan); /* the journal holds its own reference */
	snprintf(want, sizeof(want), "%s/20250102T150405Z-orders-orders-api.json", dir);
	assert_string_equal(journal_path(j), want);
	assert_int_equal(journal_steps(j), 3);
	assert_int_equal(journal_state(j), JOURNAL_STATE_APPLYING);
	assert_int_equal(journal_created(j), T0);
	assert_string_equal(json_object_get_string(json_object_object_get(journal_plan(j), "sa")), "orders-api");
	assert_int_equal(journal_entry(j, 0)->status, JOURNAL_PENDING);
	assert_null(journal_entry(j, 3));

	/* the file as created: every field, pretty-printed, slashes as they are */
	text = slurp(journal_path(j));
	assert_contains(text, "\n  \"apiVersion\": \"irsa.dev/v1\"");
	assert_contains(text, "arn:aws:iam::123456789012:role/x");
	file = json_tokener_parse(text);
	assert_non_null(file);
	assert_string_equal(json_object_get_string(json_object_object_get(file, "kind")), "Journal");
	assert_string_equal(json_object_get_string(json_object_object_get(file, "created")), "2025-01-02T15:04:05Z");
	assert_string_equal(json_object_get_string(json_object_object_get(file, "state")), "applying");
	assert_null(json_object_object_get(file, "updated"));
	assert_int_equal(json_object_array_length(json_object_object_get(file, "steps")), 3);
	assert_string_equal(
	        json_object_to_json_string(json_object_array_get_idx(json_object_object_get(file, "steps"), 2)),
	        "{ \"status\": \"pending\" }");
	json_object_put(file);
	free(text);

	/* step 0: started with the object before, then done with the one after */
	before = json_tokener_parse("{\"metadata\": {\"name\": \"orders-api\", \"uid\": \"u-1\"}}");
	after = json_tokener_parse("{\"metadata\": {\"name\": \"orders-api\", \"uid\": \"u-1\", \"annotations\": "
	                           "{\"eks.amazonaws.com/role-arn\": \"arn:aws:iam::123456789012:role/x\"}}}");
	assert_int_equal(journal_record(j, 0, JOURNAL_STARTED, before, NULL, NULL, T0 + 1, &err), 0);
	assert_int_equal(journal_record(j, 0, JOURNAL_DONE, NULL, after, NULL, T0 + 2, &err), 0);
	json_object_put(before);
	json_object_put(after);
	e = journal_entry(j, 0);
	assert_int_equal(e->status, JOURNAL_DONE);
	assert_non_null(e->before); /* kept from the first record */
	assert_non_null(e->after);
	assert_int_equal(e->at, T0 + 2);
	/* step 1 failed with a reason; step 2 skipped; then the run failed */
	assert_int_equal(journal_record(j, 1, JOURNAL_FAILED, NULL, NULL, "AccessDenied: iam:CreateRole", T0 + 3, &err),
	                 0);
	assert_int_equal(journal_record(j, 2, JOURNAL_SKIPPED, NULL, NULL, NULL, T0 + 3, &err), 0);
	assert_int_equal(journal_set_state(j, JOURNAL_STATE_FAILED, T0 + 4, &err), 0);
	/* out of range and unknown values are refused */
	assert_int_equal(journal_record(j, 3, JOURNAL_DONE, NULL, NULL, NULL, T0, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INTERNAL);
	assert_int_equal(journal_set_state(j, (enum journal_state)42, T0, &err), -1);

	assert_int_equal(journal_open(want, &r, &err), 0);
	assert_string_equal(journal_path(r), want);
	assert_int_equal(journal_steps(r), 3);
	assert_int_equal(journal_state(r), JOURNAL_STATE_FAILED);
	assert_int_equal(journal_created(r), T0);
	assert_true(json_object_equal(journal_plan(r), journal_plan(j)));
	e = journal_entry(r, 0);
	assert_int_equal(e->status, JOURNAL_DONE);
	assert_int_equal(e->at, T0 + 2);
	assert_null(e->error);
	assert_true(json_object_equal(e->before, journal_entry(j, 0)->before));
	assert_true(json_object_equal(e->after, journal_entry(j, 0)->after));
	e = journal_entry(r, 1);
	assert_int_equal(e->status, JOURNAL_FAILED);
	assert_string_equal(e->error, "AccessDenied: iam:CreateRole");
	assert_null(e->before);
	assert_int_equal(journal_entry(r, 2)->status, JOURNAL_SKIPPED);

	/* a reopened journal carries on: roll step 0 back, the error kept, then cleared */
	assert_int_equal(journal_set_state(r, JOURNAL_STATE_ROLLING_BACK, T0 + 10, &err), 0);
	assert_int_equal(journal_record(r, 1, JOURNAL_ROLLED_BACK, NULL, NULL, NULL, T0 + 11, &err), 0);
	assert_string_equal(journal_entry(r, 1)->error, "AccessDenied: iam:CreateRole");
	assert_int_equal(journal_record(r, 1, JOURNAL_ROLLED_BACK, NULL, NULL, "", T0 + 11, &err), 0);
	assert_null(journal_entry(r, 1)->error);
	assert_int_equal(journal_set_state(r, JOURNAL_STATE_ROLLED_BACK, T0 + 12, &err), 0);
	journal_free(j);
	journal_free(r);
	assert_int_equal(journal_open(want, &r, &err), 0);
	assert_int_equal(journal_state(r), JOURNAL_STATE_ROLLED_BACK);
	assert_int_equal(journal_entry(r, 1)->status, JOURNAL_ROLLED_BACK);
	assert_null(journal_entry(r, 1)->error);
	text = slurp(want);
	assert_contains(text, "\"updated\": \"2025-01-02T15:04:17Z\"");
	assert_contains(text, "\"state\": \"rolled-back\"");
	free(text);
	journal_free(r);
}

static void
test_names_of_values(void **state)
{
	(void)state;
	assert_string_equal(journal_status_name(JOURNAL_PENDING), "pending");
	assert_string_equal(journal_status_name(JOURNAL_STARTED), "started");
	assert_string_equal(journal_status_name(JOURNAL_DONE), "done");
	assert_string_equal(journal_status_name(JOURNAL_FAILED), "failed");
	assert_string_equal(journal_status_name(JOURNAL_SKIPPED), "skipped");
	assert_string_equal(journal_status_name(JOURNAL_ROLLED_BACK), "rolled-back");
	assert_string_equal(journal_state_name(JOURNAL_STATE_APPLYING), "applying");
	assert_string_equal(journal_state_name(JOURNAL_STATE_ROLLBACK_FAILED), "rollback-failed");
}

/* --- modes and the directory ------------------------------------------------ */

static void
test_modes(void **state)
{
	struct env *t = *state;
	struct journal *j;
	struct irsa_error err;
	struct stat st;
	char dir[PATH_MAX / 2], p[PATH_MAX], *d;

	umask(022);
	at(t, "a/b/journal", dir, sizeof(dir));
	j = make(dir, "x", T0, 1);
	assert_int_equal(stat(journal_path(j), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(at(t, "a", p, sizeof(p)), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700); /* parents too */
	/* a rewrite keeps the mode and leaves no temporary file behind */
	assert_int_equal(journal_record(j, 0, JOURNAL_DONE, NULL, NULL, NULL, T0, &err), 0);
	assert_int_equal(stat(journal_path(j), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(p, sizeof(p), "%s/.%s.tmp", dir, base(journal_path(j)));
	assert_int_equal(access(p, F_OK), -1);
	journal_free(j);

	/* a directory others may write to is refused */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_null(journal_dir(dir, &err));
	assert_int_equal(err.kind, IRSA_ERR_IO);
	assert_contains(err.message, "may be written by others (mode 777)");
	assert_contains(err.hint, "chmod 700");
	assert_int_equal(chmod(dir, 0700), 0);
	/* so is a file in its place, and an empty name */
	spew(at(t, "plain", p, sizeof(p)), "x", 0600);
	assert_null(journal_dir(p, &err));
	assert_contains(err.message, "not a directory");
	assert_null(journal_dir("", &err));
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	d = journal_dir(dir, &err);
	assert_string_equal(d, dir);
	free(d);
}

static void
test_xdg_state_home(void **state)
{
	struct env *t = *state;
	struct irsa_error err;
	char want[PATH_MAX], xdg[PATH_MAX];
	char *d;
	struct journal *j;

	/* neither: $HOME/.local/state/irsa/journal */
	d = journal_dir(NULL, &err);
	snprintf(want, sizeof(want), "%s/.local/state/irsa/journal", t->dir);
	assert_string_equal(d, want);
	free(d);
	/* a relative XDG_STATE_HOME is ignored, as the spec says */
	setenv("XDG_STATE_HOME", "relative/state", 1);
	d = journal_dir(NULL, &err);
	assert_string_equal(d, want);
	free(d);
	assert_int_equal(access("relative", F_OK), -1);
	/* an absolute one is used */
	setenv("XDG_STATE_HOME", at(t, "xdg", xdg, sizeof(xdg)), 1);
	d = journal_dir(NULL, &err);
	snprintf(want, sizeof(want), "%s/xdg/irsa/journal", t->dir);
	assert_string_equal(d, want);
	free(d);
	/* and create, list and last default to it */
	j = make(NULL, "default-dir", T0, 0);
	snprintf(want, sizeof(want), "%s/xdg/irsa/journal/20250102T150405Z-default-dir.json", t->dir);
	assert_string_equal(journal_path(j), want);
	journal_free(j);
	assert_int_equal(journal_last(NULL, &d, &err), 0);
	assert_string_equal(d, want);
	free(d);
}

/* --- names ------------------------------------------------------------------ */

static void
test_names(void **state)
{
	struct env *t = *state;
	struct journal *a, *b, *c, *n, *s, *l;
	char dir[PATH_MAX / 2], p[PATH_MAX], hint[200], want[200];

	at(t, "j", dir, sizeof(dir));
	a = make(dir, "shop-prod/orders/orders-api", T0, 1);
	b = make(dir, "shop-prod/orders/orders-api", T0, 1);
	c = make(dir, "shop-prod/orders/orders-api", T0, 1);
	assert_string_equal(base(journal_path(a)), "20250102T150405Z-shop-prod-orders-orders-api.json");
	assert_string_equal(base(journal_path(b)), "20250102T150405Z-shop-prod-orders-orders-api-2.json");
	assert_string_equal(base(journal_path(c)), "20250102T150405Z-shop-prod-orders-orders-api-3.json");
	/* no hint; characters outside [A-Za-z0-9._-] */
	n = make(dir, NULL, T0, 1);
	assert_string_equal(base(journal_path(n)), "20250102T150405Z.json");
	s = make(dir, "a b:c/d_e.f\xc3\xa9", T0 + 1, 1);
	assert_string_equal(base(journal_path(s)), "20250102T150406Z-a-b-c-d_e.f--.json");
	/* a long hint is cut to 80 characters */
	memset(hint, 'h', 150);
	hint[150] = '\0';
	l = make(dir, hint, T0 + 2, 1);
	memset(want, 'h', 80);
	want[80] = '\0';
	snprintf(p, sizeof(p), "20250102T150407Z-%s.json", want);
	assert_string_equal(base(journal_path(l)), p);
	journal_free(a);
	journal_free(b);
	journal_free(c);
	journal_free(n);
	journal_free(s);
	journal_free(l);

	/* a name taken by a link (even a dangling one) is taken: the next is used */
	assert_int_equal(symlink("/nonexistent/elsewhere", at(t, "j/20250102T150408Z-x.json", p, sizeof(p))), 0);
	a = make(dir, "x", T0 + 3, 1);
	assert_string_equal(base(journal_path(a)), "20250102T150408Z-x-2.json");
	journal_free(a);
}

/* --- the newest -------------------------------------------------------------- */

static void
test_last_and_list(void **state)
{
	struct env *t = *state;
	struct journal *j;
	struct irsa_error err;
	char dir[PATH_MAX / 2], p[PATH_MAX], **paths, *last;
	size_t n, i;

	at(t, "j", dir, sizeof(dir));
	/* nothing yet: a missing directory, then an empty one */
	assert_int_equal(journal_last(dir, &last, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	assert_contains(err.message, dir);
	assert_contains(err.hint, "nothing to roll back");
	assert_null(last);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(journal_list(dir, &paths, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(paths);
	assert_int_equal(journal_last(dir, &last, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);

	/* created out of order; "-2" ... "-11" of one second after the plain name */
	journal_free(make(dir, "z", T0 - 86400 - 54245, 1));
	for (i = 0; i < 11; i++)
		journal_free(make(dir, "a", T0, 1));
	journal_free(make(dir, "b", T0 + 32155, 1));
	/* what is not a journal is not listed */
	spew(at(t, "j/notes.txt", p, sizeof(p)), "x", 0600);
	spew(at(t, "j/.20250109T000000Z-a.json.tmp", p, sizeof(p)), "x", 0600);
	spew(at(t, "j/2025010xT000000Z-a.json", p, sizeof(p)), "x", 0600);
	assert_int_equal(mkdir(at(t, "j/20250110T000000Z-dir.json", p, sizeof(p)), 0700), 0);
	assert_int_equal(symlink("20250102T150405Z-a.json", at(t, "j/20250111T000000Z-link.json", p, sizeof(p))), 0);

	assert_int_equal(journal_list(dir, &paths, &n, &err), 0);
	assert_int_equal(n, 13);
	assert_string_equal(base(paths[0]), "20250103T000000Z-b.json");
	for (i = 1; i <= 10; i++) { /* a-11 ... a-2: by number, not by text */
		char want[64];

		snprintf(want, sizeof(want), "20250102T150405Z-a-%zu.json", 12 - i);
		assert_string_equal(base(paths[i]), want);
	}
	assert_string_equal(base(paths[11]), "20250102T150405Z-a.json");
	assert_string_equal(base(paths[12]), "20250101T000000Z-z.json");
	snprintf(p, sizeof(p), "%s/20250103T000000Z-b.json", dir);
	assert_string_equal(paths[0], p);
	journal_paths_free(paths, n);

	assert_int_equal(journal_last(dir, &last, &err), 0);
	assert_string_equal(last, p);
	assert_int_equal(journal_open(last, &j, &err), 0);
	journal_free(j);
	free(last);
}

/* --- a failed rewrite -------------------------------------------------------- */

/* Records step 0 as failed and checks that neither file nor memory moved. */
static void
expect_unchanged(struct journal *j, const char *was, const char *why)
{
	struct irsa_error err;
	char *now;

	assert_int_equal(journal_record(j, 0, JOURNAL_FAILED, NULL, NULL, "x", T0 + 100, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_IO);
	assert_contains(err.message, journal_path(j));
	assert_contains(err.message, why);
	assert_int_equal(journal_entry(j, 0)->status, JOURNAL_DONE);
	assert_int_equal(journal_entry(j, 0)->at, T0 + 1);
	assert_null(journal_entry(j, 0)->error);
	assert_int_equal(journal_set_state(j, JOURNAL_STATE_APPLIED, T0 + 100, &err), -1);
	assert_int_equal(journal_state(j), JOURNAL_STATE_APPLYING);
	now = slurp(journal_path(j));
	assert_string_equal(now, was);
	free(now);
}

static void
test_failed_rewrite_keeps_previous(void **state)
{
	struct env *t = *state;
	struct json_object *after = json_tokener_parse("{\"v\": 1}");
	struct journal *j, *r;
	struct irsa_error err;
	char dir[PATH_MAX / 2], tmp[PATH_MAX], *was;

	at(t, "j", dir, sizeof(dir));
	j = make(dir, "keep", T0, 2);
	assert_int_equal(journal_record(j, 0, JOURNAL_DONE, NULL, after, NULL, T0 + 1, &err), 0);
	json_object_put(after);
	was = slurp(journal_path(j));

	/* the temporary file's name is taken by a directory: works as root too */
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, base(journal_path(j)));
	assert_int_equal(mkdir(tmp, 0700), 0);
	expect_unchanged(j, was, strerror(EISDIR));
	assert_int_equal(rmdir(tmp), 0);

	/* a read-only directory (root is not stopped by permissions) */
	if (geteuid() != 0) {
		assert_int_equal(chmod(dir, 0500), 0);
		expect_unchanged(j, was, strerror(EACCES));
		assert_int_equal(chmod(dir, 0700), 0);
	}

	/* once the obstacle is gone, the change goes through */
	assert_int_equal(journal_record(j, 1, JOURNAL_STARTED, NULL, NULL, NULL, T0 + 2, &err), 0);
	assert_int_equal(journal_open(journal_path(j), &r, &err), 0);
	assert_int_equal(journal_entry(r, 0)->status, JOURNAL_DONE);
	assert_int_equal(journal_entry(r, 1)->status, JOURNAL_STARTED);
	journal_free(r);
	journal_free(j);
	free(was);
}

/* --- damaged journals -------------------------------------------------------- */

static void
expect_refused(const struct env *t, const char *text, enum irsa_err kind, const char *why)
{
	struct journal *j = (struct journal *)1;
	struct irsa_error err;
	char p[PATH_MAX];

	spew(at(t, "bad.json", p, sizeof(p)), text, 0600);
	if (journal_open(p, &j, &err) != -1)
		fail_msg("accepted: %s", text);
	assert_null(j);
	if (err.kind != kind)
		fail_msg("kind %s for %s: %s", irsa_err_name(err.kind), text, err.message);
	assert_contains(err.message, p);
	assert_contains(err.message, why);
	if (kind == IRSA_ERR_PARSE)
		assert_contains(err.hint, "not safe");
}

#define HEAD "{\"apiVersion\": \"irsa.dev/v1\", \"kind\": \"Journal\", \"created\": \"2025-01-02T15:04:05Z\", "

static void
test_damaged_refused(void **state)
{
	struct env *t = *state;
	struct journal *j;
	struct irsa_error err;
	char p[PATH_MAX];
	int fd;

	/* the smallest good one, for contrast */
	spew(at(t, "good.json", p, sizeof(p)), HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": []}", 0600);
	assert_int_equal(journal_open(p, &j, &err), 0);
	assert_int_equal(journal_steps(j), 0);
	journal_free(j);

	expect_refused(t, "", IRSA_ERR_PARSE, "the file is empty");
	expect_refused(t, "{\"apiVersion\": \"irsa.dev/v1\", \"kind\": \"Jour", IRSA_ERR_PARSE, "not JSON");
	expect_refused(t, "not json", IRSA_ERR_PARSE, "not JSON");
	expect_refused(t, HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": []} trailing", IRSA_ERR_PARSE,
	               "text follows");
	expect_refused(t, "[]", IRSA_ERR_PARSE, "not a JSON object");
	expect_refused(t, "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}", IRSA_ERR_PARSE,
	               "kind is \"ConfigMap\", not \"Journal\"");
	expect_refused(t, "{\"apiVersion\": \"irsa.dev/v9\", \"kind\": \"Journal\"}", IRSA_ERR_PARSE,
	               "apiVersion is \"irsa.dev/v9\"");
	expect_refused(t, "{\"apiVersion\": \"irsa.dev/v1\", \"kind\": \"Journal\", \"state\": \"applied\"}",
	               IRSA_ERR_PARSE, "created is missing");
	expect_refused(t,
	               "{\"apiVersion\": \"irsa.dev/v1\", \"kind\": \"Journal\", \"created\": \"yesterday\", "
	               "\"state\": \"applied\"}",
	               IRSA_ERR_PARSE, "created is not an RFC 3339 time: \"yesterday\"");
	expect_refused(t, HEAD "\"plan\": {}, \"steps\": []}", IRSA_ERR_PARSE, "state is missing");
	expect_refused(t, HEAD "\"state\": \"done\", \"plan\": {}, \"steps\": []}", IRSA_ERR_PARSE,
	               "state \"done\" is not one of applying");
	expect_refused(t, HEAD "\"state\": \"applied\", \"steps\": []}", IRSA_ERR_PARSE, "plan is missing");
	expect_refused(t, HEAD "\"state\": \"applied\", \"plan\": [1], \"steps\": []}", IRSA_ERR_PARSE,
	               "plan is missing or not an object");
	expect_refused(t, HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": {}}", IRSA_ERR_PARSE,
	               "steps is missing or not an array");
	expect_refused(t, HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": [{\"status\": \"pending\"}, 7]}",
	               IRSA_ERR_PARSE, "step 1 is not an object");
	expect_refused(t, HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": [{}]}", IRSA_ERR_PARSE,
	               "steps[0].status is missing");
	expect_refused(t, HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": [{\"status\": \"maybe\"}]}",
	               IRSA_ERR_PARSE, "steps[0].status \"maybe\" is not one of pending");
	expect_refused(t, HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": [{\"status\": \"done\", \"at\": 5}]}",
	               IRSA_ERR_PARSE, "steps[0].at is not an RFC 3339 time: 5");
	expect_refused(t,
	               HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": [{\"status\": \"failed\", \"error\": "
	                    "{}}]}",
	               IRSA_ERR_PARSE, "steps[0].error is not a string");

	/* not ours to trust: written by others, not a file, too big, missing */
	spew(at(t, "open.json", p, sizeof(p)), HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": []}", 0620);
	assert_int_equal(journal_open(p, &j, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_IO);
	assert_contains(err.message, "may be written by others (mode 620)");
	assert_contains(err.hint, "chmod 600");
	assert_int_equal(journal_open(t->dir, &j, &err), -1);
	assert_contains(err.message, "not a regular file");
	fd = open(at(t, "big.json", p, sizeof(p)), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, JOURNAL_MAX_SIZE + 1), 0);
	close(fd);
	assert_int_equal(journal_open(p, &j, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	assert_contains(err.message, "larger than 16777216 bytes");
	assert_int_equal(journal_open(at(t, "missing.json", p, sizeof(p)), &j, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	/* another user's (only root can give a file away) */
	if (geteuid() == 0) {
		spew(at(t, "theirs.json", p, sizeof(p)), HEAD "\"state\": \"applied\", \"plan\": {}, \"steps\": []}",
		     0600);
		assert_int_equal(chown(p, 12345, 12345), 0);
		assert_int_equal(journal_open(p, &j, &err), -1);
		assert_int_equal(err.kind, IRSA_ERR_IO);
		assert_contains(err.message, "belongs to another user (uid 12345)");
	}
}

static void
test_symlink_refused(void **state)
{
	struct env *t = *state;
	struct journal *j, *r;
	struct irsa_error err;
	char dir[PATH_MAX / 2], link[PATH_MAX];

	at(t, "j", dir, sizeof(dir));
	j = make(dir, "real", T0, 1);
	assert_int_equal(symlink(journal_path(j), at(t, "link.json", link, sizeof(link))), 0);
	assert_int_equal(journal_open(link, &r, &err), -1);
	assert_null(r);
	assert_int_equal(err.kind, IRSA_ERR_IO);
	assert_contains(err.message, "is a symbolic link");
	assert_contains(err.message, link);
	/* the real one opens */
	assert_int_equal(journal_open(journal_path(j), &r, &err), 0);
	journal_free(r);
	journal_free(j);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_round_trip),
	        T(test_names_of_values),
	        T(test_modes),
	        T(test_xdg_state_home),
	        T(test_names),
	        T(test_last_and_list),
	        T(test_failed_rewrite_keeps_previous),
	        T(test_damaged_refused),
	        T(test_symlink_refused),
	};

	return cmocka_run_group_tests_name("journal", tests, NULL, NULL);
}
