/* core/sigv4.c - AWS Signature Version 4, written by hand on OpenSSL 3 (EVP).
 * Builds the canonical request, the string to sign and the signature for
 * header signing and presigning, and what to add to the request. Owns nothing
 * beyond a call except the result it hands back. Every temporary that holds
 * the secret key, a derived key or the session token is wiped before it is
 * freed; buffers that will receive the token are sized first so that no
 * realloc leaves a copy behind. No I/O. */
#include "config.h"

#include "sigv4.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#define SHA256_LEN 32

enum sign_mode {
	SIGN_HEADERS, /* Authorization header */
	SIGN_QUERY,   /* presigned URL */
};

/* Headers botocore never signs (SIGNED_HEADERS_BLACKLIST): hop-by-hop, or
 * rewritten by proxies and load balancers. They are sent, not signed. */
static const char *const unsigned_headers[] = {
        "connection", "expect",  "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer",    "upgrade", "user-agent", "transfer-encoding",  "x-amzn-trace-id",
};

/* Headers signing adds; a caller giving them is a mistake. */
static const char *const reserved_headers[] = {"authorization", "x-amz-date", "x-amz-security-token"};

struct sig_header {
	char *name;        /* lower case; owned */
	const char *value; /* borrowed */
	size_t order;      /* arrival order: repeated headers keep it */
};

struct sig_param {
	char *name;  /* percent-encoded; owned, wiped */
	char *value; /* percent-encoded; owned, wiped */
};

struct sig_params {
	struct sig_param *v;
	size_t n, cap;
};

/* One signing in progress. */
struct signing {
	const struct sigv4_request *req;
	const struct sigv4_credentials *creds;
	enum sign_mode mode;
	const char *token; /* the session token, NULL without one */
	bool sign_token;   /* the token is part of the canonical request */
	char amz_date[17]; /* YYYYMMDDTHHMMSSZ */
	char date[9];      /* YYYYMMDD */
	char payload_hash[SIGV4_HEX_LEN + 1];
	char expires[16];
	struct sig_header *hdrs;
	size_t n_hdrs;
	struct sig_params params;
	struct buf scope;          /* date/region/service/aws4_request */
	struct buf signed_headers; /* a;b;c */
	struct buf canonical;      /* the canonical request */
};

static bool
sig_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

static bool
sig_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
sig_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
sig_tohex(const unsigned char *bin, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		hex[2 * i] = digits[bin[i] >> 4];
		hex[2 * i + 1] = digits[bin[i] & 0xf];
	}
	hex[2 * len] = '\0';
}

/* Frees s after overwriting it: it may hold the session token. */
static void
sig_free_secret(char *s)
{
	if (s != NULL) {
		buf_wipe(s, strlen(s));
		free(s);
	}
}

/* Grows b to hold n bytes before anything secret is written, so that no
 * later realloc leaves a copy of a secret in freed memory. Best effort: a
 * failure here shows again on the real append. */
static void
sig_presize(struct buf *b, size_t n)
{
	if (n > b->max)
		n = b->max;
	if (n == 0 || n > INT_MAX)
		return;
	buf_printf(b, "%*s", (int)n, "");
	buf_reset(b);
}

/* Fills err for a failed buffer. Returns -1. */
static int
sig_buf_error(const struct buf *b, const char *what, struct irsa_error *err)
{
	if (b->error == E2BIG)
		return irsa_error_set(err, IRSA_ERR_LIMIT, "SigV4: the %s would exceed %zu bytes", what, b->max);
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "SigV4: out of memory building the %s", what);
}

static int
sig_oom(struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "SigV4: out of memory");
}

/* --- the pieces ----------------------------------------------------------- */

int
sigv4_uri_encode(struct buf *out, const char *s, size_t len, bool keep_slash)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (sig_unreserved(c) || (keep_slash && c == '/')) {
			buf_addch(out, (char)c);
		} else {
			char e[3] = {'%', digits[c >> 4], digits[c & 0xf]};

			buf_add(out, e, sizeof(e));
		}
	}
	return out->failed ? -1 : 0;
}

