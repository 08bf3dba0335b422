/**
 * Password hashing with scrypt (memory-hard), a salt per password, parameters kept in the hash. Each takes 32 MiB
 * and a thread of libuv's pool: callers take a turn of `passwordGate` (a 503 once its line is full).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { AppConfig } from '../../app/context.ts'
import { Gate } from '../../http/gate.ts'

// OWASP's scrypt setting: N=2^15, r=8, p=3 (32 MiB).
const COST = 2 ** 15
const BLOCK_SIZE = 8
const PARALLELIZATION = 3
const KEY_BYTES = 32
const SALT_BYTES = 16

const derive = (password: string, salt: Buffer, N: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )

/** `scrypt$N$r$p$salt$key`, base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, COST, BLOCK_SIZE, PARALLELIZATION)
  return ['scrypt', COST, BLOCK_SIZE, PARALLELIZATION, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(N), Number(r), Number(p))
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Spends the time of one verification, so an unknown email answers as slowly as a wrong password. */
let dummyHash: Promise<string> | undefined
export async function verifyNothing(password: string): Promise<false> {
  await verifyPassword(password, await (dummyHash ??= hashPassword('not a password')))
  return false
}

const gates = new WeakMap<AppConfig, Gate>()

/** The process's turns at hashing (one per configuration: per process outside tests). */
export function passwordGate(config: AppConfig): Gate {
  let gate = gates.get(config)
  if (!gate) {
    const { concurrent, waiting } = config.limits.passwordHashing
    gates.set(config, (gate = new Gate('password checks', concurrent, waiting)))
  }
  return gate
}
