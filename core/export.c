/* core/export.c - a plan as code (export.h, docs/plan.md): the format
 * names, export_plan()'s dispatch to each format's writer, each step's
 * aws/kubectl command and the steps as a POSIX sh script; also the quoting
 * and comment helpers every writer shares (export_int.h). The Terraform
 * writer is export_hcl.c, the ServiceAccount manifest export_yaml.c.
 *
 * The shell form replays the steps: the commands are what irsa itself
 * would send, quoted so that any value survives the shell. Outside the aws
 * partition (China, GovCloud) the aws iam commands carry --region: the aws
 * CLI picks IAM's partition from the region, and without one it would call
 * the aws partition's IAM. Deterministic and pure: no clock, no I/O. */
#include "config.h"

#include "export.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "export_int.h"
#include "names.h"

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

/* Marks b failed (out of memory) for a failure outside its own appends. */
void
export_buf_fail(struct buf *b)
{
	if (!b->failed)
		b->error = ENOMEM;
	b->failed = true;
}

bool
export_is_alnum(unsigned char c)
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
		if (!export_is_alnum((unsigned char)*s) && strchr("@%+=:,./_-", *s) == NULL)
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

void
export_sh_arg(struct buf *b, const char *s)
{
	buf_addch(b, ' ');
	sh_word(b, s);
}

/* a, sep and c as one word ("key=value", "deployment/name"). */
void
export_sh_arg3(struct buf *b, const char *a, const char *sep, const char *c)
{
	struct buf w;

	buf_init(&w, EXPORT_MAX_COMMAND);
	buf_addstr(&w, a != NULL ? a : "");
	buf_addstr(&w, sep);
	buf_addstr(&w, c != NULL ? c : "");
	if (w.failed) {
		export_buf_fail(b);
	} else {
		export_sh_arg(b, buf_cstr(&w));
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
		if (!export_is_alnum((unsigned char)*s) && strchr(key ? "_.:/+@-" : "_.:/=+@-", *s) == NULL)
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
		export_buf_fail(b);
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
		export_buf_fail(b);
	else
		export_sh_arg(b, text);
	json_object_put(a);
}

/* "kubectl [--context C] -n NS" */
void
export_kubectl(struct buf *b, const struct plan *p, const char *ns)
{
	buf_addstr(b, "kubectl");
	if (p->context != NULL) {
		buf_addstr(b, " --context");
		export_sh_arg(b, p->context);
	}
	buf_addstr(b, " -n");
	export_sh_arg(b, ns);
}

/* How many of the annotations have a value after the plan. */
size_t
export_annotations_set(const struct plan_annotation *a, size_t n)
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
			export_sh_arg3(b, a[i].key, "=", a[i].after);
		else if (removals)
			export_sh_arg3(b, a[i].key, "-", "");
	}
}

/* " --region R" for an aws iam command when the plan's partition (of its
 * role ARN, else of its provider ARN) is not aws: the aws CLI finds IAM's
 * partition from the region, else from the user's configuration (with none,
 * the aws partition). Nothing in the aws partition, so its commands stay as
 * they were. */
static void
region_arg(struct buf *b, const struct plan *p)
{
	char partition[NAMES_PARTITION_MAX];

	if (p->region == NULL)
		return;
	if (!names_arn_partition(p->role_arn, partition) && !names_arn_partition(p->provider_arn, partition))
		return;
	if (strcmp(partition, "aws") == 0)
		return;
	buf_addstr(b, " --region");
	export_sh_arg(b, p->region);
}

