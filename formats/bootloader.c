// SPDX-License-Identifier: MIT
/*
 * The next boot of a Linux system (docs/linux-history.md, "The next
 * boot"): GRUB 2's menu as grub-mkconfig writes it, the environment block
 * grub-reboot and grub-set-default write, and the kernel's module lists.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"
#include "textscan.h"

#define GRUB_NODES_MAX 1024 /* menu entries and submenus of one grub.cfg */
#define GRUB_DEPTH_MAX 32   /* nested { } blocks */
#define GRUB_WORD_MAX 1024
#define TOP_LEVEL (-1)	    /* the parent of the menu's own entries */
#define NOT_MENU (-2)	    /* a block that is no menu: function, or too deep */

struct grub_node {
	char title[160];
	char id[160];
	int parent; /* the submenu it is in; -1 at the top */
	bool submenu;
	bool has_linux;
	char image[256];
	char args[1024];
};

struct grub_menu {
	struct grub_node *nodes;
	size_t n, cap;
	int stack[GRUB_DEPTH_MAX]; /* the node of each open block, or NOT_MENU */
	int depth;
	char deflt[GRUB_WORD_MAX]; /* the last "set default=" not of next_entry */
	bool next_entry_hook;      /* 00_header's set default="${next_entry}" */
};

/* The options of menuentry and submenu that take a value (GRUB manual,
 * "menuentry"); $menuentry_id_option is 00_header's "--id". */
static const char *const grub_valued_options[] = {
	"--class", "--users", "--hotkey", "--id", "$menuentry_id_option",
};

/*
 * One word of GRUB's script (GRUB manual, "Quoting"): '...' is literal,
 * "..." keeps all but \\, \" and \$, a backslash outside quotes escapes
 * the next byte. Variables are left as written. False at the end of l.
 */
