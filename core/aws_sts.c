/* core/aws_sts.c - the STS calls end to end (see aws_sts.h): builder,
 * aws_client_call(), parser. Owns nothing beyond a call; no printing. */
#include "config.h"

#include "aws_sts.h"

#include <string.h>

#include "http.h"

/* Builds with build, sends, parses with parse: the shape of every call. */
static int
sts_call(struct aws_client *c, struct aws_op *op, struct http_response *resp, struct irsa_error *err)
{
	int rc = aws_client_call(c, op, resp, err);

	aws_op_release(op);
	return rc;
}

int
aws_sts_get_caller_identity(struct aws_client *c, struct aws_caller_identity *out, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	if (aws_sts_op_get_caller_identity(&op, err) != 0)
		return -1;
	rc = sts_call(c, &op, &resp, err);
	if (rc == 0)
		rc = aws_sts_parse_get_caller_identity(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

int
aws_sts_assume_role(struct aws_client *c, const struct aws_sts_assume_role *in, struct aws_sts_credentials *out,
                    struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	if (aws_sts_op_assume_role(&op, in, err) != 0)
		return -1;
	rc = sts_call(c, &op, &resp, err);
	if (rc == 0)
		rc = aws_sts_parse_assume_role(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

int
aws_sts_assume_role_with_web_identity(struct aws_client *c, const struct aws_sts_web_identity *in,
                                      struct aws_sts_credentials *out, struct irsa_error *err)
{
	struct http_response resp;
	struct aws_op op;
	int rc;

	memset(out, 0, sizeof(*out));
	if (aws_sts_op_assume_role_with_web_identity(&op, in, err) != 0)
		return -1;
	rc = sts_call(c, &op, &resp, err);
	if (rc == 0)
		rc = aws_sts_parse_assume_role_with_web_identity(&resp.body, out, err);
	http_response_release(&resp);
	return rc;
}

int
aws_sts_to_credentials(const struct aws_sts_credentials *in, struct aws_credentials *out, struct irsa_error *err)
{
	char account[32] = "";
	const char *arn = in->assumed_role_arn, *p;
	size_t i;

	memset(out, 0, sizeof(*out));
	/* arn:PARTITION:sts::ACCOUNT:assumed-role/... : the fifth field. */
	for (i = 0, p = arn; p != NULL && i < 4; i++) {
		p = strchr(p, ':');
		if (p != NULL)
			p++;
	}
	if (p != NULL && strcspn(p, ":") > 0 && strcspn(p, ":") < sizeof(account))
		memcpy(account, p, strcspn(p, ":"));
	if (in->access_key_id == NULL || in->secret_access_key == NULL)
		return irsa_error_set(err, IRSA_ERR_PARSE, "the STS answer holds no credentials");
	if (aws_credentials_set(out, in->access_key_id, in->secret_access_key, in->session_token,
	                        *account ? account : NULL) != 0)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory copying STS credentials");
	out->expiration = in->expiration;
	return 0;
}
