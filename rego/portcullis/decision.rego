# METADATA
# title: Portcullis decision
# description: |
#   Assembles the decision document from the per-kind packages (portcullis.sql, .shell, .http,
#   .mcp). Each of them offers the same four rules: `deny` (a set of {rule, message}), `approval`
#   (a set of {rule, message, approvers}), `masks` (a set of mask specs) and `granted` (true when
#   some rule grants the action). Anything not granted is denied with a reason.
package portcullis

import data.portcullis.http
import data.portcullis.lib
import data.portcullis.mcp
import data.portcullis.shell
import data.portcullis.sql
import rego.v1

kinds := {"sql", "shell", "http", "mcp"}

kind := input.action.kind

# --- denials that hold for every kind -------------------------------------------------------

common_deny contains {"rule": "input.unknown_kind", "message": sprintf("unknown action kind %v", [lib.show(kind)])} if {
	kind
	not kind in kinds
}

common_deny contains {"rule": "input.unknown_kind", "message": "the action document has no kind"} if {
	not input.action.kind
}

common_deny contains {"rule": "identity.missing", "message": "the request carries no identity (sub)"} if {
	not valid_subject
}

valid_subject if {
	is_string(input.identity.sub)
	input.identity.sub != ""
}

common_deny contains {"rule": "connection.unknown", "message": sprintf("connection %v is not configured", [lib.show(input.connection.name)])} if {
	not data.config.connections[input.connection.name]
}

common_deny contains {"rule": "connection.group", "message": sprintf("%v is in no group allowed on connection %v", [lib.show(input.identity.sub), input.connection.name])} if {
	conn := data.config.connections[input.connection.name]
	not lib.in_any(object.get(conn, "groups", []))
}

# --- per-kind rules -------------------------------------------------------------------------

# One kind's sets, taken whole (an action has one kind, so at most one of each is defined).
default kind_deny := set()

kind_deny := sql.deny if kind == "sql"

kind_deny := shell.deny if kind == "shell"

kind_deny := http.deny if kind == "http"

kind_deny := mcp.deny if kind == "mcp"

default kind_approval := set()

kind_approval := sql.approval if kind == "sql"

kind_approval := shell.approval if kind == "shell"

kind_approval := http.approval if kind == "http"

kind_approval := mcp.approval if kind == "mcp"

default kind_masks := set()

kind_masks := sql.masks if kind == "sql"

kind_masks := shell.masks if kind == "shell"

kind_masks := http.masks if kind == "http"

kind_masks := mcp.masks if kind == "mcp"

granted if {
	kind == "sql"
	sql.granted
}

granted if {
	kind == "shell"
	shell.granted
}

granted if {
	kind == "http"
	http.granted
}

granted if {
	kind == "mcp"
	mcp.granted
}

# --- the decision ---------------------------------------------------------------------------

explicit_deny := common_deny | kind_deny

deny contains r if some r in explicit_deny

# Default deny: nothing refused the action, but nothing granted it either.
deny contains {"rule": sprintf("%s.not_granted", [kind]), "message": sprintf("no rule grants this %s action to %v", [kind, lib.show(input.identity.sub)])} if {
	count(explicit_deny) == 0
	kind in kinds
	not granted
}

default allow := false

allow if {
	count(deny) == 0
	granted
}

# An approval requirement is met by a granted approval in the context that names its rule, or
# by one that names no rule (a time-boxed grant for this identity and connection).
approved(rule) if {
	some a in input.context.approvals
	object.get(a, "rule", rule) == rule
}

pending contains a if {
	some a in kind_approval
	not approved(a.rule)
}

default approval := {"required": false, "approvers": [], "ttl": 0}

approval := {
	"required": true,
	"approvers": sort({g | some a in pending; some g in a.approvers}),
	"ttl": object.get(data.config, ["approvals", "ttl"], "15m"),
} if {
	allow
	count(pending) > 0
}

# Ordered by rule id, then message, so equal decisions print alike.
reasons := [r | some key in sort({[r.rule, r.message] | some r in deny}); r := {"rule": key[0], "message": key[1]}] if not allow

reasons := [r | some key in sort({[a.rule, a.message] | some a in pending}); r := {"rule": key[0], "message": key[1]}] if allow

masks := sort(kind_masks)

# Denials are always recorded in full; otherwise the configured level.
default record := {"level": "full"}

record := {"level": object.get(data.config, ["record", "level"], "full")} if allow

decision := {
	"allow": allow,
	"reasons": reasons,
	"approval": approval,
	"masks": masks,
	"record": record,
}
