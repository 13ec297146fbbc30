/* core/presets.h - add-on presets: what the common EKS add-ons (the AWS Load
 * Balancer Controller, the EBS and EFS CSI drivers, external-dns,
 * cert-manager, external-secrets, cluster-autoscaler, the VPC CNI,
 * CloudWatch observability) need from IAM: the namespace and service
 * account their chart installs by default, the AWS managed policies AWS
 * publishes for them, and, where AWS publishes none, a short customer
 * managed policy template with what it grants in one sentence.
 *
 * A table, not code: adding an add-on is adding a row in presets.c.
 * Templates hold placeholders (${partition}, ${region}, ${account},
 * ${cluster}) that presets_render() fills. Pure: no I/O. */
#ifndef IRSA_PRESETS_H
#define IRSA_PRESETS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define PRESET_MAX_MANAGED 3

/* One add-on. Every string static. */
struct preset {
	const char *id;     /* short, for the command line and tests: "ebs-csi" */
	const char *title;  /* "EBS CSI driver" */
	const char *ns;     /* the namespace its chart (or EKS add-on) installs into */
	const char *sa;     /* the service account it runs as */
	const char *grants; /* one sentence: what the role may do with the policies below */
	/* AWS managed policies, as templates ("arn:${partition}:iam::aws:policy/..."); NULL-terminated. */
	const char *managed[PRESET_MAX_MANAGED + 1];
	/* The customer managed policy the add-on needs when AWS publishes none:
	 * its conventional name (as the add-on's docs call it), the JSON
	 * document as a template, and what it grants in one sentence. NULL
	 * when the managed policies above are enough. */
	const char *policy_name;
	const char *policy_document;
	const char *policy_grants;
	const char *source; /* where the add-on documents its IAM needs */
};

/* The table, in display order; *n gets its length. */
const struct preset *presets_all(size_t *n);

/* The preset with this id (case-insensitive), or NULL. */
const struct preset *presets_find(const char *id);

/* The preset whose default namespace and service account are ns/sa (the
 * wizard suggests it), or NULL. */
const struct preset *presets_match(const char *ns, const char *sa);

/* What placeholders stand for. NULL members leave their placeholder
 * unknown: rendering a template that uses it is an error. */
struct presets_vars {
	const char *partition; /* "aws", "aws-cn", "aws-us-gov" */
	const char *region;    /* "us-east-1" */
	const char *account;   /* 12 digits */
	const char *cluster;   /* the EKS cluster's name */
};

/* Replaces every ${partition}, ${region}, ${account} and ${cluster} in tmpl.
 * Returns a new string the caller frees, or NULL with err set:
 * IRSA_ERR_INVALID_INPUT naming an unknown placeholder or one vars leaves
 * NULL, IRSA_ERR_INTERNAL when out of memory. */
char *presets_render(const char *tmpl, const struct presets_vars *vars, struct irsa_error *err);

/* Whether tmpl uses placeholder name ("account", without ${}). */
bool presets_uses(const char *tmpl, const char *name);

#endif
