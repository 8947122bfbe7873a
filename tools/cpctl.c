/*
 * cpctl.c - ocpp-cpctl, the operator's command line for a running ocpp-cp.
 *
 * It speaks the daemon's control socket (newline-delimited JSON, one reply
 * line per request; the README "Control socket"): the station's status, its
 * configuration through the same registry and checks as GetConfiguration and
 * ChangeConfiguration (OCPP 1.6 §5.8, §5.3), and the simulator's plug, unplug
 * and tag.  A plain blocking client, one connection per request: it is a
 * separate process, never part of the daemon's event loop.
 *
 * Exit codes (the README "ocpp-cpctl"): 0 done, 1 the socket cannot be
 * reached (or answers nonsense), 2 bad arguments, 3 the daemon refused.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cp_json.h"
#include "cp_limits.h"

enum {
	EXIT_DONE = 0,
	EXIT_UNREACHABLE = 1,
	EXIT_USAGE = 2,
	EXIT_REFUSED = 3,
};

/* A daemon answers in microseconds; one that has not answered in this long
 * is stuck, and the operator is told so instead of waiting forever. */
#define CPCTL_REPLY_TIMEOUT_S 10
/* The longest reply line read (the status of two sockets is about 2 KiB;
 * the whole configuration about 6 KiB). */
#define CPCTL_REPLY_MAX (1024 * 1024)

struct cpctl {
	const char *sock;
	bool json;
	long count;		/* watch: refreshes before exiting; 0 = until Ctrl-C */
};

struct command {
	const char *name;
	const char *args;	/* for the usage text */
	int min_args, max_args;
	int (*fn)(struct cpctl *c, int argc, char **argv);
	const char *help;
};

static volatile sig_atomic_t interrupted;

static void usage(FILE *f);

static int bad_args(const char *why)
{
	fprintf(stderr, "ocpp-cpctl: %s\n", why);
	usage(stderr);
	return EXIT_USAGE;
}

/* ---- the control socket ---------------------------------------------------- */

static int say_unreachable(const struct cpctl *c, const char *why)
{
	fprintf(stderr, "ocpp-cpctl: cannot reach the control socket %s: %s\n", c->sock, why);
	return EXIT_UNREACHABLE;
}

static int send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR && !interrupted)
				continue;
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads up to the first newline into a malloc'd, NUL-terminated *out. */
static int read_line(int fd, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r;
		char *nl;

		if (len + 1 >= cap) {
			char *bigger;

			if (cap >= CPCTL_REPLY_MAX) {
				free(buf);
				return -EMSGSIZE;
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR && !interrupted)
			continue;
		if (r <= 0) {
			int err = r < 0 ? (errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno) : -ECONNRESET;

			free(buf);
			return err;
		}
		buf[len + (size_t)r] = '\0';
		nl = strchr(buf + len, '\n');
		len += (size_t)r;
		if (nl) {
			*nl = '\0';
			*out = buf;
			return 0;
		}
	}
}

/*
 * One request, one reply: connects, sends req as a line and parses the
 * reply line.  Returns 0 with *reply (caller deletes) and, when line is not
 * NULL, the reply's text in *line (caller frees); or -EINTR after Ctrl-C; or
 * EXIT_UNREACHABLE after saying on stderr which path failed and why.
 */
