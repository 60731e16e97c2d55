/**
 * Drawing for export: publication presets, the shipped fonts, layout fitted to a journal column, the SVG of
 * network views and rasterizing. The browser half (plotly drawing, PNG and PDF) is `render/browser/`.
 */
export * from './preset';
export * from './fonts';
export * from './layout';
export * from './network-layout';
export * from './network-svg';
export * from './png';
