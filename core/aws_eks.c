/* core/aws_eks.c - EKS REST-JSON requests and the parsers of their JSON
 * answers (json-c). Owns the structs it fills; no I/O. */
#include "config.h"

#include "aws_eks.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aws_time.h"

void
aws_eks_cluster_list_release(struct aws_eks_cluster_list *l)
{
	aws_strings_release(&l->names);
	free(l->next_token);
	memset(l, 0, sizeof(*l));
}

void
aws_eks_cluster_release(struct aws_eks_cluster *c)
{
	free(c->name);
	free(c->arn);
	free(c->version);
	free(c->status);
	free(c->endpoint);
	free(c->ca_data);
	free(c->oidc_issuer);
	free(c->platform_version);
	free(c->authentication_mode);
	aws_tags_release(&c->tags);
	memset(c, 0, sizeof(*c));
}

/* --- requests ------------------------------------------------------------------- */

int
aws_eks_check_cluster_name(const char *name, struct irsa_error *err)
{
	size_t i, n = name != NULL ? strlen(name) : 0;

	if (n == 0 || n > 100 || !isalnum((unsigned char)name[0]))
		goto bad;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_')
			goto bad;
	return 0;
bad:
	return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
	                      "cluster name \"%s\" is not valid: use 1 to 100 letters, digits, '-' and '_', starting "
	                      "with a letter or digit",
	                      name != NULL ? name : "");
}

int
aws_eks_op_list_clusters(struct aws_op *op, int max_results, const char *next_token, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_EKS, "ListClusters");
	if (max_results < 0 || max_results > AWS_EKS_MAX_RESULTS)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "max results %d is not valid: use 1 to %d",
		                      max_results, AWS_EKS_MAX_RESULTS);
	if (next_token != NULL && next_token[0] == '\0')
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the pagination token is empty");
	aws_op_set_path(op, "GET", "/clusters");
	if (max_results > 0)
		aws_op_add_int(op, "maxResults", max_results);
	if (next_token != NULL)
		aws_op_add(op, "nextToken", next_token);
	return aws_op_finish(op, err);
}

int
aws_eks_op_describe_cluster(struct aws_op *op, const char *name, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_EKS, "DescribeCluster");
	if (aws_eks_check_cluster_name(name, err) != 0)
		return -1;
	aws_op_set_path(op, "GET", "/clusters/{}", name);
	return aws_op_finish(op, err);
}

/* --- answers ---------------------------------------------------------------------- */

/* The body as one JSON object, nothing after it but spaces. */
static struct json_object *
parse_object(const struct buf *body, const char *what, struct irsa_error *err)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error jerr;
	size_t end;

	if (body == NULL || body->len == 0)
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s is empty", what), NULL;
	if (body->len > 0x7fffffff)
		return irsa_error_set(err, IRSA_ERR_LIMIT, "%s is too large to parse", what), NULL;
	if ((tok = json_tokener_new()) == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", what), NULL;
	o = json_tokener_parse_ex(tok, body->data, (int)body->len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o == NULL || jerr != json_tokener_success) {
		json_object_put(o);
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s is not valid JSON (%s at byte %zu)", what,
		                      jerr == json_tokener_continue ? "it ends too early"
		                                                    : json_tokener_error_desc(jerr),
		                      end),
		       NULL;
	}
	while (end < body->len && isspace((unsigned char)body->data[end]))
		end++;
	if (end < body->len || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s is not one JSON object", what), NULL;
	}
	return o;
}

/* A string member: absent and null leave *out NULL; another type is an
 * error. */
static int
get_str(struct json_object *o, const char *key, bool required, char **out, const char *what, struct irsa_error *err)
{
	struct json_object *v;

	*out = NULL;
	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (required)
			return irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks \"%s\"", what, key);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s has a \"%s\" that is not a string", what, key);
	if ((*out = strdup(json_object_get_string(v))) == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", what);
	return 0;
}

/* An object member, or NULL (absent or null); another type is an error. */
static int
get_obj(struct json_object *o, const char *key, struct json_object **out, const char *what, struct irsa_error *err)
{
	struct json_object *v;

	*out = NULL;
	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s has a \"%s\" that is not an object", what, key);
	*out = v;
	return 0;
}

