/* tests/fuzz/fuzz_aws_iam.c - libFuzzer harness for the IAM ListRoles and
 * GetRole answer parsers (core/aws_iam.h): the XML body of a 2xx answer,
 * with URL-encoded (real IAM) or plain JSON (moto) trust documents inside.
 * Each input goes through both parsers, and a parsed role's document
 * through aws_iam_policy_decode(). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "aws_iam.h"
#include "buf.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_role_list list;
	struct aws_role role;
	struct irsa_error err;
	struct buf body;
	bool is_json;
	char *doc;
	size_t i;

	if (size > 1024 * 1024)
		return 0;
	buf_init(&body, size + 1);
	if (size > 0 && buf_add(&body, data, size) != 0)
		abort();

	irsa_error_clear(&err);
	if (aws_iam_parse_list_roles(&body, &list, &err) == 0)
		for (i = 0; i < list.n; i++)
			if (list.v[i].trust_policy != NULL) {
				doc = aws_iam_policy_decode(list.v[i].trust_policy, &is_json);
				free(doc);
			}
	aws_role_list_release(&list);

	irsa_error_clear(&err);
	(void)aws_iam_parse_get_role(&body, &role, &err);
	aws_role_release(&role);
	buf_release(&body);
	return 0;
}
