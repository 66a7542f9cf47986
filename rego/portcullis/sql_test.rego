package portcullis.sql_test

import data.portcullis.sql
import rego.v1

# --- fixtures -------------------------------------------------------------------------------

stmt(type) := {
	"type": type, "raw_kind": "Stmt", "reads": [], "writes": [], "other": [], "columns": [],
	"functions": [], "flags": [], "settings": [], "nested": [], "lineage": [],
}

with_fields(type, fields) := object.union(stmt(type), fields)

table(canonical) := {"schema": null, "name": canonical, "quoted": [false], "canonical": canonical}

func(name) := {"schema": null, "name": name, "quoted": [false], "canonical": name}

doc(statements) := {"version": 1, "kind": "sql", "dialect": "pg", "statements": statements}

req(statements, groups, target) := {
	"action": doc(statements),
	"identity": {"sub": "alice", "groups": groups, "claims": {}},
	"connection": {"name": "orders-db", "kind": "postgres", "target": target},
	"context": {"time": "2026-01-01T00:00:00Z", "session": {}, "approvals": []},
}

dev(statements) := req(statements, ["developers"], "staging")

analyst(statements) := req(statements, ["analysts"], "staging")

denied := {r.rule | some r in sql.deny}

approvals := {a.rule | some a in sql.approval}

# --- reads ----------------------------------------------------------------------------------

test_select_is_granted_and_clean if {
	sql.granted with input as analyst([with_fields("SELECT", {"reads": [table("orders")]})])
	count(sql.deny) == 0 with input as analyst([with_fields("SELECT", {"reads": [table("orders")]})])
}

test_read_types_allowed if {
	every t in ["SELECT", "SHOW", "EXPLAIN", "TXN"] {
		count(sql.deny) == 0 with input as analyst([stmt(t)])
	}
}

test_no_group_no_grant if {
	not sql.granted with input as req([stmt("SELECT")], ["marketing"], "staging")
	"sql.no_access" in denied with input as req([stmt("SELECT")], ["marketing"], "staging")
}

test_empty_statement_list_denied if {
	"sql.empty" in denied with input as analyst([])
	not sql.granted with input as analyst([])
}

test_parse_error_denied if {
	"sql.parse_error" in denied with input as {
		"action": {"kind": "sql", "statements": [], "parse_error": {"code": "syntax_error", "message": "syntax error at or near \"SELEC\""}},
		"identity": {"sub": "alice", "groups": ["analysts"], "claims": {}},
	}
}

# --- dangerous statements -------------------------------------------------------------------

test_ddl_denied if {
	"sql.ddl" in denied with input as dev([with_fields("DDL", {"raw_kind": "DropStmt", "writes": [table("users")]})])
}

test_ddl_denied_even_for_dba if {
	"sql.ddl" in denied with input as req([stmt("DDL")], ["dba"], "staging")
}

test_truncate_denied if {
	"sql.truncate" in denied with input as dev([with_fields("TRUNCATE", {"writes": [table("orders")]})])
}

test_copy_program_denied if {
	"sql.copy_program" in denied with input as dev([with_fields("COPY", {"flags": ["copy_program"], "writes": [table("t")]})])
}

test_copy_to_server_file_denied if {
	"sql.server_file" in denied with input as dev([with_fields("COPY", {"flags": ["copy_file"]})])
}

test_mysql_outfile_denied if {
	"sql.server_file" in denied with input as dev([with_fields("SELECT", {"flags": ["file_write"]})])
}

test_file_function_denied if {
	"sql.file_function" in denied with input as analyst([with_fields("SELECT", {"functions": [func("pg_read_file")]})])
}

test_file_function_case_insensitive if {
	"sql.file_function" in denied with input as analyst([with_fields("SELECT", {"functions": [func("PG_LS_DIR")]})])
}

test_large_object_denied if {
	"sql.large_object" in denied with input as analyst([with_fields("SELECT", {"functions": [func("lo_import")]})])
	"sql.large_object" in denied with input as analyst([with_fields("SELECT", {"functions": [func("lo_something_new")]})])
}

test_dangerous_function_denied if {
	"sql.dangerous_function" in denied with input as analyst([with_fields("SELECT", {"functions": [func("pg_terminate_backend")]})])
}

test_ordinary_function_allowed if {
	count(sql.deny) == 0 with input as analyst([with_fields("SELECT", {"functions": [func("now")]})])
}

