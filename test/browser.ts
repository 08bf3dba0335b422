/**
 * A real browser for the browser specs: Debian's Chromium driven by playwright-core (no browser download).
 * Without /usr/bin/chromium (or CHROMIUM_PATH) a browser spec skips, unless CI is set: CI must have the browser.
 */
import { existsSync } from 'node:fs'
import type t from 'tap'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Runs `spec` when there is a browser to run it in (always under CI); otherwise plans nothing, saying why. */
export async function withBrowser(test: typeof t, spec: () => Promise<unknown>): Promise<void> {
  if (!existsSync(CHROMIUM) && !process.env.CI) test.plan(0, `no browser at ${CHROMIUM} (apt-get install -y chromium); CI runs this`)
  else await spec()
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
}
