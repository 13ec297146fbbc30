/* core/http.c - the HTTP engine on libcurl's multi interface.
 *
 * Owns a client's multi and share handles, and for the length of a run one
 * easy handle per request in flight. A run is a small scheduler: it starts
 * waiting requests while fewer than the cap are in flight, lets libcurl move
 * them, and on each finished attempt decides between done and a retry after
 * a full-jitter backoff (or the server's Retry-After). The wait between
 * steps is curl_multi_poll(), which http_client_cancel() interrupts with
 * curl_multi_wakeup(); a progress callback stops a transfer that is busy.
 * Request headers are handed to libcurl so that it adds nothing a signature
 * would miss (see http.h). The trace is built only when LOG_TRACE is on and
 * goes through the redacting logger; Authorization values other than SigV4
 * (whose signature the logger removes) are replaced here. Copies of header
 * lines are wiped before they are freed. No printing. */
#include "config.h"

#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "log.h"
#include "redact.h"

#define HTTP_USER_AGENT       "irsa/" PACKAGE_VERSION
#define HTTP_MAX_HEADER_BYTES (256 * 1024) /* all response header lines of one answer */
#define HTTP_POLL_MAX_MS      1000         /* longest sleep between checks of the cancel flag */
#define HTTP_TRACE_MAX        (64 * 1024)  /* one trace line, headers and body excerpt */

struct http_client {
	CURLM *multi;
	CURLSH *share;
	unsigned max_in_flight;
	atomic_bool cancelled;
	uint64_t rng; /* splitmix64 state for the backoff jitter */
};

enum call_phase {
	PHASE_WAITING, /* not started yet, or backing off before a retry */
	PHASE_RUNNING, /* an attempt is in the multi handle */
	PHASE_DONE,
};

/* One call of a run. */
struct call_state {
	struct http_call *call;
	struct http_client *client;
	enum call_phase phase;
	CURL *easy;
	struct curl_slist *headers;    /* the request headers as libcurl takes them; wiped */
	struct curl_slist *connect_to; /* tls_server_name: name:port:host:port */
	char *url;                     /* the URL sent */
	char host[256];                /* the URL's host, for messages */
	long port;
	int attempt;           /* attempts started */
	long retry_after_ms;   /* the last answer's Retry-After, -1 if none */
	int64_t first_ms;      /* when the first attempt started */
	int64_t not_before_ms; /* a retry waits until then */
	bool over_limit;       /* the body passed max_response */
	bool headers_over;     /* too many or too large response headers */
	bool out_of_memory;
	size_t header_bytes;
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_mutex_t http_global_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned http_global_users;

/* --- small helpers -------------------------------------------------------- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t
rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
slist_free_secure(struct curl_slist *list)
{
	struct curl_slist *l;

	for (l = list; l != NULL; l = l->next)
		buf_wipe(l->data, strlen(l->data));
	curl_slist_free_all(list);
}

static char *
dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* --- headers -------------------------------------------------------------- */

static int
headers_add_n(struct http_headers *h, const char *name, size_t name_len, const char *value, size_t value_len)
{
	struct http_header *grown;
	char *n, *v;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 8;

		grown = realloc(h->v, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		h->v = grown;
		h->cap = cap;
	}
	n = dup_n(name, name_len);
	v = dup_n(value, value_len);
	if (n == NULL || v == NULL) {
		free(n);
		buf_free_secret(v);
		return -1;
	}
	h->v[h->n].name = n;
	h->v[h->n].value = v;
	h->n++;
	return 0;
}

int
http_headers_add(struct http_headers *h, const char *name, const char *value)
{
	return headers_add_n(h, name, strlen(name), value, strlen(value));
}

void
http_headers_remove(struct http_headers *h, const char *name)
{
	size_t i, kept = 0;

	for (i = 0; i < h->n; i++) {
		if (strcasecmp(h->v[i].name, name) == 0) {
			free(h->v[i].name);
			buf_free_secret(h->v[i].value);
			continue;
		}
		h->v[kept++] = h->v[i];
	}
	h->n = kept;
}

int
http_headers_set(struct http_headers *h, const char *name, const char *value)
{
	http_headers_remove(h, name);
	return http_headers_add(h, name, value);
}

const char *
http_headers_next(const struct http_headers *h, const char *name, size_t *pos)
{
	size_t i;

	for (i = *pos; i < h->n; i++) {
		if (strcasecmp(h->v[i].name, name) == 0) {
			*pos = i + 1;
			return h->v[i].value;
		}
	}
	*pos = h->n;
	return NULL;
}

const char *
http_headers_get(const struct http_headers *h, const char *name)
{
	size_t pos = 0;

	return http_headers_next(h, name, &pos);
}

void
http_headers_release(struct http_headers *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->v[i].name);
		buf_free_secret(h->v[i].value);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
	h->cap = 0;
}

/* --- requests and responses ----------------------------------------------- */

int
http_request_init(struct http_request *req, const char *method, const char *url, struct irsa_error *err)
{
	static const char *const idempotent[] = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
	size_t i, len;

	memset(req, 0, sizeof(*req));
	req->opt.timeout_ms = HTTP_DEFAULT_TIMEOUT_MS;
	req->opt.connect_timeout_ms = HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
	req->opt.max_response = HTTP_DEFAULT_MAX_RESPONSE;
	req->opt.max_retries = HTTP_DEFAULT_MAX_RETRIES;
	req->opt.retry_budget_ms = HTTP_DEFAULT_RETRY_BUDGET_MS;
	req->opt.retry_base_ms = HTTP_RETRY_BASE_MS;
	req->opt.retry_cap_ms = HTTP_RETRY_CAP_MS;

	len = method != NULL ? strlen(method) : 0;
	if (len == 0 || len >= sizeof(req->method))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "\"%s\" is not an HTTP method",
		                      method ? method : "");
	for (i = 0; i < len; i++) {
		if (method[i] < 'A' || method[i] > 'Z')
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "\"%s\" is not an HTTP method", method);
	}
	memcpy(req->method, method, len + 1);
	for (i = 0; i < sizeof(idempotent) / sizeof(idempotent[0]); i++) {
		if (strcmp(method, idempotent[i]) == 0)
			req->opt.idempotent = true;
	}
	return http_request_set_url(req, url, err);
}

