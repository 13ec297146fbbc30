/* core/binding_status.c - one service account's binding status from its
 * annotations, the roles' trust policies and its pods (binding_status.h).
 * The roles are indexed by name once, their trust policies parsed once, so
 * that 20,000 accounts are decided without parsing a document per account.
 * Pure. */
#include "config.h"

#include "binding_status.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "editdist.h"
#include "jsonobj.h"

/* clang-format off */
static const struct {
	const char *word, *utf8, *ascii;
	bool broken;
} statuses[BINDING_N_STATUSES] = {
        [BINDING_OK]                = {"ok",           "\u2713", "+", false},
        [BINDING_UNBOUND]           = {"unbound",      "\u2013", "-", false},
        [BINDING_TYPO]              = {"key typo",     "\u2717", "x", true},
        [BINDING_ROLE_MISSING]      = {"role missing", "\u2717", "x", true},
        [BINDING_NO_PROVIDER]       = {"no provider",  "\u2717", "x", true},
        [BINDING_NOT_ADMITTED]      = {"not admitted", "\u2717", "x", true},
        [BINDING_PODS_NEED_RESTART] = {"restart pods", "\u21bb", "~", false},
        [BINDING_UNKNOWN]           = {"unknown",      "?",      "?", false},
};
/* clang-format on */

const char *
binding_status_word(enum binding_status s)
{
	return (unsigned)s < BINDING_N_STATUSES ? statuses[s].word : "unknown";
}

const char *
binding_status_glyph(enum binding_status s, bool utf8)
{
	if ((unsigned)s >= BINDING_N_STATUSES)
		s = BINDING_UNKNOWN;
	return utf8 ? statuses[s].utf8 : statuses[s].ascii;
}

bool
binding_status_broken(enum binding_status s)
{
	return (unsigned)s < BINDING_N_STATUSES && statuses[s].broken;
}

/* --- role ARNs -------------------------------------------------------------- */

/* The name of a role ARN (after the last '/'), or NULL when arn is not
 * "arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME". */
static const char *
arn_role_name(const char *arn)
{
	const char *p = arn, *slash;
	int colons = 0;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return NULL;
	for (; *p != '\0' && colons < 5; p++)
		if (*p == ':')
			colons++;
	if (colons < 5 || strncmp(p, "role/", 5) != 0)
		return NULL;
	slash = strrchr(p, '/');
	return slash[1] != '\0' ? slash + 1 : NULL;
}

/* The account field of an ARN ("123456789012") into out; "" when absent. */
static void
arn_account(const char *arn, char *out, size_t outsz)
{
	const char *p = arn, *end;
	int i;

	out[0] = '\0';
	for (i = 0; i < 4 && p != NULL; i++)
		if ((p = strchr(p, ':')) != NULL)
			p++;
	if (p == NULL || (end = strchr(p, ':')) == NULL)
		return;
	snprintf(out, outsz, "%.*s", (int)(end - p), p);
}

static const char *
role_name_of(const struct binding_role *r)
{
	return r->role->name != NULL ? r->role->name : "";
}

static int
role_cmp(const void *a, const void *b)
{
	return strcmp(role_name_of(a), role_name_of(b));
}

int
binding_roles_init(struct binding_roles *r, const struct aws_role *roles, size_t n, struct irsa_error *err)
{
	struct irsa_error perr;
	size_t i;

	r->v = NULL;
	r->n = 0;
	if (n == 0)
		return 0;
	if ((r->v = calloc(n, sizeof(*r->v))) == NULL)
		return irsa_error_oom(err);
	for (i = 0; i < n; i++) {
		struct binding_role *b = &r->v[r->n++];

		b->role = &roles[i];
		if (roles[i].trust_policy == NULL)
			irsa_error_set(&perr, IRSA_ERR_PARSE, "the role has no trust policy");
		else if ((b->trust = trust_parse(roles[i].trust_policy, &perr)) != NULL)
			continue;
		if ((b->parse_error = strdup(perr.message)) == NULL) {
			binding_roles_release(r);
			return irsa_error_oom(err);
		}
	}
	qsort(r->v, r->n, sizeof(*r->v), role_cmp);
	return 0;
}

