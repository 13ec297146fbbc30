/* core/jsonobj.c - type-checked reads of json-c object members. */
#include "config.h"

#include "jsonobj.h"

const char *
jsonobj_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}
