/* tests/unit/test_audit_fix.c - audit_fix_plan() on recorded snapshots,
 * without a network (env NULL: the pure paths). Each case directory
 * tests/data/audit-fix/<case>/ holds snapshot.json (the audit's input),
 * findings.json (findings as the check helpers make them: check, subject,
 * fix) and expect.txt, the golden: per finding its plan's header, steps
 * (request, command and the fields plan_apply() uses) and warnings, and
 * the trust policy diff, or the error. Beyond the golden, every plan:
 * a ROLE_TRUST step carries the trust exactly as the audit read it as
 * document_before and the new one as document; the new trust admits every
 * subject of the fix; the plan survives the journal's JSON round trip. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "golden.h"

#include "audit.h"
#include "plan.h"
#include "trust.h"

static char *
xdup(struct json_object *o, const char *key)
{
	struct json_object *v = json_object_object_get(o, key);

	if (v == NULL || json_object_is_type(v, json_type_null))
		return NULL;
	assert_true(json_object_is_type(v, json_type_string));
	return strdup(json_object_get_string(v));
}

static enum audit_fix_action
action_parse(const char *name)
{
	for (int a = 0; a < AUDIT_FIX_N_ACTIONS; a++)
		if (strcmp(audit_fix_action_name((enum audit_fix_action)a), name) == 0)
			return (enum audit_fix_action)a;
	fail_msg("unknown fix action %s", name);
	return AUDIT_FIX_NONE;
}

/* A finding as a check helper makes it, from findings.json. */
static void
finding_from_json(struct json_object *o, struct audit_finding *f)
{
	struct json_object *s = json_object_object_get(o, "subject"), *x = json_object_object_get(o, "fix"), *v;
	char *action;

	memset(f, 0, sizeof(*f));
	assert_non_null(f->check = audit_check_find(json_object_get_string(json_object_object_get(o, "check"))));
	f->severity = f->check->severity;
	f->subject.cluster = xdup(s, "cluster");
	f->subject.ns = xdup(s, "namespace");
	f->subject.sa = xdup(s, "serviceAccount");
	f->subject.role_arn = xdup(s, "roleArn");
	f->subject.provider_arn = xdup(s, "providerArn");
	f->subject.pod = xdup(s, "pod");
	assert_non_null(f->ref = audit_finding_ref(f->check->id, &f->subject));
	f->message = strdup("test");
	action = xdup(x, "action");
	f->fix.action = action_parse(action);
	free(action);
	f->fix.confirm = f->check->confirm;
	f->fix.audience = xdup(x, "audience");
	if ((v = json_object_object_get(x, "subjects")) != NULL)
		for (size_t i = 0; i < json_object_array_length(v); i++)
			assert_int_equal(aws_strings_add(&f->fix.subjects,
			                                 json_object_get_string(json_object_array_get_idx(v, i))),
			                 0);
	if ((v = json_object_object_get(x, "workloads")) != NULL)
		for (size_t i = 0; i < json_object_array_length(v); i++)
			assert_int_equal(aws_strings_add(&f->fix.workloads,
			                                 json_object_get_string(json_object_array_get_idx(v, i))),
			                 0);
	if ((v = json_object_object_get(x, "annotations")) != NULL) {
		f->fix.annotations = calloc((size_t)json_object_object_length(v) + 1, sizeof(*f->fix.annotations));
		json_object_object_foreach(v, key, val)
		{
			struct audit_annotation *a = &f->fix.annotations[f->fix.n_annotations++];

			a->key = strdup(key);
			a->value = val != NULL ? strdup(json_object_get_string(val)) : NULL;
		}
	}
}

static void
finding_release(struct audit_finding *f)
{
	free(f->subject.cluster);
	free(f->subject.ns);
	free(f->subject.sa);
	free(f->subject.role_arn);
	free(f->subject.provider_arn);
	free(f->subject.pod);
	free(f->ref);
	free(f->message);
	free(f->fix.audience);
	aws_strings_release(&f->fix.subjects);
	aws_strings_release(&f->fix.workloads);
	for (size_t i = 0; i < f->fix.n_annotations; i++) {
		free(f->fix.annotations[i].key);
		free(f->fix.annotations[i].value);
	}
	free(f->fix.annotations);
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "(null)";
}

