/*
 * sec.c - the OCPP 1.6 Security Whitepaper (edition 3) in the daemon (sec.h):
 * the certificate store behind InstallCertificate, GetInstalledCertificateIds
 * and DeleteCertificate; the station's certificate (ExtendedTriggerMessage
 * SignChargePointCertificate -> SignCertificate -> CertificateSigned); the
 * websocket's TLS trust and client certificate; the SecurityProfile raise
 * and its fall-back; security events.  The checks themselves are the pure
 * cert.c, csr.c and profile.c; this file does the I/O around them.
 */
#include "station/station.h"
#include "station/security/sec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "cp_log.h"
#include "station/security/cert.h"
#include "station/security/csr.h"

#define TAG "security"

/* The root certificates CertificateStoreMaxLength bounds together. */
static const char *const root_types[] = { ST_CERT_CS_ROOT, ST_CERT_MF_ROOT, NULL };

/* The longest chain CertificateSigned may carry: leaf, intermediates, root. */
#define SEC_MAX_CHAIN_CERTS 5

static cJSON *status_reply(const char *status)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "status", status);
	return r;
}

static const char *str(const cJSON *req, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(req, name));
}

static void key_path(const struct station *s, char *buf, size_t n)
{
	snprintf(buf, n, "%s/charge-point.key", s->sec.dir);
}

/* ---- security events --------------------------------------------------- */

void st_sec_event(struct station *s, const char *type, const char *tech_info)
{
	char ts[OCPP_TIME_LEN];
	char info[STORE_SECLOG_INFO_LEN];
	cJSON *p;
	int rc;

	/* techInfo is string[0..255] in SecurityEventNotification.req. */
	snprintf(info, sizeof(info), "%s", tech_info ? tech_info : "");
	CP_INFO(TAG, "security event %s%s%s", type, info[0] ? ": " : "", info);
	rc = store_seclog_add(s->db, st_utc(s), type, info);
	if (rc < 0)
		CP_ERR(TAG, "security log: %s not written (%s)", type, strerror(-rc));
	st_timestamp(s, ts);
	p = cJSON_CreateObject();
	if (!p)
		return;
	cJSON_AddStringToObject(p, "type", type);
	cJSON_AddStringToObject(p, "timestamp", ts);
	if (info[0])
		cJSON_AddStringToObject(p, "techInfo", info);
	/* The durable queue, like a transaction message: kept across restarts
	 * and sent once the station is accepted. */
	rc = st_send_tx(s, "SecurityEventNotification", p, -1);
	if (rc < 0)
		CP_ERR(TAG, "SecurityEventNotification %s not queued (%s)", type, strerror(-rc));
}

/* ---- the store ------------------------------------------------------------ */

struct pem_list {
	char **v;
	size_t n;
};

static int pem_collect(void *ctx, int64_t id, const char *type, const char *pem)
{
	struct pem_list *l = ctx;
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	(void)id;
	(void)type;
	if (!v)
		return -ENOMEM;
	l->v = v;
	if (!(v[l->n] = strdup(pem)))
		return -ENOMEM;
	l->n++;
	return 0;
}

void st_sec_pems_free(char **pems, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(pems[i]);
	free(pems);
}

int st_sec_pems(struct station *s, const char *type, char ***pems, size_t *n)
{
	struct pem_list l = { NULL, 0 };
	int rc = store_cert_foreach(s->db, type, pem_collect, &l);

	if (rc != 0) {
		st_sec_pems_free(l.v, l.n);
		*pems = NULL;
		*n = 0;
		return rc < 0 ? rc : -EIO;
	}
	*pems = l.v;
	*n = l.n;
	return 0;
}

static int count_cs_roots(struct station *s)
{
	int n = 0;

	if (store_cert_count(s->db, ST_CERT_CS_ROOT, &n) < 0)
		return 0;
	return n;
}

void st_sec_prereq_update(struct station *s)
{
	s->sec.n_cs_roots = count_cs_roots(s);
	cfg_set_security_assets(&s->cfg, s->sec.n_cs_roots > 0 || s->opt.ca_file != NULL,
	    s->sec.have_client_cert);
}

