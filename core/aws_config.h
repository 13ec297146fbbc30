/* core/aws_config.h - the shared AWS config and credentials files, and what
 * they (with the environment and the command line) decide: the profile, the
 * region and the plan for getting credentials, resolved as botocore does.
 *
 * Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE) with inih behind a reader that makes it parse
 * like Python's configparser: full-line comments only (a ';' or '#' after a
 * value is part of it), indented continuation lines, nested "s3 =" blocks,
 * lower-cased keys, duplicate sections or keys are errors, [DEFAULT] keys
 * apply to every section, lines of any length. Missing files are empty.
 *
 * The credential plan says which provider of botocore's chain applies and
 * with which parameters; it does not call AWS. Two local steps are carried
 * out here: running a credential_process and reading the SSO token cache.
 * Everything secret this module hands out is registered with the redactor
 * and wiped when released. No network, no printing, no terminal. */
#ifndef IRSA_AWS_CONFIG_H
#define IRSA_AWS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

#define AWS_CONFIG_MAX_FILE          (4 * 1024 * 1024) /* cap on each config or cache file read */
#define AWS_PROCESS_MAX_OUTPUT       (64 * 1024)       /* cap on a credential_process's stdout */
#define AWS_PROCESS_DEFAULT_TIMEOUT  60000             /* ms; botocore has none, a hung helper would hang us */
#define AWS_CONTAINER_RELATIVE_HOST  "http://169.254.170.2"
#define AWS_IMDS_DEFAULT_ENDPOINT    "http://169.254.169.254"
#define AWS_IMDS_DEFAULT_ENDPOINT_V6 "http://[fd00:ec2::254]"

/* Both files, parsed. Opaque; read through the functions below. */
struct aws_config;

/* Loads the files named by AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
 * (default ~/.aws/config and ~/.aws/credentials; "~" and $VARS expanded as
 * botocore does). A missing file counts as empty. Returns 0 and sets *out
 * (the caller frees with aws_config_free()), or -1 with err set: an
 * unreadable file (IRSA_ERR_IO) or bad syntax (IRSA_ERR_INVALID_INPUT, the
 * message names the file and the line). */
int aws_config_load(struct aws_config **out, struct irsa_error *err);

/* As aws_config_load() with explicit paths, used as given (no expansion);
 * either may be NULL for "no such file". */
int aws_config_load_files(const char *config_path, const char *credentials_path, struct aws_config **out,
                          struct irsa_error *err);

/* Wipes (the files hold secrets) and frees cfg. cfg may be NULL. */
void aws_config_free(struct aws_config *cfg);

/* The paths that were read (or would have been). Borrowed from cfg. */
const char *aws_config_path(const struct aws_config *cfg);
const char *aws_config_credentials_path(const struct aws_config *cfg);

/* "All configured profiles", in botocore's order: the config file's
 * profiles ([default], [profile NAME]) as they appear, then sections of the
 * credentials file not named before. Names are borrowed from cfg. */
size_t aws_config_profile_count(const struct aws_config *cfg);
const char *aws_config_profile_name(const struct aws_config *cfg, size_t i);
bool aws_config_has_profile(const struct aws_config *cfg, const char *profile);

/* A profile's value for key (lower case), the credentials file winning over
 * the config file key by key. NULL when not set. A nested block ("s3 =" then
 * indented lines) reads as its raw text; aws_config_get_nested() reads one
 * line of it. Borrowed from cfg. */
const char *aws_config_get(const struct aws_config *cfg, const char *profile, const char *key);
const char *aws_config_get_nested(const struct aws_config *cfg, const char *profile, const char *key,
                                  const char *subkey);

/* A key of [sso-session NAME], and a nested key of [services NAME]
 * ("iam =\n  endpoint_url = ..."). NULL when absent. Borrowed from cfg. */
const char *aws_config_sso_session_get(const struct aws_config *cfg, const char *session, const char *key);
bool aws_config_has_services(const struct aws_config *cfg, const char *services);
const char *aws_config_services_get(const struct aws_config *cfg, const char *services, const char *service,
                                    const char *key);

/* --- resolution ----------------------------------------------------------- */

/* What the command line said; NULL when a flag was not given. Borrowed. */
struct aws_flags {
	const char *profile; /* --profile */
	const char *region;  /* --region */
};

/* The profile in use: --profile, else AWS_DEFAULT_PROFILE, else AWS_PROFILE
 * (botocore checks AWS_DEFAULT_PROFILE first), else "default". Sets
 * *explicit_flag when it came from --profile (which, as in botocore, turns
 * off the environment's keys and web identity variables). A named profile
 * that exists in neither file is an error (IRSA_ERR_NOT_FOUND) unless it is
 * "default". *profile is borrowed from flags, the environment or a static
 * string: copy it before changing the environment. */
