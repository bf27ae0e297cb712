import type { LabelDocumentRequest, LabelDocuments } from '../gateway';
import { buildLayout } from './layout';
import { renderPdf } from './pdf';
import { renderPng } from './png';
import { renderZpl } from './zpl';

/** A label's three printable documents, drawn from one layout. */
export async function renderLabelDocuments(request: LabelDocumentRequest): Promise<LabelDocuments> {
  const layout = buildLayout(request);
  const title = `${request.carrier} label ${request.trackingNumber}`;
  const [pdf, png] = await Promise.all([renderPdf(layout, title), renderPng(layout, title)]);
  return { pdf, png, zpl: renderZpl(layout) };
}
