# METADATA
# title: SQL
# description: |
#   Read-only by default. Writes need a writer group, and writes to production tables need an
#   approval. DDL, COPY ... PROGRAM, server file and large-object functions, ALTER SYSTEM, role
#   and privilege changes, changes to settings not in data.config.sql.allowed_settings
#   (search_path, standard_conforming_strings, ...; via SET, RESET or set_config()), code blocks,
#   unknown statement kinds and parse errors are denied.
#   PII columns named in data.config.sql.pii_columns are masked, following column lineage.
package portcullis.sql

import data.portcullis.lib
import rego.v1

cfg := data.config.sql

# --- every statement, nested ones included --------------------------------------------------

# Nested statements (CTEs, subqueries, code bodies, PREPARE, EXPLAIN, ...) are flattened to a
# fixed depth; anything deeper is denied. (The `walk` builtin is 1.5-2x slower here.)
level0 := input.action.statements

level1 := [n | some s in level0; some n in s.nested]

level2 := [n | some s in level1; some n in s.nested]

level3 := [n | some s in level2; some n in s.nested]

level4 := [n | some s in level3; some n in s.nested]

level5 := [n | some s in level4; some n in s.nested]

statements := array.concat(array.concat(array.concat(level0, level1), array.concat(level2, level3)), array.concat(level4, level5))

# Types that have a rule of their own below; the generic type rule leaves them alone.
specific_types := {"DDL", "TRUNCATE", "ALTER_SYSTEM", "GRANT", "UNKNOWN", "SET", "DO"}

function_name(f) := lower(f.name)

writes_anything(s) if count(s.writes) > 0

writes_anything(s) if s.type in cfg.write_types

# --- denials --------------------------------------------------------------------------------

deny contains {"rule": "sql.parse_error", "message": sprintf("the SQL could not be parsed (%s): %s", [e.code, e.message])} if {
	e := input.action.parse_error
}

deny contains {"rule": "sql.empty", "message": "the request holds no SQL statement"} if {
	not input.action.parse_error
	count(input.action.statements) == 0
}

deny contains {"rule": "sql.nesting_too_deep", "message": "statements are nested deeper than the policy inspects"} if {
	some s in level5
	count(s.nested) > 0
}

deny contains {"rule": "sql.ddl", "message": sprintf("schema changes (%s) are not allowed", [s.raw_kind])} if {
	some s in statements
	s.type == "DDL"
}

deny contains {"rule": "sql.truncate", "message": sprintf("TRUNCATE of %s is not allowed", [concat(", ", [t.canonical | some t in s.writes])])} if {
	some s in statements
	s.type == "TRUNCATE"
}

deny contains {"rule": "sql.copy_program", "message": "COPY ... PROGRAM runs a command on the database server"} if {
	some s in statements
	"copy_program" in s.flags
}

deny contains {"rule": "sql.server_file", "message": sprintf("reading or writing server files (%s) is not allowed", [f])} if {
	some s in statements
	some f in s.flags
	f in {"copy_file", "file_write", "file_read"}
}

deny contains {"rule": "sql.file_function", "message": sprintf("server file function %s() is not allowed", [name])} if {
	some s in statements
	some f in s.functions
	name := function_name(f)
	name in cfg.file_functions
}

deny contains {"rule": "sql.large_object", "message": sprintf("large-object function %s() is not allowed", [name])} if {
	some s in statements
	some f in s.functions
	name := function_name(f)
	large_object_function(name)
}

large_object_function(name) if name in cfg.large_object_functions

large_object_function(name) if startswith(name, "lo_")

deny contains {"rule": "sql.dangerous_function", "message": sprintf("function %s() is not allowed", [name])} if {
	some s in statements
	some f in s.functions
	name := function_name(f)
	name in cfg.dangerous_functions
}

deny contains {"rule": "sql.alter_system", "message": "ALTER SYSTEM changes the server configuration"} if {
	some s in statements
	s.type == "ALTER_SYSTEM"
}

deny contains {"rule": "sql.role_change", "message": "changing the session role or authorization is not allowed"} if {
	some s in statements
	"role_change" in s.flags
}

deny contains {"rule": "sql.role_admin", "message": sprintf("role administration (%s) is not allowed", [s.raw_kind])} if {
	some s in statements
	"role_admin" in s.flags
}

deny contains {"rule": "sql.grant", "message": "GRANT and REVOKE are not allowed"} if {
	some s in statements
	s.type == "GRANT"
}

# Settings may change only where data.config.sql.allowed_settings lists them (timeouts, the
# application name, date and time formats): search_path (object resolution),
# standard_conforming_strings (string escaping) and everything else stay as the server set them.
# "*" (RESET ALL, a computed set_config() name) is never allowed.
deny contains {"rule": "sql.set_config", "message": sprintf("changing the setting %s is not allowed", [name])} if {
	some s in statements
	some name in object.get(s, "settings", [])
	not setting_allowed(name)
}

