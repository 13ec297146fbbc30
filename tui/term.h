/* tui/term.h - the terminal while the UI runs: curses started and always
 * stopped (q, SIGINT, SIGTERM, SIGHUP, a crash, exit()), stderr kept aside
 * while curses owns the screen and shown after it, signals turned into
 * bytes on a pipe the loop polls, and the window size followed. The only
 * file that starts or stops curses. */
#ifndef IRSA_TERM_H
#define IRSA_TERM_H

#include <stdbool.h>

#include "error.h"

/* Starts curses on stdin/stdout (newterm: a TERM terminfo lacks is an
 * error, not an exit), cbreak, noecho, keypad, non-blocking reads, cursor
 * hidden, ESC delay 25 ms, colours when the terminal has them and
 * want_color (default background kept), Shift-Tab as KEY_BTAB; no mouse.
 * Catches SIGINT, SIGTERM, SIGHUP and SIGWINCH (see term_signal_fd()) and
 * the crash signals (the terminal is restored before the program dies).
 * stderr goes to a memory file until term_stop(). Returns 0, or -1 with
 * err set (nothing left changed). */
int term_start(bool want_color, struct irsa_error *err);

/* Restores the terminal (endwin), the signal handlers and stderr, then
 * writes what was written to stderr meanwhile between markers, as htop
 * does. Safe to call twice, and when term_start() failed; also registered
 * with atexit(). */
void term_stop(void);

/* True between term_start() and term_stop(). */
bool term_started(void);

/* The descriptor the loop polls: readable when a signal arrived. */
int term_signal_fd(void);

/* The next signal that arrived (SIGINT, SIGTERM, SIGHUP, SIGWINCH), or 0
 * when none is pending. Never blocks. */
int term_read_signal(void);

/* After SIGWINCH: reads the window size and resizes curses to it. */
void term_resize(void);

/* True when the locale's charset is UTF-8: glyphs such as "…" and "✓"
 * may be drawn; otherwise ASCII only. Known before term_start(). */
bool term_utf8(void);

/* Shows or hides the cursor (shown while a prompt takes text). */
void term_cursor(bool visible);

#endif
