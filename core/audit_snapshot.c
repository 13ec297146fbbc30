/* core/audit_snapshot.c - the audit's input as JSON (audit.h): recorded API
 * answers in the shapes the APIs, the aws CLI's JSON output and `kubectl get
 * -o json` give them (docs/audit-snapshot.md). The reader is strict on types
 * and names the JSON path of a bad member ("clusters[0].serviceAccounts.
 * items[3].metadata.name: missing"); absent optional members are fine and
 * unknown members are ignored, so a recorded answer can be pasted whole.
 * Policy documents may be objects or URL-encoded strings (as IAM sends
 * them); both are kept as JSON text. The writer writes every field the
 * reader reads, so that a round trip gives the same findings.
 * Pure: no I/O. */
#include "config.h"

#include "audit.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws_time.h"
#include "buf.h"
#include "iam.h"
#include "sigv4.h"

#define SNAPSHOT_VERSION 1
#define PATH_MAX_LEN     384
#define JSON_FLAGS       (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* --- reading: helpers ---------------------------------------------------------- */

/* IRSA_ERR_PARSE "PATH: what". Returns -1. */
static int __attribute__((format(printf, 3, 4))) bad(struct irsa_error *err, const char *path, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return irsa_error_set(err, IRSA_ERR_PARSE, "snapshot: %s: %s", path, what);
}

static const char *
type_name(json_type t)
{
	switch (t) {
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	case json_type_int:
		return "an integer";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a number";
	default:
		return "null";
	}
}

/* Appends s to out (of PATH_MAX_LEN bytes, len used), truncating. */
static size_t
path_add(char *out, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n > PATH_MAX_LEN - 1 - len)
		n = PATH_MAX_LEN - 1 - len;
	memmove(out + len, s, n);
	out[len + n] = '\0';
	return len + n;
}

/* out = path + "." + key, or path + "[i]" when key is NULL. out may not be path. */
static void
child(char *out, const char *path, const char *key, size_t i)
{
	char idx[32];
	size_t len = path_add(out, 0, path);

	if (key == NULL) {
		snprintf(idx, sizeof(idx), "[%zu]", i);
		path_add(out, len, idx);
		return;
	}
	if (len > 0)
		len = path_add(out, len, ".");
	path_add(out, len, key);
}

/* Member key of o with type t in *out: NULL when absent or null (an error
 * when required). Returns 0, or -1 with err set. */
static int
member(struct json_object *o, const char *key, json_type t, bool required, const char *path, struct json_object **out,
       struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *v = NULL;

	*out = NULL;
	child(p, path, key, 0);
	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (required)
			return bad(err, p, "missing");
		return 0;
	}
	if (!json_object_is_type(v, t))
		return bad(err, p, "must be %s, not %s", type_name(t), type_name(json_object_get_type(v)));
	*out = v;
	return 0;
}

/* A copy of string member key in *out (NULL when absent). */
static int
take_str(struct json_object *o, const char *key, bool required, const char *path, char **out, struct irsa_error *err)
{
	struct json_object *v;

	*out = NULL;
	if (member(o, key, json_type_string, required, path, &v, err) != 0)
		return -1;
	if (v != NULL && (*out = strdup(json_object_get_string(v))) == NULL)
		return irsa_error_oom(err);
	return 0;
}

/* Array v of strings appended to out. */
static int
take_strings(struct json_object *v, const char *path, struct aws_strings *out, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];

	for (size_t i = 0; v != NULL && i < json_object_array_length(v); i++) {
		struct json_object *s = json_object_array_get_idx(v, i);

		if (!json_object_is_type(s, json_type_string)) {
			child(p, path, NULL, i);
			return bad(err, p, "must be a string, not %s", type_name(json_object_get_type(s)));
		}
		if (aws_strings_add(out, json_object_get_string(s)) != 0)
			return irsa_error_oom(err);
	}
	return 0;
}

/* String array member key of o into out; *present says whether it was there. */
static int
take_string_array(struct json_object *o, const char *key, const char *path, struct aws_strings *out, bool *present,
                  struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *v;

	if (member(o, key, json_type_array, false, path, &v, err) != 0)
		return -1;
	if (present != NULL)
		*present = v != NULL;
	child(p, path, key, 0);
	return take_strings(v, p, out, err);
}

/* A policy document: an object (serialised) or a string, plain or
 * URL-encoded JSON (as IAM sends it: aws_iam_policy_decode()). null leaves
 * *out NULL when may_be_null. */
