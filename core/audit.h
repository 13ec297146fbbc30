/* core/audit.h - the audit: what it reads (struct audit_input), what it
 * finds (struct audit_finding), and the stages between.
 *
 *   audit_collect()  (audit_collect.c)  one pass over AWS and Kubernetes
 *                                       that reads what every check needs;
 *   audit_snapshot_* (audit_snapshot.c) the same input as JSON, recorded API
 *                                       answers: the fixtures, and
 *                                       `irsa audit --snapshot/--save-snapshot`;
 *   audit_run()      (audit_run.c)      pure: input -> findings, running the
 *                                       check groups (audit_checks_*.c);
 *   audit_report_*   (audit_report.c)   text, JSON and SARIF;
 *   audit_fix_plan() (audit_fix.c)      a finding's fix as a binding-engine
 *                                       plan (plan.h), applied by plan_apply().
 *
 * Ids are the catalog's (audit_catalog.h). Nothing here prints. */
#ifndef IRSA_AUDIT_H
#define IRSA_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "audit_catalog.h"
#include "aws_eks.h"
#include "aws_iam.h"
#include "binding_status.h"
#include "error.h"
#include "kube_api.h"

struct json_object;
struct aws_client;
struct kube_client;
struct plan;
struct plan_env;
struct oidc_options;
struct buf;

/* --- input ----------------------------------------------------------------- */

/* What a role's policies are. Filled for the roles the audit looks at
 * closely (bound to, or trusting, an audited cluster); others have
 * known == false. Owned by the input. */
struct audit_role_policies {
	bool known;                     /* attached and inline were read */
	struct aws_strings attached;    /* ListAttachedRolePolicies: policy ARNs */
	struct aws_strings inline_name; /* ListRolePolicies */
	char **inline_doc;              /* GetRolePolicy: decoded JSON, parallel to inline_name; NULL when unread */
	char *error;                    /* why known is false although the role was looked at, or NULL */
};

/* A managed policy's default version (customer managed policies only: AWS
 * managed ones are judged by name). Owned by the input. */
struct audit_policy {
	char *arn;
	char *name;
	char *default_version; /* "v3" */
	char *document;        /* decoded JSON; NULL when it could not be read */
	char *error;           /* why not, or NULL */
};

/* An IAM OIDC provider. Owned by the input. */
struct audit_provider {
	char *arn;
	bool detail_known;              /* GetOpenIDConnectProvider was read */
	char *url;                      /* "oidc.eks.REGION.amazonaws.com/id/HEX", as IAM answers */
	struct aws_strings client_ids;  /* ClientIDList */
	struct aws_strings thumbprints; /* ThumbprintList */
};

/* One audited cluster: EKS and its API server. Owned by the input. */
struct audit_cluster {
	char *name;
	char *region;
	char *context;      /* the kubeconfig context it was reached by; NULL when by --cluster */
	char *arn;          /* DescribeCluster arn */
	char *issuer;       /* DescribeCluster identity.oidc.issuer: https://... */
	char *provider_arn; /* iam_cluster_provider_arn(arn, issuer): where IAM's provider for it is */
	/* The issuer's live thumbprint (oidc.h), for IRSA003; NULL with
	 * thumbprint_error when it could not be read, both NULL when not tried. */
	char *thumbprint;
	char *thumbprint_error;

	bool kube_known;                   /* the lists below were read */
	char *kube_error;                  /* why not, or NULL */
	struct kube_object_list sas;       /* every service account */
	struct kube_object_list pods;      /* every pod */
	struct kube_object_list workloads; /* deployments, stateful sets, daemon sets */
};

/* Everything the checks read. Owned; audit_input_release() frees it. Every
 * array may be empty. */
struct audit_input {
	char *account;    /* 12 digits: the caller's (GetCallerIdentity) */
	char *arn_prefix; /* "arn:aws:" */

	struct audit_cluster *clusters;
	size_t n_clusters;

	/* Every role of the account (ListRoles: trusts included), and per role
	 * its policies (parallel to roles; known only for the roles examined). */
	struct aws_role *roles;
	struct audit_role_policies *role_policies;
	size_t n_roles;
	struct binding_roles index; /* roles by name, trusts parsed once: audit_input_index() */
	bool indexed;
	/* Why the role list is missing or incomplete (ListRoles failed on some
	 * page), or NULL when every page was read. Checks that would take a
	 * role's absence for a finding (IRSA016, ...) are not run then. */
	char *roles_error;

	struct audit_provider *providers;
	size_t n_providers;
	char *providers_error; /* why ListOpenIDConnectProviders could not be read, or NULL */

	struct audit_policy *policies; /* customer managed policies attached to examined roles */
	size_t n_policies;

