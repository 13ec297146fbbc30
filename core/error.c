/* core/error.c - filling and formatting struct irsa_error. No I/O here. */
#include "config.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "redact.h"

static const char *const err_names[] = {
        [IRSA_OK] = "ok",
        [IRSA_ERR_AUTH] = "auth",
        [IRSA_ERR_DENIED] = "denied",
        [IRSA_ERR_NOT_FOUND] = "not_found",
        [IRSA_ERR_CONFLICT] = "conflict",
        [IRSA_ERR_THROTTLED] = "throttled",
        [IRSA_ERR_NETWORK] = "network",
        [IRSA_ERR_TLS] = "tls",
        [IRSA_ERR_INVALID_INPUT] = "invalid_input",
        [IRSA_ERR_PARSE] = "parse",
        [IRSA_ERR_CANCELLED] = "cancelled",
        [IRSA_ERR_LIMIT] = "limit",
        [IRSA_ERR_IO] = "io",
        [IRSA_ERR_INTERNAL] = "internal",
};

const char *
irsa_err_name(enum irsa_err kind)
{
	if ((size_t)kind >= sizeof(err_names) / sizeof(err_names[0]) || err_names[kind] == NULL)
		return "unknown";
	return err_names[kind];
}

void
irsa_error_clear(struct irsa_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

int
irsa_error_set(struct irsa_error *err, enum irsa_err kind, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	irsa_error_clear(err);
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	redact_inplace(err->message, sizeof(err->message));
	return -1;
}

int
irsa_error_oom(struct irsa_error *err)
{
	return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory");
}

int
irsa_error_hint(struct irsa_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
	redact_inplace(err->hint, sizeof(err->hint));
	return -1;
}

void
irsa_error_prefix(struct irsa_error *err, const char *fmt, ...)
{
	char joined[sizeof(err->message)];
	va_list ap;
	int n;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(joined, sizeof(joined), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(joined) - 2)
		n = (int)sizeof(joined) - 3;
	snprintf(joined + n, sizeof(joined) - (size_t)n, ": %.*s", (int)(sizeof(joined) - (size_t)n - 3), err->message);
	memcpy(err->message, joined, sizeof(joined));
	redact_inplace(err->message, sizeof(err->message));
}

static void
copy_field(char *dst, size_t dstsz, const char *src)
{
	if (src == NULL)
		return;
	snprintf(dst, dstsz, "%s", src);
	redact_inplace(dst, dstsz);
}

void
irsa_error_set_code(struct irsa_error *err, const char *code, const char *request_id)
{
	if (err == NULL)
		return;
	copy_field(err->code, sizeof(err->code), code);
	copy_field(err->request_id, sizeof(err->request_id), request_id);
}

size_t
irsa_error_format(const struct irsa_error *err, char *out, size_t outsz)
{
	char extra[sizeof(err->code) + sizeof(err->request_id) + 48];
	size_t n = 0;
	int w;

	extra[0] = '\0';
	if (err->code[0] != '\0') {
		w = snprintf(extra + n, sizeof(extra) - n, "%s", err->code);
		n += (size_t)w;
	}
	if (err->http_status != 0) {
		w = snprintf(extra + n, sizeof(extra) - n, "%sHTTP %d", n ? ", " : "", err->http_status);
		n += (size_t)w;
	}
	if (err->request_id[0] != '\0')
		snprintf(extra + n, sizeof(extra) - n, "%srequest id %s", n ? ", " : "", err->request_id);

	if (extra[0] != '\0')
		w = snprintf(out, outsz, "%s (%s)", err->message, extra);
	else
		w = snprintf(out, outsz, "%s", err->message);
	return w < 0 ? 0 : (size_t)w;
}