static int
take_doc(struct json_object *v, bool may_be_null, const char *path, char **out, struct irsa_error *err)
{
	bool is_json;

	*out = NULL;
	if (v == NULL && may_be_null)
		return 0;
	if (json_object_is_type(v, json_type_object)) {
		if ((*out = strdup(json_object_to_json_string_ext(v, JSON_FLAGS))) == NULL)
			return irsa_error_oom(err);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return bad(err, path, "must be a policy document (an object or a URL-encoded string), not %s",
		           type_name(json_object_get_type(v)));
	if ((*out = aws_iam_policy_decode(json_object_get_string(v), &is_json)) == NULL)
		return irsa_error_oom(err);
	if (!is_json) {
		free(*out);
		*out = NULL;
		return bad(err, path, "not a policy document: neither JSON nor URL-encoded JSON");
	}
	return 0;
}

/* An optional ISO 8601 date member; 0 when absent. */
static int
take_time(struct json_object *o, const char *key, const char *path, time_t *out, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *v;

	*out = 0;
	if (member(o, key, json_type_string, false, path, &v, err) != 0)
		return -1;
	if (v != NULL && aws_parse_time(json_object_get_string(v), out) != 0) {
		child(p, path, key, 0);
		return bad(err, p, "\"%s\" is not an ISO 8601 date", json_object_get_string(v));
	}
	return 0;
}

/* --- reading: IAM --------------------------------------------------------------- */

/* The roles sorted by name, for the per-role maps. */
struct role_entry {
	const char *name;
	size_t i; /* in in->roles */
};

struct role_index {
	struct role_entry *v;
	size_t n;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct role_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

static int
role_index_init(struct role_index *ix, const struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];

	ix->n = in->n_roles;
	if ((ix->v = calloc(in->n_roles > 0 ? in->n_roles : 1, sizeof(*ix->v))) == NULL)
		return irsa_error_oom(err);
	for (size_t i = 0; i < in->n_roles; i++)
		ix->v[i] = (struct role_entry){in->roles[i].name, i};
	qsort(ix->v, ix->n, sizeof(*ix->v), entry_cmp);
	for (size_t i = 1; i < ix->n; i++)
		if (strcmp(ix->v[i].name, ix->v[i - 1].name) == 0) {
			snprintf(p, sizeof(p), "roles[%zu].RoleName", ix->v[i].i);
			return bad(err, p, "\"%s\" is roles[%zu]'s already (names are unique in an account)",
			           ix->v[i].name, ix->v[i - 1].i);
		}
	return 0;
}

/* The index in roles of the role called name, or -1. */
static long
role_index_find(const struct role_index *ix, const char *name)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, ix->v[mid].name);

		if (c == 0)
			return (long)ix->v[mid].i;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int
read_role(struct json_object *o, const char *path, struct aws_role *r, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *v, *pb, *tags, *last;

	if (!json_object_is_type(o, json_type_object))
		return bad(err, path, "must be an object (a role as ListRoles gives it)");
	if (take_str(o, "RoleName", true, path, &r->name, err) != 0 ||
	    take_str(o, "Arn", true, path, &r->arn, err) != 0 ||
	    take_str(o, "RoleId", false, path, &r->role_id, err) != 0 ||
	    take_str(o, "Path", false, path, &r->path, err) != 0 ||
	    take_str(o, "Description", false, path, &r->description, err) != 0 ||
	    take_time(o, "CreateDate", path, &r->created, err) != 0)
		return -1;
	if (member(o, "MaxSessionDuration", json_type_int, false, path, &v, err) != 0)
		return -1;
	r->max_session_duration = v != NULL ? (long)json_object_get_int64(v) : 0;
	child(p, path, "AssumeRolePolicyDocument", 0);
	if (!json_object_object_get_ex(o, "AssumeRolePolicyDocument", &v) || v == NULL)
		return bad(err, p, "missing");
	if (take_doc(v, false, p, &r->trust_policy, err) != 0)
		return -1;
	r->trust_policy_json = true;
	if (member(o, "PermissionsBoundary", json_type_object, false, path, &pb, err) != 0)
		return -1;
	child(p, path, "PermissionsBoundary", 0);
	if (pb != NULL && take_str(pb, "PermissionsBoundaryArn", true, p, &r->permissions_boundary_arn, err) != 0)
		return -1;
	if (member(o, "Tags", json_type_array, false, path, &tags, err) != 0)
		return -1;
	for (size_t i = 0; tags != NULL && i < json_object_array_length(tags); i++) {
		struct json_object *t = json_object_array_get_idx(tags, i), *k, *val;
		char tp[PATH_MAX_LEN];

		child(p, path, "Tags", 0);
		child(tp, p, NULL, i);
		if (!json_object_is_type(t, json_type_object))
			return bad(err, tp, "must be an object {\"Key\", \"Value\"}");
		if (member(t, "Key", json_type_string, true, tp, &k, err) != 0 ||
		    member(t, "Value", json_type_string, true, tp, &val, err) != 0)
			return -1;
		if (aws_tags_add(&r->tags, json_object_get_string(k), json_object_get_string(val)) != 0)
			return irsa_error_oom(err);
	}
	if (member(o, "RoleLastUsed", json_type_object, false, path, &last, err) != 0)
		return -1;
	child(p, path, "RoleLastUsed", 0);
	if (last != NULL && (take_time(last, "LastUsedDate", p, &r->last_used, err) != 0 ||
	                     take_str(last, "Region", false, p, &r->last_used_region, err) != 0))
		return -1;
	return 0;
}

