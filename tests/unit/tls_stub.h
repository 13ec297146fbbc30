/* tests/unit/tls_stub.h - an HTTPS/1.1 server for the unit tests: a thread on
 * 127.0.0.1 that serves a given certificate chain (leaf first, then the
 * intermediates, as a real server sends them), answers each GET from a
 * table of routes and closes the connection, and remembers the request
 * target, Host header and SNI name of what it served. One connection at a
 * time; no network beyond loopback, no other process. */
#ifndef IRSA_TLS_STUB_H
#define IRSA_TLS_STUB_H

#include <stddef.h>

#define TLS_STUB_MAX_ROUTES 8
#define TLS_STUB_MAX_SEEN   32

/* A path's answer. Strings borrowed: they must outlive the server. */
struct tls_stub_route {
	const char *path; /* exact request target */
	int status;
	const char *body;
};

/* One request the server read. */
struct tls_stub_seen {
	char target[512];
	char host[256]; /* the Host header */
	char sni[256];  /* the TLS server name the client sent, "" if none */
};

struct tls_stub;

/* Starts a server on a free loopback port with the PEM chain file (leaf
 * first) and its key file; a path outside the routes is a 404. Fails the
 * test when it cannot. Free with tls_stub_stop(). */
struct tls_stub *tls_stub_start(const char *chain_file, const char *key_file, const struct tls_stub_route *routes,
                                size_t n_routes);

/* The port it listens on. */
int tls_stub_port(const struct tls_stub *srv);

/* How many requests it has answered, and the i-th (copied into *out). */
size_t tls_stub_seen_count(struct tls_stub *srv);
void tls_stub_seen_get(struct tls_stub *srv, size_t i, struct tls_stub_seen *out);

/* Stops the thread, closes the socket and frees srv. */
void tls_stub_stop(struct tls_stub *srv);

#endif
