/* tests/unit/http_stub.c - the scripted HTTP/1.1 server of the unit tests
 * (see http_stub.h): reads Content-Length requests, answers from the script,
 * records what it read. Fails the running test with cmocka's asserts when the
 * machine refuses a socket or a thread. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http_stub.h"

struct conn {
	struct http_stub *srv;
	int fd;
	int id;
	char *data;
	size_t len, cap;
};

static void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

static int
conn_fill(struct conn *c)
{
	struct pollfd p = {c->fd, POLLIN, 0};
	ssize_t got;

	for (;;) {
		if (atomic_load(&c->srv->stopping))
			return 0;
		if (poll(&p, 1, 20) <= 0)
			continue;
		if (c->cap - c->len < 65536) {
			c->cap = c->cap ? c->cap * 2 : 131072;
			c->data = realloc(c->data, c->cap);
			assert_non_null(c->data);
		}
		got = recv(c->fd, c->data + c->len, c->cap - c->len - 1, 0);
		if (got <= 0)
			return 0;
		c->len += (size_t)got;
		c->data[c->len] = '\0';
		return 1;
	}
}

/* Reads one request (Content-Length bodies only: that is what irsa sends). */
static int
conn_read_request(struct conn *c, struct http_stub_seen *out)
{
	char *end, *cl;
	size_t head_len, body_len = 0, used;

	while (c->data == NULL || (end = strstr(c->data, "\r\n\r\n")) == NULL) {
		if (!conn_fill(c))
			return 0;
	}
	head_len = (size_t)(end - c->data) + 4;
	cl = strcasestr(c->data, "\r\nContent-Length:");
	if (cl != NULL && cl < end)
		body_len = strtoul(cl + 17, NULL, 10);
	while (c->len < head_len + body_len) {
		if (!conn_fill(c))
			return 0;
	}
	memset(out, 0, sizeof(*out));
	sscanf(c->data, "%15s %511s", out->method, out->target);
	out->head = strndup(c->data, head_len);
	out->body = malloc(body_len + 1);
	memcpy(out->body, c->data + head_len, body_len);
	out->body[body_len] = '\0';
	out->body_len = body_len;
	out->conn = c->id;
	used = head_len + body_len;
	memmove(c->data, c->data + used, c->len - used);
	c->len -= used;
	c->data[c->len] = '\0';
	return 1;
}

static void
send_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0 && (n = send(fd, p, len, MSG_NOSIGNAL)) > 0) {
		p += n;
		len -= (size_t)n;
	}
}

static void *
conn_main(void *arg)
{
	struct conn *c = arg;
	struct http_stub *srv = c->srv;
	struct http_stub_seen req;
	struct http_stub_step st;
	char head[1024];
	int waited;

	while (conn_read_request(c, &req)) {
		pthread_mutex_lock(&srv->lock);
		if (srv->n_seen < HTTP_STUB_MAX_SEEN) {
			srv->seen[srv->n_seen++] = req;
		} else {
			free(req.head);
			free(req.body);
		}
		st = srv->steps[srv->next_step < srv->n_steps ? srv->next_step : srv->n_steps - 1];
		srv->next_step++;
		if (++srv->active > srv->max_active)
			srv->max_active = srv->active;
		pthread_mutex_unlock(&srv->lock);

		for (waited = 0; waited < st.delay_ms && !atomic_load(&srv->stopping); waited += 5)
			sleep_ms(5);
		pthread_mutex_lock(&srv->lock);
		srv->active--;
		pthread_mutex_unlock(&srv->lock);
		if (st.hang_up || atomic_load(&srv->stopping))
			break;
		if (st.no_length)
			snprintf(head, sizeof(head), "HTTP/1.1 %d Scripted\r\nConnection: close\r\n%s\r\n", st.status,
			         st.headers ? st.headers : "");
		else
			snprintf(head, sizeof(head), "HTTP/1.1 %d Scripted\r\nContent-Length: %zu\r\n%s\r\n", st.status,
			         st.body ? strlen(st.body) : 0, st.headers ? st.headers : "");
		send_all(c->fd, head, strlen(head));
		if (st.body != NULL)
			send_all(c->fd, st.body, strlen(st.body));
		if (st.no_length)
			break;
	}
	close(c->fd);
	pthread_mutex_lock(&srv->lock);
	srv->open_now--;
	pthread_mutex_unlock(&srv->lock);
	free(c->data);
	free(c);
	return NULL;
}

