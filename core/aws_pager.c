/* core/aws_pager.c - the pagination loop of every list call (see
 * aws_pager.h). Owns only the token between two pages; no printing. */
#include "config.h"

#include "aws_pager.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"

int
aws_paginate(struct aws_client *c, const struct aws_pager *pager, const void *in, void *out, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	char *token = NULL, *next;
	size_t pages;
	int rc = 0;

	for (pages = 1;; pages++) {
		if (pager->build(&op, in, token, err) != 0) {
			rc = -1;
			break;
		}
		next = NULL;
		rc = aws_client_call(c, &op, &resp, err);
		if (rc == 0)
			rc = pager->take(&resp.body, out, &next, err);
		http_response_release(&resp);
		if (rc == 0 && next != NULL && token != NULL && strcmp(next, token) == 0)
			rc = irsa_error_set(err, IRSA_ERR_PARSE, "%s handed back the page token it was sent", op.name);
		else if (rc == 0 && next != NULL && pages == AWS_PAGER_MAX_PAGES)
			rc = irsa_error_set(err, IRSA_ERR_LIMIT, "%s has more than %d pages", op.name,
			                    AWS_PAGER_MAX_PAGES);
		aws_op_release(&op);
		free(token);
		token = next;
		if (rc != 0 || token == NULL)
			break;
	}
	free(token);
	return rc;
}

/* The array pointers are read and written through memcpy: their item
 * types differ from call to call. */
int
aws_pager_take(void *all_items, size_t *all_n, void *page_items, size_t *page_n, size_t size, char **page_token,
               char **next)
{
	char *all, *page, *v;

	memcpy(&all, all_items, sizeof(all));
	memcpy(&page, page_items, sizeof(page));
	if (*page_n > 0) {
		if (*page_n > ((size_t)-1 / size) - *all_n || (v = realloc(all, (*all_n + *page_n) * size)) == NULL)
			return -1;
		memcpy(v + *all_n * size, page, *page_n * size);
		*all_n += *page_n;
		memcpy(all_items, &v, sizeof(v));
		free(page);
		page = NULL;
		memcpy(page_items, &page, sizeof(page));
		*page_n = 0;
	}
	if (page_token != NULL) {
		*next = *page_token;
		*page_token = NULL;
	}
	return 0;
}
