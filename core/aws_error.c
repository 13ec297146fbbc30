/* core/aws_error.c - AWS error envelopes (Query XML, REST-JSON) to struct
 * irsa_error: a table from code to kind and hint, the clock skew from the
 * Date header, the principal and action from an AccessDenied message. No
 * I/O. */
#include "config.h"

#include "aws_error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "aws_xml.h"
#include "http.h"
#include "jsonobj.h"

#define SKEW_LIMIT 60 /* seconds of clock difference worth mentioning */

enum hint {
	HINT_NONE,
	HINT_CREDS,     /* invalid or expired credentials */
	HINT_CLOCK,     /* a signature problem: the clock, else the secret key */
	HINT_DENIED,    /* grant the action */
	HINT_NOT_FOUND, /* check the name */
	HINT_EXISTS,    /* already there */
	HINT_BUSY,      /* a concurrent change */
	HINT_DELETE,    /* something still depends on it */
	HINT_THROTTLED,
	HINT_LIMIT,
	HINT_POLICY, /* a malformed policy document */
	HINT_INPUT,
	HINT_MANAGED, /* a service-linked role */
	HINT_SERVER,  /* AWS failed on its side */
	HINT_IDP,     /* IAM or STS could not reach the OIDC issuer */
	HINT_REGION,  /* STS disabled in the region */
};

/* Error codes by family. The throttling ones are botocore's
 * (retries/standard.py); retry marks the transient ones. */
static const struct code_rule {
	const char *code;
	enum irsa_err kind;
	enum hint hint;
	bool throttling;
	bool retry;
} code_rules[] = {
        {"InvalidClientTokenId", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"UnrecognizedClientException", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"ExpiredToken", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"ExpiredTokenException", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"IncompleteSignature", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"MissingAuthenticationToken", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"MissingAuthenticationTokenException", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"InvalidAccessKeyId", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"InvalidIdentityToken", IRSA_ERR_AUTH, HINT_CREDS, false, false},
        {"SignatureDoesNotMatch", IRSA_ERR_AUTH, HINT_CLOCK, false, false},
        {"InvalidSignatureException", IRSA_ERR_AUTH, HINT_CLOCK, false, false},
        {"RequestExpired", IRSA_ERR_AUTH, HINT_CLOCK, false, false},
        {"RequestTimeTooSkewed", IRSA_ERR_AUTH, HINT_CLOCK, false, false},
        {"AccessDenied", IRSA_ERR_DENIED, HINT_DENIED, false, false},
        {"AccessDeniedException", IRSA_ERR_DENIED, HINT_DENIED, false, false},
        {"UnauthorizedOperation", IRSA_ERR_DENIED, HINT_DENIED, false, false},
        {"IDPRejectedClaim", IRSA_ERR_DENIED, HINT_NONE, false, false},
        {"RegionDisabledException", IRSA_ERR_DENIED, HINT_REGION, false, false},
        {"NoSuchEntity", IRSA_ERR_NOT_FOUND, HINT_NOT_FOUND, false, false},
        {"ResourceNotFoundException", IRSA_ERR_NOT_FOUND, HINT_NOT_FOUND, false, false},
        {"NotFoundException", IRSA_ERR_NOT_FOUND, HINT_NOT_FOUND, false, false},
        {"EntityAlreadyExists", IRSA_ERR_CONFLICT, HINT_EXISTS, false, false},
        {"ResourceInUseException", IRSA_ERR_CONFLICT, HINT_BUSY, false, false},
        {"ConcurrentModification", IRSA_ERR_CONFLICT, HINT_BUSY, false, false},
        {"DeleteConflict", IRSA_ERR_CONFLICT, HINT_DELETE, false, false},
        {"Throttling", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"ThrottlingException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"ThrottledException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"RequestThrottledException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"TooManyRequestsException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"ProvisionedThroughputExceededException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"TransactionInProgressException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"RequestLimitExceeded", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"BandwidthLimitExceeded", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"LimitExceededException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"RequestThrottled", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"SlowDown", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"PriorRequestNotComplete", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"EC2ThrottledException", IRSA_ERR_THROTTLED, HINT_THROTTLED, true, true},
        {"LimitExceeded", IRSA_ERR_LIMIT, HINT_LIMIT, false, false},
        {"ResourceLimitExceededException", IRSA_ERR_LIMIT, HINT_LIMIT, false, false},
        {"PackedPolicyTooLarge", IRSA_ERR_LIMIT, HINT_POLICY, false, false},
        {"MalformedPolicyDocument", IRSA_ERR_INVALID_INPUT, HINT_POLICY, false, false},
        {"InvalidInput", IRSA_ERR_INVALID_INPUT, HINT_INPUT, false, false},
        {"ValidationError", IRSA_ERR_INVALID_INPUT, HINT_INPUT, false, false},
        {"InvalidParameterException", IRSA_ERR_INVALID_INPUT, HINT_INPUT, false, false},
        {"InvalidParameterValue", IRSA_ERR_INVALID_INPUT, HINT_INPUT, false, false},
        {"InvalidRequestException", IRSA_ERR_INVALID_INPUT, HINT_INPUT, false, false},
        {"ClientException", IRSA_ERR_INVALID_INPUT, HINT_INPUT, false, false},
        {"PolicyNotAttachable", IRSA_ERR_INVALID_INPUT, HINT_INPUT, false, false},
        {"UnmodifiableEntity", IRSA_ERR_INVALID_INPUT, HINT_MANAGED, false, false},
        {"ServiceFailure", IRSA_ERR_NETWORK, HINT_SERVER, false, false},
        {"ServerException", IRSA_ERR_NETWORK, HINT_SERVER, false, false},
        {"ServiceUnavailable", IRSA_ERR_NETWORK, HINT_SERVER, false, false},
        {"ServiceUnavailableException", IRSA_ERR_NETWORK, HINT_SERVER, false, false},
        {"InternalFailure", IRSA_ERR_NETWORK, HINT_SERVER, false, false},
        {"InternalError", IRSA_ERR_NETWORK, HINT_SERVER, false, false},
        {"RequestTimeout", IRSA_ERR_NETWORK, HINT_SERVER, false, true},
        {"RequestTimeoutException", IRSA_ERR_NETWORK, HINT_SERVER, false, true},
        {"IDPCommunicationError", IRSA_ERR_NETWORK, HINT_IDP, false, true},
        {"OpenIdIdpCommunicationError", IRSA_ERR_NETWORK, HINT_IDP, false, false},
};

static const struct code_rule *
rule_for(const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < sizeof(code_rules) / sizeof(code_rules[0]); i++)
		if (strcmp(code_rules[i].code, code) == 0)
			return &code_rules[i];
	return NULL;
}

