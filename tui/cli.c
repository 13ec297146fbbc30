/* tui/cli.c - parses the command line. Global flags may come before or after
 * the command (kubectl's convention); "--" ends flags. An unknown command or
 * flag is one line of error and one line of hint, and exit status 2. */
#include "config.h"

#include "cli.h"

#include "editdist.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct cli_flag cli_global_flags[] = {
        {"profile", 0, "NAME", "AWS profile (default: AWS_PROFILE, else \"default\")"},
        {"region", 0, "REGION", "AWS region (default: AWS_REGION, then the profile)"},
        {"kubeconfig", 0, "PATH", "kubeconfig (default: KUBECONFIG, else ~/.kube/config)"},
        {"context", 0, "NAME", "kubeconfig context (default: the current context)"},
        {"output", 'o', "FORMAT", "output format (see the command's help)"},
        {"debug", 0, NULL, "trace requests to stderr, secrets redacted"},
        {"exec-plugins", 0, NULL, "run aws eks get-token, not the built-in EKS token"},
        {"no-color", 0, NULL, "no colours (also with NO_COLOR or no terminal)"},
        {"read-only", 0, NULL, "the UI only browses: changes hidden and refused"},
        {"theme", 0, "NAME", "UI theme (default: IRSA_THEME, else default)"},
        {"help", 'h', NULL, "show help"},
        {"version", 0, NULL, "print the version and exit"},
        {NULL, 0, NULL, NULL},
};

