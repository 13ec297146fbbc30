/* core/eks_token.c - the EKS bearer token and its ExecCredential, byte for
 * byte as awscli makes them: the presigned STS URL (sigv4_presign, then the
 * query reordered the way botocore writes it), base64url without padding,
 * the expiration, the apiVersion rules of KUBERNETES_EXEC_INFO and the JSON
 * text. eks_token_get() is the only part that reads files or may reach the
 * network (credentials, AssumeRole). No printing. */
#include "config.h"

#include "eks_token.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "aws_config.h"
#include "aws_creds.h"
#include "aws_endpoint.h"
#include "aws_sts.h"
#include "buf.h"
#include "jsonobj.h"
#include "log.h"

#define TOKEN_MAX_TEXT 65536 /* cap on the URL and the token (a session token is ~1-2 KB) */
#define OWN_QUERY      "Action=GetCallerIdentity&Version=2011-06-15"

/* botocore's presigned query order (SigV4QueryAuth._modify_request_before_
 * signing writes these after the operation's own parameters). */
static const char *const query_order[] = {
        "X-Amz-Algorithm",     "X-Amz-Credential",     "X-Amz-Date",      "X-Amz-Expires",
        "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
};
#define N_QUERY_ORDER (sizeof(query_order) / sizeof(query_order[0]))

/* awscli get_token.py's messages, with the fallback version filled in. */
static const char warn_parse[] = "Error parsing KUBERNETES_EXEC_INFO, defaulting to " EKS_EXEC_API_V1BETA1
                                 ". This is likely a bug in your Kubernetes client. Please update your "
                                 "Kubernetes client.";
static const char warn_unknown[] =
        "Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to " EKS_EXEC_API_V1BETA1
        ". This is likely due to an outdated AWS CLI. Please update your AWS CLI.";
static const char warn_alpha[] = "Kubeconfig user entry is using deprecated API version " EKS_EXEC_API_V1ALPHA1
                                 ". Run 'aws eks update-kubeconfig' to update.";

static int
oom(struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory making the EKS token");
}

void
eks_token_release(struct eks_token *t)
{
	if (t == NULL)
		return;
	buf_free_secret(t->token);
	buf_free_secret(t->url);
	memset(t, 0, sizeof(*t));
}

char *
eks_token_format_time(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	if (outsz == 0)
		return out;
	if (gmtime_r(&t, &tm) == NULL || strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
	return out;
}

/* --- the endpoint URL ------------------------------------------------------- */

/* The pieces of scheme://[userinfo@]host[:port][/path] that signing needs:
 * the Host header as botocore derives it (_host_from_url: the host name in
 * lower case, the port unless it is the scheme's default, no userinfo) and
 * the path (NULL when empty). */
struct sts_url {
	char host[512];
	const char *path; /* points into the URL */
};

static int
bad_url(const char *url, const char *why, struct irsa_error *err)
{
	irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the STS endpoint \"%s\" %s", url, why);
	return irsa_error_hint(err, "Fix AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or the profile's endpoint_url "
	                            "(e.g. https://sts.us-east-1.amazonaws.com).");
}

