/** The one pino logger of a process; secrets and password fields are redacted wherever they get logged. */
import pino from 'pino'
import type { FastifyBaseLogger } from 'fastify'

// Fastify's request serializer never logs headers or bodies; these paths guard anything logged by hand.
const redact = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.password', '*.passwordHash', '*.accessToken']

export const createLogger = (level: string): FastifyBaseLogger => pino({ level, redact: { paths: redact, censor: '[redacted]' } })
