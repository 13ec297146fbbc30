/* tests/unit/test_http.c - the HTTP engine against the scripted HTTP/1.1
 * server of http_stub.c (a thread on 127.0.0.1, one more per connection):
 * exact bytes on the wire, response parsing, the size cap, retries and
 * Retry-After, the prepare and retry callbacks, errors, the concurrency cap,
 * connection reuse, cancellation, deadlines and the redacted trace. No
 * network beyond loopback, no other process. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "error.h"
#include "http.h"
#include "http_stub.h"
#include "log.h"
#include "redact.h"

/* --- helpers --------------------------------------------------------------- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* --- fixture and helpers --------------------------------------------------- */

struct fixture {
	struct http_stub *srv;
	struct http_client *client;
	char url[256];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct irsa_error err;

	f->srv = http_stub_start();
	f->client = http_client_new(4, &err);
	assert_non_null(f->client);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	log_set_sink(NULL, NULL, LOG_ERROR);
	http_client_free(f->client);
	http_stub_stop(f->srv);
	free(f);
	return 0;
}

static const char *
url_of(struct fixture *f, const char *path)
{
	snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%d%s", f->srv->port, path);
	return f->url;
}

/* A request to path on the fixture's server with quick retries. */
static void
request_to(struct fixture *f, struct http_request *req, const char *method, const char *path)
{
	struct irsa_error err;

	assert_int_equal(http_request_init(req, method, url_of(f, path), &err), 0);
	req->opt.retry_base_ms = 1;
}
/* --- the wire -------------------------------------------------------------- */

static void
test_get_sends_exactly(void **state)
{
	struct fixture *f = *state;
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	struct http_stub_seen *s;
	char *v;

	request_to(f, &req, "GET", "/api/v1/namespaces?limit=500&continue=a%2Fb");
	assert_int_equal(http_headers_add(&req.headers, "X-Custom", "one two"), 0);
	assert_int_equal(http_headers_add(&req.headers, "X-Empty", ""), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_string_equal(buf_cstr(&resp.body), "ok");

	s = &f->srv->seen[0];
	assert_string_equal(s->method, "GET");
	assert_string_equal(s->target, "/api/v1/namespaces?limit=500&continue=a%2Fb");
	assert_false(http_stub_has_header(s->head, "Expect"));
	assert_false(http_stub_has_header(s->head, "Content-Type"));
	assert_false(http_stub_has_header(s->head, "Accept-Encoding"));
	assert_false(http_stub_has_header(s->head, "Accept"));
	assert_false(http_stub_has_header(s->head, "Content-Length"));
	v = http_stub_header(s->head, "User-Agent");
	assert_string_equal(v, "irsa/" PACKAGE_VERSION);
	free(v);
	v = http_stub_header(s->head, "X-Custom");
	assert_string_equal(v, "one two");
	free(v);
	v = http_stub_header(s->head, "X-Empty");
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(s->body_len, 0);
	http_response_release(&resp);
	http_request_release(&req);
}

static void
test_post_body_exact(void **state)
{
	struct fixture *f = *state;
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	size_t big_len = 1536 * 1024, i;
	char *big = malloc(big_len), *v;
	struct http_stub_seen *s;

	/* Big enough that libcurl would ask for 100-continue; with NULs. */
	for (i = 0; i < big_len; i++)
		big[i] = (char)(i * 7);
	request_to(f, &req, "POST", "/");
	assert_int_equal(http_headers_add(&req.headers, "Content-Type", "application/octet-stream"), 0);
	assert_int_equal(http_request_set_body(&req, big, big_len, &err), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);

	/* A form without Content-Type: libcurl must not invent one. */
	request_to(f, &req, "POST", "/form");
	assert_int_equal(http_request_set_body(&req, "Action=ListRoles&Version=2010-05-08", 35, &err), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);

	assert_int_equal(http_stub_seen_count(f->srv), 2);
	s = &f->srv->seen[0];
	assert_string_equal(s->method, "POST");
	assert_int_equal(s->body_len, big_len);
	assert_memory_equal(s->body, big, big_len);
	assert_false(http_stub_has_header(s->head, "Expect"));
	v = http_stub_header(s->head, "Content-Type");
	assert_string_equal(v, "application/octet-stream");
	free(v);
	assert_null(strcasestr(strcasestr(s->head, "Content-Type") + 1, "Content-Type"));
	s = &f->srv->seen[1];
	assert_string_equal(s->body, "Action=ListRoles&Version=2010-05-08");
	assert_false(http_stub_has_header(s->head, "Content-Type"));
	assert_false(http_stub_has_header(s->head, "Accept-Encoding"));
	v = http_stub_header(s->head, "Content-Length");
	assert_string_equal(v, "35");
	free(v);
	free(big);
}

static void
test_patch_put_delete(void **state)
{
	struct fixture *f = *state;
	const char *patch =
	        "{\"metadata\":{\"annotations\":{\"eks.amazonaws.com/role-arn\":\"arn:aws:iam::1:role/r\"}}}";
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	struct http_stub_seen *s;
	char *v;

	request_to(f, &req, "PATCH", "/api/v1/namespaces/default/serviceaccounts/app");
	assert_int_equal(http_headers_add(&req.headers, "Content-Type", "application/merge-patch+json"), 0);
	assert_int_equal(http_request_set_body(&req, patch, strlen(patch), &err), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);

	request_to(f, &req, "PUT", "/empty");
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);

	request_to(f, &req, "DELETE", "/api/v1/namespaces/default/serviceaccounts/app");
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);

	assert_int_equal(http_stub_seen_count(f->srv), 3);
	s = &f->srv->seen[0];
	assert_string_equal(s->method, "PATCH");
	assert_string_equal(s->body, patch);
	v = http_stub_header(s->head, "Content-Type");
	assert_string_equal(v, "application/merge-patch+json");
	free(v);
	assert_false(http_stub_has_header(s->head, "Expect"));
	s = &f->srv->seen[1];
	assert_string_equal(s->method, "PUT");
	v = http_stub_header(s->head, "Content-Length");
	assert_string_equal(v, "0");
	free(v);
	assert_false(http_stub_has_header(s->head, "Content-Type"));
	s = &f->srv->seen[2];
	assert_string_equal(s->method, "DELETE");
	assert_int_equal(s->body_len, 0);
	assert_false(http_stub_has_header(s->head, "Content-Type"));
}

