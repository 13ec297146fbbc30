/* core/trust_build.c - the statements irsa writes into trust policies and how
 * it merges them into a role's existing trust: the IRSA web-identity
 * statement as the AWS docs prescribe it, namespace or prefix patterns on
 * explicit request, AWS service principals from a table of known ones, and
 * the inverse removals for unbind and rollback. Every statement irsa makes
 * has a Sid starting with "irsa"; every other statement is left as it was.
 * Validates names and ARNs before changing anything. Pure. */
#include "config.h"

#include "trust.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "editdist.h"

#define SID_OIDC      TRUST_SID_PREFIX "Oidc"
#define SID_OIDC_LIKE TRUST_SID_PREFIX "OidcLike"
#define SID_SERVICE   TRUST_SID_PREFIX "Svc"
#define SID_MAX       64

#define NO_SOURCE_ACCOUNT                                                                                              \
	"the service does not send aws:SourceAccount when it assumes a role (prowler-cloud/prowler#2810); the "        \
	"condition would lock it out"
#define UNDOCUMENTED_SOURCE_ACCOUNT                                                                                    \
	"AWS does not document aws:SourceAccount for this principal; not added so the role keeps working"

/* Known service principals, by short name. source_account: the AWS docs show
 * aws:SourceAccount in this service's role trust (confused deputy prevention). */
static const struct trust_service services[] = {
        {"apigateway", "apigateway.amazonaws.com", false, false, NO_SOURCE_ACCOUNT},
        {"backup", "backup.amazonaws.com", false, false, NO_SOURCE_ACCOUNT},
        {"batch", "batch.amazonaws.com", false, false, UNDOCUMENTED_SOURCE_ACCOUNT},
        {"codebuild", "codebuild.amazonaws.com", false, true, NULL},
        {"codepipeline", "codepipeline.amazonaws.com", false, false, UNDOCUMENTED_SOURCE_ACCOUNT},
        {"datasync", "datasync.amazonaws.com", false, true, NULL},
        {"ec2", "ec2.amazonaws.com", false, false, NO_SOURCE_ACCOUNT},
        {"ecs", "ecs.amazonaws.com", false, false, UNDOCUMENTED_SOURCE_ACCOUNT},
        {"ecs-tasks", "ecs-tasks.amazonaws.com", false, true, NULL},
        {"eks", "eks.amazonaws.com", false, false, UNDOCUMENTED_SOURCE_ACCOUNT},
        {"eks-fargate-pods", "eks-fargate-pods.amazonaws.com", false, false, UNDOCUMENTED_SOURCE_ACCOUNT},
        {"eks-pods", "pods.eks.amazonaws.com", true, true, NULL},
        {"elasticmapreduce", "elasticmapreduce.amazonaws.com", false, true, NULL},
        {"events", "events.amazonaws.com", false, true, NULL},
        {"firehose", "firehose.amazonaws.com", false, true, NULL},
        {"glue", "glue.amazonaws.com", false, false, NO_SOURCE_ACCOUNT},
        {"lambda", "lambda.amazonaws.com", false, false, NO_SOURCE_ACCOUNT},
        {"rds", "rds.amazonaws.com", false, true, NULL},
        {"redshift", "redshift.amazonaws.com", false, false, UNDOCUMENTED_SOURCE_ACCOUNT},
        {"s3", "s3.amazonaws.com", false, true, NULL},
        {"sagemaker", "sagemaker.amazonaws.com", false, true, NULL},
        {"scheduler", "scheduler.amazonaws.com", false, true, NULL},
        {"ssm", "ssm.amazonaws.com", false, true, NULL},
        {"states", "states.amazonaws.com", false, true, NULL},
};
#define N_SERVICES (sizeof(services) / sizeof(services[0]))

/* --- validation ------------------------------------------------------------- */

/* A DNS-1123 label (namespaces) or subdomain (service account names). */
static bool
dns_name(const char *s, size_t max, bool dots)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > max || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[len - 1]))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(islower(c) || isdigit(c) || c == '-' || (dots && c == '.')))
			return false;
	}
	return true;
}

