/* tui/browse.c - what the browse screens share (see browse.h): targets,
 * clients opened inside jobs with Esc wired to cancel them, the cluster's
 * IAM side, and how a binding status is shown. No curses here. */
#include "config.h"

#include "browse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eks.h"
#include "iam.h"

static int
dup_opt(char **out, const char *s)
{
	*out = NULL;
	return s != NULL && (*out = strdup(s)) == NULL ? -1 : 0;
}

int
browse_target_set(struct browse_target *t, const struct ui_goto *g, const struct cli *cli)
{
	static const struct ui_goto none;
	const char *ctx;

	if (g == NULL)
		g = &none;
	ctx = g->context != NULL || g->cluster != NULL ? g->context : cli->context;
	memset(t, 0, sizeof(*t));
	if (dup_opt(&t->context, ctx) != 0 || dup_opt(&t->cluster, g->cluster) != 0 ||
	    dup_opt(&t->region, g->region) != 0 || dup_opt(&t->ns, g->ns) != 0 || dup_opt(&t->name, g->name) != 0) {
		browse_target_release(t);
		return -1;
	}
	return 0;
}

void
browse_target_release(struct browse_target *t)
{
	free(t->context);
	free(t->cluster);
	free(t->region);
	free(t->ns);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

struct ui_goto
browse_target_goto(const struct browse_target *t, const char *ns, const char *name)
{
	struct ui_goto g = {t->context, ns, name, NULL, NULL};

	if (t->context == NULL) {
		g.cluster = t->cluster;
		g.region = t->region;
	}
	return g;
}

const char *
browse_target_label(const struct browse_target *t)
{
	if (t->cluster != NULL)
		return t->cluster;
	return t->context != NULL ? t->context : "current context";
}

/* --- clients inside jobs --------------------------------------------------- */

static void
cancel_kube(void *client)
{
	kube_client_cancel(client);
}

static void
cancel_aws(void *client)
{
	aws_client_cancel(client);
}

int
browse_kube_open(struct job *j, const struct cli *cli, const struct browse_target *t, struct browse_kube *k,
                 struct irsa_error *err)
{
	memset(k, 0, sizeof(*k));
	if (t->context == NULL && t->cluster != NULL) {
		if (bind_clients_open(&k->c, cli, NULL, t->cluster, t->region, err) != 0) {
			bind_clients_close(&k->c);
			return -1;
		}
		k->client = k->c.kube;
	} else {
		if (kube_session_open_context(cli, t->context, 0, &k->s, err) != 0)
			return -1;
		k->client = k->s.client;
		k->context = k->s.target->context;
	}
	job_on_cancel(j, cancel_kube, k->client);
	return 0;
}

void
browse_kube_close(struct job *j, struct browse_kube *k)
{
	job_on_cancel(j, NULL, NULL);
	kube_session_release(&k->s);
	bind_clients_close(&k->c);
	memset(k, 0, sizeof(*k));
}

/* --- the cluster's IAM side ------------------------------------------------ */

/* An AWS client in the cluster's region, and the cluster's name. */
static struct aws_client *
iam_client(const struct cli *cli, const struct browse_target *t, struct browse_iam *out, struct bind_clients *bc,
           struct irsa_error *err)
{
	struct aws_client_options opt = {.profile = cli->profile, .region = t->region};
	struct aws_client *c;

	if (t->context == NULL && t->cluster != NULL) {
		snprintf(out->cluster, sizeof(out->cluster), "%s", t->cluster);
		snprintf(out->region, sizeof(out->region), "%s", t->region != NULL ? t->region : "");
		return aws_client_new(&opt, err);
	}
	if (bind_clients_open(bc, cli, t->context, NULL, NULL, err) != 0)
		return NULL;
	snprintf(out->cluster, sizeof(out->cluster), "%s", bc->cluster);
	snprintf(out->region, sizeof(out->region), "%s", bc->region);
	c = bc->aws;
	bc->aws = NULL; /* ours now */
	bc->env.aws = NULL;
	return c;
}

/* DescribeCluster and GetOpenIDConnectProvider. Returns 0, or -1 with err
 * set. */
static int
iam_provider(struct aws_client *c, struct browse_iam *out, struct irsa_error *err)
{
	struct aws_oidc_provider prov;
	struct aws_eks_cluster k;
	int rc;

	rc = eks_describe_cluster(c, out->cluster, &k, err);
	if (rc == 0 && (k.oidc_issuer == NULL || *k.oidc_issuer == '\0'))
		rc = irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "cluster %s has no OIDC issuer", out->cluster);
	if (rc == 0 && ((out->issuer = strdup(k.oidc_issuer)) == NULL ||
	                (out->provider_arn = iam_cluster_provider_arn(k.arn, k.oidc_issuer)) == NULL))
		rc = irsa_error_oom(err);
	aws_eks_cluster_release(&k);
	if (rc != 0)
		return -1;
	memset(&prov, 0, sizeof(prov));
	rc = iam_get_oidc_provider(c, out->provider_arn, &prov, err);
	aws_oidc_provider_release(&prov);
	if (rc != 0 && err->kind == IRSA_ERR_NOT_FOUND) {
		out->provider_missing = true;
		irsa_error_clear(err);
		rc = 0;
	}
	return rc;
}

