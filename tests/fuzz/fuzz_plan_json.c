/* tests/fuzz/fuzz_plan_json.c - libFuzzer harness for plan_from_json()
 * (core/plan.h), the reader of `-o json` plans and the journal. A plan that
 * reads is written back and read again: the two texts must be equal. Then
 * every step's command and all three exports (core/export.h) are made from
 * it: they may refuse the plan, never crash. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "error.h"
#include "export.h"
#include "plan.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The plan as text, or NULL when out of memory. The caller frees. */
static char *
text(const struct plan *p)
{
	struct json_object *o = plan_to_json(p);
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
	static const enum export_format formats[] = {EXPORT_SHELL, EXPORT_TERRAFORM, EXPORT_YAML};
	struct irsa_error err;
	struct json_object *o, *o2;
	struct plan p, p2;
	struct buf out;
	char *doc, *a, *b, *cmd;

	if (size > 256 * 1024)
		return 0;
	doc = fuzz_cstr(data, size);
	o = json_tokener_parse(doc);
	free(doc);
	if (o == NULL)
		return 0;
	if (plan_from_json(o, &p, &err) != 0) {
		plan_release(&p);
		json_object_put(o);
		return 0;
	}
	json_object_put(o);
	a = text(&p);
	if (a != NULL && (o2 = json_tokener_parse(a)) != NULL) {
		if (plan_from_json(o2, &p2, &err) != 0)
			abort(); /* what it wrote, it must read */
		b = text(&p2);
		if (b != NULL && strcmp(a, b) != 0)
			abort(); /* to -> from -> to must give the same text */
		free(b);
		plan_release(&p2);
		json_object_put(o2);
	}
	free(a);
	for (size_t i = 0; i < p.n; i++) {
		cmd = export_step_command(&p, &p.steps[i]);
		free(cmd);
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		buf_init(&out, 4 << 20);
		(void)export_plan(&p, formats[i], &out, &err);
		buf_release(&out);
	}
	plan_release(&p);
	return 0;
}
