/* core/iam.h - the IAM calls end to end: each builds its request with the
 * aws_iam builders, sends it with aws_client_call() and reads the answer
 * with the aws_iam parsers. List calls follow IsTruncated + Marker to the
 * last page and hand back one list with every item.
 *
 * Errors name the operation and its object ("GetRole shop-prod-orders:
 * ...", "ListRoles: ...") with AWS's code, the request id and a hint
 * (aws_error). IAM is global: a client in any region of the partition
 * reaches it. No printing. */
#ifndef IRSA_IAM_H
#define IRSA_IAM_H

#include <stddef.h>

#include "aws_client.h"
#include "aws_iam.h"
#include "error.h"

/* Items asked for per page of a list call: IAM's maximum, so that 1,500 AWS
 * managed policies take 2 requests rather than the CLI's 15. */
#define IAM_PAGE_SIZE 1000

/* Every call: out (where there is one) is initialised here and the caller
 * releases it with the type's release function, also after a failure (the
 * items of the pages read before it stay in a list). Returns 0, or -1 with
 * err set. page_size: items per request, 0 for IAM_PAGE_SIZE. */

/* ListRoles: every role under path_prefix (NULL: all). */
int iam_list_roles(struct aws_client *c, const char *path_prefix, int page_size, struct aws_role_list *out,
                   struct irsa_error *err);
int iam_get_role(struct aws_client *c, const char *role_name, struct aws_role *out, struct irsa_error *err);
int iam_create_role(struct aws_client *c, const struct aws_iam_create_role *in, struct aws_role *out,
                    struct irsa_error *err);
int iam_delete_role(struct aws_client *c, const char *role_name, struct irsa_error *err);
int iam_update_assume_role_policy(struct aws_client *c, const char *role_name, const char *policy_document,
                                  struct irsa_error *err);
int iam_tag_role(struct aws_client *c, const char *role_name, const struct aws_tag *tags, size_t n_tags,
                 struct irsa_error *err);
int iam_attach_role_policy(struct aws_client *c, const char *role_name, const char *policy_arn, struct irsa_error *err);
int iam_detach_role_policy(struct aws_client *c, const char *role_name, const char *policy_arn, struct irsa_error *err);

/* ListAttachedRolePolicies: every managed policy attached to the role. */
int iam_list_attached_role_policies(struct aws_client *c, const char *role_name, const char *path_prefix,
                                    struct aws_attached_policy_list *out, struct irsa_error *err);
/* ListRolePolicies: the names of every inline policy of the role. */
int iam_list_role_policies(struct aws_client *c, const char *role_name, struct aws_name_list *out,
                           struct irsa_error *err);
int iam_get_role_policy(struct aws_client *c, const char *role_name, const char *policy_name,
                        struct aws_role_policy *out, struct irsa_error *err);

/* ListPolicies: every policy in->scope, in->only_attached, in->path_prefix
 * and in->usage_filter select; in->marker is ignored and in->max_items is
 * the page size (0: IAM_PAGE_SIZE). IAM leaves Description out of these
 * answers: iam_get_policies() has it. */
int iam_list_policies(struct aws_client *c, const struct aws_iam_list_policies *in, struct aws_policy_list *out,
                      struct irsa_error *err);
int iam_get_policy(struct aws_client *c, const char *policy_arn, struct aws_policy *out, struct irsa_error *err);

/* GetPolicy for n policies at once (aws_client_call_many). out is an array
 * of n (initialised here; the caller releases each). Returns 0 when every
 * call succeeded, else -1 with err set to the first failure's error (the
 * policies that did come back are filled). */
int iam_get_policies(struct aws_client *c, const char *const *policy_arns, size_t n, struct aws_policy *out,
                     struct irsa_error *err);
int iam_get_policy_version(struct aws_client *c, const char *policy_arn, const char *version_id,
                           struct aws_policy_version *out, struct irsa_error *err);

/* ListOpenIDConnectProviders (not paginated by IAM): the providers' ARNs. */
int iam_list_oidc_providers(struct aws_client *c, struct aws_strings *arns, struct irsa_error *err);
int iam_get_oidc_provider(struct aws_client *c, const char *provider_arn, struct aws_oidc_provider *out,
                          struct irsa_error *err);
/* CreateOpenIDConnectProvider; *arn is the new provider's ARN (the caller
 * frees it; NULL after a failure). */
int iam_create_oidc_provider(struct aws_client *c, const char *url, const char *const *client_ids, size_t n_client_ids,
                             const char *const *thumbprints, size_t n_thumbprints, const struct aws_tag *tags,
                             size_t n_tags, char **arn, struct irsa_error *err);
int iam_delete_oidc_provider(struct aws_client *c, const char *provider_arn, struct irsa_error *err);
int iam_add_client_id_to_oidc_provider(struct aws_client *c, const char *provider_arn, const char *client_id,
                                       struct irsa_error *err);
int iam_remove_client_id_from_oidc_provider(struct aws_client *c, const char *provider_arn, const char *client_id,
                                            struct irsa_error *err);
int iam_update_oidc_provider_thumbprint(struct aws_client *c, const char *provider_arn, const char *const *thumbprints,
                                        size_t n_thumbprints, struct irsa_error *err);
int iam_get_account_summary(struct aws_client *c, struct aws_account_summary *out, struct irsa_error *err);

/* The ARN IAM gives the OIDC provider of issuer in account:
 * "arn:<partition>:iam::<account>:oidc-provider/<issuer without https://>"
 * (a trailing '/' dropped). arn_prefix is aws_arn_prefix()'s ("arn:aws:").
 * Returns a new string the caller frees, or NULL when out of memory. */
char *iam_oidc_provider_arn(const char *arn_prefix, const char *account, const char *issuer);

/* The same for an EKS cluster: the account and partition read from its ARN
 * ("arn:aws:eks:us-east-1:123456789012:cluster/shop-prod"). Returns a new
 * string the caller frees, or NULL when cluster_arn is not an ARN, issuer
 * is NULL or empty, or out of memory. */
char *iam_cluster_provider_arn(const char *cluster_arn, const char *issuer);

#endif