static int
read_roles(struct json_object *top, struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *roles;
	size_t n;

	if (member(top, "roles", json_type_array, false, "", &roles, err) != 0)
		return -1;
	n = roles != NULL ? json_object_array_length(roles) : 0;
	in->roles = calloc(n > 0 ? n : 1, sizeof(*in->roles));
	in->role_policies = calloc(n > 0 ? n : 1, sizeof(*in->role_policies));
	if (in->roles == NULL || in->role_policies == NULL)
		return irsa_error_oom(err);
	in->n_roles = n;
	for (size_t i = 0; i < n; i++) {
		child(p, "roles", NULL, i);
		if (read_role(json_object_array_get_idx(roles, i), p, &in->roles[i], err) != 0)
			return -1;
	}
	return 0;
}

/* The role the map member key names: its index, or an error naming path. */
static int
map_role(const struct role_index *ix, const char *key, const char *path, size_t *i, struct irsa_error *err)
{
	long k = role_index_find(ix, key);

	if (k < 0)
		return bad(err, path, "no role \"%s\" in roles", key);
	*i = (size_t)k;
	return 0;
}

static int
read_attached(struct json_object *top, const struct role_index *ix, struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN], ip[PATH_MAX_LEN];
	struct json_object *map, *arn;
	size_t r = 0;

	if (member(top, "attachedRolePolicies", json_type_object, false, "", &map, err) != 0)
		return -1;
	if (map == NULL)
		return 0;
	json_object_object_foreach(map, key, list)
	{
		child(p, "attachedRolePolicies", key, 0);
		if (map_role(ix, key, p, &r, err) != 0)
			return -1;
		if (!json_object_is_type(list, json_type_array))
			return bad(err, p, "must be an array (AttachedPolicies), not %s",
			           type_name(json_object_get_type(list)));
		in->role_policies[r].known = true;
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *a = json_object_array_get_idx(list, i);

			child(ip, p, NULL, i);
			if (!json_object_is_type(a, json_type_object))
				return bad(err, ip, "must be an object {\"PolicyName\", \"PolicyArn\"}");
			if (member(a, "PolicyArn", json_type_string, true, ip, &arn, err) != 0)
				return -1;
			if (aws_strings_add(&in->role_policies[r].attached, json_object_get_string(arn)) != 0)
				return irsa_error_oom(err);
		}
	}
	return 0;
}

static int
read_inline(struct json_object *top, const struct role_index *ix, struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN], ip[PATH_MAX_LEN];
	struct json_object *map;
	size_t r = 0;

	if (member(top, "rolePolicies", json_type_object, false, "", &map, err) != 0)
		return -1;
	if (map == NULL)
		return 0;
	json_object_object_foreach(map, key, docs)
	{
		struct audit_role_policies *rp;

		child(p, "rolePolicies", key, 0);
		if (map_role(ix, key, p, &r, err) != 0)
			return -1;
		if (!json_object_is_type(docs, json_type_object))
			return bad(err, p, "must be an object {\"POLICY_NAME\": document}, not %s",
			           type_name(json_object_get_type(docs)));
		rp = &in->role_policies[r];
		if (rp->inline_doc != NULL)
			return bad(err, p, "role \"%s\" listed twice", key);
		rp->inline_doc = calloc((size_t)json_object_object_length(docs) + 1, sizeof(*rp->inline_doc));
		if (rp->inline_doc == NULL)
			return irsa_error_oom(err);
		json_object_object_foreach(docs, name, doc)
		{
			child(ip, p, name, 0);
			if (aws_strings_add(&rp->inline_name, name) != 0)
				return irsa_error_oom(err);
			if (take_doc(doc, true, ip, &rp->inline_doc[rp->inline_name.n - 1], err) != 0)
				return -1;
		}
	}
	return 0;
}

static int
read_role_errors(struct json_object *top, const struct role_index *ix, struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *map;
	size_t r = 0;

	if (member(top, "roleErrors", json_type_object, false, "", &map, err) != 0)
		return -1;
	if (map == NULL)
		return 0;
	json_object_object_foreach(map, key, why)
	{
		child(p, "roleErrors", key, 0);
		if (map_role(ix, key, p, &r, err) != 0)
			return -1;
		if (!json_object_is_type(why, json_type_string))
			return bad(err, p, "must be a string, not %s", type_name(json_object_get_type(why)));
		free(in->role_policies[r].error);
		if ((in->role_policies[r].error = strdup(json_object_get_string(why))) == NULL)
			return irsa_error_oom(err);
	}
	return 0;
}

