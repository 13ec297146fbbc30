/* tui/cli.h - the command line: global flags, the command table's types and
 * the parser that accepts flags before or after the command, as kubectl does.
 * No curses here: headless commands use only this and core. */
#ifndef IRSA_CLI_H
#define IRSA_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define CLI_MAX_FLAGS   24
#define CLI_MAX_REGIONS 64
#define CLI_MAX_REPEATS 64 /* occurrences of the command flags, in all */

/* Exit statuses shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_RUN = 1, /* the command ran and failed */
	EXIT_USAGE = 2,       /* bad command line */
};

struct cli_flag {
	const char *name;       /* long name without "--" */
	char short_name;        /* 0 when none */
	const char *value_name; /* NULL for a boolean flag */
	const char *help;
};

struct cli;

struct cmd {
	const char *name;
	const char *summary;          /* one line for the command list */
	const char *usage;            /* after "irsa ": e.g. "version [-o text|json]" */
	const char *description;      /* paragraphs for `irsa help NAME` */
	const char *outputs;          /* accepted -o values, comma separated */
	const struct cli_flag *flags; /* command flags, ended by a zeroed entry; may be NULL */
	int (*run)(struct cli *cli);
};

/* Everything the parser learnt. Strings are borrowed from argv. */
struct cli {
	const char *profile;
	const char *region;                   /* the last --region */
	const char *regions[CLI_MAX_REGIONS]; /* every --region, in order (irsa clusters takes several) */
	int n_regions;                        /* how many were given; may exceed CLI_MAX_REGIONS */
	const char *kubeconfig;
	const char *context;
	const char *output; /* NULL when not given */
	bool debug;
	bool exec_plugins; /* run EKS token plugins rather than make their tokens (core/kube_eks_auth.h) */
	bool color;        /* false with --no-color, NO_COLOR or a non-terminal */
	bool read_only;    /* --read-only: the UI hides and refuses every change */
	const char *theme; /* --theme NAME (the UI); NULL when not given */
	bool help;
	bool version;

	const struct cmd *cmd;                  /* NULL: no command given */
	const char *flag_values[CLI_MAX_FLAGS]; /* by index in cmd->flags: the last occurrence */
	bool flag_set[CLI_MAX_FLAGS];
	struct {
		int index; /* in cmd->flags */
		const char *value;
	} repeats[CLI_MAX_REPEATS]; /* every occurrence, in order, for flags given more than once (--policy) */
	int n_repeats;
	int argc; /* positional arguments after the command */
	char **argv;

	FILE *out;
	FILE *err;
};

/* The command table (commands.c), ended by NULL. */
extern const struct cmd *const cli_commands[];
extern const struct cli_flag cli_global_flags[];

/* Parses argv into cli. On a usage error prints one line and a hint to
 * cli->err and returns EXIT_USAGE; otherwise returns 0. */
int cli_parse(struct cli *cli, int argc, char **argv);

/* Looks a command up by name; NULL when unknown. */
const struct cmd *cli_find_command(const char *name);

/* The value of the command's flag `name`, or NULL when not given. */
const char *cli_flag_value(const struct cli *cli, const char *name);
bool cli_flag_given(const struct cli *cli, const char *name);

/* Every value of the command's flag `name`, in the order given: fills out
 * (up to max) and returns how many there were. */
size_t cli_flag_values(const struct cli *cli, const char *name, const char **out, size_t max);

/* Prints "irsa: <message>" and a hint line to cli->err; returns EXIT_USAGE. */
int cli_usage_error(struct cli *cli, const char *hint, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Help texts. */
void cli_print_overview(FILE *out);
void cli_print_command_help(FILE *out, const struct cmd *cmd);

#endif
