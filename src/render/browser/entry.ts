/**
 * The export pipeline as one script for a plain page: what the kernel's `nm.save` loads into headless
 * Chromium (built by `npm run build:lib` into `lib/render/browser.js`, jsPDF and svg2pdf.js included;
 * plotly.js is loaded next to it). It defines `globalThis.nnmotifsRender`.
 */
import { jsPDF } from 'jspdf';
import { svg2pdf } from 'svg2pdf.js';
import type { FontFiles, PageRenderer } from '../drawing';
import { checkSvg } from './geometry';
import { rasterizeSvg } from '../raster';
import { type PlotlyApi, renderExport } from './pipeline';

async function decodePng(base64: string): Promise<{ width: number; height: number; rgba: number[] }> {
  const image = new Image();
  image.src = `data:image/png;base64,${base64}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D canvas');
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  return { width: canvas.width, height: canvas.height, rgba: data as unknown as number[] };
}

let fonts: FontFiles = {};

const renderer: PageRenderer = {
  setFonts(files) {
    fonts = files;
  },
  render: (drawing, format, preset) =>
    renderExport(drawing, format, preset, {
      plotly: () => {
        const plotly = (globalThis as unknown as { Plotly?: PlotlyApi }).Plotly;
        return plotly === undefined
          ? Promise.reject(new Error('plotly.js is not loaded'))
          : Promise.resolve(plotly);
      },
      pdf: () => Promise.resolve({ jsPDF, svg2pdf: svg2pdf as never }),
      fonts: () => Promise.resolve(fonts)
    }),
  checkSvg,
  rasterize: rasterizeSvg,
  decodePng
};

(globalThis as unknown as { nnmotifsRender: PageRenderer }).nnmotifsRender = renderer;