static int
read_policies(struct json_object *top, struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN], dp[PATH_MAX_LEN];
	struct json_object *list, *doc = NULL;
	size_t n;

	if (member(top, "policies", json_type_array, false, "", &list, err) != 0)
		return -1;
	n = list != NULL ? json_object_array_length(list) : 0;
	if ((in->policies = calloc(n > 0 ? n : 1, sizeof(*in->policies))) == NULL)
		return irsa_error_oom(err);
	in->n_policies = n;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(list, i);
		struct audit_policy *pol = &in->policies[i];

		child(p, "policies", NULL, i);
		if (!json_object_is_type(o, json_type_object))
			return bad(err, p, "must be an object (a managed policy)");
		if (take_str(o, "Arn", true, p, &pol->arn, err) != 0 ||
		    take_str(o, "PolicyName", false, p, &pol->name, err) != 0 ||
		    take_str(o, "DefaultVersionId", false, p, &pol->default_version, err) != 0 ||
		    take_str(o, "Error", false, p, &pol->error, err) != 0)
			return -1;
		child(dp, p, "Document", 0);
		doc = NULL;
		json_object_object_get_ex(o, "Document", &doc);
		if (take_doc(doc, true, dp, &pol->document, err) != 0)
			return -1;
	}
	return 0;
}

static int
read_providers(struct json_object *top, struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *list;
	size_t n;

	if (member(top, "openIDConnectProviders", json_type_array, false, "", &list, err) != 0)
		return -1;
	n = list != NULL ? json_object_array_length(list) : 0;
	if ((in->providers = calloc(n > 0 ? n : 1, sizeof(*in->providers))) == NULL)
		return irsa_error_oom(err);
	in->n_providers = n;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(list, i);
		struct audit_provider *pr = &in->providers[i];

		child(p, "openIDConnectProviders", NULL, i);
		if (!json_object_is_type(o, json_type_object))
			return bad(err, p,
			           "must be an object {\"Arn\", \"Url\", \"ClientIDList\", \"ThumbprintList\"}");
		if (take_str(o, "Arn", true, p, &pr->arn, err) != 0 ||
		    take_str(o, "Url", false, p, &pr->url, err) != 0 ||
		    take_string_array(o, "ClientIDList", p, &pr->client_ids, NULL, err) != 0 ||
		    take_string_array(o, "ThumbprintList", p, &pr->thumbprints, NULL, err) != 0)
			return -1;
		pr->detail_known = pr->url != NULL;
	}
	return 0;
}

static int
read_summary(struct json_object *top, struct audit_input *in, struct irsa_error *err)
{
	struct json_object *s, *v;

	if (member(top, "accountSummary", json_type_object, false, "", &s, err) != 0)
		return -1;
	if (s == NULL)
		return 0;
	if (member(s, "AssumeRolePolicySizeQuota", json_type_int, false, "accountSummary", &v, err) != 0)
		return -1;
	in->trust_quota = v != NULL ? (long)json_object_get_int64(v) : 0;
	if (member(s, "AttachedPoliciesPerRoleQuota", json_type_int, false, "accountSummary", &v, err) != 0)
		return -1;
	in->attached_quota = v != NULL ? (long)json_object_get_int64(v) : 0;
	return 0;
}

/* --- reading: clusters ------------------------------------------------------------ */

static const struct {
	const char *kind;
	enum kube_kind k;
} kinds[] = {
        {"ServiceAccount", KUBE_SERVICE_ACCOUNT},
        {"Pod", KUBE_POD},
        {"Deployment", KUBE_DEPLOYMENT},
        {"StatefulSet", KUBE_STATEFULSET},
        {"DaemonSet", KUBE_DAEMONSET},
};

static int
kind_find(const char *name, enum kube_kind *out)
{
	for (size_t i = 0; name != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, name) == 0) {
			*out = kinds[i].k;
			return 0;
		}
	return -1;
}

/* One list item: checked, given its kind and apiVersion when it lacks them
 * (a raw API list leaves them out of its items), read into o. lo..hi: the
 * kinds the list may hold. list_kind: the list's kind minus "List", or NULL. */
static int
read_item(struct json_object *item, const char *path, const char *list_kind, enum kube_kind lo, enum kube_kind hi,
          struct kube_object *o, struct irsa_error *err)
{
	char p[PATH_MAX_LEN], ap[PATH_MAX_LEN], ap2[PATH_MAX_LEN];
	struct json_object *md, *v, *ann, *copy = NULL;
	const char *kind;
	enum kube_kind k;
	int rc;

