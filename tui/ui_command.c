/* tui/ui_command.c - the `:` command line's commands: a table (name,
 * arguments, help, action) that both the dispatcher and the `?` help read.
 * Commands move the stack to where the user asked (ui.h, struct ui_goto,
 * says which screens each one leaves open); `:ctx` checks the context in
 * the kubeconfig first (a local read) and says which ones exist when it
 * is not there. */
#include "config.h"

#include "ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editdist.h"
#include "kubeconfig.h"

struct ui_cmd {
	const char *name;
	const char *args;
	const char *help; /* NULL: an alias, left out of the help */
	void (*run)(struct ui *ui, const char *arg);
};

/* Where the user is: the nearest level that names a context (or an EKS
 * cluster no context reaches), else --context / :ctx, else the
 * kubeconfig's current context (context NULL). Copies, so that popping
 * screens cannot pull the strings away. */
struct scope {
	bool has_context, has_cluster;
	char context[UI_NAME_MAX + 1];
	char cluster[UI_NAME_MAX + 1];
	char region[UI_NAME_MAX + 1];
};

static void
scope_of_screen(const struct ui *ui, const struct frame_screen *fs, struct scope *sc)
{
	const char *ctx = fs == NULL || fs->context_default ? ui->cli->context
	                  : fs->context[0] != '\0'          ? fs->context
	                                                    : NULL;

	memset(sc, 0, sizeof(*sc));
	if (ctx != NULL) {
		sc->has_context = true;
		snprintf(sc->context, sizeof(sc->context), "%s", ctx);
	}
	if (fs != NULL && fs->has_cluster) {
		sc->has_cluster = true;
		snprintf(sc->cluster, sizeof(sc->cluster), "%s", fs->cluster);
		snprintf(sc->region, sizeof(sc->region), "%s", fs->region);
	}
}

static void
scope_get(const struct ui *ui, struct scope *sc)
{
	for (int i = ui->depth - 1; i >= 0; i--) {
		if (ui->stack[i]->has_context) {
			scope_of_screen(ui, ui->stack[i], sc);
			return;
		}
	}
	scope_of_screen(ui, NULL, sc);
}

static bool
scope_same(const struct ui *ui, const struct frame_screen *fs, const struct scope *sc)
{
	struct scope other;

	scope_of_screen(ui, fs, &other);
	return other.has_context == sc->has_context && other.has_cluster == sc->has_cluster &&
	       strcmp(other.context, sc->context) == 0 && strcmp(other.cluster, sc->cluster) == 0 &&
	       strcmp(other.region, sc->region) == 0;
}

static const char *
scope_ns(const struct ui *ui)
{
	for (int i = ui->depth - 1; i >= 0; i--)
		if (ui->stack[i]->has_ns)
			return ui->stack[i]->ns;
	return NULL;
}

static int
push_goto(struct ui *ui, const struct screen_ops *ops, const struct scope *sc, const char *ns, const char *name)
{
	struct ui_goto go = {
	        .context = sc->has_context ? sc->context : NULL,
	        .ns = ns,
	        .name = name,
	        .cluster = sc->has_cluster ? sc->cluster : NULL,
	        .region = sc->has_cluster && sc->region[0] != '\0' ? sc->region : NULL,
	};

	return ui_push(ui, ops, &go);
}

/* Leaves the namespaces screen of sc on top: the one on the stack (what
 * is above it closes), else a new one above the clusters screen. */
static int
to_namespaces(struct ui *ui, const struct scope *sc)
{
	for (int i = ui->depth - 1; i >= 0; i--) {
		if (ui->stack[i]->s.ops == &screen_namespaces && scope_same(ui, ui->stack[i], sc)) {
			ui_pop_to(ui, i + 1);
			return 0;
		}
	}
	ui_pop_to(ui, 1);
	return push_goto(ui, &screen_namespaces, sc, NULL, NULL);
}

static void
cmd_quit(struct ui *ui, const char *arg)
{
	ui_quit(ui, EXIT_OK);
}

