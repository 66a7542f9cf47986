package portcullis.mcp_test

import data.portcullis.mcp
import rego.v1

# --- fixtures -------------------------------------------------------------------------------

call(tool) := {
	"version": 1, "kind": "mcp", "server": "github-mcp", "method": "tools/call", "id": 1,
	"tool": tool, "arguments": {}, "flags": [],
}

message(method, extra) := object.union({"version": 1, "kind": "mcp", "server": "github-mcp", "method": method, "id": 1, "flags": []}, extra)

req(action, groups) := {
	"action": action,
	"identity": {"sub": "agent-7", "groups": groups, "claims": {}},
	"connection": {"name": "github-mcp", "kind": "mcp", "target": "saas"},
	"context": {"time": "2026-01-01T00:00:00Z", "session": {}, "approvals": []},
}

agent(action) := req(action, ["agents"])

dev(action) := req(action, ["developers"])

denied := {r.rule | some r in mcp.deny}

approvals := {a.rule | some a in mcp.approval}

# --- tools ----------------------------------------------------------------------------------

test_allowed_tool if {
	mcp.granted with input as agent(call("get_issue"))
	count(mcp.deny) == 0 with input as agent(call("get_issue"))
	count(mcp.approval) == 0 with input as agent(call("get_issue"))
}

test_tool_not_in_group_list_denied if {
	"mcp.tool_not_allowed" in denied with input as agent(call("create_issue"))
}

test_tool_list_per_group if {
	count(mcp.deny) == 0 with input as dev(call("create_issue"))
}

test_groups_combine if {
	count(mcp.deny) == 0 with input as req(call("create_issue"), ["agents", "developers"])
}

test_tools_per_server if {
	i := object.union(agent(call("get_issue")), {"action": {"server": "other"}})
	"mcp.tool_not_allowed" in denied with input as i
	"mcp.no_access" in denied with input as i
}

test_wildcard_tools if {
	count(mcp.deny) == 0 with input as agent(call("anything")) with data.config.mcp.tools as {"agents": {"github-mcp": ["*"]}}
}

test_no_tools_no_grant if {
	not mcp.granted with input as req(call("get_issue"), ["analysts"])
	"mcp.no_access" in denied with input as req(call("get_issue"), ["analysts"])
}

test_tool_approval if {
	count(mcp.deny) == 0 with input as dev(call("merge_pull_request"))
	"mcp.tool_approval" in approvals with input as dev(call("merge_pull_request"))
}

test_tool_approvers_from_data if {
	some a in mcp.approval with input as dev(call("merge_pull_request"))
	a.approvers == ["repo-admins"]
}

test_unusual_tool_name_denied if {
	"mcp.unusual_tool_name" in denied with input as agent(object.union(call("get_issue\u0000"), {"flags": ["unusual_tool_name"]}))
}

test_parse_error_denied if {
	i := agent({"version": 1, "kind": "mcp", "server": "github-mcp", "parse_error": {"code": "invalid_json", "message": "bad"}})
	"mcp.parse_error" in denied with input as i
	not mcp.granted with input as i
}

# --- other methods --------------------------------------------------------------------------

test_housekeeping_allowed if {
	every m in ["initialize", "tools/list", "ping", "notifications/initialized"] {
		count(mcp.deny) == 0 with input as agent(message(m, {"params": {}}))
	}
}

test_unknown_method_denied if {
	"mcp.method_not_allowed" in denied with input as agent(message("sampling/createMessage", {"params": {}}))
}

test_resource_scheme if {
	count(mcp.deny) == 0 with input as agent(message("resources/read", {"uri": "https://x/y", "uri_scheme": "https"}))
	"mcp.resource_scheme" in denied with input as agent(message("resources/read", {"uri": "file:///etc/passwd", "uri_scheme": "file"}))
	"mcp.resource_scheme" in denied with input as agent(message("resources/read", {"uri": "x", "uri_scheme": null}))
}

test_prompts_need_prompt_group if {
	count(mcp.deny) == 0 with input as dev(message("prompts/get", {"prompt": "p", "arguments": {}}))
	"mcp.prompt_not_allowed" in denied with input as agent(message("prompts/get", {"prompt": "p", "arguments": {}}))
}

test_masks_from_data if {
	ms := mcp.masks with input as agent(call("get_issue"))
	{"target": {"kind": "detector", "detector": "bearer_token"}, "strategy": {"kind": "redact"}} in ms
}

test_masks_only_for_mcp if {
	count(mcp.masks) == 0 with input as object.union(agent(call("get_issue")), {"action": {"kind": "http"}})
}
