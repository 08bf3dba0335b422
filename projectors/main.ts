/** The projectors on their own (`npm run start:projectors`), with /health and /ready on PORT. */
import { runProcess } from '../app/run.ts'

await runProcess({ projectors: true, serves: [] })
