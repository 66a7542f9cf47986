// JSON Schema (draft-07) of the shell action document; kept in step with types.ts by tests.

const word = {
  anyOf: [
    { type: 'string' },
    {
      type: 'object',
      required: ['unknown', 'text'],
      additionalProperties: false,
      properties: { unknown: { const: true }, text: { type: 'string' } },
    },
  ],
} as const;

const nullableWord = { anyOf: [word, { type: 'null' }] } as const;
const nullableString = { type: ['string', 'null'] } as const;

const context = {
  enum: ['top', 'command_substitution', 'backticks', 'process_substitution', 'subshell', 'group', 'function', 'test', 'arithmetic', 'heredoc', 'if', 'loop', 'case'],
} as const;

const redirection = {
  type: 'object',
  required: ['op', 'dir', 'fd', 'target'],
  additionalProperties: false,
  properties: {
    op: { type: 'string' },
    dir: { enum: ['r', 'w', 'rw', 'dup', 'close', 'heredoc', 'herestring'] },
    fd: { type: ['integer', 'null'], minimum: 0 },
    target: nullableWord,
    expanded: { type: 'boolean' },
  },
} as const;

const assignment = {
  type: 'object',
  required: ['name', 'value', 'kind', 'command'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    value: word,
    kind: { enum: ['prefix', 'statement', 'declaration', 'env'] },
    command: { type: ['integer', 'null'], minimum: 0 },
  },
} as const;

const summary = {
  type: 'object',
  required: ['tool'],
  oneOf: [
    {
      additionalProperties: false,
      required: ['tool', 'verb', 'resource', 'name', 'namespace', 'all_namespaces'],
      properties: { tool: { const: 'kubectl' }, verb: nullableString, resource: nullableString, name: nullableString, namespace: nullableString, all_namespaces: { type: 'boolean' } },
    },
    {
      additionalProperties: false,
      required: ['tool', 'subcommand', 'push', 'force', 'remote'],
      properties: { tool: { const: 'git' }, subcommand: nullableString, push: { type: 'boolean' }, force: { type: 'boolean' }, remote: nullableString },
    },
    {
      additionalProperties: false,
      required: ['tool', 'subcommand', 'run', 'privileged', 'mounts', 'image', 'host_network', 'host_pid'],
      properties: {
        tool: { const: 'docker' },
        subcommand: nullableString,
        run: { type: 'boolean' },
        privileged: { type: 'boolean' },
        mounts: { type: 'array', items: word },
        image: nullableWord,
        host_network: { type: 'boolean' },
        host_pid: { type: 'boolean' },
      },
    },
    {
      additionalProperties: false,
      required: ['tool', 'recursive', 'force', 'targets'],
      properties: { tool: { const: 'rm' }, recursive: { type: 'boolean' }, force: { type: 'boolean' }, targets: { type: 'array', items: word } },
    },
    {
      additionalProperties: false,
      required: ['tool', 'method', 'url', 'host', 'uploads'],
      properties: { tool: { enum: ['curl', 'wget'] }, method: nullableString, url: nullableWord, host: nullableString, uploads: { type: 'boolean' } },
    },
  ],
} as const;

const command = {
  type: 'object',
  required: ['argv', 'program', 'unknown_program', 'via', 'context', 'contexts', 'assignments', 'redirections', 'position'],
  additionalProperties: false,
  properties: {
    argv: { type: 'array', items: word },
    program: nullableString,
    unknown_program: { type: 'boolean' },
    via: { type: 'array', items: { type: 'string' } },
    context,
    contexts: { type: 'array', items: context },
    assignments: { type: 'array', items: assignment },
    redirections: { type: 'array', items: redirection },
    summary,
    code: {
      type: 'object',
      required: ['language', 'text'],
      additionalProperties: false,
      properties: { language: { enum: ['python', 'perl', 'node', 'ruby', 'php', 'awk'] }, text: word },
    },
    sql: {
      type: 'array',
      items: {
        type: 'object',
        required: ['dialect', 'text'],
        additionalProperties: false,
        properties: { dialect: { enum: ['postgresql', 'mysql'] }, text: word, action: {} },
      },
    },
    redactions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['where', 'index', 'reason'],
        additionalProperties: false,
        properties: { where: { enum: ['argv', 'assignment', 'redirection'] }, index: { type: 'integer', minimum: 0 }, name: { type: 'string' }, reason: { type: 'string' } },
      },
    },
    position: {
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: { start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } },
    },
  },
} as const;

export const shellActionSchema = {
  $id: 'https://portcullis.dev/schemas/action-shell.json',
  title: 'Shell action document',
  type: 'object',
  required: ['version', 'kind', 'commands', 'redirections', 'network', 'assignments', 'redacted'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    kind: { const: 'shell' },
    commands: { type: 'array', items: command },
    redirections: { type: 'array', items: redirection },
    network: {
      type: 'object',
      required: ['dev_tcp', 'dev_udp', 'netcat', 'netcat_exec', 'socat', 'download_to_shell', 'reverse_shell', 'hosts'],
      additionalProperties: false,
      properties: {
        dev_tcp: { type: 'boolean' },
        dev_udp: { type: 'boolean' },
        netcat: { type: 'boolean' },
        netcat_exec: { type: 'boolean' },
        socat: { type: 'boolean' },
        download_to_shell: { type: 'boolean' },
        reverse_shell: { type: 'boolean' },
        hosts: { type: 'array', items: { type: 'string' } },
      },
    },
    assignments: { type: 'array', items: assignment },
    redacted: { type: 'boolean' },
    parse_error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: { code: { type: 'string' }, message: { type: 'string' }, position: { type: 'integer', minimum: 0 } },
    },
  },
} as const;
