import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  displayBundle,
  displayKernel,
  inNotebook,
  registerDisplayAdapter,
  showFigure,
  type DisplayMessage
} from '../../src/kernel/display';
import { nodeStrengthFigure } from '../../src/figures/strength';
import { FIGURE_MIME } from '../../src/figures/spec';

const g = globalThis as { Deno?: unknown };

afterEach(() => {
  registerDisplayAdapter(undefined);
  delete g.Deno;
  vi.restoreAllMocks();
});

describe('kernel-neutral display', () => {
  it('prints text outside a kernel', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(inNotebook()).toBe(false);
    expect(displayKernel()).toBeUndefined();
    displayBundle({ 'text/plain': 'hello' }).update({ 'text/plain': 'again' });
    expect(log.mock.calls).toEqual([['hello'], ['again']]);
  });

  it('sends display_data then update_display_data with one display id through a registered adapter', () => {
    const sent: [DisplayMessage, boolean][] = [];
    registerDisplayAdapter({ kernel: 'tslab', send: (m, u) => sent.push([m, u]) });
    expect(displayKernel()).toBe('tslab');
    const fig = showFigure(nodeStrengthFigure([new Float64Array([1, 2])]));
    fig.update(nodeStrengthFigure([new Float64Array([3, 4])]));
    expect(sent.map(([, u]) => u)).toEqual([false, true]);
    expect(sent[0][0].transient.display_id).toBe(fig.id);
    expect(sent[1][0].transient.display_id).toBe(fig.id);
    expect(Object.keys(sent[1][0].data).sort()).toEqual([FIGURE_MIME, 'text/plain'].sort());
  });

  it('uses Deno.jupyter.broadcast in a Deno kernel', async () => {
    const broadcasts: [string, Record<string, unknown>][] = [];
    g.Deno = {
      jupyter: {
        broadcast: async (type: string, content: Record<string, unknown>) =>
          void broadcasts.push([type, content])
      }
    };
    expect(displayKernel()).toBe('deno');
    const h = displayBundle({ 'text/plain': 'step 1' });
    h.update({ 'text/plain': 'step 2' });
    await Promise.resolve();
    expect(broadcasts.map(([t]) => t)).toEqual(['display_data', 'update_display_data']);
    expect(broadcasts[1][1]).toEqual({
      data: { 'text/plain': 'step 2' },
      metadata: {},
      transient: { display_id: h.id }
    });
  });

  it('ignores Deno outside its kernel (reading Deno.jupyter throws there)', () => {
    g.Deno = Object.defineProperty({}, 'jupyter', {
      get() {
        throw new Error('Deno.jupyter is only available in `deno jupyter` subcommand.');
      }
    });
    expect(inNotebook()).toBe(false);
  });

  it('prefers a registered adapter to Deno detection', () => {
    g.Deno = { jupyter: { broadcast: async () => {} } };
    registerDisplayAdapter({ kernel: 'tslab', send: () => {} });
    expect(displayKernel()).toBe('tslab');
  });
});