static int
check_sa(const struct trust_sa *sa, struct irsa_error *err)
{
	if (sa->ns == NULL || !dns_name(sa->ns, 63, false))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "namespace \"%s\" is not a valid Kubernetes namespace name (lower-case letters, "
		                      "digits and '-', at most 63)",
		                      sa->ns != NULL ? sa->ns : "");
	if (sa->name == NULL || !dns_name(sa->name, 253, true))
		return irsa_error_set(
		        err, IRSA_ERR_INVALID_INPUT,
		        "service account \"%s\" is not a valid Kubernetes name (lower-case letters, digits, "
		        "'-' and '.', at most 253)",
		        sa->name != NULL ? sa->name : "");
	return 0;
}

static bool
account_id(const char *s, size_t len)
{
	size_t i;

	if (len != 12)
		return false;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Checks arn (arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER) and, when
 * given, that issuer is the same; *out gets the ARN's issuer (borrowed). */
static int
check_provider(const char *arn, const char *issuer, const char **out, struct irsa_error *err)
{
	const char *iss = trust_provider_issuer(arn);
	const char *acct;
	char *norm;
	int rc = 0;

	if (iss == NULL || strncmp(arn + 4, "aws", 3) != 0 || (acct = strstr(arn, ":iam::")) == NULL ||
	    !account_id(acct + 6, strcspn(acct + 6, ":")) || iss[strlen(iss) - 1] == '/' ||
	    strncmp(iss, "https://", 8) == 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "\"%s\" is not an IAM OIDC provider ARN "
		                      "(arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID)",
		                      arn != NULL ? arn : "");
	*out = iss;
	if (issuer == NULL)
		return 0;
	norm = trust_issuer_normalize(issuer);
	if (norm == NULL)
		return irsa_error_oom(err);
	if (strcmp(norm, iss) != 0) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the issuer %s is not the one of the OIDC provider %s",
		               issuer, arn);
		rc = irsa_error_hint(err, "take both from the same cluster (DescribeCluster identity.oidc.issuer)");
	}
	free(norm);
	return rc;
}

/* --- shapes of irsa's statements ---------------------------------------------- */

static bool
has_sid_prefix(const struct trust_statement *st)
{
	return st->sid != NULL && strncmp(st->sid, TRUST_SID_PREFIX, strlen(TRUST_SID_PREFIX)) == 0;
}

/* Whether the principal names only the provider as Federated. */
static bool
only_federated(const struct trust_statement *st, const char *arn)
{
	const struct trust_principal *p = &st->principal;

	return p->present && !p->star && p->n == 1 && strcmp(p->e[0].type, "Federated") == 0 && p->e[0].ids.n == 1 &&
	       strcmp(p->e[0].ids.v[0], arn) == 0;
}

/* A condition operator holding exactly the key (case-insensitive). */
static const struct trust_cond_key *
sole_key(const struct trust_cond *c, const char *op, const char *key)
{
	if (strcmp(c->op, op) != 0 || c->n != 1 || strcasecmp(c->keys[0].key, key) != 0)
		return NULL;
	return &c->keys[0];
}

/* Whether st is the statement irsa would write for the provider and audience:
 * Allow, Federated provider only, the web-identity action only, and exactly
 * StringEquals aud = [audience] with StringEquals sub (exact) or StringLike
 * sub (like). Any other field or condition makes it someone else's. */
static bool
irsa_shape(const struct trust_statement *st, const char *arn, const char *sub_key, const char *aud_key, const char *aud,
           bool like)
{
	const struct trust_cond_key *k;
	const struct trust_cond *c = st->cond;
	size_t i;

	if (st->deny || st->not_principal.present || st->not_action.present || st->resource.present ||
	    st->not_resource.present || st->extra != NULL || !only_federated(st, arn) || st->action.n != 1 ||
	    strcasecmp(st->action.v[0], TRUST_ACTION_WEB_ID) != 0)
		return false;
	if (!like) {
		if (st->n_cond != 1 || strcmp(c[0].op, "StringEquals") != 0 || c[0].n != 2)
			return false;
		k = trust_condition_find(st, "StringEquals", aud_key);
		return k != NULL && k->values.n == 1 && strcmp(k->values.v[0], aud) == 0 &&
		       trust_condition_find(st, "StringEquals", sub_key) != NULL;
	}
	if (st->n_cond != 2)
		return false;
	for (i = 0; i < 2; i++) {
		if ((k = sole_key(&c[i], "StringEquals", aud_key)) != NULL) {
			if (k->values.n != 1 || strcmp(k->values.v[0], aud) != 0)
				return false;
		} else if (sole_key(&c[i], "StringLike", sub_key) == NULL) {
			return false;
		}
	}
	return true;
}