int
http_request_set_url(struct http_request *req, const char *url, struct irsa_error *err)
{
	char *copy;

	if (url == NULL || url[0] == '\0')
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "an HTTP request has no URL");
	copy = strdup(url);
	if (copy == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory copying a URL");
	buf_free_secret(req->url);
	req->url = copy;
	return 0;
}

int
http_request_set_body(struct http_request *req, const void *data, size_t len, struct irsa_error *err)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory copying a %zu-byte request body", len);
	if (len > 0)
		memcpy(copy, data, len);
	copy[len] = '\0';
	if (req->body != NULL)
		buf_wipe(req->body, req->body_len);
	free(req->body);
	req->body = copy;
	req->body_len = len;
	return 0;
}

void
http_request_release(struct http_request *req)
{
	buf_free_secret(req->url);
	req->url = NULL;
	http_headers_release(&req->headers);
	if (req->body != NULL)
		buf_wipe(req->body, req->body_len);
	free(req->body);
	req->body = NULL;
	req->body_len = 0;
}

void
http_response_init(struct http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->body, HTTP_DEFAULT_MAX_RESPONSE);
}

void
http_response_release(struct http_response *resp)
{
	http_headers_release(&resp->headers);
	buf_release_secure(&resp->body);
}

/* --- retry arithmetic ----------------------------------------------------- */

long
http_backoff_ms(int retry, long base_ms, long cap_ms, uint64_t rnd)
{
	long ceiling = base_ms;
	int i;

	for (i = 0; i < retry && ceiling < cap_ms; i++)
		ceiling *= 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	if (ceiling <= 0)
		return 0;
	return (long)(rnd % ((uint64_t)ceiling + 1));
}

long
http_retry_after_ms(const char *value, time_t now)
{
	const char *p = value;
	long secs = 0;
	time_t when;

	if (value == NULL)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (isdigit((unsigned char)*p)) {
		while (isdigit((unsigned char)*p)) {
			if (secs < 1000000)
				secs = secs * 10 + (*p - '0');
			p++;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		return *p == '\0' ? secs * 1000 : -1;
	}
	when = curl_getdate(p, NULL);
	if (when == (time_t)-1)
		return -1;
	if (when <= now)
		return 0;
	if (when - now > 1000000)
		return 1000000L * 1000;
	return (long)(when - now) * 1000;
}

/* --- the trace ------------------------------------------------------------ */

/* Appends at most max bytes of data, escaping what is not printable text. */
static void
trace_add_body(struct buf *t, const char *data, size_t len, size_t max)
{
	size_t i, shown = len < max ? len : max;

	for (i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f))
			buf_addch(t, (char)c);
		else if (c != '\r')
			buf_printf(t, "\\x%02x", c);
	}
	if (shown < len)
		buf_printf(t, "\n... (%zu more bytes)", len - shown);
}

/* Appends one header line for the trace. SigV4 Authorization is kept (the
 * logger removes its signature and half the key id, the rest helps to debug
 * signing); any other scheme keeps only its name. */
static void
trace_add_header(struct buf *t, const char *prefix, const char *line, size_t len)
{
	static const char *const auth[] = {"authorization:", "proxy-authorization:"};
	size_t i, klen, v, w;

	for (i = 0; i < sizeof(auth) / sizeof(auth[0]); i++) {
		klen = strlen(auth[i]);
		if (len < klen || strncasecmp(line, auth[i], klen) != 0)
			continue;
		for (v = klen; v < len && line[v] == ' '; v++)
			;
		if (len - v >= 16 && strncmp(line + v, "AWS4-HMAC-SHA256", 16) == 0)
			break;
		for (w = v; w < len && line[w] != ' '; w++)
			;
		buf_printf(t, "%s%.*s %s\n", prefix, (int)w, line, REDACTED);
		return;
	}
	buf_printf(t, "%s%.*s\n", prefix, (int)len, line);
}

/* libcurl's debug callback: the request headers exactly as sent, with the
 * body we hand it, in one log line. */
static int
trace_request(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	struct call_state *s = arg;
	const struct http_request *req = s->call->req;
	struct buf t;
	size_t start = 0, end;

	if (type != CURLINFO_HEADER_OUT)
		return 0;
	buf_init(&t, HTTP_TRACE_MAX);
	buf_printf(&t, "http: request (attempt %d)\n", s->attempt);
	while (start < size) {
		for (end = start; end < size && data[end] != '\r' && data[end] != '\n'; end++)
			;
		if (end > start)
			trace_add_header(&t, "> ", data + start, end - start);
		start = end + 1;
	}
	if (req->body_len > 0 && !(size >= 8 && strncmp(data, "CONNECT ", 8) == 0)) {
		buf_addch(&t, '\n');
		trace_add_body(&t, req->body, req->body_len, HTTP_TRACE_BODY_MAX);
	}
	log_trace("%s", buf_cstr(&t));
	buf_release_secure(&t);
	return 0;
}

