/* SPDX-License-Identifier: MIT */
/*
 * host.txt of a bundle: the host's identity and the kernel, KVM and boot
 * facts that are not plain copies of a file, as key=value lines
 * (docs/bundle.md). Unknown keys are ignored so newer bundles still load.
 */
#ifndef HVPROBE_BUNDLE_TEXT_H
#define HVPROBE_BUNDLE_TEXT_H

#include "../probe/evidence.h"
#include "../probe/strbuf.h"

#define BUNDLE_FORMAT "hvprobe-bundle/1"

void bundle_host_write(const struct evidence *ev, struct strbuf *out);
bool bundle_host_parse(const char *text, size_t len, struct evidence *ev, char *err,
		       size_t errsize);

#endif
