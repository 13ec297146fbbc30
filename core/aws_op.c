/* core/aws_op.c - describing one AWS call: parameters, paths, the botocore
 * encodings of form bodies and query strings, tags and string lists. Owns
 * the strings it copies; no I/O. */
#include "config.h"

#include "aws_op.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigv4.h"

static const char *const query_versions[] = {
        [AWS_SERVICE_IAM] = "2010-05-08",
        [AWS_SERVICE_STS] = "2011-06-15",
        [AWS_SERVICE_EKS] = NULL,
};

void
aws_op_init(struct aws_op *op, enum aws_service service, const char *name)
{
	memset(op, 0, sizeof(*op));
	op->service = service;
	op->name = name;
	op->protocol = service == AWS_SERVICE_EKS ? AWS_PROTOCOL_REST_JSON : AWS_PROTOCOL_QUERY;
	op->version = query_versions[service];
	op->method = op->protocol == AWS_PROTOCOL_QUERY ? "POST" : "GET";
	op->idempotent = true;
	op->sign = true;
}

void
aws_op_release(struct aws_op *op)
{
	enum aws_service service = op->service;
	const char *name = op->name;
	size_t i;

	for (i = 0; i < op->n_params; i++) {
		buf_free_secret(op->params[i].name);
		buf_free_secret(op->params[i].value);
	}
	free(op->params);
	free(op->path);
	buf_free_secret(op->body);
	aws_op_init(op, service, name);
}

int
aws_op_add(struct aws_op *op, const char *name, const char *value)
{
	struct aws_param *p;
	size_t cap;

	if (op->failed)
		return -1;
	if (op->n_params == op->cap_params) {
		cap = op->cap_params ? op->cap_params * 2 : 8;
		p = realloc(op->params, cap * sizeof(*p));
		if (p == NULL)
			goto oom;
		op->params = p;
		op->cap_params = cap;
	}
	p = &op->params[op->n_params];
	p->name = strdup(name);
	p->value = strdup(value);
	if (p->name == NULL || p->value == NULL) {
		free(p->name);
		free(p->value);
		goto oom;
	}
	op->n_params++;
	return 0;
oom:
	op->failed = true;
	return -1;
}

int
aws_op_add_int(struct aws_op *op, const char *name, long value)
{
	char s[32];

	snprintf(s, sizeof(s), "%ld", value);
	return aws_op_add(op, name, s);
}

int
aws_op_add_bool(struct aws_op *op, const char *name, bool value)
{
	return aws_op_add(op, name, value ? "true" : "false");
}

int
aws_op_finish(struct aws_op *op, struct irsa_error *err)
{
	if (!op->failed)
		return 0;
	aws_op_release(op);
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory building the %s request", op->name);
}

const char *
aws_op_param(const struct aws_op *op, const char *name)
{
	size_t i;

	for (i = 0; i < op->n_params; i++)
		if (strcmp(op->params[i].name, name) == 0)
			return op->params[i].value;
	return NULL;
}

int
aws_op_set_path(struct aws_op *op, const char *method, const char *tmpl, ...)
{
	struct buf b;
	const char *p, *label;
	va_list ap;

	buf_init(&b, AWS_OP_MAX_BODY);
	va_start(ap, tmpl);
	for (p = tmpl; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] == '}') {
			label = va_arg(ap, const char *);
			sigv4_uri_encode(&b, label, strlen(label), false);
			p++;
		} else {
			buf_addch(&b, *p);
		}
	}
	va_end(ap);
	if (b.failed) {
		buf_release(&b);
		op->failed = true;
		return -1;
	}
	free(op->path);
	op->path = buf_detach(&b);
	op->method = method;
	if (op->path == NULL) {
		op->failed = true;
		return -1;
	}
	return 0;
}

int
aws_op_set_body(struct aws_op *op, const char *json)
{
	char *copy = strdup(json);

	if (copy == NULL) {
		op->failed = true;
		return -1;
	}
	buf_free_secret(op->body);
	op->body = copy;
	return 0;
}

/* Python's quote_plus with safe="": what urlencode() does to each name and
 * value of a botocore Query body. */
static void
form_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char enc[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		    *p == '.' || *p == '-' || *p == '~') {
			buf_addch(out, (char)*p);
		} else if (*p == ' ') {
			buf_addch(out, '+');
		} else {
			enc[0] = '%';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			buf_add(out, enc, 3);
		}
	}
}

