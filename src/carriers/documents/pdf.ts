import PDFDocument from 'pdfkit';
import { DPI, HEIGHT_DOTS, MODULE_DOTS, WIDTH_DOTS } from './layout';
import type { Layout } from './layout';
import { fontBytes } from './fonts';

/** Dots (1/203 in) to PDF points (1/72 in). */
const pt = (dots: number) => (dots * 72) / DPI;

/** The layout as a one-page 4×6 in PDF: vector text (DejaVu, embedded) and vector bars. */
export function renderPdf(layout: Layout, title: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [pt(WIDTH_DOTS), pt(HEIGHT_DOTS)],
    margin: 0,
    autoFirstPage: true,
    info: { Title: title, Producer: 'Countersign', Creator: 'Countersign' },
  });
  const fonts = fontBytes();
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const item of layout.items) {
    if (item.kind === 'text') {
      doc
        .font(item.bold ? 'bold' : 'regular')
        .fontSize(pt(item.size))
        .fillColor(item.inverse ? 'white' : 'black')
        .text(item.text, pt(item.x), pt(item.y), { lineBreak: false });
    } else if (item.kind === 'box') {
      if (item.filled) {
        doc.rect(pt(item.x), pt(item.y), pt(item.width), pt(item.height)).fill('black');
      } else {
        const t = item.thickness;
        doc
          .lineWidth(pt(t))
          .rect(
            pt(item.x + t / 2),
            pt(item.y + t / 2),
            pt(Math.max(0, item.width - t)),
            pt(Math.max(0, item.height - t)),
          )
          .stroke('black');
      }
    } else {
      let x = item.x;
      item.widths.forEach((w, i) => {
        if (i % 2 === 0) {
          doc.rect(pt(x), pt(item.y), pt(w * MODULE_DOTS), pt(item.height)).fill('black');
        }
        x += w * MODULE_DOTS;
      });
    }
  }
  doc.end();
  return done;
}
