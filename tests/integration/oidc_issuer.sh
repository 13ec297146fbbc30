#!/usr/bin/env bash
# tests/integration/oidc_issuer.sh - the sandbox's OIDC issuers on loopback:
# for each seeded cluster, the issuer's discovery document and JWKS fetched
# with curl through IRSA_CONNECT_TO and AWS_CA_BUNDLE exactly as EKS serves
# them (issuer verbatim, jwks_uri ISSUER/keys, no credentials needed), the
# chain `openssl s_client -showcerts` sees (leaf + intermediate; the last
# certificate is the intermediate CA), and core's oidc_discover() (through
# tests/integration/oidc_check) reporting the thumbprint of that last
# certificate. Also: the aws CLI and kubectl still work with AWS_CA_BUNDLE
# set, and an unknown issuer is a clean error.
set -u
. "${IRSA_SRCDIR:-.}/tests/lib/tap.sh"
. "${IRSA_SRCDIR:-.}/tests/lib/sandbox.sh"
irsa=${IRSA_BIN:-./irsa}
check_bin=$(dirname "$irsa")/tests/integration/oidc_check
[ -x "$check_bin" ] || bail_out "tests/integration/oidc_check not built"
for tool in python3 curl jq openssl aws kubectl; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done
python3 -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography not installed"

dir=$(mktemp -d "${TMPDIR:-/tmp}/irsa-oidc-issuer.XXXXXX")
cleanup() {
	sandbox_down
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

clusters="shop-prod shop-staging"
tap_plan $((2 * 9 + 5))
sandbox_up "$dir/sb"

# The SHA-1 fingerprint of a PEM certificate: 40 lowercase hex, no colons.
fingerprint() {
	openssl x509 -in "$1" -noout -fingerprint -sha1 | sed 's/^.*=//; s/://g' | tr 'A-F' 'a-f'
}
# Splits `openssl s_client -showcerts` output into DIR/cert-N.pem; prints N.
split_chain() {
	awk -v d="$2" '/-----BEGIN CERTIFICATE-----/ { n++; f = d "/cert-" n ".pem" }
		f { print > f } /-----END CERTIFICATE-----/ { f = "" } END { print n + 0 }' "$1"
}

is "$(printf '%s' "$IRSA_CONNECT_TO" | tr ',' '\n' | grep -c .)" 2 "IRSA_CONNECT_TO: one entry per cluster"
is "$AWS_CA_BUNDLE" "$IRSA_SANDBOX_CA" "AWS_CA_BUNDLE is the sandbox's root CA"

for c in $clusters; do
	issuer=$(jq -r --arg c "$c" '.clusters[$c].issuer' "$IRSA_SANDBOX_MANIFEST")
	host=$(jq -r --arg c "$c" '.clusters[$c].oidc.host' "$IRSA_SANDBOX_MANIFEST")
	api=$(jq -r --arg c "$c" '.clusters[$c].kube.url' "$IRSA_SANDBOX_MANIFEST")
	port=$(jq -r --arg c "$c" '.clusters[$c].kube.port' "$IRSA_SANDBOX_MANIFEST")
	# curl takes the entry from IRSA_CONNECT_TO, as irsa does (the manifest says the same).
	entry=$(printf '%s' "$IRSA_CONNECT_TO" | tr ',' '\n' | grep -F "$host:443:127.0.0.1:$port")
	oc() { curl -sS --noproxy '*' --connect-to "$entry" --cacert "$AWS_CA_BUNDLE" "$@"; }

	doc=$(oc -w '\n%{http_code}' "$issuer/.well-known/openid-configuration" 2>&1)
	is "$(printf '%s' "$doc" | tail -1) $(printf '%s' "$doc" | sed '$d' | jq -r .issuer 2>&1)" "200 $issuer" \
		"$c: GET ISSUER/.well-known/openid-configuration (host name verified): 200, issuer verbatim"
	is "$(printf '%s' "$doc" | sed '$d' | jq -r .jwks_uri 2>&1)" "$issuer/keys" "$c: jwks_uri is ISSUER/keys (EKS)"
	oc "$issuer/keys" >"$dir/$c-jwks.json" 2>&1
	like "$(jq -r '.keys | length' "$dir/$c-jwks.json" 2>&1)" '^[1-9]' "$c: GET ISSUER/keys is a JWKS with keys"
	curl -sS --noproxy '*' --cacert "$AWS_CA_BUNDLE" "$api/openid/v1/jwks" >"$dir/$c-api-jwks.json" 2>&1
	is "$(jq -cS . "$dir/$c-jwks.json" 2>&1)" "$(jq -cS . "$dir/$c-api-jwks.json" 2>&1)" \
		"$c: the issuer's JWKS is the API server's /openid/v1/jwks"
	is "$(oc -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer not-a-token' "$issuer/keys" 2>&1)" 200 \
		"$c: the issuer ignores credentials (a bad bearer token still gets the keys)"

	openssl s_client -connect "127.0.0.1:$port" -servername "$host" -showcerts </dev/null >"$dir/$c-chain.txt" 2>&1
	mkdir -p "$dir/$c"
	n=$(split_chain "$dir/$c-chain.txt" "$dir/$c")
	is "$n" 2 "$c: the server sends leaf + intermediate"
	last=$(fingerprint "$dir/$c/cert-$n.pem" 2>&1)
	is "$last" "$(fingerprint "$IRSA_SANDBOX_DIR/pki/intermediate-ca.pem")" \
		"$c: the last certificate served is the intermediate CA"

	out=$("$check_bin" "$issuer" 2>&1)
	is "$(printf '%s\n' "$out" | sed -n 's/^thumbprint=//p')" "$last" \
		"$c: oidc_discover()'s thumbprint is the SHA-1 of the last certificate s_client shows"
	is "$(printf '%s\n' "$out" | grep -E '^(issuer|discovery_thumbprint|keys)=' | tr '\n' ' ')" \
		"issuer=$issuer discovery_thumbprint=- keys=$(jq '.keys | length' "$dir/$c-jwks.json") " \
		"$c: oidc_discover(): the issuer, one host (no second thumbprint), every key"
done

prod_issuer=$(jq -r '.clusters["shop-prod"].issuer' "$IRSA_SANDBOX_MANIFEST")
out=$("$check_bin" "${prod_issuer%/id/*}/id/0000NOSUCHCLUSTER" 2>&1)
rc=$?
like "$rc $(printf '%s' "$out" | tr '\n' ' ')" '^1 irsa: GET https://oidc.eks.us-east-1.amazonaws.com/id/0000NOSUCHCLUSTER/.well-known/openid-configuration answered HTTP 4' \
	"an unknown issuer: a clean HTTP error naming the URL"
check "aws sts get-caller-identity works with AWS_CA_BUNDLE set (moto is plain http)" \
	aws sts get-caller-identity
check "kubectl still verifies the server's chain against the root CA" \
	kubectl --kubeconfig "$KUBECONFIG" --context shop-prod-token get ns default
tap_done