/* ---- TLS: the trust store and the client certificate ------------------------ */

static X509 *pem_cert(const char *pem, const char **next)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	if (next) {
		/* Where the next certificate starts: after this one's END line. */
		const char *end = strstr(pem, "-----END CERTIFICATE-----");
		*next = end ? end + strlen("-----END CERTIFICATE-----") : NULL;
	}
	BIO_free(b);
	return x;
}

struct trust_ctx {
	X509_STORE *store;
	int n;
};

static int trust_add(void *ctx, int64_t id, const char *type, const char *pem)
{
	struct trust_ctx *t = ctx;
	X509 *x = pem_cert(pem, NULL);

	(void)type;
	if (!x) {
		CP_WARN(TAG, "installed certificate %lld does not decode: not trusted", (long long)id);
		return 0;
	}
	if (X509_STORE_add_cert(t->store, x) == 1)
		t->n++;
	X509_free(x);
	return 0;
}

/* The server certificate must chain to --ca-file or to an installed
 * CentralSystemRootCertificate; with neither, to the system's CAs (a public
 * central system under security profile 0 or 1 over wss://). */
static void load_trust(struct station *s)
{
	SSL_CTX *ctx = s->sec.ssl_ctx;
	struct trust_ctx t = { X509_STORE_new(), 0 };

	if (!ctx || !t.store) {
		X509_STORE_free(t.store);
		return;
	}
	if (s->opt.ca_file && X509_STORE_load_file(t.store, s->opt.ca_file) != 1)
		CP_ERR(TAG, "--ca-file %s could not be loaded", s->opt.ca_file);
	store_cert_foreach(s->db, ST_CERT_CS_ROOT, trust_add, &t);
	if (!s->opt.ca_file && t.n == 0)
		X509_STORE_set_default_paths(t.store);
	SSL_CTX_set_cert_store(ctx, t.store);	/* takes it; frees the old one */
	ERR_clear_error();
	CP_INFO(TAG, "TLS trust: %s%s%d installed CentralSystemRootCertificate(s)",
	    s->opt.ca_file ? "--ca-file + " : "", !s->opt.ca_file && t.n == 0 ? "system CAs, " : "", t.n);
}

struct chain_ctx {
	char *pem;
};

static int chain_get(void *ctx, int64_t id, const char *type, const char *pem)
{
	struct chain_ctx *c = ctx;

	(void)id;
	(void)type;
	free(c->pem);
	c->pem = strdup(pem);
	return 0;
}

/* Puts leaf + intermediates of chain_pem and key on the SSL_CTX: every
 * later handshake presents them.  0 or -EINVAL. */
static int use_client_cert(struct station *s, const char *chain_pem, EVP_PKEY *key)
{
	SSL_CTX *ctx = s->sec.ssl_ctx;
	const char *next = NULL;
	X509 *leaf;
	int ok;

	if (!ctx)
		return 0;
	leaf = pem_cert(chain_pem, &next);
	if (!leaf)
		return -EINVAL;
	ok = SSL_CTX_use_certificate(ctx, leaf) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1 &&
	    SSL_CTX_check_private_key(ctx) == 1;
	X509_free(leaf);
	SSL_CTX_clear_chain_certs(ctx);
	while (ok && next && strstr(next, "-----BEGIN CERTIFICATE-----")) {
		X509 *x = pem_cert(next, &next);
		if (!x)
			break;
		ok = SSL_CTX_add0_chain_cert(ctx, x) == 1;
		if (!ok)
			X509_free(x);
	}
	ERR_clear_error();
	return ok ? 0 : -EINVAL;
}

