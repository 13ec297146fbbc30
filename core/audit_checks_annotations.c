/* core/audit_checks_annotations.c - audit group C (IRSA015-018): what the
 * service accounts' eks.amazonaws.com annotations (and the pods'
 * skip-containers) say, judged the way the pod identity webhook reads them:
 *
 *   IRSA015  role-arn value vs the webhook's regex, the cluster's partition,
 *            surrounding white space or quotes; a typo'd role-arn key;
 *   IRSA016  role-arn naming a role of this account that ListRoles lacks;
 *   IRSA017  audience annotation vs the provider's ClientIDList and the
 *            trust's :aud values;
 *   IRSA018  token-expiration, sts-regional-endpoints, skip-containers.
 *
 * Runs once per cluster over its service accounts; every check here needs
 * Kubernetes, so a cluster whose lists were not read gets "not run". Pure. */
#include "config.h"

#include "audit.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonobj.h"

#define KEY_TOKEN_EXPIRATION "eks.amazonaws.com/token-expiration"
#define KEY_REGIONAL_STS     "eks.amazonaws.com/sts-regional-endpoints"
#define KEY_SKIP_CONTAINERS  "eks.amazonaws.com/skip-containers"
#define TOKEN_EXPIRATION_MIN 600   /* the webhook raises lower values to it */
#define TOKEN_EXPIRATION_MAX 86400 /* and lowers higher ones to it */

static const char *const group_ids[] = {"IRSA015", "IRSA016", "IRSA017", "IRSA018"};

static struct json_object *
jstr(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* The webhook's check, pkg/cache/cache.go:
 * ^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w-\/.@+=,]+$ (\w is ASCII). */
