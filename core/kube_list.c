/* core/kube_list.c - Kubernetes lists read to their ends: pages of at most
 * the client's page size sent for several lists at once, each list's
 * continue token followed, a 410 Gone answered by dropping what the list
 * had and starting it again (bounded), caps on items and pages. The items
 * are gathered (kube_list()) or handed over page by page as they arrive
 * (kube_list_each(), for a screen that shows a list while it loads). Uses
 * only core/kube.h's requests. No printing. */
#include "config.h"

#include "kube.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonobj.h"
#include "log.h"

#define MAX_QUERY 4096

struct list_state {
	const struct kube_list_req *req;
	char *cont; /* the next page's continue token; NULL: the first page */
	struct json_object *items;
	struct kube_list_stats stats;
	size_t index; /* of this list's request in the current exchange */
	bool done;
	bool restarted; /* a 410 started the list again: the next page says so to fn */
};

/* Where the pages go: fn (kube_list_each()), else each list's items. */
struct list_sink {
	kube_page_fn fn;
	void *arg;
};

static int
list_query(const struct kube_client *c, const struct list_state *s, struct buf *q)
{
	buf_reset(q);
	if (s->req->label_selector != NULL && *s->req->label_selector != '\0') {
		buf_addstr(q, "labelSelector=");
		kube_url_escape(q, s->req->label_selector);
		buf_addch(q, '&');
	}
	if (s->req->field_selector != NULL && *s->req->field_selector != '\0') {
		buf_addstr(q, "fieldSelector=");
		kube_url_escape(q, s->req->field_selector);
		buf_addch(q, '&');
	}
	buf_printf(q, "limit=%u", kube_client_page_size(c));
	if (s->cont != NULL) {
		buf_addstr(q, "&continue=");
		kube_url_escape(q, s->cont);
	}
	return q->failed ? -1 : 0;
}

/* Takes a page into s: its items, and where the next one starts. */
static int
list_take_page(const struct kube_client *c, struct list_state *s, const struct list_sink *sink, size_t list,
               struct json_object *page, size_t *total, struct irsa_error *err)
{
	const struct kube_resource *res = kube_resource(s->req->kind);
	struct json_object *items = NULL;
	const char *cont;
	size_t i, n;

	if (!json_object_object_get_ex(page, "items", &items) || !json_object_is_type(items, json_type_array)) {
		if (items != NULL && !json_object_is_type(items, json_type_null))
			return irsa_error_set(err, IRSA_ERR_PARSE,
			                      "the API server at %s sent a list of %s without items",
			                      kube_client_target(c)->server, res->plural);
		items = NULL;
	}
	n = items != NULL ? json_object_array_length(items) : 0;
	*total += n;
	if (*total > KUBE_MAX_LIST_ITEMS)
		return irsa_error_set(err, IRSA_ERR_LIMIT, "the list of %s at %s has more than %d items", res->plural,
		                      kube_client_target(c)->server, KUBE_MAX_LIST_ITEMS);
	for (i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(items, i);

		if (!json_object_is_type(item, json_type_object))
			continue;
		json_object_object_add(item, "apiVersion", json_object_new_string(res->api_version));
		json_object_object_add(item, "kind", json_object_new_string(res->kind));
		if (sink->fn == NULL)
			json_object_array_add(s->items, json_object_get(item));
	}
	if (sink->fn != NULL) {
		struct json_object *none = NULL;
		int rc;

		if (items == NULL && (items = none = json_object_new_array()) == NULL)
			return irsa_error_oom(err);
		rc = sink->fn(sink->arg, list, items, s->restarted, err);
		json_object_put(none);
		s->restarted = false;
		if (rc != 0)
			return -1;
	}
	s->stats.pages++;
	free(s->cont);
	s->cont = NULL;
	cont = jsonobj_str(jsonobj_obj(page, "metadata"), "continue");
	if (cont != NULL && *cont != '\0') {
		if (s->stats.pages >= KUBE_MAX_LIST_PAGES)
			return irsa_error_set(err, IRSA_ERR_LIMIT, "the list of %s at %s goes on past %d pages",
			                      res->plural, kube_client_target(c)->server, KUBE_MAX_LIST_PAGES);
		s->cont = strdup(cont);
		if (s->cont == NULL)
			return irsa_error_oom(err);
	} else {
		s->done = true;
	}
	return 0;
}

