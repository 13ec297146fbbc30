/* core/version.h - irsa's version and the versions of the libraries it was
 * linked with, for `irsa version` and bug reports. No I/O. */
#ifndef IRSA_VERSION_H
#define IRSA_VERSION_H

#include <stdbool.h>

struct irsa_versions {
	const char *irsa;
	const char *curl; /* borrowed from libcurl */
	bool curl_http2;
	bool curl_async_dns;
	const char *curl_ssl;
	const char *openssl;
	const char *json_c;
	const char *libxml2;
	const char *yaml;
};

/* Fills v with static or library-owned strings; nothing to free. */
void irsa_versions_get(struct irsa_versions *v);

#endif
