/* core/aws_client.h - one AWS call end to end: endpoint, request, signature,
 * retries and the error, for the calls aws_op describes.
 *
 * A struct aws_client holds what every call needs: the loaded config files,
 * the resolved profile and region, a credentials provider (aws_creds) and an
 * HTTP client. aws_client_call() turns an aws_op into an HTTP request
 * (Query: POST of the form body with Content-Type
 * "application/x-www-form-urlencoded; charset=utf-8"; REST-JSON: the op's
 * method, path, query and JSON body with "application/json") to the endpoint
 * aws_endpoint_resolve() gives for the op's service, signs it with SigV4
 * before every attempt (so a retry carries a fresh X-Amz-Date), lets the
 * HTTP layer retry it (idempotence from the op, AWS throttling and transient
 * codes from aws_error) and maps a non-2xx answer to a struct irsa_error with
 * aws_error: the call, its object, where the credentials came from for auth
 * errors, the clock skew read from the Date header.
 *
 * The CA bundle comes with the endpoint (AWS_CA_BUNDLE or the profile's
 * ca_bundle); proxies are libcurl's (HTTPS_PROXY, NO_PROXY). A client is used
 * by one thread at a time; aws_client_cancel() may come from any thread. No
 * printing, no terminal. */
#ifndef IRSA_AWS_CLIENT_H
#define IRSA_AWS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_config.h"
#include "aws_credentials.h"
#include "aws_creds.h"
#include "aws_op.h"
#include "error.h"
#include "http.h"

#define AWS_CLIENT_MAX_RESPONSE (8 * 1024 * 1024) /* cap on one AWS answer */

/* How to make a client. Zero-initialised is "as the environment and the
 * files say". Strings borrowed for the call. */
struct aws_client_options {
	const char *profile;      /* --profile; NULL: AWS_DEFAULT_PROFILE, AWS_PROFILE, "default" */
	const char *region;       /* --region; NULL: AWS_REGION, AWS_DEFAULT_REGION, the profile's */
	const char *endpoint_url; /* --endpoint-url: every service goes there; NULL: resolved per service */
	unsigned max_in_flight;   /* aws_client_call_many(); 0: HTTP_DEFAULT_MAX_IN_FLIGHT */
	long timeout_ms;          /* each attempt; 0: HTTP_DEFAULT_TIMEOUT_MS */
	long retry_base_ms;       /* first backoff; 0: HTTP_RETRY_BASE_MS (tests shorten it) */
};

struct aws_client;

/* Loads the config files, resolves the profile and the region, makes the
 * credentials provider (no credentials are fetched yet) and an HTTP client.
 * opt may be NULL. Returns NULL with err set: a broken config file, an
 * unknown profile, no region, no credentials anywhere. The caller frees with
 * aws_client_free(). */
struct aws_client *aws_client_new(const struct aws_client_options *opt, struct irsa_error *err);

/* A client over borrowed parts, for the credentials provider's own STS calls
 * and for the tests: http (NULL: the client makes its own), cfg (may be NULL:
 * no files), creds (NULL: the client can only make unsigned calls). profile
 * (may be NULL) and region are copied; opt as above (profile and region in
 * it are ignored). The borrowed parts must outlive the client. Returns NULL
 * with err set. */
struct aws_client *aws_client_new_borrowing(struct http_client *http, const struct aws_config *cfg, const char *profile,
                                            const char *region, struct aws_creds *creds,
                                            const struct aws_client_options *opt, struct irsa_error *err);

/* A client for another region that shares base's config, profile,
 * credentials provider and options (endpoint URL, timeouts), with an HTTP
 * client of its own: it may run on another thread than base (the
 * credentials provider is thread-safe), so that regions are queried at
 * once. base must outlive it. Returns NULL with err set. */
struct aws_client *aws_client_new_for_region(const struct aws_client *base, const char *region, struct irsa_error *err);

/* Frees c and what it owns. c may be NULL. Must not race with
 * aws_client_cancel(). */
void aws_client_free(struct aws_client *c);

/* What the client resolved. Borrowed from c. */
const char *aws_client_profile(const struct aws_client *c); /* NULL for a borrowing client without one */
const char *aws_client_region(const struct aws_client *c);
const struct aws_config *aws_client_config(const struct aws_client *c); /* may be NULL */
struct aws_creds *aws_client_creds(const struct aws_client *c);         /* may be NULL */

/* Performs op. Fills resp (initialised here; the caller releases it
 * whatever the outcome) with the answer. Returns 0 for a 2xx answer, or -1
 * with err set: a non-2xx answer mapped by aws_error (resp holds it), no
 * credentials (the message names the source tried), the network, TLS,
 * cancellation (IRSA_ERR_CANCELLED). An ExpiredToken answer also drops the
 * cached credentials so that the next call fetches new ones. */
int aws_client_call(struct aws_client *c, const struct aws_op *op, struct http_response *resp, struct irsa_error *err);

/* One call of aws_client_call_many(). */
struct aws_call {
	const struct aws_op *op;   /* in; borrowed */
	struct http_response resp; /* out; initialised by the run, released by the caller */
	struct irsa_error err;     /* out when rc is -1 */
	int rc;                    /* out: as aws_client_call() */
};

/* Performs the n calls at once (at most the client's max_in_flight in
 * flight), each signed, retried and mapped on its own as aws_client_call()
 * does: many GetRole for an audit. Returns 0 when every call ran to its end
 * (see each rc), or -1 with err set when credentials could not be had (then
 * no call went out), or the run was cancelled (unfinished calls say
 * IRSA_ERR_CANCELLED too). */
int aws_client_call_many(struct aws_client *c, struct aws_call *calls, size_t n, struct irsa_error *err);

/* From any thread: the call in flight (and any credential fetch) ends with
 * IRSA_ERR_CANCELLED, and so does every later call until
 * aws_client_clear_cancel(). */
void aws_client_cancel(struct aws_client *c);
void aws_client_clear_cancel(struct aws_client *c);

#endif
