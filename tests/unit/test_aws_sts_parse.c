/* tests/unit/test_aws_sts_parse.c - STS builders and parsers: the request
 * bodies equal botocore's, AssumeRoleWithWebIdentity goes unsigned, input
 * rules, the moto and real-shaped answers, and the temporary credentials:
 * registered with the redactor (never in a message), wiped on release. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws_samples.h"
#include "aws_sts_parse.h"
#include "buf.h"
#include "error.h"
#include "redact.h"

#define ROLE_ARN "arn:aws:iam::111122223333:role/my-role"

static void
test_bodies_match_botocore(void **state)
{
	struct aws_sts_web_identity wi = {
	        .role_arn = ROLE_ARN,
	        .session_name = "s1",
	        .web_identity_token = "eyJhbGciOiJSUzI1NiJ9.e30.sig",
	        .duration_seconds = 3600,
	};
	struct irsa_error err;
	struct aws_op op;
	char *want;

	assert_int_equal(aws_sts_op_get_caller_identity(&op, &err), 0);
	assert_true(op.sign);
	want = sample_request_body("sts", "GetCallerIdentity", NULL);
	assert_body(&op, want);
	free(want);

	assert_int_equal(aws_sts_op_assume_role_with_web_identity(&op, &wi, &err), 0);
	assert_false(op.sign);
	assert_true(op.idempotent);
	want = sample_request_body("sts", "AssumeRoleWithWebIdentity", NULL);
	assert_body(&op, want);
	free(want);
}

static void
test_assume_role_body(void **state)
{
	struct aws_sts_assume_role in = {
	        .role_arn = ROLE_ARN,
	        .session_name = "irsa@laptop",
	        .duration_seconds = 900,
	        .external_id = "ext:id/1",
	        .serial_number = "arn:aws:iam::111122223333:mfa/alice",
	        .token_code = "123456",
	        .policy = "{\"Version\":\"2012-10-17\"}",
	};
	struct irsa_error err;
	struct aws_op op;

	assert_int_equal(aws_sts_op_assume_role(&op, &in, &err), 0);
	assert_true(op.sign);
	assert_body(&op, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fmy-"
	                 "role&RoleSessionName=irsa%40laptop&Policy=%7B%22Version%22%3A%222012-10-17%22%7D&Duration"
	                 "Seconds=900&ExternalId=ext%3Aid%2F1&SerialNumber=arn%3Aaws%3Aiam%3A%3A111122223333%3Amfa%2F"
	                 "alice&TokenCode=123456");
	in.duration_seconds = 0;
	in.external_id = NULL;
	in.serial_number = NULL;
	in.token_code = NULL;
	in.policy = NULL;
	assert_int_equal(aws_sts_op_assume_role(&op, &in, &err), 0);
	assert_body(&op, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fmy-"
	                 "role&RoleSessionName=irsa%40laptop");
}

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
test_input_rules(void **state)
{
	struct aws_sts_assume_role in = {.role_arn = ROLE_ARN, .session_name = "s"};
	struct aws_sts_web_identity wi = {.role_arn = ROLE_ARN, .session_name = "s1", .web_identity_token = "abc"};
	struct irsa_error err;
	struct aws_op op;

	assert_refused(aws_sts_op_assume_role(&op, &in, &err), &op, &err, "2 to 64 characters");
	in.session_name = "my session";
	assert_refused(aws_sts_op_assume_role(&op, &in, &err), &op, &err, "+=,.@_-");
	in.session_name = "s1";
	in.role_arn = "my-role";
	assert_refused(aws_sts_op_assume_role(&op, &in, &err), &op, &err, "role ARN");
	in.role_arn = ROLE_ARN;
	in.duration_seconds = 899;
	assert_refused(aws_sts_op_assume_role(&op, &in, &err), &op, &err, "900 to 43200");
	in.duration_seconds = 0;
	in.token_code = "12345a";
	in.serial_number = "arn:aws:iam::1:mfa/a";
	assert_refused(aws_sts_op_assume_role(&op, &in, &err), &op, &err, "6 digits");
	in.serial_number = NULL;
	in.token_code = "123456";
	assert_refused(aws_sts_op_assume_role(&op, &in, &err), &op, &err, "serial number");
	in.token_code = NULL;
	in.external_id = "x";
	assert_refused(aws_sts_op_assume_role(&op, &in, &err), &op, &err, "external ID");
	assert_refused(aws_sts_op_assume_role_with_web_identity(&op, &wi, &err), &op, &err, "4 to 20000");
	/* The token never shows in a message. */
	wi.web_identity_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl";
	wi.duration_seconds = 50000;
	assert_refused(aws_sts_op_assume_role_with_web_identity(&op, &wi, &err), &op, &err, "900 to 43200");
	assert_null(strstr(err.message, "eyJ"));
}

