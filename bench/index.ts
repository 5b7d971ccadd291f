/** `npm run bench`: every benchmark in one run, one table, each figure as a ratio to a baseline measured in the same run. */
import { execFileSync } from 'node:child_process';
import { printTable, type Row } from './lib.js';
import { benchDownload } from './download.js';
import { benchStartup } from './startup.js';
import { benchStore } from './store.js';
import { benchHttp } from './http.js';
import { benchScale } from './scale.js';
import { benchResume } from './resume.js';

/** `npm run bench -- download` runs only the benchmarks named. */
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

// `flow` is measured as users run it: from the build, which must be as new as lib/.
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

const rows: Row[] = [];
console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
if (wanted('startup')) rows.push(...benchStartup());
if (wanted('http'))
  rows.push(
    ...(await benchHttp(Number(process.env.BENCH_RUNS ?? 5), process.env.BENCH_CASE ? (c) => c.benchmark.includes(process.env.BENCH_CASE!) : undefined)),
  );
if (wanted('store')) rows.push(...benchStore());
if (wanted('download')) rows.push(...(await benchDownload([64, 1024], Number(process.env.BENCH_RUNS ?? 5))));
if (wanted('scale')) rows.push(...(await benchScale()));
if (wanted('resume')) rows.push(...benchResume());
printTable(rows);
