/* core/export.h - a plan as code a user can run or commit: the aws/kubectl
 * command of each step (what plan_build() stores in step->command), a POSIX
 * sh script of the steps, Terraform describing the end state (with import
 * blocks for what exists already), or the ServiceAccount manifest.
 * docs/plan.md describes the formats. Deterministic: equal plans give equal
 * bytes (no timestamps). Pure: no I/O, no printing. */
#ifndef IRSA_EXPORT_H
#define IRSA_EXPORT_H

#include "buf.h"
#include "error.h"
#include "plan.h"

enum export_format {
	EXPORT_SHELL,     /* #!/bin/sh, set -eu, one command per step */
	EXPORT_TERRAFORM, /* HCL as `terraform fmt` writes it: the end state */
	EXPORT_YAML,      /* the ServiceAccount manifest with its annotations after the plan */
};

/* The format called name: "shell", "terraform" or "yaml". Returns 0 and
 * sets *out, or -1 when name is none of them. */
int export_format_parse(const char *name, enum export_format *out);

/* The format's name, as export_format_parse() reads it. Static. */
const char *export_format_name(enum export_format f);

/* The aws CLI (v1 syntax) or kubectl command that does what step s does, on
 * one line, every argument shell-quoted (POSIX single quotes where needed).
 * p gives the kubeconfig context (kubectl gets no --context when p->context
 * is NULL); the trust document is minified as IAM measures it. Returns a new
 * string the caller frees, or NULL when out of memory. */
char *export_step_command(const struct plan *p, const struct plan_step *s);

/* Appends the plan in format f to out. Returns 0, or -1 with err set:
 * IRSA_ERR_INVALID_INPUT when the plan lacks what the format needs (a step
 * of unknown kind; the namespace and service account for Terraform and
 * YAML; a trust policy for Terraform), IRSA_ERR_LIMIT or IRSA_ERR_INTERNAL
 * when out fails. */
int export_plan(const struct plan *p, enum export_format f, struct buf *out, struct irsa_error *err);

#endif
