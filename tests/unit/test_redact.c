/* tests/unit/test_redact.c - secrets never survive redaction, in every shape
 * irsa meets them (SigV4 headers and URLs, EKS tokens, STS XML, credential
 * files, kubeconfig, exec credentials, JWTs, PEM keys), and ordinary text
 * is left alone. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "redact.h"

struct leak_case {
	const char *input;
	const char *secret; /* must not appear in the output */
	const char *kept;   /* must still appear (may be NULL) */
};

static const struct leak_case leak_cases[] = {
        {"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
         "SignedHeaders=content-type;host;x-amz-date, "
         "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
         "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
         "SignedHeaders=content-type;host;x-amz-date"},
        {"GET "
         "https://sts.us-east-1.amazonaws.com/"
         "?Action=GetCallerIdentity&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2Fabc"
         "&X-Amz-Signature=393dffdcf851beeb373f04f933b26ffa1d480490f11385a3dbd509617bb7cb79",
         "IQoJb3JpZ2luX2VjEXAMPLE", "Action=GetCallerIdentity"},
        {"GET "
         "https://sts.us-east-1.amazonaws.com/"
         "?X-Amz-Signature=393dffdcf851beeb373f04f933b26ffa1d480490f11385a3dbd509617bb7cb79",
         "393dffdcf851beeb", "sts.us-east-1.amazonaws.com"},
        {"X-Amz-Security-Token: FwoGZXIvYXdzEBYaDEXAMPLETOKEN\r\nHost: iam.amazonaws.com",
         "FwoGZXIvYXdzEBYaDEXAMPLETOKEN", "Host: iam.amazonaws.com"},
        {"Authorization: Bearer k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20v", "aHR0cHM6Ly9zdHM",
         "Authorization"},
        {"token=k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20v", "aHR0cHM6Ly9zdHM", NULL},
        {"{\"kind\":\"ExecCredential\",\"status\":{\"expirationTimestamp\":\"2026-11-28T12:44:12Z\",\"token\": "
         "\"sekret-token-value\"}}",
         "sekret-token-value", "2026-11-28T12:44:12Z"},
        {"<Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/"
         "bPxRfiCYzEXAMPLEKEY"
         "</SecretAccessKey><SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken></Credentials>",
         "wJalrXUtnFEMI", "<Credentials>"},
        {"<SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken>", "AQoDYXdzEPT", "</SessionToken>"},
        {"[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\nregion = "
         "us-east-1\n",
         "wJalrXUtnFEMI", "region = us-east-1"},
        {"aws_session_token=FwoGZXIvYXdzEBYaDEXAMPLE\n", "FwoGZXIvYXdzEBYaDEXAMPLE", "aws_session_token"},
        {"{\"AccessKeyId\":\"ASIAXXXXXXXXXXXXXXXX\",\"SecretAccessKey\":\"abcdEFGHijklMNOP/"
         "qrst\",\"SessionToken\":\"tok123456789\"}",
         "abcdEFGHijklMNOP", "AccessKeyId"},
        {"{\"SessionToken\":\"tok123456789\"}", "tok123456789", NULL},
        {"users:\n- name: admin\n  user:\n    token: 31ada4fd-adec-460c-809a-9e56ceb75269\n", "31ada4fd-adec",
         "name: admin"},
        {"    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n", "LS0tLS1CRUdJTiBSU0Eg",
         "client-key-data:"},
        {"id_token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZDp3In0.c2lnbmF0dXJl end",
         "eyJzdWIiOiJzeXN0ZW06", "end"},
        {"Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.e30.sig&RoleArn=arn",
         "eyJhbGciOiJSUzI1NiJ9", "RoleArn=arn"},
        {"key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1234\n-----END RSA PRIVATE KEY-----\ntail",
         "MIIEpAIBAAKCAQEA1234", "tail"},
        {"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n", "MIIEvQIBADANBgkq", NULL},
        {"{\"password\": \"hunter2hunter2\"}", "hunter2hunter2", "password"},
};

static void
test_known_shapes_never_leak(void **state)
{
	size_t i;
	char *out;

	for (i = 0; i < sizeof(leak_cases) / sizeof(leak_cases[0]); i++) {
		out = redact_dup(leak_cases[i].input);
		assert_non_null(out);
		if (strstr(out, leak_cases[i].secret) != NULL)
			fail_msg("case %zu leaked \"%s\": %s", i, leak_cases[i].secret, out);
		if (leak_cases[i].kept != NULL && strstr(out, leak_cases[i].kept) == NULL)
			fail_msg("case %zu lost \"%s\": %s", i, leak_cases[i].kept, out);
		assert_non_null(strstr(out, "redacted"));
		free(out);
	}
}

static void
test_exact_outputs(void **state)
{
	char *out;

	out = redact_dup("Authorization: Bearer abc123");
	assert_string_equal(out, "Authorization: Bearer <redacted>");
	free(out);
	out = redact_dup("a=1&X-Amz-Signature=deadbeef&b=2");
	assert_string_equal(out, "a=1&X-Amz-Signature=<redacted>&b=2");
	free(out);
	out = redact_dup("user AKIAIOSFODNN7EXAMPLE denied");
	assert_string_equal(out, "user AKIA****MPLE denied");
	free(out);
}

static void
test_ordinary_text_untouched(void **state)
{
	static const char *const plain[] = {
	        "SignatureDoesNotMatch: The request signature we calculated does not match",
	        "arn:aws:iam::123456789012:role/shop-prod-orders",
	        "GET /api/v1/namespaces/orders/serviceaccounts?limit=500&continue=",
	        "{\"Marker\":\"abc\",\"IsTruncated\":true,\"nextToken\":null}",
	        "system:serviceaccount:orders:orders-api",
	        "tokens are refreshed 5 minutes before expiry",
	        "",
	};
	size_t i;
	char *out;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		out = redact_dup(plain[i]);
		assert_string_equal(out, plain[i]);
		free(out);
	}
}

static void
test_registered_values(void **state)
{
	char *out;

	assert_int_equal(redact_register("Zq9!shapeless-secret"), 0);
	assert_int_equal(redact_register("short"), 0); /* ignored: too short */
	out = redact_dup("got Zq9!shapeless-secret twice: Zq9!shapeless-secret; short stays");
	assert_string_equal(out, "got <redacted> twice: <redacted>; short stays");
	free(out);
	redact_reset();
	out = redact_dup("Zq9!shapeless-secret");
	assert_string_equal(out, "Zq9!shapeless-secret");
	free(out);
}

static void
test_inplace_truncates_without_leaking(void **state)
{
	char s[32];

	snprintf(s, sizeof(s), "Bearer 0123456789abcdefghij");
	redact_inplace(s, sizeof(s));
	assert_string_equal(s, "Bearer <redacted>");

	snprintf(s, sizeof(s), "x=1 Signature=abcdef0123456789");
	redact_inplace(s, 12);
	assert_null(strstr(s, "abcdef"));
	assert_true(strlen(s) < 12);
}

static void
test_null_input(void **state)
{
	assert_null(redact_dup(NULL));
	redact_inplace(NULL, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_shapes_never_leak),           cmocka_unit_test(test_exact_outputs),
	        cmocka_unit_test(test_ordinary_text_untouched),           cmocka_unit_test(test_registered_values),
	        cmocka_unit_test(test_inplace_truncates_without_leaking), cmocka_unit_test(test_null_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