/* Decodes %XX escapes; a '%' not followed by two hex digits stays itself. */
static int
sig_uri_decode(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < len && (hi = sig_hexval(s[i + 1])) >= 0 &&
		    (lo = sig_hexval(s[i + 2])) >= 0) {
			buf_addch(out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			buf_addch(out, s[i]);
		}
	}
	return out->failed ? -1 : 0;
}

int
sigv4_canonical_path(struct buf *out, const char *path, bool normalize)
{
	const char *p, *last;
	size_t base = out->len;
	bool trailing;

	if (path == NULL || *path == '\0')
		return buf_addch(out, '/');
	if (!normalize) {
		if (*path != '/')
			buf_addch(out, '/');
		return sigv4_uri_encode(out, path, strlen(path), true);
	}

	/* RFC 3986 5.2.4 over whole segments, written straight to out: a ".."
	 * takes back the last "/segment" written. Empty segments ("//") go. */
	for (p = path; *p != '\0';) {
		const char *start;
		size_t len;

		while (*p == '/')
			p++;
		start = p;
		while (*p != '\0' && *p != '/')
			p++;
		len = (size_t)(p - start);
		if (len == 0 || (len == 1 && start[0] == '.'))
			continue;
		if (len == 2 && start[0] == '.' && start[1] == '.') {
			while (out->len > base && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > base)
				out->len--;
			if (out->data != NULL)
				out->data[out->len] = '\0';
			continue;
		}
		buf_addch(out, '/');
		sigv4_uri_encode(out, start, len, false);
	}
	/* A path naming a directory keeps saying so: "/a/", "/a/b/.." and "/a/." end in '/'. */
	last = strrchr(path, '/');
	last = last != NULL ? last + 1 : path;
	trailing = *last == '\0' || strcmp(last, ".") == 0 || strcmp(last, "..") == 0;
	if (out->len == base || trailing)
		buf_addch(out, '/');
	return out->failed ? -1 : 0;
}

int
sigv4_header_value(struct buf *out, const char *value)
{
	bool pending = false, started = false;
	const char *p;

	for (p = value; *p != '\0'; p++) {
		if (sig_space(*p)) {
			pending = started;
			continue;
		}
		if (pending)
			buf_addch(out, ' ');
		pending = false;
		started = true;
		buf_addch(out, *p);
	}
	return out->failed ? -1 : 0;
}

int
sigv4_sha256_hex(const void *data, size_t len, char hex[SIGV4_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(data != NULL ? data : "", len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != SHA256_LEN) {
		hex[0] = '\0';
		return -1;
	}
	sig_tohex(md, SHA256_LEN, hex);
	return 0;
}

/* --- query parameters ----------------------------------------------------- */

/* Percent-decodes (when decode) then encodes s[0..len) into a new string. */
static char *
sig_param_encode(const char *s, size_t len, bool decode)
{
	struct buf raw, enc;
	char *r = NULL;

	buf_init(&raw, SIGV4_MAX_TEXT);
	buf_init(&enc, SIGV4_MAX_TEXT);
	sig_presize(&raw, len + 1);
	if (decode)
		sig_uri_decode(&raw, s, len);
	else
		buf_add(&raw, s, len);
	if (!raw.failed) {
		sig_presize(&enc, 3 * raw.len + 1);
		if (sigv4_uri_encode(&enc, buf_cstr(&raw), raw.len, false) == 0)
			r = buf_detach(&enc);
	}
	buf_release_secure(&raw);
	buf_release_secure(&enc);
	return r;
}

static int
sig_params_add(struct sig_params *ps, const char *name, size_t nlen, const char *value, size_t vlen, bool decode)
{
	struct sig_param p;

	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct sig_param *v = realloc(ps->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		ps->v = v;
		ps->cap = cap;
	}
	p.name = sig_param_encode(name, nlen, decode);
	p.value = sig_param_encode(value, vlen, decode);
	if (p.name == NULL || p.value == NULL) {
		sig_free_secret(p.name);
		sig_free_secret(p.value);
		return -1;
	}
	ps->v[ps->n++] = p;
	return 0;
}

/* Adds a parameter given unencoded. */
static int
sig_param_add(struct sig_params *ps, const char *name, const char *value)
{
	return sig_params_add(ps, name, strlen(name), value, strlen(value), false);
}

/* Splits a raw query on '&' and the first '=' of each part. */
static int
sig_params_parse(struct sig_params *ps, const char *query)
{
	const char *p = query, *end, *eq;

	if (query == NULL)
		return 0;
	while (*p != '\0') {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p) {
			eq = memchr(p, '=', (size_t)(end - p));
			if (eq == NULL)
				eq = end;
			if (sig_params_add(ps, p, (size_t)(eq - p), eq < end ? eq + 1 : end,
			                   eq < end ? (size_t)(end - eq - 1) : 0, true) == -1)
				return -1;
		}
		p = *end == '&' ? end + 1 : end;
	}
	return 0;
}

