/* core/aws_iam.c - IAM requests (builders with IAM's input rules) and the
 * parsers of IAM's XML answers. Owns the structs it fills; no I/O. */
#include "config.h"

#include "aws_iam.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aws_xml.h"

/* --- releasing ---------------------------------------------------------------- */

void
aws_role_release(struct aws_role *r)
{
	free(r->name);
	free(r->arn);
	free(r->role_id);
	free(r->path);
	free(r->description);
	free(r->trust_policy);
	aws_tags_release(&r->tags);
	free(r->permissions_boundary_arn);
	free(r->last_used_region);
	memset(r, 0, sizeof(*r));
}

void
aws_role_list_release(struct aws_role_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		aws_role_release(&l->v[i]);
	free(l->v);
	free(l->marker);
	memset(l, 0, sizeof(*l));
}

void
aws_attached_policy_list_release(struct aws_attached_policy_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].arn);
	}
	free(l->v);
	free(l->marker);
	memset(l, 0, sizeof(*l));
}

void
aws_name_list_release(struct aws_name_list *l)
{
	aws_strings_release(&l->names);
	free(l->marker);
	memset(l, 0, sizeof(*l));
}

void
aws_role_policy_release(struct aws_role_policy *p)
{
	free(p->role_name);
	free(p->policy_name);
	free(p->document);
	memset(p, 0, sizeof(*p));
}

void
aws_policy_release(struct aws_policy *p)
{
	free(p->name);
	free(p->id);
	free(p->arn);
	free(p->path);
	free(p->default_version_id);
	free(p->description);
	aws_tags_release(&p->tags);
	memset(p, 0, sizeof(*p));
}

void
aws_policy_list_release(struct aws_policy_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		aws_policy_release(&l->v[i]);
	free(l->v);
	free(l->marker);
	memset(l, 0, sizeof(*l));
}

void
aws_policy_version_release(struct aws_policy_version *v)
{
	free(v->document);
	free(v->version_id);
	memset(v, 0, sizeof(*v));
}

void
aws_oidc_provider_release(struct aws_oidc_provider *p)
{
	free(p->url);
	aws_strings_release(&p->client_ids);
	aws_strings_release(&p->thumbprints);
	aws_tags_release(&p->tags);
	memset(p, 0, sizeof(*p));
}

int
aws_account_summary_get(const struct aws_account_summary *s, const char *key, long *value)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].key, key) == 0) {
			*value = s->v[i].value;
			return 0;
		}
	return -1;
}

void
aws_account_summary_release(struct aws_account_summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* --- policy documents ------------------------------------------------------------ */

/* A JSON object and nothing else (a policy document is one). */
static bool
json_object_text(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	size_t len = strlen(s), end;
	bool ok;

	if (tok == NULL || len > 0x7fffffff) {
		json_tokener_free(tok);
		return false;
	}
	o = json_tokener_parse_ex(tok, s, (int)len);
	ok = o != NULL && json_tokener_get_error(tok) == json_tokener_success &&
	     json_object_is_type(o, json_type_object);
	for (end = json_tokener_get_parse_end(tok); ok && end < len; end++)
		ok = isspace((unsigned char)s[end]) != 0;
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 3986 percent-decoding: "%XX" becomes the byte, anything else (a lone
 * '%', a '+') stays. */
static char *
percent_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (out == NULL)
		return NULL;
	while (*s != '\0') {
		if (s[0] == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*o++ = (char)(hexval(s[1]) << 4 | hexval(s[2]));
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

char *
aws_iam_policy_decode(const char *text, bool *is_json)
{
	char *dec;

	*is_json = true;
	if (json_object_text(text))
		return strdup(text);
	dec = percent_decode(text);
	if (dec == NULL)
		return NULL;
	if (json_object_text(dec))
		return dec;
	free(dec);
	*is_json = false;
	return strdup(text);
}

/* --- checking input ----------------------------------------------------------- */

static bool
is_name_char(char c)
{
	return isalnum((unsigned char)c) || (c != '\0' && strchr("+=,.@_-", c) != NULL);
}

/* 1 to max characters of [\w+=,.@-]. */
static int
check_name(const char *s, size_t max, const char *what, struct irsa_error *err)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > max)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "%s \"%s\" is not valid: it must have 1 to %zu characters", what,
		                      s != NULL ? s : "", max);
	for (i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "%s \"%s\" is not valid: use only letters, digits and + = , . @ _ -",
			                      what, s);
	return 0;
}

int
aws_iam_check_role_name(const char *name, struct irsa_error *err)
{
	return check_name(name, 64, "role name", err);
}

int
aws_iam_check_path(const char *path, struct irsa_error *err)
{
	size_t i, n = path != NULL ? strlen(path) : 0;

	if (n == 0 || n > 512 || path[0] != '/' || path[n - 1] != '/')
		goto bad;
	for (i = 0; i < n; i++)
		if ((unsigned char)path[i] < 0x21 || (unsigned char)path[i] > 0x7e)
			goto bad;
	return 0;
bad:
	return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
	                      "path \"%s\" is not valid: it must be \"/\" or start and end with \"/\" (up to 512 "
	                      "printable ASCII characters, no spaces)",
	                      path != NULL ? path : "");
}