static void
step_command(struct buf *b, const struct plan *p, const struct plan_step *s)
{
	const char *workload;
	char *doc;

	switch (s->kind) {
	case PLAN_STEP_OIDC_PROVIDER:
		buf_addstr(b, "aws iam create-open-id-connect-provider --url");
		export_sh_arg(b, s->provider_url);
		buf_addstr(b, " --client-id-list " EXPORT_AUDIENCE);
		if (s->thumbprint != NULL) {
			buf_addstr(b, " --thumbprint-list");
			export_sh_arg(b, s->thumbprint);
		}
		tags_arg(b, &s->tags);
		region_arg(b, p);
		break;
	case PLAN_STEP_OIDC_CLIENT_ID:
		buf_addstr(b, "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn");
		export_sh_arg(b, s->provider_arn);
		buf_addstr(b, " --client-id " EXPORT_AUDIENCE);
		region_arg(b, p);
		break;
	case PLAN_STEP_ROLE_CREATE:
	case PLAN_STEP_ROLE_TRUST:
		if ((doc = minify(s->document)) == NULL) {
			export_buf_fail(b);
			break;
		}
		if (s->kind == PLAN_STEP_ROLE_CREATE) {
			buf_addstr(b, "aws iam create-role --role-name");
			export_sh_arg(b, s->role_name);
			if (s->role_path != NULL && strcmp(s->role_path, "/") != 0) {
				buf_addstr(b, " --path");
				export_sh_arg(b, s->role_path);
			}
			buf_addstr(b, " --assume-role-policy-document");
			export_sh_arg(b, doc);
			tags_arg(b, &s->tags);
		} else {
			buf_addstr(b, "aws iam update-assume-role-policy --role-name");
			export_sh_arg(b, s->role_name);
			buf_addstr(b, " --policy-document");
			export_sh_arg(b, doc);
		}
		region_arg(b, p);
		free(doc);
		break;
	case PLAN_STEP_POLICY_ATTACH:
		buf_addstr(b, "aws iam attach-role-policy --role-name");
		export_sh_arg(b, s->role_name);
		buf_addstr(b, " --policy-arn");
		export_sh_arg(b, s->policy_arn);
		region_arg(b, p);
		break;
	case PLAN_STEP_SA_CREATE:
		export_kubectl(b, p, s->ns);
		buf_addstr(b, " create serviceaccount");
		export_sh_arg(b, s->name);
		if (export_annotations_set(s->annotations, s->n_annotations) == 0)
			break;
		buf_addstr(b, " && ");
		export_kubectl(b, p, s->ns);
		buf_addstr(b, " annotate serviceaccount");
		export_sh_arg(b, s->name);
		annotation_args(b, s->annotations, s->n_annotations, false);
		break;
	case PLAN_STEP_SA_ANNOTATE:
		export_kubectl(b, p, s->ns);
		buf_addstr(b, " annotate --overwrite serviceaccount");
		export_sh_arg(b, s->name);
		annotation_args(b, s->annotations, s->n_annotations, true);
		break;
	case PLAN_STEP_RESTART:
		export_kubectl(b, p, s->ns);
		buf_addstr(b, " rollout restart");
		workload = plan_workload_name(s->workload);
		export_sh_arg3(b, workload != NULL ? workload : "workload", "/", s->name);
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

/* --- shared with the writers (export_int.h) ------------------------------- */

const char *
export_or_unknown(const char *s)
{
	return s != NULL ? s : "(unknown)";
}

/* "# " and text with every control character made a space (a name with a
 * newline must not end the comment), then a newline. */
void
export_comment(struct buf *b, const char *fmt, ...)
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
		export_buf_fail(b);
	buf_release(&line);
}

/* "prod (us-west-2)", or without the region when it is unknown. Into out. */
const char *
export_cluster_text(const struct plan *p, char *out, size_t outsz)
{
	if (p->region != NULL)
		snprintf(out, outsz, "%s (%s)", export_or_unknown(p->cluster), p->region);
	else
		snprintf(out, outsz, "%s", export_or_unknown(p->cluster));
	return out;
}

/* A comment with the command that makes a kubeconfig context for the
 * cluster, between before and after. */
void
export_update_kubeconfig(struct buf *b, const struct plan *p, const char *before, const char *after)
{
	struct buf cmd;

	buf_init(&cmd, EXPORT_MAX_COMMAND);
	buf_addstr(&cmd, "aws eks update-kubeconfig --name");
	export_sh_arg(&cmd, p->cluster);
	buf_addstr(&cmd, " --region");
	export_sh_arg(&cmd, p->region);
	export_comment(b, "%s%s%s", before, buf_cstr(&cmd), after);
	if (cmd.failed)
		export_buf_fail(b);
	buf_release(&cmd);
}

const char *
export_role_text(const struct plan *p)
{
	return p->role_arn != NULL ? p->role_arn : export_or_unknown(p->role_name);
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
	export_comment(b, "irsa: bind Kubernetes service account %s/%s in EKS cluster %s", export_or_unknown(p->ns),
	               export_or_unknown(p->sa), export_cluster_text(p, cluster, sizeof(cluster)));
	export_comment(b, "to IAM role %s.", export_role_text(p));
}

static void
shell_export(const struct plan *p, struct buf *b)
{
	size_t i;

	shell_header(b, p);
	if (p->n == 0) {
		export_comment(b, "Generated by irsa from a plan read at the time it was made.");
		export_comment(b, "Nothing to do: AWS and the cluster already hold what was asked.");
		buf_addstr(b, "exit 0\n");
		return;
	}
	export_comment(b, "Generated by irsa from a plan of what AWS and the cluster held when it was");
	export_comment(b, "read: if either changed since, plan again rather than run this.");
	if (has_kubectl(p)) {
		if (p->context != NULL) {
			export_comment(b, "kubectl reaches the cluster through kubeconfig context %s.", p->context);
		} else {
			export_comment(b,
			               "kubectl uses the current kubeconfig context; point it at the cluster first:");
			export_update_kubeconfig(b, p, "  ", "");
		}
	}
	for (i = 0; i < p->warnings.n; i++)
		export_comment(b, "Warning: %s", p->warnings.v[i]);
	buf_addstr(b, "set -eu\n");
	for (i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];

		buf_addch(b, '\n');
		export_comment(b, "%zu. %s", i + 1, s->title != NULL ? s->title : plan_step_kind_name(s->kind));
		step_command(b, p, s);
		buf_addch(b, '\n');
	}
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
		if (export_hcl_write(p, out, err) != 0)
			return -1;
		break;
	case EXPORT_YAML:
		export_yaml_write(p, out);
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
