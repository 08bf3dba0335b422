/** `audit verify [--stream <id>]`: proves the stored log was not altered, or names the first broken link. */
import { verifyChains, type BrokenLink } from '../../eventlog/hashChain.ts'
import { EXIT, defineCommand, positionalCount, text } from '../command.ts'

const REASONS: Record<BrokenLink['reason'], string> = {
  position: 'its position does not come after the previous event in the log',
  revision: 'its revision does not follow the previous event of its stream (an event is missing or out of order)',
  prevHash: 'it does not link to the hash of the previous event of its stream',
  hash: 'its content (type, data or metadata) no longer matches its hash',
}

export const verify = defineCommand({
  name: 'verify',
  summary: "check every stream's hash chain, revisions and positions in the stored (encrypted) log",
  help: `usage: audit verify [--stream <id>]

Reads the log as stored, personal data still sealed, and recomputes each event's hash and its link to the
previous event of its stream; revisions must run without a gap and positions must increase.
Exit 0 when every link holds, 1 at the first broken one (named by stream, revision and event id).

  --stream <id>   check one stream (e.g. product-01J…) instead of the whole log`,
  options: { stream: { type: 'string' } },
  parse(values, positionals) {
    positionalCount(positionals, 0, 0, '')
    return { streamId: text(values, 'stream') }
  },
  async run({ streamId }, ports, io) {
    const events = streamId === undefined ? ports.rawEventLog.readAll() : await ports.rawEventLog.readStream(streamId)
    const report = await verifyChains(events)
    const scope = streamId === undefined ? 'the log' : `stream ${streamId}`
    if (report.broken) {
      const { streamId: stream, revision, eventId, position, reason } = report.broken
      io.stderr.write(
        `BROKEN: ${scope} fails at stream ${stream}, revision ${revision}, event ${eventId} (position ${position}): ${REASONS[reason]}\n` +
          `${report.events} events before it checked out.\n`,
      )
      return EXIT.problem
    }
    if (streamId !== undefined && report.events === 0) {
      io.stderr.write(`no stream ${streamId} in the log\n`)
      return EXIT.problem
    }
    io.stdout.write(`ok: ${report.events} events in ${report.streams} streams verified, up to position ${report.lastPosition}\n`)
    return EXIT.ok
  },
})