/* A 410 Gone: everything read so far is dropped and the list starts over. */
static bool
list_restart(const struct kube_client *c, struct list_state *s)
{
	if (s->stats.restarts >= KUBE_MAX_LIST_RESTARTS)
		return false;
	s->stats.restarts++;
	log_debug("kube: the list of %s at %s expired (410); reading it again from the start (%d of %d)",
	          kube_resource(s->req->kind)->plural, kube_client_target(c)->server, s->stats.restarts,
	          KUBE_MAX_LIST_RESTARTS);
	free(s->cont);
	s->cont = NULL;
	s->restarted = true;
	json_object_put(s->items);
	s->items = json_object_new_array();
	return s->items != NULL;
}

/* One round: the next page of every list not done. */
static int
list_round(struct kube_client *c, struct list_state *st, size_t n, const struct list_sink *sink, size_t *totals,
           struct irsa_error *err)
{
	struct kube_req *reqs = calloc(n, sizeof(*reqs));
	struct kube_call *calls = calloc(n, sizeof(*calls));
	struct buf *queries = calloc(n, sizeof(*queries));
	size_t i, k = 0;
	int rc = -1;

	if (reqs == NULL || calls == NULL || queries == NULL) {
		irsa_error_oom(err);
		goto out;
	}
	for (i = 0; i < n; i++)
		buf_init(&queries[i], MAX_QUERY);
	for (i = 0; i < n; i++) {
		if (st[i].done)
			continue;
		if (list_query(c, &st[i], &queries[k]) != 0) {
			irsa_error_set(err, IRSA_ERR_LIMIT, "a list query is longer than %d bytes", MAX_QUERY);
			goto out;
		}
		reqs[k] = (struct kube_req){.method = "GET",
		                            .verb = "list",
		                            .kind = st[i].req->kind,
		                            .namespace = st[i].req->namespace,
		                            .query = buf_cstr(&queries[k])};
		calls[k].req = &reqs[k];
		st[i].index = k++;
	}
	if (kube_request_many(c, calls, k, err) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct kube_call *call = &calls[st[i].index];

		if (st[i].done)
			continue;
		if (call->rc != 0 && call->err.http_status == 410 && list_restart(c, &st[i])) {
			totals[i] = 0;
			continue;
		}
		if (call->rc != 0) {
			*err = call->err;
			goto out;
		}
		if (list_take_page(c, &st[i], sink, i, call->out, &totals[i], err) != 0)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; calls != NULL && i < k; i++)
		json_object_put(calls[i].out);
	if (queries != NULL)
		for (i = 0; i < n; i++)
			buf_release(&queries[i]);
	free(queries);
	free(calls);
	free(reqs);
	return rc;
}

static int
list_run(struct kube_client *c, const struct kube_list_req *reqs, size_t n, const struct list_sink *sink,
         struct json_object **items, struct kube_list_stats *stats, struct irsa_error *err)
{
	struct list_state *st = calloc(n > 0 ? n : 1, sizeof(*st));
	size_t *totals = calloc(n > 0 ? n : 1, sizeof(*totals));
	struct irsa_error local;
	bool pending = true;
	size_t i;
	int rc = 0;

	if (err == NULL)
		err = &local;
	irsa_error_clear(err);
	for (i = 0; items != NULL && i < n; i++)
		items[i] = NULL;
	if (st == NULL || totals == NULL) {
		free(st);
		free(totals);
		return irsa_error_oom(err);
	}
	for (i = 0; i < n && rc == 0; i++) {
		st[i].req = &reqs[i];
		st[i].items = json_object_new_array();
		if (st[i].items == NULL)
			rc = irsa_error_oom(err);
	}
	while (rc == 0 && pending) {
		rc = list_round(c, st, n, sink, totals, err);
		pending = false;
		for (i = 0; i < n; i++)
			pending = pending || !st[i].done;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && items != NULL)
			items[i] = st[i].items;
		else
			json_object_put(st[i].items);
		if (stats != NULL)
			stats[i] = st[i].stats;
		free(st[i].cont);
	}
	free(st);
	free(totals);
	return rc;
}

int
kube_list(struct kube_client *c, const struct kube_list_req *reqs, size_t n, struct json_object **items,
          struct kube_list_stats *stats, struct irsa_error *err)
{
	struct list_sink sink = {NULL, NULL};

	return list_run(c, reqs, n, &sink, items, stats, err);
}

int
kube_list_each(struct kube_client *c, const struct kube_list_req *reqs, size_t n, kube_page_fn fn, void *arg,
               struct kube_list_stats *stats, struct irsa_error *err)
{
	struct list_sink sink = {fn, arg};

	return list_run(c, reqs, n, &sink, NULL, stats, err);
}
