/* core/proc.c - spawning a configured helper program and collecting what it
 * writes: posix_spawnp (never fork, the program has threads), its own
 * process group so a deadline kills what it started too, default signal
 * dispositions and an empty signal mask in the child, pipes read with poll()
 * under a cap and a deadline. Touches no terminal of ours. */
#include "config.h"

#include "proc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum collect_end { COLLECT_DONE, COLLECT_TIMEOUT, COLLECT_TOO_BIG };

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* The first non-blank line of text, trimmed and cut to fit. */
static void
first_line(const char *text, char *out, size_t outsz)
{
	size_t n;

	while (isspace((unsigned char)*text))
		text++;
	n = strcspn(text, "\r\n");
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	snprintf(out, outsz, "%.*s", (int)(n < outsz ? n : outsz - 1), text);
}

/* Reads both pipes until they close, the deadline passes or the output
 * passes its cap. */
static enum collect_end
collect(int out_fd, int err_fd, int timeout_ms, const struct timespec *start, struct proc_result *res)
{
	struct pollfd fds[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
	enum collect_end end = COLLECT_DONE;
	char chunk[4096];

	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		long left = timeout_ms - elapsed_ms(start);
		int i, r;

		if (left <= 0) {
			end = COLLECT_TIMEOUT;
			break;
		}
		r = poll(fds, 2, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
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
			if (i == 0 && buf_add(&res->out, chunk, (size_t)n) != 0) {
				end = COLLECT_TOO_BIG;
				goto out;
			}
			if (i == 1 && res->err.len < PROC_ERR_KEEP)
				buf_add(&res->err, chunk,
				        (size_t)n < PROC_ERR_KEEP - res->err.len ? (size_t)n
				                                                 : PROC_ERR_KEEP - res->err.len);
		}
	}
out:
	buf_wipe(chunk, sizeof(chunk));
	return end;
}

/* Reaps pid, which closed its pipes but may still run, until the deadline.
 * Returns 0 once reaped (or when it cannot be waited for), 1 on timeout. */
static int
reap(pid_t pid, int *status, int timeout_ms, const struct timespec *start)
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

static int
spawn(const struct proc_spec *spec, int out_fd, int err_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	int r;

	sigemptyset(&none);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE); /* irsa ignores it; the helper must not inherit that */
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGTERM);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	r = posix_spawnp(pid, spec->argv[0], &fa, &attr, spec->argv, spec->envp != NULL ? spec->envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return r;
}

int
proc_run(const struct proc_spec *spec, struct proc_result *res, struct irsa_error *err)
{
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	enum collect_end end;
	struct timespec start;
	int r, i, status = 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	buf_init(&res->out, spec->max_output);
	buf_init(&res->err, PROC_ERR_KEEP + 1);
	if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
		r = errno;
	else {
		clock_gettime(CLOCK_MONOTONIC, &start);
		r = spawn(spec, out_pipe[1], err_pipe[1], &pid);
	}
	for (i = 0; i < 2; i++) {
		/* the write ends belong to the child now; the read ends too when it never started */
		if (out_pipe[i] >= 0 && (i == 1 || r != 0))
			close(out_pipe[i]);
		if (err_pipe[i] >= 0 && (i == 1 || r != 0))
			close(err_pipe[i]);
	}
	if (r != 0) {
		res->start_errno = r;
		if (r == ENOENT)
			return irsa_error_set(err, IRSA_ERR_NOT_FOUND, "executable %s not found", spec->argv[0]);
		return irsa_error_set(err, IRSA_ERR_IO, "cannot run %s: %s", spec->argv[0], strerror(r));
	}

	end = collect(out_pipe[0], err_pipe[0], spec->timeout_ms, &start, res);
	close(out_pipe[0]);
	close(err_pipe[0]);
	if (end == COLLECT_DONE && reap(pid, &status, spec->timeout_ms, &start) != 0)
		end = COLLECT_TIMEOUT;
	if (end != COLLECT_DONE) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (end == COLLECT_TIMEOUT)
		res->end = PROC_TIMEOUT;
	else if (end == COLLECT_TOO_BIG)
		res->end = PROC_TOO_BIG;
	else if (WIFEXITED(status)) {
		res->end = PROC_EXITED;
		res->status = WEXITSTATUS(status);
	} else {
		res->end = PROC_SIGNALED;
		res->status = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
	first_line(buf_cstr(&res->err), res->first_err_line, sizeof(res->first_err_line));
	return 0;
}

void
proc_result_release(struct proc_result *res)
{
	buf_release_secure(&res->out);
	buf_release_secure(&res->err);
	buf_wipe(res->first_err_line, sizeof(res->first_err_line));
}
