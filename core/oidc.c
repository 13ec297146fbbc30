/* core/oidc.c - OIDC issuer discovery and the TLS thumbprint (see oidc.h).
 *
 * Each fetch is one libcurl easy handle of its own, so its connection is new
 * and the TLS handshake is full: CURLOPT_CERTINFO then lists every
 * certificate the server sent, in the order sent (libcurl's OpenSSL backend
 * gives each as "Cert:" PEM), and the last one is hashed. A reused or
 * resumed connection would carry no chain, which is why nothing here is
 * shared with the HTTP engine's client. libcurl's global state is taken and
 * given back around each call (libcurl counts the calls). No printing. */
#include "config.h"

#include "oidc.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "buf.h"
#include "http.h"
#include "jsonobj.h"
#include "log.h"

#define OIDC_USER_AGENT "irsa/" PACKAGE_VERSION
#define OIDC_WELL_KNOWN "/.well-known/openid-configuration"
#define OIDC_HINT_THUMBPRINT                                                                                           \
	"IAM needs no thumbprint for an issuer with a publicly trusted CA (as EKS's): create the provider "            \
	"without one. In a VPC with a private EKS endpoint the issuer may be unreachable; check DNS, egress "          \
	"and HTTPS_PROXY."

/* Where a URL points. */
struct oidc_url {
	char scheme[16];
	char host[256];
	long port;
};

/* One GET and what came of it. */
struct fetch {
	const struct oidc_options *o;
	const char *url;
	struct oidc_url where;
	CURL *easy;
	struct buf body;
	bool over_limit;
	long status;
	char thumbprint[OIDC_THUMBPRINT_LEN + 1];
	char errbuf[CURL_ERROR_SIZE];
};

/* --- URLs ----------------------------------------------------------------- */

/* Splits url into scheme, host and port (the scheme's default when none is
 * given). Returns 0, or -1 with err set when it is not a URL. */
static int
url_split(const char *url, const char *what, struct oidc_url *out, struct irsa_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (u == NULL)
		return irsa_error_oom(err);
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the %s \"%s\" is not a URL", what, url);
		irsa_error_hint(err, "An OIDC issuer looks like https://oidc.eks.REGION.amazonaws.com/id/ID.");
		goto out;
	}
	if (strlen(scheme) >= sizeof(out->scheme) || strlen(host) >= sizeof(out->host)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the %s \"%s\" is too long", what, url);
		goto out;
	}
	strcpy(out->scheme, scheme);
	strcpy(out->host, host);
	out->port = strtol(port, NULL, 10);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* url must be https. Returns 0, or -1 with err set (kind given). */
static int
url_require_https(const char *url, const char *what, enum irsa_err kind, struct oidc_url *where, struct irsa_error *err)
{
	if (url_split(url, what, where, err) != 0) {
		if (err != NULL)
			err->kind = kind;
		return -1;
	}
	if (strcasecmp(where->scheme, "https") != 0) {
		irsa_error_set(err, kind, "refusing the %s \"%s\": it must be an https:// URL", what, url);
		return irsa_error_hint(err, "Discovery over plain http could be altered on the way; OIDC issuers "
		                            "(and their jwks_uri) are https.");
	}
	return 0;
}

/* The length of s without trailing slashes. */
static size_t
len_sans_slash(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		n--;
	return n;
}

/* --- the thumbprint ------------------------------------------------------- */

/* The lowercase hex SHA-1 of a PEM certificate's DER into out. Returns 0 or -1. */
static int
pem_sha1_hex(const char *pem, char out[OIDC_THUMBPRINT_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int md_len = 0, i;
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = NULL;
	int der_len, rc = -1;

	if (bio == NULL)
		return -1;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (x == NULL)
		goto out;
	der_len = i2d_X509(x, &der);
	if (der_len <= 0)
		goto out;
	if (EVP_Digest(der, (size_t)der_len, md, &md_len, EVP_sha1(), NULL) != 1 || md_len * 2 != OIDC_THUMBPRINT_LEN)
		goto out;
	for (i = 0; i < md_len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0x0f];
	}
	out[OIDC_THUMBPRINT_LEN] = '\0';
	rc = 0;
out:
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(bio);
	return rc;
}