static bool grub_word(struct line *l, char *out, size_t size)
{
	size_t o = 0;
	char quote = 0;
	line_skip_blanks(l);
	if (l->n == 0)
		return false;
	while (l->n) {
		char c = l->s[0];
		l->s++, l->n--;
		if (quote == '\'') {
			if (c == '\'') {
				quote = 0;
				continue;
			}
		} else if (c == '\\' && l->n && (quote == 0 || strchr("\\\"$", l->s[0]))) {
			c = l->s[0];
			l->s++, l->n--;
		} else if (c == '"' || (c == '\'' && quote == 0)) {
			quote = quote ? 0 : c;
			continue;
		} else if (quote == 0 && (c == ' ' || c == '\t')) {
			break;
		}
		if (o + 1 < size)
			out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

static bool is_valued_option(const char *w)
{
	for (size_t i = 0; i < sizeof(grub_valued_options) / sizeof(grub_valued_options[0]); i++)
		if (strcmp(w, grub_valued_options[i]) == 0)
			return true;
	return false;
}

/* The node of the innermost open block: TOP_LEVEL outside any. */
static int open_node(const struct grub_menu *m)
{
	if (m->depth == 0)
		return TOP_LEVEL;
	return m->depth > GRUB_DEPTH_MAX ? NOT_MENU : m->stack[m->depth - 1];
}

static void push(struct grub_menu *m, int node)
{
	if (m->depth < GRUB_DEPTH_MAX)
		m->stack[m->depth] = node;
	m->depth++; /* counted past the end, so that braces still pair */
}

/* "menuentry TITLE [OPTIONS] {" or "submenu ...": a new node. False only
 * when memory runs out or the menu is too long to be grub-mkconfig's. */
static bool grub_entry(struct grub_menu *m, struct line l, bool submenu)
{
	char w[GRUB_WORD_MAX];
	int parent = open_node(m);
	if (parent >= 0 && !m->nodes[parent].submenu)
		parent = NOT_MENU; /* inside a menu entry: not a menu GRUB shows */
	if (parent == NOT_MENU || !array_grow((void **)&m->nodes, &m->cap, m->n,
					      sizeof(*m->nodes), GRUB_NODES_MAX)) {
		push(m, NOT_MENU);
		return parent == NOT_MENU;
	}
	struct grub_node *e = &m->nodes[m->n];
	memset(e, 0, sizeof(*e));
	e->parent = parent;
	e->submenu = submenu;
	bool titled = false;
	while (grub_word(&l, w, sizeof(w)) && strcmp(w, "{") != 0) {
		if (is_valued_option(w)) {
			bool id = strcmp(w, "--id") == 0 || strcmp(w, "$menuentry_id_option") == 0;
			if (grub_word(&l, w, sizeof(w)) && id)
				snprintf(e->id, sizeof(e->id), "%s", w);
		} else if (strncmp(w, "--", 2) != 0 && !titled) {
			snprintf(e->title, sizeof(e->title), "%s", w);
			titled = true;
		}
	}
	push(m, (int)m->n++);
	return true;
}

/* "linux IMAGE ARGS...": the first of an entry is the kernel it boots. */
static void grub_linux(struct grub_menu *m, struct line l)
{
	int node = open_node(m);
	char w[GRUB_WORD_MAX];
	if (node < 0 || m->nodes[node].submenu || m->nodes[node].has_linux ||
	    !grub_word(&l, w, sizeof(w)))
		return;
	struct grub_node *e = &m->nodes[node];
	e->has_linux = true;
	snprintf(e->image, sizeof(e->image), "%s", w);
	size_t o = 0;
	while (grub_word(&l, w, sizeof(w))) {
		int n = snprintf(e->args + o, sizeof(e->args) - o, "%s%s", o ? " " : "", w);
		if (n < 0 || (size_t)n >= sizeof(e->args) - o)
			break;
		o += (size_t)n;
	}
}

/* "set default=VALUE" or "default=VALUE" outside any block. */
static void grub_set(struct grub_menu *m, struct line l)
{
	char w[GRUB_WORD_MAX];
	if (m->depth != 0 || !grub_word(&l, w, sizeof(w)))
		return;
	if (strcmp(w, "set") == 0 && !grub_word(&l, w, sizeof(w)))
		return;
	if (strncmp(w, "default=", 8) != 0)
		return;
	if (strcmp(w + 8, "${next_entry}") == 0 || strcmp(w + 8, "$next_entry") == 0)
		m->next_entry_hook = true;
	else
		snprintf(m->deflt, sizeof(m->deflt), "%s", w + 8);
}

static bool grub_line(struct grub_menu *m, struct line l)
{
	char w[GRUB_WORD_MAX];
	struct line rest = line_trim(l);
	if (rest.n == 0 || rest.s[0] == '#' || !grub_word(&rest, w, sizeof(w)))
		return true;
	if (strcmp(w, "menuentry") == 0 || strcmp(w, "submenu") == 0)
		return grub_entry(m, rest, w[0] == 's');
	if (strcmp(w, "}") == 0) {
		if (m->depth > 0)
			m->depth--;
	} else if (strcmp(w, "linux") == 0 || strcmp(w, "linuxefi") == 0) {
		grub_linux(m, rest);
	} else if (line_trim(l).s[line_trim(l).n - 1] == '{') {
		push(m, NOT_MENU); /* function NAME { ... } */
	} else {
		grub_set(m, line_trim(l));
	}
	return true;
}

/* The value of NAME in a GRUB environment block ("NAME=VALUE" lines
 * after "# GRUB Environment Block", padded with '#'); "" when absent. */
static void grubenv_get(const char *env, size_t len, const char *name, char *out, size_t size)
{
	struct line_reader lr;
	struct line l;
	size_t n = strlen(name);
	out[0] = '\0';
	line_reader_init(&lr, env ? env : "", env ? len : 0);
	while (line_next(&lr, &l)) {
		if (l.n <= n || memcmp(l.s, name, n) != 0 || l.s[n] != '=')
			continue;
		size_t o = 0;
		for (size_t i = n + 1; i < l.n && o + 1 < size; i++) {
			if (l.s[i] == '\\' && i + 1 < l.n) /* grub-editenv escapes \ and newline */
				i++;
			out[o++] = l.s[i];
		}
		out[o] = '\0';
	}
}

/* The child of parent that part names: its number among them, its title
 * or its id (GRUB manual, "default"); -1 when none. */
static int grub_find(const struct grub_menu *m, int parent, const char *part)
{
	long want = part[0] ? 0 : -1;
	for (const char *c = part; *c && want >= 0; c++)
		want = (*c >= '0' && *c <= '9' && want < 100000) ? want * 10 + (*c - '0') : -1;
	long k = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (m->nodes[i].parent != parent)
			continue;
		if (k++ == want || strcmp(m->nodes[i].title, part) == 0 ||
		    (m->nodes[i].id[0] && strcmp(m->nodes[i].id, part) == 0))
			return (int)i;
	}
	return -1;
}

static int grub_first(const struct grub_menu *m, int parent)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->nodes[i].parent == parent)
			return (int)i;
	return -1;
}