	if (!json_object_is_type(item, json_type_object))
		return bad(err, path, "must be an object, not %s", type_name(json_object_get_type(item)));
	if (member(item, "kind", json_type_string, false, path, &v, err) != 0 ||
	    member(item, "apiVersion", json_type_string, false, path, &v, err) != 0 ||
	    member(item, "metadata", json_type_object, true, path, &md, err) != 0)
		return -1;
	child(p, path, "metadata", 0);
	if (member(md, "name", json_type_string, true, p, &v, err) != 0 ||
	    member(md, "namespace", json_type_string, false, p, &v, err) != 0 ||
	    member(md, "annotations", json_type_object, false, p, &v, err) != 0 ||
	    member(md, "labels", json_type_object, false, p, &v, err) != 0)
		return -1;
	if (*json_object_get_string(json_object_object_get(md, "name")) == '\0') {
		child(ap, p, "name", 0);
		return bad(err, ap, "empty");
	}
	ann = json_object_object_get(md, "annotations");
	if (ann != NULL) {
		json_object_object_foreach(ann, key, val)
		{
			if (json_object_is_type(val, json_type_string))
				continue;
			child(ap, p, "annotations", 0);
			child(ap2, ap, key, 0);
			return bad(err, ap2, "must be a string, not %s", type_name(json_object_get_type(val)));
		}
	}
	kind = json_object_get_string(json_object_object_get(item, "kind"));
	if (json_object_object_get(item, "kind") == NULL)
		kind = list_kind;
	if (kind == NULL) {
		if (lo != hi)
			return bad(err, (child(p, path, "kind", 0), p), "missing (and the list's kind is \"List\")");
		k = lo;
	} else if (kind_find(kind, &k) != 0 || k < lo || k > hi) {
		child(p, path, "kind", 0);
		return bad(err, p, "\"%s\" does not belong in this list (%s%s)", kind, kube_resource(lo)->kind,
		           lo != hi ? ", StatefulSet or DaemonSet" : "");
	}
	if (json_object_object_get(item, "kind") == NULL || json_object_object_get(item, "apiVersion") == NULL) {
		if (json_object_deep_copy(item, &copy, NULL) != 0)
			return irsa_error_oom(err);
		if (json_object_object_get(copy, "kind") == NULL)
			json_object_object_add(copy, "kind", json_object_new_string(kube_resource(k)->kind));
		if (json_object_object_get(copy, "apiVersion") == NULL)
			json_object_object_add(copy, "apiVersion",
			                       json_object_new_string(kube_resource(k)->api_version));
		item = copy;
	}
	rc = kube_object_from_json(item, k, o, err);
	json_object_put(copy);
	if (rc != 0)
		irsa_error_prefix(err, "snapshot: %s", path);
	return rc;
}

/* A v1 List (kubectl get -o json, or the API's own XList) at key. */
static int
read_list(struct json_object *c, const char *key, const char *path, enum kube_kind lo, enum kube_kind hi,
          struct kube_object_list *out, bool *present, struct irsa_error *err)
{
	char p[PATH_MAX_LEN], lp[PATH_MAX_LEN], ip[PATH_MAX_LEN], list_kind[64];
	struct json_object *list, *items, *kind;
	size_t n;

	if (member(c, key, json_type_object, false, path, &list, err) != 0)
		return -1;
	*present = list != NULL;
	if (list == NULL)
		return 0;
	child(p, path, key, 0);
	if (member(list, "kind", json_type_string, false, p, &kind, err) != 0 ||
	    member(list, "items", json_type_array, true, p, &items, err) != 0)
		return -1;
	list_kind[0] = '\0';
	if (kind != NULL) {
		const char *s = json_object_get_string(kind);
		size_t len = strlen(s);

		if (len < 4 || strcmp(s + len - 4, "List") != 0 || len - 4 >= sizeof(list_kind))
			return bad(err, (child(ip, p, "kind", 0), ip), "\"%s\" is not a list kind", s);
		memcpy(list_kind, s, len - 4);
		list_kind[len - 4] = '\0';
	}
	n = json_object_array_length(items);
	if ((out->v = calloc(n > 0 ? n : 1, sizeof(*out->v))) == NULL)
		return irsa_error_oom(err);
	child(lp, p, "items", 0);
	for (size_t i = 0; i < n; i++) {
		child(ip, lp, NULL, i);
		if (read_item(json_object_array_get_idx(items, i), ip, list_kind[0] != '\0' ? list_kind : NULL, lo, hi,
		              &out->v[i], err) != 0)
			return -1;
		out->n++;
	}
	return 0;
}

static int
read_cluster(struct json_object *o, const char *path, struct audit_cluster *c, struct irsa_error *err)
{
	char p[PATH_MAX_LEN], ip[PATH_MAX_LEN], op[PATH_MAX_LEN];
	struct json_object *eks, *identity = NULL, *oidc = NULL;
	bool present;

	if (!json_object_is_type(o, json_type_object))
		return bad(err, path, "must be an object {\"region\", \"cluster\", ...}");
	if (take_str(o, "region", true, path, &c->region, err) != 0 ||
	    take_str(o, "context", false, path, &c->context, err) != 0 ||
	    take_str(o, "thumbprint", false, path, &c->thumbprint, err) != 0 ||
	    take_str(o, "thumbprintError", false, path, &c->thumbprint_error, err) != 0 ||
	    take_str(o, "kubeError", false, path, &c->kube_error, err) != 0 ||
	    member(o, "cluster", json_type_object, true, path, &eks, err) != 0)
		return -1;
	child(p, path, "cluster", 0);
	if (take_str(eks, "name", true, p, &c->name, err) != 0 || take_str(eks, "arn", false, p, &c->arn, err) != 0 ||
	    member(eks, "identity", json_type_object, false, p, &identity, err) != 0)
		return -1;
	child(ip, p, "identity", 0);
	if (identity != NULL && member(identity, "oidc", json_type_object, false, ip, &oidc, err) != 0)
		return -1;
	child(op, ip, "oidc", 0);
	if (oidc != NULL && take_str(oidc, "issuer", false, op, &c->issuer, err) != 0)
		return -1;
	if (c->arn != NULL && c->issuer != NULL &&
	    (c->provider_arn = iam_cluster_provider_arn(c->arn, c->issuer)) == NULL)
		return bad(err, (child(ip, p, "arn", 0), ip), "\"%s\" is not an EKS cluster ARN", c->arn);
	if (read_list(o, "serviceAccounts", path, KUBE_SERVICE_ACCOUNT, KUBE_SERVICE_ACCOUNT, &c->sas, &c->kube_known,
	              err) != 0 ||
	    read_list(o, "pods", path, KUBE_POD, KUBE_POD, &c->pods, &present, err) != 0 ||
	    read_list(o, "workloads", path, KUBE_DEPLOYMENT, KUBE_DAEMONSET, &c->workloads, &present, err) != 0)
		return -1;
	return 0;
}

