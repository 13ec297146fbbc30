/* tests/unit/test_eks_token.c - the EKS token against awscli's own output:
 * the known answer of protocol-notes 2.1 (AKIDEXAMPLE, 20150830T123600Z,
 * my-cluster: signature 393dffdc...) and every expected URL below were made
 * by `aws eks get-token` (AWS CLI 1.45.11, botocore 1.43.11) under
 * `faketime '2015-08-30 12:36:00'`. Also: the session token's place in the
 * query, base64url without padding, the expiration, the apiVersion rules of
 * KUBERNETES_EXEC_INFO with awscli's warnings, --cluster-id, the partitions,
 * custom endpoints (path, port, host case), and eks_token_get() resolving
 * region, endpoint and environment keys. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eks_token.h"
#include "error.h"

#include "aws_test_env.h"

#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T2015  1440938160 /* 2015-08-30T12:36:00Z */
#define SCOPE  "AKIDEXAMPLE%2F20150830%2F"
#define QUERY  "?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
#define TAIL                                                                                                           \
	"%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id"

static const struct sigv4_credentials example_keys = {AKID, SECRET, NULL};

/* The whole stdout of `aws eks get-token --cluster-name my-cluster --region
 * us-east-1` at 2015-08-30 12:36:00 with the example keys. */
static const char kat_stdout[] = "{\n"
                                 "    \"kind\": \"ExecCredential\",\n"
                                 "    \"apiVersion\": \"client.authentication.k8s.io/v1beta1\",\n"
                                 "    \"spec\": {},\n"
                                 "    \"status\": {\n"
                                 "        \"expirationTimestamp\": \"2015-08-30T12:50:00Z\",\n"
                                 "        \"token\": "
                                 "\"k8s-aws-v1."
                                 "aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZ"
                                 "XJzaW9uPTIwMTEtMDYtMTUmWC1B"
                                 "bXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lERVhBTVBMRSUyRjIwM"
                                 "TUwODMwJTJGdXMtZWFzdC0xJTJG"
                                 "c3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAxNTA4MzBUMTIzNjAwWiZYLUFtei1FeHBpcmVzPTYwJ"
                                 "lgtQW16LVNpZ25lZEhlYWRlcnM9"
                                 "aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9MzkzZGZmZGNmODUxYmVlYjM3M2YwNGY5MzNiM"
                                 "jZmZmExZDQ4MDQ5MGYxMTM4NWEz"
                                 "ZGJkNTA5NjE3YmI3Y2I3OQ\"\n"
                                 "    }\n"
                                 "}\n"
                                 "\n";

/* Presigns at 2015-08-30 12:36:00 and fails the test on error. */
static void
presign(const char *cluster, const char *url, const char *region, const struct sigv4_credentials *keys,
        struct eks_token *t)
{
	struct eks_token_request req = {cluster, url, region, T2015};
	struct irsa_error err;

	if (eks_token_presign(&req, keys, t, &err) != 0)
		fail_msg("presign failed: %s", err.message);
}

static int
b64_value(char c)
{
	const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const char *p = c != '\0' ? strchr(abc, c) : NULL;

	return p != NULL ? (int)(p - abc) : -1;
}

/* Decodes the base64url part of a token (a decoder apart from the one under
 * test) and checks it uses only the URL-safe alphabet, without padding. */
