// `npm test`: build when lib/ is newer than dist/, then run the checks and the suites in three
// lanes at once, each step's output printed whole when it ends (never interleaved), and a summary
// with each step's time. Each step is a package.json script, so `npm run <name>` runs one alone.
// The lanes are balanced for a 2-CPU machine: the integration suite (the longest; mocha's
// parallel mode, two jobs) beside the package test then the fault suite, and the static checks
// (cached in node_modules/.cache/flow_api) then the unit tests.
// A failing step fails `npm test` without stopping the other lanes: one run shows every failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const LANES = [['test:integration'], ['test:package', 'test:faults'], ['typecheck', 'lint', 'format:check', 'layers', 'test:unit']];

/** Whether dist/ is missing or older than a file in lib/ (the CLI tests run the build). */
function buildIsStale() {
  const built = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(built)) return true;
  const since = statSync(built).mtimeMs;
  return readdirSync(join(root, 'lib'), { withFileTypes: true, recursive: true }).some(
    (entry) => entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > since,
  );
}

/** Runs one package.json script with its output captured; resolves to its result. */
function run(name) {
  const started = performance.now();
  const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' };
  return new Promise((resolve) => {
    const child = spawn(scripts[name], { cwd: root, env, shell: true });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    const done = (code, error) => {
      const result = { name, ok: code === 0, seconds: (performance.now() - started) / 1000, output: Buffer.concat(output).toString() };
      if (error) result.output += `${error.message}\n`;
      process.stdout.write(`\n── ${name} ${result.ok ? 'passed' : 'FAILED'} in ${result.seconds.toFixed(1)} s ──\n${result.output}`);
      resolve(result);
    };
    child.on('error', (error) => done(1, error));
    child.on('close', (code) => done(code));
  });
}

const started = performance.now();
const results = buildIsStale() ? [await run('build')] : [];
if (results.every((result) => result.ok)) {
  const lanes = await Promise.all(
    LANES.map(async (names) => {
      const done = [];
      for (const name of names) done.push(await run(name));
      return done;
    }),
  );
  results.push(...lanes.flat());
}
const failed = results.filter((result) => !result.ok);
const total = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(`\n${results.map((r) => `${r.ok ? '✔' : '✘'} ${r.name} ${r.seconds.toFixed(1)} s`).join('\n')}\n`);
process.stdout.write(`${failed.length ? `✘ ${failed.map((r) => r.name).join(', ')} failed` : '✔ all passed'} in ${total} s\n`);
process.exitCode = failed.length ? 1 : 0;
