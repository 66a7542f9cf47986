# METADATA
# title: MCP
# description: |
#   Tools are allow-listed per identity group and server (data.config.mcp.tools); some tools need
#   an approval. Protocol housekeeping (initialize, tools/list, notifications, ...) is allowed to
#   anyone with tools on the server; resources and prompts are limited; parse errors, unusual tool
#   names and unknown methods are denied.
package portcullis.mcp

import data.portcullis.lib
import rego.v1

cfg := data.config.mcp

server := input.action.server

method := input.action.method

# The tools the caller's groups may call on this server ("*" allows every tool).
allowed_tools contains t if {
	some g in input.identity.groups
	some t in cfg.tools[g][server]
}

tool_allowed if input.action.tool in allowed_tools

tool_allowed if "*" in allowed_tools

server_access if count(allowed_tools) > 0

housekeeping if method in cfg.housekeeping_methods

housekeeping if startswith(method, "notifications/")

# --- denials --------------------------------------------------------------------------------

deny contains {"rule": "mcp.parse_error", "message": sprintf("the MCP message could not be read (%s): %s", [e.code, e.message])} if {
	e := input.action.parse_error
}

deny contains {"rule": "mcp.unusual_tool_name", "message": "the tool name has unusual characters"} if {
	"unusual_tool_name" in input.action.flags
}

deny contains {"rule": "mcp.tool_not_allowed", "message": sprintf("tool %v on %v is not allowed for %v", [lib.show(input.action.tool), server, lib.show(input.identity.sub)])} if {
	method == "tools/call"
	not tool_allowed
}

deny contains {"rule": "mcp.resource_scheme", "message": sprintf("reading %v resources is not allowed", [lib.show(scheme)])} if {
	method == "resources/read"
	scheme := object.get(input.action, "uri_scheme", null)
	not scheme in cfg.resource_schemes
}

deny contains {"rule": "mcp.prompt_not_allowed", "message": sprintf("prompt %v is not allowed for %v", [lib.show(input.action.prompt), lib.show(input.identity.sub)])} if {
	method == "prompts/get"
	not lib.in_any(cfg.prompt_groups)
}

deny contains {"rule": "mcp.method_not_allowed", "message": sprintf("MCP method %v is not allowed", [lib.show(method)])} if {
	not input.action.parse_error
	not method in {"tools/call", "resources/read", "prompts/get"}
	not housekeeping
}

deny contains {"rule": "mcp.no_access", "message": sprintf("%v has no tools on MCP server %v", [lib.show(input.identity.sub), lib.show(server)])} if {
	not input.action.parse_error
	not server_access
}

# --- grant ----------------------------------------------------------------------------------

granted if {
	not input.action.parse_error
	server_access
}

# --- approvals ------------------------------------------------------------------------------

approval contains {"rule": "mcp.tool_approval", "message": sprintf("tool %s on %s needs an approval", [input.action.tool, server]), "approvers": cfg.approvers} if {
	method == "tools/call"
	input.action.tool in cfg.approval_tools[server]
}

# --- masks ----------------------------------------------------------------------------------

# The configured response masks as a set. It depends on data alone, so it is built once per
# data document, not once per decision.
response_masks := {m | some m in cfg.response_masks}

default masks := set()

masks := response_masks if input.action.kind == "mcp"
