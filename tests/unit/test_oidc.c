/* tests/unit/test_oidc.c - OIDC discovery and the thumbprint against local
 * HTTPS servers (tls_stub) that serve a test PKI made here with the openssl
 * CLI: root CA -> intermediate CA -> leaf for the issuer's host name, the
 * servers sending leaf + intermediate. The issuer's host is reached through
 * connect-to entries, as the sandbox does. The thumbprint must be the SHA-1
 * of the intermediate as `openssl x509 -fingerprint -sha1` computes it; then
 * a separate jwks_uri host, the checks on the document, every kind of
 * failure, cancellation, and the IRSA_CONNECT_TO parser. */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http_stub.h"
#include "oidc.h"
#include "tls_stub.h"

#define ISSUER_HOST "oidc.eks.us-east-1.amazonaws.com"
#define ISSUER_PATH "/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
#define ISSUER      "https://" ISSUER_HOST ISSUER_PATH
#define KEYS_HOST   "keys.oidc.test"
#define WELL_KNOWN  ISSUER_PATH "/.well-known/openid-configuration"
#define JWKS                                                                                                           \
	"{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\",\"n\":\"AQAB\",\"e\":\"AQAB\"},{\"kty\":\"RSA\",\"kid\":\"b\"}]}"

/* The PKI, made once for the group. */
static struct {
	char dir[256];
	char fp_int_a[41], fp_int_b[41], fp_leaf_a[41], fp_root[41];
} pki;

static const char pki_script[] =
        "set -e\n"
        "cd \"$1\"\n"
        "cat >ext.cnf <<'EOF'\n"
        "[req]\n"
        "distinguished_name = dn\n"
        "[dn]\n"
        "[root]\n"
        "basicConstraints = critical,CA:TRUE\n"
        "keyUsage = critical,keyCertSign,cRLSign\n"
        "subjectKeyIdentifier = hash\n"
        "[int]\n"
        "basicConstraints = critical,CA:TRUE,pathlen:0\n"
        "keyUsage = critical,keyCertSign,cRLSign\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n"
        "[leaf_a]\n"
        "basicConstraints = critical,CA:FALSE\n"
        "keyUsage = critical,digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectAltName = DNS:" ISSUER_HOST "\n"
        "authorityKeyIdentifier = keyid\n"
        "[leaf_b]\n"
        "basicConstraints = critical,CA:FALSE\n"
        "keyUsage = critical,digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectAltName = DNS:" KEYS_HOST "\n"
        "authorityKeyIdentifier = keyid\n"
        "EOF\n"
        "key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out \"$1\"; }\n"
        "root() {\n"
        "  key \"$1-key.pem\"\n"
        "  openssl req -x509 -new -key \"$1-key.pem\" -out \"$1.pem\" -days 2 -subj \"/CN=$2\" -config ext.cnf "
        "-extensions root\n"
        "}\n"
        "sign() {\n"
        "  key \"$1-key.pem\"\n"
        "  openssl req -new -key \"$1-key.pem\" -out \"$1.csr\" -subj \"/CN=$2\" -config ext.cnf\n"
        "  openssl x509 -req -in \"$1.csr\" -CA \"$3.pem\" -CAkey \"$3-key.pem\" -CAcreateserial -out \"$1.pem\" "
        "-days 2 -extfile ext.cnf -extensions \"$4\"\n"
        "}\n"
        "root root 'irsa test root'\n"
        "root other 'irsa untrusted root'\n"
        "sign int-a 'irsa test intermediate A' root int\n"
        "sign int-b 'irsa test intermediate B' root int\n"
        "sign leaf-a " ISSUER_HOST " int-a leaf_a\n"
        "sign leaf-b " KEYS_HOST " int-b leaf_b\n"
        "cat leaf-a.pem int-a.pem >chain-a.pem\n"
        "cat leaf-b.pem int-b.pem >chain-b.pem\n";

/* DIR/name, in one of a few rotating buffers. */
static const char *
pki_file(const char *name)
{
	static char path[16][320];
	static unsigned next;
	char *p = path[next++ % 16];

	snprintf(p, sizeof(path[0]), "%s/%s", pki.dir, name);
	return p;
}

/* The SHA-1 fingerprint of a PEM certificate as the openssl CLI prints it,
 * lowercased, colons removed. */
