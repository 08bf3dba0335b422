/**
 * The operation a rebuild beside a serving API needs and the read-model port does not have yet (proposed as
 * `ReadModelStore.swap`, with this very signature): put collections built aside in place of the live ones.
 */

/** Each key is replaced by the value: live collection ← its shadow, live checkpoint ← its shadow's. */
export interface Replacement {
  collections: Record<string, string>
  checkpoints: Record<string, string>
}

export interface CollectionSwap {
  /**
   * Replaces every collection and checkpoint at once: a reader sees all the old documents or all the new.
   * `ready` runs inside the swap, while no projection can write; when it resolves false nothing changes and
   * swap resolves false. (MongoDB, without transactions, falls short of this: see mongoSwap.ts.)
   */
  swap(replacement: Replacement, ready: () => Promise<boolean>): Promise<boolean>
  close(): Promise<void>
}
