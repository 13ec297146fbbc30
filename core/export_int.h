/* core/export_int.h - private to the export files, not part of export.h:
 * the helpers export.c lends the format writers (shell words, comments, the
 * plan's names as text) and the writers export_plan() dispatches to
 * (export_hcl.c, export_yaml.c). Code outside core/export*.c uses
 * export.h. */
#ifndef IRSA_EXPORT_INT_H
#define IRSA_EXPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "export.h"
#include "plan.h"
#include "trust.h"

/* The cap on one command, comment line or quoted value: room for a quoted
 * trust document and the rest. */
#define EXPORT_MAX_COMMAND (4 * TRUST_MAX_DOC + 65536)

/* The client ID (audience) the OIDC provider must list for IRSA. */
#define EXPORT_AUDIENCE TRUST_AUDIENCE_STS

/* --- export.c: helpers ------------------------------------------------------ */

/* Marks b failed (out of memory) for a failure outside its own appends. */
void export_buf_fail(struct buf *b);

/* An ASCII letter or digit (no locale). */
bool export_is_alnum(unsigned char c);

/* Appends a space and s as one shell word: bare when every character is one
 * a POSIX shell takes literally, else in single quotes ('\'' for a quote
 * inside). NULL is the empty word. */
void export_sh_arg(struct buf *b, const char *s);

/* The same for a, sep and c joined into one word ("key=value",
 * "deployment/name"); NULL a or c count as "". */
void export_sh_arg3(struct buf *b, const char *a, const char *sep, const char *c);

/* Appends "kubectl [--context C] -n NS": the context is p->context, none
 * when it is NULL. */
void export_kubectl(struct buf *b, const struct plan *p, const char *ns);

/* How many of the n annotations have a value after the plan. */
size_t export_annotations_set(const struct plan_annotation *a, size_t n);

/* s, or "(unknown)" when NULL. */
const char *export_or_unknown(const char *s);

/* Appends "# ", the formatted text with every control character made a
 * space (a name with a newline must not end the comment), and a newline. */
void export_comment(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "prod (us-west-2)", or without the region when it is unknown. Written
 * into out, which it returns. */
const char *export_cluster_text(const struct plan *p, char *out, size_t outsz);

/* Appends a comment holding before, the `aws eks update-kubeconfig` command
 * that makes a kubeconfig context for p's cluster, and after. */
void export_update_kubeconfig(struct buf *b, const struct plan *p, const char *before, const char *after);

/* The role as the exports name it: its ARN, else its name, else
 * "(unknown)". Borrowed from p. */
const char *export_role_text(const struct plan *p);

/* --- the format writers ----------------------------------------------------- */

/* Appends p as Terraform (export_hcl.c). p names its namespace and service
 * account (export_plan() checks). Returns 0, or -1 with err set when the
 * plan has no trust policy or one that is not a JSON object; a failed
 * append leaves out->failed set for the caller to report. */
int export_hcl_write(const struct plan *p, struct buf *out, struct irsa_error *err);

/* Appends p's ServiceAccount manifest (export_yaml.c). p names its
 * namespace and service account (export_plan() checks); a failed append
 * leaves out->failed set for the caller to report. */
void export_yaml_write(const struct plan *p, struct buf *out);

#endif
