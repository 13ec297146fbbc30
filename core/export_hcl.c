/* core/export_hcl.c - the Terraform export (export_hcl_write(), reached
 * through export_plan()): HCL describing where the plan leads, not how.
 * What exists already is adopted with import blocks (a role, attached
 * policies) or read with a data source (the cluster's OIDC provider, which
 * every binding of the cluster shares, so one binding's configuration must
 * not own it); a service account that exists already gets only its
 * annotations (kubernetes_annotations), so Terraform never replaces an
 * object it did not create. The text is what `terraform fmt` would write
 * (aligned '=' runs, two-space indent), so a committed export stays clean.
 * The hcl_* helpers write HCL text, the tf_* ones the Terraform blocks.
 * Deterministic and pure: no clock, no I/O. */
#include "config.h"

#include "export_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#define TF_AWS_VERSION   ">= 5.81"  /* thumbprint_list optional */
#define TF_K8S_VERSION   ">= 2.20"  /* kubernetes_annotations, *_v1 resources */
#define TF_VERSION       ">= 1.5.0" /* import blocks */
#define HCL_INLINE_ARRAY 80         /* a list of scalars longer than this goes one item a line */

/* --- HCL -------------------------------------------------------------------- */

/* An attribute line waiting for the rest of its run: terraform fmt aligns
 * the '=' of consecutive lines whose value ends on the same line; any other
 * line (a block, a multi-line value, a comment, a blank) ends the run. */
struct hcl_attr {
	int indent;
	char *key;
	char *value;
};

struct hcl {
	struct buf *out;
	struct hcl_attr *v;
	size_t n, cap;
};

/* Columns of s as terraform fmt counts them (code points, near enough to
 * its grapheme clusters). */
static size_t
columns(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
indent_to(struct buf *b, int indent)
{
	for (int i = 0; i < indent; i++)
		buf_addstr(b, "  ");
}

static void
hcl_flush(struct hcl *h)
{
	size_t width = 0, w, i, k;

	for (i = 0; i < h->n; i++)
		if ((w = 2 * (size_t)h->v[i].indent + columns(h->v[i].key)) > width)
			width = w;
	for (i = 0; i < h->n; i++) {
		indent_to(h->out, h->v[i].indent);
		buf_addstr(h->out, h->v[i].key);
		for (k = 2 * (size_t)h->v[i].indent + columns(h->v[i].key); k < width; k++)
			buf_addch(h->out, ' ');
		buf_addstr(h->out, " = ");
		buf_addstr(h->out, h->v[i].value);
		buf_addch(h->out, '\n');
		free(h->v[i].key);
		free(h->v[i].value);
	}
	h->n = 0;
}

/* key = value on one line (both copied). */
static void
hcl_attr(struct hcl *h, int indent, const char *key, const char *value)
{
	struct hcl_attr *v;
	size_t cap;

	if (h->n == h->cap) {
		cap = h->cap != 0 ? 2 * h->cap : 16;
		if ((v = realloc(h->v, cap * sizeof(*v))) == NULL) {
			export_buf_fail(h->out);
			return;
		}
		h->v = v;
		h->cap = cap;
	}
	v = &h->v[h->n];
	v->indent = indent;
	v->key = strdup(key);
	v->value = strdup(value);
	if (v->key == NULL || v->value == NULL) {
		free(v->key);
		free(v->value);
		export_buf_fail(h->out);
		return;
	}
	h->n++;
}

/* Any other line. */
static void hcl_line(struct hcl *h, int indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
hcl_line(struct hcl *h, int indent, const char *fmt, ...)
{
	va_list ap;

	hcl_flush(h);
	indent_to(h->out, indent);
	va_start(ap, fmt);
	buf_vprintf(h->out, fmt, ap);
	va_end(ap);
	buf_addch(h->out, '\n');
}

static void
hcl_blank(struct hcl *h)
{
	hcl_flush(h);
	buf_addch(h->out, '\n');
}

static void
hcl_release(struct hcl *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].key);
		free(h->v[i].value);
	}
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* An HCL quoted string: escapes, and "${" / "%{" doubled so that no value
 * becomes an interpolation or a directive. */
