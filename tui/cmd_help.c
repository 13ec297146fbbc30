/* tui/cmd_help.c - `irsa help [COMMAND]`. */
#include "config.h"

#include "cli.h"

static int
help_run(struct cli *cli)
{
	const struct cmd *cmd;

	if (cli->argc == 0) {
		cli_print_overview(cli->out);
		return EXIT_OK;
	}
	if (cli->argc > 1)
		return cli_usage_error(cli, "Run 'irsa help COMMAND'.", "help takes one command name");
	cmd = cli_find_command(cli->argv[0]);
	if (cmd == NULL)
		return cli_usage_error(cli, "Run 'irsa --help' for the commands.", "unknown command \"%s\"",
		                       cli->argv[0]);
	cli_print_command_help(cli->out, cmd);
	return EXIT_OK;
}

const struct cmd cmd_help = {
        .name = "help",
        .summary = "show the commands, or one command's usage and flags",
        .usage = "help [COMMAND]",
        .outputs = "text",
        .run = help_run,
};
