/* core/aws_config.h - the shared AWS config and credentials files, and what
 * they (with the environment and the command line) decide: the profile and
 * the region, resolved as botocore does.
 *
 * Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE; the syntax is aws_ini.h's) and builds
 * botocore's profile map from them: [default] and [profile NAME] sections,
 * [sso-session NAME] and [services NAME] blocks, the credentials file's
 * keys winning key by key. Missing files are empty. Every secret read from
 * the files is registered with the redactor and wiped when released.
 *
 * Built on it, elsewhere: the credential plan (aws_cred_plan.h),
 * credential_process (aws_credproc.h), the SSO token cache (aws_sso.h),
 * endpoints (aws_endpoint.h). No network, no printing, no terminal. */
#ifndef IRSA_AWS_CONFIG_H
#define IRSA_AWS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The parts split out of this header, which code written before the split
 * still reaches through it; new code includes the one it uses. */
#include "aws_cred_plan.h"
#include "aws_credproc.h"
#include "aws_sso.h"
#include "aws_time.h"

struct aws_ini_section;
struct env;

/* Both files, parsed. Opaque; read through the functions below. */
struct aws_config;

/* Loads the files named by AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
 * (default ~/.aws/config and ~/.aws/credentials; "~" and $VARS expanded as
 * botocore does). A missing file counts as empty. Returns 0 and sets *out
 * (the caller frees with aws_config_free()), or -1 with err set: an
 * unreadable file (IRSA_ERR_IO), one over AWS_FILE_MAX (IRSA_ERR_LIMIT) or
 * bad syntax (IRSA_ERR_INVALID_INPUT, the message names the file and the
 * line). */
int aws_config_load(struct aws_config **out, struct irsa_error *err);

/* As aws_config_load(), every environment variable (here and wherever the
 * AWS code reads one for cfg: the credential plan, credentials, endpoints,
 * credential_process) read through env (env.h), not the process
 * environment. env is borrowed and must outlive cfg; NULL: the process
 * environment (what aws_config_load() does). */
int aws_config_load_env(const struct env *env, struct aws_config **out, struct irsa_error *err);

/* As aws_config_load() with explicit paths, used as given (no expansion);
 * either may be NULL for "no such file". */
int aws_config_load_files(const char *config_path, const char *credentials_path, struct aws_config **out,
                          struct irsa_error *err);

/* The environment cfg was loaded with (borrowed; NULL: the process
 * environment, also when cfg is NULL). */
const struct env *aws_config_env(const struct aws_config *cfg);

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
 * "default". *profile is borrowed from flags, cfg's environment or a static
 * string. */
int aws_config_resolve_profile(const struct aws_config *cfg, const struct aws_flags *flags, const char **profile,
                               bool *explicit_flag, struct irsa_error *err);

/* The region: --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the
 * profile's region. Returns a new string (the caller frees), or NULL with
 * err set (IRSA_ERR_INVALID_INPUT) saying how to set one. */
char *aws_config_resolve_region(const struct aws_config *cfg, const struct aws_flags *flags, const char *profile,
                                struct irsa_error *err);

/* botocore's ensure_boolean: true when s is "true" in any case. */
bool aws_config_is_true(const char *s);

/* An environment variable of cfg's environment (aws_config_env(); cfg may
 * be NULL) where botocore treats empty as unset: NULL when unset or empty.
 * Borrowed from the environment. */
const char *aws_config_getenv(const struct aws_config *cfg, const char *name);

/* --- the raw sections, for the credential plan ------------------------------ */

/* Some providers read one file's own section rather than the merged
 * profile (botocore's SharedCredentialProvider and ConfigProvider), or a
 * whole [sso-session]: the credentials file's [NAME] by its bare name, the
 * config file's [profile NAME] (or [default]), and the config file's
 * [sso-session NAME]. NULL when absent. Borrowed from cfg; read them with
 * aws_ini_get() and aws_ini_find(). */
const struct aws_ini_section *aws_config_credentials_section(const struct aws_config *cfg, const char *profile);
const struct aws_ini_section *aws_config_profile_section(const struct aws_config *cfg, const char *profile);
const struct aws_ini_section *aws_config_sso_session(const struct aws_config *cfg, const char *session);

#endif
