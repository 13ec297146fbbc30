/* core/shlex.c - Python's shlex.split() in POSIX mode without comments: the
 * word splitting botocore applies to credential_process and to section
 * headers. No expansion, no shell, no I/O. */
#include "config.h"

#include "shlex.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int
shlex_split(const char *s, char ***argv, size_t *argc, struct irsa_error *err)
{
	struct buf word;
	char **v = NULL;
	size_t n = 0;
	bool in_word = false;
	char quote = 0;

	*argv = NULL;
	*argc = 0;
	buf_init(&word, strlen(s) + 1);
	for (;; s++) {
		char ch = *s;

		if (ch == '\0') {
			if (quote != 0) {
				irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no closing quotation (%c) in the command",
				               quote);
				goto fail;
			}
		} else if (quote == '\'') {
			if (ch == '\'')
				quote = 0;
			else
				buf_addch(&word, ch);
			continue;
		} else if (quote == '"') {
			if (ch == '"')
				quote = 0;
			else if (ch == '\\' && (s[1] == '"' || s[1] == '\\'))
				buf_addch(&word, *++s);
			else
				buf_addch(&word, ch);
			continue;
		} else if (ch == '\\') {
			if (s[1] == '\0') {
				irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "the command ends with a lone backslash");
				goto fail;
			}
			buf_addch(&word, *++s);
			in_word = true;
			continue;
		} else if (ch == '\'' || ch == '"') {
			quote = ch;
			in_word = true;
			continue;
		} else if (!isspace((unsigned char)ch)) {
			buf_addch(&word, ch);
			in_word = true;
			continue;
		}
		/* whitespace or the end: a word ends */
		if (in_word) {
			char **nv = realloc(v, (n + 2) * sizeof(*v));

			if (nv == NULL) {
				irsa_error_oom(err);
				goto fail;
			}
			v = nv;
			v[n] = word.failed ? NULL : buf_detach(&word);
			if (v[n] == NULL) {
				irsa_error_oom(err);
				goto fail;
			}
			v[++n] = NULL;
			buf_init(&word, strlen(s) + 1);
			in_word = false;
		}
		if (ch == '\0')
			break;
	}
	buf_release(&word);
	if (v == NULL && (v = calloc(1, sizeof(*v))) == NULL)
		return irsa_error_oom(err);
	*argv = v;
	*argc = n;
	return 0;
fail:
	buf_release(&word);
	while (n > 0)
		free(v[--n]);
	free(v);
	return -1;
}
