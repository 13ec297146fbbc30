/* core/aws_sts_parse.h - the STS calls irsa makes, without the network:
 * builders for GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity
 * (struct aws_op for aws_client) and the parsers of their XML answers.
 *
 * Temporary credentials in an answer are secrets: the parsers register the
 * secret key and the session token with redact_register() (so they never
 * show in a log line or an error message) and aws_sts_credentials_release()
 * wipes them. The network half lives in core/aws_sts.c. Pure: no I/O. */
#ifndef IRSA_AWS_STS_PARSE_H
#define IRSA_AWS_STS_PARSE_H

#include <stdbool.h>
#include <time.h>

#include "aws_op.h"
#include "buf.h"
#include "error.h"

#define AWS_STS_MIN_DURATION 900
#define AWS_STS_MAX_DURATION 43200

/* GetCallerIdentity. Strings owned. */
struct aws_caller_identity {
	char *account; /* "123456789012" */
	char *arn;     /* "arn:aws:sts::123456789012:assumed-role/Role/session" */
	char *user_id; /* "AIDA..." or "AROA...:session" */
};

void aws_caller_identity_release(struct aws_caller_identity *id);

/* AssumeRole / AssumeRoleWithWebIdentity. Strings owned; the optional ones
 * NULL when the answer lacked them. */
struct aws_sts_credentials {
	char *access_key_id;
	char *secret_access_key; /* secret: wiped on release */
	char *session_token;     /* secret: wiped on release */
	time_t expiration;
	char *assumed_role_id;  /* AssumedRoleUser/AssumedRoleId: "AROA...:session" */
	char *assumed_role_arn; /* AssumedRoleUser/Arn */
	long packed_policy_size;
	char *source_identity;
	/* AssumeRoleWithWebIdentity only */
	char *subject;  /* SubjectFromWebIdentityToken: "system:serviceaccount:ns:sa" */
	char *audience; /* "sts.amazonaws.com" */
	char *provider; /* the issuer */
};

/* Wipes the secrets, frees everything and leaves c empty. */
void aws_sts_credentials_release(struct aws_sts_credentials *c);

/* AssumeRole's input. Everything borrowed; optional fields NULL or 0. */
struct aws_sts_assume_role {
	const char *role_arn;
	const char *session_name;  /* 2-64 of A-Z a-z 0-9 + = , . @ _ - */
	long duration_seconds;     /* 900-43200; 0: STS's default (3600) */
	const char *external_id;   /* 2-1224 of A-Z a-z 0-9 + = , . @ : / _ - */
	const char *serial_number; /* MFA device: 9-256 characters */
	const char *token_code;    /* MFA code: 6 digits */
	const char *policy;        /* a session policy, JSON */
};

/* AssumeRoleWithWebIdentity's input. Everything borrowed. */
struct aws_sts_web_identity {
	const char *role_arn;
	const char *session_name;
	const char *web_identity_token; /* the OIDC token (a JWT), 4-20000 characters: a secret */
	long duration_seconds;
	const char *policy;
	const char *provider_id; /* only for OAuth 2.0 providers; NULL for OIDC */
};

/* Builders: op need not be initialised; return 0, or -1 with err set
 * (IRSA_ERR_INVALID_INPUT naming the rule, IRSA_ERR_INTERNAL when out of
 * memory) and op empty. AssumeRoleWithWebIdentity is sent unsigned
 * (op->sign false). All three are safe to retry. */
int aws_sts_op_get_caller_identity(struct aws_op *op, struct irsa_error *err);
int aws_sts_op_assume_role(struct aws_op *op, const struct aws_sts_assume_role *in, struct irsa_error *err);
int aws_sts_op_assume_role_with_web_identity(struct aws_op *op, const struct aws_sts_web_identity *in,
                                             struct irsa_error *err);

/* Parsers of a 2xx body: fill out (initialised here; the caller releases
 * it, also after a failure). Return 0, or -1 with err set (IRSA_ERR_PARSE
 * naming the operation, IRSA_ERR_INTERNAL). */
int aws_sts_parse_get_caller_identity(const struct buf *body, struct aws_caller_identity *out, struct irsa_error *err);
int aws_sts_parse_assume_role(const struct buf *body, struct aws_sts_credentials *out, struct irsa_error *err);
int aws_sts_parse_assume_role_with_web_identity(const struct buf *body, struct aws_sts_credentials *out,
                                                struct irsa_error *err);

#endif
