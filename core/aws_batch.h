/* core/aws_batch.h - the same call for many objects at once (GetPolicy for
 * every policy, DescribeCluster for every cluster of a region): builds the
 * n requests, sends them together with aws_client_call_many() and parses
 * each answer into its slot of the caller's array. A call that fails does
 * not stop the others. No printing. */
#ifndef IRSA_AWS_BATCH_H
#define IRSA_AWS_BATCH_H

#include <stddef.h>

#include "aws_client.h"
#include "aws_op.h"
#include "buf.h"
#include "error.h"

/* One kind of call. in and out are the caller's arrays. */
struct aws_batch {
	/* Builds the request for item i. Returns as the aws_*_op_* builders. */
	int (*build)(struct aws_op *op, const void *in, size_t i, struct irsa_error *err);
	/* Parses the 2xx answer of item i into out's slot i. Returns 0, or -1
	 * with err set. */
	int (*parse)(const struct buf *body, void *out, size_t i, struct irsa_error *err);
};

/* Runs the n calls at once. Returns 0 when every call succeeded, else -1
 * with err set to the first failure (in item order): out's slots of the
 * calls that succeeded are filled all the same. */
int aws_batch_run(struct aws_client *c, const struct aws_batch *batch, const void *in, void *out, size_t n,
                  struct irsa_error *err);

#endif
