/* core/journal.h - the apply journal: a file irsa writes BEFORE every
 * change an apply makes, so that a failed or crashed apply can be rolled
 * back and nothing is lost. It holds the plan (an opaque JSON object: the
 * journal does not know its structure), the state of the run, and per
 * step its status, the object as it was before and after, and the error.
 *
 * One file per apply, in a directory of the user's (journal_dir()), mode
 * 0600 in a 0700 directory, pretty-printed JSON a human can read:
 *
 *   {"apiVersion": "irsa.dev/v1", "kind": "Journal",
 *    "created": "2025-01-02T15:04:05Z", "updated": "..." (after a change),
 *    "state": "applying", "plan": {...},
 *    "steps": [{"status": "done", "at": "...", "before": ..., "after": ...,
 *               "error": "..."}, {"status": "pending"}, ...]}
 *
 * Every rewrite is atomic (a temporary file in the same directory, fsync,
 * rename, fsync of the directory), so the file on disk is always one whole
 * version. Links are never followed to a journal. The journal holds no
 * credentials (plans do not). No printing. */
#ifndef IRSA_JOURNAL_H
#define IRSA_JOURNAL_H

#include <stddef.h>
#include <time.h>

#include "error.h"

struct json_object;

#define JOURNAL_API_VERSION "irsa.dev/v1"
#define JOURNAL_KIND        "Journal"
#define JOURNAL_MAX_SIZE    (16 * 1024 * 1024) /* cap on a journal file read */
#define JOURNAL_MAX_HINT    80                 /* characters of the name hint kept in the file name */

/* Where one step stands. */
enum journal_status {
	JOURNAL_PENDING,     /* not begun */
	JOURNAL_STARTED,     /* the change was about to be sent: it may or may not have happened */
	JOURNAL_DONE,        /* made */
	JOURNAL_FAILED,      /* refused or failed; error says why */
	JOURNAL_SKIPPED,     /* not needed when it came to it, or not reached */
	JOURNAL_ROLLED_BACK, /* made, then undone */
};

/* Where the whole run stands. */
enum journal_state {
	JOURNAL_STATE_APPLYING,        /* the apply is running (or crashed) */
	JOURNAL_STATE_APPLIED,         /* every step done or skipped */
	JOURNAL_STATE_FAILED,          /* the apply stopped at a failed step */
	JOURNAL_STATE_ROLLING_BACK,    /* a rollback is running (or crashed) */
	JOURNAL_STATE_ROLLED_BACK,     /* every done step undone */
	JOURNAL_STATE_ROLLBACK_FAILED, /* a rollback stopped part way */
};

/* One step's record. Everything borrowed from the journal, valid until the
 * next journal_record() of that step or journal_free(). */
struct journal_entry {
	enum journal_status status;
	struct json_object *before; /* the object before the change; NULL when not recorded */
	struct json_object *after;  /* the object after it; NULL when not recorded */
	char *error;                /* NULL when none */
	time_t at;                  /* when the step was last recorded; 0 while pending */
};

struct journal;

/* The journal directory: dir when not NULL, else $XDG_STATE_HOME/irsa/journal
 * (only when XDG_STATE_HOME is absolute, as the XDG base directory spec
 * says: a relative one is ignored), else $HOME/.local/state/irsa/journal
 * (the passwd entry's home when HOME is unset or relative). Created with
 * mode 0700 when missing, its parents too. Refused when it is not a
 * directory, is owned by another user, or others may write to it. Returns
 * a new string (the caller frees it), or NULL with err set (IRSA_ERR_IO). */
char *journal_dir(const char *dir, struct irsa_error *err);