static int ctl_call(const struct cpctl *c, const cJSON *req, cJSON **reply, char **line)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CPCTL_REPLY_TIMEOUT_S };
	char *text = cJSON_PrintUnformatted(req), *in = NULL;
	int fd = -1, rc;

	if (!text)
		return say_unreachable(c, strerror(ENOMEM));
	if (strlen(c->sock) >= sizeof(sa.sun_path)) {
		free(text);
		return say_unreachable(c, "the path is too long for a Unix socket");
	}
	strcpy(sa.sun_path, c->sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	if (rc == 0)
		rc = send_all(fd, text, strlen(text));
	if (rc == 0)
		rc = send_all(fd, "\n", 1);
	if (rc == 0)
		rc = read_line(fd, &in);
out:
	if (fd >= 0)
		close(fd);
	free(text);
	if (interrupted) {
		free(in);
		return -EINTR;
	}
	if (rc == -ETIMEDOUT) {
		char why[64];

		snprintf(why, sizeof(why), "no reply within %d s", CPCTL_REPLY_TIMEOUT_S);
		return say_unreachable(c, why);
	}
	if (rc == -ECONNRESET)
		return say_unreachable(c, "the daemon closed the connection without a reply");
	if (rc < 0) {
		char why[160];

		/* What the operator can do about the usual three. */
		snprintf(why, sizeof(why), "%s%s", strerror(-rc),
		    rc == -EACCES ? " (the socket is for the daemon's user and group: "
		    "join that group)" :
		    rc == -ENOENT || rc == -ECONNREFUSED ? " (is ocpp-cp running with "
		    "--control at this path?)" : "");
		return say_unreachable(c, why);
	}
	*reply = cJSON_Parse(in);
	if (!cJSON_IsObject(*reply) || !cJSON_IsBool(cJSON_GetObjectItem(*reply, "ok"))) {
		cJSON_Delete(*reply);
		*reply = NULL;
		free(in);
		return say_unreachable(c, "the reply is not a control socket answer");
	}
	if (line)
		*line = in;
	else
		free(in);
	return 0;
}

/*
 * Runs one request to the end: with --json the reply line is printed as the
 * daemon sent it; a refusal ({"ok":false}) is said on stderr and is exit 3.
 * On success *reply holds the reply when reply is not NULL.
 */
static int ctl_run(const struct cpctl *c, cJSON *req, cJSON **reply)
{
	cJSON *r = NULL;
	char *line = NULL;
	int rc = ctl_call(c, req, &r, &line);

	cJSON_Delete(req);
	if (rc == -EINTR)
		return EXIT_DONE;
	if (rc)
		return rc;
	if (c->json)
		printf("%s\n", line);
	free(line);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"))) {
		const char *err = cJSON_GetStringValue(cJSON_GetObjectItem(r, "error"));

		fprintf(stderr, "ocpp-cpctl: the daemon refused: %s\n", err ? err : "(no reason given)");
		cJSON_Delete(r);
		return EXIT_REFUSED;
	}
	if (reply)
		*reply = r;
	else
		cJSON_Delete(r);
	return EXIT_DONE;
}

static cJSON *request(const char *cmd)
{
	cJSON *req = cJSON_CreateObject();

	if (req)
		cJSON_AddStringToObject(req, "cmd", cmd);
	return req;
}

/* ---- argument parsing ------------------------------------------------------ */

static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_amps(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0 && v <= 1000))
		return false;
	*out = v;
	return true;
}

static bool parse_connector(const char *s, long *out)
{
	return parse_long(s, 1, CP_MAX_CONNECTORS, out);
}

/* ---- status and watch ------------------------------------------------------ */

static const char *str_or(const cJSON *o, const char *name, const char *dflt)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, name));

	return s ? s : dflt;
}

