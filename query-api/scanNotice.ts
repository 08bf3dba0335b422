/**
 * A scan of a product reported lost or stolen is noted in its stream, so that the owner hears of it. Writing it is
 * the command side's (command-api/protection/scanNotice.ts); app/buildApp.ts hands it to the query side as this
 * decorator, so that the query side imports nothing from the command side.
 */
import type { FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /** Notes the scan without waiting; nothing about the scanner is recorded. */
    noteScanWhileReported(request: FastifyRequest, productId: string): void
  }
}