/* Creates a new journal in dir (NULL: journal_dir(NULL)), named
 * "<now as UTC YYYYMMDDTHHMMSSZ>-<name_hint>.json", the hint's characters
 * outside [A-Za-z0-9._-] turned into '-' and cut to JOURNAL_MAX_HINT (no
 * hint, or an empty one: "<stamp>.json"); "-2", "-3", ... are added before
 * ".json" when the name is taken. The file is created exclusively (never
 * through a link), mode 0600, holding state "applying", the plan and
 * n_steps steps all "pending", and is written and fsynced (its directory
 * too) before this returns. The journal takes its own reference to plan.
 * Returns 0 and sets *out (the caller frees it with journal_free()), or -1
 * with err set and *out NULL. */
int journal_create(const char *dir, const char *name_hint, struct json_object *plan, size_t n_steps, time_t now,
                   struct journal **out, struct irsa_error *err);

/* Opens the journal at path (for a rollback or to resume one): a regular
 * file of this user's that others may not write to, read without
 * following a link, at most JOURNAL_MAX_SIZE bytes, whose structure is
 * checked (apiVersion, kind, state, plan an object, every step's status
 * and fields). Returns 0 and sets *out (the caller frees it with
 * journal_free()), or -1 with err set (IRSA_ERR_NOT_FOUND, IRSA_ERR_IO,
 * IRSA_ERR_LIMIT or IRSA_ERR_PARSE naming the path and the field) and *out
 * NULL. */
int journal_open(const char *path, struct journal **out, struct irsa_error *err);

/* The journals in dir (NULL: journal_dir(NULL)), newest first: by the
 * time stamp in the name, then by the "-N" added on a collision. Only
 * regular files named as journal_create() names them count. A missing
 * directory has none. Returns 0 and sets *paths to a new array of *n new
 * strings (dir/name; free with journal_paths_free(); NULL when *n is 0),
 * or -1 with err set. */
int journal_list(const char *dir, char ***paths, size_t *n, struct irsa_error *err);

/* Frees what journal_list() returned. paths may be NULL. */
void journal_paths_free(char **paths, size_t n);

/* The newest journal in dir (NULL: journal_dir(NULL)), as journal_list()
 * orders them. Returns 0 and sets *path (a new string the caller frees), or
 * -1 with err set: IRSA_ERR_NOT_FOUND, with a hint, when there is none. */
int journal_last(const char *dir, char **path, struct irsa_error *err);

/* The file's path. Borrowed from j. */
const char *journal_path(const struct journal *j);

/* The plan. Borrowed from j (take a reference to keep it longer). */
struct json_object *journal_plan(const struct journal *j);

/* The number of steps. */
size_t journal_steps(const struct journal *j);

/* Step i's record, or NULL when i is out of range. Borrowed from j. */
const struct journal_entry *journal_entry(const struct journal *j, size_t i);

/* When the journal was created. */
time_t journal_created(const struct journal *j);

/* Records step i: its status st, the object before and after the change
 * (either NULL: keep what the step had; else the journal takes its own
 * reference), the error text (NULL: keep what it had; "": none) and now as
 * the step's time, then rewrites the file atomically. Returns 0, or -1
 * with err set (IRSA_ERR_IO naming the path and the system's reason;
 * IRSA_ERR_INTERNAL for i out of range); then the journal is as it was,
 * in memory and on disk, except when only the final sync of the directory
 * failed (the message says so): then both hold the new version, which may
 * not survive a crash. */
int journal_record(struct journal *j, size_t i, enum journal_status st, struct json_object *before,
                   struct json_object *after, const char *error, time_t now, struct irsa_error *err);

/* Sets the run's state and rewrites the file as journal_record() does. */
int journal_set_state(struct journal *j, enum journal_state s, time_t now, struct irsa_error *err);

enum journal_state journal_state(const struct journal *j);

/* "pending", "started", "done", "failed", "skipped", "rolled-back". Static. */
const char *journal_status_name(enum journal_status s);

/* "applying", "applied", "failed", "rolling-back", "rolled-back",
 * "rollback-failed". Static. */
const char *journal_state_name(enum journal_state s);

/* Frees j (the file stays). j may be NULL. */
void journal_free(struct journal *j);

#endif
