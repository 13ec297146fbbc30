/* core/aws_endpoint.c - endpoint URL and signing region for IAM, STS and
 * EKS: botocore's endpoint rule sets reduced to the three services and
 * three partitions irsa talks to, and its ConfiguredEndpointProvider for
 * the overrides. Tables, not if-chains. No I/O. */
#include "config.h"

#include "aws_endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "env.h"

struct partition_info {
	const char *name;
	const char *arn_prefix;
	const char *dns_suffix;
	const char *iam_host;   /* IAM is global: one endpoint per partition */
	const char *iam_region; /* and one signing region */
};

static const struct partition_info partitions[] = {
        [AWS_PARTITION_AWS] = {"aws", "arn:aws:", "amazonaws.com", "iam.amazonaws.com", "us-east-1"},
        [AWS_PARTITION_CN] = {"aws-cn", "arn:aws-cn:", "amazonaws.com.cn", "iam.cn-north-1.amazonaws.com.cn",
                              "cn-north-1"},
        [AWS_PARTITION_US_GOV] = {"aws-us-gov", "arn:aws-us-gov:", "amazonaws.com", "iam.us-gov.amazonaws.com",
                                  "us-gov-west-1"},
};

struct service_info {
	const char *name;   /* signing name, endpoint prefix, config key */
	const char *env_id; /* the service id upper-cased, spaces to '_' */
};

static const struct service_info services[] = {
        [AWS_SERVICE_IAM] = {"iam", "IAM"},
        [AWS_SERVICE_STS] = {"sts", "STS"},
        [AWS_SERVICE_EKS] = {"eks", "EKS"},
};

/* botocore args.py LEGACY_GLOBAL_STS_REGIONS: with sts_regional_endpoints =
 * legacy these go to sts.amazonaws.com, signed for us-east-1. */
static const char *const legacy_global_sts_regions[] = {
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
        "eu-central-1",   "eu-north-1", "eu-west-1",      "eu-west-2",      "eu-west-3",  "sa-east-1",
        "us-east-1",      "us-east-2",  "us-west-1",      "us-west-2",
};

enum aws_partition
aws_partition_of_region(const char *region)
{
	if (region == NULL)
		return AWS_PARTITION_AWS;
	if (strncmp(region, "cn-", 3) == 0)
		return AWS_PARTITION_CN;
	if (strncmp(region, "us-gov-", 7) == 0)
		return AWS_PARTITION_US_GOV;
	return AWS_PARTITION_AWS;
}

const char *
aws_partition_name(enum aws_partition p)
{
	return partitions[p].name;
}

const char *
aws_arn_prefix(const char *region)
{
	return partitions[aws_partition_of_region(region)].arn_prefix;
}

const char *
aws_partition_dns_suffix(enum aws_partition p)
{
	return partitions[p].dns_suffix;
}

const char *
aws_service_name(enum aws_service s)
{
	return services[s].name;
}

void
aws_endpoint_release(struct aws_endpoint *e)
{
	if (e == NULL)
		return;
	free(e->url);
	free(e->signing_region);
	free(e->source);
	free(e->ca_bundle);
	memset(e, 0, sizeof(*e));
}

/* botocore validate_region_name: a DNS label, not all digits. */
static bool
region_valid(const char *r)
{
	size_t n = strlen(r), i;
	bool digits = true;

	if (n == 0 || n > 63 || r[0] == '-' || r[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)r[i]) && r[i] != '-')
			return false;
		if (!isdigit((unsigned char)r[i]))
			digits = false;
	}
	return !digits;
}

static const char *
profile_get(const struct aws_config *cfg, const char *profile, const char *key)
{
	return cfg != NULL && profile != NULL ? aws_config_get(cfg, profile, key) : NULL;
}

/* The configured URL (ConfiguredEndpointProvider order), or NULL. Returns -1
 * with err set when the profile names a missing [services] section. */
static int
configured_url(const struct aws_config *cfg, const char *profile, enum aws_service service, const char **url,
               char *source, size_t sourcesz, struct irsa_error *err)
{
	char env[64];
	const char *v, *sect;

	*url = NULL;
	/* "" counts as unset: botocore skips a false endpoint URL. */
	snprintf(env, sizeof(env), "AWS_ENDPOINT_URL_%s", services[service].env_id);
	if ((v = aws_config_getenv(cfg, env)) != NULL) {
		snprintf(source, sourcesz, "%s", env);
		*url = v;
		return 0;
	}
	if ((v = aws_config_getenv(cfg, "AWS_ENDPOINT_URL")) != NULL) {
		snprintf(source, sourcesz, "AWS_ENDPOINT_URL");
		*url = v;
		return 0;
	}
	sect = profile_get(cfg, profile, "services");
	if (sect != NULL) {
		if (!aws_config_has_services(cfg, sect)) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			               "profile \"%s\" uses services \"%s\", but %s has no [services %s] section",
			               profile, sect, aws_config_path(cfg), sect);
			return irsa_error_hint(
			        err,
			        "Add [services %s] with \"%s =\" and an indented \"endpoint_url = ...\", "
			        "or remove services from the profile.",
			        sect, services[service].name);
		}
		v = aws_config_services_get(cfg, sect, services[service].name, "endpoint_url");
		if (v != NULL && *v != '\0') {
			snprintf(source, sourcesz, "[services %s] %s", sect, services[service].name);
			*url = v;
			return 0;
		}
	}
	v = profile_get(cfg, profile, "endpoint_url");
	if (v != NULL && *v != '\0') {
		snprintf(source, sourcesz, "profile %s", profile);
		*url = v;
	}
	return 0;
}