static void
cmd_clusters(struct ui *ui, const char *arg)
{
	ui_pop_to(ui, 1);
}

static void
cmd_help(struct ui *ui, const char *arg)
{
	ui->help = true;
	ui->help_top = 0;
}

static void
cmd_log(struct ui *ui, const char *arg)
{
	if (ui_top(ui)->s.ops != &ui_log_screen)
		ui_push(ui, &ui_log_screen, NULL);
}

/* The service accounts of ns (NULL: all), or with "NS/NAME" one account. */
static void
open_serviceaccounts(struct ui *ui, const char *ns_arg)
{
	char ns[UI_NAME_MAX + 1], *slash = NULL;
	struct scope sc;

	scope_get(ui, &sc);
	if (ns_arg != NULL) {
		snprintf(ns, sizeof(ns), "%s", ns_arg); /* ns_arg may point into a screen that closes */
		if ((slash = strchr(ns, '/')) != NULL)
			*slash++ = '\0';
	}
	if (to_namespaces(ui, &sc) != 0)
		return;
	if (push_goto(ui, &screen_serviceaccounts, &sc, ns_arg != NULL ? ns : NULL, NULL) != 0)
		return;
	if (slash != NULL && *slash != '\0')
		push_goto(ui, &screen_sa_detail, &sc, ns, slash);
}

static void
cmd_ns(struct ui *ui, const char *arg)
{
	struct scope sc;

	if (arg != NULL) {
		open_serviceaccounts(ui, arg);
		return;
	}
	scope_get(ui, &sc);
	to_namespaces(ui, &sc);
}

static void
cmd_sa(struct ui *ui, const char *arg)
{
	open_serviceaccounts(ui, arg != NULL ? arg : scope_ns(ui));
}

/* Says which contexts there are when name is not one of them. */
static int
context_check(struct ui *ui, const char *name)
{
	struct kubeconfig *cfg = NULL;
	struct kube_context_info info;
	struct irsa_error err;
	const char *best = NULL;
	char list[256] = "";
	size_t n, i, d, best_d = 4, len = 0;
	bool found = false;

	irsa_error_clear(&err);
	if (kubeconfig_load(ui->cli->kubeconfig, &cfg, &err) != 0) {
		ui_flash_error(ui, &err);
		return -1;
	}
	n = kubeconfig_n_contexts(cfg);
	for (i = 0; i < n && !found; i++) {
		if (kubeconfig_context(cfg, i, &info) != 0)
			continue;
		if (strcmp(info.name, name) == 0) {
			found = true;
			break;
		}
		if ((d = editdist(name, info.name, true)) < best_d) {
			best_d = d;
			best = info.name;
		}
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", info.name);
	}
	if (!found) {
		if (best != NULL)
			ui_flash(ui, UI_FLASH_ERROR, "no context \"%s\" in the kubeconfig; did you mean %s?", name,
			         best);
		else if (n == 0)
			ui_flash(ui, UI_FLASH_ERROR, "no context \"%s\": the kubeconfig has no contexts", name);
		else
			ui_flash(ui, UI_FLASH_ERROR, "no context \"%s\" in the kubeconfig (there are: %s)", name, list);
	}
	kubeconfig_free(cfg);
	return found ? 0 : -1;
}

static void
cmd_ctx(struct ui *ui, const char *arg)
{
	struct scope sc;
	char *copy;

	if (arg == NULL) {
		ui_pop_to(ui, 1);
		ui_flash(ui, UI_FLASH_INFO, "pick a context, or :ctx NAME");
		return;
	}
	if (context_check(ui, arg) != 0)
		return;
	if ((copy = strdup(arg)) == NULL) {
		ui_flash(ui, UI_FLASH_ERROR, "out of memory");
		return;
	}
	ui_pop_to(ui, 1);
	free(ui->context_store);
	ui->context_store = copy;
	ui->cli->context = copy;
	ui_log(ui, "context: %s", copy);
	scope_of_screen(ui, NULL, &sc);
	push_goto(ui, &screen_namespaces, &sc, NULL, NULL);
}

