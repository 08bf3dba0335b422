/** `audit state <productId> --at <time|position>`: what the product decider knew at that moment. */
import { foldProduct } from '../../shared/foldProduct.ts'
import { EXIT, UsageError, defineCommand, positionalCount, text } from '../command.ts'
import { describeMoment, parseMoment } from '../moments.ts'
import { productHistory } from '../productHistory.ts'

export const state = defineCommand({
  name: 'state',
  summary: "the product's decided state at a time or log position, folded from the log",
  help: `usage: audit state <productId> --at <time|position>

Folds the product's events up to the moment with the product decider (the state every command on it was
decided against) and prints it as JSON, with the revision and position it was folded to.
Exit 1 when the product did not exist yet at that moment.

  --at <time|position>   an ISO-8601 time (events recorded by then) or a log position (digits only)`,
  options: { at: { type: 'string' } },
  parse(values, positionals) {
    positionalCount(positionals, 1, 1, 'the product id')
    const at = text(values, 'at')
    if (at === undefined) throw new UsageError('missing --at <time|position>')
    return { productId: positionals[0]!, at: parseMoment(at, '--at') }
  },
  async run({ productId, at }, ports, io) {
    const events = await productHistory(ports.eventLog, productId, at)
    const decided = foldProduct(events)
    if (!decided.exists) {
      io.stderr.write(`product ${productId} did not exist at ${describeMoment(at)}\n`)
      return EXIT.problem
    }
    const last = events.at(-1)!
    const output = { productId, at: describeMoment(at), revision: last.revision, position: last.position, state: decided }
    io.stdout.write(`${JSON.stringify(output, null, 2)}\n`)
    return EXIT.ok
  },
})
