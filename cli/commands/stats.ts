/** `audit stats`: what the log holds, and how far each projection lags behind it. */
import { readModelCheckpoints } from '../../app/projections.ts'
import { PUBLISHER } from '../../projectors/publisher.ts'
import { EXIT, defineCommand, positionalCount } from '../command.ts'
import { table } from '../table.ts'

/** `product-01J…` → `product`: streams are named `{kind}-{id}` (domain/ids.ts). */
const kindOf = (streamId: string): string => streamId.slice(0, streamId.indexOf('-')) || streamId

/** The read models' checkpoints (what x-min-position waits on), and the integration events'. */
const CHECKPOINTS = [...readModelCheckpoints, PUBLISHER]

const increment = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1)

const byCount = (counts: Map<string, number>): [string, number][] => [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))

export const stats = defineCommand({
  name: 'stats',
  summary: 'events per type and per stream kind, log size, projection checkpoints and their lag',
  help: `usage: audit stats

Counts the events of the stored log per type and per stream kind (product, user, collection, email), its
size (events, streams, bytes of data and metadata as stored), and each projection's checkpoint with how many
events it still has to apply to reach the head.`,
  options: {},
  parse(_values, positionals) {
    positionalCount(positionals, 0, 0, '')
  },
  async run(_args, ports, io) {
    const checkpoints = await Promise.all(CHECKPOINTS.map(async name => ({ name, position: await ports.readModels.getCheckpoint(name), behind: 0 })))
    const types = new Map<string, number>()
    const kinds = new Map<string, number>()
    const streams = new Set<string>()
    let events = 0
    let bytes = 0
    for await (const event of ports.rawEventLog.readAll()) {
      events++
      bytes += Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata))
      increment(types, event.type)
      increment(kinds, kindOf(event.streamId))
      streams.add(event.streamId)
      for (const checkpoint of checkpoints) if (event.position > checkpoint.position) checkpoint.behind++
    }
    const head = await ports.rawEventLog.headPosition()

    io.stdout.write(
      [
        `log: ${events} events in ${streams.size} streams, head at position ${head}, ${(bytes / 1024).toFixed(1)} KiB of data and metadata`,
        '',
        'events per stream kind:',
        table(byCount(kinds)),
        '',
        'events per type:',
        table(byCount(types)),
        '',
        'projections (checkpoint, events behind the head):',
        table(checkpoints.map(({ name, position, behind }) => [name, position, behind === 0 ? 'up to date' : `${behind} behind`])),
        '',
      ].join('\n'),
    )
    return EXIT.ok
  },
})
