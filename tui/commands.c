/* tui/commands.c - the command table. A new headless command is one
 * tui/cmd_NAME.c defining `const struct cmd cmd_NAME` and one line here. */
#include "config.h"

#include "cli.h"

extern const struct cmd cmd_apply;
extern const struct cmd cmd_audit;
extern const struct cmd cmd_clusters;
extern const struct cmd cmd_contexts;
extern const struct cmd cmd_fix;
extern const struct cmd cmd_help;
extern const struct cmd cmd_namespaces;
extern const struct cmd cmd_plan;
extern const struct cmd cmd_policies;
extern const struct cmd cmd_rollback;
extern const struct cmd cmd_serviceaccounts;
extern const struct cmd cmd_themes;
extern const struct cmd cmd_token;
extern const struct cmd cmd_version;
extern const struct cmd cmd_whoami;

/* One command a line (clang-format would pack them). */
/* clang-format off */
const struct cmd *const cli_commands[] = {
        &cmd_apply,
        &cmd_audit,
        &cmd_clusters,
        &cmd_contexts,
        &cmd_fix,
        &cmd_help,
        &cmd_namespaces,
        &cmd_plan,
        &cmd_policies,
        &cmd_rollback,
        &cmd_serviceaccounts,
        &cmd_themes,
        &cmd_token,
        &cmd_version,
        &cmd_whoami,
        NULL,
};
/* clang-format on */