static int
sig_param_cmp(const void *a, const void *b)
{
	const struct sig_param *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

/* Sorts the parameters and writes them as name=value&... */
static int
sig_params_write(struct sig_params *ps, struct buf *out)
{
	size_t i;

	if (ps->n > 1)
		qsort(ps->v, ps->n, sizeof(*ps->v), sig_param_cmp);
	for (i = 0; i < ps->n; i++) {
		if (i > 0)
			buf_addch(out, '&');
		buf_addstr(out, ps->v[i].name);
		buf_addch(out, '=');
		buf_addstr(out, ps->v[i].value);
	}
	return out->failed ? -1 : 0;
}

static size_t
sig_params_size(const struct sig_params *ps)
{
	size_t i, n = 0;

	for (i = 0; i < ps->n; i++)
		n += strlen(ps->v[i].name) + strlen(ps->v[i].value) + 2;
	return n;
}

static void
sig_params_release(struct sig_params *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		sig_free_secret(ps->v[i].name);
		sig_free_secret(ps->v[i].value);
	}
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

int
sigv4_canonical_query(struct buf *out, const char *query)
{
	struct sig_params ps = {0};
	int rc = -1;

	if (sig_params_parse(&ps, query) == 0)
		rc = sig_params_write(&ps, out);
	else if (!out->failed) {
		out->failed = true;
		out->error = ENOMEM;
	}
	sig_params_release(&ps);
	return rc;
}

/* --- checking the input --------------------------------------------------- */

static bool
sig_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Region, service and access key id end up in "AKID/date/region/service/...". */
static bool
sig_scope_word(const char *s)
{
	for (; *s != '\0'; s++)
		if (!sig_unreserved((unsigned char)*s))
			return false;
	return true;
}

/* An HTTP token (RFC 9110): header names and methods. */
static bool
sig_http_token(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", *s) != NULL)
			return false;
	return true;
}

static bool
sig_in(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return true;
	return false;
}

#define SIG_IN(name, list) sig_in((name), (list), sizeof(list) / sizeof((list)[0]))

static int
sig_check(const struct sigv4_request *req, const struct sigv4_credentials *creds, enum sign_mode mode,
          struct irsa_error *err)
{
	bool host = false;
	size_t i;

	if (req == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: no request to sign");
	if (creds == NULL || sig_empty(creds->access_key_id) || sig_empty(creds->secret_access_key)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: no AWS credentials to sign the request with");
		return irsa_error_hint(err, "Configure an access key (aws configure, or AWS_ACCESS_KEY_ID and "
		                            "AWS_SECRET_ACCESS_KEY).");
	}
	if (!sig_scope_word(creds->access_key_id))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "SigV4: the access key id holds characters an access key id cannot have");
	if (sig_empty(req->region)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: no region to sign the request for");
		return irsa_error_hint(err, "Set a region: --region, AWS_REGION, or region= in the profile.");
	}
	if (!sig_scope_word(req->region))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: \"%s\" is not a region name", req->region);
	if (sig_empty(req->service))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: no service name to sign the request for");
	if (!sig_scope_word(req->service))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: \"%s\" is not a service name", req->service);
	if (sig_empty(req->method) || !sig_http_token(req->method))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: the request has no valid HTTP method");
	if (req->body == NULL && req->body_len > 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: the request has a body length but no body");
	if (req->headers == NULL && req->n_headers > 0)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "SigV4: the request has a header count but no headers");
	for (i = 0; i < req->n_headers; i++) {
		const struct sigv4_header *h = &req->headers[i];

		if (h->name == NULL || h->value == NULL || !sig_http_token(h->name))
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "SigV4: header %zu has no valid name or value", i + 1);
		if (SIG_IN(h->name, reserved_headers) ||
		    (mode == SIGN_HEADERS && req->sign_body && strcasecmp(h->name, "x-amz-content-sha256") == 0))
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "SigV4: the request already has a %s header; signing adds it", h->name);
		if (strcasecmp(h->name, "host") == 0)
			host = true;
	}
	if (!host)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: the request has no Host header to sign");
	if (mode == SIGN_QUERY && (req->expires == 0 || req->expires > SIGV4_MAX_EXPIRES))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "SigV4: a presigned URL must expire after 1 to %d seconds, not %u",
		                      SIGV4_MAX_EXPIRES, req->expires);
	return 0;
}

