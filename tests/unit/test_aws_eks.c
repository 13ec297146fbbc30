/* tests/unit/test_aws_eks.c - EKS builders and parsers: request targets
 * equal botocore's (request-bodies.txt), cluster names are checked, the
 * moto and real-shaped answers parse, and truncated or mistyped JSON is
 * IRSA_ERR_PARSE naming the operation. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws_eks.h"
#include "aws_samples.h"
#include "buf.h"
#include "error.h"

static void
assert_target(struct aws_op *op, const char *op_name)
{
	char *target, *body = sample_request_body("eks", op_name, &target);
	struct buf b;

	buf_init(&b, AWS_OP_MAX_BODY);
	assert_int_equal(aws_op_target(op, &b), 0);
	assert_string_equal(buf_cstr(&b), target);
	assert_string_equal(op->method, "GET");
	assert_string_equal(body, "");
	buf_reset(&b);
	assert_int_equal(aws_op_body(op, &b), 0);
	assert_int_equal(b.len, 0);
	assert_null(aws_op_content_type(op));
	assert_true(op->idempotent);
	buf_release(&b);
	free(target);
	free(body);
	aws_op_release(op);
}

static void
test_targets_match_botocore(void **state)
{
	struct irsa_error err;
	struct aws_op op;
	struct buf b;

	assert_int_equal(aws_eks_op_list_clusters(&op, 100, "abc/def+==", &err), 0);
	assert_target(&op, "ListClusters");
	assert_int_equal(aws_eks_op_describe_cluster(&op, "my-cluster", &err), 0);
	assert_target(&op, "DescribeCluster");

	assert_int_equal(aws_eks_op_list_clusters(&op, 0, NULL, &err), 0);
	buf_init(&b, 256);
	aws_op_target(&op, &b);
	assert_string_equal(buf_cstr(&b), "/clusters");
	buf_release(&b);
	aws_op_release(&op);
}

static void
test_input_rules(void **state)
{
	char name[102];
	struct irsa_error err;
	struct aws_op op;

	assert_int_equal(aws_eks_op_describe_cluster(&op, "-prod", &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "cluster name \"-prod\" is not valid"));
	assert_int_equal(aws_eks_op_describe_cluster(&op, "a/b", &err), -1);
	assert_int_equal(aws_eks_op_describe_cluster(&op, "", &err), -1);
	memset(name, 'c', 101);
	name[101] = '\0';
	assert_int_equal(aws_eks_op_describe_cluster(&op, name, &err), -1);
	assert_non_null(strstr(err.message, "1 to 100"));
	name[100] = '\0';
	assert_int_equal(aws_eks_op_describe_cluster(&op, name, &err), 0);
	aws_op_release(&op);
	assert_int_equal(aws_eks_op_describe_cluster(&op, "Shop_prod-2", &err), 0);
	aws_op_release(&op);
	assert_int_equal(aws_eks_op_list_clusters(&op, 101, NULL, &err), -1);
	assert_non_null(strstr(err.message, "1 to 100"));
	assert_int_equal(aws_eks_op_list_clusters(&op, 0, "", &err), -1);
	assert_int_equal(op.n_params, 0);
	aws_op_release(&op);
}

static void
test_list_clusters(void **state)
{
	struct aws_eks_cluster_list l;
	struct irsa_error err;
	struct sample s;

	sample_load(&s, "moto/18-eks-ListClusters-200.txt");
	assert_int_equal(aws_eks_parse_list_clusters(&s.body, &l, &err), 0);
	assert_int_equal(l.names.n, 0);
	assert_null(l.next_token);
	aws_eks_cluster_list_release(&l);
	sample_release(&s);

	sample_load(&s, "real/eks-ListClusters-200.txt");
	assert_int_equal(aws_eks_parse_list_clusters(&s.body, &l, &err), 0);
	assert_int_equal(l.names.n, 2);
	assert_string_equal(l.names.v[0], "shop-prod");
	assert_string_equal(l.names.v[1], "shop-staging");
	assert_string_equal(l.next_token, "eyJleGFtcGxlIjoidG9rZW4ifQ==");
	aws_eks_cluster_list_release(&l);
	sample_release(&s);

	sample_load(&s, "real/eks-ListClusters-200.txt");
	sample_set_body(&s, "{\"clusters\":[\"a\"],\"nextToken\":null}", 35);
	assert_int_equal(aws_eks_parse_list_clusters(&s.body, &l, &err), 0);
	assert_int_equal(l.names.n, 1);
	assert_null(l.next_token);
	aws_eks_cluster_list_release(&l);
	sample_release(&s);
}

static void
test_describe_cluster(void **state)
{
	struct aws_eks_cluster c;
	struct irsa_error err;
	struct sample s;

	sample_load(&s, "real/eks-DescribeCluster-200.txt");
	assert_int_equal(aws_eks_parse_describe_cluster(&s.body, &c, &err), 0);
	assert_string_equal(c.name, "shop-prod");
	assert_string_equal(c.arn, "arn:aws:eks:eu-west-1:111122223333:cluster/shop-prod");
	assert_string_equal(c.version, "1.31");
	assert_string_equal(c.status, "ACTIVE");
	assert_string_equal(c.endpoint, "https://EXAMPLE0A04F01705DD065655C30CC3D.gr7.eu-west-1.eks.amazonaws.com");
	assert_true(strncmp(c.ca_data, "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", 36) == 0);
	assert_string_equal(c.oidc_issuer,
	                    "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE");
	assert_string_equal(c.platform_version, "eks.12");
	assert_string_equal(c.authentication_mode, "API_AND_CONFIG_MAP");
	assert_int_equal(c.created, 1684324800);
	assert_int_equal(c.tags.n, 2);
	assert_string_equal(aws_tags_get(&c.tags, "env"), "prod");
	aws_eks_cluster_release(&c);
	assert_null(c.name);

	/* A cluster being created: no endpoint, no CA, no OIDC, no access config. */
	sample_set_body(&s,
	                "{\"cluster\":{\"name\":\"new\",\"status\":\"CREATING\",\"endpoint\":null,\"identity\":null}}",
	                strlen("{\"cluster\":{\"name\":\"new\",\"status\":\"CREATING\",\"endpoint\":null,"
	                       "\"identity\":null}}"));
	assert_int_equal(aws_eks_parse_describe_cluster(&s.body, &c, &err), 0);
	assert_string_equal(c.status, "CREATING");
	assert_null(c.endpoint);
	assert_null(c.oidc_issuer);
	assert_null(c.authentication_mode);
	assert_int_equal(c.created, 0);
	aws_eks_cluster_release(&c);
	sample_release(&s);
}

