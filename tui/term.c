/* tui/term.c - the terminal while the UI runs (term.h): curses set up and
 * torn down, stderr captured in a memory file and replayed after endwin()
 * (htop's CRT.c does the same), SIGINT/SIGTERM/SIGHUP/SIGWINCH written to a
 * self-pipe that the UI loop polls, and a crash handler that restores the
 * terminal before the program dies. Our handlers are installed before
 * newterm(), so ncurses installs none of its own and every signal reaches
 * the loop. Nothing here knows about screens. */
#include "config.h"

#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* A third termination signal while the loop has not answered the first
 * two means the loop is stuck: restore the terminal and die. */
#define TERM_QUIT_SIGNALS_MAX 3

static const int term_catch[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};
static const int term_fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static struct {
	bool started;
	bool atexit_done;
	SCREEN *screen;
	int pipe[2];      /* signals, one byte each */
	int saved_stderr; /* the real stderr while it is captured */
	int capture;      /* where stderr goes meanwhile */
	struct sigaction old_catch[sizeof(term_catch) / sizeof(term_catch[0])];
	struct sigaction old_fatal[sizeof(term_fatal) / sizeof(term_fatal[0])];
	volatile sig_atomic_t quit_signals;
} term = {.pipe = {-1, -1}, .saved_stderr = -1, .capture = -1};

static const char marker_begin[] = ">>>>>>>>>> stderr output >>>>>>>>>>\n";
static const char marker_end[] = "<<<<<<<<<< stderr output <<<<<<<<<<\n";

bool
term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0);
}

bool
term_started(void)
{
	return term.started;
}

int
term_signal_fd(void)
{
	return term.pipe[0];
}

/* Async-signal-safe: write(2) only. */
static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Puts stderr back and writes what was captured, between markers. Only
 * async-signal-safe calls: the crash handler uses it too. */
static void
stderr_restore(void)
{
	char buf[4096];
	ssize_t n;
	bool any = false;

	if (term.saved_stderr < 0)
		return;
	dup2(term.saved_stderr, STDERR_FILENO);
	close(term.saved_stderr);
	term.saved_stderr = -1;
	if (term.capture < 0)
		return;
	if (lseek(term.capture, 0, SEEK_SET) == 0) {
		while ((n = read(term.capture, buf, sizeof(buf))) > 0) {
			if (!any)
				write_all(STDERR_FILENO, marker_begin, sizeof(marker_begin) - 1);
			any = true;
			write_all(STDERR_FILENO, buf, (size_t)n);
		}
		if (any) {
			/* The captured text may not end with a newline. */
			if (lseek(term.capture, -1, SEEK_END) >= 0 && read(term.capture, buf, 1) == 1 && buf[0] != '\n')
				write_all(STDERR_FILENO, "\n", 1);
			write_all(STDERR_FILENO, marker_end, sizeof(marker_end) - 1);
		}
	}
	close(term.capture);
	term.capture = -1;
}

static int
capture_open(void)
{
	char path[] = "/tmp/irsa-stderr-XXXXXX";
	int fd;

#ifdef __linux__
	fd = memfd_create("irsa-stderr", MFD_CLOEXEC);
	if (fd >= 0)
		return fd;
#endif
	fd = mkstemp(path);
	if (fd >= 0) {
		unlink(path);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	return fd;
}

static int
stderr_capture(struct irsa_error *err)
{
	fflush(stderr);
	term.capture = capture_open();
	if (term.capture < 0)
		return irsa_error_set(err, IRSA_ERR_IO, "cannot make a file to hold stderr while the UI runs: %s",
		                      strerror(errno));
	term.saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (term.saved_stderr < 0 || dup2(term.capture, STDERR_FILENO) < 0) {
		int e = errno;

		if (term.saved_stderr >= 0)
			close(term.saved_stderr);
		term.saved_stderr = -1;
		close(term.capture);
		term.capture = -1;
		return irsa_error_set(err, IRSA_ERR_IO, "cannot redirect stderr while the UI runs: %s", strerror(e));
	}
	return 0;
}

static void
fmt_int(char *out, int v)
{
	char tmp[16];
	int n = 0, i = 0;

	if (v < 0)
		v = -v;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < (int)sizeof(tmp));
	while (n > 0)
		out[i++] = tmp[--n];
	out[i] = '\0';
}

/* The terminal must come back even when the program dies: endwin() is not
 * async-signal-safe, but the process is going down anyway (htop does the
 * same). Then the default action runs (core dump, or the exit status of
 * the signal). */
