/* tests/unit/test_trust_eval.c - evaluating trust policies for IRSA
 * requests, table-driven (MKAT style): every operator and its IfExists and
 * ForAllValues:/ForAnyValue: forms, missing keys, case rules, Deny over
 * Allow, NotAction and NotPrincipal, action wildcards, principal forms, the
 * edge cases of audit-checks section 2, and each anchor's document from
 * tests/data/trust. One cmocka test per row. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trust_test_env.h"

#define SUB_KEY "\"" ISSUER_A ":sub\""
#define AUD_KEY "\"" ISSUER_A ":aud\""
#define SUB_B   "\"" ISSUER_B ":sub\""
#define AUD_B   "\"" ISSUER_B ":aud\""
#define ORDERS  "\"system:serviceaccount:orders:orders-api\""
#define STS     "\"sts.amazonaws.com\""

#define DOC(...)         "{\"Version\":\"2012-10-17\",\"Statement\":[" __VA_ARGS__ "]}"
#define DOC2(first, ...) DOC(first "," __VA_ARGS__)
/* A statement: effect, principal, action member, extra members (each starting with ','). */
#define STMT(effect, principal, action, ...)                                                                           \
	"{\"Effect\":\"" effect "\",\"Principal\":" principal "," action __VA_ARGS__ "}"
#define FED           "{\"Federated\":\"" PROVIDER_A "\"}"
#define WEB_ID        "\"Action\":\"sts:AssumeRoleWithWebIdentity\""
#define COND(...)     ",\"Condition\":{" __VA_ARGS__ "}"
#define ALLOW(...)    STMT("Allow", FED, WEB_ID, COND(__VA_ARGS__))
#define DENY(...)     STMT("Deny", FED, WEB_ID, COND(__VA_ARGS__))
#define OP(op, ...)   "\"" op "\":{" __VA_ARGS__ "}"
#define KV(key, ...)  key ":" __VA_ARGS__
#define EXACT_SUB_AUD OP("StringEquals", KV(SUB_KEY, ORDERS) "," KV(AUD_KEY, STS))

#define ANY -2 /* any statement */

struct eval_case {
	const char *name;
	const char *doc;      /* inline, or */
	const char *file;     /* a document in tests/data/trust */
	const char *provider; /* NULL: provider A */
	const char *ns, *sa;  /* NULL: orders/orders-api */
	const char *aud;      /* NULL: sts.amazonaws.com */
	enum trust_verdict verdict;
	int statement;     /* the deciding statement, -1 none, ANY */
	unsigned notes;    /* bits that must be set */
	unsigned no_notes; /* bits that must not be set */
	const char *why;   /* a substring of the reason, or NULL */
};

#define ADMITTED     TRUST_ADMITTED
#define NOT_ADMITTED TRUST_NOT_ADMITTED
#define DENIED       TRUST_DENIED
#define NO_SUB       TRUST_NOTE_NO_SUB
#define NO_AUD       TRUST_NOTE_NO_AUD
#define LITERAL      TRUST_NOTE_LITERAL_WILDCARD
#define OTHER        TRUST_NOTE_OTHER_ISSUER
#define UNCERTAIN    TRUST_NOTE_UNCERTAIN