enum irsa_err
aws_error_kind(const char *code, int status)
{
	const struct code_rule *r = rule_for(code);

	if (r != NULL)
		return r->kind;
	return http_status_kind(status);
}

/* --- reading the envelopes ----------------------------------------------- */

/* What an error body said. Fixed-size copies: an error never needs more. */
struct envelope {
	bool aws; /* the body was an AWS XML or JSON error */
	char code[64];
	char message[400];
	char request_id[80];
};

/* The n bytes at src without the white space around them, cut to fit dst. */
static void
copy_span_trimmed(char *dst, size_t dstsz, const char *src, size_t n)
{
	while (n > 0 && isspace((unsigned char)*src)) {
		src++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)src[n - 1]))
		n--;
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
copy_trimmed(char *dst, size_t dstsz, const char *src)
{
	copy_span_trimmed(dst, dstsz, src, strlen(src));
}

/* "Code:http://internal...", "com.amazonaws.eks#Code" -> "Code" (botocore's
 * RestJSONParser._inject_error_code). */
static void
copy_code(char *dst, size_t dstsz, const char *src)
{
	const char *hash;
	size_t n;

	n = strcspn(src, ":");
	hash = memchr(src, '#', n);
	while (hash != NULL) {
		n -= (size_t)(hash + 1 - src);
		src = hash + 1;
		hash = memchr(src, '#', n);
	}
	copy_span_trimmed(dst, dstsz, src, n);
}

static void
copy_node_text(char *dst, size_t dstsz, const xmlNode *n)
{
	char *t = aws_xml_text(n, NULL);

	if (t != NULL)
		copy_trimmed(dst, dstsz, t);
	free(t);
}

/* <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>
 * (IAM, STS; moto adds a lower-case <message>), and the
 * <Response><Errors><Error>..</Error></Errors><RequestID/> shape of the
 * EC2-style Query services. */
