/** plotly.js-dist-min ships no types; its API is plotly.js's. */
declare module 'plotly.js-dist-min' {
  export * from 'plotly.js';
}
