/* core/kube.h - the Kubernetes REST client: one API server reached as a
 * resolved kubeconfig context (struct kube_target) describes it, requests
 * authenticated as kubectl would, and every non-2xx answer turned into a
 * struct irsa_error that says what was refused and what to do.
 *
 * A struct kube_client owns one http_client (connections and TLS sessions
 * reused, at most max_in_flight requests at once). Every request carries
 * "Accept: application/json" and irsa's User-Agent, the kubeconfig's CA,
 * insecure-skip-tls-verify, tls-server-name and proxy-url, and one
 * credential: a token from the client's token hook (the built-in EKS token
 * generator plugs in here), else the user's token or tokenFile, else the
 * exec plugin's credential (bearer token or client certificate, cached by
 * core/kube_exec.c); a client certificate of the user is sent as well.
 *
 * After a 401 the credential is renewed once (the exec plugin's cache is
 * invalidated, or the hook is asked again) and the request is sent again;
 * a static token or certificate is not renewed. 429 and 5xx answers are
 * retried by the HTTP layer, Retry-After honoured, for requests that may be
 * sent twice: GETs, and the POSTs and PATCHes marked retry_safe (a merge
 * patch of annotations, a rollout restart patch with its fixed timestamp,
 * TokenRequest and SelfSubjectAccessReview all leave the same state when
 * repeated). Lists are read page by page and start again from the first
 * page when the server says 410 Gone.
 *
 * The typed calls (service accounts, pods, workloads, rollout restart,
 * TokenRequest, SelfSubjectAccessReview) are in core/kube_api.h. A client
 * is used by one thread at a time; kube_client_cancel() may come from any
 * thread. No printing. */
#ifndef IRSA_KUBE_H
#define IRSA_KUBE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "error.h"
#include "http.h"
#include "kubeconfig.h"

#define KUBE_DEFAULT_MAX_IN_FLIGHT 4      /* kubectl's client-go allows 5 QPS, bursts of 10 */
#define KUBE_DEFAULT_PAGE_SIZE     500    /* list limit, as kubectl get --chunk-size */
#define KUBE_MAX_LIST_ITEMS        200000 /* items in one list, all pages */
#define KUBE_MAX_LIST_PAGES        10000  /* pages in one list: a server repeating itself stops here */
#define KUBE_MAX_LIST_RESTARTS     3      /* 410 Gone: lists started again from the first page */
#define KUBE_MAX_CONFLICT_RETRIES  3      /* 409 Conflict on an update: re-read and send again */
#define KUBE_TOKEN_MARGIN          60     /* s before a hook token's expiry that it is renewed */
#define KUBE_MAX_DESCRIPTION       256

/* The resources irsa reads and writes. */
enum kube_kind {
	KUBE_NAMESPACE,
	KUBE_SERVICE_ACCOUNT,
	KUBE_POD,
	KUBE_DEPLOYMENT,
	KUBE_STATEFULSET,
	KUBE_DAEMONSET,
	KUBE_ACCESS_REVIEW, /* selfsubjectaccessreviews */
	KUBE_N_KINDS,
};

/* Where a kind lives in the API. Static. */
struct kube_resource {
	const char *kind;        /* "ServiceAccount" */
	const char *api_version; /* "v1", "apps/v1" */
	const char *group;       /* "" for the core group, "apps" */
	const char *plural;      /* "serviceaccounts" */
	const char *noun;        /* "service account", for messages */
	bool namespaced;
};

/* The table entry of kind. Static; kind must be below KUBE_N_KINDS. */
const struct kube_resource *kube_resource(enum kube_kind kind);

/* Supplies a bearer token in place of the kubeconfig's credential (the
 * built-in EKS token instead of running `aws eks get-token`). refresh is
 * true when the server has just rejected the last token (401): make a new
 * one rather than return a cached one. Returns 0 with *token (a new string,
 * which the client wipes and frees) and *expiry (0: does not expire), or -1
 * with err set. Called on the client's thread. */
typedef int (*kube_token_fn)(void *arg, bool refresh, char **token, time_t *expiry, struct irsa_error *err);

