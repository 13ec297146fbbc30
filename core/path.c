/* core/path.c - expanding a file name as Python's os.path.expandvars and
 * os.path.expanduser do, so that AWS_CONFIG_FILE and friends name the same
 * file for irsa as for botocore. Opens no file. */
#include "config.h"

#include "path.h"

#include <ctype.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "env.h"

char *
path_expand(const char *p)
{
	return path_expand_env(NULL, p);
}

char *
path_expand_env(const struct env *env, const char *p)
{
	struct buf b, out;
	const char *s, *home = NULL;
	size_t i;

	if (p == NULL)
		return NULL;
	buf_init(&b, PATH_MAX * 4);
	for (s = p; *s != '\0';) {
		const char *name = NULL, *end = NULL, *next = NULL;

		if (s[0] == '$' && s[1] == '{' && (end = strchr(s + 2, '}')) != NULL) {
			name = s + 2;
			next = end + 1;
		} else if (s[0] == '$' && (isalnum((unsigned char)s[1]) || s[1] == '_')) {
			name = s + 1;
			for (end = name; isalnum((unsigned char)*end) || *end == '_'; end++)
				;
			next = end;
		}
		if (name != NULL) {
			char var[256];
			const char *val = NULL;

			if ((size_t)(end - name) < sizeof(var)) {
				memcpy(var, name, (size_t)(end - name));
				var[end - name] = '\0';
				val = env_get(env, var);
			}
			if (val != NULL) {
				buf_addstr(&b, val);
				s = next;
				continue;
			}
		}
		buf_addch(&b, *s++);
	}
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	s = buf_cstr(&b);
	if (s[0] != '~')
		return buf_detach(&b);

	for (i = 1; s[i] != '\0' && s[i] != '/'; i++)
		;
	if (i == 1) {
		home = env_get(env, "HOME");
		if (home == NULL) {
			struct passwd *pw = getpwuid(getuid());

			home = pw != NULL ? pw->pw_dir : NULL;
		}
	} else {
		char user[256];
		struct passwd *pw;

		if (i - 1 < sizeof(user)) {
			memcpy(user, s + 1, i - 1);
			user[i - 1] = '\0';
			pw = getpwnam(user);
			home = pw != NULL ? pw->pw_dir : NULL;
		}
	}
	if (home == NULL)
		return buf_detach(&b);
	buf_init(&out, PATH_MAX * 4);
	{
		size_t hl = strlen(home);

		while (hl > 0 && home[hl - 1] == '/')
			hl--;
		buf_add(&out, home, hl);
		buf_addstr(&out, s + i);
		if (out.len == 0)
			buf_addch(&out, '/');
	}
	buf_release(&b);
	if (out.failed) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}
