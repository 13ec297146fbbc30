/* core/env.h - an environment a caller hands down instead of changing the
 * process's: an optional overlay of name/value pairs (a NULL value meaning
 * "unset") read over the process environment. A kubeconfig exec entry's env
 * list is one: the built-in EKS token reads AWS_PROFILE, AWS_CONFIG_FILE,
 * ... through it, and a credential_process it runs is started with it, while
 * other threads keep reading the process environment untouched.
 *
 * An overlay is built, then only read: reads from many threads at once are
 * safe. Everywhere an environment is taken, NULL means the process's own. */
#ifndef IRSA_ENV_H
#define IRSA_ENV_H

struct env;

/* A new, empty overlay. Returns NULL when out of memory. The caller frees
 * with env_free(). */
struct env *env_new(void);

/* Sets name to a copy of value in e, replacing an earlier setting of name
 * (the last one wins, as in the environment). value NULL: name reads as
 * unset whatever the process has. Returns 0, or -1 when out of memory or
 * name is empty. */
int env_set(struct env *e, const char *name, const char *value);

/* name's value: e's setting when e has one (NULL when e unsets it), else
 * getenv(name). e may be NULL (plain getenv). Borrowed from e or the
 * process environment. */
const char *env_get(const struct env *e, const char *name);

/* The environment for a child process: every "NAME=value" of the process
 * environment that e does not set, then e's settings with a value. e may be
 * NULL (a copy of the process environment). Returns a new NULL-terminated
 * array (free with env_envp_free(), which wipes: values may be secrets), or
 * NULL when out of memory. */
char **env_envp(const struct env *e);

/* Wipes and frees an array from env_envp(). envp may be NULL. */
void env_envp_free(char **envp);

/* Wipes the values (they may be keys) and frees e. e may be NULL. */
void env_free(struct env *e);

#endif
