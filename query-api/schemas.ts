/** TypeBox pieces the read routes share, besides those both sides share (shared/schemas.ts). */
import { Type, type TSchema } from '@fastify/type-provider-typebox'
import { ISO_TIME } from '../shared/positions.ts'

export { Condition, Materials, Money, PathId, Position, Visibility } from '../shared/schemas.ts'

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ minLength: 1, description: 'opaque, from the previous page' })),
})

export const PageOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) })

/** Someone as the public may see them: null when their consent (or role) keeps them out of view. */
export const PersonRef = Nullable(Type.Object({ userId: Type.String(), displayName: Nullable(Type.String()) }))

/** An ISO-8601 time in a query string (`2024-05-01`, `2024-05-01T10:00Z`, `2024-05-01T10:00:00.000+02:00`). */
export const Instant = (description: string) => Type.String({ pattern: ISO_TIME.source, maxLength: 40, description })

/**
 * A response that is not JSON (an image, a page, an event stream), documented by media type, with the JSON
 * media types it may also answer with. Fastify picks a serializer by media type and sends strings, buffers
 * and streams as they are, so the other media types only document.
 */
export const NotJson = (description: string, mediaTypes: string[], json: Record<string, TSchema | object> = {}) => ({
  description,
  content: Object.fromEntries([
    ...mediaTypes.map(mediaType => [mediaType, { schema: Type.String() }]),
    ...Object.entries(json).map(([mediaType, schema]) => [mediaType, { schema }]),
  ]),
})
