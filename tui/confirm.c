/* tui/confirm.c - the question before a change and Ctrl-C between steps
 * (see confirm.h). No curses here. */
#include "config.h"

#include "confirm.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

volatile sig_atomic_t confirm_interrupted;

enum confirm_answer
confirm_ask(const struct cli *cli, const char *question)
{
	char line[64];
	size_t n;

	if (!isatty(STDIN_FILENO))
		return CONFIRM_NO_TERMINAL;
	fputs(question, cli->err);
	fflush(cli->err);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return CONFIRM_NO;
	n = strlen(line);
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0 ? CONFIRM_YES : CONFIRM_NO;
}

static void
on_interrupt(int sig)
{
	(void)sig;
	confirm_interrupted = 1;
	signal(SIGINT, SIG_DFL);
}

void
confirm_catch_interrupt(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}
