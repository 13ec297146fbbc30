/* core/aws_op.h - one AWS API call described independently of the transport:
 * what the aws_iam, aws_sts and aws_eks builders produce and what the client
 * (aws_client: sign, send, retry) consumes.
 *
 * A Query call (IAM, STS) is POST / with a form body: Action, Version and the
 * operation's parameters in order. A REST-JSON call (EKS) is a method, a path
 * whose labels are already percent-encoded, query parameters and an optional
 * JSON body. aws_op_form_body() and aws_op_query_string() encode exactly as
 * botocore does, so our request bodies can be compared byte for byte with
 * botocore's (tests/data/aws/request-bodies.txt).
 *
 * Also the small pieces requests and answers share: tags and string lists.
 * Pure: no I/O. */
#ifndef IRSA_AWS_OP_H
#define IRSA_AWS_OP_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_endpoint.h"
#include "buf.h"
#include "error.h"

#define AWS_OP_MAX_BODY       (1024 * 1024) /* cap on an encoded form body or query string */
#define AWS_FORM_CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"
#define AWS_JSON_CONTENT_TYPE "application/json"

enum aws_protocol {
	AWS_PROTOCOL_QUERY,     /* IAM, STS: POST / with a form body, XML answers */
	AWS_PROTOCOL_REST_JSON, /* EKS: method + path + query, JSON answers */
};

/* One parameter: a form field (Query) or a query-string parameter
 * (REST-JSON). Both strings owned by the op. */
struct aws_param {
	char *name;
	char *value;
};

/* One call. Filled by a builder (aws_iam_op_get_role(), ...); the strings
 * the op points at are owned by it or static. Release with aws_op_release(),
 * which wipes the values (a WebIdentityToken or a session policy travels
 * here). */
struct aws_op {
	enum aws_service service;   /* which endpoint and signing name (aws_service_name()) */
	enum aws_protocol protocol; /* from the service */
	const char *name;           /* the operation, static: "GetRole", "DescribeCluster" */
	const char *version;        /* Query: the API version, static ("2010-05-08"); NULL for REST-JSON */
	const char *method;         /* static: "POST" for Query, the operation's for REST-JSON */
	char *path;                 /* "/" for Query; REST-JSON: labels percent-encoded, ready to send */
	struct aws_param *params;   /* Query: after Action and Version; REST-JSON: the query string */
	size_t n_params, cap_params;
	char *body; /* REST-JSON: the JSON body, or NULL for none */
	/* Safe to send again after it may have reached AWS: reads, and writes
	 * whose repetition leaves the same state (a repeated delete or detach may
	 * answer NoSuchEntity: the caller takes that as done). CreateRole and
	 * CreateOpenIDConnectProvider are not: a repeat answers
	 * EntityAlreadyExists. */
	bool idempotent;
	bool sign;   /* false: send unsigned (AssumeRoleWithWebIdentity) */
	bool failed; /* an add ran out of memory; builders turn it into an error */
};

/* Prepares op for the operation name (static string) of service: protocol,
 * version, method POST and path "/" for IAM and STS; idempotent and signed.
 * Allocates nothing. */
void aws_op_init(struct aws_op *op, enum aws_service service, const char *name);

/* Wipes and frees what op holds and leaves it initialised for the same
 * service and operation. */
void aws_op_release(struct aws_op *op);

/* Appends a parameter (copied). Return 0, or -1 when out of memory (op->failed
 * is then set and later adds do nothing). */
int aws_op_add(struct aws_op *op, const char *name, const char *value);
int aws_op_add_int(struct aws_op *op, const char *name, long value);
int aws_op_add_bool(struct aws_op *op, const char *name, bool value);

/* For builders, after the adds: 0 when they all succeeded; else releases op
 * (leaving it empty) and returns -1 with err set to IRSA_ERR_INTERNAL naming
 * the operation. */
int aws_op_finish(struct aws_op *op, struct irsa_error *err);

/* The value of the first parameter called name, or NULL. Borrowed from op. */
const char *aws_op_param(const struct aws_op *op, const char *name);

/* REST-JSON: sets the method (static string) and the path from tmpl, in which
 * each "{}" is replaced by the next const char * argument, percent-encoded as
 * a URI label (RFC 3986 unreserved characters stay, '/' too is encoded).
 * Returns 0, or -1 when out of memory. */
int aws_op_set_path(struct aws_op *op, const char *method, const char *tmpl, ...);

/* REST-JSON: sets the JSON body (copied). Returns 0, or -1. */
int aws_op_set_body(struct aws_op *op, const char *json);

/* Query: appends the form body botocore sends: "Action=..&Version=.." then
 * each parameter, name=value joined by '&', encoded as Python's
 * urllib.parse.urlencode (quote_plus): A-Z a-z 0-9 _ . - ~ stay, a space
 * becomes '+', every other byte %XX (upper case), '/' and ':' included.
 * Returns 0, or -1 when out fails. */
int aws_op_form_body(const struct aws_op *op, struct buf *out);

/* REST-JSON: appends the query string without '?' (empty when there are no
 * parameters), encoded as botocore's percent_encode: A-Z a-z 0-9 - . _ ~
 * stay, everything else %XX (a space is %20). Returns 0, or -1. */
int aws_op_query_string(const struct aws_op *op, struct buf *out);

/* Appends the request target: the path, then '?' and the query string when
 * there is one (REST-JSON); "/" for Query. Returns 0, or -1. */
int aws_op_target(const struct aws_op *op, struct buf *out);

/* The body to send and sign: the form body (Query, into out) or the JSON
 * body (REST-JSON, copied into out; nothing for none). Returns 0, or -1. */
int aws_op_body(const struct aws_op *op, struct buf *out);

/* The Content-Type to send, static: the form type for Query, JSON for a
 * REST-JSON call with a body, NULL when there is no body. */
const char *aws_op_content_type(const struct aws_op *op);

/* The IAM action the call needs, "iam:GetRole", "eks:DescribeCluster", into
 * out (truncated to fit). Returns out. */
char *aws_op_action(const struct aws_op *op, char *out, size_t outsz);

/* The object the call is about, for messages: "role my-role", "cluster
 * prod", "OIDC provider arn:...", "policy arn:..."; "" when none. Into out
 * (truncated to fit). Returns out. */
char *aws_op_object(const struct aws_op *op, char *out, size_t outsz);

/* Shared by requests and answers. */

/* A tag: key and value owned by whoever owns the tag list. */
struct aws_tag {
	char *key;
	char *value;
};

/* Owned list of tags. Zero-initialised is empty. */
struct aws_tags {
	struct aws_tag *v;
	size_t n;
};

/* Appends copies of key and value. Returns 0, or -1 when out of memory. */
int aws_tags_add(struct aws_tags *t, const char *key, const char *value);

/* The value of key, or NULL. Borrowed from t. */
const char *aws_tags_get(const struct aws_tags *t, const char *key);

void aws_tags_release(struct aws_tags *t);

/* Owned list of strings. Zero-initialised is empty. */
struct aws_strings {
	char **v;
	size_t n;
};

/* Appends a copy of s. Returns 0, or -1 when out of memory. */
int aws_strings_add(struct aws_strings *l, const char *s);

void aws_strings_release(struct aws_strings *l);

#endif
