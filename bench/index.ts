/** `npm run bench`: every benchmark in one run, one table, each figure as a ratio to a baseline measured in the same run. */
import { printTable, type Row } from './lib.js';
import { benchStartup } from './startup.js';

const rows: Row[] = [];
console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
rows.push(...benchStartup());
printTable(rows);
