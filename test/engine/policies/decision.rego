# A minimal decision policy for the engine tests: SQL writes need group `dba`, DELETE needs an
# approval, reading `people` masks `people.ssn`; destructive shell commands and unsafe HTTP
# requests are denied; MCP tools come from data.
package portcullis

import rego.v1

write_types := {"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "DROP", "ALTER", "CREATE", "GRANT", "REVOKE"}

sql_writes if {
	input.action.kind == "sql"
	some s in input.action.statements
	s.type in write_types
}

sql_writes if {
	input.action.kind == "sql"
	some s in input.action.statements
	count(s.writes) > 0
}

deny contains {"rule": "input.parse_error", "message": input.action.parse_error.message} if {
	input.action.parse_error
}

deny contains {"rule": "sql.write_requires_dba", "message": "SQL writes need group dba"} if {
	sql_writes
	not "dba" in input.identity.groups
}

deny contains {"rule": "shell.destructive", "message": sprintf("%s is not allowed", [c.program])} if {
	input.action.kind == "shell"
	some c in input.action.commands
	c.program in {"rm", "mkfs", "dd", "shutdown", "reboot"}
}

deny contains {"rule": "http.method", "message": sprintf("%s needs group dev", [input.action.method])} if {
	input.action.kind == "http"
	not input.action.method in {"GET", "HEAD", "OPTIONS"}
	not "dev" in input.identity.groups
}

deny contains {"rule": "http.flags", "message": sprintf("suspicious request: %s", [f])} if {
	input.action.kind == "http"
	some f in input.action.flags
	f in {"path_traversal", "encoded_slash", "double_encoding"}
}

deny contains {"rule": "mcp.tool", "message": sprintf("tool %s is not allowed", [input.action.tool])} if {
	input.action.kind == "mcp"
	not input.action.tool in allowed_tools
}

allowed_tools contains t if some t in data.tools.allowed

default allow := false

allow if count(deny) == 0

deletes if {
	input.action.kind == "sql"
	some s in input.action.statements
	s.type == "DELETE"
}

default approval := {"required": false, "approvers": [], "ttl": 0}

approval := {"required": true, "approvers": ["dba-leads"], "ttl": "15m"} if deletes

masks contains {"target": {"kind": "column", "table": "people", "column": "ssn"}, "strategy": {"kind": "redact"}} if {
	input.action.kind == "sql"
	some s in input.action.statements
	some t in s.reads
	t.canonical == "people"
}

record := {"level": "metadata"} if {
	input.action.kind == "http"
	input.action.method == "GET"
}

decision := d if {
	d := object.union(
		{
			"allow": allow,
			"reasons": [r | some r in deny],
			"approval": approval,
			"masks": [m | some m in masks],
		},
		{k: v | some k, v in {"record": record}},
	)
}
