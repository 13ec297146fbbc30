/* core/http.h - the HTTP engine: requests over libcurl, one or many at once,
 * with retries, size caps, cancellation and a redacted trace.
 *
 * A struct http_client owns a libcurl multi handle and a share handle, so
 * connections, DNS answers and TLS sessions are reused across requests and
 * runs. http_run() performs many requests at once (at most the client's cap
 * in flight); http_do() performs one. Both block the calling thread until
 * every request is done; another thread may stop them with
 * http_client_cancel(). A client is used by one thread at a time.
 *
 * What goes on the wire is what the caller built, so a SigV4 signature stays
 * valid: no "Expect: 100-continue", no Content-Type, Accept or Accept-Encoding
 * the caller did not give, exactly the body bytes, the path as given (no
 * dot-segment squashing), no redirects, http and https only. libcurl adds
 * Host (unless given), Content-Length and User-Agent "irsa/VERSION" (unless
 * given); none of them needs signing.
 *
 * An HTTP status is not an error at this layer: every complete answer is a
 * response (rc 0) for the AWS and Kubernetes clients to read, including a
 * 429 or 5xx that is still there when the retries are spent. Errors are what
 * prevents an answer: the network (resolve, connect, timeout, reset), TLS,
 * an answer over the size cap, cancellation and bad input.
 *
 * libcurl itself resends, once, a request whose reused keep-alive
 * connection turns out closed before any answer; that is not counted as an
 * attempt.
 *
 * Proxies: libcurl reads https_proxy/HTTPS_PROXY, http_proxy (lower case
 * only), ALL_PROXY and NO_PROXY from the environment itself; a proxy given in
 * the options (kubeconfig proxy-url) overrides them.
 *
 * libcurl runs with CURLOPT_NOSIGNAL (worker threads) and sends with
 * MSG_NOSIGNAL; a program should still ignore SIGPIPE, as libcurl advises. */
#ifndef IRSA_HTTP_H
#define IRSA_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "error.h"

#define HTTP_DEFAULT_TIMEOUT_MS         30000 /* one attempt, connect to last byte */
#define HTTP_DEFAULT_CONNECT_TIMEOUT_MS 10000 /* one attempt, until connected (TLS included) */
#define HTTP_DEFAULT_MAX_RESPONSE       (16 * 1024 * 1024)
#define HTTP_DEFAULT_MAX_RETRIES        3     /* 4 attempts, as the AWS SDKs' "standard" mode */
#define HTTP_DEFAULT_RETRY_BUDGET_MS    60000 /* no retry starts later than this after the first attempt */
#define HTTP_RETRY_BASE_MS              100   /* full-jitter backoff: random(0, min(cap, base * 2^n)) */
#define HTTP_RETRY_CAP_MS               20000 /* also the longest Retry-After honoured */
#define HTTP_DEFAULT_MAX_IN_FLIGHT      8
#define HTTP_MAX_RESPONSE_HEADERS       256
#define HTTP_TRACE_BODY_MAX             4096 /* body bytes shown in a trace line */

/* One header. Both strings owned by the list. */
struct http_header {
	char *name;
	char *value;
};

/* An ordered list of headers; names may repeat and compare case-insensitively.
 * Zero-initialised is empty. Owns its strings; http_headers_release() wipes
 * them (they may hold Authorization or a session token). */
struct http_headers {
	struct http_header *v;
	size_t n, cap;
};

/* Appends a copy of name: value. Returns 0, or -1 when out of memory. */
int http_headers_add(struct http_headers *h, const char *name, const char *value);

/* Removes every header called name, then adds name: value (re-signing
 * replaces X-Amz-Date and Authorization this way). Returns as http_headers_add. */
int http_headers_set(struct http_headers *h, const char *name, const char *value);

/* Removes every header called name. */
void http_headers_remove(struct http_headers *h, const char *name);

/* The value of the first header called name, or NULL. Borrowed from h. */
const char *http_headers_get(const struct http_headers *h, const char *name);

/* Repeated headers: the value of the next header called name at or after
 * *pos, which is then moved past it; NULL when there are no more. Start with
 * *pos = 0. Borrowed from h. */
const char *http_headers_next(const struct http_headers *h, const char *name, size_t *pos);

/* Wipes and frees the headers and leaves h empty. */
void http_headers_release(struct http_headers *h);

