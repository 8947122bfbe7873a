/*
 * sec.h - the OCPP 1.6 Security Whitepaper (edition 3) in the daemon:
 * the certificate store, the station's own certificate and its signing
 * request, the TLS trust and client certificate of the websocket, the
 * SecurityProfile raise with its fall-back, and security events.
 * docs/security.md tells the operator's side.
 *
 * The pure parts live next to it: cert.c (X.509 checks), csr.c (key pairs,
 * CSRs, the key file), profile.c (the SecurityProfile rules and fall-back).
 */
#ifndef STATION_SECURITY_SEC_H
#define STATION_SECURITY_SEC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "ocpp/ocpp.h"
#include "station/security/profile.h"

/* CertificateUseEnumType of InstallCertificate / GetInstalledCertificateIds,
 * and our own type for the station's certificate chain. */
#define ST_CERT_CS_ROOT "CentralSystemRootCertificate"
#define ST_CERT_MF_ROOT "ManufacturerRootCertificate"
#define ST_CERT_CP "ChargePointCertificate"

struct csr_pending;
struct station;

struct st_sec {
	struct sec_profile_state prof;	/* the profile in use, a trial after a raise */
	struct csr_pending *csr;	/* SignCertificate sent, CertificateSigned awaited */
	char dir[CP_MAX_PATH + 1];	/* <db>.sec/: the station's private key (0700 / 0600) */
	void *ssl_ctx;			/* the websocket client's SSL_CTX (NULL for ws://) */
	bool have_client_cert;		/* a ChargePointCertificate with its key is in use */
	int n_cs_roots;			/* installed CentralSystemRootCertificates */
	/* Events noticed while offline, reported once connected. */
	bool tls_refused;		/* the server certificate did not verify */
	bool auth_refused;		/* the central system refused our credentials */
	bool invalid_reported;		/* InvalidMessages sent on this connection */
	char refused_info[128];
	int64_t fallback_ms;		/* the raise's trial length (--security-fallback) */
	lws_sorted_usec_list_t fallback_sul;	/* the trial's deadline (real time) */
	lws_sorted_usec_list_t reconnect_sul;	/* reconnect after the answer went out */
};

/* After the store is open and the configuration loaded, before connecting. */
void st_sec_init(struct station *s, int64_t fallback_ms);
void st_sec_free(struct station *s);
/* The websocket's SSL_CTX exists (wss://): load the trust and client cert. */
void st_sec_tls_ready(struct station *s, void *ssl_ctx);

/*
 * A security event (SecurityEventNotification, whitepaper "Security events"):
 * written to the security log (GetLog SecurityLog, bounded by CP_MAX_SECLOG)
 * and queued for the central system durably, like a transaction message: it
 * survives a restart and is sent once the station is accepted.  type is a
 * whitepaper event name ("FirmwareUpdated", ...); tech_info may be NULL.
 */
void st_sec_event(struct station *s, const char *type, const char *tech_info);

/* Every installed certificate of `type` as PEM text: *pems is an array of
 * *n strings, both freed by st_sec_pems_free.  0, or a negative errno. */
int st_sec_pems(struct station *s, const char *type, char ***pems, size_t *n);
void st_sec_pems_free(char **pems, size_t n);

/* The websocket: it opened / it closed (reason: the library's words). */
void st_sec_on_open(struct station *s);
void st_sec_on_close(struct station *s, const char *reason);
/* An inbound CALL was answered with err (InvalidMessages for a CALL that
 * was not valid OCPP, once per connection). */
void st_sec_on_replied(struct station *s, const char *action, ocpp_error err);
/* The profile's fall-back deadline (real time). */
void st_sec_timer(struct station *s);
/* Basic credentials for the profile in use (none under profile 3). */
void st_sec_apply_credentials(struct station *s);
/* SecurityProfile was changed (Accepted): try it, fall back if it fails. */
void st_sec_profile_applied(struct station *s);
/* The station's inputs to the SecurityProfile rule (config_check.c). */
void st_sec_prereq_update(struct station *s);

/* Inbound CALLs (handlers.c rows). */
int st_sec_handle_install_certificate(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_sec_handle_get_installed_certificate_ids(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_sec_handle_delete_certificate(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_sec_handle_certificate_signed(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
/* ExtendedTriggerMessage(SignChargePointCertificate): a new key pair and a
 * SignCertificate.req.  0, or a negative errno (nothing sent). */
int st_sec_sign_certificate(struct station *s);

#endif
