/* SPDX-License-Identifier: MIT */
#include "hive.h"

#include <errno.h>
#include <hivex.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>


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

/* Only the base block is read to check the file; hivex then maps the very
 * file that was checked, through /proc/self/fd (the name when /proc is not
 * there), so a link swapped in meanwhile is not what is read. */
bool hive_open(struct regtree *t, const char *file, enum file_origin origin, struct hv_error *err,
	       char **raw, size_t *raw_len)
{
	char head[HIVE_BASE_BLOCK], *data = NULL, by_fd[40];
	size_t len = 0;
	struct stat st;
	*t = (struct regtree){ &hivex_ops, NULL, file, err };
	int fd = file_open_input(file, origin, err);
	if (fd < 0)
		return false;
	ssize_t n = pread(fd, head, sizeof(head), 0);
	bool ok = n >= 0 && fstat(fd, &st) == 0;
	if (!ok)
		(void)hv_fail(err, HV_EIO, "%s: %s", file, strerror(errno));
	ok = ok && hive_check_base_block(file, head, (size_t)n, (uint64_t)st.st_size, err);
	if (ok && raw)
		ok = file_read_fd(fd, file, HIVE_RAW_MAX, &data, &len, err);
	if (ok) {
		snprintf(by_fd, sizeof(by_fd), "/proc/self/fd/%d", fd);
		errno = 0;
		t->impl = hivex_open(access(by_fd, R_OK) == 0 ? by_fd : file, 0);
		int e = errno;
		if (!t->impl)
			ok = hv_fail(err, HV_EDATA, "%s: corrupt registry hive%s%s", file, e ? ": " : "",
				     e ? strerror(e) : "");
	}
	close(fd);
	if (!ok) {
		free(data);
		return false;
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
