/* core/oidc.h - an OIDC issuer's discovery document and TLS thumbprint, what
 * creating the IAM OIDC provider for an EKS cluster needs.
 *
 * oidc_discover() fetches <issuer>/.well-known/openid-configuration over
 * https (never http, never a redirect), checks that the document names the
 * same issuer and an https jwks_uri, then fetches the JWKS and takes the
 * thumbprint of the certificate chain the jwks_uri host served: the SHA-1 of
 * the DER of the LAST certificate sent (the top intermediate CA), as the IAM
 * user guide's OpenSSL recipe and eksctl compute it (protocol-notes 7.3, 7.4).
 * The TLS peer is verified as for any request (the given CA bundle or the
 * system's store). libcurl reads the proxy variables itself.
 *
 * IAM no longer needs the thumbprint for an issuer whose certificate chains
 * to a publicly trusted CA, so a caller may create the provider without one
 * when the issuer cannot be reached (the error's hint says so).
 *
 * Blocks the calling thread; another thread stops it through
 * oidc_options.cancel. No printing. */
#ifndef IRSA_OIDC_H
#define IRSA_OIDC_H

#include <stddef.h>

#include "error.h"

#define OIDC_DEFAULT_TIMEOUT_MS 10000
#define OIDC_MAX_DOCUMENT       (64 * 1024) /* discovery document and JWKS, each */
#define OIDC_THUMBPRINT_LEN     40          /* lowercase hex of a SHA-1 */

/* How to reach the issuer. Everything borrowed for the length of the call. */
struct oidc_options {
	const char *ca_bundle; /* PEM file of trusted CAs (AWS_CA_BUNDLE); NULL or "": the system's */
	const char *const
	        *connect_to; /* curl --connect-to entries "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"; may be NULL */
	size_t n_connect_to;
	long timeout_ms; /* each of the two fetches, connect to last byte; 0: OIDC_DEFAULT_TIMEOUT_MS */
	const volatile int
	        *cancel; /* when *cancel becomes non-zero the fetch stops with IRSA_ERR_CANCELLED; may be NULL */
};

/* What the issuer serves. Every string owned; free with oidc_discovery_release(). */
struct oidc_discovery {
	char *issuer;     /* the document's "issuer" (equal to the one asked for, trailing '/' aside) */
	char *jwks_uri;   /* the document's "jwks_uri", https */
	char *thumbprint; /* 40 lowercase hex: SHA-1 of the DER of the last certificate the jwks_uri host served */
	/* The same for the issuer's host when it differs from the jwks_uri host
	 * (host or port), else NULL: IAM then wants both thumbprints. */
	char *discovery_thumbprint;
	size_t n_keys; /* keys in the JWKS */
};

/* Fetches and checks the issuer's discovery document and JWKS and fills out
 * (zeroed first). issuer is an https URL; a trailing '/' is ignored. o may be
 * NULL (the defaults). Returns 0, or -1 with err set and out empty:
 * IRSA_ERR_INVALID_INPUT (not an https issuer), IRSA_ERR_NETWORK (resolve,
 * connect, timeout: the message names the host), IRSA_ERR_TLS, an HTTP
 * status other than 200 (its kind, http_status set), IRSA_ERR_PARSE (not
 * JSON, no or another issuer, a jwks_uri that is not https, no keys),
 * IRSA_ERR_LIMIT (a document over OIDC_MAX_DOCUMENT), IRSA_ERR_CANCELLED. */
int oidc_discover(const char *issuer, const struct oidc_options *o, struct oidc_discovery *out, struct irsa_error *err);

/* Frees what d owns and leaves it empty. d may be NULL. */
void oidc_discovery_release(struct oidc_discovery *d);

/* Splits a comma-separated list of connect-to entries (the IRSA_CONNECT_TO
 * variable) into *out, a new NULL-terminated vector of *n trimmed entries
 * (empty ones skipped); the caller frees it with oidc_connect_to_free(). list
 * may be NULL or empty (an empty vector). Returns 0, or -1 with err set
 * (IRSA_ERR_INVALID_INPUT naming the entry that is not
 * HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT) and *out NULL. */
int oidc_parse_connect_to(const char *list, char ***out, size_t *n, struct irsa_error *err);

/* Frees a vector from oidc_parse_connect_to(). v may be NULL. */
void oidc_connect_to_free(char **v);

#endif
