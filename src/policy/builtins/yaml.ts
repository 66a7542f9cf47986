// yaml.* builtins. The SDK implements these itself and its versions win at run time; ours make
// the names known to the compiler and serve any other host that loads our modules.
import { yamlJs } from './lazy.ts';
import { isString, type HostBuiltin } from './values.ts';

function parseYaml(s: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: yamlJs().parse(s) as unknown };
  } catch {
    return { ok: false, value: undefined };
  }
}

export const yamlBuiltins: Record<string, HostBuiltin> = {
  'yaml.marshal': (x) => (x === undefined ? undefined : yamlJs().stringify(x)),
  'yaml.unmarshal': (s) => (isString(s) ? parseYaml(s).value : undefined),
  'yaml.is_valid': (s) => isString(s) && parseYaml(s).ok,
};