void
binding_roles_release(struct binding_roles *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		trust_free(r->v[i].trust);
		free(r->v[i].parse_error);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

const struct binding_role *
binding_roles_find(const struct binding_roles *r, const char *arn)
{
	const char *name = arn_role_name(arn);
	const struct binding_role *same_account = NULL;
	char want[32], have[32];
	size_t lo = 0, hi = r->n, mid, i;

	if (name == NULL || r->n == 0)
		return NULL;
	while (lo < hi) { /* the first role named name */
		mid = lo + (hi - lo) / 2;
		if (strcmp(role_name_of(&r->v[mid]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	arn_account(arn, want, sizeof(want));
	for (i = lo; i < r->n && strcmp(role_name_of(&r->v[i]), name) == 0; i++) {
		const char *have_arn = r->v[i].role->arn;

		if (have_arn == NULL)
			continue;
		if (strcmp(have_arn, arn) == 0)
			return &r->v[i];
		arn_account(have_arn, have, sizeof(have));
		if (same_account == NULL && strcmp(have, want) == 0)
			same_account = &r->v[i];
	}
	return same_account;
}

/* --- annotations ------------------------------------------------------------- */

/* s lower-cased with only its letters and digits, into out. */
static void
squash(const char *s, size_t len, char *out, size_t outsz)
{
	size_t n = 0;

	for (; len > 0 && *s != '\0' && n + 1 < outsz; s++, len--)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

bool
binding_key_is_typo(const char *key)
{
	static const char *const names[] = {"rolearn", "role", "arn", "iamrole", "iamrolearn", "rolename"};
	const char *slash;
	char domain[256], name[256];
	size_t i;

	if (key == NULL || strcmp(key, BINDING_ROLE_KEY) == 0)
		return false;
	if (strcasecmp(key, BINDING_ROLE_KEY) == 0 || editdist(key, BINDING_ROLE_KEY, true) <= 3)
		return true;
	/* Another domain or spelling of the same words: "eks.amazonaws.io/role-arn",
	 * "iam.amazonaws.com/role_arn", "eks.amazonaws.com/iam-role". */
	if ((slash = strrchr(key, '/')) == NULL)
		return false;
	squash(key, (size_t)(slash - key), domain, sizeof(domain));
	squash(slash + 1, strlen(slash + 1), name, sizeof(name));
	if (strstr(domain, "amazonaws") == NULL && strncmp(domain, "eks", 3) != 0)
		return false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

const char *
binding_role_arn(const struct kube_object *sa)
{
	return kube_object_annotation(sa, BINDING_ROLE_KEY);
}

const char *
binding_typo_key(const struct kube_object *sa)
{
	size_t i;

	if (binding_role_arn(sa) != NULL)
		return NULL;
	for (i = 0; i < sa->n_annotations; i++)
		if (binding_key_is_typo(sa->annotations[i].key))
			return sa->annotations[i].key;
	return NULL;
}

/* --- pods ------------------------------------------------------------------- */

static const char *
containers_role_arn(struct json_object *spec, const char *field)
{
	struct json_object *list, *env;
	size_t i, j;

	if (!json_object_object_get_ex(spec, field, &list) || !json_object_is_type(list, json_type_array))
		return NULL;
	for (i = 0; i < json_object_array_length(list); i++) {
		struct json_object *c = json_object_array_get_idx(list, i);

		if (!json_object_object_get_ex(c, "env", &env) || !json_object_is_type(env, json_type_array))
			continue;
		for (j = 0; j < json_object_array_length(env); j++) {
			struct json_object *e = json_object_array_get_idx(env, j);
			const char *name = jsonobj_str(e, "name"), *value = jsonobj_str(e, "value");

			if (name != NULL && value != NULL && strcmp(name, BINDING_ENV_ROLE_ARN) == 0)
				return value;
		}
	}
	return NULL;
}

const char *
binding_pod_role_arn(const struct kube_object *pod)
{
	struct json_object *spec = pod != NULL ? jsonobj_obj(pod->obj, "spec") : NULL;
	const char *arn;

	if (spec == NULL)
		return NULL;
	arn = containers_role_arn(spec, "containers");
	return arn != NULL ? arn : containers_role_arn(spec, "initContainers");
}

bool
binding_pod_has_role(const struct kube_object *pod, const char *role_arn)
{
	const char *have = binding_pod_role_arn(pod);

	return have != NULL && role_arn != NULL && strcmp(have, role_arn) == 0;
}

/* --- the status ------------------------------------------------------------- */

/* Sets the status and its sentence. Returns 0, so that a decision is
 * "return say(...)". */
static int say(struct binding_result *out, enum binding_status s, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int
say(struct binding_result *out, enum binding_status s, const char *fmt, ...)
{
	va_list ap;

	out->status = s;
	va_start(ap, fmt);
	vsnprintf(out->why, sizeof(out->why), fmt, ap);
	va_end(ap);
	return 0;
}

/* An account with the role-arn annotation: out->role_arn is set. */
static int
evaluate_bound(const struct binding_input *in, struct binding_result *out)
{
	const struct kube_object *sa = in->sa;
	struct trust_request req;
	struct irsa_error err;
	size_t i;

	out->role_name = arn_role_name(out->role_arn);
	if (in->pods_known) {
		out->pods = in->n_pods;
		for (i = 0; i < in->n_pods; i++)
			if (binding_pod_has_role(&in->pods[i], out->role_arn))
				out->pods_bound++;
	}
	if (out->role_name == NULL) {
		const char *s = strrchr(out->role_arn, '/');

		out->role_name = s != NULL && s[1] != '\0' ? s + 1 : out->role_arn;
		return say(out, BINDING_ROLE_MISSING,
		           "%s is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME): the webhook injects it anyway "
		           "and STS refuses it",
		           out->role_arn);
	}
	if (in->roles == NULL)
		return say(out, BINDING_UNKNOWN, "the roles of the account are not read yet");
	if ((out->role = binding_roles_find(in->roles, out->role_arn)) == NULL)
		return say(out, BINDING_ROLE_MISSING, "role %s does not exist (the account has no role named %s)",
		           out->role_arn, out->role_name);
	if (in->provider_missing)
		return say(out, BINDING_NO_PROVIDER,
		           "the cluster's issuer has no IAM OIDC provider%s%s: STS cannot verify the account's tokens",
		           in->provider_arn != NULL ? " " : "", in->provider_arn != NULL ? in->provider_arn : "");
	if (in->provider_arn == NULL)
		return say(out, BINDING_UNKNOWN, "the cluster's OIDC provider is not known");
	if (out->role->trust == NULL)
		return say(out, BINDING_UNKNOWN, "the trust policy of role %s could not be read: %s", out->role_name,
		           out->role->parse_error != NULL ? out->role->parse_error : "(none)");
	req = (struct trust_request){in->provider_arn, sa->namespace, sa->name,
	                             kube_object_annotation(sa, BINDING_AUDIENCE_KEY)};
	if (trust_evaluate(out->role->trust, &req, &out->eval, &err) != 0)
		return say(out, BINDING_UNKNOWN, "%s", err.message);
	out->evaluated = true;
	if (out->eval.verdict != TRUST_ADMITTED)
		return say(out, BINDING_NOT_ADMITTED, "the trust policy of role %s: %s", out->role_name, out->eval.why);
	if (out->pods_bound < out->pods)
		return say(out, BINDING_PODS_NEED_RESTART,
		           "%zu of %zu pods running as it started before the binding (no " BINDING_ENV_ROLE_ARN
		           "=%s in their env): restart them",
		           out->pods - out->pods_bound, out->pods, out->role_arn);
	return say(out, BINDING_OK, "the trust policy of role %s admits %s", out->role_name, out->eval.why);
}

void
binding_evaluate(const struct binding_input *in, struct binding_result *out)
{
	memset(out, 0, sizeof(*out));
	out->eval.statement = -1;
	if ((out->role_arn = binding_role_arn(in->sa)) != NULL) {
		evaluate_bound(in, out);
		return;
	}
	if ((out->typo_key = binding_typo_key(in->sa)) != NULL) {
		out->role_arn = kube_object_annotation(in->sa, out->typo_key);
		out->role_name = arn_role_name(out->role_arn);
		say(out, BINDING_TYPO,
		    "the annotation key %s is not " BINDING_ROLE_KEY
		    ": the pod identity webhook ignores it, so the account is unbound",
		    out->typo_key);
	} else {
		say(out, BINDING_UNBOUND, "no " BINDING_ROLE_KEY " annotation");
	}
	out->pods = in->n_pods;
}
