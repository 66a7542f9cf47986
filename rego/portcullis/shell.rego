# METADATA
# title: Shell
# description: |
#   Every command of a line (nested and wrapped ones included) must be an allowed program.
#   Destructive commands, privilege escalation, reverse shells, downloads piped into a shell,
#   writes to system paths, dynamic program names and parse errors are denied; network tools,
#   recursive deletes, inline interpreter code and mutating kubectl verbs need an approval.
package portcullis.shell

import data.portcullis.lib
import rego.v1

cfg := data.config.shell

commands := input.action.commands

network := input.action.network

# A command that only wraps another one (sudo, env, bash -c, xargs, ...): its payload follows it
# in `commands`, at the same position, one wrapper deeper. The payload is judged instead.
wrapper(c) if {
	some p in commands
	p.position == c.position
	count(p.via) == count(c.via) + 1
}

# String arguments after the program name (dynamic words are objects and are left out).
args(c) := [a | some i, a in c.argv; i > 0; is_string(a)]

system_path(p) if {
	is_string(p)
	not p in cfg.harmless_devices
	some root in cfg.system_paths
	under(p, root)
}

under(p, root) if p == root

under(p, root) if startswith(p, concat("", [root, "/"]))

protected_path(p) if {
	is_string(p)
	some root in cfg.protected_paths
	trim_right(p, "/*") == trim_right(root, "/")
}

protected_path(p) if p in {"/", "/*", "*", "~", "~/", "."}

# --- denials --------------------------------------------------------------------------------

deny contains {"rule": "shell.parse_error", "message": sprintf("the command line could not be parsed (%s): %s", [e.code, e.message])} if {
	e := input.action.parse_error
}

deny contains {"rule": "shell.empty", "message": "the line holds no command"} if {
	not input.action.parse_error
	count(commands) == 0
}

deny contains {"rule": "shell.unknown_program", "message": "a command's program name is only known at run time"} if {
	some c in commands
	c.unknown_program
}

deny contains {"rule": "shell.privilege_escalation", "message": sprintf("%s changes privileges", [c.program])} if {
	some c in commands
	c.program in cfg.privilege_programs
}

deny contains {"rule": "shell.privilege_escalation", "message": sprintf("chmod %s sets a setuid/setgid bit", [mode])} if {
	some c in commands
	c.program == "chmod"
	some mode in args(c)
	regex.match(`^([ugoa]*[+=][rwxXts]*s[rwxXts]*|[2467][0-7]{3})$`, mode)
}

deny contains {"rule": "shell.reverse_shell", "message": "the line opens a shell over the network"} if {
	network.reverse_shell
}

deny contains {"rule": "shell.reverse_shell", "message": "netcat with -e/-c executes a program for the remote side"} if {
	network.netcat_exec
}

deny contains {"rule": "shell.reverse_shell", "message": "the line uses /dev/tcp or /dev/udp sockets"} if {
	some f in ["dev_tcp", "dev_udp"]
	network[f]
}

deny contains {"rule": "shell.download_to_shell", "message": "downloaded content is piped into a shell or interpreter"} if {
	network.download_to_shell
}

deny contains {"rule": "shell.destructive", "message": sprintf("%s is destructive", [c.program])} if {
	some c in commands
	destructive_program(c.program)
}

destructive_program(p) if p in cfg.destructive_programs

destructive_program(p) if startswith(p, "mkfs")

deny contains {"rule": "shell.destructive", "message": sprintf("rm -r of %v is not allowed", [lib.show(t)])} if {
	some c in commands
	c.summary.tool == "rm"
	c.summary.recursive
	some t in c.summary.targets
	risky_rm_target(t)
}

risky_rm_target(t) if protected_path(t)

risky_rm_target(t) if is_object(t) # a dynamic word may expand to anything

deny contains {"rule": "shell.destructive", "message": "rm --no-preserve-root is not allowed"} if {
	some c in commands
	c.program == "rm"
	"--no-preserve-root" in c.argv
}

deny contains {"rule": "shell.destructive", "message": "git push --force rewrites shared history"} if {
	some c in commands
	c.summary.tool == "git"
	c.summary.push
	c.summary.force
}

deny contains {"rule": "shell.container_escape", "message": sprintf("docker %s with host privileges, namespaces or sensitive mounts is not allowed", [c.summary.subcommand])} if {
	some c in commands
	c.summary.tool == "docker"
	docker_escape(c.summary)
}

docker_escape(s) if s.privileged

