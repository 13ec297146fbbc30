/* core/path.h - file names as a user writes them in a variable or a config
 * file: "~", "~user", $VAR and ${VAR} expanded as Python's os.path does
 * (botocore for AWS_CONFIG_FILE, the SSO cache; later KUBECONFIG). Pure
 * string work plus environment (or env.h overlay) and passwd look-ups; opens no file. */
#ifndef IRSA_PATH_H
#define IRSA_PATH_H

struct env;

/* Expands $VAR and ${VAR} (unset ones stay), then a leading ~ or ~user, like
 * Python's os.path.expanduser(os.path.expandvars(p)). Returns a new string
 * (the caller frees), NULL when out of memory (or p is NULL). */
char *path_expand(const char *p);

/* As path_expand(), the variables and HOME read through env (env.h; NULL:
 * the process environment). */
char *path_expand_env(const struct env *env, const char *p);

#endif