/* ListRoles' PathPrefix: "/" then printable ASCII. */
static int
check_role_path_prefix(const char *p, struct irsa_error *err)
{
	size_t i, n = strlen(p);

	if (n == 0 || n > 512 || p[0] != '/')
		goto bad;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7f)
			goto bad;
	return 0;
bad:
	return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
	                      "path prefix \"%s\" is not valid: it must start with \"/\" (up to 512 printable "
	                      "ASCII characters, no spaces)",
	                      p);
}

/* Policy paths: ((/[A-Za-z0-9.,+@=_-]+)*)/ */
static int
check_policy_path(const char *p, struct irsa_error *err)
{
	size_t i, n = strlen(p);

	if (n == 0 || n > 512 || p[0] != '/' || p[n - 1] != '/')
		goto bad;
	for (i = 1; i < n; i++)
		if ((p[i] == '/' && p[i - 1] == '/') || (p[i] != '/' && !is_name_char(p[i])))
			goto bad;
	return 0;
bad:
	return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
	                      "policy path \"%s\" is not valid: it must look like \"/\" or \"/a/b/\", each part "
	                      "letters, digits and + = , . @ _ -",
	                      p);
}

static int
check_arn(const char *arn, const char *what, struct irsa_error *err)
{
	size_t n = arn != NULL ? strlen(arn) : 0;

	if (n < 20 || n > 2048 || strncmp(arn, "arn:", 4) != 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "%s \"%s\" is not valid: it must be an ARN (arn:...) of 20 to 2048 characters",
		                      what, arn != NULL ? arn : "");
	return 0;
}

/* [\t\n\r\x20-\xFF]{1,131072}: printable text; UTF-8 passes. */
static int
check_document(const char *doc, const char *what, struct irsa_error *err)
{
	size_t i, n = doc != NULL ? strlen(doc) : 0;

	if (n == 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the %s is empty", what);
	if (n > AWS_IAM_MAX_POLICY_LEN)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the %s has %zu bytes; IAM takes at most %d", what,
		                      n, AWS_IAM_MAX_POLICY_LEN);
	for (i = 0; i < n; i++)
		if ((unsigned char)doc[i] < 0x20 && doc[i] != '\t' && doc[i] != '\n' && doc[i] != '\r')
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "the %s holds a control character (byte %zu); IAM refuses it", what, i);
	return 0;
}

static int
check_tags(const struct aws_tag *tags, size_t n, struct irsa_error *err)
{
	size_t i, klen;

	if (n > AWS_IAM_MAX_TAGS)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "%zu tags given; IAM takes at most %d", n,
		                      AWS_IAM_MAX_TAGS);
	for (i = 0; i < n; i++) {
		klen = tags[i].key != NULL ? strlen(tags[i].key) : 0;
		if (klen == 0 || klen > 128)
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "tag key \"%s\" is not valid: it must have 1 to 128 characters",
			                      tags[i].key != NULL ? tags[i].key : "");
		if (tags[i].value == NULL || strlen(tags[i].value) > 256)
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "the value of tag \"%s\" is not valid: it must have 0 to 256 characters",
			                      tags[i].key);
	}
	return 0;
}

static int
check_max_items(int max_items, struct irsa_error *err)
{
	if (max_items < 0 || max_items > 1000)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "max items %d is not valid: use 1 to 1000",
		                      max_items);
	return 0;
}

static int
check_marker(const char *marker, struct irsa_error *err)
{
	if (marker != NULL && (marker[0] == '\0' || strlen(marker) > 320))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "pagination marker is not valid: it must have 1 to 320 characters");
	return 0;
}

/* https://host[/path]: no port, query, fragment or user. */
static int
check_oidc_url(const char *url, struct irsa_error *err)
{
	size_t n = url != NULL ? strlen(url) : 0, host;

	if (n <= 8 || n > 255 || strncmp(url, "https://", 8) != 0)
		goto bad;
	host = strcspn(url + 8, "/");
	if (host == 0 || strcspn(url + 8, ":@") < host || strpbrk(url, "?# ") != NULL)
		goto bad;
	return 0;
bad:
	return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
	                      "OIDC provider URL \"%s\" is not valid: it must be https://host[/path] (no port, query "
	                      "or fragment), up to 255 characters",
	                      url != NULL ? url : "");
}

static int
check_thumbprints(const char *const *t, size_t n, struct irsa_error *err)
{
	size_t i, j;

	if (n > AWS_IAM_MAX_THUMBPRINTS)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "%zu thumbprints given; IAM takes at most %d", n,
		                      AWS_IAM_MAX_THUMBPRINTS);
	for (i = 0; i < n; i++) {
		for (j = 0; t[i] != NULL && isxdigit((unsigned char)t[i][j]); j++)
			;
		if (t[i] == NULL || j != 40 || t[i][j] != '\0')
			return irsa_error_set(
			        err, IRSA_ERR_INVALID_INPUT,
			        "thumbprint \"%s\" is not valid: it must be 40 hexadecimal digits (a SHA-1)",
			        t[i] != NULL ? t[i] : "");
	}
	return 0;
}

