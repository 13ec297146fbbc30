/* core/aws_sso.c - finding and reading an SSO access token in the cache
 * the AWS CLI writes (botocore's SSOTokenLoader): the file named by the
 * SHA-1 of the sso-session name (or the legacy start URL), its accessToken
 * and expiresAt. An absent or expired token is an error telling the user to
 * log in again; nothing here talks to AWS. */
#include "config.h"

#include "aws_sso.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "aws_file.h"
#include "buf.h"
#include "jsonobj.h"
#include "aws_time.h"
#include "path.h"
#include "redact.h"

void
aws_sso_token_release(struct aws_sso_token *t)
{
	if (t == NULL)
		return;
	buf_free_secret(t->access_token);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

static int
sso_login_hint(struct irsa_error *err, const char *profile)
{
	return irsa_error_hint(err, "Run: aws sso login --profile %s", profile);
}

int
aws_sso_token_load(const struct env *env, const char *profile, const char *start_url, const char *sso_session,
                   time_t now, struct aws_sso_token *out, struct irsa_error *err)
{
	const char *key = sso_session != NULL ? sso_session : start_url;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0, i;
	char hex[2 * EVP_MAX_MD_SIZE + 1], *dir;
	struct json_object *root;
	const char *tok, *exp;
	struct buf path, data;
	int r;

	memset(out, 0, sizeof(*out));
	if (key == NULL)
		return irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "profile \"%s\" has no sso_session or sso_start_url",
		                      profile);
	if (EVP_Digest(key, strlen(key), md, &md_len, EVP_sha1(), NULL) != 1)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "SHA-1 failed");
	for (i = 0; i < md_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	dir = path_expand_env(env, "~/.aws/sso/cache");
	if (dir == NULL)
		return irsa_error_oom(err);
	buf_init(&path, PATH_MAX);
	buf_printf(&path, "%s/%s.json", dir, hex);
	free(dir);
	if (path.failed) {
		buf_release(&path);
		return irsa_error_oom(err);
	}
	out->path = buf_detach(&path);
	if (out->path == NULL)
		return irsa_error_oom(err);
	r = aws_file_read(out->path, &data, err);
	if (r < 0) {
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	if (r == 0) {
		irsa_error_set(err, IRSA_ERR_AUTH, "no SSO token for profile \"%s\" (%s is missing)", profile,
		               out->path);
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	root = json_tokener_parse(buf_cstr(&data));
	buf_release_secure(&data);
	tok = jsonobj_str(root, "accessToken");
	exp = jsonobj_str(root, "expiresAt");
	if (tok == NULL || exp == NULL || aws_parse_time(exp, &out->expires_at) != 0) {
		irsa_error_set(err, IRSA_ERR_AUTH,
		               "the SSO token cache %s for profile \"%s\" lacks accessToken or expiresAt", out->path,
		               profile);
		json_object_put(root);
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	redact_register(tok);
	out->access_token = strdup(tok);
	json_object_put(root);
	if (out->access_token == NULL) {
		aws_sso_token_release(out);
		return irsa_error_oom(err);
	}
	if (now == 0)
		now = time(NULL);
	if (out->expires_at <= now) {
		irsa_error_set(err, IRSA_ERR_AUTH, "the SSO session of profile \"%s\" has expired", profile);
		aws_sso_token_release(out);
		return sso_login_hint(err, profile);
	}
	return 0;
}
