/* tests/fuzz/fuzz_util.h - helpers shared by the libFuzzer harnesses: a NUL-
 * terminated copy of the input, and a private scratch file for the parsers
 * that only read files. Harness code only; aborts on setup failure. */
#ifndef IRSA_FUZZ_UTIL_H
#define IRSA_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A malloc'd NUL-terminated copy of data (which may hold NULs: the parser
 * then sees only what comes before the first). The caller frees it. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char fuzz_dir[64], fuzz_path[96];

/* At exit: removes the scratch file and its directory. */
static inline void
fuzz_remove_file(void)
{
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

/* Path of a file in a private temporary directory (made on first use, so
 * relative names in the input resolve to nothing there), rewritten with data
 * on each call, removed at exit. Borrowed; valid for the whole run. */
static inline const char *
fuzz_write_file(const uint8_t *data, size_t size)
{
	FILE *f;

	if (fuzz_dir[0] == '\0') {
		const char *tmp = getenv("TMPDIR");

		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/irsa-fuzz-XXXXXX",
		         tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
		if (mkdtemp(fuzz_dir) == NULL)
			abort();
		snprintf(fuzz_path, sizeof(fuzz_path), "%s/input", fuzz_dir);
		atexit(fuzz_remove_file);
	}
	f = fopen(fuzz_path, "wb");
	if (f == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();
	return fuzz_path;
}

#endif
