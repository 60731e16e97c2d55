/**
 * SVG to PNG in a browser: the one rasterizer of the export pipeline (JupyterLab's export and the kernel's
 * `nm.save`, which runs the pipeline inside headless Chromium) and of the static images the lab writes into
 * notebooks. Both builds compile it: it reaches the browser's `Image` and canvas through `globalThis`.
 */
import { indexedPng } from './png';

/** What {@link rasterizeSvg} draws. */
export interface RasterizeSvgRequest {
  /** A standalone SVG document. */
  svg: string;
  /** Width of the PNG in device pixels. */
  width: number;
  /** Height of the PNG in device pixels. */
  height: number;
  /** Write a palette PNG (at most 256 colours; several times smaller for drawings). Default false. */
  indexed?: boolean;
}

/** The few browser APIs the rasterizer uses (the kernel's compilation has no DOM types). */
interface BrowserApis {
  Image: new () => { src: string; decode(): Promise<void> };
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
      toDataURL(type: 'image/png'): string;
    };
  };
  btoa(binary: string): string;
}

/**
 * Draws an SVG document scaled to exactly `width × height` pixels and returns the PNG as base64. Runs in a
 * browser.
 *
 * @returns the base64 PNG (no `data:` prefix).
 * @throws Error when the browser cannot decode the SVG or has no 2D canvas.
 * @example
 * ```ts
 * // example: compile-only, rasterizes in a browser (canvas)
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
 * const png = await rasterizeSvg({ svg, width: 1051, height: 650 }); // 89 mm wide at 300 dpi
 * ```
 */
export async function rasterizeSvg(request: RasterizeSvgRequest): Promise<string> {
  const { Image, document, btoa } = globalThis as unknown as BrowserApis;
  const width = Math.max(1, Math.round(request.width));
  const height = Math.max(1, Math.round(request.height));
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(request.svg)}`;
  try {
    await image.decode();
  } catch {
    throw new Error('the browser could not decode the SVG drawing of the figure');
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D canvas to draw the PNG on');
  // The SVG scales to the canvas like an <img>: its own width and height map onto the pixel size.
  context.drawImage(image, 0, 0, width, height);
  if (request.indexed === true) {
    const png = indexedPng(context.getImageData(0, 0, width, height).data, width, height);
    let binary = '';
    for (let i = 0; i < png.length; i += 0x8000)
      binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
    return btoa(binary);
  }
  const url = canvas.toDataURL('image/png');
  return url.slice(url.indexOf(',') + 1);
}
