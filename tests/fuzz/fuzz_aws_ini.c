/* tests/fuzz/fuzz_aws_ini.c - libFuzzer harness for the AWS config and
 * credentials file reader (core/aws_ini.h). aws_ini_load() only reads files
 * (there is no in-memory entry point), so each input is written to a scratch
 * file first. Every key of every section, and every nested sub-key, is then
 * looked up again. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "aws_ini.h"
#include "error.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_ini_file f;
	struct irsa_error err;
	const char *path;
	size_t i, j, k;

	if (size > 256 * 1024)
		return 0;
	path = fuzz_write_file(data, size);
	irsa_error_clear(&err);
	if (aws_ini_load(&f, path, &err) == 0) {
		for (i = 0; i < f.n_sec; i++) {
			const struct aws_ini_section *s = &f.sec[i];

			for (j = 0; j < s->n_kv; j++) {
				const struct aws_ini_kv *kv = aws_ini_find(s, s->kv[j].key);

				if (kv == NULL || aws_ini_get(s, s->kv[j].key) == NULL)
					abort(); /* a key the parser stored must be found */
				for (k = 0; k < kv->n_sub; k++)
					(void)aws_ini_sub_get(kv, kv->sub[k].key);
			}
		}
	}
	aws_ini_release(&f);
	return 0;
}
