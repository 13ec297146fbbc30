/* tui/ui.h - the terminal UI's frame: the screen stack, the keymap, the
 * loop, and what every screen may call. The frame owns the terminal
 * (term.c), the title line with breadcrumbs, the hint bar, the flash line,
 * the `/` filter prompt, the `:` command line with history, `?` help made
 * from the live keymap and `@` the action log; a screen owns the rectangle
 * between the title and the hint bar.
 *
 * One thread runs curses. Network work runs in jobs (jobs.h) whose results
 * come back to this thread through the loop, so the UI never blocks. */
#ifndef IRSA_UI_H
#define IRSA_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "jobs.h"
#include "theme.h"

struct ui;
struct screen;

/* Keys as the loop hands them to screens: getch() codes (keypad on, nl
 * mode), so Enter may come as '\n', '\r' or KEY_ENTER and Esc as 27. */
#define UI_KEY_ESC          27
#define UI_KEY_IS_ENTER(ch) ((ch) == '\n' || (ch) == '\r' || (ch) == KEY_ENTER)

/* What a screen's key handler did with a key. */
enum ui_key_result {
	UI_KEY_IGNORED, /* not mine: the frame tries its global keys */
	UI_KEY_HANDLED, /* done; redraw */
	UI_KEY_POP,     /* close this screen (Esc's default) */
};

/* One binding of a screen: shown in the hint bar (hint true) and in `?`
 * help; mutating ones are hidden and refused in read-only mode. */
struct ui_binding {
	int key;          /* a curses key code or character */
	const char *name; /* as shown: "Enter", "e", "/", "C-r" */
	const char *help; /* a few words: "bind to a role" */
	bool hint;        /* in the hint bar */
	bool mutating;    /* changes AWS or Kubernetes */
};

struct screen_ops {
	const char *name; /* for the title and `:` ("clusters", "namespaces", ...) */
	/* Called once when pushed; arg is what ui_push() was given. Returns 0,
	 * or -1 (the screen is not pushed; it flashed why). */
	int (*enter)(struct screen *s, void *arg);
	void (*leave)(struct screen *s); /* frees the screen's state */
	/* Draws in the rectangle (stdscr coordinates). */
	void (*draw)(struct screen *s, int y, int x, int h, int w);
	enum ui_key_result (*key)(struct screen *s, int ch);
	/* A job the screen started finished (jobs.h); may be NULL. */
	void (*job_done)(struct screen *s, struct job *j);
	/* The `/` filter changed (text "" clears it); may be NULL: no filter. */
	void (*filter)(struct screen *s, const char *text);
	/* "[shown/total]" counts for the title; may be NULL. */
	void (*counts)(struct screen *s, size_t *shown, size_t *total);
	const struct ui_binding *bindings; /* ended by a zeroed entry */
};

struct screen {
	const struct screen_ops *ops;
	struct ui *ui;
	char crumb[128]; /* this level's breadcrumb: "shop-prod", "orders", "orders-api" */
	void *data;      /* the screen's own state */
};

/* Where a browse screen opens: the arg of ui_push() for screen_namespaces,
 * screen_serviceaccounts and screen_sa_detail is a `const struct ui_goto *`
 * (NULL: every field NULL), borrowed during enter() only (copy what you
 * keep). screen_clusters takes NULL. The frame reads it too: it records
 * each level's context and namespace, so that `:` commands know where the
 * user is. Screens pushing one another pass it the same way.
 *
 * What the `:` commands push (the clusters screen stays at the bottom):
 *   :ctx NAME          cli->context = NAME; stack: clusters, namespaces{NAME}
 *   :ctx, :clusters    back to the clusters screen (it lists the contexts)
 *   :ns                namespaces{ctx}: the one on the stack if any, else a new one
 *   :ns NAME, :sa NAME namespaces{ctx}, then serviceaccounts{ctx, NAME}
 *   :sa                serviceaccounts{ctx, the namespace in scope, else NULL}
 *   :sa NS/NAME        namespaces{ctx}, serviceaccounts{ctx, NS}, sa_detail{ctx, NS, NAME}
 * where ctx is the context in scope (the nearest level that has one, else
 * cli->context; NULL means the kubeconfig's current context). */
struct ui_goto {
	const char *context; /* kubeconfig context; NULL: cli->context, else the current context */
	const char *ns;      /* serviceaccounts: the namespace (NULL: all); sa_detail: its namespace */
	const char *name;    /* sa_detail: the service account */
	/* An EKS cluster that no context reaches (the clusters screen pushes
	 * it): with context NULL, the cluster is reached by DescribeCluster
	 * and the built-in EKS token. NULL otherwise. */
	const char *cluster;
	const char *region;
};

/* The frame. */
struct ui *ui_new(struct cli *cli, struct irsa_error *err);
void ui_free(struct ui *ui);

/* Runs the loop until the user quits. Returns the exit status. */
int ui_run(struct ui *ui);

/* Pushes a new screen on the stack (enter() with arg). Returns 0 or -1. */
int ui_push(struct ui *ui, const struct screen_ops *ops, void *arg);
/* Pops the top screen: its jobs are cancelled (jobs_cancel_owner()), then
 * leave(). The struct screen itself stays valid until the key or event
 * being handled is done, so a screen may pop itself, though returning
 * UI_KEY_POP is the usual way. The last one is never popped: q quits. */
void ui_pop(struct ui *ui);

/* The flash line: a sentence, kept 6 s (errors until the next key). */
enum ui_flash { UI_FLASH_INFO, UI_FLASH_WARN, UI_FLASH_ERROR };
void ui_flash(struct ui *ui, enum ui_flash level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ui_flash_error(struct ui *ui, const struct irsa_error *err);

/* The action log (`@`): one line per AWS/Kubernetes call or step. Any
 * thread may call it (workers too); core's log lines at info and above
 * land there as well, and warnings and errors are also flashed. Every
 * other ui_* call belongs to the UI thread. */
void ui_log(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Asks a yes/no question in a dialog whose focus starts on Cancel; runs a
 * nested loop until answered. Returns true for yes. */
bool ui_confirm(struct ui *ui, const char *title, const char *question);

/* What every screen shares. */
struct cli *ui_cli(struct ui *ui);
struct jobs *ui_jobs(struct ui *ui);
const struct theme *ui_theme(const struct ui *ui);
bool ui_read_only(const struct ui *ui);
bool ui_utf8(const struct ui *ui); /* UTF-8 glyphs allowed */
void ui_redraw(struct ui *ui);     /* ask for a full redraw */

/* The screens (screen_*.c). */
extern const struct screen_ops screen_clusters;
extern const struct screen_ops screen_namespaces;
extern const struct screen_ops screen_serviceaccounts;
extern const struct screen_ops screen_sa_detail;
extern const struct screen_ops screen_wizard;
extern const struct screen_ops screen_audit; /* screen_audit.c: arg a const struct ui_goto * */

/* Opens the UI (main.c calls it when no command is given). */
int ui_main(struct cli *cli);

#endif
