/** One client of a live stream: the messages after the last it was sent, each written as its channel encoded it. */
import type { PassThrough } from 'node:stream'

export interface Message {
  position: number
  bytes: Buffer
}

/** What a client is sent when it missed more than a replay holds: read /history (or the inbox) again. */
export const reloadMessage = (position: number, reason: string): Message => ({
  position,
  bytes: Buffer.from(`id: ${position}\nevent: reload\ndata: ${JSON.stringify({ reason })}\n\n`),
})

export const sseMessage = (position: number, data: unknown): Message => ({
  position,
  bytes: Buffer.from(`id: ${position}\ndata: ${JSON.stringify(data)}\n\n`),
})

/** Listeners written to in one turn of the event loop: a message to thousands leaves room for other requests between. */
const SLICE = 100

/** `write` to each of `listeners` as they are now, SLICE at a time, yielding to the event loop between slices. */
export async function toEach<T = Listener>(listeners: Iterable<T>, write: (listener: T) => void): Promise<void> {
  let written = 0
  for (const listener of [...listeners]) {
    write(listener)
    if (++written % SLICE === 0) await new Promise(setImmediate)
  }
}

/** A client that reads so slowly that this much waits for it is closed rather than buffered for. */
const MAX_BUFFERED_BYTES = 1024 * 1024

export class Listener {
  /** The position of the last message sent. */
  #after = 0
  /** Messages that came while the replay was being read; null once live. */
  #held: Message[] | null = []
  lastMessageAt: number
  /** Takes it out of its channel. */
  leave: () => void = () => {}

  constructor(
    private readonly body: PassThrough,
    readonly address: string,
    /** Whose stream it is (notifications), or null. */
    readonly userId: string | null,
    now: number,
  ) {
    this.lastMessageAt = now
  }

  onClose(listener: () => void): void {
    this.body.once('close', listener)
  }

  get closed(): boolean {
    return this.body.writableEnded || this.body.destroyed
  }

  send(message: Message, now = Date.now()): void {
    if (this.#held) this.#held.push(message)
    else if (message.position > this.#after) {
      this.#after = message.position
      this.lastMessageAt = now
      this.write(message.bytes)
    }
  }

  /** Sends what the replay found, then what came meanwhile (nothing twice), and from then on every message. */
  goLive(after: number, replay: readonly Message[]): void {
    const held = this.#held ?? []
    this.#held = null
    this.#after = Math.max(this.#after, after)
    for (const message of [...replay, ...held]) this.send(message)
  }

  write(bytes: Buffer | string): void {
    if (this.closed) return
    if (this.body.writableLength > MAX_BUFFERED_BYTES) this.close()
    else this.body.write(bytes)
  }

  close(): void {
    if (!this.body.writableEnded) this.body.end()
  }
}
