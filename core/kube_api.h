/* core/kube_api.h - the Kubernetes calls irsa makes, typed: server version,
 * namespaces, service accounts (list, get, create, merge-patch of
 * annotations, delete with a uid precondition), the pods and workloads
 * that use a service account, rollout restart as kubectl sends it,
 * TokenRequest and SelfSubjectAccessReview.
 *
 * Objects come back as struct kube_object: the fields irsa reads, borrowed
 * from the JSON object the server sent, which the struct holds (obj) for
 * anything else and for a before/after record. Lists are read to their
 * ends through kube_list() (pages, restarts on 410). Writes that may meet a
 * 409 Conflict re-read the object and try again, at most
 * KUBE_MAX_CONFLICT_RETRIES times. Errors are kube_status_error()'s. No
 * printing. */
#ifndef IRSA_KUBE_API_H
#define IRSA_KUBE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "error.h"
#include "kube.h"

#define KUBE_RESTARTED_AT     "kubectl.kubernetes.io/restartedAt"
#define KUBE_ROLLOUT_MANAGER  "kubectl-rollout"
#define KUBE_MERGE_PATCH      "application/merge-patch+json"
#define KUBE_STRATEGIC_PATCH  "application/strategic-merge-patch+json"
#define KUBE_DEFAULT_SA       "default"
#define KUBE_RFC3339_LEN      sizeof("2006-01-02T15:04:05+07:00")
#define KUBE_VERSION_TEXT_LEN 64

/* A key and its value. In a struct kube_object both are borrowed from its
 * obj; given to a call, both are borrowed for the call (value NULL in a
 * patch removes the key). */
struct kube_kv {
	const char *key;
	const char *value;
};

/* One object. Everything borrowed from obj, which the struct owns: release
 * with kube_object_release(). Strings are "" when the server left them out. */
struct kube_object {
	enum kube_kind kind;
	const char *namespace; /* "" for a cluster-scoped kind */
	const char *name;
	const char *uid;
	const char *resource_version;
	const char *creation_timestamp; /* RFC 3339 as sent */
	time_t created;                 /* 0 when absent or unreadable */
	struct kube_kv *labels;         /* n_labels, in the server's order */
	size_t n_labels;
	struct kube_kv *annotations;
	size_t n_annotations;
	/* Pods: spec.serviceAccountName; workloads: their pod template's. The
	 * deprecated serviceAccount field when that is empty, and "default"
	 * when both are (as the API server fills it in). NULL for other kinds. */
	const char *service_account;
	bool paused;             /* deployments: spec.paused */
	struct json_object *obj; /* the object as sent (kind and apiVersion put back in list items) */
};

/* Objects of one or more lists. Release with kube_object_list_release(). */
struct kube_object_list {
	struct kube_object *v;
	size_t n;
	struct kube_list_stats stats; /* summed over the lists read */
};

/* Fills out from obj, taking a new reference to it. Returns 0, or -1 with
 * err set (IRSA_ERR_PARSE: not an object or without metadata.name). */
int kube_object_from_json(struct json_object *obj, enum kube_kind kind, struct kube_object *out,
                          struct irsa_error *err);

/* Frees what o holds and leaves it empty. o may be NULL. */
void kube_object_release(struct kube_object *o);
void kube_object_list_release(struct kube_object_list *l);

/* The value of annotation (or label) key, or NULL. Borrowed from o. */
const char *kube_object_annotation(const struct kube_object *o, const char *key);
const char *kube_object_label(const struct kube_object *o, const char *key);

/* The service account a pod spec uses (serviceAccountName, else the
 * deprecated serviceAccount, else "default"). spec may be NULL. Borrowed
 * from spec, or static. */
const char *kube_spec_service_account(struct json_object *spec);

/* GET /version. */
struct kube_version {
	char git_version[KUBE_VERSION_TEXT_LEN]; /* "v1.32.4-eks-..." */
	char major[16];
	char minor[16]; /* may carry a "+": "32+" */
	char platform[KUBE_VERSION_TEXT_LEN];
};

/* Fills out. Returns 0, or -1 with err set. */
int kube_server_version(struct kube_client *c, struct kube_version *out, struct irsa_error *err);

/* Every namespace. Returns 0 and fills out (the caller releases it), or -1
 * with err set and out empty. */
int kube_list_namespaces(struct kube_client *c, struct kube_object_list *out, struct irsa_error *err);

/* The service accounts of namespace ns (NULL or "": all namespaces),
 * matching label_selector when not NULL. Returns as kube_list_namespaces(). */
int kube_list_serviceaccounts(struct kube_client *c, const char *ns, const char *label_selector,
                              struct kube_object_list *out, struct irsa_error *err);

/* One service account. Returns 0 and fills out (the caller releases it), or
 * -1 with err set (IRSA_ERR_NOT_FOUND naming it). */
int kube_get_serviceaccount(struct kube_client *c, const char *ns, const char *name, struct kube_object *out,
                            struct irsa_error *err);

/* Creates service account ns/name with the given annotations and labels
 * (either list may be empty). Not sent again after a 429 or 5xx: the first
 * attempt may have created it. Returns 0 and fills out (may be NULL) with
 * the created object, or -1 with err set (IRSA_ERR_CONFLICT when it exists). */
int kube_create_serviceaccount(struct kube_client *c, const char *ns, const char *name,
                               const struct kube_kv *annotations, size_t n_annotations, const struct kube_kv *labels,
                               size_t n_labels, struct kube_object *out, struct irsa_error *err);