static void
hcl_quote(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s != NULL ? s : "");

	buf_addch(b, '"');
	for (; *u != '\0'; u++) {
		switch (*u) {
		case '"':
			buf_addstr(b, "\\\"");
			break;
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '\n':
			buf_addstr(b, "\\n");
			break;
		case '\r':
			buf_addstr(b, "\\r");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		case '$':
		case '%':
			buf_addch(b, (char)*u);
			if (u[1] == '{')
				buf_addch(b, (char)*u);
			break;
		default:
			if (*u < 0x20 || *u == 0x7f)
				buf_printf(b, "\\u%04x", *u);
			else
				buf_addch(b, (char)*u);
		}
	}
	buf_addch(b, '"');
}

/* The quoted string as a new buffer's text; the caller releases it. */
static const char *
quoted(struct buf *tmp, const char *s)
{
	buf_init(tmp, EXPORT_MAX_COMMAND);
	hcl_quote(tmp, s);
	return buf_cstr(tmp);
}

static void
hcl_attr_str(struct hcl *h, int indent, const char *key, const char *value)
{
	struct buf q;

	hcl_attr(h, indent, key, quoted(&q, value));
	if (q.failed)
		export_buf_fail(h->out);
	buf_release(&q);
}

/* One line of a map of strings (tags, annotations): the key quoted, the
 * value quoted, or the expression ref instead when not NULL. */
static void
hcl_map_line(struct hcl *h, int indent, const char *k, const char *v, const char *ref)
{
	struct buf qk;

	quoted(&qk, k);
	if (ref != NULL)
		hcl_attr(h, indent, buf_cstr(&qk), ref);
	else
		hcl_attr_str(h, indent, buf_cstr(&qk), v);
	if (qk.failed)
		export_buf_fail(h->out);
	buf_release(&qk);
}

/* An object key as HCL writes it: bare when an identifier that is no
 * keyword (a bare "for" would start a for expression), else quoted. */
