/* core/aws_credentials.c - filling and releasing a struct aws_credentials:
 * copies in, secrets registered with the redactor, everything wiped out. */
#include "config.h"

#include "aws_credentials.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "redact.h"

void
aws_credentials_release(struct aws_credentials *c)
{
	if (c == NULL)
		return;
	buf_free_secret(c->access_key_id);
	buf_free_secret(c->secret_access_key);
	buf_free_secret(c->session_token);
	free(c->account_id);
	memset(c, 0, sizeof(*c));
}

int
aws_credentials_set(struct aws_credentials *c, const char *akid, const char *secret, const char *token,
                    const char *account_id)
{
	memset(c, 0, sizeof(*c));
	c->access_key_id = strdup(akid);
	c->secret_access_key = strdup(secret);
	c->session_token = token != NULL ? strdup(token) : NULL;
	c->account_id = account_id != NULL ? strdup(account_id) : NULL;
	if (c->access_key_id == NULL || c->secret_access_key == NULL || (token != NULL && c->session_token == NULL) ||
	    (account_id != NULL && c->account_id == NULL) || redact_register(secret) != 0 ||
	    (token != NULL && redact_register(token) != 0)) {
		aws_credentials_release(c);
		return -1;
	}
	return 0;
}