test_alter_system_denied if {
	"sql.alter_system" in denied with input as req([with_fields("ALTER_SYSTEM", {"flags": ["set_config"]})], ["dba"], "staging")
}

test_role_change_denied if {
	"sql.role_change" in denied with input as dev([with_fields("SET", {"flags": ["role_change", "set_config"]})])
}

test_role_admin_denied if {
	"sql.role_admin" in denied with input as dev([with_fields("DDL", {"raw_kind": "CreateRoleStmt", "flags": ["role_admin"]})])
}

test_grant_denied if {
	"sql.grant" in denied with input as req([stmt("GRANT")], ["dba"], "staging")
}

test_set_search_path_denied if {
	"sql.set_config" in denied with input as analyst([with_fields("SET", {"flags": ["set_config"], "settings": ["search_path"]})])
	"sql.set_config" in denied with input as analyst([with_fields("SET", {"flags": ["set_config"], "settings": ["standard_conforming_strings"]})])
}

test_set_unnamed_or_any_denied if {
	unnamed := object.remove(with_fields("SET", {"flags": ["set_config"]}), ["settings"])
	"sql.set_config" in denied with input as analyst([unnamed])
	"sql.set_config" in denied with input as analyst([with_fields("SET", {"flags": ["set_config"]})])
	"sql.set_config" in denied with input as analyst([with_fields("SET", {"flags": ["set_config"], "settings": ["*"]})])
}

test_set_allowed_setting_allowed if {
	count(denied) == 0 with input as analyst([with_fields("SET", {"flags": ["set_config"], "settings": ["statement_timeout"]})])
	sql.granted with input as analyst([with_fields("SET", {"flags": ["set_config"], "settings": ["statement_timeout"]})])
}

test_set_config_function_denied if {
	"sql.set_config" in denied with input as analyst([with_fields("SELECT", {"functions": [func("set_config")], "flags": ["set_config"], "settings": ["search_path"]})])
}

test_set_in_nested_statement_denied if {
	nested := object.union(stmt("SELECT"), {"origin": "cte", "flags": ["set_config"], "settings": ["search_path"]})
	"sql.set_config" in denied with input as analyst([with_fields("SELECT", {"nested": [nested]})])
}

test_mysql_user_variable_allowed_system_variable_denied if {
	user := object.union(analyst([with_fields("SET", {"flags": ["set_config"], "settings": ["@x"]})]), {"action": {"dialect": "mysql"}})
	count(denied) == 0 with input as user
	not "sql.set_config" in denied with input as user
	global := object.union(analyst([with_fields("SET", {"flags": ["set_config"], "settings": ["global.max_connections"]})]), {"action": {"dialect": "mysql"}})
	"sql.set_config" in denied with input as global
}

test_code_block_denied if {
	"sql.code_block" in denied with input as dev([with_fields("DO", {"flags": ["code_block"]})])
	"sql.code_block" in denied with input as dev([with_fields("DDL", {"flags": ["code_opaque"]})])
	"sql.code_block" in denied with input as dev([with_fields("SELECT", {"flags": ["dynamic_sql"]})])
}

test_load_library_denied if {
	"sql.load_library" in denied with input as req([with_fields("LOAD", {"flags": ["load_library"]})], ["dba"], "staging")
	"sql.load_library" in denied with input as req([with_fields("DDL", {"flags": ["extension"]})], ["dba"], "staging")
}

test_unknown_statement_denied if {
	"sql.unknown_statement" in denied with input as req([stmt("UNKNOWN")], ["dba"], "staging")
}

test_other_statement_types_denied if {
	every t in ["CALL", "LOCK", "VACUUM", "NOTIFY", "PREPARE", "EXECUTE", "COPY", "LISTEN"] {
		"sql.statement_type" in denied with input as req([stmt(t)], ["dba"], "staging")
	}
}

test_statement_type_configurable if {
	count(sql.deny) == 0 with input as analyst([stmt("CALL")])
		with data.config.sql.read_types as ["SELECT", "CALL"]
}

# --- nesting --------------------------------------------------------------------------------

test_nested_ddl_in_cte_denied if {
	inner := object.union(stmt("DDL"), {"origin": "cte"})
	"sql.ddl" in denied with input as dev([with_fields("SELECT", {"nested": [inner]})])
}