/* At start: the stored chain and the key file, when they belong together. */
static void load_client_cert(struct station *s)
{
	struct chain_ctx c = { NULL };
	char path[CP_MAX_PATH + 32];
	EVP_PKEY *key = NULL;
	int rc;

	s->sec.have_client_cert = false;
	if (!s->sec.dir[0])
		return;
	store_cert_foreach(s->db, ST_CERT_CP, chain_get, &c);
	if (!c.pem)
		return;
	key_path(s, path, sizeof(path));
	rc = csr_key_load(path, &key);
	if (rc < 0) {
		CP_ERR(TAG, "ChargePointCertificate installed but its key %s cannot be used: %s",
		    path, rc == -EPERM ? "readable by others (mode must be 0600)" : strerror(-rc));
	} else if (csr_key_matches_cert(key, c.pem) != 1) {
		CP_ERR(TAG, "ChargePointCertificate does not belong to the key in %s: not used", path);
	} else if (use_client_cert(s, c.pem, key) < 0) {
		CP_ERR(TAG, "ChargePointCertificate could not be loaded for TLS");
	} else {
		s->sec.have_client_cert = true;
	}
	EVP_PKEY_free(key);
	free(c.pem);
}

void st_sec_tls_ready(struct station *s, void *ssl_ctx)
{
	s->sec.ssl_ctx = ssl_ctx;
	load_trust(s);
	load_client_cert(s);
	st_sec_prereq_update(s);
}

/* ---- start, stop ---------------------------------------------------------- */

void st_sec_init(struct station *s, int64_t fallback_ms)
{
	struct st_sec *sec = &s->sec;

	/* A private database (":memory:", tests) has no directory for keys:
	 * then no certificate can be stored (CertificateSigned is Rejected). */
	if (strcmp(s->opt.db, ":memory:") == 0)
		sec->dir[0] = '\0';
	else
		snprintf(sec->dir, sizeof(sec->dir), "%s.sec", s->opt.db);
	if (sec->dir[0] && mkdir(sec->dir, 0700) < 0 && errno != EEXIST)
		CP_ERR(TAG, "cannot create %s: %s", sec->dir, strerror(errno));
	sec->fallback_ms = fallback_ms > 0 ? fallback_ms : SEC_PROFILE_FALLBACK_MS;
	sec_profile_init(&sec->prof, cfg_int(&s->cfg, CFG_SECURITY_PROFILE));
	load_client_cert(s);	/* without TLS: whether one is there */
	st_sec_prereq_update(s);
}

void st_sec_free(struct station *s)
{
	lws_sul_cancel(&s->sec.fallback_sul);
	if (s->sec.csr) {
		csr_pending_free(s->sec.csr);
		free(s->sec.csr);
		s->sec.csr = NULL;
	}
}

/* ---- certificate management ------------------------------------------------- */

int st_sec_handle_install_certificate(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *type = str(req, "certificateType"), *pem = str(req, "certificate");
	enum cert_problem why = CERT_OK;
	int64_t id = 0;
	int rc;

	(void)err;
	(void)desc;
	(void)desclen;
	if (cert_parse_check(pem, st_utc(s).s, &why) < 0) {
		CP_WARN(TAG, "InstallCertificate %s refused: %s", type, cert_problem_name(why));
		*resp = status_reply("Rejected");
		return 0;
	}
	rc = store_cert_add(s->db, type, pem, root_types,
	    cfg_int(&s->cfg, CFG_CERTIFICATE_STORE_MAX_LENGTH), &id);
	if (rc == -EEXIST) {
		CP_INFO(TAG, "InstallCertificate %s: already installed (#%lld)", type, (long long)id);
	} else if (rc < 0) {
		CP_WARN(TAG, "InstallCertificate %s failed: %s", type,
		    rc == -E2BIG ? "the store is full (CertificateStoreMaxLength)" : strerror(-rc));
		*resp = status_reply("Failed");
		return 0;
	} else {
		CP_INFO(TAG, "InstallCertificate %s: installed as #%lld", type, (long long)id);
	}
	if (strcmp(type, ST_CERT_CS_ROOT) == 0) {
		load_trust(s);
		st_sec_prereq_update(s);
	}
	*resp = status_reply("Accepted");
	return 0;
}

struct ids_ctx {
	cJSON *list;
	int n;
};

static void add_hash(cJSON *obj, const struct cert_hash_data *h)
{
	cJSON_AddStringToObject(obj, "hashAlgorithm", h->hash_algorithm);
	cJSON_AddStringToObject(obj, "issuerNameHash", h->issuer_name_hash);
	cJSON_AddStringToObject(obj, "issuerKeyHash", h->issuer_key_hash);
	cJSON_AddStringToObject(obj, "serialNumber", h->serial_number);
}

