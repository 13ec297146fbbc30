/* tests/unit/test_aws_op.c - struct aws_op, the seam between the request
 * builders and aws_client: botocore's form encoding byte for byte (spaces,
 * '/', ':', '~', '*', UTF-8), REST paths and query strings, targets, bodies,
 * content types, the IAM action and object names, tags and string lists. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws_op.h"
#include "buf.h"

static char *
form_of(const struct aws_op *op)
{
	struct buf b;

	buf_init(&b, AWS_OP_MAX_BODY);
	assert_int_equal(aws_op_form_body(op, &b), 0);
	return buf_detach(&b);
}

static void
test_init_query_and_rest(void **state)
{
	struct aws_op op;

	aws_op_init(&op, AWS_SERVICE_IAM, "GetRole");
	assert_int_equal(op.protocol, AWS_PROTOCOL_QUERY);
	assert_string_equal(op.version, "2010-05-08");
	assert_string_equal(op.method, "POST");
	assert_true(op.idempotent);
	assert_true(op.sign);
	assert_string_equal(aws_op_content_type(&op), AWS_FORM_CONTENT_TYPE);
	aws_op_release(&op);

	aws_op_init(&op, AWS_SERVICE_STS, "GetCallerIdentity");
	assert_string_equal(op.version, "2011-06-15");
	aws_op_release(&op);

	aws_op_init(&op, AWS_SERVICE_EKS, "ListClusters");
	assert_int_equal(op.protocol, AWS_PROTOCOL_REST_JSON);
	assert_null(op.version);
	assert_null(aws_op_content_type(&op));
	aws_op_release(&op);
}

/* Python: urlencode([("A", "a b/c:d~e*f+g=h&i")]) */
static void
test_form_encoding_is_quote_plus(void **state)
{
	struct aws_op op;
	char *body;

	aws_op_init(&op, AWS_SERVICE_IAM, "CreateRole");
	aws_op_add(&op, "Description", "a b/c:d~e*f+g=h&i_j.k-l");
	aws_op_add(&op, "Tags.member.1.Key", "k");
	aws_op_add(&op, "Empty", "");
	aws_op_add(&op, "Utf8", "caf\xc3\xa9");
	body = form_of(&op);
	assert_string_equal(body, "Action=CreateRole&Version=2010-05-08"
	                          "&Description=a+b%2Fc%3Ad~e%2Af%2Bg%3Dh%26i_j.k-l"
	                          "&Tags.member.1.Key=k&Empty=&Utf8=caf%C3%A9");
	free(body);
	aws_op_release(&op);
}

static void
test_params_ints_bools_and_lookup(void **state)
{
	struct aws_op op;
	char *body;

	aws_op_init(&op, AWS_SERVICE_IAM, "ListPolicies");
	aws_op_add(&op, "Scope", "Local");
	aws_op_add_bool(&op, "OnlyAttached", true);
	aws_op_add_int(&op, "MaxItems", 100);
	assert_string_equal(aws_op_param(&op, "OnlyAttached"), "true");
	assert_string_equal(aws_op_param(&op, "MaxItems"), "100");
	assert_null(aws_op_param(&op, "Marker"));
	body = form_of(&op);
	assert_string_equal(body, "Action=ListPolicies&Version=2010-05-08&Scope=Local&OnlyAttached=true&MaxItems=100");
	free(body);
	aws_op_release(&op);
	/* Released is empty and reusable. */
	assert_int_equal(op.n_params, 0);
	assert_string_equal(op.name, "ListPolicies");
	body = form_of(&op);
	assert_string_equal(body, "Action=ListPolicies&Version=2010-05-08");
	free(body);
}

static void
test_rest_path_labels_are_encoded(void **state)
{
	struct aws_op op;
	struct buf b;

	aws_op_init(&op, AWS_SERVICE_EKS, "DescribePodIdentityAssociation");
	assert_int_equal(aws_op_set_path(&op, "GET", "/clusters/{}/pod-identity-associations/{}", "a/b c", "x~y"), 0);
	assert_string_equal(op.path, "/clusters/a%2Fb%20c/pod-identity-associations/x~y");
	assert_string_equal(op.method, "GET");
	buf_init(&b, 4096);
	assert_int_equal(aws_op_target(&op, &b), 0);
	assert_string_equal(buf_cstr(&b), "/clusters/a%2Fb%20c/pod-identity-associations/x~y");
	buf_release(&b);
	aws_op_release(&op);
}

