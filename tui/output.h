/* tui/output.h - how headless commands print their answers and failures,
 * kubectl-like: a text table (upper-case headers, columns two spaces apart,
 * each as wide as its widest cell), or with -o json one JSON array of
 * objects (2-space indent, slashes not escaped, null for what is missing);
 * a failure is "irsa: <message>" and a hint line on stderr.
 *
 * A cell is cut (with "…") only when stdout is a terminal narrower than the
 * table; piped or redirected output is never cut. Colour (bold headers)
 * only when cli->color. No curses here. */
#ifndef IRSA_OUTPUT_H
#define IRSA_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "cli.h"
#include "error.h"

#define OUTPUT_NONE "<none>" /* a missing value in a text table */

struct output_table;

/* A table with n columns named by headers (borrowed, static strings; shown
 * as given: write them in upper case), or without a header row when
 * headers is NULL (one object, a field a line). Returns NULL when out of memory. The
 * caller frees with output_table_free(). */
struct output_table *output_table_new(size_t n, const char *const *headers);

/* Appends a row of the table's n cells (copied; NULL shows as <none>;
 * control characters show as spaces). Returns 0, or -1 when out of
 * memory. */
int output_table_add(struct output_table *t, const char *const *cells);

/* Prints the table to cli->out; a table without rows prints nothing there,
 * and none (e.g. "No clusters found in us-east-1.") as a line on cli->err,
 * as kubectl says "No resources found". */
void output_table_print(const struct output_table *t, const struct cli *cli, const char *none);

void output_table_free(struct output_table *t);

/* True when the command was asked for -o json. */
bool output_is_json(const struct cli *cli);

/* Adds key to the JSON object o: the string value, or null when value is
 * NULL. */
void output_json_add(json_object *o, const char *key, const char *value);

/* Prints v to cli->out, pretty (2-space indent), slashes not escaped, and
 * a newline; an empty array prints as "[]". Does not take v. */
void output_json_print(const struct cli *cli, json_object *v);

/* Prints err as "irsa: <message> (<code>, HTTP <status>, request id <id>)"
 * and its hint (or, when it has none, where to look further) on the next
 * line, to cli->err. Returns EXIT_FAILURE_RUN. */
int output_error(const struct cli *cli, const struct irsa_error *err);

/* The two halves of output_error(), for a command that reports several
 * failures: each on its own line, then one hint. */
void output_error_line(const struct cli *cli, const struct irsa_error *err);
void output_hint(const struct cli *cli, const struct irsa_error *err);

#endif
