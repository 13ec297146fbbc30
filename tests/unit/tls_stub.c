/* tests/unit/tls_stub.c - the HTTPS server of the unit tests (see
 * tls_stub.h): OpenSSL on a blocking socket in one thread, a connection at a
 * time, "Connection: close" answers. A handshake the client aborts (an
 * untrusted certificate) just ends that connection. Fails the running test
 * with cmocka's asserts when the machine refuses a socket, a thread or the
 * certificate files. */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
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
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "http_stub.h"
#include "tls_stub.h"

struct tls_stub {
	int fd;
	int port;
	SSL_CTX *ctx;
	pthread_t thread;
	pthread_mutex_t lock;
	atomic_bool stopping;
	struct tls_stub_route routes[TLS_STUB_MAX_ROUTES];
	size_t n_routes;
	struct tls_stub_seen seen[TLS_STUB_MAX_SEEN];
	size_t n_seen;
};

static void
ssl_write_all(SSL *ssl, const char *p, size_t len)
{
	int n;

	while (len > 0 && (n = SSL_write(ssl, p, (int)(len > 16384 ? 16384 : len))) > 0) {
		p += n;
		len -= (size_t)n;
	}
}

/* The value of header name in a raw request head into out ("" if none). */
static void
head_value(const char *head, const char *name, char *out, size_t outsz)
{
	char *v = http_stub_header(head, name);

	snprintf(out, outsz, "%s", v != NULL ? v : "");
	free(v);
}

static void
serve_one(struct tls_stub *srv, SSL *ssl)
{
	char req[8192], head[512];
	const struct tls_stub_route *route = NULL;
	struct tls_stub_seen seen;
	const char *sni, *body;
	size_t got = 0, i;
	int n, status;

	while (got < sizeof(req) - 1 && (n = SSL_read(ssl, req + got, (int)(sizeof(req) - 1 - got))) > 0) {
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	req[got] = '\0';
	if (strstr(req, "\r\n\r\n") == NULL)
		return;
	memset(&seen, 0, sizeof(seen));
	sscanf(req, "%*15s %511s", seen.target);
	head_value(req, "Host", seen.host, sizeof(seen.host));
	sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	snprintf(seen.sni, sizeof(seen.sni), "%s", sni != NULL ? sni : "");

	pthread_mutex_lock(&srv->lock);
	if (srv->n_seen < TLS_STUB_MAX_SEEN)
		srv->seen[srv->n_seen++] = seen;
	for (i = 0; i < srv->n_routes && route == NULL; i++) {
		if (strcmp(srv->routes[i].path, seen.target) == 0)
			route = &srv->routes[i];
	}
	pthread_mutex_unlock(&srv->lock);

	status = route != NULL ? route->status : 404;
	body = route != NULL && route->body != NULL ? route->body : "404 page not found\n";
	snprintf(head, sizeof(head),
	         "HTTP/1.1 %d Stub\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	         "Connection: close\r\n\r\n",
	         status, strlen(body));
	ssl_write_all(ssl, head, strlen(head));
	ssl_write_all(ssl, body, strlen(body));
}

static void *
server_main(void *arg)
{
	struct tls_stub *srv = arg;
	struct pollfd p = {srv->fd, POLLIN, 0};
	struct timeval tv = {2, 0};
	SSL *ssl;
	int fd;

	while (!atomic_load(&srv->stopping)) {
		if (poll(&p, 1, 20) <= 0)
			continue;
		fd = accept(srv->fd, NULL, NULL);
		if (fd < 0)
			continue;
		/* A client that stops mid-handshake cannot hold the server. */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		ssl = SSL_new(srv->ctx);
		assert_non_null(ssl);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1) {
			serve_one(srv, ssl);
			SSL_shutdown(ssl);
		}
		ERR_clear_error();
		SSL_free(ssl);
		close(fd);
	}
	return NULL;
}

struct tls_stub *
tls_stub_start(const char *chain_file, const char *key_file, const struct tls_stub_route *routes, size_t n_routes)
{
	struct tls_stub *srv = calloc(1, sizeof(*srv));

	assert_non_null(srv);
	assert_true(n_routes <= TLS_STUB_MAX_ROUTES);
	pthread_mutex_init(&srv->lock, NULL);
	atomic_init(&srv->stopping, false);
	memcpy(srv->routes, routes, n_routes * sizeof(*routes));
	srv->n_routes = n_routes;
	srv->ctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(srv->ctx);
	assert_int_equal(SSL_CTX_use_certificate_chain_file(srv->ctx, chain_file), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(srv->ctx, key_file, SSL_FILETYPE_PEM), 1);
	srv->fd = http_stub_listen(&srv->port);
	assert_int_equal(pthread_create(&srv->thread, NULL, server_main, srv), 0);
	return srv;
}

int
tls_stub_port(const struct tls_stub *srv)
{
	return srv->port;
}

size_t
tls_stub_seen_count(struct tls_stub *srv)
{
	size_t n;

	pthread_mutex_lock(&srv->lock);
	n = srv->n_seen;
	pthread_mutex_unlock(&srv->lock);
	return n;
}

void
tls_stub_seen_get(struct tls_stub *srv, size_t i, struct tls_stub_seen *out)
{
	pthread_mutex_lock(&srv->lock);
	assert_true(i < srv->n_seen);
	*out = srv->seen[i];
	pthread_mutex_unlock(&srv->lock);
}

void
tls_stub_stop(struct tls_stub *srv)
{
	atomic_store(&srv->stopping, true);
	pthread_join(srv->thread, NULL);
	close(srv->fd);
	SSL_CTX_free(srv->ctx);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}
