/* core/audit_catalog.h - the audit's catalog of checks, IRSA001-IRSA040, as
 * a table (../shared/design/audit-checks.md, section 3): for each check its
 * id, group, severity, title, what it reads, why it matters, its fix and
 * how irsa applies it, and whether irsa runs it yet.
 *
 * Data, not code: `irsa audit --list-checks`, docs/audit.md (generated from
 * it), and later the findings, SARIF rules and the audit screen all read
 * this one table. An id is never reused; a new check takes the next one.
 * Pure: no I/O. */
#ifndef IRSA_AUDIT_CATALOG_H
#define IRSA_AUDIT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

enum audit_severity {
	AUDIT_SEV_CRITICAL, /* unintended principals gain broad AWS access now */
	AUDIT_SEV_HIGH,     /* exposure, or a broken binding that silently falls back */
	AUDIT_SEV_MEDIUM,   /* hardening gap with a real attack or outage path */
	AUDIT_SEV_LOW,      /* hygiene */
	AUDIT_SEV_INFO,     /* context */
	AUDIT_N_SEVERITIES,
};

enum audit_fix_kind {
	AUDIT_FIX_PLAN,   /* irsa can apply it as a plan, after showing it */
	AUDIT_FIX_MANUAL, /* irsa reports it; a person fixes it */
};

/* Where a check stands in irsa: built (audit_run() runs it), or planned
 * (in the catalog, not run yet; reason says why when it is known). */
enum audit_check_status {
	AUDIT_CHECK_PLANNED,
	AUDIT_CHECK_BUILT,
};

/* One check. Every string static and non-empty, except severity_note and
 * reason, which are NULL when they say nothing. */
struct audit_check {
	const char *id;               /* "IRSA001" */
	char group;                   /* 'A'..'G' */
	const char *group_title;      /* "IAM OIDC provider" */
	enum audit_severity severity; /* the highest it reports */
	const char *severity_note;    /* when some findings are lower: "medium for NS:*" */
	const char *title;            /* one line */
	const char *reads;            /* the API calls and objects it reads, one line */
	const char *why;              /* why it matters: one or two sentences */
	const char *fix;              /* one sentence */
	enum audit_fix_kind fix_kind;
	bool confirm; /* the catalog marks the fix "(confirm)": it asks even with --yes */
	enum audit_check_status status;
	const char *reason; /* why irsa cannot run it here (the data it lacks), or NULL */
};

/* The table, in id order; *n gets its length. */
const struct audit_check *audit_catalog(size_t *n);

/* The check with this id ("IRSA005", "irsa005"), or NULL. */
const struct audit_check *audit_check_find(const char *id);

/* "critical", "high", "medium", "low", "info". Static. */
const char *audit_severity_name(enum audit_severity s);

/* The severity a name (any case) stands for. Returns 0, or -1 when the
 * name is none of them. */
int audit_severity_parse(const char *name, enum audit_severity *out);

/* "plan" or "manual". Static. */
const char *audit_fix_kind_name(enum audit_fix_kind k);

/* "planned", "built". Static. */
const char *audit_check_status_name(enum audit_check_status s);

#endif
