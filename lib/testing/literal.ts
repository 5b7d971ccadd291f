/**
 * Encoders for code generated from records (`flow export-test`). Record values come from
 * servers and users, so they are written as data, never spliced into source.
 */

/**
 * A JavaScript literal for a value: JSON is valid JavaScript (every key quoted, every string
 * escaped), and U+2028/U+2029 are escaped too so no tool reads them as line breaks. That escape,
 * inside strings only, is the one rewrite of the text.
 */
export function literal(value: unknown, indent = 0): string {
  const text = (JSON.stringify(value, null, 2) ?? 'undefined').replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  // JSON.stringify escapes line breaks inside strings, so every newline here is between tokens.
  return text.split('\n').join(`\n${' '.repeat(indent)}`);
}

/** Text for a `//` comment: one line, whatever the record holds (a line break would end the comment). */
export function comment(text: string | null | undefined): string {
  return String(text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const LOOPBACK_PORT = /(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}/g;

/** Parts of a recorded value that differ on every run: execution ids, and the ports of local test servers. */
export const VOLATILE = new RegExp(`${UUID.source}|${LOOPBACK_PORT.source}`);

/**
 * A regular expression (its source, anchored) that matches `text` with its volatile parts
 * (ids, loopback ports) matched by their shape; undefined when it has none, so an exact match is used.
 */
export function regexFor(text: string): string | undefined {
  if (!VOLATILE.test(text)) return undefined;
  const pieces: string[] = [];
  let last = 0;
  const volatile = new RegExp(VOLATILE.source, 'g');
  for (let match = volatile.exec(text); match; match = volatile.exec(text)) {
    pieces.push(escape(text.slice(last, match.index)));
    pieces.push(
      match[0].match(/^[0-9a-f]{8}-/) ? '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' : `${escape(match[0].replace(/:\d+$/, ''))}:\\d+`,
    );
    last = match.index + match[0].length;
  }
  pieces.push(escape(text.slice(last)));
  return `^${pieces.join('')}$`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
