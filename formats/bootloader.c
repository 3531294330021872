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
#include "../probe/sort.h"
#include "../probe/utf16.h"
#include "../probe/strbuf.h"

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
		str_copy_n(part, sizeof(part), p, n);
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
	bool whole = true;
	while (whole && line_next(&lr, &l))
		whole = grub_line(m, l);
	grubenv_get(env, env_len, "next_entry", next, sizeof(next));
	grubenv_get(env, env_len, "saved_entry", saved, sizeof(saved));
	/* 00_header: a one-time next_entry (grub-reboot) wins over default */
	const char *path = m->deflt, *why = "default";
	if (m->next_entry_hook && next[0])
		path = next, why = "next_entry";
	else if (strcmp(path, "${saved_entry}") == 0 || strcmp(path, "$saved_entry") == 0)
		path = saved, why = "saved_entry";
	snprintf(nb->source, sizeof(nb->source), "%s", why);
	if (!whole) /* the default may lie in the part not read */
		snprintf(nb->problem, sizeof(nb->problem),
			 "grub.cfg was not read whole: over %d menu entries, or out of memory.",
			 GRUB_NODES_MAX);
	else if (m->n == 0)
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

/* The n bytes at s into out as a kernel release: false when empty, too
 * long for out, or holding a character no release has. */
static bool release_copy(const char *s, size_t n, char *out, size_t size)
{
	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!release_char(s[i]))
			return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
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
		if (strncmp(base, prefixes[i], p) == 0)
			return release_copy(base + p, strlen(base + p), out, size);
	}
	return false;
}

bool modules_builtin_lists(const char *text, size_t len, const char *file)
{
	struct line_reader lr;
	struct line l;
	size_t n = strlen(file);
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		l = line_trim(l);
		size_t b = l.n;
		while (b > 0 && l.s[b - 1] != '/')
			b--;
		if (l.n - b == n && memcmp(l.s + b, file, n) == 0)
			return true;
	}
	return false;
}

void modules_builtin_scan(const char *text, size_t len, struct kernel_modules *m)
{
	for (size_t i = 0; i < KVM_MODULE_FILES; i++)
		if (modules_builtin_lists(text, len, kvm_module_file(i)))
			*kvm_module_slot(m, i) = MODULE_BUILTIN;
}

/* The names modprobe takes for KVM's modules: '-' and '_' are the same
 * to it (modprobe.d(5)). */