static int
read_clusters(struct json_object *top, struct audit_input *in, struct irsa_error *err)
{
	char p[PATH_MAX_LEN];
	struct json_object *list;
	size_t n;

	if (member(top, "clusters", json_type_array, false, "", &list, err) != 0)
		return -1;
	n = list != NULL ? json_object_array_length(list) : 0;
	if ((in->clusters = calloc(n > 0 ? n : 1, sizeof(*in->clusters))) == NULL)
		return irsa_error_oom(err);
	in->n_clusters = n;
	for (size_t i = 0; i < n; i++) {
		child(p, "clusters", NULL, i);
		if (read_cluster(json_object_array_get_idx(list, i), p, &in->clusters[i], err) != 0)
			return -1;
	}
	return 0;
}

static int
read_top(struct json_object *obj, struct audit_input *in, struct irsa_error *err)
{
	struct json_object *v;
	struct role_index ix = {0};
	int rc;

	if (!json_object_is_type(obj, json_type_object))
		return irsa_error_set(err, IRSA_ERR_PARSE, "snapshot: not a JSON object");
	if (member(obj, "irsaSnapshot", json_type_int, true, "", &v, err) != 0) {
		irsa_error_hint(err, "an audit snapshot starts {\"irsaSnapshot\": %d, ...}: see docs/audit-snapshot.md",
		                SNAPSHOT_VERSION);
		return -1;
	}
	if (json_object_get_int64(v) != SNAPSHOT_VERSION)
		return bad(err, "irsaSnapshot", "version %lld is not one this irsa reads (%d)",
		           (long long)json_object_get_int64(v), SNAPSHOT_VERSION);
	if (take_str(obj, "account", true, "", &in->account, err) != 0 ||
	    take_str(obj, "arnPrefix", false, "", &in->arn_prefix, err) != 0)
		return -1;
	if (strlen(in->account) != 12 || strspn(in->account, "0123456789") != 12)
		return bad(err, "account", "\"%s\" is not a 12-digit account id", in->account);
	if (in->arn_prefix == NULL && (in->arn_prefix = strdup("arn:aws:")) == NULL)
		return irsa_error_oom(err);
	if (read_summary(obj, in, err) != 0 || read_roles(obj, in, err) != 0)
		return -1;
	if (role_index_init(&ix, in, err) != 0) {
		free(ix.v);
		return -1;
	}
	rc = read_attached(obj, &ix, in, err) != 0 || read_inline(obj, &ix, in, err) != 0 ||
	     read_role_errors(obj, &ix, in, err) != 0;
	free(ix.v);
	if (rc != 0 || read_policies(obj, in, err) != 0 || read_providers(obj, in, err) != 0 ||
	    take_string_array(obj, "liveIssuers", "", &in->live_issuers, &in->live_issuers_known, err) != 0 ||
	    take_string_array(obj, "readErrors", "", &in->read_errors, NULL, err) != 0 ||
	    take_str(obj, "rolesError", false, "", &in->roles_error, err) != 0 ||
	    take_str(obj, "providersError", false, "", &in->providers_error, err) != 0 ||
	    read_clusters(obj, in, err) != 0)
		return -1;
	return 0;
}

int
audit_snapshot_from_json(struct json_object *obj, struct audit_input *in, struct irsa_error *err)
{
	struct irsa_error local;

	if (err == NULL)
		err = &local;
	irsa_error_clear(err);
	audit_input_init(in);
	return read_top(obj, in, err);
}

/* --- writing ------------------------------------------------------------------------ */

/* Adds string s as key to o when s is not NULL. Returns false when out of memory. */
static bool
put_str(struct json_object *o, const char *key, const char *s)
{
	struct json_object *v;

	if (s == NULL)
		return true;
	if ((v = json_object_new_string(s)) == NULL)
		return false;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return false;
	}
	return true;
}

static bool
put(struct json_object *o, const char *key, struct json_object *v)
{
	if (v == NULL)
		return false;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return false;
	}
	return true;
}

static bool
push(struct json_object *a, struct json_object *v)
{
	if (v == NULL)
		return false;
	if (json_object_array_add(a, v) != 0) {
		json_object_put(v);
		return false;
	}
	return true;
}

