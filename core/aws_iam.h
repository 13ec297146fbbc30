/* core/aws_iam.h - the IAM calls irsa makes: for each operation a builder
 * (what to send, as a struct aws_op for aws_client) and a parser (what the
 * answer means, into plain structs with owned strings).
 *
 * Builders check their input as IAM would (names, paths, lengths, counts)
 * and refuse it locally with IRSA_ERR_INVALID_INPUT and the rule in the
 * message. On failure the op is left empty. Parsers read the XML answer of
 * a 2xx; a malformed one is IRSA_ERR_PARSE naming the operation. Policy
 * documents come back URL-encoded (RFC 3986) from IAM: parsers decode them.
 * IAM has no server-side search: list calls return pages (IsTruncated +
 * Marker) and the caller filters. Pure: no I/O. */
#ifndef IRSA_AWS_IAM_H
#define IRSA_AWS_IAM_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aws_op.h"
#include "buf.h"
#include "error.h"

#define AWS_IAM_MAX_TAGS        50
#define AWS_IAM_MAX_POLICY_LEN  131072 /* characters in a policy document (the model's cap, not the quota) */
#define AWS_IAM_MAX_CLIENT_IDS  100
#define AWS_IAM_MAX_THUMBPRINTS 5
#define AWS_IAM_MIN_SESSION     3600
#define AWS_IAM_MAX_SESSION     43200

/* --- answers ---------------------------------------------------------------- */

/* A role. Strings owned; NULL when the answer did not carry the field
 * (ListRoles omits Tags, PermissionsBoundary and RoleLastUsed). Dates are
 * 0 when absent. */
struct aws_role {
	char *name;
	char *arn;
	char *role_id;
	char *path;
	time_t created;
	char *description;
	long max_session_duration; /* seconds, 0 when absent */
	/* The AssumeRolePolicyDocument as JSON text: URL-decoded when IAM sent
	 * it encoded (real IAM), as sent when it was JSON already (moto's
	 * ListRoles). trust_policy_json is false when neither parses as JSON:
	 * then it holds the text as sent. */
	char *trust_policy;
	bool trust_policy_json;
	struct aws_tags tags;
	char *permissions_boundary_arn;
	time_t last_used; /* RoleLastUsed/LastUsedDate */
	char *last_used_region;
};

void aws_role_release(struct aws_role *r);

/* One page of ListRoles. */
struct aws_role_list {
	struct aws_role *v;
	size_t n;
	bool truncated; /* another page follows: call again with marker */
	char *marker;
};

void aws_role_list_release(struct aws_role_list *l);

struct aws_attached_policy {
	char *name;
	char *arn;
};

/* One page of ListAttachedRolePolicies. */
struct aws_attached_policy_list {
	struct aws_attached_policy *v;
	size_t n;
	bool truncated;
	char *marker;
};

void aws_attached_policy_list_release(struct aws_attached_policy_list *l);

/* One page of names (ListRolePolicies: the inline policy names). */
struct aws_name_list {
	struct aws_strings names;
	bool truncated;
	char *marker;
};

void aws_name_list_release(struct aws_name_list *l);

/* GetRolePolicy: an inline policy. document as struct aws_role's trust_policy. */
struct aws_role_policy {
	char *role_name;
	char *policy_name;
	char *document;
	bool document_json;
};

void aws_role_policy_release(struct aws_role_policy *p);

/* A managed policy (ListPolicies, GetPolicy). Tags only from GetPolicy. */
struct aws_policy {
	char *name;
	char *id;
	char *arn;
	char *path;
	char *default_version_id;
	char *description;
	long attachment_count;
	long boundary_usage_count;
	bool is_attachable;
	time_t created;
	time_t updated;
	struct aws_tags tags;
};

void aws_policy_release(struct aws_policy *p);

/* One page of ListPolicies. */
struct aws_policy_list {
	struct aws_policy *v;
	size_t n;
	bool truncated;
	char *marker;
};

void aws_policy_list_release(struct aws_policy_list *l);

/* GetPolicyVersion. document as struct aws_role's trust_policy. */
struct aws_policy_version {
	char *document;
	bool document_json;
	char *version_id;
	bool is_default;
	time_t created;
};

void aws_policy_version_release(struct aws_policy_version *v);