static void
trace_response(const struct call_state *s)
{
	const struct http_response *resp = &s->call->resp;
	struct buf t;
	size_t i;

	buf_init(&t, HTTP_TRACE_MAX);
	buf_printf(&t, "http: response from %s:%ld (attempt %d, %.0f ms)\n< HTTP %ld\n", s->host, s->port, s->attempt,
	           resp->timing.total_ms, resp->status);
	for (i = 0; i < resp->headers.n; i++)
		buf_printf(&t, "< %s: %s\n", resp->headers.v[i].name, resp->headers.v[i].value);
	if (resp->body.len > 0) {
		buf_addch(&t, '\n');
		trace_add_body(&t, resp->body.data, resp->body.len, HTTP_TRACE_BODY_MAX);
	}
	log_trace("%s", buf_cstr(&t));
	buf_release_secure(&t);
}

/* --- libcurl callbacks ---------------------------------------------------- */

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct call_state *s = arg;
	struct buf *body = &s->call->resp.body;
	size_t len = size * nmemb;

	if (buf_add(body, data, len) != 0) {
		if (body->error == E2BIG)
			s->over_limit = true;
		else
			s->out_of_memory = true;
		return 0; /* aborts the transfer */
	}
	return len;
}

static size_t
on_header(char *data, size_t size, size_t nitems, void *arg)
{
	struct call_state *s = arg;
	struct http_headers *h = &s->call->resp.headers;
	size_t len = size * nitems, n = len, name_end, v;

	s->header_bytes += len;
	if (s->header_bytes > HTTP_MAX_HEADER_BYTES) {
		s->headers_over = true;
		return 0;
	}
	while (n > 0 && (data[n - 1] == '\r' || data[n - 1] == '\n'))
		n--;
	if (n == 0)
		return len;
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new status line: an interim 1xx answer came before. */
		http_headers_release(h);
		return len;
	}
	if ((data[0] == ' ' || data[0] == '\t') && h->n > 0) {
		/* obs-fold: the line continues the previous value. */
		struct http_header *last = &h->v[h->n - 1];
		size_t old = strlen(last->value);
		char *grown;

		for (v = 0; v < n && (data[v] == ' ' || data[v] == '\t'); v++)
			;
		grown = realloc(last->value, old + 1 + (n - v) + 1);
		if (grown == NULL) {
			s->out_of_memory = true;
			return 0;
		}
		grown[old] = ' ';
		memcpy(grown + old + 1, data + v, n - v);
		grown[old + 1 + (n - v)] = '\0';
		last->value = grown;
		return len;
	}
	for (name_end = 0; name_end < n && data[name_end] != ':'; name_end++)
		;
	if (name_end == n || name_end == 0)
		return len; /* not a header line: ignored */
	if (h->n >= HTTP_MAX_RESPONSE_HEADERS) {
		s->headers_over = true;
		return 0;
	}
	for (v = name_end + 1; v < n && (data[v] == ' ' || data[v] == '\t'); v++)
		;
	while (n > v && (data[n - 1] == ' ' || data[n - 1] == '\t'))
		n--;
	if (headers_add_n(h, data, name_end, data + v, n - v) != 0) {
		s->out_of_memory = true;
		return 0;
	}
	return len;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct call_state *s = arg;

	return atomic_load(&s->client->cancelled) ? 1 : 0;
}

/* --- one attempt ---------------------------------------------------------- */

/* Where the call goes, for messages: "host:port", or the URL if unparsed. */
static void
call_where(const struct call_state *s, char *out, size_t outsz)
{
	if (s->host[0] != '\0')
		snprintf(out, outsz, "%s:%ld", s->host, s->port);
	else
		snprintf(out, outsz, "%s", s->call->req->url ? s->call->req->url : "(no URL)");
}

/* Parses the request's URL into host and port, and with tls_server_name
 * builds the URL to send and the CONNECT_TO redirection. */
static int
call_parse_url(struct call_state *s, struct irsa_error *err)
{
	const struct http_request *req = s->call->req;
	const char *server_name = req->opt.tls_server_name;
	char *scheme = NULL, *host = NULL, *port = NULL, *swapped = NULL, line[600];
	CURLU *u;
	int rc = -1;

	u = curl_url();
	if (u == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory parsing a URL");
	if (curl_url_set(u, CURLUPART_URL, req->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "\"%s\" is not a valid URL", req->url);
		irsa_error_hint(err, "Check the endpoint setting (AWS_ENDPOINT_URL or the kubeconfig's server).");
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "\"%s\" is not an http or https URL", req->url);
		goto out;
	}
	snprintf(s->host, sizeof(s->host), "%s", host);
	s->port = strtol(port, NULL, 10);
	free(s->url);
	s->url = NULL;
	if (server_name != NULL && server_name[0] != '\0') {
		if (curl_url_set(u, CURLUPART_HOST, server_name, 0) != CURLUE_OK ||
		    curl_url_get(u, CURLUPART_URL, &swapped, 0) != CURLUE_OK) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "\"%s\" is not a valid TLS server name",
			               server_name);
			goto out;
		}
		s->url = strdup(swapped);
		snprintf(line, sizeof(line), "%s:%ld:%s:%ld", server_name, s->port, host, s->port);
		s->connect_to = curl_slist_append(NULL, line);
	} else {
		s->url = strdup(req->url);
	}
	if (s->url == NULL || (server_name != NULL && server_name[0] != '\0' && s->connect_to == NULL)) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory preparing a request");
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(swapped);
	curl_url_cleanup(u);
	return rc;
}

