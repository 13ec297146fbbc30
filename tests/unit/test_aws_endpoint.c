/* tests/unit/test_aws_endpoint.c - endpoints and signing regions for IAM,
 * STS and EKS in the three partitions (values checked against botocore),
 * STS legacy and regional, the override precedence (explicit flag, service
 * environment variable, global one, the profile's [services] block, the
 * profile's endpoint_url), ignore_configured_endpoint_urls, the signing
 * region under a custom endpoint, the CA bundle and the errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws_config.h"
#include "aws_endpoint.h"
#include "error.h"

#include "aws_test_env.h"

static struct aws_config *
load(struct aws_test_env *t, const char *config)
{
	struct aws_config *cfg = NULL;
	struct irsa_error err;

	aws_test_write(t->config, config, 0);
	if (aws_config_load(&cfg, &err) != 0)
		fail_msg("load failed: %s", err.message);
	return cfg;
}

/* Resolves and compares url, signing region and source. */
static void
expect(const struct aws_config *cfg, const char *profile, enum aws_service svc, const char *region,
       const char *explicit_url, const char *url, const char *signing_region, const char *source)
{
	struct aws_endpoint e;
	struct irsa_error err;

	if (aws_endpoint_resolve(cfg, profile, svc, region, explicit_url, &e, &err) != 0)
		fail_msg("resolve failed: %s", err.message);
	assert_string_equal(e.url, url);
	assert_string_equal(e.signing_region, signing_region);
	assert_string_equal(e.service, aws_service_name(svc));
	assert_string_equal(e.source, source);
	assert_int_equal(e.custom, strcmp(source, "default") != 0);
	aws_endpoint_release(&e);
	assert_null(e.url);
}

