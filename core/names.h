/* core/names.h - the syntax of the names and values a user gives irsa before
 * any call is made: Kubernetes namespaces (DNS-1123 labels) and service
 * accounts (DNS-1123 subdomains), IAM role names and paths, role and
 * policy ARNs and their partition, regions, and the values of the
 * annotations irsa writes. names.c also implements plan_role_name() and
 * plan_check_choices() (plan.h).
 *
 * Every check returns 0, or -1 with err set to IRSA_ERR_INVALID_INPUT: one
 * sentence naming the field, the value (quoted, cut to about 80 characters)
 * and the rule it breaks, and a hint with the fix or an example. Pure: no
 * I/O. */
#ifndef IRSA_NAMES_H
#define IRSA_NAMES_H

#include <stdbool.h>

#include "error.h"

#define NAMES_NAMESPACE_MAX      63  /* DNS-1123 label */
#define NAMES_SERVICEACCOUNT_MAX 253 /* DNS-1123 subdomain */
#define NAMES_ROLE_NAME_MAX      64
#define NAMES_ROLE_PATH_MAX      512
#define NAMES_POLICY_NAME_MAX    128
#define NAMES_TOKEN_EXP_MIN      600   /* the webhook raises anything lower to this */
#define NAMES_TOKEN_EXP_MAX      86400 /* the webhook's default: a day */
#define NAMES_PARTITION_MAX      32    /* room for a partition name and its NUL */

/* A Kubernetes namespace: 1-63 of [a-z0-9-], starting and ending with a
 * letter or digit. */
int names_check_namespace(const char *ns, struct irsa_error *err);

/* A service account name: 1-253 of [a-z0-9.-], each dot-separated label
 * starting and ending with a letter or digit. */
int names_check_serviceaccount(const char *sa, struct irsa_error *err);

/* An IAM role name: 1-64 of [A-Za-z0-9+=,.@_-]. */
int names_check_role_name(const char *name, struct irsa_error *err);

/* An IAM role path: "/" or "/.../", 1-512 characters of \x21-\x7E. */
int names_check_role_path(const char *path, struct irsa_error *err);

/* arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME: a 12-digit account, the
 * name and path rules above. When arn_prefix ("arn:aws:") is not NULL the
 * ARN's partition must be its partition. */
int names_check_role_arn(const char *arn, const char *arn_prefix, struct irsa_error *err);

/* arn:PARTITION:iam::ACCOUNT:policy/[PATH/]NAME: ACCOUNT "aws" (AWS managed)
 * or 12 digits, NAME 1-128 of [A-Za-z0-9+=,.@_-]. arn_prefix as above. */
int names_check_policy_arn(const char *arn, const char *arn_prefix, struct irsa_error *err);

/* An AWS region: [a-z]{2}(-[a-z]+)+-[0-9]+ (us-east-1, us-gov-west-1,
 * cn-north-1). */
int names_check_region(const char *region, struct irsa_error *err);

/* The eks.amazonaws.com/sts-regional-endpoints value: "true" or "false". */
int names_check_sts_regional(const char *v, struct irsa_error *err);

/* The eks.amazonaws.com/token-expiration value: whole seconds, 600-86400. */
int names_check_token_expiration(const char *v, struct irsa_error *err);

/* The partition of an ARN or ARN prefix ("arn:aws-cn:..." gives "aws-cn"):
 * copied into out and true, or false (out "") when arn does not start with
 * "arn:", a partition of lower-case letters, digits and '-', and ':'. */
bool names_arn_partition(const char *arn, char out[NAMES_PARTITION_MAX]);

#endif
