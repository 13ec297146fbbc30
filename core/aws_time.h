/* core/aws_time.h - reading the timestamps AWS writes (STS and
 * credential_process Expiration, IAM and EKS dates, the SSO cache's
 * expiresAt, AWS_CREDENTIAL_EXPIRATION, ExecCredential expiry): ISO 8601
 * date-times, and the "UTC" suffix the SSO cache uses. Pure. */
#ifndef IRSA_AWS_TIME_H
#define IRSA_AWS_TIME_H

#include <time.h>

/* Parses "2024-01-02T03:04:05Z" ('T', 't' or ' ' between date and time),
 * with an optional fraction (dropped) and "Z", "UTC", a +hh:mm, +hhmm or +hh
 * offset, or none (UTC). Returns 0 and sets *out (seconds since the epoch),
 * or -1. */
int aws_parse_time(const char *s, time_t *out);

#endif
