/* tui/ui_log.c - the action log: a ring of the last UI_LOG_MAX lines that
 * any thread may append to (ui_log(), and core's log lines through the
 * sink installed here), and the `@` screen that shows it as a filterable
 * table following its tail. Appends take log_mu and write a byte to the
 * wake pipe; the UI thread drains it, flashes the warnings and errors
 * other threads logged, and redraws. While the UI runs, core's warnings
 * (every line with --debug) also go to stderr, which term.c holds and
 * shows after the terminal is restored. */
#include "config.h"

#include "ui_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "table.h"

static void
append(struct ui *ui, const char *text, int flash_level)
{
	struct ui_log_entry *e;
	struct tm tm;
	time_t now = time(NULL);
	char *copy = strdup(text);
	char b = 1;

	if (copy == NULL)
		return;
	for (char *p = copy; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	localtime_r(&now, &tm);
	pthread_mutex_lock(&ui->log_mu);
	e = &ui->log[ui->log_seq % UI_LOG_MAX];
	free(e->text);
	e->text = copy;
	strftime(e->time, sizeof(e->time), "%H:%M:%S", &tm);
	ui->log_seq++;
	if (flash_level >= 0) {
		snprintf(ui->pending_flash, sizeof(ui->pending_flash), "%s", text);
		ui->pending_flash_level = flash_level;
	}
	if (ui->wake[1] >= 0)
		(void)!write(ui->wake[1], &b, 1); /* a full pipe already wakes the loop */
	pthread_mutex_unlock(&ui->log_mu);
}

void
ui_log(struct ui *ui, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	append(ui, line, -1);
}

int
ui_log_init(struct ui *ui, struct irsa_error *err)
{
	pthread_mutex_init(&ui->log_mu, NULL);
	if (pipe(ui->wake) != 0) {
		ui->wake[0] = ui->wake[1] = -1;
		return irsa_error_set(err, IRSA_ERR_IO, "cannot make the action log's pipe: %s", strerror(errno));
	}
	for (int i = 0; i < 2; i++) {
		fcntl(ui->wake[i], F_SETFD, FD_CLOEXEC);
		fcntl(ui->wake[i], F_SETFL, fcntl(ui->wake[i], F_GETFL) | O_NONBLOCK);
	}
	return 0;
}

void
ui_log_release(struct ui *ui)
{
	for (size_t i = 0; i < UI_LOG_MAX; i++)
		free(ui->log[i].text);
	if (ui->wake[0] >= 0) {
		close(ui->wake[0]);
		close(ui->wake[1]);
		ui->wake[0] = ui->wake[1] = -1;
	}
	pthread_mutex_destroy(&ui->log_mu);
}

void
ui_log_drain(struct ui *ui)
{
	char buf[64], msg[sizeof(ui->pending_flash)];
	int level;

	while (read(ui->wake[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&ui->log_mu);
	level = ui->pending_flash_level;
	ui->pending_flash_level = -1;
	memcpy(msg, ui->pending_flash, sizeof(msg));
	pthread_mutex_unlock(&ui->log_mu);
	if (level >= 0) {
		/* Already in the log: set the flash line directly. */
		snprintf(ui->flash, sizeof(ui->flash), "%s", msg);
		ui->flash_level = (enum ui_flash)level;
		ui->flash_on = true;
		clock_gettime(CLOCK_MONOTONIC, &ui->flash_at);
	}
	if (ui_top(ui) != NULL && ui_top(ui)->s.ops == &ui_log_screen)
		ui->dirty = true;
}

/* --- core's log lines -------------------------------------------------- */

static void
sink(enum log_level level, const char *line, void *arg)
{
	struct ui *ui = arg;
	char text[1100];

	if (level <= LOG_INFO) {
		if (level <= LOG_WARN)
			snprintf(text, sizeof(text), "%s: %s", log_level_name(level), line);
		append(ui, level <= LOG_WARN ? text : line,
		       level == LOG_ERROR  ? UI_FLASH_ERROR
		       : level == LOG_WARN ? UI_FLASH_WARN
		                           : -1);
	}
	if ((int)level <= ui->stderr_level)
		fprintf(stderr, "irsa: %s: %s\n", log_level_name(level), line);
}

static void
stderr_sink(enum log_level level, const char *line, void *arg)
{
	fprintf(stderr, "irsa: %s: %s\n", log_level_name(level), line);
}

void
ui_log_install_sink(struct ui *ui)
{
	log_set_sink(sink, ui, ui->stderr_level > LOG_INFO ? (enum log_level)ui->stderr_level : LOG_INFO);
}

void
ui_log_remove_sink(struct ui *ui)
{
	log_set_sink(stderr_sink, NULL, (enum log_level)ui->stderr_level);
}

/* --- the `@` screen ---------------------------------------------------- */

struct log_view {
	struct table *t;
	unsigned long long synced; /* lines copied into the table */
	int page;
};

static const struct table_column log_cols[] = {
        {"TIME", 8, false},
        {"WHAT", 40, true},
};

static const struct ui_binding log_bindings[] = {
        {'G', "G", "newest", true, false},
        {'g', "g", "oldest", false, false},
        {0, NULL, NULL, false, false},
};

static void
seq_key(char *out, size_t n, unsigned long long seq)
{
	snprintf(out, n, "%020llu", seq);
}

/* Copies the lines appended since the last time; follows the tail when
 * the cursor was on the newest line. */
static void
sync_view(struct ui *ui, struct log_view *v)
{
	unsigned long long seq, first;
	char key[24], last[24];
	const char *sel = table_selected(v->t);
	bool follow;

	seq_key(last, sizeof(last), v->synced > 0 ? v->synced - 1 : 0);
	follow = sel == NULL || strcmp(sel, last) == 0;
	pthread_mutex_lock(&ui->log_mu);
	seq = ui->log_seq;
	first = seq > UI_LOG_MAX ? seq - UI_LOG_MAX : 0;
	for (unsigned long long s = v->synced > first ? v->synced : first; s < seq; s++) {
		const struct ui_log_entry *e = &ui->log[s % UI_LOG_MAX];
		const char *cells[2] = {e->time, e->text};

		seq_key(key, sizeof(key), s);
		table_set_row(v->t, key, cells,
		              strncmp(e->text, "error", 5) == 0  ? THEME_STATUS_ERROR
		              : strncmp(e->text, "warn", 4) == 0 ? THEME_STATUS_WARN
		                                                 : THEME_BODY);
	}
	pthread_mutex_unlock(&ui->log_mu);
	for (unsigned long long s = v->synced; s < first; s++) { /* fell out of the ring */
		seq_key(key, sizeof(key), s);
		table_remove_row(v->t, key);
	}
	if (seq > v->synced && follow && seq > 0) {
		seq_key(key, sizeof(key), seq - 1);
		table_select(v->t, key);
	}
	v->synced = seq;
}

static int
log_enter(struct screen *s, void *arg)
{
	struct log_view *v = calloc(1, sizeof(*v));

	if (v == NULL || (v->t = table_new(log_cols, 2)) == NULL) {
		free(v);
		ui_flash(s->ui, UI_FLASH_ERROR, "cannot open the action log: out of memory");
		return -1;
	}
	s->data = v; /* no crumb: the log is not a level of the hierarchy */
	sync_view(s->ui, v);
	return 0;
}

static void
log_leave(struct screen *s)
{
	struct log_view *v = s->data;

	table_free(v->t);
	free(v);
}

static void
log_draw(struct screen *s, int y, int x, int h, int w)
{
	struct log_view *v = s->data;

	sync_view(s->ui, v);
	v->page = h - 1;
	table_draw(v->t, ui_theme(s->ui), y, x, h, w);
	if (table_total(v->t) == 0) {
		attrset(theme_attr(ui_theme(s->ui), THEME_DIM));
		mvaddstr(y + 1, x, "nothing yet: calls to AWS and Kubernetes, and warnings, appear here");
	}
}

static enum ui_key_result
log_key(struct screen *s, int ch)
{
	struct log_view *v = s->data;

	return table_key(v->t, ch, v->page) ? UI_KEY_HANDLED : UI_KEY_IGNORED;
}

static void
log_filter(struct screen *s, const char *text)
{
	struct log_view *v = s->data;

	table_set_filter(v->t, text);
}

static void
log_counts(struct screen *s, size_t *shown, size_t *total)
{
	struct log_view *v = s->data;

	sync_view(s->ui, v);
	*shown = table_shown(v->t);
	*total = table_total(v->t);
}

const struct screen_ops ui_log_screen = {
        .name = "log",
        .enter = log_enter,
        .leave = log_leave,
        .draw = log_draw,
        .key = log_key,
        .filter = log_filter,
        .counts = log_counts,
        .bindings = log_bindings,
};