static void
hcl_key(struct buf *b, const char *k)
{
	static const char *const keywords[] = {"true", "false", "null", "for", "in", "if", "endfor", "endif"};
	bool bare = (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_';

	for (const char *c = k; bare && *c != '\0'; c++)
		if (!export_is_alnum((unsigned char)*c) && *c != '_')
			bare = false;
	for (size_t i = 0; bare && i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(k, keywords[i]) == 0)
			bare = false;
	if (bare)
		buf_addstr(b, k);
	else
		hcl_quote(b, k);
}

/* --- Terraform -------------------------------------------------------------- */

struct tf {
	const struct plan *p;
	struct hcl h;
	struct buf *out;
	char name[128];          /* local name of the role, attachments and service account */
	char provider_name[128]; /* local name of the OIDC provider (the cluster's) */
	char provider_ref[300];  /* the expression of its ARN; "" when none */
	char role_ref[160];      /* "aws_iam_role.NAME" */
};

/* s made a Terraform local name: lower case, [a-z0-9_], not starting with a
 * digit. */
static void
tf_local_name(char *out, size_t outsz, const char *a, const char *b)
{
	struct buf t;
	size_t i, j = 0;
	const char *s;

	buf_init(&t, 4096);
	buf_addstr(&t, a != NULL ? a : "");
	if (b != NULL) {
		buf_addch(&t, '_');
		buf_addstr(&t, b);
	}
	s = buf_cstr(&t);
	if (*s >= '0' && *s <= '9' && j + 3 < outsz) {
		memcpy(out, "sa_", 3);
		j = 3;
	}
	for (i = 0; s[i] != '\0' && j + 1 < outsz; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[j++] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') ? c : '_';
	}
	out[j] = '\0';
	if (j == 0)
		snprintf(out, outsz, "irsa");
	buf_release(&t);
}

/* A scalar JSON value as HCL; under "Federated" the provider's ARN becomes
 * a reference to it. */
static void
tf_scalar(struct tf *t, struct buf *b, struct json_object *v, const char *parent)
{
	const char *s;

	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		if (parent != NULL && strcmp(parent, "Federated") == 0 && t->provider_ref[0] != '\0' &&
		    t->p->provider_arn != NULL && strcmp(s, t->p->provider_arn) == 0)
			buf_addstr(b, t->provider_ref);
		else
			hcl_quote(b, s);
		break;
	case json_type_null:
		buf_addstr(b, "null");
		break;
	default:
		buf_addstr(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

static bool
is_container(struct json_object *v)
{
	return json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array);
}

/* Writes v into b and returns true when it fits on one line: a scalar, an
 * empty object or array, or a short array of scalars. When it returns false
 * b holds no useful text. */
static bool
tf_inline(struct tf *t, struct buf *b, struct json_object *v, const char *parent)
{
	size_t n, i, start = b->len;

	if (json_object_is_type(v, json_type_object)) {
		if (json_object_object_length(v) != 0)
			return false;
		buf_addstr(b, "{}");
		return true;
	}
	if (!json_object_is_type(v, json_type_array)) {
		tf_scalar(t, b, v, parent);
		return true;
	}
	n = json_object_array_length(v);
	for (i = 0; i < n; i++)
		if (is_container(json_object_array_get_idx(v, i)))
			return false;
	buf_addch(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addstr(b, ", ");
		tf_scalar(t, b, json_object_array_get_idx(v, i), parent);
	}
	buf_addch(b, ']');
	return b->len - start <= HCL_INLINE_ARRAY;
}

static void tf_value(struct tf *t, int indent, const char *key, struct json_object *v, const char *parent, bool comma);

/* The members of a JSON object, one level in. */
static void
tf_members(struct tf *t, int indent, struct json_object *o)
{
	struct buf k;

	json_object_object_foreach(o, key, val)
	{
		buf_init(&k, EXPORT_MAX_COMMAND);
		hcl_key(&k, key);
		if (k.failed)
			export_buf_fail(t->out);
		tf_value(t, indent, buf_cstr(&k), val, key, false);
		buf_release(&k);
	}
}

/* One JSON value: "key = value" (key NULL: an array element, followed by a
 * comma). parent is the JSON member name it is under. */
static void
tf_value(struct tf *t, int indent, const char *key, struct json_object *v, const char *parent, bool comma)
{
	struct buf line;
	size_t i, n;

	buf_init(&line, EXPORT_MAX_COMMAND);
	if (tf_inline(t, &line, v, parent)) {
		if (key != NULL)
			hcl_attr(&t->h, indent, key, buf_cstr(&line));
		else
			hcl_line(&t->h, indent, "%s%s", buf_cstr(&line), comma ? "," : "");
	} else if (json_object_is_type(v, json_type_object)) {
		if (key != NULL)
			hcl_line(&t->h, indent, "%s = {", key);
		else
			hcl_line(&t->h, indent, "{");
		tf_members(t, indent + 1, v);
		hcl_line(&t->h, indent, "}%s", comma ? "," : "");
	} else {
		if (key != NULL)
			hcl_line(&t->h, indent, "%s = [", key);
		else
			hcl_line(&t->h, indent, "[");
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			tf_value(t, indent + 1, NULL, json_object_array_get_idx(v, i), parent, true);
		hcl_line(&t->h, indent, "]%s", comma ? "," : "");
	}
	if (line.failed)
		export_buf_fail(t->out);
	buf_release(&line);
}

static void
tf_header(struct tf *t)
{
	const struct plan *p = t->p;
	char cluster[512];
	size_t i;

	export_comment(t->out, "irsa: bind Kubernetes service account %s/%s in EKS cluster %s", p->ns, p->sa,
	               export_cluster_text(p, cluster, sizeof(cluster)));
	export_comment(t->out, "to IAM role %s.", export_role_text(p));
	export_comment(t->out, "Generated by irsa from a plan read at the time it was made. This is the end");
	export_comment(t->out, "state, not the steps: `terraform plan` shows what is left to change, and");
	export_comment(t->out, "import blocks adopt what exists already (Terraform >= 1.5).");
	if (p->context != NULL) {
		export_comment(t->out, "Configure the kubernetes provider for the cluster (kubeconfig context %s).",
		               p->context);
	} else {
		export_comment(t->out, "Configure the kubernetes provider for the cluster (for a kubeconfig context:");
		export_update_kubeconfig(t->out, p, "", ").");
	}
	for (i = 0; i < p->warnings.n; i++)
		export_comment(t->out, "Warning: %s", p->warnings.v[i]);
	hcl_blank(&t->h);
	hcl_line(&t->h, 0, "terraform {");
	hcl_attr_str(&t->h, 1, "required_version", TF_VERSION);
	hcl_line(&t->h, 1, "required_providers {");
	hcl_line(&t->h, 2, "aws = {");
	hcl_attr_str(&t->h, 3, "source", "hashicorp/aws");
	hcl_attr_str(&t->h, 3, "version", TF_AWS_VERSION);
	hcl_line(&t->h, 2, "}");
	hcl_line(&t->h, 2, "kubernetes = {");
	hcl_attr_str(&t->h, 3, "source", "hashicorp/kubernetes");
	hcl_attr_str(&t->h, 3, "version", TF_K8S_VERSION);
	hcl_line(&t->h, 2, "}");
	hcl_line(&t->h, 1, "}");
	hcl_line(&t->h, 0, "}");
}

static void
tf_tags(struct tf *t, int indent, const struct aws_tags *tags)
{
	if (tags->n == 0)
		return;
	hcl_line(&t->h, indent, "tags = {");
	for (size_t i = 0; i < tags->n; i++)
		hcl_map_line(&t->h, indent + 1, tags->v[i].key, tags->v[i].value, NULL);
	hcl_line(&t->h, indent, "}");
}

static const struct plan_step *
find_step(const struct plan *p, enum plan_step_kind k)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == k)
			return &p->steps[i];
	return NULL;
}