/* The JSON merge patch (RFC 7386) that sets each changes[i].key to its
 * value, or removes it when the value is NULL:
 * {"metadata":{"annotations":{"k":"v","gone":null}}}. Returns a new string
 * (the caller frees it), NULL when out of memory. */
char *kube_annotations_patch(const struct kube_kv *changes, size_t n);

/* Sends kube_annotations_patch() as application/merge-patch+json to service
 * account ns/name: only those annotations change, nothing else of the
 * object. Safe to send twice, so it is retried after a 429 or 5xx; a 409
 * Conflict re-reads the object and sends it again. Returns 0 and fills out
 * (may be NULL) with the patched object, or -1 with err set. */
int kube_patch_serviceaccount_annotations(struct kube_client *c, const char *ns, const char *name,
                                          const struct kube_kv *changes, size_t n, struct kube_object *out,
                                          struct irsa_error *err);

/* Deletes service account ns/name. uid not NULL: only when the object
 * still has that metadata.uid (DeleteOptions preconditions.uid), so that a
 * same-named service account someone created since is never deleted. Sent
 * again after a 429 or 5xx (the precondition keeps that safe). Returns 0,
 * or -1 with err set: IRSA_ERR_NOT_FOUND when there is no such service
 * account (also when an earlier attempt of this call deleted it: the
 * caller decides what that means), IRSA_ERR_CONFLICT when its uid is not
 * uid (the message gives both). */
int kube_delete_serviceaccount(struct kube_client *c, const char *ns, const char *name, const char *uid,
                               struct irsa_error *err);

/* Every pod of namespace ns (NULL or "": all): one list, however many
 * service accounts they run as. Returns as kube_list_namespaces(). */
int kube_list_pods(struct kube_client *c, const char *ns, struct kube_object_list *out, struct irsa_error *err);

/* The pods of namespace ns (NULL or "": all) that run as service account
 * sa (fieldSelector=spec.serviceAccountName=sa). Returns as
 * kube_list_namespaces(). */
int kube_list_pods_using(struct kube_client *c, const char *ns, const char *sa, struct kube_object_list *out,
                         struct irsa_error *err);

/* The deployments, stateful sets and daemon sets of namespace ns (NULL or
 * "": all) whose pod template runs as service account sa (the "default"
 * rule of kube_spec_service_account()); sa NULL keeps them all. The API has
 * no field selector for this: the three lists are read at once and
 * filtered here. Deployments first, then stateful sets, then daemon sets.
 * Returns as kube_list_namespaces(). */
int kube_list_workloads_using(struct kube_client *c, const char *ns, const char *sa, struct kube_object_list *out,
                              struct irsa_error *err);

/* True when workload w (a deployment, stateful set or daemon set) runs its
 * pods as service account sa. */
bool kube_workload_uses(const struct kube_object *w, const char *sa);

/* when as Go's time.RFC3339 in local time: "2025-01-02T15:04:05+01:00", or
 * "...Z" when the local offset is zero. out has KUBE_RFC3339_LEN bytes or
 * more. Returns out. */
char *kube_rfc3339_local(time_t when, char *out, size_t outsz);

/* The strategic merge patch `kubectl rollout restart` sends:
 * {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"<when>"}}}}}.
 * Returns a new string (the caller frees it), NULL when out of memory. */
char *kube_restart_patch(time_t when);

/* Restarts the pods of deployment, stateful set or daemon set ns/name as
 * `kubectl rollout restart` does: reads it (a paused deployment is an
 * error: "can't restart paused deployment (run rollout resume first)"),
 * then PATCH ?fieldManager=kubectl-rollout with kube_restart_patch(when)
 * (when 0: now) as application/strategic-merge-patch+json. The patch is
 * the same bytes when sent again, so it is retried after a 429 or 5xx; a
 * 409 Conflict re-reads and sends again. Returns 0 and fills out (may be
 * NULL) with the patched object, or -1 with err set. */
int kube_rollout_restart(struct kube_client *c, enum kube_kind kind, const char *ns, const char *name, time_t when,
                         struct kube_object *out, struct irsa_error *err);

/* A service account token from TokenRequest. Owned: release with
 * kube_token_release(), which wipes it. The token is registered with the
 * redactor. */
struct kube_token {
	char *token;
	time_t expiry;                               /* status.expirationTimestamp */
	char expiration_timestamp[KUBE_RFC3339_LEN]; /* as sent */
};

/* POST .../serviceaccounts/sa/token with spec.audiences (n_audiences may
 * be 0: the API server's own audience) and spec.expirationSeconds (0: the
 * server's default; the API refuses less than 600 with 422 Invalid). The
 * server may grant another lifetime: read out->expiry. Returns 0 and fills
 * out, or -1 with err set. */
int kube_token_request(struct kube_client *c, const char *ns, const char *sa, const char *const *audiences,
                       size_t n_audiences, long expiration_seconds, struct kube_token *out, struct irsa_error *err);

void kube_token_release(struct kube_token *t);

/* What to ask a SelfSubjectAccessReview. Borrowed; NULL or "" leaves a
 * field out. */
struct kube_access_query {
	const char *verb;
	const char *group;
	const char *resource;
	const char *subresource;
	const char *namespace;
	const char *name;
};

struct kube_access {
	bool allowed;
	bool denied; /* explicitly denied (allowed is false then too) */
	char reason[256];
	char evaluation_error[256];
};

/* Asks whether the client's user may do q (kubectl auth can-i). Returns 0
 * and fills out, or -1 with err set (the request failed: not "no"). */
int kube_access_review(struct kube_client *c, const struct kube_access_query *q, struct kube_access *out,
                       struct irsa_error *err);

#endif
