/* core/iam.c - the IAM calls end to end (see iam.h): builder,
 * aws_client_call(), parser; list calls through aws_paginate(). Owns
 * nothing beyond a call; no printing. */
#include "config.h"

#include "iam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_batch.h"
#include "aws_pager.h"
#include "buf.h"
#include "http.h"

/* Sends op once its builder returned built (0: built; else err is set) and
 * releases it. resp is initialised whatever happens; the caller releases it. */
static int
exchange(struct aws_client *c, struct aws_op *op, int built, struct http_response *resp, struct irsa_error *err)
{
	int rc;

	http_response_init(resp);
	if (built != 0)
		return -1;
	rc = aws_client_call(c, op, resp, err);
	aws_op_release(op);
	return rc;
}

/* A call without output: checks the answer is <opResponse>. */
static int
exchange_empty(struct aws_client *c, struct aws_op *op, int built, struct irsa_error *err)
{
	struct http_response resp;
	const char *name;
	int rc;

	if (built != 0)
		return -1;
	name = op->name; /* static: outlives the op */
	rc = exchange(c, op, 0, &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_empty(&resp.body, name, err);
	http_response_release(&resp);
	return rc;
}

static int
page_size(int n)
{
	return n > 0 ? n : IAM_PAGE_SIZE;
}

static int
take_oom(int rc, const char *op, struct irsa_error *err)
{
	return rc == 0 ? 0 : irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", op);
}

/* --- roles ----------------------------------------------------------------------- */

struct list_in {
	const char *role_name;
	const char *path_prefix;
	int page_size;
};

static int
roles_build(struct aws_op *op, const void *in, const char *marker, struct irsa_error *err)
{
	const struct list_in *r = in;

	return aws_iam_op_list_roles(op, r->path_prefix, marker, r->page_size, err);
}

static int
roles_take(const struct buf *body, void *out, char **next, struct irsa_error *err)
{
	struct aws_role_list page, *all = out;
	int rc = aws_iam_parse_list_roles(body, &page, err);

	if (rc == 0)
		rc = take_oom(aws_pager_take(&all->v, &all->n, &page.v, &page.n, sizeof(*page.v),
		                             page.truncated ? &page.marker : NULL, next),
		              "ListRoles", err);
	aws_role_list_release(&page);
	return rc;
}

int
iam_list_roles(struct aws_client *c, const char *path_prefix, int size, struct aws_role_list *out,
               struct irsa_error *err)
{
	static const struct aws_pager pager = {roles_build, roles_take};
	struct list_in in = {NULL, path_prefix, page_size(size)};

	memset(out, 0, sizeof(*out));
	return aws_paginate(c, &pager, &in, out, err);
}

int
iam_get_role(struct aws_client *c, const char *role_name, struct aws_role *out, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = exchange(c, &op, aws_iam_op_get_role(&op, role_name, err), &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_get_role(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

int
iam_create_role(struct aws_client *c, const struct aws_iam_create_role *in, struct aws_role *out,
                struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = exchange(c, &op, aws_iam_op_create_role(&op, in, err), &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_create_role(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

int
iam_delete_role(struct aws_client *c, const char *role_name, struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_delete_role(&op, role_name, err), err);
}

int
iam_update_assume_role_policy(struct aws_client *c, const char *role_name, const char *policy_document,
                              struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_update_assume_role_policy(&op, role_name, policy_document, err), err);
}

int
iam_tag_role(struct aws_client *c, const char *role_name, const struct aws_tag *tags, size_t n_tags,
             struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_tag_role(&op, role_name, tags, n_tags, err), err);
}

int
iam_attach_role_policy(struct aws_client *c, const char *role_name, const char *policy_arn, struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_attach_role_policy(&op, role_name, policy_arn, err), err);
}

int
iam_detach_role_policy(struct aws_client *c, const char *role_name, const char *policy_arn, struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_detach_role_policy(&op, role_name, policy_arn, err), err);
}

/* --- a role's policies ------------------------------------------------------------ */

static int
attached_build(struct aws_op *op, const void *in, const char *marker, struct irsa_error *err)
{
	const struct list_in *r = in;

	return aws_iam_op_list_attached_role_policies(op, r->role_name, r->path_prefix, marker, r->page_size, err);
}

static int
attached_take(const struct buf *body, void *out, char **next, struct irsa_error *err)
{
	struct aws_attached_policy_list page, *all = out;
	int rc = aws_iam_parse_list_attached_role_policies(body, &page, err);

	if (rc == 0)
		rc = take_oom(aws_pager_take(&all->v, &all->n, &page.v, &page.n, sizeof(*page.v),
		                             page.truncated ? &page.marker : NULL, next),
		              "ListAttachedRolePolicies", err);
	aws_attached_policy_list_release(&page);
	return rc;
}

int
iam_list_attached_role_policies(struct aws_client *c, const char *role_name, const char *path_prefix,
                                struct aws_attached_policy_list *out, struct irsa_error *err)
{
	static const struct aws_pager pager = {attached_build, attached_take};
	struct list_in in = {role_name, path_prefix, IAM_PAGE_SIZE};

	memset(out, 0, sizeof(*out));
	return aws_paginate(c, &pager, &in, out, err);
}

static int
inline_build(struct aws_op *op, const void *in, const char *marker, struct irsa_error *err)
{
	const struct list_in *r = in;

	return aws_iam_op_list_role_policies(op, r->role_name, marker, r->page_size, err);
}

static int
inline_take(const struct buf *body, void *out, char **next, struct irsa_error *err)
{
	struct aws_name_list page, *all = out;
	int rc = aws_iam_parse_list_role_policies(body, &page, err);

	if (rc == 0)
		rc = take_oom(aws_pager_take(&all->names.v, &all->names.n, &page.names.v, &page.names.n,
		                             sizeof(*page.names.v), page.truncated ? &page.marker : NULL, next),
		              "ListRolePolicies", err);
	aws_name_list_release(&page);
	return rc;
}

int
iam_list_role_policies(struct aws_client *c, const char *role_name, struct aws_name_list *out, struct irsa_error *err)
{
	static const struct aws_pager pager = {inline_build, inline_take};
	struct list_in in = {role_name, NULL, IAM_PAGE_SIZE};

	memset(out, 0, sizeof(*out));
	return aws_paginate(c, &pager, &in, out, err);
}

int
iam_get_role_policy(struct aws_client *c, const char *role_name, const char *policy_name, struct aws_role_policy *out,
                    struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = exchange(c, &op, aws_iam_op_get_role_policy(&op, role_name, policy_name, err), &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_get_role_policy(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

/* --- managed policies ---------------------------------------------------------------- */

static int
policies_build(struct aws_op *op, const void *in, const char *marker, struct irsa_error *err)
{
	struct aws_iam_list_policies p = *(const struct aws_iam_list_policies *)in;

	p.marker = marker;
	return aws_iam_op_list_policies(op, &p, err);
}

static int
policies_take(const struct buf *body, void *out, char **next, struct irsa_error *err)
{
	struct aws_policy_list page, *all = out;
	int rc = aws_iam_parse_list_policies(body, &page, err);

	if (rc == 0)
		rc = take_oom(aws_pager_take(&all->v, &all->n, &page.v, &page.n, sizeof(*page.v),
		                             page.truncated ? &page.marker : NULL, next),
		              "ListPolicies", err);
	aws_policy_list_release(&page);
	return rc;
}

int
iam_list_policies(struct aws_client *c, const struct aws_iam_list_policies *in, struct aws_policy_list *out,
                  struct irsa_error *err)
{
	static const struct aws_pager pager = {policies_build, policies_take};
	struct aws_iam_list_policies p = *in;

	memset(out, 0, sizeof(*out));
	p.marker = NULL;
	p.max_items = page_size(in->max_items);
	return aws_paginate(c, &pager, &p, out, err);
}

static int
get_policy_build(struct aws_op *op, const void *in, size_t i, struct irsa_error *err)
{
	const char *const *arns = in;

	return aws_iam_op_get_policy(op, arns[i], err);
}

static int
get_policy_parse(const struct buf *body, void *out, size_t i, struct irsa_error *err)
{
	struct aws_policy *policies = out;

	return aws_iam_parse_get_policy(body, &policies[i], err);
}

int
iam_get_policies(struct aws_client *c, const char *const *policy_arns, size_t n, struct aws_policy *out,
                 struct irsa_error *err)
{
	static const struct aws_batch batch = {get_policy_build, get_policy_parse};

	memset(out, 0, n * sizeof(*out));
	return aws_batch_run(c, &batch, policy_arns, out, n, err);
}

int
iam_get_policy(struct aws_client *c, const char *policy_arn, struct aws_policy *out, struct irsa_error *err)
{
	return iam_get_policies(c, &policy_arn, 1, out, err);
}

int
iam_get_policy_version(struct aws_client *c, const char *policy_arn, const char *version_id,
                       struct aws_policy_version *out, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = exchange(c, &op, aws_iam_op_get_policy_version(&op, policy_arn, version_id, err), &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_get_policy_version(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

/* --- OIDC providers --------------------------------------------------------------------- */

int
iam_list_oidc_providers(struct aws_client *c, struct aws_strings *arns, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(arns, 0, sizeof(*arns));
	rc = exchange(c, &op, aws_iam_op_list_oidc_providers(&op, err), &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_list_oidc_providers(&resp.body, arns, err);
	http_response_release(&resp);
	return rc;
}

int
iam_get_oidc_provider(struct aws_client *c, const char *provider_arn, struct aws_oidc_provider *out,
                      struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = exchange(c, &op, aws_iam_op_get_oidc_provider(&op, provider_arn, err), &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_get_oidc_provider(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

int
iam_create_oidc_provider(struct aws_client *c, const char *url, const char *const *client_ids, size_t n_client_ids,
                         const char *const *thumbprints, size_t n_thumbprints, const struct aws_tag *tags,
                         size_t n_tags, char **arn, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	*arn = NULL;
	rc = exchange(c, &op,
	              aws_iam_op_create_oidc_provider(&op, url, client_ids, n_client_ids, thumbprints, n_thumbprints,
	                                              tags, n_tags, err),
	              &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_create_oidc_provider(&resp.body, arn, err);
	http_response_release(&resp);
	return rc;
}

int
iam_delete_oidc_provider(struct aws_client *c, const char *provider_arn, struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_delete_oidc_provider(&op, provider_arn, err), err);
}

int
iam_add_client_id_to_oidc_provider(struct aws_client *c, const char *provider_arn, const char *client_id,
                                   struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_add_client_id_to_oidc_provider(&op, provider_arn, client_id, err),
	                      err);
}

int
iam_remove_client_id_from_oidc_provider(struct aws_client *c, const char *provider_arn, const char *client_id,
                                        struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(c, &op, aws_iam_op_remove_client_id_from_oidc_provider(&op, provider_arn, client_id, err),
	                      err);
}

int
iam_update_oidc_provider_thumbprint(struct aws_client *c, const char *provider_arn, const char *const *thumbprints,
                                    size_t n_thumbprints, struct irsa_error *err)
{
	struct aws_op op;

	return exchange_empty(
	        c, &op, aws_iam_op_update_oidc_provider_thumbprint(&op, provider_arn, thumbprints, n_thumbprints, err),
	        err);
}

char *
iam_oidc_provider_arn(const char *arn_prefix, const char *account, const char *issuer)
{
	const char *host = issuer;
	size_t n;
	char *out;
	int len;

	if (strncmp(host, "https://", 8) == 0)
		host += 8;
	n = strlen(host);
	if (n > 0 && host[n - 1] == '/')
		n--;
	len = snprintf(NULL, 0, "%siam::%s:oidc-provider/%.*s", arn_prefix, account, (int)n, host);
	if (len < 0 || (out = malloc((size_t)len + 1)) == NULL)
		return NULL;
	snprintf(out, (size_t)len + 1, "%siam::%s:oidc-provider/%.*s", arn_prefix, account, (int)n, host);
	return out;
}

char *
iam_cluster_provider_arn(const char *cluster_arn, const char *issuer)
{
	const char *field[6], *p = cluster_arn;
	char prefix[64], account[32];
	size_t n = 0;

	if (p == NULL || issuer == NULL || *issuer == '\0')
		return NULL;
	field[n++] = p;
	while (n < 6 && (p = strchr(p, ':')) != NULL)
		field[n++] = ++p;
	if (n < 6 || field[2] - field[0] >= (long)sizeof(prefix) || field[5] - field[4] > (long)sizeof(account))
		return NULL;
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(field[2] - field[0]), field[0]);       /* "arn:aws:" */
	snprintf(account, sizeof(account), "%.*s", (int)(field[5] - field[4] - 1), field[4]); /* "123456789012" */
	return iam_oidc_provider_arn(prefix, account, issuer);
}

/* --- the account -------------------------------------------------------------------- */

int
iam_get_account_summary(struct aws_client *c, struct aws_account_summary *out, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = exchange(c, &op, aws_iam_op_get_account_summary(&op, err), &resp, err);
	if (rc == 0)
		rc = aws_iam_parse_get_account_summary(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}
