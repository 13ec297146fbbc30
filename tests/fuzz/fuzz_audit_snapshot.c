/* tests/fuzz/fuzz_audit_snapshot.c - libFuzzer harness for
 * audit_snapshot_from_json() (core/audit.h), the reader of `irsa audit
 * --snapshot FILE` and of the audit fixtures. A snapshot that reads is
 * written back and read again: what it wrote it must read, and writing
 * that gives the same text. Then the whole audit runs over it (trusts
 * parsed, every check group): it may find anything, never crash. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "audit.h"
#include "error.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as snapshot text, or NULL when out of memory. The caller frees. */
static char *
text(const struct audit_input *in)
{
	struct json_object *o = audit_snapshot_to_json(in);
	char *s = NULL;

	if (o != NULL) {
		s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	}
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_options opt = {.min_severity = AUDIT_SEV_INFO};
	struct irsa_error err;
	struct audit_input in, in2;
	struct audit_result r;
	struct json_object *o, *o2;
	char *doc, *a, *b;

	if (size > 256 * 1024)
		return 0;
	doc = fuzz_cstr(data, size);
	o = json_tokener_parse(doc);
	free(doc);
	if (o == NULL)
		return 0;
	if (audit_snapshot_from_json(o, &in, &err) != 0) {
		audit_input_release(&in);
		json_object_put(o);
		return 0;
	}
	json_object_put(o);
	a = text(&in);
	if (a != NULL && (o2 = json_tokener_parse(a)) != NULL) {
		if (audit_snapshot_from_json(o2, &in2, &err) != 0)
			abort(); /* what it wrote, it must read */
		b = text(&in2);
		if (b != NULL && strcmp(a, b) != 0)
			abort(); /* to -> from -> to must give the same text */
		free(b);
		audit_input_release(&in2);
		json_object_put(o2);
	}
	free(a);
	if (audit_run(&in, &opt, &r, &err) == 0)
		audit_result_release(&r);
	audit_input_release(&in);
	return 0;
}