/* The thumbprint of the last certificate of the chain the server sent. */
static int
fetch_thumbprint(struct fetch *f, struct irsa_error *err)
{
	struct curl_certinfo *ci = NULL;
	const struct curl_slist *s;
	const char *pem = NULL;

	if (curl_easy_getinfo(f->easy, CURLINFO_CERTINFO, &ci) != CURLE_OK || ci == NULL || ci->num_of_certs <= 0) {
		irsa_error_set(err, IRSA_ERR_TLS, "cannot read the certificate chain that %s served", f->where.host);
		return irsa_error_hint(err, "Thumbprints need libcurl built with OpenSSL. IAM needs none for an issuer "
		                            "with a publicly trusted CA: create the provider without one.");
	}
	for (s = ci->certinfo[ci->num_of_certs - 1]; s != NULL && pem == NULL; s = s->next) {
		if (strncmp(s->data, "Cert:", 5) == 0)
			pem = s->data + 5;
	}
	if (pem == NULL || pem_sha1_hex(pem, f->thumbprint) != 0) {
		irsa_error_set(err, IRSA_ERR_TLS, "cannot read the last certificate of the chain that %s served",
		               f->where.host);
		return irsa_error_hint(err, OIDC_HINT_THUMBPRINT);
	}
	return 0;
}

/* --- one fetch ------------------------------------------------------------ */

static size_t
fetch_write(char *data, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;

	if (buf_add(&f->body, data, size * n) != 0) {
		f->over_limit = f->body.error == E2BIG;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	return size * n;
}

static int
fetch_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct fetch *f = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return f->o->cancel != NULL && *f->o->cancel != 0;
}

static bool
cancelled(const struct oidc_options *o)
{
	return o->cancel != NULL && *o->cancel != 0;
}

/* The error for a transfer that got no complete answer. */
static int
fetch_error(struct fetch *f, CURLcode code, struct irsa_error *err)
{
	const char *detail = f->errbuf[0] != '\0' ? f->errbuf : curl_easy_strerror(code);
	const char *host = f->where.host;

	if (f->over_limit)
		return irsa_error_set(err, IRSA_ERR_LIMIT, "the answer from %s to GET %s is larger than %d bytes", host,
		                      f->url, OIDC_MAX_DOCUMENT);
	if (code == CURLE_ABORTED_BY_CALLBACK || cancelled(f->o))
		return irsa_error_set(err, IRSA_ERR_CANCELLED, "GET %s was cancelled", f->url);
	switch (code) {
	case CURLE_OUT_OF_MEMORY:
	case CURLE_WRITE_ERROR:
		return irsa_error_oom(err);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		irsa_error_set(err, IRSA_ERR_NETWORK, "cannot resolve the OIDC issuer's host %s (%s)", host, detail);
		return irsa_error_hint(err, OIDC_HINT_THUMBPRINT);
	case CURLE_COULDNT_CONNECT:
		irsa_error_set(err, IRSA_ERR_NETWORK, "cannot connect to the OIDC issuer's host %s port %ld (%s)", host,
		               f->where.port, detail);
		return irsa_error_hint(err, OIDC_HINT_THUMBPRINT);
	case CURLE_OPERATION_TIMEDOUT:
		irsa_error_set(err, IRSA_ERR_NETWORK, "timed out talking to the OIDC issuer's host %s (%s)", host,
		               detail);
		return irsa_error_hint(err, OIDC_HINT_THUMBPRINT);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_ISSUER_ERROR:
		irsa_error_set(err, IRSA_ERR_TLS, "cannot verify the TLS certificate of %s (%s)", host, detail);
		return irsa_error_hint(err, "If the issuer uses a private CA, give it in AWS_CA_BUNDLE; check the "
		                            "host name and the clock.");
	case CURLE_SSL_CACERT_BADFILE:
		irsa_error_set(err, IRSA_ERR_TLS, "cannot load the CA certificates %s to verify %s (%s)",
		               f->o->ca_bundle != NULL && f->o->ca_bundle[0] != '\0' ? f->o->ca_bundle : "(system)",
		               host, detail);
		return irsa_error_hint(err, "Check the file in AWS_CA_BUNDLE: it must be PEM.");
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		irsa_error_set(err, IRSA_ERR_TLS, "the TLS handshake with %s failed (%s)", host, detail);
		return irsa_error_hint(err, "Check that the issuer speaks HTTPS on that port and the proxy settings.");
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "cannot GET %s (%s)", f->url, detail);
	default:
		irsa_error_set(err, IRSA_ERR_NETWORK, "GET %s failed (%s)", f->url, detail);
		return irsa_error_hint(err, OIDC_HINT_THUMBPRINT);
	}
}