static int ids_add(void *ctx, int64_t id, const char *type, const char *pem)
{
	struct ids_ctx *c = ctx;
	struct cert_hash_data h;
	cJSON *o;

	(void)type;
	if (cert_hash_data(pem, &h) < 0) {
		CP_WARN(TAG, "installed certificate #%lld has no hash data: not listed", (long long)id);
		return 0;
	}
	o = cJSON_CreateObject();
	add_hash(o, &h);
	cJSON_AddItemToArray(c->list, o);
	c->n++;
	return 0;
}

int st_sec_handle_get_installed_certificate_ids(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct ids_ctx c = { cJSON_CreateArray(), 0 };
	cJSON *r = cJSON_CreateObject();

	(void)err;
	(void)desc;
	(void)desclen;
	store_cert_foreach(s->db, str(req, "certificateType"), ids_add, &c);
	cJSON_AddStringToObject(r, "status", c.n ? "Accepted" : "NotFound");
	if (c.n)
		cJSON_AddItemToObject(r, "certificateHashData", c.list);
	else
		cJSON_Delete(c.list);
	*resp = r;
	return 0;
}

struct find_ctx {
	const struct cert_hash_data *want;
	int64_t id;
	char type[STORE_CERT_TYPE_LEN];
};

static int find_hash(void *ctx, int64_t id, const char *type, const char *pem)
{
	struct find_ctx *f = ctx;

	if (strcmp(type, ST_CERT_CP) == 0 || cert_match_hash(pem, f->want) != 1)
		return 0;
	f->id = id;
	snprintf(f->type, sizeof(f->type), "%s", type);
	return 1;
}

int st_sec_handle_delete_certificate(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const cJSON *hd = cJSON_GetObjectItem(req, "certificateHashData");
	struct cert_hash_data h;
	struct find_ctx f = { &h, 0, "" };
	int rc;

	(void)err;
	(void)desc;
	(void)desclen;
	memset(&h, 0, sizeof(h));
	snprintf(h.hash_algorithm, sizeof(h.hash_algorithm), "%s", str(hd, "hashAlgorithm"));
	snprintf(h.issuer_name_hash, sizeof(h.issuer_name_hash), "%s", str(hd, "issuerNameHash"));
	snprintf(h.issuer_key_hash, sizeof(h.issuer_key_hash), "%s", str(hd, "issuerKeyHash"));
	snprintf(h.serial_number, sizeof(h.serial_number), "%s", str(hd, "serialNumber"));
	store_cert_foreach(s->db, NULL, find_hash, &f);
	if (!f.id) {
		*resp = status_reply("NotFound");
		return 0;
	}
	/* The root the wss:// connection is verified with cannot go: the
	 * station could not reach the central system again. */
	if (strcmp(f.type, ST_CERT_CS_ROOT) == 0 && s->sec.n_cs_roots <= 1 && s->ws.url.tls) {
		CP_WARN(TAG, "DeleteCertificate: the last CentralSystemRootCertificate is in use");
		*resp = status_reply("Failed");
		return 0;
	}
	rc = store_cert_delete(s->db, f.id);
	if (rc < 0) {
		*resp = status_reply("Failed");
		return 0;
	}
	CP_INFO(TAG, "DeleteCertificate: %s #%lld deleted", f.type, (long long)f.id);
	if (strcmp(f.type, ST_CERT_CS_ROOT) == 0) {
		load_trust(s);
		st_sec_prereq_update(s);
	}
	*resp = status_reply("Accepted");
	return 0;
}

/* ---- the station's certificate ---------------------------------------------- */

static void sign_answered(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct station *s = user;
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(payload, "status"));

	if (err == OCPP_ERR_NONE && st && strcmp(st, "Accepted") == 0) {
		CP_INFO(TAG, "SignCertificate accepted: waiting for CertificateSigned");
		return;
	}
	CP_WARN(TAG, "SignCertificate %s%s%s: the request's key is dropped",
	    err == OCPP_ERR_NONE ? (st ? st : "?") : ocpp_error_name(err), desc[0] ? ": " : "", desc);
	if (s->sec.csr) {
		csr_pending_free(s->sec.csr);
		free(s->sec.csr);
		s->sec.csr = NULL;
	}
}

