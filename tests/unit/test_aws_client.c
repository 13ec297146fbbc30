/* tests/unit/test_aws_client.c - one AWS call end to end against a scripted
 * endpoint (http_stub.c): the Query and REST-JSON requests as they go on the
 * wire (URL, Host, Content-Type, body, SigV4 Authorization), endpoint paths,
 * GetCallerIdentity through aws_sts, a Throttling answer retried and re-signed,
 * SignatureDoesNotMatch with the clock skew hint, ExpiredToken naming the
 * credentials' source and dropping them, many calls at once, cancellation.
 * No network beyond loopback. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "aws_client.h"
#include "aws_op.h"
#include "aws_sts.h"
#include "error.h"
#include "redact.h"

#include "aws_stub_env.h"

#define GET_ROLE_XML                                                                                                   \
	"<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult><Role><Path>/</Path>"     \
	"<RoleName>r</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn>"                \
	"<CreateDate>2024-01-02T03:04:05Z</CreateDate></Role></GetRoleResult><ResponseMetadata><RequestId>x"           \
	"</RequestId></ResponseMetadata></GetRoleResponse>"

/* A client with keys in the environment and every endpoint at the stub. */
static struct aws_client *
client_at(struct stub_env *e, const char *endpoint_path)
{
	struct aws_client_options opt;
	struct aws_client *c;
	struct irsa_error err;
	char url[256];

	setenv("AWS_ACCESS_KEY_ID", "AKIDCLIENTTEST", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "client-test-secret", 1);
	snprintf(url, sizeof(url), "%s%s", e->url, endpoint_path);
	setenv("AWS_ENDPOINT_URL", url, 1);
	memset(&opt, 0, sizeof(opt));
	opt.retry_base_ms = 1;
	c = aws_client_new(&opt, &err);
	if (c == NULL)
		fail_msg("aws_client_new: %s | %s", err.message, err.hint);
	return c;
}

static void
op_get_role(struct aws_op *op, const char *name)
{
	aws_op_init(op, AWS_SERVICE_IAM, "GetRole");
	assert_int_equal(aws_op_add(op, "RoleName", name), 0);
}

static void
test_query_request_on_the_wire(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step ok = {200, XML_HEADERS, STS_IDENTITY_XML, 0, false, false};
	struct aws_caller_identity id;
	struct aws_client *c;
	struct irsa_error err;
	const struct http_stub_seen *s;
	char host[64], akid[64], *v;

	http_stub_script(e->srv, &ok, 1);
	c = client_at(e, "");
	assert_string_equal(aws_client_region(c), "eu-west-1");
	assert_string_equal(aws_client_profile(c), "default");
	assert_string_equal(aws_creds_source(aws_client_creds(c)), "environment variables");
	assert_int_equal(aws_sts_get_caller_identity(c, &id, &err), 0);
	assert_string_equal(id.account, "123456789012");
	assert_string_equal(id.arn, "arn:aws:iam::123456789012:user/alice");
	aws_caller_identity_release(&id);

	assert_int_equal(http_stub_seen_count(e->srv), 1);
	s = &e->srv->seen[0];
	assert_string_equal(s->method, "POST");
	assert_string_equal(s->target, "/");
	assert_string_equal(s->body, "Action=GetCallerIdentity&Version=2011-06-15");
	v = http_stub_header(s->head, "Content-Type");
	assert_string_equal(v, "application/x-www-form-urlencoded; charset=utf-8");
	free(v);
	snprintf(host, sizeof(host), "127.0.0.1:%d", e->srv->port);
	v = http_stub_header(s->head, "Host");
	assert_string_equal(v, host);
	free(v);
	seen_akid(s, akid, sizeof(akid));
	assert_string_equal(akid, "AKIDCLIENTTEST");
	v = http_stub_header(s->head, "Authorization");
	aws_test_assert_contains(v,
	                         "/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=");
	free(v);
	assert_true(http_stub_has_header(s->head, "X-Amz-Date"));
	assert_false(http_stub_has_header(s->head, "X-Amz-Security-Token"));
	assert_false(http_stub_has_header(s->head, "Expect"));
	aws_client_free(c);
	redact_reset();
}

