/* tests/unit/test_aws_error.c - AWS error answers to struct irsa_error: the
 * Query XML envelope (real, moto's lower-case <message>, the EC2-style
 * <Response><Errors>), REST-JSON (x-amzn-ErrorType, message/Message,
 * __type), proxy pages; the kind of each code family; the hints (credential
 * source, clock skew from a fixed Date, the action and principal, the
 * object); the retry predicates; HTTP dates; no secret in a message. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws_error.h"
#include "aws_iam.h"
#include "aws_eks.h"
#include "aws_samples.h"
#include "aws_sts_parse.h"
#include "buf.h"
#include "error.h"
#include "redact.h"

#define SAMPLE_DATE 1733220000 /* Tue, 03 Dec 2024 10:00:00 GMT, the Date of every real/ sample */
#define CRED_SOURCE "profile dev (~/.aws/credentials)"

/* Maps the answer in file for op, as aws_client would. */
static void
map_sample(const char *file, const struct aws_op *op, const char *what, time_t now, struct irsa_error *err)
{
	struct aws_error_response resp;
	struct aws_error_context ctx;
	struct sample s;
	char type[256], rid[128], date[128], ctype[128];
	const char *h;

	sample_load(&s, file);
	memset(&resp, 0, sizeof(resp));
	resp.status = s.status;
	resp.body = &s.body;
	/* sample_header() returns a static buffer: copy each. */
	if ((h = sample_header(&s, "x-amzn-ErrorType")) != NULL)
		resp.error_type = strcpy(type, h);
	if ((h = sample_header(&s, "x-amzn-RequestId")) != NULL)
		resp.request_id = strcpy(rid, h);
	if ((h = sample_header(&s, "Date")) != NULL)
		resp.date = strcpy(date, h);
	if ((h = sample_header(&s, "Content-Type")) != NULL)
		resp.content_type = strcpy(ctype, h);
	memset(&ctx, 0, sizeof(ctx));
	ctx.op = op;
	ctx.what = what;
	ctx.cred_source = CRED_SOURCE;
	ctx.now = now;
	assert_int_equal(aws_error_from_response(&resp, &ctx, err), -1);
	assert_int_equal(err->http_status, s.status);
	sample_release(&s);
}

