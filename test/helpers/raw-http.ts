/**
 * One HTTP/1.1 request written byte for byte on a socket: the request target goes out exactly as
 * given (`//host`, `/\host`, a raw tab), which fetch and node:http would normalise or refuse.
 */
import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Lower-case header names; the last value of a repeated header. */
  readonly headers: Readonly<Record<string, string>>;
}

/** `GET target` to 127.0.0.1:`port` with this `Host` header (and `headers`), read until the server closes. */
export function rawGet(port: number, target: string, host: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const lines = [`GET ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to GET ${JSON.stringify(target)}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers: parsed });
    });
    socket.end(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  });
}