/* REST-JSON: path and query as built, JSON only with a body; an endpoint
 * with a path keeps it (botocore's _urljoin). */
static void
test_rest_json_and_endpoint_path(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step ok = {200, "Content-Type: application/json\r\n", "{}", 0, false, false};
	struct http_response resp;
	struct aws_client *c;
	struct aws_op op;
	struct irsa_error err;
	const struct http_stub_seen *s;
	char *v;

	http_stub_script(e->srv, &ok, 1);
	c = client_at(e, "/prefix/");
	aws_op_init(&op, AWS_SERVICE_EKS, "DescribeCluster");
	assert_int_equal(aws_op_set_path(&op, "GET", "/clusters/{}", "my cluster"), 0);
	assert_int_equal(aws_op_add(&op, "maxResults", "10"), 0);
	assert_int_equal(aws_client_call(c, &op, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	http_response_release(&resp);
	aws_op_release(&op);

	aws_op_init(&op, AWS_SERVICE_EKS, "CreateAccessEntry");
	assert_int_equal(aws_op_set_path(&op, "POST", "/clusters/{}/access-entries", "prod"), 0);
	assert_int_equal(aws_op_set_body(&op, "{\"principalArn\":\"arn:aws:iam::1:role/r\"}"), 0);
	assert_int_equal(aws_client_call(c, &op, &resp, &err), 0);
	http_response_release(&resp);
	aws_op_release(&op);

	op_get_role(&op, "r");
	assert_int_equal(aws_client_call(c, &op, &resp, &err), 0);
	http_response_release(&resp);
	aws_op_release(&op);

	assert_int_equal(http_stub_seen_count(e->srv), 3);
	s = &e->srv->seen[0];
	assert_string_equal(s->method, "GET");
	assert_string_equal(s->target, "/prefix/clusters/my%20cluster?maxResults=10");
	assert_false(http_stub_has_header(s->head, "Content-Type"));
	assert_int_equal(s->body_len, 0);
	v = http_stub_header(s->head, "Authorization");
	aws_test_assert_contains(v, "/eu-west-1/eks/aws4_request, SignedHeaders=host;x-amz-date,");
	free(v);

	s = &e->srv->seen[1];
	assert_string_equal(s->method, "POST");
	assert_string_equal(s->target, "/prefix/clusters/prod/access-entries");
	assert_string_equal(s->body, "{\"principalArn\":\"arn:aws:iam::1:role/r\"}");
	v = http_stub_header(s->head, "Content-Type");
	assert_string_equal(v, "application/json");
	free(v);

	/* Query with an endpoint path: the path itself, no extra '/' */
	s = &e->srv->seen[2];
	assert_string_equal(s->target, "/prefix/");
	assert_string_equal(s->body, "Action=GetRole&Version=2010-05-08&RoleName=r");
	v = http_stub_header(s->head, "Authorization");
	aws_test_assert_contains(v, "/eu-west-1/iam/aws4_request");
	free(v);
	aws_client_free(c);
	redact_reset();
}

static void
test_throttling_retried_and_resigned(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step steps[] = {
	        {400, XML_HEADERS, STS_ERROR_XML("Throttling", "Rate exceeded"), 0, false, false},
	        {200, XML_HEADERS, GET_ROLE_XML, 0, false, false},
	};
	struct http_response resp;
	struct aws_client *c;
	struct aws_op op;
	struct irsa_error err;
	char akid[64];
	size_t i;

	http_stub_script(e->srv, steps, 2);
	c = client_at(e, "");
	op_get_role(&op, "r");
	assert_int_equal(aws_client_call(c, &op, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 2);
	aws_test_assert_contains(buf_cstr(&resp.body), "<RoleName>r</RoleName>");
	http_response_release(&resp);
	assert_int_equal(http_stub_seen_count(e->srv), 2);
	for (i = 0; i < 2; i++) {
		char *auth = http_stub_header(e->srv->seen[i].head, "Authorization");

		seen_akid(&e->srv->seen[i], akid, sizeof(akid));
		assert_string_equal(akid, "AKIDCLIENTTEST");
		/* signed once per attempt: exactly one Authorization and X-Amz-Date */
		assert_null(strstr(strstr(e->srv->seen[i].head, "Authorization:") + 1, "Authorization:"));
		assert_null(strstr(strstr(e->srv->seen[i].head, "X-Amz-Date:") + 1, "X-Amz-Date:"));
		free(auth);
	}

	/* throttled to the end: a throttling error, the AWS code kept */
	http_stub_script(e->srv, steps, 1);
	assert_int_equal(aws_client_call(c, &op, &resp, &err), -1);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_THROTTLED);
	assert_string_equal(err.code, "Throttling");
	assert_int_equal(resp.attempts, 1 + HTTP_DEFAULT_MAX_RETRIES);
	http_response_release(&resp);
	aws_op_release(&op);
	aws_client_free(c);
	redact_reset();
}

static void
test_signature_mismatch_clock_skew(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step bad = {403,
	                             XML_HEADERS "Date: Sat, 01 Jan 2000 00:00:00 GMT\r\n",
	                             STS_ERROR_XML("SignatureDoesNotMatch",
	                                           "The request signature we calculated does not match the "
	                                           "signature you provided."),
	                             0,
	                             false,
	                             false};
	struct aws_caller_identity id;
	struct aws_client *c;
	struct irsa_error err;

	http_stub_script(e->srv, &bad, 1);
	c = client_at(e, "");
	assert_int_equal(aws_sts_get_caller_identity(c, &id, &err), -1);
	aws_caller_identity_release(&id);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_int_equal(err.http_status, 403);
	assert_string_equal(err.code, "SignatureDoesNotMatch");
	assert_string_equal(err.request_id, "req-SignatureDoesNotMatch");
	aws_test_assert_contains(err.hint, "clock");
	aws_test_assert_contains(err.hint, "ahead");
	assert_int_equal(http_stub_seen_count(e->srv), 1); /* not retried */
	aws_client_free(c);
	redact_reset();
}

static void
test_expired_token_names_source(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step steps[] = {
	        {400, XML_HEADERS,
	         STS_ERROR_XML("ExpiredToken", "The security token included in the request is expired"), 0, false,
	         false},
	        {200, XML_HEADERS, STS_IDENTITY_XML, 0, false, false},
	};
	struct aws_client_options opt;
	struct aws_caller_identity id;
	struct aws_client *c;
	struct irsa_error err;
	char text[1024];

	aws_test_write(e->t->credentials,
	               "[dev]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n"
	               "aws_session_token = file-session-token\n",
	               0);
	setenv("AWS_PROFILE", "dev", 1);
	setenv("AWS_ENDPOINT_URL", e->url, 1);
	http_stub_script(e->srv, steps, 2);
	memset(&opt, 0, sizeof(opt));
	opt.retry_base_ms = 1;
	c = aws_client_new(&opt, &err);
	assert_non_null(c);
	assert_int_equal(aws_sts_get_caller_identity(c, &id, &err), -1);
	aws_caller_identity_release(&id);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	assert_string_equal(err.code, "ExpiredToken");
	snprintf(text, sizeof(text), "%s %s", err.message, err.hint);
	aws_test_assert_contains(text, "profile dev in ~/credentials");
	/* the session token went out, and never into the message */
	assert_true(http_stub_has_header(e->srv->seen[0].head, "X-Amz-Security-Token"));
	assert_null(strstr(text, "file-session-token"));

	assert_int_equal(aws_sts_get_caller_identity(c, &id, &err), 0);
	aws_caller_identity_release(&id);
	aws_client_free(c);
	redact_reset();
}

static void
test_call_many(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step ok = {200, XML_HEADERS, GET_ROLE_XML, 20, false, false};
	struct aws_client *c;
	struct aws_op ops[12];
	struct aws_call calls[12];
	struct irsa_error err;
	char name[32], akid[64];
	size_t i;

	http_stub_script(e->srv, &ok, 1);
	c = client_at(e, "");
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "role-%zu", i);
		op_get_role(&ops[i], name);
		calls[i].op = &ops[i];
	}
	assert_int_equal(aws_client_call_many(c, calls, 12, &err), 0);
	for (i = 0; i < 12; i++) {
		if (calls[i].rc != 0)
			fail_msg("call %zu: %s", i, calls[i].err.message);
		assert_int_equal(calls[i].resp.status, 200);
		http_response_release(&calls[i].resp);
		aws_op_release(&ops[i]);
	}
	assert_int_equal(http_stub_seen_count(e->srv), 12);
	assert_true(e->srv->max_active > 1);
	for (i = 0; i < 12; i++) {
		seen_akid(&e->srv->seen[i], akid, sizeof(akid));
		assert_string_equal(akid, "AKIDCLIENTTEST");
		aws_test_assert_contains(e->srv->seen[i].body, "RoleName=role-");
	}
	aws_client_free(c);
	redact_reset();
}

