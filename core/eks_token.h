/* core/eks_token.h - the EKS bearer token, made exactly as `aws eks
 * get-token` (awscli customizations/eks/get_token.py) makes it, and the
 * ExecCredential that carries it to kubectl.
 *
 * The token is "k8s-aws-v1." + base64url (no padding) of a presigned STS
 * GetCallerIdentity GET: X-Amz-Expires=60, the signed header x-k8s-aws-id
 * naming the cluster, the session token in the query when there is one, the
 * query parameters in the order botocore writes them, so that the bytes
 * equal awscli's for the same keys, endpoint and second. The endpoint is
 * STS's for the region as aws_endpoint resolves it (regional; a configured
 * AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL is presigned against, as
 * botocore does); without a region, the global endpoint signed for
 * us-east-1. With a role ARN, sts:AssumeRole (session "EKSGetTokenAuth")
 * comes first and its keys sign the token.
 *
 * eks_token_presign() is pure (given keys and a time); eks_token_get() adds
 * the config files and the credential chain, and creates an HTTP client only
 * when AssumeRole or a network credential source needs one. No printing: a
 * warning about KUBERNETES_EXEC_INFO is handed back for the program to
 * show. */
#ifndef IRSA_EKS_TOKEN_H
#define IRSA_EKS_TOKEN_H

#include <stddef.h>
#include <time.h>

#include "error.h"
#include "sigv4.h"

struct env;

#define EKS_TOKEN_PREFIX       "k8s-aws-v1."
#define EKS_TOKEN_ID_HEADER    "x-k8s-aws-id"
#define EKS_TOKEN_URL_EXPIRES  60                /* X-Amz-Expires (awscli URL_TIMEOUT) */
#define EKS_TOKEN_LIFETIME     (14 * 60)         /* expirationTimestamp - now (TOKEN_EXPIRATION_MINS) */
#define EKS_TOKEN_SESSION_NAME "EKSGetTokenAuth" /* RoleSessionName of the --role-arn AssumeRole */
#define EKS_TOKEN_TIME_LEN     sizeof("2026-11-28T12:44:00Z")

#define EKS_EXEC_API_V1       "client.authentication.k8s.io/v1"
#define EKS_EXEC_API_V1BETA1  "client.authentication.k8s.io/v1beta1"
#define EKS_EXEC_API_V1ALPHA1 "client.authentication.k8s.io/v1alpha1"

/* A token. Owned; both strings are bearer secrets: release with
 * eks_token_release(), which wipes them. */
struct eks_token {
	char *token;       /* "k8s-aws-v1.<base64url>" */
	char *url;         /* the presigned URL inside it */
	time_t expiration; /* signing time + EKS_TOKEN_LIFETIME */
};

/* What to presign. Borrowed. */
struct eks_token_request {
	const char *cluster_id;     /* the cluster name, or an Outposts local cluster's id (--cluster-id) */
	const char *sts_url;        /* scheme://host[:port][/path] (struct aws_endpoint's url), no query */
	const char *signing_region; /* credential scope region (struct aws_endpoint's signing_region) */
	time_t now;                 /* signing time; 0: time(NULL) */
};

/* Presigns GetCallerIdentity for req with creds. Pure. Returns 0 and fills
 * out (the caller releases it), or -1 with err set (IRSA_ERR_INVALID_INPUT:
 * no cluster, a malformed endpoint URL or region, no keys) and out empty. */
int eks_token_presign(const struct eks_token_request *req, const struct sigv4_credentials *creds, struct eks_token *out,
                      struct irsa_error *err);

/* What eks_token_get() works from. Borrowed; NULL when not given. */
struct eks_token_options {
	const char *cluster_id; /* required */
	const char *profile;    /* --profile (turns off the environment's keys, as in botocore) */
	const char *region;     /* --region; else AWS_REGION, AWS_DEFAULT_REGION, the profile's */
	const char *role_arn;   /* --role-arn: AssumeRole first, sign with its keys */
	const struct env *env;  /* what every AWS_* variable is read from (env.h); NULL: the process's */
};

/* Loads the AWS config files, resolves profile, region and the STS
 * endpoint, gets credentials through the chain (aws_creds), assumes
 * role_arn when given, and presigns at the current time. Returns 0 and
 * fills out (the caller releases it), or -1 with err set: the message names
 * the credential source or the role that failed; a custom STS endpoint
 * without a region is IRSA_ERR_INVALID_INPUT, as in awscli. */
int eks_token_get(const struct eks_token_options *opt, struct eks_token *out, struct irsa_error *err);

/* Wipes and frees what t holds and leaves it empty. t may be NULL. */
void eks_token_release(struct eks_token *t);

/* t as "%Y-%m-%dT%H:%M:%SZ" in UTC into out (at least EKS_TOKEN_TIME_LEN
 * bytes). Returns out ("" when t cannot be represented). */
char *eks_token_format_time(time_t t, char *out, size_t outsz);

/* The ExecCredential apiVersion for the value of KUBERNETES_EXEC_INFO
 * (exec_info may be NULL), as awscli's discover_api_version decides: v1 and
 * v1beta1 as given; v1alpha1 as given with a deprecation warning; unset or
 * empty: v1beta1; not JSON, not an object, or another apiVersion: v1beta1
 * with a warning. *warning gets awscli's text (static, no newline) or NULL.
 * Returns a static string. */
const char *eks_exec_api_version(const char *exec_info, const char **warning);

/* The ExecCredential exactly as `aws eks get-token` writes it on stdout:
 * 4-space indented JSON (kind, apiVersion, spec, status{expirationTimestamp,
 * token}) and two newlines (the formatter's and the command's). Returns a
 * new string holding the token (free with buf_free_secret()), or NULL with
 * err set when out of memory. */
char *eks_exec_credential(const char *api_version, const struct eks_token *t, struct irsa_error *err);

#endif
