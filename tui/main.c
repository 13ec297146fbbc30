/* tui/main.c - irsa's entry point: parses the command line, sets up the log
 * sink, runs one headless command, or (with no command, stdin and stdout
 * on a terminal) the terminal UI. Only main() decides the exit status. */
#include "config.h"

#include <curl/curl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "plan_apply.h"
#include "redact.h"
#include "ui.h"

static void
stderr_sink(enum log_level level, const char *line, void *arg)
{
	fprintf((FILE *)arg, "irsa: %s: %s\n", log_level_name(level), line);
}

int
main(int argc, char **argv)
{
	struct cli cli = {.out = stdout, .err = stderr};
	int rc;

	setlocale(LC_ALL, "");
	/* A peer that hangs up must give an error from the write, not kill us
	 * (libcurl's advice for programs that use it with threads). */
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("irsa: cannot initialise libcurl\n", stderr);
		return EXIT_FAILURE_RUN;
	}
	rc = cli_parse(&cli, argc, argv);
	if (rc != 0)
		goto out;
	/* --read-only is enforced in core too: plan_apply() and plan_rollback()
	 * refuse, whichever screen or command calls them. */
	plan_set_read_only(cli.read_only);
	log_set_sink(stderr_sink, stderr, cli.debug ? LOG_TRACE : LOG_WARN);

	if (cli.version) {
		fprintf(cli.out, "irsa %s\n", PACKAGE_VERSION);
		rc = EXIT_OK;
	} else if (cli.help) {
		if (cli.cmd != NULL)
			cli_print_command_help(cli.out, cli.cmd);
		else
			cli_print_overview(cli.out);
		rc = EXIT_OK;
	} else if (cli.cmd == NULL) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			rc = ui_main(&cli);
		} else {
			cli_print_overview(cli.out);
			fputs("\nThe terminal UI needs a terminal: run irsa with stdin and stdout on one.\n", cli.out);
			rc = EXIT_OK;
		}
	} else {
		rc = cli.cmd->run(&cli);
	}
	if (fflush(cli.out) != 0 && rc == EXIT_OK) {
		fputs("irsa: cannot write the output\n", stderr);
		rc = EXIT_FAILURE_RUN;
	}
out:
	log_set_sink(NULL, NULL, LOG_ERROR);
	redact_reset();
	free(cli.argv);
	curl_global_cleanup();
	return rc;
}
