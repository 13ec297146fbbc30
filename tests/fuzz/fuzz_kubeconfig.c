/* tests/fuzz/fuzz_kubeconfig.c - libFuzzer harness for kubeconfig loading
 * (core/kubeconfig.h). kubeconfig_load() only reads files, so each input is
 * written to a scratch file in a private directory and loaded as
 * --kubeconfig; every context is listed and resolved (which reads the CA,
 * certificate, key and token files it names: relative names resolve inside
 * the empty scratch directory; inputs naming device or /proc paths are not
 * resolved, so a run never blocks on a pipe or reads /dev/zero). Nothing is
 * executed: exec plugins are only parsed. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kubeconfig.h"
#include "redact.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
names_special_file(const uint8_t *data, size_t size)
{
	static const char *const bad[] = {"/dev", "/proc", "/sys", "/run"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (memmem(data, size, bad[i], strlen(bad[i])) != NULL)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kubeconfig *cfg = NULL;
	struct kube_context_info info;
	struct kube_target *t;
	struct irsa_error err;
	const char *path;
	size_t i, n;

	if (size > 256 * 1024)
		return 0;
	path = fuzz_write_file(data, size);
	irsa_error_clear(&err);
	if (kubeconfig_load(path, &cfg, &err) != 0)
		return 0;
	(void)kubeconfig_current_context(cfg);
	n = kubeconfig_n_contexts(cfg);
	for (i = 0; i < n; i++) {
		if (kubeconfig_context(cfg, i, &info) != 0)
			abort(); /* every listed context must be readable */
		(void)kube_auth_kind_name(info.auth);
		if (names_special_file(data, size))
			continue;
		t = NULL;
		if (kubeconfig_resolve(cfg, info.name, &t, &err) == 0)
			kube_target_free(t);
	}
	if (!names_special_file(data, size)) {
		t = NULL;
		if (kubeconfig_resolve(cfg, NULL, &t, &err) == 0)
			kube_target_free(t);
	}
	kubeconfig_free(cfg);
	redact_reset(); /* loading registers secrets: keep the list from growing */
	return 0;
}