static void
read_xml(const struct buf *body, struct envelope *env)
{
	xmlDoc *doc = aws_xml_parse(body, "the error answer", NULL);
	xmlNode *root, *error, *n;

	if (doc == NULL)
		return;
	root = xmlDocGetRootElement(doc);
	error = strcmp(aws_xml_name(root), "Error") == 0 ? root : aws_xml_find(root, "Error");
	if (error != NULL && (n = aws_xml_child(error, "Code")) != NULL) {
		env->aws = true;
		copy_node_text(env->code, sizeof(env->code), n);
		n = aws_xml_child(error, "Message");
		if (n == NULL)
			n = aws_xml_child(error, "message");
		copy_node_text(env->message, sizeof(env->message), n);
		n = aws_xml_find(root, "RequestId");
		if (n == NULL)
			n = aws_xml_find(root, "RequestID");
		copy_node_text(env->request_id, sizeof(env->request_id), n);
	}
	xmlFreeDoc(doc);
}

/* {"message": "...", "__type": "...", "code": "..."}: any one makes it AWS's. */
static void
read_json(const struct buf *body, struct envelope *env)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	const char *s;

	if (tok == NULL)
		return;
	o = json_tokener_parse_ex(tok, body->data, (int)body->len);
	if (o != NULL && json_tokener_get_error(tok) == json_tokener_success &&
	    json_object_is_type(o, json_type_object)) {
		if ((s = jsonobj_str(o, "message")) != NULL || (s = jsonobj_str(o, "Message")) != NULL) {
			env->aws = true;
			copy_trimmed(env->message, sizeof(env->message), s);
		}
		if ((s = jsonobj_str(o, "__type")) != NULL || (s = jsonobj_str(o, "code")) != NULL ||
		    (s = jsonobj_str(o, "Code")) != NULL) {
			env->aws = true;
			if (env->code[0] == '\0')
				copy_code(env->code, sizeof(env->code), s);
		}
	}
	json_object_put(o);
	json_tokener_free(tok);
}

static void
read_envelope(const struct buf *body, const char *error_type, struct envelope *env)
{
	const char *p;

	memset(env, 0, sizeof(*env));
	if (error_type != NULL && *error_type != '\0')
		copy_code(env->code, sizeof(env->code), error_type);
	if (body == NULL || body->len == 0 || body->len > (size_t)0x7fffffff)
		return;
	for (p = body->data; isspace((unsigned char)*p); p++)
		;
	if (*p == '<')
		read_xml(body, env);
	else if (*p == '{')
		read_json(body, env);
}

static const struct code_rule *
rule_of_body(const struct buf *body)
{
	struct envelope env;

	read_envelope(body, NULL, &env);
	return env.aws ? rule_for(env.code) : NULL;
}

bool
aws_error_is_throttling(int status, const struct buf *body)
{
	const struct code_rule *r;

	if (status == 429)
		return true;
	if (status < 400)
		return false;
	r = rule_of_body(body);
	return r != NULL && r->throttling;
}

bool
aws_error_is_retryable(int status, const struct buf *body)
{
	const struct code_rule *r;

	if (status == 429)
		return true;
	if (status < 400)
		return false;
	r = rule_of_body(body);
	return r != NULL && r->retry;
}

/* --- HTTP dates ----------------------------------------------------------- */

static int
month_of(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	for (i = 0; i < 12; i++)
		if (strncmp(s, months + 3 * i, 3) == 0)
			return i;
	return -1;
}

int
aws_http_date_parse(const char *s, time_t *out)
{
	struct tm tm;
	char mon[4], wday[16], zone[4];
	int year, n = 0;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	while (isspace((unsigned char)*s))
		s++;
	/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	if (sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", wday, &tm.tm_mday, mon, &year, &tm.tm_hour, &tm.tm_min,
	           &tm.tm_sec, zone, &n) == 8 &&
	    n > 0) {
		/* matched */
	} else if (n = 0, sscanf(s, "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d %3s%n", wday, &tm.tm_mday, mon, &year,
	                         &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone, &n) == 8 &&
	                          n > 0) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT; two-digit years as RFC 9110 says */
		year += year < 70 ? 2000 : 1900;
	} else if (n = 0, sscanf(s, "%3s %3s %2d %2d:%2d:%2d %4d%n", wday, mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	                         &tm.tm_sec, &year, &n) == 7 &&
	                          n > 0) {
		/* asctime: Sun Nov  6 08:49:37 1994 */
		strcpy(zone, "GMT");
	} else {
		return -1;
	}
	while (isspace((unsigned char)s[n]))
		n++;
	if (s[n] != '\0' || strcmp(zone, "GMT") != 0 || (tm.tm_mon = month_of(mon)) < 0 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 || year < 1900)
		return -1;
	tm.tm_year = year - 1900;
	*out = timegm(&tm);
	return 0;
}

