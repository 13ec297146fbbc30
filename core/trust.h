/* core/trust.h - IAM trust policies (AssumeRolePolicyDocument) for IRSA and
 * EKS Pod Identity: the model, parsing (URL-encoded as GetRole returns it,
 * or plain JSON), the canonical and minified JSON, the size check, the
 * evaluation of "does this trust admit service account NS/SA", the builders
 * and merges irsa writes with, and the line diff the preview shows.
 *
 * Pure: no I/O, no clock. The model is public so that audit and plan can walk
 * it; change a document only through these functions. docs/trust.md explains
 * the canonical form, the Sid convention and the evaluation semantics. */
#ifndef IRSA_TRUST_H
#define IRSA_TRUST_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"

#define TRUST_VERSION            "2012-10-17"
#define TRUST_AUDIENCE_STS       "sts.amazonaws.com"
#define TRUST_ACTION_WEB_ID      "sts:AssumeRoleWithWebIdentity"
#define TRUST_ACTION_ASSUME      "sts:AssumeRole"
#define TRUST_ACTION_TAG_SESSION "sts:TagSession"
#define TRUST_SID_PREFIX         "irsa"       /* statements irsa made, and may delete when they empty */
#define TRUST_SIZE_QUOTA_DEFAULT 2048         /* AssumeRolePolicySizeQuota when the account never raised it */
#define TRUST_MAX_DOC            (256 * 1024) /* cap on a document read or written */
#define TRUST_SUB_PREFIX         "system:serviceaccount:"

struct json_object;

/* A string-or-array field: Action, Resource, one principal type's ids, one
 * condition key's values. `array` remembers the form it came in (or was
 * built in) so a one-element list round-trips as it was written. */
struct trust_list {
	bool present; /* the field was in the document */
	bool array;   /* written as a JSON array (always true when n != 1) */
	char **v;     /* owned strings */
	size_t n;
	bool *literal; /* condition values only: v[i] is a JSON number, true, false or null, written bare; may be NULL */
	bool grown;    /* a string that trust_list_add() made an array: trust_list_remove() makes it a string again */
};

/* One principal type ("AWS", "Federated", "Service", "CanonicalUser") and its ids. */
struct trust_principal_entry {
	char *type;
	struct trust_list ids;
};

/* Principal or NotPrincipal: "*" or a map of type to ids. */
struct trust_principal {
	bool present;
	bool star; /* "Principal": "*" */
	struct trust_principal_entry *e;
	size_t n;
};

/* One condition key under an operator, and its values (ORed). */
struct trust_cond_key {
	char *key; /* as written; compared case-insensitively */
	struct trust_list values;
};

/* One condition operator ("StringEquals", "ForAnyValue:StringLike", ...) and its keys (ANDed). */
struct trust_cond {
	char *op; /* as written; operator names are case-sensitive */
	struct trust_cond_key *keys;
	size_t n;
};

struct trust_statement {
	char *sid; /* NULL when absent */
	bool deny; /* Effect: false "Allow", true "Deny" */
	struct trust_principal principal, not_principal;
	struct trust_list action, not_action, resource, not_resource;
	bool has_condition; /* a Condition member, even "{}" */
	struct trust_cond *cond;
	size_t n_cond;
	struct json_object *extra; /* unknown members, in their order; NULL when none */
};

struct trust {
	char *version;        /* NULL when absent */
	char *id;             /* NULL when absent */
	bool statement_array; /* Statement was an array (a single statement may be a bare object) */
	bool statement_grown; /* a bare statement that trust_statement_append() made an array */
	struct trust_statement *st;
	size_t n, cap;
	struct json_object *extra; /* unknown top-level members; NULL when none */
};

/* --- model: trust.c --------------------------------------------------------- */

/* An empty document: Version 2012-10-17, an empty Statement array. NULL when
 * out of memory. The caller frees with trust_free(). */
struct trust *trust_new(void);

/* Parses an AssumeRolePolicyDocument, URL-encoded (RFC 3986 percent-encoding,
 * '+' is a plus: what GetRole and ListRoles return) or plain JSON. Returns NULL
 * and sets err (IRSA_ERR_PARSE naming the statement and field, or the line and
 * column of a JSON error; IRSA_ERR_LIMIT over TRUST_MAX_DOC) on bad input.
 * The caller frees with trust_free(). */