static void
print_step(struct buf *b, size_t i, const struct plan_step *s)
{
	buf_printf(b, "%zu. %s: %s\n", i + 1, plan_step_kind_name(s->kind), str(s->title));
	buf_printf(b, "   request: %s\n", str(s->request));
	buf_printf(b, "   command: %s\n", str(s->command));
	if (s->provider_url != NULL)
		buf_printf(b, "   provider: %s %s thumbprint %s\n", s->provider_url, str(s->provider_arn),
		           str(s->thumbprint));
	if (s->role_name != NULL)
		buf_printf(b, "   role: %s path %s\n", s->role_name, str(s->role_path));
	if (s->kind == PLAN_STEP_RESTART)
		buf_printf(b, "   workload: %s %s/%s\n", str(plan_workload_name(s->workload)), s->ns, s->name);
	else if (s->ns != NULL)
		buf_printf(b, "   service account: %s/%s\n", s->ns, str(s->name));
	for (size_t j = 0; j < s->n_annotations; j++)
		buf_printf(b, "   annotation %s: %s -> %s\n", s->annotations[j].key, str(s->annotations[j].before),
		           str(s->annotations[j].after));
	for (size_t j = 0; j < s->tags.n; j++)
		buf_printf(b, "   tag %s=%s\n", s->tags.v[j].key, s->tags.v[j].value);
}

/* The properties every plan must have, beyond its golden text. */
static void
check_plan(const struct audit_input *in, const struct audit_finding *f, const struct plan *p)
{
	struct json_object *j;
	struct irsa_error err;
	struct plan back;

	for (size_t i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];

		assert_non_null(s->title);
		assert_non_null(s->request);
		assert_non_null(s->command);
		if (s->kind == PLAN_STEP_ROLE_TRUST) {
			size_t r;
			struct trust *t;

			/* The trust as the audit read it, byte for byte: plan_apply()
			 * stops when IAM holds something else by then. */
			assert_non_null(audit_input_role(in, f->subject.role_arn, &r));
			assert_string_equal(s->document_before, in->roles[r].trust_policy);
			assert_string_equal(s->document, p->trust_after);
			assert_non_null(t = trust_parse(s->document, &err));
			for (size_t k = 0; k < f->fix.subjects.n; k++) {
				char ns[128], sa[128];
				struct trust_request req = {NULL, ns, sa, f->fix.audience};
				struct trust_eval ev;
				const char *slash = strchr(f->fix.subjects.v[k], '/');

				snprintf(ns, sizeof(ns), "%.*s", (int)(slash - f->fix.subjects.v[k]),
				         f->fix.subjects.v[k]);
				snprintf(sa, sizeof(sa), "%s", slash + 1);
				for (size_t c = 0; c < in->n_clusters; c++)
					if (strcmp(in->clusters[c].name, f->subject.cluster) == 0)
						req.provider_arn = in->clusters[c].provider_arn;
				assert_int_equal(trust_evaluate(t, &req, &ev, &err), 0);
				assert_int_equal(ev.verdict, TRUST_ADMITTED);
			}
			trust_free(t);
		}
	}
	/* The journal keeps the plan as JSON; rollback reads it back. */
	assert_non_null(j = plan_to_json(p));
	assert_int_equal(plan_from_json(j, &back, &err), 0);
	assert_int_equal(back.n, p->n);
	for (size_t i = 0; i < p->n; i++) {
		assert_int_equal(back.steps[i].kind, p->steps[i].kind);
		assert_string_equal(str(back.steps[i].document_before), str(p->steps[i].document_before));
	}
	plan_release(&back);
	json_object_put(j);
}