int aws_config_resolve_profile(const struct aws_config *cfg, const struct aws_flags *flags, const char **profile,
                               bool *explicit_flag, struct irsa_error *err);

/* The region: --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the
 * profile's region. Returns a new string (the caller frees), or NULL with
 * err set (IRSA_ERR_INVALID_INPUT) saying how to set one. */
char *aws_config_resolve_region(const struct aws_config *cfg, const struct aws_flags *flags, const char *profile,
                                struct irsa_error *err);

/* --- credentials ---------------------------------------------------------- */

/* A set of credentials. Owned by the struct: release with
 * aws_credentials_release(), which wipes the secrets. Whoever fills one
 * registers the secret key and the session token with redact_register(). */
struct aws_credentials {
	char *access_key_id;
	char *secret_access_key;
	char *session_token; /* NULL for long-term keys */
	char *account_id;    /* NULL when unknown */
	time_t expiration;   /* 0 when they do not expire */
};

/* Wipes and frees what c holds and leaves it empty. */
void aws_credentials_release(struct aws_credentials *c);

/* One provider of the chain, with its parameters. */
enum aws_cred_kind {
	AWS_CRED_ENV,          /* AWS_ACCESS_KEY_ID ...: creds holds them */
	AWS_CRED_STATIC,       /* keys in a profile (credentials file, then config file): creds */
	AWS_CRED_ASSUME_ROLE,  /* sts:AssumeRole with the previous step's credentials */
	AWS_CRED_WEB_IDENTITY, /* sts:AssumeRoleWithWebIdentity with the token file (unsigned) */
	AWS_CRED_SSO,          /* the SSO token cache, then sso:GetRoleCredentials */
	AWS_CRED_LOGIN,        /* botocore's "aws login" session (login_session) */
	AWS_CRED_PROCESS,      /* credential_process: run with aws_credential_process_run() */
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

/* Runs a credential_process command for profile: split like a POSIX shell
 * would (quotes and backslashes, no expansion; botocore's shlex.split), run
 * without a shell, stdin from /dev/null, stdout capped at
 * AWS_PROCESS_MAX_OUTPUT, killed after timeout_ms (0: the default). Its
 * stdout must be {"Version": 1, "AccessKeyId", "SecretAccessKey",
 * ["SessionToken"], ["Expiration"], ["AccountId"]}. Returns 0 and fills out
 * (registered for redaction; the caller releases it), or -1 with err set
 * naming the profile and, on failure, the first line of its stderr. */
int aws_credential_process_run(const char *profile, const char *command, int timeout_ms, struct aws_credentials *out,
                               struct irsa_error *err);

/* An SSO access token from the cache botocore and the AWS CLI share. */
struct aws_sso_token {
	char *access_token; /* a secret: registered, wiped on release */
	time_t expires_at;
	char *path; /* the cache file read */
};

/* Reads ~/.aws/sso/cache/<sha1 hex of sso_session, or of start_url when
 * sso_session is NULL>.json. A missing, unreadable or expired (at now; 0 =
 * the current time) token is an error (IRSA_ERR_AUTH) whose hint says to run
 * "aws sso login --profile PROFILE". Returns 0 and fills out (the caller
 * releases it), or -1. */
int aws_sso_token_load(const char *profile, const char *start_url, const char *sso_session, time_t now,
                       struct aws_sso_token *out, struct irsa_error *err);

/* Wipes and frees what t holds and leaves it empty. */
void aws_sso_token_release(struct aws_sso_token *t);

/* --- helpers (also for aws_endpoint and the tests) ------------------------ */

/* A POSIX shell-like split (Python shlex.split): whitespace separates words,
 * '...' is literal, "..." honours \" and \\, a backslash elsewhere quotes
 * the next character; no comments, no expansion. Returns 0 and a
 * NULL-terminated argv (the caller frees each word and the array), or -1
 * with err set for an unclosed quote or a trailing backslash. */
int aws_shell_split(const char *s, char ***argv, size_t *argc, struct irsa_error *err);

/* Expands $VAR and ${VAR} (unset ones stay), then a leading ~ or ~user, like
 * Python's os.path.expanduser(os.path.expandvars(p)). Returns a new string
 * (the caller frees), NULL when out of memory. */
char *aws_expand_path(const char *p);

/* Parses an ISO 8601 time as AWS writes it: "2024-01-02T03:04:05Z", with
 * optional fraction and "Z", "UTC" or a +hh:mm offset. Returns 0 or -1. */
int aws_parse_time(const char *s, time_t *out);

/* botocore's ensure_boolean: true when s is "true" in any case. */
bool aws_config_is_true(const char *s);

#endif
