/* tui/ui.c - the frame (ui.h): the screen stack, the loop and the keys.
 *
 * The loop (ui_next_key) is the only place the UI thread waits: it polls
 * stdin, the signal pipe (term.c), the jobs' pipe (jobs.c) and the action
 * log's wake pipe, with a timeout for the flash line's expiry. Job events
 * go to the screen that owns them; signals quit or resize; keys go first
 * to the top screen, then to the frame's global keys (`/` `:` `?` `@` Esc
 * q). A mutating binding in read-only mode is refused before the screen
 * sees it. ui_confirm() runs the same loop nested, with job events held
 * back until it is answered. Drawing is ui_draw.c; the `:` commands are
 * ui_command.c; the action log is ui_log.c. */
#include "config.h"

#include "ui_int.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "term.h"

#define UI_WORKERS 4

/* --- the stack --------------------------------------------------------- */

struct frame_screen *
ui_top(const struct ui *ui)
{
	return ui->depth > 0 ? ui->stack[ui->depth - 1] : NULL;
}

static bool
is_browse(const struct screen_ops *ops)
{
	return ops == &screen_namespaces || ops == &screen_serviceaccounts || ops == &screen_sa_detail;
}

static void
copy_name(char *dst, const char *src)
{
	snprintf(dst, UI_NAME_MAX + 1, "%s", src);
}

static void
prompt_close(struct ui *ui)
{
	ui->prompt = UI_PROMPT_NONE;
	ui->input_len = 0;
	ui->input[0] = '\0';
}

int
ui_push(struct ui *ui, const struct screen_ops *ops, void *arg)
{
	struct frame_screen *fs;
	const struct ui_goto *go = arg;
	int rc = 0;

	if (ui->depth >= UI_MAX_DEPTH) {
		ui_flash(ui, UI_FLASH_ERROR, "cannot open %s: %d screens are open already; Esc closes one", ops->name,
		         ui->depth);
		return -1;
	}
	if ((fs = calloc(1, sizeof(*fs))) == NULL) {
		ui_flash(ui, UI_FLASH_ERROR, "cannot open %s: out of memory", ops->name);
		return -1;
	}
	fs->s.ops = ops;
	fs->s.ui = ui;
	if (is_browse(ops) && go != NULL) {
		fs->has_context = true;
		fs->context_default = go->context == NULL && go->cluster == NULL;
		if (go->context != NULL)
			copy_name(fs->context, go->context);
		if (go->cluster != NULL) {
			fs->has_cluster = true;
			copy_name(fs->cluster, go->cluster);
			copy_name(fs->region, go->region != NULL ? go->region : "");
		}
		if (go->ns != NULL) {
			fs->has_ns = true;
			copy_name(fs->ns, go->ns);
		}
	} else if (is_browse(ops)) {
		fs->has_context = true;
		fs->context_default = true;
	}
	if (ops->enter != NULL)
		rc = ops->enter(&fs->s, arg);
	if (rc != 0) {
		jobs_cancel_owner(ui->jobs, &fs->s);
		free(fs);
		return -1;
	}
	ui->stack[ui->depth++] = fs;
	prompt_close(ui);
	ui->help = false;
	ui->dirty = true;
	return 0;
}

static void
pop_one(struct ui *ui)
{
	struct frame_screen *fs = ui->stack[--ui->depth];

	ui->stack[ui->depth] = NULL;
	jobs_cancel_owner(ui->jobs, &fs->s);
	if (fs->s.ops->leave != NULL)
		fs->s.ops->leave(&fs->s);
	fs->next_dead = ui->dead;
	ui->dead = fs;
	prompt_close(ui);
	ui->help = false;
	ui->dirty = true;
}

void
ui_pop(struct ui *ui)
{
	if (ui->depth > 1)
		pop_one(ui);
}

void
ui_pop_to(struct ui *ui, int depth)
{
	if (depth < 1)
		depth = 1;
	while (ui->depth > depth)
		pop_one(ui);
}