test_deeply_nested_copy_program_denied if {
	l3 := object.union(with_fields("COPY", {"flags": ["copy_program"]}), {"origin": "code_block"})
	l2 := object.union(with_fields("SELECT", {"nested": [l3]}), {"origin": "subquery"})
	l1 := object.union(with_fields("SELECT", {"nested": [l2]}), {"origin": "subquery"})
	"sql.copy_program" in denied with input as dev([with_fields("SELECT", {"nested": [l1]})])
}

test_nesting_too_deep_denied if {
	leaf := object.union(stmt("SELECT"), {"origin": "subquery"})
	n6 := object.union(with_fields("SELECT", {"nested": [leaf]}), {"origin": "subquery"})
	n5 := object.union(with_fields("SELECT", {"nested": [n6]}), {"origin": "subquery"})
	n4 := object.union(with_fields("SELECT", {"nested": [n5]}), {"origin": "subquery"})
	n3 := object.union(with_fields("SELECT", {"nested": [n4]}), {"origin": "subquery"})
	n2 := object.union(with_fields("SELECT", {"nested": [n3]}), {"origin": "subquery"})
	"sql.nesting_too_deep" in denied with input as analyst([with_fields("SELECT", {"nested": [n2]})])
}

# --- writes ---------------------------------------------------------------------------------

test_write_needs_writer_group if {
	"sql.write" in denied with input as analyst([with_fields("UPDATE", {"writes": [table("orders")]})])
}

test_select_with_writing_cte_needs_writer if {
	"sql.write" in denied with input as analyst([with_fields("SELECT", {"writes": [table("orders")]})])
}

test_writer_may_write_outside_production if {
	count(sql.deny) == 0 with input as dev([with_fields("INSERT", {"writes": [table("orders")]})])
	count(sql.approval) == 0 with input as dev([with_fields("INSERT", {"writes": [table("orders")]})])
}

test_production_table_write_needs_approval if {
	"sql.production_write" in approvals with input as req([with_fields("DELETE", {"writes": [table("orders")]})], ["developers"], "prod")
}

test_production_write_approvers_from_data if {
	some a in sql.approval with input as req([with_fields("DELETE", {"writes": [table("public.orders")]})], ["developers"], "prod")
	a.approvers == ["dba-leads"]
}

test_unlisted_table_in_production_no_approval if {
	count(sql.approval) == 0 with input as req([with_fields("INSERT", {"writes": [table("scratch")]})], ["developers"], "prod")
}

test_other_schema_is_not_production_table if {
	count(sql.approval) == 0 with input as req([with_fields("INSERT", {"writes": [table("audit.orders")]})], ["developers"], "prod")
}

test_production_tables_from_data if {
	"sql.production_write" in approvals with input as req([with_fields("INSERT", {"writes": [table("scratch")]})], ["developers"], "prod")
		with data.config.sql.production_tables as ["scratch"]
}

# --- masks ----------------------------------------------------------------------------------

lineage(table, column) := {"name": column, "source": {"table": table, "column": column}}

mask_columns := {sprintf("%s.%s:%s", [m.target.table, m.target.column, m.strategy.kind]) | some m in sql.masks}

test_pii_masked_through_lineage if {
	s := with_fields("SELECT", {"lineage": [lineage("users", "email")]})
	"public.users.email:hash" in mask_columns with input as analyst([s])
}

test_pii_masked_through_lineage_candidates if {
	s := with_fields("SELECT", {"lineage": [{"name": "x", "source": "unknown", "candidates": [{"table": "public.people", "column": "ssn"}]}]})
	"public.people.ssn:redact" in mask_columns with input as analyst([s])
}

test_pii_masked_through_star if {
	s := with_fields("SELECT", {"lineage": [lineage("public.users", "*")]})
	ms := mask_columns with input as analyst([s])
	"public.users.email:hash" in ms
	"public.users.phone:partial" in ms
	"public.users.ssn:redact" in ms
}

test_pii_masked_for_tables_read_without_lineage if {
	s := with_fields("COPY", {"reads": [table("users")], "flags": ["copy_stdio"]})
	"public.users.ssn:redact" in mask_columns with input as analyst([s])
}

test_no_masks_for_other_tables if {
	s := with_fields("SELECT", {"reads": [table("orders")], "lineage": [lineage("orders", "email")]})
	count(sql.masks) == 0 with input as analyst([s])
}

test_pii_columns_from_data if {
	s := with_fields("SELECT", {"lineage": [lineage("t", "secret")]})
	mask_columns == {"t.secret:null"} with input as analyst([s])
		with data.config.sql.pii_columns as {"t": {"secret": {"kind": "null"}}}
}
