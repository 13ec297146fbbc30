/* tui/confirm.h - the headless commands' "are you sure?": a question on
 * stderr and an answer typed on the terminal, and Ctrl-C as "stop between
 * steps" while a change runs. No curses here. */
#ifndef IRSA_CONFIRM_H
#define IRSA_CONFIRM_H

#include <signal.h>

#include "cli.h"

enum confirm_answer {
	CONFIRM_NO_TERMINAL = -1, /* stdin is not a terminal: nobody can answer */
	CONFIRM_NO = 0,
	CONFIRM_YES = 1,
};

/* Asks question (ending "[y/N] ") on cli->err and reads a line from stdin
 * when it is a terminal. Only "y" or "yes" (any case) is yes. */
enum confirm_answer confirm_ask(const struct cli *cli, const char *question);

/* Set by the SIGINT handler confirm_catch_interrupt() installs; core's
 * cancel flag. */
extern volatile sig_atomic_t confirm_interrupted;

/* Makes the first Ctrl-C set confirm_interrupted (the apply stops between
 * steps) and a second one end the program as usual. */
void confirm_catch_interrupt(void);

#endif