static int
check_client_ids(const char *const *c, size_t n, struct irsa_error *err)
{
	size_t i;

	if (n > AWS_IAM_MAX_CLIENT_IDS)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "%zu client IDs given; IAM takes at most %d", n,
		                      AWS_IAM_MAX_CLIENT_IDS);
	for (i = 0; i < n; i++)
		if (c[i] == NULL || c[i][0] == '\0' || strlen(c[i]) > 255)
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "client ID \"%s\" is not valid: it must have 1 to 255 characters",
			                      c[i] != NULL ? c[i] : "");
	return 0;
}

/* --- building requests -------------------------------------------------------- */

static void
add_opt(struct aws_op *op, const char *name, const char *value)
{
	if (value != NULL)
		aws_op_add(op, name, value);
}

static void
add_max_items(struct aws_op *op, int max_items)
{
	if (max_items > 0)
		aws_op_add_int(op, "MaxItems", max_items);
}

static void
add_tags(struct aws_op *op, const struct aws_tag *tags, size_t n)
{
	char name[48];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "Tags.member.%zu.Key", i + 1);
		aws_op_add(op, name, tags[i].key);
		snprintf(name, sizeof(name), "Tags.member.%zu.Value", i + 1);
		aws_op_add(op, name, tags[i].value);
	}
}

static void
add_list(struct aws_op *op, const char *list, const char *const *v, size_t n)
{
	char name[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s.member.%zu", list, i + 1);
		aws_op_add(op, name, v[i]);
	}
}

int
aws_iam_op_list_roles(struct aws_op *op, const char *path_prefix, const char *marker, int max_items,
                      struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "ListRoles");
	if ((path_prefix != NULL && check_role_path_prefix(path_prefix, err) != 0) || check_marker(marker, err) != 0 ||
	    check_max_items(max_items, err) != 0)
		return -1;
	add_opt(op, "PathPrefix", path_prefix);
	add_opt(op, "Marker", marker);
	add_max_items(op, max_items);
	return aws_op_finish(op, err);
}

/* The calls that take a role name and nothing else. */
static int
role_op(struct aws_op *op, const char *name, bool idempotent, const char *role_name, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, name);
	op->idempotent = idempotent;
	if (aws_iam_check_role_name(role_name, err) != 0)
		return -1;
	aws_op_add(op, "RoleName", role_name);
	return aws_op_finish(op, err);
}

int
aws_iam_op_get_role(struct aws_op *op, const char *role_name, struct irsa_error *err)
{
	return role_op(op, "GetRole", true, role_name, err);
}

int
aws_iam_op_delete_role(struct aws_op *op, const char *role_name, struct irsa_error *err)
{
	return role_op(op, "DeleteRole", true, role_name, err);
}

int
aws_iam_op_create_role(struct aws_op *op, const struct aws_iam_create_role *in, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "CreateRole");
	op->idempotent = false;
	if (aws_iam_check_role_name(in->role_name, err) != 0 ||
	    (in->path != NULL && aws_iam_check_path(in->path, err) != 0) ||
	    check_document(in->trust_policy, "trust policy", err) != 0 || check_tags(in->tags, in->n_tags, err) != 0 ||
	    (in->permissions_boundary_arn != NULL &&
	     check_arn(in->permissions_boundary_arn, "permissions boundary", err) != 0))
		return -1;
	if (in->description != NULL && strlen(in->description) > 1000)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the role description has %zu characters; IAM takes at most 1000",
		                      strlen(in->description));
	if (in->max_session_duration != 0 &&
	    (in->max_session_duration < AWS_IAM_MIN_SESSION || in->max_session_duration > AWS_IAM_MAX_SESSION))
		return irsa_error_set(
		        err, IRSA_ERR_INVALID_INPUT,
		        "maximum session duration %ld s is not valid: use %d to %d seconds (1 to 12 hours)",
		        in->max_session_duration, AWS_IAM_MIN_SESSION, AWS_IAM_MAX_SESSION);
	/* botocore's order for the same call (request-bodies.txt). */
	aws_op_add(op, "RoleName", in->role_name);
	add_opt(op, "Path", in->path);
	aws_op_add(op, "AssumeRolePolicyDocument", in->trust_policy);
	add_opt(op, "Description", in->description);
	if (in->max_session_duration != 0)
		aws_op_add_int(op, "MaxSessionDuration", in->max_session_duration);
	add_opt(op, "PermissionsBoundary", in->permissions_boundary_arn);
	add_tags(op, in->tags, in->n_tags);
	return aws_op_finish(op, err);
}

int
aws_iam_op_update_assume_role_policy(struct aws_op *op, const char *role_name, const char *policy_document,
                                     struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "UpdateAssumeRolePolicy");
	if (aws_iam_check_role_name(role_name, err) != 0 || check_document(policy_document, "trust policy", err) != 0)
		return -1;
	aws_op_add(op, "RoleName", role_name);
	aws_op_add(op, "PolicyDocument", policy_document);
	return aws_op_finish(op, err);
}

