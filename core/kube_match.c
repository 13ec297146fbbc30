/* core/kube_match.c - kubeconfig contexts matched to EKS clusters (by ARN,
 * by the EKS token plugin's flags, by server URL) and a target made from
 * DescribeCluster for a cluster no context names. No network, no printing. */
#include "config.h"

#include "kube_match.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "kube_exec.h"

static const char *const kind_names[] = {
        [KUBE_MATCH_NONE] = NULL,
        [KUBE_MATCH_ARN] = "arn",
        [KUBE_MATCH_EXEC] = "exec",
        [KUBE_MATCH_SERVER] = "server",
};

const char *
kube_match_kind_name(enum kube_match_kind kind)
{
	return (size_t)kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : NULL;
}

bool
kube_match_parse_arn(const char *arn, char *name, char *region)
{
	const char *field[6], *p = arn, *slash;
	size_t n = 0;

	*name = *region = '\0';
	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return false;
	field[n++] = p;
	while (n < 6 && (p = strchr(p, ':')) != NULL)
		field[n++] = ++p;
	/* field[2] "eks:", field[3] the region, field[5] "cluster/NAME" */
	if (n < 6 || strncmp(field[2], "eks:", 4) != 0 || strncmp(field[5], "cluster/", 8) != 0)
		return false;
	slash = field[5] + 8;
	if (*slash == '\0' || strchr(slash, '/') != NULL || strlen(slash) >= KUBE_MATCH_MAX_NAME ||
	    field[4] - field[3] - 1 <= 0 || (size_t)(field[4] - field[3]) > KUBE_MATCH_MAX_NAME)
		return false;
	snprintf(region, KUBE_MATCH_MAX_NAME, "%.*s", (int)(field[4] - field[3] - 1), field[3]);
	snprintf(name, KUBE_MATCH_MAX_NAME, "%s", slash);
	return true;
}

/* The scheme and authority of url, lower-cased, with https's ":443" left
 * out, and the path without trailing slashes. */
static void
server_key(const char *url, char *out, size_t outsz)
{
	const char *host, *end;
	size_t n = 0, len;

	*out = '\0';
	if (url == NULL)
		return;
	host = strstr(url, "://");
	host = host != NULL ? host + 3 : url;
	end = host + strcspn(host, "/");
	for (; url < end && n + 1 < outsz; url++)
		out[n++] = (char)tolower((unsigned char)*url);
	out[n] = '\0';
	if (n > 12 && strncmp(out, "https://", 8) == 0 && strcmp(out + n - 4, ":443") == 0)
		out[n -= 4] = '\0';
	len = strlen(end);
	while (len > 0 && end[len - 1] == '/')
		len--;
	snprintf(out + n, outsz - n, "%.*s", (int)len, end);
}

bool
kube_match_same_server(const char *a, const char *b)
{
	char ka[512], kb[512];

	if (a == NULL || b == NULL)
		return false;
	server_key(a, ka, sizeof(ka));
	server_key(b, kb, sizeof(kb));
	return *ka != '\0' && strcmp(ka, kb) == 0;
}

static int
dup_opt(char **out, const char *s)
{
	*out = NULL;
	if (s == NULL || *s == '\0')
		return 0;
	*out = strdup(s);
	return *out != NULL ? 0 : -1;
}

/* Fills r from context info ci, resolving it to read its exec plugin. */
static int
ref_fill(const struct kubeconfig *cfg, const struct kube_context_info *ci, struct kube_eks_ref *r)
{
	char name[KUBE_MATCH_MAX_NAME], region[KUBE_MATCH_MAX_NAME];
	struct kube_target *t = NULL;
	struct kube_eks_params ep;
	struct irsa_error ignored;
	int rc;

	r->current = ci->current;
	r->auth = ci->auth;
	if (dup_opt(&r->context, ci->name) != 0 || dup_opt(&r->cluster, ci->cluster) != 0 ||
	    dup_opt(&r->server, ci->server) != 0)
		return -1;
	/* A context that does not resolve (a missing file) can still match by
	 * its ARN or its server. */
	if (kubeconfig_resolve(cfg, ci->name, &t, &ignored) == 0 && t->has_exec)
		r->eks_plugin = kube_exec_eks_params(&t->exec, &ep);
	rc = 0;
	if (kube_match_parse_arn(ci->cluster, name, region)) {
		r->kind = KUBE_MATCH_ARN;
		if (dup_opt(&r->arn, ci->cluster) != 0 || dup_opt(&r->name, name) != 0 ||
		    dup_opt(&r->region, region) != 0)
			rc = -1;
	} else if (r->eks_plugin && ep.cluster_name != NULL && ep.region != NULL) {
		r->kind = KUBE_MATCH_EXEC;
		rc = dup_opt(&r->name, ep.cluster_name) != 0 || dup_opt(&r->region, ep.region) != 0 ? -1 : 0;
	}
	kube_target_free(t);
	return rc;
}

