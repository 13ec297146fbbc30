/* core/aws_batch.c - one call for many objects at once (see aws_batch.h).
 * Owns the requests and answers of one run; no printing. */
#include "config.h"

#include "aws_batch.h"

#include <stdlib.h>

#include "http.h"

int
aws_batch_run(struct aws_client *c, const struct aws_batch *batch, const void *in, void *out, size_t n,
              struct irsa_error *err)
{
	struct aws_call *calls;
	struct aws_op *ops;
	size_t i;
	int rc = 0, failed = 0;

	if (n == 0)
		return 0;
	calls = calloc(n, sizeof(*calls));
	ops = calloc(n, sizeof(*ops));
	if (calls == NULL || ops == NULL) {
		free(calls);
		free(ops);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory preparing %zu AWS calls", n);
	}
	for (i = 0; i < n && rc == 0; i++) {
		rc = batch->build(&ops[i], in, i, err);
		calls[i].op = &ops[i];
	}
	if (rc == 0)
		rc = aws_client_call_many(c, calls, n, err);
	for (i = 0; i < n; i++) {
		if (rc == 0 && calls[i].rc == 0)
			calls[i].rc = batch->parse(&calls[i].resp.body, out, i, &calls[i].err);
		if (rc == 0 && calls[i].rc != 0 && !failed) {
			if (err != NULL)
				*err = calls[i].err;
			failed = 1;
		}
		http_response_release(&calls[i].resp);
		aws_op_release(&ops[i]);
	}
	free(calls);
	free(ops);
	return rc != 0 || failed ? -1 : 0;
}