int
aws_iam_op_tag_role(struct aws_op *op, const char *role_name, const struct aws_tag *tags, size_t n_tags,
                    struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "TagRole");
	if (aws_iam_check_role_name(role_name, err) != 0 || check_tags(tags, n_tags, err) != 0)
		return -1;
	if (n_tags == 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no tags given for role %s", role_name);
	aws_op_add(op, "RoleName", role_name);
	add_tags(op, tags, n_tags);
	return aws_op_finish(op, err);
}

static int
role_policy_arn_op(struct aws_op *op, const char *name, const char *role_name, const char *policy_arn,
                   struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, name);
	if (aws_iam_check_role_name(role_name, err) != 0 || check_arn(policy_arn, "policy ARN", err) != 0)
		return -1;
	aws_op_add(op, "RoleName", role_name);
	aws_op_add(op, "PolicyArn", policy_arn);
	return aws_op_finish(op, err);
}

int
aws_iam_op_attach_role_policy(struct aws_op *op, const char *role_name, const char *policy_arn, struct irsa_error *err)
{
	return role_policy_arn_op(op, "AttachRolePolicy", role_name, policy_arn, err);
}

int
aws_iam_op_detach_role_policy(struct aws_op *op, const char *role_name, const char *policy_arn, struct irsa_error *err)
{
	return role_policy_arn_op(op, "DetachRolePolicy", role_name, policy_arn, err);
}

int
aws_iam_op_list_attached_role_policies(struct aws_op *op, const char *role_name, const char *path_prefix,
                                       const char *marker, int max_items, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "ListAttachedRolePolicies");
	if (aws_iam_check_role_name(role_name, err) != 0 ||
	    (path_prefix != NULL && check_policy_path(path_prefix, err) != 0) || check_marker(marker, err) != 0 ||
	    check_max_items(max_items, err) != 0)
		return -1;
	aws_op_add(op, "RoleName", role_name);
	add_opt(op, "PathPrefix", path_prefix);
	add_opt(op, "Marker", marker);
	add_max_items(op, max_items);
	return aws_op_finish(op, err);
}

int
aws_iam_op_list_role_policies(struct aws_op *op, const char *role_name, const char *marker, int max_items,
                              struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "ListRolePolicies");
	if (aws_iam_check_role_name(role_name, err) != 0 || check_marker(marker, err) != 0 ||
	    check_max_items(max_items, err) != 0)
		return -1;
	aws_op_add(op, "RoleName", role_name);
	add_opt(op, "Marker", marker);
	add_max_items(op, max_items);
	return aws_op_finish(op, err);
}

int
aws_iam_op_get_role_policy(struct aws_op *op, const char *role_name, const char *policy_name, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "GetRolePolicy");
	if (aws_iam_check_role_name(role_name, err) != 0 || check_name(policy_name, 128, "policy name", err) != 0)
		return -1;
	aws_op_add(op, "RoleName", role_name);
	aws_op_add(op, "PolicyName", policy_name);
	return aws_op_finish(op, err);
}

int
aws_iam_op_list_policies(struct aws_op *op, const struct aws_iam_list_policies *in, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "ListPolicies");
	if (in->scope != NULL && strcmp(in->scope, "All") != 0 && strcmp(in->scope, "AWS") != 0 &&
	    strcmp(in->scope, "Local") != 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "policy scope \"%s\" is not valid: use All, AWS or Local", in->scope);
	if (in->usage_filter != NULL && strcmp(in->usage_filter, "PermissionsPolicy") != 0 &&
	    strcmp(in->usage_filter, "PermissionsBoundary") != 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "policy usage filter \"%s\" is not valid: use PermissionsPolicy or "
		                      "PermissionsBoundary",
		                      in->usage_filter);
	if ((in->path_prefix != NULL && check_policy_path(in->path_prefix, err) != 0) ||
	    check_marker(in->marker, err) != 0 || check_max_items(in->max_items, err) != 0)
		return -1;
	add_opt(op, "Scope", in->scope);
	if (in->only_attached)
		aws_op_add_bool(op, "OnlyAttached", true);
	add_opt(op, "PathPrefix", in->path_prefix);
	add_opt(op, "PolicyUsageFilter", in->usage_filter);
	add_opt(op, "Marker", in->marker);
	add_max_items(op, in->max_items);
	return aws_op_finish(op, err);
}

int
aws_iam_op_get_policy(struct aws_op *op, const char *policy_arn, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "GetPolicy");
	if (check_arn(policy_arn, "policy ARN", err) != 0)
		return -1;
	aws_op_add(op, "PolicyArn", policy_arn);
	return aws_op_finish(op, err);
}

