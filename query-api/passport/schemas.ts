/** Response schemas of the passport's public forms (publicEvent.ts, publicState.ts, owners.ts). */
import { Type } from '@fastify/type-provider-typebox'
import { Money, Nullable, PersonRef, Position, Visibility } from '../schemas.ts'

export const PublicEventSchema = Type.Object({
  position: Position,
  revision: Type.Integer({ description: 'in its stream: the product stream, or the brand stream for a `source: "brand"` event' }),
  source: Type.Optional(Type.Literal('brand', { description: "the brand's verification, part of the product's provenance" })),
  type: Type.String(),
  occurredAt: Type.String(),
  actor: PersonRef,
  data: Type.Record(Type.String(), Type.Unknown()),
})

const Via = Type.Union([Type.Literal('creation'), Type.Literal('transfer'), Type.Literal('claim'), Type.Literal('resale'), Type.Literal('take_back')])

export const PublicOwnerPeriodSchema = Type.Object({
  owner: PersonRef,
  visibility: Visibility,
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  via: Type.Optional(Nullable(Via)),
})

export const PublicStoryStateSchema = Type.Object({
  storyId: Type.String(),
  author: PersonRef,
  title: Nullable(Type.String({ description: 'null once its author is erased' })),
  body: Nullable(Type.String()),
  occurredAt: Type.String(),
  mediaIds: Nullable(Type.Array(Type.String())),
})

export const PublicStateSchema = Type.Object({
  productId: Type.String(),
  createdAt: Type.String(),
  originalPrice: Nullable(Money),
  currentOwner: PersonRef,
  owners: Type.Array(PublicOwnerPeriodSchema),
  qrCode: Nullable(Type.String()),
  revokedQrCodes: Type.Array(Type.String()),
  stories: Type.Array(PublicStoryStateSchema),
  activeListing: Nullable(
    Type.Object({
      listingId: Type.String(),
      price: Money,
      condition: Type.String(),
      description: Nullable(Type.String()),
      status: Type.String(),
    }),
  ),
})
