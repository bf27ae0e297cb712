import { MODULE_DOTS } from './layout';
import type { Layout } from './layout';

/**
 * The layout as ZPL II for 203 dpi thermal printers: ^FO positions, ^A0 scalable font, ^GB
 * boxes, and the tracking barcode as the printer's own Code 128 (^BC; FNC1 as `>8` for the
 * GS1-128 IMpb), so the printer draws bars at its native resolution. Text is printable ASCII
 * without ^ or ~ (layout.ts), so no field needs escaping.
 */
export function renderZpl(layout: Layout): Buffer {
  const lines = ['^XA', '^CI28', '^PW812', '^LL1218', '^LH0,0'];
  for (const item of layout.items) {
    if (item.kind === 'text') {
      const reverse = item.inverse ? '^FR' : '';
      lines.push(
        `^FO${item.x},${item.y}^A0N,${item.size},${item.size}${reverse}^FD${item.text}^FS`,
      );
    } else if (item.kind === 'box') {
      const thickness = item.filled ? Math.min(item.width, item.height) : item.thickness;
      lines.push(`^FO${item.x},${item.y}^GB${item.width},${item.height},${thickness},B,0^FS`);
    } else {
      lines.push(
        `^FO${item.x},${item.y}^BY${MODULE_DOTS},3,${item.height}` +
          `^BCN,${item.height},N,N,N^FD${item.barcode.zplData}^FS`,
      );
    }
  }
  lines.push('^XZ');
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
