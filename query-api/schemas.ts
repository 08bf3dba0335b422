/** TypeBox pieces the read routes share; those the write side already defines are reused from it. */
import { Type, type TSchema } from '@fastify/type-provider-typebox'

export { Condition, Materials, Money, PathId, Position, Visibility } from '../command-api/schemas.ts'

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ minLength: 1, description: 'opaque, from the previous page' })),
})

export const PageOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) })

/** Someone as the public may see them: null when their consent (or role) keeps them out of view. */
export const PersonRef = Nullable(Type.Object({ userId: Type.String(), displayName: Nullable(Type.String()) }))