static char *
token_decode(const char *token)
{
	const char *s;
	size_t n, i, o = 0;
	unsigned acc = 0;
	int bits = 0, v;
	char *out;

	assert_memory_equal(token, EKS_TOKEN_PREFIX, strlen(EKS_TOKEN_PREFIX));
	s = token + strlen(EKS_TOKEN_PREFIX);
	n = strlen(s);
	assert_int_not_equal(n % 4, 1);
	out = calloc(1, n + 1);
	assert_non_null(out);
	for (i = 0; i < n; i++) {
		v = b64_value(s[i]);
		if (v < 0)
			fail_msg("'%c' is not in the base64url alphabet", s[i]);
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return out;
}

/* The known answer: URL, signature, token and the whole ExecCredential. */
static void
test_known_answer(void **state)
{
	struct eks_token t;
	struct irsa_error err;
	char *doc;

	(void)state;
	presign("my-cluster", "https://sts.us-east-1.amazonaws.com", "us-east-1", &example_keys, &t);
	assert_string_equal(t.url, "https://sts.us-east-1.amazonaws.com/" QUERY SCOPE "us-east-1" TAIL
	                           "&X-Amz-Signature=393dffdcf851beeb373f04f933b26ffa1d480490f11385a3dbd509617bb7cb79");
	assert_int_equal(t.expiration, T2015 + 14 * 60);
	doc = eks_exec_credential(EKS_EXEC_API_V1BETA1, &t, &err);
	assert_non_null(doc);
	assert_string_equal(doc, kat_stdout);
	buf_free_secret(doc);
	eks_token_release(&t);
	assert_null(t.token);
	assert_null(t.url);
	eks_token_release(NULL);
}

/* The session token goes between X-Amz-SignedHeaders and X-Amz-Signature,
 * RFC 3986-encoded ('/' '+' '=' and the space too), and is signed. */
static void
test_session_token(void **state)
{
	struct sigv4_credentials keys = {AKID, SECRET, "FQoG/ZXIvY+XdzEaD=x y"};
	struct eks_token t;
	char *url;

	(void)state;
	presign("my-cluster", "https://sts.us-east-1.amazonaws.com", "us-east-1", &keys, &t);
	assert_string_equal(t.url, "https://sts.us-east-1.amazonaws.com/" QUERY SCOPE "us-east-1" TAIL
	                           "&X-Amz-Security-Token=FQoG%2FZXIvY%2BXdzEaD%3Dx%20y"
	                           "&X-Amz-Signature=096d4534f1c3b92ea9736cbc5d634c1d04ea7051063cedbb27f7f2a05a42814f");
	url = token_decode(t.token);
	assert_string_equal(url, t.url);
	free(url);
	eks_token_release(&t);

	/* an empty token is no token, as in botocore */
	keys.session_token = "";
	presign("my-cluster", "https://sts.us-east-1.amazonaws.com", "us-east-1", &keys, &t);
	assert_null(strstr(t.url, "X-Amz-Security-Token"));
	eks_token_release(&t);
}

/* URLs of every length modulo 3 (the endpoint sets the length; the cluster
 * name is signed, not written) encode without '=' and decode back. */
static void
test_base64url_no_padding(void **state)
{
	const char *eps[] = {"http://127.0.0.1:5000", "http://127.0.0.1:50000", "http://localhost:500",
	                     "https://sts.eu-west-1.amazonaws.com"};
	struct eks_token t;
	bool seen[3] = {false, false, false};
	size_t i;
	char *url;

	(void)state;
	for (i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
		presign("my-cluster", eps[i], "eu-west-1", &example_keys, &t);
		assert_null(strchr(t.token, '='));
		assert_null(strchr(t.token, '+'));
		assert_null(strchr(t.token, '/'));
		url = token_decode(t.token);
		assert_string_equal(url, t.url);
		seen[strlen(t.url) % 3] = true;
		free(url);
		eks_token_release(&t);
	}
	assert_true(seen[0] && seen[1] && seen[2]);
}

static void
test_expiration_format(void **state)
{
	struct eks_token_request req = {"c", "https://sts.us-east-1.amazonaws.com", "us-east-1", 1795869000};
	char when[EKS_TOKEN_TIME_LEN];
	struct irsa_error err;
	struct eks_token t;
	time_t before;

	(void)state;
	assert_string_equal(eks_token_format_time(0, when, sizeof(when)), "1970-01-01T00:00:00Z");
	assert_string_equal(eks_token_format_time(T2015 + 840, when, sizeof(when)), "2015-08-30T12:50:00Z");
	assert_string_equal(eks_token_format_time(1795869000 + 840, when, sizeof(when)), "2026-11-28T12:44:00Z");
	assert_string_equal(eks_token_format_time(951782399, when, sizeof(when)), "2000-02-28T23:59:59Z");
	assert_int_equal(eks_token_presign(&req, &example_keys, &t, &err), 0);
	assert_int_equal(t.expiration, 1795869000 + 14 * 60);
	aws_test_assert_contains(t.url, "X-Amz-Date=20261128T123000Z");
	eks_token_release(&t);

	/* now = 0: the clock */
	req.now = 0;
	before = time(NULL);
	assert_int_equal(eks_token_presign(&req, &example_keys, &t, &err), 0);
	assert_true(t.expiration >= before + 840 && t.expiration <= time(NULL) + 840);
	eks_token_release(&t);
}

/* KUBERNETES_EXEC_INFO as awscli's discover_api_version reads it. */
static void
test_api_version(void **state)
{
	static const struct {
		const char *info;
		const char *want;
		const char *warning; /* start of the warning, NULL for none */
	} cases[] = {
	        {NULL, EKS_EXEC_API_V1BETA1, NULL},
	        {"", EKS_EXEC_API_V1BETA1, NULL},
	        {"{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
	         "\"spec\":{\"interactive\":false}}",
	         EKS_EXEC_API_V1, NULL},
	        {" {\"apiVersion\": \"client.authentication.k8s.io/v1beta1\"}\n", EKS_EXEC_API_V1BETA1, NULL},
	        {"{\"apiVersion\":\"client.authentication.k8s.io/v1alpha1\"}", EKS_EXEC_API_V1ALPHA1,
	         "Kubeconfig user entry is using deprecated API version client.authentication.k8s.io/v1alpha1. Run "
	         "'aws eks update-kubeconfig' to update."},
	        {"not json", EKS_EXEC_API_V1BETA1,
	         "Error parsing KUBERNETES_EXEC_INFO, defaulting to client.authentication.k8s.io/v1beta1. This is "
	         "likely "
	         "a bug in your Kubernetes client. Please update your Kubernetes client."},
	        {"{\"apiVersion\":\"client.authentication.k8s.io/v1\"} trailing", EKS_EXEC_API_V1BETA1,
	         "Error parsing"},
	        {"{'apiVersion':'client.authentication.k8s.io/v1'}", EKS_EXEC_API_V1BETA1, "Error parsing"},
	        {"{\"apiVersion\":\"client.authentication.k8s.io/v1\"", EKS_EXEC_API_V1BETA1, "Error parsing"},
	        {"{}", EKS_EXEC_API_V1BETA1,
	         "Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to "
	         "client.authentication.k8s.io/v1beta1. "
	         "This is likely due to an outdated AWS CLI. Please update your AWS CLI."},
	        {"{\"apiVersion\":\"client.authentication.k8s.io/v2\"}", EKS_EXEC_API_V1BETA1, "Unrecognized"},
	        {"{\"apiVersion\":\"client.authentication.k8s.io/V1\"}", EKS_EXEC_API_V1BETA1, "Unrecognized"},
	        {"{\"apiVersion\":1}", EKS_EXEC_API_V1BETA1, "Unrecognized"},
	        {"[\"client.authentication.k8s.io/v1\"]", EKS_EXEC_API_V1BETA1, "Unrecognized"},
	        {"{\"apiVersion\":\"x\",\"apiVersion\":\"client.authentication.k8s.io/v1\"}", EKS_EXEC_API_V1, NULL},
	};
	const char *warning;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = eks_exec_api_version(cases[i].info, &warning);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got %s, want %s", i, got, cases[i].want);
		if (cases[i].warning == NULL && warning != NULL)
			fail_msg("case %zu: unexpected warning %s", i, warning);
		if (cases[i].warning != NULL &&
		    (warning == NULL || strncmp(warning, cases[i].warning, strlen(cases[i].warning)) != 0))
			fail_msg("case %zu: warning \"%s\", want \"%s...\"", i, warning ? warning : "(none)",
			         cases[i].warning);
	}
}

