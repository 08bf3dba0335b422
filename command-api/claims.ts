/**
 * Keys that must be unique (a verified brand's name, a GS1 Company Prefix, a GTIN with its serial number), each a
 * stream of its own claimed through the claim decider: of two commands racing for a key, one gets a 409.
 */
import { createHash } from 'node:crypto'
import type { CommandApiContext } from '../app/context.ts'
import { claimDecider, type ClaimCommand } from '../domain/claim/decide.ts'
import type { ClaimKind } from '../domain/claim/events.ts'
import { gtin14 } from '../domain/product/gtin.ts'
import type { CommandContext } from '../http/commandContext.ts'
import { handleCommand } from './handleCommand.ts'

/** A brand name as uniqueness sees it: without case, accents, spacing or punctuation. */
export const brandNameKey = (brandName: string): string =>
  brandName.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')

/** A GTIN, however written, with its serial number. */
export const itemIdentifierKey = (gtin: string, serialNumber: string): string => `${gtin14(gtin)}/${serialNumber}`

// Hashed, so that a stream id holds only safe characters whatever the key (a serial may hold `/`, `%`, ...).
const claimStream = (kind: ClaimKind, key: string) => `claim-${kind}-${createHash('sha256').update(key).digest('hex')}`

async function run(ctx: CommandApiContext, type: ClaimCommand['type'], kind: ClaimKind, key: string, holderId: string, metadata: CommandContext) {
  const command = { type, data: { kind, key, holderId }, metadata } as ClaimCommand
  await handleCommand({ log: ctx.eventLog, streamId: claimStream(kind, key), decider: claimDecider, command, metadata, newEventId: ctx.newId, cache: false })
}

/** 409 (a Conflict) when another holds one of the keys; the keys are claimed one after the other. */
export async function claimKeys(ctx: CommandApiContext, kind: ClaimKind, keys: readonly string[], holderId: string, metadata: CommandContext): Promise<void> {
  for (const key of keys) await run(ctx, 'ClaimKey', kind, key, holderId, metadata)
}

export async function releaseKeys(ctx: CommandApiContext, kind: ClaimKind, keys: readonly string[], holderId: string, metadata: CommandContext): Promise<void> {
  for (const key of keys) await run(ctx, 'ReleaseKey', kind, key, holderId, metadata)
}
