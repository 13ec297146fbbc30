/* tests/integration/kube_check.c - drives core's Kubernetes client
 * (core/kube.h, core/kube_api.h) against the sandbox's fake API server for
 * tests/integration/kube_client.sh: one call per run, through the
 * kubeconfig in KUBECONFIG as irsa reads it. Links only libirsacore.
 *
 *   kube_check [--context C] [--page-size N] COMMAND ARGS...
 *     version                          gitVersion major.minor
 *     namespaces                       one name a line
 *     sa-list NS|-A [SELECTOR]         "ns/name role-arn" a line ("-" when unbound)
 *     sa-get NS NAME                   "ns/name", then "key=value" per annotation
 *     sa-create NS NAME [KEY=VALUE...] creates it with those annotations
 *     sa-annotate NS NAME KEY=VALUE|KEY- ...   merge patch (KEY- removes)
 *     sa-delete NS NAME [UID]          deletes it (only while its uid is UID, when given)
 *     pods NS|-A SA                    "ns/name" of the pods running as SA
 *     workloads NS|-A SA               "Kind ns/name" of the workloads using SA
 *     restart KIND NS NAME             rollout restart (deployment, statefulset, daemonset)
 *     token NS SA AUDIENCE SECONDS     the token, then its expirationTimestamp
 *     can-i VERB GROUP RESOURCE NS [NAME]   "yes" or "no" (GROUP "" for the core group)
 * Lists also write "pages=N restarts=N" to stderr. Errors: "irsa: <error>",
 * "hint: <hint>" and "kind: <kind>" on stderr; exit 1. Usage: exit 2. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube.h"
#include "kube_api.h"
#include "kube_exec.h"
#include "kubeconfig.h"

static int
fail(const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(stderr, "irsa: %s\nhint: %s\nkind: %s\n", line, err->hint, irsa_err_name(err->kind));
	return 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: kube_check [--context C] [--page-size N] COMMAND ARGS... (see the source)\n");
	return 2;
}

static const char *
ns_arg(const char *s)
{
	return strcmp(s, "-A") == 0 ? NULL : s;
}

static void
print_stats(const struct kube_object_list *l)
{
	fprintf(stderr, "pages=%d restarts=%d\n", l->stats.pages, l->stats.restarts);
}

/* KEY=VALUE or KEY- into kv (pointers into arg, which is changed). */
static void
parse_kv(char *arg, struct kube_kv *kv)
{
	char *eq = strchr(arg, '=');
	size_t len = strlen(arg);

	kv->key = arg;
	kv->value = NULL;
	if (eq != NULL) {
		*eq = '\0';
		kv->value = eq + 1;
	} else if (len > 0 && arg[len - 1] == '-') {
		arg[len - 1] = '\0';
	}
}

static int
print_list(int rc, struct kube_object_list *l, bool with_role, bool with_kind, const struct irsa_error *err)
{
	size_t i;

	if (rc != 0)
		return fail(err);
	for (i = 0; i < l->n; i++) {
		const struct kube_object *o = &l->v[i];
		const char *role = kube_object_annotation(o, "eks.amazonaws.com/role-arn");

		if (with_kind)
			printf("%s ", kube_resource(o->kind)->kind);
		printf("%s%s%s", o->namespace, *o->namespace != '\0' ? "/" : "", o->name);
		if (with_role)
			printf(" %s", role != NULL ? role : "-");
		printf("\n");
	}
	print_stats(l);
	kube_object_list_release(l);
	return 0;
}

