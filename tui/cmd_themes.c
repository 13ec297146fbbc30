/* tui/cmd_themes.c - `irsa themes`: the themes irsa finds and the one it
 * would use, `--check FILE...` to validate theme files (for theme authors
 * and CI), `--show` to print how each role of a theme is drawn with 256, 8
 * or no colours. Headless: no terminal is opened. */
#include "config.h"

#include <dirent.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "theme.h"

#define THEMES_DIRS_MAX 8
#define THEMES_LIST_MAX 512

static const struct cli_flag themes_flags[] = {
        {"check", 0, NULL, "load each FILE (or theme name) and report errors"},
        {"show", 0, NULL, "print each role of the selected theme"},
        {"colors", 0, "N", "with --show: 256, 16, 8 or 0 colours (default 256)"},
        {NULL, 0, NULL, NULL},
};

struct theme_entry {
	char *name; /* NAME of NAME.yaml: what --theme takes */
	char *file;
	int dir; /* index in the search order */
	bool shadowed;
	bool ok;
};

static bool
want_json(const struct cli *cli)
{
	return cli->output != NULL && strcmp(cli->output, "json") == 0;
}

static void
json_print(struct cli *cli, json_object *o)
{
	fprintf(cli->out, "%s\n",
	        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Why theme_choose() chose what it chose. */
static const char *
choice_reason(const char *flag)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM"), *env = getenv("IRSA_THEME");

	if (no_color != NULL && no_color[0] != '\0')
		return "NO_COLOR is set";
	if (term != NULL && strcmp(term, "dumb") == 0)
		return "TERM is dumb";
	if (flag != NULL && flag[0] != '\0')
		return "--theme";
	if (env != NULL && env[0] != '\0')
		return "IRSA_THEME";
	if (theme_from_config() != NULL)
		return "the config file";
	return "the default";
}

static int
check_run(struct cli *cli)
{
	struct irsa_error err;
	struct theme *t;
	json_object *arr = want_json(cli) ? json_object_new_array() : NULL, *o;
	int rc = EXIT_OK;

	if (cli->argc == 0)
		return cli_usage_error(cli, "Example: irsa themes --check themes/*.yaml",
		                       "--check needs FILE arguments");
	for (int i = 0; i < cli->argc; i++) {
		t = theme_load(cli->argv[i], &err);
		if (t == NULL)
			rc = EXIT_FAILURE_RUN;
		if (arr != NULL) {
			o = json_object_new_object();
			json_object_object_add(o, "file", json_object_new_string(cli->argv[i]));
			json_object_object_add(o, "ok", json_object_new_boolean(t != NULL));
			if (t != NULL)
				json_object_object_add(o, "name", json_object_new_string(theme_name(t)));
			else
				json_object_object_add(o, "error", json_object_new_string(err.message));
			json_object_array_add(arr, o);
		} else if (t != NULL) {
			fprintf(cli->out, "%s: ok\n", cli->argv[i]);
		} else {
			fprintf(cli->err, "%s\n", err.message);
		}
		theme_free(t);
	}
	if (arr != NULL)
		json_print(cli, arr);
	return rc;
}

static void
colour_name(int c, char *out, size_t outsz)
{
	if (c < 0)
		snprintf(out, outsz, "default");
	else
		snprintf(out, outsz, "%d", c);
}

static void
attrs_name(attr_t a, char *out, size_t outsz)
{
	static const struct {
		attr_t attr;
		const char *name;
	} names[] = {
	        {A_BOLD, "bold"},     {A_UNDERLINE, "underline"}, {A_REVERSE, "reverse"},
	        {A_DIM, "dim"},       {A_STANDOUT, "standout"},
#ifdef A_ITALIC
	        {A_ITALIC, "italic"},
#endif
	};

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((a & names[i].attr) == names[i].attr && names[i].attr != A_NORMAL)
			snprintf(out + strlen(out), outsz - strlen(out), "%s%s", out[0] != '\0' ? "," : "",
			         names[i].name);
	if (out[0] == '\0')
		snprintf(out, outsz, "-");
}

static int
show_run(struct cli *cli, const char *chosen)
{
	const char *colors = cli_flag_value(cli, "colors");
	char fg_s[16], bg_s[16], attrs_s[80], *end;
	json_object *o = NULL, *roles = NULL, *ro;
	struct irsa_error err;
	struct theme *t;
	attr_t attrs;
	long n = 256;
	int fg, bg;

	if (colors != NULL) {
		n = strtol(colors, &end, 10);
		if (*end != '\0' || (n != 0 && n != 8 && n != 16 && n != 256))
			return cli_usage_error(cli, "Give 256, 16, 8 or 0 (no colours: the mono attributes).",
			                       "--colors %s: not a number of terminal colours", colors);
	}
	if ((t = theme_load(chosen, &err)) == NULL) {
		fprintf(cli->err, "irsa: %s\n", err.message);
		return EXIT_FAILURE_RUN;
	}
	if (want_json(cli)) {
		o = json_object_new_object();
		roles = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(theme_name(t)));
		json_object_object_add(o, "file", theme_file(t) ? json_object_new_string(theme_file(t)) : NULL);
		json_object_object_add(o, "colors", json_object_new_int((int)n));
		json_object_object_add(o, "roles", roles);
	} else {
		fprintf(cli->out, "theme: %s (%s), %ld colours\n", theme_name(t),
		        theme_file(t) != NULL ? theme_file(t) : "built in", n);
		fprintf(cli->out, "%-14s %-8s %-8s %s\n", "ROLE", "FG", "BG", "ATTRS");
	}
	for (int r = 0; r < THEME_N_ROLES; r++) {
		theme_resolve(t, (enum theme_role)r, (int)n, &fg, &bg, &attrs);
		colour_name(fg, fg_s, sizeof(fg_s));
		colour_name(bg, bg_s, sizeof(bg_s));
		attrs_name(attrs, attrs_s, sizeof(attrs_s));
		if (roles != NULL) {
			ro = json_object_new_object();
			json_object_object_add(ro, "fg", json_object_new_int(fg));
			json_object_object_add(ro, "bg", json_object_new_int(bg));
			json_object_object_add(ro, "attrs", json_object_new_string(attrs_s));
			json_object_object_add(roles, theme_role_name((enum theme_role)r), ro);
		} else {
			fprintf(cli->out, "%-14s %-8s %-8s %s\n", theme_role_name((enum theme_role)r), fg_s, bg_s,
			        attrs_s);
		}
	}
	if (o != NULL)
		json_print(cli, o);
	theme_free(t);
	return EXIT_OK;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct theme_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : x->dir - y->dir;
}

