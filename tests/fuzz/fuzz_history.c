/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the package log, GRUB and modprobe.d parsers. The
 * input splits at its first NUL: grub.cfg before, grubenv after. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/bootloader.h"
#include "formats/pkglog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t cfg_len = nul ? (size_t)(nul - text) : size;
	struct package_log_view v = { 0 };
	struct next_boot_view nb = { 0 };
	struct kernel_modules m = { 0 };
	dpkg_log_parse(text, size, NULL, NULL, &v);
	apt_history_parse(text, size, NULL, NULL, &v);
	package_log_settle(&v);
	package_log_clear(&v);
	grub_next_entry(text, cfg_len, nul ? nul + 1 : NULL, nul ? size - cfg_len - 1 : 0, &nb);
	modules_builtin_scan(text, size, &m);
	modprobe_kvm_lines("fuzz.conf", text, size, nb.modprobe, sizeof(nb.modprobe));
	return 0;
}