static void
cli_fingerprint(const char *cert, char out[41])
{
	char cmd[512], line[256], *p;
	size_t n = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "openssl x509 -in '%s' -noout -fingerprint -sha1", cert);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	pclose(f);
	p = strchr(line, '=');
	assert_non_null(p);
	for (p++; *p != '\0' && *p != '\n' && n < 40; p++) {
		if (*p != ':')
			out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	assert_int_equal(n, 40);
}

static int
setup_pki(void **state)
{
	char cmd[1024];
	FILE *f;

	(void)state;
	snprintf(pki.dir, sizeof(pki.dir), "%s/irsa-test-oidc.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(pki.dir) == NULL)
		return -1;
	f = fopen(pki_file("make-pki.sh"), "w");
	if (f == NULL)
		return -1;
	fputs(pki_script, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "sh '%s/make-pki.sh' '%s' >'%s/make-pki.log' 2>&1", pki.dir, pki.dir, pki.dir);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof(cmd), "sed 's/^/# /' '%s/make-pki.log'", pki.dir);
		if (system(cmd) != 0)
			return -1;
		return -1;
	}
	cli_fingerprint(pki_file("int-a.pem"), pki.fp_int_a);
	cli_fingerprint(pki_file("int-b.pem"), pki.fp_int_b);
	cli_fingerprint(pki_file("leaf-a.pem"), pki.fp_leaf_a);
	cli_fingerprint(pki_file("root.pem"), pki.fp_root);
	return 0;
}

static int
teardown_pki(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pki.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* --- helpers -------------------------------------------------------------- */

static struct tls_stub *
serve_a(const struct tls_stub_route *routes, size_t n)
{
	return tls_stub_start(pki_file("chain-a.pem"), pki_file("leaf-a-key.pem"), routes, n);
}

static struct tls_stub *
serve_b(const struct tls_stub_route *routes, size_t n)
{
	return tls_stub_start(pki_file("chain-b.pem"), pki_file("leaf-b-key.pem"), routes, n);
}

/* A connect-to entry sending host:443 to the local port. */
static const char *
route_to(char *buf, size_t bufsz, const char *host, int port)
{
	snprintf(buf, bufsz, "%s:443:127.0.0.1:%d", host, port);
	return buf;
}

/* The options for one server reached as ISSUER_HOST. */
struct opts {
	char entry[2][128];
	const char *list[2];
	struct oidc_options o;
};

static void
opts_for(struct opts *x, int port)
{
	memset(x, 0, sizeof(*x));
	x->list[0] = route_to(x->entry[0], sizeof(x->entry[0]), ISSUER_HOST, port);
	x->o.ca_bundle = pki_file("root.pem");
	x->o.connect_to = x->list;
	x->o.n_connect_to = 1;
	x->o.timeout_ms = 5000;
}

static const char *
discovery_doc(char *buf, size_t bufsz, const char *issuer, const char *jwks_uri)
{
	snprintf(buf, bufsz,
	         "{\"issuer\":\"%s\",\"jwks_uri\":\"%s\",\"authorization_endpoint\":\"urn:kubernetes:programmatic_"
	         "authorization\",\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
	         "\"claims_supported\":[\"sub\",\"iss\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}\n",
	         issuer, jwks_uri);
	return buf;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* --- the thumbprint ------------------------------------------------------- */

/* The EKS shape: discovery and keys on the issuer's host; the thumbprint is
 * the intermediate's (the last certificate sent), not the leaf's or the
 * root's; the trailing '/' of the given issuer is ignored. */
static void
test_thumbprint_is_the_last_certificate(void **state)
{
	char doc[1024];
	struct tls_stub_route routes[] = {
	        {WELL_KNOWN, 200, discovery_doc(doc, sizeof(doc), ISSUER, ISSUER "/keys")},
	        {ISSUER_PATH "/keys", 200, JWKS},
	};
	struct tls_stub *srv = serve_a(routes, 2);
	struct oidc_discovery d;
	struct irsa_error err;
	struct tls_stub_seen seen;
	struct opts x;

	(void)state;
	opts_for(&x, tls_stub_port(srv));
	assert_int_equal(oidc_discover(ISSUER "/", &x.o, &d, &err), 0);
	assert_string_equal(d.issuer, ISSUER);
	assert_string_equal(d.jwks_uri, ISSUER "/keys");
	assert_string_equal(d.thumbprint, pki.fp_int_a);
	assert_string_not_equal(d.thumbprint, pki.fp_leaf_a);
	assert_string_not_equal(d.thumbprint, pki.fp_root);
	assert_null(d.discovery_thumbprint);
	assert_int_equal(d.n_keys, 2);

	/* Two requests, each named and verified as the issuer's host. */
	assert_int_equal(tls_stub_seen_count(srv), 2);
	tls_stub_seen_get(srv, 0, &seen);
	assert_string_equal(seen.target, WELL_KNOWN);
	assert_string_equal(seen.host, ISSUER_HOST);
	assert_string_equal(seen.sni, ISSUER_HOST);
	tls_stub_seen_get(srv, 1, &seen);
	assert_string_equal(seen.target, ISSUER_PATH "/keys");
	assert_string_equal(seen.host, ISSUER_HOST);
	oidc_discovery_release(&d);
	assert_null(d.thumbprint);
	oidc_discovery_release(&d); /* twice is harmless */
	tls_stub_stop(srv);
}

/* jwks_uri on another host, behind another intermediate: the thumbprint is
 * that host's, and the issuer host's comes as discovery_thumbprint. */
static void
test_jwks_on_another_host(void **state)
{
	char doc[1024];
	struct tls_stub_route routes_a[] = {
	        {WELL_KNOWN, 200, discovery_doc(doc, sizeof(doc), ISSUER, "https://" KEYS_HOST "/k/jwks.json")},
	};
	struct tls_stub_route routes_b[] = {{"/k/jwks.json", 200, "{\"keys\":[]}"}};
	struct tls_stub *a = serve_a(routes_a, 1), *b = serve_b(routes_b, 1);
	struct oidc_discovery d;
	struct irsa_error err;
	struct tls_stub_seen seen;
	struct opts x;

	(void)state;
	opts_for(&x, tls_stub_port(a));
	x.list[1] = route_to(x.entry[1], sizeof(x.entry[1]), KEYS_HOST, tls_stub_port(b));
	x.o.n_connect_to = 2;
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), 0);
	assert_string_equal(d.jwks_uri, "https://" KEYS_HOST "/k/jwks.json");
	assert_string_equal(d.thumbprint, pki.fp_int_b);
	assert_non_null(d.discovery_thumbprint);
	assert_string_equal(d.discovery_thumbprint, pki.fp_int_a);
	assert_int_equal(d.n_keys, 0);
	assert_int_equal(tls_stub_seen_count(b), 1);
	tls_stub_seen_get(b, 0, &seen);
	assert_string_equal(seen.sni, KEYS_HOST);
	oidc_discovery_release(&d);
	tls_stub_stop(a);
	tls_stub_stop(b);
}