/* The audit of the cluster in scope, or of context NAME (screen_audit.c);
 * an audit on top is replaced. */
static void
cmd_audit(struct ui *ui, const char *arg)
{
	struct scope sc;

	scope_get(ui, &sc);
	if (arg != NULL) {
		if (context_check(ui, arg) != 0)
			return;
		memset(&sc, 0, sizeof(sc));
		sc.has_context = true;
		snprintf(sc.context, sizeof(sc.context), "%s", arg);
	}
	if (ui->depth > 1 && ui_top(ui)->s.ops->enter == screen_audit.enter)
		ui_pop(ui);
	push_goto(ui, &screen_audit, &sc, NULL, NULL);
}

static const struct ui_cmd ui_cmds[] = {
        {"ctx", "NAME", "switch to the kubeconfig context NAME", cmd_ctx},
        {"ns", "[NAME]", "namespaces; with NAME its service accounts", cmd_ns},
        {"sa", "[NS[/NAME]]", "service accounts (of NS, or the namespace in view)", cmd_sa},
        {"clusters", "", "the clusters and contexts", cmd_clusters},
        {"audit", "[CONTEXT]", "audit the cluster in view (or CONTEXT's)", cmd_audit},
        {"log", "", "the action log (also @)", cmd_log},
        {"help", "", "the keys (also ?)", cmd_help},
        {"q", "", "quit", cmd_quit},
        {"quit", "", NULL, cmd_quit},
        {"q!", "", NULL, cmd_quit},
        {"context", "", NULL, cmd_ctx},
        {"contexts", "", NULL, cmd_ctx},
        {"namespace", "", NULL, cmd_ns},
        {"namespaces", "", NULL, cmd_ns},
        {"serviceaccount", "", NULL, cmd_sa},
        {"serviceaccounts", "", NULL, cmd_sa},
        {"cluster", "", NULL, cmd_clusters},
        {NULL, NULL, NULL, NULL},
};

const char *
ui_command_usage(size_t i, const char **help)
{
	static char usage[sizeof(ui_cmds) / sizeof(ui_cmds[0])][64];
	size_t k, seen = 0;

	for (k = 0; ui_cmds[k].name != NULL; k++) {
		if (ui_cmds[k].help == NULL)
			continue;
		if (seen++ == i) {
			snprintf(usage[k], sizeof(usage[k]), ":%s%s%s", ui_cmds[k].name, ui_cmds[k].args[0] ? " " : "",
			         ui_cmds[k].args);
			*help = ui_cmds[k].help;
			return usage[k];
		}
	}
	return NULL;
}

void
ui_command_run(struct ui *ui, const char *line)
{
	char buf[UI_INPUT_MAX], *word, *arg, *end;
	const char *best = NULL;
	size_t i, d, best_d = 3;

	snprintf(buf, sizeof(buf), "%s", line);
	word = buf + strspn(buf, " ");
	if (*word == ':')
		word++;
	end = word + strcspn(word, " ");
	arg = end + strspn(end, " ");
	*end = '\0';
	for (char *p = arg + strlen(arg); p > arg && p[-1] == ' ';)
		*--p = '\0';
	if (*word == '\0')
		return;
	if (*arg == '\0')
		arg = NULL;
	for (i = 0; ui_cmds[i].name != NULL; i++) {
		if (strcmp(ui_cmds[i].name, word) == 0) {
			ui_cmds[i].run(ui, arg);
			return;
		}
		if ((d = editdist(word, ui_cmds[i].name, true)) < best_d) {
			best_d = d;
			best = ui_cmds[i].name;
		}
	}
	if (best != NULL)
		ui_flash(ui, UI_FLASH_ERROR, "unknown command :%s; did you mean :%s? (? lists the commands)", word,
		         best);
	else
		ui_flash(ui, UI_FLASH_ERROR, "unknown command :%s (? lists the commands)", word);
}