static void
reap(struct ui *ui)
{
	struct frame_screen *fs;

	while ((fs = ui->dead) != NULL) {
		ui->dead = fs->next_dead;
		free(fs);
	}
}

static struct frame_screen *
find_screen(const struct ui *ui, const void *owner)
{
	for (int i = 0; i < ui->depth; i++)
		if (&ui->stack[i]->s == owner)
			return ui->stack[i];
	return NULL;
}

/* --- the flash line ---------------------------------------------------- */

void
ui_flash_v(struct ui *ui, enum ui_flash level, const char *fmt, va_list ap)
{
	vsnprintf(ui->flash, sizeof(ui->flash), fmt, ap);
	for (char *p = ui->flash; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	ui->flash_level = level;
	ui->flash_on = true;
	clock_gettime(CLOCK_MONOTONIC, &ui->flash_at);
	ui->dirty = true;
	if (level != UI_FLASH_INFO)
		ui_log(ui, "%s: %s", level == UI_FLASH_ERROR ? "error" : "warning", ui->flash);
}

void
ui_flash(struct ui *ui, enum ui_flash level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ui_flash_v(ui, level, fmt, ap);
	va_end(ap);
}

void
ui_flash_error(struct ui *ui, const struct irsa_error *err)
{
	char line[640];

	irsa_error_format(err, line, sizeof(line));
	if (err->hint[0] != '\0')
		ui_flash(ui, UI_FLASH_ERROR, "%s - %s", line, err->hint);
	else
		ui_flash(ui, UI_FLASH_ERROR, "%s", line);
}

/* Milliseconds until the flash expires; -1 when it does not. */
static int
flash_timeout(struct ui *ui)
{
	struct timespec now;
	long ms;

	if (!ui->flash_on || ui->flash_level == UI_FLASH_ERROR)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(now.tv_sec - ui->flash_at.tv_sec) * 1000 + (now.tv_nsec - ui->flash_at.tv_nsec) / 1000000;
	ms = UI_FLASH_SECONDS * 1000 - ms;
	if (ms <= 0) {
		ui->flash_on = false;
		ui->dirty = true;
		return -1;
	}
	return (int)ms;
}

/* --- accessors --------------------------------------------------------- */

struct cli *
ui_cli(struct ui *ui)
{
	return ui->cli;
}

struct jobs *
ui_jobs(struct ui *ui)
{
	return ui->jobs;
}

const struct theme *
ui_theme(const struct ui *ui)
{
	return ui->theme;
}

bool
ui_read_only(const struct ui *ui)
{
	return ui->read_only;
}

bool
ui_utf8(const struct ui *ui)
{
	return ui->utf8;
}

void
ui_redraw(struct ui *ui)
{
	ui->dirty = true;
}

bool
ui_too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
}

void
ui_quit(struct ui *ui, int status)
{
	ui->quit = true;
	ui->status = status;
}

/* --- the loop ---------------------------------------------------------- */

static void
route_job(struct ui *ui, struct job *j)
{
	struct frame_screen *fs = find_screen(ui, job_owner(j));

	if (fs != NULL && fs->s.ops->job_done != NULL) {
		fs->s.ops->job_done(&fs->s, j);
		ui->dirty = true;
	}
	job_release(j);
}

static void
on_signals(struct ui *ui)
{
	int sig;

	while ((sig = term_read_signal()) != 0) {
		if (sig == SIGWINCH) {
			term_resize();
			ui->dirty = true;
		} else {
			log_info("ui: signal %d: quitting", sig);
			ui_quit(ui, 128 + sig);
		}
	}
}

/* The next key, after drawing and waiting as needed; ERR once the UI is
 * quitting. Everything that is not a key (job events, signals, log lines,
 * the flash expiring) is handled here. */
