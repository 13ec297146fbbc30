/* core/path.h - file names as a user writes them in a variable or a config
 * file: "~", "~user", $VAR and ${VAR} expanded as Python's os.path does
 * (botocore for AWS_CONFIG_FILE, the SSO cache; later KUBECONFIG). Pure
 * string work plus environment and passwd look-ups; opens no file. */
#ifndef IRSA_PATH_H
#define IRSA_PATH_H

/* Expands $VAR and ${VAR} (unset ones stay), then a leading ~ or ~user, like
 * Python's os.path.expanduser(os.path.expandvars(p)). Returns a new string
 * (the caller frees), NULL when out of memory (or p is NULL). */
char *path_expand(const char *p);

#endif
