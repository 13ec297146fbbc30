/* core/aws_pager.h - a list call followed to its last page: IAM's
 * IsTruncated + Marker and EKS's nextToken have one shape (send, read the
 * page, keep its items, send again with the token it handed back), so the
 * loop is written once here and the calls in iam.c and eks.c give only how
 * to build a page's request and how to take its answer.
 *
 * The loop stops on the first error (the items of earlier pages stay in the
 * result, which the caller releases), on a server that hands back the token
 * it was sent (IRSA_ERR_PARSE: it would never end), and after
 * AWS_PAGER_MAX_PAGES pages (IRSA_ERR_LIMIT). No printing. */
#ifndef IRSA_AWS_PAGER_H
#define IRSA_AWS_PAGER_H

#include <stddef.h>

#include "aws_client.h"
#include "aws_op.h"
#include "buf.h"
#include "error.h"

#define AWS_PAGER_MAX_PAGES 10000

/* One list call. in and out are the call's own input and result types. */
struct aws_pager {
	/* Builds the request of the page that starts at token (NULL: the
	 * first). Returns as the aws_*_op_* builders. */
	int (*build)(struct aws_op *op, const void *in, const char *token, struct irsa_error *err);
	/* Parses a 2xx answer, moves its items to the end of out and sets
	 * *next to a new string with the next page's token (NULL after the
	 * last page). Returns 0, or -1 with err set. */
	int (*take)(const struct buf *body, void *out, char **next, struct irsa_error *err);
};

/* Sends page after page until the last one. Returns 0, or -1 with err set
 * (the failing call's error, which names the operation and its object). */
int aws_paginate(struct aws_client *c, const struct aws_pager *pager, const void *in, void *out,
                 struct irsa_error *err);

/* What a take function does with a parsed page: moves its *page_n items
 * of size size to the end of the result's array, and the page's token to
 * *next. all_items and page_items are the addresses of the two array
 * pointers (&all->v, &page.v: any item type); the item bytes move as they
 * are, so what they point at now belongs to the result, and the page is
 * left with no items. page_token (NULL: no next page) is moved to *next.
 * Returns 0, or -1 when out of memory (nothing moved). */
int aws_pager_take(void *all_items, size_t *all_n, void *page_items, size_t *page_n, size_t size, char **page_token,
                   char **next);

#endif