static int
sts_url_parse(const char *url, struct sts_url *u, struct irsa_error *err)
{
	const char *netloc, *end, *at, *port;
	size_t hostlen, i;
	bool https;

	memset(u, 0, sizeof(*u));
	if (strncmp(url, "https://", 8) == 0)
		https = true;
	else if (strncmp(url, "http://", 7) == 0)
		https = false;
	else
		return bad_url(url, "is not an http:// or https:// URL", err);
	if (strpbrk(url, "?#") != NULL)
		return bad_url(url, "has a query or a fragment", err);
	netloc = url + (https ? 8 : 7);
	end = netloc + strcspn(netloc, "/");
	at = memchr(netloc, '@', (size_t)(end - netloc));
	if (at != NULL)
		netloc = at + 1;
	/* the port starts at the last ':' after an IPv6 literal's ']' */
	port = NULL;
	for (i = (size_t)(end - netloc); i > 0; i--) {
		if (netloc[i - 1] == ']')
			break;
		if (netloc[i - 1] == ':') {
			port = netloc + i - 1;
			break;
		}
	}
	hostlen = (size_t)((port != NULL ? port : end) - netloc);
	if (hostlen == 0 || hostlen >= sizeof(u->host) - 8)
		return bad_url(url, "has no host name", err);
	for (i = 0; i < hostlen; i++)
		u->host[i] = (char)tolower((unsigned char)netloc[i]);
	u->host[hostlen] = '\0';
	if (port != NULL && port + 1 < end) {
		size_t plen = (size_t)(end - port - 1);
		long n;
		char digits[8];

		if (plen >= sizeof(digits) || strspn(port + 1, "0123456789") < plen)
			return bad_url(url, "has a malformed port", err);
		memcpy(digits, port + 1, plen);
		digits[plen] = '\0';
		n = strtol(digits, NULL, 10);
		if (n != (https ? 443 : 80))
			snprintf(u->host + hostlen, sizeof(u->host) - hostlen, ":%ld", n);
	}
	u->path = *end != '\0' ? end : NULL;
	return 0;
}

/* --- presigning --------------------------------------------------------------- */

