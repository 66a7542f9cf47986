package portcullis.http_test

import data.portcullis.http
import rego.v1

# --- fixtures -------------------------------------------------------------------------------

doc(method, path) := {
	"version": 1, "kind": "http", "method": method, "scheme": "https", "host": "api.example.com",
	"host_type": "name", "port": 443, "path": path, "segments": [s | some s in split(trim_left(path, "/"), "/")],
	"query": {}, "headers": {}, "body": {"kind": "none"}, "flags": [],
}

req(action, groups) := {
	"action": action,
	"identity": {"sub": "carol", "groups": groups, "claims": {}},
	"connection": {"name": "internal-api", "kind": "http", "target": "prod"},
	"context": {"time": "2026-01-01T00:00:00Z", "session": {}, "approvals": []},
}

dev(method, path) := req(doc(method, path), ["developers"])

sre(method, path) := req(doc(method, path), ["sre"])

flagged(flags) := req(object.union(doc("GET", "/v1/x"), {"flags": flags}), ["developers"])

graphql(method, operation) := req(object.union(doc(method, "/graphql"), {"graphql": {
	"operation": operation, "name": null, "fields": ["x"], "fields_complete": true,
	"operations": [],
}}), ["developers"])

denied := {r.rule | some r in http.deny}

approvals := {a.rule | some a in http.approval}

# --- reads ----------------------------------------------------------------------------------

test_get_allowed if {
	http.granted with input as sre("GET", "/v1/users")
	count(http.deny) == 0 with input as sre("GET", "/v1/users")
	count(http.approval) == 0 with input as sre("GET", "/v1/users")
}

test_head_allowed if {
	count(http.deny) == 0 with input as sre("HEAD", "/v1/users")
}

test_no_http_group_denied if {
	"http.no_access" in denied with input as req(doc("GET", "/v1/users"), ["analysts"])
	not http.granted with input as req(doc("GET", "/v1/users"), ["analysts"])
}

test_parse_error_denied if {
	i := req({"version": 1, "kind": "http", "flags": [], "parse_error": {"code": "invalid_url", "message": "bad"}}, ["developers"])
	"http.parse_error" in denied with input as i
	not http.granted with input as i
}

# --- mutations ------------------------------------------------------------------------------

test_post_needs_approval if {
	count(http.deny) == 0 with input as dev("POST", "/v1/issues")
	"http.mutation" in approvals with input as dev("POST", "/v1/issues")
}

test_every_write_method_needs_approval if {
	every m in ["POST", "PUT", "PATCH", "DELETE"] {
		"http.mutation" in approvals with input as dev(m, "/v1/issues/1")
	}
}

test_mutation_needs_writer_group if {
	"http.write" in denied with input as sre("DELETE", "/v1/issues/1")
}

test_mutation_approvers_from_data if {
	some a in http.approval with input as dev("PUT", "/v1/x")
	a.approvers == ["api-owners"]
}

test_other_methods_denied if {
	every m in ["TRACE", "CONNECT", "PROPFIND", "OPTIONS"] {
		"http.method" in denied with input as dev(m, "/v1/x")
	}
}

test_graphql_query_over_post_is_a_read if {
	count(http.deny) == 0 with input as graphql("POST", "query") with input.identity.groups as ["sre"]
	count(http.approval) == 0 with input as graphql("POST", "query")
}

test_graphql_mutation_over_get_is_a_mutation if {
	"http.mutation" in approvals with input as graphql("GET", "mutation")
	"http.write" in denied with input as graphql("GET", "mutation") with input.identity.groups as ["sre"]
}

test_graphql_unknown_operation_is_a_mutation if {
	"http.mutation" in approvals with input as graphql("POST", "unknown")
}

# --- denials --------------------------------------------------------------------------------

test_admin_paths_denied if {
	every p in ["/admin", "/admin/users", "/ADMIN/x", "/actuator/env", "/.git/config", "/internal/"] {
		"http.admin_path" in denied with input as dev("GET", p)
	}
}

test_admin_prefix_is_segment_wise if {
	not "http.admin_path" in denied with input as dev("GET", "/administrators-guide")
}

test_admin_prefixes_from_data if {
	"http.admin_path" in denied with input as dev("GET", "/ops/x") with data.config.http.admin_prefixes as ["/ops"]
}

test_traversal_flags_denied if {
	every f in ["path_traversal", "encoded_slash", "double_encoding", "backslash", "method_override", "ambiguous_length"] {
		"http.suspicious_request" in denied with input as flagged([f])
	}
}

test_benign_flags_allowed if {
	count(http.deny) == 0 with input as flagged(["fragment", "secret_in_query"])
}

# --- masks ----------------------------------------------------------------------------------

test_response_masks_from_data if {
	ms := http.masks with input as dev("GET", "/v1/x")
	{"target": {"kind": "jsonpath", "path": "$..password"}, "strategy": {"kind": "redact"}} in ms
}

test_response_masks_only_for_http if {
	count(http.masks) == 0 with input as object.union(dev("GET", "/v1/x"), {"action": {"kind": "sql"}})
}