static bool names_kvm(struct line w)
{
	static const char *const names[] = { "kvm", "kvm_intel", "kvm-intel", "kvm_amd", "kvm-amd" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (line_equals(w, names[i]))
			return true;
	return false;
}

static bool line_names_kvm(struct line l)
{
	struct line w;
	bool first = true;
	while (line_word(&l, &w)) {
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

/*
 * systemd-boot, as systemd 252's src/boot/efi/boot.c chooses
 * (docs/linux-history.md, "The next boot"): loader.conf's default glob,
 * the EFI variables over it, and its own sort order of the entries.
 */
#define SDBOOT_ENTRIES_MAX 1024
#define SDBOOT_FNMATCH_DEPTH 32 /* efi_fnmatch()'s recursion bound */
#define SDBOOT_NO_TRIES (-1)	/* no boot counter in the file name */
#define SDBOOT_TRIES_MAX 0x7fffffffL /* boot.c: INT_MAX */

enum sdboot_type { SDBOOT_NONE, SDBOOT_LINUX, SDBOOT_EFI, SDBOOT_UKI };

struct sdboot_entry {
	enum sdboot_type type;
	char id[256]; /* the file name in lower case (strtolower16) */
	char title[160], version[128], machine_id[64], sort_key[128];
	bool has_sort_key;
	char image[256];
	char options[1024];
	long tries_left, tries_done;
	const struct sdboot_file *file;
};

/* The next "key value" line of text (boot.c line_get_key_value): lines
 * end at \n or \r, blanks are trimmed, '#' starts a comment, the key ends
 * at the first blank, and "value" in double quotes loses them. */
static bool sdboot_key_value(struct line *text, char *key, size_t ksize, char *val, size_t vsize)
{
	while (text->n) {
		struct line l = { text->s, 0 };
		while (l.n < text->n && text->s[l.n] != '\n' && text->s[l.n] != '\r')
			l.n++;
		text->s += l.n + (l.n < text->n), text->n -= l.n + (l.n < text->n);
		l = line_trim(l);
		if (l.n == 0 || l.s[0] == '#')
			continue;
		size_t k = 0;
		while (k < l.n && l.s[k] != ' ' && l.s[k] != '\t')
			k++;
		if (k == l.n)
			continue; /* a key without a value */
		struct line v = { l.s + k, l.n - k };
		line_skip_blanks(&v);
		if (v.n >= 2 && v.s[0] == '"' && v.s[v.n - 1] == '"')
			v.s++, v.n -= 2;
		str_copy_n(key, ksize, l.s, k);
		str_copy_n(val, vsize, v.s, v.n);
		return true;
	}
	return false;
}

static void ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The bytes of a file up to its first NUL: boot.c reads it as a C string. */
static struct line sdboot_text(const char *text, size_t len)
{
	const char *nul = text ? memchr(text, '\0', len) : NULL;
	struct line l = { text ? text : "", text ? (nul ? (size_t)(nul - text) : len) : 0 };
	return l;
}

/* loader.conf's "default" (the last that is a glob or "@saved", in that
 * case: boot.c compares it exactly and rejects other '@' names). "" when
 * none. */
static void sdboot_conf_default(const char *conf, size_t len, char *out, size_t size)
{
	struct line text = sdboot_text(conf, len);
	char key[32], val[256];
	out[0] = '\0';
	while (sdboot_key_value(&text, key, sizeof(key), val, sizeof(val)))
		if (strcmp(key, "default") == 0 && (val[0] != '@' || strcmp(val, "@saved") == 0))
			snprintf(out, size, "%s", val);
	ascii_lower(out);
}

/* boot.c strverscmp_improved (src/fundamental/string-util-fundamental.c):
 * segments of digits or letters, '~' older, then '-', '^', '.' prefixes;
 * other bytes only separate. */
static bool ver_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("~-^.", c));
}

static bool ver_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool ver_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int cmp_int(long a, long b)
{
	return (a > b) - (a < b);
}

/* "NAME+LEFT[-DONE].conf": boot counting (boot.c config_entry_parse_tries,
 * the last '+', counters right before the suffix). */
static void sdboot_tries(struct sdboot_entry *e, const char *name, const char *suffix)
{
	const char *plus = NULL, *c;
	long left = 0, done = 0;
	e->tries_left = e->tries_done = SDBOOT_NO_TRIES;
	for (c = name; *c; c++)
		if (*c == '+')
			plus = c;
	if (!plus || !ver_digit(plus[1]))
		return;
	for (c = plus + 1; ver_digit(*c) && left <= SDBOOT_TRIES_MAX; c++)
		left = left * 10 + (*c - '0');
	if (*c == '-' && ver_digit(c[1]))
		for (c++; ver_digit(*c) && done <= SDBOOT_TRIES_MAX; c++)
			done = done * 10 + (*c - '0');
	if (strcmp(c, suffix) != 0 || left > SDBOOT_TRIES_MAX || done > SDBOOT_TRIES_MAX)
		return;
	e->tries_left = left;
	e->tries_done = done;
}

/* The fields boot.c config_entry_add_type1 reads; several "options"
 * lines join with one blank. An "architecture" other than x64 drops the
 * entry, as on an x86-64 build of systemd-boot. */
static void sdboot_parse_type1(struct sdboot_entry *e, const struct sdboot_file *f)
{
	struct line text = sdboot_text(f->text, f->len);
	char key[32], val[1024];
	while (sdboot_key_value(&text, key, sizeof(key), val, sizeof(val))) {
		if (strcmp(key, "title") == 0) {
			snprintf(e->title, sizeof(e->title), "%s", val);
		} else if (strcmp(key, "version") == 0) {
			snprintf(e->version, sizeof(e->version), "%s", val);
		} else if (strcmp(key, "machine-id") == 0) {
			snprintf(e->machine_id, sizeof(e->machine_id), "%s", val);
		} else if (strcmp(key, "sort-key") == 0) {
			snprintf(e->sort_key, sizeof(e->sort_key), "%s", val);
			e->has_sort_key = true;
		} else if (strcmp(key, "linux") == 0 || strcmp(key, "efi") == 0) {
			e->type = key[0] == 'l' ? SDBOOT_LINUX : SDBOOT_EFI;
			snprintf(e->image, sizeof(e->image), "%s", val);
		} else if (strcmp(key, "architecture") == 0 && strcmp(val, "x64") != 0) {
			e->type = SDBOOT_NONE;
			return;
		} else if (strcmp(key, "options") == 0) {
			size_t o = strlen(e->options);
			snprintf(e->options + o, sizeof(e->options) - o, "%s%s", o ? " " : "", val);
		}
	}
}

static int sdboot_version_compare(const char *a, const char *b)
{
	if (!*a || !*b)
		return strcmp(a, b);
	for (;;) {
		while (*a && !ver_char(*a))
			a++;
		while (*b && !ver_char(*b))
			b++;
		if (*a == '~' || *b == '~') {
			if (cmp_int(*a != '~', *b != '~'))
				return cmp_int(*a != '~', *b != '~');
			a++, b++;
		}
		if (!*a || !*b)
			return strcmp(a, b);
		static const char prefixes[] = "-^.";
		for (const char *p = prefixes; *p; p++) {
			if (*a != *p && *b != *p)
				continue;
			if (cmp_int(*a != *p, *b != *p))
				return cmp_int(*a != *p, *b != *p);
			a++, b++;
		}
		bool (*kind)(char) = ver_digit(*a) || ver_digit(*b) ? ver_digit : ver_alpha;
		if (kind == ver_digit) {
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
		}
		size_t na = 0, nb = 0;
		while (a[na] && kind(a[na]))
			na++;
		while (b[nb] && kind(b[nb]))
			nb++;
		int r;
		if (kind == ver_digit) {
			if ((r = cmp_int((long)na, (long)nb)) != 0 || (r = strncmp(a, b, na)) != 0)
				return r;
		} else {
			if ((r = strncmp(a, b, na < nb ? na : nb)) != 0 ||
			    (r = cmp_int((long)na, (long)nb)) != 0)
				return r;
		}
		a += na, b += nb;
	}
}

/* boot.c config_entry_compare: entries out of tries last; with a
 * sort-key on both, by sort-key, machine-id, then newest version first;
 * new-style (sort-key) before old-style; then by id, newest first; then
 * more tries left, fewer tries done. */
static int sdboot_compare(const struct sdboot_entry *a, const struct sdboot_entry *b)
{
	int r = cmp_int(a->tries_left == 0, b->tries_left == 0);
	if (r || (r = cmp_int(!a->has_sort_key, !b->has_sort_key)))
		return r;
	if (a->has_sort_key && b->has_sort_key &&
	    ((r = strcmp(a->sort_key, b->sort_key)) || (r = strcmp(a->machine_id, b->machine_id)) ||
	     (r = -sdboot_version_compare(a->version, b->version))))
		return r;
	if ((r = -sdboot_version_compare(a->id, b->id)))
		return r;
	if (a->tries_left < 0 || b->tries_left < 0)
		return 0;
	if ((r = -cmp_int(a->tries_left, b->tries_left)))
		return r;
	return cmp_int(a->tries_done, b->tries_done);
}

static bool sdboot_before(const void *a, const void *b)
{
	return sdboot_compare(a, b) < 0;
}

/* One pattern element at *pp ('?', '[set]' with ranges, '\\' escape, or
 * a character) against c, which is not NUL; *pp moves past it. False on
 * no match and on an element cut short. */
static bool fnmatch_one(const char **pp, char c)
{
	const char *p = *pp;
	bool match = false;
	if (*p == '\\') {
		p++;
		match = *p != '\0' && *p == c;
	} else if (*p == '?') {
		match = true;
	} else if (*p == '[') {
		bool first = true, can_range = true;
		for (;; first = false) {
			p++;
			if (*p == '\0')
				return false;
			if (*p == '\\') {
				if (*++p == '\0')
					return false;
				match |= *p == c;
				can_range = true;
				continue;
			}
			if (*p == ']' && !first)
				break;
			if (*p == '-' && can_range && !first && p[1] != ']') {
				char low = p[-1];
				if (*++p == '\\')
					p++;
				if (*p == '\0')
					return false;
				match |= low <= c && c <= *p;
				can_range = false;
				continue;
			}
			match |= *p == c;
			can_range = true;
		}
	} else {
		match = *p == c;
	}
	*pp = p + (*p != '\0');
	return match;
}

/*
 * boot.c efi_fnmatch: '*', '?', '[set]' with ranges, '\\' escapes. It
 * recurses at each run of '*' met before the name ends, and a call
 * SDBOOT_FNMATCH_DEPTH deep fails, so a match that needs that many runs
 * fails there too, unless the last of them ends the pattern. The same answers without its recursion, which takes
 * exponential time on '*a*a*a*b': on a mismatch, go back to the last
 * '*' and let it take one more character (what the recursion's loop over
 * h does); a run is met once, as backtracking resumes after it.
 */
static bool sdboot_fnmatch(const char *p, const char *h)
{
	const char *star_p = NULL, *star_h = NULL;
	unsigned runs = 0;
	while (*h) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return true; /* boot.c too, past its depth: the rest is anything */
			if (++runs >= SDBOOT_FNMATCH_DEPTH)
				return false;
			star_p = p;
			star_h = h;
			continue;
		}
		const char *next = p;
		if (*p && fnmatch_one(&next, *h)) {
			p = next;
			h++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		h = ++star_h;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* The first entry of the sorted list whose id the pattern matches
 * (config_entry_find); -1 when none or no pattern. */
static long sdboot_find(const struct sdboot_entry *e, size_t n, const char *pattern)
{
	char p[256];
	if (!pattern)
		return -1;
	snprintf(p, sizeof(p), "%s", pattern);
	ascii_lower(p);
	for (size_t i = 0; i < n; i++)
		if (sdboot_fnmatch(p, e[i].id))
			return (long)i;
	return -1;
}

/* The entries systemd-boot would list, sorted; *n how many. */
static struct sdboot_entry *sdboot_entries(const struct sdboot_file *files, size_t nfiles,
					   sdboot_image_exists exists, void *ctx, size_t *n)
{
	size_t cap = nfiles < SDBOOT_ENTRIES_MAX ? nfiles : SDBOOT_ENTRIES_MAX;
	struct sdboot_entry *e = calloc(cap ? cap * 2 : 1, sizeof(*e));
	*n = 0;
	if (!e)
		return NULL;
	for (size_t i = 0; i < nfiles && *n < cap; i++) {
		struct sdboot_entry *x = &e[*n];
		memset(x, 0, sizeof(*x));
		x->file = &files[i];
		snprintf(x->id, sizeof(x->id), "%s", files[i].name);
		ascii_lower(x->id);
		if (!files[i].text) {
			x->type = SDBOOT_UKI;
			sdboot_tries(x, x->id, ".efi");
		} else {
			sdboot_parse_type1(x, &files[i]);
			sdboot_tries(x, x->id, ".conf");
		}
		if (x->type == SDBOOT_NONE ||
		    (x->type != SDBOOT_UKI && exists && !exists(ctx, files[i].where, x->image)))
			continue; /* boot.c lists no entry without an image it can open */
		(*n)++;
	}
	stable_sort(e, e + cap, *n, sizeof(*e), sdboot_before);
	return e;
}

/* The kernel release of an entry: its version, else a vmlinuz-RELEASE
 * image, else kernel-install's file name MACHINE-ID-RELEASE.conf. */
static bool sdboot_release(const struct sdboot_entry *e, char *out, size_t size)
{
	if (release_copy(e->version, strlen(e->version), out, size) ||
	    kernel_release_of_image(e->image, out, size))
		return true;
	size_t m = strlen(e->machine_id), len = strlen(e->file->name);
	if (!m || len <= m + 1 + 5 || strncmp(e->file->name, e->machine_id, m) != 0 ||
	    e->file->name[m] != '-' || strcmp(e->file->name + len - 5, ".conf") != 0)
		return false;
	return release_copy(e->file->name + m + 1, len - m - 1 - 5, out, size);
}

/* A Type #2 image could be what the pattern (NULL: the first entry) picks:
 * its place in the order needs the sort-key and version inside it. */
static bool sdboot_uki_may_win(const struct sdboot_entry *e, size_t n, const char *pattern)
{
	char p[256];
	snprintf(p, sizeof(p), "%s", pattern ? pattern : "*");
	ascii_lower(p);
	for (size_t i = 0; i < n; i++)
		if (e[i].type == SDBOOT_UKI && sdboot_fnmatch(p, e[i].id))
			return true;
	return false;
}

static void sdboot_decide(const struct sdboot_entry *e, size_t n, long i, const char *pattern,
			  struct next_boot_view *nb)
{
	if (sdboot_uki_may_win(e, n, pattern)) {
		snprintf(nb->problem, sizeof(nb->problem),
			 "systemd-boot may start a unified kernel image (EFI/Linux), which hvprobe does not read.");
		return;
	}
	const struct sdboot_entry *x = &e[i];
	if (x->version[0])
		snprintf(nb->entry, sizeof(nb->entry), "%.100s (%.50s)", x->title[0] ? x->title : x->id,
			 x->version);
	else
		snprintf(nb->entry, sizeof(nb->entry), "%s", x->title[0] ? x->title : x->id);
	if (x->type != SDBOOT_LINUX) {
		snprintf(nb->problem, sizeof(nb->problem),
			 "systemd-boot's next entry %.100s starts an EFI program, not a Linux kernel.", x->id);
		return;
	}
	snprintf(nb->cmdline, sizeof(nb->cmdline), "%s", x->options);
	if (!sdboot_release(x, nb->next.release, sizeof(nb->next.release))) {
		snprintf(nb->problem, sizeof(nb->problem),
			 "systemd-boot's next entry %.100s names no kernel release.", x->id);
		return;
	}
	nb->read = true;
}

/*
 * boot.c config_default_entry_select: LoaderEntryOneShot, then
 * LoaderEntryDefault (LoaderEntryLastBooted when it is "@saved"), then
 * loader.conf's default (the same for "@saved", unless the variable
 * already asked), then the first entry of the sorted list.
 */
static long sdboot_choose(const struct sdboot_entry *e, size_t n, const struct sdboot_vars *v,
			  const char *conf_default, const char **why, const char **pattern)
{
	bool var_saved = v->deflt && strcmp(v->deflt, "@saved") == 0;
	bool conf_saved = strcmp(conf_default, "@saved") == 0;
	const struct {
		const char *pattern, *why;
	} steps[] = {
		{ v->oneshot, "LoaderEntryOneShot" },
		{ var_saved ? v->saved : v->deflt, var_saved ? "LoaderEntryLastBooted" : "LoaderEntryDefault" },
		{ conf_saved ? (var_saved ? NULL : v->saved) : (conf_default[0] ? conf_default : NULL),
		  conf_saved ? "LoaderEntryLastBooted" : "loader.conf default" },
	};
	for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		long i = sdboot_find(e, n, steps[s].pattern);
		if (i >= 0) {
			*why = steps[s].why;
			*pattern = steps[s].pattern;
			return i;
		}
	}
	*why = "first entry";
	*pattern = NULL;
	return n ? 0 : -1;
}

bool sdboot_next_entry(const char *conf, size_t conf_len, const struct sdboot_file *files,
		       size_t nfiles, const struct sdboot_vars *vars, sdboot_image_exists exists,
		       void *ctx, struct next_boot_view *nb)
{
	static const struct sdboot_vars none = { 0 };
	char conf_default[256];
	const char *why, *pattern;
	size_t n;
	snprintf(nb->loader, sizeof(nb->loader), "systemd-boot");
	nb->read = false;
	nb->problem[0] = '\0';
	struct sdboot_entry *e = sdboot_entries(files, nfiles, exists, ctx, &n);
	if (!e) {
		snprintf(nb->problem, sizeof(nb->problem), "Out of memory reading systemd-boot's entries.");
		return false;
	}
	sdboot_conf_default(conf, conf_len, conf_default, sizeof(conf_default));
	if (!vars && strcmp(conf_default, "@saved") == 0) {
		/* the entry booted last is in the firmware's NVRAM, not on disk */
		snprintf(nb->problem, sizeof(nb->problem), "loader.conf's default is @saved: "
			 "systemd-boot boots the entry that booted last, which only the firmware's "
			 "LoaderEntryLastBooted variable records, and it cannot be read offline.");
		free(e);
		return false;
	}
	long i = sdboot_choose(e, n, vars ? vars : &none, conf_default, &why, &pattern);
	/* offline, a bootctl set-oneshot or set-default is not seen: say so */
	snprintf(nb->source, sizeof(nb->source), "%s%s", why,
		 vars ? "" : " (EFI variables not read offline)");
	if (i < 0)
		snprintf(nb->problem, sizeof(nb->problem),
			 "systemd-boot has no entry with a kernel it can open in loader/entries.");
	else
		sdboot_decide(e, n, i, pattern, nb);
	free(e);
	return nb->read && !nb->problem[0];
}

bool efivar_string(const unsigned char *data, size_t len, char *out, size_t size)
{
	out[0] = '\0';
	if (len < 4)
		return false;
	utf16le_to_utf8(data + 4, len - 4, out, size);
	return true;
}
