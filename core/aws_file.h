/* core/aws_file.h - reading one of the files the AWS tools share (the config
 * and credentials files, the SSO token cache) whole and capped, as botocore
 * finds them: a missing file, or a directory in its place, is absent rather
 * than an error. */
#ifndef IRSA_AWS_FILE_H
#define IRSA_AWS_FILE_H

#include "buf.h"
#include "error.h"

#define AWS_FILE_MAX (4 * 1024 * 1024) /* cap on each config, credentials or cache file read */

/* Reads path into out, which it initialises (capped at AWS_FILE_MAX).
 * Returns 1 (the caller releases out with buf_release_secure(): the files
 * hold secrets), 0 when there is no such file (out is empty), or -1 with err
 * set: IRSA_ERR_IO, or IRSA_ERR_LIMIT for a file over the cap. */
int aws_file_read(const char *path, struct buf *out, struct irsa_error *err);

#endif
