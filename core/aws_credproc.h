/* core/aws_credproc.h - carrying out a credential_process step of the plan:
 * running the profile's helper command and reading the credentials it
 * prints, as botocore's ProcessProvider does, with a time limit and an
 * output cap botocore lacks. */
#ifndef IRSA_AWS_CREDPROC_H
#define IRSA_AWS_CREDPROC_H

#include "aws_credentials.h"
#include "error.h"

struct env;

#define AWS_PROCESS_MAX_OUTPUT      (64 * 1024) /* cap on a credential_process's stdout */
#define AWS_PROCESS_DEFAULT_TIMEOUT 60000       /* ms; botocore has none, a hung helper would hang us */

/* Runs a credential_process command for profile: split like a POSIX shell
 * would (quotes and backslashes, no expansion; shlex_split()), run without
 * a shell, stdin from /dev/null, stdout capped at AWS_PROCESS_MAX_OUTPUT,
 * killed with what it started after timeout_ms (0: the default), in the
 * process environment with env laid over it (env.h; NULL: as it is). Its stdout
 * must be {"Version": 1, "AccessKeyId", "SecretAccessKey",
 * ["SessionToken"], ["Expiration"], ["AccountId"]}. Returns 0 and fills out
 * (registered for redaction; the caller releases it), or -1 with err set
 * naming the profile and, on failure, the first line of its stderr. */
int aws_credential_process_run(const struct env *env, const char *profile, const char *command, int timeout_ms,
                               struct aws_credentials *out, struct irsa_error *err);

#endif
