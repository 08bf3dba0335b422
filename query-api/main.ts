/** The query API on its own (`npm run start:query-api`): reads, waiting for x-min-position on the checkpoints the projectors save. */
import { runProcess } from '../app/run.ts'

await runProcess({ projectors: false, serves: ['queries'] })