/* --- signing -------------------------------------------------------------- */

static void
sig_init(struct signing *s, const struct sigv4_request *req, const struct sigv4_credentials *creds, enum sign_mode mode)
{
	memset(s, 0, sizeof(*s));
	s->req = req;
	s->creds = creds;
	s->mode = mode;
	s->token = sig_empty(creds->session_token) ? NULL : creds->session_token;
	s->sign_token = s->token != NULL && !req->omit_session_token;
	buf_init(&s->scope, SIGV4_MAX_TEXT);
	buf_init(&s->signed_headers, SIGV4_MAX_TEXT);
	buf_init(&s->canonical, SIGV4_MAX_TEXT);
}

static void
sig_release(struct signing *s)
{
	size_t i;

	for (i = 0; i < s->n_hdrs; i++)
		free(s->hdrs[i].name);
	free(s->hdrs);
	sig_params_release(&s->params);
	buf_release(&s->scope);
	buf_release(&s->signed_headers);
	buf_release_secure(&s->canonical);
	memset(s, 0, sizeof(*s));
}

static int
sig_time(struct signing *s, struct irsa_error *err)
{
	time_t t = s->req->time != 0 ? s->req->time : time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(s->amz_date, sizeof(s->amz_date), "%Y%m%dT%H%M%SZ", &tm) != 16)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "SigV4: the signing time is not a usable date");
	memcpy(s->date, s->amz_date, 8);
	s->date[8] = '\0';
	buf_printf(&s->scope, "%s/%s/%s/aws4_request", s->date, s->req->region, s->req->service);
	if (s->scope.failed)
		return sig_buf_error(&s->scope, "credential scope", err);
	return 0;
}