/* How to make a client. Zero-initialised gives the defaults. Strings are
 * copied; token_arg is borrowed. */
struct kube_client_options {
	unsigned max_in_flight; /* 0: KUBE_DEFAULT_MAX_IN_FLIGHT */
	long timeout_ms;        /* each attempt; 0: HTTP_DEFAULT_TIMEOUT_MS */
	long retry_base_ms;     /* first backoff; 0: HTTP_RETRY_BASE_MS (tests shorten it) */
	int exec_timeout_ms;    /* exec plugins; 0: KUBE_EXEC_DEFAULT_TIMEOUT */
	size_t max_response;    /* one answer (one page of a list); 0: HTTP_DEFAULT_MAX_RESPONSE */
	unsigned page_size;     /* items per list page; 0: KUBE_DEFAULT_PAGE_SIZE */
	kube_token_fn token_fn; /* NULL: the kubeconfig's credential */
	void *token_arg;
	const char *token_source; /* what token_fn is, for messages: "the built-in EKS token of cluster shop-prod" */
};

struct kube_client;

/* A client for target, which is borrowed and must outlive the client. opt
 * may be NULL. Fetches no credential yet. Returns NULL with err set
 * (IRSA_ERR_INVALID_INPUT: a target without a server; IRSA_ERR_INTERNAL).
 * The caller frees with kube_client_free(). */
struct kube_client *kube_client_new(const struct kube_target *target, const struct kube_client_options *opt,
                                    struct irsa_error *err);

/* Frees c, wiping the credential it holds. c may be NULL. Must not race
 * with kube_client_cancel(). */
void kube_client_free(struct kube_client *c);

/* The target. Borrowed. */
const struct kube_target *kube_client_target(const struct kube_client *c);

/* Items per list page (the options' page_size or its default). */
unsigned kube_client_page_size(const struct kube_client *c);

/* The credential the client sends, in words: "the token of user
 * \"u\"", "the client certificate of user \"u\"", "the credential of exec
 * plugin aws eks get-token ... (user \"u\")", or the hook's token_source.
 * Borrowed from c. */
const char *kube_client_credential(const struct kube_client *c);

/* From any thread: the request in flight ends with IRSA_ERR_CANCELLED, and
 * so does every later one until kube_client_clear_cancel(). */
void kube_client_cancel(struct kube_client *c);
void kube_client_clear_cancel(struct kube_client *c);

/* One API request. Strings borrowed for the call. */
struct kube_req {
	const char *method;       /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *path;         /* a path of its own ("/version"); NULL: the resource's */
	const char *verb;         /* the Kubernetes verb, for messages and RBAC hints: "get", "list", "patch" */
	enum kube_kind kind;      /* the resource */
	const char *namespace;    /* NULL or "": all namespaces (or a cluster-scoped kind) */
	const char *name;         /* NULL: the collection */
	const char *subresource;  /* "token", or NULL */
	const char *query;        /* URL-encoded "a=b&c=d" without '?', or NULL */
	const char *content_type; /* of the body; NULL without one */
	const char *body;         /* NULL: none */
	size_t body_len;
	bool retry_safe; /* a POST or PATCH that may be sent again after a 429 or 5xx (GET always may) */
};

/* Sends r with the client's credential (renewed once after a 401) and
 * reads the answer. Returns 0 for a 2xx answer with *out set to its JSON
 * body (a new reference the caller puts with json_object_put(); out may be
 * NULL), or -1 with err set: the answer mapped by kube_status_error(), the
 * credential that could not be had, the network, TLS, cancellation, or
 * IRSA_ERR_PARSE for a 2xx answer that is not a JSON object. */
int kube_request(struct kube_client *c, const struct kube_req *r, struct json_object **out, struct irsa_error *err);

/* One request of kube_request_many() and its outcome. */
struct kube_call {
	const struct kube_req *req; /* in; borrowed */
	struct json_object *out;    /* out when rc is 0: the answer's JSON (the caller puts it) */
	struct irsa_error err;      /* out when rc is -1 */
	int rc;                     /* out: as kube_request() */
};

