/* core/plan.h - the binding engine's plan: from the user's choices (cluster,
 * namespace, service account, role, policies, service principals, options)
 * and what AWS and Kubernetes hold now, the ordered, minimal list of changes
 * that binds the service account to the role, each with the request it makes
 * and the equivalent aws/kubectl command.
 *
 * Three stages, so that the pure part is testable without a network:
 *   plan_read()  (plan_read.c)  reads the state the plan depends on;
 *   plan_build() (plan.c)       pure: choices + state -> steps; a step that
 *                               would change nothing is left out, so a plan
 *                               built after an apply is empty;
 *   plan_apply() (plan_apply.h) re-reads, journals and makes the changes.
 * plan_to_json()/plan_from_json() (plan_json.c) are the plan's one
 * serialised form: `-o json`, the journal and rollback all use it.
 * No printing. */
#ifndef IRSA_PLAN_H
#define IRSA_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_iam.h"
#include "error.h"
#include "kube.h"
#include "kube_api.h"
#include "trust.h"

struct json_object;
struct aws_client;
struct kube_client;
struct oidc_options;

/* The annotations irsa owns on a service account (prefix eks.amazonaws.com/). */
#define PLAN_ANN_ROLE_ARN         "eks.amazonaws.com/role-arn"
#define PLAN_ANN_STS_REGIONAL     "eks.amazonaws.com/sts-regional-endpoints"
#define PLAN_ANN_TOKEN_EXPIRATION "eks.amazonaws.com/token-expiration"

/* Tags on what irsa creates, so that it can find what it made. */
#define PLAN_TAG_MANAGED_BY     "irsa:managed-by"
#define PLAN_TAG_MANAGED_VALUE  "irsa"
#define PLAN_TAG_CLUSTER        "irsa:cluster"
#define PLAN_TAG_SERVICEACCOUNT "irsa:service-account" /* "NS/SA" */

#define PLAN_ATTACHED_QUOTA_DEFAULT 10 /* AttachedPoliciesPerRoleQuota when the account never raised it */

/* What the user asked for. Everything borrowed. */
struct plan_choices {
	const char *cluster; /* the EKS cluster's name */
	const char *region;  /* its region */
	const char *context; /* the kubeconfig context that reaches it; NULL when reached by --cluster */
	const char *ns;
	const char *sa;
	const char *role_name; /* a new role (or an existing one, by name); NULL: derived (plan_role_name()) */
	const char *role_arn;  /* an existing role; NULL when role_name or the derived name is used */
	const char *role_path; /* for a new role; NULL: "/" */
	const char *const *policies;
	size_t n_policies;
	const char *const *services; /* short names or principals: "ec2", "ecs-tasks" */
	size_t n_services;
	const char *sts_regional;     /* "true", "false" or NULL: leave the annotation alone */
	const char *token_expiration; /* seconds as text (600-86400) or NULL: leave it alone */
	bool create_sa;               /* create the service account when it is missing (else that is an error) */
	bool restart;                 /* restart the workloads that run as the service account */
};

/* What plan_read() found. Owned; release with plan_state_release(). */
struct plan_state {
	char *account;     /* 12 digits, from GetCallerIdentity */
	char *arn_prefix;  /* "arn:aws:" for the client's partition */
	char *issuer;      /* DescribeCluster's identity.oidc.issuer */
	char *cluster_arn; /* DescribeCluster's arn */

	char *provider_arn; /* iam_oidc_provider_arn() of the issuer */
	bool provider_exists;
	bool provider_has_sts;  /* its ClientIDList holds sts.amazonaws.com */
	char *thumbprint;       /* of the issuer's top CA (oidc.h); NULL when it could not be read */
	char *thumbprint_error; /* why not, for the plan's warning; NULL when read */

