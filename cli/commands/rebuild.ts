/** `audit rebuild [<projection>…] [--from <position>]`: fresh read models from the log, swapped in while the API serves. */
import { assertEventPosition } from '../../eventlog/checkPosition.ts'
import { InvalidPosition, type EventLog } from '../../eventlog/port.ts'
import { projections } from '../../projectors/index.ts'
import { EXIT, UsageError, defineCommand, describeError, text } from '../command.ts'
import { parsePositionArgument } from '../moments.ts'
import { Progress } from '../rebuild/progress.ts'
import { rebuildAndSwap } from '../rebuild/rebuild.ts'

const NAMES = projections.map(({ name }) => name)

export const rebuild = defineCommand({
  name: 'rebuild',
  summary: 'replay the log into fresh read models beside the live ones, then swap them in',
  help: `usage: audit rebuild [<projection>…] [--from <position>]

Replays the log into shadow collections ({name}__rebuild) of the named projections (all by default), with
progress on stderr, while the live read models keep serving; once the shadows have caught up with the head
they replace the live collections and checkpoints: in one step on SQLite, collection by collection on MongoDB
(see cli/rebuild/mongoSwap.ts for what readers see meanwhile). Readers see the old models until then.

projections: ${NAMES.join(', ')}

  --from <position>   resume an interrupted rebuild: keep its shadow collections and replay the events after
                      <position> (at most what they have applied; an error names it)`,
  options: { from: { type: 'string' } },
  parse(values, positionals) {
    const unknown = positionals.filter(name => !NAMES.includes(name))
    if (unknown.length > 0) throw new UsageError(`no projection named ${unknown.join(', ')} (there are: ${NAMES.join(', ')})`)
    const from = text(values, 'from')
    const names = new Set(positionals)
    return {
      // In the runner's order, which lets a projection read what an earlier one wrote.
      selected: names.size === 0 ? projections : projections.filter(({ name }) => names.has(name)),
      from: from === undefined ? undefined : parsePositionArgument(from, '--from'),
    }
  },
  async run({ selected, from }, ports, io) {
    if (!ports.swap) throw new UsageError('these read models cannot swap collections yet, so a rebuild beside the live ones is not possible')
    if (from !== undefined) await assertFromIsAnEvent(ports.eventLog, from)
    const names = selected.map(({ name }) => name).join(', ')
    io.stderr.write(`rebuilding ${names} into shadow collections, ${from === undefined ? 'from the start' : `after position ${from}`}\n`)
    const progress = new Progress(io.stderr, from ?? 0)
    const position = await rebuildAndSwap({
      eventLog: ports.eventLog,
      store: ports.readModels,
      swap: ports.swap,
      projections: selected,
      from,
      progress,
      onFailure: error => io.stderr.write(`\nwarning: ${describeError(error)}; retrying\n`),
    })
    const { events, elapsedMs } = progress.finish()
    io.stdout.write(`rebuilt ${names}: ${events} events replayed in ${(elapsedMs / 1000).toFixed(1)}s, swapped in at position ${position}\n`)
    return EXIT.ok
  },
})

async function assertFromIsAnEvent(log: EventLog, from: number): Promise<void> {
  try {
    await assertEventPosition(log, from)
  } catch (error) {
    if (error instanceof InvalidPosition) throw new UsageError(`--from ${from} is not the position of an event in this log`)
    throw error
  }
}