static void *
cancel_later(void *arg)
{
	struct timespec ts = {0, 100 * 1000000};

	nanosleep(&ts, NULL);
	aws_client_cancel(arg);
	return NULL;
}

static void
test_cancel(void **state)
{
	struct stub_env *e = *state;
	struct http_stub_step slow = {200, XML_HEADERS, GET_ROLE_XML, 5000, false, false};
	struct http_response resp;
	struct aws_client *c;
	struct aws_op op;
	struct irsa_error err;
	struct timespec t0, t1;
	pthread_t th;
	long ms;

	http_stub_script(e->srv, &slow, 1);
	c = client_at(e, "");
	op_get_role(&op, "r");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pthread_create(&th, NULL, cancel_later, c), 0);
	assert_int_equal(aws_client_call(c, &op, &resp, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(th, NULL);
	http_response_release(&resp);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	assert_true(ms < 2000);

	/* stays cancelled until cleared */
	assert_int_equal(aws_client_call(c, &op, &resp, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	http_response_release(&resp);
	aws_client_clear_cancel(c);
	http_stub_script(e->srv, (struct http_stub_step[]){{200, XML_HEADERS, GET_ROLE_XML, 0, false, false}}, 1);
	assert_int_equal(aws_client_call(c, &op, &resp, &err), 0);
	http_response_release(&resp);
	aws_op_release(&op);
	aws_client_free(c);
	redact_reset();
}

static void
test_no_region_or_credentials(void **state)
{
	struct stub_env *e = *state;
	struct aws_client *c;
	struct irsa_error err;

	(void)e;
	unsetenv("AWS_REGION");
	setenv("AWS_ACCESS_KEY_ID", "AKIDCLIENTTEST", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "client-test-secret", 1);
	c = aws_client_new(NULL, &err);
	assert_null(c);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	aws_test_assert_contains(err.message, "region");

	setenv("AWS_REGION", "eu-west-1", 1);
	unsetenv("AWS_ACCESS_KEY_ID");
	c = aws_client_new(NULL, &err);
	assert_null(c);
	print_message("# %s | %s\n", err.message, err.hint);
	assert_int_equal(err.kind, IRSA_ERR_AUTH);
	redact_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_query_request_on_the_wire, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_rest_json_and_endpoint_path, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_throttling_retried_and_resigned, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_signature_mismatch_clock_skew, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_expired_token_names_source, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_call_many, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_cancel, stub_setup, stub_teardown),
	        cmocka_unit_test_setup_teardown(test_no_region_or_credentials, stub_setup, stub_teardown),
	};

	return cmocka_run_group_tests_name("aws_client", tests, NULL, NULL);
}