static int
next_key(struct ui *ui)
{
	struct pollfd pfd[4];
	struct job *j;
	int ch, n, timeout;

	for (;;) {
		if (!ui->dialog) /* a dialog's caller is a screen still running */
			reap(ui);
		if (ui->quit)
			return ERR;
		ch = getch();
		if (ch == KEY_RESIZE) {
			ui->dirty = true;
			continue;
		}
		if (ch != ERR)
			return ch;
		timeout = flash_timeout(ui);
		if (ui->dirty)
			ui_draw(ui);
		n = 0;
		pfd[n++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
		pfd[n++] = (struct pollfd){.fd = term_signal_fd(), .events = POLLIN};
		pfd[n++] = (struct pollfd){.fd = ui->wake[0], .events = POLLIN};
		if (!ui->dialog) /* job events wait until the question is answered */
			pfd[n++] = (struct pollfd){.fd = jobs_fd(ui->jobs), .events = POLLIN};
		if (poll(pfd, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_error("ui: poll: %s", strerror(errno));
			ui_quit(ui, EXIT_FAILURE_RUN);
			return ERR;
		}
		if (pfd[1].revents & POLLIN)
			on_signals(ui);
		if (pfd[2].revents & POLLIN)
			ui_log_drain(ui);
		if (n > 3 && (pfd[3].revents & POLLIN))
			while (!ui->quit && (j = jobs_collect(ui->jobs)) != NULL)
				route_job(ui, j);
		if ((pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) && !(pfd[0].revents & POLLIN)) {
			ui_quit(ui, 128 + SIGHUP); /* the terminal went away */
			return ERR;
		}
	}
}

/* --- keys -------------------------------------------------------------- */

static const struct ui_binding *
binding_of(const struct screen_ops *ops, int ch)
{
	for (const struct ui_binding *b = ops->bindings; b != NULL && b->name != NULL; b++)
		if (b->key == ch)
			return b;
	return NULL;
}

void
ui_filter_apply(struct ui *ui, struct frame_screen *fs, const char *text)
{
	if (fs == NULL || fs->s.ops->filter == NULL)
		return;
	if (text != fs->filter)
		snprintf(fs->filter, sizeof(fs->filter), "%s", text);
	fs->s.ops->filter(&fs->s, fs->filter);
	ui->dirty = true;
}

static bool
is_text(int ch)
{
	return ch >= 0x20 && ch < 0x100 && ch != 0x7f;
}

static bool
is_backspace(int ch)
{
	return ch == KEY_BACKSPACE || ch == 0x7f || ch == 8;
}

static void
input_set(struct ui *ui, const char *text)
{
	snprintf(ui->input, sizeof(ui->input), "%s", text);
	ui->input_len = strlen(ui->input);
}

/* Edits the prompt's text; true when ch was an edit. */
static bool
input_edit(struct ui *ui, int ch)
{
	if (is_text(ch)) {
		if (ui->input_len + 1 < sizeof(ui->input)) {
			ui->input[ui->input_len++] = (char)ch;
			ui->input[ui->input_len] = '\0';
		}
		return true;
	}
	if (is_backspace(ch)) { /* one character: skip UTF-8 continuation bytes */
		while (ui->input_len > 0 && ((unsigned char)ui->input[--ui->input_len] & 0xc0) == 0x80)
			;
		ui->input[ui->input_len] = '\0';
		return true;
	}
	if (ch == 21) { /* C-u */
		input_set(ui, "");
		return true;
	}
	if (ch == 23) { /* C-w: the last word */
		while (ui->input_len > 0 && ui->input[ui->input_len - 1] == ' ')
			ui->input_len--;
		while (ui->input_len > 0 && ui->input[ui->input_len - 1] != ' ')
			ui->input_len--;
		ui->input[ui->input_len] = '\0';
		return true;
	}
	return false;
}

static void
filter_key(struct ui *ui, int ch)
{
	struct frame_screen *fs = ui_top(ui);

	if (ch == UI_KEY_ESC) {
		prompt_close(ui);
		ui_filter_apply(ui, fs, "");
		return;
	}
	if (UI_KEY_IS_ENTER(ch)) {
		prompt_close(ui);
		return;
	}
	if (is_backspace(ch) && ui->input_len == 0) {
		prompt_close(ui);
		return;
	}
	if (input_edit(ui, ch)) {
		ui_filter_apply(ui, fs, ui->input);
		return;
	}
	/* Moving through what matches while typing. */
	switch (ch) {
	case KEY_UP:
	case KEY_DOWN:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
		if (fs->s.ops->key != NULL)
			fs->s.ops->key(&fs->s, ch);
		break;
	default:
		break;
	}
}

static void
history_add(struct ui *ui, const char *line)
{
	char *copy;

	if (line[0] == '\0' || (ui->n_history > 0 && strcmp(ui->history[ui->n_history - 1], line) == 0))
		return;
	if ((copy = strdup(line)) == NULL)
		return;
	if (ui->n_history == UI_HISTORY_MAX) {
		free(ui->history[0]);
		memmove(ui->history, ui->history + 1, (UI_HISTORY_MAX - 1) * sizeof(ui->history[0]));
		ui->n_history--;
	}
	ui->history[ui->n_history++] = copy;
}

static void
command_key(struct ui *ui, int ch)
{
	char line[UI_INPUT_MAX];

	if (ch == UI_KEY_ESC || (is_backspace(ch) && ui->input_len == 0)) {
		prompt_close(ui);
		return;
	}
	if (UI_KEY_IS_ENTER(ch)) {
		snprintf(line, sizeof(line), "%s", ui->input);
		prompt_close(ui);
		history_add(ui, line);
		ui_command_run(ui, line);
		return;
	}
	if (ch == KEY_UP || ch == 16 /* C-p */) {
		if (ui->history_pos == ui->n_history)
			snprintf(ui->history_draft, sizeof(ui->history_draft), "%s", ui->input);
		if (ui->history_pos > 0)
			input_set(ui, ui->history[--ui->history_pos]);
		return;
	}
	if (ch == KEY_DOWN || ch == 14 /* C-n */) {
		if (ui->history_pos < ui->n_history) {
			ui->history_pos++;
			input_set(ui,
			          ui->history_pos == ui->n_history ? ui->history_draft : ui->history[ui->history_pos]);
		}
		return;
	}
	input_edit(ui, ch);
}

static void
help_key(struct ui *ui, int ch)
{
	int total = ui_help_lines(ui), page = LINES - 6;

	switch (ch) {
	case KEY_UP:
	case 'k':
		if (ui->help_top > 0)
			ui->help_top--;
		return;
	case KEY_DOWN:
	case 'j':
		if (ui->help_top + page < total)
			ui->help_top++;
		return;
	case KEY_PPAGE:
	case 2:
		ui->help_top = ui->help_top > page ? ui->help_top - page : 0;
		return;
	case KEY_NPAGE:
	case 6:
	case ' ':
		if (ui->help_top + 2 * page < total)
			ui->help_top += page;
		else if (total > page)
			ui->help_top = total - page;
		return;
	default:
		ui->help = false; /* Esc, q, ?, Enter or anything else closes it */
		ui->help_top = 0;
		return;
	}
}

static void
global_key(struct ui *ui, struct frame_screen *fs, int ch)
{
	switch (ch) {
	case '/':
		if (fs->s.ops->filter == NULL) {
			ui_flash(ui, UI_FLASH_INFO, "%s has nothing to filter", fs->s.ops->name);
			return;
		}
		ui->prompt = UI_PROMPT_FILTER;
		input_set(ui, fs->filter);
		return;
	case ':':
		ui->prompt = UI_PROMPT_COMMAND;
		input_set(ui, "");
		ui->history_pos = ui->n_history;
		return;
	case '?':
	case KEY_F(1):
		ui->help = true;
		ui->help_top = 0;
		return;
	case '@':
		if (fs->s.ops != &ui_log_screen)
			ui_push(ui, &ui_log_screen, NULL);
		return;
	case 'q':
		ui_quit(ui, EXIT_OK);
		return;
	case UI_KEY_ESC:
		if (fs->filter[0] != '\0')
			ui_filter_apply(ui, fs, "");
		else
			ui_pop(ui);
		return;
	case 12: /* C-l */
		clearok(curscr, TRUE);
		return;
	default:
		return;
	}
}

static void
handle_key(struct ui *ui, int ch)
{
	struct frame_screen *fs = ui_top(ui);
	const struct ui_binding *b;
	enum ui_key_result r = UI_KEY_IGNORED;

	ui->dirty = true;
	if (ui->flash_on && ui->flash_level == UI_FLASH_ERROR)
		ui->flash_on = false; /* an error stays until the next key */
	if (fs == NULL)
		return;
	if (ui_too_small()) {
		if (ch == 'q')
			ui_quit(ui, EXIT_OK);
		return;
	}
	if (ui->help) {
		help_key(ui, ch);
		return;
	}
	if (ui->prompt == UI_PROMPT_FILTER) {
		filter_key(ui, ch);
		return;
	}
	if (ui->prompt == UI_PROMPT_COMMAND) {
		command_key(ui, ch);
		return;
	}
	b = binding_of(fs->s.ops, ch);
	if (b != NULL && b->mutating && ui->read_only) {
		ui_flash(ui, UI_FLASH_WARN, "read-only mode: %s (%s) is disabled", b->name, b->help);
		return;
	}
	if (fs->s.ops->key != NULL)
		r = fs->s.ops->key(&fs->s, ch);
	if (r == UI_KEY_HANDLED)
		return;
	if (r == UI_KEY_POP) {
		if (ui_top(ui) == fs) /* unless it popped itself */
			ui_pop(ui);
		return;
	}
	if (ui_top(ui) == fs)
		global_key(ui, fs, ch);
}

/* The benchmark hook (scripts/bench-tui): with IRSA_KEY_TIMING=FILE, each
 * key's handling and the redraw it causes, in microseconds, one line per
 * key ("KEY USEC"). */
static FILE *key_timing;

static void
key_timing_open(void)
{
	const char *path = getenv("IRSA_KEY_TIMING");

	if (path != NULL && *path != '\0')
		key_timing = fopen(path, "w");
}

static void
timed_key(struct ui *ui, int ch)
{
	struct timespec a, b;

	if (key_timing == NULL) {
		handle_key(ui, ch);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	handle_key(ui, ch);
	if (ui->dirty && !ui->quit)
		ui_draw(ui);
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(key_timing, "%d %ld\n", ch, (long)((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000));
	fflush(key_timing);
}

int
ui_run(struct ui *ui)
{
	int ch;

	ui->dirty = true;
	key_timing_open();
	while (!ui->quit && ui->depth > 0) {
		ch = next_key(ui);
		if (ch != ERR)
			timed_key(ui, ch);
	}
	if (key_timing != NULL)
		fclose(key_timing);
	key_timing = NULL;
	reap(ui);
	return ui->status;
}

bool
ui_confirm(struct ui *ui, const char *title, const char *question)
{
	int ch, answer = -1;

	if (!term_started())
		return false;
	prompt_close(ui);
	ui->help = false;
	ui->dialog = true;
	ui->dialog_title = title;
	ui->dialog_question = question;
	ui->dialog_focus = 0;
	ui->dirty = true;
	while (!ui->quit && answer < 0) {
		if ((ch = next_key(ui)) == ERR)
			continue;
		ui->dirty = true;
		switch (ch) {
		case '\t':
		case KEY_BTAB:
		case KEY_LEFT:
		case KEY_RIGHT:
		case 'h':
		case 'l':
			ui->dialog_focus = !ui->dialog_focus;
			break;
		case 'y':
		case 'Y':
			answer = 1;
			break;
		case 'n':
		case 'N':
		case 'c':
		case 'q':
		case UI_KEY_ESC:
			answer = 0;
			break;
		default:
			if (UI_KEY_IS_ENTER(ch))
				answer = ui->dialog_focus;
			break;
		}
	}
	ui->dialog = false;
	ui->dialog_title = ui->dialog_question = NULL;
	ui->dirty = true;
	return answer == 1;
}

/* --- life cycle -------------------------------------------------------- */

static struct theme *
load_theme(const struct cli *cli, struct irsa_error *err)
{
	const char *name = cli->color ? theme_choose(cli->theme) : "mono";
	struct theme *t = theme_load(name, err);
	struct irsa_error err2;

	/* Only the default may fall back (to the attributes-only theme); a
	 * theme the user named and cannot have is an error to show. */
	if (t == NULL && cli->theme == NULL && getenv("IRSA_THEME") == NULL && strcmp(name, "mono") != 0) {
		irsa_error_clear(&err2);
		t = theme_load("mono", &err2);
	}
	return t;
}

struct ui *
ui_new(struct cli *cli, struct irsa_error *err)
{
	struct ui *ui;

	if ((ui = calloc(1, sizeof(*ui))) == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	ui->cli = cli;
	ui->read_only = cli->read_only;
	ui->utf8 = term_utf8();
	ui->wake[0] = ui->wake[1] = -1;
	ui->pending_flash_level = -1;
	ui->stderr_level = cli->debug ? LOG_TRACE : LOG_WARN;
	if ((ui->theme = load_theme(cli, err)) == NULL) {
		irsa_error_prefix(err, "theme");
		free(ui);
		return NULL;
	}
	if (ui_log_init(ui, err) != 0 || (ui->jobs = jobs_new(UI_WORKERS, err)) == NULL ||
	    term_start(cli->color, err) != 0) {
		ui_free(ui);
		return NULL;
	}
	theme_start(ui->theme);
	ui_log_install_sink(ui);
	log_info("ui: %dx%d terminal, theme %s, %s%s", COLS, LINES, theme_name(ui->theme), ui->utf8 ? "UTF-8" : "ASCII",
	         ui->read_only ? ", read-only" : "");
	return ui;
}

void
ui_free(struct ui *ui)
{
	if (ui == NULL)
		return;
	while (ui->depth > 0)
		pop_one(ui);
	reap(ui);
	/* The terminal first: the user gets the shell back while the workers
	 * finish their cancelled calls. */
	term_stop();
	jobs_free(ui->jobs);
	ui_log_remove_sink(ui);
	ui_log_release(ui);
	for (int i = 0; i < ui->n_history; i++)
		free(ui->history[i]);
	if (ui->context_store != NULL && ui->cli->context == ui->context_store)
		ui->cli->context = NULL;
	free(ui->context_store);
	theme_free(ui->theme);
	free(ui);
}

int
ui_main(struct cli *cli)
{
	struct irsa_error err;
	struct ui *ui;
	char line[640];
	int rc;

	irsa_error_clear(&err);
	if ((ui = ui_new(cli, &err)) == NULL) {
		irsa_error_format(&err, line, sizeof(line));
		fprintf(stderr, "irsa: %s\n", line);
		if (err.hint[0] != '\0')
			fprintf(stderr, "%s\n", err.hint);
		return EXIT_FAILURE_RUN;
	}
	if (ui_push(ui, &screen_clusters, NULL) != 0) {
		snprintf(line, sizeof(line), "%s", ui->flash_on ? ui->flash : "the clusters screen could not open");
		ui_free(ui);
		fprintf(stderr, "irsa: %s\n", line);
		return EXIT_FAILURE_RUN;
	}
	rc = ui_run(ui);
	ui_free(ui);
	return rc;
}