/* A timestamp: epoch seconds as a number (EKS), or an ISO 8601 string. */
static int
get_time(struct json_object *o, const char *key, time_t *out, const char *what, struct irsa_error *err)
{
	struct json_object *v;
	double d;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) {
		d = json_object_get_double(v);
		if (!isfinite(d) || d < 0 || d > 253402300799.0)
			return irsa_error_set(err, IRSA_ERR_PARSE, "%s has a \"%s\" out of range", what, key);
		*out = (time_t)d;
		return 0;
	}
	if (json_object_is_type(v, json_type_string) && aws_parse_time(json_object_get_string(v), out) == 0)
		return 0;
	return irsa_error_set(err, IRSA_ERR_PARSE, "%s has a \"%s\" that is not a time", what, key);
}

int
aws_eks_parse_list_clusters(const struct buf *body, struct aws_eks_cluster_list *out, struct irsa_error *err)
{
	static const char what[] = "the ListClusters answer";
	struct json_object *o, *list, *v;
	size_t i, n;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if ((o = parse_object(body, what, err)) == NULL)
		return -1;
	if (!json_object_object_get_ex(o, "clusters", &list) || list == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks \"clusters\"", what);
		goto done;
	}
	if (!json_object_is_type(list, json_type_array)) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s has a \"clusters\" that is not a list", what);
		goto done;
	}
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(list, i);
		if (!json_object_is_type(v, json_type_string)) {
			irsa_error_set(err, IRSA_ERR_PARSE, "%s lists a cluster that is not a name", what);
			goto done;
		}
		if (aws_strings_add(&out->names, json_object_get_string(v)) != 0) {
			irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", what);
			goto done;
		}
	}
	if (get_str(o, "nextToken", false, &out->next_token, what, err) != 0)
		goto done;
	rc = 0;
done:
	json_object_put(o);
	return rc;
}

static int
parse_tags(struct json_object *o, struct aws_tags *out, const char *what, struct irsa_error *err)
{
	struct json_object *tags;

	if (get_obj(o, "tags", &tags, what, err) != 0)
		return -1;
	if (tags == NULL)
		return 0;
	json_object_object_foreach(tags, key, v)
	{
		if (!json_object_is_type(v, json_type_string))
			return irsa_error_set(err, IRSA_ERR_PARSE, "%s has a tag value that is not a string", what);
		if (aws_tags_add(out, key, json_object_get_string(v)) != 0)
			return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", what);
	}
	return 0;
}

int
aws_eks_parse_describe_cluster(const struct buf *body, struct aws_eks_cluster *out, struct irsa_error *err)
{
	static const char what[] = "the DescribeCluster answer";
	struct json_object *o, *c, *ca, *identity, *oidc, *access;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if ((o = parse_object(body, what, err)) == NULL)
		return -1;
	if (get_obj(o, "cluster", &c, what, err) != 0)
		goto done;
	if (c == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks \"cluster\"", what);
		goto done;
	}
	if (get_str(c, "name", true, &out->name, what, err) != 0 ||
	    get_str(c, "arn", false, &out->arn, what, err) != 0 ||
	    get_str(c, "version", false, &out->version, what, err) != 0 ||
	    get_str(c, "status", false, &out->status, what, err) != 0 ||
	    get_str(c, "endpoint", false, &out->endpoint, what, err) != 0 ||
	    get_str(c, "platformVersion", false, &out->platform_version, what, err) != 0 ||
	    get_time(c, "createdAt", &out->created, what, err) != 0 ||
	    get_obj(c, "certificateAuthority", &ca, what, err) != 0 ||
	    get_str(ca, "data", false, &out->ca_data, what, err) != 0 ||
	    get_obj(c, "identity", &identity, what, err) != 0 || get_obj(identity, "oidc", &oidc, what, err) != 0 ||
	    get_str(oidc, "issuer", false, &out->oidc_issuer, what, err) != 0 ||
	    get_obj(c, "accessConfig", &access, what, err) != 0 ||
	    get_str(access, "authenticationMode", false, &out->authentication_mode, what, err) != 0 ||
	    parse_tags(c, &out->tags, what, err) != 0)
		goto done;
	rc = 0;
done:
	json_object_put(o);
	return rc;
}