/* GetOpenIDConnectProvider. url comes back without "https://". */
struct aws_oidc_provider {
	char *url;
	struct aws_strings client_ids;
	struct aws_strings thumbprints;
	struct aws_tags tags;
	time_t created;
};

void aws_oidc_provider_release(struct aws_oidc_provider *p);

/* GetAccountSummary: the SummaryMap, in the answer's order (Roles,
 * RolesQuota, AssumeRolePolicySizeQuota, RolePolicySizeQuota, ...). */
struct aws_summary_entry {
	char *key;
	long value;
};

struct aws_account_summary {
	struct aws_summary_entry *v;
	size_t n;
};

/* Sets *value to the entry called key. Returns 0, or -1 when absent. */
int aws_account_summary_get(const struct aws_account_summary *s, const char *key, long *value);

void aws_account_summary_release(struct aws_account_summary *s);

/* A policy document as IAM returns it, made JSON text: if text is JSON
 * already it is kept as is, else it is percent-decoded (RFC 3986: "+" stays
 * "+"); *is_json says whether the result parses as JSON (when neither form
 * does, the text as sent is returned). Returns a new string the caller
 * frees, or NULL when out of memory. */
char *aws_iam_policy_decode(const char *text, bool *is_json);

/* --- requests --------------------------------------------------------------- */

/* Role names: 1-64 of A-Z a-z 0-9 + = , . @ _ -. Returns 0, or -1 with err
 * set (IRSA_ERR_INVALID_INPUT, the rule in the message). */
int aws_iam_check_role_name(const char *name, struct irsa_error *err);

/* Role paths: "/" or "/.../", 1-512 characters, printable ASCII. */
int aws_iam_check_path(const char *path, struct irsa_error *err);

/* Every builder: op need not be initialised; returns 0, or -1 with err set
 * (IRSA_ERR_INVALID_INPUT, or IRSA_ERR_INTERNAL when out of memory) and op
 * empty. Optional strings may be NULL, max_items 0 leaves IAM's default
 * (100). */

int aws_iam_op_list_roles(struct aws_op *op, const char *path_prefix, const char *marker, int max_items,
                          struct irsa_error *err);
int aws_iam_op_get_role(struct aws_op *op, const char *role_name, struct irsa_error *err);

/* CreateRole's input. Everything borrowed; optional fields NULL or 0. */
struct aws_iam_create_role {
	const char *role_name;
	const char *path;         /* default "/" */
	const char *trust_policy; /* JSON text, sent as is */
	const char *description;
	long max_session_duration; /* 3600-43200 seconds; 0: IAM's default (3600) */
	const char *permissions_boundary_arn;
	const struct aws_tag *tags;
	size_t n_tags;
};

int aws_iam_op_create_role(struct aws_op *op, const struct aws_iam_create_role *in, struct irsa_error *err);
int aws_iam_op_delete_role(struct aws_op *op, const char *role_name, struct irsa_error *err);
int aws_iam_op_update_assume_role_policy(struct aws_op *op, const char *role_name, const char *policy_document,
                                         struct irsa_error *err);
int aws_iam_op_tag_role(struct aws_op *op, const char *role_name, const struct aws_tag *tags, size_t n_tags,
                        struct irsa_error *err);
int aws_iam_op_attach_role_policy(struct aws_op *op, const char *role_name, const char *policy_arn,
                                  struct irsa_error *err);
int aws_iam_op_detach_role_policy(struct aws_op *op, const char *role_name, const char *policy_arn,
                                  struct irsa_error *err);
int aws_iam_op_list_attached_role_policies(struct aws_op *op, const char *role_name, const char *path_prefix,
                                           const char *marker, int max_items, struct irsa_error *err);
int aws_iam_op_list_role_policies(struct aws_op *op, const char *role_name, const char *marker, int max_items,
                                  struct irsa_error *err);
int aws_iam_op_get_role_policy(struct aws_op *op, const char *role_name, const char *policy_name,
                               struct irsa_error *err);

/* ListPolicies' input. Everything borrowed; optional fields NULL, false or 0. */
struct aws_iam_list_policies {
	const char *scope; /* "All" (IAM's default), "AWS" or "Local" (customer managed) */
	bool only_attached;
	const char *path_prefix;  /* "/" or "/a/b/" */
	const char *usage_filter; /* "PermissionsPolicy" or "PermissionsBoundary" */
	const char *marker;
	int max_items;
};