static void *
server_main(void *arg)
{
	struct http_stub *srv = arg;
	struct pollfd p = {srv->fd, POLLIN, 0};
	struct conn *c;
	int fd;

	while (!atomic_load(&srv->stopping)) {
		if (poll(&p, 1, 20) <= 0)
			continue;
		fd = accept(srv->fd, NULL, NULL);
		if (fd < 0)
			continue;
		c = calloc(1, sizeof(*c));
		assert_non_null(c);
		c->srv = srv;
		c->fd = fd;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1},
		           sizeof(int)); /* no Nagle wait between head and body */
		pthread_mutex_lock(&srv->lock);
		c->id = ++srv->connections;
		if (++srv->open_now > srv->max_open)
			srv->max_open = srv->open_now;
		assert_true(srv->n_conn_threads < HTTP_STUB_MAX_CONNS);
		assert_int_equal(pthread_create(&srv->conn_threads[srv->n_conn_threads++], NULL, conn_main, c), 0);
		pthread_mutex_unlock(&srv->lock);
	}
	return NULL;
}

int
http_stub_listen(int *port)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

struct http_stub *
http_stub_start(void)
{
	struct http_stub *srv = calloc(1, sizeof(*srv));

	assert_non_null(srv);
	pthread_mutex_init(&srv->lock, NULL);
	atomic_init(&srv->stopping, false);
	srv->fd = http_stub_listen(&srv->port);
	srv->steps[0] = (struct http_stub_step){200, NULL, "ok", 0, false, false};
	srv->n_steps = 1;
	assert_int_equal(pthread_create(&srv->thread, NULL, server_main, srv), 0);
	return srv;
}

void
http_stub_stop(struct http_stub *srv)
{
	size_t i;

	atomic_store(&srv->stopping, true);
	pthread_join(srv->thread, NULL);
	for (i = 0; i < srv->n_conn_threads; i++)
		pthread_join(srv->conn_threads[i], NULL);
	close(srv->fd);
	for (i = 0; i < srv->n_seen; i++) {
		free(srv->seen[i].head);
		free(srv->seen[i].body);
	}
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}

void
http_stub_script(struct http_stub *srv, const struct http_stub_step *steps, size_t n)
{
	assert_true(n > 0 && n <= HTTP_STUB_MAX_STEPS);
	pthread_mutex_lock(&srv->lock);
	memcpy(srv->steps, steps, n * sizeof(*steps));
	srv->n_steps = n;
	srv->next_step = 0;
	pthread_mutex_unlock(&srv->lock);
}

size_t
http_stub_seen_count(struct http_stub *srv)
{
	size_t n;

	pthread_mutex_lock(&srv->lock);
	n = srv->n_seen;
	pthread_mutex_unlock(&srv->lock);
	return n;
}

char *
http_stub_header(const char *head, const char *name)
{
	char key[128];
	const char *p, *end;

	snprintf(key, sizeof(key), "\r\n%s:", name);
	p = strcasestr(head, key);
	if (p == NULL)
		return NULL;
	p += strlen(key);
	while (*p == ' ')
		p++;
	end = strstr(p, "\r\n");
	return strndup(p, (size_t)(end - p));
}

bool
http_stub_has_header(const char *head, const char *name)
{
	char *v = http_stub_header(head, name);

	free(v);
	return v != NULL;
}
