import { PDFDocument } from 'pdf-lib';

/**
 * One PDF with every page of the given label PDFs, in order (a label's PDF is one 4×6 page, so
 * one page per label): what a seller prints for a whole batch at once.
 */
export async function mergePdfs(documents: readonly Buffer[]): Promise<Buffer> {
  const merged = await PDFDocument.create();
  for (const bytes of documents) {
    const source = await PDFDocument.load(bytes);
    const pages = await merged.copyPages(source, source.getPageIndices());
    for (const page of pages) merged.addPage(page);
  }
  return Buffer.from(await merged.save());
}