static void
base64url(struct buf *out, const unsigned char *in, size_t len)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char quad[4];
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		quad[0] = abc[in[i] >> 2];
		quad[1] = abc[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		quad[2] = abc[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
		quad[3] = abc[in[i + 2] & 63];
		buf_add(out, quad, 4);
	}
	if (len - i == 1) {
		quad[0] = abc[in[i] >> 2];
		quad[1] = abc[(in[i] & 3) << 4];
		buf_add(out, quad, 2);
	} else if (len - i == 2) {
		quad[0] = abc[in[i] >> 2];
		quad[1] = abc[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		quad[2] = abc[(in[i + 1] & 15) << 2];
		buf_add(out, quad, 3);
	}
}

/* Appends, from the query sigv4_presign() wrote, the parameter called name
 * ("&name=value"), if it is there. */
static void
add_param(struct buf *out, const char *query, const char *name)
{
	size_t n = strlen(name);
	const char *p = query;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			buf_addch(out, '&');
			buf_add(out, p, strcspn(p, "&"));
			return;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
}

/* A cluster name or id: not empty, no control characters (it is a signed
 * header value). Returns 0, or -1 with err set. */
static int
check_cluster(const char *id, struct irsa_error *err)
{
	const unsigned char *p;

	for (p = (const unsigned char *)id; p != NULL && *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			break;
	if (id != NULL && *id != '\0' && *p == '\0')
		return 0;
	irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no valid cluster name or id to make an EKS token for");
	return irsa_error_hint(err, "Give --cluster-name NAME (or --cluster-id ID for an Outposts local cluster).");
}

int
eks_token_presign(const struct eks_token_request *req, const struct sigv4_credentials *creds, struct eks_token *out,
                  struct irsa_error *err)
{
	struct sigv4_header headers[2];
	struct sigv4_request sr;
	struct sigv4_result res;
	struct sts_url u;
	struct buf url, tok;
	time_t now;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (check_cluster(req->cluster_id, err) != 0)
		return -1;
	if (req->sts_url == NULL || sts_url_parse(req->sts_url, &u, err) != 0)
		return req->sts_url == NULL ? irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no STS endpoint") : -1;
	now = req->now != 0 ? req->now : time(NULL);

	headers[0] = (struct sigv4_header){"host", u.host};
	headers[1] = (struct sigv4_header){EKS_TOKEN_ID_HEADER, req->cluster_id};
	memset(&sr, 0, sizeof(sr));
	sr.method = "GET";
	sr.path = u.path;
	sr.query = OWN_QUERY;
	sr.headers = headers;
	sr.n_headers = 2;
	sr.region = req->signing_region;
	sr.service = "sts";
	sr.time = now;
	sr.normalize_path = true;
	sr.expires = EKS_TOKEN_URL_EXPIRES;
	if (sigv4_presign(&sr, creds, &res, err) != 0) {
		irsa_error_prefix(err, "cannot presign the EKS token's URL");
		return -1;
	}

	/* The URL as botocore builds it: the endpoint as configured ("/" when it
	 * has no path), then the query in botocore's order. */
	buf_init(&url, TOKEN_MAX_TEXT);
	buf_addstr(&url, req->sts_url);
	if (u.path == NULL)
		buf_addch(&url, '/');
	buf_addstr(&url, "?" OWN_QUERY);
	for (i = 0; i < N_QUERY_ORDER; i++)
		add_param(&url, res.query, query_order[i]);
	sigv4_result_release(&res);

	buf_init(&tok, TOKEN_MAX_TEXT);
	buf_addstr(&tok, EKS_TOKEN_PREFIX);
	if (!url.failed)
		base64url(&tok, (const unsigned char *)url.data, url.len);
	if (url.failed || tok.failed) {
		bool limit = url.error == E2BIG || tok.error == E2BIG;

		buf_release_secure(&url);
		buf_release_secure(&tok);
		return limit ? irsa_error_set(err, IRSA_ERR_LIMIT, "the EKS token would exceed %d bytes",
		                              TOKEN_MAX_TEXT)
		             : oom(err);
	}
	out->url = buf_detach(&url);
	out->token = buf_detach(&tok);
	out->expiration = now + EKS_TOKEN_LIFETIME;
	if (out->url == NULL || out->token == NULL) {
		eks_token_release(out);
		return oom(err);
	}
	return 0;
}

/* --- with the credential chain ------------------------------------------------ */

/* AssumeRole(role_arn, EKSGetTokenAuth) with the chain's keys, as awscli's
 * STSClientFactory._get_role_credentials: an STS client for the same
 * region (the global endpoint without one). */
static int
assume_role(const struct aws_config *cfg, const char *profile, const char *region, struct aws_creds *creds,
            const char *role_arn, struct aws_credentials *out, struct irsa_error *err)
{
	struct aws_sts_assume_role in;
	struct aws_sts_credentials got;
	struct aws_client *c;
	int rc;

	c = aws_client_new_borrowing(NULL, cfg, profile, region != NULL ? region : "aws-global", creds, NULL, err);
	if (c == NULL)
		return -1;
	memset(&in, 0, sizeof(in));
	in.role_arn = role_arn;
	in.session_name = EKS_TOKEN_SESSION_NAME;
	rc = aws_sts_assume_role(c, &in, &got, err);
	if (rc == 0) /* a failure already names the role */
		rc = aws_sts_to_credentials(&got, out, err);
	aws_sts_credentials_release(&got);
	aws_client_free(c);
	return rc;
}

int
eks_token_get(const struct eks_token_options *opt, struct eks_token *out, struct irsa_error *err)
{
	struct aws_flags flags = {opt->profile, opt->region};
	struct aws_config *cfg = NULL;
	struct aws_creds *creds = NULL;
	struct aws_credentials keys;
	struct aws_endpoint ep;
	struct eks_token_request req;
	struct sigv4_credentials sc;
	struct irsa_error ignored;
	const char *profile;
	char *region = NULL;
	bool explicit_flag;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&keys, 0, sizeof(keys));
	memset(&ep, 0, sizeof(ep));
	if (check_cluster(opt->cluster_id, err) != 0)
		return -1;
	if (aws_config_load_env(opt->env, &cfg, err) != 0 ||
	    aws_config_resolve_profile(cfg, &flags, &profile, &explicit_flag, err) != 0)
		goto done;
	/* No region is no error: botocore's STS then uses the global endpoint. */
	region = aws_config_resolve_region(cfg, &flags, profile, &ignored);
	if (aws_endpoint_resolve(cfg, profile, AWS_SERVICE_STS, region != NULL ? region : "aws-global", NULL, &ep,
	                         err) != 0)
		goto done;
	if (ep.custom && region == NULL) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "the STS endpoint %s (from %s) needs a region to sign the EKS token for", ep.url,
		               ep.source);
		irsa_error_hint(err, "Give --region, or set AWS_REGION or the profile's region.");
		goto done;
	}
	log_debug("EKS token for %s: STS endpoint %s (%s), signing region %s", opt->cluster_id, ep.url, ep.source,
	          ep.signing_region);
	creds = aws_creds_new(cfg, profile, explicit_flag, region, err);
	if (creds == NULL)
		goto done;
	if (opt->role_arn != NULL && *opt->role_arn != '\0')
		rc = assume_role(cfg, profile, region, creds, opt->role_arn, &keys, err);
	else
		rc = aws_creds_get(creds, &keys, err);
	if (rc != 0)
		goto done;
	sc = (struct sigv4_credentials){keys.access_key_id, keys.secret_access_key, keys.session_token};
	req = (struct eks_token_request){opt->cluster_id, ep.url, ep.signing_region, time(NULL)};
	rc = eks_token_presign(&req, &sc, out, err);