static bool
header_name_ok(const char *name)
{
	const char *p;

	if (name == NULL || name[0] == '\0')
		return false;
	for (p = name; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("!#$%&'*+-.^_`|~", *p))
			return false;
	}
	return true;
}

/* The header list for libcurl: the caller's headers, then blanks that stop
 * libcurl adding Expect, Content-Type and Accept itself. */
static int
call_build_headers(struct call_state *s, struct irsa_error *err)
{
	const struct http_request *req = s->call->req;
	bool has_type = false, has_accept = false, has_expect = false, has_host = false;
	struct curl_slist *l = NULL, *grown;
	struct buf line;
	size_t i;

	buf_init(&line, 64 * 1024);
	for (i = 0; i < req->headers.n; i++) {
		const char *name = req->headers.v[i].name, *value = req->headers.v[i].value;

		if (!header_name_ok(name) || strpbrk(value, "\r\n") != NULL) {
			slist_free_secure(l);
			buf_release_secure(&line);
			return irsa_error_set(
			        err, IRSA_ERR_INVALID_INPUT,
			        "the request header \"%.64s\" has an invalid name or a line break in its value", name);
		}
		has_type |= strcasecmp(name, "Content-Type") == 0;
		has_accept |= strcasecmp(name, "Accept") == 0;
		has_expect |= strcasecmp(name, "Expect") == 0;
		has_host |= strcasecmp(name, "Host") == 0;
		buf_release_secure(&line);
		/* "Name:" would delete a header in libcurl; "Name;" sends it empty. */
		if (value[0] == '\0')
			buf_printf(&line, "%s;", name);
		else
			buf_printf(&line, "%s: %s", name, value);
		grown = line.failed ? NULL : curl_slist_append(l, buf_cstr(&line));
		if (grown == NULL)
			goto oom;
		l = grown;
	}
	buf_release_secure(&line);
	if (!has_expect && (grown = curl_slist_append(l, "Expect:")) != NULL)
		l = grown;
	else if (!has_expect)
		goto oom;
	if (!has_type && (grown = curl_slist_append(l, "Content-Type:")) != NULL)
		l = grown;
	else if (!has_type)
		goto oom;
	if (!has_accept && (grown = curl_slist_append(l, "Accept:")) != NULL)
		l = grown;
	else if (!has_accept)
		goto oom;
	if (s->connect_to != NULL && !has_host) {
		char host[300];

		if (s->port == 443 || s->port == 80)
			snprintf(host, sizeof(host), "Host: %s", s->host);
		else
			snprintf(host, sizeof(host), "Host: %s:%ld", s->host, s->port);
		if ((grown = curl_slist_append(l, host)) == NULL)
			goto oom;
		l = grown;
	}
	s->headers = l;
	return 0;
oom:
	buf_release_secure(&line);
	slist_free_secure(l);
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory preparing request headers");
}

static int
call_set_tls(struct call_state *s, struct irsa_error *err)
{
	const struct http_options *o = &s->call->req->opt;
	CURL *e = s->easy;

	if (o->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o->ca_pem != NULL && o->ca_pem_len > 0) {
#if LIBCURL_VERSION_NUM >= 0x074d00 /* 7.77.0 */
		struct curl_blob blob = {(void *)o->ca_pem, o->ca_pem_len, CURL_BLOB_NOCOPY};

		/* Only this CA, as kubectl: not the system store as well. */
		curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
		if (curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob) != CURLE_OK)
#endif
		{
			irsa_error_set(err, IRSA_ERR_TLS, "this libcurl (%s) cannot take a CA certificate from memory",
			               curl_version_info(CURLVERSION_NOW)->version);
			return irsa_error_hint(err, "Use a file (certificate-authority, AWS_CA_BUNDLE) or libcurl 7.77 "
			                            "or later built with OpenSSL.");
		}
	} else if (o->ca_file != NULL && o->ca_file[0] != '\0') {
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
	}
	if ((o->cert_pem != NULL && o->cert_pem_len > 0) || (o->key_pem != NULL && o->key_pem_len > 0)) {
#if LIBCURL_VERSION_NUM >= 0x074700 /* 7.71.0 */
		struct curl_blob cert = {(void *)o->cert_pem, o->cert_pem_len, CURL_BLOB_NOCOPY};
		struct curl_blob key = {(void *)o->key_pem, o->key_pem_len, CURL_BLOB_NOCOPY};

		if (curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM") != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert) != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM") != CURLE_OK ||
		    curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key) != CURLE_OK)
#endif
		{
			irsa_error_set(err, IRSA_ERR_TLS,
			               "this libcurl (%s) cannot take a client certificate from memory",
			               curl_version_info(CURLVERSION_NOW)->version);
			return irsa_error_hint(err, "Use libcurl 7.71 or later built with OpenSSL.");
		}
	}
	return 0;
}

