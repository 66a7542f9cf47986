// graph.reachable(graph, initial) and graph.reachable_paths(graph, initial). A graph maps each
// node to its neighbours (a set or an array; null means none); only nodes that are keys of the
// graph are reached. Sets arrive as arrays and are returned as arrays in sorted order.
import { isObject, type HostBuiltin } from './values.ts';

type Graph = Map<string, unknown[]>;

const key = (v: unknown): string => JSON.stringify(v);

/** The graph as node key → neighbours, or undefined when malformed. */
function readGraph(g: unknown): Graph | undefined {
  if (!isObject(g)) return undefined;
  const out: Graph = new Map();
  for (const [node, edges] of Object.entries(g)) {
    if (edges === null) out.set(key(node), []);
    else if (Array.isArray(edges)) out.set(key(node), edges);
    else return undefined;
  }
  return out;
}

/** Total order for the returned sets: by JSON text, which orders strings as Rego does. */
function sortUnique(values: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) seen.set(key(v), v);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

const reachable: HostBuiltin = (g, initial) => {
  const graph = readGraph(g);
  if (graph === undefined || !Array.isArray(initial)) return undefined;
  const reached = new Map<string, unknown>();
  const queue = [...initial];
  while (queue.length > 0) {
    const node = queue.shift();
    const k = key(node);
    if (reached.has(k) || !graph.has(k)) continue;
    reached.set(k, node);
    queue.push(...graph.get(k)!);
  }
  return sortUnique([...reached.values()]);
};

const reachablePaths: HostBuiltin = (g, initial) => {
  const graph = readGraph(g);
  if (graph === undefined || !Array.isArray(initial)) return undefined;
  const paths: unknown[][] = [];
  // Depth first: a path ends at a node without neighbours, and where a neighbour is outside the
  // graph or already on the path (a cycle).
  const walk = (path: unknown[], keys: Set<string>, node: unknown): void => {
    const edges = graph.get(key(node))!;
    if (edges.length === 0) {
      paths.push(path);
      return;
    }
    for (const next of edges) {
      const k = key(next);
      if (!graph.has(k) || keys.has(k)) paths.push(path);
      else walk([...path, next], new Set([...keys, k]), next);
    }
  };
  for (const start of initial) {
    if (graph.has(key(start))) walk([start], new Set([key(start)]), start);
  }
  return sortUnique(paths);
};

export const graphBuiltins: Record<string, HostBuiltin> = {
  'graph.reachable': reachable,
  'graph.reachable_paths': reachablePaths,
};
