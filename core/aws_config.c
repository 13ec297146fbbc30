/* core/aws_config.c - the shared AWS config and credentials files as
 * botocore sees them (configloader.py, session.py): loading both, the
 * profile map (build_profile_map, Session.full_config), the sso-session and
 * services maps, and the profile and region in use from the flags, the
 * environment and the files. The INI syntax is aws_ini.c's; what to do with
 * the profile (credentials, endpoints) is other files' job. No network, no
 * printing, no terminal. */
#include "config.h"

#include "aws_config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_ini.h"
#include "env.h"
#include "path.h"
#include "redact.h"
#include "shlex.h"

/* A name in one of the maps built from the sections (a profile, an
 * sso-session, a services block). Points into an aws_ini_file. */
struct ref {
	char *name;
	const struct aws_ini_section *sec;
};

struct ref_map {
	struct ref *v;
	size_t n;
};

/* A merged profile: kv entries borrowed from the files. */
struct profile {
	char *name;
	const struct aws_ini_kv **kv;
	size_t n_kv;
};

struct aws_config {
	struct aws_ini_file config;
	struct aws_ini_file credentials;
	struct ref_map config_profiles; /* the config file's own profile map */
	struct ref_map sso_sessions;
	struct ref_map services;
	struct profile *profiles; /* config file profiles updated by the credentials file */
	size_t n_profiles;
	const struct env *env; /* borrowed; NULL: the process environment */
};

bool
aws_config_is_true(const char *s)
{
	return s != NULL && strcasecmp(s, "true") == 0;
}

const struct env *
aws_config_env(const struct aws_config *cfg)
{
	return cfg != NULL ? cfg->env : NULL;
}

const char *
aws_config_getenv(const struct aws_config *cfg, const char *name)
{
	const char *v = env_get(aws_config_env(cfg), name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* --- profile maps (botocore build_profile_map and Session.full_config) ----- */

static void
ref_map_release(struct ref_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static const struct aws_ini_section *
ref_map_get(const struct ref_map *m, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return m->v[i].sec;
	return NULL;
}

/* Adds or replaces (a later section wins whole, as dict.update does). Takes
 * name. */
static int
ref_map_put(struct ref_map *m, char *name, const struct aws_ini_section *sec)
{
	size_t i;
	struct ref *v;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0) {
			free(name);
			m->v[i].sec = sec;
			return 0;
		}
	v = realloc(m->v, (m->n + 1) * sizeof(*v));
	if (v == NULL) {
		free(name);
		return -1;
	}
	m->v = v;
	m->v[m->n].name = name;
	m->v[m->n].sec = sec;
	m->n++;
	return 0;
}

/* botocore's _parse_section: "profile NAME" split like a shell; exactly two
 * words or the section is ignored. Returns the name, NULL if ignored. */
static char *
section_second_word(const char *header)
{
	char **argv = NULL, *name = NULL;
	size_t argc = 0, i;

	if (shlex_split(header, &argv, &argc, NULL) != 0)
		return NULL;
	if (argc == 2) {
		name = argv[1];
		argv[1] = NULL;
	}
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return name;
}

static struct profile *
profile_find(const struct aws_config *cfg, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < cfg->n_profiles; i++)
		if (strcmp(cfg->profiles[i].name, name) == 0)
			return &cfg->profiles[i];
	return NULL;
}

/* Sets the profile's keys from sec: replaces keys present, appends others. */
static int
profile_update(struct profile *p, const struct aws_ini_section *sec)
{
	size_t i, j;

	for (i = 0; i < sec->n_kv; i++) {
		const struct aws_ini_kv **v;

		for (j = 0; j < p->n_kv; j++)
			if (strcmp(p->kv[j]->key, sec->kv[i].key) == 0)
				break;
		if (j < p->n_kv) {
			p->kv[j] = &sec->kv[i];
			continue;
		}
		v = realloc(p->kv, (p->n_kv + 1) * sizeof(*v));
		if (v == NULL)
			return -1;
		p->kv = v;
		p->kv[p->n_kv++] = &sec->kv[i];
	}
	return 0;
}

static struct profile *
profile_add(struct aws_config *cfg, const char *name)
{
	struct profile *v = realloc(cfg->profiles, (cfg->n_profiles + 1) * sizeof(*v));

	if (v == NULL)
		return NULL;
	cfg->profiles = v;
	v = &cfg->profiles[cfg->n_profiles];
	memset(v, 0, sizeof(*v));
	v->name = strdup(name);
	if (v->name == NULL)
		return NULL;
	cfg->n_profiles++;
	return v;
}

static int
config_build_maps(struct aws_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->config.n_sec; i++) {
		const struct aws_ini_section *s = &cfg->config.sec[i];
		struct ref_map *m = NULL;
		char *name = NULL;

		if (strncmp(s->name, "profile", 7) == 0)
			m = &cfg->config_profiles;
		else if (strncmp(s->name, "sso-session", 11) == 0)
			m = &cfg->sso_sessions;
		else if (strncmp(s->name, "services", 8) == 0)
			m = &cfg->services;
		else if (strcmp(s->name, "default") == 0) {
			m = &cfg->config_profiles;
			name = strdup("default");
			if (name == NULL)
				return -1;
		}
		if (m == NULL)
			continue;
		if (name == NULL && (name = section_second_word(s->name)) == NULL)
			continue;
		if (ref_map_put(m, name, s) != 0)
			return -1;
	}
	for (i = 0; i < cfg->config_profiles.n; i++) {
		struct profile *p = profile_add(cfg, cfg->config_profiles.v[i].name);

		if (p == NULL || profile_update(p, cfg->config_profiles.v[i].sec) != 0)
			return -1;
	}
	for (i = 0; i < cfg->credentials.n_sec; i++) {
		const struct aws_ini_section *s = &cfg->credentials.sec[i];
		struct profile *p = profile_find(cfg, s->name);

		if (p == NULL && (p = profile_add(cfg, s->name)) == NULL)
			return -1;
		if (profile_update(p, s) != 0)
			return -1;
	}
	return 0;
}

