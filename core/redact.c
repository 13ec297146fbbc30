/* core/redact.c - the secret scrubber behind every log line and error
 * message. A hand-written scanner (no regex): at each position it tries the
 * registered values, then a table of key shapes whose following value is
 * replaced. Pure apart from the registry, which a mutex guards. */
#include "config.h"

#include "redact.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

#define REDACT_MIN_SECRET 8
#define REDACT_MAX_OUT    (1024 * 1024 * 64)

/* How far the secret after a key extends. */
enum value_end {
	END_TOKEN,       /* up to whitespace, quote, comma, & or ; */
	END_LINE,        /* up to the end of the line */
	END_JSON_STRING, /* after ':' and spaces, one JSON string */
	END_XML,         /* up to the next '<' */
	END_B64URL,      /* base64url characters and '=' */
	END_ASSIGN_LINE, /* after spaces, '=' or ':', spaces: to end of line */
};

struct redact_rule {
	const char *key; /* matched case-insensitively */
	enum value_end end;
	bool word_start; /* key must not follow a name character */
	bool line_start; /* key must start its line (YAML), after spaces or a "- " */
};

static const struct redact_rule rules[] = {
        {"bearer ", END_TOKEN, true, false},
        {"x-amz-signature=", END_TOKEN, false, false},
        {"signature=", END_TOKEN, true, false},
        {"x-amz-security-token=", END_TOKEN, false, false},
        {"x-amz-security-token:", END_LINE, false, false},
        {"k8s-aws-v1.", END_B64URL, true, false},
        {"\"token\"", END_JSON_STRING, false, false},
        {"\"secretaccesskey\"", END_JSON_STRING, false, false},
        {"\"sessiontoken\"", END_JSON_STRING, false, false},
        {"\"accesstoken\"", END_JSON_STRING, false, false},
        {"\"refreshtoken\"", END_JSON_STRING, false, false},
        {"\"password\"", END_JSON_STRING, false, false},
        {"\"clientkeydata\"", END_JSON_STRING, false, false},
        {"\"client-key-data\"", END_JSON_STRING, false, false},
        {"<secretaccesskey>", END_XML, false, false},
        {"<sessiontoken>", END_XML, false, false},
        {"aws_secret_access_key", END_ASSIGN_LINE, true, false},
        {"aws_session_token", END_ASSIGN_LINE, true, false},
        {"secretaccesskey=", END_TOKEN, true, false},
        {"webidentitytoken=", END_TOKEN, true, false},
        {"client-key-data:", END_LINE, true, true},
        {"token:", END_LINE, true, true},
        {"password:", END_LINE, true, true},
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static char **registry;
static size_t registry_len;

int
redact_register(const char *value)
{
	char **grown, *copy;
	size_t i;

	if (value == NULL || strlen(value) < REDACT_MIN_SECRET)
		return 0;
	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < registry_len; i++) {
		if (strcmp(registry[i], value) == 0) {
			pthread_mutex_unlock(&registry_lock);
			return 0;
		}
	}
	copy = strdup(value);
	grown = copy ? realloc(registry, (registry_len + 1) * sizeof(*registry)) : NULL;
	if (grown == NULL) {
		free(copy);
		pthread_mutex_unlock(&registry_lock);
		return -1;
	}
	registry = grown;
	registry[registry_len++] = copy;
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

void
redact_reset(void)
{
	size_t i;

	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < registry_len; i++) {
		buf_wipe(registry[i], strlen(registry[i]));
		free(registry[i]);
	}
	free(registry);
	registry = NULL;
	registry_len = 0;
	pthread_mutex_unlock(&registry_lock);
}

static bool
is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static bool
is_b64url(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '=';
}

/* True when only indentation or a YAML list marker stands between the start
 * of s's line and s. */
static bool
at_line_start(const char *start, const char *s)
{
	while (s > start && s[-1] != '\n') {
		s--;
		if (*s != ' ' && *s != '\t' && *s != '-')
			return false;
	}
	return true;
}

/* Length of the value that starts at s, by the rule's shape. *skip is set to
 * the number of bytes before the value that are kept (separators). */
static size_t
value_length(const char *s, enum value_end end, size_t *skip)
{
	size_t i = 0, n = 0;

	*skip = 0;
	switch (end) {
	case END_TOKEN:
		while (s[n] && !isspace((unsigned char)s[n]) && !strchr("\"',&;<>", s[n]))
			n++;
		return n;
	case END_LINE:
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		*skip = i;
		while (s[i + n] && s[i + n] != '\n' && s[i + n] != '\r')
			n++;
		return n;
	case END_ASSIGN_LINE:
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (s[i] != '=' && s[i] != ':')
			return 0;
		i++;
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		*skip = i;
		while (s[i + n] && s[i + n] != '\n' && s[i + n] != '\r')
			n++;
		return n;
	case END_JSON_STRING:
		while (isspace((unsigned char)s[i]))
			i++;
		if (s[i] != ':')
			return 0;
		i++;
		while (isspace((unsigned char)s[i]))
			i++;
		if (s[i] != '"')
			return 0;
		i++;
		*skip = i;
		while (s[i + n] && s[i + n] != '"') {
			if (s[i + n] == '\\' && s[i + n + 1])
				n++;
			n++;
		}
		return n;
	case END_XML:
		while (s[n] && s[n] != '<')
			n++;
		return n;
	case END_B64URL:
		while (is_b64url(s[n]))
			n++;
		return n;
	}
	return 0;
}