/* botocore percent_encode: a space is %20 in a query string, not '+'. */
static void
test_rest_query_and_body(void **state)
{
	struct aws_op op;
	struct buf b;

	aws_op_init(&op, AWS_SERVICE_EKS, "ListPodIdentityAssociations");
	aws_op_set_path(&op, "GET", "/clusters/{}/pod-identity-associations", "my-cluster");
	aws_op_add(&op, "namespace", "a b");
	aws_op_add(&op, "nextToken", "abc/def+==");
	buf_init(&b, 4096);
	assert_int_equal(aws_op_target(&op, &b), 0);
	assert_string_equal(
	        buf_cstr(&b),
	        "/clusters/my-cluster/pod-identity-associations?namespace=a%20b&nextToken=abc%2Fdef%2B%3D%3D");
	buf_reset(&b);
	assert_int_equal(aws_op_body(&op, &b), 0);
	assert_int_equal(b.len, 0);

	aws_op_set_path(&op, "POST", "/clusters/{}/pod-identity-associations", "my-cluster");
	assert_int_equal(aws_op_set_body(&op, "{\"namespace\": \"default\"}"), 0);
	assert_string_equal(aws_op_content_type(&op), AWS_JSON_CONTENT_TYPE);
	assert_int_equal(aws_op_body(&op, &b), 0);
	assert_string_equal(buf_cstr(&b), "{\"namespace\": \"default\"}");
	buf_release(&b);
	aws_op_release(&op);
	assert_null(op.body);
	assert_null(op.path);
}

static void
test_query_target_and_body(void **state)
{
	struct aws_op op;
	struct buf b;

	aws_op_init(&op, AWS_SERVICE_STS, "GetCallerIdentity");
	buf_init(&b, 4096);
	assert_int_equal(aws_op_target(&op, &b), 0);
	assert_string_equal(buf_cstr(&b), "/");
	buf_reset(&b);
	assert_int_equal(aws_op_body(&op, &b), 0);
	assert_string_equal(buf_cstr(&b), "Action=GetCallerIdentity&Version=2011-06-15");
	buf_release(&b);
	aws_op_release(&op);
}

static void
test_form_body_respects_the_cap(void **state)
{
	struct aws_op op;
	struct buf b;

	aws_op_init(&op, AWS_SERVICE_IAM, "GetRole");
	aws_op_add(&op, "RoleName", "a-rather-long-role-name");
	buf_init(&b, 16);
	assert_int_equal(aws_op_form_body(&op, &b), -1);
	assert_true(b.failed);
	buf_release(&b);
	aws_op_release(&op);
}

static void
test_action_and_object(void **state)
{
	struct aws_op op;
	char s[128];

	aws_op_init(&op, AWS_SERVICE_IAM, "GetRole");
	aws_op_add(&op, "RoleName", "shop-prod-orders");
	assert_string_equal(aws_op_action(&op, s, sizeof(s)), "iam:GetRole");
	assert_string_equal(aws_op_object(&op, s, sizeof(s)), "role shop-prod-orders");
	aws_op_add(&op, "PolicyName", "inline-1");
	assert_string_equal(aws_op_object(&op, s, sizeof(s)), "inline policy inline-1 of role shop-prod-orders");
	aws_op_release(&op);

	aws_op_init(&op, AWS_SERVICE_IAM, "GetOpenIDConnectProvider");
	aws_op_add(&op, "OpenIDConnectProviderArn", "arn:aws:iam::1:oidc-provider/x");
	assert_string_equal(aws_op_object(&op, s, sizeof(s)), "OIDC provider arn:aws:iam::1:oidc-provider/x");
	aws_op_release(&op);

	aws_op_init(&op, AWS_SERVICE_STS, "GetCallerIdentity");
	assert_string_equal(aws_op_action(&op, s, sizeof(s)), "sts:GetCallerIdentity");
	assert_string_equal(aws_op_object(&op, s, sizeof(s)), "");
	aws_op_release(&op);

	aws_op_init(&op, AWS_SERVICE_EKS, "DescribeCluster");
	aws_op_set_path(&op, "GET", "/clusters/{}", "shop-prod");
	assert_string_equal(aws_op_action(&op, s, sizeof(s)), "eks:DescribeCluster");
	assert_string_equal(aws_op_object(&op, s, sizeof(s)), "cluster shop-prod");
	/* Truncated, never overflowed. */
	assert_string_equal(aws_op_object(&op, s, 8), "cluster");
	aws_op_release(&op);
}

static void
test_tags_and_strings(void **state)
{
	struct aws_tags t = {0};
	struct aws_strings l = {0};

	assert_int_equal(aws_tags_add(&t, "team", "shop"), 0);
	assert_int_equal(aws_tags_add(&t, "empty", ""), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(aws_tags_get(&t, "team"), "shop");
	assert_string_equal(aws_tags_get(&t, "empty"), "");
	assert_null(aws_tags_get(&t, "nope"));
	aws_tags_release(&t);
	assert_int_equal(t.n, 0);
	assert_null(t.v);

	assert_int_equal(aws_strings_add(&l, "a"), 0);
	assert_int_equal(aws_strings_add(&l, "b"), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1], "b");
	aws_strings_release(&l);
	assert_int_equal(l.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_init_query_and_rest),
	        cmocka_unit_test(test_form_encoding_is_quote_plus),
	        cmocka_unit_test(test_params_ints_bools_and_lookup),
	        cmocka_unit_test(test_rest_path_labels_are_encoded),
	        cmocka_unit_test(test_rest_query_and_body),
	        cmocka_unit_test(test_query_target_and_body),
	        cmocka_unit_test(test_form_body_respects_the_cap),
	        cmocka_unit_test(test_action_and_object),
	        cmocka_unit_test(test_tags_and_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
