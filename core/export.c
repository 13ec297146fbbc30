/* core/export.c - a plan as code: each step's aws/kubectl command, the
 * steps as a POSIX sh script, the end state as Terraform, the service
 * account as a manifest (export.h, docs/plan.md).
 *
 * The shell form replays the steps: the commands are what irsa itself
 * would send, quoted so that any value survives the shell. The Terraform
 * form describes where the plan leads, not how: what exists already is
 * adopted with import blocks (a role, attached policies) or read with a
 * data source (the cluster's OIDC provider, which every binding of the
 * cluster shares, so one binding's configuration must not own it); a
 * service account that exists already gets only its annotations
 * (kubernetes_annotations), so Terraform never replaces an object it did
 * not create. Its text is what `terraform fmt` would write (aligned '='
 * runs, two-space indent), so a committed export stays clean.
 * Deterministic and pure: no clock, no I/O. */
#include "config.h"

#include "export.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#define EXPORT_MAX_COMMAND (4 * TRUST_MAX_DOC + 65536) /* one command: a quoted trust document and the rest */
#define AUDIENCE           TRUST_AUDIENCE_STS
#define TF_AWS_VERSION     ">= 5.81"  /* thumbprint_list optional */
#define TF_K8S_VERSION     ">= 2.20"  /* kubernetes_annotations, *_v1 resources */
#define TF_VERSION         ">= 1.5.0" /* import blocks */
#define HCL_INLINE_ARRAY   80         /* a list of scalars longer than this goes one item a line */

static const char *const format_names[] = {
        [EXPORT_SHELL] = "shell",
        [EXPORT_TERRAFORM] = "terraform",
        [EXPORT_YAML] = "yaml",
};
#define N_FORMATS (sizeof(format_names) / sizeof(format_names[0]))

int
export_format_parse(const char *name, enum export_format *out)
{
	for (size_t i = 0; name != NULL && i < N_FORMATS; i++)
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum export_format)i;
			return 0;
		}
	return -1;
}

const char *
export_format_name(enum export_format f)
{
	return (unsigned)f < N_FORMATS ? format_names[f] : "unknown";
}

static const char *
workload_resource(enum kube_kind k)
{
	switch (k) {
	case KUBE_DEPLOYMENT:
		return "deployment";
	case KUBE_STATEFULSET:
		return "statefulset";
	case KUBE_DAEMONSET:
		return "daemonset";
	default:
		return "workload";
	}
}

/* Marks b failed (out of memory) for a failure outside its own appends. */
static void
buf_fail(struct buf *b)
{
	if (!b->failed)
		b->error = ENOMEM;
	b->failed = true;
}

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* --- shell words ------------------------------------------------------------ */

/* Characters a POSIX shell takes literally anywhere in a word (Python's
 * shlex.quote set). */
static bool
sh_safe(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!is_alnum((unsigned char)*s) && strchr("@%+=:,./_-", *s) == NULL)
			return false;
	return true;
}

/* s as one shell word: bare when safe, else in single quotes ('\'' for a
 * quote inside). NULL is the empty word. */
static void
sh_word(struct buf *b, const char *s)
{
	if (s == NULL)
		s = "";
	if (sh_safe(s)) {
		buf_addstr(b, s);
		return;
	}
	buf_addch(b, '\'');
	for (; *s != '\0'; s++)
		if (*s == '\'')
			buf_addstr(b, "'\\''");
		else
			buf_addch(b, *s);
	buf_addch(b, '\'');
}

static void
sh_arg(struct buf *b, const char *s)
{
	buf_addch(b, ' ');
	sh_word(b, s);
}

/* a, sep and c as one word ("key=value", "deployment/name"). */
static void
sh_arg3(struct buf *b, const char *a, const char *sep, const char *c)
{
	struct buf w;

	buf_init(&w, EXPORT_MAX_COMMAND);
	buf_addstr(&w, a != NULL ? a : "");
	buf_addstr(&w, sep);
	buf_addstr(&w, c != NULL ? c : "");
	if (w.failed) {
		buf_fail(b);
	} else {
		sh_arg(b, buf_cstr(&w));
	}
	buf_release(&w);
}

