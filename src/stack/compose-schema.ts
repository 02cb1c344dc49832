// Checks one compose file against the Compose Specification's JSON schema (compose-spec.schema.json, see SCHEMA.md)
// with ajv, and turns ajv's JSON pointers back into line:column: one finding per position, the most specific one.

import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { SourceLocation } from '../core/plan.js';
import { suggestion, type Findings } from '../yaml/findings.js';
import { describeNode, toPlain, type YNode } from '../yaml/node.js';
import schema from './compose-spec.schema.json' with { type: 'json' };

// ajv is CommonJS: its default export is the class under NodeNext.
const Ajv = AjvModule.default;
let compiled: ValidateFunction | null = null;

/** Compiling the schema takes about a second: once per process, on first use. */
function validator(): ValidateFunction {
  // The schema's $schema URL (https, no "#") is not one ajv registers; it is draft-07, which ajv speaks.
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: false, validateSchema: false }).compile(schema);
  return compiled;
}

export function checkSchema(root: YNode, findings: Findings): void {
  const validate = validator();
  if (validate(toPlain(root))) return;
  const errors = validate.errors ?? [];
  const byPath = new Map<string, ErrorObject[]>();
  for (const err of errors) {
    const extra = err.keyword === 'additionalProperties' ? `/${escape(String(err.params['additionalProperty']))}` : '';
    const path = err.instancePath + extra;
    byPath.set(path, [...(byPath.get(path) ?? []), err]);
  }
  const paths = [...byPath.keys()];
  for (const [path, errs] of byPath) {
    // A deeper error says more than "matches no form of oneOf" at its parent.
    if (paths.some((p) => p !== path && p.startsWith(`${path}/`))) continue;
    const atKey = errs.some((e) => e.keyword === 'additionalProperties');
    const at = locate(root, path, atKey);
    const got = atKey || at.node === null ? '' : `, got ${describeNode(at.node)}`;
    const text = message(errs, atKey, path);
    findings.error(at.loc, `${describePath(path)} ${text}${text.startsWith('must be') ? got : ''}`);
  }
}

function message(errs: readonly ErrorObject[], isKey: boolean, path: string): string {
  const unknown = errs.find((e) => e.keyword === 'additionalProperties');
  if (unknown !== undefined && isKey) {
    const parent = schemaKeysAt(unknown.parentSchema);
    const key = unescape(path.slice(path.lastIndexOf('/') + 1));
    // didYouMean measures keys of very different lengths by their length difference alone: keep to close lengths.
    return `is not a compose key${suggestion(key, parent.filter((k) => Math.abs(k.length - key.length) <= 3))}`;
  }
  const specific = errs.find((e) => e.keyword !== 'type' && e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'additionalProperties');
  if (specific !== undefined) return specific.keyword === 'enum' ? `must be one of ${(specific.params['allowedValues'] as unknown[]).join(', ')}` : (specific.message ?? 'is invalid');
  const types = [...new Set(errs.filter((e) => e.keyword === 'type').flatMap((e) => String(e.params['type']).split(',')))];
  if (types.length > 0) return `must be ${types.map(typeWord).join(' or ')}`;
  return 'does not match any form the compose specification allows';
}

function typeWord(type: string): string {
  const words: Record<string, string> = { string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a map', null: 'empty' };
  return words[type] ?? type;
}

function schemaKeysAt(parentSchema: unknown): string[] {
  if (typeof parentSchema !== 'object' || parentSchema === null || !('properties' in parentSchema)) return [];
  const props = parentSchema.properties;
  return typeof props === 'object' && props !== null ? Object.keys(props) : [];
}

/** Where a JSON pointer points: the value, or the key itself for an unknown key; the nearest parent if absent. */
function locate(root: YNode, pointer: string, atKey: boolean): { loc: SourceLocation; node: YNode | null } {
  const parts = pointer.split('/').slice(1).map(unescape);
  let node: YNode = root;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (node.kind === 'map') {
      const entry = node.entries.find((e) => e.key === part);
      if (entry === undefined) return { loc: node.loc, node: null };
      if (last && atKey) return { loc: entry.keyLoc, node: null };
      node = entry.value;
    } else if (node.kind === 'seq') {
      const item = node.items[Number(part)];
      if (item === undefined) return { loc: node.loc, node: null };
      node = item;
    } else return { loc: node.loc, node: null };
  }
  return { loc: node.loc, node };
}

function describePath(pointer: string): string {
  return pointer === '' ? 'the compose file' : pointer.split('/').slice(1).map(unescape).join('.');
}

const escape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
const unescape = (s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~');
