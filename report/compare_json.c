/* SPDX-License-Identifier: MIT */
/* The comparison for scripts, schema hvprobe-compare/1 (docs/json.md). */
#include "compare_render.h"
#include "json_writer.h"

static void write_side(struct json_writer *w, const char *key, const struct snapshot *s,
		       const char *path)
{
	jw_object_begin(w, key);
	jw_string(w, "path", path);
	jw_string(w, "hostname", s->hostname[0] ? s->hostname : NULL);
	jw_string(w, "machine_id", s->machine_id[0] ? s->machine_id : NULL);
	jw_string(w, "taken_at", s->taken_at[0] ? s->taken_at : NULL);
	jw_string(w, "target", s->target);
	jw_string(w, "verdict", s->verdict);
	jw_object_end(w);
}

static void write_checks(struct json_writer *w, const char *key, const struct check_change *list,
			 size_t n)
{
	jw_array_begin(w, key);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w, NULL);
		jw_string(w, "id", list[i].id);
		jw_string(w, "before", list[i].missing_before ? NULL : check_status_name(list[i].before));
		jw_string(w, "after", list[i].missing_after ? NULL : check_status_name(list[i].after));
		jw_string(w, "summary", list[i].summary);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_item(struct json_writer *w, const char *key, const struct snap_item *it)
{
	if (!it) {
		jw_null(w, key);
		return;
	}
	jw_object_begin(w, key);
	jw_string(w, "kind", it->kind);
	jw_string(w, "name", it->name);
	jw_string(w, "version", it->version[0] ? it->version : NULL);
	jw_string(w, "state", it->state[0] ? it->state : NULL);
	jw_string(w, "installed_at", it->installed_at[0] ? it->installed_at : NULL);
	jw_object_end(w);
}

static void write_changes(struct json_writer *w, const struct comparison *c)
{
	jw_object_begin(w, "changes");
	jw_array_begin(w, "updates");
	for (size_t i = 0; i < c->nitems; i++) {
		const struct item_change *ch = &c->items[i];
		jw_object_begin(w, NULL);
		jw_string(w, "change", !ch->before ? "added" : !ch->after ? "removed" : "changed");
		write_item(w, "before", ch->before);
		write_item(w, "after", ch->after);
		jw_object_end(w);
	}
	jw_array_end(w);
	for (int g = 0; g < GROUP_COUNT; g++) {
		jw_array_begin(w, change_group_name((enum change_group)g));
		for (size_t i = 0; i < c->nfacts; i++) {
			if ((int)c->facts[i].group != g)
				continue;
			jw_object_begin(w, NULL);
			jw_string(w, "key", c->facts[i].key);
			jw_string(w, "before", c->facts[i].before);
			jw_string(w, "after", c->facts[i].after);
			jw_object_end(w);
		}
		jw_array_end(w);
	}
	jw_object_end(w);
}

static void write_suspects(struct json_writer *w, const struct comparison *c)
{
	jw_array_begin(w, "suspects");
	for (size_t i = 0; i < c->nsuspects; i++) {
		const struct item_change *ch = c->suspects[i];
		struct strbuf cmd;
		sb_init(&cmd);
		jw_object_begin(w, NULL);
		write_item(w, "update", ch->after);
		suspect_remove_command(ch->after, ch->before, &cmd);
		jw_string(w, "remove", sb_str(&cmd));
		cmd.len = 0;
		suspect_hold_command(ch->after, &cmd);
		jw_string(w, "hold", sb_str(&cmd));
		sb_free(&cmd);
		if (ch->known) {
			jw_object_begin(w, "known_bad");
			jw_string(w, "platforms", ch->known->platforms);
			jw_string(w, "symptom", ch->known->symptom);
			jw_string(w, "source", ch->known->source);
			jw_string(w, "fix", ch->known->fix);
			jw_object_end(w);
		} else {
			jw_null(w, "known_bad");
		}
		jw_object_end(w);
	}
	jw_array_end(w);
}

void compare_json(const struct comparison *c, const char *baseline_name, struct strbuf *out)
{
	struct json_writer w;
	jw_init(&w, out);
	jw_object_begin(&w, NULL);
	jw_string(&w, "schema", COMPARE_SCHEMA);
	jw_object_begin(&w, "tool");
	jw_string(&w, "name", "hvprobe");
	jw_string(&w, "version", HVPROBE_VERSION);
	jw_object_end(&w);
	write_side(&w, "baseline", c->baseline, baseline_name);
	write_side(&w, "current", c->current, NULL);
	jw_string(&w, "result", compare_outcome_name(c->outcome));
	write_checks(&w, "regressions", c->regressions, c->nregressions);
	write_checks(&w, "improvements", c->improvements, c->nimprovements);
	write_checks(&w, "unchanged_failures", c->failing, c->nfailing);
	write_checks(&w, "undecided", c->undecided, c->nundecided);
	write_changes(&w, c);
	write_suspects(&w, c);
	jw_object_end(&w);
}