/* --- commands --------------------------------------------------------------- */

/* The trust document without whitespace, as IAM measures it; the document
 * itself when it does not parse. A new string, or NULL when out of memory. */
static char *
minify(const char *doc)
{
	struct irsa_error err;
	struct trust *t;
	char *min = NULL;

	if (doc == NULL)
		return strdup("");
	if ((t = trust_parse(doc, &err)) != NULL) {
		min = trust_to_json_min(t, NULL);
		trust_free(t);
	}
	return min != NULL ? min : strdup(doc);
}

/* A tag key or value the aws CLI's shorthand takes as written. */
static bool
shorthand_safe(const char *s, bool key)
{
	if (s == NULL || (key && *s == '\0') || *s == '=')
		return false;
	for (; *s != '\0'; s++)
		if (!is_alnum((unsigned char)*s) && strchr(key ? "_.:/+@-" : "_.:/=+@-", *s) == NULL)
			return false;
	return true;
}

/* {"Key": k, "Value": v}, or NULL when out of memory. */
static struct json_object *
tag_json(const struct aws_tag *tag)
{
	struct json_object *o = json_object_new_object();
	struct json_object *k = json_object_new_string(tag->key != NULL ? tag->key : "");
	struct json_object *v = json_object_new_string(tag->value != NULL ? tag->value : "");

	if (o == NULL || k == NULL || v == NULL) {
		json_object_put(o);
		json_object_put(k);
		json_object_put(v);
		return NULL;
	}
	if (json_object_object_add(o, "Key", k) != 0) {
		json_object_put(k);
		json_object_put(v);
		json_object_put(o);
		return NULL;
	}
	if (json_object_object_add(o, "Value", v) != 0) {
		json_object_put(v);
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* " --tags Key=k,Value=v ...", or the JSON form when a key or value needs
 * quoting in the shorthand. Nothing when there are no tags. */
static void
tags_arg(struct buf *b, const struct aws_tags *t)
{
	struct json_object *a;
	bool shorthand = true;
	const char *text;
	size_t i;

	if (t->n == 0)
		return;
	buf_addstr(b, " --tags");
	for (i = 0; i < t->n; i++)
		if (!shorthand_safe(t->v[i].key, true) || !shorthand_safe(t->v[i].value, false))
			shorthand = false;
	if (shorthand) {
		for (i = 0; i < t->n; i++)
			buf_printf(b, " Key=%s,Value=%s", t->v[i].key, t->v[i].value);
		return;
	}
	if ((a = json_object_new_array()) == NULL) {
		buf_fail(b);
		return;
	}
	for (i = 0; i < t->n; i++) {
		struct json_object *e = tag_json(&t->v[i]);

		if (e == NULL || json_object_array_add(a, e) != 0) {
			json_object_put(e);
			break;
		}
	}
	if (i < t->n ||
	    (text = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) == NULL)
		buf_fail(b);
	else
		sh_arg(b, text);
	json_object_put(a);
}

/* "kubectl [--context C] -n NS" */
static void
kubectl(struct buf *b, const struct plan *p, const char *ns)
{
	buf_addstr(b, "kubectl");
	if (p->context != NULL) {
		buf_addstr(b, " --context");
		sh_arg(b, p->context);
	}
	buf_addstr(b, " -n");
	sh_arg(b, ns);
}

/* How many of the annotations have a value after the plan. */
static size_t
annotations_set(const struct plan_annotation *a, size_t n)
{
	size_t set = 0;

	for (size_t i = 0; i < n; i++)
		if (a[i].after != NULL)
			set++;
	return set;
}

/* " key=value" for each annotation set, and " key-" for each removed when
 * removals. */
static void
annotation_args(struct buf *b, const struct plan_annotation *a, size_t n, bool removals)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i].after != NULL)
			sh_arg3(b, a[i].key, "=", a[i].after);
		else if (removals)
			sh_arg3(b, a[i].key, "-", "");
	}
}