static bool
sts_legacy_global(const char *region)
{
	size_t i;

	for (i = 0; i < sizeof(legacy_global_sts_regions) / sizeof(legacy_global_sts_regions[0]); i++)
		if (strcmp(region, legacy_global_sts_regions[i]) == 0)
			return true;
	return false;
}

/* The default URL and signing region (the partition's rule set). */
static int
default_endpoint(const struct aws_config *cfg, const char *profile, enum aws_service service, const char *region,
                 struct buf *url, const char **signing_region, struct irsa_error *err)
{
	const struct partition_info *p = &partitions[aws_partition_of_region(region)];
	const char *mode;

	*signing_region = region;
	switch (service) {
	case AWS_SERVICE_IAM:
		*signing_region = p->iam_region;
		return buf_printf(url, "https://%s", p->iam_host);
	case AWS_SERVICE_STS:
		mode = env_get(aws_config_env(cfg), "AWS_STS_REGIONAL_ENDPOINTS");
		if (mode == NULL || *mode == '\0')
			mode = profile_get(cfg, profile, "sts_regional_endpoints");
		if (mode != NULL && *mode != '\0' && strcmp(mode, "legacy") != 0 && strcmp(mode, "regional") != 0) {
			irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			               "sts_regional_endpoints \"%s\" is neither \"legacy\" nor \"regional\"", mode);
			return irsa_error_hint(err,
			                       "Fix AWS_STS_REGIONAL_ENDPOINTS or sts_regional_endpoints in profile "
			                       "\"%s\" (regional is the default).",
			                       profile != NULL ? profile : "default");
		}
		if (strcmp(region, "aws-global") == 0 ||
		    (mode != NULL && strcmp(mode, "legacy") == 0 && sts_legacy_global(region))) {
			*signing_region = "us-east-1";
			return buf_printf(url, "https://sts.amazonaws.com");
		}
		return buf_printf(url, "https://sts.%s.%s", region, p->dns_suffix);
	case AWS_SERVICE_EKS:
		return buf_printf(url, "https://eks.%s.%s", region, p->dns_suffix);
	}
	return -1;
}

int
aws_endpoint_resolve(const struct aws_config *cfg, const char *profile, enum aws_service service, const char *region,
                     const char *explicit_url, struct aws_endpoint *out, struct irsa_error *err)
{
	const char *url = NULL, *signing_region = region, *ca;
	char source[128] = "default";
	struct buf b;
	bool ignore;

	memset(out, 0, sizeof(*out));
	if (region == NULL || !region_valid(region)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "\"%s\" is not a valid AWS region", region ? region : "");
		return irsa_error_hint(err, "Use a region code such as us-east-1 (--region, AWS_REGION or the "
		                            "profile's region).");
	}
	if (explicit_url != NULL && *explicit_url != '\0') {
		url = explicit_url;
		snprintf(source, sizeof(source), "--endpoint-url");
	} else {
		const char *ign = env_get(aws_config_env(cfg), "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

		if (ign == NULL)
			ign = profile_get(cfg, profile, "ignore_configured_endpoint_urls");
		ignore = aws_config_is_true(ign);
		if (!ignore && configured_url(cfg, profile, service, &url, source, sizeof(source), err) != 0)
			return -1;
	}

	buf_init(&b, 8192);
	if (url != NULL) {
		buf_addstr(&b, url);
		out->custom = true;
	} else if (default_endpoint(cfg, profile, service, region, &b, &signing_region, err) != 0) {
		buf_release(&b);
		return b.failed ? irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory") : -1;
	}
	ca = env_get(aws_config_env(cfg), "AWS_CA_BUNDLE");
	if (ca == NULL || *ca == '\0')
		ca = profile_get(cfg, profile, "ca_bundle");
	out->service = services[service].name;
	out->url = b.failed ? NULL : buf_detach(&b);
	out->signing_region = strdup(signing_region);
	out->source = strdup(source);
	out->ca_bundle = ca != NULL && *ca != '\0' ? strdup(ca) : NULL;
	if (out->url == NULL || out->signing_region == NULL || out->source == NULL ||
	    (ca != NULL && *ca != '\0' && out->ca_bundle == NULL)) {
		buf_release(&b);
		aws_endpoint_release(out);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	return 0;
}
