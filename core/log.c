/* core/log.c - formats, redacts and hands log lines to the installed sink.
 * Owns no output stream: where lines go is the program's decision. */
#include "config.h"

#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "redact.h"

#define LOG_MAX_LINE (256 * 1024)

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static log_sink_fn log_sink;
static void *log_sink_arg;
static enum log_level log_max = LOG_WARN;

void
log_set_sink(log_sink_fn sink, void *arg, enum log_level max_level)
{
	pthread_mutex_lock(&log_lock);
	log_sink = sink;
	log_sink_arg = arg;
	log_max = max_level;
	pthread_mutex_unlock(&log_lock);
}

int
log_enabled(enum log_level level)
{
	int on;

	pthread_mutex_lock(&log_lock);
	on = log_sink != NULL && level <= log_max;
	pthread_mutex_unlock(&log_lock);
	return on;
}

const char *
log_level_name(enum log_level level)
{
	static const char *const names[] = {"error", "warn", "info", "debug", "trace"};

	if ((size_t)level >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[level];
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	struct buf raw;
	char *clean;
	va_list ap;

	if (!log_enabled(level))
		return;
	buf_init(&raw, LOG_MAX_LINE);
	va_start(ap, fmt);
	buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	if (raw.failed) {
		buf_release_secure(&raw);
		buf_reset(&raw);
		buf_addstr(&raw, "(log line too long or out of memory: dropped)");
	}
	clean = redact_dup(buf_cstr(&raw));
	buf_release_secure(&raw);
	if (clean == NULL)
		return;
	pthread_mutex_lock(&log_lock);
	if (log_sink != NULL && level <= log_max)
		log_sink(level, clean, log_sink_arg);
	pthread_mutex_unlock(&log_lock);
	buf_wipe(clean, strlen(clean));
	free(clean);
}