int
aws_op_form_body(const struct aws_op *op, struct buf *out)
{
	size_t i;

	buf_addstr(out, "Action=");
	form_encode(out, op->name);
	buf_addstr(out, "&Version=");
	form_encode(out, op->version != NULL ? op->version : "");
	for (i = 0; i < op->n_params; i++) {
		buf_addch(out, '&');
		form_encode(out, op->params[i].name);
		buf_addch(out, '=');
		form_encode(out, op->params[i].value);
	}
	return out->failed ? -1 : 0;
}

int
aws_op_query_string(const struct aws_op *op, struct buf *out)
{
	const struct aws_param *p;
	size_t i;

	for (i = 0; i < op->n_params; i++) {
		p = &op->params[i];
		if (i > 0)
			buf_addch(out, '&');
		sigv4_uri_encode(out, p->name, strlen(p->name), false);
		buf_addch(out, '=');
		sigv4_uri_encode(out, p->value, strlen(p->value), false);
	}
	return out->failed ? -1 : 0;
}

int
aws_op_target(const struct aws_op *op, struct buf *out)
{
	buf_addstr(out, op->path != NULL ? op->path : "/");
	if (op->protocol == AWS_PROTOCOL_REST_JSON && op->n_params > 0) {
		buf_addch(out, '?');
		aws_op_query_string(op, out);
	}
	return out->failed ? -1 : 0;
}

int
aws_op_body(const struct aws_op *op, struct buf *out)
{
	if (op->protocol == AWS_PROTOCOL_QUERY)
		return aws_op_form_body(op, out);
	if (op->body != NULL)
		buf_addstr(out, op->body);
	return out->failed ? -1 : 0;
}

const char *
aws_op_content_type(const struct aws_op *op)
{
	if (op->protocol == AWS_PROTOCOL_QUERY)
		return AWS_FORM_CONTENT_TYPE;
	return op->body != NULL ? AWS_JSON_CONTENT_TYPE : NULL;
}

char *
aws_op_action(const struct aws_op *op, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s:%s", aws_service_name(op->service), op->name != NULL ? op->name : "?");
	return out;
}

/* Which parameters name the object, most specific first. */
static const struct {
	const char *param;
	const char *noun;
} object_params[] = {
        {"OpenIDConnectProviderArn", "OIDC provider"},
        {"Url", "OIDC provider"},
        {"PolicyArn", "policy"},
        {"RoleArn", "role"},
};

char *
aws_op_object(const struct aws_op *op, char *out, size_t outsz)
{
	const char *role = aws_op_param(op, "RoleName"), *v;
	const char *policy = aws_op_param(op, "PolicyName");
	size_t i;

	out[0] = '\0';
	if (op->protocol == AWS_PROTOCOL_REST_JSON) {
		if (op->path != NULL && strncmp(op->path, "/clusters/", 10) == 0)
			snprintf(out, outsz, "cluster %.*s", (int)strcspn(op->path + 10, "/"), op->path + 10);
		return out;
	}
	v = aws_op_param(op, "PolicyArn");
	if (role != NULL && policy != NULL)
		snprintf(out, outsz, "inline policy %s of role %s", policy, role);
	else if (role != NULL && v != NULL)
		snprintf(out, outsz, "role %s or policy %s", role, v);
	else if (role != NULL)
		snprintf(out, outsz, "role %s", role);
	else
		for (i = 0; i < sizeof(object_params) / sizeof(object_params[0]); i++)
			if ((v = aws_op_param(op, object_params[i].param)) != NULL) {
				snprintf(out, outsz, "%s %s", object_params[i].noun, v);
				break;
			}
	return out;
}

int
aws_tags_add(struct aws_tags *t, const char *key, const char *value)
{
	struct aws_tag *v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	t->v = v;
	v[t->n].key = strdup(key);
	v[t->n].value = strdup(value);
	if (v[t->n].key == NULL || v[t->n].value == NULL) {
		free(v[t->n].key);
		free(v[t->n].value);
		return -1;
	}
	t->n++;
	return 0;
}

const char *
aws_tags_get(const struct aws_tags *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, key) == 0)
			return t->v[i].value;
	return NULL;
}

void
aws_tags_release(struct aws_tags *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].value);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int
aws_strings_add(struct aws_strings *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	l->v = v;
	if ((v[l->n] = strdup(s)) == NULL)
		return -1;
	l->n++;
	return 0;
}

void
aws_strings_release(struct aws_strings *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
