/* core/policy_scan.h - reading IAM identity policies (a role's inline
 * policies, a managed policy's default version) for the audit's permission
 * checks: which Allow statements grant an action, on which resources, under
 * which condition keys.
 *
 * Parsing is trust_parse()'s: an identity policy is a trust policy without
 * Principal, so the statements come as struct trust_statement (Action,
 * NotAction, Resource, NotResource, Condition, string or array alike). This
 * adds IAM's matching: action names case-insensitive, resources
 * case-sensitive, '*' any run of characters and '?' one (trust_like()),
 * NotAction and NotResource as "everything but", and each statement's JSON
 * for evidence. Deny statements grant nothing here; they are not subtracted
 * from the Allows (the audit reports what the Allows give).
 *
 * Pure: no I/O. */
#ifndef IRSA_POLICY_SCAN_H
#define IRSA_POLICY_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "trust.h"

struct json_object;

/* A parsed identity policy. Owned; policy_doc_release(). */
struct policy_doc {
	struct trust *t;          /* the statements */
	struct json_object *root; /* the document as JSON, for evidence; NULL when only trust_parse() read it */
};

/* Parses a policy document (JSON, or URL-encoded as IAM returns it).
 * Returns 0 and fills out (the caller releases it), or -1 with err set
 * (IRSA_ERR_PARSE naming the statement and field). */
int policy_doc_parse(const char *text, struct policy_doc *out, struct irsa_error *err);

/* Frees what d holds and leaves it empty. */
void policy_doc_release(struct policy_doc *d);

/* Statement i as it was written (a JSON object), or NULL. Borrowed from d. */
struct json_object *policy_doc_statement(const struct policy_doc *d, size_t i);

/* Whether an Action or Resource pattern matches everything: only '*'
 * characters, and at most one ':' between them ("*", "*:*"). */
bool policy_pattern_is_all(const char *pattern);

/* Whether an action pattern is a service-wide wildcard: "s3:*", "IAM:**"
 * (a service prefix without wildcards, then only '*'). */
bool policy_action_service_wide(const char *pattern);

/* How an Allow statement grants an action. */
enum policy_grant {
	POLICY_GRANT_NONE,       /* it does not (or it is a Deny) */
	POLICY_GRANT_ACTION,     /* an Action pattern matches it (*via: the pattern) */
	POLICY_GRANT_NOT_ACTION, /* NotAction is there and none of its patterns matches it (*via: NULL) */
};

/* Whether the Allow statement st grants action ("iam:PassRole"; action
 * names are case-insensitive). via (may be NULL) gets the Action pattern
 * that matched, borrowed from st. */
enum policy_grant policy_statement_grants(const struct trust_statement *st, const char *action, const char **via);

/* Whether the Allow statement st grants every action: an Action pattern
 * that matches everything, or a NotAction without one (everything but a
 * few). via (may be NULL) gets the pattern, or NULL for NotAction. */
bool policy_statement_all_actions(const struct trust_statement *st, const char **via);

/* Whether st applies to every resource: a Resource pattern that matches
 * everything, or a NotResource without one. via as above. */
bool policy_statement_all_resources(const struct trust_statement *st, const char **via);

/* Whether st applies to the resource arn (case-sensitive): a Resource
 * pattern matches it, or NotResource is there and none of its patterns
 * does. A statement with neither applies to nothing. via (may be NULL)
 * gets the Resource pattern that matched, or NULL for NotResource. */
bool policy_statement_covers(const struct trust_statement *st, const char *arn, const char **via);

/* Whether st has a condition on key (any operator; key names are
 * case-insensitive). */
bool policy_statement_has_key(const struct trust_statement *st, const char *key);

#endif
