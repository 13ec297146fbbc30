/* core/aws_xml.c - safe libxml2 parsing and lookups for Query API answers.
 * No I/O; libxml2 is told never to print. */
#include "config.h"

#include "aws_xml.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "aws_time.h"

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	xmlInitParser();
}

/* SAX hook called when a DOCTYPE with an internal or external subset
 * starts: stop before any declaration is read. */
static void
refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxt *ctxt = ctx;

	ctxt->_private = (void *)1;
	xmlStopParser(ctxt);
}

xmlDoc *
aws_xml_parse(const struct buf *body, const char *what, struct irsa_error *err)
{
	xmlParserCtxt *ctxt;
	xmlDoc *doc;
	const char *msg;
	size_t msglen;
	int line;

	pthread_once(&xml_once, xml_init);
	if (body == NULL || body->len == 0)
		return irsa_error_set(err, IRSA_ERR_PARSE, "%s is empty", what), NULL;
	if (body->len > (size_t)0x7fffffff)
		return irsa_error_set(err, IRSA_ERR_LIMIT, "%s is too large to parse", what), NULL;
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory parsing %s", what), NULL;
	ctxt->sax->internalSubset = refuse_dtd;
	ctxt->_private = NULL;
	doc = xmlCtxtReadMemory(ctxt, body->data, (int)body->len, NULL, NULL, XML_OPTIONS);
	if (ctxt->_private != NULL || (doc != NULL && doc->intSubset != NULL)) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s declares a DTD, which AWS never sends; refusing it", what);
		goto fail;
	}
	if (doc == NULL || !ctxt->wellFormed || xmlDocGetRootElement(doc) == NULL) {
		msg = ctxt->lastError.message != NULL ? ctxt->lastError.message : "no document element";
		msglen = strlen(msg);
		while (msglen > 0 && isspace((unsigned char)msg[msglen - 1]))
			msglen--;
		line = ctxt->lastError.line;
		irsa_error_set(err, IRSA_ERR_PARSE, "%s is not well-formed XML (line %d: %.*s)", what,
		               line > 0 ? line : 1, (int)msglen, msg);
		goto fail;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
fail:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return NULL;
}

const char *
aws_xml_name(const xmlNode *n)
{
	return n != NULL && n->name != NULL ? (const char *)n->name : "";
}

xmlNode *
aws_xml_child(const xmlNode *parent, const char *name)
{
	xmlNode *c;

	if (parent == NULL)
		return NULL;
	for (c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp(aws_xml_name(c), name) == 0)
			return c;
	return NULL;
}

xmlNode *
aws_xml_find(const xmlNode *node, const char *name)
{
	xmlNode *c, *hit;

	if (node == NULL)
		return NULL;
	for (c = node->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(aws_xml_name(c), name) == 0)
			return c;
		if ((hit = aws_xml_find(c, name)) != NULL)
			return hit;
	}
	return NULL;
}

xmlNode *
aws_xml_next_member(const xmlNode *list, const xmlNode *prev)
{
	xmlNode *c;

	if (list == NULL)
		return NULL;
	for (c = prev != NULL ? prev->next : list->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp(aws_xml_name(c), "member") == 0)
			return c;
	return NULL;
}

char *
aws_xml_text(const xmlNode *n, bool *oom)
{
	xmlChar *t;
	char *s;

	if (n == NULL)
		return NULL;
	t = xmlNodeGetContent(n);
	s = strdup(t != NULL ? (const char *)t : "");
	xmlFree(t);
	if (s == NULL && oom != NULL)
		*oom = true;
	return s;
}

char *
aws_xml_child_text(const xmlNode *parent, const char *name, bool *oom)
{
	return aws_xml_text(aws_xml_child(parent, name), oom);
}

xmlNode *
aws_xml_query_result(xmlDoc *doc, const char *op, bool has_result, struct irsa_error *err)
{
	xmlNode *root = xmlDocGetRootElement(doc), *result;
	const char *name = aws_xml_name(root);
	size_t oplen = strlen(op);
	char want[128];

	if (strncmp(name, op, oplen) != 0 || strcmp(name + oplen, "Response") != 0)
		return irsa_error_set(err, IRSA_ERR_PARSE, "the %s answer is <%s>, not <%sResponse>", op, name, op),
		       NULL;
	if (!has_result)
		return root;
	snprintf(want, sizeof(want), "%sResult", op);
	result = aws_xml_child(root, want);
	if (result == NULL)
		return irsa_error_set(err, IRSA_ERR_PARSE, "the %s answer has no <%s>", op, want), NULL;
	return result;
}

/* The child's text, or NULL with *missing (absent) or err (out of memory). */
static char *
child_text(const xmlNode *parent, const char *name, bool required, bool *missing, const char *what,
           struct irsa_error *err)
{
	xmlNode *n = aws_xml_child(parent, name);
	bool oom = false;
	char *t;

	*missing = n == NULL;
	if (n == NULL) {
		if (required)
			irsa_error_set(err, IRSA_ERR_PARSE, "%s lacks <%s>", what, name);
		return NULL;
	}
	t = aws_xml_text(n, &oom);
	if (t == NULL)
		irsa_error_set(err, IRSA_ERR_INTERNAL, "out of memory reading %s", what);
	return t;
}

int
aws_xml_str(const xmlNode *parent, const char *name, bool required, char **out, const char *what,
            struct irsa_error *err)
{
	bool missing;

	*out = child_text(parent, name, required, &missing, what, err);
	return *out != NULL || (missing && !required) ? 0 : -1;
}

int
aws_xml_long(const xmlNode *parent, const char *name, bool required, long *out, const char *what,
             struct irsa_error *err)
{
	char *t, *end;
	bool missing;
	long v;

	t = child_text(parent, name, required, &missing, what, err);
	if (t == NULL)
		return missing && !required ? 0 : -1;
	errno = 0;
	v = strtol(t, &end, 10);
	if (errno != 0 || end == t || *end != '\0') {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s has a <%s> that is not a number: \"%.40s\"", what, name, t);
		free(t);
		return -1;
	}
	free(t);
	*out = v;
	return 0;
}

int
aws_xml_bool(const xmlNode *parent, const char *name, bool *out, const char *what, struct irsa_error *err)
{
	bool missing;
	char *t;

	t = child_text(parent, name, false, &missing, what, err);
	if (t == NULL)
		return missing ? 0 : -1;
	if (strcmp(t, "true") != 0 && strcmp(t, "false") != 0) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s has a <%s> that is not true or false: \"%.40s\"", what, name,
		               t);
		free(t);
		return -1;
	}
	*out = t[0] == 't';
	free(t);
	return 0;
}

int
aws_xml_time(const xmlNode *parent, const char *name, bool required, time_t *out, const char *what,
             struct irsa_error *err)
{
	bool missing;
	char *t;

	t = child_text(parent, name, required, &missing, what, err);
	if (t == NULL)
		return missing && !required ? 0 : -1;
	if (aws_parse_time(t, out) != 0) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s has a <%s> that is not a date: \"%.40s\"", what, name, t);
		free(t);
		return -1;
	}
	free(t);
	return 0;
}