struct trust *trust_parse(const char *doc, struct irsa_error *err);

/* A deep copy, or NULL with err set. The caller frees with trust_free(). */
struct trust *trust_copy(const struct trust *t, struct irsa_error *err);

/* Frees t and all it holds. t may be NULL. */
void trust_free(struct trust *t);

/* The canonical JSON: 2-space indent, a newline at the end, members in a fixed
 * order (docs/trust.md), every list item on its own line. Equal documents give
 * equal bytes. Returns a new string the caller frees, or NULL when out of
 * memory or over TRUST_MAX_DOC. */
char *trust_to_json(const struct trust *t);

/* The same document without any whitespace outside strings: what IAM measures.
 * *chars (may be NULL) gets its length in characters (UTF-8 code points), the
 * number compared with AssumeRolePolicySizeQuota. Returns a new string the
 * caller frees, or NULL as trust_to_json(). */
char *trust_to_json_min(const struct trust *t, size_t *chars);

/* Checks the minified length against quota (AssumeRolePolicySizeQuota from
 * GetAccountSummary; 0 means TRUST_SIZE_QUOTA_DEFAULT). Returns 0 when it fits,
 * or -1 with err set (IRSA_ERR_LIMIT naming both numbers, with the options as
 * the hint). */
int trust_check_size(const struct trust *t, long quota, struct irsa_error *err);

/* Appends a string (copied) to l; l becomes present, and an array once it
 * holds two. Returns 0, or -1 when out of memory. */
int trust_list_add(struct trust_list *l, const char *s);

/* Whether l holds s exactly (case-sensitive). */
bool trust_list_has(const struct trust_list *l, const char *s);

/* Whether st's Principal names id under type ("Federated", "Service",
 * "AWS"; the type exact, the id case-sensitive). Allow or Deny alike. */
bool trust_statement_names(const struct trust_statement *st, const char *type, const char *id);

/* Whether an Allow statement of t names id under Principal type: "does this
 * role trust that OIDC provider at all". t may be NULL (false). */
bool trust_allows_principal(const struct trust *t, const char *type, const char *id);

/* Removes every s from l. A list that was a string before trust_list_add()
 * grew it becomes a string again when one item is left, so removing what was
 * added restores the document. Returns how many were removed. */
size_t trust_list_remove(struct trust_list *l, const char *s);

/* Appends a new empty Allow statement (no Sid, no principal, no action) and
 * returns it, borrowed from t until t changes; NULL when out of memory. */
struct trust_statement *trust_statement_append(struct trust *t);

/* Removes statement i (if it exists), keeping the order of the others. A
 * Statement that was a bare object before trust_statement_append() becomes one
 * again when one statement is left. */
void trust_statement_remove(struct trust *t, size_t i);

/* Adds id to the principal type (created if missing). Returns 0, or -1 when
 * out of memory. */
int trust_principal_add(struct trust_principal *p, const char *type, const char *id);

/* The key under operator op (op exact, key case-insensitive), or NULL.
 * Borrowed from st. */
struct trust_cond_key *trust_condition_find(const struct trust_statement *st, const char *op, const char *key);

/* The key under op, created empty (with op) if missing. Borrowed from st;
 * NULL when out of memory. */
struct trust_cond_key *trust_condition_add(struct trust_statement *st, const char *op, const char *key);

/* Removes the key under op, and op when it empties, and Condition when it
 * empties. */
void trust_condition_remove(struct trust_statement *st, const char *op, const char *key);

/* The issuer host/path inside an OIDC provider ARN
 * ("arn:aws:iam::111122223333:oidc-provider/oidc.eks.../id/X" gives
 * "oidc.eks.../id/X"), or NULL when arn is not one. Borrowed from arn. */
const char *trust_provider_issuer(const char *arn);

/* issuer without "https://" and without trailing '/': how IAM spells it in
 * condition keys. Returns a new string the caller frees, or NULL when out of
 * memory. */
char *trust_issuer_normalize(const char *issuer);

/* --- evaluation: trust_eval.c ---------------------------------------------- */

/* One request context key and its (single) value. */
struct trust_context_key {
	const char *key;
	const char *value;
};

