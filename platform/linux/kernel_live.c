/* SPDX-License-Identifier: MIT */
/* What the running Linux kernel tells: release, cpuinfo flags, the kernel
 * log's firmware lines, and the boot mode. */
#include "linux_live.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../fileio.h"
#include "../../formats/cpuinfo.h"
#include "../../formats/kmsg.h"
#include "root_path.h"

#define EFI_DIR "/sys/firmware/efi"
#define SECUREBOOT_VAR EFI_DIR "/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
/* The kernel log can be large; stop after this many records. */
#define KMSG_MAX_RECORDS 200000

/* /dev/kmsg returns one record per read and EAGAIN at the end when opened
 * non-blocking; reading it needs CAP_SYSLOG or dmesg_restrict=0. */
static void read_kmsg(struct linux_view *lx)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		lx->kmsg_read = TRI_NO;
		return;
	}
	char rec[8192];
	for (int i = 0; i < KMSG_MAX_RECORDS; i++) {
		ssize_t n = read(fd, rec, sizeof(rec));
		if (n < 0 && errno == EPIPE)
			continue; /* a record was overwritten while we read */
		if (n <= 0)
			break;
		/* The message ends at the first newline; continuation lines follow. */
		const char *nl = memchr(rec, '\n', (size_t)n);
		kmsg_scan_line(rec, nl ? (size_t)(nl - rec) : (size_t)n, lx);
	}
	close(fd);
	lx->kmsg_read = TRI_YES;
}

static void read_boot(struct boot_view *b)
{
	struct stat st;
	b->probed = true;
	b->uefi = stat(EFI_DIR, &st) == 0 && S_ISDIR(st.st_mode) ? TRI_YES : TRI_NO;
	if (b->uefi != TRI_YES) {
		b->secure_boot = TRI_NO; /* no Secure Boot without UEFI */
		return;
	}
	int fd = open(SECUREBOOT_VAR, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* No variable: firmware without Secure Boot support. Not readable
		 * (efivarfs not mounted): unknown. */
		b->secure_boot = errno == ENOENT && stat(EFI_DIR "/efivars", &st) == 0 ? TRI_NO : TRI_UNKNOWN;
		return;
	}
	unsigned char buf[8];
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	/* 4 bytes of attributes, then the one-byte value. */
	b->secure_boot = n == 5 ? (buf[4] == 1 ? TRI_YES : TRI_NO) : TRI_UNKNOWN;
}

void machine_id_collect(struct evidence *ev, const char *root)
{
	static const char *const files[] = { "/etc/machine-id", "/var/lib/dbus/machine-id" };
	bool live = !root || !root[0];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[PATH_MAX], *text;
		size_t len;
		struct hv_error err;
		if (!root_path(root, files[i], true, path, sizeof(path)) ||
		    !file_read_all(path, live ? FILE_NAMED : FILE_FOUND, 4096, &text, &len, &err))
			continue;
		size_t n = strspn(text, "0123456789abcdef");
		if (n == 32)
			snprintf(ev->machine_id, sizeof(ev->machine_id), "%.32s", text);
		free(text);
		if (n == 32)
			return;
	}
}

void kernel_collect_live(struct evidence *ev)
{
	struct utsname u;
	struct linux_view *lx = &ev->linux_;
	if (uname(&u) == 0) {
		snprintf(ev->os, sizeof(ev->os), "%s %s", u.sysname, u.release);
		snprintf(lx->kernel_release, sizeof(lx->kernel_release), "%s", u.release);
		snprintf(ev->hostname, sizeof(ev->hostname), "%s", u.nodename);
		lx->present = true;
	}
	char *text;
	size_t len;
	struct hv_error err;
	if (file_read_all("/proc/cpuinfo", FILE_NAMED, FILEIO_MAX_INPUT, &text, &len, &err)) {
		cpuinfo_parse(text, len, lx);
		ev->cpuinfo_text = text;
		ev->cpuinfo_len = len;
	}
	read_kmsg(lx);
	read_boot(&ev->boot);
	machine_id_collect(ev, NULL);
}
