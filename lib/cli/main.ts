import { Command, CommanderError } from 'commander';
import { isFlowApiError } from '../model/errors.js';
import { ALL_STATUSES } from '../model/status.js';
import { exitAfterFlush, processOutput, type Output } from './output.js';
import { UsageError } from './usage.js';
import { VERSION } from '../util/version.js';

const version = VERSION;

// Commands are imported when they run: `flow list` should not pay for loading the HTTP stack.
const commands = {
  run: () => import('./commands/run.js'),
  list: () => import('./commands/list.js'),
  show: () => import('./commands/show.js'),
  setting: () => import('./commands/setting.js'),
  grant: () => import('./commands/grant.js'),
  exportTest: () => import('./commands/export-test.js'),
  describe: () => import('./commands/describe.js'),
  file: () => import('./commands/file.js'),
  prune: () => import('./commands/prune.js'),
  resume: () => import('./commands/resume.js'),
};

const DB_HELP = 'SQLite file of the execution store (default: $FLOW_DB, else .flow/executions.db)';

function program(out: Output, setCode: (code: number) => void): Command {
  const cli = new Command('flow')
    .description('Run TypeScript automations (flow_api handlers) and inspect their execution records.')
    .version(version, '-v, --version', 'print the flow_api version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.out(s.trimEnd()), writeErr: (s) => out.err(s.trimEnd()) })
    .showHelpAfterError('(add --help for usage)');

  cli
    .command('run')
    .description(
      'run a handler file (.ts or .js) as a flow, print its log live and a summary, and record it.\nExit code: 0 ENDED_SUCCESS, 1 ENDED_ERROR or cancelled, 2 usage error.',
    )
    .argument('<file>', 'the handler module: a default export (or an export named "handler") that is a function')
    .option('-i, --input <key=value>', 'a flow input; repeat for more. Values that are valid JSON (7, true, {"a":1}) are JSON, others strings', collect, [])
    .option('--inputs-json <json>', 'all flow inputs as one JSON object (--input wins on the same key)')
    .option('--json', 'print the finished flow record (with its children) as JSON on stdout instead of the summary (streamed)')
    .option('--name <name>', "the flow record's name (default: the file's base name)")
    .option('-q, --quiet', 'do not print the log live (stderr); print only the summary')
    .option('--db <path>', DB_HELP)
    .action(async (file: string, options) => setCode(await (await commands.run()).runCommand(file, options, out)));

  cli
    .command('resume')
    .description(
      'resume a run that crashed, failed or was cancelled: its handler runs again as the same run, calls that ended are handed back as recorded, only what is left is sent.\nExit code: 0 ENDED_SUCCESS, 1 ENDED_ERROR, 2 a run that cannot be resumed or a usage error.',
    )
    .argument('<id>', 'the run: an id, a unique prefix of one, or "last"')
    .option(
      '--resend <seq>',
      'send again a call that was in flight when the run stopped (a POST without idempotency key), by seq; repeat for more',
      collect,
      [],
    )
    .option('--skip <seq>', 'record a call that was in flight as done (what the server did), by seq; pair each with --output', collect, [])
    .option('--output <json>', 'the outputs to record for the --skip at the same position', collect, [])
    .option('-i, --input <key=value>', 'give an input again (one recorded masked, or a new value); repeat for more', collect, [])
    .option('--inputs-json <json>', 'inputs to give again as one JSON object')
    .option('--json', 'print the finished record tree as JSON instead of the summary (streamed)')
    .option('-q, --quiet', 'do not print the log live')
    .option('--db <path>', DB_HELP)
    .action(async (id: string, options) => setCode(await (await commands.resume()).resumeCommand(id, options, out)));

  cli
    .command('rerun')
    .description('start a new run of a recorded run, reusing its calls before --from (they must have succeeded) and running the rest live')
    .argument('<id>', 'the run: an id, a unique prefix of one, or "last"')
    .requiredOption('--from <seq>', 'the first call (seq, as flow show prints it) to run live')
    .option('-i, --input <key=value>', 'give an input again; repeat for more', collect, [])
    .option('--inputs-json <json>', 'inputs to give again as one JSON object')
    .option('--json', 'print the finished record tree as JSON instead of the summary (streamed)')
    .option('-q, --quiet', 'do not print the log live')
    .option('--db <path>', DB_HELP)
    .action(async (id: string, options) => setCode(await (await commands.resume()).rerunCommand(id, options, out)));

  cli
    .command('prune')
    .description(
      'delete runs that ended before a time, with all their records (running ones are never touched); without --older-than, apply the retention setting',
    )
    .option('--older-than <age>', 'runs that ended longer ago than this: 30d, 12h, 90m, 2w')
    .option('--keep-failed', 'keep runs that did not end ENDED_SUCCESS')
    .option('--dry-run', 'say what would go, delete nothing')
    .option(
      '--vacuum',
      'then rewrite the file to give all free space back (other processes wait while it runs); a store made by this version gives it back by itself',
    )
    .option('--db <path>', DB_HELP)
    .action(async (options) => setCode(await (await commands.prune()).pruneCommand(options, out)));

  cli
    .command('list')
    .description('list recorded flows, newest first')
    .option('--status <status>', `only executions with this status: ${ALL_STATUSES.join(', ')} (any case)`)
    .option('-n, --limit <n>', 'show at most this many', '20')
    .option('--all', 'list child tasks and flows too, not only top-level flows')
    .option('--resumable', 'list only runs that can be resumed: not ENDED_SUCCESS, not running (with their attempt)')
    .option('--json', 'print the records as JSON')
    .option('--db <path>', DB_HELP)
    .action(async (options) => setCode(await (await commands.list()).listCommand(options, out)));

  cli
    .command('show')
    .description('show one execution and its tree of children: status, duration, message, inputs, outputs, attempts and log')
    .argument('[id]', 'an execution id, a unique prefix of one (as `flow list` prints), or "last" for the newest flow (the default)', 'last')
    .option('--json', 'print the whole record tree as JSON (streamed: any size)')
    .option('--jsonl', 'print every record of the tree as one JSON line, parents first (streamed: any size)')
    .option('--children <n>', 'children shown under each execution (the rest are counted)', '20')
    .option('--offset <n>', "skip this many of the top execution's children (page through a large flow)", '0')
    .option('--full', 'do not shorten long inputs and outputs')
    .option('--no-log', 'leave out the log lines')
    .option('--verbose', "show each REST task's request and response: method, URL, headers and bodies (secrets masked)")
    .option('--db <path>', DB_HELP)
    .action(async (id: string, options) => setCode(await (await commands.show()).showCommand(id, options, out)));

  cli
    .command('export-test')
    .description('print a mocha test that replays a recorded flow offline with nock (flow export-test ID > test/my_flow.test.ts)')
    .argument('<id>', 'an execution id, a unique prefix of one, or "last"')
    .option('--db <path>', DB_HELP)
    .action(async (id: string, options) => setCode(await (await commands.exportTest()).exportTestCommand(id, options, out)));

  cli
    .command('describe')
    .description("list a task type's inputs and outputs: type, default and meaning (flow describe REST); without a type, the task types")
    .argument('[type]', 'a task type, such as REST')
    .option('--json', 'print them as JSON')
    .action(async (type: string | undefined, options) => setCode(await (await commands.describe()).describeCommand(type, options, out)));

  const file = cli
    .command('file')
    .description("the project's files folder (.flow/files, or $FLOW_FILES_DIR): what system.file(name), file inputs and downloads use, shared by all runs");
  const FILES_DIR_HELP = 'the files folder (default: $FLOW_FILES_DIR, else files/ next to the store)';
  file
    .command('put')
    .description('copy a file into the files folder under NAME (folders in NAME are created)')
    .argument('<name>', 'the name flows use, such as report.txt or exports/data.csv')
    .argument('<path>', 'the file to copy')
    .option('--dir <path>', FILES_DIR_HELP)
    .option('--db <path>', DB_HELP)
    .action(async (name: string, path: string, options) => setCode(await (await commands.file()).filePut(name, path, options, out)));
  file
    .command('get')
    .description('write a file of the files folder to PATH, or to stdout')
    .argument('<name>')
    .argument('[path]')
    .option('--dir <path>', FILES_DIR_HELP)
    .option('--db <path>', DB_HELP)
    .action(async (name: string, path: string | undefined, options) => setCode(await (await commands.file()).fileGet(name, path, options, out)));
  file
    .command('list')
    .description('list the files in the files folder, with size and time')
    .option('--json', 'print them as JSON')
    .option('--dir <path>', FILES_DIR_HELP)
    .option('--db <path>', DB_HELP)
    .action(async (options) => setCode(await (await commands.file()).fileList(options, out)));
  file
    .command('delete')
    .description('remove a file from the files folder; exit 1 if it does not exist')
    .argument('<name>')
    .option('--dir <path>', FILES_DIR_HELP)
    .option('--db <path>', DB_HELP)
    .action(async (name: string, options) => setCode(await (await commands.file()).fileDelete(name, options, out)));

  const setting = cli.command('setting').description('read and write settings: persistent JSON values that handlers read with system.setting(name)');
  setting
    .command('get')
    .description("print a setting's value (strings bare, others as JSON); exit 1 if it does not exist")
    .argument('<name>')
    .option('--json', 'print strings as JSON too')
    .option('--db <path>', DB_HELP)
    .action(async (name: string, options) => setCode(await (await commands.setting()).settingGet(name, options, out)));
  setting
    .command('set')
    .description('store a setting; a value that is valid JSON (7, true, {"a":1}, "quoted") is stored as JSON, anything else as a string')
    .argument('<name>')
    .argument('<value>')
    .option('--db <path>', DB_HELP)
    .action(async (name: string, value: string, options) => setCode(await (await commands.setting()).settingSet(name, value, options, out)));
  setting
    .command('list')
    .description('list every setting with its value')
    .option('--json', 'print them as one JSON object')
    .option('--db <path>', DB_HELP)
    .action(async (options) => setCode(await (await commands.setting()).settingList(options, out)));
  setting
    .command('delete')
    .description('remove a setting; exit 1 if it does not exist')
    .argument('<name>')
    .option('--db <path>', DB_HELP)
    .action(async (name: string, options) => setCode(await (await commands.setting()).settingDelete(name, options, out)));

  const grant = cli.command('grant').description('OAuth 2.0 grants configured in .flow/grants.json');
  grant
    .command('authorize')
    .description('run the authorization-code flow (PKCE) for a grant: open the printed URL, sign in, and the tokens are stored (encrypted) for later runs')
    .argument('<name>', "the grant's name in grants.json")
    .option('--timeout <seconds>', 'give up waiting for the browser after this long', '300')
    .option('--db <path>', DB_HELP)
    .action(async (name: string, options) => setCode(await (await commands.grant()).grantAuthorize(name, options, out)));

  return cli;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Run the CLI; resolves with the exit code. `exit: false` leaves the process running (tests). */
export async function main(argv: string[], options: { out?: Output; exit?: boolean } = {}): Promise<number> {
  const out = options.out ?? processOutput;
  let code = 0;
  // A write to a closed pipe also fails as an 'error' event of stdout: not an uncaught exception.
  if (out === processOutput && process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (error) => {
      if (!isBrokenPipe(error)) throw error;
    });
  }
  // A handler's stray promise must not take the runner down before the record is written.
  const onUnhandled = (reason: unknown) => out.err(`warning: a promise was rejected and never handled: ${(reason as Error)?.stack ?? String(reason)}`);
  process.on('unhandledRejection', onUnhandled);
  try {
    await program(out, (c) => (code = c)).parseAsync(argv, { from: 'user' });
  } catch (error) {
    code = exitCodeFor(error, out);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  if (options.exit !== false) exitAfterFlush(code);
  return code;
}

function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

function exitCodeFor(error: unknown, out: Output): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; every parse error is a usage error (exit 2).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof UsageError) {
    out.err(`flow: ${error.message}`);
    return 2;
  }
  // The reader of stdout went away (`flow show --json | head`): it has what it wanted.
  if (isBrokenPipe(error)) return 0;
  if (isFlowApiError(error)) {
    // Our own errors say what to do: a bad argument or an unusable store is a usage error.
    out.err(`flow: ${error.message}`);
    return ['StoreError', 'InvalidInputError', 'MissingInputError', 'ExtraInputError', 'UnknownTaskTypeError', 'ResumeError'].includes(error.name) ? 2 : 1;
  }
  out.err(`flow: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  return 1;
}
