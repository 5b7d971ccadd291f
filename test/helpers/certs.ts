import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

export interface TestPki {
  /** The CA certificate that signed the others. */
  ca: string;
  server: TestCert;
  client: TestCert;
}

/** A CA with a server certificate for 127.0.0.1 and a client certificate (CN=flow-client), for mutual TLS. */
export function testPki(): TestPki {
  const dir = tempDir('flow-pki-');
  const at = (name: string) => join(dir.path, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  try {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=flow test CA');
    const issue = (name: string, subject: string, extensions: string) => {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', subject);
      writeFileSync(at(`${name}.ext`), extensions);
      openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at(`${name}.pem`), '-days', '2', '-extfile', at(`${name}.ext`));
      return { cert: readFileSync(at(`${name}.pem`), 'utf8'), key: readFileSync(at(`${name}.key`), 'utf8') };
    };
    return {
      ca: readFileSync(at('ca.pem'), 'utf8'),
      server: issue('server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'),
      client: issue('client', '/CN=flow-client', 'extendedKeyUsage=clientAuth\n'),
    };
  } finally {
    dir.cleanup();
  }
}
