/* core/shlex.h - splitting a command line into words as a POSIX shell (and
 * Python's shlex.split, which botocore uses for credential_process and
 * "[profile NAME]" headers) would, without running a shell. Pure. */
#ifndef IRSA_SHLEX_H
#define IRSA_SHLEX_H

#include <stddef.h>

#include "error.h"

/* A POSIX shell-like split (Python shlex.split): whitespace separates words,
 * '...' is literal, "..." honours \" and \\, a backslash elsewhere quotes
 * the next character; no comments, no expansion. Returns 0 and a
 * NULL-terminated argv (the caller frees each word and the array), or -1
 * with err set (err may be NULL) for an unclosed quote or a trailing
 * backslash. */
int shlex_split(const char *s, char ***argv, size_t *argc, struct irsa_error *err);

#endif