int
kube_match_refs(const struct kubeconfig *cfg, struct kube_eks_refs *out, struct irsa_error *err)
{
	struct kube_context_info ci;
	size_t i, n = kubeconfig_n_contexts(cfg);

	out->v = NULL;
	out->n = 0;
	if (n == 0)
		return 0;
	out->v = calloc(n, sizeof(*out->v));
	if (out->v == NULL)
		return irsa_error_oom(err);
	for (i = 0; i < n; i++) {
		if (kubeconfig_context(cfg, i, &ci) != 0)
			continue;
		out->n++;
		if (ref_fill(cfg, &ci, &out->v[out->n - 1]) != 0)
			return irsa_error_oom(err);
	}
	return 0;
}

void
kube_match_refs_release(struct kube_eks_refs *refs)
{
	struct kube_eks_ref *r;
	size_t i;

	for (i = 0; i < refs->n; i++) {
		r = &refs->v[i];
		free(r->context);
		free(r->cluster);
		free(r->server);
		free(r->arn);
		free(r->name);
		free(r->region);
	}
	free(refs->v);
	refs->v = NULL;
	refs->n = 0;
}

enum kube_match_kind
kube_match_ref(const struct kube_eks_ref *r, const struct aws_eks_cluster *k)
{
	char name[KUBE_MATCH_MAX_NAME], region[KUBE_MATCH_MAX_NAME];

	if (r->kind == KUBE_MATCH_ARN)
		return k->arn != NULL && strcmp(r->arn, k->arn) == 0 ? KUBE_MATCH_ARN : KUBE_MATCH_NONE;
	if (r->kind == KUBE_MATCH_EXEC && kube_match_parse_arn(k->arn, name, region) && strcmp(r->name, name) == 0 &&
	    strcmp(r->region, region) == 0)
		return KUBE_MATCH_EXEC;
	if (kube_match_same_server(r->server, k->endpoint))
		return KUBE_MATCH_SERVER;
	return KUBE_MATCH_NONE;
}

/* Lower is better: ARN, then exec, then server. */
static int
kind_rank(enum kube_match_kind kind)
{
	return kind == KUBE_MATCH_ARN ? 0 : kind == KUBE_MATCH_EXEC ? 1 : kind == KUBE_MATCH_SERVER ? 2 : 3;
}

const struct kube_eks_ref *
kube_match_find(const struct kube_eks_refs *refs, const struct aws_eks_cluster *k, enum kube_match_kind *kind)
{
	const struct kube_eks_ref *best = NULL;
	enum kube_match_kind m;
	size_t i;

	*kind = KUBE_MATCH_NONE;
	for (i = 0; i < refs->n; i++) {
		m = kube_match_ref(&refs->v[i], k);
		if (m == KUBE_MATCH_NONE)
			continue;
		if (best == NULL || kind_rank(m) < kind_rank(*kind) ||
		    (kind_rank(m) == kind_rank(*kind) && refs->v[i].current && !best->current)) {
			best = &refs->v[i];
			*kind = m;
		}
	}
	return best;
}

/* Standard base64 (line breaks allowed) into a new NUL-terminated string. */
static char *
ca_decode(const char *b64, size_t *len)
{
	size_t i, n = 0, in_len = strlen(b64);
	char *clean, *out;
	int got;

	clean = malloc(in_len + 1);
	out = malloc(in_len / 4 * 3 + 4);
	if (clean == NULL || out == NULL)
		goto fail;
	for (i = 0; i < in_len; i++)
		if (!isspace((unsigned char)b64[i]))
			clean[n++] = b64[i];
	if (n == 0 || n % 4 != 0)
		goto fail;
	got = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)clean, (int)n);
	if (got < 0)
		goto fail;
	got -= (clean[n - 1] == '=') + (clean[n - 2] == '=');
	out[got] = '\0';
	*len = (size_t)got;
	free(clean);
	return out;
fail:
	free(clean);
	free(out);
	return NULL;
}

int
kube_match_cluster_target(const struct aws_eks_cluster *k, struct kube_target **out, struct irsa_error *err)
{
	struct kube_target *t;
	const char *name = k->name != NULL ? k->name : "(unnamed)";

	*out = NULL;
	if (k->endpoint == NULL || *k->endpoint == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "EKS cluster %s has no endpoint yet", name);
		return irsa_error_hint(err, "A cluster being created gets its endpoint once it is ACTIVE.");
	}
	if (k->ca_data == NULL || *k->ca_data == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "EKS cluster %s has no certificate authority data", name);
		return -1;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return irsa_error_oom(err);
	t->ca_pem = ca_decode(k->ca_data, &t->ca_pem_len);
	if (t->ca_pem == NULL || strstr(t->ca_pem, "-----BEGIN CERTIFICATE-----") == NULL) {
		kube_target_free(t);
		return irsa_error_set(
		        err, IRSA_ERR_INVALID_INPUT,
		        "the certificate authority data of EKS cluster %s is not a base64 PEM certificate", name);
	}
	if (dup_opt(&t->cluster, k->arn != NULL ? k->arn : name) != 0 || (t->user = strdup("")) == NULL ||
	    (t->server = strdup(k->endpoint)) == NULL || (t->namespace = strdup("default")) == NULL) {
		kube_target_free(t);
		return irsa_error_oom(err);
	}
	t->auth = KUBE_AUTH_NONE;
	*out = t;
	return 0;
}