/* Creates the easy handle for the next attempt. */
static int
call_setup(struct call_state *s, struct irsa_error *err)
{
	const struct http_request *req = s->call->req;
	const struct http_options *o = &req->opt;
	bool post = strcmp(req->method, "POST") == 0;
	CURL *e;

	if (call_parse_url(s, err) != 0 || call_build_headers(s, err) != 0)
		return -1;
	e = s->easy = curl_easy_init();
	if (e == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory starting a request");
	curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)s);
	curl_easy_setopt(e, CURLOPT_SHARE, s->client->share);
	curl_easy_setopt(e, CURLOPT_URL, s->url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L); /* the path as signed: no dot-segment squashing */
	curl_easy_setopt(e, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(e, CURLOPT_HEADEROPT, (long)CURLHEADER_SEPARATE); /* never to a proxy */
	curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L); /* HTTP/2: share one connection rather than open several */
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : (long)HTTP_DEFAULT_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	                 o->connect_timeout_ms > 0 ? o->connect_timeout_ms : (long)HTTP_DEFAULT_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_response);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)s);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, (void *)s);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, (void *)s);
	if (o->accept_encoding != NULL)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, o->accept_encoding);
	if (o->proxy != NULL)
		curl_easy_setopt(e, CURLOPT_PROXY, o->proxy);
	if (s->connect_to != NULL)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, s->connect_to);

	/* The body exactly as given: POSTFIELDS with its size (never a
	 * strlen), the method named as it is. */
	if (strcmp(req->method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else if (req->body_len > 0 || post || strcmp(req->method, "PUT") == 0 || strcmp(req->method, "PATCH") == 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
		if (!post)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	} else if (strcmp(req->method, "GET") != 0) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	}
	if (log_enabled(LOG_TRACE)) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, trace_request);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, (void *)s);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	return call_set_tls(s, err);
}

/* Frees what one attempt used. */
static void
call_cleanup(struct call_state *s)
{
	if (s->easy != NULL) {
		if (s->phase == PHASE_RUNNING)
			curl_multi_remove_handle(s->client->multi, s->easy);
		curl_easy_cleanup(s->easy);
		s->easy = NULL;
	}
	slist_free_secure(s->headers);
	s->headers = NULL;
	curl_slist_free_all(s->connect_to);
	s->connect_to = NULL;
	buf_free_secret(s->url);
	s->url = NULL;
}

static void
call_finish(struct call_state *s, int rc)
{
	call_cleanup(s);
	s->call->rc = rc;
	s->phase = PHASE_DONE;
	s->call->resp.timing.elapsed_ms = s->first_ms ? (long)(now_ms() - s->first_ms) : 0;
}

/* Starts the next attempt: prepare (sign), set up, hand to libcurl. */
static int
call_start(struct call_state *s)
{
	struct http_request *req = s->call->req;
	struct http_response *resp = &s->call->resp;
	struct irsa_error *err = &s->call->err;

	irsa_error_clear(err);
	if (s->first_ms == 0)
		s->first_ms = now_ms();
	if (req->prepare != NULL && req->prepare(req, s->attempt, req->prepare_arg, err) != 0) {
		if (err->kind == IRSA_OK)
			irsa_error_set(err, IRSA_ERR_INTERNAL, "preparing the request failed");
		return -1;
	}
	http_headers_release(&resp->headers);
	buf_release_secure(&resp->body);
	buf_init(&resp->body, req->opt.max_response);
	resp->status = 0;
	resp->request_id[0] = '\0';
	s->over_limit = s->headers_over = s->out_of_memory = false;
	s->header_bytes = 0;
	s->errbuf[0] = '\0';
	s->attempt++;
	resp->attempts = s->attempt;
	if (call_setup(s, err) != 0)
		return -1;
	if (curl_multi_add_handle(s->client->multi, s->easy) != CURLM_OK)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "libcurl refused a request");
	s->phase = PHASE_RUNNING;
	return 0;
}

/* Fills the call's error for a failed transfer. */
static void
call_set_error(struct call_state *s, CURLcode code)
{
	struct irsa_error *err = &s->call->err;
	const char *detail = s->errbuf[0] != '\0' ? s->errbuf : curl_easy_strerror(code);
	char where[300];

	call_where(s, where, sizeof(where));
	if (s->over_limit || code == CURLE_FILESIZE_EXCEEDED) {
		irsa_error_set(err, IRSA_ERR_LIMIT, "the answer from %s is larger than the %zu-byte limit", s->host,
		               s->call->req->opt.max_response);
		irsa_error_hint(err,
		                "Ask for less (a smaller page or a filter); the limit guards against runaway answers.");
		err->http_status = (int)s->call->resp.status;
		return;
	}
	if (s->headers_over) {
		irsa_error_set(err, IRSA_ERR_LIMIT, "the answer from %s has more than %d headers or %d bytes of them",
		               s->host, HTTP_MAX_RESPONSE_HEADERS, HTTP_MAX_HEADER_BYTES);
		irsa_error_hint(err, "Check that the endpoint is the service you meant, and any proxy in between.");
		return;
	}
	if (s->out_of_memory || code == CURLE_OUT_OF_MEMORY) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading the answer from %s", s->host);
		return;
	}
	switch (code) {
	case CURLE_ABORTED_BY_CALLBACK:
		irsa_error_set(err, IRSA_ERR_CANCELLED, "the request to %s was cancelled", where);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		irsa_error_set(err, IRSA_ERR_NETWORK, "cannot resolve the host name %s (%s)", s->host, detail);
		irsa_error_hint(err, "Check the endpoint's spelling, your DNS and network connection, and "
		                     "HTTPS_PROXY/NO_PROXY.");
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		irsa_error_set(err, IRSA_ERR_NETWORK, "cannot resolve the proxy's host name for %s (%s)", where,
		               detail);
		irsa_error_hint(err, "Check the proxy setting: HTTPS_PROXY, ALL_PROXY or the kubeconfig's proxy-url.");
		break;
	case CURLE_COULDNT_CONNECT:
		irsa_error_set(err, IRSA_ERR_NETWORK, "cannot connect to %s (%s)", where, detail);
		irsa_error_hint(err, "Check that the endpoint and port are right and the server is up, and that no "
		                     "firewall or proxy (HTTPS_PROXY, NO_PROXY) is in the way.");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		irsa_error_set(err, IRSA_ERR_NETWORK, "timed out talking to %s (%s)", where, detail);
		irsa_error_hint(err, "The server or the network is slow or unreachable: check the connection and the "
		                     "endpoint, then try again.");
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		irsa_error_set(err, IRSA_ERR_NETWORK, "the connection to %s broke before a complete answer (%s)", where,
		               detail);
		irsa_error_hint(err, "Try again; if it persists, check proxies and the network between you and the "
		                     "server.");
		break;
	case CURLE_WEIRD_SERVER_REPLY:
		irsa_error_set(err, IRSA_ERR_NETWORK, "%s did not answer in HTTP (%s)", where, detail);
		irsa_error_hint(err, "Check the scheme and port: an https:// endpoint spoken to over http:// (or the "
		                     "reverse) looks like this.");
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		irsa_error_set(err, IRSA_ERR_TLS, "cannot verify the TLS certificate of %s (%s)", where, detail);
		irsa_error_hint(err,
		                "If the server uses a private CA, give it: AWS_CA_BUNDLE for AWS, the kubeconfig's "
		                "certificate-authority(-data) for Kubernetes; check the host name and the clock.");
		break;
	case CURLE_SSL_CACERT_BADFILE:
		irsa_error_set(err, IRSA_ERR_TLS, "cannot load the CA certificates to verify %s (%s)", where, detail);
		irsa_error_hint(err,
		                "Check the file in AWS_CA_BUNDLE or the kubeconfig's certificate-authority(-data): "
		                "it must be PEM.");
		break;
	case CURLE_SSL_CERTPROBLEM:
		irsa_error_set(err, IRSA_ERR_TLS, "the client certificate for %s cannot be used (%s)", where, detail);
		irsa_error_hint(err, "Check the kubeconfig's client-certificate(-data) and client-key(-data): they "
		                     "must be a matching PEM pair.");
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		irsa_error_set(err, IRSA_ERR_TLS, "the TLS handshake with %s failed (%s)", where, detail);
		irsa_error_hint(err, "Check that the endpoint speaks HTTPS on that port, the client certificate and "
		                     "the proxy settings.");
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the URL for %s cannot be used (%s)", where, detail);
		irsa_error_hint(err, "Only http:// and https:// endpoints are supported.");
		break;
	default:
		irsa_error_set(err, IRSA_ERR_NETWORK, "the request to %s failed (%s)", where, detail);
		break;
	}
}

