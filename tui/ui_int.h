/* tui/ui_int.h - the frame's insides, shared by ui.c (stack, loop, keys),
 * ui_draw.c (title, hint bar, flash and prompt line, help, dialog),
 * ui_command.c (the `:` commands) and ui_log.c (the action log and `@`).
 * Screens never include this: they see ui.h. */
#ifndef IRSA_UI_INT_H
#define IRSA_UI_INT_H

#include <pthread.h>
#include <stdarg.h>
#include <time.h>

#include "ui.h"

#define UI_MAX_DEPTH     16
#define UI_FLASH_SECONDS 6
#define UI_INPUT_MAX     256
#define UI_HISTORY_MAX   50
#define UI_LOG_MAX       2000 /* lines kept by the action log */
#define UI_MIN_COLS      80
#define UI_MIN_LINES     24
#define UI_NAME_MAX      254 /* a context or namespace name kept by the frame */

/* A screen on the stack, as the frame keeps it: the struct screen the
 * screen sees comes first. */
struct frame_screen {
	struct screen s;
	char filter[UI_INPUT_MAX]; /* the `/` filter, sticky per screen */
	bool has_context, has_ns;  /* from its struct ui_goto */
	bool context_default;      /* the goto had neither context nor cluster: cli->context */
	bool has_cluster;          /* an EKS cluster no context reaches */
	char context[UI_NAME_MAX + 1];
	char cluster[UI_NAME_MAX + 1];
	char region[UI_NAME_MAX + 1];
	char ns[UI_NAME_MAX + 1];
	struct frame_screen *next_dead;
};

enum ui_prompt { UI_PROMPT_NONE, UI_PROMPT_FILTER, UI_PROMPT_COMMAND };

struct ui_log_entry {
	char time[9]; /* HH:MM:SS */
	char *text;
};

struct ui {
	struct cli *cli;
	struct jobs *jobs;
	struct theme *theme;
	bool utf8;
	bool read_only;
	bool quit;
	int status;
	bool dirty;

	struct frame_screen *stack[UI_MAX_DEPTH];
	int depth;
	struct frame_screen *dead; /* popped; freed once the current event is handled */

	char flash[512];
	enum ui_flash flash_level;
	bool flash_on;
	struct timespec flash_at; /* CLOCK_MONOTONIC */

	enum ui_prompt prompt;
	char input[UI_INPUT_MAX];
	size_t input_len;
	char *history[UI_HISTORY_MAX];
	int n_history;
	int history_pos;
	char history_draft[UI_INPUT_MAX];

	bool help;
	int help_top;

	bool dialog;
	const char *dialog_title;
	const char *dialog_question;
	int dialog_focus; /* 0 Cancel, 1 Yes */

	/* The action log: any thread appends under log_mu and writes to the
	 * wake pipe; the UI thread reads. */
	pthread_mutex_t log_mu;
	struct ui_log_entry log[UI_LOG_MAX];
	unsigned long long log_seq; /* lines appended so far */
	char pending_flash[512];
	int pending_flash_level; /* -1: none */
	int wake[2];
	int stderr_level; /* core log lines up to this level also go to stderr */

	char *context_store; /* :ctx NAME; cli->context points here */
};

/* ui.c */
struct frame_screen *ui_top(const struct ui *ui);
bool ui_too_small(void);
void ui_quit(struct ui *ui, int status);
void ui_filter_apply(struct ui *ui, struct frame_screen *fs, const char *text);
void ui_pop_to(struct ui *ui, int depth);
void ui_flash_v(struct ui *ui, enum ui_flash level, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/* ui_draw.c */
void ui_draw(struct ui *ui);
/* The visible help lines (for scrolling bounds). */
int ui_help_lines(const struct ui *ui);
/* How many bytes of s fit in max_cells display cells; *cells gets the
 * width used. */
size_t ui_text_fit(const char *s, int max_cells, int *cells);

/* ui_command.c */
void ui_command_run(struct ui *ui, const char *line);
/* The `:` commands for help: "ns [NAME]" and what it does; NULL past the end. */
const char *ui_command_usage(size_t i, const char **help);

/* ui_log.c */
int ui_log_init(struct ui *ui, struct irsa_error *err);
void ui_log_release(struct ui *ui);
void ui_log_install_sink(struct ui *ui);
void ui_log_remove_sink(struct ui *ui);
/* Reads the wake pipe; flashes what other threads asked to flash. */
void ui_log_drain(struct ui *ui);
extern const struct screen_ops ui_log_screen;

#endif
