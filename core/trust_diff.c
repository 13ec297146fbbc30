/* core/trust_diff.c - the preview of a trust change: a line diff of two
 * documents' canonical JSON by longest common subsequence, every line kept
 * and marked (same, removed, added) so the UI can colour it. Documents are
 * small (the size quota is a few kilobytes), so the quadratic table is
 * fine; it is capped all the same. Pure. */
#include "config.h"

#include "trust.h"

#include <stdlib.h>
#include <string.h>

#define DIFF_MAX_CELLS (4u * 1024 * 1024) /* lines(before) x lines(after) */

/* The lines of s (without their newlines), pointing into s, which is cut at
 * each newline. *n gets the count; NULL when out of memory. */
static char **
split_lines(char *s, size_t *n)
{
	size_t cap = 16, count = 0;
	char **v = malloc(cap * sizeof(*v)), **grown;
	char *nl;

	while (v != NULL && s != NULL && *s != '\0') {
		if (count == cap) {
			cap *= 2;
			grown = realloc(v, cap * sizeof(*v));
			if (grown == NULL) {
				free(v);
				return NULL;
			}
			v = grown;
		}
		v[count++] = s;
		nl = strchr(s, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	*n = count;
	return v;
}

static int
push(struct trust_diff *d, enum trust_diff_kind kind, const char *text)
{
	struct trust_diff_line *l = &d->lines[d->n];

	l->kind = kind;
	l->text = strdup(text);
	if (l->text == NULL)
		return -1;
	d->n++;
	d->added += kind == TRUST_DIFF_ADDED;
	d->removed += kind == TRUST_DIFF_REMOVED;
	return 0;
}

/* Fills d from the two line arrays; lcs[i][j] is the common length of a[i..] and b[j..]. */
static int
diff_lines(char **a, size_t na, char **b, size_t nb, struct trust_diff *d)
{
	unsigned *lcs = calloc((na + 1) * (nb + 1), sizeof(*lcs));
	size_t i, j, w = nb + 1;
	int rc = 0;

	d->lines = calloc(na + nb + 1, sizeof(*d->lines));
	if (lcs == NULL || d->lines == NULL) {
		free(lcs);
		return -1;
	}
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;) {
			unsigned down = lcs[(i + 1) * w + j], right = lcs[i * w + j + 1];

			lcs[i * w + j] =
			        strcmp(a[i], b[j]) == 0 ? lcs[(i + 1) * w + j + 1] + 1 : (down >= right ? down : right);
		}
	i = j = 0;
	while (rc == 0 && (i < na || j < nb)) {
		if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
			rc = push(d, TRUST_DIFF_SAME, a[i]);
			i++;
			j++;
		} else if (i < na && (j == nb || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
			rc = push(d, TRUST_DIFF_REMOVED, a[i++]);
		} else {
			rc = push(d, TRUST_DIFF_ADDED, b[j++]);
		}
	}
	free(lcs);
	return rc;
}

int
trust_diff_text(const char *before, const char *after, struct trust_diff *out, struct irsa_error *err)
{
	char *a = strdup(before != NULL ? before : ""), *b = strdup(after != NULL ? after : "");
	char **la = NULL, **lb = NULL;
	size_t na = 0, nb = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (a == NULL || b == NULL || (la = split_lines(a, &na)) == NULL || (lb = split_lines(b, &nb)) == NULL) {
		irsa_error_oom(err);
	} else if ((na + 1) * (nb + 1) > DIFF_MAX_CELLS) {
		irsa_error_set(err, IRSA_ERR_LIMIT, "the documents are too long to compare (%zu and %zu lines)", na,
		               nb);
	} else if (diff_lines(la, na, lb, nb, out) < 0) {
		trust_diff_release(out);
		irsa_error_oom(err);
	} else {
		rc = 0;
	}
	free(la);
	free(lb);
	free(a);
	free(b);
	return rc;
}

int
trust_diff(const struct trust *before, const struct trust *after, struct trust_diff *out, struct irsa_error *err)
{
	char *a = before != NULL ? trust_to_json(before) : NULL;
	char *b = after != NULL ? trust_to_json(after) : NULL;
	int rc;

	if ((before != NULL && a == NULL) || (after != NULL && b == NULL)) {
		memset(out, 0, sizeof(*out));
		rc = irsa_error_oom(err);
	} else {
		rc = trust_diff_text(a, b, out, err);
	}
	free(a);
	free(b);
	return rc;
}

int
trust_diff_format(const struct trust_diff *d, struct buf *out)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		buf_printf(out, "%c%s\n", (char)d->lines[i].kind, d->lines[i].text);
	return out->failed ? -1 : 0;
}

void
trust_diff_release(struct trust_diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}