	long trust_quota;    /* AssumeRolePolicySizeQuota; 0: unknown (2048 applies) */
	long attached_quota; /* AttachedPoliciesPerRoleQuota; 0: unknown (10 applies) */

	/* Issuers of every cluster EKS lists in the scanned regions (IRSA004);
	 * live_issuers_known false when the scan was not made. */
	struct aws_strings live_issuers;
	bool live_issuers_known;

	/* Why some data could not be read, one sentence each (AccessDenied on
	 * ListRoles, a region that did not answer, ...). Checks that needed it
	 * say "not run"; see struct audit_result. */
	struct aws_strings read_errors;
};

void audit_input_init(struct audit_input *in);
void audit_input_release(struct audit_input *in);

/* Builds in->index from in->roles (trusts parsed once). Called by
 * audit_run() when not indexed yet. Returns 0, or -1 with err set. */
int audit_input_index(struct audit_input *in, struct irsa_error *err);

/* The role an ARN names (binding_roles_find() rules), its index in
 * in->roles through *i (may be NULL), or NULL. Needs the index. */
const struct binding_role *audit_input_role(const struct audit_input *in, const char *arn, size_t *i);

/* The provider with this ARN, or NULL. */
const struct audit_provider *audit_input_provider(const struct audit_input *in, const char *arn);

/* The customer managed policy with this ARN, or NULL. */
const struct audit_policy *audit_input_policy(const struct audit_input *in, const char *arn);

/* --- snapshot: audit_snapshot.c ---------------------------------------------- */

/* The input as JSON: recorded API answers, in the shapes the APIs (and the
 * aws CLI's JSON output, and `kubectl get -o json`) give them. The schema is
 * in docs/audit-snapshot.md. audit_snapshot_to_json() writes every
 * field audit_snapshot_from_json() reads; a round trip gives the same
 * findings. Returns a new object (the caller puts it) or NULL when out of
 * memory. */
struct json_object *audit_snapshot_to_json(const struct audit_input *in);

/* Fills in (initialised here; the caller releases it, also after a
 * failure). Returns 0, or -1 with err set (IRSA_ERR_PARSE naming the path
 * of the bad member: "clusters[0].serviceAccounts.items[3].metadata"). */
int audit_snapshot_from_json(struct json_object *obj, struct audit_input *in, struct irsa_error *err);

/* --- collection: audit_collect.c --------------------------------------------- */

/* One cluster to audit: how to reach it. Borrowed. */
struct audit_target {
	const char *cluster;      /* the EKS cluster name */
	const char *region;       /* its region */
	const char *context;      /* the kubeconfig context; NULL when reached by --cluster */
	struct aws_client *aws;   /* in the cluster's region */
	struct kube_client *kube; /* its API server; NULL: Kubernetes is not read (kube_error says so) */
	const char *kube_error;   /* why kube is NULL, or NULL */
};

/* What the collection did, for the benchmark and --debug. */
struct audit_collect_stats {
	size_t aws_requests;  /* HTTP requests sent to AWS (retries included) */
	size_t kube_requests; /* HTTP requests sent to the API servers */
	size_t roles_examined;
	double seconds;
};

struct audit_collect_options {
	const struct oidc_options *oidc;               /* how to reach issuers (IRSA003); NULL: defaults */
	bool scan_regions;                             /* list clusters of every region for IRSA004 */
	void (*progress)(void *arg, const char *what); /* "Listing roles (page 3)"; may be NULL */
	void *arg;
	const volatile int *cancel; /* may be NULL */
};

/* Reads everything the checks need for the n targets, with the fewest
 * requests: STS once, ListRoles pages (trusts included, no GetRole), the
 * OIDC providers, GetAccountSummary, DescribeCluster per target; per
 * target the service accounts, pods and workloads listed once each; then
 * per examined role its attached and inline policies, and per customer
 * managed policy its default version, in parallel under the HTTP engine's
 * cap. What cannot be read is recorded (read_errors, kube_error, per-role
 * error), not returned: the checks that needed it report "not run".
 * Returns 0 and fills in (initialised here; the caller releases it), or -1
 * with err set when nothing useful could be read (no credentials, every
 * cluster unreachable, cancelled). stats may be NULL. */
int audit_collect(const struct audit_target *targets, size_t n, const struct audit_collect_options *o,
                  struct audit_input *in, struct audit_collect_stats *stats, struct irsa_error *err);

/* --- findings ---------------------------------------------------------------- */

/* What a finding is about. Strings owned by the finding; NULL when not
 * relevant (a provider finding has no namespace). */