static bool
arn_matches_webhook(const char *v)
{
	const char *p = v;
	int i;

	if (strncmp(p, "arn:aws", 7) != 0)
		return false;
	for (p += 7; islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'; p++)
		;
	if (strncmp(p, ":iam::", 6) != 0)
		return false;
	for (p += 6, i = 0; i < 12; i++, p++)
		if (!isdigit((unsigned char)*p))
			return false;
	if (strncmp(p, ":role/", 6) != 0)
		return false;
	if (*(p += 6) == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_-/.@+=,", *p) == NULL)
			return false;
	return true;
}

/* The partition of an ARN ("aws", "aws-cn") into out; "" when not an ARN. */
static void
arn_partition(const char *arn, char *out, size_t outsz)
{
	const char *end;

	out[0] = '\0';
	if (arn == NULL || strncmp(arn, "arn:", 4) != 0 || (end = strchr(arn + 4, ':')) == NULL)
		return;
	snprintf(out, outsz, "%.*s", (int)(end - (arn + 4)), arn + 4);
}

/* The account field of an ARN into out; "" when absent. */
static void
arn_account(const char *arn, char *out, size_t outsz)
{
	const char *p = arn, *end;

	out[0] = '\0';
	for (int i = 0; i < 4 && p != NULL; i++)
		if ((p = strchr(p, ':')) != NULL)
			p++;
	if (p == NULL || (end = strchr(p, ':')) == NULL)
		return;
	snprintf(out, outsz, "%.*s", (int)(end - p), p);
}

/* v as a JSON string ("\"a\" " shows its quotes and spaces), into out. */
static const char *
json_quoted(const char *v, char *out, size_t outsz)
{
	struct json_object *o = json_object_new_string(v);

	snprintf(out, outsz, "%s", o != NULL ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_NOSLASHESCAPE) : v);
	json_object_put(o);
	return out;
}

static bool
is_trim_char(char c)
{
	return isspace((unsigned char)c) || c == '"' || c == '\'';
}

/* v without surrounding white space and quotes: a new string, or NULL when
 * out of memory. */
static char *
trimmed(const char *v)
{
	size_t len = strlen(v);

	while (len > 0 && is_trim_char(*v))
		v++, len--;
	while (len > 0 && is_trim_char(v[len - 1]))
		len--;
	return strndup(v, len);
}

static int
oom(struct audit_ctx *ctx)
{
	return irsa_error_oom(ctx->err);
}

static void
subject_of(const struct audit_ctx *ctx, const struct kube_object *sa, const char *role_arn, struct audit_subject *s)
{
	memset(s, 0, sizeof(*s));
	s->cluster = ctx->cluster->name;
	s->region = ctx->cluster->region;
	s->ns = (char *)sa->namespace;
	s->sa = (char *)sa->name;
	s->role_arn = (char *)role_arn;
}

/* Sets f's fix to ANNOTATE with the n changes (value NULL removes the key). */
static int
fix_annotate(struct audit_ctx *ctx, struct audit_finding *f, const struct kube_kv *changes, size_t n,
             const char *summary)
{
	if (audit_fix_set(ctx, f, AUDIT_FIX_ANNOTATE, summary) != 0)
		return -1;
	if ((f->fix.annotations = calloc(n, sizeof(*f->fix.annotations))) == NULL)
		return oom(ctx);
	for (size_t i = 0; i < n; i++) {
		struct audit_annotation *a = &f->fix.annotations[f->fix.n_annotations++];
		if ((a->key = strdup(changes[i].key)) == NULL ||
		    (changes[i].value != NULL && (a->value = strdup(changes[i].value)) == NULL))
			return oom(ctx);
	}
	return 0;
}

/* --- IRSA015 ----------------------------------------------------------------- */

static int
check_malformed(struct audit_ctx *ctx, const struct kube_object *sa)
{
	const char *value = binding_role_arn(sa), *key = BINDING_ROLE_KEY, *typo = NULL;
	char want[32], have[32], summary[512], q[1024];
	struct audit_subject s;
	struct audit_finding *f;
	struct json_object *ev;
	char *trim;
	bool padded, valid, same_partition;
	int rc = 0;

	if (value == NULL) {
		if ((typo = binding_typo_key(sa)) == NULL)
			return 0;
		key = typo;
		value = kube_object_annotation(sa, typo);
	}
	if ((trim = trimmed(value)) == NULL)
		return oom(ctx);
	padded = strcmp(trim, value) != 0;
	valid = arn_matches_webhook(trim);
	arn_partition(ctx->cluster->arn, want, sizeof(want));
	arn_partition(trim, have, sizeof(have));
	same_partition = want[0] == '\0' || !valid || strcmp(want, have) == 0;
	if (typo == NULL && !padded && valid && same_partition)
		goto out;

	ev = json_object_new_object();
	json_object_object_add(ev, "annotationKey", jstr(key));
	json_object_object_add(ev, "annotationValue", jstr(value));
	json_object_object_add(ev, "webhookRegex", jstr("^arn:aws[a-z0-9-]*:iam::\\d{12}:role\\/[\\w-\\/.@+=,]+$"));
	json_object_object_add(ev, "matchesRegex", json_object_new_boolean(arn_matches_webhook(value)));
	if (ctx->cluster->arn != NULL)
		json_object_object_add(ev, "clusterArn", jstr(ctx->cluster->arn));
	subject_of(ctx, sa, value, &s);

	if (typo != NULL) {
		f = audit_ctx_add(
		        ctx, "IRSA015", -1, &s, ev,
		        "%s/%s carries the role ARN %s under the key %s, not " BINDING_ROLE_KEY
		        ": the pod identity webhook ignores it, so its pods get no web identity and fall back "
		        "to the node role%s",
		        sa->namespace, sa->name, json_quoted(value, q, sizeof(q)), typo,
		        valid && same_partition ? ""
		                                : "; the value is not a valid role ARN either "
		                                  "(fix it by hand)");
		if (f != NULL && valid && same_partition) {
			struct kube_kv ch[] = {{BINDING_ROLE_KEY, trim}, {typo, NULL}};
			snprintf(summary, sizeof(summary), "Annotate %s/%s with " BINDING_ROLE_KEY "=%s and remove %s",
			         sa->namespace, sa->name, trim, typo);
			rc = fix_annotate(ctx, f, ch, 2, summary);
		}
	} else if (valid && !same_partition) {
		audit_ctx_add(ctx, "IRSA015", -1, &s, ev,
		              "%s/%s: the role ARN %s is in partition %s but the cluster is in %s: no such role can be "
		              "assumed from this cluster",
		              sa->namespace, sa->name, value, have, want);
	} else if (valid) { /* quoted or padded, fine once trimmed */
		f = audit_ctx_add(ctx, "IRSA015", -1, &s, ev,
		                  "%s/%s: the role-arn annotation %s has surrounding white space or quotes: the "
		                  "webhook injects it as written and STS rejects it",
		                  sa->namespace, sa->name, json_quoted(value, q, sizeof(q)));
		if (f != NULL) {
			struct kube_kv ch[] = {{BINDING_ROLE_KEY, trim}};
			snprintf(summary, sizeof(summary), "Annotate %s/%s with " BINDING_ROLE_KEY "=%s (trimmed)",
			         sa->namespace, sa->name, trim);
			rc = fix_annotate(ctx, f, ch, 1, summary);
		}
	} else {
		audit_ctx_add(ctx, "IRSA015", -1, &s, ev,
		              "%s/%s: the role-arn annotation %s is not a role ARN "
		              "(arn:aws:iam::ACCOUNT:role/NAME, the webhook's regex): the webhook only logs \"arn is "
		              "invalid\" and injects it, and STS rejects it",
		              sa->namespace, sa->name, json_quoted(value, q, sizeof(q)));
	}
out:
	free(trim);
	return rc != 0 || audit_ctx_failed(ctx) ? -1 : 0;
}

/* --- IRSA016 ----------------------------------------------------------------- */

/* Whether ListRoles was read: without roles, a read error says why. */
static bool
roles_known(const struct audit_input *in)
{
	return in->roles_error == NULL;
}

static int
check_role_missing(struct audit_ctx *ctx, const struct kube_object *sa)
{
	const char *value = binding_role_arn(sa), *name;
	char account[32], summary[512];
	struct audit_subject s;
	struct audit_finding *f;
	struct json_object *ev;

	if (value == NULL || !arn_matches_webhook(value))
		return 0; /* IRSA015's */
	arn_account(value, account, sizeof(account));
	if (ctx->in->account == NULL || strcmp(account, ctx->in->account) != 0)
		return 0; /* another account's roles are not listed here */
	if (audit_input_role(ctx->in, value, NULL) != NULL)
		return 0;
	name = strrchr(value, '/') + 1;
	ev = json_object_new_object();
	json_object_object_add(ev, "annotationKey", jstr(BINDING_ROLE_KEY));
	json_object_object_add(ev, "annotationValue", jstr(value));
	json_object_object_add(ev, "roleName", jstr(name));
	json_object_object_add(ev, "account", jstr(account));
	json_object_object_add(ev, "rolesListed", json_object_new_int64((int64_t)ctx->in->n_roles));
	subject_of(ctx, sa, value, &s);
	f = audit_ctx_add(ctx, "IRSA016", -1, &s, ev,
	                  "%s/%s is bound to %s, but account %s has no role named %s (ListRoles): every assume "
	                  "fails, the pods have no AWS access",
	                  sa->namespace, sa->name, value, account, name);
	if (f == NULL)
		return audit_ctx_failed(ctx) ? -1 : 0;
	snprintf(summary, sizeof(summary), "Create role %s with a trust admitting only %s/%s", name, sa->namespace,
	         sa->name);
	return audit_fix_set(ctx, f, AUDIT_FIX_CREATE_ROLE, summary);
}

/* --- IRSA017 ----------------------------------------------------------------- */

/* Whether op is a positive string operator on a single-valued key. */
static bool
op_positive(const char *op)
{
	return strstr(op, "String") != NULL && strstr(op, "Not") == NULL;
}

static bool
value_matches(const char *op, const char *pattern, const char *v)
{
	if (strstr(op, "Like") != NULL)
		return trust_like(pattern, v, false);
	if (strstr(op, "IgnoreCase") != NULL)
		return strcasecmp(pattern, v) == 0;
	return strcmp(pattern, v) == 0;
}

/* What the trust's Allow statements for provider_arn say of audience aud:
 * 1 some statement admits it (no aud condition, or a value matching it),
 * 0 none does, -1 no statement names the provider. Every aud value seen is
 * added to values (may be NULL). */
static int
trust_aud_admits(const struct trust *t, const char *provider_arn, const char *aud, struct json_object *values)
{
	const char *issuer = trust_provider_issuer(provider_arn);
	size_t ilen = issuer != NULL ? strlen(issuer) : 0;
	int verdict = -1;

	for (size_t i = 0; issuer != NULL && i < t->n; i++) {
		const struct trust_statement *st = &t->st[i];
		bool constrained = false, match = false;

		if (st->deny || !trust_statement_names(st, "Federated", provider_arn))
			continue;
		if (verdict < 0)
			verdict = 0;
		for (size_t c = 0; c < st->n_cond; c++) {
			const struct trust_cond *cond = &st->cond[c];
			if (!op_positive(cond->op))
				continue;
			for (size_t k = 0; k < cond->n; k++) {
				const struct trust_cond_key *key = &cond->keys[k];
				if (strncasecmp(key->key, issuer, ilen) != 0 ||
				    strcasecmp(key->key + ilen, ":aud") != 0)
					continue;
				constrained = true;
				for (size_t v = 0; v < key->values.n; v++) {
					if (values != NULL)
						json_object_array_add(values, json_object_new_string(key->values.v[v]));
					match = match || value_matches(cond->op, key->values.v[v], aud);
				}
			}
		}
		if (!constrained || match)
			verdict = 1;
	}
	return verdict;
}

static bool
strings_have(const struct aws_strings *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

static int
check_audience(struct audit_ctx *ctx, const struct kube_object *sa)
{
	const struct audit_cluster *cl = ctx->cluster;
	const char *aud = kube_object_annotation(sa, BINDING_AUDIENCE_KEY), *arn = binding_role_arn(sa);
	const struct audit_provider *prov = audit_input_provider(ctx->in, cl->provider_arn);
	const struct binding_role *role;
	struct json_object *ev, *trust_auds, *ids;
	struct audit_subject s;
	struct audit_finding *f;
	struct trust_eval eval;
	struct irsa_error e;
	bool client_ok = true, client_known, sts_client = false, sts_trust = false, sts_works;
	int trust_ok = -1;
	char why[512], summary[512], help[512];

	if (aud == NULL || arn == NULL)
		return 0;
	client_known = prov != NULL && prov->detail_known;
	if (client_known)
		client_ok = strings_have(&prov->client_ids, aud);
	role = audit_input_role(ctx->in, arn, NULL);
	trust_auds = json_object_new_array();
	if (role != NULL && role->trust != NULL && cl->provider_arn != NULL)
		trust_ok = trust_aud_admits(role->trust, cl->provider_arn, aud, trust_auds);
	if (client_ok && trust_ok != 0) {
		json_object_put(trust_auds);
		return 0;
	}
	/* Would the default audience work? Then removing the annotation fixes it. */
	sts_client = client_known && strings_have(&prov->client_ids, TRUST_AUDIENCE_STS);
	if (role != NULL && role->trust != NULL) {
		struct trust_request req = {cl->provider_arn, sa->namespace, sa->name, NULL};
		sts_trust = trust_evaluate(role->trust, &req, &eval, &e) == 0 && eval.verdict == TRUST_ADMITTED;
	}
	sts_works = sts_client && sts_trust;
	snprintf(why, sizeof(why), "%s%s%s", !client_ok ? "the provider's ClientIDList lacks it" : "",
	         !client_ok && trust_ok == 0 ? " and " : "",
	         trust_ok == 0 ? "the trust's :aud values do not admit it" : "");

	ev = json_object_new_object();
	json_object_object_add(ev, "annotationKey", jstr(BINDING_AUDIENCE_KEY));
	json_object_object_add(ev, "annotationValue", jstr(aud));
	json_object_object_add(ev, "roleArn", jstr(arn));
	if (client_known) {
		ids = json_object_new_array();
		for (size_t i = 0; i < prov->client_ids.n; i++)
			json_object_array_add(ids, json_object_new_string(prov->client_ids.v[i]));
		json_object_object_add(ev, "providerArn", jstr(prov->arn));
		json_object_object_add(ev, "providerClientIDList", ids);
	}
	json_object_object_add(ev, "trustAudValues", trust_auds);
	subject_of(ctx, sa, arn, &s);
	s.provider_arn = cl->provider_arn;
	if (sts_works)
		snprintf(help, sizeof(help), "without the annotation the default sts.amazonaws.com works");
	else
		snprintf(help, sizeof(help),
		         "removing the annotation would not help (%s%s%s): align the annotation, the trust's aud and "
		         "the provider's ClientIDList by hand",
		         sts_client     ? ""
		         : client_known ? "the provider's ClientIDList lacks sts.amazonaws.com"
		                        : "the provider's ClientIDList is not known",
		         !sts_client && !sts_trust ? "; " : "",
		         sts_trust ? "" : "the trust does not admit the account with sts.amazonaws.com");
	f = audit_ctx_add(ctx, "IRSA017", -1, &s, ev,
	                  "%s/%s asks for tokens with audience %s, but %s: STS refuses every token; %s", sa->namespace,
	                  sa->name, aud, why, help);
	if (f == NULL || !sts_works)
		return audit_ctx_failed(ctx) ? -1 : 0;
	{
		struct kube_kv ch[] = {{BINDING_AUDIENCE_KEY, NULL}};
		snprintf(summary, sizeof(summary),
		         "Remove the " BINDING_AUDIENCE_KEY " annotation of %s/%s (tokens get sts.amazonaws.com)",
		         sa->namespace, sa->name);
		return fix_annotate(ctx, f, ch, 1, summary);
	}
}

/* --- IRSA018 ----------------------------------------------------------------- */

static int
check_tuning(struct audit_ctx *ctx, const struct kube_object *sa)
{
	const char *exp = kube_object_annotation(sa, KEY_TOKEN_EXPIRATION);
	const char *sts = kube_object_annotation(sa, KEY_REGIONAL_STS);
	struct kube_kv ch[2];
	size_t n = 0;
	char problems[1024] = "", clamp[32], summary[512];
	struct audit_subject s;
	struct audit_finding *f;
	struct json_object *ev;

	if (exp != NULL) {
		char *end;
		long v;
		errno = 0;
		v = strtol(exp, &end, 10);
		if (*exp == '\0' || *end != '\0' || isspace((unsigned char)*exp) || errno != 0) {
			ch[n++] = (struct kube_kv){KEY_TOKEN_EXPIRATION, NULL};
			snprintf(problems, sizeof(problems),
			         "token-expiration \"%s\" is not an integer (the webhook ignores it and uses 86400)",
			         exp);
		} else if (v < TOKEN_EXPIRATION_MIN || v > TOKEN_EXPIRATION_MAX) {
			snprintf(clamp, sizeof(clamp), "%d",
			         v < TOKEN_EXPIRATION_MIN ? TOKEN_EXPIRATION_MIN : TOKEN_EXPIRATION_MAX);
			ch[n++] = (struct kube_kv){KEY_TOKEN_EXPIRATION, clamp};
			snprintf(problems, sizeof(problems), "token-expiration %ld is %s (the webhook %s it to %s)", v,
			         v < TOKEN_EXPIRATION_MIN ? "below 600" : "above 86400",
			         v < TOKEN_EXPIRATION_MIN ? "raises" : "lowers", clamp);
		}
	}
	if (sts != NULL && strcmp(sts, "true") != 0) {
		size_t len = strlen(problems);
		ch[n++] = (struct kube_kv){KEY_REGIONAL_STS, "true"};
		snprintf(problems + len, sizeof(problems) - len, "%ssts-regional-endpoints \"%s\" %s",
		         len > 0 ? "; " : "", sts,
		         strcmp(sts, "false") == 0
		                 ? "sends the pods to the global STS endpoint (regional is recommended)"
		                 : "is not \"true\" or \"false\" (the webhook ignores it)");
	}
	if (n == 0)
		return 0;
	ev = json_object_new_object();
	if (exp != NULL)
		json_object_object_add(ev, KEY_TOKEN_EXPIRATION, jstr(exp));
	if (sts != NULL)
		json_object_object_add(ev, KEY_REGIONAL_STS, jstr(sts));
	subject_of(ctx, sa, binding_role_arn(sa), &s);
	f = audit_ctx_add(ctx, "IRSA018", -1, &s, ev, "%s/%s: %s", sa->namespace, sa->name, problems);
	if (f == NULL)
		return audit_ctx_failed(ctx) ? -1 : 0;
	snprintf(summary, sizeof(summary), "Rewrite the webhook annotations of %s/%s", sa->namespace, sa->name);
	return fix_annotate(ctx, f, ch, n, summary);
}

/* The strings of array a joined with ", " into out. */
static const char *
joined(struct json_object *a, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(a) && len < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%s%s", i > 0 ? ", " : "",
		                        json_object_get_string(json_object_array_get_idx(a, i)));
	return out;
}

/* The containers of pod (containers, then initContainers) that its
 * skip-containers annotation names, into names; returns how many. */
static size_t
skipped_containers(const struct kube_object *pod, const char *skip, struct json_object *names)
{
	struct json_object *spec = jsonobj_obj(pod->obj, "spec"), *list;
	static const char *const fields[] = {"containers", "initContainers"};
	size_t n = 0;

	for (size_t f = 0; f < 2; f++) {
		if (!json_object_object_get_ex(spec, fields[f], &list) || !json_object_is_type(list, json_type_array))
			continue;
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			const char *name = jsonobj_str(json_object_array_get_idx(list, i), "name");
			const char *p = skip;
			size_t len;
			if (name == NULL)
				continue;
			len = strlen(name);
			while (*p != '\0') { /* a comma-separated list, spaces allowed */
				const char *end = strchr(p, ',');
				size_t plen = end != NULL ? (size_t)(end - p) : strlen(p);
				const char *q = p;
				while (plen > 0 && isspace((unsigned char)*q))
					q++, plen--;
				while (plen > 0 && isspace((unsigned char)q[plen - 1]))
					plen--;
				if (plen == len && strncmp(q, name, len) == 0) {
					json_object_array_add(names, json_object_new_string(name));
					n++;
					break;
				}
				p = end != NULL ? end + 1 : p + strlen(p);
			}
		}
	}
	return n;
}

