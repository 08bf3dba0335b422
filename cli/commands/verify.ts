/** `audit verify [--stream <id>]`: proves the stored log was not altered, or names the first broken link. */
import { EXIT, defineCommand, positionalCount, text } from '../command.ts'
import { REASONS, checkChains } from '../verify/chains.ts'

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
    const report = await checkChains(events)
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
