/* core/names.c - the syntax checks of names.h, the role name irsa derives
 * (plan_role_name) and the check of a plan's choices before any call
 * (plan_check_choices). The rules are Kubernetes' (DNS-1123 labels and
 * subdomains) and IAM's (role names, paths, ARNs); each message says the
 * rule so the user can fix the value without looking it up.
 *
 * Values are cut before they are quoted: a pasted document must not become
 * a 500-character error line. Pure: no I/O. */
#include "config.h"

#include "names.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "aws_eks.h"
#include "plan.h"
#include "trust.h"

#define SHOW_CUT        80             /* bytes of a value quoted in a message */
#define SHOW_MAX        (SHOW_CUT + 4) /* and "..." and the NUL */
#define WHY_MAX         256            /* the part of a message after "is not valid: " */
#define CUT_LEN         55             /* a derived role name cut to this, then "-" and 8 hex digits */
#define EXAMPLE_ACCOUNT "111122223333"

/* --- characters (ASCII, whatever the locale) --------------------------------- */

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_lower_alnum(char c)
{
	return is_lower(c) || is_digit(c);
}

/* IAM's name characters: [\w+=,.@-]. */
static bool
is_iam_char(char c)
{
	return is_lower(c) || is_upper(c) || is_digit(c) || (c != '\0' && strchr("+=,.@_-", c) != NULL);
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return n > 0;
}

/* --- messages ---------------------------------------------------------------- */

/* v as a message may quote it: at most SHOW_CUT bytes (cut on a UTF-8
 * character boundary) then "...", control characters shown as '?'. */
