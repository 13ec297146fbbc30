/* core/aws_credproc.c - running a profile's credential_process: split the
 * command as shlex does, run it with proc_run() (no shell, its own process
 * group killed when time runs out, output under a cap), and check the JSON
 * it prints (botocore ProcessProvider). Touches no file and no terminal of
 * ours: the helper's output arrives through pipes. */
#include "config.h"

#include "aws_credproc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "aws_time.h"
#include "env.h"
#include "jsonobj.h"
#include "proc.h"
#include "redact.h"
#include "shlex.h"

/* Checks the helper's JSON and fills out. */
static int
process_parse(const char *profile, const char *text, struct aws_credentials *out, struct irsa_error *err)
{
	struct json_object *root, *ver;
	const char *akid, *secret, *token, *exp;
	time_t expiration = 0;
	bool ok_version;

	root = json_tokener_parse(text);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		irsa_error_set(err, IRSA_ERR_PARSE,
		               "the credential_process of profile \"%s\" did not print a JSON object", profile);
		return irsa_error_hint(err, "Run the command by hand: it must print {\"Version\": 1, \"AccessKeyId\": "
		                            "..., \"SecretAccessKey\": ...} as its only output.");
	}
	ver = jsonobj_num(root, "Version");
	ok_version = ver != NULL && json_object_get_double(ver) == 1.0;
	if (!ok_version) {
		json_object_put(root);
		irsa_error_set(
		        err, IRSA_ERR_PARSE,
		        "the credential_process of profile \"%s\" printed an unsupported Version (1 is supported)",
		        profile);
		return irsa_error_hint(err, "Make the command print \"Version\": 1.");
	}
	akid = jsonobj_str(root, "AccessKeyId");
	secret = jsonobj_str(root, "SecretAccessKey");
	token = jsonobj_str(root, "SessionToken");
	exp = jsonobj_str(root, "Expiration");
	if (secret != NULL)
		redact_register(secret);
	if (token != NULL)
		redact_register(token);
	if (akid == NULL || secret == NULL) {
		json_object_put(root);
		irsa_error_set(err, IRSA_ERR_PARSE, "the credential_process of profile \"%s\" printed no %s", profile,
		               akid == NULL ? "AccessKeyId" : "SecretAccessKey");
		return irsa_error_hint(err, "Make the command print AccessKeyId and SecretAccessKey as strings.");
	}
	if (exp != NULL && aws_parse_time(exp, &expiration) != 0) {
		irsa_error_set(err, IRSA_ERR_PARSE,
		               "the credential_process of profile \"%s\" printed an Expiration that is not a time: %s",
		               profile, exp);
		json_object_put(root);
		return irsa_error_hint(err, "Use ISO 8601, e.g. 2030-01-01T00:00:00Z.");
	}
	if (aws_credentials_set(out, akid, secret, token, jsonobj_str(root, "AccountId")) != 0) {
		json_object_put(root);
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
	}
	out->expiration = expiration;
	json_object_put(root);
	return 0;
}

static void
argv_free(char **argv, size_t argc)
{
	size_t i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int
aws_credential_process_run(const struct env *env, const char *profile, const char *command, int timeout_ms,
                           struct aws_credentials *out, struct irsa_error *err)
{
	struct proc_spec spec = {.max_output = AWS_PROCESS_MAX_OUTPUT};
	struct proc_result res;
	char **argv = NULL, **envp = NULL;
	const char *line;
	size_t argc = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (timeout_ms <= 0)
		timeout_ms = AWS_PROCESS_DEFAULT_TIMEOUT;
	if (shlex_split(command, &argv, &argc, err) != 0) {
		irsa_error_prefix(err, "credential_process of profile \"%s\"", profile);
		return irsa_error_hint(err, "Quote the command as a POSIX shell would.");
	}
	if (argc == 0) {
		free(argv);
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the credential_process of profile \"%s\" is empty",
		               profile);
		return irsa_error_hint(err, "Set credential_process to a command, or remove it.");
	}
	if (env != NULL && (envp = env_envp(env)) == NULL) {
		argv_free(argv, argc);
		return irsa_error_oom(err);
	}
	spec.argv = argv;
	spec.envp = envp;
	spec.timeout_ms = timeout_ms;
	if (proc_run(&spec, &res, err) != 0) {
		env_envp_free(envp);
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT,
		               "cannot run the credential_process of profile \"%s\" (%s): %s", profile, argv[0],
		               strerror(res.start_errno));
		irsa_error_hint(err, "Check the command in credential_process: it runs without a shell, found on "
		                     "PATH or by its full path.");
		argv_free(argv, argc);
		return -1;
	}
	line = res.first_err_line;
	if (res.end == PROC_TIMEOUT) {
		irsa_error_set(err, IRSA_ERR_AUTH,
		               "the credential_process of profile \"%s\" (%s) did not finish within %d s", profile,
		               argv[0], timeout_ms / 1000);
		irsa_error_hint(err, "Run the command by hand; if it waits for input (MFA, a browser), finish that "
		                     "first.");
	} else if (res.end == PROC_TOO_BIG) {
		irsa_error_set(err, IRSA_ERR_LIMIT,
		               "the credential_process of profile \"%s\" printed more than %d bytes", profile,
		               AWS_PROCESS_MAX_OUTPUT);
		irsa_error_hint(err, "Make it print only the credentials JSON.");
	} else if (res.end != PROC_EXITED || res.status != 0) {
		irsa_error_set(err, IRSA_ERR_AUTH, "the credential_process of profile \"%s\" (%s) %s %d%s%.200s",
		               profile, argv[0], res.end == PROC_EXITED ? "exited with" : "was killed by signal",
		               res.status, *line ? ": " : "", line);
		irsa_error_hint(err, "Run the command by hand to see why it fails.");
	} else {
		rc = process_parse(profile, buf_cstr(&res.out), out, err);
	}
	proc_result_release(&res);
	env_envp_free(envp);
	argv_free(argv, argc);
	return rc;
}
