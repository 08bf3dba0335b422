/**
 * `audit <command> [options]`: finds the command, parses its options (node:util parseArgs, strict), opens the
 * ports only once the arguments are known to be good, runs it and closes them. Exit status: 0 success,
 * 1 a problem found (or an unexpected failure), 2 bad usage.
 */
import { parseArgs } from 'node:util'
import { EXIT, UsageError, describeError, type Command } from './command.ts'
import { commands } from './commands/index.ts'
import type { Io } from './io.ts'
import { openPorts } from './openAuditPorts.ts'

const overview = (): string =>
  [
    'usage: audit <command> [options]      (npm run -s audit -- <command> …)',
    '',
    'commands:',
    ...commands.map(({ name, summary }) => `  ${name.padEnd(11)} ${summary}`),
    '',
    'Each command takes --help. The data comes from DATA_DIR (default ./data), personal data included.',
    'Exit status: 0 success, 1 a problem found, 2 bad usage.',
    '',
  ].join('\n')

const isParseError = (error: unknown): boolean => String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview())
    return EXIT.ok
  }
  const command = commands.find(candidate => candidate.name === name)
  if (!command) {
    io.stderr.write(`${name === undefined ? 'missing command' : `unknown command ${JSON.stringify(name)}`}\n\n${overview()}`)
    return EXIT.usage
  }
  try {
    return await runCommand(command, rest, io)
  } catch (error) {
    if (error instanceof UsageError || isParseError(error)) {
      io.stderr.write(`audit ${command.name}: ${(error as Error).message}\n(audit ${command.name} --help shows how to use it)\n`)
      return EXIT.usage
    }
    io.stderr.write(`audit ${command.name} failed: ${describeError(error)}\n`)
    return EXIT.problem
  }
}

async function runCommand<Args>(command: Command<Args>, argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  })
  if (values.help) {
    io.stdout.write(`${command.help}\n`)
    return EXIT.ok
  }
  const args = command.parse(values, positionals)
  const ports = await openPorts(io)
  try {
    return await command.run(args, ports, io)
  } finally {
    await ports.close()
  }
}