int st_sec_sign_certificate(struct station *s)
{
	struct csr_pending *p = calloc(1, sizeof(*p));
	const char *org = cfg_str(&s->cfg, CFG_CPO_NAME);
	cJSON *payload;
	int rc;

	if (!p)
		return -ENOMEM;
	rc = csr_make(s->opt.id, org, CSR_EC_P256, p);
	if (rc < 0) {
		CP_ERR(TAG, "no certificate signing request: %s", strerror(-rc));
		free(p);
		return rc;
	}
	payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "csr", p->csr_pem);
	rc = st_send(s, "SignCertificate", payload, sign_answered, s);
	if (rc < 0) {
		csr_pending_free(p);
		free(p);
		return rc;
	}
	/* A newer request replaces an older one: only its key is waited for. */
	if (s->sec.csr) {
		csr_pending_free(s->sec.csr);
		free(s->sec.csr);
	}
	s->sec.csr = p;
	CP_INFO(TAG, "SignCertificate: CSR for CN=%s%s%s queued", s->opt.id, org[0] ? ", O=" : "", org);
	return 0;
}

static lws_sorted_usec_list_t *reconnect_sul(struct station *s)
{
	return &s->sec.reconnect_sul;
}

static void reconnect_cb(lws_sorted_usec_list_t *sul)
{
	struct st_sec *sec = lws_container_of(sul, struct st_sec, reconnect_sul);
	struct station *s = lws_container_of(sec, struct station, sec);

	ws_client_restart(&s->ws);
}

/* After the answer to the CALL that caused it has gone out. */
static void reconnect_soon(struct station *s)
{
	lws_sul_schedule(s->lws, 0, reconnect_sul(s), reconnect_cb, 1000 * LWS_US_PER_MS);
}