struct audit_subject {
	char *cluster;
	char *region;
	char *ns;
	char *sa; /* service account name */
	char *role_arn;
	char *provider_arn;
	char *pod;      /* "NS/NAME" */
	char *workload; /* "deployment/NAME" */
	char *policy_arn;
};

/* How irsa fixes it. */
enum audit_fix_action {
	AUDIT_FIX_NONE,              /* manual: the catalog's fix text says what to do */
	AUDIT_FIX_CREATE_PROVIDER,   /* IRSA001 */
	AUDIT_FIX_ADD_CLIENT_ID,     /* IRSA002 */
	AUDIT_FIX_REWRITE_TRUST,     /* IRSA005-009, 011: the web-identity statements of the provider rewritten to
	                               StringEquals exact sub(s) + aud, Action sts:AssumeRoleWithWebIdentity */
	AUDIT_FIX_ADMIT_SA,          /* IRSA010, IRSA012: the SA appended (a statement for this cluster's provider) */
	AUDIT_FIX_REMOVE_STATEMENTS, /* IRSA013: the non-federated Allow statements removed */
	AUDIT_FIX_CREATE_ROLE,       /* IRSA016: the role the annotation names created with a scoped trust */
	AUDIT_FIX_ANNOTATE,          /* IRSA015, 017, 018: annotation changes on the SA (fix.annotations) */
	AUDIT_FIX_RESTART,           /* IRSA026, 027: rollout restart of the owners of the pods */
	AUDIT_FIX_N_ACTIONS,
};

/* One annotation change a fix makes: value NULL removes the key. */
struct audit_annotation {
	char *key;
	char *value;
};

struct audit_fix {
	enum audit_fix_action action;
	bool confirm;  /* asks even with --yes (catalog's "(confirm)") */
	char *summary; /* one sentence: "Rewrite role X's trust to admit only orders/orders-api" */
	/* REWRITE_TRUST: the subjects the new trust admits (the service
	 * accounts of the cluster that reference the role), "NS/SA" each. */
	struct aws_strings subjects;
	char *audience;                       /* REWRITE_TRUST, ADMIT_SA: NULL for sts.amazonaws.com */
	struct audit_annotation *annotations; /* ANNOTATE */
	size_t n_annotations;
	struct aws_strings workloads; /* RESTART: "deployment/NS/NAME" ... */
};

struct audit_finding {
	const struct audit_check *check; /* the catalog's entry */
	enum audit_severity severity;    /* this finding's (may be below the check's highest) */
	struct audit_subject subject;
	char *ref;     /* FINDING-REF: "IRSA005:shop-prod:sa/analytics/reporter", see audit_finding_ref() */
	char *message; /* one or two sentences: what is wrong here, precisely */
	struct json_object *evidence; /* an object: the trust statement, the annotation, the pods, ...; owned */
	struct audit_fix fix;         /* action AUDIT_FIX_NONE when manual */
};

/* A check that could not run, for one cluster or for all. */
struct audit_not_run {
	const struct audit_check *check;
	char *cluster; /* NULL: for every cluster */
	char *reason;
};

/* What audit_run() gives back. Owned; audit_result_release(). */
struct audit_result {
	struct audit_finding *v; /* sorted: severity (critical first), check id, ref */
	size_t n, cap;
	struct audit_not_run *not_run;
	size_t n_not_run, cap_not_run;
	size_t checks_run; /* how many (check, cluster) pairs ran */
};

void audit_result_init(struct audit_result *r);
void audit_result_release(struct audit_result *r);

/* Which checks run, and which findings are kept. */
struct audit_options {
	const char *const *checks; /* ids ("IRSA005", any case); NULL or n_checks 0: all */
	size_t n_checks;
	enum audit_severity min_severity; /* keep findings at or above; AUDIT_SEV_INFO keeps all */
};

/* Checks an --check list: every id known and built. Returns 0, or -1 with
 * err set (IRSA_ERR_INVALID_INPUT naming the unknown id and the closest). */
int audit_options_check(const struct audit_options *o, struct irsa_error *err);

/* Runs the checks over in (indexing it first when needed). Pure. Returns 0
 * and fills out (initialised here; the caller releases it), or -1 with err
 * set (out of memory). A check that cannot decide for lack of data adds a
 * not_run entry, never a guess. */
int audit_run(struct audit_input *in, const struct audit_options *o, struct audit_result *out, struct irsa_error *err);

/* The finding whose ref is ref (case-sensitive), or NULL. */
const struct audit_finding *audit_result_find(const struct audit_result *r, const char *ref);

/* --- for the check groups (audit_checks_*.c) -------------------------------- */

/* The state one check group runs in: the input, the cluster being checked
 * (each group runs once per cluster; cluster-independent checks, e.g. over
 * every role, run with the first cluster only: ctx->first), the options. */
