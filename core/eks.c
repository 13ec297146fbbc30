/* core/eks.c - the EKS calls end to end (see eks.h): builder,
 * aws_client_call(), parser; ListClusters through aws_paginate(); the
 * region scan's threads. Owns the threads it starts and joins them before
 * returning; no printing. */
#include "config.h"

#include "eks.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "aws_batch.h"
#include "aws_pager.h"

static int
clusters_build(struct aws_op *op, const void *in, const char *token, struct irsa_error *err)
{
	(void)in;
	return aws_eks_op_list_clusters(op, AWS_EKS_MAX_RESULTS, token, err);
}

static int
clusters_take(const struct buf *body, void *out, char **next, struct irsa_error *err)
{
	struct aws_eks_cluster_list page;
	struct aws_strings *all = out;
	int rc = aws_eks_parse_list_clusters(body, &page, err);

	if (rc == 0 && aws_pager_take(&all->v, &all->n, &page.names.v, &page.names.n, sizeof(*page.names.v),
	                              &page.next_token, next) != 0)
		rc = irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading ListClusters");
	aws_eks_cluster_list_release(&page);
	return rc;
}

int
eks_list_clusters(struct aws_client *c, struct aws_strings *names, struct irsa_error *err)
{
	static const struct aws_pager pager = {clusters_build, clusters_take};

	memset(names, 0, sizeof(*names));
	return aws_paginate(c, &pager, NULL, names, err);
}

static int
describe_build(struct aws_op *op, const void *in, size_t i, struct irsa_error *err)
{
	const char *const *names = in;

	return aws_eks_op_describe_cluster(op, names[i], err);
}

static int
describe_parse(const struct buf *body, void *out, size_t i, struct irsa_error *err)
{
	struct aws_eks_cluster *clusters = out;

	return aws_eks_parse_describe_cluster(body, &clusters[i], err);
}

int
eks_describe_clusters(struct aws_client *c, const char *const *names, size_t n, struct aws_eks_cluster *out,
                      struct irsa_error *err)
{
	static const struct aws_batch batch = {describe_build, describe_parse};

	memset(out, 0, n * sizeof(*out));
	return aws_batch_run(c, &batch, names, out, n, err);
}

int
eks_describe_cluster(struct aws_client *c, const char *name, struct aws_eks_cluster *out, struct irsa_error *err)
{
	return eks_describe_clusters(c, &name, 1, out, err);
}

/* --- many regions at once ------------------------------------------------------- */

/* One region, on its own thread with its own client. */
struct scan_job {
	struct aws_client *base;
	struct eks_region *r;
	pthread_t thread;
	bool started;
};

/* The clusters of one region with client c, into r (cleared by the caller). */
static void
scan_with(struct aws_client *c, struct eks_region *r)
{
	struct aws_strings names;

	r->rc = eks_list_clusters(c, &names, &r->err);
	if (r->rc == 0 && names.n > 0) {
		r->clusters = calloc(names.n, sizeof(*r->clusters));
		if (r->clusters == NULL)
			r->rc = irsa_error_set(&r->err, IRSA_ERR_INTERNAL, "out of memory");
		else {
			r->n = names.n;
			r->rc = eks_describe_clusters(c, (const char *const *)names.v, names.n, r->clusters, &r->err);
		}
	}
	aws_strings_release(&names);
}

static void
scan_one(struct aws_client *base, struct eks_region *r)
{
	struct aws_client *c;

	c = aws_client_new_for_region(base, r->region, &r->err);
	if (c == NULL) {
		r->rc = -1;
		return;
	}
	scan_with(c, r);
	aws_client_free(c);
}

int
eks_scan_region(struct aws_client *c, struct eks_region *r)
{
	r->clusters = NULL;
	r->n = 0;
	irsa_error_clear(&r->err);
	scan_with(c, r);
	if (r->rc != 0)
		irsa_error_prefix(&r->err, "region %s", r->region);
	return r->rc;
}

static void *
scan_thread(void *arg)
{
	struct scan_job *job = arg;

	scan_one(job->base, job->r);
	return NULL;
}

size_t
eks_scan_regions(struct aws_client *base, struct eks_region *regions, size_t n)
{
	struct scan_job *jobs;
	size_t i, failed = 0;

	for (i = 0; i < n; i++) {
		regions[i].clusters = NULL;
		regions[i].n = 0;
		regions[i].rc = 0;
		irsa_error_clear(&regions[i].err);
	}
	jobs = calloc(n > 0 ? n : 1, sizeof(*jobs));
	for (i = 0; i < n; i++) {
		if (jobs != NULL) {
			jobs[i].base = base;
			jobs[i].r = &regions[i];
			jobs[i].started = pthread_create(&jobs[i].thread, NULL, scan_thread, &jobs[i]) == 0;
		}
		if (jobs == NULL || !jobs[i].started) /* no thread: this region waits its turn here */
			scan_one(base, &regions[i]);
	}
	for (i = 0; i < n; i++) {
		if (jobs != NULL && jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
		if (regions[i].rc != 0) {
			irsa_error_prefix(&regions[i].err, "region %s", regions[i].region);
			failed++;
		}
	}
	free(jobs);
	return failed;
}

void
eks_region_release(struct eks_region *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		aws_eks_cluster_release(&r->clusters[i]);
	free(r->clusters);
	r->clusters = NULL;
	r->n = 0;
}

/* Where EKS runs, enabled in every account (no opt-in), as of 2025. */
static const char *const aws_regions[] = {
        "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",   "sa-east-1",
        "eu-central-1",   "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-north-1",     "ap-south-1",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
};
static const char *const cn_regions[] = {"cn-north-1", "cn-northwest-1"};
static const char *const us_gov_regions[] = {"us-gov-east-1", "us-gov-west-1"};

const char *const *
eks_standard_regions(enum aws_partition p, size_t *n)
{
	switch (p) {
	case AWS_PARTITION_CN:
		*n = sizeof(cn_regions) / sizeof(cn_regions[0]);
		return cn_regions;
	case AWS_PARTITION_US_GOV:
		*n = sizeof(us_gov_regions) / sizeof(us_gov_regions[0]);
		return us_gov_regions;
	case AWS_PARTITION_AWS:
		break;
	}
	*n = sizeof(aws_regions) / sizeof(aws_regions[0]);
	return aws_regions;
}
