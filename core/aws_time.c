/* core/aws_time.c - the ISO 8601 date-times AWS writes (JSON, XML, the SSO
 * cache, the environment), to time_t: the one parser of them in core. Pure:
 * no time zone database, no locale. */
#include "config.h"

#include "aws_time.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

int
aws_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	const char *p;
	int off = 0;

	memset(&tm, 0, sizeof(tm));
	/* RFC 3339 allows a 't' or a space between date and time as well */
	p = strptime(s, "%Y-%m-%d", &tm);
	if (p == NULL || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p = strptime(p + 1, "%H:%M:%S", &tm);
	if (p == NULL)
		return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (strncmp(p, "UTC", 3) == 0)
		p += 3;
	else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
		int sign = *p == '-' ? -1 : 1, h = (p[1] - '0') * 10 + (p[2] - '0'), m = 0;

		p += 3;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
			m = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
		off = sign * (h * 3600 + m * 60);
	} else if (*p != '\0')
		return -1;
	if (*p != '\0')
		return -1;
	*out = timegm(&tm) - off;
	return 0;
}
