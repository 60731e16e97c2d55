// Extra webpack configuration of the labextension build (package.json `jupyterlab.webpackConfig`).
//
// @jupyterlab/builder always bundles the package's `main` as the shared module `nnmotifs`. Our `main` is
// the Node-side kernel helpers (tfjs-node, node: built-ins), which must never reach the browser, and no
// frontend code imports `nnmotifs`: the lab code lives in lib-lab/. So the build sees an empty module there.
/* eslint-disable @typescript-eslint/no-require-imports -- @jupyterlab/builder require()s this file: CommonJS */
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const main = require(path.join(root, 'package.json')).main;

// plotly.js-dist-min is already minified: running terser over its 4.6 MB again took most of the build
// (about 2 of 3 minutes on 2 cores) and gains nothing. Every other chunk is minified as usual.
const TerserPlugin = require('terser-webpack-plugin');

const ALREADY_MINIFIED = 1_000_000;

/** terser for our own chunks; the plotly chunk (huge and containing plotly's banner) passes through. */
async function minify(input, sourceMap, minimizerOptions, extractComments) {
  const code = Object.values(input)[0];
  if (code.length > ALREADY_MINIFIED && code.includes('plotly.js v')) {
    return { code };
  }
  return TerserPlugin.terserMinify(input, sourceMap, minimizerOptions, extractComments);
}

module.exports = {
  optimization: {
    minimizer: [new TerserPlugin({ minify, parallel: false })]
  },
  resolve: {
    alias: {
      [path.join(root, main)]: false
    }
  }
};
