/* tests/unit/aws_stub_env.h - the fixture the AWS client and credentials
 * tests share: aws_test_env.h's private HOME and cleared AWS variables, the
 * proxy variables and AWS_ENDPOINT_URL_SSO cleared too, a scripted HTTP stub
 * (http_stub.h) every endpoint points at, a clock the tests move, and STS
 * answers as AWS writes them. Header-only, included by one test file each. */
#ifndef IRSA_AWS_STUB_ENV_H
#define IRSA_AWS_STUB_ENV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http_stub.h"

#include "aws_test_env.h"

/* Variables beyond aws_test_vars that would send requests elsewhere. */
static const char *const stub_env_vars[] = {
        "AWS_ENDPOINT_URL_SSO",
        "http_proxy",
        "https_proxy",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
};
#define N_STUB_ENV_VARS (sizeof(stub_env_vars) / sizeof(stub_env_vars[0]))

struct stub_env {
	struct aws_test_env *t; /* HOME, config files, AWS variables */
	struct http_stub *srv;
	char url[128]; /* http://127.0.0.1:PORT */
	char *saved[N_STUB_ENV_VARS];
	int had[N_STUB_ENV_VARS];
};

/* The clock the credentials providers read in these tests. */
static time_t stub_now = 1900000000; /* 2030-03-17 */

static inline time_t
stub_clock(void *arg)
{
	(void)arg;
	return stub_now;
}

static int
stub_setup(void **state)
{
	struct stub_env *e = calloc(1, sizeof(*e));
	void *t;
	size_t i;

	if (e == NULL || aws_test_setup(&t) != 0)
		return -1;
	e->t = t;
	for (i = 0; i < N_STUB_ENV_VARS; i++) {
		const char *v = getenv(stub_env_vars[i]);

		e->had[i] = v != NULL;
		e->saved[i] = v != NULL ? strdup(v) : NULL;
		unsetenv(stub_env_vars[i]);
	}
	e->srv = http_stub_start();
	snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%d", e->srv->port);
	setenv("AWS_REGION", "eu-west-1", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	stub_now = 1900000000;
	*state = e;
	return 0;
}

static int
stub_teardown(void **state)
{
	struct stub_env *e = *state;
	void *t = e->t;
	size_t i;

	http_stub_stop(e->srv);
	for (i = 0; i < N_STUB_ENV_VARS; i++) {
		if (e->had[i])
			setenv(stub_env_vars[i], e->saved[i], 1);
		else
			unsetenv(stub_env_vars[i]);
		free(e->saved[i]);
	}
	aws_test_teardown(&t);
	free(e);
	return 0;
}

/* The access key id a request was signed with ("" when unsigned). */
static inline void
seen_akid(const struct http_stub_seen *s, char *out, size_t outsz)
{
	char *auth = http_stub_header(s->head, "Authorization");
	const char *p = auth != NULL ? strstr(auth, "Credential=") : NULL;

	out[0] = '\0';
	if (p != NULL) {
		p += strlen("Credential=");
		snprintf(out, outsz, "%.*s", (int)strcspn(p, "/"), p);
	}
	free(auth);
}

/* Answers of STS, as AWS writes them. */
#define STS_XMLNS "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\""

#define STS_CREDS_XML(op, akid, secret, token, exp, arn)                                                               \
	"<" op "Response " STS_XMLNS "><" op "Result><Credentials><AccessKeyId>" akid                                  \
	"</AccessKeyId><SecretAccessKey>" secret "</SecretAccessKey><SessionToken>" token                              \
	"</SessionToken><Expiration>" exp "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s"   \
	"</AssumedRoleId><Arn>" arn "</Arn></AssumedRoleUser></" op "Result><ResponseMetadata><RequestId>"             \
	"c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></" op "Response>"

#define STS_IDENTITY_XML                                                                                               \
	"<GetCallerIdentityResponse " STS_XMLNS "><GetCallerIdentityResult><UserId>AIDAEXAMPLE</UserId>"               \
	"<Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/alice</Arn></GetCallerIdentityResult>"     \
	"<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>"             \
	"</GetCallerIdentityResponse>"

#define STS_ERROR_XML(code, msg)                                                                                       \
	"<ErrorResponse " STS_XMLNS "><Error><Type>Sender</Type><Code>" code "</Code><Message>" msg "</Message>"       \
	"</Error><RequestId>req-" code "</RequestId></ErrorResponse>"

#define XML_HEADERS "Content-Type: text/xml\r\n"

#endif
