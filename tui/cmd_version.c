/* tui/cmd_version.c - `irsa version`: irsa's version and its libraries'. */
#include "config.h"

#include <json-c/json.h>
#include <string.h>

#include "cli.h"
#include "version.h"

static int
version_run(struct cli *cli)
{
	struct irsa_versions v;
	json_object *o;

	if (cli->argc > 0)
		return cli_usage_error(cli, "Run 'irsa help version' for usage.", "version takes no arguments");
	irsa_versions_get(&v);
	if (cli->output != NULL && strcmp(cli->output, "json") == 0) {
		o = json_object_new_object();
		json_object_object_add(o, "irsa", json_object_new_string(v.irsa));
		json_object_object_add(o, "libcurl", json_object_new_string(v.curl));
		json_object_object_add(o, "libcurlHttp2", json_object_new_boolean(v.curl_http2));
		json_object_object_add(o, "libcurlAsyncDns", json_object_new_boolean(v.curl_async_dns));
		json_object_object_add(o, "libcurlTls", json_object_new_string(v.curl_ssl));
		json_object_object_add(o, "openssl", json_object_new_string(v.openssl));
		json_object_object_add(o, "jsonC", json_object_new_string(v.json_c));
		json_object_object_add(o, "libxml2", json_object_new_string(v.libxml2));
		json_object_object_add(o, "libyaml", json_object_new_string(v.yaml));
		fprintf(cli->out, "%s\n",
		        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		return EXIT_OK;
	}
	fprintf(cli->out, "irsa %s\n", v.irsa);
	fprintf(cli->out, "libcurl %s (%s%s%s)\n", v.curl, v.curl_ssl, v.curl_http2 ? ", HTTP/2" : "",
	        v.curl_async_dns ? ", async DNS" : "");
	fprintf(cli->out, "%s\njson-c %s\nlibxml2 %s\nlibyaml %s\n", v.openssl, v.json_c, v.libxml2, v.yaml);
	return EXIT_OK;
}

const struct cmd cmd_version = {
        .name = "version",
        .summary = "print the versions of irsa and of the libraries it uses",
        .usage = "version [-o text|json]",
        .outputs = "text,json",
        .run = version_run,
};
