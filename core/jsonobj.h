/* core/jsonobj.h - reading members of a parsed json-c object with their
 * type checked, so that a wrong type reads as absent rather than as a
 * coerced value. Pure. */
#ifndef IRSA_JSONOBJ_H
#define IRSA_JSONOBJ_H

#include <json-c/json.h>

/* The string member key of o; NULL when o is NULL or not an object, or the
 * member is absent or not a string. Borrowed from o. */
const char *jsonobj_str(struct json_object *o, const char *key);

/* The object member key of o; NULL as for jsonobj_str(). Borrowed from o. */
struct json_object *jsonobj_obj(struct json_object *o, const char *key);

/* The number member key of o (an integer or a double); NULL as for
 * jsonobj_str(). Borrowed from o. */
struct json_object *jsonobj_num(struct json_object *o, const char *key);

#endif