/* v[1-9][0-9]*(\.[A-Za-z0-9-]*)? */
static int
check_version_id(const char *v, struct irsa_error *err)
{
	const char *p = v;

	if (p == NULL || *p++ != 'v' || *p < '1' || *p > '9')
		goto bad;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.')
		for (p++; isalnum((unsigned char)*p) || *p == '-'; p++)
			;
	if (*p == '\0')
		return 0;
bad:
	return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
	                      "policy version \"%s\" is not valid: it looks like v1, v2, ...", v != NULL ? v : "");
}

int
aws_iam_op_get_policy_version(struct aws_op *op, const char *policy_arn, const char *version_id, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "GetPolicyVersion");
	if (check_arn(policy_arn, "policy ARN", err) != 0 || check_version_id(version_id, err) != 0)
		return -1;
	aws_op_add(op, "PolicyArn", policy_arn);
	aws_op_add(op, "VersionId", version_id);
	return aws_op_finish(op, err);
}

int
aws_iam_op_list_oidc_providers(struct aws_op *op, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "ListOpenIDConnectProviders");
	return aws_op_finish(op, err);
}

static int
provider_op(struct aws_op *op, const char *name, const char *provider_arn, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, name);
	if (check_arn(provider_arn, "OIDC provider ARN", err) != 0)
		return -1;
	aws_op_add(op, "OpenIDConnectProviderArn", provider_arn);
	return 0;
}

int
aws_iam_op_get_oidc_provider(struct aws_op *op, const char *provider_arn, struct irsa_error *err)
{
	if (provider_op(op, "GetOpenIDConnectProvider", provider_arn, err) != 0)
		return -1;
	return aws_op_finish(op, err);
}

int
aws_iam_op_create_oidc_provider(struct aws_op *op, const char *url, const char *const *client_ids, size_t n_client_ids,
                                const char *const *thumbprints, size_t n_thumbprints, const struct aws_tag *tags,
                                size_t n_tags, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "CreateOpenIDConnectProvider");
	op->idempotent = false;
	if (check_oidc_url(url, err) != 0 || check_client_ids(client_ids, n_client_ids, err) != 0 ||
	    check_thumbprints(thumbprints, n_thumbprints, err) != 0 || check_tags(tags, n_tags, err) != 0)
		return -1;
	aws_op_add(op, "Url", url);
	add_list(op, "ClientIDList", client_ids, n_client_ids);
	add_list(op, "ThumbprintList", thumbprints, n_thumbprints);
	add_tags(op, tags, n_tags);
	return aws_op_finish(op, err);
}

int
aws_iam_op_delete_oidc_provider(struct aws_op *op, const char *provider_arn, struct irsa_error *err)
{
	if (provider_op(op, "DeleteOpenIDConnectProvider", provider_arn, err) != 0)
		return -1;
	return aws_op_finish(op, err);
}

int
aws_iam_op_add_client_id_to_oidc_provider(struct aws_op *op, const char *provider_arn, const char *client_id,
                                          struct irsa_error *err)
{
	if (provider_op(op, "AddClientIDToOpenIDConnectProvider", provider_arn, err) != 0 ||
	    check_client_ids(&client_id, 1, err) != 0) {
		aws_op_release(op);
		return -1;
	}
	aws_op_add(op, "ClientID", client_id);
	return aws_op_finish(op, err);
}

int
aws_iam_op_remove_client_id_from_oidc_provider(struct aws_op *op, const char *provider_arn, const char *client_id,
                                               struct irsa_error *err)
{
	if (provider_op(op, "RemoveClientIDFromOpenIDConnectProvider", provider_arn, err) != 0 ||
	    check_client_ids(&client_id, 1, err) != 0) {
		aws_op_release(op);
		return -1;
	}
	aws_op_add(op, "ClientID", client_id);
	return aws_op_finish(op, err);
}

int
aws_iam_op_update_oidc_provider_thumbprint(struct aws_op *op, const char *provider_arn, const char *const *thumbprints,
                                           size_t n_thumbprints, struct irsa_error *err)
{
	if (provider_op(op, "UpdateOpenIDConnectProviderThumbprint", provider_arn, err) != 0 ||
	    check_thumbprints(thumbprints, n_thumbprints, err) != 0) {
		aws_op_release(op);
		return -1;
	}
	if (n_thumbprints == 0) {
		aws_op_release(op);
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no thumbprint given for %s", provider_arn);
	}
	add_list(op, "ThumbprintList", thumbprints, n_thumbprints);
	return aws_op_finish(op, err);
}

int
aws_iam_op_get_account_summary(struct aws_op *op, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_IAM, "GetAccountSummary");
	return aws_op_finish(op, err);
}

/* --- parsing answers -------------------------------------------------------------- */

/* One parse: the document, the result element and the name used in
 * messages. */
struct answer {
	xmlDoc *doc;
	xmlNode *result;
	char what[96];
};

static int
answer_open(struct answer *a, const struct buf *body, const char *op, bool has_result, struct irsa_error *err)
{
	snprintf(a->what, sizeof(a->what), "the %s answer", op);
	a->result = NULL;
	a->doc = aws_xml_parse(body, a->what, err);
	if (a->doc == NULL)
		return -1;
	a->result = aws_xml_query_result(a->doc, op, has_result, err);
	return a->result != NULL ? 0 : -1;
}

