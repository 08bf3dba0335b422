/**
 * A database of its own on the PostgreSQL server that `url` points at, for one spec: created with a random name,
 * dropped at teardown (with any connection still open to it), so runs never see each other's events.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'

export async function postgresDatabase(t: Test, url: string, label: string): Promise<string> {
  const name = `ptvem_${label}_${randomUUID().slice(0, 8)}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  t.teardown(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  })
  const own = new URL(url)
  own.pathname = `/${name}`
  return own.href
}