static void
step_command(struct buf *b, const struct plan *p, const struct plan_step *s)
{
	char *doc;

	switch (s->kind) {
	case PLAN_STEP_OIDC_PROVIDER:
		buf_addstr(b, "aws iam create-open-id-connect-provider --url");
		sh_arg(b, s->provider_url);
		buf_addstr(b, " --client-id-list " AUDIENCE);
		if (s->thumbprint != NULL) {
			buf_addstr(b, " --thumbprint-list");
			sh_arg(b, s->thumbprint);
		}
		tags_arg(b, &s->tags);
		break;
	case PLAN_STEP_OIDC_CLIENT_ID:
		buf_addstr(b, "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn");
		sh_arg(b, s->provider_arn);
		buf_addstr(b, " --client-id " AUDIENCE);
		break;
	case PLAN_STEP_ROLE_CREATE:
	case PLAN_STEP_ROLE_TRUST:
		if ((doc = minify(s->document)) == NULL) {
			buf_fail(b);
			break;
		}
		if (s->kind == PLAN_STEP_ROLE_CREATE) {
			buf_addstr(b, "aws iam create-role --role-name");
			sh_arg(b, s->role_name);
			if (s->role_path != NULL && strcmp(s->role_path, "/") != 0) {
				buf_addstr(b, " --path");
				sh_arg(b, s->role_path);
			}
			buf_addstr(b, " --assume-role-policy-document");
			sh_arg(b, doc);
			tags_arg(b, &s->tags);
		} else {
			buf_addstr(b, "aws iam update-assume-role-policy --role-name");
			sh_arg(b, s->role_name);
			buf_addstr(b, " --policy-document");
			sh_arg(b, doc);
		}
		free(doc);
		break;
	case PLAN_STEP_POLICY_ATTACH:
		buf_addstr(b, "aws iam attach-role-policy --role-name");
		sh_arg(b, s->role_name);
		buf_addstr(b, " --policy-arn");
		sh_arg(b, s->policy_arn);
		break;
	case PLAN_STEP_SA_CREATE:
		kubectl(b, p, s->ns);
		buf_addstr(b, " create serviceaccount");
		sh_arg(b, s->name);
		if (annotations_set(s->annotations, s->n_annotations) == 0)
			break;
		buf_addstr(b, " && ");
		kubectl(b, p, s->ns);
		buf_addstr(b, " annotate serviceaccount");
		sh_arg(b, s->name);
		annotation_args(b, s->annotations, s->n_annotations, false);
		break;
	case PLAN_STEP_SA_ANNOTATE:
		kubectl(b, p, s->ns);
		buf_addstr(b, " annotate --overwrite serviceaccount");
		sh_arg(b, s->name);
		annotation_args(b, s->annotations, s->n_annotations, true);
		break;
	case PLAN_STEP_RESTART:
		kubectl(b, p, s->ns);
		buf_addstr(b, " rollout restart");
		sh_arg3(b, workload_resource(s->workload), "/", s->name);
		break;
	default:
		buf_printf(b, ": # irsa: no command for step kind %d", (int)s->kind);
		break;
	}
}

