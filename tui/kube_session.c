/* tui/kube_session.c - the kubeconfig, context, credential and client the
 * Kubernetes commands share (see kube_session.h). No curses here. */
#include "config.h"

#include "kube_session.h"

#include <stdlib.h>
#include <string.h>

#include "kube_exec.h"
#include "log.h"

int
kube_session_open(const struct cli *cli, unsigned page_size, struct kube_session *s, struct irsa_error *err)
{
	return kube_session_open_context(cli, cli->context, page_size, s, err);
}

int
kube_session_open_context(const struct cli *cli, const char *context, unsigned page_size, struct kube_session *s,
                          struct irsa_error *err)
{
	struct kube_client_options opt;

	memset(s, 0, sizeof(*s));
	memset(&opt, 0, sizeof(opt));
	opt.page_size = page_size;
	if (kubeconfig_load(cli->kubeconfig, &s->cfg, err) != 0 ||
	    kubeconfig_resolve(s->cfg, context, &s->target, err) != 0)
		goto fail;
	if (s->target->warn_insecure)
		log_warn(
		        "context %s skips TLS verification (insecure-skip-tls-verify): the server is not authenticated",
		        s->target->context);
	if (!cli->exec_plugins && kube_eks_auth_applies(s->target)) {
		if ((s->eks = kube_eks_auth_new(s->target, err)) == NULL)
			goto fail;
		kube_eks_auth_set_options(s->eks, &opt);
	}
	if ((s->client = kube_client_new(s->target, &opt, err)) == NULL)
		goto fail;
	return 0;
fail:
	kube_session_release(s);
	return -1;
}

void
kube_session_close(struct kube_session *s)
{
	kube_session_release(s);
	kube_exec_cache_clear();
}

void
kube_session_release(struct kube_session *s)
{
	kube_client_free(s->client);
	kube_eks_auth_free(s->eks);
	kube_target_free(s->target);
	kubeconfig_free(s->cfg);
	memset(s, 0, sizeof(*s));
}

int
kube_session_chunk_size(struct cli *cli, unsigned *out)
{
	const char *v = cli_flag_value(cli, "chunk-size");
	char *end;
	long n;

	*out = 0;
	if (v == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > KUBE_SESSION_MAX_CHUNK)
		return cli_usage_error(cli, "Give a number of items per page, e.g. --chunk-size 500.",
		                       "--chunk-size must be a number from 1 to %d (got \"%s\")",
		                       KUBE_SESSION_MAX_CHUNK, v);
	*out = (unsigned)n;
	return 0;
}
