/** `npm run bench`: every benchmark in one run, one table, each figure as a ratio to a baseline measured in the same run. */
import { printTable, type Row } from './lib.js';
import { benchDownload } from './download.js';
import { benchStartup } from './startup.js';

/** `npm run bench -- download` runs only the benchmarks named. */
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

const rows: Row[] = [];
console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
if (wanted('startup')) rows.push(...benchStartup());
if (wanted('download')) rows.push(...(await benchDownload([64, 1024], Number(process.env.BENCH_RUNS ?? 5))));
printTable(rows);
