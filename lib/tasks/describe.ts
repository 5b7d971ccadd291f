import type { FieldSpec, TaskSpec } from '../core/task-definition.js';
import { wrapWords as wrap } from '../util/describe.js';

/** `flow describe TYPE`: every input and output with its type, default and meaning. */
export function formatTaskSpec(type: string, spec: TaskSpec): string {
  const section = (title: string, fields: Readonly<Record<string, FieldSpec>>) => {
    const lines = [`${title} (${Object.keys(fields).length})`, ''];
    for (const [name, field] of Object.entries(fields)) {
      const fallback =
        field.default !== undefined
          ? `default ${JSON.stringify(field.default)}`
          : field.defaultText
            ? `default: ${field.defaultText}`
            : field.required
              ? 'always present'
              : '';
      lines.push(`  ${name}: ${field.type}${fallback ? `   (${fallback})` : ''}`);
      for (const line of wrap(`${field.deprecated ? `Deprecated: ${field.deprecated} ` : ''}${field.doc}`, 92)) lines.push(`      ${line}`);
    }
    return lines.join('\n');
  };
  return [section(`${type} inputs`, spec.inputs), '', section(`${type} outputs`, spec.outputs)].join('\n');
}
