import { statSync } from 'node:fs';
import type { InputReader } from './input-reader.js';
import { isPlainObject } from '../util/describe.js';
import { FlowFile, isFlowFile } from '../core/files/flow-file.js';
import type { FilesFolder } from '../core/files/folder.js';

/**
 * A file given to a task: a name in the files folder, or a `FlowFile` (from `system.file()` or
 * another task's `output_value.file`). A plain `{ name, path }` object is refused: inputs can come
 * from `--inputs-json` or a server's answer, and such an object could name any file on the
 * machine. The file must exist now, so a typo fails at the `task()` call rather than mid-request.
 */
export function fileInput(input: InputReader, inputName: string, value: unknown, files: FilesFolder, where = ''): FlowFile {
  let file: FlowFile;
  if (typeof value === 'string') {
    file = new FlowFile({ name: value, path: files.resolve(value, `${input.task} input "${inputName}"${where}`) });
  } else if (isFlowFile(value)) {
    file = value;
  } else if (isPlainObject(value) && 'path' in value) {
    return input.fail(
      inputName,
      `a file name in the files folder or a FlowFile from system.file()${where}; an object with a "path" is not accepted, since it could name any file on the machine (use its "name")`,
      value,
    );
  } else {
    return input.fail(inputName, `a file name in the files folder or a FlowFile from system.file()${where}`, value);
  }
  // A FlowFile's path is checked again: the folder may have changed (a link put in place) since it was made.
  if (isFlowFile(value)) files.resolve(file.name, `${input.task} input "${inputName}"${where}`);
  let isFile = false;
  try {
    isFile = statSync(file.path).isFile();
  } catch {
    // reported below
  }
  if (!isFile) {
    return input.fail(
      inputName,
      `an existing file${where}; "${file.name}" is not in the files folder ${files.path} (put it there with \`npx flow file put ${file.name} PATH\`, or write it with system.file(name).save_bytes_content())`,
      file.name,
    );
  }
  return file;
}