/* A Sid not used in t: base, else base2, base3, ... */
static void
unique_sid(const struct trust *t, const char *base, char sid[SID_MAX])
{
	unsigned n = 1;
	size_t i;
	bool taken;

	snprintf(sid, SID_MAX, "%s", base);
	do {
		taken = false;
		for (i = 0; i < t->n; i++)
			if (t->st[i].sid != NULL && strcmp(t->st[i].sid, sid) == 0)
				taken = true;
		if (taken)
			snprintf(sid, SID_MAX, "%s%u", base, ++n);
	} while (taken);
}

/* prefix + the last 8 letters and digits of the issuer's last segment (the
 * tail of an EKS cluster's OIDC id), so a person can tell the clusters apart. */
static void
issuer_sid(const char *prefix, const char *issuer, char out[SID_MAX])
{
	const char *seg = strrchr(issuer, '/');
	char tail[9];
	size_t len, n = 0;

	seg = seg != NULL ? seg + 1 : issuer;
	len = strlen(seg);
	while (len > 0 && n < 8) {
		unsigned char c = (unsigned char)seg[--len];

		if (isalnum(c))
			tail[7 - n++] = (char)c;
	}
	tail[8] = '\0';
	snprintf(out, SID_MAX, "%s%s", prefix, tail + 8 - n);
}

/* Appends the web-identity statement with Sid from prefix; returns it or NULL. */
static struct trust_statement *
append_web_identity(struct trust *t, const char *sid_prefix, const char *arn, const char *issuer)
{
	char base[SID_MAX], sid[SID_MAX];
	struct trust_statement *st;

	issuer_sid(sid_prefix, issuer, base);
	unique_sid(t, base, sid);
	st = trust_statement_append(t);
	if (st == NULL || (st->sid = strdup(sid)) == NULL ||
	    trust_principal_add(&st->principal, "Federated", arn) < 0 ||
	    trust_list_add(&st->action, TRUST_ACTION_WEB_ID) < 0)
		return NULL;
	return st;
}

/* The sub and aud keys of issuer. */
static int
claim_keys(const char *issuer, char **sub_key, char **aud_key)
{
	size_t len = strlen(issuer) + 5;

	*sub_key = malloc(len);
	*aud_key = malloc(len);
	if (*sub_key == NULL || *aud_key == NULL) {
		free(*sub_key);
		free(*aud_key);
		return -1;
	}
	snprintf(*sub_key, len, "%s:sub", issuer);
	snprintf(*aud_key, len, "%s:aud", issuer);
	return 0;
}

/* Adds the values to the sub list of the irsa-shaped statement for the
 * provider (made when missing). */