/* --- the document --------------------------------------------------------- */

static void
test_issuer_mismatch(void **state)
{
	char doc[1024];
	const char *other = "https://" ISSUER_HOST "/id/SOMEOTHERCLUSTER";
	struct tls_stub_route routes[] = {
	        {WELL_KNOWN, 200, discovery_doc(doc, sizeof(doc), other, ISSUER "/keys")},
	        {ISSUER_PATH "/keys", 200, JWKS},
	};
	struct tls_stub *srv = serve_a(routes, 2);
	struct oidc_discovery d;
	struct irsa_error err;
	struct opts x;

	(void)state;
	opts_for(&x, tls_stub_port(srv));
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "SOMEOTHERCLUSTER"));
	assert_non_null(strstr(err.message, "\"" ISSUER "\""));
	assert_null(d.issuer);
	assert_null(d.thumbprint);
	assert_int_equal(tls_stub_seen_count(srv), 1);
	tls_stub_stop(srv);
}

static void
test_bad_documents(void **state)
{
	char doc[1024], big[70 * 1024];
	struct tls_stub_route routes[] = {
	        {WELL_KNOWN, 200, "<html>captive portal</html>"},
	        {ISSUER_PATH "/keys", 200, "{\"nokeys\":1}"},
	};
	struct tls_stub *srv;
	struct oidc_discovery d;
	struct irsa_error err;
	struct opts x;

	(void)state;
	/* Not JSON. */
	srv = serve_a(routes, 2);
	opts_for(&x, tls_stub_port(srv));
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "not a JSON object"));
	tls_stub_stop(srv);

	/* A JWKS without keys. */
	routes[0].body = discovery_doc(doc, sizeof(doc), ISSUER, ISSUER "/keys");
	srv = serve_a(routes, 2);
	opts_for(&x, tls_stub_port(srv));
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "\"keys\""));
	tls_stub_stop(srv);

	/* A jwks_uri over http is refused before it is fetched. */
	routes[0].body = discovery_doc(doc, sizeof(doc), ISSUER, "http://" ISSUER_HOST ISSUER_PATH "/keys");
	srv = serve_a(routes, 2);
	opts_for(&x, tls_stub_port(srv));
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_PARSE);
	assert_non_null(strstr(err.message, "https://"));
	assert_int_equal(tls_stub_seen_count(srv), 1);
	tls_stub_stop(srv);

	/* A document over the cap. */
	memset(big, ' ', sizeof(big) - 3);
	big[0] = '{';
	big[sizeof(big) - 3] = '}';
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	routes[0].body = big;
	srv = serve_a(routes, 2);
	opts_for(&x, tls_stub_port(srv));
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_LIMIT);
	tls_stub_stop(srv);
}

