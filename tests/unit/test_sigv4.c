/* tests/unit/test_sigv4.c - SigV4 signing: every case of the aws-c-auth v4
 * suite (tests/data/sigv4, found at run time) in both variants and at every
 * stage, the AWS documentation's IAM example, the EKS token, the helpers,
 * the errors, and that the secret key never shows in a result. */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "buf.h"
#include "error.h"
#include "sigv4.h"

#define EXAMPLE_AKID   "AKIDEXAMPLE"
#define EXAMPLE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define EXAMPLE_TIME   1440938160 /* 2015-08-30T12:36:00Z */
#define EMPTY_SHA256   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define MAX_HEADERS    32

/* The suite as vendored: a case missing from the directory fails the run. */
static const char *const suite_names[] = {
        "get-header-key-duplicate",
        "get-header-value-multiline",
        "get-header-value-order",
        "get-header-value-trim",
        "get-relative-normalized",
        "get-relative-relative-normalized",
        "get-relative-relative-unnormalized",
        "get-relative-unnormalized",
        "get-slash-dot-slash-normalized",
        "get-slash-dot-slash-unnormalized",
        "get-slash-normalized",
        "get-slash-pointless-dot-normalized",
        "get-slash-pointless-dot-unnormalized",
        "get-slash-unnormalized",
        "get-slashes-normalized",
        "get-slashes-unnormalized",
        "get-space-normalized",
        "get-space-unnormalized",
        "get-unreserved",
        "get-utf8",
        "get-vanilla",
        "get-vanilla-empty-query-key",
        "get-vanilla-query",
        "get-vanilla-query-order-encoded",
        "get-vanilla-query-order-key-case",
        "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query",
        "get-vanilla-with-session-token",
        "post-header-key-case",
        "post-header-key-sort",
        "post-header-value-case",
        "post-sts-header-after",
        "post-sts-header-before",
        "post-vanilla",
        "post-vanilla-empty-query-value",
        "post-vanilla-query",
        "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters",
};
#define N_SUITE (sizeof(suite_names) / sizeof(suite_names[0]))

/* One case directory, found at run time; each gives two tests. */
struct suite_case {
	char *name;
	char *dir;
	char *test_name[2]; /* "header: NAME", "query: NAME" */
};

static struct suite_case *cases;
static size_t n_cases;
static char *suite_dir;

/* request.txt, parsed. */
struct parsed_request {
	char *text;
	char *method, *target, *path, *query, *version;
	struct buf header_lines; /* the header lines as in the file, each ending in "\n" */
	char *names[MAX_HEADERS], *values[MAX_HEADERS];
	struct sigv4_header headers[MAX_HEADERS];
	size_t n_headers;
	const char *body;
	size_t body_len;
};

/* context.json, parsed. */
struct parsed_context {
	struct json_object *root;
	struct sigv4_credentials creds;
	const char *region, *service;
	time_t time;
	unsigned expires;
	bool normalize, sign_body, omit_session_token;
};

/* --- reading the suite ---------------------------------------------------- */

static char *
read_file(const char *dir, const char *name, size_t *lenp)
{
	char path[PATH_MAX];
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_add(&b, chunk, n), 0);
	fclose(f);
	if (lenp != NULL)
		*lenp = b.len;
	return buf_detach(&b);
}