/* How one request is sent. http_request_init() fills the defaults. Pointers
 * are borrowed and must stay valid until the request is done. */
struct http_options {
	long timeout_ms;         /* each attempt; HTTP_DEFAULT_TIMEOUT_MS */
	long connect_timeout_ms; /* each attempt; HTTP_DEFAULT_CONNECT_TIMEOUT_MS */
	size_t max_response;     /* largest body accepted; more is IRSA_ERR_LIMIT */

	/* Retries. Only an idempotent request is retried after it may have
	 * reached the server; one that never left (resolve or connect failed) is
	 * retried whatever it is. http_request_init() marks GET, HEAD, PUT,
	 * DELETE and OPTIONS idempotent; the AWS clients mark their POSTs too,
	 * as the SDKs retry them. */
	bool idempotent;
	int max_retries;      /* HTTP_DEFAULT_MAX_RETRIES; 0 sends once */
	long retry_budget_ms; /* HTTP_DEFAULT_RETRY_BUDGET_MS */
	long retry_base_ms;   /* HTTP_RETRY_BASE_MS (tests shorten it) */
	long retry_cap_ms;    /* HTTP_RETRY_CAP_MS */

	/* NULL: libcurl's environment rules; "": no proxy at all; else the
	 * proxy URL (http://, https://, socks5h://). */
	const char *proxy;

	/* TLS. With none of the CA fields the system store is used. A CA in
	 * memory (kubeconfig certificate-authority-data, decoded) wins over a
	 * file (AWS_CA_BUNDLE, certificate-authority). */
	const char *ca_file;
	const void *ca_pem;
	size_t ca_pem_len;
	const void *cert_pem; /* client certificate, PEM (client-certificate-data) */
	size_t cert_pem_len;
	const void *key_pem; /* its private key, PEM (client-key-data); never copied by libcurl */
	size_t key_pem_len;
	bool insecure; /* skip certificate and host name checks (insecure-skip-tls-verify) */
	/* Verify the server as this name and send it as SNI, as kubeconfig's
	 * tls-server-name: the URL's host is swapped for it and the connection
	 * redirected to the real host with CURLOPT_CONNECT_TO; the Host header
	 * keeps the URL's host unless one is given. */
	const char *tls_server_name;

	/* NULL (the default): no Accept-Encoding, the body arrives as sent.
	 * "" asks for every encoding libcurl decodes; it is added after signing
	 * and so must not be signed. */
	const char *accept_encoding;
};

struct http_request;
struct http_response;

/* Called before every attempt, the first included (attempt 0, 1, ...): the
 * place to sign or re-sign, since SigV4's X-Amz-Date moves between attempts.
 * It may change the URL, the headers and the body. Returns 0, or -1 with err
 * set to fail the request with that error. */
typedef int (*http_prepare_fn)(struct http_request *req, int attempt, void *arg, struct irsa_error *err);

/* Called after an attempt that got a complete answer whose status is not
 * already retried (429, 500, 502, 503, 504): returns true when the answer
 * says "try again later" in the protocol's own words (AWS "Throttling" in a
 * 400 body). resp is the whole answer; borrowed. */
typedef bool (*http_retry_fn)(const struct http_request *req, const struct http_response *resp, void *arg);

/* One request. Owns method, URL, headers and body (the body is wiped when
 * released: it may carry a web identity token); see http_options for the
 * borrowed pointers in opt. */
struct http_request {
	char method[16];
	char *url;
	struct http_headers headers;
	char *body;
	size_t body_len;
	struct http_options opt;
	http_prepare_fn prepare; /* may be NULL */
	void *prepare_arg;
	http_retry_fn retry_check; /* may be NULL */
	void *retry_arg;
};

/* Prepares a request with the default options and no headers or body.
 * method is upper case ("GET", "POST", "PATCH", ...). Returns 0, or -1 with
 * err set (IRSA_ERR_INVALID_INPUT, IRSA_ERR_INTERNAL); release it either way. */
int http_request_init(struct http_request *req, const char *method, const char *url, struct irsa_error *err);

/* Replaces the URL (a presigned query after re-signing). Returns 0 or -1. */
int http_request_set_url(struct http_request *req, const char *url, struct irsa_error *err);

/* Replaces the body with a copy of len bytes at data. Returns 0 or -1. */
int http_request_set_body(struct http_request *req, const void *data, size_t len, struct irsa_error *err);

