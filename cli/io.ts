/** Where a command writes and what it reads from its surroundings; tests pass their own. */
export interface Output {
  write(text: string): unknown
  /** A terminal redraws progress on one line; anything else gets plain lines. */
  isTTY?: boolean
}

export interface Io {
  stdout: Output
  stderr: Output
  env: Record<string, string | undefined>
  clock: () => Date
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, clock: () => new Date() })
