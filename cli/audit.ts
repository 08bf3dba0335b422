#!/usr/bin/env tsx
/** The audit and replay CLI: `npm run -s audit -- <command>`, or `tsx cli/audit.ts <command>`. */
import { processIo } from './io.ts'
import { run } from './run.ts'

process.exitCode = await run(process.argv.slice(2), processIo())