static double num_or(const cJSON *o, const char *name, double dflt)
{
	const cJSON *v = cJSON_GetObjectItem(o, name);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static double item_num(const cJSON *arr, int i)
{
	const cJSON *v = cJSON_GetArrayItem(arr, i);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/*
 * Where status lines go.  On a terminal the watch view ends each line by
 * clearing the rest of the old one and cuts it to the terminal's width: a
 * line that wrapped would take two rows and the next redraw, which moves the
 * cursor back by lines, would land in the wrong place.
 */
struct view {
	int cols;		/* cut lines to this many characters; 0 = never */
	const char *eol;
	int lines;		/* lines written by the last print_status */
};

__attribute__((format(printf, 2, 3)))
static void view_line(struct view *v, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (v->cols > 0 && strlen(line) > (size_t)v->cols)
		line[v->cols] = '\0';
	fputs(line, stdout);
	fputs(v->eol, stdout);
	v->lines++;
}

/* The station's line, last in both layouts. */
static void station_line(struct view *v, const cJSON *st)
{
	const char *now = str_or(st, "now", "?"), *frac = strchr(now, '.');
	int64_t queued = 0, memory = 0;
	char extra[64] = "", when[48];

	/* Whole seconds are enough to see the view is alive. */
	if (frac)
		snprintf(when, sizeof(when), "%.*s%s", (int)(frac - now), now,
		    frac + strspn(frac + 1, "0123456789") + 1);
	else
		snprintf(when, sizeof(when), "%s", now);

	cp_json_int(st, "queued_tx_messages", 0, CP_JSON_INT_EXACT, &queued);
	cp_json_int(st, "memory_tx_messages", 0, CP_JSON_INT_EXACT, &memory);
	if (memory)
		snprintf(extra, sizeof(extra), " (%lld in memory)", (long long)memory);
	view_line(v, "station: %s, boot %s, %lld queued message%s%s%s, time %s",
	    cJSON_IsTrue(cJSON_GetObjectItem(st, "online")) ? "online" : "offline",
	    str_or(st, "boot", "?"), (long long)(queued + memory),
	    queued + memory == 1 ? "" : "s", extra,
	    cJSON_IsTrue(cJSON_GetObjectItem(st, "storage_fault")) ? ", storage fault" : "",
	    when);
}

/*
 * The status reply as text: a line per socket, then the station's line.
 * table: the terminal view's columns (fits 80 characters) instead of the
 * self-describing lines of `status` and of a piped `watch`.
 * Returns 0, or -EINVAL for a reply without its connectors.
 */
static int print_status(struct view *v, const cJSON *st, bool table)
{
	const cJSON *conns = cJSON_GetObjectItem(st, "connectors"), *o;

	if (!cJSON_IsArray(conns))
		return -EINVAL;
	v->lines = 0;
	if (table)
		view_line(v, "%-3s%-15s%-7s%-9s%-16s%-11s%-13s%s", "#", "status", "pilot",
		    "offered", "import L1/L2/L3", "binding", "balancing", "tx");
	cJSON_ArrayForEach(o, conns) {
		const cJSON *imp = cJSON_GetObjectItem(o, "import_a");
		char offered[16], import[48], tx[32] = "", fault[48] = "";
		int64_t id = 0, txid;

		if (cp_json_int(o, "id", 1, CP_MAX_CONNECTORS, &id) < 0 || !cJSON_IsArray(imp) ||
		    cJSON_GetArraySize(imp) != 3)
			return -EINVAL;
		snprintf(offered, sizeof(offered), "%.1f A", num_or(o, "offered_a", 0));
		snprintf(import, sizeof(import), "%.1f/%.1f/%.1f", item_num(imp, 0),
		    item_num(imp, 1), item_num(imp, 2));
		if (cp_json_int(o, "transaction_id", -CP_JSON_INT_EXACT, CP_JSON_INT_EXACT, &txid) == 0)
			snprintf(tx, sizeof(tx), "%lld", (long long)txid);
		if (strcmp(str_or(o, "fault", "none"), "none") != 0)
			snprintf(fault, sizeof(fault), "%sfault %s", table ? " " : ", ",
			    str_or(o, "fault", "?"));
		if (table)
			view_line(v, "%-3d%-15s%-7s%-9s%-16s%-11s%-13s%s%s", (int)id,
			    str_or(o, "ocpp_status", "?"), str_or(o, "pilot", "?"), offered,
			    import, str_or(o, "binding", "?"), str_or(o, "balancing", "?"),
			    tx[0] ? tx : "-", fault);
		else
			view_line(v, "socket %d: %s, pilot %s, offered %s, import %s A, binding %s, "
			    "balancing %s%s%s%s", (int)id, str_or(o, "ocpp_status", "?"),
			    str_or(o, "pilot", "?"), offered, import, str_or(o, "binding", "?"),
			    str_or(o, "balancing", "?"), tx[0] ? ", transaction " : "", tx, fault);
	}
	station_line(v, st);
	return 0;
}

static int cmd_status(struct cpctl *c, int argc, char **argv)
{
	struct view v = { .eol = "\n" };
	cJSON *st = NULL;
	int rc = ctl_run(c, request("status"), &st);

	if (rc || !st)
		return rc;
	if (!c->json && print_status(&v, st, false) < 0)
		rc = say_unreachable(c, "the status reply lacks its connectors");
	cJSON_Delete(st);
	return rc;
}

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int terminal_cols(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col - 1;
	return 79;
}

/*
 * The live view.  On a terminal each refresh moves the cursor back over the
 * previous one (ANSI CPL) and overwrites it in place; anything else (a pipe,
 * a file, a test) gets each refresh appended as `status` prints it, so a log
 * of them reads top to bottom.
 */
static int cmd_watch(struct cpctl *c, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	bool tty = !c->json && isatty(STDOUT_FILENO);
	struct view v = { .eol = tty ? "\033[K\n" : "\n" };
	int shown = 0;		/* lines of the refresh on screen */

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc &&
		    parse_long(argv[i + 1], 1, 1000000, &c->count))
			i++;
		else
			return bad_args("watch takes only --count N (N from 1)");
	}
	/* No SA_RESTART: Ctrl-C ends a sleep or a read at once. */
	sigaction(SIGINT, &sa, NULL);
	for (long n = 0; !c->count || n < c->count; n++) {
		struct timespec second = { .tv_sec = 1 };
		cJSON *st = NULL, *req = request("status");
		char *line = NULL;
		int rc = ctl_call(c, req, &st, &line);

		cJSON_Delete(req);
		if (rc == -EINTR)
			break;
		if (tty) {
			v.cols = terminal_cols();
			if (shown)
				printf("\033[%dF", shown);
		}
		if (rc) {
			/* Unreachable at the start: the operator mistyped
			 * the path.  Later: a restart (Reset re-execs the
			 * daemon); keep watching and say so. */
			if (n == 0)
				return rc;
			v.lines = 0;
			view_line(&v, "(no answer from %s; retrying)", c->sock);
		} else if (c->json) {
			printf("%s\n", line);
		} else if (print_status(&v, st, tty) < 0) {
			cJSON_Delete(st);
			free(line);
			return say_unreachable(c, "the status reply lacks its connectors");
		}
		if (tty)
			fputs("\033[J", stdout);	/* what the last refresh had below */
		shown = v.lines;
		cJSON_Delete(st);
		free(line);
		fflush(stdout);
		if (interrupted || (c->count && n + 1 >= c->count))
			break;
		while (nanosleep(&second, &second) < 0 && errno == EINTR && !interrupted)
			;
		if (interrupted)
			break;
	}
	return EXIT_DONE;
}

