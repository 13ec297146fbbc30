/* tui/commands.c - the command table. A new headless command is one
 * tui/cmd_NAME.c defining `const struct cmd cmd_NAME` and one line here. */
#include "config.h"

#include "cli.h"

extern const struct cmd cmd_help;
extern const struct cmd cmd_version;

const struct cmd *const cli_commands[] = {
        &cmd_help,
        &cmd_version,
        NULL,
};