static void
assert_bad(int (*parse)(const struct buf *, void *, struct irsa_error *), void *out, void (*release)(void *),
           const char *body, const char *op, const char *needle)
{
	struct irsa_error err;
	struct buf b;

	buf_init(&b, SAMPLE_MAX);
	buf_addstr(&b, body);
	assert_int_equal(parse(&b, out, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	if (strstr(err.message, op) == NULL || strstr(err.message, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.message, op, needle);
	release(out);
	buf_release(&b);
}

static int
parse_list(const struct buf *b, void *out, struct irsa_error *err)
{
	return aws_eks_parse_list_clusters(b, out, err);
}

static int
parse_describe(const struct buf *b, void *out, struct irsa_error *err)
{
	return aws_eks_parse_describe_cluster(b, out, err);
}

static void
release_list(void *p)
{
	aws_eks_cluster_list_release(p);
}

static void
release_cluster(void *p)
{
	aws_eks_cluster_release(p);
}

static void
test_malformed_json(void **state)
{
	struct aws_eks_cluster_list l;
	struct aws_eks_cluster c;
	struct sample s;

	assert_bad(parse_list, &l, release_list, "", "ListClusters", "is empty");
	assert_bad(parse_list, &l, release_list, "{\"clusters\": [\"a\", ", "ListClusters", "ends too early");
	assert_bad(parse_list, &l, release_list, "<html>502</html>", "ListClusters", "not valid JSON");
	assert_bad(parse_list, &l, release_list, "{\"clusters\": []} trailing", "ListClusters", "not one JSON object");
	assert_bad(parse_list, &l, release_list, "[\"a\"]", "ListClusters", "not one JSON object");
	assert_bad(parse_list, &l, release_list, "{}", "ListClusters", "lacks \"clusters\"");
	assert_bad(parse_list, &l, release_list, "{\"clusters\": \"a\"}", "ListClusters", "not a list");
	assert_bad(parse_list, &l, release_list, "{\"clusters\": [1]}", "ListClusters", "not a name");
	assert_bad(parse_list, &l, release_list, "{\"clusters\": [], \"nextToken\": 5}", "ListClusters",
	           "\"nextToken\" that is not a string");
	assert_bad(parse_describe, &c, release_cluster, "{\"cluster\": {\"status\": \"ACTIVE\"}}", "DescribeCluster",
	           "lacks \"name\"");
	assert_bad(parse_describe, &c, release_cluster, "{\"cluster\": []}", "DescribeCluster", "not an object");
	assert_bad(parse_describe, &c, release_cluster, "{\"cluster\": {\"name\": \"x\", \"createdAt\": \"soon\"}}",
	           "DescribeCluster", "not a time");
	assert_bad(parse_describe, &c, release_cluster, "{\"cluster\": {\"name\": \"x\", \"tags\": {\"a\": 1}}}",
	           "DescribeCluster", "tag value");

	sample_load(&s, "real/eks-DescribeCluster-200.txt");
	sample_set_body(&s, s.body.data, s.body.len / 2);
	assert_int_equal(aws_eks_parse_describe_cluster(&s.body, &c, NULL), -1);
	aws_eks_cluster_release(&c);
	sample_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_targets_match_botocore), cmocka_unit_test(test_input_rules),
	        cmocka_unit_test(test_list_clusters),          cmocka_unit_test(test_describe_cluster),
	        cmocka_unit_test(test_malformed_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