static bool
pod_active(const struct kube_object *pod)
{
	const char *phase = jsonobj_str(jsonobj_obj(pod->obj, "status"), "phase");

	return phase == NULL || (strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0);
}

/* The service account ns/name of the cluster, or NULL. */
static const struct kube_object *
find_sa(const struct audit_cluster *cl, const char *ns, const char *name)
{
	for (size_t i = 0; name != NULL && i < cl->sas.n; i++)
		if (strcmp(cl->sas.v[i].namespace, ns) == 0 && strcmp(cl->sas.v[i].name, name) == 0)
			return &cl->sas.v[i];
	return NULL;
}

/* skip-containers on the pods of bound service accounts: one finding per
 * pod (the annotation is the pod's). */
static int
check_skip_containers(struct audit_ctx *ctx)
{
	const struct kube_object_list *pods = &ctx->cluster->pods;

	for (size_t i = 0; i < pods->n; i++) {
		const struct kube_object *pod = &pods->v[i], *sa;
		const char *skip = kube_object_annotation(pod, KEY_SKIP_CONTAINERS), *arn;
		struct json_object *names, *ev;
		struct audit_subject s;
		char ref[512], list[1024];

		if (skip == NULL || !pod_active(pod) ||
		    (sa = find_sa(ctx->cluster, pod->namespace, pod->service_account)) == NULL ||
		    (arn = binding_role_arn(sa)) == NULL)
			continue;
		names = json_object_new_array();
		if (skipped_containers(pod, skip, names) == 0) {
			json_object_put(names);
			continue;
		}
		ev = json_object_new_object();
		json_object_object_add(ev, "annotationKey", jstr(KEY_SKIP_CONTAINERS));
		json_object_object_add(ev, "annotationValue", jstr(skip));
		json_object_object_add(ev, "skippedContainers", names);
		json_object_object_add(ev, "serviceAccount", jstr(sa->name));
		subject_of(ctx, sa, arn, &s);
		snprintf(ref, sizeof(ref), "%s/%s", pod->namespace, pod->name);
		s.pod = ref;
		if (audit_ctx_add(
		            ctx, "IRSA018", -1, &s, ev,
		            "pod %s/%s (service account %s) skips container(s) %s through " KEY_SKIP_CONTAINERS
		            ": the webhook gives them no AWS_ROLE_ARN, so they fall back to the node role; if one "
		            "is the application, remove it from the pod template's annotation",
		            pod->namespace, pod->name, sa->name, joined(names, list, sizeof(list))) == NULL &&
		    audit_ctx_failed(ctx))
			return -1;
	}
	return 0;
}