static int
allow_subjects(struct trust *t, const char *arn, const char *issuer, char *const *subs, size_t n, const char *aud,
               bool like, struct irsa_error *err)
{
	const char *op = like ? "StringLike" : "StringEquals";
	struct trust_statement *st = NULL;
	struct trust_cond_key *k;
	char *sub_key, *aud_key;
	size_t i;
	int rc = -1;

	if (claim_keys(issuer, &sub_key, &aud_key) < 0)
		return irsa_error_oom(err);
	for (i = 0; i < t->n && st == NULL; i++)
		if (irsa_shape(&t->st[i], arn, sub_key, aud_key, aud, like))
			st = &t->st[i];
	if (st == NULL) {
		st = append_web_identity(t, like ? SID_OIDC_LIKE : SID_OIDC, arn, issuer);
		if (st == NULL || (k = trust_condition_add(st, "StringEquals", aud_key)) == NULL ||
		    trust_list_add(&k->values, aud) < 0)
			goto out;
	}
	k = trust_condition_add(st, op, sub_key);
	if (k == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (!trust_list_has(&k->values, subs[i]) && trust_list_add(&k->values, subs[i]) < 0)
			goto out;
	rc = 0;
out:
	free(sub_key);
	free(aud_key);
	return rc < 0 ? irsa_error_oom(err) : 0;
}

/* --- the public builders ---------------------------------------------------- */

char *
trust_subject(const char *ns, const char *sa)
{
	size_t len = strlen(TRUST_SUB_PREFIX) + strlen(ns) + strlen(sa) + 2;
	char *s = malloc(len);

	if (s != NULL)
		snprintf(s, len, "%s%s:%s", TRUST_SUB_PREFIX, ns, sa);
	return s;
}

static void
free_subjects(char **subs, size_t n)
{
	size_t i;

	for (i = 0; subs != NULL && i < n; i++)
		free(subs[i]);
	free(subs);
}

/* The subjects of sas, validated. NULL with err set. */
static char **
subjects(const struct trust_sa *sas, size_t n, struct irsa_error *err)
{
	char **subs;
	size_t i;

	if (n == 0) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no service account given");
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (check_sa(&sas[i], err) < 0)
			return NULL;
	subs = calloc(n, sizeof(*subs));
	for (i = 0; subs != NULL && i < n; i++) {
		subs[i] = trust_subject(sas[i].ns, sas[i].name);
		if (subs[i] == NULL) {
			free_subjects(subs, i);
			subs = NULL;
		}
	}
	if (subs == NULL)
		irsa_error_oom(err);
	return subs;
}

int
trust_allow_service_accounts(struct trust *t, const char *provider_arn, const char *issuer, const struct trust_sa *sas,
                             size_t n, const char *audience, struct irsa_error *err)
{
	const char *iss;
	char **subs;
	int rc;

	if (check_provider(provider_arn, issuer, &iss, err) < 0 || (subs = subjects(sas, n, err)) == NULL)
		return -1;
	rc = allow_subjects(t, provider_arn, iss, subs, n, audience != NULL ? audience : TRUST_AUDIENCE_STS, false,
	                    err);
	free_subjects(subs, n);
	return rc;
}

/* The StringEquals sub list of st for the provider, or NULL. */
static struct trust_cond_key *
sub_list(struct trust_statement *st, const char *arn, const char *sub_key)
{
	const struct trust_principal_entry *e = NULL;
	size_t i;

	for (i = 0; i < st->principal.n; i++)
		if (strcmp(st->principal.e[i].type, "Federated") == 0)
			e = &st->principal.e[i];
	if (st->deny || e == NULL || !trust_list_has(&e->ids, arn))
		return NULL;
	return trust_condition_find(st, "StringEquals", sub_key);
}

/* How many values of k are not among subs. */
static size_t
remaining(const struct trust_cond_key *k, char *const *subs, size_t n)
{
	size_t i, j, left = 0;

	for (i = 0; i < k->values.n; i++) {
		for (j = 0; j < n && strcmp(k->values.v[i], subs[j]) != 0; j++)
			;
		left += j == n;
	}
	return left;
}

int
trust_remove_service_accounts(struct trust *t, const char *provider_arn, const struct trust_sa *sas, size_t n,
                              struct irsa_error *err)
{
	struct trust_cond_key *k;
	char **subs, *sub_key, *aud_key;
	const char *iss;
	size_t i, j;
	int rc = 0;

	if (check_provider(provider_arn, NULL, &iss, err) < 0 || (subs = subjects(sas, n, err)) == NULL)
		return -1;
	if (claim_keys(iss, &sub_key, &aud_key) < 0) {
		free_subjects(subs, n);
		return irsa_error_oom(err);
	}
	/* first look, then change: nothing changes when one statement refuses */
	for (i = 0; i < t->n && rc == 0; i++) {
		k = sub_list(&t->st[i], provider_arn, sub_key);
		if (k == NULL || has_sid_prefix(&t->st[i]) || remaining(k, subs, n) > 0 || k->values.n == 0)
			continue;
		irsa_error_set(err, IRSA_ERR_CONFLICT,
		               "statement %zu%s%s admits only service accounts being removed and was not made by irsa; "
		               "emptying its sub list would admit every service account",
		               i, t->st[i].sid != NULL ? " Sid " : "", t->st[i].sid != NULL ? t->st[i].sid : "");
		rc = irsa_error_hint(err, "delete that statement yourself if nothing else needs it");
	}
	for (i = t->n; rc == 0 && i-- > 0;) {
		k = sub_list(&t->st[i], provider_arn, sub_key);
		if (k == NULL || k->values.n == 0)
			continue;
		for (j = 0; j < n; j++)
			trust_list_remove(&k->values, subs[j]);
		if (k->values.n == 0)
			trust_statement_remove(t, i);
	}
	free(sub_key);
	free(aud_key);
	free_subjects(subs, n);
	return rc;
}

char *
trust_pattern(const char *ns, const char *prefix, struct irsa_error *err)
{
	struct trust_sa sa = {ns, "x"};
	size_t i, len;
	char *s;

	if (check_sa(&sa, err) < 0)
		return NULL;
	prefix = prefix != NULL ? prefix : "";
	for (i = 0; prefix[i] != '\0'; i++) {
		unsigned char c = (unsigned char)prefix[i];

		if (!(islower(c) || isdigit(c) || c == '-' || c == '.') || i >= 252) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			               "the name prefix \"%s\" may hold only lower-case letters, digits, '-' and '.'",
			               prefix);
			return NULL;
		}
	}
	len = strlen(TRUST_SUB_PREFIX) + strlen(ns) + strlen(prefix) + 3;
	s = malloc(len);
	if (s == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	snprintf(s, len, "%s%s:%s*", TRUST_SUB_PREFIX, ns, prefix);
	return s;
}