static struct json_object *
strings_json(const struct aws_strings *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a != NULL && i < l->n; i++)
		if (!push(a, json_object_new_string(l->v[i]))) {
			json_object_put(a);
			return NULL;
		}
	return a;
}

/* "2024-01-02T03:04:05+00:00", as the aws CLI prints dates. */
static struct json_object *
time_json(time_t t)
{
	char s[40];
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S+00:00", &tm) == 0)
		return NULL;
	return json_object_new_string(s);
}

/* A policy document as the reader takes it back to the same text: an object
 * when the text is its plain serialisation (readable), else the text
 * URL-encoded as IAM sends it (whitespace and member order kept). */
static struct json_object *
doc_json(const char *text)
{
	struct json_object *o = json_tokener_parse(text), *s;
	struct buf b;

	if (o != NULL && json_object_is_type(o, json_type_object) &&
	    strcmp(json_object_to_json_string_ext(o, JSON_FLAGS), text) == 0)
		return o;
	json_object_put(o);
	buf_init(&b, 3 * strlen(text) + 16);
	if (sigv4_uri_encode(&b, text, strlen(text), false) != 0 || b.failed) {
		buf_release(&b);
		return NULL;
	}
	s = json_object_new_string(buf_cstr(&b) != NULL ? buf_cstr(&b) : "");
	buf_release(&b);
	return s;
}

