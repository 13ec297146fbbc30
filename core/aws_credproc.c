/* core/aws_credproc.c - running a profile's credential_process: split the
 * command as shlex does, spawn it without a shell in its own process group,
 * collect its output under a cap and a deadline (killing the group when
 * time runs out), and check the JSON it prints (botocore ProcessProvider).
 * Touches no file and no terminal of ours: the helper's output arrives
 * through pipes. */
#include "config.h"

#include "aws_credproc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "jsonobj.h"
#include "aws_time.h"
#include "redact.h"
#include "shlex.h"

#define STDERR_KEEP 4096 /* bytes of the helper's error output kept for the message */

extern char **environ;

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* The first line of text, trimmed, for a message. */
static void
first_line(const char *text, char *out, size_t outsz)
{
	size_t n;

	while (isspace((unsigned char)*text))
		text++;
	n = strcspn(text, "\n");
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	snprintf(out, outsz, "%.*s", (int)(n > 200 ? 200 : n), text);
}

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
	ok_version = json_object_object_get_ex(root, "Version", &ver) &&
	             ((json_object_is_type(ver, json_type_int) && json_object_get_int64(ver) == 1) ||
	              (json_object_is_type(ver, json_type_double) && json_object_get_double(ver) == 1.0));
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

/* Reads the child's output and error pipes until both close or time runs
 * out (timeout_ms after start). Returns 0, 1 on timeout, 2 when the output
 * passed its cap. */
static int
process_collect(int out_fd, int err_fd, int timeout_ms, const struct timespec *start, struct buf *out,
                struct buf *errtext)
{
	struct pollfd fds[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
	char chunk[4096];

	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		long left = timeout_ms - elapsed_ms(start);
		int i, r;

		if (left <= 0)
			return 1;
		r = poll(fds, 2, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? 1 : 0;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fds[i].fd = -1;
				continue;
			}
			if (i == 0 && buf_add(out, chunk, (size_t)n) != 0) {
				buf_wipe(chunk, sizeof(chunk));
				return 2;
			}
			if (i == 1 && errtext->len < STDERR_KEEP)
				buf_add(errtext, chunk,
				        (size_t)n < STDERR_KEEP - errtext->len ? (size_t)n
				                                               : STDERR_KEEP - errtext->len);
		}
	}
	buf_wipe(chunk, sizeof(chunk));
	return 0;
}

/* Reaps the child, which has closed its pipes but may still run, until
 * timeout_ms after start. Returns 0 once it is reaped (or cannot be waited
 * for), 1 when time ran out first. */
static int
process_wait(pid_t pid, int *status, int timeout_ms, const struct timespec *start)
{
	const struct timespec tick = {0, 5 * 1000 * 1000};

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			return 0;
		if (elapsed_ms(start) >= timeout_ms)
			return 1;
		nanosleep(&tick, NULL);
	}
}

int
aws_credential_process_run(const char *profile, const char *command, int timeout_ms, struct aws_credentials *out,
                           struct irsa_error *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	char **argv = NULL, line[256];
	size_t argc = 0, i;
	struct buf stdout_buf, stderr_buf;
	struct timespec start;
	pid_t pid;
	int r, status = 0, collected, rc = -1;

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
	if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
		r = errno;
		goto spawn_failed;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	posix_spawnattr_init(&attr);
	/* Its own process group, so a timeout also stops what it started. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	clock_gettime(CLOCK_MONOTONIC, &start);
	r = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (r != 0)
		goto spawn_failed;
	close(out_pipe[1]);
	close(err_pipe[1]);

	buf_init(&stdout_buf, AWS_PROCESS_MAX_OUTPUT);
	buf_init(&stderr_buf, STDERR_KEEP + 1);
	collected = process_collect(out_pipe[0], err_pipe[0], timeout_ms, &start, &stdout_buf, &stderr_buf);
	close(out_pipe[0]);
	close(err_pipe[0]);
	if (collected == 0 && process_wait(pid, &status, timeout_ms, &start) != 0)
		collected = 1;
	if (collected != 0) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	first_line(buf_cstr(&stderr_buf), line, sizeof(line));
	buf_release(&stderr_buf);

	if (collected == 1) {
		irsa_error_set(err, IRSA_ERR_AUTH,
		               "the credential_process of profile \"%s\" (%s) did not finish within %d s", profile,
		               argv[0], timeout_ms / 1000);
		irsa_error_hint(err, "Run the command by hand; if it waits for input (MFA, a browser), finish that "
		                     "first.");
	} else if (collected == 2) {
		irsa_error_set(err, IRSA_ERR_LIMIT,
		               "the credential_process of profile \"%s\" printed more than %d bytes", profile,
		               AWS_PROCESS_MAX_OUTPUT);
		irsa_error_hint(err, "Make it print only the credentials JSON.");
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status))
			irsa_error_set(err, IRSA_ERR_AUTH,
			               "the credential_process of profile \"%s\" (%s) exited with %d%s%s", profile,
			               argv[0], WEXITSTATUS(status), *line ? ": " : "", line);
		else
			irsa_error_set(err, IRSA_ERR_AUTH,
			               "the credential_process of profile \"%s\" (%s) was killed by "
			               "signal %d%s%s",
			               profile, argv[0], WTERMSIG(status), *line ? ": " : "", line);
		irsa_error_hint(err, "Run the command by hand to see why it fails.");
	} else {
		rc = process_parse(profile, buf_cstr(&stdout_buf), out, err);
	}
	buf_release_secure(&stdout_buf);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;

spawn_failed:
	for (i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "cannot run the credential_process of profile \"%s\" (%s): %s",
	               profile, argv[0], strerror(r));
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return irsa_error_hint(err, "Check the command in credential_process: it runs without a shell, found on "
	                            "PATH or by its full path.");
}