/* Appends every PEM certificate of text to *pems. */
static int split_pems(const char *text, char ***pems, size_t *n)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
	const char *p = text;

	while ((p = strstr(p, begin)) != NULL) {
		const char *e = strstr(p, end);
		char **v;

		if (!e)
			break;
		e += strlen(end);
		v = realloc(*pems, (*n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		*pems = v;
		if (!(v[*n] = strndup(p, (size_t)(e - p))))
			return -ENOMEM;
		(*n)++;
		p = e;
	}
	return 0;
}

/* What the station's certificate must chain to (the CPO's hierarchy): the
 * installed CentralSystemRootCertificates and the certificates of --ca-file.
 * None (the station trusts the system's CAs): the chain is checked without
 * a root. */
static int chain_roots(struct station *s, char ***roots, size_t *n)
{
	int rc = st_sec_pems(s, ST_CERT_CS_ROOT, roots, n);
	FILE *f;
	char *text;
	long len;

	if (rc < 0 || !s->opt.ca_file)
		return rc;
	f = fopen(s->opt.ca_file, "r");
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 || len > 1024 * 1024 ||
	    fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return -EFBIG;
	}
	text = calloc(1, (size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len)
		rc = -EIO;
	fclose(f);
	if (rc == 0)
		rc = split_pems(text, roots, n);
	free(text);
	return rc;
}

int st_sec_handle_certificate_signed(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *chain = str(req, "certificateChain");
	enum cert_problem why = CERT_OK;
	char path[CP_MAX_PATH + 32], info[128];
	size_t max = (size_t)cfg_int(&s->cfg, CFG_CERTIFICATE_SIGNED_MAX_CHAIN_SIZE);
	char **roots = NULL;
	size_t n_roots = 0;
	int rc;

	(void)err;
	(void)desc;
	(void)desclen;
	if (!s->sec.csr) {
		snprintf(info, sizeof(info), "no SignCertificate request is pending");
	} else if (strlen(chain) > max) {
		snprintf(info, sizeof(info), "the chain has %zu bytes, more than CertificateSignedMaxChainSize %zu",
		    strlen(chain), max);
	} else if (chain_roots(s, &roots, &n_roots) < 0) {
		snprintf(info, sizeof(info), "the trusted roots cannot be read");
	} else if (cert_chain_check(chain, (const char *const *)roots, n_roots, s->sec.csr->key,
	    st_utc(s).s, SEC_MAX_CHAIN_CERTS, &why) < 0) {
		snprintf(info, sizeof(info), "%s", cert_problem_name(why));
	} else {
		info[0] = '\0';
	}
	st_sec_pems_free(roots, n_roots);
	if (info[0]) {
		CP_WARN(TAG, "CertificateSigned rejected: %s", info);
		*resp = status_reply("Rejected");
		st_sec_event(s, "InvalidChargePointCertificate", info);
		return 0;
	}
	key_path(s, path, sizeof(path));
	rc = s->sec.dir[0] ? csr_key_save(s->sec.csr->key, path) : -ENOENT;
	if (rc == 0)
		rc = store_cert_replace(s->db, ST_CERT_CP, chain, NULL);
	if (rc < 0) {
		CP_ERR(TAG, "CertificateSigned: cannot store the certificate and its key: %s", strerror(-rc));
		*resp = status_reply("Rejected");
		return 0;
	}
	if (use_client_cert(s, chain, s->sec.csr->key) == 0)
		s->sec.have_client_cert = true;
	csr_pending_free(s->sec.csr);
	free(s->sec.csr);
	s->sec.csr = NULL;
	st_sec_prereq_update(s);
	CP_INFO(TAG, "CertificateSigned accepted: the station's certificate is installed");
	*resp = status_reply("Accepted");
	/* Under profile 3 the connection switches to the new certificate. */
	if (cfg_int(&s->cfg, CFG_SECURITY_PROFILE) == 3 && s->ws.url.tls)
		reconnect_soon(s);
	return 0;
}

/* ---- SecurityProfile: the raise and its fall-back ----------------------------- */

static void fallback_cb(lws_sorted_usec_list_t *sul)
{
	struct st_sec *sec = lws_container_of(sul, struct st_sec, fallback_sul);
	struct station *s = lws_container_of(sec, struct station, sec);

	st_event_begin(s);
	st_sec_timer(s);
	st_event_end(s);
}

static void arm_fallback(struct station *s)
{
	cp_real_t at = sec_profile_next_deadline(&s->sec.prof);

	if (at.ms == INT64_MAX) {
		lws_sul_cancel(&s->sec.fallback_sul);
		return;
	}
	lws_sul_schedule(s->lws, 0, &s->sec.fallback_sul, fallback_cb,
	    (lws_usec_t)(at.ms > st_real(s).ms ? at.ms - st_real(s).ms : 0) * LWS_US_PER_MS);
}

void st_sec_profile_applied(struct station *s)
{
	int p = cfg_int(&s->cfg, CFG_SECURITY_PROFILE);
	int was = s->sec.prof.active;
	char info[64];

	if (sec_profile_fallback(&s->sec.prof, SEC_EV_RAISE, p, st_real(s), s->sec.fallback_ms)
	    != SEC_ACT_RECONNECT)
		return;
	snprintf(info, sizeof(info), "SecurityProfile %d -> %d", was, p);
	st_sec_event(s, "ReconfigurationOfSecurityParameters", info);
	CP_INFO(TAG, "%s: reconnecting; back to %d unless connected within %lld s", info,
	    s->sec.prof.previous, (long long)(s->sec.fallback_ms / 1000));
	st_sec_apply_credentials(s);
	reconnect_soon(s);
	arm_fallback(s);
}

void st_sec_timer(struct station *s)
{
	int from = s->sec.prof.active;
	char info[96];

	if (sec_profile_fallback(&s->sec.prof, SEC_EV_DEADLINE, 0, st_real(s), s->sec.fallback_ms)
	    != SEC_ACT_FALLBACK) {
		arm_fallback(s);
		return;
	}
	snprintf(info, sizeof(info), "no connection with SecurityProfile %d: back to %d",
	    from, s->sec.prof.active);
	CP_WARN(TAG, "%s", info);
	if (cfg_security_fallback(&s->cfg, s->sec.prof.active) < 0)
		CP_ERR(TAG, "the fall-back to SecurityProfile %d could not be stored", s->sec.prof.active);
	st_sec_event(s, "ReconfigurationOfSecurityParameters", info);
	st_sec_prereq_update(s);
	st_sec_apply_credentials(s);
	ws_client_restart(&s->ws);
}

/* ---- the connection ----------------------------------------------------------- */

/* Profile 3 authenticates with the client certificate alone; 0 to 2 send
 * Basic credentials when an AuthorizationKey is set (security whitepaper
 * §3.2: user = identity, password = the key's bytes). */
void st_sec_apply_credentials(struct station *s)
{
	const char *key = cfg_str(&s->cfg, CFG_AUTHORIZATION_KEY);
	uint8_t raw[64];
	size_t n = 0, len = key ? strlen(key) : 0;

	if (!len || s->sec.prof.active == 3) {
		ws_client_set_basic_auth(&s->ws, s->opt.id, NULL, 0);
		return;
	}
	/* A hex key is sent as its bytes (40 hex characters are 20 bytes);
	 * anything else as its characters. */
	if (len % 2 == 0 && len / 2 <= sizeof(raw) && strspn(key, "0123456789abcdefABCDEF") == len) {
		for (size_t i = 0; i < len; i += 2) {
			unsigned v;
			sscanf(key + i, "%2x", &v);
			raw[n++] = (uint8_t)v;
		}
		ws_client_set_basic_auth(&s->ws, s->opt.id, raw, n);
	} else {
		ws_client_set_basic_auth(&s->ws, s->opt.id, (const uint8_t *)key, len);
	}
}

void st_sec_on_open(struct station *s)
{
	if (sec_profile_fallback(&s->sec.prof, SEC_EV_CONNECTED, 0, st_real(s), s->sec.fallback_ms)
	    == SEC_ACT_CONFIRMED) {
		CP_INFO(TAG, "SecurityProfile %d confirmed: connected with it", s->sec.prof.active);
		arm_fallback(s);
	}
	s->sec.tls_refused = false;
	s->sec.auth_refused = false;
	s->sec.invalid_reported = false;
}

void st_sec_on_replied(struct station *s, const char *action, ocpp_error err)
{
	char info[96];

	switch (err) {
	case OCPP_ERR_PROTOCOL:
	case OCPP_ERR_FORMATION:
	case OCPP_ERR_PROPERTY_CONSTRAINT:
	case OCPP_ERR_OCCURENCE_CONSTRAINT:
	case OCPP_ERR_TYPE_CONSTRAINT:
		break;
	default:
		return;
	}
	/* Once per connection: a central system sending the same bad CALL in
	 * a loop must not fill the queue and the log. */
	if (s->sec.invalid_reported)
		return;
	s->sec.invalid_reported = true;
	snprintf(info, sizeof(info), "%s answered %s", action ? action : "a CALL", ocpp_error_name(err));
	st_sec_event(s, "InvalidMessages", info);
}

/* ws.c's words for a refused server certificate (OpenSSL's verify result,
 * hostname mismatch included), and the library's for a refused upgrade
 * (HTTP 401/403). */
static bool says_certificate(const char *r)
{
	return strncmp(r, "server certificate refused", 26) == 0;
}

static bool says_unauthorized(const char *r)
{
	return strstr(r, "unauthorized") || strstr(r, "401") || strstr(r, "403") ||
	    strstr(r, "forbidden");
}

void st_sec_on_close(struct station *s, const char *reason)
{
	char info[160];

	if (!reason)
		return;
	/* Once per outage, into the durable queue: it is reported when the
	 * station is connected again, even after a restart. */
	if (s->ws.url.tls && says_certificate(reason) && !s->sec.tls_refused) {
		s->sec.tls_refused = true;
		snprintf(info, sizeof(info), "%s", reason);
		st_sec_event(s, "InvalidCentralSystemCertificate", info);
	} else if (says_unauthorized(reason) && !s->sec.auth_refused) {
		s->sec.auth_refused = true;
		snprintf(info, sizeof(info), "%s", reason);
		st_sec_event(s, "FailedToAuthenticateAtCentralSystem", info);
	}
}
