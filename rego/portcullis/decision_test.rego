package portcullis.decision_test

import data.portcullis
import rego.v1

# --- fixtures -------------------------------------------------------------------------------

stmt(type, writes) := {
	"type": type, "raw_kind": "Stmt", "reads": [], "writes": [w | some n in writes; w := {"schema": null, "name": n, "quoted": [false], "canonical": n}],
	"columns": [], "other": [], "functions": [], "flags": [], "nested": [], "lineage": [],
}

sql(statements) := {"version": 1, "kind": "sql", "dialect": "pg", "statements": statements}

req(action, groups, connection, target) := {
	"action": action,
	"identity": {"sub": "alice", "groups": groups, "claims": {}},
	"connection": {"name": connection, "kind": "postgres", "target": target},
	"context": {"time": "2026-01-01T00:00:00Z", "session": {}, "approvals": []},
}

select := req(sql([stmt("SELECT", [])]), ["analysts"], "orders-db", "prod")

prod_delete := req(sql([stmt("DELETE", ["orders"])]), ["developers"], "orders-db", "prod")

rules(d) := {r.rule | some r in d.reasons}

# --- shape ----------------------------------------------------------------------------------

test_decision_has_every_field if {
	d := portcullis.decision with input as select
	object.keys(d) == {"allow", "reasons", "approval", "masks", "record"}
	d.approval == {"required": false, "approvers": [], "ttl": 0}
	d.record == {"level": "full"}
}

test_allowed_read if {
	d := portcullis.decision with input as select
	d.allow == true
	d.reasons == []
}

test_denied_with_reason_and_rule_name if {
	d := portcullis.decision with input as req(sql([stmt("DDL", ["x"])]), ["developers"], "orders-db", "staging")
	d.allow == false
	some r in d.reasons
	r.rule == "sql.ddl"
	is_string(r.message)
}

test_every_reason_names_a_rule if {
	d := portcullis.decision with input as req(sql([stmt("DDL", ["x"]), stmt("UNKNOWN", [])]), ["developers"], "orders-db", "staging")
	count(d.reasons) >= 2
	every r in d.reasons {
		regex.match(`^[a-z]+\.[a-z_]+$`, r.rule)
	}
}

# --- default deny ---------------------------------------------------------------------------

test_unknown_kind_denied if {
	d := portcullis.decision with input as req({"kind": "ftp"}, ["developers"], "orders-db", "staging")
	d.allow == false
	"input.unknown_kind" in rules(d)
}

test_missing_kind_denied if {
	d := portcullis.decision with input as req({}, ["developers"], "orders-db", "staging")
	d.allow == false
	"input.unknown_kind" in rules(d)
}

test_missing_identity_denied if {
	d := portcullis.decision with input as object.union(select, {"identity": {"sub": "", "groups": ["analysts"], "claims": {}}})
	d.allow == false
	"identity.missing" in rules(d)
}

test_unknown_connection_denied if {
	d := portcullis.decision with input as req(sql([stmt("SELECT", [])]), ["analysts"], "nowhere", "prod")
	d.allow == false
	"connection.unknown" in rules(d)
}

test_connection_groups if {
	d := portcullis.decision with input as req(sql([stmt("SELECT", [])]), ["analysts"], "app-hosts", "prod")
	"connection.group" in rules(d)
}

test_not_granted_is_a_reason if {
	d := portcullis.decision with input as select with data.config.sql.reader_groups as [] with data.config.sql.writer_groups as []
	d.allow == false
	"sql.no_access" in rules(d)
}

test_default_deny_when_nothing_grants if {
	d := portcullis.decision with input as req(sql([]), ["analysts"], "orders-db", "prod") with data.config.sql.read_types as []
	d.allow == false
	count(d.reasons) > 0
}

test_not_granted_reason if {
	# Nothing refuses, nothing grants: the default deny speaks.
	d := portcullis.decision with input as req({"kind": "mcp", "server": "x", "method": "tools/list", "flags": [], "id": 1, "params": {}}, ["developers"], "github-mcp", "saas")
		with data.config.mcp.housekeeping_methods as ["tools/list"]
		with data.config.mcp.tools as {}
	d.allow == false
	"mcp.no_access" in rules(d)
}

test_kind_not_granted_message if {
	d := portcullis.decision with input as select with data.portcullis.sql.granted as false
	d.allow == false
	rules(d) == {"sql.not_granted"}
}

# --- approvals ------------------------------------------------------------------------------

test_approval_required_for_production_write if {
	d := portcullis.decision with input as prod_delete
	d.allow == true
	d.approval == {"required": true, "approvers": ["dba-leads"], "ttl": "15m"}
	rules(d) == {"sql.production_write"}
}

test_granted_approval_for_the_rule_satisfies_it if {
	d := portcullis.decision with input as prod_delete with input.context.approvals as [{"id": "a1", "rule": "sql.production_write", "approver": "dan"}]
	d.allow == true
	d.approval.required == false
	d.reasons == []
}

test_approval_for_another_rule_does_not if {
	d := portcullis.decision with input as prod_delete with input.context.approvals as [{"id": "a1", "rule": "http.mutation"}]
	d.approval.required == true
}

test_grant_without_rule_covers_all if {
	d := portcullis.decision with input as prod_delete with input.context.approvals as [{"id": "g1", "approver": "dan"}]
	d.approval.required == false
}

test_no_approval_on_deny if {
	d := portcullis.decision with input as req(sql([stmt("DELETE", ["orders"]), stmt("DDL", [])]), ["developers"], "orders-db", "prod")
	d.allow == false
	d.approval.required == false
	not "sql.production_write" in rules(d)
}

test_approval_ttl_from_data if {
	d := portcullis.decision with input as prod_delete with data.config.approvals.ttl as "1h"
	d.approval.ttl == "1h"
}

# --- masks and record -----------------------------------------------------------------------

test_masks_in_decision if {
	s := object.union(stmt("SELECT", []), {"lineage": [{"name": "ssn", "source": {"table": "people", "column": "ssn"}}]})
	d := portcullis.decision with input as req(sql([s]), ["analysts"], "orders-db", "prod")
	{"target": {"kind": "column", "table": "public.people", "column": "ssn"}, "strategy": {"kind": "redact"}} in d.masks
}

test_record_level_from_data if {
	d := portcullis.decision with input as select with data.config.record.level as "metadata"
	d.record == {"level": "metadata"}
}

test_denials_recorded_in_full if {
	d := portcullis.decision with input as req(sql([stmt("DDL", [])]), ["developers"], "orders-db", "staging")
		with data.config.record.level as "metadata"
	d.record == {"level": "full"}
}

# --- other kinds route to their packages ----------------------------------------------------

test_shell_routes if {
	a := {"kind": "shell", "commands": [], "redirections": [], "assignments": [], "network": {}, "parse_error": {"code": "syntax_error", "message": "x"}}
	d := portcullis.decision with input as req(a, ["sre"], "app-hosts", "staging")
	rules(d) == {"shell.parse_error"}
}

test_http_routes if {
	a := {"kind": "http", "flags": [], "parse_error": {"code": "invalid_url", "message": "x"}}
	d := portcullis.decision with input as req(a, ["developers"], "internal-api", "prod")
	rules(d) == {"http.parse_error"}
}

test_mcp_routes if {
	a := {"kind": "mcp", "server": "github-mcp", "parse_error": {"code": "invalid_json", "message": "x"}}
	d := portcullis.decision with input as req(a, ["agents"], "github-mcp", "saas")
	rules(d) == {"mcp.parse_error"}
}
