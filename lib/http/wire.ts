import type http from 'node:http';

/** The `http.ClientRequest` node-fetch made for one exchange, caught as it is handed to our agent. */
export interface WireCapture {
  request?: http.ClientRequest;
}

/**
 * node-fetch builds its `http.ClientRequest` synchronously inside the `fetch()` call, and the
 * request is handed to the agent's `addRequest()` in its constructor. Every agent of the pool
 * passes that request to the capture armed around the call, so the record can show the headers
 * exactly as they went on the wire (Node's own `Host`, `Connection`, `Content-Length` included).
 * One property assignment per request; nothing else on the hot path.
 */
let armed: WireCapture | undefined;

export function captureRequests(agent: http.Agent): void {
  const holder = agent as unknown as { addRequest: (req: http.ClientRequest, options: object) => void };
  const base = holder.addRequest.bind(agent);
  holder.addRequest = (req, options) => {
    if (armed) armed.request = req;
    base(req, options);
  };
}

/** Run `send` (which must call fetch synchronously) with a capture armed; the request is in the capture afterwards. */
export function withCapture<T>(capture: WireCapture, send: () => T): T {
  armed = capture;
  try {
    return send();
  } finally {
    armed = undefined;
  }
}

/**
 * The header lines of a request as Node wrote them (`ClientRequest#_header`, set once the
 * headers are flushed), names spelled as sent. Undefined when the request was not seen or its
 * headers not yet written (a mocking library that replaces the transport).
 */
export function headersAsSent(request: http.ClientRequest | undefined): [string, string][] | undefined {
  const raw = (request as unknown as { _header?: unknown } | undefined)?._header;
  if (typeof raw !== 'string' || raw === '') return undefined;
  const lines = raw.split('\r\n').slice(1);
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return headers;
}