/* Frees the document; passes rc through. */
static int
answer_close(struct answer *a, int rc)
{
	xmlFreeDoc(a->doc);
	a->doc = NULL;
	return rc;
}

static int
oom(const char *what, struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", what);
}

/* Grows an array of size elements to hold n + 1. */
static void *
grow(void *v, size_t n, size_t size)
{
	void *p = realloc(v, (n + 1) * size);

	if (p != NULL)
		memset((char *)p + n * size, 0, size);
	return p;
}

/* <Tags><member><Key/><Value/></member>...</Tags>; absent is empty. */
static int
parse_tags(const xmlNode *list, struct aws_tags *out, const char *what, struct irsa_error *err)
{
	const xmlNode *m = NULL;
	char *key, *value;
	int rc;

	while ((m = aws_xml_next_member(list, m)) != NULL) {
		key = value = NULL;
		rc = aws_xml_str(m, "Key", true, &key, what, err);
		if (rc == 0)
			rc = aws_xml_str(m, "Value", false, &value, what, err);
		if (rc == 0 && aws_tags_add(out, key, value != NULL ? value : "") != 0)
			rc = oom(what, err);
		free(key);
		free(value);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* <List><member>text</member>...</List>; absent is empty. */
static int
parse_strings(const xmlNode *list, struct aws_strings *out, const char *what, struct irsa_error *err)
{
	const xmlNode *m = NULL;
	char *s;
	int rc;

	while ((m = aws_xml_next_member(list, m)) != NULL) {
		if ((s = aws_xml_text(m, NULL)) == NULL)
			return oom(what, err);
		rc = aws_strings_add(out, s);
		free(s);
		if (rc != 0)
			return oom(what, err);
	}
	return 0;
}

/* A policy document element, decoded. */
static int
parse_document(const xmlNode *parent, const char *name, bool required, char **out, bool *is_json, const char *what,
               struct irsa_error *err)
{
	char *raw = NULL;

	*out = NULL;
	if (aws_xml_str(parent, name, required, &raw, what, err) != 0)
		return -1;
	if (raw == NULL)
		return 0;
	*out = aws_iam_policy_decode(raw, is_json);
	free(raw);
	return *out != NULL ? 0 : oom(what, err);
}

static int
parse_role(const xmlNode *n, struct aws_role *r, const char *what, struct irsa_error *err)
{
	const xmlNode *sub;

	if (aws_xml_str(n, "RoleName", true, &r->name, what, err) != 0 ||
	    aws_xml_str(n, "Arn", true, &r->arn, what, err) != 0 ||
	    aws_xml_str(n, "RoleId", false, &r->role_id, what, err) != 0 ||
	    aws_xml_str(n, "Path", false, &r->path, what, err) != 0 ||
	    aws_xml_time(n, "CreateDate", false, &r->created, what, err) != 0 ||
	    aws_xml_str(n, "Description", false, &r->description, what, err) != 0 ||
	    aws_xml_long(n, "MaxSessionDuration", false, &r->max_session_duration, what, err) != 0 ||
	    parse_document(n, "AssumeRolePolicyDocument", false, &r->trust_policy, &r->trust_policy_json, what, err) !=
	            0 ||
	    parse_tags(aws_xml_child(n, "Tags"), &r->tags, what, err) != 0)
		return -1;
	if ((sub = aws_xml_child(n, "PermissionsBoundary")) != NULL &&
	    aws_xml_str(sub, "PermissionsBoundaryArn", false, &r->permissions_boundary_arn, what, err) != 0)
		return -1;
	if ((sub = aws_xml_child(n, "RoleLastUsed")) != NULL &&
	    (aws_xml_time(sub, "LastUsedDate", false, &r->last_used, what, err) != 0 ||
	     aws_xml_str(sub, "Region", false, &r->last_used_region, what, err) != 0))
		return -1;
	return 0;
}

/* The page fields every IAM list answer carries. */
static int
parse_page(const xmlNode *result, bool *truncated, char **marker, const char *what, struct irsa_error *err)
{
	if (aws_xml_bool(result, "IsTruncated", truncated, what, err) != 0 ||
	    aws_xml_str(result, "Marker", false, marker, what, err) != 0)
		return -1;
	if (*truncated && *marker == NULL)
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s says more follows (IsTruncated) but has no <Marker>",
		                      what);
	return 0;
}

int
aws_iam_parse_list_roles(const struct buf *body, struct aws_role_list *out, struct irsa_error *err)
{
	const xmlNode *m = NULL;
	struct answer a;
	void *v;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "ListRoles", true, err) != 0)
		return answer_close(&a, -1);
	while ((m = aws_xml_next_member(aws_xml_child(a.result, "Roles"), m)) != NULL) {
		if ((v = grow(out->v, out->n, sizeof(*out->v))) == NULL)
			return answer_close(&a, oom(a.what, err));
		out->v = v;
		out->n++;
		if (parse_role(m, &out->v[out->n - 1], a.what, err) != 0)
			return answer_close(&a, -1);
	}
	return answer_close(&a, parse_page(a.result, &out->truncated, &out->marker, a.what, err));
}

