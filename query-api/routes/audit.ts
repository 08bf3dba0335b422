/**
 * GET /audit/events: the raw log for admins, full metadata included, filtered by actor, stream, type and
 * time, paged by log position. Personal data stays as stored (encrypted); password hashes never leave.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../app/context.ts'
import { requireRole } from '../../http/auth.ts'
import { InvalidPosition, type RecordedEvent } from '../../eventlog/port.ts'
import { InvalidCursor } from '../../readmodels/port.ts'
import { afterPositionCursor, positionCursor } from '../cursors.ts'
import { parseInstant } from '../../shared/positions.ts'
import { Instant, PageOf, PageQuery, Position } from '../schemas.ts'

const AuditEventSchema = Type.Object({
  position: Position,
  streamId: Type.String(),
  revision: Type.Integer(),
  type: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
})

const AuditQuery = Type.Composite([
  PageQuery,
  Type.Object({
    actorId: Type.Optional(Type.String({ minLength: 1 })),
    streamId: Type.Optional(Type.String({ minLength: 1 })),
    type: Type.Optional(Type.String({ minLength: 1 })),
    from: Type.Optional(Instant('ISO-8601 time, inclusive')),
    to: Type.Optional(Instant('ISO-8601 time, inclusive')),
  }),
])

const PASSWORD_FIELD = /password/i

const redactPasswords = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redactPasswords)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, PASSWORD_FIELD.test(key) ? '[redacted]' : redactPasswords(inner)]),
  )
}

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/audit/events',
    { onRequest: requireRole('admin'), schema: { querystring: AuditQuery, response: { 200: PageOf(AuditEventSchema) } } },
    async request => {
      const { actorId, streamId, type, from, to, limit, cursor } = request.query
      const since = from === undefined ? -Infinity : parseInstant(from, '/querystring/from')
      const until = to === undefined ? Infinity : parseInstant(to, '/querystring/to')
      const after = afterPositionCursor(cursor)
      const matches = (event: RecordedEvent) => {
        const time = Date.parse(event.metadata.occurredAt)
        return (actorId === undefined || event.metadata.actorId === actorId) && (type === undefined || event.type === type) && time >= since && time <= until
      }
      // One stream is read on its own; otherwise the whole log is scanned from the cursor on.
      const events =
        streamId === undefined
          ? ctx.rawEventLog.readAll({ after })
          : (await ctx.rawEventLog.readStream(streamId)).filter(event => event.position > after)

      const items: RecordedEvent[] = []
      let more = false
      try {
        for await (const event of events) {
          if (!matches(event)) continue
          if (items.length === limit) {
            more = true
            break
          }
          items.push(event)
        }
      } catch (error) {
        // A cursor naming no event of this log (forged, or from another deployment).
        throw error instanceof InvalidPosition ? new InvalidCursor() : error
      }
      return {
        items: items.map(event => ({
          ...event,
          position: String(event.position),
          data: redactPasswords(event.data) as Record<string, unknown>,
          metadata: { ...event.metadata },
        })),
        nextCursor: more ? positionCursor(items.at(-1)!.position) : null,
      }
    },
  )
}
