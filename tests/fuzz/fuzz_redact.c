/* tests/fuzz/fuzz_redact.c - libFuzzer harness for redact_dup() and
 * redact_inplace() (core/redact.h). Two canaries are registered as secrets
 * at start-up, as kubeconfig and the credentials reader register theirs;
 * whatever the input, neither may survive in the output. redact_inplace()
 * with room for exactly the input must keep that promise too. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const canaries[] = {
        "Zq8vCANARYsecret/Key+0001", /* the shape of a secret access key */
        "k8s-canary-token.9f8e7d6c", /* an opaque bearer token */
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	for (i = 0; i < sizeof(canaries) / sizeof(canaries[0]); i++)
		if (redact_register(canaries[i]) != 0)
			abort();
	return 0;
}

static void
check(const char *out)
{
	size_t i;

	for (i = 0; i < sizeof(canaries) / sizeof(canaries[0]); i++)
		if (strstr(out, canaries[i]) != NULL)
			abort(); /* a registered secret got through */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *out;

	if (size > 64 * 1024)
		return 0;
	s = fuzz_cstr(data, size);
	out = redact_dup(s);
	if (out == NULL)
		abort();
	check(out);
	free(out);
	redact_inplace(s, size + 1);
	check(s);
	free(s);
	return 0;
}