/* Sends the n requests at once (at most max_in_flight in flight), each
 * one's outcome as kube_request() would give it in calls[i]. Returns 0 when
 * every call ran to its end (see each rc), or -1 with err set when none
 * could be sent (the credential could not be had) or the run was
 * cancelled; then every rc is -1. */
int kube_request_many(struct kube_client *c, struct kube_call *calls, size_t n, struct irsa_error *err);

/* One list. Strings borrowed for the call. */
struct kube_list_req {
	enum kube_kind kind;
	const char *namespace;      /* NULL or "": all namespaces */
	const char *label_selector; /* NULL: none */
	const char *field_selector; /* NULL: none */
};

/* How a list went. */
struct kube_list_stats {
	int pages;    /* requests that returned a page, restarts included */
	int restarts; /* 410 Gone answers that made the list start again */
};

/* Reads the n lists to their ends, at once: the first pages of all go out
 * together, then each list's next pages (limit = the page size, continue =
 * the last page's metadata.continue, the other parameters unchanged). A 410
 * Gone (the continue token expired) drops what that list had read and
 * starts it again from its first page, at most KUBE_MAX_LIST_RESTARTS
 * times, so an item is never returned twice. Returns 0 with items[i] set to
 * a new JSON array of list i's items, each with its kind and apiVersion put
 * back (the caller puts each with json_object_put()), and stats[i] filled
 * when stats is not NULL; or -1 with err set (the first list that failed;
 * IRSA_ERR_LIMIT past KUBE_MAX_LIST_ITEMS or KUBE_MAX_LIST_PAGES) and every
 * items[i] NULL. */
int kube_list(struct kube_client *c, const struct kube_list_req *reqs, size_t n, struct json_object **items,
              struct kube_list_stats *stats, struct irsa_error *err);

/* Called by kube_list_each() on the caller's thread after each page of
 * list number `list` (its index in reqs): items is that page's items (an
 * array borrowed for the call: take references to keep them), each with
 * its kind and apiVersion put back. restarted is true on the first page
 * after a 410 Gone started the list again: drop what earlier pages of that
 * list gave. Returns 0 to go on, or -1 with err set to stop every list. */
typedef int (*kube_page_fn)(void *arg, size_t list, struct json_object *items, bool restarted, struct irsa_error *err);

/* kube_list(), handing each page to fn as it arrives rather than gathering
 * the items: a screen shows the first page of 20,000 service accounts
 * while the rest load. Returns 0, or -1 with err set (fn's error when fn
 * stopped the lists). */
int kube_list_each(struct kube_client *c, const struct kube_list_req *reqs, size_t n, kube_page_fn fn, void *arg,
                   struct kube_list_stats *stats, struct irsa_error *err);

/* The pieces, for the tests and for kube_api.c. */

/* What kube_status_error() says about whose request it was. Borrowed. */
struct kube_error_context {
	const char *server;     /* the API server URL */
	const char *context;    /* the kubeconfig context, or NULL */
	const char *credential; /* kube_client_credential() */
	const char *auth_hint;  /* what to do when the credential is rejected, or NULL */
};

/* Maps a non-2xx answer to r into err and returns -1. A Kubernetes Status
 * body gives the code (its reason) and the words: 401 names the credential
 * that was rejected, 403 the user, verb, resource and namespace with the
 * RBAC permission missing and the `kubectl auth can-i` command that checks
 * it, 404 the object, 409 already-exists or changed-under-us, 410 an
 * expired list, 422 the invalid fields, 429 throttling. Another body (a
 * proxy's HTML page) gives the HTTP status text. Kinds: 400, 405, 406, 415
 * and 422 IRSA_ERR_INVALID_INPUT, 401 AUTH, 403 DENIED, 404 NOT_FOUND, 409
 * and 410 CONFLICT, 429 THROTTLED, 5xx NETWORK. */
int kube_status_error(const struct kube_error_context *ctx, const struct kube_req *r, const struct http_response *resp,
                      struct irsa_error *err);

/* Appends s percent-encoded (everything but RFC 3986 unreserved
 * characters) to b. Returns 0, or -1 when b is full. */
int kube_url_escape(struct buf *b, const char *s);

#endif
