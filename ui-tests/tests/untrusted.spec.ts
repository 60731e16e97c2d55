/**
 * Figures of an untrusted notebook fetch nothing: a notebook someone else wrote (uploaded, never run here,
 * so JupyterLab does not trust it) holds figure outputs whose `layout.images` and map layout point at URLs;
 * the browser must not request them, and the outputs say why they are not drawn.
 */
import { expect, test } from '@jupyterlab/galata';
import { FIGURE_MIME } from './utils';

test.use({ autoGoto: false });

/** A figure payload as the kernel helpers write it, with `layout` as given. */
function figure(
  title: string,
  layout: Record<string, unknown>,
  data: unknown[] = [{ type: 'bar', y: [1, 2] }]
) {
  return {
    version: 1,
    data,
    layout: { title: { text: title }, ...layout },
    meta: { kind: 'uiTest', title, exportName: 'untrusted', provenance: {} }
  };
}

test('an untrusted notebook’s figures request no URL (layout.images, map styles, map traces)', async ({
  page,
  tmpPath,
  baseURL
}) => {
  // URLs on the test server itself: any request for them is seen by the page, whatever it answers.
  const tracker = `${baseURL}/files/${tmpPath}/nnmotifs-tracker.png?from=untrusted`;
  const style = `${baseURL}/files/${tmpPath}/nnmotifs-style.json?from=untrusted`;
  const outputs = [
    figure('Image', { images: [{ source: tracker, x: 0, y: 0, sizex: 1, sizey: 1 }] }),
    figure('Map style', { mapbox: { style } }),
    figure('Map trace', {}, [{ type: 'scattermap', lat: [1], lon: [2] }])
  ].map(payload => ({
    output_type: 'display_data',
    data: { [FIGURE_MIME]: payload, 'text/plain': ['[nnmotifs figure]'] },
    metadata: {}
  }));
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      {
        cell_type: 'code',
        id: 'c1',
        execution_count: 1,
        metadata: {},
        source: ['# written elsewhere'],
        outputs
      }
    ]
  };
  const requested: string[] = [];
  page.on('request', request => {
    if (request.url().includes('from=untrusted')) requested.push(request.url());
  });
  await page.goto(`tree/${tmpPath}`);
  await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/untrusted.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/untrusted.ipynb`);
  await page.notebook.activate('untrusted.ipynb');
  const errors = page.locator('.jp-nnmotifs-Figure-error:visible');
  await expect(errors).toHaveCount(3);
  await expect(errors.nth(0)).toContainText('layout.images[0].source would make the browser load');
  await expect(errors.nth(0)).toContainText('outputs of untrusted notebooks fetch nothing');
  await expect(errors.nth(1)).toContainText('layout.mapbox loads map tiles, styles or outlines');
  await expect(errors.nth(2)).toContainText('data[0] is a scattermap trace, which loads map tiles');
  await page.waitForTimeout(1000); // a fetch, if any, would have started by now
  expect(requested).toEqual([]);
});
