/* core/aws_ini.h - the AWS config and credentials files' syntax: INI as
 * Python's configparser (which botocore uses) reads it, parsed with inih.
 *
 * Full-line comments only (a ';' or '#' after a value is part of it),
 * values continued on lines indented deeper than their key, nested "s3 ="
 * blocks (botocore's _parse_nested), lower-cased keys, duplicate sections
 * or keys are errors, [DEFAULT]'s keys apply to every section, lines of any
 * length. What the sections mean (profiles, sso-sessions, which keys are
 * secret) is aws_config's business, not this file's. */
#ifndef IRSA_AWS_INI_H
#define IRSA_AWS_INI_H

#include <stddef.h>

#include "error.h"

/* One "key = value" line, with its continuation lines joined by '\n'. A
 * value that starts with '\n' (the key's own line was empty) is a nested
 * block, also parsed into sub ("name = value" lines; names keep their case,
 * a later one wins). The value may be a secret: it is wiped on release. */
struct aws_ini_kv {
	char *key;
	char *value;
	int line;
	struct aws_ini_kv *sub;
	size_t n_sub;
};

struct aws_ini_section {
	char *name; /* the header as written, between the brackets */
	int line;
	struct aws_ini_kv *kv; /* in file order, [DEFAULT]'s keys after the section's own */
	size_t n_kv;
	size_t cap_kv;
};

/* A parsed file. Owns everything it points to. */
struct aws_ini_file {
	char *path; /* NULL for "no file" */
	struct aws_ini_section *sec;
	size_t n_sec;
	struct aws_ini_section defaults; /* configparser's [DEFAULT], already added to every section */
};

/* Reads and parses path into f (which it initialises). A NULL path or a
 * missing file leaves f empty. Returns 0, or -1 with err set: IRSA_ERR_IO or
 * IRSA_ERR_LIMIT from reading, IRSA_ERR_INVALID_INPUT for bad syntax (the
 * message is "FILE, line N: what"). Either way the caller releases f. */
int aws_ini_load(struct aws_ini_file *f, const char *path, struct irsa_error *err);

/* Wipes and frees what f holds and leaves it empty. */
void aws_ini_release(struct aws_ini_file *f);

/* The entry for key (lower case) in s, NULL when absent. Borrowed from s. */
const struct aws_ini_kv *aws_ini_find(const struct aws_ini_section *s, const char *key);

/* As aws_ini_find(), the value only; s may be NULL. */
const char *aws_ini_get(const struct aws_ini_section *s, const char *key);

/* The value of subkey in kv's nested block; NULL when kv is NULL or has no
 * such line. Borrowed from kv. */
const char *aws_ini_sub_get(const struct aws_ini_kv *kv, const char *subkey);

#endif