docker_escape(s) if s.host_pid

docker_escape(s) if s.host_network

docker_escape(s) if {
	some m in s.mounts
	is_string(m)
	source := split(m, ":")[0]
	source in cfg.docker_sensitive_mounts
}

docker_escape(s) if {
	some m in s.mounts
	is_object(m)
}

deny contains {"rule": "shell.system_write", "message": sprintf("writing to %s is not allowed", [r.target])} if {
	some r in input.action.redirections
	r.dir in {"w", "rw"}
	system_path(r.target)
}

deny contains {"rule": "shell.system_write", "message": sprintf("%s into %s is not allowed", [c.program, a])} if {
	some c in commands
	c.program in cfg.copy_programs
	some a in args(c)
	not startswith(a, "-")
	a == args(c)[count(args(c)) - 1] # the destination
	system_path(a)
}

deny contains {"rule": "shell.embedded_sql", "message": sprintf("%s with inline SQL: use the database connection instead", [c.program])} if {
	some c in commands
	count(object.get(c, "sql", [])) > 0
}

deny contains {"rule": "shell.program_not_allowed", "message": sprintf("%s is not an allowed program", [c.program])} if {
	some c in commands
	is_string(c.program)
	not wrapper(c)
	not program_allowed(c.program)
	not has_own_rule(c.program)
}

program_allowed(p) if p in cfg.allowed_programs

program_allowed(p) if p in cfg.network_tools

program_allowed(_) if "*" in cfg.allowed_programs

has_own_rule(p) if p in cfg.privilege_programs

has_own_rule(p) if destructive_program(p)

deny contains {"rule": "shell.no_access", "message": sprintf("%v is in no shell group", [lib.show(input.identity.sub)])} if {
	not lib.in_any(cfg.groups)
}

# --- grant ----------------------------------------------------------------------------------

granted if {
	count(commands) > 0
	lib.in_any(cfg.groups)
}

# --- approvals ------------------------------------------------------------------------------

approval contains {"rule": "shell.network_tool", "message": sprintf("network tool %s needs an approval", [c.program]), "approvers": cfg.approvers} if {
	some c in commands
	c.program in cfg.network_tools
}

approval contains {"rule": "shell.recursive_delete", "message": sprintf("rm -r of %s needs an approval", [concat(" ", [t | some t in c.summary.targets; is_string(t)])]), "approvers": cfg.approvers} if {
	some c in commands
	c.summary.tool == "rm"
	c.summary.recursive
}

approval contains {"rule": "shell.dynamic_delete", "message": "deleting files chosen at run time needs an approval", "approvers": cfg.approvers} if {
	some c in commands
	c.summary.tool == "rm"
	some t in c.summary.targets
	is_object(t)
}

approval contains {"rule": "shell.dynamic_delete", "message": "find -delete needs an approval", "approvers": cfg.approvers} if {
	some c in commands
	c.program == "find"
	"-delete" in c.argv
}

approval contains {"rule": "shell.inline_code", "message": sprintf("inline %s code needs an approval", [c.code.language]), "approvers": cfg.approvers} if {
	some c in commands
	c.code.language in cfg.inline_code_languages
}

# awk is allowed for text processing, but an awk program can run commands too.
approval contains {"rule": "shell.inline_code", "message": "an awk program that runs commands needs an approval", "approvers": cfg.approvers} if {
	some c in commands
	c.code.language == "awk"
	awk_runs_commands(c.code.text)
}

awk_runs_commands(text) if is_object(text) # a dynamic program may do anything

awk_runs_commands(text) if regex.match(`system[ \t]*\(|\|[ \t]*getline|\|[ \t]*"|\|&`, text)

approval contains {"rule": "shell.kubectl_mutation", "message": sprintf("kubectl %s needs an approval", [c.summary.verb]), "approvers": cfg.approvers} if {
	some c in commands
	c.summary.tool == "kubectl"
	c.summary.verb in cfg.kubectl_mutating_verbs
}

approval contains {"rule": "shell.production_host", "message": "commands on production hosts need an approval", "approvers": cfg.approvers} if {
	lib.production
	some c in commands
	not wrapper(c)
	not c.program in cfg.read_only_programs
}

# --- masks ----------------------------------------------------------------------------------

# The configured response masks as a set. It depends on data alone, so it is built once per
# data document, not once per decision.
response_masks := {m | some m in cfg.response_masks}

default masks := set()

masks := response_masks if input.action.kind == "shell"