char *
export_step_command(const struct plan *p, const struct plan_step *s)
{
	struct buf b;

	buf_init(&b, EXPORT_MAX_COMMAND);
	step_command(&b, p, s);
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* --- shared ----------------------------------------------------------------- */

static const char *
or_unknown(const char *s)
{
	return s != NULL ? s : "(unknown)";
}

/* "# " and text with every control character made a space (a name with a
 * newline must not end the comment), then a newline. */
static void comment(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
comment(struct buf *b, const char *fmt, ...)
{
	struct buf line;
	va_list ap;

	buf_init(&line, EXPORT_MAX_COMMAND);
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < line.len; i++)
		if ((unsigned char)line.data[i] < 0x20 || line.data[i] == 0x7f)
			line.data[i] = ' ';
	buf_addstr(b, "# ");
	buf_add(b, buf_cstr(&line), line.len);
	buf_addch(b, '\n');
	if (line.failed)
		buf_fail(b);
	buf_release(&line);
}

/* "prod (us-west-2)", or without the region when it is unknown. Into out. */
static const char *
cluster_text(const struct plan *p, char *out, size_t outsz)
{
	if (p->region != NULL)
		snprintf(out, outsz, "%s (%s)", or_unknown(p->cluster), p->region);
	else
		snprintf(out, outsz, "%s", or_unknown(p->cluster));
	return out;
}

/* A comment with the command that makes a kubeconfig context for the
 * cluster, between before and after. */
static void
update_kubeconfig(struct buf *b, const struct plan *p, const char *before, const char *after)
{
	struct buf cmd;

	buf_init(&cmd, EXPORT_MAX_COMMAND);
	buf_addstr(&cmd, "aws eks update-kubeconfig --name");
	sh_arg(&cmd, p->cluster);
	buf_addstr(&cmd, " --region");
	sh_arg(&cmd, p->region);
	comment(b, "%s%s%s", before, buf_cstr(&cmd), after);
	if (cmd.failed)
		buf_fail(b);
	buf_release(&cmd);
}

static const char *
role_text(const struct plan *p)
{
	return p->role_arn != NULL ? p->role_arn : or_unknown(p->role_name);
}

static bool
has_kubectl(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == PLAN_STEP_SA_CREATE || p->steps[i].kind == PLAN_STEP_SA_ANNOTATE ||
		    p->steps[i].kind == PLAN_STEP_RESTART)
			return true;
	return false;
}

static const struct plan_step *
find_step(const struct plan *p, enum plan_step_kind k)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == k)
			return &p->steps[i];
	return NULL;
}

static int
check_steps(const struct plan *p, struct irsa_error *err)
{
	for (size_t i = 0; i < p->n; i++)
		if ((unsigned)p->steps[i].kind >= PLAN_STEP_N_KINDS)
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "step %zu of the plan has unknown kind %d",
			                      i + 1, (int)p->steps[i].kind);
	return 0;
}

/* --- shell ------------------------------------------------------------------ */

static void
shell_header(struct buf *b, const struct plan *p)
{
	char cluster[512];

	buf_addstr(b, "#!/bin/sh\n");
	comment(b, "irsa: bind Kubernetes service account %s/%s in EKS cluster %s", or_unknown(p->ns),
	        or_unknown(p->sa), cluster_text(p, cluster, sizeof(cluster)));
	comment(b, "to IAM role %s.", role_text(p));
}

static void
shell_export(const struct plan *p, struct buf *b)
{
	size_t i;

	shell_header(b, p);
	if (p->n == 0) {
		comment(b, "Generated by irsa from a plan read at the time it was made.");
		comment(b, "Nothing to do: AWS and the cluster already hold what was asked.");
		buf_addstr(b, "exit 0\n");
		return;
	}
	comment(b, "Generated by irsa from a plan of what AWS and the cluster held when it was");
	comment(b, "read: if either changed since, plan again rather than run this.");
	if (has_kubectl(p)) {
		if (p->context != NULL) {
			comment(b, "kubectl reaches the cluster through kubeconfig context %s.", p->context);
		} else {
			comment(b, "kubectl uses the current kubeconfig context; point it at the cluster first:");
			update_kubeconfig(b, p, "  ", "");
		}
	}
	for (i = 0; i < p->warnings.n; i++)
		comment(b, "Warning: %s", p->warnings.v[i]);
	buf_addstr(b, "set -eu\n");
	for (i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];

		buf_addch(b, '\n');
		comment(b, "%zu. %s", i + 1, s->title != NULL ? s->title : plan_step_kind_name(s->kind));
		step_command(b, p, s);
		buf_addch(b, '\n');
	}
}

