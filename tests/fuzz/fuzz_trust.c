/* tests/fuzz/fuzz_trust.c - libFuzzer harness for trust_parse() (core/trust.h):
 * an AssumeRolePolicyDocument, URL-encoded or plain JSON, as GetRole returns
 * it. A document that parses is also written back (trust_to_json,
 * trust_to_json_min), copied, and the copy written again: the output must
 * not depend on which copy it came from. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "trust.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irsa_error err;
	struct trust *t, *c;
	char *doc, *a, *b, *min;
	size_t chars;

	if (size > TRUST_MAX_DOC + 16)
		return 0;
	doc = fuzz_cstr(data, size);
	irsa_error_clear(&err);
	t = trust_parse(doc, &err);
	free(doc);
	if (t == NULL)
		return 0;
	a = trust_to_json(t);
	min = trust_to_json_min(t, &chars);
	c = trust_copy(t, &err);
	if (c != NULL) {
		b = trust_to_json(c);
		if (a != NULL && b != NULL && strcmp(a, b) != 0)
			abort(); /* a copy must write the same document */
		free(b);
		trust_free(c);
	}
	free(min);
	free(a);
	trust_free(t);
	return 0;
}
