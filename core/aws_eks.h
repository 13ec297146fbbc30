/* core/aws_eks.h - the EKS calls irsa makes (REST-JSON): ListClusters and
 * DescribeCluster, each a builder (struct aws_op for aws_client) and a parser
 * of the JSON answer into plain structs with owned strings.
 *
 * Builders refuse locally what EKS would (cluster names, page sizes) with
 * IRSA_ERR_INVALID_INPUT; parsers turn a malformed answer into
 * IRSA_ERR_PARSE naming the operation. Pure: no I/O. */
#ifndef IRSA_AWS_EKS_H
#define IRSA_AWS_EKS_H

#include <time.h>

#include "aws_op.h"
#include "buf.h"
#include "error.h"

#define AWS_EKS_MAX_RESULTS 100

/* One page of ListClusters. */
struct aws_eks_cluster_list {
	struct aws_strings names;
	char *next_token; /* NULL on the last page */
};

void aws_eks_cluster_list_release(struct aws_eks_cluster_list *l);

/* DescribeCluster's cluster. Strings owned, NULL when absent (a cluster
 * being created has no endpoint yet; authentication_mode is absent on old
 * answers). */
struct aws_eks_cluster {
	char *name;
	char *arn;
	char *version;             /* Kubernetes "1.31" */
	char *status;              /* CREATING ACTIVE DELETING FAILED UPDATING PENDING */
	char *endpoint;            /* https://<hex>.<suffix>.<region>.eks.amazonaws.com */
	char *ca_data;             /* certificateAuthority.data: base64 of the PEM bundle */
	char *oidc_issuer;         /* identity.oidc.issuer: https://oidc.eks.<region>.amazonaws.com/id/<HEX> */
	char *platform_version;    /* "eks.12" */
	char *authentication_mode; /* accessConfig.authenticationMode: API, API_AND_CONFIG_MAP, CONFIG_MAP */
	time_t created;            /* createdAt (epoch seconds in the JSON) */
	struct aws_tags tags;
};

void aws_eks_cluster_release(struct aws_eks_cluster *c);

/* Cluster names: 1-100 characters, a letter or digit then letters, digits,
 * '-' and '_'. Returns 0, or -1 with err set (IRSA_ERR_INVALID_INPUT). */
int aws_eks_check_cluster_name(const char *name, struct irsa_error *err);

/* GET /clusters?maxResults=&nextToken=. max_results 0 leaves EKS's default
 * (100); next_token NULL for the first page. Returns 0, or -1 with err set
 * and op empty. */
int aws_eks_op_list_clusters(struct aws_op *op, int max_results, const char *next_token, struct irsa_error *err);

/* GET /clusters/{name}. Returns as aws_eks_op_list_clusters(). */
int aws_eks_op_describe_cluster(struct aws_op *op, const char *name, struct irsa_error *err);

/* Parsers of a 2xx body: fill out (initialised here; the caller releases it,
 * also after a failure). Return 0, or -1 with err set (IRSA_ERR_PARSE naming
 * the operation, IRSA_ERR_INTERNAL). */
int aws_eks_parse_list_clusters(const struct buf *body, struct aws_eks_cluster_list *out, struct irsa_error *err);
int aws_eks_parse_describe_cluster(const struct buf *body, struct aws_eks_cluster *out, struct irsa_error *err);

#endif
