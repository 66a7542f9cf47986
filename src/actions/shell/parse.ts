// Parses a line with the bash grammar, repairing exactly one known gap: a backslash-newline
// between two non-blank characters outside any token joins them into one word in bash, but
// the grammar splits the word there. Bash deletes such a pair before tokenizing, so we do too.
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { ShellError } from './errors.ts';

export interface Parsed {
  tree: Tree;
  src: string;
  /** Maps an offset in `src` back to the original line (identity when nothing was removed). */
  origin: (pos: number) => number;
}

const MAX_ROUNDS = 4;
const BLANK = /\s/;

function cutsFor(root: Node, src: string): number[] {
  const cuts: number[] = [];
  let i = src.indexOf('\\\n');
  while (i >= 0) {
    const at = root.descendantForIndex(i, i + 1);
    const insideToken = at !== null && at.childCount === 0 && at.startIndex <= i && at.endIndex > i;
    if (!insideToken && i > 0 && i + 2 < src.length && !BLANK.test(src[i - 1]!) && !BLANK.test(src[i + 2]!)) cuts.push(i);
    i = src.indexOf('\\\n', i + 2);
  }
  return cuts;
}

/** Nodes whose children do not cover their text: the uncovered text is literal content. */
const TEXTUAL = new Set(['string', 'heredoc_body', 'concatenation', 'expansion', 'translated_string', 'regex', 'extglob_pattern']);
/** What bash skips between tokens: blanks, newlines and line continuations. */
const SEPARATOR = /^(?:[ \t\n]|\\\n)*$/;
/** Inside one simple command a newline ends the command: only blanks and continuations. */
const BLANKS = /^(?:[ \t]|\\\n)*$/;
const ONE_LINE = new Set(['command', 'declaration_command', 'unset_command', 'file_redirect', 'herestring_redirect', 'redirected_statement', 'variable_assignment']);

/**
 * The grammar silently drops some characters between tokens (an escaped blank `\ `, a
 * carriage return). Every character outside a token must be one bash also ignores.
 */
function checkGaps(tree: Tree, src: string): number {
  const root = tree.rootNode;
  // the grammar can leave text before or after the program node entirely (`- 2>f`)
  if (!SEPARATOR.test(src.slice(0, root.startIndex))) return 0;
  if (!SEPARATOR.test(src.slice(root.endIndex))) return root.endIndex;
  const cur = tree.walk();
  try {
    for (;;) {
      const n = cur.currentNode;
      if (n.childCount > 0 && !TEXTUAL.has(n.type)) {
        const ok = ONE_LINE.has(n.type) || (n.type === 'test_command' && n.child(0)?.type === '[') ? BLANKS : SEPARATOR;
        let pos = n.startIndex;
        for (let i = 0; i < n.childCount; i++) {
          const c = n.child(i)!;
          if (c.startIndex > pos && !ok.test(src.slice(pos, c.startIndex))) return pos;
          pos = Math.max(pos, c.endIndex);
        }
        if (n.endIndex > pos && !ok.test(src.slice(pos, n.endIndex))) return pos;
      }
      if (n.childCount > 0 && !TEXTUAL.has(n.type) && cur.gotoFirstChild()) continue;
      while (!cur.gotoNextSibling()) {
        if (!cur.gotoParent()) return -1;
      }
    }
  } finally {
    cur.delete();
  }
}

function firstError(node: Node): number {
  if (node.isError || node.isMissing) return node.startIndex;
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i)!;
    if (c.hasError || c.isMissing) return firstError(c);
  }
  return node.startIndex;
}

export function parseLine(parser: Parser, line: string): Parsed {
  let src = line;
  let map: number[] | null = null;
  for (let round = 0; ; round++) {
    const tree = parser.parse(src);
    if (!tree) throw new ShellError('parser_unavailable', 'the bash parser returned no tree');
    const cuts = src.includes('\\\n') ? cutsFor(tree.rootNode, src) : [];
    if (cuts.length === 0) {
      const m = map;
      const origin = m ? (p: number): number => (p < m.length ? m[p]! : line.length) : (p: number): number => p;
      if (tree.rootNode.hasError) {
        const at = origin(firstError(tree.rootNode));
        tree.delete();
        throw new ShellError('syntax_error', 'bash would reject this line (or the grammar cannot read it)', at);
      }
      const gap = checkGaps(tree, src);
      if (gap >= 0) {
        tree.delete();
        throw new ShellError('grammar_gap', 'characters the grammar skipped between words', origin(gap));
      }
      return { tree, src, origin };
    }
    tree.delete();
    if (round + 1 >= MAX_ROUNDS) throw new ShellError('line_continuation', 'too many line continuations inside words', cuts[0]);
    map ??= Array.from({ length: src.length }, (_, k) => k);
    const drop = new Set<number>();
    for (const c of cuts) {
      drop.add(c);
      drop.add(c + 1);
    }
    let next = '';
    const nextMap: number[] = [];
    for (let k = 0; k < src.length; k++) {
      if (drop.has(k)) continue;
      next += src[k];
      nextMap.push(map[k]!);
    }
    src = next;
    map = nextMap;
  }
}