/* GETs f->url on a new connection: the answer's status and body, and the
 * thumbprint of the chain served. Returns 0 on a 200 answer, else -1 with err
 * set. */
static int
fetch_run(struct fetch *f, struct irsa_error *err)
{
	struct curl_slist *headers = NULL, *connect_to = NULL, *l;
	CURLcode code;
	size_t i;
	int rc = -1;
	long timeout = f->o->timeout_ms > 0 ? f->o->timeout_ms : OIDC_DEFAULT_TIMEOUT_MS;

	if (cancelled(f->o))
		return irsa_error_set(err, IRSA_ERR_CANCELLED, "GET %s was cancelled", f->url);
	f->easy = curl_easy_init();
	if (f->easy == NULL)
		return irsa_error_oom(err);
	for (i = 0; i < f->o->n_connect_to; i++) {
		if (f->o->connect_to[i] == NULL)
			continue;
		l = curl_slist_append(connect_to, f->o->connect_to[i]);
		if (l == NULL)
			goto oom;
		connect_to = l;
	}
	l = curl_slist_append(headers, "Accept: application/json");
	if (l == NULL)
		goto oom;
	headers = l;

	curl_easy_setopt(f->easy, CURLOPT_URL, f->url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	curl_easy_setopt(f->easy, CURLOPT_PROTOCOLS_STR, "https");
#else
	curl_easy_setopt(f->easy, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(f->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(f->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(f->easy, CURLOPT_USERAGENT, OIDC_USER_AGENT);
	curl_easy_setopt(f->easy, CURLOPT_ERRORBUFFER, f->errbuf);
	curl_easy_setopt(f->easy, CURLOPT_WRITEFUNCTION, fetch_write);
	curl_easy_setopt(f->easy, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(f->easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(f->easy, CURLOPT_XFERINFOFUNCTION, fetch_progress);
	curl_easy_setopt(f->easy, CURLOPT_XFERINFODATA, f);
	curl_easy_setopt(f->easy, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(f->easy, CURLOPT_CONNECTTIMEOUT_MS, timeout);
	curl_easy_setopt(f->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(f->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(f->easy, CURLOPT_CERTINFO, 1L);
	if (f->o->ca_bundle != NULL && f->o->ca_bundle[0] != '\0')
		curl_easy_setopt(f->easy, CURLOPT_CAINFO, f->o->ca_bundle);
	if (connect_to != NULL)
		curl_easy_setopt(f->easy, CURLOPT_CONNECT_TO, connect_to);

	log_debug("oidc: GET %s", f->url);
	code = curl_easy_perform(f->easy);
	if (code != CURLE_OK) {
		fetch_error(f, code, err);
		goto out;
	}
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &f->status);
	if (f->status != 200) {
		irsa_error_set(err, http_status_kind(f->status), "GET %s answered HTTP %ld %s", f->url, f->status,
		               http_status_text(f->status));
		if (err != NULL)
			err->http_status = (int)f->status;
		irsa_error_hint(err,
		                "Check the issuer URL (the cluster's identity.oidc.issuer). IAM needs no thumbprint "
		                "for an issuer with a publicly trusted CA: the provider can be created without one.");
		goto out;
	}
	if (fetch_thumbprint(f, err) != 0)
		goto out;
	rc = 0;
	goto out;
oom:
	irsa_error_oom(err);
out:
	curl_slist_free_all(headers);
	curl_slist_free_all(connect_to);
	curl_easy_cleanup(f->easy);
	f->easy = NULL;
	return rc;
}

static void
fetch_init(struct fetch *f, const struct oidc_options *o, const char *url, const struct oidc_url *where)
{
	memset(f, 0, sizeof(*f));
	f->o = o;
	f->url = url;
	f->where = *where;
	buf_init(&f->body, OIDC_MAX_DOCUMENT);
}

/* The body as a JSON object. Returns NULL with err set (IRSA_ERR_PARSE). */
static struct json_object *
fetch_json(struct fetch *f, const char *what, struct irsa_error *err)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc = NULL;
	size_t used;

	if (tok == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	doc = json_tokener_parse_ex(tok, buf_cstr(&f->body), (int)f->body.len);
	used = json_tokener_get_parse_end(tok);
	while (doc != NULL && used < f->body.len && isspace((unsigned char)f->body.data[used]))
		used++;
	if (doc == NULL || json_tokener_get_error(tok) != json_tokener_success || used != f->body.len ||
	    !json_object_is_type(doc, json_type_object)) {
		irsa_error_set(err, IRSA_ERR_PARSE, "the %s at %s is not a JSON object", what, f->url);
		irsa_error_hint(err,
		                "Check that the URL is the OIDC issuer and not a proxy's or captive portal's page.");
		json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	return doc;
}

/* --- discovery ------------------------------------------------------------ */

static char *
dup_or_oom(const char *s, bool *oom)
{
	char *d = strdup(s);

	if (d == NULL)
		*oom = true;
	return d;
}

/* The discovery document: checks it and copies issuer and jwks_uri. */
static int
read_discovery(struct fetch *f, const char *issuer, size_t issuer_len, struct oidc_discovery *out,
               struct irsa_error *err)
{
	struct json_object *doc = fetch_json(f, "OpenID configuration", err);
	const char *doc_issuer, *jwks_uri;
	bool oom = false;
	int rc = -1;

	if (doc == NULL)
		return -1;
	doc_issuer = jsonobj_str(doc, "issuer");
	jwks_uri = jsonobj_str(doc, "jwks_uri");
	if (doc_issuer == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "the OpenID configuration at %s has no \"issuer\"", f->url);
		goto out;
	}
	if (len_sans_slash(doc_issuer) != issuer_len || strncmp(doc_issuer, issuer, issuer_len) != 0) {
		irsa_error_set(err, IRSA_ERR_PARSE,
		               "the OpenID configuration at %s names the issuer \"%s\", not \"%.*s\"", f->url,
		               doc_issuer, (int)issuer_len, issuer);
		irsa_error_hint(err, "Use the issuer exactly as the cluster reports it (DescribeCluster "
		                     "identity.oidc.issuer); tokens carry that string as \"iss\".");
		goto out;
	}
	if (jwks_uri == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "the OpenID configuration at %s has no \"jwks_uri\"", f->url);
		goto out;
	}
	out->issuer = dup_or_oom(doc_issuer, &oom);
	out->jwks_uri = dup_or_oom(jwks_uri, &oom);
	rc = oom ? irsa_error_oom(err) : 0;
out:
	json_object_put(doc);
	return rc;
}

/* The JWKS: it must hold a "keys" array. */
static int
read_jwks(struct fetch *f, struct oidc_discovery *out, struct irsa_error *err)
{
	struct json_object *doc = fetch_json(f, "JWKS", err), *keys;

	if (doc == NULL)
		return -1;
	if (!json_object_object_get_ex(doc, "keys", &keys) || !json_object_is_type(keys, json_type_array)) {
		json_object_put(doc);
		return irsa_error_set(err, IRSA_ERR_PARSE, "the JWKS at %s has no \"keys\" array", f->url);
	}
	out->n_keys = json_object_array_length(keys);
	json_object_put(doc);
	return 0;
}

static int
discover(const char *issuer, const struct oidc_options *o, struct oidc_discovery *out, struct irsa_error *err)
{
	struct oidc_url issuer_at, jwks_at;
	struct fetch disc, keys;
	struct buf url;
	size_t issuer_len;
	int rc = -1;

	if (issuer == NULL || issuer[0] == '\0')
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no OIDC issuer given");
	if (url_require_https(issuer, "OIDC issuer", IRSA_ERR_INVALID_INPUT, &issuer_at, err) != 0)
		return -1;
	issuer_len = len_sans_slash(issuer);
	buf_init(&url, 8192);
	if (buf_add(&url, issuer, issuer_len) != 0 || buf_addstr(&url, OIDC_WELL_KNOWN) != 0) {
		buf_release(&url);
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the OIDC issuer \"%s\" is too long", issuer);
	}

	fetch_init(&disc, o, buf_cstr(&url), &issuer_at);
	fetch_init(&keys, o, NULL, &issuer_at);
	if (fetch_run(&disc, err) != 0 || read_discovery(&disc, issuer, issuer_len, out, err) != 0)
		goto out;
	if (url_require_https(out->jwks_uri, "jwks_uri", IRSA_ERR_PARSE, &jwks_at, err) != 0) {
		irsa_error_prefix(err, "%s", disc.url);
		goto out;
	}
	keys.url = out->jwks_uri;
	keys.where = jwks_at;
	if (fetch_run(&keys, err) != 0 || read_jwks(&keys, out, err) != 0)
		goto out;
	out->thumbprint = strdup(keys.thumbprint);
	if (out->thumbprint == NULL)
		goto oom;
	if (strcasecmp(issuer_at.host, jwks_at.host) != 0 || issuer_at.port != jwks_at.port) {
		out->discovery_thumbprint = strdup(disc.thumbprint);
		if (out->discovery_thumbprint == NULL)
			goto oom;
	}
	rc = 0;
	goto out;
oom:
	irsa_error_oom(err);
out:
	buf_release(&disc.body);
	buf_release(&keys.body);
	buf_release(&url);
	return rc;
}

int
oidc_discover(const char *issuer, const struct oidc_options *o, struct oidc_discovery *out, struct irsa_error *err)
{
	static const struct oidc_options defaults;
	int rc;

	memset(out, 0, sizeof(*out));
	irsa_error_clear(err);
	if (o == NULL)
		o = &defaults;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "libcurl cannot be initialised");
	rc = discover(issuer, o, out, err);
	curl_global_cleanup();
	if (rc != 0)
		oidc_discovery_release(out);
	return rc;
}

void
oidc_discovery_release(struct oidc_discovery *d)
{
	if (d == NULL)
		return;
	free(d->issuer);
	free(d->jwks_uri);
	free(d->thumbprint);
	free(d->discovery_thumbprint);
	memset(d, 0, sizeof(*d));
}

/* --- IRSA_CONNECT_TO ------------------------------------------------------ */

/* HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT, any part but the separators
 * possibly empty (libcurl's rules), an IPv6 address in brackets. */
static bool
connect_to_valid(const char *e)
{
	int colons = 0, depth = 0;

	for (; *e != '\0'; e++) {
		if (isspace((unsigned char)*e))
			return false;
		if (*e == '[')
			depth++;
		else if (*e == ']')
			depth--;
		else if (*e == ':' && depth == 0)
			colons++;
	}
	return colons == 3 && depth == 0;
}

void
oidc_connect_to_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int
oidc_parse_connect_to(const char *list, char ***out, size_t *n, struct irsa_error *err)
{
	const char *p = list != NULL ? list : "", *end, *a, *b;
	char **v = calloc(1, sizeof(*v)), **grown;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (v == NULL)
		return irsa_error_oom(err);
	while (*p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		for (a = p; a < end && isspace((unsigned char)*a); a++)
			;
		for (b = end; b > a && isspace((unsigned char)b[-1]); b--)
			;
		if (b > a) {
			grown = realloc(v, (count + 2) * sizeof(*v));
			if (grown == NULL)
				goto oom;
			v = grown;
			v[count] = strndup(a, (size_t)(b - a));
			if (v[count] == NULL)
				goto oom;
			v[++count] = NULL;
			if (!connect_to_valid(v[count - 1])) {
				irsa_error_set(
				        err, IRSA_ERR_INVALID_INPUT,
				        "the connect-to entry \"%s\" is not HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT",
				        v[count - 1]);
				irsa_error_hint(err, "IRSA_CONNECT_TO is a comma-separated list such as "
				                     "oidc.eks.us-east-1.amazonaws.com:443:127.0.0.1:8443.");
				oidc_connect_to_free(v);
				return -1;
			}
		}
		p = *end == ',' ? end + 1 : end;
	}
	*out = v;
	*n = count;
	return 0;
oom:
	oidc_connect_to_free(v);
	return irsa_error_oom(err);
}
