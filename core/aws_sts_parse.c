/* core/aws_sts_parse.c - STS request builders and answer parsers; the
 * temporary credentials they read are registered with the redactor and
 * wiped on release. No I/O. */
#include "config.h"

#include "aws_sts_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_xml.h"
#include "redact.h"

void
aws_caller_identity_release(struct aws_caller_identity *id)
{
	free(id->account);
	free(id->arn);
	free(id->user_id);
	memset(id, 0, sizeof(*id));
}

void
aws_sts_credentials_release(struct aws_sts_credentials *c)
{
	free(c->access_key_id);
	buf_free_secret(c->secret_access_key);
	buf_free_secret(c->session_token);
	free(c->assumed_role_id);
	free(c->assumed_role_arn);
	free(c->source_identity);
	free(c->subject);
	free(c->audience);
	free(c->provider);
	memset(c, 0, sizeof(*c));
}

/* --- requests ----------------------------------------------------------------- */

/* min to max characters, each a letter, a digit or one of extra. */
static int
check_chars(const char *s, size_t min, size_t max, const char *extra, const char *what, struct irsa_error *err)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	if (n < min || n > max)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "%s \"%s\" is not valid: it must have %zu to %zu characters", what,
		                      s != NULL ? s : "", min, max);
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr(extra, s[i]) == NULL)
			return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
			                      "%s \"%s\" is not valid: use only letters, digits and %s", what, s,
			                      extra);
	return 0;
}

static int
check_common(const char *role_arn, const char *session_name, long duration, const char *policy, struct irsa_error *err)
{
	size_t n = role_arn != NULL ? strlen(role_arn) : 0;

	if (n < 20 || n > 2048 || strncmp(role_arn, "arn:", 4) != 0)
		return irsa_error_set(
		        err, IRSA_ERR_INVALID_INPUT,
		        "role ARN \"%s\" is not valid: it must be an ARN (arn:...) of 20 to 2048 characters",
		        role_arn != NULL ? role_arn : "");
	if (check_chars(session_name, 2, 64, "+=,.@_-", "session name", err) != 0)
		return -1;
	if (duration != 0 && (duration < AWS_STS_MIN_DURATION || duration > AWS_STS_MAX_DURATION))
		return irsa_error_set(
		        err, IRSA_ERR_INVALID_INPUT,
		        "session duration %ld s is not valid: use %d to %d seconds (15 minutes to 12 hours)", duration,
		        AWS_STS_MIN_DURATION, AWS_STS_MAX_DURATION);
	if (policy != NULL && policy[0] == '\0')
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the session policy is empty");
	return 0;
}

int
aws_sts_op_get_caller_identity(struct aws_op *op, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_STS, "GetCallerIdentity");
	return aws_op_finish(op, err);
}

int
aws_sts_op_assume_role(struct aws_op *op, const struct aws_sts_assume_role *in, struct irsa_error *err)
{
	aws_op_init(op, AWS_SERVICE_STS, "AssumeRole");
	if (check_common(in->role_arn, in->session_name, in->duration_seconds, in->policy, err) != 0 ||
	    (in->external_id != NULL && check_chars(in->external_id, 2, 1224, "+=,.@:/_-", "external ID", err) != 0) ||
	    (in->serial_number != NULL &&
	     check_chars(in->serial_number, 9, 256, "+=/:,.@_-", "MFA serial number", err) != 0) ||
	    (in->token_code != NULL && check_chars(in->token_code, 6, 6, "", "MFA code", err) != 0))
		return -1;
	if (in->token_code != NULL && strspn(in->token_code, "0123456789") != 6)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the MFA code must be 6 digits");
	if ((in->token_code != NULL) != (in->serial_number != NULL))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "an MFA code needs the MFA device's serial number, and the other way round");
	/* The model's order. */
	aws_op_add(op, "RoleArn", in->role_arn);
	aws_op_add(op, "RoleSessionName", in->session_name);
	if (in->policy != NULL)
		aws_op_add(op, "Policy", in->policy);
	if (in->duration_seconds != 0)
		aws_op_add_int(op, "DurationSeconds", in->duration_seconds);
	if (in->external_id != NULL)
		aws_op_add(op, "ExternalId", in->external_id);
	if (in->serial_number != NULL) {
		aws_op_add(op, "SerialNumber", in->serial_number);
		aws_op_add(op, "TokenCode", in->token_code);
	}
	return aws_op_finish(op, err);
}

int
aws_sts_op_assume_role_with_web_identity(struct aws_op *op, const struct aws_sts_web_identity *in,
                                         struct irsa_error *err)
{
	size_t n = in->web_identity_token != NULL ? strlen(in->web_identity_token) : 0;