/* Every NAME.yaml of every search directory, sorted by name then search
 * order; the later ones of a name are shadowed. Returns how many. */
static size_t
entries_collect(struct theme_entry *e, size_t max)
{
	char *dirs[THEMES_DIRS_MAX];
	struct irsa_error err;
	struct dirent *d;
	struct theme *t;
	size_t n = 0, nd, len;
	DIR *dir;

	nd = theme_dirs(dirs, THEMES_DIRS_MAX);
	for (size_t i = 0; i < nd; i++) {
		if ((dir = opendir(dirs[i])) == NULL)
			continue;
		while ((d = readdir(dir)) != NULL && n < max) {
			len = strlen(d->d_name);
			if (len <= 5 || d->d_name[0] == '.' || strcmp(d->d_name + len - 5, ".yaml") != 0)
				continue;
			e[n].name = strndup(d->d_name, len - 5);
			e[n].file = malloc(strlen(dirs[i]) + len + 2);
			if (e[n].name == NULL || e[n].file == NULL) {
				free(e[n].name);
				free(e[n].file);
				continue;
			}
			sprintf(e[n].file, "%s/%s", dirs[i], d->d_name);
			e[n].dir = (int)i;
			e[n].shadowed = false;
			n++;
		}
		closedir(dir);
	}
	for (size_t i = 0; i < nd; i++)
		free(dirs[i]);
	qsort(e, n, sizeof(e[0]), entry_cmp);
	for (size_t i = 0; i < n; i++) {
		e[i].shadowed = i > 0 && strcmp(e[i].name, e[i - 1].name) == 0;
		t = theme_load(e[i].file, &err);
		e[i].ok = t != NULL;
		theme_free(t);
	}
	return n;
}

