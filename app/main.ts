/** `npm start`: the whole service in one process, on the production adapters the environment configures, embedded otherwise. */
import { runProcess } from './run.ts'

await runProcess({ projectors: true, serves: ['commands', 'queries'] })