/* The ExecCredential under each apiVersion differs only in that line. */
static void
test_exec_credential_versions(void **state)
{
	char token[] = "k8s-aws-v1.abc", url[] = "https://x/";
	struct eks_token t = {token, url, T2015 + 840};
	struct irsa_error err;
	char *doc;

	(void)state;
	doc = eks_exec_credential(EKS_EXEC_API_V1, &t, &err);
	assert_non_null(doc);
	assert_string_equal(doc, "{\n"
	                         "    \"kind\": \"ExecCredential\",\n"
	                         "    \"apiVersion\": \"client.authentication.k8s.io/v1\",\n"
	                         "    \"spec\": {},\n"
	                         "    \"status\": {\n"
	                         "        \"expirationTimestamp\": \"2015-08-30T12:50:00Z\",\n"
	                         "        \"token\": \"k8s-aws-v1.abc\"\n"
	                         "    }\n"
	                         "}\n\n");
	buf_free_secret(doc);
}

/* --cluster-id signs the id instead of the name: a different signature,
 * the same URL otherwise (Outposts local cluster, aws-cn). */
static void
test_cluster_id(void **state)
{
	struct eks_token a, b;
	struct eks_token_request req = {"", "https://sts.us-east-1.amazonaws.com", "us-east-1", T2015};
	struct irsa_error err;

	(void)state;
	presign("0123abcd-ef45-6789-abcd-ef0123456789", "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1",
	        &example_keys, &a);
	assert_string_equal(a.url, "https://sts.cn-north-1.amazonaws.com.cn/" QUERY SCOPE "cn-north-1" TAIL
	                           "&X-Amz-Signature=b3e5264395c9f70a302f131b3efe86bbccd1e3accab0560f0edab95640093064");
	presign("my-cluster", "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1", &example_keys, &b);
	assert_string_not_equal(a.url, b.url);
	assert_memory_equal(a.url, b.url, strlen(a.url) - SIGV4_HEX_LEN);
	eks_token_release(&a);
	eks_token_release(&b);

	/* no cluster, or one with a control character: invalid input */
	assert_int_equal(eks_token_presign(&req, &example_keys, &a, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_null(a.token);
	req.cluster_id = "bad\ncluster";
	assert_int_equal(eks_token_presign(&req, &example_keys, &a, &err), -1);
	req.cluster_id = NULL;
	assert_int_equal(eks_token_presign(&req, &example_keys, &a, &err), -1);

	/* signing errors keep their message (no "token:" for the redactor) */
	req.cluster_id = "c";
	req.signing_region = "us/east-1";
	assert_int_equal(eks_token_presign(&req, &example_keys, &a, &err), -1);
	aws_test_assert_contains(err.message, "cannot presign the EKS token's URL: SigV4: ");
	aws_test_assert_contains(err.message, "us/east-1");
}

/* Presigns my-cluster at the known time against endpoint and compares the
 * URL with url_start + awscli's query with sig. */
static void
expect_url(const char *endpoint, const char *region, const char *url_start, const char *sig)
{
	char want[1024];
	struct eks_token t;

	presign("my-cluster", endpoint, region, &example_keys, &t);
	snprintf(want, sizeof(want), "%s%s%s%s&X-Amz-Signature=%s", url_start, QUERY SCOPE, region, TAIL, sig);
	assert_string_equal(t.url, want);
	eks_token_release(&t);
}

/* The STS endpoints of the partitions and the global one, as awscli signs
 * them. */
static void
test_partitions(void **state)
{
	(void)state;
	expect_url("https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1",
	           "https://sts.us-gov-west-1.amazonaws.com/",
	           "6ca23bf2963b4378963357816728e38fbce5adca3c4393f6202b11bb65783b9a");
	expect_url("https://sts.amazonaws.com", "us-east-1", "https://sts.amazonaws.com/",
	           "1d40a7bfe56981137281869d000466c8c49fc5d5357d6dc78efa3b0903cece8f");
}

/* A custom endpoint is presigned as configured: "/" added only when there
 * is no path; the Host header in lower case without the default port. */
static void
test_custom_endpoint(void **state)
{
	const char *bad[] = {"ftp://x",        "sts.example.com", "https://",
	                     "https://x/?a=b", "https://x:port/", "https://x#f"};
	struct eks_token_request req = {"my-cluster", NULL, "eu-west-1", T2015};
	struct irsa_error err;
	struct eks_token t;
	size_t i;

	(void)state;
	expect_url("http://127.0.0.1:5000", "eu-west-1", "http://127.0.0.1:5000/",
	           "35d62a38382b320a237a404deb3deef0a517d0ce8cd107384f4634b96a00b806");
	expect_url("https://Example.COM:443/base/", "eu-west-1", "https://Example.COM:443/base/",
	           "5fe30314bcf3ccb11a7ea09c1fd518d79e53e7e6df1450e155f69a2912d8a755");
	expect_url("http://[::1]:8080", "eu-west-1", "http://[::1]:8080/",
	           "1935034f97e9546bfad9aac66da844fcf6b284207ab6549ace14485da106b083");
	expect_url("http://localhost:80", "eu-west-1", "http://localhost:80/",
	           "5f689afeef4aae2fc6350f1cca25343470500afa5480bcd551dd7e2a02bdfd0a");
	expect_url("https://sts.example.com/a%20b/c", "eu-west-1", "https://sts.example.com/a%20b/c",
	           "22490a60c1bbb24cc14eaa714a253726997f35823553deea291f5d68c3f1a610");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		req.sts_url = bad[i];
		if (eks_token_presign(&req, &example_keys, &t, &err) != -1)
			fail_msg("endpoint %s accepted", bad[i]);
		assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	}
}

/* eks_token_get(): the part of the URL before X-Amz-Date (the signature
 * depends on the clock) for environment keys and each way to set region
 * and endpoint. */
static void
expect_get(const struct eks_token_options *opt, const char *url_start)
{
	struct eks_token t;
	struct irsa_error err;
	char *url;

	if (eks_token_get(opt, &t, &err) != 0)
		fail_msg("eks_token_get failed: %s", err.message);
	if (strncmp(t.url, url_start, strlen(url_start)) != 0)
		fail_msg("url %s\ndoes not start with %s", t.url, url_start);
	url = token_decode(t.token);
	assert_string_equal(url, t.url);
	free(url);
	eks_token_release(&t);
}

static void
test_get_resolves(void **state)
{
	struct aws_config *cfg;
	struct eks_token_options opt = {.cluster_id = "shop-prod"};
	struct irsa_error err;
	struct eks_token t;

	cfg = aws_test_load(*state, "[default]\nregion = eu-central-1\n[profile other]\nregion = cn-north-1\n",
	                    "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s\n");
	aws_config_free(cfg);
	setenv("AWS_ACCESS_KEY_ID", AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);

	expect_get(&opt, "https://sts.eu-central-1.amazonaws.com/" QUERY "AKIDEXAMPLE%2F");
	setenv("AWS_REGION", "us-gov-east-1", 1);
	expect_get(&opt, "https://sts.us-gov-east-1.amazonaws.com/" QUERY "AKIDEXAMPLE%2F");
	opt.region = "ap-south-1";
	expect_get(&opt, "https://sts.ap-south-1.amazonaws.com/" QUERY "AKIDEXAMPLE%2F");
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
	expect_get(&opt, "https://sts.amazonaws.com/" QUERY "AKIDEXAMPLE%2F");
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");

	/* --profile turns the environment's keys off, as in botocore */
	opt.profile = "other";
	opt.region = NULL;
	unsetenv("AWS_REGION");
	expect_get(&opt, "https://sts.cn-north-1.amazonaws.com.cn/" QUERY "AKIDOTHER%2F");
	opt.profile = NULL;

	/* AWS_ENDPOINT_URL_STS wins over AWS_ENDPOINT_URL; signed for the region */
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);
	setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5000", 1);
	expect_get(&opt, "http://127.0.0.1:5000/" QUERY "AKIDEXAMPLE%2F");
	assert_int_equal(eks_token_get(&opt, &t, &err), 0);
	aws_test_assert_contains(t.url, "%2Feu-central-1%2Fsts%2Faws4_request");
	eks_token_release(&t);
	unsetenv("AWS_ENDPOINT_URL_STS");
	expect_get(&opt, "http://127.0.0.1:1/" QUERY);

	/* a custom endpoint without a region is an error, as in awscli */
	aws_test_write(((struct aws_test_env *)*state)->config, "[default]\n", 0);
	assert_int_equal(eks_token_get(&opt, &t, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	aws_test_assert_contains(err.message, "needs a region");
	assert_null(t.token);

	/* no region and no endpoint: the global endpoint, signed for us-east-1 */
	unsetenv("AWS_ENDPOINT_URL");
	expect_get(&opt, "https://sts.amazonaws.com/" QUERY "AKIDEXAMPLE%2F");
	assert_int_equal(eks_token_get(&opt, &t, &err), 0);
	aws_test_assert_contains(t.url, "%2Fus-east-1%2Fsts%2Faws4_request");
	eks_token_release(&t);

	/* a session token from the environment */
	setenv("AWS_SESSION_TOKEN", "tok/en+", 1);
	assert_int_equal(eks_token_get(&opt, &t, &err), 0);
	aws_test_assert_contains(t.url, "&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Security-Token=tok%2Fen%2B"
	                                "&X-Amz-Signature=");
	eks_token_release(&t);

	/* errors: a bad region, an unknown profile, no cluster */
	opt.region = "Bad_Region";
	assert_int_equal(eks_token_get(&opt, &t, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	opt.region = NULL;
	opt.profile = "nosuch";
	assert_int_equal(eks_token_get(&opt, &t, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	opt.profile = NULL;
	opt.cluster_id = NULL;
	assert_int_equal(eks_token_get(&opt, &t, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, aws_test_setup, aws_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_answer),         cmocka_unit_test(test_session_token),
	        cmocka_unit_test(test_base64url_no_padding), cmocka_unit_test(test_expiration_format),
	        cmocka_unit_test(test_api_version),          cmocka_unit_test(test_exec_credential_versions),
	        cmocka_unit_test(test_cluster_id),           cmocka_unit_test(test_partitions),
	        cmocka_unit_test(test_custom_endpoint),      T(test_get_resolves),
	};

	return cmocka_run_group_tests_name("eks_token", tests, NULL, NULL);
}
