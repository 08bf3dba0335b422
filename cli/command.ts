/**
 * What a command is: its name and help, its options (node:util parseArgs), a parse step that turns them into
 * arguments or refuses them (UsageError, exit 2) before any data is opened, and the run itself.
 */
import type { ParseArgsConfig } from 'node:util'
import type { Io } from './io.ts'
import type { AuditPorts } from './openAuditPorts.ts'

export const EXIT = { ok: 0, problem: 1, usage: 2 } as const

/** Bad usage: wrong options or arguments, or an environment the command cannot work in. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>

export interface Command<Args = unknown> {
  name: string
  /** One line, for `audit --help`. */
  summary: string
  /** The synopsis and what the command does, for `audit <name> --help`. */
  help: string
  options: NonNullable<ParseArgsConfig['options']>
  parse(values: OptionValues, positionals: string[]): Args
  run(args: Args, ports: AuditPorts, io: Io): Promise<number>
}

/** Keeps each command's Args type between its parse and its run. */
export const defineCommand = <Args>(command: Command<Args>): Command<Args> => command

export const text = (values: OptionValues, name: string): string | undefined => {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

export function positionalCount(positionals: readonly string[], min: number, max: number, what: string): void {
  if (positionals.length < min) throw new UsageError(`missing ${what}`)
  if (positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[max])}`)
}

/** An error's message, with its cause's (a ProjectionFailed says where, its cause says why). */
export const describeError = (error: unknown): string => {
  const { message, cause } = error instanceof Error ? error : new Error(String(error))
  return cause === undefined ? message : `${message}: ${describeError(cause)}`
}
