/* core/kube_eks_auth.c - the built-in EKS token behind the Kubernetes
 * client's token hook: the plugin's flags and env list read once, the token
 * made by eks_token_get() reading the environment through the env list (an
 * env.h overlay: the process environment is never changed), and cached
 * until shortly before it expires. No printing. */
#include "config.h"

#include "kube_eks_auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "eks_token.h"
#include "env.h"
#include "kube_exec.h"
#include "log.h"

struct kube_eks_auth {
	char *cluster_id;
	char *region;
	char *profile; /* only a --profile flag; AWS_PROFILE stays in env */
	char *role_arn;
	struct env *env; /* the plugin's env list over the environment; NULL: none */
	char source[KUBE_MAX_DESCRIPTION];

	pthread_mutex_t lock; /* the cache */
	char *token;          /* secret */
	time_t expiry;
	unsigned count;
};

static int
dup_opt(char **out, const char *s)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	*out = strdup(s);
	return *out != NULL ? 0 : -1;
}

static struct kube_eks_auth *
auth_alloc(const struct kube_eks_auth_params *p, struct irsa_error *err)
{
	struct kube_eks_auth *a;

	if (p->cluster_id == NULL || *p->cluster_id == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the built-in EKS token needs a cluster name");
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		irsa_error_oom(err);
		return NULL;
	}
	pthread_mutex_init(&a->lock, NULL);
	if (dup_opt(&a->cluster_id, p->cluster_id) != 0 || dup_opt(&a->region, p->region) != 0 ||
	    dup_opt(&a->profile, p->profile) != 0 || dup_opt(&a->role_arn, p->role_arn) != 0) {
		kube_eks_auth_free(a);
		irsa_error_oom(err);
		return NULL;
	}
	snprintf(a->source, sizeof(a->source), "the built-in EKS token of cluster %s%s%s%s%s", a->cluster_id,
	         a->region != NULL ? " in " : "", a->region != NULL ? a->region : "",
	         a->role_arn != NULL ? " as role " : "", a->role_arn != NULL ? a->role_arn : "");
	return a;
}

struct kube_eks_auth *
kube_eks_auth_new_params(const struct kube_eks_auth_params *p, struct irsa_error *err)
{
	return auth_alloc(p, err);
}

bool
kube_eks_auth_applies(const struct kube_target *t)
{
	struct kube_eks_params ep;

	return t != NULL && t->has_exec && kube_exec_eks_params(&t->exec, &ep);
}

/* True when value is one of the env list's own strings: the profile came
 * from AWS_PROFILE there, not from a --profile flag. */
static bool
from_env_list(const struct kube_exec_config *c, const char *value)
{
	size_t i;

	for (i = 0; i < c->n_env; i++)
		if (c->env[i].value == value)
			return true;
	return false;
}

struct kube_eks_auth *
kube_eks_auth_new(const struct kube_target *t, struct irsa_error *err)
{
	struct kube_eks_auth_params p = {NULL, NULL, NULL, NULL};
	struct kube_eks_params ep;
	struct kube_eks_auth *a;
	size_t i;

	if (t == NULL || !t->has_exec || !kube_exec_eks_params(&t->exec, &ep)) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "user \"%s\" has no EKS token plugin (aws eks get-token)",
		               t != NULL ? t->user : "");
		return NULL;
	}
	p.cluster_id = ep.token_id;
	p.region = ep.region;
	p.role_arn = ep.role_arn;
	p.profile = ep.profile != NULL && !from_env_list(&t->exec, ep.profile) ? ep.profile : NULL;
	a = auth_alloc(&p, err);
	if (a == NULL || t->exec.n_env == 0)
		return a;
	a->env = env_new();
	for (i = 0; a->env != NULL && i < t->exec.n_env; i++)
		if (env_set(a->env, t->exec.env[i].name, t->exec.env[i].value) != 0)
			break;
	if (a->env == NULL || i < t->exec.n_env) {
		kube_eks_auth_free(a);
		irsa_error_oom(err);
		return NULL;
	}
	return a;
}

void
kube_eks_auth_free(struct kube_eks_auth *a)
{
	if (a == NULL)
		return;
	env_free(a->env); /* wipes: a value may be a key (AWS_SECRET_ACCESS_KEY) */
	buf_free_secret(a->token);
	free(a->cluster_id);
	free(a->region);
	free(a->profile);
	free(a->role_arn);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

/* Makes a new token into a's cache. Called with a->lock held. */
static int
token_make(struct kube_eks_auth *a, struct irsa_error *err)
{
	struct eks_token_options opt = {a->cluster_id, a->profile, a->region, a->role_arn, a->env};
	struct eks_token t;

	if (eks_token_get(&opt, &t, err) != 0) {
		irsa_error_prefix(err, "%s", a->source);
		return -1;
	}
	buf_free_secret(a->token);
	a->token = t.token;
	a->expiry = t.expiration;
	t.token = NULL;
	eks_token_release(&t);
	a->count++;
	log_debug("kube: made %s (token %u, valid until %lld)", a->source, a->count, (long long)a->expiry);
	return 0;
}

int
kube_eks_auth_token(void *arg, bool refresh, char **token, time_t *expiry, struct irsa_error *err)
{
	struct kube_eks_auth *a = arg;
	int rc = 0;

	*token = NULL;
	*expiry = 0;
	pthread_mutex_lock(&a->lock);
	if (refresh || a->token == NULL || time(NULL) >= a->expiry - KUBE_TOKEN_MARGIN)
		rc = token_make(a, err);
	if (rc == 0 && (*token = strdup(a->token)) == NULL)
		rc = irsa_error_oom(err);
	if (rc == 0)
		*expiry = a->expiry;
	pthread_mutex_unlock(&a->lock);
	return rc;
}

void
kube_eks_auth_set_options(struct kube_eks_auth *a, struct kube_client_options *opt)
{
	opt->token_fn = kube_eks_auth_token;
	opt->token_arg = a;
	opt->token_source = a->source;
}

const char *
kube_eks_auth_source(const struct kube_eks_auth *a)
{
	return a->source;
}

unsigned
kube_eks_auth_count(const struct kube_eks_auth *a)
{
	return a->count;
}