static char *
dup_range(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	assert_non_null(p);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* An HTTP/1.1 request: request line, header lines (a line starting with
 * whitespace continues the previous value), blank line, body. The path on
 * the request line may hold spaces (get-space-*), so the version is what
 * follows the last space. */
static void
request_parse(struct parsed_request *r, const char *dir)
{
	size_t len, pos, eol;
	const char *t, *sp1, *sp2, *q;

	memset(r, 0, sizeof(*r));
	buf_init(&r->header_lines, 1 << 20);
	r->text = read_file(dir, "request.txt", &len);
	t = r->text;
	eol = strcspn(t, "\n");
	sp1 = memchr(t, ' ', eol);
	assert_non_null(sp1);
	for (sp2 = t + eol; sp2 > sp1 && *sp2 != ' '; sp2--)
		;
	assert_true(sp2 > sp1);
	r->method = dup_range(t, (size_t)(sp1 - t));
	r->target = dup_range(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	r->version = dup_range(sp2 + 1, (size_t)(t + eol - sp2 - 1));
	q = strchr(r->target, '?');
	r->path = dup_range(r->target, q != NULL ? (size_t)(q - r->target) : strlen(r->target));
	r->query = q != NULL ? strdup(q + 1) : NULL;

	pos = eol < len ? eol + 1 : len;
	r->body = t + len;
	while (pos < len) {
		const char *line = t + pos, *colon;
		size_t llen = strcspn(line, "\n");

		eol = pos + llen;
		if (llen == 0) {
			r->body = t + eol + 1;
			break;
		}
		buf_add(&r->header_lines, line, llen);
		buf_addch(&r->header_lines, '\n');
		if (line[0] == ' ' || line[0] == '\t') {
			struct buf v;

			assert_true(r->n_headers > 0);
			buf_init(&v, 1 << 20);
			buf_printf(&v, "%s\n%.*s", r->values[r->n_headers - 1], (int)llen, line);
			free(r->values[r->n_headers - 1]);
			r->values[r->n_headers - 1] = buf_detach(&v);
		} else {
			colon = memchr(line, ':', llen);
			assert_non_null(colon);
			assert_true(r->n_headers < MAX_HEADERS);
			r->names[r->n_headers] = dup_range(line, (size_t)(colon - line));
			r->values[r->n_headers] = dup_range(colon + 1, llen - (size_t)(colon + 1 - line));
			r->n_headers++;
		}
		pos = eol < len ? eol + 1 : len;
	}
	r->body_len = (size_t)(t + len - r->body);
	for (pos = 0; pos < r->n_headers; pos++) {
		r->headers[pos].name = r->names[pos];
		r->headers[pos].value = r->values[pos];
	}
	assert_false(r->header_lines.failed);
}

static void
request_release(struct parsed_request *r)
{
	size_t i;

	for (i = 0; i < r->n_headers; i++) {
		free(r->names[i]);
		free(r->values[i]);
	}
	free(r->text);
	free(r->method);
	free(r->target);
	free(r->path);
	free(r->query);
	free(r->version);
	buf_release(&r->header_lines);
}

static const char *
ctx_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static bool
ctx_bool(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static time_t
iso8601_time(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(s, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	                        &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static void
context_parse(struct parsed_context *c, const char *dir)
{
	char path[PATH_MAX];
	struct json_object *creds, *v;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/context.json", dir);
	c->root = json_object_from_file(path);
	assert_non_null(c->root);
	assert_true(json_object_object_get_ex(c->root, "credentials", &creds));
	c->creds.access_key_id = ctx_str(creds, "access_key_id");
	c->creds.secret_access_key = ctx_str(creds, "secret_access_key");
	c->creds.session_token = ctx_str(creds, "token");
	c->region = ctx_str(c->root, "region");
	c->service = ctx_str(c->root, "service");
	assert_non_null(ctx_str(c->root, "timestamp"));
	c->time = iso8601_time(ctx_str(c->root, "timestamp"));
	if (json_object_object_get_ex(c->root, "expiration_in_seconds", &v))
		c->expires = (unsigned)json_object_get_int(v);
	c->normalize = ctx_bool(c->root, "normalize");
	c->sign_body = ctx_bool(c->root, "sign_body");
	c->omit_session_token = ctx_bool(c->root, "omit_session_token");
}

/* --- the suite, one test per case and variant ----------------------------- */

static void
assert_file_equal(const char *dir, const char *name, const char *actual)
{
	char *want = read_file(dir, name, NULL);

	if (strcmp(want, actual) != 0)
		fail_msg("%s/%s differs:\n--- expected\n%s\n--- actual\n%s\n---", dir, name, want, actual);
	free(want);
}

static void
run_case(const struct suite_case *sc, bool query)
{
	struct parsed_request r;
	struct parsed_context c;
	struct sigv4_request req;
	struct sigv4_result out;
	struct irsa_error err;
	struct buf signed_req;
	char *sig;
	size_t i;
	int rc;

	request_parse(&r, sc->dir);
	context_parse(&c, sc->dir);
	memset(&req, 0, sizeof(req));
	req.method = r.method;
	req.path = r.path;
	req.query = r.query;
	req.headers = r.headers;
	req.n_headers = r.n_headers;
	req.body = r.body;
	req.body_len = r.body_len;
	req.region = c.region;
	req.service = c.service;
	req.time = c.time;
	req.normalize_path = c.normalize;
	req.sign_body = c.sign_body;
	req.omit_session_token = c.omit_session_token;
	req.expires = c.expires;

	rc = query ? sigv4_presign(&req, &c.creds, &out, &err) : sigv4_sign_headers(&req, &c.creds, &out, &err);
	if (rc != 0)
		fail_msg("%s: %s", sc->name, err.message);

	assert_file_equal(sc->dir, query ? "query-canonical-request.txt" : "header-canonical-request.txt",
	                  out.canonical_request);
	assert_file_equal(sc->dir, query ? "query-string-to-sign.txt" : "header-string-to-sign.txt",
	                  out.string_to_sign);
	assert_file_equal(sc->dir, query ? "query-signature.txt" : "header-signature.txt", out.signature);

	/* The whole signed request, rebuilt from request.txt and what signing added. */
	buf_init(&signed_req, 1 << 20);
	if (query) {
		assert_non_null(out.query);
		assert_int_equal(out.n_headers, 0);
		buf_printf(&signed_req, "%s %s?%s %s\n", r.method, r.path, out.query, r.version);
	} else {
		assert_null(out.query);
		buf_printf(&signed_req, "%s %s %s\n", r.method, r.target, r.version);
	}
	buf_addstr(&signed_req, buf_cstr(&r.header_lines));
	for (i = 0; i < out.n_headers; i++)
		buf_printf(&signed_req, "%s:%s\n", out.headers[i].name, out.headers[i].value);
	buf_addch(&signed_req, '\n');
	buf_add(&signed_req, r.body, r.body_len);
	assert_false(signed_req.failed);
	assert_file_equal(sc->dir, query ? "query-signed-request.txt" : "header-signed-request.txt",
	                  buf_cstr(&signed_req));
	buf_release(&signed_req);

	if (!query) {
		/* The Authorization value on its own, as the task states it. */
		sig = read_file(sc->dir, "header-signed-request.txt", NULL);
		assert_non_null(strstr(sig, sigv4_result_header(&out, "authorization")));
		free(sig);
	}
	sigv4_result_release(&out);
	json_object_put(c.root);
	request_release(&r);
}

static void
test_suite_header(void **state)
{
	run_case(*state, false);
}

static void
test_suite_query(void **state)
{
	run_case(*state, true);
}

static int
case_cmp(const void *a, const void *b)
{
	return strcmp(((const struct suite_case *)a)->name, ((const struct suite_case *)b)->name);
}

/* Every directory under tests/data/sigv4 that has a context.json is a case. */
static void
suite_discover(void)
{
	const char *src = getenv("IRSA_SRCDIR");
	struct dirent *e;
	size_t cap = 0;
	DIR *d;

	if (src == NULL || *src == '\0')
		src = ".";
	suite_dir = malloc(strlen(src) + sizeof("/tests/data/sigv4"));
	if (suite_dir == NULL)
		return;
	sprintf(suite_dir, "%s/tests/data/sigv4", src);
	d = opendir(suite_dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/context.json", suite_dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (n_cases == cap) {
			struct suite_case *v;

			cap = cap ? cap * 2 : 64;
			v = realloc(cases, cap * sizeof(*v));
			if (v == NULL)
				break;
			cases = v;
		}
		cases[n_cases].name = strdup(e->d_name);
		cases[n_cases].dir = malloc(strlen(suite_dir) + strlen(e->d_name) + 2);
		sprintf(cases[n_cases].dir, "%s/%s", suite_dir, e->d_name);
		cases[n_cases].test_name[0] = malloc(strlen(e->d_name) + sizeof("header: "));
		sprintf(cases[n_cases].test_name[0], "header: %s", e->d_name);
		cases[n_cases].test_name[1] = malloc(strlen(e->d_name) + sizeof("query: "));
		sprintf(cases[n_cases].test_name[1], "query: %s", e->d_name);
		n_cases++;
	}
	closedir(d);
	if (n_cases > 1)
		qsort(cases, n_cases, sizeof(*cases), case_cmp);
}

static void
test_suite_is_complete(void **state)
{
	size_t i, j;

	if (n_cases == 0)
		fail_msg("no SigV4 suite case found in %s (is IRSA_SRCDIR set?)", suite_dir ? suite_dir : "?");
	for (i = 0; i < N_SUITE; i++) {
		for (j = 0; j < n_cases; j++)
			if (strcmp(suite_names[i], cases[j].name) == 0)
				break;
		if (j == n_cases)
			fail_msg("suite case %s is missing from %s", suite_names[i], suite_dir);
	}
	assert_int_equal(n_cases, N_SUITE);
}

/* --- service-level known answers ------------------------------------------ */

static const struct sigv4_credentials example_creds = {EXAMPLE_AKID, EXAMPLE_SECRET, NULL};

/* The AWS documentation's example: IAM ListUsers (protocol notes 1.2). */
static void
test_iam_list_users(void **state)
{
	const struct sigv4_header headers[] = {
	        {"Host", "iam.amazonaws.com"},
	        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
	};
	struct sigv4_request req = {
	        .method = "GET",
	        .path = "/",
	        .query = "Action=ListUsers&Version=2010-05-08",
	        .headers = headers,
	        .n_headers = 2,
	        .region = "us-east-1",
	        .service = "iam",
	        .time = EXAMPLE_TIME,
	        .normalize_path = true,
	};
	struct sigv4_result out;

	assert_int_equal(sigv4_sign_headers(&req, &example_creds, &out, NULL), 0);
	assert_string_equal(out.canonical_request, "GET\n"
	                                           "/\n"
	                                           "Action=ListUsers&Version=2010-05-08\n"
	                                           "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
	                                           "host:iam.amazonaws.com\n"
	                                           "x-amz-date:20150830T123600Z\n"
	                                           "\n"
	                                           "content-type;host;x-amz-date\n" EMPTY_SHA256);
	assert_string_equal(out.string_to_sign,
	                    "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
	                    "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
	assert_string_equal(out.signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
	assert_string_equal(sigv4_result_header(&out, "Authorization"),
	                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
	                    "SignedHeaders=content-type;host;x-amz-date, "
	                    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
	assert_string_equal(sigv4_result_header(&out, "x-amz-date"), "20150830T123600Z");
	assert_null(sigv4_result_header(&out, "X-Amz-Security-Token"));
	sigv4_result_release(&out);
}

/* The presigned STS GetCallerIdentity behind an EKS token (protocol notes 2.1). */
static void
test_eks_token_presign(void **state)
{
	const struct sigv4_header headers[] = {
	        {"Host", "sts.us-east-1.amazonaws.com"},
	        {"x-k8s-aws-id", "my-cluster"},
	};
	struct sigv4_request req = {
	        .method = "GET",
	        .path = "/",
	        .query = "Action=GetCallerIdentity&Version=2011-06-15",
	        .headers = headers,
	        .n_headers = 2,
	        .region = "us-east-1",
	        .service = "sts",
	        .time = EXAMPLE_TIME,
	        .normalize_path = true,
	        .expires = 60,
	};
	struct sigv4_result out;

	assert_int_equal(sigv4_presign(&req, &example_creds, &out, NULL), 0);
	assert_string_equal(out.canonical_request,
	                    "GET\n"
	                    "/\n"
	                    "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
	                    "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&"
	                    "X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id\n"
	                    "host:sts.us-east-1.amazonaws.com\n"
	                    "x-k8s-aws-id:my-cluster\n"
	                    "\n"
	                    "host;x-k8s-aws-id\n" EMPTY_SHA256);
	assert_string_equal(out.signature, "393dffdcf851beeb373f04f933b26ffa1d480490f11385a3dbd509617bb7cb79");
	assert_string_equal(out.query, "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
	                               "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&"
	                               "X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&"
	                               "X-Amz-Expires=60&X-Amz-Signature="
	                               "393dffdcf851beeb373f04f933b26ffa1d480490f11385a3dbd509617bb7cb79");
	assert_int_equal(out.n_headers, 0);
	sigv4_result_release(&out);
}

/* --- the helpers ---------------------------------------------------------- */

static void
check_encode(const char *in, bool keep_slash, const char *want)
{
	struct buf b;

	buf_init(&b, 4096);
	assert_int_equal(sigv4_uri_encode(&b, in, strlen(in), keep_slash), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void
test_uri_encode(void **state)
{
	check_encode("-._~AZaz09", false, "-._~AZaz09");
	check_encode("a b/c", false, "a%20b%2Fc");
	check_encode("a b/c", true, "a%20b/c");
	check_encode("1+2=3&x;*", false, "1%2B2%3D3%26x%3B%2A");
	check_encode("\xe1\x88\xb4", false, "%E1%88%B4");
	check_encode("\xff\x01", false, "%FF%01");
	check_encode("%", false, "%25");
	check_encode("", false, "");
}

static void
check_header_value(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 4096);
	assert_int_equal(sigv4_header_value(&b, in), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void
test_header_value_trim(void **state)
{
	check_header_value("value1", "value1");
	check_header_value(" value1 ", "value1");
	check_header_value("\"a   b   c\"", "\"a b c\"");
	check_header_value("\t a \t b\t", "a b");
	check_header_value("value1\n  value2\n     value3", "value1 value2 value3");
	check_header_value("value1\r\n\tvalue2", "value1 value2");
	check_header_value("   ", "");
	check_header_value("", "");
}

static void
check_query(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 4096);
	assert_int_equal(sigv4_canonical_query(&b, in), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void
test_canonical_query(void **state)
{
	/* get-vanilla-query-order-encoded and -key-case */
	check_query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1", "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
	check_query("Param2=value2&Param1=value1", "Param1=value1&Param2=value2");
	/* by name, then by value; bytewise, so upper case first */
	check_query("b=2&a=2&a=1&B=0", "B=0&a=1&a=2&b=2");
	check_query("a=z&a=", "a=&a=z");
	/* no value, empty parts */
	check_query("flag", "flag=");
	check_query("a=1&&b&", "a=1&b=");
	check_query("a==1", "a=%3D1");
	/* decoded then re-encoded: lower-case escapes, stray '%', raw bytes, '+' */
	check_query("x=a%2fb", "x=a%2Fb");
	check_query("x=%zz%4", "x=%25zz%254");
	check_query("\xe1\x88\xb4=bar", "%E1%88%B4=bar");
	check_query("x=a b", "x=a%20b");
	check_query("x=1+2", "x=1%2B2");
	check_query("k=%7E%2D", "k=~-");
	check_query(NULL, "");
	check_query("", "");
}

static void
check_path(const char *in, bool normalize, const char *want)
{
	struct buf b;

	buf_init(&b, 4096);
	assert_int_equal(sigv4_canonical_path(&b, in, normalize), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void
test_canonical_path(void **state)
{
	struct buf b;

	check_path(NULL, true, "/");
	check_path("", true, "/");
	check_path("/", true, "/");
	check_path("//example//", true, "/example/");
	check_path("/example/..", true, "/");
	check_path("/example1/example2/../..", true, "/");
	check_path("/./", true, "/");
	check_path("/./example", true, "/example");
	check_path("/a/b/../c", true, "/a/c");
	check_path("/a/./b/", true, "/a/b/");
	check_path("/a/b/..", true, "/a/");
	check_path("/a/.", true, "/a/");
	check_path("/../../a", true, "/a");
	check_path("/a..b/.c", true, "/a..b/.c");
	check_path("/example space/", true, "/example%20space/");
	check_path("/clusters/my-cluster", true, "/clusters/my-cluster");
	/* unnormalized: as given, encoded once more ("double encoding") */
	check_path("//example//", false, "//example//");
	check_path("/example1/example2/../..", false, "/example1/example2/../..");
	check_path("/a%2Fb", false, "/a%252Fb");
	check_path("a", false, "/a");
	/* ".." never eats what was in the buffer before the path */
	buf_init(&b, 4096);
	buf_addstr(&b, "GET\n");
	assert_int_equal(sigv4_canonical_path(&b, "/../..", true), 0);
	assert_string_equal(buf_cstr(&b), "GET\n/");
	buf_release(&b);
}

static void
test_sha256_hex(void **state)
{
	char hex[SIGV4_HEX_LEN + 1];

	assert_int_equal(sigv4_sha256_hex(NULL, 0, hex), 0);
	assert_string_equal(hex, EMPTY_SHA256);
	assert_int_equal(sigv4_sha256_hex("Param1=value1", 13, hex), 0);
	assert_string_equal(hex, "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
}

/* --- behaviour beyond the suite ------------------------------------------- */

static const struct sigv4_header host_only[] = {{"Host", "example.amazonaws.com"}};

static void
request_init(struct sigv4_request *req)
{
	memset(req, 0, sizeof(*req));
	req->method = "GET";
	req->path = "/";
	req->headers = host_only;
	req->n_headers = 1;
	req->region = "us-east-1";
	req->service = "service";
	req->time = EXAMPLE_TIME;
	req->normalize_path = true;
	req->expires = 3600;
}

static void
test_proxy_headers_not_signed(void **state)
{
	const struct sigv4_header headers[] = {
	        {"User-Agent", "irsa/0.1"},   {"Host", "example.amazonaws.com"}, {"Expect", ""},
	        {"Connection", "keep-alive"}, {"X-Amzn-Trace-Id", "Root=1"},     {"Content-Type", "application/json"},
	};
	struct sigv4_request req;
	struct sigv4_result out;

	request_init(&req);
	req.headers = headers;
	req.n_headers = 6;
	assert_int_equal(sigv4_sign_headers(&req, &example_creds, &out, NULL), 0);
	assert_non_null(strstr(out.canonical_request, "\n\ncontent-type;host;x-amz-date\n"));
	assert_null(strstr(out.canonical_request, "user-agent"));
	assert_null(strstr(out.canonical_request, "connection"));
	sigv4_result_release(&out);
}

static void
test_added_headers_in_order(void **state)
{
	const struct sigv4_credentials creds = {EXAMPLE_AKID, EXAMPLE_SECRET, "TOKEN/with+slash="};
	struct sigv4_request req;
	struct sigv4_result out;

	request_init(&req);
	req.sign_body = true;
	assert_int_equal(sigv4_sign_headers(&req, &creds, &out, NULL), 0);
	assert_int_equal(out.n_headers, 4);
	assert_string_equal(out.headers[0].name, "X-Amz-Security-Token");
	assert_string_equal(out.headers[0].value, "TOKEN/with+slash=");
	assert_string_equal(out.headers[1].name, "X-Amz-Date");
	assert_string_equal(out.headers[2].name, "x-amz-content-sha256");
	assert_string_equal(out.headers[2].value, EMPTY_SHA256);
	assert_string_equal(out.headers[3].name, "Authorization");
	assert_non_null(strstr(out.headers[3].value,
	                       "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "));
	assert_string_equal(sigv4_result_header(&out, "X-AMZ-SECURITY-TOKEN"), "TOKEN/with+slash=");
	sigv4_result_release(&out);

	/* presigned: the token is encoded into the query and signed */
	assert_int_equal(sigv4_presign(&req, &creds, &out, NULL), 0);
	assert_non_null(strstr(out.query, "&X-Amz-Security-Token=TOKEN%2Fwith%2Bslash%3D&X-Amz-Signature="));
	assert_non_null(strstr(out.canonical_request, "&X-Amz-Security-Token=TOKEN%2Fwith%2Bslash%3D&"));
	assert_null(strstr(out.canonical_request, "x-amz-content-sha256"));
	sigv4_result_release(&out);
}

static void
test_time_zero_is_now(void **state)
{
	struct sigv4_request req;
	struct sigv4_result out;
	char want[17];
	time_t before = time(NULL), after;
	const char *got;

	request_init(&req);
	req.time = 0;
	assert_int_equal(sigv4_sign_headers(&req, &example_creds, &out, NULL), 0);
	after = time(NULL);
	got = sigv4_result_header(&out, "X-Amz-Date");
	assert_non_null(got);
	strftime(want, sizeof(want), "%Y%m%dT%H%M%SZ", gmtime(&before));
	if (strcmp(got, want) != 0)
		strftime(want, sizeof(want), "%Y%m%dT%H%M%SZ", gmtime(&after));
	assert_string_equal(got, want);
	sigv4_result_release(&out);
}

/* Neither the secret nor the first derived key material may be handed out. */
static void
assert_no_secret(const char *s)
{
	if (s != NULL) {
		assert_null(strstr(s, EXAMPLE_SECRET));
		assert_null(strstr(s, "wJalrXUtnFEMI"));
		assert_null(strstr(s, "wJalrXUtnFEMI%2FK7MDENG"));
	}
}

static void
test_secret_never_in_result(void **state)
{
	const struct sigv4_credentials creds = {EXAMPLE_AKID, EXAMPLE_SECRET, "session-token-value"};
	struct sigv4_request req;
	struct sigv4_result out;
	struct irsa_error err;
	size_t i;
	int q;

	request_init(&req);
	req.query = "a=1";
	for (q = 0; q < 2; q++) {
		assert_int_equal(
		        q ? sigv4_presign(&req, &creds, &out, &err) : sigv4_sign_headers(&req, &creds, &out, &err), 0);
		assert_no_secret(out.canonical_request);
		assert_no_secret(out.string_to_sign);
		assert_no_secret(out.signature);
		assert_no_secret(out.query);
		for (i = 0; i < out.n_headers; i++)
			assert_no_secret(out.headers[i].value);
		sigv4_result_release(&out);
		/* released means empty */
		assert_null(out.canonical_request);
		assert_null(out.string_to_sign);
		assert_null(out.query);
		assert_int_equal(out.n_headers, 0);
		assert_int_equal(out.signature[0], '\0');
	}
	/* and not in an error message either */
	req.region = "bad region";
	assert_int_equal(sigv4_sign_headers(&req, &creds, &out, &err), -1);
	assert_no_secret(err.message);
	assert_no_secret(err.hint);
}

static void
expect_invalid(const struct sigv4_request *req, const struct sigv4_credentials *creds, bool presign, const char *needle)
{
	struct sigv4_result out;
	struct irsa_error err;
	int rc;

	memset(&out, 0x5a, sizeof(out));
	rc = presign ? sigv4_presign(req, creds, &out, &err) : sigv4_sign_headers(req, creds, &out, &err);
	assert_int_equal(rc, -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	if (strstr(err.message, needle) == NULL)
		fail_msg("error \"%s\" does not mention \"%s\"", err.message, needle);
	assert_null(out.canonical_request);
	assert_null(out.string_to_sign);
	assert_null(out.query);
	assert_int_equal(out.n_headers, 0);
	/* a NULL err is allowed */
	rc = presign ? sigv4_presign(req, creds, &out, NULL) : sigv4_sign_headers(req, creds, &out, NULL);
	assert_int_equal(rc, -1);
}

static void
test_errors(void **state)
{
	const struct sigv4_credentials no_key = {"", EXAMPLE_SECRET, NULL};
	const struct sigv4_credentials no_secret = {EXAMPLE_AKID, NULL, NULL};
	const struct sigv4_credentials bad_key = {"AKID/X", EXAMPLE_SECRET, NULL};
	const struct sigv4_header no_host[] = {{"X-Other", "1"}};
	const struct sigv4_header has_date[] = {{"Host", "h"}, {"X-Amz-Date", "20150830T123600Z"}};
	const struct sigv4_header bad_name[] = {{"Host", "h"}, {"Bad Name", "1"}};
	struct sigv4_request req;
	struct irsa_error err;

	request_init(&req);
	expect_invalid(&req, NULL, false, "credentials");
	expect_invalid(&req, &no_key, false, "credentials");
	expect_invalid(&req, &no_secret, true, "credentials");
	expect_invalid(&req, &bad_key, false, "access key id");
	expect_invalid(NULL, &example_creds, false, "no request");

	request_init(&req);
	req.region = NULL;
	expect_invalid(&req, &example_creds, false, "no region");
	req.region = "";
	expect_invalid(&req, &example_creds, true, "no region");
	req.region = "us-east-1/x";
	expect_invalid(&req, &example_creds, false, "not a region name");

	request_init(&req);
	req.service = NULL;
	expect_invalid(&req, &example_creds, false, "no service");
	req.service = "s t s";
	expect_invalid(&req, &example_creds, true, "not a service name");

	request_init(&req);
	req.method = NULL;
	expect_invalid(&req, &example_creds, false, "HTTP method");
	req.method = "G T";
	expect_invalid(&req, &example_creds, false, "HTTP method");

	request_init(&req);
	req.headers = no_host;
	expect_invalid(&req, &example_creds, false, "Host");
	req.n_headers = 0;
	expect_invalid(&req, &example_creds, true, "Host");
	req.headers = has_date;
	req.n_headers = 2;
	expect_invalid(&req, &example_creds, false, "X-Amz-Date");
	req.headers = bad_name;
	expect_invalid(&req, &example_creds, false, "header 2");
	req.headers = NULL;
	expect_invalid(&req, &example_creds, false, "no headers");

	request_init(&req);
	req.body_len = 3;
	expect_invalid(&req, &example_creds, false, "no body");

	request_init(&req);
	req.expires = 0;
	expect_invalid(&req, &example_creds, true, "expire");
	req.expires = SIGV4_MAX_EXPIRES + 1;
	expect_invalid(&req, &example_creds, true, "expire");
	/* expires only matters when presigning */
	{
		struct sigv4_result out;

		assert_int_equal(sigv4_sign_headers(&req, &example_creds, &out, &err), 0);
		sigv4_result_release(&out);
	}
	/* the hint says what to do */
	request_init(&req);
	req.region = NULL;
	assert_int_equal(sigv4_sign_headers(&req, &example_creds, &(struct sigv4_result){0}, &err), -1);
	assert_non_null(strstr(err.hint, "region"));
}

static void
test_oversized_is_a_limit(void **state)
{
	struct sigv4_header headers[2] = {{"Host", "example.amazonaws.com"}, {"X-Big", NULL}};
	struct sigv4_request req;
	struct sigv4_result out;
	struct irsa_error err;
	char *big;

	big = malloc(SIGV4_MAX_TEXT + 2);
	assert_non_null(big);
	memset(big, 'x', SIGV4_MAX_TEXT + 1);
	big[SIGV4_MAX_TEXT + 1] = '\0';
	headers[1].value = big;
	request_init(&req);
	req.headers = headers;
	req.n_headers = 2;
	assert_int_equal(sigv4_sign_headers(&req, &example_creds, &out, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	assert_null(out.canonical_request);
	free(big);
}

/* --- running -------------------------------------------------------------- */

int
main(void)
{
	const struct CMUnitTest fixed[] = {
	        cmocka_unit_test(test_suite_is_complete),
	        cmocka_unit_test(test_iam_list_users),
	        cmocka_unit_test(test_eks_token_presign),
	        cmocka_unit_test(test_uri_encode),
	        cmocka_unit_test(test_header_value_trim),
	        cmocka_unit_test(test_canonical_query),
	        cmocka_unit_test(test_canonical_path),
	        cmocka_unit_test(test_sha256_hex),
	        cmocka_unit_test(test_proxy_headers_not_signed),
	        cmocka_unit_test(test_added_headers_in_order),
	        cmocka_unit_test(test_time_zero_is_now),
	        cmocka_unit_test(test_secret_never_in_result),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_oversized_is_a_limit),
	};
	size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]), n, i;
	struct CMUnitTest *tests;
	int rc;

	suite_discover();
	n = n_fixed + 2 * n_cases;
	tests = calloc(n, sizeof(*tests));
	if (tests == NULL)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < n_cases; i++) {
		struct CMUnitTest *t = &tests[n_fixed + 2 * i];

		t[0].name = cases[i].test_name[0];
		t[0].test_func = test_suite_header;
		t[0].initial_state = &cases[i];
		t[1].name = cases[i].test_name[1];
		t[1].test_func = test_suite_query;
		t[1].initial_state = &cases[i];
	}
	rc = _cmocka_run_group_tests("sigv4", tests, n, NULL, NULL);

	for (i = 0; i < n_cases; i++) {
		free(cases[i].name);
		free(cases[i].dir);
		free(cases[i].test_name[0]);
		free(cases[i].test_name[1]);
	}
	free(cases);
	free(suite_dir);
	free(tests);
	return rc;
}
