/* SPDX-License-Identifier: MIT */
#include "regtree.h"

#include <stdlib.h>
#include <string.h>

#include "../probe/utf16.h"

bool regtree_broken(struct regtree *t, const char *what)
{
	return hv_fail(t->err, HV_EDATA, "%s: %s", t->name, what);
}

bool regtree_path(struct regtree *t, regnode from, const char *path, regnode *out)
{
	char part[256];
	regnode at = from;
	bool own = false; /* release the intermediate keys we opened */
	*out = 0;
	while (*path) {
		size_t n = strcspn(path, "\\");
		if (n >= sizeof(part))
			return regtree_broken(t, "key name too long");
		memcpy(part, path, n);
		part[n] = '\0';
		regnode next;
		bool ok = t->ops->child(t, at, part, &next);
		if (own)
			t->ops->release(t, at);
		if (!ok)
			return false;
		if (!next)
			return true;
		at = next;
		own = true;
		path += n + (path[n] == '\\');
	}
	*out = at;
	return true;
}

bool regtree_dword(struct regtree *t, regnode n, const char *name, uint32_t *v, bool *have)
{
	uint32_t type;
	char *data;
	size_t len;
	*have = false;
	if (!t->ops->value(t, n, name, &type, &data, &len))
		return false;
	if (data && type == REGTREE_DWORD && len == 4) {
		const unsigned char *b = (const unsigned char *)data;
		*v = b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
		*have = true;
	}
	free(data);
	return true;
}

bool regtree_string(struct regtree *t, regnode n, const char *name, char *out, size_t size)
{
	uint32_t type;
	char *data;
	size_t len;
	out[0] = '\0';
	if (!t->ops->value(t, n, name, &type, &data, &len))
		return false;
	if (data && (type == REGTREE_SZ || type == REGTREE_EXPAND_SZ))
		utf16le_to_utf8((const unsigned char *)data, len, out, size);
	free(data);
	return true;
}

void regtree_release_all(struct regtree *t, regnode *nodes)
{
	for (size_t i = 0; nodes && nodes[i]; i++)
		t->ops->release(t, nodes[i]);
	free(nodes);
}
