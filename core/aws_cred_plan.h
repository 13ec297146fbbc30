/* core/aws_cred_plan.h - which provider of botocore's credential chain
 * applies to a profile, and with which parameters: the plan for getting
 * credentials, worked out from the loaded files and the environment in
 * botocore's order (credentials.py). It does not call AWS and runs nothing:
 * carrying a plan out is the callers' job (credential_process in
 * aws_credproc.h, the SSO cache in aws_sso.h, STS and the metadata services
 * elsewhere). Keys found on the way are registered with the redactor. */
#ifndef IRSA_AWS_CRED_PLAN_H
#define IRSA_AWS_CRED_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_credentials.h"
#include "error.h"

#define AWS_CONTAINER_RELATIVE_HOST  "http://169.254.170.2"
#define AWS_IMDS_DEFAULT_ENDPOINT    "http://169.254.169.254"
#define AWS_IMDS_DEFAULT_ENDPOINT_V6 "http://[fd00:ec2::254]"

struct aws_config;

/* One provider of the chain, with its parameters. */
enum aws_cred_kind {
	AWS_CRED_ENV,          /* AWS_ACCESS_KEY_ID ...: creds holds them */
	AWS_CRED_STATIC,       /* keys in a profile (credentials file, then config file): creds */
	AWS_CRED_ASSUME_ROLE,  /* sts:AssumeRole with the previous step's credentials */
	AWS_CRED_WEB_IDENTITY, /* sts:AssumeRoleWithWebIdentity with the token file (unsigned) */
	AWS_CRED_SSO,          /* the SSO token cache (aws_sso.h), then sso:GetRoleCredentials */
	AWS_CRED_LOGIN,        /* botocore's "aws login" session (login_session) */
	AWS_CRED_PROCESS,      /* credential_process: run with aws_credential_process_run() (aws_credproc.h) */
	AWS_CRED_CONTAINER,    /* ECS / EKS Pod Identity endpoint */
	AWS_CRED_IMDS,         /* EC2 instance metadata, IMDSv2 */
};

/* Strings owned by the step; NULL when not set. */
struct aws_cred_step {
	enum aws_cred_kind kind;
	char *profile; /* the profile the step comes from; NULL for the environment and the chain's tail */
	char *origin;  /* where it was found, for messages: "environment", "/home/u/.aws/credentials", ... */

	struct aws_credentials creds; /* ENV, STATIC */

	char *role_arn;          /* ASSUME_ROLE, WEB_IDENTITY */
	char *role_session_name; /* ASSUME_ROLE, WEB_IDENTITY; NULL: the caller picks one */
	char *external_id;       /* ASSUME_ROLE */
	char *mfa_serial;        /* ASSUME_ROLE (the caller must ask for a code) */
	int duration_seconds;    /* ASSUME_ROLE; 0 when not set */
	char *token_file;        /* WEB_IDENTITY: read on every refresh */

	char *sso_start_url; /* SSO */
	char *sso_region;
	char *sso_account_id;
	char *sso_role_name;
	char *sso_session; /* NULL for a legacy profile (sso_start_url in the profile) */

	char *login_session; /* LOGIN */

	char *command; /* PROCESS */

	char *url;               /* CONTAINER: the full URL; IMDS: the endpoint (no trailing '/') */
	char *auth_token;        /* CONTAINER: AWS_CONTAINER_AUTHORIZATION_TOKEN (a secret) */
	char *auth_token_file;   /* CONTAINER: read on every fetch, wins over auth_token */
	bool imds_v1_disabled;   /* IMDS: no fallback to IMDSv1 */
	int metadata_timeout_ms; /* CONTAINER, IMDS */
	int metadata_attempts;   /* CONTAINER, IMDS */
};

/* How to get credentials for one profile: carry out steps[0], then each
 * later step (always ASSUME_ROLE) with the credentials of the one before.
 * Owned; release with aws_cred_plan_release(). */
struct aws_cred_plan {
	struct aws_cred_step *steps;
	size_t n_steps;
};

/* Works out the plan for profile, walking botocore's chain in its order:
 * environment keys (unless explicit_flag), role_arn with source_profile
 * (followed to its end) or credential_source, web identity (environment,
 * then profile), SSO, credentials file keys, login session,
 * credential_process, config file keys, container, IMDS. Reads no file but
 * the two already loaded. Returns 0 and fills plan, or -1 with err set
 * (IRSA_ERR_INVALID_INPUT for a broken profile, naming the profile, a
 * source_profile cycle or the missing key; IRSA_ERR_AUTH when nothing
 * applies and IMDS is disabled). */
int aws_cred_plan_build(const struct aws_config *cfg, const char *profile, bool explicit_flag,
                        struct aws_cred_plan *plan, struct irsa_error *err);

/* Wipes and frees what plan holds and leaves it empty. */
void aws_cred_plan_release(struct aws_cred_plan *plan);

/* A stable lower-case name for kind ("assume-role", ...). Static string. */
const char *aws_cred_kind_name(enum aws_cred_kind kind);

#endif
