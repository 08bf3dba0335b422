/** The command API on its own (`npm run start:command-api`): writes, with reads left to query-api. */
import { runProcess } from '../app/run.ts'

await runProcess({ projectors: false, serves: ['commands'] })
