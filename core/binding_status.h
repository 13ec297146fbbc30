/* core/binding_status.h - the state of one service account's IRSA binding,
 * decided from what the browse screens and the audit have already read:
 * the account (its annotations), the cluster's OIDC provider, the account's
 * roles (ListRoles, with their trust policies) and the pods running as it.
 *
 * In order: no eks.amazonaws.com/role-arn annotation is unbound (a key that
 * looks like it but is not one is a typo: the webhook ignores it too); a
 * role that ListRoles does not have is missing; a cluster whose issuer has
 * no IAM OIDC provider cannot bind anything; a trust policy that does not
 * admit system:serviceaccount:NS:SA (trust_evaluate()) is not admitted; a
 * pod running as the account without AWS_ROLE_ARN for that role in its
 * containers' env was created before the binding and needs a restart.
 * Otherwise ok. Each status has a word and a glyph (UTF-8 and ASCII), so a
 * screen never shows state by colour alone.
 *
 * Pure: no I/O, no clock. */
#ifndef IRSA_BINDING_STATUS_H
#define IRSA_BINDING_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_iam.h"
#include "error.h"
#include "kube_api.h"
#include "trust.h"

#define BINDING_ROLE_KEY     "eks.amazonaws.com/role-arn"
#define BINDING_AUDIENCE_KEY "eks.amazonaws.com/audience"
#define BINDING_ENV_ROLE_ARN "AWS_ROLE_ARN"
#define BINDING_WHY_MAX      1024

enum binding_status {
	BINDING_OK,
	BINDING_UNBOUND,           /* no role-arn annotation */
	BINDING_TYPO,              /* an annotation key like the role-arn key but not it: unbound */
	BINDING_ROLE_MISSING,      /* the annotation names a role ListRoles does not have */
	BINDING_NO_PROVIDER,       /* the cluster's issuer has no IAM OIDC provider */
	BINDING_NOT_ADMITTED,      /* the role's trust policy does not admit the account */
	BINDING_PODS_NEED_RESTART, /* a pod running as it predates the binding */
	BINDING_UNKNOWN,           /* bound, but the roles (or the provider) are not known yet */
	BINDING_N_STATUSES,
};

/* The roles of an account, indexed by name (names are unique in an
 * account), each trust policy parsed once. Owned; release with
 * binding_roles_release(). The aws_role array is borrowed and must outlive
 * it. */
struct binding_role {
	const struct aws_role *role;
	struct trust *trust; /* NULL when the trust policy did not parse */
	char *parse_error;   /* why, when trust is NULL; else NULL */
};

struct binding_roles {
	struct binding_role *v; /* sorted by role name */
	size_t n;
};

/* Indexes the n roles. Returns 0, or -1 with err set (out of memory). A
 * trust policy that does not parse is not an error: its role says why. */
int binding_roles_init(struct binding_roles *r, const struct aws_role *roles, size_t n, struct irsa_error *err);
void binding_roles_release(struct binding_roles *r);

/* The role a role ARN names: the ARN exactly, else the same account and
 * name under another path (STS resolves a role by name). NULL when there is
 * none. Borrowed from r. */
const struct binding_role *binding_roles_find(const struct binding_roles *r, const char *arn);

/* What binding_evaluate() reads. Everything borrowed. */
struct binding_input {
	const struct kube_object *sa;
	const char *provider_arn;          /* the cluster's OIDC provider ARN; NULL: not known */
	bool provider_missing;             /* known: IAM has no such provider */
	const struct binding_roles *roles; /* NULL: not read yet */
	const struct kube_object *pods;    /* the pods running as sa */
	size_t n_pods;
	bool pods_known; /* false: the pods are not read yet (no restart check) */
};

struct binding_result {
	enum binding_status status;
	const char *role_arn;            /* the annotation's value (also a typo'd key's); NULL when unbound */
	const char *role_name;           /* its last path segment, inside role_arn; NULL when unbound */
	const char *typo_key;            /* BINDING_TYPO: the key as written */
	const struct binding_role *role; /* the role found; NULL when missing or not looked up */
	bool evaluated;                  /* eval holds trust_evaluate()'s answer */
	struct trust_eval eval;          /* which statement admits the account, or why none does */
	size_t pods, pods_bound;         /* pods running as it; of them, with AWS_ROLE_ARN = role_arn */
	char why[BINDING_WHY_MAX];       /* one or two sentences for the status */
};

/* Decides in's status. Fills out; never fails (what cannot be decided is
 * BINDING_UNKNOWN with the reason). Everything in out is borrowed from in
 * and roles. */
void binding_evaluate(const struct binding_input *in, struct binding_result *out);

/* The role ARN sa is bound to (the role-arn annotation), or NULL. Borrowed. */
const char *binding_role_arn(const struct kube_object *sa);

/* The annotation key of sa that looks like the role-arn key but is not it
 * (another case, a different separator, another domain: "eks.amazonaws.com/
 * role_arn", "eks.amazonaws.io/role-arn"), or NULL. None when sa has the
 * right key. Borrowed. */
const char *binding_typo_key(const struct kube_object *sa);

/* True when key looks like the role-arn key without being it. */
bool binding_key_is_typo(const char *key);

/* The AWS_ROLE_ARN a pod's containers (then init containers) carry in
 * their env, the first found, or NULL (the webhook did not mutate it).
 * Borrowed from pod. */
const char *binding_pod_role_arn(const struct kube_object *pod);

/* Whether the pod carries AWS_ROLE_ARN = role_arn. */
bool binding_pod_has_role(const struct kube_object *pod, const char *role_arn);

/* "ok", "unbound", "key typo", "role missing", "no provider", "not admitted",
 * "restart pods", "unknown". Static. */
const char *binding_status_word(enum binding_status s);

/* "✓" "–" "✗" "✗" "✗" "✗" "↻" "?" in UTF-8, or "+" "-" "x" "x" "x" "x" "~" "?".
 * Static. */
const char *binding_status_glyph(enum binding_status s, bool utf8);

/* True for the statuses of a binding that cannot work as it is: a key
 * typo, a missing role, no OIDC provider, a trust that does not admit it. */
bool binding_status_broken(enum binding_status s);

#endif
