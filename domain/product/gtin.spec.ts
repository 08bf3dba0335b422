import t from 'tap'
import { digitalLinkPath, gs1CheckDigit, gtin14, isValidGtin } from './gtin.ts'

t.test('computes the GS1 check digit', async t => {
  t.equal(gs1CheckDigit('400638133393'), 1)
  t.equal(gs1CheckDigit('9638507'), 4)
})

t.test('accepts GTIN-8, -12, -13 and -14 with a valid check digit', async t => {
  for (const gtin of ['96385074', '036000291452', '4006381333931', '10614141000415', '00000000000000']) t.ok(isValidGtin(gtin), gtin)
})

t.test('refuses a wrong check digit', async t => {
  for (const gtin of ['96385075', '036000291453', '4006381333932', '10614141000416']) t.notOk(isValidGtin(gtin), gtin)
})

t.test('refuses other lengths and non-digits', async t => {
  for (const gtin of ['', '1234567', '12345678901', '400638133393A', '4006381 33393', '400638133393100', '-4006381333931'])
    t.notOk(isValidGtin(gtin), JSON.stringify(gtin))
})

t.test('writes GS1 Digital Link paths with the GTIN padded to 14 digits', async t => {
  t.equal(gtin14('96385074'), '00000096385074')
  t.equal(gtin14('4006381333931'), '04006381333931')
  t.equal(gtin14('10614141000415'), '10614141000415')
  t.equal(digitalLinkPath('4006381333931', 'SN-0001'), '/01/04006381333931/21/SN-0001')
  t.equal(digitalLinkPath('036000291452', 'A 1/2?#'), '/01/00036000291452/21/A%201%2F2%3F%23', 'the serial is percent-encoded')
})