/* Parses one of the two files and registers the secrets it holds, which may
 * have no recognisable shape. */
static int
config_file_load(struct aws_ini_file *f, const char *path, struct irsa_error *err)
{
	static const char *const secret_keys[] = {"aws_secret_access_key", "aws_session_token", "aws_security_token"};
	size_t i, j;

	if (aws_ini_load(f, path, err) != 0)
		return -1;
	for (i = 0; i < f->n_sec; i++)
		for (j = 0; j < sizeof(secret_keys) / sizeof(secret_keys[0]); j++) {
			const char *v = aws_ini_get(&f->sec[i], secret_keys[j]);

			if (v != NULL)
				redact_register(v);
		}
	return 0;
}

int
aws_config_load_files(const char *config_path, const char *credentials_path, struct aws_config **out,
                      struct irsa_error *err)
{
	struct aws_config *cfg = calloc(1, sizeof(*cfg));

	*out = NULL;
	if (cfg == NULL)
		return irsa_error_oom(err);
	if (config_file_load(&cfg->config, config_path, err) != 0 ||
	    config_file_load(&cfg->credentials, credentials_path, err) != 0) {
		aws_config_free(cfg);
		return -1;
	}
	if (config_build_maps(cfg) != 0) {
		aws_config_free(cfg);
		return irsa_error_oom(err);
	}
	*out = cfg;
	return 0;
}

int
aws_config_load(struct aws_config **out, struct irsa_error *err)
{
	return aws_config_load_env(NULL, out, err);
}

int
aws_config_load_env(const struct env *env, struct aws_config **out, struct irsa_error *err)
{
	const char *c = env_get(env, "AWS_CONFIG_FILE"), *k = env_get(env, "AWS_SHARED_CREDENTIALS_FILE");
	char *cp = path_expand_env(env, c != NULL ? c : "~/.aws/config");
	char *kp = path_expand_env(env, k != NULL ? k : "~/.aws/credentials");
	int r;

	if (cp == NULL || kp == NULL) {
		free(cp);
		free(kp);
		*out = NULL;
		return irsa_error_oom(err);
	}
	r = aws_config_load_files(cp, kp, out, err);
	if (r == 0)
		(*out)->env = env;
	free(cp);
	free(kp);
	return r;
}

void
aws_config_free(struct aws_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n_profiles; i++) {
		free(cfg->profiles[i].name);
		free(cfg->profiles[i].kv);
	}
	free(cfg->profiles);
	ref_map_release(&cfg->config_profiles);
	ref_map_release(&cfg->sso_sessions);
	ref_map_release(&cfg->services);
	aws_ini_release(&cfg->config);
	aws_ini_release(&cfg->credentials);
	free(cfg);
}

const char *
aws_config_path(const struct aws_config *cfg)
{
	return cfg->config.path;
}

const char *
aws_config_credentials_path(const struct aws_config *cfg)
{
	return cfg->credentials.path;
}

size_t
aws_config_profile_count(const struct aws_config *cfg)
{
	return cfg->n_profiles;
}

const char *
aws_config_profile_name(const struct aws_config *cfg, size_t i)
{
	return i < cfg->n_profiles ? cfg->profiles[i].name : NULL;
}