/* Frees what req owns (wiping headers and body) and leaves it empty. */
void http_request_release(struct http_request *req);

/* Where the time of the last attempt went (libcurl's timers), and totals. */
struct http_timing {
	double dns_ms;        /* name resolved */
	double connect_ms;    /* TCP connected */
	double tls_ms;        /* TLS handshake done (0 for http) */
	double first_byte_ms; /* first response byte */
	double total_ms;      /* last byte */
	long elapsed_ms;      /* every attempt and every wait between them */
	long new_connections; /* connections opened, all attempts (0: all reused) */
};

/* An answer. Everything owned; http_response_release() wipes the body (it may
 * hold credentials). */
struct http_response {
	long status;                 /* 0 when no answer came */
	struct http_headers headers; /* of the final answer, as received */
	struct buf body;             /* capped at the request's max_response */
	/* x-amzn-RequestId, x-amz-request-id or (Kubernetes) Audit-Id, "" if none. */
	char request_id[80];
	int attempts; /* attempts made: 1 + retries */
	struct http_timing timing;
};

void http_response_init(struct http_response *resp);
void http_response_release(struct http_response *resp);

/* One request of a run and its outcome. */
struct http_call {
	struct http_request *req;  /* in; borrowed, may be changed by its prepare callback */
	struct http_response resp; /* out; http_run() initialises it, the caller releases it */
	struct irsa_error err;     /* out, when rc is -1 */
	int rc;                    /* out: 0 an answer (any status), -1 err says why not */
};

struct http_client;

/* A client running at most max_in_flight requests at once (0 means
 * HTTP_DEFAULT_MAX_IN_FLIGHT). Returns NULL with err set when libcurl cannot
 * be set up. The caller frees it with http_client_free(). */
struct http_client *http_client_new(unsigned max_in_flight, struct irsa_error *err);

/* Closes every connection and frees c. c may be NULL. Must not race with
 * http_client_cancel(). */
void http_client_free(struct http_client *c);

/* Cancels from any thread: requests in flight and waiting finish promptly
 * with IRSA_ERR_CANCELLED, and so does every later run until
 * http_client_clear_cancel(). */
void http_client_cancel(struct http_client *c);
void http_client_clear_cancel(struct http_client *c);
bool http_client_cancelled(struct http_client *c);

/* Performs the n calls at once, at most the client's cap in flight, each
 * with its own retries, and returns when all are done. Each call's rc, err
 * and resp say how it went, independently of the others. deadline_ms bounds
 * the whole run (0: none); calls unfinished then fail with IRSA_ERR_NETWORK.
 * Returns 0 when every call ran to its end, or -1 with err set when the run
 * was cancelled (IRSA_ERR_CANCELLED), hit its deadline, or libcurl failed;
 * calls that had finished keep their results. */
int http_run(struct http_client *c, struct http_call *calls, size_t n, long deadline_ms, struct irsa_error *err);

/* One request: http_run() of one call. resp is initialised here; the caller
 * releases it whatever the outcome. Returns 0 with an answer (any status,
 * including a 429 or 5xx left after the retries: see resp->attempts), or -1
 * with err set. */
int http_do(struct http_client *c, struct http_request *req, struct http_response *resp, struct irsa_error *err);

/* The reason phrase of an HTTP status ("Bad Gateway"), for messages about
 * an answer that carries no error of its own; "Server Error" or "Client
 * Error" for a 5xx or 4xx it does not name, else "". Static. */
const char *http_status_text(long status);

/* The kind of error an HTTP status is when the answer says no more: 401
 * auth, 403 denied, 404 not found, 407 network (the proxy), 409, 410, 412
 * and 428 conflict, 413 limit, 429 throttled, other 4xx invalid input, 5xx
 * network, anything else internal. */
enum irsa_err http_status_kind(long status);

/* The pieces, for the tests. */

/* Full-jitter backoff before retry number retry (0 for the first retry):
 * a uniform pick in [0, min(cap_ms, base_ms * 2^retry)], rnd being a random
 * 64-bit value. */
long http_backoff_ms(int retry, long base_ms, long cap_ms, uint64_t rnd);

/* A Retry-After value (delay-seconds or an HTTP-date) as milliseconds from
 * now, at least 0. Returns -1 when value is neither. */
long http_retry_after_ms(const char *value, time_t now);

#endif
