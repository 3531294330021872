/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the package log, GRUB, systemd-boot and modprobe.d
 * parsers, and each line as a journal's kernel message. The input splits at its first NUL: grub.cfg, loader.conf and
 * an EFI variable before; grubenv and two loader entries (split again at
 * the next NUL) after. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/bootloader.h"
#include "formats/kmsg.h"
#include "formats/pkglog.h"
#include "formats/textscan.h"

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
	const char *rest = nul ? nul + 1 : "";
	size_t rest_len = nul ? size - cfg_len - 1 : 0;
	const char *nul2 = memchr(rest, '\0', rest_len);
	size_t first = nul2 ? (size_t)(nul2 - rest) : rest_len;
	struct sdboot_file files[] = {
		{ "a-1.conf", rest, first, NULL },
		{ "b+0-1.conf", nul2 ? nul2 + 1 : "", nul2 ? rest_len - first - 1 : 0, NULL },
		{ "c.efi", NULL, 0, NULL },
	};
	char var[256];
	efivar_string(data, size, var, sizeof(var));
	struct sdboot_vars vars = { var, var, var };
	sdboot_next_entry(text, cfg_len, files, 2, &vars, NULL, NULL, &nb);
	sdboot_next_entry(text, cfg_len, files, 3, NULL, NULL, NULL, &nb);
	modules_builtin_scan(text, size, &m);
	modprobe_kvm_lines("fuzz.conf", text, size, nb.modprobe, sizeof(nb.modprobe));
	struct journal_boot b = { 0 };
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, size);
	while (line_next(&lr, &l))
		kmsg_boot_line(l.s, l.n, &b);
	return 0;
}