static int
sig_header_add(struct signing *s, const char *name, const char *value)
{
	struct sig_header *h = &s->hdrs[s->n_hdrs];
	char *p;

	h->name = strdup(name);
	if (h->name == NULL)
		return -1;
	for (p = h->name; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	h->value = value;
	h->order = s->n_hdrs++;
	return 0;
}

static int
sig_header_cmp(const void *a, const void *b)
{
	const struct sig_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The headers to sign, sorted, and the SignedHeaders list. */
static int
sig_headers(struct signing *s, struct irsa_error *err)
{
	const struct sigv4_request *req = s->req;
	size_t i;

	s->hdrs = calloc(req->n_headers + 3, sizeof(*s->hdrs));
	if (s->hdrs == NULL)
		return sig_oom(err);
	for (i = 0; i < req->n_headers; i++)
		if (!SIG_IN(req->headers[i].name, unsigned_headers) &&
		    sig_header_add(s, req->headers[i].name, req->headers[i].value) == -1)
			return sig_oom(err);
	if (s->mode == SIGN_HEADERS) {
		if (sig_header_add(s, "x-amz-date", s->amz_date) == -1)
			return sig_oom(err);
		if (req->sign_body && sig_header_add(s, "x-amz-content-sha256", s->payload_hash) == -1)
			return sig_oom(err);
		if (s->sign_token && sig_header_add(s, "x-amz-security-token", s->token) == -1)
			return sig_oom(err);
	}
	qsort(s->hdrs, s->n_hdrs, sizeof(*s->hdrs), sig_header_cmp);
	for (i = 0; i < s->n_hdrs; i++) {
		if (i > 0 && strcmp(s->hdrs[i].name, s->hdrs[i - 1].name) == 0)
			continue;
		if (i > 0)
			buf_addch(&s->signed_headers, ';');
		buf_addstr(&s->signed_headers, s->hdrs[i].name);
	}
	if (s->signed_headers.failed)
		return sig_buf_error(&s->signed_headers, "signed header list", err);
	return 0;
}

/* The request's own parameters, and for presigning the X-Amz-* ones. */
static int
sig_query(struct signing *s, struct irsa_error *err)
{
	struct sig_params *ps = &s->params;
	struct buf cred;
	int rc = 0;

	if (sig_params_parse(ps, s->req->query) == -1)
		return sig_oom(err);
	if (s->mode != SIGN_QUERY)
		return 0;
	buf_init(&cred, SIGV4_MAX_TEXT);
	buf_printf(&cred, "%s/%s", s->creds->access_key_id, buf_cstr(&s->scope));
	snprintf(s->expires, sizeof(s->expires), "%u", s->req->expires);
	if (cred.failed)
		rc = sig_buf_error(&cred, "credential", err);
	else if (sig_param_add(ps, "X-Amz-Algorithm", SIGV4_ALGORITHM) == -1 ||
	         sig_param_add(ps, "X-Amz-Credential", buf_cstr(&cred)) == -1 ||
	         sig_param_add(ps, "X-Amz-Date", s->amz_date) == -1 ||
	         sig_param_add(ps, "X-Amz-Expires", s->expires) == -1 ||
	         sig_param_add(ps, "X-Amz-SignedHeaders", buf_cstr(&s->signed_headers)) == -1 ||
	         (s->sign_token && sig_param_add(ps, "X-Amz-Security-Token", s->token) == -1))
		rc = sig_oom(err);
	buf_release(&cred);
	return rc;
}

static int
sig_canonical(struct signing *s, struct irsa_error *err)
{
	const struct sigv4_request *req = s->req;
	struct buf *c = &s->canonical;
	size_t i, size;

	size = strlen(req->method) + 3 * (req->path != NULL ? strlen(req->path) : 0) + sig_params_size(&s->params) +
	       s->signed_headers.len + SIGV4_HEX_LEN + 16;
	for (i = 0; i < s->n_hdrs; i++)
		size += strlen(s->hdrs[i].name) + strlen(s->hdrs[i].value) + 2;
	sig_presize(c, size);

	buf_addstr(c, req->method);
	buf_addch(c, '\n');
	sigv4_canonical_path(c, req->path, req->normalize_path);
	buf_addch(c, '\n');
	sig_params_write(&s->params, c);
	buf_addch(c, '\n');
	for (i = 0; i < s->n_hdrs; i++) {
		bool repeat = i > 0 && strcmp(s->hdrs[i].name, s->hdrs[i - 1].name) == 0;

		if (repeat) {
			buf_addch(c, ',');
		} else {
			if (i > 0)
				buf_addch(c, '\n');
			buf_addstr(c, s->hdrs[i].name);
			buf_addch(c, ':');
		}
		sigv4_header_value(c, s->hdrs[i].value);
	}
	if (s->n_hdrs > 0)
		buf_addch(c, '\n');
	buf_addch(c, '\n');
	buf_addstr(c, buf_cstr(&s->signed_headers));
	buf_addch(c, '\n');
	buf_addstr(c, s->payload_hash);
	if (c->failed)
		return sig_buf_error(c, "canonical request", err);
	return 0;
}

static int
sig_hmac(const void *key, size_t keylen, const void *msg, size_t msglen, unsigned char out[SHA256_LEN])
{
	size_t outlen = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen, msg, msglen, out, SHA256_LEN, &outlen) == NULL ||
	    outlen != SHA256_LEN)
		return -1;
	return 0;
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
static int
sig_signing_key(const struct signing *s, unsigned char key[SHA256_LEN])
{
	const char *secret = s->creds->secret_access_key;
	size_t len = strlen(secret);
	unsigned char a[SHA256_LEN], b[SHA256_LEN];
	char *k;
	int rc = -1;

	k = malloc(len + 4);
	if (k == NULL)
		return -1;
	memcpy(k, "AWS4", 4);
	memcpy(k + 4, secret, len);
	if (sig_hmac(k, len + 4, s->date, strlen(s->date), a) == 0 &&
	    sig_hmac(a, SHA256_LEN, s->req->region, strlen(s->req->region), b) == 0 &&
	    sig_hmac(b, SHA256_LEN, s->req->service, strlen(s->req->service), a) == 0 &&
	    sig_hmac(a, SHA256_LEN, "aws4_request", strlen("aws4_request"), key) == 0)
		rc = 0;
	buf_wipe(k, len + 4);
	free(k);
	buf_wipe(a, sizeof(a));
	buf_wipe(b, sizeof(b));
	if (rc == -1)
		buf_wipe(key, SHA256_LEN);
	return rc;
}

static int
sig_signature(struct signing *s, struct sigv4_result *out, struct irsa_error *err)
{
	char hash[SIGV4_HEX_LEN + 1];
	unsigned char key[SHA256_LEN], sig[SHA256_LEN];
	struct buf sts;
	int rc = 0;

	if (sigv4_sha256_hex(out->canonical_request, strlen(out->canonical_request), hash) == -1)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "SigV4: OpenSSL could not hash the canonical request");
	buf_init(&sts, SIGV4_MAX_TEXT);
	buf_printf(&sts, "%s\n%s\n%s\n%s", SIGV4_ALGORITHM, s->amz_date, buf_cstr(&s->scope), hash);
	if (sts.failed) {
		rc = sig_buf_error(&sts, "string to sign", err);
		buf_release(&sts);
		return rc;
	}
	out->string_to_sign = buf_detach(&sts);
	if (out->string_to_sign == NULL)
		return sig_oom(err);
	if (sig_signing_key(s, key) == -1 ||
	    sig_hmac(key, sizeof(key), out->string_to_sign, strlen(out->string_to_sign), sig) == -1)
		rc = irsa_error_set(err, IRSA_ERR_INTERNAL, "SigV4: OpenSSL could not compute HMAC-SHA256");
	else
		sig_tohex(sig, sizeof(sig), out->signature);
	buf_wipe(key, sizeof(key));
	buf_wipe(sig, sizeof(sig));
	return rc;
}