struct audit_ctx {
	struct audit_input *in;
	const struct audit_cluster *cluster;
	bool first; /* the first cluster: run the account-wide parts */
	const struct audit_options *opt;
	struct audit_result *out;
	struct irsa_error *err; /* set when out of memory; the group then returns -1 */
};

/* Whether check id runs (the --check list). */
bool audit_ctx_wants(const struct audit_ctx *ctx, const char *id);

/* Adds a finding of check id (catalog severity unless sev >= 0) about
 * subject (copied), with a message made from fmt. The ref is derived from
 * check id, cluster and subject (audit_finding_ref()). evidence (may be
 * NULL: an empty object) is taken over. Findings below min_severity are
 * dropped here. Returns the finding (borrowed, valid until the next add; to
 * fill in its fix) or NULL when dropped; on out of memory NULL with
 * ctx->err set (audit_ctx_failed()). */
struct audit_finding *audit_ctx_add(struct audit_ctx *ctx, const char *id, int sev, const struct audit_subject *subject,
                                    struct json_object *evidence, const char *fmt, ...)
        __attribute__((format(printf, 6, 7)));

/* Records that check id could not run for this cluster (NULL cluster: for
 * all) and why. Returns 0, or -1 with ctx->err set. */
int audit_ctx_not_run(struct audit_ctx *ctx, const char *id, const char *reason);

/* Whether an add or not_run failed for lack of memory. */
bool audit_ctx_failed(const struct audit_ctx *ctx);

/* Sets f's fix (strings copied). Returns 0, or -1 with ctx->err set. */
int audit_fix_set(struct audit_ctx *ctx, struct audit_finding *f, enum audit_fix_action action, const char *summary);

/* "IRSA005:CLUSTER:sa/NS/NAME", "IRSA005:CLUSTER:role/NAME",
 * "IRSA001:CLUSTER:provider", "IRSA026:CLUSTER:pod/NS/NAME",
 * "IRSA021:-:policy/NAME" (account-wide findings have cluster "-"): the
 * most specific subject part present. Stable across runs, so that `irsa fix`
 * can name a finding from an earlier `irsa audit`. Returns a new string or
 * NULL (out of memory). */
char *audit_finding_ref(const char *id, const struct audit_subject *s);

/* The groups. Each runs its checks for ctx->cluster. Return 0, or -1 with
 * ctx->err set. */
int audit_checks_provider(struct audit_ctx *ctx);    /* A: IRSA001-004 */
int audit_checks_trust(struct audit_ctx *ctx);       /* B: IRSA005-014 */
int audit_checks_annotations(struct audit_ctx *ctx); /* C: IRSA015-018 */
int audit_checks_orphans(struct audit_ctx *ctx);     /* D: IRSA019 */
int audit_checks_permissions(struct audit_ctx *ctx); /* E: IRSA020-025 */
int audit_checks_workloads(struct audit_ctx *ctx);   /* F: IRSA026-033 */

/* --- reports: audit_report.c ------------------------------------------------- */

/* The JSON of issue 7: {"findings": [...], "notRun": [...], "summary": {...}}.
 * Returns a new object or NULL. */
struct json_object *audit_report_json(const struct audit_result *r);

/* SARIF 2.1.0: one rule per catalog check, results with logical locations.
 * Returns a new object or NULL. */
struct json_object *audit_report_sarif(const struct audit_result *r, const char *tool_version);

/* The text report: grouped by severity, a line per finding (resource and
 * short reason), then its fix command; then the checks that did not run.
 * color: ANSI colours. Returns 0, or -1 when out fails. */
int audit_report_text(const struct audit_result *r, bool color, struct buf *out);

/* --- fixes: audit_fix.c ------------------------------------------------------ */

/* The plan that fixes f (f->fix.action != AUDIT_FIX_NONE), built through
 * the binding engine: read with env when the fix needs live state (a new
 * provider's thumbprint, a new role), pure otherwise (trust rewrites carry
 * the trust read by the audit as document_before, so plan_apply() stops on
 * a trust changed since). Returns 0 and fills out (initialised here; the
 * caller releases it), or -1 with err set (IRSA_ERR_INVALID_INPUT for a
 * manual finding). */
int audit_fix_plan(const struct plan_env *env, const struct audit_input *in, const struct audit_finding *f,
                   struct plan *out, struct irsa_error *err);

/* "none", "create-provider", "add-client-id", "rewrite-trust", "admit-sa",
 * "remove-statements", "create-role", "annotate", "restart". Static. */
const char *audit_fix_action_name(enum audit_fix_action a);

#endif