/* Failures worth another attempt: the network, not the request. */
static bool
code_retryable(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool
status_retryable(long status)
{
	return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

struct run {
	struct http_client *client;
	struct call_state *st;
	size_t n;
	size_t running;
	int64_t deadline; /* 0: none */
};

/* Schedules another attempt of s if allowed; returns true when it did. */
static bool
call_schedule_retry(struct run *r, struct call_state *s, const char *why)
{
	const struct http_options *o = &s->call->req->opt;
	int64_t now = now_ms();
	long delay;

	if (s->attempt > o->max_retries || atomic_load(&r->client->cancelled))
		return false;
	if (s->retry_after_ms >= 0)
		delay = s->retry_after_ms < o->retry_cap_ms ? s->retry_after_ms : o->retry_cap_ms;
	else
		delay = http_backoff_ms(s->attempt - 1, o->retry_base_ms, o->retry_cap_ms, rng_next(&r->client->rng));
	if (now + delay - s->first_ms > o->retry_budget_ms || (r->deadline != 0 && now + delay >= r->deadline))
		return false;
	log_debug("http: %s %s:%ld: %s; retry %d of %d in %ld ms", s->call->req->method, s->host, s->port, why,
	          s->attempt, o->max_retries, delay);
	call_cleanup(s);
	s->phase = PHASE_WAITING;
	s->not_before_ms = now + delay;
	return true;
}

/* An attempt ended: record the answer or the error, then retry or finish. */
static void
call_done(struct run *r, struct call_state *s, CURLcode code)
{
	const struct http_request *req = s->call->req;
	struct http_response *resp = &s->call->resp;
	curl_off_t t;
	long status = 0, conns = 0, sent = 0;
	char why[64];

	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &conns);
	curl_easy_getinfo(s->easy, CURLINFO_REQUEST_SIZE, &sent);
	resp->timing.new_connections += conns;
	if (curl_easy_getinfo(s->easy, CURLINFO_NAMELOOKUP_TIME_T, &t) == CURLE_OK)
		resp->timing.dns_ms = (double)t / 1000.0;
	if (curl_easy_getinfo(s->easy, CURLINFO_CONNECT_TIME_T, &t) == CURLE_OK)
		resp->timing.connect_ms = (double)t / 1000.0;
	if (curl_easy_getinfo(s->easy, CURLINFO_APPCONNECT_TIME_T, &t) == CURLE_OK)
		resp->timing.tls_ms = (double)t / 1000.0;
	if (curl_easy_getinfo(s->easy, CURLINFO_STARTTRANSFER_TIME_T, &t) == CURLE_OK)
		resp->timing.first_byte_ms = (double)t / 1000.0;
	if (curl_easy_getinfo(s->easy, CURLINFO_TOTAL_TIME_T, &t) == CURLE_OK)
		resp->timing.total_ms = (double)t / 1000.0;
	s->retry_after_ms = -1;

	if (code != CURLE_OK) {
		if (code == CURLE_ABORTED_BY_CALLBACK && !atomic_load(&r->client->cancelled))
			code = CURLE_WRITE_ERROR;
		resp->status = status;
		call_set_error(s, code);
		/* A request that never left may be sent again whatever it is. */
		if (!s->over_limit && !s->headers_over && code_retryable(code) && (req->opt.idempotent || sent == 0) &&
		    call_schedule_retry(r, s, curl_easy_strerror(code)))
			return;
		if (s->attempt > 1 && s->call->err.kind != IRSA_ERR_CANCELLED) {
			size_t len = strlen(s->call->err.message);

			snprintf(s->call->err.message + len, sizeof(s->call->err.message) - len,
			         "; gave up after %d attempts", s->attempt);
		}
		call_finish(s, -1);
		return;
	}

	resp->status = status;
	{
		static const char *const ids[] = {"x-amzn-RequestId", "x-amz-request-id", "Audit-Id"};
		const char *id = NULL;
		size_t i;

		for (i = 0; i < sizeof(ids) / sizeof(ids[0]) && id == NULL; i++)
			id = http_headers_get(&resp->headers, ids[i]);
		snprintf(resp->request_id, sizeof(resp->request_id), "%s", id ? id : "");
	}
	if (log_enabled(LOG_TRACE))
		trace_response(s);
	if (req->opt.idempotent &&
	    (status_retryable(status) || (req->retry_check != NULL && req->retry_check(req, resp, req->retry_arg)))) {
		s->retry_after_ms = http_retry_after_ms(http_headers_get(&resp->headers, "Retry-After"), time(NULL));
		snprintf(why, sizeof(why), "HTTP %ld", status);
		if (call_schedule_retry(r, s, why))
			return;
	}
	call_finish(s, 0);
}

/* Ends every unfinished call with the same kind of error. */
static void
run_abort(struct run *r, enum irsa_err kind, long deadline_ms)
{
	char where[300];
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct call_state *s = &r->st[i];
		struct irsa_error *err = &s->call->err;

		if (s->phase == PHASE_DONE)
			continue;
		call_where(s, where, sizeof(where));
		if (kind == IRSA_ERR_CANCELLED) {
			irsa_error_set(err, kind, "the request to %s was cancelled", where);
		} else if (kind == IRSA_ERR_NETWORK) {
			irsa_error_set(err, kind, "no answer from %s within the %ld ms allowed", where, deadline_ms);
			irsa_error_hint(err,
			                "The server or the network is slow or unreachable: check the connection and "
			                "the endpoint, then try again.");
		} else {
			irsa_error_set(err, kind, "libcurl failed while talking to %s", where);
		}
		call_finish(s, -1);
	}
	r->running = 0;
}

