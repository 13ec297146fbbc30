/* core/aws_sso.h - the SSO token cache botocore and the AWS CLI share
 * (~/.aws/sso/cache), read for the SSO step of the credential plan. Only
 * reads: logging in ("aws sso login") and refreshing stay with the AWS CLI. */
#ifndef IRSA_AWS_SSO_H
#define IRSA_AWS_SSO_H

#include <time.h>

#include "error.h"

struct env;

/* An SSO access token from the cache. Owned: release with
 * aws_sso_token_release(). */
struct aws_sso_token {
	char *access_token; /* a secret: registered, wiped on release */
	time_t expires_at;
	char *path; /* the cache file read */
};

/* Reads ~/.aws/sso/cache/<sha1 hex of sso_session, or of start_url when
 * sso_session is NULL>.json, "~" being env's HOME (env.h; NULL: the
 * process environment). A missing, unreadable or expired (at now; 0 =
 * the current time) token is an error (IRSA_ERR_AUTH) whose hint says to run
 * "aws sso login --profile PROFILE". Returns 0 and fills out (the caller
 * releases it), or -1. */
int aws_sso_token_load(const struct env *env, const char *profile, const char *start_url, const char *sso_session,
                       time_t now, struct aws_sso_token *out, struct irsa_error *err);

/* Wipes and frees what t holds and leaves it empty. t may be NULL. */
void aws_sso_token_release(struct aws_sso_token *t);

#endif
