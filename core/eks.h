/* core/eks.h - the EKS calls end to end: ListClusters followed to its last
 * page, DescribeCluster one at a time or many at once, and the scan of
 * many regions at once that `irsa clusters` shows (a thread per region,
 * each with its own client sharing one credentials provider).
 *
 * Errors name the operation and its object ("DescribeCluster shop-prod:
 * ...") with AWS's code, the request id and a hint (aws_error). No
 * printing. */
#ifndef IRSA_EKS_H
#define IRSA_EKS_H

#include <stddef.h>

#include "aws_client.h"
#include "aws_eks.h"
#include "aws_endpoint.h"
#include "error.h"

/* ListClusters in the client's region: every cluster name, in EKS's order.
 * names is initialised here; the caller releases it (also after a
 * failure). Returns 0, or -1 with err set. */
int eks_list_clusters(struct aws_client *c, struct aws_strings *names, struct irsa_error *err);

/* DescribeCluster. out is initialised here; the caller releases it (also
 * after a failure). Returns 0, or -1 with err set. */
int eks_describe_cluster(struct aws_client *c, const char *name, struct aws_eks_cluster *out, struct irsa_error *err);

/* DescribeCluster for n clusters at once (aws_client_call_many). out is an
 * array of n, initialised here; the caller releases each. Returns 0 when
 * every call succeeded, else -1 with err set to the first failure's error
 * (the clusters that did come back are filled: their name is set). */
int eks_describe_clusters(struct aws_client *c, const char *const *names, size_t n, struct aws_eks_cluster *out,
                          struct irsa_error *err);

/* One region of eks_scan_regions(). */
struct eks_region {
	const char *region;               /* in; borrowed */
	struct aws_eks_cluster *clusters; /* out: described, in ListClusters' order; owned */
	size_t n;
	int rc;                /* out: 0, or -1 with err set (clusters may hold what was described) */
	struct irsa_error err; /* out when rc is -1: names the region */
};

/* Lists and describes the clusters of the n regions at once: one thread per
 * region, each with a client from aws_client_new_for_region(base, ...), all
 * joined before it returns. The threads use only what base shares (config,
 * profile, credentials provider, options), never its HTTP client. A region
 * that fails does not stop the others. Every region's output is initialised here; the caller
 * releases each with eks_region_release(). Returns the number of regions
 * that failed. */
size_t eks_scan_regions(struct aws_client *base, struct eks_region *regions, size_t n);

/* One region of eks_scan_regions() with client c (whose region is
 * r->region), on the caller's thread: what a caller that shows regions as
 * they answer, or cancels them one by one, runs for each. r's output is
 * initialised here; the caller releases it with eks_region_release().
 * Returns r->rc. */
int eks_scan_region(struct aws_client *c, struct eks_region *r);

void eks_region_release(struct eks_region *r);

/* The partition's regions where EKS runs and that every account has
 * enabled: a static list, as of 2025 (opt-in regions such as af-south-1 or
 * ap-east-1 are left out, since an account that has not enabled them gets
 * an error there; name them with --region). Borrowed, static; *n is set. */
const char *const *eks_standard_regions(enum aws_partition p, size_t *n);

#endif