/* The defaults, as botocore 1.43 resolves them (see the report). */
static void
test_defaults_per_partition(void **state)
{
	static const struct {
		enum aws_service svc;
		const char *region, *url, *signing;
	} cases[] = {
	        {AWS_SERVICE_IAM, "eu-west-1", "https://iam.amazonaws.com", "us-east-1"},
	        {AWS_SERVICE_IAM, "us-east-1", "https://iam.amazonaws.com", "us-east-1"},
	        {AWS_SERVICE_IAM, "cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
	        {AWS_SERVICE_IAM, "us-gov-east-1", "https://iam.us-gov.amazonaws.com", "us-gov-west-1"},
	        {AWS_SERVICE_STS, "eu-west-1", "https://sts.eu-west-1.amazonaws.com", "eu-west-1"},
	        {AWS_SERVICE_STS, "us-east-1", "https://sts.us-east-1.amazonaws.com", "us-east-1"},
	        {AWS_SERVICE_STS, "aws-global", "https://sts.amazonaws.com", "us-east-1"},
	        {AWS_SERVICE_STS, "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
	        {AWS_SERVICE_STS, "us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
	        {AWS_SERVICE_EKS, "ap-southeast-2", "https://eks.ap-southeast-2.amazonaws.com", "ap-southeast-2"},
	        {AWS_SERVICE_EKS, "cn-north-1", "https://eks.cn-north-1.amazonaws.com.cn", "cn-north-1"},
	        {AWS_SERVICE_EKS, "us-gov-east-1", "https://eks.us-gov-east-1.amazonaws.com", "us-gov-east-1"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect(NULL, NULL, cases[i].svc, cases[i].region, NULL, cases[i].url, cases[i].signing, "default");
}

static void
test_partitions_and_arns(void **state)
{
	assert_int_equal(aws_partition_of_region("us-east-1"), AWS_PARTITION_AWS);
	assert_int_equal(aws_partition_of_region("cn-north-1"), AWS_PARTITION_CN);
	assert_int_equal(aws_partition_of_region("us-gov-west-1"), AWS_PARTITION_US_GOV);
	assert_int_equal(aws_partition_of_region(NULL), AWS_PARTITION_AWS);
	assert_string_equal(aws_partition_name(AWS_PARTITION_CN), "aws-cn");
	assert_string_equal(aws_arn_prefix("eu-central-1"), "arn:aws:");
	assert_string_equal(aws_arn_prefix("cn-northwest-1"), "arn:aws-cn:");
	assert_string_equal(aws_arn_prefix("us-gov-east-1"), "arn:aws-us-gov:");
	assert_string_equal(aws_partition_dns_suffix(AWS_PARTITION_CN), "amazonaws.com.cn");
	assert_string_equal(aws_service_name(AWS_SERVICE_EKS), "eks");
}

/* sts_regional_endpoints = legacy: the 16 old regions go global. */
static void
test_sts_legacy(void **state)
{
	struct aws_config *cfg;
	struct aws_endpoint e;
	struct irsa_error err;

	cfg = load(*state, "[profile legacy]\nsts_regional_endpoints = legacy\n[profile bad]\nsts_regional_endpoints = "
	                   "global\n");
	expect(cfg, "legacy", AWS_SERVICE_STS, "eu-west-1", NULL, "https://sts.amazonaws.com", "us-east-1", "default");
	expect(cfg, "legacy", AWS_SERVICE_STS, "us-east-1", NULL, "https://sts.amazonaws.com", "us-east-1", "default");
	/* a region newer than the list stays regional */
	expect(cfg, "legacy", AWS_SERVICE_STS, "ap-east-1", NULL, "https://sts.ap-east-1.amazonaws.com", "ap-east-1",
	       "default");
	expect(cfg, "legacy", AWS_SERVICE_EKS, "eu-west-1", NULL, "https://eks.eu-west-1.amazonaws.com", "eu-west-1",
	       "default");
	/* the environment wins over the profile */
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "regional", 1);
	expect(cfg, "legacy", AWS_SERVICE_STS, "eu-west-1", NULL, "https://sts.eu-west-1.amazonaws.com", "eu-west-1",
	       "default");
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
	expect(cfg, "default", AWS_SERVICE_STS, "eu-west-1", NULL, "https://sts.amazonaws.com", "us-east-1", "default");
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	assert_int_equal(aws_endpoint_resolve(cfg, "bad", AWS_SERVICE_STS, "eu-west-1", NULL, &e, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "\"global\""));
	assert_non_null(strstr(err.hint, "\"bad\""));
	aws_config_free(cfg);
}

static const char override_config[] = "[profile dev]\n"
                                      "endpoint_url = http://profile-global:1\n"
                                      "services = local\n"
                                      "[profile onlyglobal]\n"
                                      "endpoint_url = http://profile-global:1\n"
                                      "[profile ignoring]\n"
                                      "endpoint_url = http://profile-global:1\n"
                                      "ignore_configured_endpoint_urls = True\n"
                                      "[profile broken]\n"
                                      "services = missing\n"
                                      "[services local]\n"
                                      "iam =\n"
                                      "  endpoint_url = http://services-iam:2/path\n"
                                      "sts =\n"
                                      "  region = ignored\n";

/* service env > global env > [services] > profile endpoint_url > default;
 * a custom endpoint is signed for the client's region. */
static void
test_override_precedence(void **state)
{
	struct aws_config *cfg = load(*state, override_config);

	expect(cfg, "dev", AWS_SERVICE_IAM, "eu-west-1", NULL, "http://services-iam:2/path", "eu-west-1",
	       "[services local] iam");
	expect(cfg, "dev", AWS_SERVICE_STS, "eu-west-1", NULL, "http://profile-global:1", "eu-west-1", "profile dev");
	expect(cfg, "onlyglobal", AWS_SERVICE_EKS, "eu-west-1", NULL, "http://profile-global:1", "eu-west-1",
	       "profile onlyglobal");
	expect(cfg, "default", AWS_SERVICE_IAM, "eu-west-1", NULL, "https://iam.amazonaws.com", "us-east-1", "default");

	setenv("AWS_ENDPOINT_URL", "http://env-global:3", 1);
	expect(cfg, "dev", AWS_SERVICE_IAM, "eu-west-1", NULL, "http://env-global:3", "eu-west-1", "AWS_ENDPOINT_URL");
	setenv("AWS_ENDPOINT_URL_IAM", "http://env-iam:4", 1);
	expect(cfg, "dev", AWS_SERVICE_IAM, "cn-north-1", NULL, "http://env-iam:4", "cn-north-1",
	       "AWS_ENDPOINT_URL_IAM");
	expect(cfg, "dev", AWS_SERVICE_STS, "eu-west-1", NULL, "http://env-global:3", "eu-west-1", "AWS_ENDPOINT_URL");
	setenv("AWS_ENDPOINT_URL_EKS", "http://env-eks:5", 1);
	expect(cfg, "dev", AWS_SERVICE_EKS, "eu-west-1", NULL, "http://env-eks:5", "eu-west-1", "AWS_ENDPOINT_URL_EKS");
	/* an empty variable is unset */
	setenv("AWS_ENDPOINT_URL_STS", "", 1);
	expect(cfg, "dev", AWS_SERVICE_STS, "eu-west-1", NULL, "http://env-global:3", "eu-west-1", "AWS_ENDPOINT_URL");
	/* an explicit --endpoint-url beats everything */
	expect(cfg, "dev", AWS_SERVICE_IAM, "eu-west-1", "http://flag:6", "http://flag:6", "eu-west-1",
	       "--endpoint-url");
	aws_config_free(cfg);
}

static void
test_ignore_configured_endpoints(void **state)
{
	struct aws_config *cfg = load(*state, override_config);

	setenv("AWS_ENDPOINT_URL_IAM", "http://env-iam:4", 1);
	expect(cfg, "ignoring", AWS_SERVICE_IAM, "eu-west-1", NULL, "https://iam.amazonaws.com", "us-east-1",
	       "default");
	expect(cfg, "ignoring", AWS_SERVICE_STS, "eu-west-1", NULL, "https://sts.eu-west-1.amazonaws.com", "eu-west-1",
	       "default");
	/* but not an explicit URL */
	expect(cfg, "ignoring", AWS_SERVICE_IAM, "eu-west-1", "http://flag:6", "http://flag:6", "eu-west-1",
	       "--endpoint-url");
	/* the environment decides over the profile, either way */
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
	expect(cfg, "ignoring", AWS_SERVICE_IAM, "eu-west-1", NULL, "http://env-iam:4", "eu-west-1",
	       "AWS_ENDPOINT_URL_IAM");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE", 1);
	expect(cfg, "dev", AWS_SERVICE_IAM, "eu-west-1", NULL, "https://iam.amazonaws.com", "us-east-1", "default");
	aws_config_free(cfg);
}

static void
test_errors(void **state)
{
	struct aws_config *cfg = load(*state, override_config);
	struct aws_endpoint e;
	struct irsa_error err;

	/* botocore looks the [services] block up only when no variable is set */
	assert_int_equal(aws_endpoint_resolve(cfg, "broken", AWS_SERVICE_IAM, "eu-west-1", NULL, &e, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "[services missing]"));
	assert_non_null(strstr(err.hint, "endpoint_url"));
	assert_null(e.url);
	setenv("AWS_ENDPOINT_URL", "http://env-global:3", 1);
	expect(cfg, "broken", AWS_SERVICE_IAM, "eu-west-1", NULL, "http://env-global:3", "eu-west-1",
	       "AWS_ENDPOINT_URL");

	static const char *const bad_regions[] = {"",           "-eu", "eu-", "123", "eu_west_1", "eu-west-1.evil.com",
	                                          "us-east-1/x"};
	for (size_t i = 0; i < sizeof(bad_regions) / sizeof(bad_regions[0]); i++) {
		assert_int_equal(aws_endpoint_resolve(cfg, "dev", AWS_SERVICE_EKS, bad_regions[i], NULL, &e, &err), -1);
		assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
		assert_non_null(strstr(err.hint, "--region"));
	}
	assert_int_equal(aws_endpoint_resolve(cfg, "dev", AWS_SERVICE_EKS, NULL, NULL, &e, &err), -1);
	aws_config_free(cfg);
}

/* AWS_CA_BUNDLE, then the profile's ca_bundle. */
static void
test_ca_bundle(void **state)
{
	struct aws_config *cfg = load(*state, "[profile ca]\nca_bundle = /etc/corp/ca.pem\n");
	struct aws_endpoint e;
	struct irsa_error err;

	assert_int_equal(aws_endpoint_resolve(cfg, "default", AWS_SERVICE_EKS, "eu-west-1", NULL, &e, &err), 0);
	assert_null(e.ca_bundle);
	aws_endpoint_release(&e);
	assert_int_equal(aws_endpoint_resolve(cfg, "ca", AWS_SERVICE_EKS, "eu-west-1", NULL, &e, &err), 0);
	assert_string_equal(e.ca_bundle, "/etc/corp/ca.pem");
	aws_endpoint_release(&e);
	setenv("AWS_CA_BUNDLE", "/tmp/env-ca.pem", 1);
	assert_int_equal(aws_endpoint_resolve(cfg, "ca", AWS_SERVICE_EKS, "eu-west-1", NULL, &e, &err), 0);
	assert_string_equal(e.ca_bundle, "/tmp/env-ca.pem");
	aws_endpoint_release(&e);
	aws_endpoint_release(NULL);
	aws_config_free(cfg);
}

#define T(f) cmocka_unit_test_setup_teardown(f, aws_test_setup, aws_test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_defaults_per_partition),
	        T(test_partitions_and_arns),
	        T(test_sts_legacy),
	        T(test_override_precedence),
	        T(test_ignore_configured_endpoints),
	        T(test_errors),
	        T(test_ca_bundle),
	};

	return cmocka_run_group_tests_name("aws_endpoint", tests, NULL, NULL);
}