done:
	aws_credentials_release(&keys);
	aws_creds_free(creds);
	aws_endpoint_release(&ep);
	free(region);
	aws_config_free(cfg);
	return rc;
}

/* --- the ExecCredential --------------------------------------------------------- */

/* Standard JSON, as json.loads reads it: surrounding white space and nothing
 * else. */
static struct json_object *
parse_strict(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	size_t len = strlen(s), used;

	if (tok == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, s, (int)len);
	used = json_tokener_get_parse_end(tok);
	if (o != NULL &&
	    (json_tokener_get_error(tok) != json_tokener_success || s[used + strspn(s + used, " \t\r\n")])) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

const char *
eks_exec_api_version(const char *exec_info, const char **warning)
{
	struct json_object *o;
	const char *v, *ret = EKS_EXEC_API_V1BETA1;

	*warning = NULL;
	if (exec_info == NULL || *exec_info == '\0')
		return ret;
	if ((o = parse_strict(exec_info)) == NULL) {
		*warning = warn_parse;
		return ret;
	}
	/* awscli would fail on a JSON value that is not an object; it is
	 * treated as one without apiVersion here. */
	v = jsonobj_str(o, "apiVersion");
	if (v != NULL && strcmp(v, EKS_EXEC_API_V1) == 0)
		ret = EKS_EXEC_API_V1;
	else if (v != NULL && strcmp(v, EKS_EXEC_API_V1BETA1) == 0)
		ret = EKS_EXEC_API_V1BETA1;
	else if (v != NULL && strcmp(v, EKS_EXEC_API_V1ALPHA1) == 0) {
		ret = EKS_EXEC_API_V1ALPHA1;
		*warning = warn_alpha;
	} else {
		*warning = warn_unknown;
	}
	json_object_put(o);
	return ret;
}

char *
eks_exec_credential(const char *api_version, const struct eks_token *t, struct irsa_error *err)
{
	char when[EKS_TOKEN_TIME_LEN];
	struct buf b;
	char *s;

	/* Every value is ours and needs no JSON escaping: a fixed apiVersion,
	 * a timestamp and base64url. */
	buf_init(&b, TOKEN_MAX_TEXT + 512);
	buf_printf(&b,
	           "{\n"
	           "    \"kind\": \"ExecCredential\",\n"
	           "    \"apiVersion\": \"%s\",\n"
	           "    \"spec\": {},\n"
	           "    \"status\": {\n"
	           "        \"expirationTimestamp\": \"%s\",\n"
	           "        \"token\": \"%s\"\n"
	           "    }\n"
	           "}\n\n",
	           api_version, eks_token_format_time(t->expiration, when, sizeof(when)), t->token);
	if (b.failed) {
		buf_release_secure(&b);
		oom(err);
		return NULL;
	}
	s = buf_detach(&b);
	if (s == NULL)
		oom(err);
	return s;
}
