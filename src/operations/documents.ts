import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, visit } from 'graphql';
import type { DefinitionNode } from 'graphql';

/**
 * The GraphQL operations the project sends itself live once, in operations/*.graphql at the
 * repository root: the e2e tests get typed documents of them through codegen.yml, and the IDE
 * examples and the benchmark read their text here. The files are not compiled, so they are read
 * from the repository root, found by walking up from this module (src/operations under ts-jest,
 * dist/src/operations or dist/<other>/src/operations when built).
 */

let cache: Map<string, Definition> | undefined;

interface Definition {
  /** The definition as written, with the comment lines right above it. */
  text: string;
  /** Names of the fragments it spreads. */
  spreads: string[];
}

/** The folder holding the .graphql files. */
export function operationsDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'operations');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no operations/ folder above ${from}`);
    }
  }
}

function load(): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const dir = operationsDir();
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()) {
    const body = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const node of parse(body).definitions) {
      const name = nameOf(node);
      if (!name) continue;
      if (definitions.has(name)) throw new Error(`${file}: ${name} is defined twice`);
      definitions.set(name, { text: withComments(body, node), spreads: spreadsOf(node) });
    }
  }
  return definitions;
}

function nameOf(node: DefinitionNode): string | undefined {
  if (node.kind === Kind.OPERATION_DEFINITION) return node.name?.value;
  if (node.kind === Kind.FRAGMENT_DEFINITION) return node.name.value;
  return undefined;
}

function spreadsOf(node: DefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

/** The definition's source text, preceded by the comment lines directly above it. */
function withComments(body: string, node: DefinitionNode): string {
  const start = node.loc!.start;
  const lines = body.slice(0, start).split('\n');
  lines.pop(); // the definition's own line, up to its start
  const comments: string[] = [];
  while (lines.length && lines[lines.length - 1].startsWith('#')) comments.unshift(lines.pop()!);
  const text = body.slice(start, node.loc!.end);
  return [...comments, text].join('\n') + '\n';
}

/**
 * The text of the named operation (query, mutation or subscription) with every fragment it uses
 * appended, ready to send. Throws for a name no operations/*.graphql file defines.
 */
export function operationText(name: string): string {
  cache ??= load();
  const operation = cache.get(name);
  if (!operation) throw new Error(`no GraphQL operation named ${name} in ${operationsDir()}`);
  const parts = [operation.text];
  const seen = new Set<string>();
  const pending = [...operation.spreads];
  while (pending.length) {
    const fragment = pending.shift()!;
    if (seen.has(fragment)) continue;
    seen.add(fragment);
    const definition = cache.get(fragment);
    if (!definition) throw new Error(`${name} spreads the unknown fragment ${fragment}`);
    parts.push(definition.text);
    pending.push(...definition.spreads);
  }
  return parts.join('\n');
}