static const char *
show(const char *v, char out[SHOW_MAX])
{
	size_t n = v != NULL ? strlen(v) : 0, cut = n, i;

	if (n > SHOW_CUT) {
		cut = SHOW_CUT;
		while (cut > 0 && ((unsigned char)v[cut] & 0xc0) == 0x80)
			cut--;
	}
	for (i = 0; i < cut; i++)
		out[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
	if (cut < n)
		memcpy(out + cut, "...", 4);
	else
		out[cut] = '\0';
	return out;
}

/* "FIELD "VALUE" is not valid: WHY". Returns -1. */
static int invalid(struct irsa_error *err, const char *field, const char *value, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static int
invalid(struct irsa_error *err, const char *field, const char *value, const char *fmt, ...)
{
	char shown[SHOW_MAX], why[WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "%s \"%s\" is not valid: %s", field, show(value, shown),
	                      why);
}

/* What is wrong with character c, after "it holds ": "'*'", "a space". */
static const char *
char_name(char c, char out[16])
{
	unsigned char u = (unsigned char)c;

	if (u == ' ')
		return "a space";
	if (u > 0x20 && u < 0x7f)
		snprintf(out, 16, "'%c'", c);
	else
		snprintf(out, 16, "byte 0x%02x", u);
	return out;
}

/* --- Kubernetes names -------------------------------------------------------- */

#define NS_RULE                                                                                                        \
	"a namespace must be a DNS-1123 label: 1 to 63 lower-case letters, digits and '-', starting and ending "       \
	"with a letter or digit"
#define SA_RULE                                                                                                        \
	"a service account name must be a DNS-1123 subdomain: 1 to 253 lower-case letters, digits, '-' and '.', "      \
	"each dot-separated part starting and ending with a letter or digit"

/* Whether s is a DNS-1123 label (dots false) or subdomain (dots true) of at
 * most max characters. When not, writes what is wrong ("has 64
 * characters", "holds upper-case letters") into why. */
static bool
dns_ok(const char *s, size_t max, bool dots, char *why, size_t size)
{
	size_t n = strlen(s), i;
	char name[16];

	if (n == 0)
		return snprintf(why, size, "it is empty"), false;
	if (n > max)
		return snprintf(why, size, "it has %zu characters", n), false;
	for (i = 0; i < n; i++)
		if (is_upper(s[i]))
			return snprintf(why, size, "it holds upper-case letters"), false;
	for (i = 0; i < n; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-' && !(dots && s[i] == '.'))
			return snprintf(why, size, "it holds %s", char_name(s[i], name)), false;
	/* every part between dots (the whole name for a label) */
	for (i = 0; i < n; i++) {
		bool first = i == 0 || s[i - 1] == '.', last = i == n - 1 || s[i + 1] == '.';

		if (s[i] == '.' && i == 0)
			return snprintf(why, size, "it starts with '.'"), false;
		if (s[i] == '.' && first)
			return snprintf(why, size, "it has \"..\" (an empty part)"), false;
		if (s[i] == '-' && (first || last))
			return snprintf(why, size, "%s %s with '-'", dots ? "a part" : "it", first ? "starts" : "ends"),
			       false;
	}
	if (s[n - 1] == '.')
		return snprintf(why, size, "it ends with '.'"), false;
	return true;
}

/* The value in lower case with '_' and spaces as '-', when that is a valid
 * name, else "". */
static const char *
dns_suggest(const char *s, size_t max, bool dots, char *out, size_t size)
{
	size_t n = strlen(s), i;
	char why[WHY_MAX];

	out[0] = '\0';
	if (n > max || n >= size)
		return out;
	for (i = 0; i < n; i++)
		out[i] = is_upper(s[i]) ? (char)(s[i] - 'A' + 'a') : s[i] == '_' || s[i] == ' ' ? '-' : s[i];
	out[n] = '\0';
	if (strcmp(out, s) == 0 || !dns_ok(out, max, dots, why, sizeof(why)))
		out[0] = '\0';
	return out;
}

static int
check_dns(const char *v, const char *field, size_t max, bool dots, const char *rule, const char *example,
          struct irsa_error *err)
{
	char why[WHY_MAX], fix[NAMES_SERVICEACCOUNT_MAX + 1];

	if (v == NULL)
		v = "";
	if (dns_ok(v, max, dots, why, sizeof(why)))
		return 0;
	invalid(err, field, v, "%s; %s", why, rule);
	if (dns_suggest(v, max, dots, fix, sizeof(fix))[0] != '\0')
		return irsa_error_hint(err, "did you mean \"%s\"? Kubernetes names are lower case", fix);
	return irsa_error_hint(err, "%s", example);
}

int
names_check_namespace(const char *ns, struct irsa_error *err)
{
	return check_dns(ns, "namespace", NAMES_NAMESPACE_MAX, false, NS_RULE,
	                 "for example \"payments\" or \"team-a\"; `irsa namespaces` lists the cluster's namespaces",
	                 err);
}

int
names_check_serviceaccount(const char *sa, struct irsa_error *err)
{
	return check_dns(sa, "service account name", NAMES_SERVICEACCOUNT_MAX, true, SA_RULE,
	                 "for example \"orders-api\"; `irsa serviceaccounts -n NAMESPACE` lists them", err);
}

/* --- IAM names and paths ----------------------------------------------------- */

#define ROLE_NAME_RULE   "a role name must have 1 to 64 letters, digits and + = , . @ _ -"
#define POLICY_NAME_RULE "a policy name must have 1 to 128 letters, digits and + = , . @ _ -"
#define PATH_RULE                                                                                                      \
	"a path must be \"/\" or start and end with '/', with 1 to 512 printable ASCII characters and no "             \
	"spaces"

/* Whether s (n bytes) is 1 to max IAM name characters; else what is wrong. */
static bool
iam_name_ok(const char *s, size_t n, size_t max, char *why, size_t size)
{
	size_t i;
	char name[16];

	if (n == 0)
		return snprintf(why, size, "is empty"), false;
	if (n > max)
		return snprintf(why, size, "has %zu characters", n), false;
	for (i = 0; i < n; i++)
		if (!is_iam_char(s[i]))
			return snprintf(why, size, "holds %s", char_name(s[i], name)), false;
	return true;
}

/* Whether s (n bytes) is a role or policy path; else what is wrong. */
static bool
iam_path_ok(const char *s, size_t n, char *why, size_t size)
{
	size_t i;
	char name[16];

	if (n == 0)
		return snprintf(why, size, "is empty"), false;
	if (n > NAMES_ROLE_PATH_MAX)
		return snprintf(why, size, "has %zu characters", n), false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return snprintf(why, size, "holds %s", char_name(s[i], name)), false;
	if (s[0] != '/')
		return snprintf(why, size, "does not start with '/'"), false;
	if (s[n - 1] != '/')
		return snprintf(why, size, "does not end with '/'"), false;
	return true;
}

int
names_check_role_name(const char *name, struct irsa_error *err)
{
	char why[WHY_MAX], fix[NAMES_ROLE_NAME_MAX + 1], shown[SHOW_MAX];
	size_t n, i;

	if (name == NULL)
		name = "";
	n = strlen(name);
	if (iam_name_ok(name, n, NAMES_ROLE_NAME_MAX, why, sizeof(why)))
		return 0;
	invalid(err, "role name", name, "it %s; %s", why, ROLE_NAME_RULE);
	if (n == 0 || n > NAMES_ROLE_NAME_MAX)
		return irsa_error_hint(err, "give 1 to 64 characters, or leave --role-name out: irsa then derives a "
		                            "name that fits from the cluster, namespace and service account");
	if (strchr(name, '/') != NULL)
		return irsa_error_hint(err, "a role name has no '/': give the path apart with --role-path, or the "
		                            "whole role with --role-arn");
	for (i = 0; i < n; i++)
		fix[i] = is_iam_char(name[i]) ? name[i] : '-';
	fix[n] = '\0';
	return irsa_error_hint(err, "replace the other characters, for example \"%s\"", show(fix, shown));
}

int
names_check_role_path(const char *path, struct irsa_error *err)
{
	char why[WHY_MAX], fix[NAMES_ROLE_PATH_MAX + 1], shown[SHOW_MAX];
	size_t n;

	if (path == NULL)
		path = "";
	n = strlen(path);
	if (iam_path_ok(path, n, why, sizeof(why)))
		return 0;
	invalid(err, "role path", path, "it %s; %s", why, PATH_RULE);
	snprintf(fix, sizeof(fix), "%s%s%s", path[0] == '/' ? "" : "/", path, n > 0 && path[n - 1] == '/' ? "" : "/");
	if (n > 0 && iam_path_ok(fix, strlen(fix), why, sizeof(why)))
		return irsa_error_hint(err, "did you mean \"%s\"?", show(fix, shown));
	return irsa_error_hint(err, "for example \"/\" (the default) or \"/irsa/\"");
}

/* --- ARNs -------------------------------------------------------------------- */

bool
names_arn_partition(const char *arn, char out[NAMES_PARTITION_MAX])
{
	size_t n;

	out[0] = '\0';
	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return false;
	arn += 4;
	n = strspn(arn, "abcdefghijklmnopqrstuvwxyz0123456789-");
	if (n == 0 || n >= NAMES_PARTITION_MAX || arn[n] != ':' || !is_lower(arn[0]))
		return false;
	memcpy(out, arn, n);
	out[n] = '\0';
	return true;
}

/* What an IAM ARN check needs to know of its kind. */
struct arn_kind {
	const char *field;    /* "role ARN" */
	const char *resource; /* "role" */
	const char *rule;
	size_t name_max;
	const char *name_rule;
	bool aws_account; /* the account may be "aws" (AWS managed policies) */
};

static const struct arn_kind role_arn = {
        "role ARN",
        "role",
        "a role ARN must be arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME with a 12-digit account",
        NAMES_ROLE_NAME_MAX,
        ROLE_NAME_RULE,
        false,
};

static const struct arn_kind policy_arn = {
        "policy ARN",
        "policy",
        "a policy ARN must be arn:PARTITION:iam::ACCOUNT:policy/[PATH/]NAME with ACCOUNT \"aws\" (AWS managed) "
        "or 12 digits",
        NAMES_POLICY_NAME_MAX,
        POLICY_NAME_RULE,
        true,
};

/* The hint for a value that is not an ARN at all. */
static int
arn_hint(const struct arn_kind *k, const char *v, const char *partition, struct irsa_error *err)
{
	char why[WHY_MAX], shown[SHOW_MAX];
	bool name = iam_name_ok(v, strlen(v), k->name_max, why, sizeof(why));

	show(v, shown);
	if (name && k == &role_arn)
		return irsa_error_hint(
		        err, "to use a role by name give --role-name %s, or give its ARN: arn:%s:iam::%s:role/%s",
		        shown, partition, EXAMPLE_ACCOUNT, shown);
	if (name)
		return irsa_error_hint(err,
		                       "give the policy's ARN: arn:%s:iam::aws:policy/%s for an AWS managed policy, "
		                       "arn:%s:iam::%s:policy/%s for your own",
		                       partition, shown, partition, EXAMPLE_ACCOUNT, shown);
	if (k == &role_arn)
		return irsa_error_hint(err, "for example arn:%s:iam::%s:role/payments-orders", partition,
		                       EXAMPLE_ACCOUNT);
	return irsa_error_hint(err, "for example arn:%s:iam::aws:policy/AmazonS3ReadOnlyAccess", partition);
}

static int
check_iam_arn(const struct arn_kind *k, const char *v, const char *arn_prefix, struct irsa_error *err)
{
	char part[NAMES_PARTITION_MAX], want[NAMES_PARTITION_MAX], why[WHY_MAX], sv[SHOW_MAX];
	char fixed[2 * SHOW_MAX], shown[SHOW_MAX];
	const char *svc, *region, *account, *res, *name;
	size_t rlen, len;

	if (v == NULL)
		v = "";
	if (arn_prefix != NULL && !names_arn_partition(arn_prefix, want))
		return irsa_error_set(err, IRSA_ERR_INTERNAL,
		                      "the account's ARN prefix \"%s\" is not arn:PARTITION:", show(arn_prefix, shown));
	if (arn_prefix == NULL)
		snprintf(want, sizeof(want), "aws");
	if (v[0] == '\0') {
		invalid(err, k->field, v, "it is empty; %s", k->rule);
		return arn_hint(k, v, want, err);
	}
	if (!names_arn_partition(v, part)) {
		if (strncmp(v, "arn:", 4) != 0)
			invalid(err, k->field, v, "it does not start with \"arn:\"; %s", k->rule);
		else if (strchr(v + 4, ':') == NULL)
			invalid(err, k->field, v, "it has too few ':'-separated fields; %s", k->rule);
		else
			invalid(err, k->field, v, "its partition is not lower-case letters, digits and '-'; %s",
			        k->rule);
		return arn_hint(k, v, want, err);
	}
	/* the fields after the partition: SERVICE:REGION:ACCOUNT:RESOURCE */
	svc = v + 4 + strlen(part) + 1;
	if ((region = strchr(svc, ':')) == NULL || (account = strchr(++region, ':')) == NULL ||
	    (res = strchr(++account, ':')) == NULL) {
		invalid(err, k->field, v, "it has too few ':'-separated fields; %s", k->rule);
		return arn_hint(k, "", want, err);
	}
	res++;
	len = (size_t)(region - 1 - svc);
	if (len != 3 || strncmp(svc, "iam", 3) != 0) {
		invalid(err, k->field, v, "its service is \"%.*s\", not \"iam\"; %s", (int)(len > 40 ? 40 : len), svc,
		        k->rule);
		return arn_hint(k, "", want, err);
	}
	if (account - 1 != region) {
		invalid(err, k->field, v, "IAM ARNs have no region, so \"iam\" must be followed by \"::\"; %s",
		        k->rule);
		return arn_hint(k, "", want, err);
	}
	len = (size_t)(res - 1 - account);
	if (!(len == 12 && all_digits(account, 12)) &&
	    !(k->aws_account && len == 3 && strncmp(account, "aws", 3) == 0)) {
		invalid(err, k->field, v, "its account \"%.*s\" is not %s12 digits; %s", (int)(len > 40 ? 40 : len),
		        account, k->aws_account ? "\"aws\" or " : "", k->rule);
		return arn_hint(k, "", want, err);
	}
	/* resource: KIND/[PATH/]NAME */
	rlen = strlen(k->resource);
	if (strncmp(res, k->resource, rlen) != 0 || res[rlen] != '/') {
		if (k == &role_arn && strncmp(res, "policy/", 7) == 0)
			invalid(err, k->field, v, "it names a policy, not a role; %s", k->rule);
		else if (k == &policy_arn && strncmp(res, "role/", 5) == 0)
			invalid(err, k->field, v, "it names a role, not a policy; %s", k->rule);
		else
			invalid(err, k->field, v, "its resource does not start with \"%s/\"; %s", k->resource, k->rule);
		return arn_hint(k, "", want, err);
	}
	name = strrchr(res, '/') + 1;
	if (!iam_name_ok(name, strlen(name), k->name_max, why, sizeof(why))) {
		invalid(err, k->field, v, "its name %s; %s", why, k->name_rule);
		return arn_hint(k, "", want, err);
	}
	/* the path: from the '/' after KIND to the last '/' */
	if (!iam_path_ok(res + rlen, (size_t)(name - (res + rlen)), why, sizeof(why))) {
		invalid(err, k->field, v, "its path %s; %s", why, PATH_RULE);
		return arn_hint(k, "", want, err);
	}
	if (arn_prefix != NULL && strcmp(part, want) != 0) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "%s \"%s\" is in partition %s, but the account is in %s",
		               k->field, show(v, sv), part, want);
		snprintf(fixed, sizeof(fixed), "arn:%s:%s", want, v + 4 + strlen(part) + 1);
		return irsa_error_hint(err, "use %s, the same ARN in partition %s, or credentials and a region of %s",
		                       show(fixed, shown), want, part);
	}
	return 0;
}

int
names_check_role_arn(const char *arn, const char *arn_prefix, struct irsa_error *err)
{
	return check_iam_arn(&role_arn, arn, arn_prefix, err);
}

int
names_check_policy_arn(const char *arn, const char *arn_prefix, struct irsa_error *err)
{
	return check_iam_arn(&policy_arn, arn, arn_prefix, err);
}

/* --- regions and annotation values ------------------------------------------- */

/* [a-z]{2}(-[a-z]+)+-[0-9]+ */
static bool
region_ok(const char *s)
{
	size_t words = 0, n;

	if (!is_lower(s[0]) || !is_lower(s[1]) || s[2] != '-')
		return false;
	s += 2;
	for (;;) {
		if (*s++ != '-')
			return false;
		if ((n = strspn(s, "abcdefghijklmnopqrstuvwxyz")) > 0) {
			s += n;
			words++;
			continue;
		}
		n = strspn(s, "0123456789");
		return words > 0 && n > 0 && s[n] == '\0';
	}
}

int
names_check_region(const char *region, struct irsa_error *err)
{
	const char *why = "it does not have the form of a region";
	char fix[32];
	size_t n, i;

	if (region == NULL)
		region = "";
	if (region_ok(region))
		return 0;
	n = strlen(region);
	if (n == 0)
		why = "it is empty";
	else if (strpbrk(region, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL)
		why = "it holds upper-case letters";
	invalid(err, "region", region,
	        "%s; a region is two letters, one or more words and a number, in lower case and joined by '-' "
	        "([a-z]{2}(-[a-z]+)+-[0-9]+)",
	        why);
	/* the same in lower case, '_' as '-' */
	if (n > 0 && n < sizeof(fix)) {
		for (i = 0; i <= n; i++)
			fix[i] = is_upper(region[i]) ? (char)(region[i] - 'A' + 'a') : region[i];
		for (i = 0; i < n; i++)
			if (fix[i] == '_')
				fix[i] = '-';
		if (region_ok(fix))
			return irsa_error_hint(err, "did you mean %s?", fix);
	}
	return irsa_error_hint(err, "for example us-east-1, eu-west-1, us-gov-west-1 or cn-north-1");
}

int
names_check_sts_regional(const char *v, struct irsa_error *err)
{
	if (v != NULL && (strcmp(v, "true") == 0 || strcmp(v, "false") == 0))
		return 0;
	invalid(err, PLAN_ANN_STS_REGIONAL " value", v,
	        "it must be \"true\" (pods call their region's STS endpoint) or \"false\"");
	if (v != NULL && (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0))
		return irsa_error_hint(err, "did you mean \"%s\"?", strcasecmp(v, "true") == 0 ? "true" : "false");
	return irsa_error_hint(err, "give \"true\" so that pods use their region's STS endpoint, \"false\" for the "
	                            "global one, or leave it out to keep the annotation as it is");
}

int
names_check_token_expiration(const char *v, struct irsa_error *err)
{
	size_t n = v != NULL ? strlen(v) : 0;
	long secs;

	if (!all_digits(v != NULL ? v : "", n)) {
		invalid(err, PLAN_ANN_TOKEN_EXPIRATION " value", v,
		        "it must be a whole number of seconds from %d to %d", NAMES_TOKEN_EXP_MIN, NAMES_TOKEN_EXP_MAX);
		return irsa_error_hint(err, "for example 3600 for an hour; leave it out for the webhook's default of "
		                            "86400 (a day)");
	}
	secs = n > 9 ? NAMES_TOKEN_EXP_MAX + 1L : strtol(v, NULL, 10);
	if (secs < NAMES_TOKEN_EXP_MIN) {
		invalid(err, PLAN_ANN_TOKEN_EXPIRATION " value", v,
		        "it is below the minimum of %d seconds (the pod identity webhook raises anything lower to %d)",
		        NAMES_TOKEN_EXP_MIN, NAMES_TOKEN_EXP_MIN);
		return irsa_error_hint(err, "give %d (ten minutes) or more", NAMES_TOKEN_EXP_MIN);
	}
	if (secs > NAMES_TOKEN_EXP_MAX) {
		invalid(err, PLAN_ANN_TOKEN_EXPIRATION " value", v, "it is above the maximum of %d seconds (a day)",
		        NAMES_TOKEN_EXP_MAX);
		return irsa_error_hint(err, "give %d or less; %d is the webhook's default", NAMES_TOKEN_EXP_MAX,
		                       NAMES_TOKEN_EXP_MAX);
	}
	return 0;
}

/* --- plan.h ------------------------------------------------------------------ */

char *
plan_role_name(const char *cluster, const char *ns, const char *sa)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t n, i, cut;
	char *name;

	cluster = cluster != NULL ? cluster : "";
	ns = ns != NULL ? ns : "";
	sa = sa != NULL ? sa : "";
	n = strlen(cluster) + strlen(ns) + strlen(sa) + 2;
	if ((name = malloc(n + 1)) == NULL)
		return NULL;
	snprintf(name, n + 1, "%s-%s-%s", cluster, ns, sa);
	for (i = 0; i < n; i++)
		if (!is_iam_char(name[i]))
			name[i] = '-';
	if (n <= NAMES_ROLE_NAME_MAX)
		return name;
	/* The hash of the whole name keeps two names that cut alike apart. */
	if (EVP_Digest(name, n, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen < 4) {
		free(name);
		return NULL;
	}
	cut = CUT_LEN;
	while (cut > 0 && (name[cut - 1] == '-' || name[cut - 1] == '.'))
		cut--;
	snprintf(name + cut, n + 1 - cut, "-%02x%02x%02x%02x", md[0], md[1], md[2], md[3]);
	return name;
}

/* A required choice that is NULL or empty. */
static bool
missing(const char *v)
{
	return v == NULL || v[0] == '\0';
}

int
plan_check_choices(const struct plan_choices *ch, const char *arn_prefix, struct irsa_error *err)
{
	char shown[SHOW_MAX];

	if (ch == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "no choices to check");

	if (missing(ch->cluster)) {
		if (!missing(ch->context)) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the EKS cluster of context \"%s\" is not known",
			               show(ch->context, shown));
			return irsa_error_hint(err, "give --cluster NAME --region REGION instead of --context; `irsa "
			                            "clusters` lists the region's clusters");
		}
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no cluster given: give --cluster or --context");
		return irsa_error_hint(err, "`irsa clusters` lists the region's EKS clusters, `irsa contexts` the "
		                            "kubeconfig's contexts");
	}
	if (aws_eks_check_cluster_name(ch->cluster, NULL) != 0) {
		invalid(err, "cluster name", ch->cluster,
		        "it must have 1 to 100 letters, digits, '-' and '_', starting with a letter or digit");
		return irsa_error_hint(err, "give the name EKS shows; `irsa clusters` lists the region's clusters");
	}
	if (missing(ch->region)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no region given for cluster \"%s\": give --region",
		               show(ch->cluster, shown));
		return irsa_error_hint(err, "give --region REGION, or set AWS_REGION or the profile's region");
	}
	if (names_check_region(ch->region, err) != 0)
		return -1;
	return plan_check_names(ch, arn_prefix, err);
}