/* --- YAML ------------------------------------------------------------------- */

static bool
yaml_special_word(const char *s)
{
	static const char *const words[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

/* Written bare, s reads back as the same string in YAML 1.1 and 1.2: it
 * starts with a letter (no number, no indicator) and holds only name
 * characters. */
static bool
yaml_plain(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) || yaml_special_word(s))
		return false;
	for (; *s != '\0'; s++)
		if (!is_alnum((unsigned char)*s) && strchr("._/-", *s) == NULL)
			return false;
	return true;
}

/* A double-quoted YAML scalar: \\ \" and escapes for control characters and
 * the Unicode line breaks a reader would fold. */
static void
yaml_quoted(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s != NULL ? s : "");

	buf_addch(b, '"');
	for (; *u != '\0'; u++) {
		if (*u == '"' || *u == '\\') {
			buf_addch(b, '\\');
			buf_addch(b, (char)*u);
		} else if (*u == '\n') {
			buf_addstr(b, "\\n");
		} else if (*u == '\t') {
			buf_addstr(b, "\\t");
		} else if (*u < 0x20 || *u == 0x7f) {
			buf_printf(b, "\\x%02x", *u);
		} else if (u[0] == 0xc2 && u[1] == 0x85) {
			buf_addstr(b, "\\N");
			u++;
		} else if (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9)) {
			buf_addstr(b, u[2] == 0xa8 ? "\\L" : "\\P");
			u += 2;
		} else {
			buf_addch(b, (char)*u);
		}
	}
	buf_addch(b, '"');
}

static void
yaml_scalar(struct buf *b, const char *s)
{
	if (s != NULL && yaml_plain(s))
		buf_addstr(b, s);
	else
		yaml_quoted(b, s);
}

static void
yaml_export(const struct plan *p, struct buf *b)
{
	size_t i;

	comment(b, "irsa: Kubernetes service account %s/%s in EKS cluster %s, bound to IAM role %s.", p->ns, p->sa,
	        or_unknown(p->cluster), role_text(p));
	comment(b, "Generated by irsa from a plan read at the time it was made.");
	buf_addstr(b, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ");
	yaml_scalar(b, p->sa);
	buf_addstr(b, "\n  namespace: ");
	yaml_scalar(b, p->ns);
	buf_addch(b, '\n');
	if (annotations_set(p->annotations, p->n_annotations) == 0)
		return;
	buf_addstr(b, "  annotations:\n");
	for (i = 0; i < p->n_annotations; i++) {
		if (p->annotations[i].after == NULL)
			continue;
		buf_addstr(b, "    ");
		yaml_scalar(b, p->annotations[i].key);
		buf_addstr(b, ": ");
		yaml_quoted(b, p->annotations[i].after);
		buf_addch(b, '\n');
	}
}

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
			buf_fail(h->out);
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
		buf_fail(h->out);
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
		buf_fail(h->out);
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
		buf_fail(h->out);
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
		if (!is_alnum((unsigned char)*c) && *c != '_')
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
			buf_fail(t->out);
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
		buf_fail(t->out);
	buf_release(&line);
}