/* The OIDC provider: a resource when the plan creates it, else a data
 * source (with a note when it lacks the sts audience). */
static void
tf_provider(struct tf *t)
{
	const struct plan *p = t->p;
	const struct plan_step *create = find_step(p, PLAN_STEP_OIDC_PROVIDER);
	const struct plan_step *client = find_step(p, PLAN_STEP_OIDC_CLIENT_ID);
	struct buf q;
	char *cmd;

	hcl_blank(&t->h);
	if (create != NULL) {
		snprintf(t->provider_ref, sizeof(t->provider_ref), "aws_iam_openid_connect_provider.%s.arn",
		         t->provider_name);
		hcl_line(&t->h, 0, "resource \"aws_iam_openid_connect_provider\" \"%s\" {", t->provider_name);
		hcl_attr_str(&t->h, 1, "url", create->provider_url);
		hcl_attr(&t->h, 1, "client_id_list", "[\"" EXPORT_AUDIENCE "\"]");
		if (create->thumbprint != NULL) {
			buf_init(&q, 256);
			buf_addch(&q, '[');
			hcl_quote(&q, create->thumbprint);
			buf_addch(&q, ']');
			hcl_attr(&t->h, 1, "thumbprint_list", buf_cstr(&q));
			if (q.failed)
				export_buf_fail(t->out);
			buf_release(&q);
		}
		tf_tags(t, 1, &create->tags);
		hcl_line(&t->h, 0, "}");
		return;
	}
	if (p->issuer == NULL && p->provider_arn == NULL)
		return;
	if (client != NULL) {
		if ((cmd = export_step_command(p, client)) == NULL) {
			export_buf_fail(t->out);
			return;
		}
		hcl_flush(&t->h);
		export_comment(t->out,
		               "The provider lacks client ID " EXPORT_AUDIENCE ", and this configuration does not own");
		export_comment(t->out, "it (every binding of the cluster shares it). Add the client ID once:");
		export_comment(t->out, "  %s", cmd);
		free(cmd);
	}
	snprintf(t->provider_ref, sizeof(t->provider_ref), "data.aws_iam_openid_connect_provider.%s.arn",
	         t->provider_name);
	hcl_line(&t->h, 0, "data \"aws_iam_openid_connect_provider\" \"%s\" {", t->provider_name);
	if (p->issuer != NULL)
		hcl_attr_str(&t->h, 1, "url", p->issuer);
	else
		hcl_attr_str(&t->h, 1, "arn", p->provider_arn);
	hcl_line(&t->h, 0, "}");
}

static void
tf_import(struct tf *t, const char *to, const char *id)
{
	hcl_blank(&t->h);
	hcl_line(&t->h, 0, "import {");
	hcl_attr(&t->h, 1, "to", to);
	hcl_attr_str(&t->h, 1, "id", id);
	hcl_line(&t->h, 0, "}");
}

/* The path inside a role ARN: "arn:aws:iam::1:role/a/b/name" gives "/a/b/".
 * Into out; "/" when the ARN has none. */
static void
role_path_of(const char *arn, char *out, size_t outsz)
{
	const char *r = arn != NULL ? strstr(arn, ":role/") : NULL;
	const char *last;

	snprintf(out, outsz, "/");
	if (r == NULL)
		return;
	r += strlen(":role");
	last = strrchr(r, '/');
	snprintf(out, outsz, "%.*s", (int)(last - r + 1), r);
}