int
plan_check_names(const struct plan_choices *ch, const char *arn_prefix, struct irsa_error *err)
{
	char shown[SHOW_MAX], shown2[SHOW_MAX];
	size_t i;

	if (ch == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "no choices to check");
	if (ch->context != NULL && ch->context[0] == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the kubeconfig context given is empty");
		return irsa_error_hint(err, "give --context NAME, or leave it out for the current context; `irsa "
		                            "contexts` lists them");
	}
	if (missing(ch->ns)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no namespace given: give --namespace (-n)");
		return irsa_error_hint(err, "`irsa namespaces` lists the cluster's namespaces");
	}
	if (names_check_namespace(ch->ns, err) != 0)
		return -1;
	if (missing(ch->sa)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no service account given: give --service-account");
		return irsa_error_hint(err, "`irsa serviceaccounts -n %s` lists the namespace's service accounts",
		                       ch->ns);
	}
	if (names_check_serviceaccount(ch->sa, err) != 0)
		return -1;

	if (ch->role_name != NULL && ch->role_arn != NULL) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "both --role-name (\"%s\") and --role-arn (\"%s\") were given; give one of them",
		               show(ch->role_name, shown), show(ch->role_arn, shown2));
		return irsa_error_hint(err, "--role-name names a role of the account (created when missing), "
		                            "--role-arn an existing role");
	}
	if (ch->role_name != NULL && names_check_role_name(ch->role_name, err) != 0)
		return -1;
	if (ch->role_arn != NULL && names_check_role_arn(ch->role_arn, arn_prefix, err) != 0)
		return -1;
	if (ch->role_path != NULL && names_check_role_path(ch->role_path, err) != 0)
		return -1;
	for (i = 0; i < ch->n_policies; i++)
		if (names_check_policy_arn(ch->policies != NULL ? ch->policies[i] : NULL, arn_prefix, err) != 0)
			return -1;
	for (i = 0; i < ch->n_services; i++) {
		const char *svc = ch->services != NULL ? ch->services[i] : NULL;

		/* no principal is that long: say so without quoting it all */
		if (svc != NULL && strlen(svc) > SHOW_CUT) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "unknown AWS service principal \"%s\"",
			               show(svc, shown));
			return irsa_error_hint(err,
			                       "give a known short name such as ec2, lambda, ecs-tasks or eks-pods, "
			                       "or its full principal (ec2.amazonaws.com)");
		}
		if (trust_service_lookup(svc, err) == NULL)
			return -1;
	}
	if (ch->sts_regional != NULL && names_check_sts_regional(ch->sts_regional, err) != 0)
		return -1;
	if (ch->token_expiration != NULL && names_check_token_expiration(ch->token_expiration, err) != 0)
		return -1;
	return 0;
}
