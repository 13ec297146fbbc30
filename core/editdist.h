/* core/editdist.h - Levenshtein distance of two short names, for "did you
 * mean" suggestions (commands, service principals, contexts). Pure. */
#ifndef IRSA_EDITDIST_H
#define IRSA_EDITDIST_H

#include <stdbool.h>
#include <stddef.h>

#define EDITDIST_MAX 64 /* longer names are "far": the distance returned */

/* The number of single-byte insertions, deletions and substitutions that
 * turn a into b, ignoring ASCII case when ignore_case is set. Names longer
 * than EDITDIST_MAX bytes give EDITDIST_MAX. */
size_t editdist(const char *a, const char *b, bool ignore_case);

#endif
