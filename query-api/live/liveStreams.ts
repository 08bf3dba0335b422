/**
 * Server-Sent Events fed by one log subscription per process (logTail.ts), fanned out through one channel per
 * product followed and one for notifications. The SSE `id` of each message is the log position of the event it
 * came from: a client reconnecting with `Last-Event-ID` is sent what it missed from the product's stream (or its
 * inbox), at most MAX_REPLAY messages, then live ones, with no gap and no repeat.
 *
 * Streams are capped per client address (429) and per process (503); a stream that has sent nothing for
 * `idleMs` is closed with a retry hint, and one whose client stops reading is closed (listener.ts).
 */
import { PassThrough } from 'node:stream'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../app/context.ts'
import { streams } from '../../domain/ids.ts'
import { assertEventPosition } from '../../eventlog/checkPosition.ts'
import { HttpProblem } from '../../http/problem.ts'
import { notFound } from '../refusals.ts'
import { parsePosition } from '../../shared/positions.ts'
import { Listener, toEach, type Message } from './listener.ts'
import { EVERY_STREAM, LogTail } from './logTail.ts'
import { NotificationChannel } from './notificationChannel.ts'
import { ProductChannel } from './productChannel.ts'

const RETRY_MS = 3000
/** How often a notification stream asks whether its token still holds: a revoked one's stream ends within a second. */
const RECHECK_MS = 500
/** How long a client should wait before it reconnects after a refusal or an idle close. */
const BACK_OFF_SECONDS = 30

export interface LiveStreamOptions {
  /** Comment lines keep proxies from closing an open stream. */
  heartbeatMs: number
  idleMs: number
  perAddress: number
  perProcess: number
  log: FastifyBaseLogger
}

type Channel = ProductChannel | NotificationChannel

export class LiveStreams {
  readonly #tail: LogTail
  readonly #listeners = new Set<Listener>()
  readonly #perAddress = new Map<string, number>()
  #ticking: NodeJS.Timeout | null = null

  constructor(
    private readonly ctx: AppContext,
    private readonly options: LiveStreamOptions,
  ) {
    this.#tail = new LogTail(ctx.rawEventLog, this.#onError)
  }

  get open(): number {
    return this.#listeners.size
  }

  async product(request: FastifyRequest, reply: FastifyReply, productId: string): Promise<FastifyReply> {
    const after = await this.#lastEventId(request)
    const key = streams.product(productId)
    return this.#serve(request, reply, null, async listener => {
      const channel = this.#tail.channel(key, () => new ProductChannel(this.ctx, productId, this.#onError))
      channel.listeners.add(listener)
      listener.leave = () => this.#leave(key, channel, listener)
      await this.#tail.start()
      if (!(await channel.passport())) throw notFound('unknown product')
      return after === undefined ? null : channel.replay(after)
    })
  }

  /** `stillAllowed` is asked every RECHECK_MS: a stream whose token was revoked (logout, erasure, roles) ends. */
  async notifications(request: FastifyRequest, reply: FastifyReply, userId: string, stillAllowed: () => Promise<boolean>): Promise<FastifyReply> {
    const after = await this.#lastEventId(request)
    return this.#serve(request, reply, userId, async listener => {
      const recheck = setInterval(() => stillAllowed().then(allowed => allowed || listener.close(), () => listener.close()), RECHECK_MS)
      listener.onClose(() => clearInterval(recheck))
      const channel = this.#tail.channel(EVERY_STREAM, () => new NotificationChannel(this.ctx, this.#onError))
      channel.listeners.add(listener)
      listener.leave = () => this.#leave(EVERY_STREAM, channel, listener)
      await this.#tail.start()
      return after === undefined ? null : channel.replay(userId, after)
    })
  }

  /** Ends every open stream, so that closing the server does not wait for clients to hang up. */
  closeAll(): void {
    for (const listener of this.#listeners) listener.close()
    this.#tail.stop()
  }

  /**
   * `join` adds the listener to its channel (it holds what comes from then on, and its `leave` takes it out) and
   * reads the replay; without Last-Event-ID (replay null) the stream starts at the head as it stands after joining.
   */
  async #serve(
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string | null,
    join: (listener: Listener) => Promise<Message[] | null>,
  ): Promise<FastifyReply> {
    const address = request.ip
    this.#admit(address)
    const body = new PassThrough()
    const listener = new Listener(body, address, userId, Date.now())
    this.#add(listener)
    const end = () => {
      listener.leave()
      this.#remove(listener)
      listener.close()
    }
    try {
      const replay = await join(listener)
      listener.goLive(replay === null ? await this.ctx.rawEventLog.headPosition() : 0, replay ?? [])
    } catch (error) {
      end()
      throw error
    }
    reply.raw.on('close', end)
    body.on('close', end)
    // The first bytes flush the headers, so the client knows at once that the stream is open.
    body.write(`retry: ${RETRY_MS}\n\n`)
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(body)
  }

  #admit(address: string): void {
    const retryAfter = { 'retry-after': String(BACK_OFF_SECONDS) }
    if (this.#listeners.size >= this.options.perProcess) {
      throw new HttpProblem(503, 'Service Unavailable', 'this server has as many live streams open as it takes; try again later', undefined, retryAfter)
    }
    if ((this.#perAddress.get(address) ?? 0) >= this.options.perAddress) {
      throw new HttpProblem(429, 'Too Many Requests', `at most ${this.options.perAddress} live streams may be open from one address`, undefined, retryAfter)
    }
  }

  #add(listener: Listener): void {
    this.#listeners.add(listener)
    this.#perAddress.set(listener.address, (this.#perAddress.get(listener.address) ?? 0) + 1)
    this.#ticking ??= setInterval(() => void this.#tick(), Math.min(this.options.heartbeatMs, this.options.idleMs))
  }

  #remove(listener: Listener): void {
    if (!this.#listeners.delete(listener)) return
    const count = (this.#perAddress.get(listener.address) ?? 1) - 1
    if (count > 0) this.#perAddress.set(listener.address, count)
    else this.#perAddress.delete(listener.address)
    if (this.#listeners.size === 0 && this.#ticking) {
      clearInterval(this.#ticking)
      this.#ticking = null
    }
  }

  #leave(key: string, channel: Channel, listener: Listener): void {
    channel.listeners.delete(listener)
    if (channel.listeners.size === 0) this.#tail.drop(key, channel)
  }

  /** One timer for every stream: a heartbeat to each, and idle ones closed with a hint to come back later. */
  #tick(): Promise<void> {
    const now = Date.now()
    return toEach(this.#listeners, listener => {
      if (now - listener.lastMessageAt < this.options.idleMs) listener.write(HEARTBEAT)
      else {
        listener.write(IDLE)
        listener.close()
      }
    })
  }

  /** The client's Last-Event-ID; a position that is no event of the log is refused (400), never resumed after. */
  async #lastEventId(request: FastifyRequest): Promise<number | undefined> {
    const header = request.headers['last-event-id']
    if (header === undefined) return undefined
    const position = parsePosition(String(header), '/headers/last-event-id')
    await assertEventPosition(this.ctx.rawEventLog, position)
    return position
  }

  readonly #onError = (error: unknown) => this.options.log.error({ err: error }, 'live streams failed')
}

const HEARTBEAT = Buffer.from(': heartbeat\n\n')
const IDLE = Buffer.from(`retry: ${BACK_OFF_SECONDS * 1000}\n: idle for too long; reconnect with Last-Event-ID\n\n`)

