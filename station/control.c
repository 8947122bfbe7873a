/*
 * control.c - the control socket (see control.h).  The listening socket and
 * every client are foreign descriptors adopted into the libwebsockets loop,
 * so the daemon stays one thread with one poll.
 */
#include "station/control.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cp_limits.h"
#include "cp_log.h"

/* A request line longer than this is answered with an error and dropped. */
#define CTL_LINE_MAX 8192

struct ctl_conn {
	struct st_control *owner;
	bool listener;
	bool discarding;
	size_t len;
	char buf[CTL_LINE_MAX];
};

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

static void reply_line(int fd, cJSON *reply)
{
	char *s = cJSON_PrintUnformatted(reply);

	if (s) {
		write_all(fd, s, strlen(s));
		write_all(fd, "\n", 1);
		free(s);
	}
}

cJSON *st_control_reply(st_control_fn fn, void *ctx, const char *line)
{
	cJSON *req, *reply = cJSON_CreateObject();

	if (!reply)
		return NULL;
	req = cJSON_Parse(line);
	if (!req || !cJSON_IsObject(req) || !cJSON_IsString(cJSON_GetObjectItem(req, "cmd"))) {
		cJSON_AddBoolToObject(reply, "ok", 0);
		cJSON_AddStringToObject(reply, "error",
		    req ? "request must be an object with a string \"cmd\"" : "invalid JSON");
	} else {
		cJSON_AddBoolToObject(reply, "ok", 1);
		fn(ctx, req, reply);
	}
	cJSON_Delete(req);
	return reply;
}

static void handle_line(struct ctl_conn *cc, int fd, char *line)
{
	cJSON *reply = st_control_reply(cc->owner->fn, cc->owner->ctx, line);

	if (reply)
		reply_line(fd, reply);
	cJSON_Delete(reply);
}

void st_control_fail(cJSON *reply, const char *error)
{
	cJSON_ReplaceItemInObject(reply, "ok", cJSON_CreateFalse());
	cJSON_DeleteItemFromObject(reply, "error");
	cJSON_AddStringToObject(reply, "error", error);
}

static int ctl_read(struct lws *wsi, struct ctl_conn *cc)
{
	int fd = lws_get_socket_fd(wsi);
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	for (ssize_t i = 0; i < n; i++) {
		if (tmp[i] == '\n') {
			if (cc->discarding) {
				cJSON *r = cJSON_CreateObject();
				cJSON_AddBoolToObject(r, "ok", 0);
				cJSON_AddStringToObject(r, "error", "request line too long");
				reply_line(fd, r);
				cJSON_Delete(r);
			} else if (cc->len) {
				cc->buf[cc->len] = '\0';
				handle_line(cc, fd, cc->buf);
			}
			cc->len = 0;
			cc->discarding = false;
		} else if (!cc->discarding) {
			if (cc->len + 1 >= sizeof(cc->buf))
				cc->discarding = true;
			else
				cc->buf[cc->len++] = tmp[i];
		}
	}
	return 0;
}

static int ctl_accept(struct lws *wsi, struct st_control *c)
{
	int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	lws_sock_file_fd_type u;
	struct lws *cw;
	struct ctl_conn *cc;

	if (fd < 0)
		return 0;
	if (c->clients >= CP_MAX_CONTROL_CLIENTS) {
		/* Bounded like everything else: one more local client is told so. */
		static const char busy[] = "{\"ok\":false,\"error\":\"too many control clients\"}\n";
		write_all(fd, busy, sizeof(busy) - 1);
		close(fd);
		return 0;
	}
	cc = calloc(1, sizeof(*cc));
	if (!cc) {
		close(fd);
		return 0;
	}
	cc->owner = c;
	u.filefd = fd;
	cw = lws_adopt_descriptor_vhost(lws_get_vhost(wsi), LWS_ADOPT_RAW_FILE_DESC, u,
	    st_control_protocol.name, NULL);
	if (!cw) {
		free(cc);
		close(fd);
		return 0;
	}
	lws_set_opaque_user_data(cw, cc);
	c->clients++;
	return 0;
}

