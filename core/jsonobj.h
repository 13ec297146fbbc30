/* core/jsonobj.h - reading members of a parsed json-c object with their
 * type checked, so that a wrong type reads as absent rather than as a
 * coerced value. Pure. */
#ifndef IRSA_JSONOBJ_H
#define IRSA_JSONOBJ_H

#include <json-c/json.h>

/* The string member key of o; NULL when o is NULL or not an object, or the
 * member is absent or not a string. Borrowed from o. */
const char *jsonobj_str(struct json_object *o, const char *key);

#endif