int
audit_checks_annotations(struct audit_ctx *ctx)
{
	const struct audit_cluster *cl = ctx->cluster;
	bool want[4];

	if (cl == NULL)
		return 0;
	for (size_t i = 0; i < 4; i++)
		want[i] = audit_ctx_wants(ctx, group_ids[i]);
	if (!cl->kube_known) {
		const char *why = cl->kube_error != NULL ? cl->kube_error : "the cluster's Kubernetes API was not read";
		for (size_t i = 0; i < 4; i++)
			if (want[i] && audit_ctx_not_run(ctx, group_ids[i], why) != 0)
				return -1;
		return 0;
	}
	if (want[1] && !roles_known(ctx->in)) {
		if (audit_ctx_not_run(ctx, "IRSA016", ctx->in->roles_error) != 0)
			return -1;
		want[1] = false;
	}
	if (want[1] && ctx->in->account == NULL) {
		if (audit_ctx_not_run(ctx, "IRSA016", "the account id (sts:GetCallerIdentity) is not known") != 0)
			return -1;
		want[1] = false;
	}
	for (size_t i = 0; i < cl->sas.n; i++) {
		const struct kube_object *sa = &cl->sas.v[i];
		if ((want[0] && check_malformed(ctx, sa) != 0) || (want[1] && check_role_missing(ctx, sa) != 0) ||
		    (want[2] && check_audience(ctx, sa) != 0) || (want[3] && check_tuning(ctx, sa) != 0))
			return -1;
	}
	if (want[3] && check_skip_containers(ctx) != 0)
		return -1;
	return audit_ctx_failed(ctx) ? -1 : 0;
}
