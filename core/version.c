/* core/version.c - asks each linked library for its version. */
#include "config.h"

#include "version.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <yaml.h>

void
irsa_versions_get(struct irsa_versions *v)
{
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	v->irsa = PACKAGE_VERSION;
	v->curl = cv->version;
	v->curl_http2 = (cv->features & CURL_VERSION_HTTP2) != 0;
	v->curl_async_dns = (cv->features & CURL_VERSION_ASYNCHDNS) != 0;
	v->curl_ssl = cv->ssl_version ? cv->ssl_version : "none";
	v->openssl = OpenSSL_version(OPENSSL_VERSION);
	v->json_c = json_c_version();
	v->libxml2 = LIBXML_DOTTED_VERSION;
	v->yaml = yaml_get_version_string();
}