	char *role_name; /* the role looked up: ch->role_arn's name, ch->role_name or plan_role_name() */
	bool role_exists;
	struct aws_role role;        /* GetRole, when it exists */
	char *trust_text;            /* its trust document as IAM holds it (decoded), when it exists */
	struct aws_strings attached; /* ARNs of the managed policies attached to it */
	long trust_quota;            /* AssumeRolePolicySizeQuota (0: unknown, the default applies) */
	long attached_quota;         /* AttachedPoliciesPerRoleQuota (0: unknown, the default applies) */

	bool sa_exists;
	struct kube_object sa;             /* the service account, when it exists */
	struct kube_object_list workloads; /* deployments, stateful sets, daemon sets running as it */
};

void plan_state_init(struct plan_state *st);
void plan_state_release(struct plan_state *st);

/* The clients a plan is read and applied with. Borrowed. */
struct plan_env {
	struct aws_client *aws;          /* IAM, STS and EKS, in the cluster's region */
	struct kube_client *kube;        /* the cluster's API server */
	const struct oidc_options *oidc; /* how to reach the issuer (CA bundle, --connect-to); NULL: defaults */
};

/* Reads what the plan depends on (plan_read.c): the caller's account
 * (GetCallerIdentity), the cluster's issuer (DescribeCluster), the OIDC
 * provider and, when it is missing, the issuer's thumbprint (oidc.h; a
 * failure there is recorded, not returned), the role, its trust and
 * attached policies, the account's quotas (GetAccountSummary; unknown when
 * denied), the service account and the workloads running as it. The role
 * read is ch->role_arn's, else ch->role_name, else plan_role_name()'s.
 * Returns 0 and fills st (initialised here; the caller releases it, also
 * after a failure), or -1 with err set. */
int plan_read(const struct plan_env *env, const struct plan_choices *ch, struct plan_state *st, struct irsa_error *err);

enum plan_step_kind {
	PLAN_STEP_OIDC_PROVIDER,  /* CreateOpenIDConnectProvider */
	PLAN_STEP_OIDC_CLIENT_ID, /* AddClientIDToOpenIDConnectProvider sts.amazonaws.com */
	PLAN_STEP_ROLE_CREATE,    /* CreateRole with the trust policy and irsa's tags */
	PLAN_STEP_ROLE_TRUST,     /* UpdateAssumeRolePolicy */
	PLAN_STEP_POLICY_ATTACH,  /* AttachRolePolicy */
	PLAN_STEP_SA_CREATE,      /* POST the service account with its annotations */
	PLAN_STEP_SA_ANNOTATE,    /* merge patch of the annotations irsa owns */
	PLAN_STEP_RESTART,        /* rollout restart of one workload */
	PLAN_STEP_N_KINDS,
};

/* One annotation change: before NULL when absent, after NULL to remove. */
struct plan_annotation {
	char *key;
	char *before;
	char *after;
};

/* One step. Every string owned; NULL when the kind does not use it. */
struct plan_step {
	enum plan_step_kind kind;
	char *title;   /* one line: "Create IAM role shop-prod-payments-orders" */
	char *request; /* the API request: "IAM CreateRole RoleName=..." or "PATCH /api/v1/namespaces/..." */
	char *command; /* the equivalent aws or kubectl command, shell-quoted, one line */

	char *provider_url;      /* OIDC_*: the issuer URL */
	char *provider_arn;      /* OIDC_* */
	char *thumbprint;        /* OIDC_PROVIDER: 40 lowercase hex digits, or NULL (IAM then reads it itself) */
	char *role_name;         /* ROLE_*, POLICY_ATTACH */
	char *role_path;         /* ROLE_CREATE */
	char *document;          /* ROLE_CREATE, ROLE_TRUST: the trust policy to write (canonical JSON) */
	char *document_before;   /* ROLE_TRUST: the trust as IAM held it at plan time, byte for byte */
	char *policy_arn;        /* POLICY_ATTACH */
	char *ns;                /* SA_*, RESTART */
	char *name;              /* SA_*: the service account; RESTART: the workload */
	enum kube_kind workload; /* RESTART: KUBE_DEPLOYMENT, KUBE_STATEFULSET or KUBE_DAEMONSET */
	struct plan_annotation *annotations; /* SA_CREATE: all it is created with; SA_ANNOTATE: the changes */
	size_t n_annotations;
	struct aws_tags tags; /* OIDC_PROVIDER, ROLE_CREATE, SA_CREATE (as labels: none today) */
};

