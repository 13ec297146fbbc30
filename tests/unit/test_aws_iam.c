/* tests/unit/test_aws_iam.c - IAM builders and parsers: every request body
 * equals botocore's (tests/data/aws/request-bodies.txt) byte for byte, the
 * input rules IAM would apply are refused locally, every parser reads the
 * moto captures and real-AWS-shaped answers (URL-encoded policy documents),
 * and truncated, garbled or hostile XML is IRSA_ERR_PARSE naming the call. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws_iam.h"
#include "aws_samples.h"
#include "buf.h"
#include "error.h"
#include "iam.h"

/* The trust policy botocore's CreateRole and UpdateAssumeRolePolicy bodies
 * carry, decoded. */
#define TRUST_DOC                                                                                                      \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam:" \
	":"                                                                                                            \
	"111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"},"          \
	"\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"oidc.eks.us-west-2."          \
	"amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\":\"system:serviceaccount:default:my-sa\",\"oidc.eks."  \
	"us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud\":\"sts.amazonaws.com\"}}}]}"

/* The same policy as real IAM sends it back: compact, URL-encoded. */
#define REAL_TRUST_DOC                                                                                                 \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam:" \
	":"                                                                                                            \
	"111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"},"          \
	"\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"oidc.eks.eu-west-1."          \
	"amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\":\"system:serviceaccount:shop:orders\",\"oidc.eks."    \
	"eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud\":\"sts.amazonaws.com\"}}}]}"