/* --- the client and runs -------------------------------------------------- */

/* libcurl's global state, set up by the first client and torn down by the
 * last, so that a leak check at exit finds nothing. */
static int
http_global_acquire(void)
{
	CURLcode rc = CURLE_OK;

	pthread_mutex_lock(&http_global_lock);
	if (http_global_users == 0)
		rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc == CURLE_OK)
		http_global_users++;
	pthread_mutex_unlock(&http_global_lock);
	return rc == CURLE_OK ? 0 : -1;
}

static void
http_global_release(void)
{
	pthread_mutex_lock(&http_global_lock);
	if (http_global_users > 0 && --http_global_users == 0)
		curl_global_cleanup();
	pthread_mutex_unlock(&http_global_lock);
}

struct http_client *
http_client_new(unsigned max_in_flight, struct irsa_error *err)
{
	struct http_client *c;

	if (http_global_acquire() != 0) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "libcurl could not start");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		http_global_release();
		irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory creating an HTTP client");
		return NULL;
	}
	c->max_in_flight = max_in_flight ? max_in_flight : HTTP_DEFAULT_MAX_IN_FLIGHT;
	atomic_init(&c->cancelled, false);
	if (RAND_bytes((unsigned char *)&c->rng, sizeof(c->rng)) != 1)
		c->rng = (uint64_t)now_ms() ^ (uint64_t)(uintptr_t)c;
	c->multi = curl_multi_init();
	c->share = curl_share_init();
	if (c->multi == NULL || c->share == NULL ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "libcurl could not create its handles");
		http_client_free(c);
		return NULL;
	}
	/* Idle connections kept: one per request in flight, and a few for
	 * other hosts (IAM, STS, EKS, the cluster). */
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->max_in_flight + 8);
	return c;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	if (c->multi != NULL)
		curl_multi_cleanup(c->multi);
	if (c->share != NULL)
		curl_share_cleanup(c->share);
	free(c);
	http_global_release();
}

void
http_client_cancel(struct http_client *c)
{
	atomic_store(&c->cancelled, true);
	curl_multi_wakeup(c->multi);
}

void
http_client_clear_cancel(struct http_client *c)
{
	atomic_store(&c->cancelled, false);
}

bool
http_client_cancelled(struct http_client *c)
{
	return atomic_load(&c->cancelled);
}

/* Starts waiting calls that are due, while there is room. */
static void
run_start_due(struct run *r, int64_t now)
{
	size_t i;

	for (i = 0; i < r->n && r->running < r->client->max_in_flight; i++) {
		struct call_state *s = &r->st[i];

		if (s->phase != PHASE_WAITING || s->not_before_ms > now)
			continue;
		if (call_start(s) != 0) {
			call_finish(s, -1);
			continue;
		}
		r->running++;
	}
}

/* How long the loop may sleep: until the next retry is due, the deadline,
 * or HTTP_POLL_MAX_MS. libcurl shortens it for its own timers. */
static int
run_wait_ms(const struct run *r, int64_t now)
{
	int64_t wait = HTTP_POLL_MAX_MS;
	size_t i;

	/* With every slot taken, a waiting call can only start when a running
	 * one ends, and libcurl wakes the poll for that. */
	for (i = 0; i < r->n && r->running < r->client->max_in_flight; i++) {
		const struct call_state *s = &r->st[i];

		if (s->phase == PHASE_WAITING && s->not_before_ms - now < wait)
			wait = s->not_before_ms - now;
	}
	if (r->deadline != 0 && r->deadline - now < wait)
		wait = r->deadline - now;
	return wait < 0 ? 0 : (int)wait;
}