static int
sig_result_add(struct sigv4_result *out, const char *name, char *value)
{
	if (value == NULL)
		return -1;
	out->headers[out->n_headers].name = name;
	out->headers[out->n_headers].value = value;
	out->n_headers++;
	return 0;
}

static int
sig_finish_headers(struct signing *s, struct sigv4_result *out, struct irsa_error *err)
{
	struct buf auth;

	if (s->token != NULL && sig_result_add(out, "X-Amz-Security-Token", strdup(s->token)) == -1)
		return sig_oom(err);
	if (sig_result_add(out, "X-Amz-Date", strdup(s->amz_date)) == -1)
		return sig_oom(err);
	if (s->req->sign_body && sig_result_add(out, "x-amz-content-sha256", strdup(s->payload_hash)) == -1)
		return sig_oom(err);
	buf_init(&auth, SIGV4_MAX_TEXT);
	buf_printf(&auth, "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s", SIGV4_ALGORITHM,
	           s->creds->access_key_id, buf_cstr(&s->scope), buf_cstr(&s->signed_headers), out->signature);
	if (auth.failed) {
		sig_buf_error(&auth, "Authorization header", err);
		buf_release_secure(&auth);
		return -1;
	}
	if (sig_result_add(out, "Authorization", buf_detach(&auth)) == -1)
		return sig_oom(err);
	return 0;
}