bool
aws_config_has_profile(const struct aws_config *cfg, const char *profile)
{
	return profile_find(cfg, profile) != NULL;
}

static const struct aws_ini_kv *
profile_kv(const struct aws_config *cfg, const char *profile, const char *key)
{
	const struct profile *p = profile_find(cfg, profile);
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < p->n_kv; i++)
		if (strcmp(p->kv[i]->key, key) == 0)
			return p->kv[i];
	return NULL;
}

const char *
aws_config_get(const struct aws_config *cfg, const char *profile, const char *key)
{
	const struct aws_ini_kv *kv = profile_kv(cfg, profile, key);

	return kv != NULL ? kv->value : NULL;
}

const char *
aws_config_get_nested(const struct aws_config *cfg, const char *profile, const char *key, const char *subkey)
{
	return aws_ini_sub_get(profile_kv(cfg, profile, key), subkey);
}

/* --- the raw sections ------------------------------------------------------------ */

const struct aws_ini_section *
aws_config_credentials_section(const struct aws_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->credentials.n_sec; i++)
		if (strcmp(cfg->credentials.sec[i].name, name) == 0)
			return &cfg->credentials.sec[i];
	return NULL;
}

const struct aws_ini_section *
aws_config_profile_section(const struct aws_config *cfg, const char *profile)
{
	return ref_map_get(&cfg->config_profiles, profile);
}

const struct aws_ini_section *
aws_config_sso_session(const struct aws_config *cfg, const char *session)
{
	return ref_map_get(&cfg->sso_sessions, session);
}

const char *
aws_config_sso_session_get(const struct aws_config *cfg, const char *session, const char *key)
{
	return aws_ini_get(ref_map_get(&cfg->sso_sessions, session), key);
}

bool
aws_config_has_services(const struct aws_config *cfg, const char *services)
{
	return ref_map_get(&cfg->services, services) != NULL;
}

const char *
aws_config_services_get(const struct aws_config *cfg, const char *services, const char *service, const char *key)
{
	const struct aws_ini_section *s = ref_map_get(&cfg->services, services);

	return s != NULL ? aws_ini_sub_get(aws_ini_find(s, service), key) : NULL;
}

/* --- profile and region ------------------------------------------------------- */

int
aws_config_resolve_profile(const struct aws_config *cfg, const struct aws_flags *flags, const char **profile,
                           bool *explicit_flag, struct irsa_error *err)
{
	const char *p = NULL, *from = NULL;

	*explicit_flag = false;
	if (flags != NULL && flags->profile != NULL && *flags->profile != '\0') {
		p = flags->profile;
		from = "--profile";
		*explicit_flag = true;
	} else if ((p = aws_config_getenv(cfg, "AWS_DEFAULT_PROFILE")) != NULL) {
		from = "AWS_DEFAULT_PROFILE";
	} else if ((p = aws_config_getenv(cfg, "AWS_PROFILE")) != NULL) {
		from = "AWS_PROFILE";
	} else {
		p = "default";
	}
	*profile = p;
	if (from != NULL && strcmp(p, "default") != 0 && !aws_config_has_profile(cfg, p)) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "the config profile \"%s\" (from %s) is not in %s or %s", p,
		               from, cfg->config.path ? cfg->config.path : "the config file",
		               cfg->credentials.path ? cfg->credentials.path : "the credentials file");
		return irsa_error_hint(err,
		                       "Add [profile %s] to the config file (aws configure --profile %s), or name "
		                       "another profile; irsa lists them with its profile list.",
		                       p, p);
	}
	return 0;
}

char *
aws_config_resolve_region(const struct aws_config *cfg, const struct aws_flags *flags, const char *profile,
                          struct irsa_error *err)
{
	const char *r = NULL;
	char *out;

	if (flags != NULL && flags->region != NULL && *flags->region != '\0')
		r = flags->region;
	else if ((r = aws_config_getenv(cfg, "AWS_REGION")) == NULL &&
	         (r = aws_config_getenv(cfg, "AWS_DEFAULT_REGION")) == NULL) {
		r = aws_config_get(cfg, profile, "region");
		if (r != NULL && *r == '\0')
			r = NULL;
	}
	if (r == NULL) {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "no AWS region is set for profile \"%s\"", profile);
		irsa_error_hint(err, "Pass --region, set AWS_REGION, or add \"region = us-east-1\" under [%s%s] in %s.",
		                strcmp(profile, "default") == 0 ? "" : "profile ", profile,
		                cfg->config.path ? cfg->config.path : "~/.aws/config");
		return NULL;
	}
	out = strdup(r);
	if (out == NULL)
		irsa_error_oom(err);
	return out;
}