int
http_run(struct http_client *c, struct http_call *calls, size_t n, long deadline_ms, struct irsa_error *err)
{
	struct run r = {c, NULL, n, 0, 0};
	size_t i, done;
	int rc = 0, still;

	for (i = 0; i < n; i++) {
		http_response_init(&calls[i].resp);
		irsa_error_clear(&calls[i].err);
		calls[i].rc = -1;
	}
	if (n == 0)
		return 0;
	r.st = calloc(n, sizeof(*r.st));
	if (r.st == NULL) {
		for (i = 0; i < n; i++)
			irsa_error_set(&calls[i].err, IRSA_ERR_INTERNAL, "out of memory starting HTTP requests");
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory starting %zu HTTP requests", n);
	}
	for (i = 0; i < n; i++) {
		r.st[i].call = &calls[i];
		r.st[i].client = c;
		r.st[i].phase = PHASE_WAITING;
		r.st[i].retry_after_ms = -1;
		buf_init(&calls[i].resp.body, calls[i].req->opt.max_response);
	}
	if (deadline_ms > 0)
		r.deadline = now_ms() + deadline_ms;

	for (;;) {
		int64_t now = now_ms();
		struct CURLMsg *msg;
		bool finished = false;

		if (atomic_load(&c->cancelled)) {
			run_abort(&r, IRSA_ERR_CANCELLED, 0);
			rc = irsa_error_set(err, IRSA_ERR_CANCELLED, "cancelled");
			break;
		}
		if (r.deadline != 0 && now >= r.deadline) {
			run_abort(&r, IRSA_ERR_NETWORK, deadline_ms);
			rc = irsa_error_set(err, IRSA_ERR_NETWORK, "the HTTP requests did not finish within %ld ms",
			                    deadline_ms);
			irsa_error_hint(err,
			                "The server or the network is slow or unreachable: check the connection and "
			                "the endpoint, then try again.");
			break;
		}
		run_start_due(&r, now);
		for (i = 0, done = 0; i < n; i++)
			done += r.st[i].phase == PHASE_DONE;
		if (done == n)
			break;
		if (curl_multi_perform(c->multi, &still) != CURLM_OK) {
			run_abort(&r, IRSA_ERR_INTERNAL, 0);
			rc = irsa_error_set(err, IRSA_ERR_INTERNAL, "libcurl failed while running HTTP requests");
			break;
		}
		while ((msg = curl_multi_info_read(c->multi, &still)) != NULL) {
			struct call_state *s;
			void *priv = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
			s = priv;
			if (s == NULL || s->phase != PHASE_RUNNING)
				continue;
			r.running--;
			call_done(&r, s, msg->data.result);
			finished = true;
		}
		if (finished)
			continue;
		if (curl_multi_poll(c->multi, NULL, 0, run_wait_ms(&r, now_ms()), NULL) != CURLM_OK) {
			run_abort(&r, IRSA_ERR_INTERNAL, 0);
			rc = irsa_error_set(err, IRSA_ERR_INTERNAL, "libcurl failed while waiting for HTTP requests");
			break;
		}
	}
	free(r.st);
	return rc;
}

int
http_do(struct http_client *c, struct http_request *req, struct http_response *resp, struct irsa_error *err)
{
	struct http_call call;
	int rc;

	memset(&call, 0, sizeof(call));
	call.req = req;
	rc = http_run(c, &call, 1, 0, err);
	*resp = call.resp;
	if (call.rc != 0) {
		if (err != NULL)
			*err = call.err;
		return -1;
	}
	return rc;
}

const char *
http_status_text(long status)
{
	static const struct {
		long status;
		const char *text;
	} texts[] = {
	        {400, "Bad Request"},
	        {401, "Unauthorized"},
	        {403, "Forbidden"},
	        {404, "Not Found"},
	        {405, "Method Not Allowed"},
	        {406, "Not Acceptable"},
	        {407, "Proxy Authentication Required"},
	        {408, "Request Timeout"},
	        {409, "Conflict"},
	        {410, "Gone"},
	        {411, "Length Required"},
	        {412, "Precondition Failed"},
	        {413, "Content Too Large"},
	        {414, "URI Too Long"},
	        {415, "Unsupported Media Type"},
	        {422, "Unprocessable Content"},
	        {428, "Precondition Required"},
	        {429, "Too Many Requests"},
	        {500, "Internal Server Error"},
	        {501, "Not Implemented"},
	        {502, "Bad Gateway"},
	        {503, "Service Unavailable"},
	        {504, "Gateway Timeout"},
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].status == status)
			return texts[i].text;
	return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "";
}

enum irsa_err
http_status_kind(long status)
{
	switch (status) {
	case 401:
		return IRSA_ERR_AUTH;
	case 403:
		return IRSA_ERR_DENIED;
	case 404:
		return IRSA_ERR_NOT_FOUND;
	case 407:
		return IRSA_ERR_NETWORK;
	case 409:
	case 410:
	case 412:
	case 428:
		return IRSA_ERR_CONFLICT;
	case 413:
		return IRSA_ERR_LIMIT;
	case 429:
		return IRSA_ERR_THROTTLED;
	}
	if (status >= 500)
		return IRSA_ERR_NETWORK;
	if (status >= 400)
		return IRSA_ERR_INVALID_INPUT;
	return IRSA_ERR_INTERNAL;
}