/* A plan. Owned; release with plan_release(). */
struct plan {
	/* Where, resolved. */
	char *cluster;
	char *region;
	char *context; /* NULL when reached by --cluster */
	char *account;
	char *issuer;
	char *provider_arn;
	char *ns;
	char *sa;
	/* The end state: what export writes. */
	char *role_name;
	char *role_arn;
	bool role_exists;                    /* at plan time */
	char *trust_before;                  /* canonical JSON of the role's trust at plan time; NULL for a new role */
	char *trust_after;                   /* canonical JSON of the trust the plan leaves */
	struct aws_strings policies;         /* every policy the role should have attached (requested) */
	struct plan_annotation *annotations; /* the service account's irsa annotations after the plan */
	size_t n_annotations;
	bool sa_exists; /* at plan time */
	/* The changes, in order. n == 0: nothing to do. */
	struct plan_step *steps;
	size_t n;
	/* Sentences to show beside the plan: wildcards, size, pods that keep
	 * the old binding until restarted, an unreachable issuer. */
	struct aws_strings warnings;
};

void plan_init(struct plan *p);
void plan_release(struct plan *p);

/* The role name irsa suggests: "<cluster>-<ns>-<sa>" cut to IAM's 64
 * characters (a hash suffix keeps cut names distinct), with characters IAM
 * does not allow replaced by '-'. Returns a new string the caller frees, or
 * NULL when out of memory. (names.c) */
char *plan_role_name(const char *cluster, const char *ns, const char *sa);

/* Checks the choices before any call: DNS-1123 names, IAM role name and
 * path, ARN syntax and partition (arn_prefix, e.g. "arn:aws:"; NULL skips
 * the partition check), known service principals, annotation values.
 * Returns 0, or -1 with err set (IRSA_ERR_INVALID_INPUT naming the field,
 * the value and the fix). (names.c) */
int plan_check_choices(const struct plan_choices *ch, const char *arn_prefix, struct irsa_error *err);

/* The same without the cluster and region, for when they are not known yet
 * (a context names them; plan_read() checks everything again). (names.c) */
int plan_check_names(const struct plan_choices *ch, const char *arn_prefix, struct irsa_error *err);

/* Builds the plan from the choices and the state. Pure. Returns 0 and
 * fills out (initialised here; the caller releases it, also after a
 * failure), or -1 with err set: a trust over the size quota, too many
 * attached policies, a missing service account without create_sa, a role
 * ARN in another account, ... */
int plan_build(const struct plan_choices *ch, const struct plan_state *st, struct plan *out, struct irsa_error *err);

/* "oidc-provider", "oidc-client-id", "role-create", "role-trust",
 * "policy-attach", "sa-create", "sa-annotate", "restart". Static. */
const char *plan_step_kind_name(enum plan_step_kind k);

/* The kind for a name above; -1 when unknown. */
int plan_step_kind_parse(const char *name);

/* "deployment", "statefulset" or "daemonset": the workload a restart step
 * names, as the plan's JSON and kubectl spell it. Static; NULL when k is no
 * workload kind. */
const char *plan_workload_name(enum kube_kind k);

/* The kind (KUBE_DEPLOYMENT, ...) for a name above; -1 when unknown. */
int plan_workload_parse(const char *name);

/* The plan as JSON (docs/plan.md has the schema): every field, so that
 * plan_from_json() gives the same plan back. Returns a new object (the
 * caller puts it), or NULL when out of memory. (plan_json.c) */
struct json_object *plan_to_json(const struct plan *p);

/* The inverse. Returns 0 and fills out (initialised here; the caller
 * releases it), or -1 with err set (IRSA_ERR_PARSE naming the field). */
int plan_from_json(struct json_object *obj, struct plan *out, struct irsa_error *err);

#endif
