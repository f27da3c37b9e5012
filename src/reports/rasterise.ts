import { existsSync } from 'node:fs';
import { lazyRequire } from '../lazy-require.js';

/**
 * resvg's native addon (and its libc probe, a full process report) loads on the first chart, not at start-up:
 * most runs of the bot, and every shell transcript, never draw one.
 */
const loadResvg = lazyRequire<typeof import('@resvg/resvg-js')>('@resvg/resvg-js');

/** Fonts read from known files: scanning every system font on each render costs more than drawing the chart. */
const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
].filter((f) => existsSync(f));

/** SVG → PNG with resvg (Rust, no browser); falls back to the system fonts where DejaVu is not installed. */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new (loadResvg().Resvg)(svg, {
    font: FONT_FILES.length
      ? { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }
      : { loadSystemFonts: true },
  });
  return resvg.render().asPng();
}