static int
iam_roles(struct aws_client *c, const char *role_name, struct browse_iam *out, struct irsa_error *err)
{
	struct aws_role role;

	if (role_name == NULL)
		return iam_list_roles(c, NULL, 0, &out->roles, err);
	memset(&role, 0, sizeof(role));
	if (iam_get_role(c, role_name, &role, err) != 0) {
		aws_role_release(&role);
		if (err->kind != IRSA_ERR_NOT_FOUND)
			return -1;
		irsa_error_clear(err);
		return 0; /* missing: an empty list */
	}
	if ((out->roles.v = calloc(1, sizeof(*out->roles.v))) == NULL) {
		aws_role_release(&role);
		return irsa_error_oom(err);
	}
	out->roles.v[0] = role;
	out->roles.n = 1;
	return 0;
}

int
browse_iam_read(struct job *j, const struct cli *cli, const struct browse_target *t, const char *role_name,
                struct browse_iam *out, struct aws_attached_policy_list *attached, struct irsa_error *err)
{
	struct bind_clients bc;
	struct aws_client *c;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&bc, 0, sizeof(bc));
	irsa_error_clear(&out->err);
	c = iam_client(cli, t, out, &bc, &out->err);
	bind_clients_close(&bc);
	if (c == NULL)
		return 0;
	job_on_cancel(j, cancel_aws, c);
	if (iam_provider(c, out, &out->err) == 0) {
		if (iam_roles(c, role_name, out, &out->err) == 0)
			out->roles_read = true;
		else
			aws_role_list_release(&out->roles);
	}
	if (attached != NULL && role_name != NULL && out->roles.n == 1 &&
	    iam_list_attached_role_policies(c, role_name, NULL, attached, err) != 0 && out->err.kind == IRSA_OK)
		out->err = *err;
	job_on_cancel(j, NULL, NULL);
	aws_client_free(c);
	if (job_cancelled(j) || out->err.kind == IRSA_ERR_CANCELLED)
		rc = irsa_error_set(err, IRSA_ERR_CANCELLED, "cancelled");
	return rc;
}

void
browse_iam_release(struct browse_iam *iam)
{
	free(iam->issuer);
	free(iam->provider_arn);
	aws_role_list_release(&iam->roles);
	iam->issuer = iam->provider_arn = NULL;
}

/* --- statuses --------------------------------------------------------------- */

const char *
browse_status_text(enum binding_status s, bool utf8, char *out)
{
	snprintf(out, BROWSE_STATUS_MAX, "%s %s", binding_status_glyph(s, utf8), binding_status_word(s));
	return out;
}

enum theme_role
browse_status_role(enum binding_status s)
{
	if (binding_status_broken(s))
		return THEME_STATUS_ERROR;
	switch (s) {
	case BINDING_OK:
		return THEME_STATUS_OK;
	case BINDING_PODS_NEED_RESTART:
		return THEME_STATUS_WARN;
	case BINDING_UNKNOWN:
		return THEME_DIM;
	default:
		return THEME_BODY;
	}
}
