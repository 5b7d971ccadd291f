/** Units an age may be given in, in milliseconds. */
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * An age such as `30d`, `12h`, `90m` or `2w` in milliseconds; undefined when `text` is not one.
 * Whole numbers only: an age is a retention period, not a timer.
 */
export function parseAge(text: string): number | undefined {
  const match = /^(\d+)\s*([mhdw])$/i.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/** What `parseAge` takes, for messages. */
export const AGE_FORMAT = 'a whole number and a unit: m (minutes), h (hours), d (days) or w (weeks), as 30d or 12h';