static int
parse_one_role(const struct buf *body, const char *op, struct aws_role *out, struct irsa_error *err)
{
	struct answer a;
	xmlNode *role;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, op, true, err) != 0)
		return answer_close(&a, -1);
	if ((role = aws_xml_child(a.result, "Role")) == NULL)
		return answer_close(&a, irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks <Role>", a.what));
	return answer_close(&a, parse_role(role, out, a.what, err));
}

int
aws_iam_parse_get_role(const struct buf *body, struct aws_role *out, struct irsa_error *err)
{
	return parse_one_role(body, "GetRole", out, err);
}

int
aws_iam_parse_create_role(const struct buf *body, struct aws_role *out, struct irsa_error *err)
{
	return parse_one_role(body, "CreateRole", out, err);
}

int
aws_iam_parse_list_attached_role_policies(const struct buf *body, struct aws_attached_policy_list *out,
                                          struct irsa_error *err)
{
	const xmlNode *m = NULL;
	struct aws_attached_policy *p;
	struct answer a;
	void *v;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "ListAttachedRolePolicies", true, err) != 0)
		return answer_close(&a, -1);
	while ((m = aws_xml_next_member(aws_xml_child(a.result, "AttachedPolicies"), m)) != NULL) {
		if ((v = grow(out->v, out->n, sizeof(*out->v))) == NULL)
			return answer_close(&a, oom(a.what, err));
		out->v = v;
		p = &out->v[out->n++];
		if (aws_xml_str(m, "PolicyName", false, &p->name, a.what, err) != 0 ||
		    aws_xml_str(m, "PolicyArn", true, &p->arn, a.what, err) != 0)
			return answer_close(&a, -1);
	}
	return answer_close(&a, parse_page(a.result, &out->truncated, &out->marker, a.what, err));
}

int
aws_iam_parse_list_role_policies(const struct buf *body, struct aws_name_list *out, struct irsa_error *err)
{
	struct answer a;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "ListRolePolicies", true, err) != 0 ||
	    parse_strings(aws_xml_child(a.result, "PolicyNames"), &out->names, a.what, err) != 0)
		return answer_close(&a, -1);
	return answer_close(&a, parse_page(a.result, &out->truncated, &out->marker, a.what, err));
}

int
aws_iam_parse_get_role_policy(const struct buf *body, struct aws_role_policy *out, struct irsa_error *err)
{
	struct answer a;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "GetRolePolicy", true, err) != 0 ||
	    aws_xml_str(a.result, "RoleName", false, &out->role_name, a.what, err) != 0 ||
	    aws_xml_str(a.result, "PolicyName", false, &out->policy_name, a.what, err) != 0 ||
	    parse_document(a.result, "PolicyDocument", true, &out->document, &out->document_json, a.what, err) != 0)
		return answer_close(&a, -1);
	return answer_close(&a, 0);
}

static int
parse_policy(const xmlNode *n, struct aws_policy *p, const char *what, struct irsa_error *err)
{
	if (aws_xml_str(n, "PolicyName", false, &p->name, what, err) != 0 ||
	    aws_xml_str(n, "PolicyId", false, &p->id, what, err) != 0 ||
	    aws_xml_str(n, "Arn", true, &p->arn, what, err) != 0 ||
	    aws_xml_str(n, "Path", false, &p->path, what, err) != 0 ||
	    aws_xml_str(n, "DefaultVersionId", false, &p->default_version_id, what, err) != 0 ||
	    aws_xml_str(n, "Description", false, &p->description, what, err) != 0 ||
	    aws_xml_long(n, "AttachmentCount", false, &p->attachment_count, what, err) != 0 ||
	    aws_xml_long(n, "PermissionsBoundaryUsageCount", false, &p->boundary_usage_count, what, err) != 0 ||
	    aws_xml_bool(n, "IsAttachable", &p->is_attachable, what, err) != 0 ||
	    aws_xml_time(n, "CreateDate", false, &p->created, what, err) != 0 ||
	    aws_xml_time(n, "UpdateDate", false, &p->updated, what, err) != 0 ||
	    parse_tags(aws_xml_child(n, "Tags"), &p->tags, what, err) != 0)
		return -1;
	return 0;
}

int
aws_iam_parse_list_policies(const struct buf *body, struct aws_policy_list *out, struct irsa_error *err)
{
	const xmlNode *m = NULL;
	struct answer a;
	void *v;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "ListPolicies", true, err) != 0)
		return answer_close(&a, -1);
	while ((m = aws_xml_next_member(aws_xml_child(a.result, "Policies"), m)) != NULL) {
		if ((v = grow(out->v, out->n, sizeof(*out->v))) == NULL)
			return answer_close(&a, oom(a.what, err));
		out->v = v;
		out->n++;
		if (parse_policy(m, &out->v[out->n - 1], a.what, err) != 0)
			return answer_close(&a, -1);
	}
	return answer_close(&a, parse_page(a.result, &out->truncated, &out->marker, a.what, err));
}