# A statement that changes settings without naming them (an older document) is refused whole.
deny contains {"rule": "sql.set_config", "message": "changing settings the document does not name is not allowed"} if {
	some s in statements
	"set_config" in s.flags
	count(object.get(s, "settings", [])) == 0
}

setting_allowed(name) if name in cfg.allowed_settings

# MySQL user variables (`SET @x = 1`) are the session's own values, not server settings.
setting_allowed(name) if {
	input.action.dialect == "mysql"
	startswith(name, "@")
}

deny contains {"rule": "sql.code_block", "message": sprintf("code blocks and dynamic SQL (%s) are not allowed", [f])} if {
	some s in statements
	some f in s.flags
	f in {"code_block", "code_opaque", "dynamic_sql"}
}

deny contains {"rule": "sql.load_library", "message": sprintf("loading server code (%s) is not allowed", [f])} if {
	some s in statements
	some f in s.flags
	f in {"load_library", "extension"}
}

deny contains {"rule": "sql.unknown_statement", "message": sprintf("statement kind %s is not understood by the gateway", [s.raw_kind])} if {
	some s in statements
	s.type == "UNKNOWN"
}

deny contains {"rule": "sql.statement_type", "message": sprintf("%s statements are not allowed", [s.type])} if {
	some s in statements
	not s.type in specific_types
	not s.type in cfg.read_types
	not s.type in cfg.write_types
}

deny contains {"rule": "sql.write", "message": sprintf("%v may not write (%s)", [lib.show(input.identity.sub), concat(", ", written)])} if {
	writes
	not lib.in_any(cfg.writer_groups)
	written := sort({t.canonical | some s in statements; some t in s.writes} | {s.type | some s in statements; s.type in cfg.write_types})
}

deny contains {"rule": "sql.no_access", "message": sprintf("%v is in no SQL reader or writer group", [lib.show(input.identity.sub)])} if {
	not lib.in_any(cfg.reader_groups)
	not lib.in_any(cfg.writer_groups)
}

writes if {
	some s in statements
	writes_anything(s)
}

# --- grant ----------------------------------------------------------------------------------

granted if {
	count(input.action.statements) > 0
	lib.in_any(cfg.reader_groups)
}

granted if {
	count(input.action.statements) > 0
	lib.in_any(cfg.writer_groups)
}

# --- approvals ------------------------------------------------------------------------------

approval contains {
	"rule": "sql.production_write",
	"message": sprintf("writes to production table %s need an approval", [t.canonical]),
	"approvers": cfg.approvers,
} if {
	lib.production
	some s in statements
	some t in s.writes
	some p in cfg.production_tables
	lib.table_matches(t.canonical, p)
}

# --- masks ----------------------------------------------------------------------------------

# Output columns whose lineage names a PII column (directly, as a candidate, or through `*`).
masks contains {"target": {"kind": "column", "table": table, "column": column}, "strategy": strategy} if {
	some s in statements
	some l in s.lineage
	some src in lineage_sources(l)
	source := lib.name_parts(src.table)
	some [table, parts] in pii_by_name[source[count(source) - 1]]
	lib.parts_match(source, parts)
	some column, strategy in cfg.pii_columns[table]
	column_matches(src.column, column)
}

# Fail closed: any PII table read, even where lineage is empty (COPY, functions), masks its
# PII columns; the masker applies a column target only where the result's lineage matches.
masks contains {"target": {"kind": "column", "table": table, "column": column}, "strategy": strategy} if {
	some s in statements
	some t in s.reads
	read := lib.name_parts(t.canonical)
	some [table, parts] in pii_by_name[read[count(read) - 1]]
	lib.parts_match(read, parts)
	some column, strategy in cfg.pii_columns[table]
}

# The configured PII tables, each with its split name, under the last part of that name
# (`public.users` → "users": {["public.users", ["public", "users"]]}), so a table read is
# compared only with the PII tables it could be. It depends on data alone: it is built once per
# data document.
pii_tables := {table: lib.name_parts(table) | some table, _ in cfg.pii_columns}

pii_by_name := {name: {[table, parts] | some table, parts in pii_tables; parts[count(parts) - 1] == name} |
	some parts in pii_tables
	name := parts[count(parts) - 1]
}

lineage_sources(l) := [l.source] if is_object(l.source)

lineage_sources(l) := object.get(l, "candidates", []) if not is_object(l.source)

column_matches(src, _) if src == "*"

column_matches(src, column) if lower(src) == column
