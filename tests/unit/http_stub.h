/* tests/unit/http_stub.h - a scripted HTTP/1.1 server for the unit tests: a
 * thread on 127.0.0.1 (one more per connection) that answers each request
 * with the next scripted step and remembers what it was sent, byte for byte.
 * Shared by the HTTP engine tests and the AWS client and credentials tests;
 * no network beyond loopback, no other process. */
#ifndef IRSA_HTTP_STUB_H
#define IRSA_HTTP_STUB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define HTTP_STUB_MAX_STEPS 16
#define HTTP_STUB_MAX_SEEN  128
#define HTTP_STUB_MAX_CONNS 128

/* One scripted answer. Requests take the steps in order; past the end, the
 * last step repeats. Strings are borrowed and must outlive the script. */
struct http_stub_step {
	int status;
	const char *headers; /* extra header lines, each ending in "\r\n" */
	const char *body;
	int delay_ms;   /* before answering */
	bool hang_up;   /* close the connection without answering */
	bool no_length; /* no Content-Length: the body ends when the connection closes */
};

/* One request as the server read it. Owned by the server. */
struct http_stub_seen {
	char method[16];
	char target[512];
	char *head; /* the request line and header lines, raw */
	char *body;
	size_t body_len;
	int conn; /* which connection (1, 2, ...) */
};

/* The server. Read the counters under lock, or once the requests are done. */
struct http_stub {
	int fd;
	int port;
	pthread_t thread;
	pthread_mutex_t lock;
	atomic_bool stopping;
	struct http_stub_step steps[HTTP_STUB_MAX_STEPS];
	size_t n_steps, next_step;
	struct http_stub_seen seen[HTTP_STUB_MAX_SEEN];
	size_t n_seen;
	int connections, open_now, max_open;
	int active, max_active; /* requests between read and answer */
	pthread_t conn_threads[HTTP_STUB_MAX_CONNS];
	size_t n_conn_threads;
};

/* A listening TCP socket on a free loopback port (for servers of other
 * kinds, or a port that refuses: close it). Returns the socket and sets
 * *port. Fails the test when it cannot. */
int http_stub_listen(int *port);

/* Starts a server on a free loopback port answering 200 "ok" until
 * scripted. Fails the test when it cannot. Free with http_stub_stop(). */
struct http_stub *http_stub_start(void);

/* Stops the threads, closes every connection and frees srv. */
void http_stub_stop(struct http_stub *srv);

/* Replaces the script with n steps (copied; at most HTTP_STUB_MAX_STEPS) and
 * starts again from the first. */
void http_stub_script(struct http_stub *srv, const struct http_stub_step *steps, size_t n);

/* How many requests the server has read. */
size_t http_stub_seen_count(struct http_stub *srv);

/* The value of header name in a raw header block, or NULL; the caller frees. */
char *http_stub_header(const char *head, const char *name);

/* True when the raw header block has a header called name. */
bool http_stub_has_header(const char *head, const char *name);

#endif