static void
test_http_issuer_refused(void **state)
{
	struct oidc_discovery d;
	struct irsa_error err;

	(void)state;
	assert_int_equal(oidc_discover("http://" ISSUER_HOST ISSUER_PATH, NULL, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "https://"));
	assert_int_equal(oidc_discover("", NULL, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_int_equal(oidc_discover("not a url", NULL, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_int_equal(oidc_discover("ftp://" ISSUER_HOST "/id/X", NULL, &d, NULL), -1);
}

/* --- failures ------------------------------------------------------------- */

static void
test_not_found(void **state)
{
	char doc[1024];
	struct tls_stub_route routes[] = {
	        {WELL_KNOWN, 200, discovery_doc(doc, sizeof(doc), ISSUER, ISSUER "/keys")},
	};
	struct tls_stub *srv = serve_a(routes, 1);
	struct oidc_discovery d;
	struct irsa_error err;
	struct opts x;

	(void)state;
	opts_for(&x, tls_stub_port(srv));
	/* The discovery document is not there. */
	assert_int_equal(oidc_discover("https://" ISSUER_HOST "/id/NOSUCHCLUSTER", &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NOT_FOUND);
	assert_int_equal(err.http_status, 404);
	assert_non_null(strstr(err.message, "HTTP 404"));
	assert_non_null(strstr(err.message, "/id/NOSUCHCLUSTER/.well-known/openid-configuration"));
	/* The keys are not there. */
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.http_status, 404);
	assert_non_null(strstr(err.message, ISSUER "/keys"));
	tls_stub_stop(srv);
}

static void
test_unreachable(void **state)
{
	struct oidc_discovery d;
	struct irsa_error err;
	struct opts x;
	int port, fd = http_stub_listen(&port);

	(void)state;
	close(fd); /* nothing listens there now */
	opts_for(&x, port);
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_non_null(strstr(err.message, ISSUER_HOST));
	assert_non_null(strstr(err.hint, "thumbprint"));
	assert_non_null(strstr(err.hint, "private EKS endpoint"));

	/* A name that does not resolve (or no DNS at all: a timeout). */
	x.o.n_connect_to = 0;
	x.o.timeout_ms = 3000;
	assert_int_equal(oidc_discover("https://irsa-test.invalid/id/X", &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_non_null(strstr(err.message, "irsa-test.invalid"));
}

static void
test_tls_failures(void **state)
{
	char doc[1024];
	struct tls_stub_route routes[] = {
	        {WELL_KNOWN, 200, discovery_doc(doc, sizeof(doc), ISSUER, ISSUER "/keys")},
	        {ISSUER_PATH "/keys", 200, JWKS},
	};
	struct tls_stub *srv = serve_a(routes, 2);
	struct oidc_discovery d;
	struct irsa_error err;
	struct opts x;

	(void)state;
	/* A CA that did not sign the chain. */
	opts_for(&x, tls_stub_port(srv));
	x.o.ca_bundle = pki_file("other.pem");
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_TLS);
	assert_non_null(strstr(err.message, ISSUER_HOST));
	assert_non_null(strstr(err.hint, "AWS_CA_BUNDLE"));

	/* The right CA, but the certificate is not for this host name. */
	opts_for(&x, tls_stub_port(srv));
	route_to(x.entry[0], sizeof(x.entry[0]), "oidc.eks.eu-west-1.amazonaws.com", tls_stub_port(srv));
	assert_int_equal(oidc_discover("https://oidc.eks.eu-west-1.amazonaws.com/id/X", &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_TLS);

	/* A CA file that is not there. */
	opts_for(&x, tls_stub_port(srv));
	x.o.ca_bundle = pki_file("no-such-ca.pem");
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_TLS);
	assert_int_equal(tls_stub_seen_count(srv), 0);
	tls_stub_stop(srv);
}

/* --- cancel and timeout --------------------------------------------------- */

struct canceller {
	volatile int *flag;
	int after_ms;
};

static void *
cancel_later(void *arg)
{
	struct canceller *c = arg;
	struct timespec ts = {c->after_ms / 1000, (long)(c->after_ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
	*c->flag = 1;
	return NULL;
}

static void
test_cancel(void **state)
{
	volatile int flag = 1;
	struct canceller c = {&flag, 300};
	struct oidc_discovery d;
	struct irsa_error err;
	struct opts x;
	pthread_t t;
	long start;
	int port, fd = http_stub_listen(&port); /* connects, never accepted: the handshake hangs */

	(void)state;
	opts_for(&x, port);
	x.o.cancel = &flag;
	x.o.timeout_ms = 20000;

	/* Already cancelled: nothing is sent. */
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);

	/* Cancelled from another thread mid-handshake. */
	flag = 0;
	assert_int_equal(pthread_create(&t, NULL, cancel_later, &c), 0);
	start = now_ms();
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	pthread_join(t, NULL);
	assert_int_equal(err.kind, IRSA_ERR_CANCELLED);
	assert_true(now_ms() - start < 5000);

	/* Not cancelled: the timeout ends it. */
	flag = 0;
	x.o.timeout_ms = 400;
	start = now_ms();
	assert_int_equal(oidc_discover(ISSUER, &x.o, &d, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_NETWORK);
	assert_non_null(strstr(err.message, "timed out"));
	assert_true(now_ms() - start < 5000);
	close(fd);
}

/* --- IRSA_CONNECT_TO ------------------------------------------------------ */

static void
test_parse_connect_to(void **state)
{
	struct irsa_error err;
	char **v;
	size_t n;

	(void)state;
	assert_int_equal(oidc_parse_connect_to(" oidc.eks.us-east-1.amazonaws.com:443:127.0.0.1:8443 ,,"
	                                       "oidc.eks.eu-west-1.amazonaws.com:443:[::1]:9443,",
	                                       &v, &n, &err),
	                 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "oidc.eks.us-east-1.amazonaws.com:443:127.0.0.1:8443");
	assert_string_equal(v[1], "oidc.eks.eu-west-1.amazonaws.com:443:[::1]:9443");
	assert_null(v[2]);
	oidc_connect_to_free(v);

	assert_int_equal(oidc_parse_connect_to(NULL, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	oidc_connect_to_free(v);
	assert_int_equal(oidc_parse_connect_to("  ", &v, &n, &err), 0);
	assert_int_equal(n, 0);
	oidc_connect_to_free(v);
	/* libcurl's empty parts ("any host", "same port") are allowed. */
	assert_int_equal(oidc_parse_connect_to("::127.0.0.1:", &v, &n, &err), 0);
	assert_int_equal(n, 1);
	oidc_connect_to_free(v);

	assert_int_equal(oidc_parse_connect_to("a:443:127.0.0.1:1,oidc.example:443", &v, &n, &err), -1);
	assert_null(v);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "\"oidc.example:443\""));
	assert_int_equal(oidc_parse_connect_to("a:443:127.0.0.1 :1", &v, &n, &err), -1);
	oidc_connect_to_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_thumbprint_is_the_last_certificate),
	        cmocka_unit_test(test_jwks_on_another_host),
	        cmocka_unit_test(test_issuer_mismatch),
	        cmocka_unit_test(test_bad_documents),
	        cmocka_unit_test(test_http_issuer_refused),
	        cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_unreachable),
	        cmocka_unit_test(test_tls_failures),
	        cmocka_unit_test(test_cancel),
	        cmocka_unit_test(test_parse_connect_to),
	};

	if (system("openssl version >/dev/null 2>&1") != 0) {
		printf("1..0 # SKIP the openssl command is not installed\n");
		return 77;
	}
	/* The servers are on loopback under public names: no proxy may take them. */
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("http_proxy");
	unsetenv("ALL_PROXY");
	unsetenv("all_proxy");
	/* The TLS server writes with OpenSSL to clients that may have hung up. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("oidc", tests, setup_pki, teardown_pki);
}