static int
tf_role(struct tf *t, struct irsa_error *err)
{
	const struct plan *p = t->p;
	const struct plan_step *create = find_step(p, PLAN_STEP_ROLE_CREATE);
	const char *name = p->role_name, *trust = p->trust_after != NULL ? p->trust_after : p->trust_before;
	struct json_object *doc;
	char path[512];

	if (trust == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the plan has no trust policy (trustAfter) to write the role with");
	if ((doc = json_tokener_parse(trust)) == NULL || !json_object_is_type(doc, json_type_object)) {
		json_object_put(doc);
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the plan's trust policy (trustAfter) is not a JSON object");
	}
	if (create != NULL && create->role_name != NULL)
		name = create->role_name;
	if (create != NULL)
		snprintf(path, sizeof(path), "%s", create->role_path != NULL ? create->role_path : "/");
	else
		role_path_of(p->role_arn, path, sizeof(path));
	if (p->role_exists && create == NULL)
		tf_import(t, t->role_ref, export_or_unknown(name));
	hcl_blank(&t->h);
	hcl_line(&t->h, 0, "resource \"aws_iam_role\" \"%s\" {", t->name);
	hcl_attr_str(&t->h, 1, "name", export_or_unknown(name));
	hcl_attr_str(&t->h, 1, "path", path);
	hcl_line(&t->h, 1, "assume_role_policy = jsonencode({");
	tf_members(t, 2, doc);
	hcl_line(&t->h, 1, "})");
	if (create != NULL) {
		tf_tags(t, 1, &create->tags);
	} else if (p->role_exists) {
		hcl_line(&t->h, 1, "# Imported: irsa did not read these, so Terraform leaves them as they are.");
		hcl_line(&t->h, 1, "lifecycle {");
		hcl_attr(&t->h, 2, "ignore_changes", "[description, max_session_duration, permissions_boundary, tags]");
		hcl_line(&t->h, 1, "}");
	}
	hcl_line(&t->h, 0, "}");
	json_object_put(doc);
	return 0;
}

static bool
attached_by_plan(const struct plan *p, const char *arn)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == PLAN_STEP_POLICY_ATTACH && p->steps[i].policy_arn != NULL &&
		    strcmp(p->steps[i].policy_arn, arn) == 0)
			return true;
	return false;
}

/* One attachment per policy ARN, keyed by the ARN (for_each over a set:
 * reordering the list changes nothing, unlike count). Policies the role has
 * already are imported. */
static void
tf_policies(struct tf *t)
{
	const struct plan *p = t->p;
	struct buf to, id, q;
	size_t i;

	if (p->policies.n == 0)
		return;
	for (i = 0; p->role_exists && i < p->policies.n; i++) {
		if (attached_by_plan(p, p->policies.v[i]))
			continue;
		buf_init(&to, EXPORT_MAX_COMMAND);
		buf_init(&id, EXPORT_MAX_COMMAND);
		buf_printf(&to, "aws_iam_role_policy_attachment.%s[", t->name);
		hcl_quote(&to, p->policies.v[i]);
		buf_addch(&to, ']');
		buf_printf(&id, "%s/%s", export_or_unknown(p->role_name), p->policies.v[i]);
		tf_import(t, buf_cstr(&to), buf_cstr(&id));
		if (to.failed || id.failed)
			export_buf_fail(t->out);
		buf_release(&to);
		buf_release(&id);
	}
	hcl_blank(&t->h);
	hcl_line(&t->h, 0, "resource \"aws_iam_role_policy_attachment\" \"%s\" {", t->name);
	hcl_line(&t->h, 1, "for_each = toset([");
	for (i = 0; i < p->policies.n; i++) {
		hcl_line(&t->h, 2, "%s,", quoted(&q, p->policies.v[i]));
		if (q.failed)
			export_buf_fail(t->out);
		buf_release(&q);
	}
	hcl_line(&t->h, 1, "])");
	buf_init(&q, sizeof(t->role_ref) + 8);
	buf_printf(&q, "%s.name", t->role_ref);
	hcl_attr(&t->h, 1, "role", buf_cstr(&q));
	buf_release(&q);
	hcl_attr(&t->h, 1, "policy_arn", "each.value");
	hcl_line(&t->h, 0, "}");
}

