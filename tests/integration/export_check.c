/* tests/integration/export_check.c - reads a plan JSON file (what
 * `irsa plan -o json` writes) and prints it exported, for
 * tests/integration/export_terraform.sh: plan_from_json() then
 * export_plan(), no network. Links only libirsacore.
 *
 *   export_check shell|terraform|yaml FILE   the export on stdout
 *   export_check json FILE                   the plan written back (to -> from -> to)
 * Errors: "irsa: <error>" and "kind: <kind>" on stderr; exit 1. Usage: exit 2. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "export.h"
#include "plan.h"

static int
fail(const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(stderr, "irsa: %s\nkind: %s\n", line, irsa_err_name(err->kind));
	return 1;
}

int
main(int argc, char **argv)
{
	struct irsa_error err;
	struct json_object *obj, *back;
	enum export_format f;
	struct plan p;
	struct buf out;
	bool json;
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: export_check shell|terraform|yaml|json FILE\n");
		return 2;
	}
	json = strcmp(argv[1], "json") == 0;
	if (!json && export_format_parse(argv[1], &f) != 0) {
		fprintf(stderr, "export_check: unknown format %s\n", argv[1]);
		return 2;
	}
	if ((obj = json_object_from_file(argv[2])) == NULL) {
		fprintf(stderr, "irsa: %s: %s\nkind: io\n", argv[2], json_util_get_last_err());
		return 1;
	}
	if (plan_from_json(obj, &p, &err) != 0) {
		rc = fail(&err);
		goto out;
	}
	if (json) {
		if ((back = plan_to_json(&p)) == NULL) {
			irsa_error_oom(&err);
			rc = fail(&err);
			goto out;
		}
		printf("%s\n", json_object_to_json_string_ext(back, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		                                                            JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(back);
		goto out;
	}
	buf_init(&out, 16 << 20);
	if (export_plan(&p, f, &out, &err) != 0)
		rc = fail(&err);
	else
		fputs(buf_cstr(&out), stdout);
	buf_release(&out);
out:
	plan_release(&p);
	json_object_put(obj);
	return rc;
}
