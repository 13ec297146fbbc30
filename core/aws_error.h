/* core/aws_error.h - what a failed AWS answer means: reads the Query XML and
 * REST-JSON error envelopes, maps AWS error codes to irsa error kinds and
 * writes a message naming the call and its object and a hint saying what to
 * do (refresh credentials, fix the clock, grant an action, ...).
 *
 * Kinds: AWS's 5xx answers (ServiceFailure, ServiceUnavailable, ...) are
 * IRSA_ERR_NETWORK: they are transient failures on the far side, to be
 * retried later like a dropped connection. IRSA_ERR_INTERNAL stays for our
 * own bugs. An answer that is neither AWS XML nor AWS JSON (a proxy's HTML
 * page) is kinded by its status and says so. Pure: no I/O; the clock is
 * read only when the caller passes no time. */
#ifndef IRSA_AWS_ERROR_H
#define IRSA_AWS_ERROR_H

#include <stdbool.h>
#include <time.h>

#include "aws_op.h"
#include "buf.h"
#include "error.h"

/* The failed answer. Everything borrowed; any pointer may be NULL. */
struct aws_error_response {
	int status;               /* HTTP status, not 2xx */
	const struct buf *body;   /* the body as received */
	const char *error_type;   /* the x-amzn-ErrorType header (REST-JSON) */
	const char *request_id;   /* the x-amzn-RequestId (or x-amz-request-id) header */
	const char *date;         /* the Date header, for the clock skew */
	const char *content_type; /* the Content-Type header, named for a non-AWS answer */
};

/* What the caller knows about the call. Everything borrowed; any may be
 * NULL or 0. */
struct aws_error_context {
	const struct aws_op *op; /* the call: names the action (iam:GetRole) and the object */
	const char *what;        /* short context opening the message: "GetRole shop-prod-orders";
	                          * default: the operation and its object */
	const char *cred_source; /* where the credentials came from: "profile dev (~/.aws/credentials)" */
	time_t now;              /* the local clock when the answer came; 0: read it now */
};

/* Fills err from a non-2xx answer: kind, HTTP status, AWS code, request id
 * (header, else the body's), message "<what>: <AWS's message>" and hint.
 * Always returns -1, so a caller writes "return aws_error_from_response(...)". */
int aws_error_from_response(const struct aws_error_response *resp, const struct aws_error_context *ctx,
                            struct irsa_error *err);

/* The kind for an AWS error code (exact, case-sensitive), else for the HTTP
 * status; code may be NULL. */
enum irsa_err aws_error_kind(const char *code, int status);

/* True when the answer is AWS throttling: HTTP 429, or an error code botocore
 * counts as throttling (Throttling, ThrottlingException,
 * TooManyRequestsException, RequestLimitExceeded, ...) in an XML or JSON
 * body, whatever the status (IAM and STS say Throttling in a 400). The retry
 * predicate for the HTTP layer; body may be NULL. */
bool aws_error_is_throttling(int status, const struct buf *body);

/* True when the answer is worth retrying beyond what the HTTP layer retries
 * by status: throttling, and the transient codes RequestTimeout,
 * RequestTimeoutException, PriorRequestNotComplete, IDPCommunicationError. */
bool aws_error_is_retryable(int status, const struct buf *body);

/* Parses an HTTP-date (RFC 9110: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
 * and the obsolete RFC 850 and asctime forms). Returns 0 and sets *out, or
 * -1. */
int aws_http_date_parse(const char *s, time_t *out);

#endif
