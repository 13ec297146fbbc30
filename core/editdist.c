/* core/editdist.c - Levenshtein distance over one row of a dynamic
 * programming table (names are short). */
#include "config.h"

#include "editdist.h"

#include <ctype.h>
#include <string.h>

static bool
same(char x, char y, bool ignore_case)
{
	return ignore_case ? tolower((unsigned char)x) == tolower((unsigned char)y) : x == y;
}

size_t
editdist(const char *a, const char *b, bool ignore_case)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, above;
	size_t row[EDITDIST_MAX + 1];

	if (la > EDITDIST_MAX || lb > EDITDIST_MAX)
		return EDITDIST_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0]; /* the diagonal: row i-1, column j-1 */
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			above = row[j];
			row[j] = prev + !same(a[i - 1], b[j - 1], ignore_case);
			if (above + 1 < row[j])
				row[j] = above + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			prev = above;
		}
	}
	return row[lb];
}