static int ctl_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct ctl_conn *cc = lws_get_opaque_user_data(wsi);

	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (!cc)
			return 0;
		if (cc->listener)
			return ctl_accept(wsi, cc->owner);
		return ctl_read(wsi, cc);
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (cc && !cc->listener) {
			lws_set_opaque_user_data(wsi, NULL);
			cc->owner->clients--;
			free(cc);
		}
		break;
	default:
		break;
	}
	return 0;
}

const struct lws_protocols st_control_protocol = {
	.name = "ocpp-cp-control",
	.callback = ctl_callback,
};

/*
 * Makes room for the socket at sa's path, deleting only what is provably
 * ours to delete: a socket file nobody listens on (left by a power cut or a
 * SIGKILL).  Anything else at the path -- a regular file (--control given
 * the database's path), a directory, a socket another daemon is serving --
 * is refused and left as it is.  A connect() answers the "is anybody there"
 * question: ECONNREFUSED means no listener; success or EAGAIN (its backlog
 * is full) means a live one.
 */
static int claim_path(const struct sockaddr_un *sa)
{
	const char *path = sa->sun_path;
	struct stat sb;
	int fd, rc;

	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(sb.st_mode)) {
		CP_ERR("control", "%s exists and is not a socket: refusing to replace it (check --control)",
		    path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ? 0 : -errno;
	close(fd);
	if (rc == 0 || rc == -EAGAIN || rc == -EINPROGRESS) {
		CP_ERR("control", "another process is listening on %s: refusing to take it over "
		    "(is another ocpp-cp running?)", path);
		return -EADDRINUSE;
	}
	if (rc != -ECONNREFUSED)
		return rc;
	CP_INFO("control", "removing stale socket %s (nobody listens on it)", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int st_control_open(struct st_control *c, struct lws_vhost *vh, const char *path,
    st_control_fn fn, void *ctx)
{
	struct sockaddr_un sa;
	lws_sock_file_fd_type u;
	struct lws *lw;
	static struct ctl_conn listener;
	mode_t old_mask;
	int rc;

	memset(c, 0, sizeof(*c));
	c->fn = fn;
	c->ctx = ctx;
	c->listen_fd = -1;
	if (strlen(path) >= sizeof(sa.sun_path) || strlen(path) >= sizeof(c->path))
		return -ENAMETOOLONG;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	rc = claim_path(&sa);
	if (rc < 0)
		return rc;
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->listen_fd < 0)
		return -errno;
	/* The socket drives the station (plug, tag, faults): owner and group
	 * only, 0660 whatever umask we were started with.  bind() creates the
	 * file with 0777 & ~umask, so the umask is set for the bind alone. */
	old_mask = umask(0117);
	rc = bind(c->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old_mask);
	if (rc == 0)
		strcpy(c->path, path);	/* ours now: st_control_close removes it */
	if (rc == 0 && listen(c->listen_fd, CP_MAX_CONTROL_CLIENTS) < 0)
		rc = -errno;
	if (rc < 0) {
		close(c->listen_fd);
		c->listen_fd = -1;
		st_control_close(c);
		c->path[0] = '\0';
		return rc;
	}
	u.filefd = c->listen_fd;
	lw = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u,
	    st_control_protocol.name, NULL);
	if (!lw) {
		close(c->listen_fd);
		c->listen_fd = -1;
		st_control_close(c);
		c->path[0] = '\0';
		return -EIO;
	}
	listener.owner = c;
	listener.listener = true;
	lws_set_opaque_user_data(lw, &listener);
	CP_INFO("control", "listening on %s", path);
	return 0;
}

void st_control_close(struct st_control *c)
{
	if (c->path[0])
		unlink(c->path);
}
