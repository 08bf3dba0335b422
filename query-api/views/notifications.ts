/** A notification as its user reads it, in the list and live; and how both find it in the user's inbox pages. */
import { Type } from '@fastify/type-provider-typebox'
import {
  collections,
  notificationId,
  notificationPageId,
  notificationPageOf,
  NOTIFICATIONS_PER_PAGE,
  type InboxDoc,
  type Notification,
  type NotificationPageDoc,
} from '../../readmodels/documents.ts'
import { InvalidCursor, type Page, type ReadModelStore } from '../../readmodels/port.ts'

type ReadModels = Pick<ReadModelStore, 'get'>

export const NotificationSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  productId: Type.Optional(Type.String()),
  createdAt: Type.String(),
  read: Type.Boolean(),
})

export const presentNotification = (userId: string, { eventId, type, productId, createdAt }: Notification) => ({
  id: notificationId(userId, eventId),
  type,
  ...(productId !== undefined && { productId }),
  createdAt,
  read: false,
})

const getPage = (readModels: ReadModels, userId: string, page: number) =>
  readModels.get<NotificationPageDoc>(collections.notifications, notificationPageId(userId, page))

/** The cursor: the index of the next notification to read, counting from the oldest. */
const indexCursor = (index: number): string => Buffer.from(`n:${index}`).toString('base64url')

function cursorIndex(cursor: string, count: number): number {
  const index = Number(/^n:(0|[1-9]\d{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1] ?? Number.NaN)
  // Node decodes base64 leniently (stray characters are dropped); a cursor must be exactly what we encoded.
  if (!(index < count) || indexCursor(index) !== cursor) throw new InvalidCursor()
  return index
}

/** A user's notifications, newest first: the inbox and the one to three pages the `limit` ones are in. */
export async function readNotifications(readModels: ReadModels, userId: string, limit: number, cursor?: string): Promise<Page<Notification>> {
  const count = (await readModels.get<InboxDoc>(collections.inboxes, userId))?.count ?? 0
  if (count === 0 && cursor === undefined) return { items: [], nextCursor: null }
  const first = cursor === undefined ? count - 1 : cursorIndex(cursor, count)
  const last = Math.max(0, first - limit + 1)
  const pages = new Map<number, NotificationPageDoc | null>()
  await Promise.all(
    Array.from({ length: notificationPageOf(first) - notificationPageOf(last) + 1 }, async (_, i) => {
      const page = notificationPageOf(last) + i
      pages.set(page, await getPage(readModels, userId, page))
    }),
  )
  const items: Notification[] = []
  for (let index = first; index >= last; index--) {
    // Missing only while a rebuild swaps pages and inboxes in one after the other.
    const notification = pages.get(notificationPageOf(index))?.notifications[index % NOTIFICATIONS_PER_PAGE]
    if (notification) items.push(notification)
  }
  return { items, nextCursor: last > 0 ? indexCursor(last - 1) : null }
}

/** The user's notification of an event, if the event notified them: looked for from the newest page back. */
export async function findNotification(readModels: ReadModels, userId: string, eventId: string, position: number): Promise<Notification | null> {
  const inbox = await readModels.get<InboxDoc>(collections.inboxes, userId)
  // The inbox records its last event: one before this one means this one is not in it.
  if (!inbox || inbox.position < position) return null
  for (let page = notificationPageOf(inbox.count - 1); page >= 0; page--) {
    const notifications = (await getPage(readModels, userId, page))?.notifications ?? []
    const found = notifications.find(notification => notification.eventId === eventId)
    if (found) return found
    // Earlier pages hold earlier events only.
    if (notifications[0] && notifications[0].position < position) return null
  }
  return null
}

/**
 * The user's notifications after a log position, oldest first, read from the newest page back; `missed` is null
 * when there are more than `max`, with `newest` the position of the newest notification.
 */
export async function notificationsAfter(
  readModels: ReadModels,
  userId: string,
  position: number,
  max: number,
): Promise<{ missed: Notification[] | null; newest: number }> {
  const inbox = await readModels.get<InboxDoc>(collections.inboxes, userId)
  const newest = inbox?.position ?? position
  const missed: Notification[] = []
  for (let page = notificationPageOf((inbox?.count ?? 0) - 1); page >= 0 && inbox && inbox.position > position; page--) {
    const notifications = (await getPage(readModels, userId, page))?.notifications ?? []
    const after = notifications.filter(notification => notification.position > position)
    missed.unshift(...after)
    if (missed.length > max) return { missed: null, newest }
    if (after.length < notifications.length) break
  }
  return { missed, newest }
}
