import fs from 'node:fs';
import path from 'node:path';

/**
 * DejaVu Sans from the dejavu-fonts-ttf package (free license), so the label looks the same on
 * every machine and the PDF embeds its font instead of relying on the viewer's.
 */
const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_REGULAR = path.join(dir, 'DejaVuSans.ttf');
export const FONT_BOLD = path.join(dir, 'DejaVuSans-Bold.ttf');

let loaded: { regular: Buffer; bold: Buffer } | null = null;

/** The font files' bytes, read once per process. */
export function fontBytes(): { regular: Buffer; bold: Buffer } {
  loaded ??= { regular: fs.readFileSync(FONT_REGULAR), bold: fs.readFileSync(FONT_BOLD) };
  return loaded;
}
