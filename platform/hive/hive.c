/* SPDX-License-Identifier: MIT */
#include "hive.h"

#include <errno.h>
#include <hivex.h>
#include <stdlib.h>
#include <string.h>


static bool corrupt(struct regtree *t, const char *what)
{
	int e = errno;
	return hv_fail(t->err, HV_EDATA, "%s: corrupt registry hive: %s%s%s", t->name, what,
		       e ? ": " : "", e ? strerror(e) : "");
}

static regnode root(struct regtree *t)
{
	return hivex_root(t->impl);
}

static bool child(struct regtree *t, regnode parent, const char *name, regnode *out)
{
	errno = 0;
	*out = hivex_node_get_child(t->impl, (hive_node_h)parent, name);
	return *out != 0 || errno == 0 || corrupt(t, name);
}

static regnode *children(struct regtree *t, regnode n)
{
	errno = 0;
	hive_node_h *c = hivex_node_children(t->impl, (hive_node_h)n);
	if (!c) {
		corrupt(t, "a key's subkeys");
		return NULL;
	}
	size_t count = 0;
	while (c[count])
		count++;
	regnode *out = calloc(count + 1, sizeof(*out));
	for (size_t i = 0; out && i < count; i++)
		out[i] = c[i];
	free(c);
	if (!out)
		(void)hv_fail(t->err, HV_ENOMEM, "%s: out of memory", t->name);
	return out;
}

static char *name(struct regtree *t, regnode n)
{
	errno = 0;
	char *s = hivex_node_name(t->impl, (hive_node_h)n);
	if (!s)
		corrupt(t, "a key's name");
	return s;
}

static bool value(struct regtree *t, regnode n, const char *key, uint32_t *type, char **data,
		  size_t *len)
{
	*data = NULL;
	*len = 0;
	errno = 0;
	hive_value_h v = hivex_node_get_value(t->impl, (hive_node_h)n, key);
	if (v == 0)
		return errno == 0 || corrupt(t, "a value cannot be read");
	hive_type ht;
	*data = hivex_value_value(t->impl, v, &ht, len);
	*type = (uint32_t)ht;
	return *data != NULL || corrupt(t, "a value's data cannot be read");
}

static void release(struct regtree *t, regnode n)
{
	(void)t;
	(void)n; /* hivex nodes are offsets into the mapped file */
}

static const struct regtree_ops hivex_ops = { root, child, children, name, value, release };

/* The file is read whole first (hive_read_file); hivex then opens it again
 * by name, the only way its API takes a hive. */
bool hive_open(struct regtree *t, const char *file, struct hv_error *err, char **raw,
	       size_t *raw_len)
{
	char *data;
	size_t len;
	*t = (struct regtree){ &hivex_ops, NULL, file, err };
	if (!hive_read_file(file, &data, &len, err))
		return false;
	errno = 0;
	t->impl = hivex_open(file, 0);
	if (!t->impl) {
		int e = errno;
		free(data);
		return hv_fail(err, HV_EDATA, "%s: corrupt registry hive%s%s", file, e ? ": " : "",
			       e ? strerror(e) : "");
	}
	hive_hand_back(data, len, raw, raw_len);
	return true;
}

void hive_close(struct regtree *t)
{
	if (t->impl)
		hivex_close(t->impl);
	t->impl = NULL;
}