static void
run_case(const char *name)
{
	char rel[256], *text;
	struct json_object *snap, *findings;
	struct audit_input in;
	struct irsa_error err;
	struct buf out;

	snprintf(rel, sizeof(rel), "audit-fix/%s/snapshot.json", name);
	text = test_data_read(rel);
	assert_non_null(snap = json_tokener_parse(text));
	free(text);
	if (audit_snapshot_from_json(snap, &in, &err) != 0)
		fail_msg("%s: %s", rel, err.message);
	json_object_put(snap);
	assert_int_equal(audit_input_index(&in, &err), 0);
	snprintf(rel, sizeof(rel), "audit-fix/%s/findings.json", name);
	text = test_data_read(rel);
	assert_non_null(findings = json_tokener_parse(text));
	free(text);

	buf_init(&out, TEST_DATA_MAX);
	for (size_t i = 0; i < json_object_array_length(findings); i++) {
		struct audit_finding f;
		struct plan p;
		struct trust_diff d;

		finding_from_json(json_object_array_get_idx(findings, i), &f);
		buf_printf(&out, "%s== %s %s%s\n", i > 0 ? "\n" : "", f.ref, audit_fix_action_name(f.fix.action),
		           f.fix.confirm ? " confirm" : "");
		irsa_error_clear(&err);
		if (audit_fix_plan(NULL, &in, &f, &p, &err) != 0) {
			char line[1024];

			irsa_error_format(&err, line, sizeof(line));
			buf_printf(&out, "error %s: %s\n", irsa_err_name(err.kind), line);
			if (err.hint[0] != '\0')
				buf_printf(&out, "hint: %s\n", err.hint);
			assert_int_equal(p.n, 0);
		} else {
			buf_printf(&out, "cluster %s (%s) context %s; %s/%s%s; role %s%s\n", str(p.cluster),
			           str(p.region), str(p.context), str(p.ns), str(p.sa),
			           p.sa_exists ? "" : " (to be created)", str(p.role_arn),
			           p.role_exists ? "" : " (to be created)");
			if (p.n == 0)
				buf_printf(&out, "no steps\n");
			for (size_t s = 0; s < p.n; s++)
				print_step(&out, s, &p.steps[s]);
			for (size_t w = 0; w < p.warnings.n; w++)
				buf_printf(&out, "warning: %s\n", p.warnings.v[w]);
			if (p.trust_after != NULL &&
			    (p.trust_before == NULL || strcmp(p.trust_before, p.trust_after) != 0)) {
				assert_int_equal(trust_diff_text(p.trust_before, p.trust_after, &d, &err), 0);
				buf_printf(&out, "trust:\n");
				assert_int_equal(trust_diff_format(&d, &out), 0);
				trust_diff_release(&d);
			}
			check_plan(&in, &f, &p);
		}
		plan_release(&p);
		finding_release(&f);
	}
	json_object_put(findings);
	audit_input_release(&in);
	snprintf(rel, sizeof(rel), "audit-fix/%s/expect.txt", name);
	assert_false(out.failed);
	test_data_golden(rel, buf_cstr(&out));
	buf_release(&out);
}

static void
test_provider(void **state)
{
	(void)state;
	run_case("provider");
}

static void
test_trust(void **state)
{
	(void)state;
	run_case("trust");
}

static void
test_serviceaccount(void **state)
{
	(void)state;
	run_case("serviceaccount");
}

/* A manual finding, and one whose cluster was not audited. */
static void
test_refused(void **state)
{
	struct audit_input in;
	struct audit_finding f;
	struct irsa_error err;
	struct plan p;

	(void)state;
	audit_input_init(&in);
	memset(&f, 0, sizeof(f));
	f.check = audit_check_find("IRSA020");
	f.ref = "IRSA020:shop-prod:role/x";
	f.subject.cluster = "shop-prod";
	assert_int_equal(audit_fix_plan(NULL, &in, &f, &p, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_string_equal(err.hint, f.check->fix);
	assert_int_equal(p.n, 0);
	f.fix.action = AUDIT_FIX_RESTART;
	assert_int_equal(audit_fix_plan(NULL, &in, &f, &p, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "shop-prod"));
	plan_release(&p);
	audit_input_release(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_provider),
	        cmocka_unit_test(test_trust),
	        cmocka_unit_test(test_serviceaccount),
	        cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
