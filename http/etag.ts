/** Product stream revisions as strong ETags (`"12"`), and If-Match for optimistic concurrency. */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpProblem } from './problem.ts'

export const toETag = (revision: number): string => `"${revision}"`

export function setETag(reply: FastifyReply, revision: number): void {
  reply.header('etag', toETag(revision))
}

/**
 * The revision the client pinned with If-Match; undefined without the header, or with `*` (any revision: the
 * write itself refuses a product that does not exist); 400 when it is no revision ETag.
 */
export function ifMatchRevision(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match']
  if (header === undefined || header.trim() === '*') return undefined
  const revision = /^"(\d+)"$/.exec(header.trim())?.[1]
  if (revision === undefined) {
    throw new HttpProblem(400, 'Bad Request', 'If-Match must hold one revision ETag, e.g. "12", or *', [
      { path: '/headers/if-match', message: 'must be a quoted revision' },
    ])
  }
  return Number(revision)
}