int
aws_iam_parse_get_policy(const struct buf *body, struct aws_policy *out, struct irsa_error *err)
{
	struct answer a;
	xmlNode *n;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "GetPolicy", true, err) != 0)
		return answer_close(&a, -1);
	if ((n = aws_xml_child(a.result, "Policy")) == NULL)
		return answer_close(&a, irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks <Policy>", a.what));
	return answer_close(&a, parse_policy(n, out, a.what, err));
}

int
aws_iam_parse_get_policy_version(const struct buf *body, struct aws_policy_version *out, struct irsa_error *err)
{
	struct answer a;
	xmlNode *n;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "GetPolicyVersion", true, err) != 0)
		return answer_close(&a, -1);
	if ((n = aws_xml_child(a.result, "PolicyVersion")) == NULL)
		return answer_close(&a, irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks <PolicyVersion>", a.what));
	if (parse_document(n, "Document", true, &out->document, &out->document_json, a.what, err) != 0 ||
	    aws_xml_str(n, "VersionId", false, &out->version_id, a.what, err) != 0 ||
	    aws_xml_bool(n, "IsDefaultVersion", &out->is_default, a.what, err) != 0 ||
	    aws_xml_time(n, "CreateDate", false, &out->created, a.what, err) != 0)
		return answer_close(&a, -1);
	return answer_close(&a, 0);
}

int
aws_iam_parse_list_oidc_providers(const struct buf *body, struct aws_strings *arns, struct irsa_error *err)
{
	const xmlNode *m = NULL;
	struct answer a;
	char *arn;
	int rc;

	memset(arns, 0, sizeof(*arns));
	if (answer_open(&a, body, "ListOpenIDConnectProviders", true, err) != 0)
		return answer_close(&a, -1);
	while ((m = aws_xml_next_member(aws_xml_child(a.result, "OpenIDConnectProviderList"), m)) != NULL) {
		if (aws_xml_str(m, "Arn", true, &arn, a.what, err) != 0)
			return answer_close(&a, -1);
		rc = aws_strings_add(arns, arn);
		free(arn);
		if (rc != 0)
			return answer_close(&a, oom(a.what, err));
	}
	return answer_close(&a, 0);
}

int
aws_iam_parse_get_oidc_provider(const struct buf *body, struct aws_oidc_provider *out, struct irsa_error *err)
{
	struct answer a;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "GetOpenIDConnectProvider", true, err) != 0 ||
	    aws_xml_str(a.result, "Url", true, &out->url, a.what, err) != 0 ||
	    parse_strings(aws_xml_child(a.result, "ClientIDList"), &out->client_ids, a.what, err) != 0 ||
	    parse_strings(aws_xml_child(a.result, "ThumbprintList"), &out->thumbprints, a.what, err) != 0 ||
	    aws_xml_time(a.result, "CreateDate", false, &out->created, a.what, err) != 0 ||
	    parse_tags(aws_xml_child(a.result, "Tags"), &out->tags, a.what, err) != 0)
		return answer_close(&a, -1);
	return answer_close(&a, 0);
}

int
aws_iam_parse_create_oidc_provider(const struct buf *body, char **arn, struct irsa_error *err)
{
	struct answer a;

	*arn = NULL;
	if (answer_open(&a, body, "CreateOpenIDConnectProvider", true, err) != 0 ||
	    aws_xml_str(a.result, "OpenIDConnectProviderArn", true, arn, a.what, err) != 0)
		return answer_close(&a, -1);
	return answer_close(&a, 0);
}

/* <SummaryMap><entry><key>Roles</key><value>3</value></entry>...</SummaryMap> */
int
aws_iam_parse_get_account_summary(const struct buf *body, struct aws_account_summary *out, struct irsa_error *err)
{
	const xmlNode *map, *e;
	struct aws_summary_entry *s;
	struct answer a;
	void *v;

	memset(out, 0, sizeof(*out));
	if (answer_open(&a, body, "GetAccountSummary", true, err) != 0)
		return answer_close(&a, -1);
	if ((map = aws_xml_child(a.result, "SummaryMap")) == NULL)
		return answer_close(&a, irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks <SummaryMap>", a.what));
	for (e = map->children; e != NULL; e = e->next) {
		if (e->type != XML_ELEMENT_NODE || strcmp(aws_xml_name(e), "entry") != 0)
			continue;
		if ((v = grow(out->v, out->n, sizeof(*out->v))) == NULL)
			return answer_close(&a, oom(a.what, err));
		out->v = v;
		s = &out->v[out->n++];
		if (aws_xml_str(e, "key", true, &s->key, a.what, err) != 0 ||
		    aws_xml_long(e, "value", true, &s->value, a.what, err) != 0)
			return answer_close(&a, -1);
	}
	return answer_close(&a, 0);
}

int
aws_iam_parse_empty(const struct buf *body, const char *op, struct irsa_error *err)
{
	struct answer a;

	return answer_close(&a, answer_open(&a, body, op, false, err));
}
