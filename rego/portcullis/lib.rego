# METADATA
# title: Shared functions
# description: |
#   Identity and naming functions the per-kind packages share. Nothing here decides anything.
package portcullis.lib

import rego.v1

# The caller belongs to at least one of `groups`.
in_any(groups) if {
	some g in input.identity.groups
	g in groups
}

# The connection is a production one (its target is listed in data.config.production_targets).
production if input.connection.target in data.config.production_targets

# Lowercased, unquoted parts of a dotted name: `public."Users"` → ["public", "users"].
# A quoted part containing a dot is split too: over-matching is the safe error here.
name_parts(name) := [trim(lower(p), "\"") | some p in split(name, ".")]

# Two table names may denote the same table: the last parts are equal and, when both carry a
# schema, the schemas are equal too (`users` matches `public.users`; `app.users` does not).
table_matches(a, b) if parts_match(name_parts(a), name_parts(b))

# table_matches on names already split by name_parts: a policy that tests one name against
# many splits each name once.
parts_match(pa, pb) if {
	pa[count(pa) - 1] == pb[count(pb) - 1]
	not schema_differs(pa, pb)
}

schema_differs(pa, pb) if {
	count(pa) > 1
	count(pb) > 1
	pa[count(pa) - 2] != pb[count(pb) - 2]
}

# A short, printable form of a value for messages.
show(x) := x if is_string(x)

show(x) := sprintf("%v", [x]) if not is_string(x)
