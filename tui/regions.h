/* tui/regions.h - which regions to look for EKS clusters in: the --region
 * flags (each may be a comma-separated list), else the client's region and
 * the region of every profile in the AWS config files, or every standard
 * region of the partition. Shared by `irsa clusters` and the clusters
 * screen. No curses here. */
#ifndef IRSA_REGIONS_H
#define IRSA_REGIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_client.h"
#include "aws_op.h"
#include "cli.h"

/* The lists are region names, owned, each once, in the order given
 * (struct aws_strings: release with aws_strings_release()). */

/* Adds the first len bytes of r unless empty or already there. Returns 0,
 * or -1 when out of memory. */
int region_list_add(struct aws_strings *l, const char *r, size_t len);

/* Every --region of cli, comma-separated lists split. Returns 0 or -1
 * (out of memory). */
int region_list_from_flags(const struct cli *cli, struct aws_strings *l);

/* all: every standard region of c's partition where EKS runs; else c's
 * region and every configured profile's. Returns 0 or -1 (out of memory). */
int region_list_default(const struct aws_client *c, bool all, struct aws_strings *l);

#endif
