/* core/aws_xml.h - the little of libxml2 the Query API (IAM, STS) needs:
 * parse an answer safely, find elements by local name whatever their
 * namespace, read their text, walk <member> lists, read ISO 8601 dates (aws_time.h).
 *
 * Parsing never touches the network (XML_PARSE_NONET), never loads a DTD
 * and never expands entities; a document that declares a DTD is refused
 * outright (AWS never sends one), which also keeps entity expansion bombs
 * out. The size is already capped by the struct buf the body came in.
 * libxml2 reports nothing on stderr: its errors become struct irsa_error.
 * Thread-safe: each parse has its own parser context. No I/O. */
#ifndef IRSA_AWS_XML_H
#define IRSA_AWS_XML_H

#include <stdbool.h>
#include <time.h>

#include <libxml/tree.h>

#include "buf.h"
#include "error.h"

/* Parses body as an XML document. what names the answer for the message
 * ("the GetRole answer"). Returns the document (the caller frees it with
 * xmlFreeDoc()), or NULL with err set to IRSA_ERR_PARSE (empty, not
 * well-formed, a DTD) or IRSA_ERR_INTERNAL (out of memory). */
xmlDoc *aws_xml_parse(const struct buf *body, const char *what, struct irsa_error *err);

/* The local name of an element ("GetRoleResponse" for <a:GetRoleResponse>). */
const char *aws_xml_name(const xmlNode *n);

/* The first child element of parent whose local name is name, or NULL.
 * parent may be NULL. Borrowed from the document. */
xmlNode *aws_xml_child(const xmlNode *parent, const char *name);

/* The first element under node (depth first, node itself excluded) whose
 * local name is name, or NULL. */
xmlNode *aws_xml_find(const xmlNode *node, const char *name);

/* Iterates the <member> children of a list element: pass NULL first, then the
 * previous member. Returns NULL at the end; list may be NULL (an absent
 * list is empty). */
xmlNode *aws_xml_next_member(const xmlNode *list, const xmlNode *prev);

/* The text of n (concatenated text and CDATA below it), as a new string the
 * caller frees; NULL when n is NULL or memory runs out (*oom is then set,
 * when oom is not NULL). */
char *aws_xml_text(const xmlNode *n, bool *oom);

/* The text of parent's child called name (see aws_xml_text()). */
char *aws_xml_child_text(const xmlNode *parent, const char *name, bool *oom);

/* The <OpResult> element of a Query answer <OpResponse> (op = "GetRole"),
 * checking the envelope. Returns the root itself for an operation without
 * output (<OpResponse><ResponseMetadata>), or NULL with err set
 * (IRSA_ERR_PARSE naming the operation) when the root is not <OpResponse>
 * or a required result is missing. */
xmlNode *aws_xml_query_result(xmlDoc *doc, const char *op, bool has_result, struct irsa_error *err);

/* Typed readers of parent's child element called name, for answers named
 * what ("the GetRole answer"). A missing element is an IRSA_ERR_PARSE error
 * when required, else leaves *out untouched (strings: NULL). Text that is
 * not a number, a boolean or a date is an IRSA_ERR_PARSE error naming the
 * element; out of memory is IRSA_ERR_INTERNAL. Each returns 0 or -1. A
 * string is new; the caller frees it. */
int aws_xml_str(const xmlNode *parent, const char *name, bool required, char **out, const char *what,
                struct irsa_error *err);
int aws_xml_long(const xmlNode *parent, const char *name, bool required, long *out, const char *what,
                 struct irsa_error *err);
int aws_xml_bool(const xmlNode *parent, const char *name, bool *out, const char *what, struct irsa_error *err);
int aws_xml_time(const xmlNode *parent, const char *name, bool required, time_t *out, const char *what,
                 struct irsa_error *err);

#endif