static void
term_die(int sig, const char *why)
{
	char num[16];

	if (term.started) {
		term.started = false;
		endwin();
	}
	stderr_restore();
	fmt_int(num, sig);
	write_all(STDERR_FILENO, "irsa: ", 6);
	write_all(STDERR_FILENO, why, strlen(why));
	write_all(STDERR_FILENO, " (signal ", 9);
	write_all(STDERR_FILENO, num, strlen(num));
	write_all(STDERR_FILENO, ")\n", 2);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
on_fatal(int sig)
{
	term_die(sig, "crashed; the terminal was restored");
}

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(term.pipe[1], &b, 1) < 0) {
		/* A full pipe: the loop is awake already. */
	}
	if (sig != SIGWINCH && ++term.quit_signals >= TERM_QUIT_SIGNALS_MAX)
		term_die(sig, "stopped without answering the signal");
	errno = saved;
}

static int
install(const int *sigs, size_t n, struct sigaction *old, void (*fn)(int), int flags)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		if (sigaction(sigs[i], &sa, &old[i]) != 0)
			return -1;
	return 0;
}

static void
restore(const int *sigs, size_t n, const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < n; i++)
		sigaction(sigs[i], &old[i], NULL);
}

static void
term_atexit(void)
{
	term_stop();
}

static void
pipe_close(void)
{
	if (term.pipe[0] >= 0)
		close(term.pipe[0]);
	if (term.pipe[1] >= 0)
		close(term.pipe[1]);
	term.pipe[0] = term.pipe[1] = -1;
}

int
term_start(bool want_color, struct irsa_error *err)
{
	const char *name = getenv("TERM");

	if (term.started)
		return 0;
	if (pipe(term.pipe) != 0)
		return irsa_error_set(err, IRSA_ERR_IO, "cannot make the signal pipe: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		fcntl(term.pipe[i], F_SETFD, FD_CLOEXEC);
		fcntl(term.pipe[i], F_SETFL, fcntl(term.pipe[i], F_GETFL) | O_NONBLOCK);
	}
	term.quit_signals = 0;
	install(term_catch, sizeof(term_catch) / sizeof(term_catch[0]), term.old_catch, on_signal, SA_RESTART);
	if (stderr_capture(err) != 0) {
		restore(term_catch, sizeof(term_catch) / sizeof(term_catch[0]), term.old_catch);
		pipe_close();
		return -1;
	}
	term.screen = newterm(NULL, stdout, stdin);
	if (term.screen == NULL) {
		stderr_restore();
		restore(term_catch, sizeof(term_catch) / sizeof(term_catch[0]), term.old_catch);
		pipe_close();
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "cannot start the terminal UI on terminal type \"%s\"",
		               name != NULL && name[0] != '\0' ? name : "(TERM not set)");
		return irsa_error_hint(err, "Set TERM to a type terminfo knows (e.g. xterm-256color), or run a "
		                            "command headless (irsa --help).");
	}
	set_term(term.screen);
	term.started = true;
	if (!term.atexit_done) {
		atexit(term_atexit);
		term.atexit_done = true;
	}
	install(term_fatal, sizeof(term_fatal) / sizeof(term_fatal[0]), term.old_fatal, on_fatal, SA_RESETHAND);

	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (want_color && has_colors()) {
		start_color();
		use_default_colors();
	}
	/* Shift-Tab as most terminals send it, when terminfo lacks kcbt. */
	if (key_defined("\033[Z") == 0)
		define_key("\033[Z", KEY_BTAB);
	return 0;
}

void
term_stop(void)
{
	if (term.pipe[0] < 0 && !term.started)
		return;
	if (term.started) {
		term.started = false;
		curs_set(1);
		endwin();
		delscreen(term.screen);
		term.screen = NULL;
		restore(term_fatal, sizeof(term_fatal) / sizeof(term_fatal[0]), term.old_fatal);
	}
	restore(term_catch, sizeof(term_catch) / sizeof(term_catch[0]), term.old_catch);
	fflush(stdout);
	fflush(stderr);
	stderr_restore();
	pipe_close();
}

int
term_read_signal(void)
{
	unsigned char b;
	ssize_t n;

	if (term.pipe[0] < 0)
		return 0;
	do
		n = read(term.pipe[0], &b, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return 0;
	if (b != SIGWINCH && term.quit_signals > 0)
		term.quit_signals--;
	return b;
}

void
term_resize(void)
{
	struct winsize ws;

	if (!term.started)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		resizeterm(ws.ws_row, ws.ws_col);
	} else {
		/* The classic fallback: curses re-reads the size on refresh. */
		endwin();
		refresh();
	}
	clearok(curscr, TRUE);
}

void
term_cursor(bool visible)
{
	if (term.started)
		curs_set(visible ? 1 : 0);
}