/*
 * Walk "A>B>C" from the top. GRUB's run_menu (grub-core/normal/menu.c)
 * boots a menu's first entry when its default names none of them, and
 * the rest of the path then no longer applies.
 */
static int grub_resolve(const struct grub_menu *m, const char *path)
{
	char part[GRUB_WORD_MAX];
	int node = TOP_LEVEL;
	const char *p = path;
	do {
		const char *gt = strchr(p, '>');
		size_t n = gt ? (size_t)(gt - p) : strlen(p);
		snprintf(part, sizeof(part), "%.*s", (int)(n < sizeof(part) ? n : sizeof(part) - 1), p);
		int found = grub_find(m, node, part);
		if (found < 0)
			return grub_first(m, node);
		node = found;
		p = gt ? gt + 1 : NULL;
	} while (p && m->nodes[node].submenu);
	return node;
}

static void decide(const struct grub_menu *m, int node, struct next_boot_view *nb)
{
	if (node < 0) {
		snprintf(nb->problem, sizeof(nb->problem),
			 "GRUB's default leads into an empty submenu.");
		return;
	}
	const struct grub_node *e = &m->nodes[node];
	snprintf(nb->entry, sizeof(nb->entry), "%s", e->title);
	if (e->submenu) {
		snprintf(nb->problem, sizeof(nb->problem),
			 "GRUB's default is a submenu, which waits for a choice.");
		return;
	}
	if (!e->has_linux) {
		snprintf(nb->problem, sizeof(nb->problem),
			 "GRUB's default entry boots no Linux kernel.");
		return;
	}
	snprintf(nb->cmdline, sizeof(nb->cmdline), "%s", e->args);
	if (!kernel_release_of_image(e->image, nb->next.release, sizeof(nb->next.release)))
		snprintf(nb->problem, sizeof(nb->problem),
			 "GRUB's default entry boots %.120s, which names no kernel release.", e->image);
	nb->read = true;
}

bool grub_next_entry(const char *cfg, size_t cfg_len, const char *env, size_t env_len,
		     struct next_boot_view *nb)
{
	struct grub_menu *m = calloc(1, sizeof(*m));
	char next[GRUB_WORD_MAX], saved[GRUB_WORD_MAX];
	struct line_reader lr;
	struct line l;
	snprintf(nb->loader, sizeof(nb->loader), "grub");
	nb->read = false;
	nb->problem[0] = '\0';
	if (!m) {
		snprintf(nb->problem, sizeof(nb->problem), "Out of memory reading grub.cfg.");
		return false;
	}
	line_reader_init(&lr, cfg, cfg_len);
	while (line_next(&lr, &l) && grub_line(m, l))
		;
	grubenv_get(env, env_len, "next_entry", next, sizeof(next));
	grubenv_get(env, env_len, "saved_entry", saved, sizeof(saved));
	/* 00_header: a one-time next_entry (grub-reboot) wins over default */
	const char *path = m->deflt, *why = "default";
	if (m->next_entry_hook && next[0])
		path = next, why = "next_entry";
	else if (strcmp(path, "${saved_entry}") == 0 || strcmp(path, "$saved_entry") == 0)
		path = saved, why = "saved_entry";
	snprintf(nb->source, sizeof(nb->source), "%s", why);
	if (m->n == 0)
		snprintf(nb->problem, sizeof(nb->problem), "grub.cfg has no menu entry.");
	else if (strchr(path, '$'))
		snprintf(nb->problem, sizeof(nb->problem),
			 "GRUB's default is %.100s, a variable hvprobe does not follow.", path);
	else
		decide(m, grub_resolve(m, path), nb);
	free(m->nodes);
	free(m);
	return nb->read && !nb->problem[0];
}

