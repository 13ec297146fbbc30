/* tests/unit/audit_golden.h - the audit fixtures' golden text
 * (tests/data/audit/README.md): an audit_result as the lines expect.txt
 * holds, and a snapshot file read into an audit_input. Shared by the
 * fixture runner (test_audit_checks.c), the snapshot tests and any test
 * that wants to compare findings as text. Header-only; needs json-c and
 * core (no cmocka). */
#ifndef IRSA_AUDIT_GOLDEN_H
#define IRSA_AUDIT_GOLDEN_H

#include <json-c/json.h>
#include <stdio.h>

#include "audit.h"
#include "buf.h"

#define AUDIT_GOLDEN_MAX (4 << 20)

/* Appends r to out, for each finding in result order:
 *     <ID> <severity> <ref>[ fix=<action>[ confirm]]
 *         <message>            (each line of it indented four spaces)
 * then for each check that did not run:
 *     not-run <ID> <cluster or -> <reason>
 * Returns 0, or -1 when out failed (see struct buf). */
static inline __attribute__((unused)) int
audit_golden_format(const struct audit_result *r, struct buf *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct audit_finding *f = &r->v[i];
		const char *m = f->message != NULL ? f->message : "";

		buf_printf(out, "%s %s %s", f->check->id, audit_severity_name(f->severity), f->ref);
		if (f->fix.action != AUDIT_FIX_NONE)
			buf_printf(out, " fix=%s%s", audit_fix_action_name(f->fix.action),
			           f->fix.confirm ? " confirm" : "");
		buf_addstr(out, "\n    ");
		for (; *m != '\0'; m++) {
			buf_addch(out, *m);
			if (*m == '\n' && m[1] != '\0')
				buf_addstr(out, "    ");
		}
		if (out->len == 0 || out->data[out->len - 1] != '\n')
			buf_addch(out, '\n');
	}
	for (size_t i = 0; i < r->n_not_run; i++)
		buf_printf(out, "not-run %s %s %s\n", r->not_run[i].check->id,
		           r->not_run[i].cluster != NULL ? r->not_run[i].cluster : "-",
		           r->not_run[i].reason != NULL ? r->not_run[i].reason : "");
	return out->failed ? -1 : 0;
}

/* The golden text of r as a new string (the caller frees), or NULL. */
static inline __attribute__((unused)) char *
audit_golden_text(const struct audit_result *r)
{
	struct buf b;

	buf_init(&b, AUDIT_GOLDEN_MAX);
	if (audit_golden_format(r, &b) != 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* Reads snapshot file path into in (initialised here; the caller releases
 * it, also after a failure). Returns 0, or -1 with err set. */
static inline __attribute__((unused)) int
audit_golden_load(const char *path, struct audit_input *in, struct irsa_error *err)
{
	struct json_object *o = json_object_from_file(path);
	int rc;

	audit_input_init(in);
	if (o == NULL)
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s: %s", path, json_util_get_last_err());
	rc = audit_snapshot_from_json(o, in, err);
	json_object_put(o);
	if (rc != 0)
		irsa_error_prefix(err, "%s", path);
	return rc;
}

#endif
