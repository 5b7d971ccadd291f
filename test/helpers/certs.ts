import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export interface TestCert {
  cert: string;
  key: string;
}

/** A self-signed certificate made with openssl for this test run (0.1–0.3 s). */
export function selfSignedCert(subjectAltName = 'DNS:localhost,IP:127.0.0.1', commonName = 'localhost'): TestCert {
  const dir = tempDir('flow-cert-');
  try {
    const key = join(dir.path, 'key.pem');
    const cert = join(dir.path, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
      '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${subjectAltName}`,
    ], { stdio: 'ignore' });
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    dir.cleanup();
  }
}