/* moto's: json.dumps() with its default separators. */
#define MOTO_TRUST_DOC                                                                                                 \
	"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": "        \
	"\"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/"                               \
	"EXAMPLED539D4633E53DE1B71EXAMPLE\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": "          \
	"{\"StringEquals\": {\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\": "           \
	"\"system:serviceaccount:default:my-sa\", \"oidc.eks.us-west-2.amazonaws.com/id/"                              \
	"EXAMPLED539D4633E53DE1B71EXAMPLE:aud\": \"sts.amazonaws.com\"}}}]}"

#define OIDC_ARN                                                                                                       \
	"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
#define S3_RO "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
#define THUMB "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"

/* --- request bodies ------------------------------------------------------------- */

/* Compares op's form body with botocore's line for the operation. */
static void
assert_botocore_body(struct aws_op *op)
{
	char *want = sample_request_body("iam", op->name, NULL);

	assert_body(op, want);
	free(want);
}

static void
test_bodies_match_botocore(void **state)
{
	const struct aws_tag create_tags[] = {{"owner", "team-a"}, {"env", "dev"}};
	const struct aws_tag tag_kv[] = {{"k", "v"}};
	const char *const client_ids[] = {"sts.amazonaws.com"};
	const char *const thumbs[] = {THUMB};
	struct aws_iam_create_role cr = {
	        .role_name = "my-role",
	        .path = "/",
	        .trust_policy = TRUST_DOC,
	        .description = "IRSA role",
	        .tags = create_tags,
	        .n_tags = 2,
	};
	struct aws_iam_list_policies lp = {
	        .scope = "Local", .only_attached = true, .path_prefix = "/", .max_items = 100};
	struct irsa_error err;
	struct aws_op op;

	assert_int_equal(aws_iam_op_list_roles(&op, "/", "AAE/abc+def==", 100, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_get_role(&op, "my-role", &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_create_role(&op, &cr, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_update_assume_role_policy(&op, "my-role", TRUST_DOC, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_attach_role_policy(&op, "my-role", S3_RO, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_list_attached_role_policies(&op, "my-role", NULL, NULL, 100, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_list_policies(&op, &lp, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_create_oidc_provider(&op,
	                                                 "https://oidc.eks.us-west-2.amazonaws.com/id/"
	                                                 "EXAMPLED539D4633E53DE1B71EXAMPLE",
	                                                 client_ids, 1, thumbs, 1, NULL, 0, &err),
	                 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_list_oidc_providers(&op, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_get_oidc_provider(&op, OIDC_ARN, &err), 0);
	assert_botocore_body(&op);
	assert_int_equal(aws_iam_op_tag_role(&op, "my-role", tag_kv, 1, &err), 0);
	assert_botocore_body(&op);
}

/* The operations request-bodies.txt lacks, encoded by the same rules. */
static void
test_other_bodies(void **state)
{
	const struct aws_tag tags[] = {{"a b", "c/d"}};
	const char *const thumbs[] = {THUMB, "0123456789abcdef0123456789ABCDEF01234567"};
	struct aws_iam_create_role cr = {
	        .role_name = "r",
	        .trust_policy = "{}",
	        .max_session_duration = 43200,
	        .permissions_boundary_arn = "arn:aws:iam::111122223333:policy/boundary",
	        .tags = tags,
	        .n_tags = 1,
	};
	struct irsa_error err;
	struct aws_op op;

	assert_int_equal(aws_iam_op_delete_role(&op, "my-role", &err), 0);
	assert_body(&op, "Action=DeleteRole&Version=2010-05-08&RoleName=my-role");
	assert_int_equal(aws_iam_op_detach_role_policy(&op, "my-role", S3_RO, &err), 0);
	assert_body(&op,
	            "Action=DetachRolePolicy&Version=2010-05-08&RoleName=my-role&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws"
	            "%3Apolicy%2FAmazonS3ReadOnlyAccess");
	assert_int_equal(aws_iam_op_list_role_policies(&op, "my-role", "m/1", 0, &err), 0);
	assert_body(&op, "Action=ListRolePolicies&Version=2010-05-08&RoleName=my-role&Marker=m%2F1");
	assert_int_equal(aws_iam_op_get_role_policy(&op, "my-role", "inline.s3", &err), 0);
	assert_body(&op, "Action=GetRolePolicy&Version=2010-05-08&RoleName=my-role&PolicyName=inline.s3");
	assert_int_equal(aws_iam_op_get_policy(&op, S3_RO, &err), 0);
	assert_body(&op,
	            "Action=GetPolicy&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonS3Read"
	            "OnlyAccess");
	assert_int_equal(aws_iam_op_get_policy_version(&op, S3_RO, "v12", &err), 0);
	assert_body(&op,
	            "Action=GetPolicyVersion&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazon"
	            "S3ReadOnlyAccess&VersionId=v12");
	assert_int_equal(aws_iam_op_delete_oidc_provider(&op, OIDC_ARN, &err), 0);
	assert_body(&op,
	            "Action=DeleteOpenIDConnectProvider&Version=2010-05-08&OpenIDConnectProviderArn=arn%3Aaws%3Aiam"
	            "%3A%3A111122223333%3Aoidc-provider%2Foidc.eks.us-west-2.amazonaws.com%2Fid%2FEXAMPLED539D4633E53"
	            "DE1B71EXAMPLE");
	assert_int_equal(aws_iam_op_add_client_id_to_oidc_provider(&op, OIDC_ARN, "irsa-test", &err), 0);
	assert_body(&op,
	            "Action=AddClientIDToOpenIDConnectProvider&Version=2010-05-08&OpenIDConnectProviderArn=arn%3Aaws"
	            "%3Aiam%3A%3A111122223333%3Aoidc-provider%2Foidc.eks.us-west-2.amazonaws.com%2Fid%2FEXAMPLED539D"
	            "4633E53DE1B71EXAMPLE&ClientID=irsa-test");
	assert_int_equal(aws_iam_op_remove_client_id_from_oidc_provider(&op, OIDC_ARN, "irsa-test", &err), 0);
	assert_body(&op,
	            "Action=RemoveClientIDFromOpenIDConnectProvider&Version=2010-05-08&OpenIDConnectProviderArn=arn"
	            "%3Aaws%3Aiam%3A%3A111122223333%3Aoidc-provider%2Foidc.eks.us-west-2.amazonaws.com%2Fid%2FEXAMP"
	            "LED539D4633E53DE1B71EXAMPLE&ClientID=irsa-test");
	assert_int_equal(aws_iam_op_update_oidc_provider_thumbprint(&op, OIDC_ARN, thumbs, 2, &err), 0);
	assert_body(&op,
	            "Action=UpdateOpenIDConnectProviderThumbprint&Version=2010-05-08&OpenIDConnectProviderArn=arn%3A"
	            "aws%3Aiam%3A%3A111122223333%3Aoidc-provider%2Foidc.eks.us-west-2.amazonaws.com%2Fid%2FEXAMPLED5"
	            "39D4633E53DE1B71EXAMPLE&ThumbprintList.member.1=" THUMB
	            "&ThumbprintList.member.2=0123456789abcdef0123456789ABCDEF01234567");
	assert_int_equal(aws_iam_op_get_account_summary(&op, &err), 0);
	assert_body(&op, "Action=GetAccountSummary&Version=2010-05-08");
	assert_int_equal(aws_iam_op_create_role(&op, &cr, &err), 0);
	assert_body(&op, "Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%7D&MaxSession"
	                 "Duration=43200&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fboundary"
	                 "&Tags.member.1.Key=a+b&Tags.member.1.Value=c%2Fd");
	/* ThumbprintList is optional: IAM then fetches the thumbprint itself. */
	assert_int_equal(
	        aws_iam_op_create_oidc_provider(&op, "https://issuer.example.com", NULL, 0, NULL, 0, NULL, 0, &err), 0);
	assert_body(&op, "Action=CreateOpenIDConnectProvider&Version=2010-05-08&Url=https%3A%2F%2Fissuer.example.com");
}

static void
test_idempotence(void **state)
{
	const char *const ids[] = {"sts.amazonaws.com"};
	struct aws_iam_create_role cr = {.role_name = "r", .trust_policy = "{}"};
	struct irsa_error err;
	struct aws_op op;

	assert_int_equal(aws_iam_op_create_role(&op, &cr, &err), 0);
	assert_false(op.idempotent);
	aws_op_release(&op);
	assert_int_equal(aws_iam_op_create_oidc_provider(&op, "https://x.example", ids, 1, NULL, 0, NULL, 0, &err), 0);
	assert_false(op.idempotent);
	aws_op_release(&op);
	assert_int_equal(aws_iam_op_delete_role(&op, "r", &err), 0);
	assert_true(op.idempotent);
	aws_op_release(&op);
	assert_int_equal(aws_iam_op_update_assume_role_policy(&op, "r", "{}", &err), 0);
	assert_true(op.idempotent);
	assert_true(op.sign);
	aws_op_release(&op);
}

/* --- input rules ------------------------------------------------------------------ */

static void
assert_refused(int rc, struct aws_op *op, const struct irsa_error *err, const char *needle)
{
	assert_int_equal(rc, -1);
	assert_int_equal(err->kind, IRSA_ERR_INVALID_INPUT);
	if (strstr(err->message, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err->message, needle);
	assert_int_equal(op->n_params, 0);
	aws_op_release(op);
}

static void
test_role_names_and_paths(void **state)
{
	char long_name[70];
	struct irsa_error err;
	struct aws_op op;

	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	assert_refused(aws_iam_op_get_role(&op, long_name, &err), &op, &err, "1 to 64 characters");
	assert_refused(aws_iam_op_get_role(&op, "", &err), &op, &err, "1 to 64 characters");
	assert_refused(aws_iam_op_get_role(&op, NULL, &err), &op, &err, "role name");
	assert_refused(aws_iam_op_delete_role(&op, "my role", &err), &op, &err, "+ = , . @ _ -");
	assert_refused(aws_iam_op_get_role(&op, "a/b", &err), &op, &err, "role name \"a/b\"");
	long_name[64] = '\0';
	assert_int_equal(aws_iam_op_get_role(&op, long_name, &err), 0);
	aws_op_release(&op);
	assert_int_equal(aws_iam_op_get_role(&op, "Aa0+=,.@_-", &err), 0);
	aws_op_release(&op);

	assert_int_equal(aws_iam_check_path("/", &err), 0);
	assert_int_equal(aws_iam_check_path("/a/b-c/", &err), 0);
	assert_int_equal(aws_iam_check_path("a/", &err), -1);
	assert_int_equal(aws_iam_check_path("/a", &err), -1);
	assert_int_equal(aws_iam_check_path("/a b/", &err), -1);
	assert_non_null(strstr(err.message, "start and end with \"/\""));
	assert_refused(aws_iam_op_list_roles(&op, "svc", NULL, 0, &err), &op, &err, "must start with \"/\"");
	assert_refused(aws_iam_op_list_roles(&op, NULL, "", 0, &err), &op, &err, "marker");
	assert_refused(aws_iam_op_list_roles(&op, NULL, NULL, 1001, &err), &op, &err, "1 to 1000");
	assert_refused(aws_iam_op_list_attached_role_policies(&op, "r", "/a//", NULL, 0, &err), &op, &err,
	               "policy path");
}

static void
test_create_role_rules(void **state)
{
	struct aws_tag tags[51];
	struct aws_iam_create_role cr = {.role_name = "r", .trust_policy = "{}"};
	char desc[1002];
	struct irsa_error err;
	struct aws_op op;
	size_t i;

	cr.max_session_duration = 3599;
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "3600 to 43200 seconds");
	cr.max_session_duration = 43201;
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "3600 to 43200 seconds");
	cr.max_session_duration = 0;
	cr.trust_policy = "";
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "trust policy is empty");
	cr.trust_policy = "{\"a\":\x01}";
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "control character");
	cr.trust_policy = "{}";
	cr.path = "noslash";
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "path \"noslash\"");
	cr.path = NULL;
	memset(desc, 'd', 1001);
	desc[1001] = '\0';
	cr.description = desc;
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "at most 1000");
	cr.description = NULL;
	cr.permissions_boundary_arn = "boundary";
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "must be an ARN");
	cr.permissions_boundary_arn = NULL;
	for (i = 0; i < 51; i++) {
		tags[i].key = "k";
		tags[i].value = "v";
	}
	cr.tags = tags;
	cr.n_tags = 51;
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "at most 50");
	tags[0].key = "";
	cr.n_tags = 1;
	assert_refused(aws_iam_op_create_role(&op, &cr, &err), &op, &err, "1 to 128 characters");
	assert_refused(aws_iam_op_tag_role(&op, "r", tags, 0, &err), &op, &err, "no tags");
}

static void
test_policy_and_oidc_rules(void **state)
{
	const char *const bad_thumb[] = {"9e99a48a9960b14926bb7f3b02e22da2b0ab728"};
	const char *const not_hex[] = {"zz99a48a9960b14926bb7f3b02e22da2b0ab7280"};
	const char *const six[] = {THUMB, THUMB, THUMB, THUMB, THUMB, THUMB};
	const char *const empty_id[] = {""};
	struct aws_iam_list_policies lp = {.scope = "Everything"};
	struct irsa_error err;
	struct aws_op op;

	assert_refused(aws_iam_op_list_policies(&op, &lp, &err), &op, &err, "All, AWS or Local");
	lp.scope = NULL;
	lp.usage_filter = "Both";
	assert_refused(aws_iam_op_list_policies(&op, &lp, &err), &op, &err, "PermissionsBoundary");
	lp.usage_filter = NULL;
	lp.path_prefix = "/a b/";
	assert_refused(aws_iam_op_list_policies(&op, &lp, &err), &op, &err, "policy path");
	assert_refused(aws_iam_op_attach_role_policy(&op, "r", "AmazonS3ReadOnlyAccess", &err), &op, &err, "an ARN");
	assert_refused(aws_iam_op_get_policy_version(&op, S3_RO, "3", &err), &op, &err, "v1, v2");
	assert_refused(aws_iam_op_get_role_policy(&op, "r", "a policy", &err), &op, &err, "policy name");
	assert_refused(aws_iam_op_create_oidc_provider(&op, "http://issuer.example", NULL, 0, NULL, 0, NULL, 0, &err),
	               &op, &err, "https://host[/path]");
	assert_refused(
	        aws_iam_op_create_oidc_provider(&op, "https://issuer.example:8443/x", NULL, 0, NULL, 0, NULL, 0, &err),
	        &op, &err, "no port");
	assert_refused(
	        aws_iam_op_create_oidc_provider(&op, "https://issuer.example/?a=b", NULL, 0, NULL, 0, NULL, 0, &err),
	        &op, &err, "no port, query");
	assert_refused(aws_iam_op_create_oidc_provider(&op, "https://i.example", NULL, 0, bad_thumb, 1, NULL, 0, &err),
	               &op, &err, "40 hexadecimal digits");
	assert_refused(aws_iam_op_create_oidc_provider(&op, "https://i.example", NULL, 0, not_hex, 1, NULL, 0, &err),
	               &op, &err, "40 hexadecimal digits");
	assert_refused(aws_iam_op_create_oidc_provider(&op, "https://i.example", NULL, 0, six, 6, NULL, 0, &err), &op,
	               &err, "at most 5");
	assert_refused(aws_iam_op_create_oidc_provider(&op, "https://i.example", empty_id, 1, NULL, 0, NULL, 0, &err),
	               &op, &err, "client ID");
	assert_refused(aws_iam_op_add_client_id_to_oidc_provider(&op, OIDC_ARN, "", &err), &op, &err, "client ID");
	assert_refused(aws_iam_op_remove_client_id_from_oidc_provider(&op, OIDC_ARN, "", &err), &op, &err, "client ID");
	assert_refused(aws_iam_op_update_oidc_provider_thumbprint(&op, OIDC_ARN, NULL, 0, &err), &op, &err,
	               "no thumbprint");
	assert_refused(aws_iam_op_get_oidc_provider(&op, "oidc.eks.example", &err), &op, &err, "OIDC provider ARN");
}

/* --- policy documents -------------------------------------------------------------- */

static void
test_policy_decode(void **state)
{
	bool json;
	char *s;

	/* Real IAM: RFC 3986 encoded. */
	s = aws_iam_policy_decode("%7B%22a%22%3A%22b%2Bc d%22%7D", &json);
	assert_string_equal(s, "{\"a\":\"b+c d\"}");
	assert_true(json);
	free(s);
	/* '+' is a plus, not a space. */
	s = aws_iam_policy_decode("%7B%22a%22%3A%22b+c%22%7D", &json);
	assert_string_equal(s, "{\"a\":\"b+c\"}");
	free(s);
	/* moto's ListRoles: JSON already, kept as is even when it holds '%XX'. */
	s = aws_iam_policy_decode("{\"s3:prefix\": \"a%2Fb\"}", &json);
	assert_string_equal(s, "{\"s3:prefix\": \"a%2Fb\"}");
	assert_true(json);
	free(s);
	/* Neither: the text as sent. */
	s = aws_iam_policy_decode("not a policy %ZZ %7B", &json);
	assert_string_equal(s, "not a policy %ZZ %7B");
	assert_false(json);
	free(s);
	/* A JSON scalar is not a policy. */
	s = aws_iam_policy_decode("42", &json);
	assert_false(json);
	free(s);
}

/* --- parsers: moto ----------------------------------------------------------------- */

static void
test_moto_create_and_get_role(void **state)
{
	static const char *const files[] = {"moto/01-iam-CreateRole-200.txt", "moto/04-iam-GetRole-200.txt"};
	struct irsa_error err;
	struct aws_role r;
	struct sample s;
	size_t i;

	for (i = 0; i < 2; i++) {
		sample_load(&s, files[i]);
		if (i == 0)
			assert_int_equal(aws_iam_parse_create_role(&s.body, &r, &err), 0);
		else
			assert_int_equal(aws_iam_parse_get_role(&s.body, &r, &err), 0);
		assert_string_equal(r.name, "my-role");
		assert_string_equal(r.arn, "arn:aws:iam::123456789012:role/my-role");
		assert_string_equal(r.role_id, "AROARZPUZDIKM6DQGYSIV");
		assert_string_equal(r.path, "/");
		assert_int_equal(r.created, 1795868887); /* 2026-11-28T12:28:07.514662Z */
		assert_string_equal(r.description, "demo");
		assert_int_equal(r.max_session_duration, 3600);
		assert_true(r.trust_policy_json);
		assert_string_equal(r.trust_policy, MOTO_TRUST_DOC);
		assert_int_equal(r.tags.n, 1);
		assert_string_equal(aws_tags_get(&r.tags, "k"), "v");
		assert_null(r.permissions_boundary_arn);
		assert_int_equal(r.last_used, 0); /* <RoleLastUsed/> */
		assert_null(r.last_used_region);
		aws_role_release(&r);
		sample_release(&s);
	}

	sample_load(&s, "moto/02-iam-CreateRole-200.txt");
	assert_int_equal(aws_iam_parse_create_role(&s.body, &r, &err), 0);
	assert_string_equal(r.path, "/svc/");
	assert_null(r.description);
	assert_int_equal(r.tags.n, 0);
	aws_role_release(&r);
	sample_release(&s);
}

/* moto's ListRoles sends the trust policy unencoded. */
static void
test_moto_list_roles(void **state)
{
	struct aws_role_list l;
	struct irsa_error err;
	struct sample s;

	sample_load(&s, "moto/03-iam-ListRoles-200.txt");
	assert_int_equal(aws_iam_parse_list_roles(&s.body, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "other-role");
	assert_string_equal(l.v[0].arn, "arn:aws:iam::123456789012:role/svc/other-role");
	assert_true(l.v[0].trust_policy_json);
	assert_string_equal(l.v[0].trust_policy, MOTO_TRUST_DOC);
	assert_true(l.truncated);
	assert_string_equal(l.marker, "1");
	aws_role_list_release(&l);
	sample_release(&s);
}

static void
test_moto_policies(void **state)
{
	struct aws_attached_policy_list ap;
	struct aws_policy_list pl;
	struct irsa_error err;
	struct sample s;

	sample_load(&s, "moto/09-iam-ListAttachedRolePolicies-200.txt");
	assert_int_equal(aws_iam_parse_list_attached_role_policies(&s.body, &ap, &err), 0);
	assert_int_equal(ap.n, 1);
	assert_string_equal(ap.v[0].name, "AmazonS3ReadOnlyAccess");
	assert_string_equal(ap.v[0].arn, S3_RO);
	assert_false(ap.truncated);
	assert_null(ap.marker);
	aws_attached_policy_list_release(&ap);
	sample_release(&s);

	sample_load(&s, "moto/10-iam-ListPolicies-200.txt");
	assert_int_equal(aws_iam_parse_list_policies(&s.body, &pl, &err), 0);
	assert_int_equal(pl.n, 2);
	assert_string_equal(pl.v[1].name, "AIDevOpsAgentFullAccess");
	assert_string_equal(pl.v[1].arn, "arn:aws:iam::aws:policy/AIDevOpsAgentFullAccess");
	assert_string_equal(pl.v[0].default_version_id, "v2");
	assert_int_equal(pl.v[0].attachment_count, 0);
	assert_true(pl.v[0].is_attachable);
	assert_int_equal(pl.v[0].updated, 1776958927); /* 2026-04-23T15:42:07Z */
	assert_true(pl.truncated);
	assert_string_equal(pl.marker, "2");
	aws_policy_list_release(&pl);
	sample_release(&s);

	sample_load(&s, "moto/11-iam-ListPolicies-200.txt");
	assert_int_equal(aws_iam_parse_list_policies(&s.body, &pl, &err), 0);
	assert_int_equal(pl.n, 0);
	assert_false(pl.truncated);
	aws_policy_list_release(&pl);
	sample_release(&s);
}

static void
test_moto_oidc(void **state)
{
	struct aws_oidc_provider p;
	struct aws_strings arns;
	struct irsa_error err;
	struct sample s;
	char *arn;

	sample_load(&s, "moto/12-iam-CreateOpenIDConnectProvider-200.txt");
	assert_int_equal(aws_iam_parse_create_oidc_provider(&s.body, &arn, &err), 0);
	assert_string_equal(arn, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/"
	                         "EXAMPLED539D4633E53DE1B71EXAMPLE");
	free(arn);
	sample_release(&s);

	sample_load(&s, "moto/13-iam-ListOpenIDConnectProviders-200.txt");
	assert_int_equal(aws_iam_parse_list_oidc_providers(&s.body, &arns, &err), 0);
	assert_int_equal(arns.n, 1);
	assert_non_null(strstr(arns.v[0], ":oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/"));
	aws_strings_release(&arns);
	sample_release(&s);

	sample_load(&s, "moto/14-iam-GetOpenIDConnectProvider-200.txt");
	assert_int_equal(aws_iam_parse_get_oidc_provider(&s.body, &p, &err), 0);
	assert_string_equal(p.url, "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE");
	assert_int_equal(p.client_ids.n, 1);
	assert_string_equal(p.client_ids.v[0], "sts.amazonaws.com");
	assert_int_equal(p.thumbprints.n, 1);
	assert_string_equal(p.thumbprints.v[0], THUMB);
	assert_int_equal(p.tags.n, 0);
	assert_int_equal(p.created, 1795868887);
	aws_oidc_provider_release(&p);
	sample_release(&s);
}

static void
test_moto_empty_answers(void **state)
{
	static const struct {
		const char *file, *op;
	} cases[] = {
	        {"moto/07-iam-UpdateAssumeRolePolicy-200.txt", "UpdateAssumeRolePolicy"},
	        {"moto/08-iam-AttachRolePolicy-200.txt", "AttachRolePolicy"},
	        {"moto/15-iam-TagRole-200.txt", "TagRole"},
	        {"real/iam-DeleteRole-200.txt", "DeleteRole"},
	};
	struct irsa_error err;
	struct sample s;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sample_load(&s, cases[i].file);
		assert_int_equal(aws_iam_parse_empty(&s.body, cases[i].op, &err), 0);
		/* Another operation's answer is not this one's. */
		assert_int_equal(aws_iam_parse_empty(&s.body, "DetachRolePolicy", &err), -1);
		assert_int_equal(err.kind, IRSA_ERR_PARSE);
		assert_non_null(strstr(err.message, "DetachRolePolicy"));
		sample_release(&s);
	}
}

/* --- parsers: real-AWS shapes -------------------------------------------------------- */

static void
test_real_get_role(void **state)
{
	struct irsa_error err;
	struct aws_role r;
	struct sample s;

	sample_load(&s, "real/iam-GetRole-200.txt");
	assert_int_equal(aws_iam_parse_get_role(&s.body, &r, &err), 0);
	assert_string_equal(r.name, "shop-prod-orders");
	assert_string_equal(r.arn, "arn:aws:iam::111122223333:role/shop/shop-prod-orders");
	assert_string_equal(r.path, "/shop/");
	assert_string_equal(r.description, "Orders service & its workers");
	assert_int_equal(r.max_session_duration, 7200);
	assert_int_equal(r.created, 1684324904); /* 2023-05-17T12:01:44Z */
	assert_true(r.trust_policy_json);
	assert_string_equal(r.trust_policy, REAL_TRUST_DOC);
	assert_string_equal(r.permissions_boundary_arn, "arn:aws:iam::111122223333:policy/boundary");
	assert_int_equal(r.last_used, 1732954502); /* 2024-11-30T08:15:02Z */
	assert_string_equal(r.last_used_region, "eu-west-1");
	assert_int_equal(r.tags.n, 2);
	assert_string_equal(aws_tags_get(&r.tags, "team"), "shop");
	assert_string_equal(aws_tags_get(&r.tags, "irsa.managed"), "");
	aws_role_release(&r);
	sample_release(&s);
}

static void
test_real_list_roles(void **state)
{
	struct aws_role_list l;
	struct irsa_error err;
	struct sample s;

	sample_load(&s, "real/iam-ListRoles-200.txt");
	assert_int_equal(aws_iam_parse_list_roles(&s.body, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "ec2-default");
	assert_string_equal(l.v[0].trust_policy, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	                                         "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:"
	                                         "AssumeRole\"}]}");
	assert_string_equal(l.v[1].trust_policy, REAL_TRUST_DOC);
	assert_int_equal(l.v[1].tags.n, 0);
	assert_true(l.truncated);
	assert_string_equal(l.marker, "AAEAAXnWkX1tEXAMPLEmarker/+==");
	aws_role_list_release(&l);
	sample_release(&s);
}

static void
test_real_inline_and_managed_policies(void **state)
{
	struct aws_attached_policy_list ap;
	struct aws_policy_version pv;
	struct aws_role_policy rp;
	struct aws_name_list names;
	struct aws_policy p;
	struct irsa_error err;
	struct sample s;

	sample_load(&s, "real/iam-ListRolePolicies-200.txt");
	assert_int_equal(aws_iam_parse_list_role_policies(&s.body, &names, &err), 0);
	assert_int_equal(names.names.n, 2);
	assert_string_equal(names.names.v[1], "orders-sqs");
	assert_false(names.truncated);
	aws_name_list_release(&names);
	sample_release(&s);

	sample_load(&s, "real/iam-GetRolePolicy-200.txt");
	assert_int_equal(aws_iam_parse_get_role_policy(&s.body, &rp, &err), 0);
	assert_string_equal(rp.role_name, "shop-prod-orders");
	assert_string_equal(rp.policy_name, "orders-s3");
	assert_true(rp.document_json);
	assert_string_equal(rp.document,
	                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
	                    "\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::shop-orders/*\"}]}");
	aws_role_policy_release(&rp);
	sample_release(&s);

	sample_load(&s, "real/iam-GetPolicy-200.txt");
	assert_int_equal(aws_iam_parse_get_policy(&s.body, &p, &err), 0);
	assert_string_equal(p.name, "AmazonS3ReadOnlyAccess");
	assert_string_equal(p.arn, S3_RO);
	assert_string_equal(p.default_version_id, "v3");
	assert_int_equal(p.attachment_count, 14);
	assert_int_equal(p.boundary_usage_count, 0);
	assert_true(p.is_attachable);
	assert_non_null(strstr(p.description, "read only access"));
	aws_policy_release(&p);
	sample_release(&s);

	sample_load(&s, "real/iam-GetPolicyVersion-200.txt");
	assert_int_equal(aws_iam_parse_get_policy_version(&s.body, &pv, &err), 0);
	assert_true(pv.document_json);
	assert_string_equal(pv.document,
	                    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": "
	                    "\"Allow\",\n      \"Action\": [\n        \"s3:Get*\",\n        \"s3:List*\"\n"
	                    "      ],\n      \"Resource\": \"*\"\n    }\n  ]\n}");
	assert_string_equal(pv.version_id, "v3");
	assert_true(pv.is_default);
	aws_policy_version_release(&pv);
	sample_release(&s);

	sample_load(&s, "real/iam-ListAttachedRolePolicies-200.txt");
	assert_int_equal(aws_iam_parse_list_attached_role_policies(&s.body, &ap, &err), 0);
	assert_int_equal(ap.n, 2);
	assert_string_equal(ap.v[1].arn, "arn:aws:iam::111122223333:policy/shop/orders-queue");
	assert_true(ap.truncated);
	assert_string_equal(ap.marker, "AAIAAQABAAEAAwBlgd5EXAMPLE");
	aws_attached_policy_list_release(&ap);
	sample_release(&s);
}

static void
test_real_oidc_and_summary(void **state)
{
	struct aws_account_summary sum;
	struct aws_oidc_provider p;
	struct irsa_error err;
	struct sample s;
	long v;

	sample_load(&s, "real/iam-GetOpenIDConnectProvider-200.txt");
	assert_int_equal(aws_iam_parse_get_oidc_provider(&s.body, &p, &err), 0);
	assert_int_equal(p.client_ids.n, 2);
	assert_string_equal(p.client_ids.v[1], "irsa-test");
	assert_string_equal(aws_tags_get(&p.tags, "alpha.eksctl.io/cluster-name"), "shop-prod");
	assert_int_equal(p.created, 1684324681);
	aws_oidc_provider_release(&p);
	sample_release(&s);

	sample_load(&s, "real/iam-GetAccountSummary-200.txt");
	assert_int_equal(aws_iam_parse_get_account_summary(&s.body, &sum, &err), 0);
	assert_int_equal(sum.n, 8);
	assert_int_equal(aws_account_summary_get(&sum, "AssumeRolePolicySizeQuota", &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(aws_account_summary_get(&sum, "RolePolicySizeQuota", &v), 0);
	assert_int_equal(v, 10240);
	assert_int_equal(aws_account_summary_get(&sum, "Roles", &v), 0);
	assert_int_equal(v, 412);
	assert_int_equal(aws_account_summary_get(&sum, "RolesQuota", &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(aws_account_summary_get(&sum, "Users", &v), -1);
	aws_account_summary_release(&sum);
	sample_release(&s);
}

/* --- malformed answers ------------------------------------------------------------ */

static void
assert_parse_error(const char *body, const char *needle)
{
	struct irsa_error err;
	struct aws_role r;
	struct buf b;

	buf_init(&b, SAMPLE_MAX);
	buf_addstr(&b, body);
	assert_int_equal(aws_iam_parse_get_role(&b, &r, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "GetRole"));
	if (strstr(err.message, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
	aws_role_release(&r);
	buf_release(&b);
}

#define ROLE_OPEN  "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult><Role>"
#define ROLE_CLOSE "</Role></GetRoleResult></GetRoleResponse>"

static void
test_truncated_and_garbled(void **state)
{
	struct irsa_error err;
	struct aws_role r;
	struct sample s;

	sample_load(&s, "real/iam-GetRole-200.txt");
	sample_set_body(&s, s.body.data, s.body.len / 2);
	assert_int_equal(aws_iam_parse_get_role(&s.body, &r, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "the GetRole answer is not well-formed XML"));
	aws_role_release(&r);
	sample_release(&s);

	assert_parse_error("", "is empty");
	assert_parse_error("Internal error, please retry", "not well-formed");
	assert_parse_error("{\"Role\": {}}", "not well-formed");
	assert_parse_error("<ListRolesResponse><ListRolesResult/></ListRolesResponse>",
	                   "is <ListRolesResponse>, not <GetRoleResponse>");
	assert_parse_error("<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>", "is <ErrorResponse>");
	assert_parse_error("<GetRoleResponse><ResponseMetadata/></GetRoleResponse>", "no <GetRoleResult>");
	assert_parse_error("<GetRoleResponse><GetRoleResult/></GetRoleResponse>", "lacks <Role>");
	assert_parse_error(ROLE_OPEN "<Arn>arn:aws:iam::1:role/x</Arn>" ROLE_CLOSE, "lacks <RoleName>");
	assert_parse_error(ROLE_OPEN "<RoleName>x</RoleName><Arn>a</Arn><CreateDate>yesterday</CreateDate>" ROLE_CLOSE,
	                   "<CreateDate> that is not a date");
	assert_parse_error(ROLE_OPEN
	                   "<RoleName>x</RoleName><Arn>a</Arn><MaxSessionDuration>1h</MaxSessionDuration>" ROLE_CLOSE,
	                   "<MaxSessionDuration> that is not a number");
	assert_parse_error(
	        ROLE_OPEN "<RoleName>x</RoleName><Arn>a</Arn><Tags><member><Value>v</Value></member></Tags>" ROLE_CLOSE,
	        "lacks <Key>");
}

static void
test_hostile_xml_is_refused(void **state)
{
	/* Entity expansion and external entities: refused before any is read. */
	assert_parse_error("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
	                   "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" ROLE_OPEN "<RoleName>&b;</RoleName>" ROLE_CLOSE,
	                   "DTD");
	assert_parse_error("<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://169.254.169.254/latest/\">" ROLE_OPEN
	                   "<RoleName>x</RoleName>" ROLE_CLOSE,
	                   "DTD");
}

/* A role whose trust policy is neither JSON nor encoded JSON keeps it raw. */
static void
test_unreadable_trust_policy_kept_raw(void **state)
{
	struct irsa_error err;
	struct aws_role r;
	struct buf b;

	buf_init(&b, SAMPLE_MAX);
	buf_addstr(&b, ROLE_OPEN "<RoleName>x</RoleName><Arn>arn:aws:iam::1:role/x</Arn><AssumeRolePolicyDocument>"
	                         "%7Bbroken</AssumeRolePolicyDocument>" ROLE_CLOSE);
	assert_int_equal(aws_iam_parse_get_role(&b, &r, &err), 0);
	assert_false(r.trust_policy_json);
	assert_string_equal(r.trust_policy, "%7Bbroken");
	aws_role_release(&r);
	buf_release(&b);
}

static void
test_list_truncated_without_marker(void **state)
{
	struct aws_role_list l;
	struct irsa_error err;
	struct buf b;

	buf_init(&b, SAMPLE_MAX);
	buf_addstr(&b, "<ListRolesResponse><ListRolesResult><Roles/><IsTruncated>true</IsTruncated></ListRolesResult>"
	               "</ListRolesResponse>");
	assert_int_equal(aws_iam_parse_list_roles(&b, &l, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "the ListRoles answer says more follows"));
	aws_role_list_release(&l);
	buf_reset(&b);
	buf_addstr(&b, "<ListRolesResponse><ListRolesResult><IsTruncated>maybe</IsTruncated></ListRolesResult>"
	               "</ListRolesResponse>");
	assert_int_equal(aws_iam_parse_list_roles(&b, &l, &err), -1);
	assert_non_null(strstr(err.message, "<IsTruncated> that is not true or false"));
	aws_role_list_release(&l);
	buf_release(&b);
}

/* The provider ARN of a cluster: its account and partition, the issuer
 * without https:// and a trailing '/'. */
static void
test_cluster_provider_arn(void **state)
{
	static const struct {
		const char *cluster_arn, *issuer, *want;
	} cases[] = {
	        {"arn:aws:eks:us-east-1:123456789012:cluster/shop-prod",
	         "https://oidc.eks.us-east-1.amazonaws.com/id/AB12/",
	         "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB12"},
	        {"arn:aws-cn:eks:cn-north-1:111122223333:cluster/c", "oidc.eks.cn-north-1.amazonaws.com.cn/id/X",
	         "arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/X"},
	        {"shop-prod", "https://oidc.eks.us-east-1.amazonaws.com/id/AB12", NULL},
	        {"arn:aws:eks:us-east-1:123456789012:cluster/shop-prod", "", NULL},
	        {"arn:aws:eks:us-east-1:123456789012:cluster/shop-prod", NULL, NULL},
	        {NULL, "https://oidc.eks.us-east-1.amazonaws.com/id/AB12", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = iam_cluster_provider_arn(cases[i].cluster_arn, cases[i].issuer);

		if (cases[i].want == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].want);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bodies_match_botocore),
	        cmocka_unit_test(test_other_bodies),
	        cmocka_unit_test(test_idempotence),
	        cmocka_unit_test(test_role_names_and_paths),
	        cmocka_unit_test(test_create_role_rules),
	        cmocka_unit_test(test_policy_and_oidc_rules),
	        cmocka_unit_test(test_policy_decode),
	        cmocka_unit_test(test_moto_create_and_get_role),
	        cmocka_unit_test(test_moto_list_roles),
	        cmocka_unit_test(test_moto_policies),
	        cmocka_unit_test(test_moto_oidc),
	        cmocka_unit_test(test_moto_empty_answers),
	        cmocka_unit_test(test_real_get_role),
	        cmocka_unit_test(test_real_list_roles),
	        cmocka_unit_test(test_real_inline_and_managed_policies),
	        cmocka_unit_test(test_real_oidc_and_summary),
	        cmocka_unit_test(test_truncated_and_garbled),
	        cmocka_unit_test(test_hostile_xml_is_refused),
	        cmocka_unit_test(test_unreadable_trust_policy_kept_raw),
	        cmocka_unit_test(test_list_truncated_without_marker),
	        cmocka_unit_test(test_cluster_provider_arn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
