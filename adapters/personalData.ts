/**
 * Crypto-shredding: the personal fields of an event are stored sealed under their subject's key, in one
 * envelope per event (`data.personalData`), and opened again on every read. Erasing the subject's key leaves
 * the fields unreadable for good: reads then give them as null.
 *
 * An envelope that fails to open under the subject's current key (tampered, or not ours) also reads as null,
 * never as a guess, and is reported through `onUndecryptable`; the stored bytes stay covered by the log's
 * hash chain, so `audit verify` on the raw log proves the tampering.
 */
import type { DomainEvent } from '../domain/decider.ts'
import type { ProductEvent } from '../domain/product/events.ts'
import type { UserEvent } from '../domain/user/events.ts'
import type { EventLog, NewEvent, RecordedEvent } from '../eventlog/port.ts'
import type { KeyStore } from './ports.ts'
import { isSealed, keyId, open, seal } from './sealedBox.ts'

type FieldOf<E extends DomainEvent> = keyof E['data'] & string
type Rule<E extends DomainEvent> = { subject: FieldOf<E>; fields: readonly FieldOf<E>[] }
type Rules = { [E in ProductEvent | UserEvent as E['type']]?: Rule<E> }

/**
 * Which fields are personal or secret to their subject, and whose: the single place to add one. A password hash
 * is sealed too: stored or published in clear it could be cracked offline, and erasing the key makes the account
 * unusable as well as unreadable.
 */
export const personalDataRules: Rules = {
  UserRegistered: { subject: 'userId', fields: ['email', 'displayName', 'passwordHash'] },
  StorySubmitted: { subject: 'authorId', fields: ['title', 'body', 'mediaIds'] },
  StoryEdited: { subject: 'authorId', fields: ['title', 'body', 'mediaIds'] },
  AlertRaised: { subject: 'reportedBy', fields: ['note'] },
}

type AnyRule = { subject: string; fields: readonly string[] }
const rulesByType: Partial<Record<string, AnyRule>> = personalDataRules

/** The fields of an event type that are stored sealed, never in clear; none for most types. */
export const personalFieldsOf = (type: string): readonly string[] => rulesByType[type]?.fields ?? []

const ENVELOPE = 'personalData'

/** The envelope is bound to its event: moved to another stream, type or event, it no longer opens. */
const contextOf = (streamId: string, type: string, eventId: string, subject: string): string =>
  JSON.stringify(['ptvem/personal-data/v1', streamId, type, eventId, subject])

export interface EncryptingEventLogOptions {
  onUndecryptable?: (error: Error, event: RecordedEvent) => void
}

const warn = (error: Error, event: RecordedEvent): void =>
  process.emitWarning(`personal data of event ${event.metadata.eventId} at ${event.position} did not decrypt: ${error.message}`)

export const encryptingEventLog = (
  log: EventLog,
  keys: KeyStore,
  { onUndecryptable = warn }: EncryptingEventLogOptions = {},
): EventLog => {
  const encrypt = async (streamId: string, event: NewEvent): Promise<NewEvent> => {
    const rule = rulesByType[event.type]
    if (!rule) return event
    const subject = event.data[rule.subject]
    if (typeof subject !== 'string') throw new Error(`${event.type} has no ${rule.subject}: its personal data cannot be sealed`)
    const data = { ...event.data }
    const personal: Record<string, unknown> = {}
    for (const field of rule.fields) {
      personal[field] = data[field]
      delete data[field]
    }
    const context = contextOf(streamId, event.type, event.metadata.eventId, subject)
    data[ENVELOPE] = seal(JSON.stringify(personal), await keys.keyFor(subject), subject, context)
    return { ...event, data }
  }

  /** An event without personal data comes back as it is, not in a promise: most events, read by the million in a rebuild. */
  const decrypt = (event: RecordedEvent): RecordedEvent | Promise<RecordedEvent> => {
    const rule = rulesByType[event.type]
    const sealed = event.data[ENVELOPE]
    return !rule || sealed === undefined ? event : unseal(event, rule, sealed)
  }

  const unseal = async (event: RecordedEvent, rule: AnyRule, sealed: unknown): Promise<RecordedEvent> => {
    const { [ENVELOPE]: _, ...data } = event.data
    const erased = { ...event, data: { ...data, ...Object.fromEntries(rule.fields.map(field => [field, null])) } }
    if (!isSealed(sealed)) {
      onUndecryptable(new Error('malformed envelope'), event)
      return erased
    }
    const key = await keys.find(sealed.subject)
    if (!key || keyId(key) !== sealed.kid) return erased
    try {
      const context = contextOf(event.streamId, event.type, event.metadata.eventId, sealed.subject)
      return { ...event, data: { ...data, ...(JSON.parse(open(sealed, key, context)) as Record<string, unknown>) } }
    } catch (error) {
      onUndecryptable(error as Error, event)
      return erased
    }
  }

  return {
    append: async (streamId, events, expected) =>
      log.append(streamId, await Promise.all(events.map(event => encrypt(streamId, event))), expected),
    readStream: async (streamId, options) => Promise.all((await log.readStream(streamId, options)).map(decrypt)),
    readAll: options => mapEach(log.readAll(options), decrypt),
    subscribe: options => mapEach(log.subscribe(options), decrypt),
    headPosition: () => log.headPosition(),
    close: () => log.close(),
  }
}

/**
 * `source` with each item mapped. An iterator rather than an async generator, which would add a second generator's
 * turns to every event a rebuild reads (≈ 0.3 s a million events); an item mapped to a promise is awaited.
 */
function mapEach<T, U>(source: AsyncIterable<T>, map: (item: T) => U | Promise<U>): AsyncIterable<U> {
  const mapped = (result: IteratorResult<T>): IteratorResult<U> | Promise<IteratorResult<U>> => {
    if (result.done) return { done: true, value: undefined }
    const value = map(result.value)
    return value instanceof Promise ? value.then(value => ({ done: false, value })) : { done: false, value }
  }
  return {
    [Symbol.asyncIterator]: () => {
      const items = source[Symbol.asyncIterator]()
      return {
        next: () => items.next().then(mapped),
        return: async () => {
          await items.return?.()
          return { done: true, value: undefined }
        },
      }
    },
  }
}