static void
assert_contains(const char *text, const char *needle)
{
	if (strstr(text, needle) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", text, needle);
}

static void
get_role_op(struct aws_op *op, const char *name)
{
	struct irsa_error err;

	assert_int_equal(aws_iam_op_get_role(op, name, &err), 0);
}

/* --- envelopes --------------------------------------------------------------------- */

static void
test_real_not_found(void **state)
{
	struct irsa_error err;
	struct aws_op op;

	get_role_op(&op, "shop-prod-orders");
	map_sample("real/iam-GetRole-404.txt", &op, "GetRole shop-prod-orders", SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	assert_string_equal(err.code, "NoSuchEntity");
	assert_string_equal(err.request_id, "6f1e2d3c-4b5a-4697-8877-665544332211");
	assert_string_equal(err.message,
	                    "GetRole shop-prod-orders: The role with name shop-prod-orders cannot be found.");
	assert_string_equal(err.hint,
	                    "role shop-prod-orders does not exist here: check the name, and the account in use");
	aws_op_release(&op);
}

/* moto adds <message>; the context defaults to the op and its object. */
static void
test_moto_envelopes(void **state)
{
	struct aws_iam_create_role cr = {.role_name = "my-role", .trust_policy = "{}"};
	struct irsa_error err;
	struct aws_op op;

	get_role_op(&op, "nope");
	map_sample("moto/05-iam-GetRole-404.txt", &op, NULL, 0, &err);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	assert_string_equal(err.message, "GetRole role nope: Role nope not found");
	assert_string_equal(err.request_id, "PTlpzpPL8Fc9xjSybaH0zyaxD6qz4T2N8TcYaSny497NOmMlhN93");
	aws_op_release(&op);

	assert_int_equal(aws_iam_op_create_role(&op, &cr, &err), 0);
	map_sample("moto/06-iam-CreateRole-409.txt", &op, "CreateRole my-role", 0, &err);
	assert_int_equal(err.kind, IRSA_ERR_CONFLICT);
	assert_string_equal(err.code, "EntityAlreadyExists");
	assert_string_equal(err.message, "CreateRole my-role: Role with name my-role already exists.");
	assert_string_equal(err.hint, "role my-role already exists: use it, or choose another name");
	aws_op_release(&op);

	assert_int_equal(aws_eks_op_describe_cluster(&op, "nope", &err), 0);
	map_sample("moto/19-eks-DescribeCluster-404.txt", &op, NULL, 0, &err);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	assert_string_equal(err.code, "ResourceNotFoundException");
	assert_string_equal(err.message, "DescribeCluster cluster nope: No cluster found for name: nope.");
	assert_contains(err.hint, "account and region");
	aws_op_release(&op);
}

/* x-amzn-ErrorType "Code:http://..." is cut to the code. */
static void
test_rest_json_envelopes(void **state)
{
	struct irsa_error err;
	struct aws_op op;

	assert_int_equal(aws_eks_op_describe_cluster(&op, "shop-prod", &err), 0);
	map_sample("real/eks-DescribeCluster-404.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_string_equal(err.code, "ResourceNotFoundException");
	assert_string_equal(err.request_id, "8c1e7a52-2b4d-4e11-9a0f-3d6c5b4a3e21");
	assert_string_equal(err.message, "DescribeCluster cluster shop-prod: No cluster found for name: shop-prod.");

	map_sample("real/eks-DescribeCluster-403.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	assert_string_equal(err.code, "AccessDeniedException");
	assert_contains(err.message, "is not authorized to perform: eks:DescribeCluster");
	assert_string_equal(err.hint,
	                    "allow eks:DescribeCluster to arn:aws:sts::111122223333:assumed-role/ReadOnly/alice "
	                    "(an IAM policy, or ask your administrator), or choose another profile with "
	                    "--profile");
	aws_op_release(&op);

	/* __type "namespace#Code" in the body, no header. */
	assert_int_equal(aws_eks_op_list_clusters(&op, 0, NULL, &err), 0);
	map_sample("real/eks-ListClusters-429.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_THROTTLED);
	assert_string_equal(err.code, "ThrottlingException");
	assert_string_equal(err.message, "ListClusters: Rate exceeded");
	assert_contains(err.hint, "rate-limiting");

	map_sample("real/eks-ListClusters-403-UnrecognizedClient.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_string_equal(err.code, "UnrecognizedClientException");
	assert_string_equal(err.hint, "the credentials came from " CRED_SOURCE "; refresh them (aws sso login / new "
	                              "keys) or choose another profile with --profile");
	aws_op_release(&op);
}

static void
test_ec2_style_envelope(void **state)
{
	struct irsa_error err;

	map_sample("real/ec2-style-400-Response-Errors.txt", NULL, "DescribeRegions", SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	assert_string_equal(err.code, "UnauthorizedOperation");
	assert_string_equal(err.request_id, "a1b2c3d4-0000-1111-2222-333344445555");
	assert_string_equal(err.message, "DescribeRegions: You are not authorized to perform this operation.");
	assert_contains(err.hint, "allow the action to the caller");
}

static void
test_proxy_pages(void **state)
{
	struct aws_error_response resp = {.status = 407, .content_type = "text/html"};
	struct irsa_error err;
	struct aws_op op;
	struct buf b;

	get_role_op(&op, "shop-prod-orders");
	map_sample("real/iam-GetRole-502-proxy.txt", &op, "GetRole shop-prod-orders", SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_string_equal(err.code, "");
	assert_string_equal(
	        err.message,
	        "GetRole shop-prod-orders: HTTP 502 Bad Gateway, and the answer is not from AWS (text/html)");
	assert_contains(err.hint, "a proxy or load balancer answered");
	aws_op_release(&op);

	buf_init(&b, 1024);
	buf_addstr(&b, "<html><body>Proxy Authentication Required</body></html>");
	resp.body = &b;
	aws_error_from_response(&resp, NULL, &err);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_string_equal(
	        err.message,
	        "AWS request: HTTP 407 Proxy Authentication Required, and the answer is not from AWS (text/html)");
	assert_contains(err.hint, "HTTPS_PROXY");

	/* A 403 with an unreadable body is still "denied"; an empty 503 a network failure. */
	resp.status = 403;
	resp.content_type = NULL;
	buf_reset(&b);
	buf_addstr(&b, "Forbidden");
	aws_error_from_response(&resp, NULL, &err);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	assert_contains(err.message, "HTTP 403 Forbidden");
	resp.status = 503;
	resp.body = NULL;
	aws_error_from_response(&resp, NULL, &err);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_contains(err.message, "HTTP 503 Service Unavailable");
	buf_release(&b);
}

/* --- kinds and hints ---------------------------------------------------------------- */

static void
test_code_families(void **state)
{
	static const struct {
		const char *code;
		enum irsa_err kind;
	} cases[] = {
	        {"InvalidClientTokenId", IRSA_ERR_AUTH},
	        {"UnrecognizedClientException", IRSA_ERR_AUTH},
	        {"ExpiredToken", IRSA_ERR_AUTH},
	        {"ExpiredTokenException", IRSA_ERR_AUTH},
	        {"SignatureDoesNotMatch", IRSA_ERR_AUTH},
	        {"IncompleteSignature", IRSA_ERR_AUTH},
	        {"MissingAuthenticationToken", IRSA_ERR_AUTH},
	        {"AccessDenied", IRSA_ERR_DENIED},
	        {"AccessDeniedException", IRSA_ERR_DENIED},
	        {"UnauthorizedOperation", IRSA_ERR_DENIED},
	        {"NoSuchEntity", IRSA_ERR_NOT_FOUND},
	        {"ResourceNotFoundException", IRSA_ERR_NOT_FOUND},
	        {"EntityAlreadyExists", IRSA_ERR_CONFLICT},
	        {"ResourceInUseException", IRSA_ERR_CONFLICT},
	        {"Throttling", IRSA_ERR_THROTTLED},
	        {"ThrottlingException", IRSA_ERR_THROTTLED},
	        {"TooManyRequestsException", IRSA_ERR_THROTTLED},
	        {"RequestLimitExceeded", IRSA_ERR_THROTTLED},
	        {"LimitExceeded", IRSA_ERR_LIMIT},
	        {"MalformedPolicyDocument", IRSA_ERR_INVALID_INPUT},
	        {"InvalidInput", IRSA_ERR_INVALID_INPUT},
	        {"ValidationError", IRSA_ERR_INVALID_INPUT},
	        {"InvalidParameterException", IRSA_ERR_INVALID_INPUT},
	        {"ServiceFailure", IRSA_ERR_NETWORK},
	        {"ServiceUnavailableException", IRSA_ERR_NETWORK},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (aws_error_kind(cases[i].code, 400) != cases[i].kind)
			fail_msg("%s: kind %s", cases[i].code, irsa_err_name(aws_error_kind(cases[i].code, 400)));
	/* Unknown codes fall back on the status. */
	assert_int_equal(aws_error_kind("SomethingNew", 401), IRSA_ERR_AUTH);
	assert_int_equal(aws_error_kind("SomethingNew", 403), IRSA_ERR_DENIED);
	assert_int_equal(aws_error_kind(NULL, 404), IRSA_ERR_NOT_FOUND);
	assert_int_equal(aws_error_kind(NULL, 409), IRSA_ERR_CONFLICT);
	assert_int_equal(aws_error_kind(NULL, 429), IRSA_ERR_THROTTLED);
	assert_int_equal(aws_error_kind(NULL, 400), IRSA_ERR_INVALID_INPUT);
	assert_int_equal(aws_error_kind(NULL, 500), IRSA_ERR_NETWORK);
	assert_int_equal(aws_error_kind(NULL, 504), IRSA_ERR_NETWORK);
}

static void
test_auth_hints_name_the_source(void **state)
{
	struct aws_error_response resp = {.status = 403};
	struct aws_error_context ctx = {.what = "GetCallerIdentity"};
	struct irsa_error err;
	struct aws_op op;
	struct buf b;

	assert_int_equal(aws_sts_op_get_caller_identity(&op, &err), 0);
	map_sample("real/sts-GetCallerIdentity-403-InvalidClientTokenId.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_string_equal(err.code, "InvalidClientTokenId");
	assert_string_equal(err.message, "GetCallerIdentity: The security token included in the request is invalid.");
	assert_string_equal(err.hint, "the credentials came from " CRED_SOURCE "; refresh them (aws sso login / new "
	                              "keys) or choose another profile with --profile");
	map_sample("real/sts-GetCallerIdentity-400-ExpiredToken.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_string_equal(err.code, "ExpiredToken");
	assert_contains(err.hint, "the credentials came from " CRED_SOURCE);
	aws_op_release(&op);

	/* Without a source the hint still says what to do. */
	buf_init(&b, 1024);
	buf_addstr(&b, "<ErrorResponse><Error><Code>MissingAuthenticationToken</Code><Message>Request is missing "
	               "Authentication Token</Message></Error></ErrorResponse>");
	resp.body = &b;
	aws_error_from_response(&resp, &ctx, &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_string_equal(err.hint,
	                    "refresh the credentials (aws sso login / new keys) or choose another profile with "
	                    "--profile");
	buf_release(&b);
}

/* The skew is measured from the answer's Date against the local clock. */
static void
test_signature_hint_measures_the_clock(void **state)
{
	const char *file = "real/sts-GetCallerIdentity-403-SignatureDoesNotMatch.txt";
	struct aws_error_response resp = {.status = 403};
	struct aws_error_context ctx = {.what = "GetCallerIdentity"};
	struct irsa_error err;
	struct aws_op op;
	struct buf b;

	assert_int_equal(aws_sts_op_get_caller_identity(&op, &err), 0);
	map_sample(file, &op, NULL, SAMPLE_DATE + 300, &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_string_equal(err.code, "SignatureDoesNotMatch");
	assert_string_equal(
	        err.hint,
	        "your clock is 300 s off (ahead of AWS's); set it right (e.g. timedatectl set-ntp true) and retry");
	map_sample(file, &op, NULL, SAMPLE_DATE - 3723, &err);
	assert_contains(err.hint, "your clock is 3723 s off (behind AWS's)");
	map_sample(file, &op, NULL, SAMPLE_DATE - 61, &err);
	assert_contains(err.hint, "your clock is 61 s off");
	/* Within a minute the clock is not the problem. */
	map_sample(file, &op, NULL, SAMPLE_DATE + 60, &err);
	assert_string_equal(err.hint, "check the secret access key: it does not match the access key id (the "
	                              "credentials came from " CRED_SOURCE ")");
	map_sample(file, &op, NULL, SAMPLE_DATE - 5, &err);
	assert_contains(err.hint, "check the secret access key");
	aws_op_release(&op);

	/* No Date, or an unreadable one: the key. RequestExpired is a clock error too. */
	buf_init(&b, 1024);
	buf_addstr(&b, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>"
	               "</ErrorResponse>");
	resp.body = &b;
	aws_error_from_response(&resp, &ctx, &err);
	assert_string_equal(err.hint, "check the secret access key: it does not match the access key id");
	resp.date = "yesterday";
	aws_error_from_response(&resp, &ctx, &err);
	assert_contains(err.hint, "check the secret access key");
	buf_reset(&b);
	buf_addstr(&b, "<ErrorResponse><Error><Code>RequestExpired</Code><Message>Request has expired.</Message>"
	               "</Error></ErrorResponse>");
	resp.status = 400;
	resp.date = "Tue, 03 Dec 2024 10:00:00 GMT";
	ctx.now = SAMPLE_DATE + 900;
	aws_error_from_response(&resp, &ctx, &err);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_contains(err.hint, "your clock is 900 s off (ahead");
	buf_release(&b);
}

static void
test_denied_hint_names_action_and_principal(void **state)
{
	struct aws_error_response resp = {.status = 403};
	struct aws_error_context ctx = {0};
	struct irsa_error err;
	struct aws_op op;
	struct buf b;

	get_role_op(&op, "shop-prod-orders");
	map_sample("real/iam-GetRole-403-AccessDenied.txt", &op, "GetRole shop-prod-orders", SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_DENIED);
	assert_string_equal(err.code, "AccessDenied");
	assert_contains(err.message, "GetRole shop-prod-orders: User: arn:aws:iam::111122223333:user/dev is not "
	                             "authorized to perform: iam:GetRole");
	assert_string_equal(err.hint, "allow iam:GetRole to arn:aws:iam::111122223333:user/dev (an IAM policy, or ask "
	                              "your administrator), or choose another profile with --profile");
	aws_op_release(&op);

	/* AWS names no principal: the action comes from the op. */
	assert_int_equal(aws_iam_op_attach_role_policy(&op, "r", "arn:aws:iam::aws:policy/ReadOnlyAccess", &err), 0);
	buf_init(&b, 1024);
	buf_addstr(&b, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>"
	               "</ErrorResponse>");
	resp.body = &b;
	ctx.op = &op;
	aws_error_from_response(&resp, &ctx, &err);
	assert_string_equal(err.message, "AttachRolePolicy role r or policy arn:aws:iam::aws:policy/ReadOnlyAccess: "
	                                 "Access denied");
	assert_contains(err.hint, "allow iam:AttachRolePolicy to the caller");
	buf_release(&b);
	aws_op_release(&op);
}

static void
test_other_hints(void **state)
{
	struct aws_iam_create_role cr = {.role_name = "r", .trust_policy = "{}"};
	struct irsa_error err;
	struct aws_op op;

	assert_int_equal(aws_iam_op_create_role(&op, &cr, &err), 0);
	map_sample("real/iam-CreateRole-409-LimitExceeded.txt", &op, "CreateRole r", SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	assert_string_equal(err.message, "CreateRole r: Cannot exceed quota for ACLSizePerRole: 2048");
	assert_contains(err.hint, "Service Quotas");
	map_sample("real/iam-CreateRole-400-MalformedPolicyDocument.txt", &op, "CreateRole r", SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_contains(err.hint, "fix the policy document");
	map_sample("real/iam-CreateRole-409-EntityAlreadyExists.txt", &op, "CreateRole r", SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_CONFLICT);
	assert_string_equal(err.hint, "role r already exists: use it, or choose another name");
	aws_op_release(&op);

	get_role_op(&op, "r");
	map_sample("real/iam-GetRole-500-ServiceFailure.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_string_equal(err.code, "ServiceFailure");
	assert_contains(err.hint, "AWS failed on its side");
	map_sample("real/iam-ListRoles-400-Throttling.txt", &op, NULL, SAMPLE_DATE, &err);
	assert_int_equal(err.kind, IRSA_ERR_THROTTLED);
	assert_string_equal(err.message, "GetRole role r: Rate exceeded");
	aws_op_release(&op);
}

/* An error with a code but no message still says what happened. */
static void
test_code_without_message(void **state)
{
	struct aws_error_response resp = {.status = 409, .error_type = "ResourceInUseException"};
	struct aws_error_context ctx = {.what = "DeleteCluster shop"};
	struct irsa_error err;
	struct buf b;

	buf_init(&b, 1024);
	buf_addstr(&b, "{}");
	resp.body = &b;
	aws_error_from_response(&resp, &ctx, &err);
	assert_int_equal(err.kind, IRSA_ERR_CONFLICT);
	assert_string_equal(err.message, "DeleteCluster shop: AWS answered ResourceInUseException (HTTP 409 Conflict)");
	buf_reset(&b);
	buf_addstr(&b, "{\"code\": \"InvalidParameterException\", \"message\": \"bad\"}");
	resp.error_type = NULL;
	resp.status = 400;
	aws_error_from_response(&resp, &ctx, &err);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_string_equal(err.code, "InvalidParameterException");
	buf_release(&b);
}

/* --- retry predicates --------------------------------------------------------------- */

static void
test_throttling_predicate(void **state)
{
	struct sample s;
	struct buf b;

	sample_load(&s, "real/iam-ListRoles-400-Throttling.txt");
	assert_true(aws_error_is_throttling(400, &s.body));
	assert_true(aws_error_is_retryable(400, &s.body));
	sample_release(&s);
	sample_load(&s, "real/eks-ListClusters-429.txt");
	assert_true(aws_error_is_throttling(429, &s.body));
	assert_true(aws_error_is_throttling(429, NULL));
	sample_release(&s);
	sample_load(&s, "real/iam-GetRole-404.txt");
	assert_false(aws_error_is_throttling(404, &s.body));
	assert_false(aws_error_is_retryable(404, &s.body));
	sample_release(&s);
	sample_load(&s, "real/iam-CreateRole-409-LimitExceeded.txt");
	assert_false(aws_error_is_throttling(409, &s.body)); /* a quota, not a rate */
	sample_release(&s);
	sample_load(&s, "real/iam-GetRole-502-proxy.txt");
	assert_false(aws_error_is_throttling(502, &s.body));
	sample_release(&s);

	buf_init(&b, 1024);
	buf_addstr(&b, "<ErrorResponse><Error><Code>IDPCommunicationError</Code></Error></ErrorResponse>");
	assert_false(aws_error_is_throttling(400, &b));
	assert_true(aws_error_is_retryable(400, &b));
	buf_reset(&b);
	buf_addstr(&b, "{\"__type\": \"TooManyRequestsException\"}");
	assert_true(aws_error_is_throttling(400, &b));
	buf_reset(&b);
	buf_addstr(&b, "<Throttling");
	assert_false(aws_error_is_throttling(400, &b));
	assert_false(aws_error_is_throttling(200, &b));
	buf_release(&b);
}

static void
test_http_dates(void **state)
{
	time_t t;

	assert_int_equal(aws_http_date_parse("Tue, 03 Dec 2024 10:00:00 GMT", &t), 0);
	assert_int_equal(t, SAMPLE_DATE);
	assert_int_equal(aws_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(aws_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(aws_http_date_parse("Sun Nov  6 08:49:37 1994", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(aws_http_date_parse("Sat, 28 Nov 2026 12:28:07 GMT", &t), 0);
	assert_int_equal(t, 1795868887);
	assert_int_equal(aws_http_date_parse("Tue, 03 Dec 2024 10:00:00 PST", &t), -1);
	assert_int_equal(aws_http_date_parse("Tue, 03 Foo 2024 10:00:00 GMT", &t), -1);
	assert_int_equal(aws_http_date_parse("Tue, 03 Dec 2024 10:00:00 GMT junk", &t), -1);
	assert_int_equal(aws_http_date_parse("2024-12-03T10:00:00Z", &t), -1);
	assert_int_equal(aws_http_date_parse("", &t), -1);
	assert_int_equal(aws_http_date_parse(NULL, &t), -1);
}

/* --- secrets ------------------------------------------------------------------------- */

static void
test_secrets_never_in_messages(void **state)
{
	struct aws_error_response resp = {.status = 400};
	struct aws_error_context ctx = {.what = "AssumeRole"};
	struct irsa_error err;
	struct buf b;

	redact_reset();
	assert_int_equal(redact_register("Zx9EXAMPLEsecretFromWebIdentity/abcdEFGH12"), 0);
	buf_init(&b, 4096);
	buf_addstr(&b, "<ErrorResponse><Error><Code>InvalidInput</Code><Message>bad key "
	               "Zx9EXAMPLEsecretFromWebIdentity/abcdEFGH12 and token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0."
	               "c2lnbmF0dXJlc2lnbmF0dXJl</Message></Error></ErrorResponse>");
	resp.body = &b;
	aws_error_from_response(&resp, &ctx, &err);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_null(strstr(err.message, "Zx9EXAMPLEsecret"));
	assert_null(strstr(err.message, "eyJzdWIiOiJ4In0"));
	assert_contains(err.message, "AssumeRole: bad key");
	buf_release(&b);
	redact_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_real_not_found),
	        cmocka_unit_test(test_moto_envelopes),
	        cmocka_unit_test(test_rest_json_envelopes),
	        cmocka_unit_test(test_ec2_style_envelope),
	        cmocka_unit_test(test_proxy_pages),
	        cmocka_unit_test(test_code_families),
	        cmocka_unit_test(test_auth_hints_name_the_source),
	        cmocka_unit_test(test_signature_hint_measures_the_clock),
	        cmocka_unit_test(test_denied_hint_names_action_and_principal),
	        cmocka_unit_test(test_other_hints),
	        cmocka_unit_test(test_code_without_message),
	        cmocka_unit_test(test_throttling_predicate),
	        cmocka_unit_test(test_http_dates),
	        cmocka_unit_test(test_secrets_never_in_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