/* --- the message and the hint --------------------------------------------- */

/* The principal AWS names: "User: arn:aws:iam::1:user/dev is not authorized
 * ..." -> "arn:aws:iam::1:user/dev". */
static bool
find_principal(const char *msg, char *out, size_t outsz)
{
	const char *p = strstr(msg, "User: "), *end;

	if (p == NULL)
		return false;
	p += 6;
	end = strstr(p, " is not authorized");
	if (end == NULL)
		end = p + strcspn(p, " ");
	if (end == p || (size_t)(end - p) >= outsz)
		return false;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return true;
}

/* The action AWS names: "... to perform: iam:GetRole on resource ..." */
static bool
find_action(const char *msg, char *out, size_t outsz)
{
	const char *p = strstr(msg, "perform: ");
	size_t n;

	if (p == NULL)
		return false;
	p += 9;
	n = strcspn(p, " ,;");
	if (n == 0 || n >= outsz || memchr(p, ':', n) == NULL)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static void
clock_hint(struct irsa_error *err, const struct aws_error_response *resp, const struct aws_error_context *ctx)
{
	time_t server, now = ctx->now != 0 ? ctx->now : time(NULL);
	long long skew;

	if (aws_http_date_parse(resp->date, &server) == 0) {
		skew = (long long)now - (long long)server;
		if (skew > SKEW_LIMIT || skew < -SKEW_LIMIT) {
			irsa_error_hint(err,
			                "your clock is %lld s off (%s AWS's); set it right (e.g. timedatectl "
			                "set-ntp true) and retry",
			                skew < 0 ? -skew : skew, skew > 0 ? "ahead of" : "behind");
			return;
		}
	}
	if (ctx->cred_source != NULL)
		irsa_error_hint(err,
		                "check the secret access key: it does not match the access key id (the credentials "
		                "came from %s)",
		                ctx->cred_source);
	else
		irsa_error_hint(err, "check the secret access key: it does not match the access key id");
}

static void
set_hint(struct irsa_error *err, enum hint hint, const struct envelope *env, const struct aws_error_response *resp,
         const struct aws_error_context *ctx, const char *object)
{
	char action[128], principal[256];

	switch (hint) {
	case HINT_NONE:
		break;
	case HINT_CREDS:
		if (ctx->cred_source != NULL)
			irsa_error_hint(
			        err,
			        "the credentials came from %s; refresh them (aws sso login / new keys) or choose "
			        "another profile with --profile",
			        ctx->cred_source);
		else
			irsa_error_hint(err, "refresh the credentials (aws sso login / new keys) or choose another "
			                     "profile with --profile");
		break;
	case HINT_CLOCK:
		clock_hint(err, resp, ctx);
		break;
	case HINT_DENIED:
		if (!find_action(env->message, action, sizeof(action))) {
			if (ctx->op != NULL)
				aws_op_action(ctx->op, action, sizeof(action));
			else
				snprintf(action, sizeof(action), "the action");
		}
		if (find_principal(env->message, principal, sizeof(principal)))
			irsa_error_hint(err,
			                "allow %s to %s (an IAM policy, or ask your administrator), or choose another "
			                "profile with --profile",
			                action, principal);
		else
			irsa_error_hint(err,
			                "allow %s to the caller (an IAM policy, or ask your administrator), or choose "
			                "another profile with --profile",
			                action);
		break;
	case HINT_NOT_FOUND:
		if (object[0] != '\0')
			irsa_error_hint(err, "%s does not exist here: check the name, and the account%s in use", object,
			                ctx->op != NULL && ctx->op->service == AWS_SERVICE_EKS ? " and region" : "");
		else
			irsa_error_hint(err, "check the name, and the account and region in use");
		break;
	case HINT_EXISTS:
		irsa_error_hint(err, "%s already exists: use it, or choose another name",
		                object[0] != '\0' ? object : "it");
		break;
	case HINT_BUSY:
		irsa_error_hint(err, "another change to %s is in progress; wait a moment and retry",
		                object[0] != '\0' ? object : "it");
		break;
	case HINT_DELETE:
		irsa_error_hint(err,
		                "something still uses %s: detach its managed policies, delete its inline policies "
		                "and instance profiles first",
		                object[0] != '\0' ? object : "it");
		break;
	case HINT_THROTTLED:
		irsa_error_hint(err,
		                "AWS is rate-limiting API calls from this account; wait a little and retry, or run "
		                "fewer at once");
		break;
	case HINT_LIMIT:
		irsa_error_hint(err, "an AWS quota was reached: remove something unused, or ask for a higher quota in "
		                     "Service Quotas");
		break;
	case HINT_POLICY:
		irsa_error_hint(err, "fix the policy document: AWS's message says what is wrong with it");
		break;
	case HINT_INPUT:
		irsa_error_hint(err, "check the values given: AWS's message says which one it rejects");
		break;
	case HINT_MANAGED:
		irsa_error_hint(err, "%s is managed by an AWS service (service-linked); change it through that service",
		                object[0] != '\0' ? object : "it");
		break;
	case HINT_SERVER:
		irsa_error_hint(err, "AWS failed on its side; try again in a minute, and see "
		                     "https://health.aws.amazon.com if it persists");
		break;
	case HINT_IDP:
		irsa_error_hint(err, "AWS could not reach the OIDC issuer; check that its URL is public and answers, "
		                     "then retry");
		break;
	case HINT_REGION:
		irsa_error_hint(err, "activate STS in this region (IAM account settings) or use another region");
		break;
	}
}

int
aws_error_from_response(const struct aws_error_response *resp, const struct aws_error_context *ctx,
                        struct irsa_error *err)
{
	static const struct aws_error_context no_ctx;
	const struct code_rule *rule;
	struct envelope env;
	char object[256], what[320];
	enum irsa_err kind;
	enum hint hint;

	if (ctx == NULL)
		ctx = &no_ctx;
	object[0] = '\0';
	if (ctx->op != NULL)
		aws_op_object(ctx->op, object, sizeof(object));
	if (ctx->what != NULL)
		snprintf(what, sizeof(what), "%s", ctx->what);
	else if (ctx->op != NULL && ctx->op->name != NULL)
		snprintf(what, sizeof(what), "%s%s%s", ctx->op->name, object[0] != '\0' ? " " : "", object);
	else
		snprintf(what, sizeof(what), "AWS request");

	read_envelope(resp->body, resp->error_type, &env);
	rule = env.code[0] != '\0' ? rule_for(env.code) : NULL;
	kind = aws_error_kind(env.code[0] != '\0' ? env.code : NULL, resp->status);

	if (env.aws || env.code[0] != '\0') {
		if (env.message[0] != '\0')
			irsa_error_set(err, kind, "%s: %s", what, env.message);
		else
			irsa_error_set(err, kind, "%s: AWS answered %s (HTTP %d %s)", what,
			               env.code[0] != '\0' ? env.code : "an error", resp->status,
			               http_status_text(resp->status));
		hint = rule != NULL ? rule->hint : HINT_NONE;
		if (rule == NULL && resp->status >= 500)
			hint = HINT_SERVER;
		set_hint(err, hint, &env, resp, ctx, object);
	} else {
		irsa_error_set(err, kind, "%s: HTTP %d %s, and the answer is not from AWS (%s)", what, resp->status,
		               http_status_text(resp->status),
		               resp->content_type != NULL && *resp->content_type != '\0' ? resp->content_type
		                                                                         : "no AWS error in the body");
		if (resp->status == 407)
			irsa_error_hint(err, "the proxy wants credentials: put them in HTTPS_PROXY "
			                     "(https://user:password@host:port) or bypass it with NO_PROXY");
		else
			irsa_error_hint(err, "a proxy or load balancer answered instead of AWS: check HTTPS_PROXY, "
			                     "NO_PROXY and the endpoint URL");
	}
	if (err != NULL)
		err->http_status = resp->status;
	irsa_error_set_code(err, env.code[0] != '\0' ? env.code : NULL,
	                    resp->request_id != NULL && *resp->request_id != '\0' ? resp->request_id
	                    : env.request_id[0] != '\0'                           ? env.request_id
	                                                                          : NULL);
	return -1;
}