size_t
trust_pattern_admits(const char *pattern, const struct trust_sa *sas, size_t n, bool *admitted)
{
	size_t i, count = 0;
	char *sub;
	bool yes;

	for (i = 0; i < n; i++) {
		sub = trust_subject(sas[i].ns, sas[i].name);
		yes = sub != NULL && trust_like(pattern, sub, false);
		free(sub);
		if (admitted != NULL)
			admitted[i] = yes;
		count += yes;
	}
	return count;
}

int
trust_allow_pattern(struct trust *t, const char *provider_arn, const char *issuer, const char *pattern,
                    const char *audience, struct irsa_error *err)
{
	const char *iss;
	char *subs[1];

	if (check_provider(provider_arn, issuer, &iss, err) < 0)
		return -1;
	if (pattern == NULL || strncmp(pattern, TRUST_SUB_PREFIX, strlen(TRUST_SUB_PREFIX)) != 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the subject pattern \"%s\" does not start with %s (make it with trust_pattern)",
		                      pattern != NULL ? pattern : "", TRUST_SUB_PREFIX);
	subs[0] = (char *)pattern;
	return allow_subjects(t, provider_arn, iss, subs, 1, audience != NULL ? audience : TRUST_AUDIENCE_STS, true,
	                      err);
}

/* --- service principals ------------------------------------------------------ */

const struct trust_service *
trust_services(size_t *n)
{
	*n = N_SERVICES;
	return services;
}

const struct trust_service *
trust_service_lookup(const char *name, struct irsa_error *err)
{
	char msg[200] = "", bare[64];
	size_t i, d, best = 0, shown = 0, len;

	if (name == NULL)
		name = "";
	for (i = 0; i < N_SERVICES; i++)
		if (strcasecmp(name, services[i].name) == 0 || strcasecmp(name, services[i].principal) == 0)
			return &services[i];
	/* the closest short names (to the name before any '.'): the smallest
	 * distance, up to three of them, and only near ones */
	len = strcspn(name, ".");
	snprintf(bare, sizeof(bare), "%.*s", (int)(len < 63 ? len : 63), name);
	for (d = 0; d <= (len < 4 ? 1 : len / 3 < 3 ? len / 3 : 3) && shown == 0; d++) {
		for (i = 0; i < N_SERVICES && shown < 3; i++) {
			if (editdist(bare, services[i].name, true) != d)
				continue;
			best = strlen(msg);
			snprintf(msg + best, sizeof(msg) - best, "%s%s (%s)", shown++ ? ", " : "", services[i].name,
			         services[i].principal);
		}
	}
	if (shown > 0)
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "unknown AWS service principal \"%s\"; did you mean %s?",
		               name, msg);
	else
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "unknown AWS service principal \"%s\"", name);
	irsa_error_hint(err, "give a known short name such as ec2, lambda, ecs-tasks or eks-pods, or its full "
	                     "principal (ec2.amazonaws.com)");
	return NULL;
}

