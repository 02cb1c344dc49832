// Pure readers of git's output (ls-tree listings, commit logs) and the size limits checked before reading files.

import { SlipwayError } from '../../core/errors.js';
import type { CommitInfo, FileSelection } from '../../core/ports/git.js';

export interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly object: string;
  /** Bytes of a blob; null for a tree or submodule. */
  readonly size: number | null;
  readonly path: string;
}

/** `git ls-tree -l -z` output: "<mode> <type> <object> <size>\t<path>\0" per entry. */
export function parseTreeListing(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', object = '', size = '-'] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type, object, size: size === '-' ? null : Number(size), path: record.slice(tab + 1) });
  }
  return entries;
}

const MIB = 1024 * 1024;
const bytes = (n: number) => (n >= MIB && n % MIB === 0 ? `${n / MIB} MiB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

/** The blobs of a listing the selection accepts; invalid_input naming the limit when they are too many or too big. */
export function selectWithinLimits(entries: readonly TreeEntry[], selection: FileSelection, commit: string): TreeEntry[] {
  const chosen = entries.filter((e) => e.type === 'blob' && selection.accept(e.path));
  const { maxFiles, maxFileBytes, maxTotalBytes } = selection.limits;
  const at = `commit ${commit.slice(0, 12)}`;
  const refuse = (what: string, field?: string) =>
    new SlipwayError('invalid_input', `${at} ${what}`, { field, hint: selection.hint });
  if (chosen.length > maxFiles) throw refuse(`has ${chosen.length} ${selection.what}; at most ${maxFiles} are read`);
  let total = 0;
  for (const e of chosen) {
    const size = e.size ?? 0;
    if (size > maxFileBytes) throw refuse(`has ${e.path} of ${bytes(size)}; ${selection.what} may be at most ${bytes(maxFileBytes)} each`, e.path);
    total += size;
  }
  if (total > maxTotalBytes) throw refuse(`has ${bytes(total)} of ${selection.what}; at most ${bytes(maxTotalBytes)} together are read`);
  return chosen;
}

/** `git log -1 --format=%an <%ae>%n%B`: the author line, then the message. */
export function parseCommitLog(output: string, describe: string | null): CommitInfo {
  const [author = '', ...message] = output.split('\n');
  return { author, message: message.join('\n').trim(), describe };
}