/* ---- configuration --------------------------------------------------------- */

static int cmd_get(struct cpctl *c, int argc, char **argv)
{
	cJSON *req = request("config_get"), *r = NULL, *k;
	int rc;

	if (argc == 1)
		cJSON_AddStringToObject(req, "key", argv[0]);
	rc = ctl_run(c, req, &r);
	if (rc || !r || c->json) {
		cJSON_Delete(r);
		return rc;
	}
	if (argc == 1) {
		printf("%s\n", str_or(r, "value", ""));
	} else {
		cJSON_ArrayForEach(k, cJSON_GetObjectItem(r, "configurationKey")) {
			const char *name = str_or(k, "key", "?");
			const char *value = cJSON_GetStringValue(cJSON_GetObjectItem(k, "value"));
			bool ro = cJSON_IsTrue(cJSON_GetObjectItem(k, "readonly"));

			/* The daemon lists a write-only key without a value. */
			if (!value)
				printf("%s (write-only)\n", name);
			else
				printf("%s=%s%s\n", name, value, ro ? " (readonly)" : "");
		}
	}
	cJSON_Delete(r);
	return EXIT_DONE;
}

/*
 * set KEY without VALUE: the value is the first line of standard input, so
 * a password (AuthorizationKey, Installer-Password) stays out of the shell's
 * history and the process list; at a terminal it is asked for, not echoed.
 * Returns 0 or EXIT_USAGE after saying why.
 */
