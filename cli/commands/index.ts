/** Every audit command, in the order `audit --help` lists them. */
import type { Command } from '../command.ts'
import { eraseUser } from './eraseUser.ts'
import { exportProduct } from './export.ts'
import { rebuild } from './rebuild.ts'
import { state } from './state.ts'
import { stats } from './stats.ts'
import { verify } from './verify.ts'

export const commands: readonly Command[] = [verify, rebuild, exportProduct, state, stats, eraseUser]
