/** `audit erase-user <userId>`: crypto-shredding, made visible. */
import { ulid } from 'ulid'
import { DomainError } from '../../domain/errors.ts'
import { readModelCheckpoints } from '../../app/projections.ts'
import { eraseUser as erase } from '../../command-api/users/erase.ts'
import { EXIT, defineCommand, positionalCount, text } from '../command.ts'

const photos = (count: number) => `${count} photo${count === 1 ? '' : 's'}`

export const eraseUser = defineCommand({
  name: 'erase-user',
  summary: 'erase a user: append UserErased, delete their photos and their key, so their personal data reads as null',
  help: `usage: audit erase-user <userId> [--actor <adminId>]

Appends UserErased to the user's stream through the user decider, releases their email for a new account
(EmailReleased on the email's stream), deletes the photos of their stories from the
media store, then deletes the user's data key. Their tokens are refused at once where the API shares the cache
(REDIS_URL), otherwise once it forgets their roles (five minutes at most). Every piece of their personal data in the log (email, display
name, story text and photo ids) is sealed under that key and reads as null from then on: in export, /history,
and any rebuild. The read models drop what they hold once the projectors apply UserErased. The stored log is
unchanged, so \`audit verify\` still passes. Running it again on an erased user appends nothing and deletes the
key again. The same erasure serves DELETE /api/admin/users/{userId}.

  --actor <id>   the admin recorded as the actor (default: system)`,
  options: { actor: { type: 'string', default: 'system' } },
  parse(values, positionals) {
    positionalCount(positionals, 1, 1, 'the user id')
    return { userId: positionals[0]!, actorId: text(values, 'actor')! }
  },
  async run({ userId, actorId }, ports, io) {
    const correlationId = ulid()
    const metadata = { actorId, roles: ['admin'], now: io.clock().toISOString(), correlationId, causationId: correlationId }
    let erased
    try {
      erased = await erase(ports, userId, metadata, ulid)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      io.stderr.write(`cannot erase user ${userId}: ${error.message}\n`)
      return EXIT.problem
    }
    const applied = Math.min(...(await Promise.all(readModelCheckpoints.map(name => ports.readModels.getCheckpoint(name)))))
    io.stdout.write(
      `${erased.appended ? `erased user ${userId}: UserErased at position ${erased.position}` : `user ${userId} was already erased`}; ` +
        `their key and ${photos(erased.photos)} are deleted.\n` +
        `Read models drop their personal data once the projectors apply position ${erased.position} (now at ${applied}); ` +
        `processes that cached the key stop decrypting within a minute.\n`,
    )
    return EXIT.ok
  },
})
