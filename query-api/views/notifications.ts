/** A notification as its user reads it, in the list and live. */
import { Type } from '@fastify/type-provider-typebox'
import type { NotificationDoc } from '../../projectors/documents.ts'

export const NotificationSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  productId: Type.Optional(Type.String()),
  createdAt: Type.String(),
  read: Type.Boolean(),
})

export const presentNotification = ({ id, type, productId, createdAt, read }: NotificationDoc) => ({
  id,
  type,
  ...(productId !== undefined && { productId }),
  createdAt,
  read,
})
