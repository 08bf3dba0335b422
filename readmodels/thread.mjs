// The entry of the read-model threads: worker threads do not inherit the TypeScript loader, so it registers it,
// then runs the module that workerData names.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.module)