/* Kernel releases hold letters, digits and . - + _ ~ ("6.1.0-18-amd64",
 * "6.12.100+deb13-amd64"). */
static bool release_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       strchr(".-+_~", c);
}

bool kernel_release_of_image(const char *path, char *out, size_t size)
{
	static const char *const prefixes[] = { "vmlinuz-", "vmlinux-" };
	const char *base = path;
	for (const char *c = path; *c; c++)
		if (*c == '/')
			base = c + 1;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t p = strlen(prefixes[i]);
		if (strncmp(base, prefixes[i], p) != 0 || !base[p])
			continue;
		for (const char *c = base + p; *c; c++)
			if (!release_char(*c))
				return false;
		if (strlen(base + p) >= size)
			return false;
		memcpy(out, base + p, strlen(base + p) + 1);
		return true;
	}
	return false;
}

/* The module file names of Linux's arch/x86/kvm/Makefile (kvm-intel.ko,
 * kvm-amd.ko); modules.builtin lists them by path. */
static enum module_presence *module_slot(struct kernel_modules *m, const char *file, size_t n)
{
	static const struct {
		const char *name;
		size_t offset;
	} kvm_files[] = {
		{ "kvm.ko", offsetof(struct kernel_modules, kvm) },
		{ "kvm-intel.ko", offsetof(struct kernel_modules, kvm_intel) },
		{ "kvm-amd.ko", offsetof(struct kernel_modules, kvm_amd) },
	};
	for (size_t i = 0; i < sizeof(kvm_files) / sizeof(kvm_files[0]); i++)
		if (n == strlen(kvm_files[i].name) && memcmp(file, kvm_files[i].name, n) == 0)
			return (enum module_presence *)((char *)m + kvm_files[i].offset);
	return NULL;
}

void modules_builtin_scan(const char *text, size_t len, struct kernel_modules *m)
{
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		l = line_trim(l);
		size_t b = l.n;
		while (b > 0 && l.s[b - 1] != '/')
			b--;
		enum module_presence *slot = module_slot(m, l.s + b, l.n - b);
		if (slot)
			*slot = MODULE_BUILTIN;
	}
}

/* The names modprobe takes for KVM's modules: '-' and '_' are the same
 * to it (modprobe.d(5)). */
static bool names_kvm(struct line w)
{
	static const char *const names[] = { "kvm", "kvm_intel", "kvm-intel", "kvm_amd", "kvm-amd" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (w.n == strlen(names[i]) && memcmp(w.s, names[i], w.n) == 0)
			return true;
	return false;
}

static bool line_names_kvm(struct line l)
{
	struct line w;
	bool first = true;
	while (l.n) {
		line_skip_blanks(&l);
		w.s = l.s;
		w.n = 0;
		while (w.n < l.n && l.s[w.n] != ' ' && l.s[w.n] != '\t')
			w.n++;
		l.s += w.n, l.n -= w.n;
		if (!first && names_kvm(w))
			return true;
		first = false; /* the command itself: blacklist, options, install ... */
	}
	return false;
}

void modprobe_kvm_lines(const char *file, const char *text, size_t len, char *out, size_t size)
{
	struct line_reader lr;
	struct line l;
	const char *end = memchr(out, '\0', size);
	size_t o = end ? (size_t)(end - out) : size - 1;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l) && o + 1 < size) {
		l = line_trim(l);
		if (l.n == 0 || l.s[0] == '#' || memchr(l.s, '\0', l.n) || !line_names_kvm(l))
			continue;
		int n = snprintf(out + o, size - o, "%s%s: %.*s", o ? "\n" : "", file, (int)l.n, l.s);
		if (n < 0 || (size_t)n >= size - o) {
			out[o] = '\0'; /* whole lines only */
			break;
		}
		o += (size_t)n;
	}
}