/* The annotations after the plan; the role ARN as a reference to the role. */
static void
tf_annotations(struct tf *t, int indent)
{
	const struct plan *p = t->p;
	char ref[sizeof(t->role_ref) + 8];
	size_t i;

	if (export_annotations_set(p->annotations, p->n_annotations) == 0)
		return;
	snprintf(ref, sizeof(ref), "%s.arn", t->role_ref);
	hcl_line(&t->h, indent, "annotations = {");
	for (i = 0; i < p->n_annotations; i++) {
		const struct plan_annotation *a = &p->annotations[i];
		bool is_role = strcmp(a->key, PLAN_ANN_ROLE_ARN) == 0 && p->role_arn != NULL &&
		               strcmp(a->after != NULL ? a->after : "", p->role_arn) == 0;

		if (a->after != NULL)
			hcl_map_line(&t->h, indent + 1, a->key, a->after, is_role ? ref : NULL);
	}
	hcl_line(&t->h, indent, "}");
}

static void
tf_service_account(struct tf *t)
{
	const struct plan *p = t->p;
	struct buf cmd;
	bool force = false;
	size_t i, removal = 0;

	hcl_blank(&t->h);
	if (!p->sa_exists) {
		hcl_line(&t->h, 0, "resource \"kubernetes_service_account_v1\" \"%s\" {", t->name);
		hcl_line(&t->h, 1, "metadata {");
		hcl_attr_str(&t->h, 2, "name", p->sa);
		hcl_attr_str(&t->h, 2, "namespace", p->ns);
		tf_annotations(t, 2);
		hcl_line(&t->h, 1, "}");
		hcl_line(&t->h, 0, "}");
		return;
	}
	/* Server-side apply: a value another manager (kubectl, Helm) set
	 * differently conflicts unless forced. */
	for (i = 0; i < p->n_annotations; i++)
		if (p->annotations[i].before != NULL && p->annotations[i].after != NULL &&
		    strcmp(p->annotations[i].before, p->annotations[i].after) != 0)
			force = true;
	hcl_line(&t->h, 0, "resource \"kubernetes_annotations\" \"%s\" {", t->name);
	hcl_attr_str(&t->h, 1, "api_version", "v1");
	hcl_attr_str(&t->h, 1, "kind", "ServiceAccount");
	hcl_line(&t->h, 1, "metadata {");
	hcl_attr_str(&t->h, 2, "name", p->sa);
	hcl_attr_str(&t->h, 2, "namespace", p->ns);
	hcl_line(&t->h, 1, "}");
	tf_annotations(t, 1);
	if (force)
		hcl_line(&t->h, 1,
		         "# true: it changes annotations another manager (kubectl, Helm) set to other values.");
	hcl_attr(&t->h, 1, "force", force ? "true" : "false");
	hcl_line(&t->h, 0, "}");
	for (i = 0; i < p->n_annotations; i++) {
		const struct plan_annotation *a = &p->annotations[i];

		if (a->after != NULL || a->before == NULL)
			continue;
		if (!removal++)
			hcl_blank(&t->h);
		buf_init(&cmd, EXPORT_MAX_COMMAND);
		export_kubectl(&cmd, p, p->ns);
		buf_addstr(&cmd, " annotate serviceaccount");
		export_sh_arg(&cmd, p->sa);
		export_sh_arg3(&cmd, a->key, "-", "");
		hcl_flush(&t->h);
		export_comment(t->out, "irsa also removes annotation %s, which kubernetes_annotations cannot:", a->key);
		export_comment(t->out, "  %s", buf_cstr(&cmd));
		if (cmd.failed)
			export_buf_fail(t->out);
		buf_release(&cmd);
	}
}

int
export_hcl_write(const struct plan *p, struct buf *out, struct irsa_error *err)
{
	struct tf t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.p = p;
	t.out = out;
	t.h.out = out;
	tf_local_name(t.name, sizeof(t.name), p->ns, p->sa);
	tf_local_name(t.provider_name, sizeof(t.provider_name), p->cluster, NULL);
	snprintf(t.role_ref, sizeof(t.role_ref), "aws_iam_role.%s", t.name);
	tf_header(&t);
	tf_provider(&t);
	rc = tf_role(&t, err);
	if (rc == 0) {
		tf_policies(&t);
		tf_service_account(&t);
		hcl_flush(&t.h);
	}
	hcl_release(&t.h);
	return rc;
}
