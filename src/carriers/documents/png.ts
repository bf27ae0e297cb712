import { GlobalFonts, createCanvas } from '@napi-rs/canvas';
import { DPI, HEIGHT_DOTS, MODULE_DOTS, WIDTH_DOTS } from './layout';
import type { Layout } from './layout';
import { FONT_BOLD, FONT_REGULAR } from './fonts';

const REGULAR = 'Countersign DejaVu Sans';
const BOLD = 'Countersign DejaVu Sans Bold';
let fontsLoaded = false;

function loadFonts(): void {
  if (fontsLoaded) return;
  GlobalFonts.registerFromPath(FONT_REGULAR, REGULAR);
  GlobalFonts.registerFromPath(FONT_BOLD, BOLD);
  fontsLoaded = true;
}

/**
 * The layout as a 4×6 in PNG at 203 dpi (812 × 1218 pixels, one pixel per printer dot, the
 * resolution in its pHYs chunk), drawn with @napi-rs/canvas (Skia, prebuilt per platform).
 * Bars fall on whole pixels, so they are crisp black on white.
 */
export function renderPng(layout: Layout, title: string): Promise<Buffer> {
  loadFonts();
  const canvas = createCanvas(WIDTH_DOTS, HEIGHT_DOTS);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, WIDTH_DOTS, HEIGHT_DOTS);
  ctx.textBaseline = 'top';
  for (const item of layout.items) {
    if (item.kind === 'text') {
      ctx.fillStyle = item.inverse ? 'white' : 'black';
      ctx.font = `${item.size}px "${item.bold ? BOLD : REGULAR}"`;
      ctx.fillText(item.text, item.x, item.y);
    } else if (item.kind === 'box') {
      ctx.fillStyle = 'black';
      if (item.filled || item.thickness * 2 >= Math.min(item.width, item.height)) {
        ctx.fillRect(item.x, item.y, item.width, item.height);
      } else {
        const t = item.thickness;
        ctx.fillRect(item.x, item.y, item.width, t);
        ctx.fillRect(item.x, item.y + item.height - t, item.width, t);
        ctx.fillRect(item.x, item.y, t, item.height);
        ctx.fillRect(item.x + item.width - t, item.y, t, item.height);
      }
    } else {
      ctx.fillStyle = 'black';
      let x = item.x;
      item.widths.forEach((w, i) => {
        if (i % 2 === 0) ctx.fillRect(x, item.y, w * MODULE_DOTS, item.height);
        x += w * MODULE_DOTS;
      });
    }
  }
  return canvas.encode('png', { resolution: DPI, title, software: 'Countersign' });
}
