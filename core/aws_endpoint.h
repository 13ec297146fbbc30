/* core/aws_endpoint.h - where to send IAM, STS and EKS requests and which
 * region to sign them for, as botocore decides it: the partition from the
 * region, the default endpoints (IAM global per partition, STS regional
 * unless sts_regional_endpoints = legacy, EKS regional), the configured
 * endpoint overrides (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
 * profile's [services] block, the profile's endpoint_url) and the CA bundle.
 *
 * Proxies are not resolved here: libcurl reads HTTPS_PROXY / https_proxy,
 * HTTP_PROXY / http_proxy (lower case only for http) and NO_PROXY /
 * no_proxy itself, as botocore (urllib3 via requests' rules) does. Pure: no
 * I/O beyond the environment and the loaded config. */
#ifndef IRSA_AWS_ENDPOINT_H
#define IRSA_AWS_ENDPOINT_H

#include <stdbool.h>

#include "aws_config.h"
#include "error.h"

enum aws_partition {
	AWS_PARTITION_AWS,    /* "aws": every region not below */
	AWS_PARTITION_CN,     /* "aws-cn": cn-* */
	AWS_PARTITION_US_GOV, /* "aws-us-gov": us-gov-* */
};

enum aws_service {
	AWS_SERVICE_IAM,
	AWS_SERVICE_STS,
	AWS_SERVICE_EKS,
};

/* The partition a region belongs to (ISO partitions are not told apart:
 * they read as "aws"). */
enum aws_partition aws_partition_of_region(const char *region);

/* "aws", "aws-cn", "aws-us-gov". Static string. */
const char *aws_partition_name(enum aws_partition p);

/* The start of an ARN in region's partition: "arn:aws:", "arn:aws-cn:",
 * "arn:aws-us-gov:". Static string. */
const char *aws_arn_prefix(const char *region);

/* The DNS suffix: "amazonaws.com" or "amazonaws.com.cn". Static string. */
const char *aws_partition_dns_suffix(enum aws_partition p);

/* The service's signing name and endpoint name: "iam", "sts", "eks". */
const char *aws_service_name(enum aws_service s);

/* Where a request goes. Owned; release with aws_endpoint_release(). */
struct aws_endpoint {
	char *url;            /* scheme://host[:port][/path], no trailing '/' added */
	char *signing_region; /* the SigV4 credential scope region */
	const char *service;  /* the signing name, static */
	bool custom;          /* a configured or explicit URL, not the default */
	char *source;         /* where url came from: "default", "AWS_ENDPOINT_URL_IAM", "profile dev", ... */
	char *ca_bundle;      /* AWS_CA_BUNDLE or the profile's ca_bundle, for the HTTP layer; NULL: the system's */
};

/* Resolves the endpoint of service for a client in region (already
 * resolved, e.g. by aws_config_resolve_region()) and profile. explicit_url
 * (a --endpoint-url flag) wins over everything and is never ignored. Then,
 * unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
 * ignore_configured_endpoint_urls is true: AWS_ENDPOINT_URL_<SERVICE>,
 * AWS_ENDPOINT_URL, the profile's "services" block key
 * "<service> = \n endpoint_url = ...", the profile's endpoint_url. Else the
 * default. A custom URL is signed for region (botocore signs with the
 * client's region, even for IAM). cfg may be NULL (no files). Returns 0 and
 * fills out (the caller releases it), or -1 with err set
 * (IRSA_ERR_INVALID_INPUT: a malformed region, a bad
 * sts_regional_endpoints, a missing [services] section). */
int aws_endpoint_resolve(const struct aws_config *cfg, const char *profile, enum aws_service service,
                         const char *region, const char *explicit_url, struct aws_endpoint *out,
                         struct irsa_error *err);

/* Frees what e holds and leaves it empty. */
void aws_endpoint_release(struct aws_endpoint *e);

#endif