static void
tf_header(struct tf *t)
{
	const struct plan *p = t->p;
	char cluster[512];
	size_t i;

	comment(t->out, "irsa: bind Kubernetes service account %s/%s in EKS cluster %s", p->ns, p->sa,
	        cluster_text(p, cluster, sizeof(cluster)));
	comment(t->out, "to IAM role %s.", role_text(p));
	comment(t->out, "Generated by irsa from a plan read at the time it was made. This is the end");
	comment(t->out, "state, not the steps: `terraform plan` shows what is left to change, and");
	comment(t->out, "import blocks adopt what exists already (Terraform >= 1.5).");
	if (p->context != NULL) {
		comment(t->out, "Configure the kubernetes provider for the cluster (kubeconfig context %s).",
		        p->context);
	} else {
		comment(t->out, "Configure the kubernetes provider for the cluster (for a kubeconfig context:");
		update_kubeconfig(t->out, p, "", ").");
	}
	for (i = 0; i < p->warnings.n; i++)
		comment(t->out, "Warning: %s", p->warnings.v[i]);
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
		hcl_attr(&t->h, 1, "client_id_list", "[\"" AUDIENCE "\"]");
		if (create->thumbprint != NULL) {
			buf_init(&q, 256);
			buf_addch(&q, '[');
			hcl_quote(&q, create->thumbprint);
			buf_addch(&q, ']');
			hcl_attr(&t->h, 1, "thumbprint_list", buf_cstr(&q));
			if (q.failed)
				buf_fail(t->out);
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
			buf_fail(t->out);
			return;
		}
		hcl_flush(&t->h);
		comment(t->out, "The provider lacks client ID " AUDIENCE ", and this configuration does not own");
		comment(t->out, "it (every binding of the cluster shares it). Add the client ID once:");
		comment(t->out, "  %s", cmd);
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
		tf_import(t, t->role_ref, or_unknown(name));
	hcl_blank(&t->h);
	hcl_line(&t->h, 0, "resource \"aws_iam_role\" \"%s\" {", t->name);
	hcl_attr_str(&t->h, 1, "name", or_unknown(name));
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
		buf_printf(&id, "%s/%s", or_unknown(p->role_name), p->policies.v[i]);
		tf_import(t, buf_cstr(&to), buf_cstr(&id));
		if (to.failed || id.failed)
			buf_fail(t->out);
		buf_release(&to);
		buf_release(&id);
	}
	hcl_blank(&t->h);
	hcl_line(&t->h, 0, "resource \"aws_iam_role_policy_attachment\" \"%s\" {", t->name);
	hcl_line(&t->h, 1, "for_each = toset([");
	for (i = 0; i < p->policies.n; i++) {
		hcl_line(&t->h, 2, "%s,", quoted(&q, p->policies.v[i]));
		if (q.failed)
			buf_fail(t->out);
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

	if (annotations_set(p->annotations, p->n_annotations) == 0)
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
		kubectl(&cmd, p, p->ns);
		buf_addstr(&cmd, " annotate serviceaccount");
		sh_arg(&cmd, p->sa);
		sh_arg3(&cmd, a->key, "-", "");
		hcl_flush(&t->h);
		comment(t->out, "irsa also removes annotation %s, which kubernetes_annotations cannot:", a->key);
		comment(t->out, "  %s", buf_cstr(&cmd));
		if (cmd.failed)
			buf_fail(t->out);
		buf_release(&cmd);
	}
}

static int
terraform_export(const struct plan *p, struct buf *out, struct irsa_error *err)
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

/* --- export_plan ------------------------------------------------------------ */

int
export_plan(const struct plan *p, enum export_format f, struct buf *out, struct irsa_error *err)
{
	if (check_steps(p, err) != 0)
		return -1;
	if (f != EXPORT_SHELL && (p->ns == NULL || p->sa == NULL))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the plan names no namespace or service account to export as %s",
		                      export_format_name(f));
	switch (f) {
	case EXPORT_SHELL:
		shell_export(p, out);
		break;
	case EXPORT_TERRAFORM:
		if (terraform_export(p, out, err) != 0)
			return -1;
		break;
	case EXPORT_YAML:
		yaml_export(p, out);
		break;
	default:
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "unknown export format %d", (int)f);
	}
	if (out->failed) {
		if (out->error == ENOMEM)
			return irsa_error_oom(err);
		return irsa_error_set(err, IRSA_ERR_LIMIT, "the %s export does not fit in %zu bytes",
		                      export_format_name(f), out->max);
	}
	return 0;
}
