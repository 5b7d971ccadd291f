import { statSync } from 'node:fs';
import type { InputReader } from '../tasks/check.js';
import { isPlainObject } from '../util/describe.js';
import { FlowFile, isFlowFile } from './flow-file.js';
import type { FilesFolder } from './folder.js';

/**
 * A file given to a task: a name in the run's files folder, a `FlowFile` (from `system.file()` or
 * another task's `output_value.file`), or such a file as stored in a record (`{ name, path }`).
 * It must exist now, so a typo fails at the `task()` call rather than mid-request.
 */
export function fileInput(input: InputReader, inputName: string, value: unknown, files: FilesFolder, where = ''): FlowFile {
  let file: FlowFile;
  if (typeof value === 'string') {
    file = new FlowFile({ name: value, path: files.resolve(value, `${input.task} input "${inputName}"${where}`) });
  } else if (isFlowFile(value)) {
    file = value;
  } else if (isPlainObject(value) && typeof value.path === 'string' && typeof value.name === 'string') {
    file = new FlowFile({ name: value.name, path: value.path, ...(typeof value.content_type === 'string' ? { content_type: value.content_type } : {}) });
  } else {
    return input.fail(inputName, `a file name in the flow's files folder or a FlowFile${where}`, value);
  }
  let isFile = false;
  try {
    isFile = statSync(file.path).isFile();
  } catch {
    // reported below
  }
  if (!isFile) {
    return input.fail(inputName, `an existing file${where}; "${file.name}" does not exist (looked for ${file.path})`, file.name);
  }
  return file;
}