static int
list_run(struct cli *cli, const char *flag, const char *chosen)
{
	struct theme_entry *e = calloc(THEMES_LIST_MAX, sizeof(*e));
	json_object *o, *sel, *arr, *eo;
	struct irsa_error err;
	struct theme *t;
	size_t n;
	int rc = EXIT_OK;

	if (e == NULL) {
		fputs("irsa: out of memory\n", cli->err);
		return EXIT_FAILURE_RUN;
	}
	n = entries_collect(e, THEMES_LIST_MAX);
	t = theme_load(chosen, &err);
	if (t == NULL)
		rc = EXIT_FAILURE_RUN;
	if (want_json(cli)) {
		o = json_object_new_object();
		sel = json_object_new_object();
		json_object_object_add(sel, "name", json_object_new_string(chosen));
		json_object_object_add(sel, "reason", json_object_new_string(choice_reason(flag)));
		json_object_object_add(
		        sel, "file", t != NULL && theme_file(t) != NULL ? json_object_new_string(theme_file(t)) : NULL);
		if (t == NULL)
			json_object_object_add(sel, "error", json_object_new_string(err.message));
		json_object_object_add(o, "selected", sel);
		arr = json_object_new_array();
		for (size_t i = 0; i < n; i++) {
			eo = json_object_new_object();
			json_object_object_add(eo, "name", json_object_new_string(e[i].name));
			json_object_object_add(eo, "file", json_object_new_string(e[i].file));
			json_object_object_add(eo, "shadowed", json_object_new_boolean(e[i].shadowed));
			json_object_object_add(eo, "ok", json_object_new_boolean(e[i].ok));
			json_object_array_add(arr, eo);
		}
		json_object_object_add(o, "themes", arr);
		json_print(cli, o);
	} else {
		fprintf(cli->out, "selected: %s (%s) %s\n\n", chosen, choice_reason(flag),
		        t == NULL               ? "not loaded"
		        : theme_file(t) != NULL ? theme_file(t)
		                                : "built in");
		fprintf(cli->out, "%-16s %s\n", "NAME", "FILE");
		fprintf(cli->out, "%-16s %s\n", "base", "(built in)");
		for (size_t i = 0; i < n; i++)
			fprintf(cli->out, "%-16s %s%s%s\n", e[i].name, e[i].file, e[i].shadowed ? " (shadowed)" : "",
			        e[i].ok ? "" : " (broken: see irsa themes --check)");
	}
	if (t == NULL)
		fprintf(cli->err, "irsa: %s\n", err.message);
	theme_free(t);
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].file);
	}
	free(e);
	return rc;
}

static int
themes_run(struct cli *cli)
{
	const char *flag = cli->theme, *chosen = theme_choose(flag); /* the global --theme */

	if (cli_flag_given(cli, "check")) {
		if (cli_flag_given(cli, "show"))
			return cli_usage_error(cli, "Give one of them.", "--check and --show cannot be given together");
		return check_run(cli);
	}
	if (cli->argc > 0)
		return cli_usage_error(cli, "To check theme files: irsa themes --check FILE...",
		                       "themes takes no arguments (got \"%s\")", cli->argv[0]);
	if (cli_flag_given(cli, "colors") && !cli_flag_given(cli, "show"))
		return cli_usage_error(cli, "Example: irsa themes --show --colors 8", "--colors goes with --show");
	if (cli_flag_given(cli, "show"))
		return show_run(cli, chosen);
	return list_run(cli, flag, chosen);
}

const struct cmd cmd_themes = {
        .name = "themes",
        .summary = "list the colour themes, check theme files",
        .usage = "themes [--check FILE... | --show [--colors N]] [--theme NAME]",
        .description = "Lists the themes found, in search order: $XDG_CONFIG_HOME/irsa/themes\n"
                       "(~/.config/irsa/themes when unset), the installed themes, then the source\n"
                       "tree's themes/. The first line says which theme the UI would use and why:\n"
                       "--theme, else IRSA_THEME, else \"default\"; \"mono\" when NO_COLOR is set or\n"
                       "TERM is dumb.\n"
                       "\n"
                       "--check loads each FILE and prints \"FILE: ok\" or \"FILE:LINE: what is\n"
                       "wrong\"; it exits 1 when any file has an error. --show prints how each role\n"
                       "of the selected theme is drawn: colour numbers (xterm-256, or the 8 basic\n"
                       "colours with --colors 8) and attributes; --colors 0 shows the mono section.\n"
                       "\n"
                       "Examples:\n"
                       "  irsa themes --check ~/.config/irsa/themes/mine.yaml\n"
                       "  irsa themes --theme light --show --colors 8",
        .outputs = "text,json",
        .flags = themes_flags,
        .run = themes_run,
};
