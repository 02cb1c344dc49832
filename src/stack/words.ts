// Splits a compose `command:`/`entrypoint:` string into arguments the way compose does (shell-like quoting, no
// shell): the result is an argv, never run by a shell unless the user writes `sh -c` themselves.

export type Words = { readonly words: string[] } | { readonly error: string };

/** Characters a shell would treat as operators; compose's splitter stops at them, which would drop the rest. */
const OPERATORS = new Set([';', '&', '|', '<', '>', '`']);

export function splitWords(text: string): Words {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && '"\\$`'.includes(text.charAt(i + 1)) && i + 1 < text.length) word += text.charAt(++i);
      else word += c;
    } else if (c === '\\') {
      inWord = true;
      word += text.charAt(++i);
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (OPERATORS.has(c)) {
      return { error: `"${c}" outside quotes: the command is not run by a shell; write it as [sh, -c, "…"] to use one` };
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== null) return { error: `unterminated ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) words.push(word);
  return { words };
}