/* --- answers --------------------------------------------------------------- */

static void
test_response_parsed(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {
	        {201,
	         "X-Multi: a\r\nx-multi: b\r\nx-amzn-RequestId: 7a62c49f-347e-4fc4-9331-6e8eEXAMPLE\r\n"
	         "X-Folded: one\r\n  two\r\nX-Spaced:   padded   \r\n",
	         "{\"kind\":\"ServiceAccount\"}", 0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	size_t pos = 0;

	http_stub_script(f->srv, steps, 1);
	request_to(f, &req, "GET", "/");
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 201);
	assert_int_equal(resp.attempts, 1);
	assert_string_equal(buf_cstr(&resp.body), "{\"kind\":\"ServiceAccount\"}");
	assert_string_equal(http_headers_get(&resp.headers, "content-length"), "25");
	assert_string_equal(http_headers_next(&resp.headers, "X-MULTI", &pos), "a");
	assert_string_equal(http_headers_next(&resp.headers, "X-MULTI", &pos), "b");
	assert_null(http_headers_next(&resp.headers, "X-MULTI", &pos));
	assert_string_equal(http_headers_get(&resp.headers, "x-folded"), "one two");
	assert_string_equal(http_headers_get(&resp.headers, "X-Spaced"), "padded");
	assert_null(http_headers_get(&resp.headers, "X-Absent"));
	assert_string_equal(resp.request_id, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
	assert_true(resp.timing.total_ms > 0);
	assert_true(resp.timing.total_ms >= resp.timing.connect_ms);
	assert_int_equal(resp.timing.new_connections, 1);
	http_response_release(&resp);
	http_request_release(&req);
}

static void
test_headers_list(void **state)
{
	struct http_headers h = {0};

	assert_int_equal(http_headers_add(&h, "X-Amz-Date", "20260101T000000Z"), 0);
	assert_int_equal(http_headers_add(&h, "Host", "iam.amazonaws.com"), 0);
	assert_int_equal(http_headers_add(&h, "x-amz-date", "old"), 0);
	assert_int_equal(http_headers_set(&h, "X-AMZ-DATE", "20260101T000100Z"), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].name, "Host");
	assert_string_equal(http_headers_get(&h, "x-amz-date"), "20260101T000100Z");
	http_headers_remove(&h, "host");
	assert_int_equal(h.n, 1);
	http_headers_release(&h);
	assert_int_equal(h.n, 0);
	http_headers_release(&h);
}

static void
test_size_cap(void **state)
{
	struct fixture *f = *state;
	static char big[2001];
	struct http_stub_step steps[] = {{200, NULL, big, 0, false, false}, {200, NULL, big, 0, false, true}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	int i;

	memset(big, 'x', 2000);
	for (i = 0; i < 2; i++) {
		/* With a Content-Length (refused before reading), then without. */
		http_stub_script(f->srv, &steps[i], 1);
		request_to(f, &req, "GET", "/big");
		req.opt.max_response = 1000;
		assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
		assert_int_equal(err.kind, IRSA_ERR_LIMIT);
		assert_non_null(strstr(err.message, "127.0.0.1"));
		assert_non_null(strstr(err.message, "1000-byte limit"));
		assert_true(err.hint[0] != '\0');
		assert_int_equal(resp.attempts, 1);
		assert_true(resp.body.len <= 1000);
		http_response_release(&resp);
		http_request_release(&req);
	}
	assert_int_equal(http_stub_seen_count(f->srv), 2);

	/* At the cap exactly is fine. */
	big[1000] = '\0';
	http_stub_script(f->srv, &steps[0], 1);
	request_to(f, &req, "GET", "/big");
	req.opt.max_response = 1000;
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.body.len, 1000);
	http_response_release(&resp);
	http_request_release(&req);
}

/* --- retries --------------------------------------------------------------- */

static void
test_retry_503_then_success(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {{503, NULL, "busy", 0, false, false},
	                                       {503, NULL, "busy", 0, false, false},
	                                       {200, NULL, "done", 0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;

	http_stub_script(f->srv, steps, 3);
	request_to(f, &req, "GET", "/");
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 3);
	assert_string_equal(buf_cstr(&resp.body), "done");
	assert_int_equal(http_stub_seen_count(f->srv), 3);
	http_response_release(&resp);
	http_request_release(&req);
}

static void
test_retry_after_honoured(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {{503, "Retry-After: 1\r\n", "", 0, false, false},
	                                       {200, NULL, "done", 0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	int64_t start;

	http_stub_script(f->srv, steps, 2);
	request_to(f, &req, "GET", "/");
	start = now_ms();
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 2);
	/* The jitter alone (base 1 ms) would be a millisecond or two. */
	assert_true(now_ms() - start >= 950);
	assert_true(now_ms() - start < 3000);
	assert_true(resp.timing.elapsed_ms >= 950);
	print_message("# Retry-After: 1 -> second attempt after %ld ms\n", resp.timing.elapsed_ms);
	http_response_release(&resp);
	http_request_release(&req);
}

static void
test_retry_arithmetic(void **state)
{
	time_t now = 1767225600; /* 2026-01-01T00:00:00Z */
	long max = 0, d;
	int i;

	assert_int_equal(http_retry_after_ms("3", now), 3000);
	assert_int_equal(http_retry_after_ms(" 0 ", now), 0);
	assert_int_equal(http_retry_after_ms("Thu, 01 Jan 2026 00:00:05 GMT", now), 5000);
	assert_int_equal(http_retry_after_ms("Wed, 31 Dec 2025 23:00:00 GMT", now), 0);
	assert_int_equal(http_retry_after_ms("soon", now), -1);
	assert_int_equal(http_retry_after_ms("3 s", now), -1);
	assert_int_equal(http_retry_after_ms(NULL, now), -1);

	assert_int_equal(http_backoff_ms(0, 100, 20000, UINT64_MAX), UINT64_MAX % 101);
	for (i = 0; i < 1000; i++) {
		d = http_backoff_ms(2, 100, 20000, (uint64_t)i * 2654435761u);
		assert_true(d >= 0 && d <= 400);
		max = d > max ? d : max;
	}
	assert_true(max > 300); /* the whole range is used */
	for (i = 0; i < 1000; i++)
		assert_true(http_backoff_ms(30, 100, 20000, (uint64_t)i * 2654435761u) <= 20000);
}

static void
test_429_exhausted_returns_response(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {{429, NULL, "slow down", 0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;

	http_stub_script(f->srv, steps, 1);
	request_to(f, &req, "GET", "/");
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 429);
	assert_int_equal(resp.attempts, 1 + HTTP_DEFAULT_MAX_RETRIES);
	assert_string_equal(buf_cstr(&resp.body), "slow down");
	assert_int_equal(http_stub_seen_count(f->srv), 4);
	http_response_release(&resp);
	http_request_release(&req);
}

static void
test_only_safe_requests_retried(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step busy[] = {{503, "Connection: close\r\n", "", 0, false, false}};
	const struct http_stub_step hang[] = {{0, NULL, NULL, 0, true, false}, {200, NULL, "ok", 0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;

	/* A POST not marked idempotent is sent once. Each answer closes the
	 * connection: libcurl itself resends once a request whose reused
	 * connection dies before any answer (a stale keep-alive). */
	http_stub_script(f->srv, hang, 2);
	request_to(f, &req, "POST", "/");
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_non_null(strstr(err.message, "broke before a complete answer"));
	assert_int_equal(resp.attempts, 1);
	http_response_release(&resp);
	http_request_release(&req);

	http_stub_script(f->srv, busy, 1);
	request_to(f, &req, "POST", "/");
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 503);
	assert_int_equal(resp.attempts, 1);
	http_response_release(&resp);
	http_request_release(&req);

	/* Marked idempotent (as the AWS clients do), it is retried. */
	http_stub_script(f->srv, hang, 2);
	request_to(f, &req, "POST", "/");
	req.opt.idempotent = true;
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 2);
	http_response_release(&resp);
	http_request_release(&req);
	assert_int_equal(http_stub_seen_count(f->srv), 4);
}

struct prepare_log {
	int calls;
	int attempts[8];
	bool fail;
};

static int
prepare_sign(struct http_request *req, int attempt, void *arg, struct irsa_error *err)
{
	struct prepare_log *log = arg;
	char value[16];

	if (log->calls < 8)
		log->attempts[log->calls] = attempt;
	log->calls++;
	if (log->fail)
		return irsa_error_set(err, IRSA_ERR_AUTH, "no credentials to sign with");
	snprintf(value, sizeof(value), "%d", attempt);
	return http_headers_set(&req->headers, "X-Attempt", value);
}

static void
test_prepare_before_each_attempt(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {
	        {500, NULL, "", 0, false, false}, {502, NULL, "", 0, false, false}, {200, NULL, "ok", 0, false, false}};
	struct prepare_log log = {0};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	char *v;
	int i;

	http_stub_script(f->srv, steps, 3);
	request_to(f, &req, "GET", "/");
	req.prepare = prepare_sign;
	req.prepare_arg = &log;
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.attempts, 3);
	assert_int_equal(log.calls, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(log.attempts[i], i);
		v = http_stub_header(f->srv->seen[i].head, "X-Attempt");
		assert_int_equal(atoi(v), i);
		assert_null(strstr(strstr(f->srv->seen[i].head, "X-Attempt") + 1, "X-Attempt"));
		free(v);
	}
	http_response_release(&resp);
	http_request_release(&req);

	/* Its error becomes the request's. */
	log.fail = true;
	request_to(f, &req, "GET", "/");
	req.prepare = prepare_sign;
	req.prepare_arg = &log;
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_string_equal(err.message, "no credentials to sign with");
	http_response_release(&resp);
	http_request_release(&req);
	assert_int_equal(http_stub_seen_count(f->srv), 3);
}

static bool
aws_throttled(const struct http_request *req, const struct http_response *resp, void *arg)
{
	return resp->status == 400 && strstr(buf_cstr(&resp->body), "<Code>Throttling</Code>") != NULL;
}

static void
test_retry_check_throttling(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {
	        {400, NULL, "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>", 0, false, false},
	        {200, NULL, "<ListRolesResponse/>", 0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;

	http_stub_script(f->srv, steps, 2);
	request_to(f, &req, "POST", "/");
	req.opt.idempotent = true;
	req.retry_check = aws_throttled;
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 2);
	http_response_release(&resp);
	http_request_release(&req);

	/* Without the callback a 400 is an answer like any other. */
	http_stub_script(f->srv, steps, 2);
	request_to(f, &req, "POST", "/");
	req.opt.idempotent = true;
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 400);
	assert_int_equal(resp.attempts, 1);
	http_response_release(&resp);
	http_request_release(&req);
}

/* --- errors ---------------------------------------------------------------- */

static int
closed_port(void)
{
	int port, fd = http_stub_listen(&port);

	close(fd);
	return port;
}

static void
test_connection_refused(void **state)
{
	struct fixture *f = *state;
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	char url[64], where[32];
	int port = closed_port();

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	snprintf(where, sizeof(where), "127.0.0.1:%d", port);
	/* A POST that never left is retried even though not idempotent. */
	assert_int_equal(http_request_init(&req, "POST", url, &err), 0);
	req.opt.retry_base_ms = 1;
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_non_null(strstr(err.message, where));
	assert_non_null(strstr(err.message, "cannot connect"));
	assert_non_null(strstr(err.message, "gave up after 4 attempts"));
	assert_non_null(strstr(err.hint, "HTTPS_PROXY"));
	assert_int_equal(resp.attempts, 4);
	assert_int_equal(resp.status, 0);
	print_message("# %s | %s\n", err.message, err.hint);
	http_response_release(&resp);
	http_request_release(&req);
}

static void
test_invalid_input(void **state)
{
	struct fixture *f = *state;
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;

	assert_int_equal(http_request_init(&req, "get", "http://x/", &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	http_request_release(&req);

	assert_int_equal(http_request_init(&req, "GET", "ftp://127.0.0.1/", &err), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "not an http or https URL"));
	http_response_release(&resp);
	http_request_release(&req);

	assert_int_equal(http_request_init(&req, "GET", "not a url", &err), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	http_response_release(&resp);
	http_request_release(&req);

	request_to(f, &req, "GET", "/");
	assert_int_equal(http_headers_add(&req.headers, "X-Injected", "a\r\nEvil: 1"), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "X-Injected"));
	http_response_release(&resp);
	http_request_release(&req);
	assert_int_equal(http_stub_seen_count(f->srv), 0);
}

static void
test_timeout_and_deadline(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step slow[] = {{200, NULL, "late", 3000, false, false}};
	struct http_request req;
	struct http_call call = {0};
	struct http_response resp;
	struct irsa_error err;
	int64_t start;

	http_stub_script(f->srv, slow, 1);
	request_to(f, &req, "GET", "/");
	req.opt.timeout_ms = 200;
	req.opt.max_retries = 0;
	start = now_ms();
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_non_null(strstr(err.message, "timed out"));
	assert_true(now_ms() - start < 1500);
	http_response_release(&resp);
	http_request_release(&req);

	request_to(f, &req, "GET", "/");
	call.req = &req;
	start = now_ms();
	assert_int_equal(http_run(f->client, &call, 1, 200, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_int_equal(call.rc, -1);
	assert_int_equal(call.err.kind, IRSA_ERR_NETWORK);
	assert_non_null(strstr(call.err.message, "within the 200 ms allowed"));
	assert_true(now_ms() - start < 1500);
	http_response_release(&call.resp);
	http_request_release(&req);
}

/* --- many at once ---------------------------------------------------------- */

static void
test_parallel_cap_and_reuse(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {{200, NULL, "ok", 40, false, false}};
	struct http_request reqs[24];
	struct http_call calls[24];
	struct irsa_error err;
	int64_t start, took;
	size_t i;
	long fresh = 0;

	http_stub_script(f->srv, steps, 1);
	memset(calls, 0, sizeof(calls));
	for (i = 0; i < 24; i++) {
		request_to(f, &reqs[i], "GET", "/parallel");
		calls[i].req = &reqs[i];
	}
	start = now_ms();
	assert_int_equal(http_run(f->client, calls, 24, 0, &err), 0);
	took = now_ms() - start;
	for (i = 0; i < 24; i++) {
		assert_int_equal(calls[i].rc, 0);
		assert_int_equal(calls[i].resp.status, 200);
		fresh += calls[i].resp.timing.new_connections;
		http_response_release(&calls[i].resp);
		http_request_release(&reqs[i]);
	}
	print_message(
	        "# 24 requests, cap 4: %ld ms, server saw at most %d at once, %d connections (client opened %ld)\n",
	        (long)took, f->srv->max_active, f->srv->connections, fresh);
	assert_int_equal(http_stub_seen_count(f->srv), 24);
	assert_true(f->srv->max_active <= 4);
	assert_true(f->srv->max_active >= 2);
	assert_true(f->srv->max_open <= 4);
	assert_true(f->srv->connections <= 4);
	assert_int_equal(fresh, f->srv->connections);
	assert_true(took < 24 * 40); /* not one after the other */
}

static void
test_connection_reused(void **state)
{
	struct fixture *f = *state;
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	int i;

	for (i = 0; i < 10; i++) {
		request_to(f, &req, i % 2 ? "POST" : "GET", "/again");
		assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
		assert_int_equal(resp.timing.new_connections, i == 0 ? 1 : 0);
		http_response_release(&resp);
		http_request_release(&req);
	}
	print_message("# 10 sequential requests over %d connection(s)\n", f->srv->connections);
	assert_int_equal(http_stub_seen_count(f->srv), 10);
	assert_int_equal(f->srv->connections, 1);
}

static void
test_calls_independent(void **state)
{
	struct fixture *f = *state;
	struct http_request reqs[3];
	struct http_call calls[3];
	struct irsa_error err;
	char url[64];
	int i;

	memset(calls, 0, sizeof(calls));
	request_to(f, &reqs[0], "GET", "/a");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", closed_port());
	assert_int_equal(http_request_init(&reqs[1], "GET", url, &err), 0);
	reqs[1].opt.max_retries = 0;
	request_to(f, &reqs[2], "GET", "/c");
	calls[0].req = &reqs[0];
	calls[1].req = &reqs[1];
	calls[2].req = &reqs[2];
	assert_int_equal(http_run(f->client, calls, 3, 0, &err), 0);
	assert_int_equal(calls[0].rc, 0);
	assert_int_equal(calls[1].rc, -1);
	assert_int_equal(calls[1].err.kind, IRSA_ERR_NETWORK);
	assert_int_equal(calls[2].rc, 0);
	assert_int_equal(calls[2].resp.status, 200);
	for (i = 0; i < 3; i++) {
		http_response_release(&calls[i].resp);
		http_request_release(&reqs[i]);
	}
}

/* --- cancel ---------------------------------------------------------------- */

static void *
cancel_later(void *arg)
{
	sleep_ms(100);
	http_client_cancel(arg);
	return NULL;
}

static void
test_cancel_from_another_thread(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {{200, NULL, "late", 5000, false, false},
	                                       {200, NULL, "ok", 0, false, false}};
	struct http_request reqs[6];
	struct http_call calls[6];
	struct http_response resp;
	struct irsa_error err;
	pthread_t t;
	int64_t start, took;
	size_t i;

	/* Six requests, cap 4: four in flight (the first stuck), two waiting. */
	http_stub_script(f->srv, steps, 1);
	memset(calls, 0, sizeof(calls));
	for (i = 0; i < 6; i++) {
		request_to(f, &reqs[i], "GET", "/slow");
		calls[i].req = &reqs[i];
	}
	start = now_ms();
	assert_int_equal(pthread_create(&t, NULL, cancel_later, f->client), 0);
	assert_int_equal(http_run(f->client, calls, 6, 0, &err), -1);
	took = now_ms() - start;
	pthread_join(t, NULL);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	for (i = 0; i < 6; i++) {
		assert_int_equal(calls[i].rc, -1);
		assert_int_equal(calls[i].err.kind, IRSA_ERR_CANCELLED);
		http_response_release(&calls[i].resp);
		http_request_release(&reqs[i]);
	}
	print_message("# cancelled after %ld ms\n", (long)took);
	assert_true(took < 1000);

	/* Cancelled stays cancelled until cleared. */
	assert_true(http_client_cancelled(f->client));
	request_to(f, &reqs[0], "GET", "/");
	assert_int_equal(http_do(f->client, &reqs[0], &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	http_response_release(&resp);
	http_client_clear_cancel(f->client);
	http_stub_script(f->srv, &steps[1], 1);
	assert_int_equal(http_do(f->client, &reqs[0], &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	http_response_release(&resp);
	http_request_release(&reqs[0]);
}

static void
test_cancel_during_backoff(void **state)
{
	struct fixture *f = *state;
	const struct http_stub_step steps[] = {{503, "Retry-After: 10\r\n", "", 0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	pthread_t t;
	int64_t start;

	http_stub_script(f->srv, steps, 1);
	request_to(f, &req, "GET", "/");
	start = now_ms();
	assert_int_equal(pthread_create(&t, NULL, cancel_later, f->client), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), -1);
	pthread_join(t, NULL);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	assert_true(now_ms() - start < 1000);
	assert_int_equal(http_stub_seen_count(f->srv), 1);
	http_response_release(&resp);
	http_request_release(&req);
}

/* --- routing --------------------------------------------------------------- */

static void
test_server_name_and_proxy(void **state)
{
	struct fixture *f = *state;
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	char host[64], *v;

	/* tls_server_name: the URL's host is swapped (SNI, verification) and the
	 * connection still goes to the real address, with the real Host. */
	request_to(f, &req, "GET", "/version");
	req.opt.tls_server_name = "kubernetes.default.svc";
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	http_response_release(&resp);
	http_request_release(&req);
	snprintf(host, sizeof(host), "127.0.0.1:%d", f->srv->port);
	v = http_stub_header(f->srv->seen[0].head, "Host");
	assert_string_equal(v, host);
	free(v);

	/* An explicit proxy: the server gets the absolute URL. */
	assert_int_equal(http_request_init(&req, "GET", "http://iam.example.invalid/x", &err), 0);
	req.opt.proxy = url_of(f, "");
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	http_response_release(&resp);
	http_request_release(&req);
	assert_string_equal(f->srv->seen[1].target, "http://iam.example.invalid/x");
}

/* --- the trace ------------------------------------------------------------- */

struct trace {
	char *lines[16];
	int count;
};

static void
trace_sink(enum log_level level, const char *line, void *arg)
{
	struct trace *t = arg;

	if (level == LOG_TRACE && t->count < 16)
		t->lines[t->count++] = strdup(line);
}

static void
test_trace_redacted(void **state)
{
	struct fixture *f = *state;
	const char *sig = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
	const char *token = "FwoGZXIvYXdzEBYaDHqa0AP1/EXAMPLETOKENxyz";
	const char *secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	const struct http_stub_step steps[] = {
	        {200, NULL,
	         "<AssumeRoleResult><Credentials><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	         "</SecretAccessKey></Credentials></AssumeRoleResult>",
	         0, false, false}};
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	struct trace t = {{0}, 0};
	char auth[300], body[200];
	int i;

	http_stub_script(f->srv, steps, 1);
	log_set_sink(trace_sink, &t, LOG_TRACE);
	snprintf(auth, sizeof(auth),
	         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, "
	         "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=%s",
	         sig);
	snprintf(body, sizeof(body), "{\"SecretAccessKey\": \"%s\", \"Name\": \"visible\"}", secret);
	request_to(f, &req, "POST", "/");
	assert_int_equal(http_headers_add(&req.headers, "Content-Type", "application/json"), 0);
	assert_int_equal(http_headers_add(&req.headers, "Authorization", auth), 0);
	assert_int_equal(http_headers_add(&req.headers, "X-Amz-Security-Token", token), 0);
	assert_int_equal(http_request_set_body(&req, body, strlen(body), &err), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);

	/* Another scheme keeps only its name. */
	request_to(f, &req, "GET", "/");
	assert_int_equal(http_headers_add(&req.headers, "Authorization", "Basic dXNlcjpwYXNzd29yZA=="), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);
	log_set_sink(NULL, NULL, LOG_ERROR);

	assert_int_equal(t.count, 4); /* one line per request, one per response */
	assert_non_null(strstr(t.lines[0], "> POST / HTTP/1.1"));
	assert_non_null(strstr(t.lines[0], "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"));
	assert_non_null(strstr(t.lines[0], "\"Name\": \"visible\""));
	assert_non_null(strstr(t.lines[1], "< HTTP 200"));
	assert_non_null(strstr(t.lines[1], "<AssumeRoleResult>"));
	assert_non_null(strstr(t.lines[2], "Authorization: Basic <redacted>"));
	for (i = 0; i < t.count; i++) {
		assert_null(strstr(t.lines[i], sig));
		assert_null(strstr(t.lines[i], token));
		assert_null(strstr(t.lines[i], secret));
		assert_null(strstr(t.lines[i], "dXNlcjpwYXNzd29yZA"));
		free(t.lines[i]);
	}
}

static void
test_trace_body_truncated(void **state)
{
	struct fixture *f = *state;
	struct http_request req;
	struct http_response resp;
	struct irsa_error err;
	struct trace t = {{0}, 0};
	char *body = malloc(10000);
	int i;

	memset(body, 'a', 10000);
	body[5] = '\0'; /* binary bytes are escaped */
	log_set_sink(trace_sink, &t, LOG_TRACE);
	request_to(f, &req, "POST", "/");
	assert_int_equal(http_request_set_body(&req, body, 10000, &err), 0);
	assert_int_equal(http_do(f->client, &req, &resp, &err), 0);
	http_response_release(&resp);
	http_request_release(&req);
	log_set_sink(NULL, NULL, LOG_ERROR);
	assert_int_equal(t.count, 2);
	assert_non_null(strstr(t.lines[0], "aaaaa\\x00aaaa"));
	assert_non_null(strstr(t.lines[0], "(5904 more bytes)"));
	assert_true(strlen(t.lines[0]) < 6000);
	for (i = 0; i < t.count; i++)
		free(t.lines[i]);
	free(body);
}

/* --- TLS ------------------------------------------------------------------ */

/* A one-answer-per-connection HTTPS server with a self-signed certificate
 * made at test time for the name irsa.test only (no IP address). */
struct tls_server {
	int fd;
	int port;
	pthread_t thread;
	atomic_bool stopping;
	SSL_CTX *ctx;
	char *cert_pem;
	atomic_int handshakes;
	char sni[128]; /* the server name the last client sent */
};

static void
tls_make_cert(struct tls_server *t)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	BUF_MEM *mem;
	BIO *bio;

	assert_non_null(key);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"irsa.test", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:irsa.test");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);

	t->ctx = SSL_CTX_new(TLS_server_method());
	assert_int_equal(SSL_CTX_use_certificate(t->ctx, x), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(t->ctx, key), 1);
	bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, x);
	BIO_get_mem_ptr(bio, &mem);
	t->cert_pem = strndup(mem->data, mem->length);
	BIO_free(bio);
	X509_free(x);
	EVP_PKEY_free(key);
}

static void *
tls_server_main(void *arg)
{
	static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecure";
	struct tls_server *t = arg;
	struct pollfd p = {t->fd, POLLIN, 0};
	struct timeval tv = {2, 0};
	char req[8192];
	size_t got;
	int fd, n;
	SSL *ssl;

	while (!atomic_load(&t->stopping)) {
		if (poll(&p, 1, 20) <= 0 || (fd = accept(t->fd, NULL, NULL)) < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		ssl = SSL_new(t->ctx);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1) {
			const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

			atomic_fetch_add(&t->handshakes, 1);
			snprintf(t->sni, sizeof(t->sni), "%s", sni ? sni : "");
			for (got = 0; got < sizeof(req) - 1 &&
			              (n = SSL_read(ssl, req + got, (int)(sizeof(req) - 1 - got))) > 0;) {
				got += (size_t)n;
				req[got] = '\0';
				if (strstr(req, "\r\n\r\n") != NULL)
					break;
			}
			SSL_write(ssl, answer, (int)strlen(answer));
			SSL_shutdown(ssl);
		}
		SSL_free(ssl);
		close(fd);
	}
	return NULL;
}

static int
setup_tls(void **state)
{
	struct tls_server *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	atomic_init(&t->stopping, false);
	atomic_init(&t->handshakes, 0);
	tls_make_cert(t);
	t->fd = http_stub_listen(&t->port);
	assert_int_equal(pthread_create(&t->thread, NULL, tls_server_main, t), 0);
	*state = t;
	return 0;
}

static int
teardown_tls(void **state)
{
	struct tls_server *t = *state;

	atomic_store(&t->stopping, true);
	pthread_join(t->thread, NULL);
	close(t->fd);
	SSL_CTX_free(t->ctx);
	free(t->cert_pem);
	free(t);
	return 0;
}

/* One GET to the TLS server; fills err when it fails. */
static int
tls_get(struct tls_server *t, struct http_client *c, const char *host, const char *server_name, bool with_ca,
        bool insecure, struct irsa_error *err)
{
	struct http_request req;
	struct http_response resp;
	char url[128];
	int rc;

	snprintf(url, sizeof(url), "https://%s:%d/version", host, t->port);
	assert_int_equal(http_request_init(&req, "GET", url, err), 0);
	req.opt.max_retries = 0;
	req.opt.tls_server_name = server_name;
	req.opt.insecure = insecure;
	if (with_ca) {
		req.opt.ca_pem = t->cert_pem;
		req.opt.ca_pem_len = strlen(t->cert_pem);
	}
	rc = http_do(c, &req, &resp, err);
	if (rc == 0) {
		assert_int_equal(resp.status, 200);
		assert_string_equal(buf_cstr(&resp.body), "secure");
	}
	http_response_release(&resp);
	http_request_release(&req);
	return rc;
}

static void
test_tls(void **state)
{
	struct tls_server *t = *state;
	struct http_client *c;
	struct irsa_error err;
	char where[64];

	c = http_client_new(2, &err);
	assert_non_null(c);
	snprintf(where, sizeof(where), "127.0.0.1:%d", t->port);

	/* Not trusted by the system store. */
	assert_int_equal(tls_get(t, c, "127.0.0.1", "irsa.test", false, false, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_TLS);
	assert_non_null(strstr(err.message, where));
	assert_non_null(strstr(err.hint, "certificate-authority"));
	print_message("# %s | %s\n", err.message, err.hint);

	/* The CA in memory, and the name the certificate has. */
	assert_int_equal(tls_get(t, c, "127.0.0.1", "irsa.test", true, false, &err), 0);
	assert_string_equal(t->sni, "irsa.test");

	/* The right CA but the wrong name: the address is not in the certificate. */
	assert_int_equal(tls_get(t, c, "127.0.0.1", NULL, true, false, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_TLS);

	/* insecure-skip-tls-verify. */
	assert_int_equal(tls_get(t, c, "127.0.0.1", NULL, false, true, &err), 0);
	http_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_get_sends_exactly, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_post_body_exact, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_patch_put_delete, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_response_parsed, setup, teardown),
	        cmocka_unit_test(test_headers_list),
	        cmocka_unit_test_setup_teardown(test_size_cap, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_retry_503_then_success, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_retry_after_honoured, setup, teardown),
	        cmocka_unit_test(test_retry_arithmetic),
	        cmocka_unit_test_setup_teardown(test_429_exhausted_returns_response, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_only_safe_requests_retried, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prepare_before_each_attempt, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_retry_check_throttling, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_connection_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_invalid_input, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_timeout_and_deadline, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_parallel_cap_and_reuse, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_connection_reused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_calls_independent, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cancel_from_another_thread, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cancel_during_backoff, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_server_name_and_proxy, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_trace_redacted, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_trace_body_truncated, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_tls, setup_tls, teardown_tls),
	};

	/* The TLS server writes with OpenSSL to clients that may have hung up. */
	signal(SIGPIPE, SIG_IGN);

	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