static int
run(struct kube_client *c, int argc, char **argv)
{
	struct kube_object_list l;
	struct kube_object o;
	struct irsa_error err;
	const char *cmd = argv[0];
	size_t i;

	if (strcmp(cmd, "version") == 0) {
		struct kube_version v;

		if (kube_server_version(c, &v, &err) != 0)
			return fail(&err);
		printf("%s %s.%s\n", v.git_version, v.major, v.minor);
	} else if (strcmp(cmd, "namespaces") == 0) {
		return print_list(kube_list_namespaces(c, &l, &err), &l, false, false, &err);
	} else if (strcmp(cmd, "sa-list") == 0 && argc >= 2) {
		return print_list(kube_list_serviceaccounts(c, ns_arg(argv[1]), argc > 2 ? argv[2] : NULL, &l, &err),
		                  &l, true, false, &err);
	} else if (strcmp(cmd, "sa-get") == 0 && argc == 3) {
		if (kube_get_serviceaccount(c, argv[1], argv[2], &o, &err) != 0)
			return fail(&err);
		printf("%s/%s\n", o.namespace, o.name);
		for (i = 0; i < o.n_annotations; i++)
			printf("%s=%s\n", o.annotations[i].key, o.annotations[i].value);
		kube_object_release(&o);
	} else if ((strcmp(cmd, "sa-create") == 0 || strcmp(cmd, "sa-annotate") == 0) && argc >= 3) {
		struct kube_kv kv[16];
		size_t n = (size_t)argc - 3;
		int rc;

		if (n > 16)
			return usage();
		for (i = 0; i < n; i++)
			parse_kv(argv[3 + i], &kv[i]);
		if (strcmp(cmd, "sa-create") == 0)
			rc = kube_create_serviceaccount(c, argv[1], argv[2], kv, n, NULL, 0, &o, &err);
		else
			rc = kube_patch_serviceaccount_annotations(c, argv[1], argv[2], kv, n, &o, &err);
		if (rc != 0)
			return fail(&err);
		printf("%s/%s %s\n", o.namespace, o.name, o.resource_version);
		kube_object_release(&o);
	} else if (strcmp(cmd, "sa-delete") == 0 && (argc == 3 || argc == 4)) {
		if (kube_delete_serviceaccount(c, argv[1], argv[2], argc == 4 ? argv[3] : NULL, &err) != 0)
			return fail(&err);
		printf("%s/%s deleted\n", argv[1], argv[2]);
	} else if (strcmp(cmd, "pods") == 0 && argc == 3) {
		return print_list(kube_list_pods_using(c, ns_arg(argv[1]), argv[2], &l, &err), &l, false, false, &err);
	} else if (strcmp(cmd, "workloads") == 0 && argc == 3) {
		return print_list(kube_list_workloads_using(c, ns_arg(argv[1]), argv[2], &l, &err), &l, false, true,
		                  &err);
	} else if (strcmp(cmd, "restart") == 0 && argc == 4) {
		enum kube_kind kind = strcmp(argv[1], "deployment") == 0    ? KUBE_DEPLOYMENT
		                      : strcmp(argv[1], "statefulset") == 0 ? KUBE_STATEFULSET
		                      : strcmp(argv[1], "daemonset") == 0   ? KUBE_DAEMONSET
		                                                            : KUBE_POD;

		if (kube_rollout_restart(c, kind, argv[2], argv[3], 0, &o, &err) != 0)
			return fail(&err);
		printf("%s/%s restarted\n", o.namespace, o.name);
		kube_object_release(&o);
	} else if (strcmp(cmd, "token") == 0 && argc == 5) {
		const char *aud = argv[3];
		struct kube_token t;

		if (kube_token_request(c, argv[1], argv[2], &aud, 1, strtol(argv[4], NULL, 10), &t, &err) != 0)
			return fail(&err);
		printf("%s\n%s\n", t.token, t.expiration_timestamp);
		kube_token_release(&t);
	} else if (strcmp(cmd, "can-i") == 0 && (argc == 5 || argc == 6)) {
		struct kube_access_query q = {
		        .verb = argv[1], .group = argv[2], .resource = argv[3], .namespace = argv[4]};
		struct kube_access a;

		q.name = argc == 6 ? argv[5] : NULL;
		if (kube_access_review(c, &q, &a, &err) != 0)
			return fail(&err);
		printf("%s\n", a.allowed ? "yes" : "no");
	} else {
		return usage();
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct kube_client_options opt = {0};
	const char *context = NULL;
	struct kube_target *target = NULL;
	struct kubeconfig *cfg = NULL;
	struct kube_client *c;
	struct irsa_error err;
	int i = 1, rc;

	while (i + 1 < argc && strncmp(argv[i], "--", 2) == 0) {
		if (strcmp(argv[i], "--context") == 0)
			context = argv[i + 1];
		else if (strcmp(argv[i], "--page-size") == 0)
			opt.page_size = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else
			return usage();
		i += 2;
	}
	if (i >= argc)
		return usage();
	if (kubeconfig_load(NULL, &cfg, &err) != 0 || kubeconfig_resolve(cfg, context, &target, &err) != 0) {
		kubeconfig_free(cfg);
		return fail(&err);
	}
	c = kube_client_new(target, &opt, &err);
	if (c == NULL) {
		rc = fail(&err);
	} else {
		rc = run(c, argc - i, argv + i);
		kube_client_free(c);
	}
	kube_target_free(target);
	kubeconfig_free(cfg);
	kube_exec_cache_clear();
	return rc;
}
