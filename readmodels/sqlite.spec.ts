import t from 'tap'
import { readModelContract } from './contract.ts'
import { SqliteReadModelStore } from './sqlite.ts'

readModelContract(t, 'sqlite', async () => new SqliteReadModelStore(':memory:'))
