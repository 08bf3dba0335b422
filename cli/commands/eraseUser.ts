/** `audit erase-user <userId>`: crypto-shredding, made visible. */
import { ulid } from 'ulid'
import { DomainError } from '../../domain/errors.ts'
import { readModelCheckpoints } from '../../app/projections.ts'
import { EXIT, defineCommand, positionalCount, text } from '../command.ts'
import { eraseUser as erase } from '../erasure.ts'

export const eraseUser = defineCommand({
  name: 'erase-user',
  summary: "erase a user: append UserErased and delete their key, so their personal data reads as null",
  help: `usage: audit erase-user <userId> [--actor <adminId>]

Appends UserErased to the user's stream through the user decider, then deletes the user's data key. Every
piece of their personal data in the log (email, display name, story text and photos) is sealed under that
key and reads as null from then on: in export, /history, and any rebuild. The read models blank what they
hold once the projectors apply UserErased. The stored log is unchanged, so \`audit verify\` still passes.
Running it again on an erased user appends nothing and deletes the key again.

  --actor <id>   the admin recorded as the actor (default: system)`,
  options: { actor: { type: 'string', default: 'system' } },
  parse(values, positionals) {
    positionalCount(positionals, 1, 1, 'the user id')
    return { userId: positionals[0]!, actorId: text(values, 'actor')! }
  },
  async run({ userId, actorId }, ports, io) {
    const correlationId = ulid()
    let erased
    try {
      erased = await erase(ports, { userId, actorId, now: io.clock().toISOString(), correlationId }, ulid)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      io.stderr.write(`cannot erase user ${userId}: ${error.message}\n`)
      return EXIT.problem
    }
    const applied = Math.min(...(await Promise.all(readModelCheckpoints.map(name => ports.readModels.getCheckpoint(name)))))
    io.stdout.write(
      `${erased.appended ? `erased user ${userId}: UserErased at position ${erased.position}` : `user ${userId} was already erased`}; ` +
        `their key is deleted.\n` +
        `Read models drop their personal data once the projectors apply position ${erased.position} (now at ${applied}); ` +
        `processes that cached the key stop decrypting within a minute.\n`,
    )
    return EXIT.ok
  },
})
