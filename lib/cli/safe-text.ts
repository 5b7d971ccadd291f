/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts colour, cursor and
 * title sequences; CR rewrites the line), DEL, C1 controls (0x9B is a one-byte CSI) and the
 * Unicode bidi overrides that reorder what is shown. Line breaks and tabs are kept.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside (a response body, a header, a message from a server, a record) made safe to
 * print: every character a terminal would act on becomes a visible `\uXXXX` escape, so a server
 * cannot clear the screen, retitle the window or hide a line. The CLI's own output passes
 * through here too; it uses no escape sequences of its own (progress bars draw apart).
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
