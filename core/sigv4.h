/* core/sigv4.h - AWS Signature Version 4, header-signed and presigned.
 *
 * Turns a description of an HTTP request into the canonical request, the
 * string to sign, the signature and what to add to the request (headers, or
 * query parameters for a presigned URL). Pure: no I/O, no clock unless the
 * caller leaves the time at 0. Passes the aws-c-auth v4 suite
 * (tests/data/sigv4). The secret key and every derived key are wiped after
 * use; results that carry a session token or signature are wiped when
 * released. */
#ifndef IRSA_SIGV4_H
#define IRSA_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "error.h"

#define SIGV4_ALGORITHM   "AWS4-HMAC-SHA256"
#define SIGV4_HEX_LEN     64      /* a SHA-256 in lower-case hex */
#define SIGV4_MAX_EXPIRES 604800  /* seven days: the longest X-Amz-Expires AWS accepts */
#define SIGV4_MAX_TEXT    1048576 /* cap on each generated text (canonical request, query) */

/* Borrowed; session_token may be NULL. */
struct sigv4_credentials {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;
};

/* One request header; names may repeat (their values are joined in order). */
struct sigv4_header {
	const char *name;
	const char *value;
};

/* Everything borrowed; valid for the duration of the call. */
struct sigv4_request {
	const char *method; /* "GET", "POST", ... */
	/* The path as it goes on the request line, without the query. Signing
	 * percent-encodes it once more per segment: that is the "double
	 * encoding" AWS expects from every service but S3. NULL or "" is "/". */
	const char *path;
	const char *query; /* raw query string without the '?', may be NULL */
	/* The headers that will be sent, in order. Must include Host. Headers
	 * that proxies may change (User-Agent, Expect, ...) are sent but never
	 * signed. X-Amz-Date, X-Amz-Security-Token and Authorization are added by
	 * signing and must not be given. */
	const struct sigv4_header *headers;
	size_t n_headers;
	const void *body; /* the exact bytes sent; may be NULL when body_len is 0 */
	size_t body_len;

	const char *region;  /* credential scope, e.g. "us-east-1" */
	const char *service; /* "iam", "sts", "eks", ... */
	time_t time;         /* signing time; 0 means now */
	bool normalize_path; /* remove "." and ".." and empty segments (all services but S3) */
	bool sign_body;      /* also send and sign x-amz-content-sha256 (S3 style; header signing only) */
	/* Add the session token after signing, unsigned: the legacy form a few
	 * services once required (suite case post-sts-header-after). Leave false. */
	bool omit_session_token;
	unsigned expires; /* presigning: X-Amz-Expires in seconds, 1 to SIGV4_MAX_EXPIRES */
};

/* A header to add to the request. The name is static, the value owned. */
struct sigv4_added_header {
	const char *name;
	char *value;
};

/* What signing produced. Everything is owned by the result; release it with
 * sigv4_result_release(), which wipes it (it may hold a session token). */
struct sigv4_result {
	char *canonical_request;
	char *string_to_sign;
	char signature[SIGV4_HEX_LEN + 1];
	/* Header signing: the headers to add, in this order: X-Amz-Security-Token
	 * (with a session token), X-Amz-Date, x-amz-content-sha256 (sign_body),
	 * Authorization. Presigning adds none. */
	struct sigv4_added_header headers[4];
	size_t n_headers;
	/* Presigning: the complete query string for the URL, without the '?':
	 * the request's own query as given, then X-Amz-Algorithm, -Credential,
	 * -Date, -SignedHeaders, -Expires, [-Security-Token,] -Signature. NULL
	 * after header signing. */
	char *query;
};

/* Signs req for an Authorization header. Returns 0 and fills out (which the
 * caller releases), or -1 with err set (IRSA_ERR_INVALID_INPUT for a bad
 * request or credentials, IRSA_ERR_LIMIT for oversized input,
 * IRSA_ERR_INTERNAL when OpenSSL or memory fails); out is then empty. */
int sigv4_sign_headers(const struct sigv4_request *req, const struct sigv4_credentials *creds, struct sigv4_result *out,
                       struct irsa_error *err);

/* Presigns req: the signature travels in the query string (out->query), as in
 * the EKS token. The payload hash is that of req's body (empty for a GET),
 * never UNSIGNED-PAYLOAD. Returns as sigv4_sign_headers(). */
int sigv4_presign(const struct sigv4_request *req, const struct sigv4_credentials *creds, struct sigv4_result *out,
                  struct irsa_error *err);

/* The value of the added header called name (case-insensitive), or NULL.
 * Borrowed from r. */
const char *sigv4_result_header(const struct sigv4_result *r, const char *name);

/* Wipes and frees what r holds and leaves it empty. r may be empty already. */
void sigv4_result_release(struct sigv4_result *r);

/* The pieces, for callers that build requests (an IAM form body, a URL) and
 * for the tests. Each appends to out and returns 0, or -1 when out fails
 * (see struct buf). */

/* RFC 3986 percent-encoding: A-Z a-z 0-9 - . _ ~ stay, every other byte
 * becomes %XX in upper case; '/' stays only when keep_slash. */
int sigv4_uri_encode(struct buf *out, const char *s, size_t len, bool keep_slash);

/* The canonical URI of path (see struct sigv4_request). With normalize, "."
 * and ".." segments are resolved and runs of '/' collapse; a trailing '/' is
 * kept. */
int sigv4_canonical_path(struct buf *out, const char *path, bool normalize);

/* The canonical query string of a raw query: each name and value decoded and
 * re-encoded, sorted by name then value, "name=" for a name without value.
 * A '+' is a plus sign, not a space. query may be NULL. */
int sigv4_canonical_query(struct buf *out, const char *query);

/* A header value as it is signed: trimmed, and every run of spaces, tabs and
 * line breaks (obs-fold continuation lines) made one space. */
int sigv4_header_value(struct buf *out, const char *value);

/* hex gets the lower-case hex SHA-256 of data and a NUL. Returns 0, or -1 if
 * OpenSSL fails. */
int sigv4_sha256_hex(const void *data, size_t len, char hex[SIGV4_HEX_LEN + 1]);

#endif