/* A request as IAM evaluates it. Everything borrowed. */
struct trust_context {
	const char *principal_type; /* "Federated", "Service", "AWS" */
	const char *principal;      /* the provider ARN, service principal or ARN */
	const char *action;         /* "sts:AssumeRoleWithWebIdentity" */
	const struct trust_context_key *keys;
	size_t n_keys;
	const char *issuer; /* IRSA: the issuer host/path, so reasons can say "sub"; may be NULL */
};

/* What an IRSA request looks like. Everything borrowed. */
struct trust_request {
	const char *provider_arn; /* arn:<partition>:iam::<acct>:oidc-provider/<issuer> */
	const char *ns;
	const char *sa;
	const char *audience; /* NULL: sts.amazonaws.com */
};

enum trust_verdict {
	TRUST_NOT_ADMITTED, /* no Allow statement applies: implicit deny */
	TRUST_ADMITTED,     /* an Allow statement applies and no Deny does */
	TRUST_DENIED,       /* a Deny statement applies */
};

/* Facts about the statements that named the provider (bits of trust_eval.notes). */
#define TRUST_NOTE_NO_SUB           0x01 /* the admitting statement does not check sub: every SA of the cluster */
#define TRUST_NOTE_NO_AUD           0x02 /* the admitting statement does not check aud */
#define TRUST_NOTE_LITERAL_WILDCARD 0x04 /* '*' or '?' under StringEquals: literal, not a pattern */
#define TRUST_NOTE_OTHER_ISSUER     0x08 /* a :sub or :aud key of another issuer than the principal's */
#define TRUST_NOTE_UNCERTAIN        0x10 /* an unknown key or unsupported operator took part */

struct trust_eval {
	enum trust_verdict verdict;
	int statement;   /* the statement that admitted or denied; -1 when none did */
	const char *sid; /* its Sid, borrowed from the trust; NULL when none */
	unsigned notes;  /* TRUST_NOTE_* */
	char why[1024];  /* a sentence: which statement decided, or why each candidate did not apply */
};

/* Evaluates t for ctx the way IAM does (docs/trust.md): Deny overrides Allow,
 * an Allow must match principal, action and every condition. Fills out;
 * never fails. */
void trust_evaluate_context(const struct trust *t, const struct trust_context *ctx, struct trust_eval *out);

/* Does t admit system:serviceaccount:NS:SA with the audience through the
 * provider? Returns 0 and fills out, or -1 with err set
 * (IRSA_ERR_INVALID_INPUT for a malformed provider ARN or empty names). */
int trust_evaluate(const struct trust *t, const struct trust_request *req, struct trust_eval *out,
                   struct irsa_error *err);

/* IAM's StringLike: '*' any run of characters, '?' one character, the rest
 * literal (case-insensitive when nocase). */
bool trust_like(const char *pattern, const char *s, bool nocase);

/* --- builders and merges: trust_build.c ------------------------------------ */

/* A Kubernetes service account. Borrowed. */
struct trust_sa {
	const char *ns;
	const char *name;
};

/* "system:serviceaccount:NS:SA". A new string the caller frees; NULL when out
 * of memory. */
char *trust_subject(const char *ns, const char *sa);

/* Lets the service accounts assume the role through provider_arn with the
 * audience (NULL: sts.amazonaws.com), as the AWS docs prescribe: Federated
 * provider, sts:AssumeRoleWithWebIdentity, StringEquals on <issuer>:sub (a
 * string for one, a list for several) and <issuer>:aud. issuer (may be NULL)
 * is checked against the ARN. Widens the statement irsa would have written
 * for that provider and audience if one exists (appending the missing
 * subjects), else appends one with Sid irsaOidc<issuer tail>. Every other
 * statement is left as it was; a second call changes nothing. Returns 0, or
 * -1 with err set (IRSA_ERR_INVALID_INPUT for bad names or ARN, checked
 * before t is touched). */
int trust_allow_service_accounts(struct trust *t, const char *provider_arn, const char *issuer,
                                 const struct trust_sa *sas, size_t n, const char *audience, struct irsa_error *err);

/* The inverse: removes the subjects from StringEquals <issuer>:sub lists of
 * the provider's statements. A statement whose list empties is deleted when
 * irsa made it (Sid starting with "irsa"); one that irsa did not make is left
 * alone and the call fails (IRSA_ERR_CONFLICT) before changing anything, since
 * dropping its last subject would admit every service account. Subjects not
 * present are not an error. Returns 0 or -1 with err set. */
