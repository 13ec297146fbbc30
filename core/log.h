/* core/log.h - the redacting logger.
 *
 * Core never prints. It hands log lines to a sink that the program installs
 * (stderr for --debug, the TUI's action log, a file); with no sink, lines are
 * dropped. Every line passes through redact_dup() before any sink sees it,
 * so a secret that reaches a log call still never reaches a screen or file.
 * Thread-safe: sinks are called one at a time. */
#ifndef IRSA_LOG_H
#define IRSA_LOG_H

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
	LOG_TRACE, /* HTTP exchanges */
};

/* Receives one redacted line (no trailing newline). Borrowed: valid during the call. */
typedef void (*log_sink_fn)(enum log_level level, const char *line, void *arg);

/* Installs the sink (NULL drops everything) and the most verbose level it wants. */
void log_set_sink(log_sink_fn sink, void *arg, enum log_level max_level);

/* True when a line at level would reach the sink: lets callers skip
 * building expensive trace text. */
int log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_trace(...) log_msg(LOG_TRACE, __VA_ARGS__)

/* "error", "warn", ... Static string. */
const char *log_level_name(enum log_level level);

#endif
