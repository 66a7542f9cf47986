// Loads web-tree-sitter and the bash grammar once; parsing afterwards is synchronous.
import { createRequire } from 'node:module';
import { Language, Parser, LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION } from 'web-tree-sitter';

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

async function load(): Promise<void> {
  await Parser.init();
  const require = createRequire(import.meta.url);
  const wasm = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const lang = await Language.load(wasm);
  // An ABI outside the runtime's range would fail later in obscure ways; say it plainly.
  if (lang.abiVersion < MIN_COMPATIBLE_VERSION || lang.abiVersion > LANGUAGE_VERSION) {
    throw new Error(`tree-sitter-bash ABI ${lang.abiVersion} is outside web-tree-sitter's ${MIN_COMPATIBLE_VERSION}..${LANGUAGE_VERSION}`);
  }
  const p = new Parser();
  p.setLanguage(lang);
  parser = p;
}

/** Loads the grammar; safe to call more than once. */
export function initShell(): Promise<void> {
  loading ??= load().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

export function getParser(): Parser | null {
  return parser;
}
