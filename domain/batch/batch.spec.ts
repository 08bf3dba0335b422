import t from 'tap'
import { spec } from '../testing/spec.ts'
import { batchDecider, type BatchCommand } from './decide.ts'
import type { BatchEvent, FailedItem, IssuedItem } from './events.ts'

const { given } = spec(batchDecider)
const now = '2024-06-01T12:00:00.000Z'
const metadata = { actorId: 'brand-1', roles: ['brand'], now }
const batchId = 'b1'
const items = [{ name: 'Coat' }, { name: 'Scarf' }]
const issuedItem = (index: number): IssuedItem => ({ index, productId: `b1-${index}`, qrCode: `q${index}`, qrUrl: `u${index}`, serialNumber: `S${index}` })
const failedItem = (index: number): FailedItem => ({ index, status: 409, detail: 'taken', errors: [{ path: '/body', message: 'taken' }] })
const submit = (refused: FailedItem[] = []): BatchCommand => ({ type: 'SubmitBatch', data: { batchId, brandId: 'brand-1', items, refused }, metadata })
const progress = (issued: IssuedItem[], failed: FailedItem[] = []): BatchCommand => ({ type: 'RecordBatchProgress', data: { batchId, issued, failed }, metadata })
const submitted: BatchEvent = { type: 'BatchSubmitted', data: { batchId, brandId: 'brand-1', items, submittedAt: now } }
const progressed = (issued: IssuedItem[], failed: FailedItem[] = []): BatchEvent => ({ type: 'BatchProgressed', data: { batchId, issued, failed } })
const finished = (status: 'completed' | 'failed'): BatchEvent => ({ type: 'BatchFinished', data: { batchId, status, finishedAt: now } })

t.test('a batch is submitted with its items', async () => {
  given([]).when(submit()).then([submitted])
})
t.test('items refused at submission are recorded with it', async () => {
  given([]).when(submit([failedItem(1)])).then([submitted, progressed([], [failedItem(1)])])
})
t.test('a batch whose every item is refused at submission fails at once', async () => {
  given([]).when({ ...submit([failedItem(0), failedItem(1)]) }).then([submitted, progressed([], [failedItem(0), failedItem(1)]), finished('failed')])
})
t.test('a batch submitted again changes nothing', async () => {
  given([submitted]).when(submit()).thenNothingHappened()
})
t.test('progress records each item once', async () => {
  given([submitted]).when(progress([issuedItem(0)])).then([progressed([issuedItem(0)])])
  given([submitted, progressed([issuedItem(0)])]).when(progress([issuedItem(0)])).thenNothingHappened()
  given([submitted, progressed([], [failedItem(0)])]).when(progress([issuedItem(0)])).thenNothingHappened()
})
t.test('an item both issued and refused in one progress counts as issued', async () => {
  given([submitted]).when(progress([issuedItem(0)], [failedItem(0)])).then([progressed([issuedItem(0)])])
})
t.test('the batch completes once every item is settled and one was issued', async () => {
  given([submitted, progressed([], [failedItem(0)])]).when(progress([issuedItem(1)])).then([progressed([issuedItem(1)]), finished('completed')])
})
t.test('a batch in which no item was issued fails', async () => {
  given([submitted, progressed([], [failedItem(0)])]).when(progress([], [failedItem(1)])).then([progressed([], [failedItem(1)]), finished('failed')])
})
t.test('a finished batch records nothing more', async () => {
  given([submitted, progressed([issuedItem(0), issuedItem(1)]), finished('completed')]).when(progress([issuedItem(1)])).thenNothingHappened()
})
