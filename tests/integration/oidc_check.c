/* tests/integration/oidc_check.c - drives core's OIDC discovery against the
 * sandbox for tests/integration/oidc_issuer.sh. Links only libirsacore; the
 * connect-to entries come from IRSA_CONNECT_TO and the CA from AWS_CA_BUNDLE,
 * as irsa will take them.
 *
 *   oidc_check ISSUER [TIMEOUT_MS]
 *
 * Prints "issuer=", "jwks_uri=", "thumbprint=", "discovery_thumbprint=" (or
 * "-") and "keys=" lines; exit 0. Errors: "irsa: <error>", "hint: <hint>" and
 * "kind: <kind>" on stderr; exit 1. Usage: exit 2. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "oidc.h"

static int
fail(const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(stderr, "irsa: %s\nhint: %s\nkind: %s\n", line, err->hint, irsa_err_name(err->kind));
	return 1;
}

int
main(int argc, char **argv)
{
	struct oidc_options o = {0};
	struct oidc_discovery d;
	struct irsa_error err;
	char **connect_to;
	size_t n;
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: oidc_check ISSUER [TIMEOUT_MS]\n");
		return 2;
	}
	if (oidc_parse_connect_to(getenv("IRSA_CONNECT_TO"), &connect_to, &n, &err) != 0)
		return fail(&err);
	o.ca_bundle = getenv("AWS_CA_BUNDLE");
	o.connect_to = (const char *const *)connect_to;
	o.n_connect_to = n;
	o.timeout_ms = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	rc = oidc_discover(argv[1], &o, &d, &err);
	oidc_connect_to_free(connect_to);
	if (rc != 0)
		return fail(&err);
	printf("issuer=%s\njwks_uri=%s\nthumbprint=%s\ndiscovery_thumbprint=%s\nkeys=%zu\n", d.issuer, d.jwks_uri,
	       d.thumbprint, d.discovery_thumbprint != NULL ? d.discovery_thumbprint : "-", d.n_keys);
	oidc_discovery_release(&d);
	return 0;
}
