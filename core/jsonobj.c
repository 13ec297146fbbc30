/* core/jsonobj.c - type-checked reads of json-c object members. */
#include "config.h"

#include "jsonobj.h"

/* The member key of o when it has type t (or t2), else NULL. */
static struct json_object *
member(struct json_object *o, const char *key, enum json_type t, enum json_type t2)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, t) || json_object_is_type(v, t2)))
		return NULL;
	return v;
}

const char *
jsonobj_str(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_string, json_type_string);

	return v != NULL ? json_object_get_string(v) : NULL;
}

struct json_object *
jsonobj_obj(struct json_object *o, const char *key)
{
	return member(o, key, json_type_object, json_type_object);
}

struct json_object *
jsonobj_num(struct json_object *o, const char *key)
{
	return member(o, key, json_type_int, json_type_double);
}