static int read_value(const char *key, char *buf, size_t n)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	bool got;
	size_t len;

	if (tty) {
		fprintf(stderr, "%s (not echoed): ", key);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	got = fgets(buf, (int)n, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got) {
		fprintf(stderr, "ocpp-cpctl: set %s: no value given and none on standard input\n", key);
		return EXIT_USAGE;
	}
	len = strcspn(buf, "\n");
	if (!buf[len] && !feof(stdin)) {
		fprintf(stderr, "ocpp-cpctl: set %s: the value is longer than %d characters\n",
		    key, CP_MAX_CONFIG_VALUE);
		return EXIT_USAGE;
	}
	buf[len] = '\0';
	if (len && buf[len - 1] == '\r')
		buf[len - 1] = '\0';
	return 0;
}

static int cmd_set(struct cpctl *c, int argc, char **argv)
{
	char stdin_value[CP_MAX_CONFIG_VALUE + 3];	/* value, "\r\n", NUL */
	cJSON *req, *r = NULL;
	const char *status, *reason;
	int rc;

	if (argc == 1 && (rc = read_value(argv[0], stdin_value, sizeof(stdin_value))) != 0)
		return rc;
	req = request("config_set");
	cJSON_AddStringToObject(req, "key", argv[0]);
	cJSON_AddStringToObject(req, "value", argc == 2 ? argv[1] : stdin_value);
	rc = ctl_run(c, req, &r);
	if (rc || !r) {
		cJSON_Delete(r);
		return rc;
	}
	status = str_or(r, "status", "?");
	reason = cJSON_GetStringValue(cJSON_GetObjectItem(r, "reason"));
	/* ChangeConfiguration's answers (OCPP 1.6 §5.3): the value is taken
	 * by Accepted and RebootRequired only. */
	if (strcmp(status, "Accepted") == 0 || strcmp(status, "RebootRequired") == 0) {
		if (!c->json)
			printf("%s\n", status);
	} else {
		fprintf(stderr, "%s%s%s\n", status, reason ? ": " : "", reason ? reason : "");
		rc = EXIT_REFUSED;
	}
	cJSON_Delete(r);
	return rc;
}

/* ---- the simulator --------------------------------------------------------- */

static int cmd_plug(struct cpctl *c, int argc, char **argv)
{
	cJSON *req = request("plug");
	long conn, phases;
	double minc, maxc;

	if (!parse_connector(argv[0], &conn)) {
		cJSON_Delete(req);
		return bad_args("plug: N must be a connector number");
	}
	cJSON_AddNumberToObject(req, "connector", conn);
	if (argc > 1) {
		if (argc != 4 || !parse_long(argv[1], 1, 3, &phases) ||
		    !parse_amps(argv[2], &minc) || !parse_amps(argv[3], &maxc)) {
			cJSON_Delete(req);
			return bad_args("plug: PHASES (1..3), MIN and MAX (amperes) go together");
		}
		cJSON_AddNumberToObject(req, "phases", phases);
		cJSON_AddNumberToObject(req, "min_current", minc);
		cJSON_AddNumberToObject(req, "max_current", maxc);
	}
	return ctl_run(c, req, NULL);
}

static int cmd_unplug(struct cpctl *c, int argc, char **argv)
{
	cJSON *req;
	long conn;

	if (!parse_connector(argv[0], &conn))
		return bad_args("unplug: N must be a connector number");
	req = request("unplug");
	cJSON_AddNumberToObject(req, "connector", conn);
	return ctl_run(c, req, NULL);
}

