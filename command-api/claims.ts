/**
 * Keys that must be unique (an email, a verified brand's name, a GS1 Company Prefix, a GTIN with its serial
 * number), each a stream of its own claimed through the claim decider: of two commands racing for a key, one gets
 * a 409. A claim is written before the event that uses it; a command refused on one of its keys lets go of those
 * it claimed. A claim left by a command that stopped lapses (domain/claim/decide.ts): here its holder's stream is
 * read to tell whether it was used.
 */
import { createHash } from 'node:crypto'
import type { CommandApiContext } from '../app/context.ts'
import { fold, type Decider, type DomainEvent } from '../domain/decider.ts'
import { claimDecider, holdEnded, type ClaimCommand, type Claimant, type ClaimState } from '../domain/claim/decide.ts'
import type { ClaimKind } from '../domain/claim/events.ts'
import { prefixClaimKeys } from '../domain/gs1CompanyPrefix.ts'
import { streams } from '../domain/ids.ts'
import type { ProductEvent } from '../domain/product/index.ts'
import { gtin14 } from '../domain/product/gtin.ts'
import { emailDecider } from '../domain/user/emailClaim.ts'
import { userDecider, type UserEvent } from '../domain/user/index.ts'
import type { BrandState } from '../domain/user/state.ts'
import type { EventLog } from '../eventlog/port.ts'
import { readDomainEvents } from '../eventlog/domainEvents.ts'
import { handleCommand, type CommandMetadata } from './handleCommand.ts'
import { loadAccount } from './users/accounts.ts'

/** A brand name as uniqueness sees it: without case, accents, spacing or punctuation. */
export const brandNameKey = (brandName: string): string =>
  brandName.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')

/** A GTIN, however written, with its serial number. */
export const itemIdentifierKey = (gtin: string, serialNumber: string): string => `${gtin14(gtin)}/${serialNumber}`

export interface Claim {
  kind: ClaimKind
  value: string
}

type Writer = Pick<CommandApiContext, 'eventLog' | 'newId'>
type Ports = Writer & Pick<CommandApiContext, 'rawEventLog'>
type Metadata = CommandMetadata & ClaimCommand['metadata']

/** A brand's claim is used while its account is open and verified with the value. */
const verifiedBrandUses =
  (uses: (brand: BrandState, value: string) => boolean) =>
  async (ports: Ports, userId: string, value: string): Promise<boolean> => {
    const { account, brand } = fold(userDecider, await readDomainEvents<UserEvent>(ports.eventLog, streams.user(userId)))
    return account !== null && brand?.status === 'verified' && uses(brand, value)
  }

// Hashed, so that a stream id holds only safe characters whatever the key (a serial may hold `/`, `%`, ...).
const hashedStream = (kind: ClaimKind) => (key: string) => `claim-${kind}-${createHash('sha256').update(key).digest('hex')}`

interface KindStore {
  decider: Decider<ClaimCommand, DomainEvent, ClaimState>
  /** The keys a value is claimed on. */
  keys: (value: string) => string[]
  stream: (key: string) => string
  /** Whether the holder's own stream uses its claim on the value: what the log says, never the time. */
  used: (ports: Ports, holderId: string, value: string) => Promise<boolean>
}

const ownKey = (value: string) => [value]

const kinds: Record<ClaimKind, KindStore> = {
  email: {
    decider: emailDecider,
    keys: ownKey,
    stream: streams.email,
    used: async (ports, userId) => (await loadAccount(ports.rawEventLog, userId)) !== null,
  },
  brandName: {
    decider: claimDecider,
    keys: ownKey,
    stream: hashedStream('brandName'),
    used: verifiedBrandUses((brand, value) => brandNameKey(brand.brandName) === value),
  },
  gs1CompanyPrefix: {
    decider: claimDecider,
    keys: prefixClaimKeys,
    stream: hashedStream('gs1CompanyPrefix'),
    used: verifiedBrandUses((brand, value) => brand.gs1CompanyPrefixes.includes(value)),
  },
  itemIdentifier: {
    decider: claimDecider,
    keys: ownKey,
    stream: hashedStream('itemIdentifier'),
    used: async (ports, productId, value) => {
      const [created] = await readDomainEvents<ProductEvent>(ports.eventLog, streams.product(productId), { maxCount: 1 })
      return created?.type === 'ProductCreated' && created.data.gtin !== undefined && itemIdentifierKey(created.data.gtin, created.data.serialNumber) === value
    },
  },
}

interface KeyClaim extends Claim {
  key: string
}

const keyClaims = (claims: readonly Claim[]): KeyClaim[] => claims.flatMap(claim => kinds[claim.kind].keys(claim.value).map(key => ({ ...claim, key })))

async function run(ports: Writer, command: ClaimCommand, metadata: Metadata) {
  const { kind, key } = command.data
  const { decider, stream } = kinds[kind]
  return handleCommand({ log: ports.eventLog, streamId: stream(key), decider, command, metadata, newEventId: ports.newId, cache: false })
}

/** Others' claims on the key held past their hold by a stream that never used them. */
async function unusedClaims(ports: Ports, { kind, key }: KeyClaim, holderId: string, now: string): Promise<Claimant[]> {
  const { decider, stream, used } = kinds[kind]
  const { holdings } = fold(decider, await readDomainEvents(ports.eventLog, stream(key)))
  const stale = holdings.filter(holding => holding.holderId !== holderId && holdEnded(holding.claimedAt, now))
  const unused = await Promise.all(stale.map(async holding => ((await used(ports, holding.holderId, holding.value)) ? [] : [holding])))
  return unused.flat()
}

async function claimKey(ports: Ports, claim: KeyClaim, holderId: string, metadata: Metadata): Promise<boolean> {
  const unused = await unusedClaims(ports, claim, holderId, metadata.now)
  const result = await run(ports, { type: 'ClaimKey', data: { ...claim, holderId, unused }, metadata }, metadata)
  return result.newEvents.length > 0
}

async function releaseKeys(ports: Writer, claims: readonly KeyClaim[], holderId: string, metadata: Metadata): Promise<void> {
  for (const claim of claims) await run(ports, { type: 'ReleaseKey', data: { ...claim, holderId }, metadata }, metadata)
}

/** 409 (a Conflict) when another holds one of the keys; then none of them is left claimed by this call. */
export async function claimAll(ports: Ports, claims: readonly Claim[], holderId: string, metadata: Metadata): Promise<void> {
  const claimed: KeyClaim[] = []
  try {
    for (const claim of keyClaims(claims)) if (await claimKey(ports, claim, holderId, metadata)) claimed.push(claim)
  } catch (error) {
    // Should the release fail too, those claims lapse; the refusal is the answer.
    await releaseKeys(ports, claimed, holderId, metadata).catch(() => undefined)
    throw error
  }
}

/** Lets go of the holder's claims; those it does not hold are left as they are. */
export async function releaseAll(ports: Writer, claims: readonly Claim[], holderId: string, metadata: Metadata): Promise<void> {
  await releaseKeys(ports, keyClaims(claims), holderId, metadata)
}

/** Who holds the key of an exact kind (not a GS1 Company Prefix); null when nobody does. */
export async function holderOf(log: EventLog, { kind, value }: Claim): Promise<string | null> {
  const { decider, stream } = kinds[kind]
  return fold(decider, await readDomainEvents(log, stream(value))).holdings[0]?.holderId ?? null
}
