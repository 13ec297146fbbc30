/* core/redact.h - removes secrets from any text before it is logged, traced
 * or put in an error message.
 *
 * Two mechanisms: known shapes (SigV4 signatures, session tokens, bearer
 * tokens, EKS tokens, JWTs, private keys, secret fields in JSON, XML, INI and
 * YAML, the middle of access key ids) and exact values registered at run time
 * (a secret key read from a file has no recognisable shape). Thread-safe. */
#ifndef IRSA_REDACT_H
#define IRSA_REDACT_H

#include <stddef.h>

#define REDACTED "<redacted>"

/* Remembers value (copied) so that every later occurrence is redacted.
 * Values shorter than 8 bytes are ignored: they would redact ordinary words.
 * Returns 0, or -1 when out of memory. */
int redact_register(const char *value);

/* Forgets every registered value, wiping the copies. */
void redact_reset(void);

/* Returns a redacted copy of s; the caller frees it. NULL when out of memory. */
char *redact_dup(const char *s);

/* Redacts s in place; s has room for cap bytes (including the NUL). The
 * result may be truncated to fit, never left unredacted. */
void redact_inplace(char *s, size_t cap);

#endif
