/* core/aws_creds.h - the credentials provider: carries out the credential
 * plan of aws_config (aws_cred_plan_build()) and hands out usable keys.
 *
 * Local steps (environment, profile keys, credential_process) run here; the
 * network steps go out through the provider's own HTTP client: the
 * container endpoint (ECS, EKS Pod Identity), EC2 instance metadata
 * (IMDSv2), the SSO portal (sso:GetRoleCredentials, unsigned), STS
 * AssumeRoleWithWebIdentity (unsigned) and AssumeRole (signed with the
 * previous step's keys, hop after hop).
 *
 * The SSO portal is AWS_ENDPOINT_URL_SSO, else AWS_ENDPOINT_URL (unless
 * configured endpoints are ignored), else portal.sso.REGION.amazonaws.com
 * (.com.cn in China), as botocore resolves the "sso" service. Token files
 * lose trailing white space (a JWT has none; an editor's newline would
 * break the call), where botocore sends them as read.
 *
 * Caching: the keys are kept until AWS_CREDS_REFRESH_WINDOW seconds before
 * they expire, then the whole plan runs again. One window, not botocore's
 * two (15 min advisory, 10 min mandatory): a caller always waits for a
 * refresh, which is simpler and costs nothing here since the provider is
 * not shared by many threads in a hot loop. The web identity token and the
 * container authorization token file are read again on every refresh.
 *
 * Thread-safe: getting keys takes the provider's mutex, so a refresh
 * runs once and the other callers wait for it. Secrets are registered with
 * the redactor when they arrive and wiped when they are dropped. No printing,
 * no terminal. */
#ifndef IRSA_AWS_CREDS_H
#define IRSA_AWS_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "aws_config.h"
#include "aws_cred_plan.h"
#include "aws_credentials.h"
#include "error.h"

#define AWS_CREDS_REFRESH_WINDOW     300   /* seconds before Expiration when keys count as expired */
#define AWS_CREDS_MAX_RESPONSE       65536 /* cap on a credentials answer */
#define AWS_CREDS_MAX_TOKEN_FILE     65536 /* cap on a web identity or container token file */
#define AWS_IMDS_TOKEN_TTL           "21600"
#define AWS_SSO_PORTAL_ENDPOINT_VAR  "AWS_ENDPOINT_URL_SSO"
#define AWS_ROLE_SESSION_NAME_PREFIX "botocore-session-" /* + the epoch, as botocore names sessions */

struct aws_creds;

/* The clock the provider reads (tests move it). Returns the current time. */
typedef time_t (*aws_creds_clock_fn)(void *arg);

/* A provider for profile, from the plan aws_cred_plan_build(cfg, profile,
 * explicit_flag) (explicit_flag: the profile came from --profile, which
 * turns off the environment's keys). cfg is borrowed and must outlive the
 * provider. region is where STS is called for role steps (copied; NULL
 * means us-east-1). Fetches nothing yet. Returns NULL with err set when the
 * plan cannot be made (no credentials anywhere, a broken profile). The
 * caller frees with aws_creds_free(). */
struct aws_creds *aws_creds_new(const struct aws_config *cfg, const char *profile, bool explicit_flag,
                                const char *region, struct irsa_error *err);

/* A provider that always hands out a copy of c (copied; registered for
 * redaction). source describes where they came from, for messages
 * ("assumed role ..."). Returns NULL with err set when out of memory. */
struct aws_creds *aws_creds_new_static(const struct aws_credentials *c, const char *source, struct irsa_error *err);

/* Wipes the cached keys, frees p. p may be NULL. Must not race with
 * aws_creds_cancel(). */
void aws_creds_free(struct aws_creds *p);

/* Current credentials: the cached ones, or fresh ones when none are cached
 * or they expire within AWS_CREDS_REFRESH_WINDOW. Fills out with a copy (the
 * caller releases it with aws_credentials_release()). Returns 0, or -1 with
 * err set: the message names the source that was tried and why it failed
 * ("credential_process of profile dev: ..."), IRSA_ERR_CANCELLED after
 * aws_creds_cancel(). */
int aws_creds_get(struct aws_creds *p, struct aws_credentials *out, struct irsa_error *err);

/* Drops the cached keys so that the next aws_creds_get() fetches again
 * (after AWS said ExpiredToken). */
void aws_creds_invalidate(struct aws_creds *p);

/* A short description of where the keys come from, for "irsa whoami" and
 * auth error hints: "environment variables", "profile dev in
 * ~/.aws/credentials", "assumed role arn:... via profile dev", "container
 * credentials", "EC2 instance metadata", "SSO profile dev", ... Borrowed
 * from p; stable for its life. */
const char *aws_creds_source(const struct aws_creds *p);

/* The kind of the step that makes the final keys (AWS_CRED_ASSUME_ROLE for
 * a role chain; AWS_CRED_STATIC for aws_creds_new_static()). */
enum aws_cred_kind aws_creds_kind(const struct aws_creds *p);

/* From any thread: a fetch in flight, and every later one, ends with
 * IRSA_ERR_CANCELLED until aws_creds_clear_cancel(). A running
 * credential_process is not interrupted (it has its own timeout). */
void aws_creds_cancel(struct aws_creds *p);
void aws_creds_clear_cancel(struct aws_creds *p);

/* For the tests: the clock (NULL: time()), and the first retry's backoff of
 * the provider's HTTP requests in ms (0: the default). */
void aws_creds_set_clock(struct aws_creds *p, aws_creds_clock_fn clock, void *arg);
void aws_creds_set_retry_base_ms(struct aws_creds *p, long ms);

/* The role session name used when a profile sets none:
 * "botocore-session-<epoch>", as botocore. Into out; returns out. */
char *aws_creds_session_name(time_t now, char *out, size_t outsz);

#endif
