/* tui/regions.c - the regions to scan for EKS clusters (see regions.h).
 * No curses here. */
#include "config.h"

#include "regions.h"

#include <stdlib.h>
#include <string.h>

#include "aws_config.h"
#include "aws_endpoint.h"
#include "eks.h"

int
region_list_add(struct aws_strings *l, const char *r, size_t len)
{
	char *copy;
	int rc;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len && strncmp(l->v[i], r, len) == 0)
			return 0;
	if ((copy = strndup(r, len)) == NULL)
		return -1;
	rc = aws_strings_add(l, copy);
	free(copy);
	return rc;
}

int
region_list_from_flags(const struct cli *cli, struct aws_strings *l)
{
	const char *p;
	size_t n;
	int i, rc = 0;

	for (i = 0; i < cli->n_regions && i < CLI_MAX_REGIONS && rc == 0; i++)
		for (p = cli->regions[i]; rc == 0; p += n + 1) {
			n = strcspn(p, ",");
			rc = region_list_add(l, p, n);
			if (p[n] == '\0')
				break;
		}
	return rc;
}

int
region_list_default(const struct aws_client *c, bool all, struct aws_strings *l)
{
	const struct aws_config *cfg = aws_client_config(c);
	const char *const *std, *r;
	size_t i, n;
	int rc = 0;

	if (all) {
		std = eks_standard_regions(aws_partition_of_region(aws_client_region(c)), &n);
		for (i = 0; i < n && rc == 0; i++)
			rc = region_list_add(l, std[i], strlen(std[i]));
		return rc;
	}
	rc = region_list_add(l, aws_client_region(c), strlen(aws_client_region(c)));
	for (i = 0; cfg != NULL && i < aws_config_profile_count(cfg) && rc == 0; i++) {
		r = aws_config_get(cfg, aws_config_profile_name(cfg, i), "region");
		if (r != NULL)
			rc = region_list_add(l, r, strlen(r));
	}
	return rc;
}
