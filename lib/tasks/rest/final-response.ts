import type { FlowFile } from '../../core/files/flow-file.js';

/** A final response of one try, its body read (or written to a file). */
export interface FinalResponse {
  status: number;
  statusText: string;
  headers: Record<string, string[]>;
  url: URL;
  /** The body in memory (absent for a download). */
  body?: Buffer;
  /** True when only the first bytes of an error body were kept. */
  cut?: boolean;
  file?: FlowFile;
  length: number;
  /** Cookies set by earlier responses of a redirect chain. */
  cookiesBefore?: Record<string, string> | undefined;
}