	aws_op_init(op, AWS_SERVICE_STS, "AssumeRoleWithWebIdentity");
	op->sign = false;
	if (check_common(in->role_arn, in->session_name, in->duration_seconds, in->policy, err) != 0)
		return -1;
	if (n < 4 || n > 20000)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "the web identity token has %zu characters; STS takes 4 to 20000", n);
	if (in->provider_id != NULL && (strlen(in->provider_id) < 4 || strlen(in->provider_id) > 2048))
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		                      "provider ID \"%s\" is not valid: it must have 4 to 2048 characters",
		                      in->provider_id);
	/* botocore's order (request-bodies.txt), then the model's. */
	aws_op_add(op, "RoleArn", in->role_arn);
	aws_op_add(op, "RoleSessionName", in->session_name);
	aws_op_add(op, "WebIdentityToken", in->web_identity_token);
	if (in->provider_id != NULL)
		aws_op_add(op, "ProviderId", in->provider_id);
	if (in->policy != NULL)
		aws_op_add(op, "Policy", in->policy);
	if (in->duration_seconds != 0)
		aws_op_add_int(op, "DurationSeconds", in->duration_seconds);
	return aws_op_finish(op, err);
}

/* --- answers ------------------------------------------------------------------- */

static xmlDoc *
open_answer(const struct buf *body, const char *op, xmlNode **result, char *what, size_t whatsz, struct irsa_error *err)
{
	xmlDoc *doc;

	snprintf(what, whatsz, "the %s answer", op);
	doc = aws_xml_parse(body, what, err);
	if (doc == NULL)
		return NULL;
	*result = aws_xml_query_result(doc, op, true, err);
	if (*result == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

int
aws_sts_parse_get_caller_identity(const struct buf *body, struct aws_caller_identity *out, struct irsa_error *err)
{
	xmlNode *r;
	xmlDoc *doc;
	char what[64];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if ((doc = open_answer(body, "GetCallerIdentity", &r, what, sizeof(what), err)) == NULL)
		return -1;
	if (aws_xml_str(r, "Account", true, &out->account, what, err) == 0 &&
	    aws_xml_str(r, "Arn", true, &out->arn, what, err) == 0 &&
	    aws_xml_str(r, "UserId", false, &out->user_id, what, err) == 0)
		rc = 0;
	xmlFreeDoc(doc);
	return rc;
}

/* Overwrites the text below n in the document, so freeing it leaves no copy
 * of a secret behind. */
static void
wipe_text(xmlNode *n)
{
	xmlNode *c;

	for (c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content != NULL)
			buf_wipe(c->content, strlen((const char *)c->content));
}

static int
parse_credentials(const struct buf *body, const char *op, struct aws_sts_credentials *out, struct irsa_error *err)
{
	xmlNode *r, *creds, *user;
	xmlDoc *doc;
	char what[64];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if ((doc = open_answer(body, op, &r, what, sizeof(what), err)) == NULL)
		return -1;
	creds = aws_xml_child(r, "Credentials");
	user = aws_xml_child(r, "AssumedRoleUser");
	if (creds == NULL) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks <Credentials>", what);
		goto done;
	}
	/* The secrets first, so they are registered before anything can fail
	 * and put text of this answer in a message. */
	if (aws_xml_str(creds, "SecretAccessKey", true, &out->secret_access_key, what, err) != 0 ||
	    aws_xml_str(creds, "SessionToken", true, &out->session_token, what, err) != 0)
		goto done;
	if (redact_register(out->secret_access_key) != 0 || redact_register(out->session_token) != 0) {
		irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", what);
		goto done;
	}
	if (aws_xml_str(creds, "AccessKeyId", true, &out->access_key_id, what, err) != 0 ||
	    aws_xml_time(creds, "Expiration", true, &out->expiration, what, err) != 0 ||
	    (user != NULL && (aws_xml_str(user, "AssumedRoleId", false, &out->assumed_role_id, what, err) != 0 ||
	                      aws_xml_str(user, "Arn", false, &out->assumed_role_arn, what, err) != 0)) ||
	    aws_xml_long(r, "PackedPolicySize", false, &out->packed_policy_size, what, err) != 0 ||
	    aws_xml_str(r, "SourceIdentity", false, &out->source_identity, what, err) != 0 ||
	    aws_xml_str(r, "SubjectFromWebIdentityToken", false, &out->subject, what, err) != 0 ||
	    aws_xml_str(r, "Audience", false, &out->audience, what, err) != 0 ||
	    aws_xml_str(r, "Provider", false, &out->provider, what, err) != 0)
		goto done;
	rc = 0;
done:
	wipe_text(aws_xml_child(creds, "SecretAccessKey"));
	wipe_text(aws_xml_child(creds, "SessionToken"));
	xmlFreeDoc(doc);
	return rc;
}

int
aws_sts_parse_assume_role(const struct buf *body, struct aws_sts_credentials *out, struct irsa_error *err)
{
	return parse_credentials(body, "AssumeRole", out, err);
}

int
aws_sts_parse_assume_role_with_web_identity(const struct buf *body, struct aws_sts_credentials *out,
                                            struct irsa_error *err)
{
	return parse_credentials(body, "AssumeRoleWithWebIdentity", out, err);
}
