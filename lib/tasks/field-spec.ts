/** One input or output of a task type, as data: what `flow describe` prints and generated types carry. */
export interface FieldSpec {
  /** Its TypeScript type, as written in the generated interface. */
  type: string;
  /** What it does, in a sentence or two (Markdown). */
  doc: string;
  /** Its default value (rendered as JSON in `@default`). */
  default?: unknown;
  /** Its default in words, when it depends on other inputs or is none. */
  defaultText?: string;
  /** Present always (no `?`). */
  required?: boolean;
  /** Why it is deprecated and what to use instead. */
  deprecated?: string;
}

/** A task type's inputs and outputs, for `flow describe`. */
export interface TaskSpec {
  inputs: Readonly<Record<string, FieldSpec>>;
  outputs: Readonly<Record<string, FieldSpec>>;
}

/** `flow describe TYPE`: every input and output with its type, default and meaning. */
export function formatTaskSpec(type: string, spec: TaskSpec): string {
  const section = (title: string, fields: Readonly<Record<string, FieldSpec>>) => {
    const lines = [`${title} (${Object.keys(fields).length})`, ''];
    for (const [name, field] of Object.entries(fields)) {
      const fallback = field.default !== undefined ? `default ${JSON.stringify(field.default)}` : field.defaultText ? `default: ${field.defaultText}` : field.required ? 'always present' : '';
      lines.push(`  ${name}: ${field.type}${fallback ? `   (${fallback})` : ''}`);
      for (const line of wrap(`${field.deprecated ? `Deprecated: ${field.deprecated} ` : ''}${field.doc}`, 92)) lines.push(`      ${line}`);
    }
    return lines.join('\n');
  };
  return [section(`${type} inputs`, spec.inputs), '', section(`${type} outputs`, spec.outputs)].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