/* A JWT: three base64url parts, the first starting with "eyJ". */
static size_t
jwt_length(const char *s)
{
	size_t n = 0;
	int dots = 0;

	if (strncmp(s, "eyJ", 3) != 0)
		return 0;
	while (is_b64url(s[n]) || (s[n] == '.' && dots < 2)) {
		if (s[n] == '.')
			dots++;
		n++;
	}
	return dots == 2 && n > 20 ? n : 0;
}

/* Access key ids are not secret, but half of one is enough to recognise it. */
static size_t
akid_length(const char *s)
{
	size_t n = 4;

	if (strncmp(s, "AKIA", 4) != 0 && strncmp(s, "ASIA", 4) != 0)
		return 0;
	while (isupper((unsigned char)s[n]) || isdigit((unsigned char)s[n]))
		n++;
	return n >= 16 && !isalnum((unsigned char)s[n]) ? n : 0;
}

static size_t
private_key_length(const char *s)
{
	const char *begin_tag = "-----BEGIN ", *end_tag = "-----END ";
	const char *line_end, *end;

	if (strncmp(s, begin_tag, strlen(begin_tag)) != 0)
		return 0;
	line_end = strstr(s, "-----\n");
	if (line_end == NULL || memmem(s, (size_t)(line_end - s), "PRIVATE KEY", 11) == NULL)
		return 0;
	end = strstr(line_end, end_tag);
	if (end == NULL)
		return strlen(s);
	end = strstr(end + strlen(end_tag), "-----");
	return end ? (size_t)(end + 5 - s) : strlen(s);
}

static size_t
registered_length(const char *s)
{
	size_t i, len, best = 0;

	for (i = 0; i < registry_len; i++) {
		len = strlen(registry[i]);
		if (len > best && strncmp(s, registry[i], len) == 0)
			best = len;
	}
	return best;
}

/* Tries every mechanism at s. On a hit returns the bytes consumed and has
 * appended the kept prefix and the replacement to out. */
static size_t
redact_at(const char *start, const char *s, struct buf *out)
{
	size_t i, keylen, skip, n;

	if ((n = registered_length(s)) > 0) {
		buf_addstr(out, REDACTED);
		return n;
	}
	if ((n = private_key_length(s)) > 0) {
		buf_addstr(out, "<redacted private key>");
		return n;
	}
	if ((n = jwt_length(s)) > 0 && (s == start || !is_name_char(s[-1]))) {
		buf_addstr(out, REDACTED);
		return n;
	}
	if ((n = akid_length(s)) > 0 && (s == start || !isalnum((unsigned char)s[-1]))) {
		buf_add(out, s, 4);
		buf_addstr(out, "****");
		buf_add(out, s + n - 4, 4);
		return n;
	}
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		keylen = strlen(rules[i].key);
		if (strncasecmp(s, rules[i].key, keylen) != 0)
			continue;
		if (rules[i].word_start && s > start && is_name_char(s[-1]))
			continue;
		if (rules[i].line_start && !at_line_start(start, s))
			continue;
		n = value_length(s + keylen, rules[i].end, &skip);
		if (n == 0)
			continue;
		buf_add(out, s, keylen + skip);
		buf_addstr(out, REDACTED);
		return keylen + skip + n;
	}
	return 0;
}

char *
redact_dup(const char *s)
{
	struct buf out;
	const char *p = s;
	size_t n;

	if (s == NULL)
		return NULL;
	buf_init(&out, REDACT_MAX_OUT);
	pthread_mutex_lock(&registry_lock);
	while (*p) {
		n = redact_at(s, p, &out);
		if (n > 0) {
			p += n;
			continue;
		}
		buf_add(&out, p, 1);
		p++;
	}
	pthread_mutex_unlock(&registry_lock);
	if (out.failed) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

void
redact_inplace(char *s, size_t cap)
{
	char *clean;
	size_t len;

	if (s == NULL || cap == 0)
		return;
	clean = redact_dup(s);
	if (clean == NULL) {
		/* Out of memory: losing the text is better than leaking it. */
		snprintf(s, cap, "%s", REDACTED);
		return;
	}
	len = strlen(clean);
	if (len >= cap)
		len = cap - 1;
	memcpy(s, clean, len);
	s[len] = '\0';
	buf_wipe(clean, strlen(clean));
	free(clean);
}
