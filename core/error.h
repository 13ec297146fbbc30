/* core/error.h - the error value that travels up from every core call.
 *
 * Core never prints and never exits: a failing call returns -1 (or NULL) and
 * fills a caller-owned struct irsa_error. Callers may pass NULL when they do
 * not care. The message is one sentence naming what failed; the hint says
 * what to do about it. Both are redacted before they are stored. */
#ifndef IRSA_ERROR_H
#define IRSA_ERROR_H

#include <stddef.h>

enum irsa_err {
	IRSA_OK = 0,
	IRSA_ERR_AUTH,   /* missing, invalid or expired credentials */
	IRSA_ERR_DENIED, /* authenticated but not allowed */
	IRSA_ERR_NOT_FOUND,
	IRSA_ERR_CONFLICT, /* exists already, or changed under us */
	IRSA_ERR_THROTTLED,
	IRSA_ERR_NETWORK, /* resolve, connect, reset, timeout */
	IRSA_ERR_TLS,
	IRSA_ERR_INVALID_INPUT, /* the user's input or configuration */
	IRSA_ERR_PARSE,         /* a peer's answer we cannot read */
	IRSA_ERR_CANCELLED,
	IRSA_ERR_LIMIT,    /* a size or count limit */
	IRSA_ERR_IO,       /* local files */
	IRSA_ERR_INTERNAL, /* a bug or out of memory */
};

struct irsa_error {
	enum irsa_err kind;
	int http_status;     /* 0 when no HTTP exchange was involved */
	char code[64];       /* AWS error code or Kubernetes Status reason */
	char request_id[80]; /* AWS request id, if any */
	char message[512];   /* what failed, one sentence */
	char hint[256];      /* what to do, may be empty */
};

/* Resets err to "no error". err may be NULL. */
void irsa_error_clear(struct irsa_error *err);

/* Sets kind and message (printf-style, redacted, truncated to fit) and clears
 * the other fields. err may be NULL. Always returns -1 so callers can write
 * "return irsa_error_set(...)". */
int irsa_error_set(struct irsa_error *err, enum irsa_err kind, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory"). Returns -1. */
int irsa_error_oom(struct irsa_error *err);

/* Sets the hint (what to do). Returns -1. */
int irsa_error_hint(struct irsa_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends context to the message: "reading ~/.aws/config: <message>". */
void irsa_error_prefix(struct irsa_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the peer's code and request id (either may be NULL). */
void irsa_error_set_code(struct irsa_error *err, const char *code, const char *request_id);

/* A stable lower-case name for kind ("auth", "not_found", ...). Static string. */
const char *irsa_err_name(enum irsa_err kind);

/* Formats the error on one line: "message (Code, HTTP 403, request id R)".
 * Returns the length that was needed, like snprintf. */
size_t irsa_error_format(const struct irsa_error *err, char *out, size_t outsz);

#endif