/* "irsaSvcEcsTasks" for ecs-tasks. */
static void
service_sid(const struct trust_service *svc, char out[SID_MAX])
{
	size_t len = strlen(SID_SERVICE), i;
	bool up = true;

	snprintf(out, SID_MAX, "%s", SID_SERVICE);
	for (i = 0; svc->name[i] != '\0' && len < SID_MAX - 1; i++) {
		if (!isalnum((unsigned char)svc->name[i])) {
			up = true;
			continue;
		}
		out[len++] = up ? (char)toupper((unsigned char)svc->name[i]) : svc->name[i];
		up = false;
	}
	out[len] = '\0';
}

/* Whether an Allow statement already trusts the service with its actions. */
static bool
service_trusted(const struct trust *t, const struct trust_service *svc)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		const struct trust_statement *st = &t->st[i];
		bool named = false, assume = false, tag = !svc->tag_session;

		for (j = 0; j < st->principal.n; j++)
			if (strcmp(st->principal.e[j].type, "Service") == 0)
				named |= trust_list_has(&st->principal.e[j].ids, svc->principal);
		for (j = 0; j < st->action.n; j++) {
			assume |= trust_like(st->action.v[j], TRUST_ACTION_ASSUME, true);
			tag |= trust_like(st->action.v[j], TRUST_ACTION_TAG_SESSION, true);
		}
		if (!st->deny && named && assume && tag)
			return true;
	}
	return false;
}

int
trust_allow_service(struct trust *t, const char *service, const char *account_id_s, struct irsa_error *err)
{
	const struct trust_service *svc = trust_service_lookup(service, err);
	struct trust_statement *st;
	struct trust_cond_key *k;
	char base[SID_MAX], sid[SID_MAX];

	if (svc == NULL)
		return -1;
	if (svc->source_account && (account_id_s == NULL || !account_id(account_id_s, strlen(account_id_s))))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the account id \"%s\" for aws:SourceAccount is not 12 digits",
		                      account_id_s != NULL ? account_id_s : "");
	if (service_trusted(t, svc))
		return 0;
	service_sid(svc, base);
	unique_sid(t, base, sid);
	st = trust_statement_append(t);
	if (st == NULL || (st->sid = strdup(sid)) == NULL ||
	    trust_principal_add(&st->principal, "Service", svc->principal) < 0 ||
	    trust_list_add(&st->action, TRUST_ACTION_ASSUME) < 0 ||
	    (svc->tag_session && trust_list_add(&st->action, TRUST_ACTION_TAG_SESSION) < 0))
		return irsa_error_oom(err);
	if (!svc->source_account)
		return 0;
	k = trust_condition_add(st, "StringEquals", "aws:SourceAccount");
	if (k == NULL || trust_list_add(&k->values, account_id_s) < 0)
		return irsa_error_oom(err);
	return 0;
}

int
trust_remove_service(struct trust *t, const char *service, struct irsa_error *err)
{
	const struct trust_service *svc = trust_service_lookup(service, err);
	char base[SID_MAX];
	size_t i, len;
	int removed = 0;

	if (svc == NULL)
		return -1;
	service_sid(svc, base);
	len = strlen(base);
	for (i = t->n; i-- > 0;) {
		const char *sid = t->st[i].sid;

		if (sid == NULL || strncmp(sid, base, len) != 0 || strspn(sid + len, "0123456789") != strlen(sid + len))
			continue;
		trust_statement_remove(t, i);
		removed++;
	}
	return removed;
}
