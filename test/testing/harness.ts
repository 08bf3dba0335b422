/** An app on the embedded adapters in a temporary folder, and helpers to get users with tokens. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { AppConfig, AppContext } from '../../app/context.ts'
import { loadConfig } from '../../app/config.ts'
import { startEmbedded } from '../../app/embedded.ts'
import { buildApp } from '../../app/buildApp.ts'
import { bootstrapAdmin } from '../../app/bootstrapAdmin.ts'
import { createLogger } from '../../app/logger.ts'
import type { AccountType, Role } from '../../domain/user/events.ts'

export const ADMIN = { email: 'admin@ptvem.test', password: 'admin-password-1' }

export interface TestApp {
  app: FastifyInstance
  ctx: AppContext
  close(): Promise<void>
}

export interface TestAppOptions {
  config?: Partial<AppConfig>
  clock?: () => Date
}

export async function buildTestApp({ config, clock }: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ptvem-test-'))
  const base = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-jwt-secret-of-at-least-32-bytes',
    SIGNING_SECRET: 'test-signing-secret-of-at-least-32-bytes',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_AUTH: '10000',
    RATE_LIMIT: '1000000',
    RATE_LIMIT_COSTLY: '1000000',
  })
  const log = createLogger('silent')
  const embedded = await startEmbedded({ ...base, ...config }, { log, clock })
  // As app/run.ts does at start-up.
  await bootstrapAdmin(embedded.ctx, log)
  const app = await buildApp(embedded.ctx, { log })
  return {
    app,
    ctx: embedded.ctx,
    async close() {
      await app.close()
      await embedded.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

export async function login(app: FastifyInstance, email: string, password: string): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  return response.json().accessToken
}

const adminTokens = new WeakMap<FastifyInstance, Promise<string>>()
export const adminToken = (app: FastifyInstance): Promise<string> => {
  if (!adminTokens.has(app)) adminTokens.set(app, login(app, ADMIN.email, ADMIN.password))
  return adminTokens.get(app)!
}

export interface RegisterOptions {
  /** A brand is verified by the admin at once, with these GS1 Company Prefixes (none unless given). */
  accountType?: AccountType
  gs1CompanyPrefixes?: string[]
  brandName?: string
  /** Set by the admin after registration. */
  roles?: Role[]
  email?: string
  password?: string
  displayName?: string
}

export interface TestUser {
  userId: string
  token: string
  email: string
  password: string
}

let registered = 0

/** The admin approves a brand's application. */
export async function verifyBrand(app: FastifyInstance, userId: string, gs1CompanyPrefixes: string[] = []): Promise<void> {
  const verified = await app.inject({
    method: 'POST',
    url: `/api/admin/brands/${userId}/verification`,
    headers: bearer(await adminToken(app)),
    payload: { decision: 'approve', gs1CompanyPrefixes },
  })
  if (verified.statusCode !== 200) throw new Error(`brand verification failed: ${verified.statusCode} ${verified.body}`)
}

export async function registerUser(app: FastifyInstance, options: RegisterOptions = {}): Promise<TestUser> {
  const n = ++registered
  const { accountType = 'consumer', email = `user-${n}-${process.pid}@example.test`, password = `password-${n}`, roles } = options
  const displayName = options.displayName ?? `User ${n}`
  const payload = { email, password, displayName, accountType, ...(accountType === 'brand' && { brandName: options.brandName ?? `Brand ${n}` }) }
  const response = await app.inject({ method: 'POST', url: '/api/auth/register', payload })
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`)
  const { userId } = response.json()
  if (accountType === 'brand') await verifyBrand(app, userId, options.gs1CompanyPrefixes)
  if (roles) {
    const changed = await app.inject({
      method: 'PUT',
      url: `/api/admin/users/${userId}/roles`,
      headers: bearer(await adminToken(app)),
      payload: { roles },
    })
    if (changed.statusCode !== 200) throw new Error(`roles failed: ${changed.statusCode} ${changed.body}`)
  }
  return { userId, token: await login(app, email, password), email, password }
}