static void
test_caller_identity(void **state)
{
	struct aws_caller_identity id;
	struct irsa_error err;
	struct sample s;

	sample_load(&s, "moto/16-sts-GetCallerIdentity-200.txt");
	assert_int_equal(aws_sts_parse_get_caller_identity(&s.body, &id, &err), 0);
	assert_string_equal(id.account, "123456789012");
	assert_string_equal(id.arn, "arn:aws:sts::123456789012:user/moto");
	assert_string_equal(id.user_id, "AKIAIOSFODNN7EXAMPLE");
	aws_caller_identity_release(&id);
	assert_null(id.arn);

	sample_set_body(&s,
	                "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn>"
	                "</GetCallerIdentityResult></GetCallerIdentityResponse>",
	                strlen("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn>"
	                       "</GetCallerIdentityResult></GetCallerIdentityResponse>"));
	assert_int_equal(aws_sts_parse_get_caller_identity(&s.body, &id, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_string_equal(err.message, "the GetCallerIdentity answer lacks <Account>");
	aws_caller_identity_release(&id);
	sample_release(&s);
}

static void
test_moto_web_identity(void **state)
{
	struct aws_sts_credentials c;
	struct irsa_error err;
	struct sample s;
	char *red;

	redact_reset();
	sample_load(&s, "moto/17-sts-AssumeRoleWithWebIdentity-200.txt");
	assert_int_equal(aws_sts_parse_assume_role_with_web_identity(&s.body, &c, &err), 0);
	assert_string_equal(c.access_key_id, "ASIARZPUZDIKL6MZ65CK");
	assert_string_equal(c.secret_access_key, "n5P9YQ36O6TEoOVe5M7X4LxWEsL9sls8oIaIBDX0");
	assert_true(strncmp(c.session_token, "FQoGZXIvYXdzEBYaD3/rGWqT", 24) == 0);
	assert_int_equal(c.expiration, 1795872487); /* 2026-11-28T13:28:07.726976Z */
	assert_string_equal(c.assumed_role_id, "ARO123EXAMPLE123:s1");
	assert_string_equal(c.assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/my-role/s1");
	assert_int_equal(c.packed_policy_size, 6);
	assert_null(c.subject);
	assert_null(c.audience);
	/* Registered: the secret key is redacted wherever it shows up. */
	red = redact_dup("key n5P9YQ36O6TEoOVe5M7X4LxWEsL9sls8oIaIBDX0 here");
	assert_null(strstr(red, "n5P9YQ36"));
	free(red);
	aws_sts_credentials_release(&c);
	assert_null(c.secret_access_key);
	sample_release(&s);
	redact_reset();
}

static void
test_real_assume_role_and_web_identity(void **state)
{
	struct aws_sts_credentials c;
	struct irsa_error err;
	struct sample s;

	redact_reset();
	sample_load(&s, "real/sts-AssumeRole-200.txt");
	assert_int_equal(aws_sts_parse_assume_role(&s.body, &c, &err), 0);
	assert_string_equal(c.access_key_id, "ASIAIOSFODNN7EXAMPLE");
	assert_string_equal(c.secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
	assert_int_equal(c.expiration, 1733223600);
	assert_string_equal(c.assumed_role_arn, "arn:aws:sts::111122223333:assumed-role/shop-prod-orders/irsa-session");
	assert_string_equal(c.source_identity, "dev-alice");
	assert_int_equal(c.packed_policy_size, 8);
	aws_sts_credentials_release(&c);
	/* The AssumeRole answer is not AssumeRoleWithWebIdentity's. */
	assert_int_equal(aws_sts_parse_assume_role_with_web_identity(&s.body, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	aws_sts_credentials_release(&c);
	sample_release(&s);

	sample_load(&s, "real/sts-AssumeRoleWithWebIdentity-200.txt");
	assert_int_equal(aws_sts_parse_assume_role_with_web_identity(&s.body, &c, &err), 0);
	assert_string_equal(c.subject, "system:serviceaccount:shop:orders");
	assert_string_equal(c.audience, "sts.amazonaws.com");
	assert_string_equal(c.provider, "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/"
	                                "EXAMPLED539D4633E53DE1B71EXAMPLE");
	assert_int_equal(c.expiration, 1733223600); /* fractional seconds dropped */
	assert_string_equal(c.access_key_id, "ASIA4EXAMPLEWEBIDENT");
	aws_sts_credentials_release(&c);
	sample_release(&s);
	redact_reset();
}

/* A broken answer names the operation, never the secrets it holds. */
static void
test_secrets_never_in_messages(void **state)
{
	static const char body[] =
	        "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAXXXXXXXXXXXXXXXX</AccessKeyId>"
	        "<SecretAccessKey>SuperSecretKeyValue1234567890abcdefghijk</SecretAccessKey>"
	        "<SessionToken>SessionTokenValueThatIsSecret0987654321</SessionToken>"
	        "<Expiration>SuperSecretKeyValue1234567890abcdefghijk</Expiration></Credentials>"
	        "</AssumeRoleResult></AssumeRoleResponse>";
	struct aws_sts_credentials c;
	struct irsa_error err;
	struct buf b;

	redact_reset();
	buf_init(&b, SAMPLE_MAX);
	buf_addstr(&b, body);
	assert_int_equal(aws_sts_parse_assume_role(&b, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "the AssumeRole answer has a <Expiration> that is not a date"));
	assert_null(strstr(err.message, "SuperSecret"));
	aws_sts_credentials_release(&c);

	buf_reset(&b);
	buf_add(&b, body, 200);
	assert_int_equal(aws_sts_parse_assume_role(&b, &c, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "AssumeRole"));
	aws_sts_credentials_release(&c);

	buf_reset(&b);
	buf_addstr(&b, "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser/></AssumeRoleResult>"
	               "</AssumeRoleResponse>");
	assert_int_equal(aws_sts_parse_assume_role(&b, &c, &err), -1);
	assert_string_equal(err.message, "the AssumeRole answer lacks <Credentials>");
	aws_sts_credentials_release(&c);
	buf_release(&b);
	redact_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bodies_match_botocore),
	        cmocka_unit_test(test_assume_role_body),
	        cmocka_unit_test(test_input_rules),
	        cmocka_unit_test(test_caller_identity),
	        cmocka_unit_test(test_moto_web_identity),
	        cmocka_unit_test(test_real_assume_role_and_web_identity),
	        cmocka_unit_test(test_secrets_never_in_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
