// SPDX-License-Identifier: MIT
/*
 * Paths inside a mounted root, resolved as chroot(2) would: a mounted
 * Debian root often holds absolute links (/etc/localtime ->
 * /usr/share/zoneinfo/..., a /var/log or /boot moved to another disk),
 * which the host would otherwise follow into its own files.
 */
#include "root_path.h"
#include "../../probe/strbuf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The lookup so far: done is resolved (each component after a '/', ""
 * for the root itself), pending is what is left, as the root would read it. */
struct lookup {
	const char *prefix; /* the root on the host; "" for "/" */
	char done[PATH_MAX];
	char pending[PATH_MAX];
	unsigned links;
};

/* Take the next component of pending into name; false when none is left. */
static bool next_component(struct lookup *l, char *name, size_t size)
{
	const char *s = l->pending + strspn(l->pending, "/");
	size_t n = strcspn(s, "/");
	if (n == 0)
		return false;
	str_copy_n(name, size, s, n);
	memmove(l->pending, s + n, strlen(s + n) + 1);
	return true;
}

static bool more_components(const struct lookup *l)
{
	return l->pending[strspn(l->pending, "/")] != '\0';
}

/* ".." of done: its last component off, never above the root. */
static void go_up(struct lookup *l)
{
	char *slash = strrchr(l->done, '/');
	if (slash)
		*slash = '\0';
}

/* done's last component is a link to target: the lookup goes on from
 * target, the root for an absolute one, else done's directory. */
static bool follow(struct lookup *l, const char *target)
{
	char rest[PATH_MAX];
	if (++l->links > ROOT_PATH_LINKS_MAX) {
		errno = ELOOP;
		return false;
	}
	go_up(l);
	if (target[0] == '/')
		l->done[0] = '\0';
	if ((size_t)snprintf(rest, sizeof(rest), "%s/%s", target, l->pending) >= sizeof(rest)) {
		errno = ENAMETOOLONG;
		return false;
	}
	memcpy(l->pending, rest, sizeof(rest));
	return true;
}

/* One component: "." and ".." by name, else looked at on the host. */
static bool step(struct lookup *l, const char *name, bool follow_last)
{
	char host[PATH_MAX], target[PATH_MAX];
	struct stat st;
	if (strcmp(name, ".") == 0)
		return true;
	if (strcmp(name, "..") == 0) {
		go_up(l);
		return true;
	}
	size_t n = strlen(l->done);
	if (n + 1 + strlen(name) >= sizeof(l->done)) {
		errno = ENAMETOOLONG;
		return false;
	}
	snprintf(l->done + n, sizeof(l->done) - n, "/%s", name);
	if (!more_components(l) && !follow_last)
		return true;
	snprintf(host, sizeof(host), "%s%s", l->prefix, l->done);
	/* missing, or not a link: kept as it is (a missing one fails later,
	 * when it is opened, as it would in the root) */
	if (lstat(host, &st) != 0 || !S_ISLNK(st.st_mode))
		return true;
	ssize_t len = readlink(host, target, sizeof(target) - 1);
	if (len <= 0)
		return true;
	target[len] = '\0';
	return follow(l, target);
}

bool root_path(const char *root, const char *path, bool follow_last, char *out, size_t size)
{
	struct lookup l = { .prefix = root && strcmp(root, "/") != 0 ? root : "" };
	char name[NAME_MAX + 1];
	if (!root || !*root) {
		if ((size_t)snprintf(out, size, "%s", path) < size)
			return true;
		errno = ENAMETOOLONG;
		return false;
	}
	if ((size_t)snprintf(l.pending, sizeof(l.pending), "%s", path) >= sizeof(l.pending)) {
		errno = ENAMETOOLONG;
		return false;
	}
	while (next_component(&l, name, sizeof(name)))
		if (!step(&l, name, follow_last))
			return false;
	if ((size_t)snprintf(out, size, "%s%s", l.prefix, l.done[0] || l.prefix[0] ? l.done : "/") <
	    size)
		return true;
	errno = ENAMETOOLONG;
	return false;
}
