/* core/proc.h - running a helper program the user configured (a kubeconfig
 * exec plugin, an AWS credential_process) safely from a threaded program:
 * posix_spawnp with an argv (no shell), an environment of the caller's
 * choosing, stdin from /dev/null, its output collected through pipes under a
 * cap, its error output kept for messages, a deadline after which it and
 * what it started are killed, and a bounded wait for its exit once it has
 * closed its output. Builds no messages about what the helper is for: the
 * caller knows that and says it. */
#ifndef IRSA_PROC_H
#define IRSA_PROC_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#define PROC_ERR_KEEP 4096 /* bytes of the helper's error output kept */

/* What to run. Everything borrowed; valid for the duration of the call. */
struct proc_spec {
	/* NULL-terminated; argv[0] is found on PATH unless it holds a '/'. */
	char *const *argv;
	char *const *envp; /* NULL-terminated; NULL: this process's environment */
	int timeout_ms;    /* > 0 */
	size_t max_output; /* cap on what it writes to its output, > 0 */
};

enum proc_end {
	PROC_EXITED,   /* status is its exit code */
	PROC_SIGNALED, /* status is the signal */
	PROC_TIMEOUT,  /* killed at the deadline */
	PROC_TOO_BIG,  /* killed when its output passed the cap */
};

/* How it ended and what it wrote. Owned: release with proc_result_release(),
 * which wipes the output (a helper prints secrets). */
struct proc_result {
	enum proc_end end;
	int status;
	struct buf out;           /* its output, up to the cap */
	struct buf err;           /* its error output, up to PROC_ERR_KEEP bytes */
	char first_err_line[256]; /* the first non-blank line of err, trimmed; "" if none */
	int start_errno;          /* when proc_run() returned -1: why it could not start */
};

/* Runs spec. Returns 0 once the program was started and has ended (res says
 * how; the caller releases res), or -1 when it could not be started: err is
 * set to IRSA_ERR_NOT_FOUND when the program does not exist (not on PATH,
 * or no such file), else IRSA_ERR_IO, with a message naming argv[0] that the
 * caller may prefix or replace; res is then empty but for start_errno. */
int proc_run(const struct proc_spec *spec, struct proc_result *res, struct irsa_error *err);

/* Wipes and frees what res holds. */
void proc_result_release(struct proc_result *res);

#endif
