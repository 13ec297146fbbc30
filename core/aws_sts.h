/* core/aws_sts.h - the STS calls irsa makes, end to end: GetCallerIdentity
 * ("irsa whoami", checking credentials), AssumeRole and
 * AssumeRoleWithWebIdentity (the credentials provider's role steps).
 *
 * Each builds its request with the aws_sts_parse builders (whose input and
 * output types it takes), sends it with aws_client_call() and reads the
 * answer with the aws_sts_parse parsers.
 * AssumeRoleWithWebIdentity goes out unsigned, as botocore sends it (its
 * model says "auth": ["smithy.api#noAuth"] and the provider configures
 * signature_version=UNSIGNED): the token is the proof. Credentials handed
 * out are registered with the redactor and wiped when released. No
 * printing. */
#ifndef IRSA_AWS_STS_H
#define IRSA_AWS_STS_H

#include "aws_client.h"
#include "aws_config.h"
#include "aws_sts_parse.h"
#include "error.h"

/* sts:GetCallerIdentity with the client's credentials. Returns 0 and fills
 * out (the caller releases it with aws_caller_identity_release(), also after
 * a failure), or -1 with err set. */
int aws_sts_get_caller_identity(struct aws_client *c, struct aws_caller_identity *out, struct irsa_error *err);

/* sts:AssumeRole, signed with the client's credentials. Returns 0 and fills
 * out (the caller releases it with aws_sts_credentials_release(), also after
 * a failure), or -1 with err set. */
int aws_sts_assume_role(struct aws_client *c, const struct aws_sts_assume_role *in, struct aws_sts_credentials *out,
                        struct irsa_error *err);

/* sts:AssumeRoleWithWebIdentity, unsigned. Returns as aws_sts_assume_role(). */
int aws_sts_assume_role_with_web_identity(struct aws_client *c, const struct aws_sts_web_identity *in,
                                          struct aws_sts_credentials *out, struct irsa_error *err);

/* Copies the keys of an STS answer into out, with the account taken from the
 * assumed role's ARN (as botocore does). Registers the secrets. Returns 0, or
 * -1 with err set (out of memory); out is then empty. */
int aws_sts_to_credentials(const struct aws_sts_credentials *in, struct aws_credentials *out, struct irsa_error *err);

#endif
