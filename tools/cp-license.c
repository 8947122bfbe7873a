/*
 * cp-license - vendor side of feature licensing (format in station/config/license.h).
 *
 *   cp-license genkey
 *       prints a new key pair as two lines, LicensePublicKey=... (ready for a
 *       --config file) and LicensePrivateKey=... (keep it secret).
 *   cp-license issue --keys FILE | --private KEY  --id CHARGE_POINT_ID --features SLB,ALB,SCN
 *       prints a license key for that station, to be written to its
 *       FeatureLicenseKey.
 *   cp-license verify --public KEY --id CHARGE_POINT_ID LICENSE
 *       prints the features the license unlocks (implied ones included), or
 *       fails with exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station/config/license.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: cp-license genkey\n"
		"       cp-license issue (--keys FILE | --private KEY) --id ID --features LIST\n"
		"       cp-license verify --public KEY --id ID LICENSE\n");
	exit(2);
}

/* Reads "LicensePrivateKey=..." from a file written by genkey. */
static int read_private(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "LicensePrivateKey=", 18) == 0) {
			size_t len;

			line[strcspn(line, "\r\n")] = '\0';
			len = strlen(line + 18);
			if (len >= n) {
				rc = -EINVAL;
				break;
			}
			memcpy(out, line + 18, len + 1);
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	const char *id = NULL, *features = NULL, *pub = NULL, *license = NULL;
	char priv[LICENSE_B64KEY_MAX] = "";
	int rc;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "genkey") == 0) {
		char p[LICENSE_B64KEY_MAX], s[LICENSE_B64KEY_MAX];

		if (argc != 2)
			usage();
		rc = license_generate_keypair(p, sizeof(p), s, sizeof(s));
		if (rc < 0) {
			fprintf(stderr, "cp-license: key generation failed (%d)\n", rc);
			return 1;
		}
		printf("LicensePublicKey=%s\nLicensePrivateKey=%s\n", p, s);
		return 0;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--id") == 0 && i + 1 < argc)
			id = argv[++i];
		else if (strcmp(a, "--features") == 0 && i + 1 < argc)
			features = argv[++i];
		else if (strcmp(a, "--public") == 0 && i + 1 < argc)
			pub = argv[++i];
		else if (strcmp(a, "--private") == 0 && i + 1 < argc)
			snprintf(priv, sizeof(priv), "%s", argv[++i]);
		else if (strcmp(a, "--keys") == 0 && i + 1 < argc) {
			rc = read_private(argv[++i], priv, sizeof(priv));
			if (rc < 0) {
				fprintf(stderr, "cp-license: %s: no LicensePrivateKey= line (%s)\n",
					argv[i], strerror(-rc));
				return 2;
			}
		} else if (a[0] != '-' && !license)
			license = a;
		else
			usage();
	}
	if (!id)
		usage();
	if (strcmp(argv[1], "issue") == 0) {
		char key[LICENSE_KEY_MAX];
		unsigned mask;

		if (!priv[0] || !features || license)
			usage();
		if (license_parse_features(features, &mask) < 0 || mask == 0) {
			fprintf(stderr, "cp-license: features must be a list of SLB, ALB, SCN\n");
			return 2;
		}
		rc = license_issue(priv, id, mask, key, sizeof(key));
		if (rc < 0) {
			fprintf(stderr, "cp-license: cannot issue (%s)\n",
				rc == -EINVAL ? "bad private key" : strerror(-rc));
			return 1;
		}
		printf("%s\n", key);
		return 0;
	}
	if (strcmp(argv[1], "verify") == 0) {
		char list[16];
		unsigned mask;

		if (!pub || !license)
			usage();
		rc = license_verify(pub, id, license, &mask);
		if (rc < 0) {
			fprintf(stderr, "cp-license: %s\n", rc == -EKEYREJECTED ?
				"signature does not match this station" : "malformed key");
			return 1;
		}
		license_format_features(license_imply(mask), ',', list, sizeof(list));
		printf("%s\n", list);
		return 0;
	}
	usage();
	return 2;
}