static struct json_object *
role_json(const struct aws_role *r)
{
	struct json_object *o = json_object_new_object(), *x;
	bool ok = o != NULL;

	ok = ok && put_str(o, "Path", r->path) && put_str(o, "RoleName", r->name) && put_str(o, "RoleId", r->role_id) &&
	     put_str(o, "Arn", r->arn);
	if (ok && r->created != 0)
		ok = put(o, "CreateDate", time_json(r->created));
	if (ok && r->trust_policy != NULL)
		ok = put(o, "AssumeRolePolicyDocument",
		         r->trust_policy_json ? doc_json(r->trust_policy) : json_object_new_string(r->trust_policy));
	ok = ok && put_str(o, "Description", r->description);
	if (ok && r->max_session_duration != 0)
		ok = put(o, "MaxSessionDuration", json_object_new_int64(r->max_session_duration));
	if (ok && r->permissions_boundary_arn != NULL) {
		ok = (x = json_object_new_object()) != NULL && put(o, "PermissionsBoundary", x) &&
		     put_str(x, "PermissionsBoundaryType", "Policy") &&
		     put_str(x, "PermissionsBoundaryArn", r->permissions_boundary_arn);
	}
	if (ok && r->tags.n > 0) {
		ok = (x = json_object_new_array()) != NULL && put(o, "Tags", x);
		for (size_t i = 0; ok && i < r->tags.n; i++) {
			struct json_object *t = json_object_new_object();

			ok = push(x, t) && put_str(t, "Key", r->tags.v[i].key) &&
			     put_str(t, "Value", r->tags.v[i].value);
		}
	}
	if (ok && (r->last_used != 0 || r->last_used_region != NULL)) {
		ok = (x = json_object_new_object()) != NULL && put(o, "RoleLastUsed", x) &&
		     (r->last_used == 0 || put(x, "LastUsedDate", time_json(r->last_used))) &&
		     put_str(x, "Region", r->last_used_region);
	}
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* attachedRolePolicies, rolePolicies and roleErrors. */
static bool
role_maps_json(const struct audit_input *in, struct json_object *top)
{
	struct json_object *att = json_object_new_object(), *inl = json_object_new_object(),
	                   *errs = json_object_new_object();
	bool ok = att != NULL && inl != NULL && errs != NULL;

	for (size_t i = 0; ok && in->role_policies != NULL && i < in->n_roles; i++) {
		const struct audit_role_policies *rp = &in->role_policies[i];
		const char *name = in->roles[i].name;
		struct json_object *a, *d;

		if (name == NULL)
			continue;
		if (rp->known) {
			ok = (a = json_object_new_array()) != NULL && put(att, name, a);
			for (size_t k = 0; ok && k < rp->attached.n; k++) {
				struct json_object *e = json_object_new_object();
				const char *slash = strrchr(rp->attached.v[k], '/');

				ok = push(a, e) &&
				     put_str(e, "PolicyName", slash != NULL ? slash + 1 : rp->attached.v[k]) &&
				     put_str(e, "PolicyArn", rp->attached.v[k]);
			}
		}
		if (ok && rp->inline_name.n > 0) {
			ok = (d = json_object_new_object()) != NULL && put(inl, name, d);
			for (size_t k = 0; ok && k < rp->inline_name.n; k++) {
				const char *doc = rp->inline_doc != NULL ? rp->inline_doc[k] : NULL;

				if (doc == NULL)
					ok = json_object_object_add(d, rp->inline_name.v[k], NULL) == 0;
				else
					ok = put(d, rp->inline_name.v[k], doc_json(doc));
			}
		}
		if (ok && rp->error != NULL)
			ok = put_str(errs, name, rp->error);
	}
	if (!ok) {
		json_object_put(att);
		json_object_put(inl);
		json_object_put(errs);
		return false;
	}
	return put(top, "attachedRolePolicies", att) && put(top, "rolePolicies", inl) && put(top, "roleErrors", errs);
}

/* {"apiVersion": "v1", "kind": "List", "items": [...]}: copies of the objects. */
static struct json_object *
list_json(const struct kube_object_list *l)
{
	struct json_object *o = json_object_new_object(), *items = json_object_new_array();
	bool ok = o != NULL && items != NULL;

	if (!ok) {
		json_object_put(o);
		json_object_put(items);
		return NULL;
	}
	ok = put_str(o, "apiVersion", "v1") && put_str(o, "kind", "List") && put(o, "items", items);
	for (size_t i = 0; ok && i < l->n; i++) {
		struct json_object *copy = NULL;

		ok = l->v[i].obj != NULL && json_object_deep_copy(l->v[i].obj, &copy, NULL) == 0 && push(items, copy);
	}
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *
cluster_json(const struct audit_cluster *c)
{
	struct json_object *o = json_object_new_object(), *eks = NULL, *id, *oidc;
	bool ok = o != NULL;

	ok = ok && put_str(o, "region", c->region) && put_str(o, "context", c->context) &&
	     (eks = json_object_new_object()) != NULL && put(o, "cluster", eks) && put_str(eks, "name", c->name) &&
	     put_str(eks, "arn", c->arn);
	if (ok && c->issuer != NULL)
		ok = (id = json_object_new_object()) != NULL && put(eks, "identity", id) &&
		     (oidc = json_object_new_object()) != NULL && put(id, "oidc", oidc) &&
		     put_str(oidc, "issuer", c->issuer);
	ok = ok && put_str(o, "thumbprint", c->thumbprint) && put_str(o, "thumbprintError", c->thumbprint_error) &&
	     put_str(o, "kubeError", c->kube_error);
	if (ok && c->kube_known)
		ok = put(o, "serviceAccounts", list_json(&c->sas)) && put(o, "pods", list_json(&c->pods)) &&
		     put(o, "workloads", list_json(&c->workloads));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *
audit_snapshot_to_json(const struct audit_input *in)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	bool ok = o != NULL;

	ok = ok && put(o, "irsaSnapshot", json_object_new_int(SNAPSHOT_VERSION)) &&
	     put_str(o, "account", in->account != NULL ? in->account : "") &&
	     put_str(o, "arnPrefix", in->arn_prefix != NULL ? in->arn_prefix : "arn:aws:");
	if (ok && (in->trust_quota != 0 || in->attached_quota != 0)) {
		ok = (x = json_object_new_object()) != NULL && put(o, "accountSummary", x) &&
		     (in->trust_quota == 0 ||
		      put(x, "AssumeRolePolicySizeQuota", json_object_new_int64(in->trust_quota))) &&
		     (in->attached_quota == 0 ||
		      put(x, "AttachedPoliciesPerRoleQuota", json_object_new_int64(in->attached_quota)));
	}
	ok = ok && (a = json_object_new_array()) != NULL && put(o, "roles", a);
	for (size_t i = 0; ok && i < in->n_roles; i++)
		ok = push(a, role_json(&in->roles[i]));
	ok = ok && role_maps_json(in, o);
	ok = ok && (a = json_object_new_array()) != NULL && put(o, "policies", a);
	for (size_t i = 0; ok && i < in->n_policies; i++) {
		const struct audit_policy *p = &in->policies[i];

		ok = (x = json_object_new_object()) != NULL && push(a, x) && put_str(x, "Arn", p->arn) &&
		     put_str(x, "PolicyName", p->name) && put_str(x, "DefaultVersionId", p->default_version) &&
		     (p->document == NULL || put(x, "Document", doc_json(p->document))) &&
		     put_str(x, "Error", p->error);
	}
	ok = ok && (a = json_object_new_array()) != NULL && put(o, "openIDConnectProviders", a);
	for (size_t i = 0; ok && i < in->n_providers; i++) {
		const struct audit_provider *p = &in->providers[i];

		ok = (x = json_object_new_object()) != NULL && push(a, x) && put_str(x, "Arn", p->arn);
		if (ok && p->detail_known)
			ok = put_str(x, "Url", p->url != NULL ? p->url : "") &&
			     put(x, "ClientIDList", strings_json(&p->client_ids)) &&
			     put(x, "ThumbprintList", strings_json(&p->thumbprints));
	}
	if (ok && in->live_issuers_known)
		ok = put(o, "liveIssuers", strings_json(&in->live_issuers));
	ok = ok && put(o, "readErrors", strings_json(&in->read_errors));
	ok = ok && put_str(o, "rolesError", in->roles_error) && put_str(o, "providersError", in->providers_error);
	ok = ok && (a = json_object_new_array()) != NULL && put(o, "clusters", a);
	for (size_t i = 0; ok && i < in->n_clusters; i++)
		ok = push(a, cluster_json(&in->clusters[i]));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
