/* core/policy_scan.c - IAM identity policies for the audit (policy_scan.h):
 * parsing through trust_parse(), and IAM's matching of actions, resources
 * and condition keys over the parsed statements. Pure. */
#include "config.h"

#include "policy_scan.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_iam.h"

#define TRUST_PREFIX "trust policy: "

int
policy_doc_parse(const char *text, struct policy_doc *out, struct irsa_error *err)
{
	struct irsa_error local;
	char *decoded;
	bool is_json = false;

	memset(out, 0, sizeof(*out));
	irsa_error_clear(&local);
	out->t = trust_parse(text, &local);
	if (out->t == NULL) {
		/* trust_parse() speaks of trust policies; this is an identity policy. */
		const char *m = local.message;

		if (strncmp(m, TRUST_PREFIX, strlen(TRUST_PREFIX)) == 0)
			m += strlen(TRUST_PREFIX);
		irsa_error_set(err, local.kind, "policy document: %s", m);
		return -1;
	}
	decoded = aws_iam_policy_decode(text, &is_json);
	if (decoded == NULL) {
		policy_doc_release(out);
		return irsa_error_oom(err);
	}
	out->root = is_json ? json_tokener_parse(decoded) : NULL;
	free(decoded);
	return 0;
}

void
policy_doc_release(struct policy_doc *d)
{
	if (d == NULL)
		return;
	trust_free(d->t);
	json_object_put(d->root);
	memset(d, 0, sizeof(*d));
}

struct json_object *
policy_doc_statement(const struct policy_doc *d, size_t i)
{
	struct json_object *st;

	if (d->root == NULL || !json_object_object_get_ex(d->root, "Statement", &st))
		return NULL;
	if (!json_object_is_type(st, json_type_array))
		return i == 0 ? st : NULL;
	return i < json_object_array_length(st) ? json_object_array_get_idx(st, i) : NULL;
}

bool
policy_pattern_is_all(const char *pattern)
{
	bool star = false, colon = false;

	for (const char *p = pattern; *p != '\0'; p++) {
		if (*p == '*')
			star = true;
		else if (*p == ':' && !colon)
			colon = true;
		else
			return false;
	}
	return star;
}

bool
policy_action_service_wide(const char *pattern)
{
	const char *colon = strchr(pattern, ':');

	if (colon == NULL || colon == pattern || colon[1] == '\0')
		return false;
	for (const char *p = pattern; p < colon; p++)
		if (*p == '*' || *p == '?')
			return false;
	for (const char *p = colon + 1; *p != '\0'; p++)
		if (*p != '*')
			return false;
	return true;
}

/* The first pattern of l that matches s, or NULL. */
static const char *
list_match(const struct trust_list *l, const char *s, bool nocase)
{
	for (size_t i = 0; l->present && i < l->n; i++)
		if (trust_like(l->v[i], s, nocase))
			return l->v[i];
	return NULL;
}

/* The first pattern of l that matches everything, or NULL. */
static const char *
list_all(const struct trust_list *l)
{
	for (size_t i = 0; l->present && i < l->n; i++)
		if (policy_pattern_is_all(l->v[i]))
			return l->v[i];
	return NULL;
}

enum policy_grant
policy_statement_grants(const struct trust_statement *st, const char *action, const char **via)
{
	const char *m = NULL;
	enum policy_grant g = POLICY_GRANT_NONE;

	if (st->deny)
		g = POLICY_GRANT_NONE;
	else if (st->action.present)
		g = (m = list_match(&st->action, action, true)) != NULL ? POLICY_GRANT_ACTION : POLICY_GRANT_NONE;
	else if (st->not_action.present)
		g = list_match(&st->not_action, action, true) == NULL ? POLICY_GRANT_NOT_ACTION : POLICY_GRANT_NONE;
	if (via != NULL)
		*via = m;
	return g;
}

bool
policy_statement_all_actions(const struct trust_statement *st, const char **via)
{
	const char *m = NULL;
	bool all = false;

	if (st->deny)
		all = false;
	else if (st->action.present)
		all = (m = list_all(&st->action)) != NULL;
	else if (st->not_action.present)
		all = list_all(&st->not_action) == NULL;
	if (via != NULL)
		*via = m;
	return all;
}

bool
policy_statement_all_resources(const struct trust_statement *st, const char **via)
{
	const char *m = NULL;
	bool all = false;

	if (st->resource.present)
		all = (m = list_all(&st->resource)) != NULL;
	else if (st->not_resource.present)
		all = list_all(&st->not_resource) == NULL;
	if (via != NULL)
		*via = m;
	return all;
}

bool
policy_statement_covers(const struct trust_statement *st, const char *arn, const char **via)
{
	const char *m = NULL;
	bool covers = false;

	if (st->resource.present)
		covers = (m = list_match(&st->resource, arn, false)) != NULL;
	else if (st->not_resource.present)
		covers = list_match(&st->not_resource, arn, false) == NULL;
	if (via != NULL)
		*via = m;
	return covers;
}

bool
policy_statement_has_key(const struct trust_statement *st, const char *key)
{
	for (size_t i = 0; i < st->n_cond; i++)
		for (size_t j = 0; j < st->cond[i].n; j++)
			if (strcasecmp(st->cond[i].keys[j].key, key) == 0)
				return true;
	return false;
}