const struct cmd *
cli_find_command(const char *name)
{
	size_t i;

	for (i = 0; cli_commands[i] != NULL; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

int
cli_usage_error(struct cli *cli, const char *hint, const char *fmt, ...)
{
	va_list ap;

	fputs("irsa: ", cli->err);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	if (hint != NULL)
		fprintf(cli->err, "%s\n", hint);
	return EXIT_USAGE;
}

static const char *
suggest_command(const char *name)
{
	const char *best = NULL;
	size_t i, d, best_d = 3;

	for (i = 0; cli_commands[i] != NULL; i++) {
		d = editdist(name, cli_commands[i]->name, false);
		if (d < best_d) {
			best_d = d;
			best = cli_commands[i]->name;
		}
	}
	return best;
}

static const struct cli_flag *
flag_lookup(const struct cli_flag *flags, const char *name, size_t namelen, char short_name, int *index)
{
	int i;

	if (flags == NULL)
		return NULL;
	for (i = 0; flags[i].name != NULL; i++) {
		if (short_name != 0
		            ? flags[i].short_name == short_name
		            : (strlen(flags[i].name) == namelen && strncmp(flags[i].name, name, namelen) == 0)) {
			if (index != NULL)
				*index = i;
			return &flags[i];
		}
	}
	return NULL;
}

/* Finds a flag among the globals, the command's, or (before the command is
 * known) any command's, so that we know whether it takes a value. */
static const struct cli_flag *
flag_find(const struct cmd *cmd, const char *name, size_t namelen, char short_name, bool *global, int *index)
{
	const struct cli_flag *f;
	size_t i;

	*global = true;
	if ((f = flag_lookup(cli_global_flags, name, namelen, short_name, index)) != NULL)
		return f;
	*global = false;
	if (cmd != NULL)
		return flag_lookup(cmd->flags, name, namelen, short_name, index);
	for (i = 0; cli_commands[i] != NULL; i++)
		if ((f = flag_lookup(cli_commands[i]->flags, name, namelen, short_name, index)) != NULL)
			return f;
	return NULL;
}

/* --region may be given more than once (irsa clusters asks every one);
 * the last one is the region of the other commands. */
static void
add_region(struct cli *cli, const char *value)
{
	cli->region = value;
	if (cli->n_regions < CLI_MAX_REGIONS)
		cli->regions[cli->n_regions] = value;
	cli->n_regions++;
}

static void
set_global(struct cli *cli, const struct cli_flag *f, const char *value)
{
	const char *n = f->name;

	if (strcmp(n, "profile") == 0)
		cli->profile = value;
	else if (strcmp(n, "region") == 0)
		add_region(cli, value);
	else if (strcmp(n, "kubeconfig") == 0)
		cli->kubeconfig = value;
	else if (strcmp(n, "context") == 0)
		cli->context = value;
	else if (strcmp(n, "output") == 0)
		cli->output = value;
	else if (strcmp(n, "debug") == 0)
		cli->debug = true;
	else if (strcmp(n, "exec-plugins") == 0)
		cli->exec_plugins = true;
	else if (strcmp(n, "no-color") == 0)
		cli->color = false;
	else if (strcmp(n, "read-only") == 0)
		cli->read_only = true;
	else if (strcmp(n, "theme") == 0)
		cli->theme = value;
	else if (strcmp(n, "help") == 0)
		cli->help = true;
	else if (strcmp(n, "version") == 0)
		cli->version = true;
}

static int
unknown_flag(struct cli *cli, const char *arg)
{
	char hint[256];

	if (cli->cmd != NULL)
		snprintf(hint, sizeof(hint), "Run 'irsa help %s' for the flags it accepts.", cli->cmd->name);
	else
		snprintf(hint, sizeof(hint), "Run 'irsa --help' for the global flags.");
	return cli_usage_error(cli, hint, "unknown flag %s%s%s", arg, cli->cmd ? " for irsa " : "",
	                       cli->cmd ? cli->cmd->name : "");
}

/* One pass over argv. With first_pass set it only locates the command (the
 * first positional argument) and reports unknown flags before it. */
static int
parse_pass(struct cli *cli, int argc, char **argv, bool first_pass, int *cmd_index)
{
	const struct cli_flag *f;
	const char *arg, *name, *value;
	size_t namelen;
	bool global, dashdash = false;
	int i, index = 0;

	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (dashdash || arg[0] != '-' || arg[1] == '\0') {
			if (first_pass) {
				if (*cmd_index == 0) {
					*cmd_index = i;
					return 0;
				}
			} else if (i != *cmd_index) {
				cli->argv[cli->argc++] = argv[i];
			}
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = true;
			continue;
		}
		value = NULL;
		if (arg[1] == '-') { /* --name or --name=value */
			name = arg + 2;
			namelen = strcspn(name, "=");
			if (name[namelen] == '=')
				value = name + namelen + 1;
			f = flag_find(cli->cmd, name, namelen, 0, &global, &index);
		} else { /* -o json, -ojson, -h */
			f = flag_find(cli->cmd, NULL, 0, arg[1], &global, &index);
			if (arg[2] != '\0')
				value = arg + 2;
		}
		if (f == NULL)
			return unknown_flag(cli, arg);
		if (f->value_name != NULL && value == NULL) {
			if (i + 1 >= argc)
				return cli_usage_error(cli, "Give the value after the flag, e.g. --region us-east-1.",
				                       "flag --%s needs a %s", f->name, f->value_name);
			value = argv[++i];
		} else if (f->value_name == NULL && value != NULL) {
			return cli_usage_error(cli, NULL, "flag --%s takes no value (got \"%s\")", f->name, value);
		}
		if (first_pass)
			continue;
		if (global)
			set_global(cli, f, value);
		else if (index < CLI_MAX_FLAGS) {
			cli->flag_values[index] = value != NULL ? value : "true";
			cli->flag_set[index] = true;
			if (cli->n_repeats >= CLI_MAX_REPEATS)
				return cli_usage_error(cli, "Split the work into several runs.",
				                       "more than %d command flags given", CLI_MAX_REPEATS);
			cli->repeats[cli->n_repeats].index = index;
			cli->repeats[cli->n_repeats++].value = cli->flag_values[index];
		}
	}
	return 0;
}

static bool
output_accepted(const struct cmd *cmd, const char *output)
{
	const char *p = cmd->outputs;
	size_t n = strlen(output);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, output, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return false;
}

int
cli_parse(struct cli *cli, int argc, char **argv)
{
	const char *suggestion, *no_color;
	char hint[256];
	int cmd_index = 0, rc;

	no_color = getenv("NO_COLOR");
	cli->color = isatty(fileno(cli->out)) && (no_color == NULL || no_color[0] == '\0');
	cli->argv = calloc((size_t)argc + 1, sizeof(char *));
	if (cli->argv == NULL)
		return cli_usage_error(cli, NULL, "out of memory");

	if ((rc = parse_pass(cli, argc, argv, true, &cmd_index)) != 0)
		return rc;
	if (cmd_index > 0) {
		cli->cmd = cli_find_command(argv[cmd_index]);
		if (cli->cmd == NULL) {
			suggestion = suggest_command(argv[cmd_index]);
			if (suggestion != NULL)
				snprintf(hint, sizeof(hint),
				         "Did you mean 'irsa %s'? Run 'irsa --help' for the commands.", suggestion);
			else
				snprintf(hint, sizeof(hint), "Run 'irsa --help' for the commands.");
			return cli_usage_error(cli, hint, "unknown command \"%s\"", argv[cmd_index]);
		}
	}
	if ((rc = parse_pass(cli, argc, argv, false, &cmd_index)) != 0)
		return rc;
	if (cli->output != NULL && cli->cmd != NULL && !cli->help && !output_accepted(cli->cmd, cli->output)) {
		snprintf(hint, sizeof(hint), "irsa %s accepts -o %s.", cli->cmd->name, cli->cmd->outputs);
		for (char *p = strchr(hint, ','); p != NULL; p = strchr(p, ','))
			*p = '|';
		return cli_usage_error(cli, hint, "output format \"%s\" is not supported by irsa %s", cli->output,
		                       cli->cmd->name);
	}
	return 0;
}

const char *
cli_flag_value(const struct cli *cli, const char *name)
{
	int index;

	if (cli->cmd == NULL || flag_lookup(cli->cmd->flags, name, strlen(name), 0, &index) == NULL)
		return NULL;
	return index < CLI_MAX_FLAGS && cli->flag_set[index] ? cli->flag_values[index] : NULL;
}

bool
cli_flag_given(const struct cli *cli, const char *name)
{
	return cli_flag_value(cli, name) != NULL;
}

static void
print_flags(FILE *out, const struct cli_flag *flags)
{
	char left[64];
	size_t i;

	for (i = 0; flags != NULL && flags[i].name != NULL; i++) {
		if (flags[i].short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", flags[i].short_name, flags[i].name,
			         flags[i].value_name ? " " : "", flags[i].value_name ? flags[i].value_name : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", flags[i].name, flags[i].value_name ? " " : "",
			         flags[i].value_name ? flags[i].value_name : "");
		fprintf(out, "  %-22s %s\n", left, flags[i].help);
	}
}

void
cli_print_overview(FILE *out)
{
	size_t i, width = 0;

	fputs("irsa - bind Kubernetes service accounts on Amazon EKS to IAM roles (IRSA),\n"
	      "audit every binding, and fix broken ones with a previewed plan.\n\n"
	      "Usage:\n"
	      "  irsa [flags]                 the terminal UI (in a terminal; else this help)\n"
	      "  irsa COMMAND [flags] [args]  run one command headless, for scripts and CI\n\n"
	      "Commands:\n",
	      out);
	for (i = 0; cli_commands[i] != NULL; i++)
		if (strlen(cli_commands[i]->name) > width)
			width = strlen(cli_commands[i]->name);
	for (i = 0; cli_commands[i] != NULL; i++)
		fprintf(out, "  %-*s  %s\n", (int)width, cli_commands[i]->name, cli_commands[i]->summary);
	fputs("\nGlobal flags (before or after the command):\n", out);
	print_flags(out, cli_global_flags);
	fputs("\nRun 'irsa help COMMAND' for a command's flags and examples.\n", out);
}

void
cli_print_command_help(FILE *out, const struct cmd *cmd)
{
	fprintf(out, "irsa %s - %s\n\nUsage:\n  irsa %s\n", cmd->name, cmd->summary, cmd->usage);
	if (cmd->description != NULL)
		fprintf(out, "\n%s\n", cmd->description);
	if (cmd->flags != NULL && cmd->flags[0].name != NULL) {
		fputs("\nFlags:\n", out);
		print_flags(out, cmd->flags);
	}
	fputs("\nGlobal flags:\n", out);
	print_flags(out, cli_global_flags);
}

size_t
cli_flag_values(const struct cli *cli, const char *name, const char **out, size_t max)
{
	size_t n = 0;
	int index;

	if (cli->cmd == NULL || flag_lookup(cli->cmd->flags, name, strlen(name), 0, &index) == NULL)
		return 0;
	for (int i = 0; i < cli->n_repeats; i++)
		if (cli->repeats[i].index == index) {
			if (n < max)
				out[n] = cli->repeats[i].value;
			n++;
		}
	return n;
}