int aws_iam_op_list_policies(struct aws_op *op, const struct aws_iam_list_policies *in, struct irsa_error *err);
int aws_iam_op_get_policy(struct aws_op *op, const char *policy_arn, struct irsa_error *err);
int aws_iam_op_get_policy_version(struct aws_op *op, const char *policy_arn, const char *version_id,
                                  struct irsa_error *err);
int aws_iam_op_list_oidc_providers(struct aws_op *op, struct irsa_error *err);
int aws_iam_op_get_oidc_provider(struct aws_op *op, const char *provider_arn, struct irsa_error *err);

/* url: "https://host[/path]" (no port, query or fragment). thumbprints may
 * be empty: IAM then fetches the issuer's CA thumbprint itself. */
int aws_iam_op_create_oidc_provider(struct aws_op *op, const char *url, const char *const *client_ids,
                                    size_t n_client_ids, const char *const *thumbprints, size_t n_thumbprints,
                                    const struct aws_tag *tags, size_t n_tags, struct irsa_error *err);
int aws_iam_op_delete_oidc_provider(struct aws_op *op, const char *provider_arn, struct irsa_error *err);
int aws_iam_op_add_client_id_to_oidc_provider(struct aws_op *op, const char *provider_arn, const char *client_id,
                                              struct irsa_error *err);
int aws_iam_op_remove_client_id_from_oidc_provider(struct aws_op *op, const char *provider_arn, const char *client_id,
                                                   struct irsa_error *err);
int aws_iam_op_update_oidc_provider_thumbprint(struct aws_op *op, const char *provider_arn,
                                               const char *const *thumbprints, size_t n_thumbprints,
                                               struct irsa_error *err);
int aws_iam_op_get_account_summary(struct aws_op *op, struct irsa_error *err);

/* --- parsers ---------------------------------------------------------------- */

/* Each parses the body of a 2xx answer into out (which it initialises; the
 * caller releases it, also after a failure). Returns 0, or -1 with err set
 * (IRSA_ERR_PARSE naming the operation, IRSA_ERR_INTERNAL when out of
 * memory). */
int aws_iam_parse_list_roles(const struct buf *body, struct aws_role_list *out, struct irsa_error *err);
int aws_iam_parse_get_role(const struct buf *body, struct aws_role *out, struct irsa_error *err);
int aws_iam_parse_create_role(const struct buf *body, struct aws_role *out, struct irsa_error *err);
int aws_iam_parse_list_attached_role_policies(const struct buf *body, struct aws_attached_policy_list *out,
                                              struct irsa_error *err);
int aws_iam_parse_list_role_policies(const struct buf *body, struct aws_name_list *out, struct irsa_error *err);
int aws_iam_parse_get_role_policy(const struct buf *body, struct aws_role_policy *out, struct irsa_error *err);
int aws_iam_parse_list_policies(const struct buf *body, struct aws_policy_list *out, struct irsa_error *err);
int aws_iam_parse_get_policy(const struct buf *body, struct aws_policy *out, struct irsa_error *err);
int aws_iam_parse_get_policy_version(const struct buf *body, struct aws_policy_version *out, struct irsa_error *err);
int aws_iam_parse_list_oidc_providers(const struct buf *body, struct aws_strings *arns, struct irsa_error *err);
int aws_iam_parse_get_oidc_provider(const struct buf *body, struct aws_oidc_provider *out, struct irsa_error *err);
/* *arn is new; the caller frees it. */
int aws_iam_parse_create_oidc_provider(const struct buf *body, char **arn, struct irsa_error *err);
int aws_iam_parse_get_account_summary(const struct buf *body, struct aws_account_summary *out, struct irsa_error *err);

/* The answer of an operation without output (DeleteRole, TagRole,
 * UpdateAssumeRolePolicy, AttachRolePolicy, DetachRolePolicy,
 * DeleteOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider,
 * UpdateOpenIDConnectProviderThumbprint): checks it is <opResponse>, so a
 * proxy's 200 page is not taken for success. */
int aws_iam_parse_empty(const struct buf *body, const char *op, struct irsa_error *err);

#endif
