/** `audit export <productId> [--format json|epcis] [--at <time>]`: a product's whole history, for an auditor or a partner. */
import { EXIT, UsageError, defineCommand, positionalCount, text } from '../command.ts'
import { epcisDocument } from '../export/epcis.ts'
import { partiesOfItem } from '../../query-api/epcis/mapping.ts'
import { parseTime } from '../moments.ts'
import { productHistory } from '../productHistory.ts'

const FORMATS = ['json', 'epcis'] as const

export const exportProduct = defineCommand({
  name: 'export',
  summary: "a product's full history as JSON, or as a GS1 EPCIS 2.0 JSON-LD document",
  help: `usage: audit export <productId> [--format json|epcis] [--at <time>]

Prints the product's history, read straight from the log, to stdout. Personal data of an erased user reads
as null. Exit 1 when the product has no events (by that time).

  --format json    (default) every event of the product stream with its metadata, personal data opened
  --format epcis   an EPCISDocument (EPCIS 2.0 JSON-LD): commissioning, changes of owner and sales of the
                   item, owners as pseudonymous urn:uuid parties (one per item), each event's
                   eventID its CBV 2.0 event hash, no personal data
  --at <time>      only the events recorded by then (ISO-8601)`,
  options: { format: { type: 'string', default: 'json' }, at: { type: 'string' } },
  parse(values, positionals) {
    positionalCount(positionals, 1, 1, 'the product id')
    const format = text(values, 'format') as (typeof FORMATS)[number]
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
    const at = text(values, 'at')
    return { productId: positionals[0]!, format, at: at === undefined ? undefined : { time: parseTime(at, '--at') } }
  },
  async run({ productId, format, at }, ports, io) {
    const events = await productHistory(ports.eventLog, productId, at)
    if (events.length === 0) {
      io.stderr.write(`no history for product ${productId}${at ? ` by ${new Date(at.time).toISOString()}` : ''}\n`)
      return EXIT.problem
    }
    const document =
      format === 'json'
        ? { productId, ...(at && { at: new Date(at.time).toISOString() }), revision: events.at(-1)!.revision, events }
        : await epcisDocument(events, { creationDate: io.clock().toISOString(), ...partiesOfItem(ports.keys, productId) })
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`)
    return EXIT.ok
  },
})
