/*
 * bench_config.c - what the configuration registry costs per call: the
 * GetConfiguration lookups (first key, last key, an alias), a whole-table
 * walk, a ChangeConfiguration, the typed getters the control cycle uses, and
 * a license check (done once per start).  Prints ns per call.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cp_log.h"
#include "station/config/config.h"
#include "station/config/license.h"

static struct cfg cfg;
static volatile int64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int count(void *ctx, const char *name, const char *value, bool ro)
{
	(void)name;
	(void)ro;
	*(int *)ctx += (int)strlen(value);
	return 0;
}

#define BENCH(label, iters, body)                                             \
	do {                                                                  \
		double t0 = now_ns();                                         \
		for (int i_ = 0; i_ < (iters); i_++) {                        \
			body;                                                 \
		}                                                             \
		printf("%-44s %10.1f ns/call\n", label,                       \
		       (now_ns() - t0) / (iters));                            \
	} while (0)

int main(void)
{
	char buf[CFG_VALUE_MAX], pub[LICENSE_B64KEY_MAX], priv[LICENSE_B64KEY_MAX];
	char key[LICENSE_KEY_MAX];
	bool ro;
	unsigned mask;
	int total = 0;

	cp_log_set_level(CP_LOG_ERROR);
	if (cfg_init(&cfg, NULL, NULL, 2, "CP-BENCH") < 0)
		return 1;
	printf("%d keys, struct cfg %zu bytes\n", CFG__COUNT, sizeof(cfg));
	BENCH("cfg_get_by_name(first key)", 200000,
	      sink += cfg_get_by_name(&cfg, "AllowOfflineTxForUnknownId", buf, sizeof(buf), &ro));
	BENCH("cfg_get_by_name(last key)", 200000,
	      sink += cfg_get_by_name(&cfg, "LicensePublicKey", buf, sizeof(buf), &ro));
	BENCH("cfg_get_by_name(alias)", 200000,
	      sink += cfg_get_by_name(&cfg, "MBTCPSSmart-IPAddress", buf, sizeof(buf), &ro));
	BENCH("cfg_get_by_name(unknown)", 200000,
	      sink += cfg_get_by_name(&cfg, "NoSuchKey", buf, sizeof(buf), &ro));
	BENCH("cfg_foreach_readable(all keys)", 20000,
	      cfg_foreach_readable(&cfg, count, &total));
	BENCH("cfg_change(HeartbeatInterval, no store)", 200000,
	      sink += cfg_change(&cfg, "HeartbeatInterval", (i_ & 1) ? "60" : "300"));
	BENCH("cfg_change(MeterValuesSampledData)", 100000,
	      sink += cfg_change(&cfg, "MeterValuesSampledData",
				 "Energy.Active.Import.Register,Current.Import,Voltage"));
	BENCH("cfg_ma(Station-MaxCurrent)", 1000000,
	      sink += cfg_ma(&cfg, CFG_STATION_MAX_CURRENT));
	BENCH("cfg_int(HeartbeatInterval)", 1000000,
	      sink += cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL));
	if (license_generate_keypair(pub, sizeof(pub), priv, sizeof(priv)) < 0 ||
	    license_issue(priv, "CP-BENCH", LICENSE_SCN, key, sizeof(key)) < 0)
		return 1;
	BENCH("license_verify (once per start)", 2000,
	      sink += license_verify(pub, "CP-BENCH", key, &mask));
	return total < 0;
}