static int
sig_finish_query(struct signing *s, struct sigv4_result *out, struct irsa_error *err)
{
	const char *query = s->req->query != NULL ? s->req->query : "";
	size_t tlen = s->token != NULL ? strlen(s->token) : 0;
	struct buf q;

	buf_init(&q, SIGV4_MAX_TEXT);
	sig_presize(&q, strlen(query) +
	                        3 * (strlen(s->creds->access_key_id) + s->scope.len + s->signed_headers.len + tlen) +
	                        256);
	buf_addstr(&q, query);
	if (*query != '\0')
		buf_addch(&q, '&');
	buf_addstr(&q, "X-Amz-Algorithm=" SIGV4_ALGORITHM "&X-Amz-Credential=");
	sigv4_uri_encode(&q, s->creds->access_key_id, strlen(s->creds->access_key_id), false);
	buf_addstr(&q, "%2F");
	sigv4_uri_encode(&q, s->scope.data, s->scope.len, false);
	buf_printf(&q, "&X-Amz-Date=%s&X-Amz-SignedHeaders=", s->amz_date);
	sigv4_uri_encode(&q, s->signed_headers.data, s->signed_headers.len, false);
	buf_printf(&q, "&X-Amz-Expires=%s", s->expires);
	if (s->token != NULL) {
		buf_addstr(&q, "&X-Amz-Security-Token=");
		sigv4_uri_encode(&q, s->token, tlen, false);
	}
	buf_printf(&q, "&X-Amz-Signature=%s", out->signature);
	if (q.failed) {
		sig_buf_error(&q, "presigned query string", err);
		buf_release_secure(&q);
		return -1;
	}
	out->query = buf_detach(&q);
	return out->query != NULL ? 0 : sig_oom(err);
}

static int
sig_run(const struct sigv4_request *req, const struct sigv4_credentials *creds, enum sign_mode mode,
        struct sigv4_result *out, struct irsa_error *err)
{
	struct signing s;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (sig_check(req, creds, mode, err) == -1)
		return -1;
	sig_init(&s, req, creds, mode);
	if (sig_time(&s, err) == -1)
		goto done;
	if (sigv4_sha256_hex(req->body, req->body_len, s.payload_hash) == -1) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "SigV4: OpenSSL could not hash the request body");
		goto done;
	}
	if (sig_headers(&s, err) == -1 || sig_query(&s, err) == -1 || sig_canonical(&s, err) == -1)
		goto done;
	out->canonical_request = buf_detach(&s.canonical);
	if (out->canonical_request == NULL) {
		sig_oom(err);
		goto done;
	}
	if (sig_signature(&s, out, err) == -1)
		goto done;
	rc = mode == SIGN_HEADERS ? sig_finish_headers(&s, out, err) : sig_finish_query(&s, out, err);
done:
	sig_release(&s);
	if (rc == -1)
		sigv4_result_release(out);
	return rc;
}

int
sigv4_sign_headers(const struct sigv4_request *req, const struct sigv4_credentials *creds, struct sigv4_result *out,
                   struct irsa_error *err)
{
	return sig_run(req, creds, SIGN_HEADERS, out, err);
}

int
sigv4_presign(const struct sigv4_request *req, const struct sigv4_credentials *creds, struct sigv4_result *out,
              struct irsa_error *err)
{
	return sig_run(req, creds, SIGN_QUERY, out, err);
}

const char *
sigv4_result_header(const struct sigv4_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_headers; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

void
sigv4_result_release(struct sigv4_result *r)
{
	size_t i;

	sig_free_secret(r->canonical_request);
	sig_free_secret(r->string_to_sign);
	sig_free_secret(r->query);
	for (i = 0; i < r->n_headers; i++)
		sig_free_secret(r->headers[i].value);
	buf_wipe(r, sizeof(*r));
}