static const struct eval_case cases[] = {
        /* StringEquals */
        {"StringEquals sub and aud match", DOC(ALLOW(EXACT_SUB_AUD)), NULL, NULL, NULL, NULL, NULL, ADMITTED, 0, 0,
         NO_SUB | NO_AUD | UNCERTAIN, "statement 0 allows it"},
        {"StringEquals sub differs", DOC(ALLOW(EXACT_SUB_AUD)), NULL, NULL, "orders", "billing", NULL, NOT_ADMITTED, -1,
         0, 0, "sub does not match: StringEquals system:serviceaccount:orders:orders-api"},
        {"StringEquals values are case-sensitive",
         DOC(ALLOW(OP("StringEquals", KV(SUB_KEY, "\"system:serviceaccount:Orders:orders-api\"")))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, 0, 0, "does not match"},
        {"several values are ORed",
         DOC(ALLOW(OP("StringEquals", KV(SUB_KEY, "[\"system:serviceaccount:a:b\"," ORDERS "]")))), NULL, NULL, NULL,
         NULL, NULL, ADMITTED, 0, NO_AUD, NO_SUB, NULL},
        {"several keys are ANDed: aud differs", DOC(ALLOW(EXACT_SUB_AUD)), NULL, NULL, NULL, NULL, "vault",
         NOT_ADMITTED, -1, 0, 0, "aud does not match: StringEquals sts.amazonaws.com"},
        {"several operators are ANDed",
         DOC(ALLOW(OP("StringLike", KV(SUB_KEY, "\"system:serviceaccount:orders:*\"")) "," OP(
                 "StringEquals", KV(AUD_KEY, "\"other\"")))),
         NULL, NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, 0, 0, "aud does not match"},
        {"a custom audience (eks.amazonaws.com/audience)",
         DOC(ALLOW(OP("StringEquals", KV(SUB_KEY, ORDERS) "," KV(AUD_KEY, "\"vault\"")))), NULL, NULL, NULL, NULL,
         "vault", ADMITTED, 0, 0, 0, "audience vault"},
        {"'*' under StringEquals is literal",
         DOC(ALLOW(OP("StringEquals", KV(SUB_KEY, "\"system:serviceaccount:orders:*\"") "," KV(AUD_KEY, STS)))), NULL,
         NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, LITERAL, 0, "literal under StringEquals"},
        {"'?' under StringEquals is literal too",
         DOC(ALLOW(OP("StringEquals", KV(SUB_KEY, "\"system:serviceaccount:orders:orders-ap?\"")))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, LITERAL, 0, NULL},
        {"a wildcard in ForAnyValue:StringEquals is literal",
         DOC(ALLOW(OP("ForAnyValue:StringEquals", KV(SUB_KEY, "\"system:serviceaccount:*\"")))), NULL, NULL, NULL, NULL,
         NULL, NOT_ADMITTED, -1, LITERAL, 0, NULL},
        /* StringLike */
        {"StringLike namespace-wide", DOC(ALLOW(OP("StringLike", KV(SUB_KEY, "\"system:serviceaccount:orders:*\"")))),
         NULL, NULL, NULL, "anything", NULL, ADMITTED, 0, NO_AUD, NO_SUB | LITERAL, NULL},
        {"StringLike namespace-wide, other namespace",
         DOC(ALLOW(OP("StringLike", KV(SUB_KEY, "\"system:serviceaccount:orders:*\"")))), NULL, NULL, "billing",
         "orders-api", NULL, NOT_ADMITTED, -1, 0, 0, "sub does not match: StringLike system:serviceaccount:orders:*"},
        {"StringLike '?' is one character",
         DOC(ALLOW(OP("StringLike", KV(SUB_KEY, "\"system:serviceaccount:orders:api-?\"")))), NULL, NULL, NULL, "api-1",
         NULL, ADMITTED, 0, 0, 0, NULL},
        {"StringLike '?' is not two",
         DOC(ALLOW(OP("StringLike", KV(SUB_KEY, "\"system:serviceaccount:orders:api-?\"")))), NULL, NULL, NULL,
         "api-10", NULL, NOT_ADMITTED, -1, 0, 0, NULL},
        {"StringLike '*' alone admits every SA", DOC(ALLOW(OP("StringLike", KV(SUB_KEY, "\"*\"")))), NULL, NULL,
         "kube-system", "default", NULL, ADMITTED, 0, 0, 0, NULL},
        {"StringLike is case-sensitive",
         DOC(ALLOW(OP("StringLike", KV(SUB_KEY, "\"system:serviceaccount:ORDERS:*\"")))), NULL, NULL, NULL, NULL, NULL,
         NOT_ADMITTED, -1, 0, 0, NULL},
        /* negated operators */
        {"StringNotEquals admits the others",
         DOC(ALLOW(OP("StringNotEquals", KV(SUB_KEY, "\"system:serviceaccount:kube-system:default\"")))), NULL, NULL,
         NULL, NULL, NULL, ADMITTED, 0, NO_SUB, 0, "does not check sub"},
        {"StringNotEquals with several values is NOR",
         DOC(ALLOW(OP("StringNotEquals", KV(SUB_KEY, "[\"system:serviceaccount:a:b\"," ORDERS "]")))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, 0, 0, "sub matches: StringNotEquals"},
        {"StringNotLike", DOC(ALLOW(OP("StringNotLike", KV(SUB_KEY, "\"system:serviceaccount:orders:*\"")))), NULL,
         NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, 0, 0, "sub matches: StringNotLike"},
        {"StringNotLike other namespace",
         DOC(ALLOW(OP("StringNotLike", KV(SUB_KEY, "\"system:serviceaccount:kube-system:*\"")))), NULL, NULL, NULL,
         NULL, NULL, ADMITTED, 0, NO_SUB, 0, NULL},
        {"StringEqualsIgnoreCase",
         DOC(ALLOW(OP("StringEqualsIgnoreCase", KV(SUB_KEY, "\"SYSTEM:SERVICEACCOUNT:ORDERS:ORDERS-API\"")))), NULL,
         NULL, NULL, NULL, NULL, ADMITTED, 0, 0, NO_SUB, NULL},
        {"StringNotEqualsIgnoreCase",
         DOC(ALLOW(OP("StringNotEqualsIgnoreCase", KV(SUB_KEY, "\"SYSTEM:SERVICEACCOUNT:ORDERS:ORDERS-API\"")))), NULL,
         NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, 0, 0, NULL},
        /* missing keys: positive false, negated true, IfExists and ForAllValues true */
        {"a missing key fails StringEquals",
         DOC(ALLOW(OP("StringEquals", KV(SUB_KEY, ORDERS) "," KV("\"" ISSUER_A ":amr\"", "\"x\"")))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, UNCERTAIN, 0, "amr is not in the request"},
        {"a missing key passes StringNotEquals",
         DOC(ALLOW(EXACT_SUB_AUD "," OP("StringNotEquals", KV(SUB_B, "\"x\"")))), NULL, NULL, NULL, NULL, NULL,
         ADMITTED, 0, OTHER, UNCERTAIN, NULL},
        {"StringEqualsIfExists on a missing key holds",
         DOC(ALLOW(EXACT_SUB_AUD "," OP("StringEqualsIfExists", KV(SUB_B, "\"x\"")))), NULL, NULL, NULL, NULL, NULL,
         ADMITTED, 0, OTHER, 0, NULL},
        {"StringEqualsIfExists on a present key is StringEquals",
         DOC(ALLOW(OP("StringEqualsIfExists", KV(SUB_KEY, "\"system:serviceaccount:a:b\"")))), NULL, NULL, NULL, NULL,
         NULL, NOT_ADMITTED, -1, 0, 0, "StringEqualsIfExists"},
        {"StringLikeIfExists does not count as a sub check",
         DOC(ALLOW(OP("StringLikeIfExists", KV(SUB_KEY, "\"system:serviceaccount:orders:*\"")))), NULL, NULL, NULL,
         NULL, NULL, ADMITTED, 0, NO_SUB, 0, NULL},
        {"StringNotEqualsIfExists", DOC(ALLOW(OP("StringNotEqualsIfExists", KV(SUB_KEY, ORDERS)))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, 0, 0, NULL},
        {"ForAllValues:StringEquals on a present key", DOC(ALLOW(OP("ForAllValues:StringEquals", KV(SUB_KEY, ORDERS)))),
         NULL, NULL, NULL, NULL, NULL, ADMITTED, 0, NO_SUB, 0, NULL},
        {"ForAllValues:StringEquals on a present key that differs",
         DOC(ALLOW(OP("ForAllValues:StringEquals", KV(SUB_KEY, ORDERS)))), NULL, NULL, NULL, "billing", NULL,
         NOT_ADMITTED, -1, 0, 0, NULL},
        {"ForAllValues: on a missing key holds",
         DOC(ALLOW(EXACT_SUB_AUD "," OP("ForAllValues:StringEquals", KV(SUB_B, "\"x\"")))), NULL, NULL, NULL, NULL,
         NULL, ADMITTED, 0, OTHER, 0, NULL},
        {"ForAnyValue:StringEquals on a present key", DOC(ALLOW(OP("ForAnyValue:StringEquals", KV(SUB_KEY, ORDERS)))),
         NULL, NULL, NULL, NULL, NULL, ADMITTED, 0, 0, NO_SUB, NULL},
        {"ForAnyValue: on a missing key fails",
         DOC(ALLOW(EXACT_SUB_AUD "," OP("ForAnyValue:StringLike", KV(SUB_B, "\"*\"")))), NULL, NULL, NULL, NULL, NULL,
         NOT_ADMITTED, -1, OTHER, 0, "names another issuer"},
        {"ForAllValues:StringNotEquals", DOC(ALLOW(OP("ForAllValues:StringNotEquals", KV(SUB_KEY, ORDERS)))), NULL,
         NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, 0, 0, NULL},
        {"Null false: the key is present", DOC(ALLOW(OP("Null", KV(SUB_KEY, "\"false\"")))), NULL, NULL, NULL, NULL,
         NULL, ADMITTED, 0, NO_SUB, 0, NULL},
        {"Null true: the key is present, so no", DOC(ALLOW(OP("Null", KV(SUB_KEY, "\"true\"")))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, 0, 0, "sub is present: Null true"},
        {"Null true on a key outside the request",
         DOC(ALLOW(EXACT_SUB_AUD "," OP("Null", KV("\"aws:SourceIp\"", "\"true\"")))), NULL, NULL, NULL, NULL, NULL,
         ADMITTED, 0, UNCERTAIN, 0, NULL},
        /* key and operator case */
        {"condition keys are case-insensitive",
         DOC(ALLOW(OP("StringEquals", KV("\"OIDC.EKS.US-WEST-2.AMAZONAWS.COM/ID/EXAMPLED539D4633E53DE1B71EXAMPLE:SUB\"",
                                         ORDERS) "," KV("\"" ISSUER_A ":Aud\"", STS)))),
         NULL, NULL, NULL, NULL, NULL, ADMITTED, 0, 0, NO_SUB | NO_AUD | OTHER, NULL},
        {"operator names are case-sensitive", DOC(ALLOW(OP("stringEquals", KV(SUB_KEY, ORDERS)))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, UNCERTAIN, 0, "unknown condition operator stringEquals"},
        {"an operator irsa does not evaluate", DOC(ALLOW(OP("NumericEquals", KV(SUB_KEY, "1")))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, UNCERTAIN, 0, "not evaluated here"},
        /* another cluster's keys (IRSA011) */
        {"keys copied from another cluster", DOC(ALLOW(OP("StringEquals", KV(SUB_B, ORDERS) "," KV(AUD_B, STS)))), NULL,
         NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, OTHER, UNCERTAIN,
         ISSUER_B ":sub is not in the request (it names another issuer), so StringEquals does not match"},
        /* sub or aud missing */
        {"aud-only: every SA of the cluster (IRSA005)", DOC(ALLOW(OP("StringEquals", KV(AUD_KEY, STS)))), NULL, NULL,
         "kube-system", "debug-sa", NULL, ADMITTED, 0, NO_SUB, NO_AUD, "admits every service account of the cluster"},
        {"sub-only (ovotech, rustrial)", DOC(ALLOW(OP("StringEquals", KV(SUB_KEY, ORDERS)))), NULL, NULL, NULL, NULL,
         NULL, ADMITTED, 0, NO_AUD, NO_SUB, NULL},
        {"no Condition at all", DOC(STMT("Allow", FED, WEB_ID)), NULL, NULL, NULL, NULL, NULL, ADMITTED, 0,
         NO_SUB | NO_AUD, 0, NULL},
        {"an empty Condition", DOC(STMT("Allow", FED, WEB_ID, ",\"Condition\":{}")), NULL, NULL, NULL, NULL, NULL,
         ADMITTED, 0, NO_SUB | NO_AUD, 0, NULL},
        /* Deny */
        {"Deny overrides Allow", DOC2(ALLOW(EXACT_SUB_AUD), DENY(OP("StringEquals", KV(SUB_KEY, ORDERS)))), NULL, NULL,
         NULL, NULL, NULL, DENIED, 1, 0, 0, "statement 1 denies it"},
        {"a Deny for another SA does not apply",
         DOC2(ALLOW(EXACT_SUB_AUD), DENY(OP("StringEquals", KV(SUB_KEY, "\"system:serviceaccount:a:b\"")))), NULL, NULL,
         NULL, NULL, NULL, ADMITTED, 0, 0, 0, NULL},
        {"Deny everyone but one SA",
         DOC2(ALLOW(OP("StringLike", KV(SUB_KEY, "\"*\""))), DENY(OP("StringNotEquals", KV(SUB_KEY, ORDERS)))), NULL,
         NULL, "orders", "billing", NULL, DENIED, 1, 0, 0, NULL},
        {"Deny everyone but one SA, that SA",
         DOC2(ALLOW(OP("StringLike", KV(SUB_KEY, "\"*\""))), DENY(OP("StringNotEquals", KV(SUB_KEY, ORDERS)))), NULL,
         NULL, NULL, NULL, NULL, ADMITTED, 0, 0, 0, NULL},
        {"a Deny before the Allow still wins",
         DOC2(STMT("Deny", "\"*\"", "\"Action\":\"sts:*\""), ALLOW(EXACT_SUB_AUD)), NULL, NULL, NULL, NULL, NULL,
         DENIED, 0, 0, 0, NULL},
        {"NotPrincipal: a Deny for everyone but the provider",
         DOC2(ALLOW(EXACT_SUB_AUD), "{\"Effect\":\"Deny\",\"NotPrincipal\":" FED ",\"Action\":\"sts:*\"}"), NULL, NULL,
         NULL, NULL, NULL, ADMITTED, 0, 0, 0, NULL},
        {"NotPrincipal: a Deny for everyone but another provider",
         DOC2(ALLOW(EXACT_SUB_AUD),
              "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"Federated\":\"" PROVIDER_B "\"},\"Action\":\"sts:*\"}"),
         NULL, NULL, NULL, NULL, NULL, DENIED, 1, 0, 0, NULL},
        /* actions */
        {"Action sts:*", DOC(STMT("Allow", FED, "\"Action\":\"sts:*\"", COND(EXACT_SUB_AUD))), NULL, NULL, NULL, NULL,
         NULL, ADMITTED, 0, 0, 0, NULL},
        {"Action *", DOC(STMT("Allow", FED, "\"Action\":[\"*\"]", COND(EXACT_SUB_AUD))), NULL, NULL, NULL, NULL, NULL,
         ADMITTED, 0, 0, 0, NULL},
        {"action names are case-insensitive",
         DOC(STMT("Allow", FED, "\"Action\":\"STS:assumerolewithwebidentity\"", COND(EXACT_SUB_AUD))), NULL, NULL, NULL,
         NULL, NULL, ADMITTED, 0, 0, 0, NULL},
        {"Action sts:AssumeRole with a Federated principal (IRSA008)",
         DOC(STMT("Allow", FED, "\"Action\":\"sts:AssumeRole\"", COND(EXACT_SUB_AUD))), NULL, NULL, NULL, NULL, NULL,
         NOT_ADMITTED, -1, 0, 0,
         "statement 0: its Action does not cover sts:AssumeRoleWithWebIdentity (it allows sts:AssumeRole)"},
        {"NotAction that leaves web identity",
         DOC(STMT("Allow", FED, "\"NotAction\":\"sts:AssumeRole\"", COND(EXACT_SUB_AUD))), NULL, NULL, NULL, NULL, NULL,
         ADMITTED, 0, 0, 0, NULL},
        {"NotAction that excludes web identity",
         DOC(STMT("Allow", FED, "\"NotAction\":[\"sts:AssumeRoleWith*\"]", COND(EXACT_SUB_AUD))), NULL, NULL, NULL,
         NULL, NULL, NOT_ADMITTED, -1, 0, 0, "NotAction does not cover"},
        /* principals */
        {"Federated as a list",
         DOC(STMT("Allow", "{\"Federated\":[\"" PROVIDER_B "\",\"" PROVIDER_A "\"]}", WEB_ID, COND(EXACT_SUB_AUD))),
         NULL, NULL, NULL, NULL, NULL, ADMITTED, 0, 0, 0, NULL},
        {"another cluster's provider", DOC(ALLOW(EXACT_SUB_AUD)), NULL, PROVIDER_B, NULL, NULL, NULL, NOT_ADMITTED, -1,
         0, 0, "no Allow statement names " PROVIDER_B " for sts:AssumeRoleWithWebIdentity"},
        {"Principal \"*\"", DOC(STMT("Allow", "\"*\"", WEB_ID, COND(EXACT_SUB_AUD))), NULL, NULL, NULL, NULL, NULL,
         ADMITTED, 0, 0, 0, NULL},
        {"Principal AWS \"*\"", DOC(STMT("Allow", "{\"AWS\":\"*\"}", WEB_ID)), NULL, NULL, NULL, NULL, NULL, ADMITTED,
         0, NO_SUB, 0, NULL},
        {"a service principal only", DOC(STMT("Allow", "{\"Service\":\"ec2.amazonaws.com\"}", WEB_ID)), NULL, NULL,
         NULL, NULL, NULL, NOT_ADMITTED, -1, 0, 0, "no Allow statement names"},
        {"a bare statement object", "{\"Statement\":" ALLOW(EXACT_SUB_AUD) "}", NULL, NULL, NULL, NULL, NULL, ADMITTED,
         0, 0, 0, NULL},
        {"no Action at all", DOC("{\"Effect\":\"Allow\",\"Principal\":" FED "}"), NULL, NULL, NULL, NULL, NULL,
         NOT_ADMITTED, -1, 0, 0, "missing Action"},
        {"reasons name each candidate and its Sid",
         DOC2(ALLOW(OP("StringEquals", KV(SUB_KEY, "\"system:serviceaccount:a:b\""))),
              "{\"Sid\":\"Second\",\"Effect\":\"Allow\",\"Principal\":" FED
              "," WEB_ID COND(OP("StringEquals", KV(AUD_KEY, "\"x\""))) "}"),
         NULL, NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, 0, 0,
         "statement 0: sub does not match: StringEquals system:serviceaccount:a:b; statement 1 (Sid Second): aud does "
         "not match: StringEquals x"},
        /* the anchors' documents (anchors.md section C) */
        {"TINF", NULL, "tinf.json", NULL, NULL, NULL, NULL, ADMITTED, 2, 0, NO_SUB | NO_AUD, "GrantK8sSAAccessToAWS"},
        {"TINF, another SA", NULL, "tinf.json", NULL, "orders", "billing", NULL, NOT_ADMITTED, -1, 0, 0,
         "statement 2 (Sid GrantK8sSAAccessToAWS): sub does not match"},
        {"eksctl", NULL, "eksctl.json", NULL, NULL, NULL, NULL, ADMITTED, 0, 0, NO_SUB | NO_AUD, NULL},
        {"eksctl, another namespace", NULL, "eksctl.json", NULL, "default", "orders-api", NULL, NOT_ADMITTED, -1, 0, 0,
         NULL},
        {"eksctl --subject-pattern", NULL, "eksctl-pattern.json", NULL, "orders", "app-frontend", NULL, ADMITTED, 0, 0,
         NO_SUB | NO_AUD, NULL},
        {"eksctl --subject-pattern, outside it", NULL, "eksctl-pattern.json", NULL, "orders", "db", NULL, NOT_ADMITTED,
         -1, 0, 0, "StringLike system:serviceaccount:orders:app-*"},
        {"eksctl without an SA: aud only", NULL, "eksctl-aud-only.json", NULL, "kube-system", "anything", NULL,
         ADMITTED, 0, NO_SUB, NO_AUD, NULL},
        {"eksctl Pod Identity role", NULL, "eksctl-pod-identity.json", NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, 0, 0,
         NULL},
        {"terraform-aws-iam, first cluster", NULL, "tf-irsa.json", NULL, "payments", "payments-api", NULL, ADMITTED, 0,
         0, NO_SUB, NULL},
        {"terraform-aws-iam, second cluster", NULL, "tf-irsa.json", PROVIDER_B, NULL, NULL, NULL, ADMITTED, 1, 0,
         NO_SUB | OTHER, NULL},
        {"terraform-aws-iam, second cluster, SA only on the first", NULL, "tf-irsa.json", PROVIDER_B, "payments",
         "payments-api", NULL, NOT_ADMITTED, -1, 0, 0, "statement 1: sub does not match"},
        {"terraform-aws-iam v5, another SA", NULL, "tf-irsa-v5.json", NULL, "orders", "other", NULL, NOT_ADMITTED, -1,
         0, 0, "statement 0 (Sid ExplicitSelfRoleAssumption): its Action does not cover"},
        {"terraform-aws-iam v5, the SA", NULL, "tf-irsa-v5.json", NULL, NULL, NULL, NULL, ADMITTED, 1, 0, 0, NULL},
        {"AWS docs", NULL, "aws-docs.json", NULL, NULL, NULL, NULL, ADMITTED, 0, 0, NO_SUB | NO_AUD | LITERAL, NULL},
        {"AWS docs, another SA", NULL, "aws-docs.json", NULL, "orders", "orders-api-2", NULL, NOT_ADMITTED, -1, 0, 0,
         NULL},
        {"AWS docs, URL-encoded", NULL, "aws-docs.urlencoded.txt", NULL, NULL, NULL, NULL, ADMITTED, 0, 0, 0, NULL},
        {"old console wizard: aud only", NULL, "aws-docs-console.json", NULL, "kube-system", "debug-sa", NULL, ADMITTED,
         0, NO_SUB, 0, NULL},
        {"AWS docs Pod Identity role", NULL, "aws-docs-pod-identity.json", NULL, NULL, NULL, NULL, NOT_ADMITTED, -1, 0,
         0, NULL},
        {"webhook README namespace-wide", NULL, "webhook-namespace.json", NULL, "default", "any", NULL, ADMITTED, 0, 0,
         NO_SUB, NULL},
        {"webhook README namespace-wide, other namespace", NULL, "webhook-namespace.json", NULL, NULL, NULL, NULL,
         NOT_ADMITTED, -1, 0, 0, NULL},
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void
test_case(void **state)
{
	const struct eval_case *c = *state;
	struct trust_request req = {c->provider != NULL ? c->provider : PROVIDER_A, c->ns != NULL ? c->ns : "orders",
	                            c->sa != NULL ? c->sa : "orders-api", c->aud};
	struct irsa_error err;
	struct trust_eval out;
	struct trust *t;

	if (c->file != NULL) {
		t = trust_test_load(c->file);
	} else {
		t = trust_parse(c->doc, &err);
		if (t == NULL)
			fail_msg("%s: %s", c->name, err.message);
	}
	assert_int_equal(trust_evaluate(t, &req, &out, &err), 0);
	if (out.verdict != c->verdict)
		fail_msg("verdict %d, expected %d: %s", out.verdict, c->verdict, out.why);
	if (c->statement != ANY)
		assert_int_equal(out.statement, c->statement);
	if ((out.notes & c->notes) != c->notes || (out.notes & c->no_notes) != 0)
		fail_msg("notes 0x%x, want 0x%x and not 0x%x: %s", out.notes, c->notes, c->no_notes, out.why);
	if (c->why != NULL && strstr(out.why, c->why) == NULL)
		fail_msg("the reason \"%s\" lacks \"%s\"", out.why, c->why);
	if (out.statement >= 0 && t->st[out.statement].sid != NULL)
		assert_ptr_equal(out.sid, t->st[out.statement].sid);
	trust_free(t);
}

static void
test_reason_names_the_subject(void **state)
{
	struct trust *t = trust_test_load("aws-docs.json");
	struct trust_request req = {PROVIDER_A, "orders", "billing", NULL};
	struct irsa_error err;
	struct trust_eval out;

	assert_int_equal(trust_evaluate(t, &req, &out, &err), 0);
	assert_string_equal(out.why, "system:serviceaccount:orders:billing (audience sts.amazonaws.com) is not "
	                             "admitted: statement 0: sub does not match: StringEquals "
	                             "system:serviceaccount:orders:orders-api");
	req.sa = "orders-api";
	assert_int_equal(trust_evaluate(t, &req, &out, &err), 0);
	assert_string_equal(out.why, "system:serviceaccount:orders:orders-api (audience sts.amazonaws.com): statement "
	                             "0 allows it");
	trust_free(t);
}

static void
test_bad_requests(void **state)
{
	struct trust *t = trust_test_load("aws-docs.json");
	struct trust_request req = {"arn:aws:iam::111122223333:role/x", "orders", "orders-api", NULL};
	struct irsa_error err;
	struct trust_eval out;

	assert_int_equal(trust_evaluate(t, &req, &out, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	assert_non_null(strstr(err.message, "not an IAM OIDC provider ARN"));
	req.provider_arn = PROVIDER_A;
	req.sa = "";
	assert_int_equal(trust_evaluate(t, &req, &out, &err), -1);
	assert_int_equal(err.kind, IRSA_ERR_INVALID_INPUT);
	trust_free(t);
}

/* The generic evaluator: a service principal request (Pod Identity). */
static void
test_service_context(void **state)
{
	struct trust *t = trust_test_load("aws-docs-pod-identity.json");
	struct trust_context ctx = {"Service", "pods.eks.amazonaws.com", "sts:TagSession", NULL, 0, NULL};
	struct trust_eval out;

	trust_evaluate_context(t, &ctx, &out);
	assert_int_equal(out.verdict, TRUST_ADMITTED);
	assert_string_equal(out.sid, "AllowEksAuthToAssumeRoleForPodIdentity");
	ctx.principal = "ec2.amazonaws.com";
	trust_evaluate_context(t, &ctx, &out);
	assert_int_equal(out.verdict, TRUST_NOT_ADMITTED);
	assert_int_equal(out.statement, -1);
	trust_free(t);
}

struct like_case {
	const char *pattern, *s;
	bool nocase, match;
};

static void
test_like(void **state)
{
	static const struct like_case like[] = {
	        {"", "", false, true},
	        {"*", "", false, true},
	        {"*", "anything", false, true},
	        {"a*", "a", false, true},
	        {"a*c", "abbbc", false, true},
	        {"a*c", "abbbd", false, false},
	        {"a?c", "abc", false, true},
	        {"a?c", "ac", false, false},
	        {"a?c",
	         "a\xc3\xa9"
	         "c",
	         false, true}, /* '?' is one character, not one byte */
	        {"*:orders:*", "system:serviceaccount:orders:x", false, true},
	        {"**a", "bba", false, true},
	        {"a*b*c", "aXbYbZc", false, true},
	        {"abc", "ABC", false, false},
	        {"abc", "ABC", true, true},
	        {"sts:Assume*", "STS:ASSUMEROLEWITHWEBIDENTITY", true, true},
	        {"${aws:username}", "bob", false, false}, /* policy variables are not expanded */
	};
	size_t i;

	for (i = 0; i < sizeof(like) / sizeof(like[0]); i++)
		if (trust_like(like[i].pattern, like[i].s, like[i].nocase) != like[i].match)
			fail_msg("trust_like(\"%s\", \"%s\") should be %d", like[i].pattern, like[i].s, like[i].match);
}

int
main(void)
{
	const struct CMUnitTest fixed[] = {
	        cmocka_unit_test(test_reason_names_the_subject),
	        cmocka_unit_test(test_bad_requests),
	        cmocka_unit_test(test_service_context),
	        cmocka_unit_test(test_like),
	};
	size_t n_fixed = sizeof(fixed) / sizeof(fixed[0]), i;
	struct CMUnitTest *tests = calloc(n_fixed + N_CASES, sizeof(*tests));
	int rc;

	if (tests == NULL)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < N_CASES; i++) {
		tests[n_fixed + i].name = cases[i].name;
		tests[n_fixed + i].test_func = test_case;
		tests[n_fixed + i].initial_state = (void *)&cases[i];
	}
	rc = _cmocka_run_group_tests("trust_eval", tests, n_fixed + N_CASES, NULL, NULL);
	free(tests);
	return rc;
}
