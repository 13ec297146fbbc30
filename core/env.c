/* core/env.c - an environment overlay read over the process environment,
 * and the envp a child process is started with. Never changes the process
 * environment (no setenv): that would race with every thread's getenv(). */
#include "config.h"

#include "env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

extern char **environ;

struct env_var {
	char *name;
	char *value; /* NULL: unset; may be a secret */
};

struct env {
	struct env_var *v;
	size_t n;
};

struct env *
env_new(void)
{
	return calloc(1, sizeof(struct env));
}

static struct env_var *
find(const struct env *e, const char *name, size_t len)
{
	size_t i;

	for (i = 0; e != NULL && i < e->n; i++)
		if (strncmp(e->v[i].name, name, len) == 0 && e->v[i].name[len] == '\0')
			return &e->v[i];
	return NULL;
}

int
env_set(struct env *e, const char *name, const char *value)
{
	struct env_var *var, *v;
	char *copy = NULL;

	if (*name == '\0')
		return -1;
	if (value != NULL && (copy = strdup(value)) == NULL)
		return -1;
	if ((var = find(e, name, strlen(name))) != NULL) {
		buf_free_secret(var->value);
		var->value = copy;
		return 0;
	}
	v = realloc(e->v, (e->n + 1) * sizeof(*v));
	if (v == NULL || (v[e->n].name = strdup(name)) == NULL) {
		if (v != NULL)
			e->v = v;
		buf_free_secret(copy);
		return -1;
	}
	e->v = v;
	e->v[e->n++].value = copy;
	return 0;
}

const char *
env_get(const struct env *e, const char *name)
{
	const struct env_var *var = find(e, name, strlen(name));

	return var != NULL ? var->value : getenv(name);
}

char **
env_envp(const struct env *e)
{
	size_t n_parent = 0, n = 0, i;
	char **envp;

	while (environ[n_parent] != NULL)
		n_parent++;
	envp = calloc(n_parent + (e != NULL ? e->n : 0) + 1, sizeof(*envp));
	if (envp == NULL)
		return NULL;
	for (i = 0; i < n_parent; i++) {
		const char *eq = strchr(environ[i], '=');

		if (eq != NULL && find(e, environ[i], (size_t)(eq - environ[i])) != NULL)
			continue;
		if ((envp[n++] = strdup(environ[i])) == NULL)
			goto oom;
	}
	for (i = 0; e != NULL && i < e->n; i++)
		if (e->v[i].value != NULL && asprintf(&envp[n++], "%s=%s", e->v[i].name, e->v[i].value) < 0) {
			envp[--n] = NULL;
			goto oom;
		}
	return envp;
oom:
	env_envp_free(envp);
	return NULL;
}

void
env_envp_free(char **envp)
{
	size_t i;

	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		buf_free_secret(envp[i]);
	free(envp);
}

void
env_free(struct env *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++) {
		free(e->v[i].name);
		buf_free_secret(e->v[i].value);
	}
	free(e->v);
	free(e);
}