int trust_remove_service_accounts(struct trust *t, const char *provider_arn, const struct trust_sa *sas, size_t n,
                                  struct irsa_error *err);

/* A StringLike subject pattern: "system:serviceaccount:NS:PREFIX*" (prefix
 * NULL or "" for the whole namespace). Returns a new string the caller frees,
 * or NULL with err set (IRSA_ERR_INVALID_INPUT for a bad namespace or prefix). */
char *trust_pattern(const char *ns, const char *prefix, struct irsa_error *err);

/* Which of the existing service accounts the subject pattern admits: sets
 * admitted[i] for each and returns how many. admitted may be NULL. */
size_t trust_pattern_admits(const char *pattern, const struct trust_sa *sas, size_t n, bool *admitted);

/* Explicit opt-in to a pattern: a statement with StringLike <issuer>:sub =
 * pattern (from trust_pattern()) and StringEquals <issuer>:aud, as eksctl's
 * --subject-pattern writes it. Widens irsa's pattern statement for the same
 * provider and audience, else appends one (Sid irsaOidcLike<issuer tail>).
 * Returns as trust_allow_service_accounts(). */
int trust_allow_pattern(struct trust *t, const char *provider_arn, const char *issuer, const char *pattern,
                        const char *audience, struct irsa_error *err);

/* A known AWS service principal. */
struct trust_service {
	const char *name;      /* short name: "ec2", "ecs-tasks", "eks-pods" */
	const char *principal; /* "ec2.amazonaws.com" */
	bool tag_session;      /* also sts:TagSession (EKS Pod Identity) */
	bool source_account;   /* scoped with aws:SourceAccount; false where the service does not send it */
	const char *note;      /* why not scoped, or NULL */
};

/* The table of known service principals, in name order; *n gets its length. */
const struct trust_service *trust_services(size_t *n);

/* The service for a short name or a principal ("ec2", "ec2.amazonaws.com",
 * any case). NULL with err set (IRSA_ERR_INVALID_INPUT naming the closest
 * known names) when unknown. Static. */
const struct trust_service *trust_service_lookup(const char *name, struct irsa_error *err);

/* Lets the service assume the role: Principal.Service, sts:AssumeRole (and
 * sts:TagSession for Pod Identity), StringEquals aws:SourceAccount =
 * account_id (12 digits) unless the service does not send it. Nothing is
 * added when an Allow statement already trusts that principal with those
 * actions. Appended with Sid irsaSvc<Name>. Returns 0, or -1 with err set. */
int trust_allow_service(struct trust *t, const char *service, const char *account_id, struct irsa_error *err);

/* Removes the statements irsa made for the service (Sid irsaSvc<Name>).
 * Returns how many were removed, or -1 with err set for an unknown service. */
int trust_remove_service(struct trust *t, const char *service, struct irsa_error *err);

/* --- preview: trust_diff.c ------------------------------------------------- */

enum trust_diff_kind {
	TRUST_DIFF_SAME = ' ',
	TRUST_DIFF_REMOVED = '-',
	TRUST_DIFF_ADDED = '+',
};

struct trust_diff_line {
	enum trust_diff_kind kind;
	char *text; /* the line without its newline; owned */
};

/* Every line of both documents in order, each marked: the whole document as
 * context, so the UI can colour it or fold the unchanged runs. */
struct trust_diff {
	struct trust_diff_line *lines;
	size_t n;
	size_t added, removed;
};

/* Diffs the canonical JSON of before (NULL: nothing, for a new role) and
 * after, line by line (longest common subsequence). Returns 0 and fills out
 * (release with trust_diff_release()), or -1 with err set. */
int trust_diff(const struct trust *before, const struct trust *after, struct trust_diff *out, struct irsa_error *err);

/* The same for two texts (either may be NULL or ""). */
int trust_diff_text(const char *before, const char *after, struct trust_diff *out, struct irsa_error *err);

/* Appends the diff as text: one line each, its kind character then the line.
 * Returns 0, or -1 when out fails (see struct buf). */
int trust_diff_format(const struct trust_diff *d, struct buf *out);

/* Frees what d holds and leaves it empty. */
void trust_diff_release(struct trust_diff *d);

#endif