static int cmd_tag(struct cpctl *c, int argc, char **argv)
{
	cJSON *req;
	long conn;

	if (!parse_connector(argv[0], &conn))
		return bad_args("tag: N must be a connector number");
	req = request("tag");
	cJSON_AddNumberToObject(req, "connector", conn);
	cJSON_AddStringToObject(req, "id_tag", argv[1]);
	return ctl_run(c, req, NULL);
}

/* ---- the command table ----------------------------------------------------- */

static const struct command commands[] = {
	{ "status", "", 0, 0, cmd_status,
	  "each socket (OCPP status, pilot, offered and imported current, binding\n"
	  "limit, balancing) and the station (online, boot, queued messages)" },
	{ "watch", "[--count N]", 0, 2, cmd_watch,
	  "the status, refreshed every second (Ctrl-C ends it)" },
	{ "get", "[KEY]", 0, 1, cmd_get,
	  "a configuration key's value; without KEY every key as KEY=VALUE" },
	{ "set", "KEY [VALUE]", 1, 2, cmd_set,
	  "change a key as ChangeConfiguration does; prints Accepted or\n"
	  "RebootRequired, or says Rejected / NotSupported and why (exit 3);\n"
	  "without VALUE it is read from standard input (asked for, not\n"
	  "echoed, at a terminal): for passwords" },
	{ "plug", "N [PHASES MIN MAX]", 1, 4, cmd_plug,
	  "a simulated EV connects to socket N (--hw sim)" },
	{ "unplug", "N", 1, 1, cmd_unplug, "the simulated EV leaves socket N" },
	{ "tag", "N ID", 2, 2, cmd_tag, "an RFID card ID is presented at socket N" },
};

static void usage(FILE *f)
{
	fputs("usage: ocpp-cpctl --control SOCKET [--json] COMMAND [ARG...]\n"
	    "\n"
	    "Talks to a running ocpp-cp through its control socket (--control).\n"
	    "Options come before the command:\n"
	    "  --control SOCKET  the daemon's control socket\n"
	    "  --json            print the daemon's JSON reply instead of text\n"
	    "  --help            this text\n"
	    "\n"
	    "Commands:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *h = commands[i].help;

		fprintf(f, "  %s%s%s\n", commands[i].name, commands[i].args[0] ? " " : "",
		    commands[i].args);
		while (*h) {
			size_t n = strcspn(h, "\n");

			fprintf(f, "      %.*s\n", (int)n, h);
			h += n + (h[n] == '\n');
		}
	}
	fputs("\n"
	    "Exit codes: 0 done, 1 the control socket cannot be reached, 2 bad\n"
	    "arguments, 3 the daemon refused (or a set was Rejected/NotSupported).\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "control", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cpctl c = { 0 };
	int o;

	opterr = 0;
	/* "+": options stop at the command, so a VALUE may begin with '-'. */
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			c.sock = optarg;
			break;
		case 'j':
			c.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_DONE;
		default:
			return bad_args(optopt ? "an option lacks its value" : "unknown option");
		}
	}
	if (optind >= argc)
		return bad_args("no command given");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *cmd = &commands[i];
		int n = argc - optind - 1;
		char msg[96];

		if (strcmp(argv[optind], cmd->name) != 0)
			continue;
		if (n < cmd->min_args || n > cmd->max_args) {
			snprintf(msg, sizeof(msg), "%s takes %s%s", cmd->name,
			    cmd->args[0] ? "the arguments " : "no arguments", cmd->args);
			return bad_args(msg);
		}
		if (!c.sock || !c.sock[0])
			return bad_args("--control SOCKET is required");
		return cmd->fn(&c, n, argv + optind + 1);
	}
	fprintf(stderr, "ocpp-cpctl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}
