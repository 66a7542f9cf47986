# METADATA
# title: HTTP
# description: |
#   GET and HEAD by default. Mutations (POST, PUT, PATCH, DELETE and GraphQL mutations) need a
#   writer group and an approval. Admin paths, traversal and smuggling flags, other methods and
#   parse errors are denied. Secrets in responses are masked.
package portcullis.http

import data.portcullis.lib
import rego.v1

cfg := data.config.http

method := input.action.method

# A GraphQL query sent with POST reads; any other GraphQL operation (mutation, subscription or
# one the server's choice cannot be known for) is a mutation whatever the method.
graphql_read if {
	method == "POST"
	input.action.graphql.operation == "query"
}

mutation if {
	method in cfg.write_methods
	not graphql_read
}

mutation if {
	input.action.graphql.operation != "query"
}

# --- denials --------------------------------------------------------------------------------

deny contains {"rule": "http.parse_error", "message": sprintf("the request could not be read (%s): %s", [e.code, e.message])} if {
	e := input.action.parse_error
}

deny contains {"rule": "http.suspicious_request", "message": sprintf("the request is flagged %s", [f])} if {
	some f in input.action.flags
	f in cfg.deny_flags
}

deny contains {"rule": "http.admin_path", "message": sprintf("%s is an administrative path", [input.action.path])} if {
	path := lower(input.action.path)
	some [exact, below] in admin_prefixes
	admin_path(path, exact, below)
}

# Each configured admin prefix, lowercased and without a trailing slash, as the path itself and
# as the start of the paths below it: `/Admin/` → ["/admin", "/admin/"]. It depends on data
# alone, so it is computed once per data document.
admin_prefixes := {[exact, concat("", [exact, "/"])] |
	some p in cfg.admin_prefixes
	exact := trim_right(lower(p), "/")
}

admin_path(path, exact, _) if path == exact

admin_path(path, _, below) if startswith(path, below)

deny contains {"rule": "http.method", "message": sprintf("method %s is not allowed", [method])} if {
	not input.action.parse_error
	not method in cfg.read_methods
	not method in cfg.write_methods
}

deny contains {"rule": "http.write", "message": sprintf("%v may not send %s requests", [lib.show(input.identity.sub), method])} if {
	mutation
	not lib.in_any(cfg.writer_groups)
}

deny contains {"rule": "http.no_access", "message": sprintf("%v is in no HTTP group", [lib.show(input.identity.sub)])} if {
	not lib.in_any(cfg.groups)
}

# --- grant ----------------------------------------------------------------------------------

granted if {
	not input.action.parse_error
	lib.in_any(cfg.groups)
}

# --- approvals ------------------------------------------------------------------------------

approval contains {"rule": "http.mutation", "message": sprintf("%s %s needs an approval", [method, input.action.path]), "approvers": cfg.approvers} if {
	mutation
}

# --- masks ----------------------------------------------------------------------------------

# The configured response masks as a set. It depends on data alone, so it is built once per
# data document, not once per decision.
response_masks := {m | some m in cfg.response_masks}

default masks := set()

masks := response_masks if input.action.kind == "http"
