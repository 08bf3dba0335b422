/**
 * Sheets of labels: per product its QR code, drawn as vector squares (sharp at any print resolution), with its
 * name and serial number beside it. Pages are written as they are made and wait for the reader, so a
 * 10,000-label sheet never sits whole in memory.
 */
import { once } from 'node:events'
import { PassThrough, type Readable } from 'node:stream'
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'

export type PaperSize = 'a4' | 'letter'

export interface Label {
  qrUrl: string
  name: string
  serialNumber: string
}

const PAPER: Record<PaperSize, string> = { a4: 'A4', letter: 'LETTER' }
const POINTS_PER_MM = 72 / 25.4
const MARGIN = 10 * POINTS_PER_MM
const COLUMNS = 3
const ROW_HEIGHT = 36 * POINTS_PER_MM
/** 28 mm: a Digital Link URL's modules stay above 0.5 mm, which phone cameras read at arm's length. */
const QR_SIZE = 28 * POINTS_PER_MM
const GAP = 3 * POINTS_PER_MM
const FONT_SIZE = 8

/**
 * The code's dark modules as filled rectangles, a run of adjacent modules in a row at a time, written as raw
 * path operators in module units under one scaling: 10,000 codes of ~1,500 runs each stay quick to write.
 */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const quietZone = 4
  const cell = QR_SIZE / (modules.size + 2 * quietZone)
  const runs: string[] = []
  for (let row = 0; row < modules.size; row++) {
    let column = 0
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column++
        continue
      }
      const start = column
      while (column < modules.size && modules.get(row, column)) column++
      runs.push(`${start} ${row} ${column - start} 1 re`)
    }
  }
  doc.save().transform(cell, 0, 0, cell, x + quietZone * cell, y + quietZone * cell).fillColor('black')
  doc.addContent(`${runs.join('\n')}\nf`)
  doc.restore()
}

function drawLabel(doc: PDFKit.PDFDocument, label: Label, x: number, y: number, width: number): void {
  drawQr(doc, label.qrUrl, x, y)
  const textX = x + QR_SIZE + GAP
  const textWidth = width - QR_SIZE - 2 * GAP
  doc.font('Helvetica-Bold').fontSize(FONT_SIZE).text(label.name, textX, y + GAP, { width: textWidth, height: FONT_SIZE * 4, ellipsis: true })
  doc.font('Helvetica').text(`SN ${label.serialNumber}`, textX, y + GAP + FONT_SIZE * 4.5, { width: textWidth, height: FONT_SIZE * 2.5, ellipsis: true })
}

/** The PDF of `labels`, COLUMNS across and as many rows as the paper holds; one page when there are none. */
export function labelSheets(labels: readonly Label[], size: PaperSize): Readable {
  const doc = new PDFDocument({ size: PAPER[size], margin: MARGIN, info: { Title: 'Labels' } })
  const out = new PassThrough()
  doc.pipe(out)
  const width = (doc.page.width - 2 * MARGIN) / COLUMNS
  const rows = Math.floor((doc.page.height - 2 * MARGIN) / ROW_HEIGHT)
  const perPage = rows * COLUMNS

  void (async () => {
    for (let start = 0; start < labels.length && !out.destroyed; start += perPage) {
      if (start > 0) doc.addPage()
      labels.slice(start, start + perPage).forEach((label, slot) => {
        drawLabel(doc, label, MARGIN + (slot % COLUMNS) * width, MARGIN + Math.floor(slot / COLUMNS) * ROW_HEIGHT, width)
      })
      if (out.writableNeedDrain) await once(out, 'drain')
    }
    doc.end()
  })().catch((error: unknown) => out.destroy(error as Error))
  return out
}
