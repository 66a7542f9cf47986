# METADATA
# title: Sample gate
# description: |
#   A small policy for `portcullis demo`: it reads the policy input (action, identity,
#   connection, context) and returns one decision with every obligation.
package sample.gate

read_only_kinds := {"select", "show", "explain"}

ddl_kinds := {"drop", "truncate", "alter"}

pii_columns := {"email": "hash", "phone": "redact", "ssn": "redact"}

default allow := false

allow if {
	input.action.kind in {"sql", "shell"}
	count(deny) == 0
}

deny contains {"rule": "sql.ddl", "message": "schema changes are not allowed through the gateway", "statement": s.type} if {
	input.action.kind == "sql"
	some s in input.action.statements
	s.type in ddl_kinds
}

deny contains {"rule": "shell.destructive", "message": "destructive command", "command": c.argv[0]} if {
	input.action.kind == "shell"
	some c in input.action.commands
	c.argv[0] in {"rm", "mkfs", "dd", "shutdown"}
}

deny contains {"rule": "identity.group", "message": "caller is in no allowed group"} if {
	not allowed_group
}

deny contains {"rule": "input.parse_error", "message": input.action.parse_error} if {
	input.action.parse_error
}

allowed_group if {
	some g in input.identity.groups
	g in {"analysts", "sre", "db-admins"}
}

writes if {
	input.action.kind == "sql"
	some s in input.action.statements
	not s.type in read_only_kinds
}

default approval := {"required": false, "approvers": [], "ttl": 0}

approval := {"required": true, "approvers": ["db-admins"], "ttl": 900} if {
	writes
	input.connection.target == "prod"
}

masks contains {"table": t.name, "column": c, "strategy": pii_columns[c]} if {
	input.action.kind == "sql"
	some s in input.action.statements
	some t in s.reads
	some c in t.columns
	pii_columns[c]
}

default record := {"level": "metadata"}

record := {"level": "full"} if count(masks) > 0

decision := d if {
	d := {
		"allow": allow,
		"reasons": [r | some r in deny],
		"approval": approval,
		"masks": [m | some m in masks],
		"record": record,
	}
}
