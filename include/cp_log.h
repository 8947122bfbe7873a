/*
 * cp_log.h - one logger for every module: stderr, UTC timestamp, level and a
 * subsystem tag ("ocpp", "store", "hw", "sc", "station", ...).
 */
#ifndef CP_LOG_H
#define CP_LOG_H

enum cp_log_level { CP_LOG_ERROR = 0, CP_LOG_WARN, CP_LOG_INFO, CP_LOG_DEBUG };

void cp_log_set_level(enum cp_log_level level);
enum cp_log_level cp_log_get_level(void);
/* Parses "error|warn|info|debug"; returns 0 or -1. */
int cp_log_parse_level(const char *s, enum cp_log_level *out);
void cp_log(enum cp_log_level level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CP_ERR(tag, ...)   cp_log(CP_LOG_ERROR, tag, __VA_ARGS__)
#define CP_WARN(tag, ...)  cp_log(CP_LOG_WARN, tag, __VA_ARGS__)
#define CP_INFO(tag, ...)  cp_log(CP_LOG_INFO, tag, __VA_ARGS__)
#define CP_DEBUG(tag, ...) do { if (cp_log_get_level() >= CP_LOG_DEBUG) cp_log(CP_LOG_DEBUG, tag, __VA_ARGS__); } while (0)

#endif
