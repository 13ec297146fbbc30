/* core/aws_file.c - reading a shared AWS file (config, credentials, SSO
 * token cache) into a bounded buffer, wiping the stack copy on the way. The
 * caps and the "absent, not an error" rules live here, parsing elsewhere. */
#include "config.h"

#include "aws_file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int
aws_file_read(const char *path, struct buf *out, struct irsa_error *err)
{
	char chunk[8192];
	size_t n;
	FILE *f;
	struct stat st;

	buf_init(out, AWS_FILE_MAX);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
	} else if (S_ISDIR(st.st_mode)) {
		return 0; /* botocore: os.path.isfile() is false, so "not found" */
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		irsa_error_set(err, IRSA_ERR_IO, "cannot read %s: %s", path, strerror(errno));
		return irsa_error_hint(err, "Check the file's permissions.");
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(out, chunk, n) != 0)
			break;
	buf_wipe(chunk, sizeof(chunk));
	if (ferror(f) || out->failed) {
		int e = out->failed ? out->error : errno;

		fclose(f);
		buf_release_secure(out);
		if (e == E2BIG) {
			irsa_error_set(err, IRSA_ERR_LIMIT, "%s is larger than %d bytes", path, AWS_FILE_MAX);
			return irsa_error_hint(err, "Check that the path names an AWS config file.");
		}
		return irsa_error_set(err, IRSA_ERR_IO, "cannot read %s: %s", path, strerror(e));
	}
	fclose(f);
	return 1;
}
