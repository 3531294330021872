/* SPDX-License-Identifier: MIT */
/* The Windows registry as a regtree (formats/regtree.h): nodes are open
 * keys with their names, released (RegCloseKey) as the walks go. */
#include <stdlib.h>
#include <string.h>

#include "../../probe/utf16.h"
#include "windows_live.h"

struct win_node {
	HKEY key;
	bool own;        /* close the key on release */
	char name[256];  /* UTF-8 */
};

struct win_tree {
	struct win_node root;
};

wchar_t *utf8_to_wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(*w)) : NULL;
	if (w && MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) != n) {
		free(w);
		w = NULL;
	}
	return w;
}

static bool failed(struct regtree *t, const char *what, LONG rc)
{
	if (rc == ERROR_ACCESS_DENIED)
		return hv_fail(t->err, HV_EOS, "%s: access denied (run as administrator)", t->name);
	return hv_fail(t->err, HV_EIO, "%s: %s failed (Windows error %ld)", t->name, what, (long)rc);
}

static struct win_node *node_of(regnode n)
{
	return (struct win_node *)(uintptr_t)n;
}

static regnode root(struct regtree *t)
{
	return (regnode)(uintptr_t)&((struct win_tree *)t->impl)->root;
}

static struct win_node *open_child(struct regtree *t, HKEY parent, const wchar_t *wname, bool *ok)
{
	HKEY key;
	LONG rc = RegOpenKeyExW(parent, wname, 0, KEY_READ, &key);
	*ok = true;
	if (rc == ERROR_FILE_NOT_FOUND)
		return NULL;
	if (rc != ERROR_SUCCESS) {
		*ok = failed(t, "opening a key", rc);
		return NULL;
	}
	struct win_node *n = calloc(1, sizeof(*n));
	if (!n) {
		RegCloseKey(key);
		*ok = hv_fail(t->err, HV_ENOMEM, "out of memory");
		return NULL;
	}
	n->key = key;
	n->own = true;
	utf16le_to_utf8((const unsigned char *)wname, wcslen(wname) * 2, n->name, sizeof(n->name));
	return n;
}

static bool child(struct regtree *t, regnode parent, const char *name, regnode *out)
{
	wchar_t *w = utf8_to_wide(name);
	bool ok = w != NULL;
	*out = 0;
	if (w)
		*out = (regnode)(uintptr_t)open_child(t, node_of(parent)->key, w, &ok);
	free(w);
	return ok;
}

static regnode *children(struct regtree *t, regnode n)
{
	DWORD count = 0;
	LONG rc = RegQueryInfoKeyW(node_of(n)->key, NULL, NULL, NULL, &count, NULL, NULL, NULL,
				   NULL, NULL, NULL, NULL);
	if (rc != ERROR_SUCCESS) {
		failed(t, "listing subkeys", rc);
		return NULL;
	}
	regnode *out = calloc((size_t)count + 1, sizeof(*out));
	if (!out) {
		(void)hv_fail(t->err, HV_ENOMEM, "out of memory");
		return NULL;
	}
	size_t k = 0;
	for (DWORD i = 0; i < count; i++) {
		wchar_t wname[256];
		DWORD len = 256;
		if (RegEnumKeyExW(node_of(n)->key, i, wname, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
			continue; /* deleted meanwhile */
		bool ok;
		struct win_node *c = open_child(t, node_of(n)->key, wname, &ok);
		if (!ok) {
			regtree_release_all(t, out);
			return NULL;
		}
		if (c)
			out[k++] = (regnode)(uintptr_t)c;
	}
	return out;
}

static char *name(struct regtree *t, regnode n)
{
	char *s = strdup(node_of(n)->name);
	if (!s)
		(void)hv_fail(t->err, HV_ENOMEM, "out of memory");
	return s;
}

static bool value(struct regtree *t, regnode n, const char *key, uint32_t *type, char **data,
		  size_t *len)
{
	wchar_t *w = utf8_to_wide(key);
	DWORD wtype = 0, size = 0;
	*data = NULL;
	*len = 0;
	if (!w)
		return hv_fail(t->err, HV_ENOMEM, "out of memory");
	LONG rc = RegQueryValueExW(node_of(n)->key, w, NULL, &wtype, NULL, &size);
	if (rc == ERROR_FILE_NOT_FOUND) {
		free(w);
		return true;
	}
	char *buf = rc == ERROR_SUCCESS ? malloc(size ? size : 1) : NULL;
	if (buf)
		rc = RegQueryValueExW(node_of(n)->key, w, NULL, &wtype, (BYTE *)buf, &size);
	free(w);
	if (rc != ERROR_SUCCESS || !buf) {
		free(buf);
		return rc != ERROR_SUCCESS ? failed(t, "reading a value", rc)
					   : hv_fail(t->err, HV_ENOMEM, "out of memory");
	}
	*data = buf;
	*len = size;
	*type = wtype;
	return true;
}

static void release(struct regtree *t, regnode n)
{
	struct win_node *w = node_of(n);
	if (w == &((struct win_tree *)t->impl)->root)
		return; /* the root lives as long as the tree */
	if (w->own)
		RegCloseKey(w->key);
	free(w);
}

static const struct regtree_ops win_ops = { root, child, children, name, value, release };

bool regtree_win_open(struct regtree *t, HKEY key, bool own_root, const char *tree_name,
		      struct hv_error *err)
{
	struct win_tree *w = calloc(1, sizeof(*w));
	*t = (struct regtree){ &win_ops, w, tree_name, err };
	if (!w) {
		if (own_root)
			RegCloseKey(key);
		return hv_fail(err, HV_ENOMEM, "out of memory");
	}
	w->root.key = key;
	w->root.own = own_root;
	return true;
}

void regtree_win_close(struct regtree *t)
{
	struct win_tree *w = t->impl;
	if (w && w->root.own)
		RegCloseKey(w->root.key);
	free(w);
	t->impl = NULL;
}
