/* core/buf.h - a growable, NUL-terminated byte buffer with a mandatory cap.
 *
 * Every response body, file and generated document is read into a struct
 * buf, and every buf has a limit: an oversized answer is an error, not an
 * out-of-memory. Failure is sticky (git's strbuf, curl's dynbuf): once an
 * append fails, `failed` stays set and later appends do nothing, so a caller
 * may build a whole document and check once at the end. */
#ifndef IRSA_BUF_H
#define IRSA_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;  /* NUL-terminated once anything was added; may be NULL when empty */
	size_t len;  /* bytes used, not counting the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* largest len allowed */
	bool failed; /* an append failed: too big (E2BIG) or out of memory (ENOMEM) */
	int error;   /* errno value of the first failure */
};

/* Prepares an empty buffer that may grow to max bytes. Allocates nothing. */
void buf_init(struct buf *b, size_t max);

/* Frees the storage and leaves b empty (the cap and a failure are kept). */
void buf_release(struct buf *b);

/* As buf_release, but overwrites the bytes first: for secrets. */
void buf_release_secure(struct buf *b);

/* Empties b without freeing its storage; clears a failure. */
void buf_reset(struct buf *b);

/* Append. Return 0, or -1 when b would exceed its max or memory runs out;
 * then b is unchanged, failed is set and error says why. */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The contents as a C string; "" when empty. Borrowed: valid until the next
 * change to b. */
const char *buf_cstr(const struct buf *b);

/* Hands the storage to the caller (who frees it) and leaves b empty. Never
 * returns NULL: an empty buffer gives a new "" (or NULL only if that
 * allocation fails). */
char *buf_detach(struct buf *b);

/* Overwrites len bytes at p with zeros in a way the compiler keeps. */
void buf_wipe(void *p, size_t len);

/* Wipes the string s (a secret, NUL-terminated) and frees it. s may be NULL. */
void buf_free_secret(char *s);

#endif
