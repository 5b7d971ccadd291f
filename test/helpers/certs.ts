import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

/** A new EC P-256 key, unencrypted: milliseconds to make, where RSA takes 0.1–0.5 s. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface TestCert {
  cert: string;
  key: string;
}

/** A self-signed certificate made with openssl for this test run (an EC P-256 key: milliseconds, where RSA takes 0.1–0.5 s). */
export function selfSignedCert(subjectAltName = 'DNS:localhost,IP:127.0.0.1', commonName = 'localhost'): TestCert {
  const dir = tempDir('flow-cert-');
  try {
    const key = join(dir.path, 'key.pem');
    const cert = join(dir.path, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', ...NEW_KEY, '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${subjectAltName}`],
      { stdio: 'ignore' },
    );
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
    openssl('req', '-x509', ...NEW_KEY, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=flow test CA');
    const issue = (name: string, subject: string, extensions: string) => {
      openssl('req', ...NEW_KEY, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', subject);
      writeFileSync(at(`${name}.ext`), extensions);
      openssl(
        'x509',
        '-req',
        '-in',
        at(`${name}.csr`),
        '-CA',
        at('ca.pem'),
        '-CAkey',
        at('ca.key'),
        '-CAcreateserial',
        '-out',
        at(`${name}.pem`),
        '-days',
        '2',
        '-extfile',
        at(`${name}.ext`),
      );
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

/**
 * Server certificates signed by a throw-away CA, each wrong in one way: `expired` (valid only in
 * January 2020) and `wrongHost` (for other.example, not 127.0.0.1). Pass `ca` as cacert so the
 * only fault left is the one named.
 */
export function faultyCerts(): { ca: string; expired: TestCert; wrongHost: TestCert } {
  const dir = tempDir('flow-faulty-pki-');
  const at = (name: string) => join(dir.path, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir.path });
  try {
    openssl('req', '-x509', ...NEW_KEY, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=flow fault CA');
    writeFileSync(at('index.txt'), '');
    writeFileSync(at('serial'), '01\n');
    writeFileSync(
      at('ca.cnf'),
      [
        '[ ca ]',
        'default_ca = test',
        '[ test ]',
        'dir = .',
        'database = ./index.txt',
        'serial = ./serial',
        'new_certs_dir = .',
        'certificate = ./ca.pem',
        'private_key = ./ca.key',
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        '[ any ]',
        'commonName = supplied',
        '[ local ]',
        'subjectAltName = DNS:localhost,IP:127.0.0.1',
        '[ other ]',
        'subjectAltName = DNS:other.example',
      ].join('\n'),
    );
    const issue = (name: string, extensions: string, dates: string[]) => {
      openssl('req', ...NEW_KEY, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${name}`);
      openssl('ca', '-batch', '-config', at('ca.cnf'), '-extensions', extensions, ...dates, '-in', at(`${name}.csr`), '-out', at(`${name}.pem`), '-notext');
      return { cert: readFileSync(at(`${name}.pem`), 'utf8'), key: readFileSync(at(`${name}.key`), 'utf8') };
    };
    return {
      ca: readFileSync(at('ca.pem'), 'utf8'),
      expired: issue('expired', 'local', ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']),
      wrongHost: issue('wronghost', 'other', ['-days', '2']),
    };
  } finally {
    dir.cleanup();
  }
}
