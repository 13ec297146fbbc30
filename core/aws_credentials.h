/* core/aws_credentials.h - one set of AWS credentials in memory: who owns
 * the strings, how the secrets are registered with the redactor and wiped.
 * Filled by the credential plan (environment, static keys), by
 * credential_process and, later, by the STS, SSO and metadata providers. */
#ifndef IRSA_AWS_CREDENTIALS_H
#define IRSA_AWS_CREDENTIALS_H

#include <time.h>

/* A set of credentials. Owned by the struct: release with
 * aws_credentials_release(), which wipes the secrets. Whoever fills one
 * registers the secret key and the session token with redact_register()
 * (aws_credentials_set() does). */
struct aws_credentials {
	char *access_key_id;
	char *secret_access_key;
	char *session_token; /* NULL for long-term keys */
	char *account_id;    /* NULL when unknown */
	time_t expiration;   /* 0 when they do not expire */
};

/* Fills c with copies (token and account_id may be NULL; expiration is left
 * 0) and registers the secret and the token for redaction. Returns 0, or -1
 * when out of memory (c is left empty). */
int aws_credentials_set(struct aws_credentials *c, const char *akid, const char *secret, const char *token,
                        const char *account_id);

/* Wipes and frees what c holds and leaves it empty. c may be NULL. */
void aws_credentials_release(struct aws_credentials *c);

#endif
